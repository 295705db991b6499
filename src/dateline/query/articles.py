"""Reading articles: pages of metadata (newest first, cursor paginated) and one article with
its mentions."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from dateline.query import cursor as cursors
from dateline.query.db import Db, connection
from dateline.query.events import Page
from dateline.query.filters import ArticleQuery
from dateline.query.params import QueryError
from dateline.query.sql import article_where

# Articles without a publication time sort as the oldest.
_KEY = "coalesce(published, TIMESTAMPTZ '0001-01-01 00:00:00+00')"
_META = "id, headline, source, url, published, section, language, coded, origin, ingested_at"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _meta(row: tuple) -> dict[str, Any]:
    aid, headline, source, url, published, section, language, coded, origin, ingested = row
    return {"id": aid, "headline": headline, "source": source, "url": url,
            "published": _iso(published), "section": section, "language": language,
            "coded": bool(coded), "origin": origin, "ingested_at": _iso(ingested)}


def list_articles(db: Db, q: ArticleQuery) -> Page:
    """Article metadata (no body text) with ``mentions`` and ``events`` counts, newest
    first."""
    w = article_where(q)
    where, params = w.sql(), list(w.params)
    if q.cursor:
        key, row_id = cursors.decode(q.cursor, q.fingerprint())
        if not isinstance(key, str):
            raise QueryError("cursor", "cursor does not fit the sort order")
        try:
            key_time = datetime.fromisoformat(key)
        except ValueError:
            raise QueryError("cursor", "not a cursor from a previous page") from None
        where += f" AND ({_KEY} < ? OR ({_KEY} = ? AND id < ?))"
        params += [key_time, key_time, row_id]
    sql = (f"SELECT {_META}, {_KEY} AS k FROM articles WHERE {where} "
           f"ORDER BY k DESC, id DESC")
    if q.limit is not None:
        sql += " LIMIT ?"
        params.append(q.limit + 1)
    con = connection(db)
    rows = con.execute(sql, params).fetchall()
    next_cursor = None
    if q.limit is not None and len(rows) > q.limit:
        rows = rows[: q.limit]
        last_key = rows[-1][-1]
        if last_key.tzinfo is None:
            last_key = last_key.replace(tzinfo=timezone.utc)
        next_cursor = cursors.encode(q.fingerprint(), last_key.isoformat(), rows[-1][0])
    items = [_meta(r[:-1]) for r in rows]
    counts = _mention_counts(db, [i["id"] for i in items])
    for item in items:
        item["mentions"], item["events"] = counts.get(item["id"], (0, 0))
    return Page(items, next_cursor)


def _mention_counts(db: Db, ids: list[str]) -> dict[str, tuple[int, int]]:
    if not ids:
        return {}
    rows = connection(db).execute(
        "SELECT article_id, count(*), count(DISTINCT event_id) FROM mentions "
        "WHERE article_id IN (SELECT unnest(?)) GROUP BY article_id", [ids]).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def article_detail(db: Db, article_id: str) -> dict[str, Any] | None:
    """One article: metadata, subheadlines, authors, body text, and its mentions (each with
    its ``event_id``). None if there is no such article."""
    con = connection(db)
    row = con.execute(f"SELECT {_META}, subheadlines, authors, text FROM articles "
                      "WHERE id = ?", [article_id]).fetchone()
    if row is None:
        return None
    out = _meta(row[:10])
    out["subheadlines"] = json.loads(row[10] or "[]")
    out["authors"] = json.loads(row[11] or "[]")
    out["text"] = row[12]
    mentions = []
    for data, event_id in con.execute(
            "SELECT data, event_id FROM mentions WHERE article_id = ? "
            "ORDER BY sentence_index, char_start, id", [article_id]).fetchall():
        m = json.loads(data)
        m["event_id"] = event_id
        mentions.append(m)
    out["mentions"] = mentions
    out["event_ids"] = sorted({m["event_id"] for m in mentions if m["event_id"]})
    return out
