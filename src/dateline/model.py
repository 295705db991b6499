"""The types every stage exchanges: Article, ReadError, Mention and its parts, Event.

Plain dataclasses. ``to_dict``/``from_dict`` give the one JSON shape used by the
``dateline code`` output, the mentions table and the HTTP API.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from types import MappingProxyType
from datetime import date as _date  # Mention.date (a field) hides the type in its body
from typing import Any

from dateline.event_types import event_types

# derived from data/event_types.tsv (see dateline.event_types), in the table's order
EVENT_TYPES = tuple(event_types())
QUAD_CLASS = MappingProxyType({name: t.quad for name, t in event_types().items()})
MODALITIES = ("asserted", "planned", "hypothetical", "conditional")
# "publication": the article's day, for want of a date in the text; "unknown": neither
DATE_PRECISIONS = ("day", "story", "week", "month", "year", "decade", "publication", "unknown")


def normalise_text(text: str) -> str:
    """Unicode NFC, unified newlines, collapsed runs of spaces: the form that is hashed."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()


_FIELD_NAMES: dict[type, frozenset[str]] = {}


def _field_names(cls: type) -> frozenset[str]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))
    return names


def stable_id(*parts: Any, length: int = 16) -> str:
    """A short hex digest of the parts: the same input always gives the same id."""
    h = hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]


@dataclass
class Article:
    """One news article as every reader produces it.

    ``text`` is the body: the paragraphs joined by a blank line. Headline and
    subheadlines are kept apart so they never glue onto the first sentence;
    all mention offsets point into ``text``.
    """

    id: str
    text: str
    headline: str | None = None
    subheadlines: list[str] = field(default_factory=list)
    source: str | None = None
    url: str | None = None
    published: datetime | None = None
    section: str | None = None
    language: str | None = None
    authors: list[str] = field(default_factory=list)
    origin: str | None = None  # file (and record) the article was read from

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]

    @staticmethod
    def make_id(source: str | None, text: str) -> str:
        """The id of an input without its own: a stable hash of source + normalised text."""
        return stable_id(source or "", normalise_text(text))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        names = _field_names(cls)
        d = {k: v for k, v in d.items() if k in names}
        pub = d.get("published")
        if isinstance(pub, str):
            d["published"] = datetime.fromisoformat(pub)
        return cls(**d)


@dataclass
class ReadError:
    """Bad input, reported as a value: which file (and record) and why."""

    path: str
    reason: str
    record: str | int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.record}" if self.record not in (None, "") else self.path
        return f"{where}: {self.reason}"


@dataclass
class NotArticles(ReadError):
    """A file that holds no articles (JSON records of another kind): skipped as a whole,
    reported once, not counted as a failure."""


@dataclass
class ActorRef:
    text: str
    name: str | None = None
    code: str | None = None
    country: str | None = None  # ISO 3166 alpha-3
    sector: str | None = None
    start: int | None = None  # offsets into the article body
    end: int | None = None


@dataclass
class Place:
    text: str
    name: str | None = None
    country: str | None = None  # ISO 3166 alpha-3
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str | None = None  # city, country, admin1
    start: int | None = None
    end: int | None = None


@dataclass
class Quantity:
    value: float
    unit: str
    text: str


@dataclass
class Attribution:
    text: str
    actor: ActorRef | None = None


@dataclass
class Mention:
    """One event mention: the JSON Lines record of ``dateline code``."""

    article_id: str
    sentence: str
    sentence_index: int  # body sentences from 0; headline and subheadlines negative
    char_start: int  # offsets into the body, or into the headline line for header parts
    char_end: int
    event_type: str
    cameo: str
    quad_class: int
    confidence: float = 0.5
    mode: str | None = None
    context: str | None = None
    actor: list[ActorRef] = field(default_factory=list)
    recipient: list[ActorRef] = field(default_factory=list)
    negated: bool = False
    modality: str = "asserted"
    date: str | None = None  # ISO day
    date_text: str | None = None
    date_precision: str = "publication"
    location: Place | None = None
    size: dict[str, int] = field(default_factory=dict)  # dead, injured, arrested
    quantities: list[Quantity] = field(default_factory=list)
    attribution: Attribution | None = None
    trigger: str | None = None
    trigger_start: int | None = None
    trigger_end: int | None = None
    date_start: int | None = None
    date_end: int | None = None
    id: str | None = None
    event_id: str | None = None
    part: str = "body"  # body, headline or subheadline

    def __post_init__(self) -> None:
        if self.id is None:
            self.id = stable_id(self.article_id, self.sentence_index, self.event_type,
                                self.trigger_start, self.trigger, self.negated,
                                tuple(a.code for a in self.actor),
                                tuple(a.code for a in self.recipient))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Mention:
        names = _field_names(cls)
        d = {k: v for k, v in d.items() if k in names}
        d["actor"] = [ActorRef(**a) for a in d.get("actor") or []]
        d["recipient"] = [ActorRef(**a) for a in d.get("recipient") or []]
        d["quantities"] = [Quantity(**q) for q in d.get("quantities") or []]
        if d.get("location"):
            d["location"] = Place(**d["location"])
        if d.get("attribution"):
            att = dict(d["attribution"])
            if att.get("actor"):
                att["actor"] = ActorRef(**att["actor"])
            d["attribution"] = Attribution(**att)
        d["size"] = d.get("size") or {}
        return cls(**d)

    @property
    def day(self) -> _date | None:
        return date.fromisoformat(self.date) if self.date else None


@dataclass
class Event:
    """A real-world event: mentions that describe it, merged by ``dedup``."""

    id: str
    event_type: str
    quad_class: int
    cameo: str | None
    mode: str | None
    actor_codes: list[str]
    recipient_codes: list[str]
    actors: list[ActorRef]
    recipients: list[ActorRef]
    date: str | None
    date_start: str | None
    date_end: str | None
    location: Place | None
    size: dict[str, int]
    size_disputed: bool
    negated: bool
    modality: str
    num_mentions: int
    num_articles: int
    num_sources: int
    first_seen: str | None
    last_seen: str | None
    confidence: float
    sentence: str
    mention_ids: list[str] = field(default_factory=list)
    # how the date is known (Mention.date_precision of the finest reports): day, week,
    # month, year, decade, publication; "unknown" with date None when no report has one
    date_precision: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
