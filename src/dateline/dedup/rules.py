"""The merge rules of dedup as one frozen object: date slack, place nearness, type and
actor-sector families, and the helpers that turn a mention's parts into comparable keys.

Everything here is pure: no I/O, no state. ``DedupRules()`` gives the defaults documented
in docs/dedup.md; pass another instance to ``update_events`` / ``cluster_records`` to tune.
"""

from __future__ import annotations

import calendar
import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from dateline.model import ActorRef, Place

# date precision codes in the compact records, finest first
DAY, PUBLICATION, WEEK, MONTH, YEAR, DECADE, UNKNOWN = 0, 1, 2, 3, 4, 5, 6
PRECISION_NAMES = MappingProxyType(
    {DAY: "day", PUBLICATION: "publication", WEEK: "week", MONTH: "month", YEAR: "year",
     DECADE: "decade", UNKNOWN: "unknown"})
# "story": the day the article's lede named, taken by a sentence with no date of its own --
# as vague as the publication day (a window around it), never evidence of a shared day
PRECISION_CODES = MappingProxyType(
    {**{v: k for k, v in PRECISION_NAMES.items()}, "story": PUBLICATION})


def unknown_day(article_id: str) -> int:
    """The day range (lo = hi) of a mention whose date is unknown: a negative number of
    its own article (never a real day ordinal), so that it overlaps no dated mention and
    no undated mention of another article. Equal numbers of two articles (a hash
    collision) still never merge: unknown dates only merge inside one article."""
    digest = hashlib.blake2b(article_id.encode("utf-8"), digest_size=4).digest()
    return -1 - int.from_bytes(digest, "big") % (1 << 30)

# place levels in the compact records: unknown, country, first-level division, locality
NO_PLACE, COUNTRY_LEVEL, ADMIN1_LEVEL, LOCAL_LEVEL = 0, 1, 2, 3
ADMIN1_FEATURES = frozenset({"admin1", "adm1", "region", "state", "province", "governorate"})

# Actor sectors grouped into families: two actors of one country are "the same side" when
# their sectors share a family (the army and the government; the police and the courts).
DEFAULT_SECTOR_FAMILIES: Mapping[str, str] = MappingProxyType({
    **dict.fromkeys(("GOV", "MIL", "COP", "JUD", "LEG", "SPY", "ELI", "PTY"), "STATE"),
    **dict.fromkeys(("REB", "INS", "UAF", "OPP", "SEP", "RAD", "CRM"), "ARMED_OPPOSITION"),
    **dict.fromkeys(("CVL", "REF", "LAB", "EDU", "HLH", "REL", "MED", "BUS", "AGR", "DEV",
                     "ENV", "HRI", "MOD"), "SOCIETY"),
    "IGO": "IGO", "NGO": "NGO", "MNC": "BUS", "IMG": "ARMED_OPPOSITION",
})
# codes that start with an organisation prefix instead of a country: international
# organisations (IGOUNO: the UN; the first six letters name the organisation), NGOs,
# multinationals and international militarised groups (IMGMUSISI; the whole code names them)
ORG_PREFIXES = ("IGO", "NGO", "MNC", "IMG")
MODALITY_CODES = MappingProxyType({"asserted": 0, "planned": 1, "hypothetical": 2,
                                   "conditional": 3})


