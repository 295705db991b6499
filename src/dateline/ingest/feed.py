"""RSS/Atom feeds (feedparser): one Article per entry that carries a summary or content."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from dateline.ingest.base import ReadContext, build_article, join_paragraphs
from dateline.ingest.dates import parse_date
from dateline.ingest.html import fragment_paragraphs
from dateline.model import Article, ReadError


def _struct_time(value: Any) -> datetime | None:
    """feedparser's parsed dates are UTC struct_times."""
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
    except (OverflowError, ValueError, TypeError, OSError):
        return None


def _entry_text(entry: Any) -> str:
    best = ""
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if len(value) > len(best):
            best = value
    summary = entry.get("summary") or ""
    return best if len(best) >= len(summary) else summary


def read_feed(data: bytes, path: str = "<feed>",
              ctx: ReadContext | None = None) -> Iterator[Article | ReadError]:
    """Entries of an RSS or Atom document (bytes, so feedparser never fetches a URL)."""
    ctx = ctx or ReadContext.create()
    if isinstance(data, str):
        data = data.encode("utf-8")
    import feedparser  # heavy import: only when a feed is read

    try:
        parsed = feedparser.parse(data)
    except Exception as exc:  # feedparser wraps many parsers; none may escape  # noqa: BLE001
        yield ReadError(path, f"feed could not be parsed: {type(exc).__name__}: {exc}")
        return
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            yield ReadError(path, f"invalid feed XML: {parsed.get('bozo_exception')}")
        else:
            yield ReadError(path, "feed has no entries")
        return
    feed = parsed.get("feed") or {}
    feed_title = feed.get("title")
    feed_lang = feed.get("language")
    for i, entry in enumerate(entries, start=1):
        record = i
        body = _entry_text(entry)
        paragraphs = fragment_paragraphs(body) if body else []
        if not paragraphs:
            yield ReadError(path, "feed entry has no summary or content", record)
            continue
        published = (_struct_time(entry.get("published_parsed"))
                     or _struct_time(entry.get("updated_parsed"))
                     or parse_date(entry.get("published") or entry.get("updated")))
        authors = [a.get("name") for a in entry.get("authors") or [] if a.get("name")]
        if not authors and entry.get("author"):
            authors = [entry.get("author")]
        tags = [t.get("term") for t in entry.get("tags") or [] if t.get("term")]
        yield build_article(
            ctx, path=path, record=record, text=join_paragraphs(paragraphs),
            own_id=entry.get("id") or entry.get("link"), headline=entry.get("title"),
            source=(entry.get("source") or {}).get("title") or feed_title,
            url=entry.get("link"), published=published, section=tags[0] if tags else None,
            language=feed_lang, authors=authors,
        )
