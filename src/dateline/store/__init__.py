"""Store: the one object over the DuckDB file (articles, mentions, events).

Schema changes are numbered SQL files in ``migrations/``; ``Store.open`` applies the
missing ones. Each article is written together with its mentions in one transaction,
so a killed process leaves either both or neither.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from dateline.model import Article, Mention

DEFAULT_DB = "dateline.duckdb"


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


MENTION_COLUMNS = (
    "id, article_id, sentence_index, char_start, char_end, sentence, event_type, mode, cameo, "
    "quad_class, actor_codes, actor_countries, recipient_codes, recipient_countries, negated, "
    "modality, date, date_precision, place, country, lat, lon, dead, confidence, event_id, data"
)


class Store:
    """Wraps one DuckDB connection. Use ``Store.open(path)``; the constructor does no I/O."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str | None = None):
        self.con = con
        self.path = path

    @classmethod
    def open(cls, path: str | Path = DEFAULT_DB, read_only: bool = False) -> Store:
        path = str(path)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(path, read_only=read_only)
        con.execute("SET enable_progress_bar = false")
        store = cls(con, path)
        if not read_only:
            store.migrate()
        return store

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one thread (DuckDB connections are not shared across threads)."""
        return self.con.cursor()

    # -- schema -------------------------------------------------------------------------
    def migrate(self) -> list[int]:
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
                self.con.execute(sql)
                self.con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                                 [version, name])
                self.con.execute("COMMIT")
            except Exception:
                self.con.execute("ROLLBACK")
                raise
            applied.append(version)
        return applied

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
        items = list(items)
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
        (executemany inserts a few hundred rows a second; this, tens of thousands)."""
        items = list(items)
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

    def _insert_mentions(self, rows: list[tuple]) -> None:
        marks = ", ".join("?" * len(rows[0]))
        self.con.executemany(
            f"INSERT INTO mentions ({MENTION_COLUMNS}) VALUES ({marks}) ON CONFLICT DO NOTHING",
            rows,
        )

    def replace_mentions(self, article_id: str, mentions: Sequence[Mention]) -> None:
        """Re-code one article: its old mentions go, the new ones come, atomically."""
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
