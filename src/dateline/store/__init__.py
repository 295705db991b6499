"""Store: the one object over the database (articles, mentions, events).

The database is a DuckDB file (the default), shared by every Dateline process on the
machine through ``share.py``, or a PostgreSQL database (``--db postgresql://…``) through
``pg.py``; the SQL above is the same for both (``dialect.py``).

Schema changes are numbered SQL files in ``migrations/``; ``Store.open`` applies the
missing ones. Each article is written together with its mentions in one transaction,
so a killed process leaves either both or neither. Writers take the store's lock
(``Store.lock``): across processes, article ids are checked and inserted atomically and
dedup runs one at a time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from dateline.model import Article, Mention
from dateline.store.dialect import is_dsn, is_postgres, location, pg_ddl
from dateline.store.share import DEFAULT_WAIT, WRITE_LOCK, SharedConnection, StoreBusy

DEFAULT_DB = "dateline.duckdb"
__all__ = ["AddResult", "DEFAULT_DB", "MENTION_COLUMNS", "Store", "StoreBusy", "store_lock",
           "mention_row", "store_wait"]


def store_wait() -> float:
    """Seconds to wait for a busy store: ``DATELINE_STORE_WAIT``, else 120."""
    try:
        return float(os.environ.get("DATELINE_STORE_WAIT") or DEFAULT_WAIT)
    except ValueError:
        return DEFAULT_WAIT


@contextmanager
def store_lock(con: Any, name: str = WRITE_LOCK) -> Iterator[None]:
    """Hold the store's lock ``name`` across processes: PostgreSQL advisory locks (one per
    name); on a shared DuckDB file one write lock for every name (DuckDB has one writer at
    a time anyway, so no two writers meet in a write-write conflict). Re-entrant for the
    same connection. An in-memory DuckDB store has no other process to keep out."""
    con = getattr(con, "con", con)
    if isinstance(con, SharedConnection):
        con.acquire(WRITE_LOCK)
        try:
            yield
        finally:
            con.release(WRITE_LOCK)
    elif is_postgres(con):
        con.advisory_lock(name, store_wait())
        try:
            yield
        finally:
            con.advisory_unlock(name)
    else:
        yield


@dataclass
class AddResult:
    new: int = 0
    duplicate: int = 0
    mentions: int = 0
    new_ids: list[str] = field(default_factory=list)


def _migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("dateline.store") / "migrations"
    out = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            out.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    return sorted(out)


def mention_row(m: Mention) -> tuple:
    """The mentions-table row of a mention: filter columns plus the full JSON record."""
    loc = m.location
    return (
        m.id, m.article_id, m.sentence_index, m.char_start, m.char_end, m.sentence,
        m.event_type, m.mode, m.cameo, m.quad_class,
        [a.code for a in m.actor if a.code], [a.country for a in m.actor if a.country],
        [a.code for a in m.recipient if a.code], [a.country for a in m.recipient if a.country],
        m.negated, m.modality, m.date, m.date_precision,
        loc.name if loc else None, loc.country if loc else None,
        loc.lat if loc else None, loc.lon if loc else None,
        m.size.get("dead"), m.confidence, m.event_id, json.dumps(m.to_dict()),
    )


ARTICLE_COLUMNS = ("id", "source", "url", "published", "section", "headline", "subheadlines",
                   "authors", "language", "text", "origin", "coded")

MENTION_COLUMNS = (
    "id, article_id, sentence_index, char_start, char_end, sentence, event_type, mode, cameo, "
    "quad_class, actor_codes, actor_countries, recipient_codes, recipient_countries, negated, "
    "modality, date, date_precision, place, country, lat, lon, dead, confidence, event_id, data"
)


class Store:
    """Wraps one connection: DuckDB's, the shared DuckDB file's (``share.py``) or
    PostgreSQL's (``pg.py``). Use ``Store.open(path)``; the constructor does no I/O."""

    def __init__(self, con: Any, path: str | None = None):
        self.con = con
        self.path = path

    @classmethod
    def open(cls, path: str | Path = DEFAULT_DB, read_only: bool = False,
             wait: float | None = None) -> Store:
        """The store at ``path``: a DuckDB file (created if missing, unless
        ``read_only``), ``:memory:``, or a ``postgresql://`` DSN. Missing migrations are
        applied unless ``read_only``. ``wait``: seconds to wait for a busy store (default
        ``store_wait()``); past it, ``StoreBusy``."""
        path = location(path)
        wait = store_wait() if wait is None else wait
        if is_dsn(path):
            from dateline.store.pg import open_connection

            con: Any = open_connection(path, wait)
        elif path == ":memory:":
            con = duckdb.connect(path)
            con.execute("SET enable_progress_bar = false")
        else:
            if read_only and not Path(path).exists():
                raise FileNotFoundError(f"no store at {path}")
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            con = SharedConnection(path, wait)
            con.execute("SET enable_progress_bar = false")
        store = cls(con, path)
        if not read_only:
            try:
                store.migrate()
            except BaseException:
                con.close()
                raise
        return store

    @property
    def dialect(self) -> str:
        return "postgres" if is_postgres(self.con) else "duckdb"

    def lock(self, name: str = WRITE_LOCK) -> Any:
        """``with store.lock("dedup"):`` -- see ``store_lock``."""
        return store_lock(self.con, name)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def cursor(self) -> Any:
        """A cursor for one thread (DuckDB connections are not shared across threads; on
        PostgreSQL, a session on another pooled connection)."""
        return self.con.cursor()

    # -- schema -------------------------------------------------------------------------
    def migrate(self) -> list[int]:
        """Apply the missing migrations (one transaction each, under the store's lock, so
        two processes starting at once apply each once)."""
        with self.lock("migrate"):
            return self._migrate()

    def _migrate(self) -> list[int]:
        pg = is_postgres(self.con)
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "name VARCHAR, applied_at TIMESTAMPTZ DEFAULT current_timestamp)"
        )
        done = {r[0] for r in self.con.execute("SELECT version FROM schema_migrations").fetchall()}
        applied = []
        for version, name, sql in _migrations():
            if version in done:
                continue
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.execute(pg_ddl(sql) if pg else sql)
                self.con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                                 [version, name])
                self.con.execute("COMMIT")
            except Exception:
                self.con.execute("ROLLBACK")
                raise
            applied.append(version)
        if pg:
            self._pg_compat()
        return applied

    def _pg_compat(self) -> None:
        """PostgreSQL: the stand-ins for DuckDB functions the queries use, and indexes for
        PostgreSQL's planner (``dialect.PG_COMPAT``), when missing or outdated."""
        from dateline.store.dialect import PG_COMPAT, PG_COMPAT_VERSION

        have = self.con.execute(
            "SELECT to_regprocedure('dateline_compat()') IS NOT NULL").fetchone()[0]
        if have:
            have = self.con.execute("SELECT dateline_compat()").fetchone()[0]
        if have != PG_COMPAT_VERSION:
            self.con.execute(PG_COMPAT)

    def schema_version(self) -> int:
        row = self.con.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    # -- writing ------------------------------------------------------------------------
    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        rows = self.con.execute(
            "SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)]
        ).fetchall()
        return {r[0] for r in rows}

    def add_articles(
        self,
        items: Iterable[tuple[Article, Sequence[Mention] | None]],
    ) -> AddResult:
        """Store articles (each with its mentions, or None when not coded) in one
        transaction; articles already present are counted as duplicates and left alone."""
        with self.lock("articles"):
            return self._add_articles(list(items))

    def _add_articles(self, items: list[tuple[Article, Sequence[Mention] | None]]
                      ) -> AddResult:
        result = AddResult(new_ids=[])
        present = self.existing_ids([a.id for a, _ in items])
        seen: set[str] = set()
        arows, mrows = [], []
        for art, mentions in items:
            if art.id in present or art.id in seen:
                result.duplicate += 1
                continue
            seen.add(art.id)
            arows.append(_article_row(art, coded=mentions is not None))
            for m in mentions or ():
                mrows.append(mention_row(m))
            result.new += 1
            result.new_ids.append(art.id)
        if not arows:
            return result
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.executemany(
                "INSERT INTO articles (id, source, url, published, section, headline, "
                "subheadlines, authors, language, text, origin, coded) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arows,
            )
            if mrows:
                self._insert_mentions(mrows)
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        result.mentions = len(mrows)
        return result

    def add_articles_bulk(
        self,
        items: Iterable[tuple[Article, Sequence[Mention] | None]],
    ) -> AddResult:
        """``add_articles`` for large batches (added by ingest): same result and the same
        one transaction per call, but rows go in as Arrow tables, not one by one
        (executemany inserts a few hundred rows a second; this, tens of thousands); on
        PostgreSQL with COPY."""
        with self.lock("articles"):
            return self._add_articles_bulk(list(items))

    def _add_articles_bulk(self, items: list[tuple[Article, Sequence[Mention] | None]]
                           ) -> AddResult:
        result = AddResult(new_ids=[])
        present = self.existing_ids([a.id for a, _ in items])
        keep: list[tuple[Article, Sequence[Mention] | None]] = []
        seen: set[str] = set()
        for art, mentions in items:
            if art.id in present or art.id in seen:
                result.duplicate += 1
                continue
            seen.add(art.id)
            keep.append((art, mentions))
            result.new_ids.append(art.id)
        result.new = len(keep)
        if not keep:
            return result
        mrows: dict[str, tuple] = {}
        for _, mentions in keep:
            for m in mentions or ():
                assert m.id is not None, "the coder gives every mention its id"
                mrows.setdefault(m.id, mention_row(m))
        con = self.con
        if is_postgres(con):
            self._copy_pg(keep, list(mrows.values()))
            result.mentions = len(mrows)
            return result
        con.execute("BEGIN TRANSACTION")
        try:
            con.register("_dateline_articles", _articles_arrow(keep))
            con.execute(
                "INSERT INTO articles (id, source, url, published, section, headline, "
                "subheadlines, authors, language, text, origin, coded) "
                "SELECT id, source, url, coalesce(published_tz, CAST(published_naive AS "
                "TIMESTAMPTZ)), section, headline, CAST(subheadlines AS JSON), "
                "CAST(authors AS JSON), language, text, origin, coded FROM _dateline_articles")
            if mrows:
                con.register("_dateline_mentions", _mentions_arrow(list(mrows.values())))
                con.execute(
                    f"INSERT INTO mentions ({MENTION_COLUMNS}) SELECT * REPLACE ("
                    "CAST(date AS DATE) AS date, CAST(data AS JSON) AS data) "
                    "FROM _dateline_mentions ON CONFLICT DO NOTHING")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        finally:
            for view in ("_dateline_articles", "_dateline_mentions"):
                try:
                    con.unregister(view)
                except Exception:  # noqa: BLE001  not registered
                    pass
        result.mentions = len(mrows)
        return result

    def _copy_pg(self, keep: list[tuple[Article, Sequence[Mention] | None]],
                 mrows: list[tuple]) -> None:
        """PostgreSQL's bulk path: COPY the articles, COPY the mentions into a staging
        table and insert those not stored yet, in one transaction."""
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            con.copy_rows("articles", ARTICLE_COLUMNS,
                          [_article_row(a, coded=m is not None) for a, m in keep])
            if mrows:
                con.execute("CREATE TEMP TABLE IF NOT EXISTS _dateline_mentions "
                            "(LIKE mentions) ON COMMIT DELETE ROWS")
                columns = [c.strip() for c in MENTION_COLUMNS.split(",")]
                con.copy_rows("_dateline_mentions", columns, mrows)
                con.execute(f"INSERT INTO mentions ({MENTION_COLUMNS}) SELECT "
                            f"{MENTION_COLUMNS} FROM _dateline_mentions ON CONFLICT DO NOTHING")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _insert_mentions(self, rows: list[tuple]) -> None:
        marks = ", ".join("?" * len(rows[0]))
        self.con.executemany(
            f"INSERT INTO mentions ({MENTION_COLUMNS}) VALUES ({marks}) ON CONFLICT DO NOTHING",
            rows,
        )

    def replace_mentions(self, article_id: str, mentions: Sequence[Mention]) -> None:
        """Re-code one article: its old mentions go, the new ones come, atomically."""
        with self.lock("articles"):
            self._replace_mentions(article_id, mentions)

    def _replace_mentions(self, article_id: str, mentions: Sequence[Mention]) -> None:
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("DELETE FROM mentions WHERE article_id = ?", [article_id])
            if mentions:
                self._insert_mentions([mention_row(m) for m in mentions])
            self.con.execute("UPDATE articles SET coded = TRUE WHERE id = ?", [article_id])
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    # -- reading ------------------------------------------------------------------------
    def get_article(self, article_id: str) -> Article | None:
        rows = self.articles_where("a.id = ?", [article_id], limit=1)
        return rows[0] if rows else None

    def articles_where(self, where: str = "TRUE", params: Sequence[Any] = (),
                       limit: int | None = None, offset: int = 0) -> list[Article]:
        sql = (
            "SELECT id, text, headline, subheadlines, source, url, published, section, "
            "language, authors, origin FROM articles a WHERE " + where +
            " ORDER BY published NULLS LAST, id"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        out = []
        for r in self.con.execute(sql, list(params)).fetchall():
            out.append(Article(
                id=r[0], text=r[1], headline=r[2], subheadlines=json.loads(r[3] or "[]"),
                source=r[4], url=r[5], published=_aware(r[6]), section=r[7], language=r[8],
                authors=json.loads(r[9] or "[]"), origin=r[10],
            ))
        return out

    def mentions(self, where: str = "TRUE", params: Sequence[Any] = ()) -> list[Mention]:
        rows = self.con.execute(
            "SELECT data, event_id FROM mentions WHERE " + where +
            " ORDER BY article_id, sentence_index, char_start", list(params)
        ).fetchall()
        out = []
        for data, event_id in rows:
            m = Mention.from_dict(json.loads(data))
            m.event_id = event_id
            out.append(m)
        return out

    def counts(self) -> dict[str, int]:
        q = self.con.execute
        return {
            "articles": q("SELECT count(*) FROM articles").fetchone()[0],
            "mentions": q("SELECT count(*) FROM mentions").fetchone()[0],
            "events": q("SELECT count(*) FROM events").fetchone()[0],
        }


def _aware(value: datetime | None) -> datetime | None:
    return value


def _article_row(a: Article, coded: bool) -> tuple:
    return (
        a.id, a.source, a.url, a.published, a.section, a.headline,
        json.dumps(a.subheadlines), json.dumps(a.authors), a.language, a.text, a.origin, coded,
    )


def _articles_arrow(items: Sequence[tuple[Article, Sequence[Mention] | None]]) -> Any:
    import pyarrow as pa

    arts = [a for a, _ in items]
    aware = [a.published.astimezone(timezone.utc) if a.published and a.published.tzinfo
             else None for a in arts]
    naive = [a.published if a.published and not a.published.tzinfo else None for a in arts]
    return pa.table({
        "id": pa.array([a.id for a in arts], pa.string()),
        "source": pa.array([a.source for a in arts], pa.string()),
        "url": pa.array([a.url for a in arts], pa.string()),
        "published_tz": pa.array(aware, pa.timestamp("us", tz="UTC")),
        "published_naive": pa.array(naive, pa.timestamp("us")),
        "section": pa.array([a.section for a in arts], pa.string()),
        "headline": pa.array([a.headline for a in arts], pa.string()),
        "subheadlines": pa.array([json.dumps(a.subheadlines) for a in arts], pa.string()),
        "authors": pa.array([json.dumps(a.authors) for a in arts], pa.string()),
        "language": pa.array([a.language for a in arts], pa.string()),
        "text": pa.array([a.text for a in arts], pa.string()),
        "origin": pa.array([a.origin for a in arts], pa.string()),
        "coded": pa.array([m is not None for _, m in items], pa.bool_()),
    })


_MENTION_TYPES = (
    "string", "string", "int32", "int32", "int32", "string", "string", "string", "string",
    "int32", "list", "list", "list", "list", "bool", "string", "string", "string",
    "string", "string", "float64", "float64", "int32", "float64", "string", "string",
)


def _mentions_arrow(rows: list[tuple]) -> Any:
    import pyarrow as pa

    names = [c.strip() for c in MENTION_COLUMNS.split(",")]
    if len(names) != len(_MENTION_TYPES):
        raise RuntimeError("_MENTION_TYPES must follow MENTION_COLUMNS")
    types = {"string": pa.string(), "int32": pa.int32(), "bool": pa.bool_(),
             "float64": pa.float64(), "list": pa.list_(pa.string())}
    columns = list(zip(*rows))
    return pa.table({name: pa.array(list(col), types[t])
                     for name, t, col in zip(names, _MENTION_TYPES, columns)})
