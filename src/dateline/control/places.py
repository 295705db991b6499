"""Places of control claims: the named area a place phrase speaks of (a gazetteer place, a
proper name, "the town of X", a compass part of a city, a facility under its city), with the
share of it a claim is about ("70 percent of east Aleppo"). A mixin of ``ControlReader``
(extract.py); docs/control.md, "Places".
"""

from __future__ import annotations

import re
from typing import Any

from dateline.coding.syntax import conjuncts
from dateline.control.model import Area
from dateline.control.rules import ControlRule
from dateline.dedup.rules import fold
from dateline.nlp import upos

# lower-case words inside a place's name ("San Lorenzo de Tenango", "Mocimboa da Praia")
NAME_LINKS = {"de", "da", "do", "dos", "das", "del", "la", "las", "los", "el", "al", "di", "du"}
# words for stretches of ground whose "in X" names where they are
SPREADS = {"territory", "territories", "area", "areas", "part", "parts", "enclave", "pocket",
           "districts", "neighbourhoods", "neighborhoods", "villages", "towns", "ground",
           "positions", "position", "posts", "lines", "scrap", "foothold", "swathes", "swathe"}
# the gazetteer's fallback from "a town in X" to X: the unnamed town is not X
INSIDE = re.compile(r"^\w+\s+(?:in|of\s+[\d,]+\s+in)\s", re.IGNORECASE)
NEAR = re.compile(r"\b(?:near|outside|around|close\s+to|(?:north|south|east|west)(?:east|west)?"
                  r"\s+of)\b", re.IGNORECASE)
# "the city", "the oil city", "the Tajik capital", "the capital of Anbar province", "Haiti's
# second-largest city": the last such place named
BARE_AREAS = {"city", "town", "village", "capital", "port"}
# stretches of land no city holds: an unknown name with one of these is in no city
REGIONS = {"peninsula", "valley", "island", "region", "province", "governorate", "county",
           "plateau", "heights", "oasis", "mountain", "range", "corridor", "strip", "coast"}


