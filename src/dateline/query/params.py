"""The query parameters: one table of names, help texts, JSON schemas and strict parsers.

The CLI options, the HTTP query parameters and their OpenAPI description all come from
this table, so a value means the same thing everywhere and every value the published
schema allows is accepted (and every value it forbids is refused).

Parsers take the raw string and return the normalised value, or raise ``QueryError``
naming the parameter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from dateline.model import EVENT_TYPES, MODALITIES

MAX_TEXT = 200       # actor, recipient, place, source
MAX_QUERY_TEXT = 500  # q
MAX_LIST = 50        # items in a comma list (type, mode, country, ...)
MAX_SOURCES = 1_000_000
MAX_TOP = 1000
SORT_FIELDS = ("date", "sources", "confidence", "mentions")
SORTS = tuple(s for f in SORT_FIELDS for s in (f, "-" + f))
INTERVALS = ("day", "week", "month")
DYAD_LEVELS = ("code", "country")
ACTOR_KINDS = ("code", "country", "sector", "name")


class QueryError(ValueError):
    """A bad parameter value: ``param`` names it, ``message`` says what is wrong."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


def _anycase(word: str) -> str:
    """A regex matching ``word`` in any letter case (JSON Schema regexes have no flags)."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in word)


def _list_pattern(item: str) -> str:
    return f"^(?:{item})(?:,(?:{item})){{0,{MAX_LIST - 1}}}$"


_TYPE_ITEM = "|".join(_anycase(t) for t in EVENT_TYPES)
_MODALITY_ITEM = "|".join(_anycase(m) for m in MODALITIES)
_NUM = r"(?:\.[0-9]{1,8})?"
_LAT = rf"-?(?:90(?:\.0{{1,8}})?|[1-8][0-9]{_NUM}|[0-9]{_NUM})"
_LON = rf"-?(?:180(?:\.0{{1,8}})?|1[0-7][0-9]{_NUM}|[1-9][0-9]{_NUM}|[0-9]{_NUM})"
_KM = rf"[0-9]{{1,5}}{_NUM}"
_YEAR = r"(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"

PATTERNS = {
    "type": _list_pattern(_TYPE_ITEM),
    "mode": _list_pattern(r"[A-Za-z][A-Za-z0-9_-]{0,39}"),
    "quad": _list_pattern("[1-4]"),
    "country": _list_pattern("[A-Za-z]{3}"),
    "modality": _list_pattern(_MODALITY_ITEM),
    "near": rf"^{_LAT},{_LON},{_KM}$",
    "year_month": rf"^{_YEAR}(?:-(?:0[1-9]|1[0-2]))?$",
    "cursor": r"^[A-Za-z0-9_-]{1,1000}$",
    "integer": r"^[0-9]{1,9}$",
}
_COMPILED = {k: re.compile(v) for k, v in PATTERNS.items()}
_FULL_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_CODE_LIKE = re.compile(r"^[A-Z0-9]{3,15}$")


@dataclass(frozen=True)
class Near:
    lat: float
    lon: float
    km: float


@dataclass(frozen=True)
class ActorTerm:
    """One actor/recipient filter item. ``kind`` is code, country, sector, name or auto:
    auto means code, country, sector or exact name for upper-case codes like RUS or GOV,
    and a name search otherwise."""

    kind: str
    value: str


# -- parsers -------------------------------------------------------------------------------
def _match(name: str, pattern: str, raw: str, what: str) -> str:
    if not _COMPILED[pattern].match(raw):
        raise QueryError(name, f"{what}, got {_show(raw)}")
    return raw


def _show(raw: str) -> str:
    return repr(raw if len(raw) <= 60 else raw[:57] + "...")


def _items(raw: str) -> list[str]:
    out: list[str] = []
    for item in raw.split(","):
        if item not in out:
            out.append(item)
    return out


def _text(name: str, raw: str, limit: int = MAX_TEXT) -> str:
    if len(raw) > limit:
        raise QueryError(name, f"at most {limit} characters, got {len(raw)}")
    if not raw:
        raise QueryError(name, "empty value (leave the parameter out instead)")
    return raw


def parse_types(name: str, raw: str) -> tuple[str, ...]:
    _match(name, "type", raw, "expected event types (" + ", ".join(EVENT_TYPES) + ")")
    return tuple(_items(raw.upper()))


def parse_modes(name: str, raw: str) -> tuple[str, ...]:
    _match(name, "mode", raw, "expected mode names (letters, digits, _ or -), comma separated")
    return tuple(_items(raw.lower()))


def parse_quads(name: str, raw: str) -> tuple[int, ...]:
    _match(name, "quad", raw, "expected quad classes 1-4, comma separated")
    return tuple(int(x) for x in _items(raw))


def parse_countries(name: str, raw: str) -> tuple[str, ...]:
    _match(name, "country", raw, "expected ISO 3166 alpha-3 country codes like SYR,RUS")
    return tuple(_items(raw.upper()))


def parse_modalities(name: str, raw: str) -> tuple[str, ...]:
    _match(name, "modality", raw, "expected one or more of " + ", ".join(MODALITIES))
    return tuple(_items(raw.lower()))


def parse_actors(name: str, raw: str) -> tuple[ActorTerm, ...]:
    _text(name, raw)
    terms: list[ActorTerm] = []
    for item in raw.split(","):
        kind, value = "auto", item.strip()
        head, sep, rest = value.partition(":")
        if sep and head.strip().lower() in ACTOR_KINDS:
            kind, value = head.strip().lower(), rest.strip()
        if not value:
            continue
        if kind in ("code", "country", "sector"):
            value = value.upper()
        elif kind == "auto" and not _CODE_LIKE.match(value):
            kind = "name"
        term = ActorTerm(kind, value)
        if term not in terms:
            terms.append(term)
    return tuple(terms)


def parse_place(name: str, raw: str) -> str | None:
    return _text(name, raw).strip() or None


def parse_query_text(name: str, raw: str) -> tuple[str, ...]:
    """Search terms: words, or "quoted phrases"; every term must occur."""
    _text(name, raw, MAX_QUERY_TEXT)
    terms: list[str] = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', raw):
        term = (phrase or word).strip().strip('"')
        if term and term.lower() not in (t.lower() for t in terms):
            terms.append(term)
    return tuple(terms)


def parse_near(name: str, raw: str) -> Near:
    _match(name, "near", raw, "expected lat,lon,km with -90<=lat<=90, -180<=lon<=180, "
           "km up to 99999 (e.g. 36.2,37.16,25)")
    lat, lon, km = (float(x) for x in raw.split(","))
    return Near(lat, lon, km)


def _parse_date(name: str, raw: str, end: bool) -> date:
    m = _FULL_DATE.match(raw)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise QueryError(name, f"not a calendar date: {_show(raw)}") from None
    _match(name, "year_month", raw, "expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(raw[:4])
    if len(raw) == 4:
        return date(year, 12, 31) if end else date(year, 1, 1)
    month = int(raw[5:7])
    if not end:
        return date(year, month, 1)
    if month == 12:
        return date(year, 12, 31)
    return date.fromordinal(date(year, month + 1, 1).toordinal() - 1)


def parse_since(name: str, raw: str) -> date:
    return _parse_date(name, raw, end=False)


def parse_until(name: str, raw: str) -> date:
    return _parse_date(name, raw, end=True)


def parse_int(name: str, raw: str, low: int, high: int) -> int:
    if not _COMPILED["integer"].match(raw):
        raise QueryError(name, f"expected a whole number from {low} to {high}, got {_show(raw)}")
    value = int(raw)
    if not low <= value <= high:
        raise QueryError(name, f"expected a whole number from {low} to {high}, got {value}")
    return value


def parse_bool(name: str, raw: str) -> bool:
    if raw not in ("true", "false"):
        raise QueryError(name, f"expected true or false, got {_show(raw)}")
    return raw == "true"


def parse_choice(name: str, raw: str, choices: tuple[str, ...]) -> str:
    if raw not in choices:
        raise QueryError(name, f"expected one of {', '.join(choices)}, got {_show(raw)}")
    return raw


def parse_cursor(name: str, raw: str) -> str:
    return _match(name, "cursor", raw, "not a cursor from a previous page")


def fold(text: str) -> str:
    """Lower case without accents: the form names and places are compared in."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


