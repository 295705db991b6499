"""Reading events: pages with cursors, full streams for exports, one event with its mentions."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import duckdb

from dateline.query import cursor as cursors
from dateline.query.db import Db, connection, dialect_of, open_stream
from dateline.query.filters import EventQuery
from dateline.query.search import search_ready
from dateline.query.sql import SORT_COLUMNS, Where, after, check_key, event_where, order_by


@dataclass
class Page:
    """One page of results; ``next_cursor`` is None on the last page. Items are dicts, or
    the stored JSON text when asked for ``raw``."""

    items: list[Any]
    next_cursor: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "next_cursor": self.next_cursor, "count": len(self.items)}


def where_for(db: Db, q: EventQuery) -> Where:
    """The WHERE of ``q``'s filters on this store (text and actor filters use the
    precomputed search columns when every event has them). Actor names are resolved
    through the actor dictionaries first (``dateline.query.actors``: ISIS -> Islamic State)."""
    from dateline.query.actors import expand

    q = expand(q)
    wants = q.q or any(t.kind in ("auto", "name") for t in (*q.actor, *q.recipient))
    return event_where(q, search_ready(db) if wants else False, dialect_of(db))


def _select(db: Db, q: EventQuery, columns: str) -> tuple[str, list[Any]]:
    w = where_for(db, q)
    where, params = w.sql(), list(w.params)
    if q.cursor:
        key, row_id = cursors.decode(q.cursor, q.fingerprint())
        cond, extra = after(q, check_key(q, key), row_id)
        where += f" AND ({cond})"
        params += extra
    sql = f"SELECT {columns} FROM events WHERE {where} ORDER BY {order_by(q)}"
    if q.limit is not None:
        sql += " LIMIT ?"
        params.append(q.limit)
    return sql, params


def search_events(db: Db, q: EventQuery, raw: bool = False) -> Page:
    """One page of events matching ``q`` in its sort order (``q.limit`` None: all).

    Two steps: the ids and sort keys of the page (a scan over narrow columns), then the
    JSON records of just those ids (index lookups), so wide records are never sorted."""
    con = connection(db)
    key_col = SORT_COLUMNS[q.sort_field]
    probe = q if q.limit is None else replace(q, limit=q.limit + 1)
    sql, params = _select(db, probe, f"id, {key_col}")
    keys = con.execute(sql, params).fetchall()
    next_cursor = None
    if q.limit is not None and len(keys) > q.limit:
        keys = keys[: q.limit]
        next_cursor = cursors.encode(q.fingerprint(), keys[-1][1], keys[-1][0])
    records: dict[str, str] = {}
    ids = [k[0] for k in keys]
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        records.update(con.execute(
            f"SELECT id, data FROM events WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk).fetchall())
    items = [records[i] if raw else json.loads(records[i]) for i in ids if i in records]
    return Page(items, next_cursor)


def event_cursor(db: Db, q: EventQuery, columns: str) -> duckdb.DuckDBPyConnection:
    """A fresh cursor that has run ``SELECT columns FROM events`` with the filters and order
    of ``q`` (and its limit, if set). ``columns`` must be fixed column expressions, never
    user text. The caller fetches from it and closes it."""
    sql, params = _select(db, q, columns)
    return open_stream(db, sql, params)


def event_relation(db: Db, q: EventQuery, columns: str) -> duckdb.DuckDBPyRelation:
    """The same selection as ``event_cursor`` as a lazy DuckDB relation (for Arrow output:
    ``.to_arrow_reader(n)``)."""
    sql, params = _select(db, q, columns)
    return connection(db).sql(sql, params=params)


def iter_events(db: Db, q: EventQuery, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Every event matching ``q`` (up to ``q.limit`` if set), streamed in order."""
    cur = event_cursor(db, q, "data")
    try:
        while rows := cur.fetchmany(batch):
            for (data,) in rows:
                yield json.loads(data)
    finally:
        cur.close()


def iter_with_mentions(db: Db, q: EventQuery, batch: int = 500
                       ) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(event, its mentions with article metadata) for every event matching ``q``."""
    cur = event_cursor(db, q, "data")
    try:
        while rows := cur.fetchmany(batch):
            events = [json.loads(data) for (data,) in rows]
            mentions = mentions_for_events(db, [e["id"] for e in events])
            for e in events:
                yield e, mentions.get(e["id"], [])
    finally:
        cur.close()


def count_events(db: Db, q: EventQuery) -> int:
    w = where_for(db, q)
    return connection(db).execute(f"SELECT count(*) FROM events WHERE {w.sql()}",
                                  w.params).fetchone()[0]


def get_event(db: Db, event_id: str) -> dict[str, Any] | None:
    row = connection(db).execute("SELECT data FROM events WHERE id = ?", [event_id]).fetchone()
    return json.loads(row[0]) if row else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def mentions_for_events(db: Db, event_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The mentions of each event (Mention.to_dict shape), each with ``article``: id,
    headline, source, published, url, length (characters of body text). Ordered by
    publication, then position in the text."""
    out: dict[str, list[dict[str, Any]]] = {e: [] for e in event_ids}
    if not event_ids:
        return out
    rows = connection(db).execute(
        "SELECT m.data, m.event_id, a.id, a.headline, a.source, a.published, a.url, "
        "length(a.text) FROM mentions m JOIN articles a ON a.id = m.article_id "
        "WHERE m.event_id IN (SELECT unnest(?)) "
        "ORDER BY a.published NULLS LAST, m.article_id, m.sentence_index, m.char_start, m.id",
        [list(event_ids)],
    ).fetchall()
    for data, event_id, aid, headline, source, published, url, length in rows:
        m = json.loads(data)
        m["event_id"] = event_id
        m["article"] = {"id": aid, "headline": headline, "source": source,
                        "published": _iso(published), "url": url, "length": length}
        out[event_id].append(m)
    return out


def article_refs(db: Db, article_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """id -> {id, headline, source, published, url, length} for the given articles."""
    if not article_ids:
        return {}
    rows = connection(db).execute(
        "SELECT id, headline, source, published, url, length(text) FROM articles "
        "WHERE id IN (SELECT unnest(?))", [list(article_ids)]).fetchall()
    return {r[0]: {"id": r[0], "headline": r[1], "source": r[2], "published": _iso(r[3]),
                   "url": r[4], "length": r[5]} for r in rows}


def event_detail(db: Db, event_id: str) -> dict[str, Any] | None:
    """One event with ``mentions``: every mention (sentence, offsets, actors...) and its
    article's metadata. None if there is no such event."""
    event = get_event(db, event_id)
    if event is None:
        return None
    event["mentions"] = mentions_for_events(db, [event_id])[event_id]
    return event