class PlaceReader:
    """The place half of the claim reader: needs ``coder``, ``rules`` and the word tables
    ``shares``, ``parts``, ``areas``, ``cancel`` of ``ControlReader``."""

    coder: Any
    shares: dict[str, ControlRule]
    parts: dict[str, ControlRule]
    areas: dict[str, ControlRule]
    cancel: set[str]
    facilities: set[str]
    subareas: set[str]
    anaphors: set[str]
    rivers: set[str]
    _last_area: Area | None

    # -- places -------------------------------------------------------------------------
    def _named(self, tok, doc, places) -> bool:
        return upos(tok) == "PROPN" or _place_at(tok, places) is not None

    def _share(self, tok) -> float | None:
        """The fraction a share word heads: "70 percent (of)", "most (of)", "two-thirds"."""
        text = tok.lower_
        left = tok.doc[max(0, tok.i - 2):tok.i + 1].text.lower().replace(" - ", "-")
        for cand in (left, text):
            for w, r in self.shares.items():
                if r.value and (cand == w or cand.endswith((" " + w, "-" + w))):
                    return float(r.value)  # not "headquarters" for "quarters"
        if text in self.shares and text in ("percent", "percentage") or text == "cent":
            num = next((c for c in tok.children if c.dep_ == "nummod"), None)
            if num is None and tok.i > 0 and tok.doc[tok.i - 1].tag_ == "CD":
                num = tok.doc[tok.i - 1]
            try:
                return round(float(num.text.replace(",", "")) / 100, 4) if num is not None else None
            except ValueError:
                return None
        part = _count(tok) if tok.tag_ == "CD" else None
        if part is not None:
            # "10 of Helmand's 14 districts", "nine of the state's 17 townships": a count
            # of a counted whole
            whole = [w for o in _prep_objects(tok, {"of"}) for n in o.children
                     if n.dep_ == "nummod" and (w := _count(n)) is not None]
            if whole and 0 < part <= whole[0]:
                return round(part / whole[0], 2)
        if tok.text.endswith("%"):
            try:
                return round(float(tok.text[:-1]) / 100, 4)
            except ValueError:
                return None
        return None

    def _areas(self, ctx, sent, tok, places, doc, rule,
               seen: frozenset[int] = frozenset()) -> list[tuple[Area, float | None]]:
        """The named areas a place phrase headed by ``tok`` speaks of, each with a share.
        ``seen``: the tokens already followed (an apposition names its head and the head its
        apposition: each is read once)."""
        if tok.i in seen:
            return []
        seen = seen | {tok.i}
        share = self._share(tok)
        if share is not None:
            inner = _prep_objects(tok, {"of"}) or [
                # "75 percent of what was once rebel-held eastern Aleppo"
                a for p in tok.children if p.dep_ == "prep" and p.lower_ == "of"
                for v in p.children if v.dep_ == "pcomp" for a in v.children if a.dep_ == "attr"]
            if not inner:
                return []
            out = []
            for t in inner:
                found = self._areas(ctx, sent, t, places, doc, rule, seen)
                if not found and any(c.dep_ == "nummod" for c in t.children):
                    # "40 of the 56 neighbourhoods on Mosul's eastern bank", "12 of the 18
                    # villages in Nawa district": the counted whole lies in the named area
                    found = [a for o in _prep_objects(t, {"in", "on", "across"})
                             for a in self._areas(ctx, sent, o, places, doc, rule, seen)]
                out += [(a, share) for a, _s in found]
            # "70 percent of eastern Aleppo, including the Old City": the named part whole
            return out + [a for t in _prep_objects(tok, {"including"}) if out
                          for a in self._areas(ctx, sent, t, places, doc, rule, seen)]
        if any(c.lower_ in self.cancel for c in tok.children if c.dep_ in ("amod", "advmod")):
            return []  # "former rebel territory"
        if tok.dep_ == "compound" and self._is_area(tok.lower_) and upos(tok.head) == "PROPN":
            return self._areas(ctx, sent, tok.head, places, doc, rule, seen)  # "capital Sanaa"
        area = self._facility(ctx, sent, tok, places, doc, rule, bare=False) or self._area(
            ctx, sent, tok, places, doc, rule) or self._facility(ctx, sent, tok, places, doc, rule)
        if area is not None:
            self._last_area = area
            # "the mining towns of Siuna and Bonanza": the gazetteer's span names the first;
            # "the whole city, including the Azot plant"; "the Panjshir valley, barely 5
            # percent of Afghanistan": a share in apposition
            others = (_prep_objects(tok, {"of"})[1:] if self._is_area(tok.lower_) else []) + \
                _prep_objects(tok, {"including"}) + [
                    c for c in tok.children if c.dep_ == "appos" and self._share(c) is not None]
            # "the presidential palace, Khartoum airport and the army's base": a list the
            # parse hangs on the first item as an apposition with conjuncts of its own
            others += [x for c in tok.children if c.dep_ == "appos" and self._share(c) is None
                       and any(g.dep_ == "conj" for g in c.children) for x in conjuncts(c)]
            return [(area, None)] + [a for o in others
                                     for a in self._areas(ctx, sent, o, places, doc, rule, seen)]
        # an unnamed head: "five districts including the Shaar neighbourhood", "the
        # territory in east Aleppo", "the town of Douma", "Aleppo's southeastern districts"
        # "in" only for stretches of ground ("the territory in east Aleppo"): "a building in
        # Valparaiso", "a neighbourhood in east Aleppo" are not Valparaiso or east Aleppo
        low = tok.lower_
        if low in self.rivers and any(c.dep_ == "det" for o in _prep_objects(tok, {"of"})
                                      for c in o.children):
            return []  # "the west bank of the Dnipro": a river's, no place
        # "more than 60 villages in Hiiraan": ground counted, not named, is not Hiiraan
        counted = any(c.dep_ == "nummod" for c in tok.children)
        preps = {"including", "of"} | ({"in", "at"} if low in SPREADS and not counted else set())
        # "the west bank of the Dnipro, including the city of Kherson": the named one
        named = _prep_objects(tok, {"including"}) or _prep_objects(tok, preps)
        if tok.dep_ == "appos" and self._is_area(low) and not _name_tokens(tok, self.parts) \
                and self._named(tok.head, doc, places):
            named = [tok.head]  # "Fallujah, a city of 300,000 west of Baghdad held by ..."
        if low in self.areas or low.rstrip("s") in self.areas or upos(tok) == "PROPN":
            named += [c for c in tok.children if c.dep_ == "appos"]
        if not named and tok.dep_ in ("npadvmod", "appos") and self._is_area(low) \
                and not (tok.dep_ == "appos" and self._named(tok.head, doc, places)) \
                and tok.left_edge.i >= 1 and doc[tok.left_edge.i - 1].text == ",":
            # "retook Konna on Friday, a town Islamist fighters had seized": the parse hung the
            # description on the verb (or its subject); it describes the verb's object
            verb = tok.head if tok.dep_ == "npadvmod" else tok.head.head
            # (a name the tagger did not know may hang on it as a modifier)
            named = [o for o in verb.children if (o.dep_ in ("dobj", "obj") or o.dep_ in (
                "advmod", "npadvmod") and o.text[:1].isupper()) and o.i < tok.i
                     and self._named(o, doc, places)][:1]
        if not named and tok.dep_ == "appos" and (low in self.areas or low.rstrip("s") in self.areas):
            named = [tok.head]  # "Eastern Ghouta, the last rebel-held enclave"
        if not named and (self._is_area(low) or low in SPREADS):
            named = [c for c in tok.children if c.dep_ == "poss"]  # "Iraq's territory"
        anaphor = low in self.anaphors and all(c.dep_ == "det" and c.lower_ == "the"
                                               for c in tok.children)
        if not named and (low in ("it", "them") or anaphor) and self._last_area is not None:
            # "occupied the plant and withdrew from it", "putting the area under siege"
            return [(self._last_area, None)]
        if not named and low == "it" and tok.dep_ in ("dobj", "pobj") and sent.index > 0:
            # "The guerrillas had been driven from Pailin in March. On Tuesday they retook
            # it.": the city the sentence before named
            place = self._previous_city(ctx, sent, back=1)
            if place is not None:
                return [(_gaz_area(place, place.text), None)]
        out = []
        for t in named:
            out += self._areas(ctx, sent, t, places, doc, rule, seen)
        return out

    def _area(self, ctx, sent, tok, places, doc, rule) -> Area | None:
        place = _place_at(tok, places)
        # "Eastern Ghouta": a compass word inside the place's own name is no part of it
        part_tok = next((c for c in tok.children
                         if c.dep_ in ("amod", "compound", "nmod") and c.lower_ in self.parts
                         and not _in_name(c, place)), None)
        part = self.parts[part_tok.lower_].value if part_tok is not None else None
        low = tok.lower_
        # "the northern town of X", "the eastern enclave of Cerska": where the place lies,
        # not a part of it ("the eastern districts of Aleppo" is east Aleppo)
        settlement = upos(tok) == "NOUN" and self._is_area(low) and low not in self.subareas
        if settlement:
            part = None
        if place is not None and upos(tok) == "NOUN" and NEAR.search(
                sent.text[tok.idx + len(tok.text):place.end]):
            place = None  # "an enclave near Damascus" is not Damascus
        if place is not None and upos(tok) == "NOUN" and self._is_area(low) \
                and place.start <= tok.idx and INSIDE.search(sent.text[tok.idx:place.end]):
            place = None  # "the only rebel-held city in western Libya" is not Libya
        if place is not None and (low in self.areas or low.rstrip("s") in self.areas):
            # "the Shaar district of east Aleppo": the gazetteer falls back to Aleppo; the
            # district is kept under it with its own name
            names = _name_tokens(tok, self.parts)
            if names and low in self.facilities and _place_at(names[-1], places) is place:
                return self._facility_area(tok, place, places, doc)  # "Mosul airport"
            if names and fold(_join(names)) not in fold(place.name or ""):
                if not self._is_actor(ctx, sent, names):
                    name = _join(names)
                    city = place if place.feature not in ("country",) else None
                    return Area(name=name, within=city.name if city else None,
                                country=place.country, feature="local",
                                lat=city.lat if city else None, lon=city.lon if city else None,
                                text=name)
        if place is not None:
            # "east Aleppo": a compass part of a named city is kept under it
            if part is None and not settlement:
                first = doc[max(0, _first_index(tok) - 1)]
                if first.lower_ in self.parts and first.i < tok.i and not _in_name(first, place):
                    part = self.parts[first.lower_].value
            if part is not None and place.feature != "country":
                # the words read: "Old City" of "the Old City of Homs" (old Homs)
                text = doc[part_tok.i:tok.i + 1].text if part_tok is not None and \
                    part_tok.i < tok.i and upos(tok) == "PROPN" else tok.text
                return Area(name=f"{part} {place.name}", within=place.name, country=place.country,
                            feature="part", lat=place.lat, lon=place.lon, text=text)
            return _gaz_area(place, tok.text)
        low = tok.lower_
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        if part is not None and poss is not None and _place_at(poss, places) is not None \
                and upos(tok) == "NOUN":
            city = _place_at(poss, places)
            return Area(name=f"{part} {city.name}", within=city.name, country=city.country,
                        feature="part", lat=city.lat, lon=city.lon, text=tok.text)
        if upos(tok) == "PROPN" and low not in self.parts and not (
                self._is_area(low) and _title_line(doc) and _name_tokens(tok, self.parts)):
            # ("Aleppo's Masaken Hanano District" in a headline: the district's own name)
            name_toks = [c for c in tok.children if c.dep_ in ("compound", "nmod")
                         and upos(c) == "PROPN" and c.i < tok.i] + [tok]
            span = list(doc[name_toks[0].i:tok.i + 1])
            if all(upos(t) == "PROPN" or t.lower_ in NAME_LINKS for t in span):
                name_toks = span  # "San Lorenzo de Tenango", "Mocimboa da Praia"
            name = _join(name_toks)
            # "the village of Imam Gharbi" is a place whatever the name looks like
            after_area = tok.dep_ == "pobj" and tok.head.lower_ == "of" and (
                tok.head.head.lower_ in self.areas or tok.head.head.lower_.rstrip("s") in self.areas)
            if not after_area and self._is_actor(ctx, sent, name_toks):
                return None
            if not name[:1].isupper():
                return None
            return self._local(ctx, sent, tok, name, places, doc)
        if self._is_area(low):
            names = _name_tokens(tok, self.parts)
            described = set()
            if names:
                adjectives = all(upos(n) == "ADJ" for n in names)
                bare = low in BARE_AREAS
                if bare and (adjectives or _place_at(names[-1], places) is None) or (
                        bare or adjectives) and self._people(names):
                    # "the Tajik capital", "the Chechen capital": the city the sentence named
                    described, names = {n.i for n in names}, []
            if names:
                place = _place_at(names[-1], places)
                if place is not None and low in self.facilities:
                    return self._facility_area(tok, _gaz_area(place, place.text), places, doc)
                if place is not None:
                    return _gaz_area(place, tok.text)
                name = _join(names)
                if self._is_actor(ctx, sent, names):
                    return None
                area = self._local(ctx, sent, tok, name, places, doc)
                area.text = f"{name} {tok.text}"  # "the Dniester region"
                return area
            det = next((c for c in tok.children if c.dep_ == "det"), None)
            poss = next((c for c in tok.children if c.dep_ == "poss"), None)
            definite = det is not None and det.lower_ == "the" or poss is not None and (
                self.coder.gazetteer.country(poss.text) is not None)  # "Haiti's second city"
            # "the northern city of Iraq", "the last army-held city in Darfur": a region
            # named with it does not name the city
            of_region = [t for t in _prep_objects(tok, {"of", "in"})
                         if getattr(_place_at(t, places), "feature", None) in ("country", "admin1")]
            if low in BARE_AREAS and definite and not any(
                    c.dep_ == "appos" or c.dep_ == "relcl" and not _after_comma(c)
                    or c.dep_ == "prep" and not of_region
                    and c.lower_ != "including"
                    or c.dep_ in ("amod", "compound") and (
                        upos(c) == "PROPN" and c.i not in described or c.lower_ in self.parts
                                                           and self.parts[c.lower_].value == "old")
                    for c in tok.children):
                # "the city", "the northern city" (not "the old city"): the last city the story
                # named, in this or the two sentences before
                return self._antecedent_city(ctx, sent, tok, places)
        return None

    def _people(self, toks) -> bool:
        """Words naming a people or an actor, not a place ("Tajik", "Shi'ite")."""
        return self._demonym(toks) or bool(self.coder.actors.find(_join(toks)))

    def _demonym(self, toks) -> bool:
        return all(self.coder.gazetteer.country(t.text) is not None for t in toks)

    def _is_area(self, low: str) -> bool:
        return low in self.areas or low.rstrip("s") in self.areas

    def _facility(self, ctx, sent, tok, places, doc, rule, bare: bool = True) -> Area | None:
        """A facility kept under the place it is in: "Aden's international airport", "the
        airport at Timbuktu", "an army base at Koutougou", "the army fort in Jaffna", and
        "the presidential palace" in a sentence (or story) naming its city. "A building in
        Valparaiso" is no named place."""
        if tok.lower_ not in self.facilities or upos(tok) not in ("NOUN", "PROPN") or (
                upos(tok) == "PROPN" and not _prep_objects(tok, {"at"})):
            return None  # ("Khmer Rouge Base at Pailin" in a headline: a base at a place)
        det = next((c for c in tok.children if c.dep_ in ("det", "poss")), None)
        definite = det is not None and det.lower_ not in ("a", "an", "some", "any", "no",
                                                          "every", "each", "another")
        if any(upos(o) == "PROPN" or _place_at(o, places) is not None
               for o in _prep_objects(tok, {"of"})):
            return None  # "the port of Mocimboa da Praia in Cabo Delgado": the town is named
        hosts = [c for c in tok.children if c.dep_ == "poss"] + _prep_objects(
            tok, {"at", "in"} if definite else {"at"})
        for h in hosts:
            host = self._area(ctx, sent, h, places, doc, rule)
            if host is not None:
                return self._facility_area(tok, host, places, doc, h)
        if bare and definite and any(c.dep_ in ("amod", "compound") and c.i < tok.i
                            and c.lower_ not in self.parts for c in tok.children):
            city = self._city_near(ctx, sent, tok, places)  # "the presidential palace"
            if city is not None:
                return self._facility_area(tok, _gaz_area(city, city.text), places, doc)
        return None

    @staticmethod
    def _facility_area(tok, host: Area, places, doc, host_tok=None) -> Area:
        """The facility ``tok`` heads, kept under ``host``: its name is its own words
        ("international airport", "Bab al-Aziziya compound"), its text adds the host's."""
        skip = set(host_tok.subtree) if host_tok is not None else {
            t for t in tok.subtree if _place_at(t, places) is not None}
        words = [t for c in tok.lefts if c.dep_ in ("amod", "compound", "nmod", "npadvmod")
                 and c.lower_ not in HOLDING  # "the Houthi-controlled port": not its name
                 for t in c.subtree if t not in skip
                 and t.dep_ not in ("det", "poss", "case", "punct")]
        name = _join({*words, tok})
        written = host.text or host.name
        text = f"{name} {written}" if host_tok is not None and host_tok.i > tok.i \
            else f"{written} {name}"
        return Area(name=name, within=host.name, country=host.country, feature="facility",
                    lat=host.lat, lon=host.lon, text=text)

    def _is_actor(self, ctx, sent, toks) -> bool:
        lo = min(t.idx for t in toks)
        hi = max(t.idx + len(t.text) for t in toks)
        return any(m.ref.start <= lo and hi <= m.ref.end and m.kind not in ("capital", "country")
                   for m in ctx.actors.get(sent.index, ()))

    def _local(self, ctx, sent, tok, name, places, doc) -> Area:
        """A place the gazetteer lacks, kept under its city."""
        city = None
        for t in _prep_objects(tok, {"of", "in"}) + [c for c in tok.children if c.dep_ == "poss"]:
            city = _place_at(t, places)
            if city is not None:
                break
        country = None
        if city is None:
            city = self._city_near(ctx, sent, tok, places)
            if city is not None and upos(tok) == "NOUN" and tok.lower_.rstrip("s") in REGIONS:
                # a district or a bare name lies in the city the sentence names; "the Fao
                # peninsula", "the Panjshir valley" in none (in its country)
                country, city = city.country, None
        return Area(name=name, within=city.name if city else None,
                    country=city.country if city else (country or ctx.default_country or None),
                    feature="local", lat=city.lat if city else None,
                    lon=city.lon if city else None, text=name)

    def _city_near(self, ctx, sent, tok, places):
        cities = [p for p in places if p.feature not in ("country",)
                  and not (p.start <= tok.idx < p.end)]
        if cities:
            return min(cities, key=lambda p: abs(p.start - tok.idx))
        return self._previous_city(ctx, sent, back=6)

    def _antecedent_city(self, ctx, sent, tok, places) -> Area | None:
        before = [p for p in places if p.end <= tok.idx and p.feature not in ("country", "admin1")
                  and not self._names_a_thing(tok.doc, p)]
        place = before[-1] if before else self._previous_city(ctx, sent, back=2)
        return _gaz_area(place, tok.text) if place is not None else None

    def _names_a_thing(self, doc, place) -> bool:
        """A place name modifying a noun that is no place: "the Khasavyurt accord", "Baghdad
        radio" (not "the Jaffna peninsula", "Aden's airport")."""
        span = doc.char_span(place.start, place.end, alignment_mode="expand")
        if span is None or not len(span):
            return False
        last = span[-1]
        return last.dep_ in ("compound", "amod", "nmod") and last.head.i > last.i \
            and upos(last.head) == "NOUN" and not self._is_area(last.head.lower_) \
            and last.head.lower_ not in self.facilities

    def _previous_city(self, ctx, sent, back: int):
        # a headline's place is named in the lead: look at the first body sentences
        indices = range(3) if sent.index < 0 else \
            range(sent.index - 1, max(-1, sent.index - 1 - back), -1)
        for idx in indices:
            s = ctx.sentences.get(idx)
            if s is None:
                continue
            found = [p for p in self.coder.places.find(s.text, focus=ctx.focus)
                     if p.feature not in ("country", "admin1")]
            if found:
                return found[-1]
        return None


