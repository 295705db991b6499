"""Compact records: the few values per mention that clustering compares.

``Compact`` is one mention as plain strings and numbers (what the store keeps in
``dedup_mentions``); ``Records`` holds them as numpy columns, one row per mention, rows in
canonical order (earliest first; ties everywhere are broken by row). ``Encoder`` turns
``Mention`` objects into compact rows and rows into records, interning strings
(countries, places, actor families, ...) into small integers; the interning tables live
on the encoder, so two encoders never share state. The bench builds ``Records`` directly
from synthetic integers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import NamedTuple

import numpy as np

from dateline.dedup.rules import (
    ADMIN1_LEVEL, COUNTRY_LEVEL, LOCAL_LEVEL, MODALITY_CODES, NO_PLACE, DedupRules, fold,
)
from dateline.model import Mention

FAMILY_BITS = 8  # actor key = country id << FAMILY_BITS | family id
MAX_SLOTS = 6  # actors (and block countries) kept per mention
NO_COUNTRY = "-"  # block key of a mention that names no country at all
WEAK = "~"  # place_loc prefix of a place the sentence does not name (the dateline's)


@dataclass
class Records:
    """One row per mention. Integer ids come from one ``Encoder`` (0 = none/unknown).

    etype, family: event type and its blocking family; negated; modality; precision (rules
    codes) and lo..hi, the day ordinals the mention may be about; article; mode; dead (-1
    unknown); place_level/country/admin1/loc (+ lat, lon, NaN unknown); actors, recipients:
    (n, K) sorted actor keys, 0-padded; blocks: (n, C) country ids to block on, 0-padded.
    ``type_names[etype]`` is the event type name.
    """

    etype: np.ndarray
    family: np.ndarray
    negated: np.ndarray
    modality: np.ndarray
    precision: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    article: np.ndarray
    mode: np.ndarray
    dead: np.ndarray
    place_level: np.ndarray
    place_country: np.ndarray
    place_admin1: np.ndarray
    place_loc: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    actors: np.ndarray
    recipients: np.ndarray
    blocks: np.ndarray
    type_names: tuple[str, ...]
    # the mention's sentence in its article (headline and subheadlines < 0); None: unknown
    # (every pair of one article then counts as one sentence's)
    sentence: np.ndarray | None = None
    # the locality is named in the mention's own sentence (not the dateline's); None: all
    place_named: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.etype.shape[0])

    def take(self, idx: np.ndarray) -> Records:
        """The rows ``idx`` (in that order) as new records."""
        def part(name: str):
            value = getattr(self, name)
            return value if name == "type_names" or value is None else value[idx]
        return Records(**{f.name: part(f.name) for f in fields(self)})

    def with_dates(self, precision: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> Records:
        out = self.take(np.arange(len(self)))
        out.precision, out.lo, out.hi = precision, lo, hi
        return out


def pack_keys(rows: Sequence[Sequence[int]], width: int | None = None) -> np.ndarray:
    """Sorted distinct nonzero keys per row, 0-padded to a common width (>= 1)."""
    width = width or max([1] + [len(set(r)) for r in rows])
    width = min(max(width, 1), MAX_SLOTS)
    out = np.zeros((len(rows), width), dtype=np.int64)
    for k, r in enumerate(rows):
        keys = sorted({x for x in r if x})[:width]
        out[k, :len(keys)] = keys
    return out


class Compact(NamedTuple):
    """A mention reduced to what clustering compares, as plain strings and numbers: what
    ``dedup_mentions`` stores, so stored mentions are re-clustered without their JSON.
    Actor keys are "COUNTRY|FAMILY" joined by ";"; place_admin1 / place_loc are keys whose
    equality means the same first-level division / locality."""

    etype: str
    family: str
    negated: bool
    modality: str
    precision: int
    lo: int
    hi: int
    article: str
    mode: str | None
    dead: int | None
    place_level: int
    place_country: str | None
    place_admin1: str | None
    place_loc: str | None
    lat: float | None
    lon: float | None
    actors: str
    recipients: str
    keys: list[str]


class Encoder:
    """Turns mentions into ``Compact`` rows and rows into ``Records``, interning strings
    into small ints (tables kept on the encoder: one encoder per batch of records)."""

    def __init__(self, rules: DedupRules | None = None):
        self.rules = rules or DedupRules()
        self._tables: dict[str, dict[str, int]] = {}
        self._types: dict[str, int] = {}

    def code(self, namespace: str, value: str | None) -> int:
        """The id of ``value`` in ``namespace`` (1, 2, ...); 0 for None or empty."""
        if value is None or value == "":
            return 0
        table = self._tables.setdefault(namespace, {})
        return table.setdefault(value, len(table) + 1)

    def type_code(self, event_type: str) -> int:
        return self._types.setdefault(event_type, len(self._types))

    @property
    def type_names(self) -> tuple[str, ...]:
        return tuple(sorted(self._types, key=self._types.__getitem__))

    # -- mention -> compact row -----------------------------------------------------------
    def _actor_keys(self, refs) -> list[str]:
        out = []
        for ref in refs:
            key = self.rules.actor_key(ref)
            if key is not None:
                out.append(f"{key[0] or ''}|{key[1] or ''}")
        return sorted(set(out))

    def block_names(self, m: Mention) -> list[str]:
        """The countries a mention is blocked under: its actors', recipients' and place's
        (organisations count as their own country); ``NO_COUNTRY`` if none."""
        names: set[str] = set()
        for ref in list(m.actor) + list(m.recipient):
            key = self.rules.actor_key(ref)
            if key is not None and key[0]:
                names.add(key[0])
        if m.location is not None and m.location.country:
            names.add(m.location.country.upper())
        return sorted(names)[:MAX_SLOTS] or [NO_COUNTRY]

    def compact(self, m: Mention, published: date | None,
                interval: tuple[int, int, int] | None = None) -> Compact:
        """The compact row of a mention; ``published`` is its article's day (the fallback
        date); ``interval`` (precision, lo, hi) overrides the one of its own date."""
        if interval is None:
            try:
                day = m.day
            except ValueError:  # not an ISO day: only the publication day is known
                day = None
            interval = self.rules.interval(m.date_precision, day, published, m.article_id)
        prec, lo, hi = interval
        actors, recipients = self._actor_keys(m.actor), self._actor_keys(m.recipient)
        if m.event_type in self.rules.symmetric_types:
            actors, recipients = sorted(set(actors) | set(recipients)), []
        p = m.location
        level = self.rules.place_level(p)
        country = admin1 = loc = None
        lat = lon = None
        if p is not None and level != NO_PLACE:
            country = (p.country or "").upper() or None
            c = country or ""
            if level == ADMIN1_LEVEL:
                admin1 = f"{c}.{p.admin1}" if p.admin1 else f"{c}#{fold(p.name or p.text)}"
            elif level == LOCAL_LEVEL:
                admin1 = f"{c}.{p.admin1}" if p.admin1 else None
                loc = f"g{p.geonameid}" if p.geonameid else f"{c}|{fold(p.name or p.text)}"
                if p.start is None:
                    loc = WEAK + loc  # not named in the sentence: the dateline's, say
            elif level != COUNTRY_LEVEL:
                raise ValueError(f"unknown place level {level}")
            lat = float(p.lat) if p.lat is not None else None
            lon = float(p.lon) if p.lon is not None else None
        dead = m.size.get("dead") if m.size else None
        return Compact(
            m.event_type, self.rules.type_family(m.event_type), bool(m.negated),
            m.modality, int(prec), int(lo), int(hi), m.article_id, m.mode,
            None if dead is None else int(dead), level, country, admin1, loc, lat, lon,
            ";".join(actors), ";".join(recipients), self.block_names(m))

    # -- compact rows -> records ----------------------------------------------------------
    def _keys(self, joined: str) -> list[int]:
        out = []
        for key in joined.split(";") if joined else ():
            country, _, family = key.partition("|")
            fid = self.code("family", family or None)
            if fid >= 1 << FAMILY_BITS:
                raise ValueError(f"too many actor sector families ({family})")
            out.append(self.code("country", country or None) << FAMILY_BITS | fid)
        return out

    def records(self, rows: Sequence[Compact], sentences: Sequence[int] | None = None) -> Records:
        """Records of compact rows (already in canonical order); ``sentences``: each
        mention's sentence index in its article."""
        n = len(rows)
        code = self.code
        cols = {
            "etype": [self.type_code(r.etype) for r in rows],
            "family": [code("tfamily", r.family) for r in rows],
            "negated": [bool(r.negated) for r in rows],
            "modality": [MODALITY_CODES.get(r.modality, len(MODALITY_CODES)) for r in rows],
            "precision": [r.precision for r in rows],
            "lo": [r.lo for r in rows],
            "hi": [r.hi for r in rows],
            "article": [code("article", r.article) for r in rows],
            "mode": [code("mode", r.mode) for r in rows],
            "dead": [-1 if r.dead is None else r.dead for r in rows],
            "place_level": [r.place_level for r in rows],
            "place_country": [code("country", r.place_country) for r in rows],
            "place_admin1": [code("admin1", r.place_admin1) for r in rows],
            "place_loc": [code("place", r.place_loc) for r in rows],
            "lat": [np.nan if r.lat is None else r.lat for r in rows],
            "lon": [np.nan if r.lon is None else r.lon for r in rows],
        }
        types = {"etype": np.int32, "family": np.int32, "negated": np.bool_,
                 "modality": np.int8, "precision": np.int8, "lo": np.int32, "hi": np.int32,
                 "article": np.int64, "mode": np.int32, "dead": np.int64,
                 "place_level": np.int8, "place_country": np.int32, "place_admin1": np.int32,
                 "place_loc": np.int64, "lat": np.float64, "lon": np.float64}
        arrays: dict[str, np.ndarray] = {k: np.asarray(v, dtype=types[k]).reshape(n) for k, v in cols.items()}
        return Records(
            **arrays, actors=pack_keys([self._keys(r.actors) for r in rows]),
            recipients=pack_keys([self._keys(r.recipients) for r in rows]),
            blocks=pack_keys([[code("country", c) for c in r.keys] for r in rows]
                             ).astype(np.int32),
            type_names=self.type_names,
            sentence=None if sentences is None else np.asarray(sentences, dtype=np.int32).reshape(n),
            place_named=np.asarray([not (r.place_loc or "").startswith(WEAK) for r in rows],
                                   dtype=bool).reshape(n))

    def encode(self, mentions: Sequence[Mention], published: Sequence[date | None],
               intervals: Sequence[tuple[int, int, int] | None] | None = None) -> Records:
        """Records for ``mentions`` (already in canonical order): compact rows, encoded."""
        return self.records([
            self.compact(m, published[k], intervals[k] if intervals is not None else None)
            for k, m in enumerate(mentions)], [m.sentence_index for m in mentions])
