"""Coding one text as an article, shared by the coder rule tests of rounds 8 and 9."""

from __future__ import annotations

from datetime import datetime, timezone

from dateline.model import Article

PUBLISHED = datetime(2011, 9, 16, tzinfo=timezone.utc)


def code(coder, text: str, published: datetime = PUBLISHED):
    return coder.code_article(Article(id="t", text=text, published=published))


def types(coder, text: str) -> list[str]:
    return [m.event_type for m in code(coder, text)]


def first(coder, text: str, event_type: str, published: datetime = PUBLISHED):
    found = [m for m in code(coder, text, published) if m.event_type == event_type]
    assert found, [(m.event_type, m.trigger) for m in code(coder, text, published)]
    return found[0]
