"""The records of the control stage: an area, a control claim, a running figure.

Plain dataclasses with ``to_dict`` (the JSON of ``dateline control --json``, ``GET /control``
and ``dateline figures --json``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from dateline.dedup.rules import fold
from dateline.model import stable_id


@dataclass
class Area:
    """A place claims are about: a gazetteer place, or a place the gazetteer lacks (a
    neighbourhood, a district, a compass part of a city) kept under its city (``within``)."""

    name: str  # "Shaar", "east Aleppo", "Aleppo"
    within: str | None = None  # the city or region it lies in ("Aleppo")
    country: str | None = None  # ISO3
    feature: str | None = None  # city, admin1, country (gazetteer); local; part
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    text: str | None = None  # as written

    @property
    def key(self) -> str:
        """Areas with the same key are one area: the folded name under the folded city."""
        return f"{fold(self.within)}/{fold(self.name)}" if self.within else fold(self.name)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "key": self.key}


@dataclass
class Holder:
    code: str | None
    country: str | None = None
    sector: str | None = None
    name: str | None = None
    text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def label(self) -> str:
        if self.code and self.name and self.name.lower() not in (self.text or "").lower():
            return f"{self.code} ({self.name})"
        if self.code:
            return self.code + (f" ({self.text})" if self.text else "")
        return self.name or self.text or "?"


@dataclass
class ControlClaim:
    """One claim of who holds (took, lost, besieges) a place, from one sentence.

    ``kind``: capture (``holder`` holds the place from ``from_date``), loss (``holder`` no
    longer holds it), siege (``holder`` besieges it: contested, the holder outside), hold
    (``holder`` holds it on ``from_date``). ``share``: the fraction of the area the claim is
    about ("70 percent of east Aleppo" = 0.7 of east Aleppo)."""

    kind: str
    place: Area
    holder: Holder
    from_date: str | None  # ISO day (the first day of a coarser period)
    date_precision: str  # day, week, month, year, publication, undated
    article_id: str
    sentence: str
    sentence_index: int
    char_start: int  # offsets of the sentence in the article body (header lines: in the line)
    char_end: int
    trigger: str
    trigger_start: int  # offsets into the body, like a mention's
    trigger_end: int
    confidence: float = 0.5
    date_text: str | None = None
    since: str | None = None  # "held since 2012": the day the holding began
    share: float | None = None
    source: str | None = None  # who the sentence says made the claim
    publisher: str | None = None  # the article's source
    published: str | None = None  # the article's day
    headline: str | None = None
    mention_ids: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    id: str | None = None

    def __post_init__(self) -> None:
        if self.id is None:
            self.id = stable_id("control", self.article_id, self.sentence_index,
                                self.trigger_start, self.kind, self.place.key, self.holder.code)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["place"] = self.place.to_dict()
        return d


@dataclass
class Figure:
    """A running figure: a cumulative count or a share, dated and attributed.

    "More than 300,000 people have since died" (war since 2011, article of 2016-12-07):
    quantity 300000, qualifier "more than", unit person, what dead, since 2011-01-01,
    as_of 2016-12-07."""

    quantity: float
    unit: str  # person, family, percent, ...
    what: str  # dead, injured, displaced, refugees, detained, missing, share, ...
    as_of: str | None  # ISO day the figure is given for (the article's, unless dated)
    article_id: str
    sentence: str
    sentence_index: int
    char_start: int
    char_end: int
    text: str  # the figure as written
    start: int  # offsets of ``text`` in the body
    end: int
    qualifier: str | None = None  # more than, at least, about, ...
    place: Area | None = None
    country: str | None = None
    since: str | None = None  # ISO day the count runs from
    since_text: str | None = None
    of: str | None = None  # for shares: what it is a share of
    source: str | None = None  # the sentence's attribution, else the publisher
    publisher: str | None = None
    published: str | None = None
    headline: str | None = None
    mention_ids: list[str] = field(default_factory=list)
    id: str | None = None

    def __post_init__(self) -> None:
        if self.id is None:
            self.id = stable_id("figure", self.article_id, self.start, self.what)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["place"] = self.place.to_dict() if self.place else None
        return d
