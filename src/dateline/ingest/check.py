"""Integrity check of a store: counts, orphans, duplicate ids, and a full read of
every table (so a damaged file shows up here, not in the middle of a query)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dateline.store import Store, _migrations

TABLES = ("articles", "mentions", "events")

# (name, SQL counting the rows with the problem, what it means)
CHECKS = (
    ("mentions_without_article",
     "SELECT count(*) FROM mentions m LEFT JOIN articles a ON a.id = m.article_id "
     "WHERE a.id IS NULL",
     "mentions whose article is missing"),
    ("mentions_without_event",
     "SELECT count(*) FROM mentions m LEFT JOIN events e ON e.id = m.event_id "
     "WHERE m.event_id IS NOT NULL AND e.id IS NULL",
     "mentions whose event is missing"),
    ("events_without_mentions",
     "SELECT count(*) FROM events e WHERE NOT EXISTS "
     "(SELECT 1 FROM mentions m WHERE m.event_id = e.id)",
     "events with no mentions"),
    ("duplicate_article_ids", "SELECT count(*) - count(DISTINCT id) FROM articles",
     "duplicate article ids"),
    ("duplicate_mention_ids", "SELECT count(*) - count(DISTINCT id) FROM mentions",
     "duplicate mention ids"),
    ("duplicate_event_ids", "SELECT count(*) - count(DISTINCT id) FROM events",
     "duplicate event ids"),
    ("articles_without_text", "SELECT count(*) FROM articles WHERE trim(text) = ''",
     "articles with an empty body"),
    ("mention_offsets_outside_text",
     "SELECT count(*) FROM mentions m JOIN articles a ON a.id = m.article_id "
     "WHERE m.char_start < 0 OR m.char_end > length(a.text) OR m.char_start > m.char_end",
     "mentions whose offsets fall outside their article's text"),
    ("invalid_mention_json",
     "SELECT count(*) FROM mentions WHERE NOT coalesce(json_valid(data), false)",
     "mentions whose JSON record is invalid"),
    ("invalid_event_json",
     "SELECT count(*) FROM events WHERE NOT coalesce(json_valid(data), false)",
     "events whose JSON record is invalid"),
)


@dataclass
class CheckReport:
    counts: dict[str, int] = field(default_factory=dict)
    checks: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    schema_version: int = 0
    schema_latest: int = 0
    # mentions stored without an event yet (a run killed before dedup), and their articles
    pending_mentions: int = 0
    pending_articles: int = 0

    @property
    def consistent(self) -> bool:
        """Nothing is damaged (work may still be pending)."""
        return not self.problems

    @property
    def ok(self) -> bool:
        """Consistent, and no mention waits for dedup."""
        return not self.problems and not self.pending_mentions

    @property
    def pending(self) -> str | None:
        """What waits, and how to finish it; None when nothing does."""
        if not self.pending_mentions:
            return None
        return (f"{self.pending_mentions:,} mentions of {self.pending_articles:,} articles "
                "wait for dedup (a run stopped before grouping them into events): finish "
                "them with `dateline check --finish`, or run the ingest or load again")

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "consistent": self.consistent, "counts": self.counts,
                "checks": self.checks, "problems": self.problems, "notes": self.notes,
                "pending": {"mentions": self.pending_mentions,
                            "articles": self.pending_articles, "detail": self.pending},
                "schema_version": self.schema_version, "schema_latest": self.schema_latest}


def _read_all(store: Store, table: str) -> int:
    """Read every row and column of a table; the number of rows read."""
    rows = 0
    reader = store.con.sql(f"SELECT * FROM {table}").to_arrow_reader(10_000)
    try:
        for batch in reader:
            rows += batch.num_rows
    finally:
        reader.close()
    return rows


def _scalar(store: Store, sql: str) -> int:
    return int(store.con.execute(sql).fetchall()[0][0])


def check_store(store: Store) -> CheckReport:
    """Run every check; ``report.problems`` lists what is wrong (empty when all is well).
    The checks read one snapshot (one read transaction), so writers working meanwhile
    (serve, watch, ingest) do not make the counts disagree."""
    from dateline.store.dialect import is_postgres

    con = store.con
    con.execute("BEGIN TRANSACTION")
    if is_postgres(con):
        con.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
    try:
        return _check_store(store)
    finally:
        con.execute("ROLLBACK")


def _check_store(store: Store) -> CheckReport:
    report = CheckReport(schema_latest=max(v for v, _, _ in _migrations()))
    try:
        report.schema_version = store.schema_version()
    except Exception as exc:  # noqa: BLE001  a damaged or foreign file: report, don't raise
        report.problems.append(f"no schema_migrations table: {exc}")
        return report
    present = {r[0] for r in store.con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    if report.schema_version < report.schema_latest:
        # a store created, or killed, before all migrations ran: consistent, and the next
        # command that writes (ingest…) applies the rest
        report.notes.append(f"schema version {report.schema_version} of "
                            f"{report.schema_latest}: the next write applies the rest")
        if not set(TABLES) <= present:
            return report
    for table in TABLES:
        try:
            report.counts[table] = _scalar(store, f"SELECT count(*) FROM {table}")
            read = _read_all(store, table)
        except Exception as exc:  # noqa: BLE001
            report.problems.append(f"cannot read table {table}: {exc}")
            continue
        if read != report.counts[table]:
            report.problems.append(f"table {table}: count(*) says {report.counts[table]}, "
                                   f"a full scan read {read}")
    for name, sql, meaning in CHECKS:
        try:
            n = _scalar(store, sql)
        except Exception as exc:  # noqa: BLE001
            report.problems.append(f"{meaning}: check failed: {exc}")
            continue
        report.checks[name] = n
        if n:
            report.problems.append(f"{n:,} {meaning}")
    try:
        report.pending_mentions, report.pending_articles = (int(v) for v in store.con.execute(
            "SELECT count(*), count(DISTINCT article_id) FROM mentions "
            "WHERE event_id IS NULL").fetchone())
    except Exception as exc:  # noqa: BLE001
        report.problems.append(f"mentions waiting for dedup: check failed: {exc}")
    return report
