"""An actor's page (``profile``): its dictionary entry, its events as actor and as recipient,
those over time and its top counterparts. Apart from ``query.actors`` (name look-ups), which
``query.events`` uses, so that the import graph stays without cycles."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dateline.query.actors import ActorIndex, current_index
from dateline.query.aggregate import timeline
from dateline.query.db import connection
from dateline.query.events import count_events, where_for
from dateline.query.params import parse_actors


def profile(db: Any, name: str, q: Any, interval: str = "month", top: int = 10,
            index: ActorIndex | None = None) -> dict[str, Any] | None:
    """An actor's page: its dictionary entry, the names it resolves to, its events as actor
    and as recipient (within the other filters of ``q``), those events over time by type, and
    its most frequent counterparts (recipients of what it did, actors of what was done to
    it). None when neither the dictionaries nor the store know the name."""
    index = index or current_index()
    term = parse_actors("actor", name)
    resolved = index.resolve(name, q.since, q.until)
    base = replace(q, actor=(), recipient=(), cursor=None, limit=None, sort="-date")
    as_actor = replace(base, actor=term)
    as_recipient = replace(base, recipient=term)
    n_actor = count_events(db, as_actor)
    n_recipient = count_events(db, as_recipient)
    entry = index.entry(name)
    if entry is None and resolved.entries:
        entry = resolved.entries[0]
    if entry is None and not n_actor and not n_recipient:
        return None

    def counterparts(query: Any, column: str, codes: str) -> list[dict[str, Any]]:
        w = where_for(db, query)
        rows = connection(db).execute(
            f"SELECT name, count(DISTINCT id) AS n, any_value(code) FROM (SELECT id, "
            f"unnest({column}) AS name, unnest({codes}) AS code FROM events "
            f"WHERE {w.sql()}) GROUP BY name ORDER BY n DESC, name LIMIT ?",
            [*w.params, top]).fetchall()
        return [{"name": n, "events": c, "code": code} for n, c, code in rows]

    def codes_of(query: Any, side: str) -> list[dict[str, Any]]:
        w = where_for(db, query)
        rows = connection(db).execute(
            f"SELECT code, count(DISTINCT id) AS n FROM (SELECT id, unnest({side}_codes) AS "
            f"code FROM events WHERE {w.sql()}) GROUP BY code ORDER BY n DESC, code LIMIT ?",
            [*w.params, top]).fetchall()
        return [{"code": c, "events": n} for c, n in rows]

    line_actor = timeline(db, as_actor, interval)
    line_recipient = timeline(db, as_recipient, interval)
    return {
        "name": name,
        "resolved": resolved.names,
        "why": resolved.why,
        "entry": entry,
        "events_as_actor": n_actor,
        "events_as_recipient": n_recipient,
        "codes": codes_of(as_actor, "actor"),
        "recipients": counterparts(as_actor, "recipient_names", "recipient_codes"),
        "actors": counterparts(as_recipient, "actor_names", "actor_codes"),
        "timeline": {"as_actor": line_actor, "as_recipient": line_recipient},
    }