# -- the table -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Param:
    name: str
    help: str
    schema: dict[str, Any]
    parse: Callable[[str, str], Any]
    multi: bool = False  # repeated HTTP values are joined with commas
    example: str | None = None


def _str(pattern: str | None = None, max_length: int | None = None, **kw: Any) -> dict:
    s: dict[str, Any] = {"type": "string", **kw}
    if pattern:
        s["pattern"] = PATTERNS[pattern]
    if max_length:
        s["minLength"] = 1
        s["maxLength"] = max_length
    return s


DATE_SCHEMA = {"anyOf": [{"type": "string", "format": "date"},
                         {"type": "string", "pattern": PATTERNS["year_month"]}]}


def limit_param(max_page_size: int, default: int = 50) -> Param:
    return Param(
        "limit", f"Page size: 1 to {max_page_size} (default {min(default, max_page_size)}).",
        {"type": "integer", "minimum": 1, "maximum": max_page_size,
         "default": min(default, max_page_size)},
        lambda n, r: parse_int(n, r, 1, max_page_size), example="50")


def top_param(default: int = 20) -> Param:
    return Param("top", f"How many rows per ranking: 1 to {MAX_TOP} (default {default}).",
                 {"type": "integer", "minimum": 1, "maximum": MAX_TOP, "default": default},
                 lambda n, r: parse_int(n, r, 1, MAX_TOP))


CURSOR = Param("cursor", "Opaque cursor from `next_cursor` of the previous page (same filters "
               "and sort); pages stay stable when events are added.", _str("cursor"),
               parse_cursor)