def _after_comma(clause) -> bool:
    """A clause set off by a comma ("the city, which Kurdish forces have held"): it describes
    a thing already named, and names none."""
    first = clause.left_edge
    return first.i > 0 and clause.doc[first.i - 1].text == ","


def _title_line(doc) -> bool:
    """A headline in title case ("Syrian Army Retakes Aleppo's Masaken Hanano District"): its
    area words are capitalised like names ("the Golden Temple" in a sentence is a name)."""
    long = [t for t in doc if t.is_alpha and len(t.text) > 3]
    return len(long) >= 3 and sum(t.text[0].isupper() for t in long) >= 0.8 * len(long)


def _in_name(word, place) -> bool:
    """A compass word that is part of the place's own name ("Eastern Ghouta")."""
    return place is not None and place.start <= word.idx < place.end \
        and fold(word.text) in fold(place.name or "").split()


def _first_index(tok) -> int:
    return min([tok.i] + [c.i for c in tok.children if c.dep_ == "compound"])
# participles of holding: "rebel-held", "Houthi-controlled" say who holds, not what it is
HOLDING = frozenset({"held", "controlled", "occupied", "run", "dominated", "ruled"})
NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}


def _count(tok) -> int | None:
    """A whole number written in digits or as a word ("14", "nine")."""
    if re.fullmatch(r"\d+", tok.text):
        return int(tok.text)
    return NUMBER_WORDS.get(tok.lower_)