def fold(text: str | None) -> str:
    """Lower case, no diacritics, single spaces: the form place names are compared in."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


@dataclass(frozen=True)
class DedupRules:
    """Knobs of the compatibility rules (see docs/dedup.md).

    ``publication_before``/``publication_after``: a mention dated only by its article's
    publication day p may be about any day in [p - before, p + after].
    ``day_tolerance``: slack around an explicit day (0: the same day).
    ``within_article_days``: a publication-dated mention takes the explicit date of a
    compatible mention of the same article dated at most this many days before p.
    ``near_km``: two localities this close are one place ("Douma" and "Damascus").
    ``compatible_types``: pairs of different event types that may still be one event.
    ``symmetric_types``: types where actor and recipient are interchangeable (A met B).
    ``placeless_types``: types done in words, whose place is mostly what the words are
    about ("a resolution on Aleppo", "talks in Geneva"): a place disagreement does not
    keep their reports apart (an agreement still counts).
    ``bare_country_family``: family of an actor that is just a country ("Russia").
    ``lede_sentences``: a headline or subheadline reports the story's main event, which
    its first this many body sentences tell: it merges with no later sentence.
    """

    publication_before: int = 1
    publication_after: int = 1
    day_tolerance: int = 0
    within_article_days: int = 7
    near_km: float = 25.0
    compatible_types: tuple[tuple[str, str], ...] = ()
    symmetric_types: tuple[str, ...] = ("CONSULT", "AGREE", "COOPERATE")
    placeless_types: tuple[str, ...] = ("SUPPORT", "REQUEST", "ACCUSE", "REJECT", "THREATEN",
                                        "SANCTION")
    bare_country_family: str = "STATE"
    lede_sentences: int = 3
    sector_families: Mapping[str, str] = field(default_factory=lambda: DEFAULT_SECTOR_FAMILIES,
                                               hash=False)

    # -- event types ----------------------------------------------------------------------
    def type_family(self, event_type: str) -> str:
        """The blocking family: types linked by ``compatible_types`` share one (the
        alphabetically first member names it)."""
        group = {event_type}
        changed = True
        while changed:
            changed = False
            for a, b in self.compatible_types:
                if (a in group) != (b in group):
                    group |= {a, b}
                    changed = True
        return min(group)

    def types_compatible(self, a: str, b: str) -> bool:
        return a == b or (a, b) in self.compatible_types or (b, a) in self.compatible_types

    def type_matrix(self, names: tuple[str, ...]) -> list[list[bool]]:
        return [[self.types_compatible(a, b) for b in names] for a in names]

    # -- dates ---------------------------------------------------------------------------
    def interval(self, precision: str | None, day: date | None,
                 published: date | None, article: str = "") -> tuple[int, int, int]:
        """(precision code, first, last day ordinal) of the days a mention may be about.
        A mention with no date of its own in an article without one is ``UNKNOWN``, on a
        day number of its ``article`` (``unknown_day``): it merges only inside it."""
        code = PRECISION_CODES.get(precision or "publication", PUBLICATION)
        if code == UNKNOWN:
            day = None
        if day is None:
            day, code = published, PUBLICATION
        if day is None:
            o = unknown_day(article)
            return UNKNOWN, o, o
        o = day.toordinal()
        if code == DAY:
            return code, o - self.day_tolerance, o + self.day_tolerance
        if code == PUBLICATION:
            return code, o - self.publication_before, o + self.publication_after
        if code == WEEK:
            start = o - day.weekday()
            return code, start, start + 6
        if code == MONTH:
            last = calendar.monthrange(day.year, day.month)[1]
            return code, date(day.year, day.month, 1).toordinal(), \
                date(day.year, day.month, last).toordinal()
        if code == DECADE:
            return code, date(day.year, 1, 1).toordinal(), \
                date(day.year - day.year % 10 + 9, 12, 31).toordinal()
        return code, date(day.year, 1, 1).toordinal(), date(day.year, 12, 31).toordinal()

    # -- actors --------------------------------------------------------------------------
    def actor_key(self, ref: ActorRef) -> tuple[str | None, str | None] | None:
        """(country or organisation, sector family) of an actor; None when the actor
        carries neither (an uncoded "gunmen" says nothing about who acted)."""
        code = (ref.code or "").upper().strip()
        country = (ref.country or "").upper().strip() or None
        sector = (ref.sector or "").upper().strip() or None
        if code[:3] in ORG_PREFIXES:
            country = country or (code[:6] if code[:3] == "IGO" else code)
            sector = sector or code[:3]
        elif code:
            head = code[:3]
            if head in self.sector_families:
                sector = sector or head
            else:
                country = country or head
                sector = sector or (code[3:6] or None)
        if country is None and sector is None:
            return None
        if sector is None:
            family = self.bare_country_family
        else:
            family = self.sector_families.get(sector[:3], sector[:3])
        return country, family

    # -- places --------------------------------------------------------------------------
    @staticmethod
    def place_level(place: Place | None) -> int:
        if place is None:
            return NO_PLACE
        feature = (place.feature or "").lower()
        if feature == "country":
            return COUNTRY_LEVEL
        if feature in ADMIN1_FEATURES:
            return ADMIN1_LEVEL
        if place.geonameid or fold(place.name or place.text):
            return LOCAL_LEVEL
        return COUNTRY_LEVEL if place.country else NO_PLACE