SINCE = Param("since", "Events on or after this day: YYYY-MM-DD, or YYYY-MM / YYYY for the "
              "first day of that month / year.", DATE_SCHEMA, parse_since, example="2016-12")
UNTIL = Param("until", "Events on or before this day: YYYY-MM-DD, or YYYY-MM / YYYY for the "
              "last day of that month / year.", DATE_SCHEMA, parse_until, example="2016-12")
QUERY_TEXT = Param("q", "Full-text search over the sentences: words or \"quoted phrases\", all "
                   "must occur (case-insensitive).", _str(max_length=MAX_QUERY_TEXT),
                   parse_query_text, example="ceasefire")

EVENT_FILTERS: tuple[Param, ...] = (
    Param("type", "PLOVER event types, comma separated: " + ", ".join(EVENT_TYPES) + ".",
          _str("type"), parse_types, multi=True, example="ASSAULT"),
    Param("mode", "PLOVER modes, comma separated (e.g. aerial,firearms).", _str("mode"),
          parse_modes, multi=True),
    Param("quad", "Quad classes 1-4, comma separated (1 verbal cooperation ... 4 material "
          "conflict).", _str("quad"), parse_quads, multi=True),
    Param("actor", "Who acted, comma separated (any matches): a CAMEO code prefix (RUS matches "
          "RUSGOV, RUSMIL and country RUS), a sector (GOV), or a name (Lavrov). Force one "
          "reading with code:, country:, sector: or name:.", _str(max_length=MAX_TEXT),
          parse_actors, multi=True, example="RUS"),
    Param("recipient", "Who was acted upon; same forms as actor.", _str(max_length=MAX_TEXT),
          parse_actors, multi=True, example="USA"),
    Param("country", "Country of the event's location, ISO 3166 alpha-3, comma separated.",
          _str("country"), parse_countries, multi=True, example="SYR"),
    Param("place", "Place name of the event's location (or its first-level region); matches "
          "names containing it, case and accents ignored.", _str(max_length=MAX_TEXT),
          parse_place, example="Aleppo"),
    Param("near", "lat,lon,km: events located within km kilometres of the point.",
          _str("near"), parse_near, example="36.2,37.16,25"),
    SINCE,
    UNTIL,
    Param("min_sources", "Only events reported by at least this many distinct sources.",
          {"type": "integer", "minimum": 0, "maximum": MAX_SOURCES},
          lambda n, r: parse_int(n, r, 0, MAX_SOURCES), example="3"),
    Param("negated", "true: only negated events (\"would not agree\"); false: only "
          "non-negated ones.", {"type": "boolean"}, parse_bool),
    Param("modality", "Modalities, comma separated: " + ", ".join(MODALITIES) + ".",
          _str("modality"), parse_modalities, multi=True),
    QUERY_TEXT,
)
SORT = Param("sort", "Order: date, sources, confidence or mentions; a leading - sorts "
             "descending (default -date, newest first).",
             {"type": "string", "enum": list(SORTS), "default": "-date"},
             lambda n, r: parse_choice(n, r, SORTS))
INTERVAL = Param("interval", "Bucket size of the timeline: day, week (ISO, from Monday) or "
                 "month.", {"type": "string", "enum": list(INTERVALS), "default": "month"},
                 lambda n, r: parse_choice(n, r, INTERVALS))
LEVEL = Param("level", "Dyads by full actor code (RUSGOV) or by country (RUS).",
              {"type": "string", "enum": list(DYAD_LEVELS), "default": "code"},
              lambda n, r: parse_choice(n, r, DYAD_LEVELS))
SOURCE = Param("source", "Articles of this source (publisher), case-insensitive exact match.",
               _str(max_length=MAX_TEXT), lambda n, r: _text(n, r).strip())
CODED = Param("coded", "true: only coded articles; false: only articles not coded yet.",
              {"type": "boolean"}, parse_bool)

EVENT_FILTER_NAMES = tuple(p.name for p in EVENT_FILTERS)


def event_params(max_page_size: int) -> tuple[Param, ...]:
    """Every parameter of ``GET /events``: filters, sort, limit, cursor."""
    return (*EVENT_FILTERS, SORT, limit_param(max_page_size), CURSOR)


def article_params(max_page_size: int) -> tuple[Param, ...]:
    """Every parameter of ``GET /articles``."""
    return (QUERY_TEXT, SOURCE, SINCE, UNTIL, CODED, limit_param(max_page_size), CURSOR)


def to_raw(value: Any, name: str | None = None) -> str:
    """A Python value as the query-string text the parsers read (``name``: the parameter,
    for the one whose lists are not comma separated: q's terms)."""
    if name == "q" and isinstance(value, (list, tuple)):
        return " ".join(f'"{t}"' if any(c.isspace() for c in t) else t for t in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(to_raw(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Near):
        return f"{value.lat},{value.lon},{value.km}"
    if isinstance(value, ActorTerm):
        return value.value if value.kind == "auto" else f"{value.kind}:{value.value}"
    return str(value)
