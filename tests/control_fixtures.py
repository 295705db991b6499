"""Helpers shared by the control-claim tests."""

from __future__ import annotations

from datetime import datetime

from dateline.model import Article


def claims_of(reader, text: str, published: str = "2016-12-07") -> list[tuple]:
    """(kind, place, within, holder code, share) of each claim the reader finds in ``text``."""
    art = Article(id="t", text=text, published=datetime.fromisoformat(published))
    return [(c.kind, c.place.name, c.place.within, c.holder.code, c.share)
            for c in reader.read([art])]
