"""The Parquet lake a batch run writes, and loading it into a Store.

Layout under the output folder::

    articles/month=YYYY-MM/part-<partition key>.parquet   one row per article
    mentions/month=YYYY-MM/part-<partition key>.parquet   the mentions-table columns + data
    errors/part-<partition key>.parquet                    inputs the readers rejected
    _partitions/<partition key>.json                       commit marker, written last

``month`` is the article's publication month (``unknown`` when it has no date); an
article's mentions sit in the same month as the article. Every file is written to a
hidden temporary name and renamed into place, and a partition's marker is written only
after all its files: a task killed mid-way leaves nothing that a reader takes for output,
and its retry writes the very same names. Readers take the files listed by markers.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from dateline.model import Article, Mention, ReadError
from dateline.store import MENTION_COLUMNS, Store, mention_row
from dateline.store.dialect import is_postgres

UNKNOWN_MONTH = "unknown"
MARKERS = "_partitions"
_STR = pa.string()
_STRS = pa.list_(pa.string())

ARTICLE_SCHEMA = pa.schema([
    ("id", _STR), ("source", _STR), ("url", _STR), ("published", pa.timestamp("us", tz="UTC")),
    ("section", _STR), ("headline", _STR), ("subheadlines", _STRS), ("authors", _STRS),
    ("language", _STR), ("text", _STR), ("origin", _STR),
])

_MENTION_TYPES: dict[str, pa.DataType] = {
    "id": _STR, "article_id": _STR, "sentence_index": pa.int32(), "char_start": pa.int32(),
    "char_end": pa.int32(), "sentence": _STR, "event_type": _STR, "mode": _STR, "cameo": _STR,
    "quad_class": pa.int32(), "actor_codes": _STRS, "actor_countries": _STRS,
    "recipient_codes": _STRS, "recipient_countries": _STRS, "negated": pa.bool_(),
    "modality": _STR, "date": pa.date32(), "date_precision": _STR, "place": _STR,
    "country": _STR, "lat": pa.float64(), "lon": pa.float64(), "dead": pa.int32(),
    "confidence": pa.float64(), "event_id": _STR, "data": _STR,
}
MENTION_FIELDS = [c.strip() for c in MENTION_COLUMNS.split(",")]
MENTION_SCHEMA = pa.schema([(name, _MENTION_TYPES[name]) for name in MENTION_FIELDS])
ERROR_SCHEMA = pa.schema([("path", _STR), ("record", _STR), ("reason", _STR)])


def month_of(article: Article) -> str:
    return article.published.strftime("%Y-%m") if article.published else UNKNOWN_MONTH


def _article_record(a: Article) -> dict[str, Any]:
    return {
        "id": a.id, "source": a.source, "url": a.url, "published": a.published,
        "section": a.section, "headline": a.headline, "subheadlines": list(a.subheadlines),
        "authors": list(a.authors), "language": a.language, "text": a.text, "origin": a.origin,
    }


def _mention_record(m: Mention) -> dict[str, Any]:
    rec = dict(zip(MENTION_FIELDS, mention_row(m), strict=True))
    if isinstance(rec.get("date"), str):
        rec["date"] = date.fromisoformat(rec["date"][:10])
    return rec


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write to a hidden temporary file beside ``path``, then rename: atomic on POSIX."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _write_json(obj: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
    tmp.write_text(json.dumps(obj, indent=1, default=str), encoding="utf-8")
    os.replace(tmp, path)


@dataclass
class PartitionOutput:
    """What one task wrote: counts and the lake-relative files."""

    key: str
    articles: int = 0
    duplicates: int = 0  # articles met twice inside the partition (same id)
    mentions: int = 0
    read_errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    months: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    nbytes: int = 0
    seconds: float = 0.0
    worker: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def write_partition(
    out_dir: str | os.PathLike,
    key: str,
    coded: Iterable[tuple[Article, Sequence[Mention]]],
    errors: Sequence[ReadError] = (),
    segments: Sequence[str] = (),
    max_error_samples: int = 20,
) -> PartitionOutput:
    """Write one partition's articles and mentions by month, its read errors, then its
    marker. Files of this partition left by an earlier run in other months are removed."""
    root = Path(out_dir)
    out = PartitionOutput(key=key, segments=list(segments))
    by_month: dict[str, tuple[list[dict], list[dict]]] = {}
    seen: set[str] = set()
    for article, mentions in coded:
        if article.id in seen:
            out.duplicates += 1
            continue
        seen.add(article.id)
        arts, ments = by_month.setdefault(month_of(article), ([], []))
        arts.append(_article_record(article))
        ments.extend(_mention_record(m) for m in mentions)
    name = f"part-{key}.parquet"
    for month in sorted(by_month):
        arts, ments = by_month[month]
        for table, rows, schema in (("articles", arts, ARTICLE_SCHEMA),
                                    ("mentions", ments, MENTION_SCHEMA)):
            rel = f"{table}/month={month}/{name}"
            write_parquet(pa.Table.from_pylist(rows, schema=schema), root / rel)
            out.files.append(rel)
        out.articles += len(arts)
        out.mentions += len(ments)
    out.months = sorted(by_month)
    out.read_errors = len(errors)
    out.error_samples = [str(e) for e in errors[:max_error_samples]]
    if errors:
        rel = f"errors/{name}"
        rows = [{"path": e.path, "record": None if e.record is None else str(e.record),
                 "reason": e.reason} for e in errors]
        write_parquet(pa.Table.from_pylist(rows, schema=ERROR_SCHEMA), root / rel)
        out.files.append(rel)
    keep = set(out.files)
    for stale in list(root.glob(f"*/month=*/{name}")) + list(root.glob(f"errors/{name}")):
        if stale.relative_to(root).as_posix() not in keep:
            stale.unlink(missing_ok=True)
    return out


def commit_partition(out_dir: str | os.PathLike, output: PartitionOutput) -> None:
    _write_json(output.to_dict(), Path(out_dir) / MARKERS / f"{output.key}.json")


def committed_keys(out_dir: str | os.PathLike) -> set[str]:
    folder = Path(out_dir) / MARKERS
    return {p.stem for p in folder.glob("*.json")} if folder.is_dir() else set()


def remove_temporaries(out_dir: str | os.PathLike) -> int:
    """Delete temporary files left by tasks killed mid-write."""
    n = 0
    for tmp in Path(out_dir).rglob(".*.tmp"):
        tmp.unlink(missing_ok=True)
        n += 1
    return n


def lake_files(lake_dir: str | os.PathLike, table: str) -> list[str]:
    """The committed files of one table (articles, mentions, errors). A folder without
    markers (written by another tool in the same layout) gives all its Parquet files."""
    root = Path(lake_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no such lake folder")
    markers = root / MARKERS
    if not markers.is_dir():
        return sorted(str(p) for p in root.glob(f"{table}/**/*.parquet"))
    files = set()
    for marker in markers.glob("*.json"):
        for rel in json.loads(marker.read_text(encoding="utf-8")).get("files", []):
            if rel.split("/", 1)[0] == table and (root / rel).exists():
                files.add(str(root / rel))
    return sorted(files)


def iter_lake_articles(lake_dir: str | os.PathLike) -> Iterator[Article]:
    for path in lake_files(lake_dir, "articles"):
        for row in pq.read_table(path, schema=ARTICLE_SCHEMA).to_pylist():
            yield Article(**{k: (v if v is not None or k not in ("subheadlines", "authors")
                                 else []) for k, v in row.items()})


def iter_lake_mentions(lake_dir: str | os.PathLike) -> Iterator[Mention]:
    for path in lake_files(lake_dir, "mentions"):
        for data in pq.read_table(path, columns=["data"]).column("data").to_pylist():
            yield Mention.from_dict(json.loads(data))


@dataclass
class LoadSummary:
    lake: str
    articles_in_lake: int = 0
    articles_new: int = 0
    articles_skipped: int = 0  # already in the store
    mentions_new: int = 0
    events: dict[str, Any] | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_lake(store: Store, lake_dir: str | os.PathLike, dedup: bool = True) -> LoadSummary:
    """Bring a lake into the store: articles not stored yet (each id once) with their
    mentions, in one transaction, then events for the new articles (``dedup.update_events``)."""
    start = datetime.now(UTC)
    summary = LoadSummary(lake=str(lake_dir))
    # absolute: on a shared DuckDB file, the process hosting it reads them (share.py)
    afiles = [os.path.abspath(f) for f in lake_files(lake_dir, "articles")]
    mfiles = [os.path.abspath(f) for f in lake_files(lake_dir, "mentions")]
    if not afiles:
        if dedup:
            from dateline.dedup import finish_pending

            summary.events = _as_dict(finish_pending(store))
        return summary
    if is_postgres(store.con):
        _load_pg(store, afiles, mfiles, summary)
        if dedup and summary.articles_new:
            from dateline.dedup import update_events

            summary.events = _as_dict(update_events(store, article_ids=summary_ids(summary)))
        summary.seconds = (datetime.now(UTC) - start).total_seconds()
        return summary
    with store.lock("articles"):
        _load_duckdb(store, afiles, mfiles, summary, dedup)
    summary.seconds = (datetime.now(UTC) - start).total_seconds()
    return summary


def summary_ids(summary: LoadSummary) -> list[str]:
    return getattr(summary, "_new_ids", [])


def _lake_new_sql(files_param: str = "?") -> str:
    return (f"SELECT * FROM read_parquet({files_param}, union_by_name = true) QUALIFY "
            "row_number() OVER (PARTITION BY id ORDER BY origin NULLS LAST, url NULLS LAST) = 1")


def _load_pg(store: Store, afiles: list[str], mfiles: list[str], summary: LoadSummary,
             chunk: int = 5000) -> None:
    """PostgreSQL: DuckDB (in memory) reads the lake, the rows go in with COPY, a chunk
    of articles with their mentions per transaction (under the store's article lock, so
    a concurrent ingest of the same ids stores each once)."""
    import duckdb

    from dateline.model import Article

    lake = duckdb.connect()
    try:
        lake.execute(f"CREATE TEMP TABLE lake_new AS {_lake_new_sql()}", [afiles])
        summary.articles_in_lake = lake.execute("SELECT count(*) FROM lake_new").fetchone()[0]
        ids = [r[0] for r in lake.execute("SELECT id FROM lake_new ORDER BY id").fetchall()]
        new_ids: list[str] = []
        for k in range(0, len(ids), chunk):
            part = ids[k:k + chunk]
            with store.lock("articles"):
                fresh = sorted(set(part) - store.existing_ids(part))
                if not fresh:
                    continue
                arts = lake.execute(
                    "SELECT id, source, url, published, section, headline, subheadlines, "
                    "authors, language, text, origin FROM lake_new WHERE id IN "
                    "(SELECT unnest(?))", [fresh]).fetchall()
                mrows: list[tuple] = []
                if mfiles:
                    mrows = lake.execute(
                        f"SELECT {MENTION_COLUMNS} FROM read_parquet(?, union_by_name = true) "
                        "WHERE article_id IN (SELECT unnest(?)) "
                        "QUALIFY row_number() OVER (PARTITION BY id) = 1", [mfiles, fresh]
                    ).fetchall()
                keep = [(Article(id=r[0], source=r[1], url=r[2], published=r[3], section=r[4],
                                 headline=r[5], subheadlines=list(r[6] or []),
                                 authors=list(r[7] or []), language=r[8], text=r[9],
                                 origin=r[10]), []) for r in arts]
                store._copy_pg(keep, mrows)
                summary.mentions_new += len(mrows)
                new_ids += fresh
        summary.articles_new = len(new_ids)
        summary.articles_skipped = summary.articles_in_lake - summary.articles_new
        summary._new_ids = new_ids
    finally:
        lake.close()


def _load_duckdb(store: Store, afiles: list[str], mfiles: list[str], summary: LoadSummary,
                 dedup: bool) -> None:
    con = store.con
    was_empty = con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    con.execute("DROP TABLE IF EXISTS temp.lake_new")
    con.execute(
        "CREATE TEMP TABLE lake_new AS SELECT * FROM read_parquet(?, union_by_name = true) "
        "QUALIFY row_number() OVER (PARTITION BY id ORDER BY origin NULLS LAST, url NULLS LAST) = 1",
        [afiles],
    )
    summary.articles_in_lake = con.execute("SELECT count(*) FROM lake_new").fetchone()[0]
    con.execute("DELETE FROM lake_new WHERE id IN (SELECT id FROM articles)")
    summary.articles_new = con.execute("SELECT count(*) FROM lake_new").fetchone()[0]
    summary.articles_skipped = summary.articles_in_lake - summary.articles_new
    if summary.articles_new:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "INSERT INTO articles (id, source, url, published, section, headline, "
                "subheadlines, authors, language, text, origin, coded) "
                "SELECT id, source, url, published, section, headline, "
                "coalesce(to_json(subheadlines), '[]'), coalesce(to_json(authors), '[]'), "
                "language, text, origin, TRUE FROM lake_new"
            )
            before = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
            if mfiles:
                con.execute(
                    f"INSERT INTO mentions ({MENTION_COLUMNS}) SELECT {MENTION_COLUMNS} "
                    "FROM read_parquet(?, union_by_name = true) "
                    "WHERE article_id IN (SELECT id FROM lake_new) "
                    "QUALIFY row_number() OVER (PARTITION BY id) = 1 ON CONFLICT DO NOTHING",
                    [mfiles],
                )
            summary.mentions_new = con.execute("SELECT count(*) FROM mentions").fetchone()[0] - before
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    if dedup:
        # the new articles, and any mentions a killed earlier load (or ingest) stored
        # without getting to dedup: every rerun finishes them
        from dateline.dedup import finish_pending, update_events

        if was_empty and summary.articles_new:
            result = update_events(store, article_ids=None)
        else:
            result = finish_pending(store, [r[0] for r in con.execute(
                "SELECT id FROM lake_new").fetchall()])
        summary.events = _as_dict(result)
    con.execute("DROP TABLE IF EXISTS temp.lake_new")


def lake_store(lake_dir: str | os.PathLike) -> Store:
    """An in-memory Store holding the lake, deduplicated into events (``events --lake``)."""
    store = Store.open(":memory:")
    load_lake(store, lake_dir)
    return store


def _as_dict(obj: Any) -> dict[str, Any] | None:
    if obj is None:
        return None
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    try:
        return asdict(obj)
    except TypeError:
        return {"result": str(obj)}
