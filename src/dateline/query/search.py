"""The precomputed full-text column ``events.search_text`` (migration 004_query_search).

It holds an event's sentence and its mentions' sentences, folded (lower case, no accents),
so a text filter is one ``contains`` over one column. Rows written later (dedup rewrites
events without it) have NULL there: ``search_ready`` tells the query layer whether it can
rely on the column, and ``refresh_search`` fills the NULLs (call it after writing events;
``dateline serve`` does at start and after every POST).
"""

from __future__ import annotations

import duckdb

from dateline.query.db import Db, connection

FOLD = "strip_accents(lower({}))"

_REFRESH = f"""
UPDATE events SET search_text = s.text
FROM (
    SELECT e.id,
           {FOLD.format("concat_ws(' | ', any_value(e.sentence), string_agg(m.sentence, ' | ' "
                        "ORDER BY m.article_id, m.sentence_index, m.id))")} AS text
    FROM events e LEFT JOIN mentions m ON m.event_id = e.id
    WHERE e.search_text IS NULL
    GROUP BY e.id
) s
WHERE events.id = s.id
"""


def has_search_column(db: Db) -> bool:
    return bool(connection(db).execute(
        "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'events' "
        "AND column_name = 'search_text' AND schema_name = 'main'").fetchone()[0])


def search_ready(db: Db) -> bool:
    """True when every event has its search_text (so text filters may use it alone)."""
    try:
        row = connection(db).execute(
            "SELECT EXISTS (SELECT 1 FROM events WHERE search_text IS NULL)").fetchone()
    except duckdb.BinderException:  # a store from before migration 004, opened read-only
        return False
    return not row[0]


def refresh_search(db: Db) -> int:
    """Compute search_text where it is missing; the number of events updated."""
    if not has_search_column(db):
        return 0
    con = connection(db)
    missing = con.execute("SELECT count(*) FROM events WHERE search_text IS NULL").fetchone()[0]
    if missing:
        con.execute(_REFRESH)
    return int(missing)