def _place_at(tok, places):
    for p in places:
        if p.start <= tok.idx < p.end:
            return p
    return None
def _gaz_area(place, text) -> Area:
    feature = place.feature or "city"
    return Area(name=place.name or place.text, within=None, country=place.country,
                feature=feature, lat=place.lat, lon=place.lon, geonameid=place.geonameid,
                text=place.text or text)

def _join(toks) -> str:
    """Words as written: "al-Walid" adjacent, a space between words apart."""
    toks = sorted(toks, key=lambda t: t.i)
    return "".join(t.text + ((t.whitespace_ or "") if n.i == t.i + 1 else " ")
                   for t, n in zip(toks, toks[1:])) + (toks[-1].text if toks else "")


def _name_tokens(tok, parts) -> list:
    """The proper-noun words naming an area word ("the Sheikh Saeed district"), in order."""
    out = []
    for c in tok.children:
        # "the Fao peninsula": a capitalised word the tagger calls an adjective names it too
        odd_adj = c.dep_ == "amod" and upos(c) == "ADJ" and c.i > 0 and c.text[:1].isupper() \
            and not c.text.isupper() and not tok.text[:1].isupper() \
            and not _prep_objects(tok, {"of"})  # "the Shi'ite villages of Foua": descriptive
        if (c.dep_ in ("compound", "nmod") and upos(c) == "PROPN" or odd_adj) and c.i < tok.i \
                and c.lower_ not in parts and c.text[:1].isupper():
            out += [t for t in c.subtree if t.dep_ in ("compound", "nmod", "flat") or t is c]
    out = sorted(set(out), key=lambda t: t.i)
    # "the Khalid ibn al-Walid mosque": the words between the name's first and last too
    between = list(tok.doc[out[0].i:out[-1].i + 1]) if out else []
    if between and all(t.dep_ not in ("det", "poss", "case", "cc") and t.text != ","
                       for t in between):
        return between
    return out


def _prep_objects(tok, preps: set[str]) -> list:
    out = []
    for child in tok.children:
        if child.dep_ in ("prep", "agent", "dative") and (not preps or child.lower_ in preps):
            for g in child.children:
                if g.dep_ == "pobj":
                    out.extend(conjuncts(g))
                elif g.dep_ == "prep":  # "out of": the particle's own preposition
                    out.extend(c for gg in g.children if gg.dep_ == "pobj" for c in conjuncts(gg))
    return out






