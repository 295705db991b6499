"""Counts over the events a query selects: by type, country and month; top dyads; timeline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dateline.model import EVENT_TYPES
from dateline.query.db import Db, connection
from dateline.query.filters import EventQuery
from dateline.query.events import where_for

MAX_FILLED_BUCKETS = 5000


def _counts(db: Db, q: EventQuery, expr: str, top: int | None, order: str = "n DESC, k"
            ) -> list[tuple[Any, int]]:
    w = where_for(db, q)
    sql = (f"SELECT {expr} AS k, count(*) AS n FROM events WHERE {w.sql()} "
           f"GROUP BY k ORDER BY {order}")
    params = list(w.params)
    if top is not None:
        sql += " LIMIT ?"
        params.append(top)
    return connection(db).execute(sql, params).fetchall()


def stats(db: Db, q: EventQuery, top: int = 20) -> dict[str, Any]:
    """Totals and counts by type, country (top ``top``), month, plus the top dyads."""
    w = where_for(db, q)
    total, mentions = connection(db).execute(
        f"SELECT count(*), coalesce(sum(num_mentions), 0) "
        f"FROM events WHERE {w.sql()}", w.params).fetchone() or (0, 0)
    span = connection(db).execute(
        f"SELECT min(date), max(date) FROM events WHERE {w.sql()}", w.params).fetchone()
    return {
        "total": total,
        "mentions": int(mentions),
        "first_date": span[0].isoformat() if span[0] else None,
        "last_date": span[1].isoformat() if span[1] else None,
        "by_type": [{"type": k, "count": n} for k, n in _counts(db, q, "event_type", None)],
        "by_country": [{"country": k, "count": n}
                       for k, n in _counts(db, q, "country", top)],
        "by_month": [{"month": k, "count": n}
                     for k, n in _counts(db, q, "strftime(date, '%Y-%m')", None, "k NULLS LAST")],
        "dyads": dyads(db, q, top=top),
    }


def dyads(db: Db, q: EventQuery, top: int = 20, level: str = "code") -> list[dict[str, Any]]:
    """The most frequent actor -> recipient pairs among the selected events, by full actor
    code or by country. An event with two actors and one recipient counts for both pairs."""
    if level not in ("code", "country"):
        raise ValueError(f"level must be code or country, not {level!r}")
    acol, rcol = ("actor_codes", "recipient_codes") if level == "code" else (
        "actor_countries", "recipient_countries")
    w = where_for(db, q)
    sql = (
        f"WITH f AS (SELECT id, list_distinct({acol}) AS a, list_distinct({rcol}) AS r "
        f"FROM events WHERE {w.sql()} AND len({acol}) > 0 AND len({rcol}) > 0), "
        "pairs AS (SELECT id, unnest(a) AS actor, r FROM f) "
        "SELECT actor, recipient, count(DISTINCT id) AS n "
        "FROM (SELECT id, actor, unnest(r) AS recipient FROM pairs) AS p "
        "GROUP BY actor, recipient ORDER BY n DESC, actor, recipient LIMIT ?"
    )
    rows = connection(db).execute(sql, [*w.params, top]).fetchall()
    return [{"actor": a, "recipient": r, "count": n} for a, r, n in rows]


def _next(start: date, interval: str) -> date:
    """Start of the following bucket (date.max at the end of the calendar)."""
    try:
        if interval == "day":
            return start + timedelta(days=1)
        if interval == "week":
            return start + timedelta(days=7)
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    except (OverflowError, ValueError):
        return date.max


def timeline(db: Db, q: EventQuery, interval: str = "month") -> dict[str, Any]:
    """Counts per day, ISO week or month, stacked by event type; empty buckets between the
    first and last are filled with zeros (unless that would make too many)."""
    if interval not in ("day", "week", "month"):
        raise ValueError(f"interval must be day, week or month, not {interval!r}")
    w = where_for(db, q)
    rows = connection(db).execute(
        f"SELECT CAST(date_trunc('{interval}', date) AS DATE) AS start, event_type, count(*) "
        f"FROM events WHERE {w.sql()} AND date IS NOT NULL GROUP BY 1, 2 ORDER BY start",
        w.params).fetchall()
    buckets: dict[date, dict[str, int]] = {}
    for start, event_type, n in rows:
        buckets.setdefault(start, {})[event_type] = n
    if buckets:
        first, last = min(buckets), max(buckets)
        filled: dict[date, dict[str, int]] = {}
        cur = first
        while cur <= last and len(filled) <= MAX_FILLED_BUCKETS:
            filled[cur] = buckets.get(cur, {})
            if cur == date.max:
                break
            cur = _next(cur, interval)
        if len(filled) <= MAX_FILLED_BUCKETS:
            buckets = filled
    present = {t for counts in buckets.values() for t in counts}
    types = [t for t in EVENT_TYPES if t in present] + sorted(present - set(EVENT_TYPES))
    out = []
    for start in sorted(buckets):
        counts = buckets[start]
        nxt = _next(start, interval)
        end = nxt if nxt == date.max else nxt - timedelta(days=1)
        out.append({"start": start.isoformat(), "end": end.isoformat(),
                    "total": sum(counts.values()), "counts": counts})
    return {"interval": interval, "types": types, "buckets": out}
