"""The invariants each fuzz target must keep. A violated one raises AssertionError.

* readers: every item is an Article or a ReadError; an error is one non-empty line naming
  the input; an article has an id and a non-empty body in normal form, holds no character
  the store cannot keep, has one-line header fields, and goes into a real DuckDB store and
  comes back unchanged.
* date resolver: never raises; every date lies inside the text (``text[start:end] ==
  ref.text``), is a real date within the resolver's year range, with a known precision.
* coder: never raises; every mention's offsets (sentence, trigger, date, actors, place,
  attribution) lie inside the article text and point at the text they name; dates are
  valid ISO days; types, modalities and precisions come from the ontology; mention ids are
  unique and the JSON record round-trips.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from dateline.model import (
    DATE_PRECISIONS, EVENT_TYPES, MODALITIES, QUAD_CLASS, Article, Mention, ReadError,
    normalise_text,
)

REF_PRECISIONS = ("day", "week", "month", "year")


def storable(value: str, what: str) -> None:
    """DuckDB VARCHAR takes valid UTF-8; NUL and lone surrogates are cleaned by readers."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise AssertionError(f"{what} is not valid UTF-8: {exc}") from None
    assert "\x00" not in value, f"{what} holds NUL"


# -- readers --------------------------------------------------------------------------------
def check_read_items(items: Iterable[Any], name: str) -> list[Article]:
    """The reader-output invariants; the articles read."""
    arts: list[Article] = []
    for item in items:
        if isinstance(item, ReadError):
            line = str(item)
            assert item.reason and item.reason.strip(), f"empty reason: {item!r}"
            assert "\n" not in line and "\r" not in line, f"error spans lines: {line!r}"
            assert line.startswith(name), f"error does not name {name!r}: {line!r}"
            storable(line, "error line")
            continue
        assert isinstance(item, Article), f"reader yielded {type(item).__name__}"
        check_article(item, name)
        arts.append(item)
    ids = [a.id for a in arts]
    assert len(ids) == len(arts)
    return arts


def check_accounted(items: list[Any], records: int) -> None:
    """Nothing silently dropped: each of ``records`` input records gave an article or an
    error naming it, unless the whole input was refused with one error (binary...)."""
    arts = [x for x in items if isinstance(x, Article)]
    errors = [x for x in items if isinstance(x, ReadError)]
    whole = [e for e in errors if e.record in (None, "")]
    if records == 0 or (not arts and len(errors) == 1 and whole):
        assert not arts and len(errors) <= 1, (records, items)
        return
    assert not whole, f"file-level error beside records: {whole}"
    assert len(arts) + len(errors) == records, \
        f"{records} records in, {len(arts)} articles + {len(errors)} errors out"


def check_article(art: Article, name: str) -> None:
    assert isinstance(art.id, str) and art.id.strip(), f"empty id: {art.id!r}"
    assert isinstance(art.text, str) and art.text.strip(), "empty body"
    assert normalise_text(art.text) == art.text, "body is not in normal form"
    storable(art.id, "id")
    storable(art.text, "body")
    for field_name in ("headline", "source", "url", "section", "language"):
        value = getattr(art, field_name)
        if value is not None:
            assert isinstance(value, str) and value.strip(), f"blank {field_name}"
            assert "\n" not in value, f"{field_name} spans lines: {value!r}"
            storable(value, field_name)
    for value in (*art.subheadlines, *art.authors):
        assert isinstance(value, str) and "\n" not in value and value.strip()
        storable(value, "subheadline/author")
    assert art.published is None or isinstance(art.published, datetime)
    assert art.origin and art.origin.startswith(name), f"origin {art.origin!r} vs {name!r}"


def check_store_round_trip(store: Any, arts: list[Article]) -> None:
    """The articles go into the store and come back as they were."""
    if not arts:
        return
    ids = list(dict.fromkeys(a.id for a in arts))
    store.con.execute("DELETE FROM articles WHERE id IN (SELECT unnest(?))", [ids])
    result = store.add_articles_bulk([(a, None) for a in arts])
    assert result.new == len(ids) and result.new + result.duplicate == len(arts)
    first = {}
    for a in arts:
        first.setdefault(a.id, a)
    for art_id, art in first.items():
        back = store.get_article(art_id)
        assert back is not None, f"article {art_id!r} not stored"
        for field_name in ("text", "headline", "source", "url", "section", "language",
                           "subheadlines", "authors", "origin"):
            assert getattr(back, field_name) == getattr(art, field_name), field_name
        if art.published is None:
            assert back.published is None
        else:
            assert back.published is not None, "publication time lost"
            assert _gap(art.published, back.published) <= timedelta(hours=28), \
                (art.published, back.published)


