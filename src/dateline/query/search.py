"""The precomputed search columns of ``events`` (migrations 004 and 005, query_*).

- ``search_text``: the event's sentence and its mentions' sentences, folded (lower case, no
  accents), so a text filter is one ``contains`` over one column;
- ``actor_keys`` / ``recipient_keys``: ``|code|country|sector|…|`` of the side, and
  ``actor_names_text`` / ``recipient_names_text``: its names between ``\x1f``, so an actor
  filter reads one string instead of four lists.

Rows written later (dedup rewrites events without them) have NULL there: ``search_ready``
tells the query layer whether it can rely on the columns, and ``refresh_search`` fills the
NULLs (call it after writing events; ``dateline serve`` does at start and after every POST).
"""

from __future__ import annotations

from dateline.query.db import Db, connection, undefined_column_errors
from dateline.store import store_lock

FOLD = "strip_accents(lower({}))"

NAME_SEP = "chr(31)"
_EMPTY = "CAST(ARRAY[] AS VARCHAR[])"  # an empty list, spelt so both dialects read it


def _keys(side: str) -> str:
    lists = ", ".join(f"coalesce({side}_{c}, {_EMPTY})" for c in ("codes", "countries",
                                                                     "sectors"))
    return f"'|' || array_to_string(list_distinct(list_concat({lists})), '|') || '|'"


def _names(side: str) -> str:
    return (f"{NAME_SEP} || array_to_string(coalesce({side}_names, {_EMPTY}), {NAME_SEP}) || "
            f"{NAME_SEP}")


_MISSING = "search_text IS NULL OR actor_keys IS NULL"
_REFRESH = f"""
UPDATE events SET search_text = s.text, actor_keys = {_keys("events.actor")},
    actor_names_text = {_names("events.actor")}, recipient_keys = {_keys("events.recipient")},
    recipient_names_text = {_names("events.recipient")}
FROM (
    SELECT e.id,
           {FOLD.format("concat_ws(' | ', min(e.sentence), string_agg(m.sentence, ' | ' "
                        "ORDER BY m.article_id, m.sentence_index, m.id))")} AS text
    FROM events e LEFT JOIN mentions m ON m.event_id = e.id
    WHERE e.search_text IS NULL OR e.actor_keys IS NULL
    GROUP BY e.id
) s
WHERE events.id = s.id
"""


def has_search_columns(db: Db) -> bool:
    return connection(db).execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'events' "
        "AND column_name IN ('search_text', 'actor_keys') AND table_schema = current_schema()"
    ).fetchone()[0] == 2


def search_ready(db: Db) -> bool:
    """True when every event has its search columns (so filters may use them alone)."""
    try:
        row = connection(db).execute(
            f"SELECT EXISTS (SELECT 1 FROM events WHERE {_MISSING})").fetchone()
    except undefined_column_errors():  # a store from before migration 005, opened read-only
        return False
    return not row[0]


def refresh_search(db: Db) -> int:
    """Compute the search columns where they are missing; the number of events updated."""
    if not has_search_columns(db):
        return 0
    con = connection(db)
    missing = con.execute(f"SELECT count(*) FROM events WHERE {_MISSING}").fetchone()[0]
    if missing:
        with store_lock(con, "dedup"):  # not beside another process's dedup (DuckDB)
            con.execute(_REFRESH)
    return int(missing)