def _gap(a: datetime, b: datetime) -> timedelta:
    """The difference of two times; exact when both carry an offset, else up to the
    offsets (a naive time is read in the database session's zone)."""
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    elif a.tzinfo is not None:
        assert a == b, (a, b)
    return abs(a - b)


# -- date resolver --------------------------------------------------------------------------
def check_date_refs(refs: list, text: str, min_year: int, max_year: int) -> None:
    assert isinstance(refs, list)
    for ref in refs:
        assert 0 <= ref.start < ref.end <= len(text), (ref.start, ref.end, len(text))
        assert text[ref.start:ref.end] == ref.text, (ref.text, text[ref.start:ref.end])
        assert type(ref.date) is date, f"not a date: {ref.date!r}"
        assert min_year <= ref.date.year <= max_year, ref.date
        assert ref.precision in REF_PRECISIONS, ref.precision
        if ref.range_end is not None:
            assert type(ref.range_end) is date and min_year <= ref.range_end.year <= max_year
        date.fromisoformat(ref.date.isoformat())


# -- coder ----------------------------------------------------------------------------------
def _span(text: str, start: int | None, end: int | None, expected: str | None,
          what: str) -> None:
    if start is None and end is None:
        return
    assert start is not None and end is not None, f"{what}: one offset missing"
    assert 0 <= start <= end <= len(text), f"{what} [{start}, {end}) outside 0..{len(text)}"
    if expected is not None:
        assert text[start:end] == expected, f"{what}: {text[start:end]!r} != {expected!r}"


def check_mentions(art: Article, mentions: list[Mention]) -> None:
    ids = [m.id for m in mentions]
    assert len(ids) == len(set(ids)), "two mentions share an id (one would be dropped)"
    lines = {"body": [art.text], "headline": [art.headline or ""],
             "subheadline": list(art.subheadlines)}
    for m in mentions:
        assert m.article_id == art.id
        assert m.part in lines, m.part
        assert (m.sentence_index >= 0) == (m.part == "body"), (m.part, m.sentence_index)
        # a header part's offsets count from the start of its own line
        text = next((t for t in lines[m.part] if t[m.char_start:m.char_end] == m.sentence),
                    lines[m.part][0] if lines[m.part] else "")
        _span(text, m.char_start, m.char_end, m.sentence, "sentence")
        _span(text, m.trigger_start, m.trigger_end, m.trigger, "trigger")
        if m.trigger_start is not None:
            assert m.char_start <= m.trigger_start <= m.trigger_end <= m.char_end, \
                "trigger outside its sentence"
        _span(text, m.date_start, m.date_end, m.date_text, "date")
        for role, refs in (("actor", m.actor), ("recipient", m.recipient)):
            for ref in refs:
                _span(text, ref.start, ref.end, ref.text, role)
        if m.location is not None:
            _span(text, m.location.start, m.location.end, m.location.text, "place")
            for v, lo, hi in ((m.location.lat, -90, 90), (m.location.lon, -180, 180)):
                assert v is None or (math.isfinite(v) and lo <= v <= hi), "bad coordinate"
        if m.attribution is not None and m.attribution.actor is not None:
            a = m.attribution.actor
            _span(text, a.start, a.end, a.text, "attribution")
        assert m.event_type in EVENT_TYPES, m.event_type
        assert m.quad_class == QUAD_CLASS[m.event_type]
        assert m.modality in MODALITIES, m.modality
        assert m.date_precision in DATE_PRECISIONS, m.date_precision
        if m.date is not None:
            day = date.fromisoformat(m.date)
            assert 1 <= day.year <= 9999
        else:
            assert m.date_precision == "unknown" and art.published is None, \
                "a mention without a date must be one of an undated article, its date unknown"
        assert 0.0 <= m.confidence <= 1.0 and math.isfinite(m.confidence)
        assert all(isinstance(v, int) and v >= 0 for v in m.size.values()), m.size
        record = json.loads(json.dumps(m.to_dict()))
        assert Mention.from_dict(record).to_dict() == m.to_dict(), "JSON round trip"
        storable(json.dumps(m.to_dict(), ensure_ascii=False), "mention JSON")
