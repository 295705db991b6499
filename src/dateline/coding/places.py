"""Place mentions in a sentence, and the place where an event happened.

``PlaceFinder.find`` scans a sentence for gazetteer names:

* Capitalised text: runs of capitalised tokens (lower-case connectors such as "az", "al",
  "of", "and" may sit inside: "Dayr az Zawr", "Bosnia and Herzegovina") are matched
  longest first, up to 4 tokens. A name inside a longer run that is neither a place word
  ("Tabqa Dam", "Idlib Province") nor another place is most likely part of a person's or
  an organisation's name ("Bashar al-Assad", "Aleppo University" is kept through its
  facility word): it is kept only for countries and places of >= 1,000,000 people. After
  a title ("President", "General") nothing is a place. A compass word before the name is
  kept in the surface and the base place resolved ("east Aleppo", "northern Syria"); a
  region word after it asks for the first-level region ("Idlib province").
* Lower-case text (IndiaPoliceEvents): names right after a location preposition
  (in/at/near/from/outside ...; "of" only after a place noun: "the city of x"), a
  "city:" dateline at the start, and anywhere the primary name of a place of >= 100,000
  people, a country or a first-level region.
* Finer places GeoNames lacks fall back to the place they are in: "the Shaar
  neighbourhood of east Aleppo", "the al-Shaar district of Aleppo", "a village near Idlib"
  resolve to Aleppo / Idlib with ``text`` the whole finer phrase.

``locate`` picks the place where the event happened: see its docstring.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from dateline.gazetteer import BIG_PLACE, SMALL_PLACE, Gazetteer, fold
from dateline.gazetteer.index import CITY
from dateline.model import Place

_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W\d_](?:(?:â€™|[\w'’ʿʾ‘`\-])*[^\W_])?|\d[\d,.]*|[^\w\s]")
_POSSESSIVE = re.compile(r"(?:['’]|â€™)s$")
_ARTICLE_CAP = re.compile(r"^(?:al|el|an|ar|as|ash|at|ad|az|ed|en|er|es|et|ez|ul|ad)-[A-Z]")
_DATELINE = re.compile(r"^\s*([a-z][a-z .'\-]{1,40}?)\s*:")
# an opening "city:" dateline of any case, with a district in brackets or a second city after
# a slash ("jamdudhai (jamnagar):", "gandhinagar/ahmedabad:", "LUCKNOW:")
_OPENING = re.compile(
    r"^\s*(?P<place>[A-Za-z][A-Za-z.'\-]*(?: [A-Za-z][A-Za-z.'\-]*){0,3}?)"
    r"(?:\s*\((?P<alt>[A-Za-z][A-Za-z .'\-]{1,30})\))?"
    r"(?:\s*/\s*(?P<also>[A-Za-z][A-Za-z.'\-]*(?: [A-Za-z][A-Za-z.'\-]*){0,2}?))?\s*:\s*")
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "this", "that"}
_PLACE_ADJ_TAILS = frozenset({"bound", "hit", "torn", "affected", "held", "controlled",
                              "dominated", "ravaged", "stricken", "prone"})
_QUANTIFIERS = frozenset({"several", "some", "many", "various", "all", "both", "other",
                          "few", "most"})
# lower-case words after a name that make it a place ("nalanda police", "mehsana district")
_AFTER_NAME = frozenset({"police", "district", "village", "town", "tehsil", "taluka",
                         "city", "division"})
# adjectives between a location preposition and a lower-case name ("in nearby godhra")
_PLACE_ADJECTIVES = frozenset({"nearby", "neighbouring", "neighboring", "adjoining",
                               "sensitive", "tense", "remote", "troubled", "riot-hit",
                               "curfew-bound"})
# words before a place that make it what an event is about, not where it happened
_TOPIC = frozenset({"against", "about", "over", "on", "for", "regarding", "concerning",
                    "re", "upon"})
_TARGET = frozenset({"on", "against", "over", "upon"})  # for material acts: the target
_ALONG = frozenset({"through", "along", "via", "past"})  # "marched through central Lima"
# verbs whose object is the place itself ("retake Aleppo", "shelled Homs", "visited Godhra")
_TAKING = frozenset(
    f"{stem}{end}" for stem in ("retake", "recapture", "capture", "seize", "storm", "enter",
                                "besiege", "shell", "bomb", "attack", "raid", "strike",
                                "target", "liberate", "overrun", "encircle", "visit", "tour",
                                "invade", "occupy", "hit", "take", "reach", "leave")
    for end in ("", "s", "d", "ed", "ing")) | {"retook", "recaptured", "took", "taken",
                                                "struck", "seized", "hitting", "shelled",
                                                "shelling", "visited", "left", "occupied",
                                                "raided", "bombed", "bombing", "reached"}
EMBEDDED_MIN = 1_000_000  # a name inside a longer capitalised name needs this many people
_MEMO_LIMIT = 200_000


# standalone Arabic articles that are also English words join a name only before their
# sun letter ("Tall as Sultan", "Jisr ash Shughur"; not "Summit at Amiens")
_SUN_JOIN = {"an": "n", "as": "s", "at": "t", "ad": "d", "ar": "r", "az": "z", "ash": "sh",
             "ath": "th", "en": "n", "es": "s", "ed": "d", "er": "r", "ez": "z", "et": "t"}


def _joins(connector: str, nxt: str) -> bool:
    need = _SUN_JOIN.get(connector)
    return need is None or nxt.startswith(need)


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    text: str
    low: str
    cap: bool


# "the Tunisian capital", "the Afghan capital": a country adjective before "capital"
THE_CAPITAL = re.compile(r"\b[Tt]he ([A-Z][a-z]+(?:-[A-Z][a-z]+)?) capital\b")


@dataclass
class _Match:
    i: int  # first token of the name
    j: int  # one past its last token
    slot: int
    start: int  # surface, with directions / region words / finer parts
    end: int
    cue: bool
    part: bool = False  # a part of a hyphenated token ("UK-France"): kept as is


class PlaceFinder:
    """Finds place mentions; built once per coder over a loaded Gazetteer (no I/O)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.words = gazetteer.words
        self._preps = self._by_last(self.words.prep)
        self._weak = self._by_last(self.words.prep_weak)
        self._fold_memo: dict[str, str] = {}
        self._last_tokens: tuple[str, list[_Tok]] | None = None
        idx = gazetteer.index
        big: set[str] = set()
        for slot, pop in enumerate(idx.population):
            if (pop >= BIG_PLACE and idx.feature[slot] == 0) or idx.feature[slot] == 1:
                big.add(fold(idx.names[slot]))
        for a1 in idx.admin1_names:
            big.add(fold(a1))
        big.update(k for k in idx.country_keys if len(k) >= 4)
        self._big_lower = frozenset(k for k in big if k not in gazetteer.stopwords)
        self._big_first = frozenset(k.split(" ")[0] for k in self._big_lower)
        # region names ("Middle East", "Gulf of Aden"), as token tuples, by first token
        self._regions: dict[str, list[tuple[str, ...]]] = {}
        for r in sorted(self.words.region, key=lambda r: -len(r.split())):
            words = tuple(r.lower().split())
            if words and words[0] != "the":
                self._regions.setdefault(words[0], []).append(words)

    def _region_at(self, toks: list[_Tok], i: int, end: int | None = None) -> int:
        """How many tokens from ``i`` name a region of several countries or none ("the
        Levant", "Gulf of Aden", "Middle East"); 0 when none does."""
        end = len(toks) if end is None else end
        for words in self._regions.get(toks[i].low, ()):
            n = len(words)
            if i + n <= end and all(toks[i + k].low == words[k] for k in range(n)):
                return n
        return 0

    # -- scanning ---------------------------------------------------------------------
    def _fold(self, text: str) -> str:
        key = self._fold_memo.get(text)
        if key is None:
            if len(self._fold_memo) > _MEMO_LIMIT:
                self._fold_memo.clear()
            key = self._fold_memo[text] = fold(text)
        return key

    def _tokens(self, text: str) -> list[_Tok]:
        """The tokens of ``text``; the last sentence's are kept, since ``find`` and then
        ``locate`` for each of its events read the same sentence."""
        last = self._last_tokens
        if last is not None and last[0] is text:
            return last[1]
        toks = self._tokenize(text)
        self._last_tokens = (text, toks)
        return toks

    @staticmethod
    def _tokenize(text: str) -> list[_Tok]:
        toks: list[_Tok] = []
        for m in _TOKEN.finditer(text):
            s, e, t = m.start(), m.end(), m.group()
            pm = _POSSESSIVE.search(t) if len(t) > 2 else None
            if pm:
                cut = len(pm.group())
                while cut < len(t) - 1 and t[-cut - 1] in "'’":
                    cut += 1
                e -= cut
                t = t[:-cut]
            cap = t[:1].isupper() or bool(_ARTICLE_CAP.match(t))
            toks.append(_Tok(s, e, t, t.lower(), cap))
            if pm:
                toks.append(_Tok(e, m.end(), "'s", "'s", False))
        return toks

    def find(self, text: str, focus: Sequence[str] = ()) -> list[Place]:
        """Place mentions in ``text`` (offsets into it), in text order."""
        if not text:
            return []
        toks = self._tokens(text)
        if not toks:
            return []
        lower = not any(t.cap for k, t in enumerate(toks)
                        if k > 0 and toks[k - 1].text not in (".", "!", "?", ":", '"', "“", "("))
        matches = self._find_lower(text, toks, focus) if lower else self._find_caps(text, toks, focus)
        out: list[Place] = []
        for m in sorted(matches, key=lambda m: (m.start, m.start - m.end)):
            if out and m.start < out[-1].end:
                continue
            out.append(self.gaz.place(m.slot, text[m.start:m.end]))
            out[-1].start, out[-1].end = m.start, m.end
        for c in THE_CAPITAL.finditer(text):
            # "in the Tunisian capital": the capital city of the country the adjective names
            iso = self.gaz.country(c.group(1), adjectives=True)
            slot = self.gaz.capital(iso) if iso else None
            if slot is None or any(p.start < c.end() and c.start(1) < p.end for p in out):
                continue
            out.append(self.gaz.place(slot, text[c.start(1):c.end()]))
            out[-1].start, out[-1].end = c.start(1), c.end()
        out.sort(key=lambda p: p.start)
        return out

    def _runs(self, toks: list[_Tok]) -> list[tuple[int, int]]:
        runs, i, n = [], 0, len(toks)
        conn = self.words.connector
        while i < n:
            if not toks[i].cap:
                i += 1
                continue
            j = i + 1
            while j < n:
                if toks[j].cap and toks[j].start - toks[j - 1].end <= 1:
                    j += 1
                elif (toks[j].low in conn and j + 1 < n and toks[j + 1].cap
                      and toks[j].start - toks[j - 1].end <= 1 and _joins(toks[j].low, toks[j + 1].low)):
                    j += 2
                elif (toks[j].low in conn and j + 2 < n and toks[j + 1].low in conn
                      and toks[j + 2].cap and toks[j].low in ("de", "di", "da", "do")):
                    j += 3  # "San Cristobal de las Casas", "Ciudad de la Paz"
                else:
                    break
            runs.append((i, j))
            i = j
        return runs

    def _find_caps(self, text: str, toks: list[_Tok], focus: Sequence[str]) -> list[_Match]:
        out: list[_Match] = []
        w = self.words
        for ri, rj in self._runs(toks):
            if ri > 0 and toks[ri - 1].low in w.title:
                continue
            i, found = ri, []
            while i < rj:
                if toks[i].low in w.title:  # a person's name follows, up to an "of"
                    while i < rj and toks[i].low != "of":
                        i += 1
                    continue
                region = self._region_at(toks, i, rj)
                if region:  # "Middle East", "Gulf of Aden": no town of that name
                    i += region
                    continue
                hit = None
                # up to four words, or six when links sit inside ("San Cristobal de las Casas")
                widest = 6 if any(toks[k].low in w.connector for k in range(i, rj)) else 4
                for j in range(min(rj, i + widest), i, -1):
                    if j - 1 > i and toks[j - 1].low in w.connector:
                        continue
                    hit = self._match_caps(text, toks, i, j, ri, rj, focus)
                    if hit:
                        break
                if hit:
                    found.append(hit)
                    i = hit.j
                else:
                    found.extend(self._hyphen_parts(text, toks, i, focus))
                    i += 1
            covered = set()
            for m in found:
                covered.update(range(m.i, m.j))
            # "X and Y" is a list: each side is judged alone
            seg, segs = 0, {}
            for k in range(ri, rj):
                if toks[k].low == "and" and k not in covered:
                    seg += 1
                segs[k] = seg
            loose = {segs[k] for k in range(ri, rj)
                     if k not in covered and not self._place_word(toks[k].low)}
            for m in found:
                if segs[m.i] in loose and not self._strong(m.slot):
                    continue
                if m.j < rj and m.j not in covered and not self._place_word(toks[m.j].low) \
                        and self.gaz.index.feature[m.slot] == CITY \
                        and self._fold(text[m.start:m.end]) != self._fold(self.gaz.index.names[m.slot]):
                    continue  # "Adan Yabaal": another name goes on after a town's alias
                out.append(m if m.part else self._widen(text, toks, m))
        return out

    def _hyphen_parts(self, text: str, toks: list[_Tok], i: int,
                      focus: Sequence[str]) -> list[_Match]:
        """Countries and big places inside a hyphenated token: "UK-France", "Syria-Iraq"."""
        t = toks[i]
        if "-" not in t.text or _ARTICLE_CAP.match(t.text):
            return []
        out, pos = [], t.start
        for part in t.text.split("-"):
            if part[:1].isupper():
                slot = self.gaz.resolve_slot(part, focus, fuzzy=False)
                if slot is not None and self._strong_part(slot):
                    out.append(_Match(i, i + 1, slot, pos, pos + len(part), False, part=True))
            pos += len(part) + 1
        return out

    def _strong_part(self, slot: int) -> bool:
        idx = self.gaz.index
        return idx.feature[slot] == 2 or idx.population[slot] >= BIG_PLACE

    def _place_word(self, low: str) -> bool:
        w = self.words
        return (low in w.direction or low in w.admin or low in w.facility or low in w.subplace
                or low in w.connector or low in w.prep or low == "'s")

    def _strong(self, slot: int) -> bool:
        idx = self.gaz.index
        return idx.feature[slot] == 2 or idx.population[slot] >= EMBEDDED_MIN

    def _match_caps(self, text: str, toks: list[_Tok], i: int, j: int, ri: int, rj: int,
                    focus: Sequence[str]) -> _Match | None:
        surface = text[toks[i].start:toks[j - 1].end]
        key = self._fold(surface)
        if not key or toks[i].low in self.words.direction and j - i == 1:
            return None
        if j - i == 1 and surface.replace(".", "").isupper() and len(surface) <= 5 \
                and not self.gaz.country(surface, adjectives=False):
            return None  # an acronym ("EU", "ISIL"), not a town
        # a whole run may be matched loosely (spelling variants), but not a possessive: a
        # name unknown as written before "'s" is a firm's or person's ("Hyundai's plant")
        whole = i == ri and (j == rj or self._place_word(toks[j].low)) \
            and (j >= len(toks) or toks[j].low != "'s")
        if key not in self.gaz.index.exact and not self.gaz.index.country_keys.get(key) \
                and not self.gaz.country(surface, adjectives=False) and not (whole and len(key) >= 5):
            return None
        cue = self._cue(toks, i, j) == 2
        prefer = "admin1" if j < len(toks) and toks[j].low in self.words.admin else None
        if i > 0 and toks[i - 1].low in self.words.admin and i > 1 and toks[i - 1].low != "state":
            prefer = prefer or ("admin1" if toks[i - 1].low in ("province", "governorate") else None)
        if i > 1 and toks[i - 1].text == "," and toks[i - 2].cap and self.gaz.is_admin1_name(surface):
            prefer = "admin1"  # "Woodbridge, Virginia": the state, not a town called Virginia
        if self._person(toks, i, j, surface):
            return None
        within = self._within(toks, j)
        slot = self.gaz.resolve_slot(surface, focus, cue=cue, prefer=prefer, within=within)
        if slot is None and within is not None and toks[j].low == "in" \
                and self.gaz.is_admin1_name(self._in_name(toks, j + 1)):
            # "Atlanta in Georgia": a country's name that is also a region's; none in the
            # country, as if unsaid ("Palma in Mozambique" is no Palma of Spain)
            slot = self.gaz.resolve_slot(surface, focus, cue=cue, prefer=prefer)
        if slot is None:
            return None
        return _Match(i, j, slot, toks[i].start, toks[j - 1].end, cue)

    def _within(self, toks: list[_Tok], j: int) -> tuple[str, str | None] | None:
        """ "Palmyra, Syria", "Vermillion, South Dakota": the country (and region) a comma
        and a country or first-level region name after the name place it in."""
        if j + 1 < len(toks) and toks[j].low == "in":
            return self._in_country(toks, j + 1)
        if j + 1 >= len(toks) or toks[j].text != "," or not toks[j + 1].cap:
            return None
        for n in (3, 2, 1):
            k = j + 1 + n
            if k > len(toks) or not all(t.cap or t.low in self.words.connector
                                        for t in toks[j + 1:k]):
                continue
            where = self.gaz.where(" ".join(t.text for t in toks[j + 1:k]))
            if where is not None:
                return where
        return None

    def _in_country(self, toks: list[_Tok], k: int) -> tuple[str, str | None] | None:
        """ "Palma in northern Mozambique", "Bor in South Sudan's Jonglei state": the country
        an "in" after the name places it in (a country only: "Kassoumba in the north" and
        "a town in Texas" say nothing here)."""
        name = self._in_name(toks, k)
        iso = self.gaz.country(name, adjectives=False) if name else None
        return (iso, None) if iso is not None else None

    def _in_name(self, toks: list[_Tok], k: int) -> str:
        """The capitalised name after "in" (and compass words) at token ``k``: "Sierra
        Leone" of "in southern Sierra Leone's"; "" when none."""
        while k < len(toks) and (toks[k].low in self.words.direction or toks[k].low == "the"):
            k += 1
        j = k
        while j < len(toks) and j - k < 3 and toks[j].cap:
            j += 1
        return " ".join(t.text for t in toks[k:j])

    def _person(self, toks: list[_Tok], i: int, j: int, surface: str) -> bool:
        """A one-word name of a small place right before a speech verb or ", who" is a
        person ("Davis said", "Cook told reporters", "Dayton, who served ...")."""
        if j - i != 1 or self.gaz.country(surface, adjectives=False) or self.gaz.is_admin1_name(surface):
            return False
        k = j + 1 if j < len(toks) and toks[j].text == "," else j
        if k >= len(toks) or toks[k].low not in self.words.speech:
            return False
        if k == j and toks[k].low in ("who", "whose"):
            return False  # "... in Aleppo who" is rare; "Davis, who" needs the comma
        slots = self.gaz.slots(surface)
        return not any(self.gaz.index.population[s] >= EMBEDDED_MIN for s in slots)

    def _cue(self, toks: list[_Tok], i: int, j: int) -> int:
        """How strongly the context says tokens i..j name a place: 2 for a location
        preposition ("in", "near", "north of"), a place noun ("the town of") or a following
        ", Country"; 1 for a weak preposition ("from", "of", "to"); else 0."""
        k = i
        while k > 0 and toks[k - 1].low in self.words.direction:
            k -= 1
        while k > 0 and (toks[k - 1].low in _QUANTIFIERS or self._adjective(toks[k - 1])):
            k -= 1  # "in several north Gujarat areas", "in curfew-bound Prantij"
        if k > 0 and toks[k - 1].low in _DETERMINERS:
            k -= 1
        if self._prep_before(toks, k, self._preps):
            return 2
        if k >= 2 and toks[k - 1].low in ("of", "near", "outside") and toks[k - 2].low in self.words.subplace:
            return 2
        if k >= 3 and (toks[k - 1].low in self.words.subplace or toks[k - 1].low == "capital") \
                and toks[k - 2].low in _DETERMINERS and self._prep_before(toks, k - 2, self._preps):
            return 2  # "in the capital Juba", "at the town Kishangarh"
        if j + 1 < len(toks) and toks[j].text == "," and toks[j + 1].cap:
            nxt = toks[j + 1].text
            if self.gaz.country(nxt, adjectives=False) or self.gaz.is_admin1_name(nxt):
                return 2
        return 1 if self._prep_before(toks, k, self._weak) else 0

    @staticmethod
    def _by_last(phrases: frozenset[str]) -> dict[str, list[tuple[str, ...]]]:
        """Phrases by their last word, longest first."""
        out: dict[str, list[tuple[str, ...]]] = {}
        for p in sorted((tuple(p.split()) for p in phrases), key=len, reverse=True):
            out.setdefault(p[-1], []).append(p)
        return out

    @staticmethod
    def _prep_before(toks: list[_Tok], k: int, preps: dict[str, list[tuple[str, ...]]]) -> bool:
        if k <= 0:
            return False
        for p in preps.get(toks[k - 1].low, ()):
            n = len(p)
            if n == 1 or (k >= n and tuple(t.low for t in toks[k - n:k]) == p):
                return True
        return False

    def _widen(self, text: str, toks: list[_Tok], m: _Match) -> _Match:
        """Directions before, region/facility words after, finer parts in front."""
        w = self.words
        i, j = m.i, m.j
        while i > 0 and toks[i - 1].low in w.direction and toks[i].start - toks[i - 1].end <= 1:
            i -= 1
        if j < len(toks) and (toks[j].low in w.admin or (toks[j].cap and toks[j].low in w.facility)):
            j += 1
        start = toks[i].start
        # finer part: "[the] [al-]Shaar neighbourhood of [east] Aleppo", "a village near Idlib",
        # "eastern Ghouta near Damascus"
        if i >= 2 and toks[i - 1].low in ("of", "in", "near", "outside"):
            k = i - 2
            if toks[k].low in w.subplace:
                while k > 0 and toks[k - 1].low in w.subplace:
                    k -= 1
                sub = k
                if k > 0 and toks[k - 1].cap and toks[k - 1].low not in w.title:
                    k -= 1
                    while k > 0 and toks[k - 1].cap and toks[k - 1].low not in _DETERMINERS:
                        k -= 1
                    name = text[toks[k].start:toks[sub - 1].end]
                    if self.gaz.country(name, adjectives=False) or self.gaz.is_admin1_name(name):
                        k = sub  # "the Mali town of Kidal": the country is larger, not a part
                start = toks[k].start
            elif toks[i - 1].low in ("near", "outside") and toks[k].cap and toks[k].text != ",":
                while k > 0 and (toks[k - 1].cap or toks[k - 1].low in w.direction):
                    k -= 1
                if self.gaz.resolve_slot(text[toks[k].start:toks[i - 2].end]) is None:
                    start = toks[k].start
        return replace(m, start=start, end=toks[j - 1].end)

    def _find_lower(self, text: str, toks: list[_Tok], focus: Sequence[str]) -> list[_Match]:
        out: list[_Match] = []
        n = len(toks)
        starts: dict[int, bool] = {}
        dm = _DATELINE.match(text)
        if dm:
            for k, t in enumerate(toks):
                if t.start >= dm.start(1):
                    starts[k] = True
                    break
        for k in range(n):
            if k + 1 < n and toks[k + 1].low in _AFTER_NAME and toks[k].low not in _DETERMINERS \
                    and toks[k].text[:1].isalpha():
                starts.setdefault(k, True)  # "nalanda police", "mehsana district"
            if self._prep_before(toks, k, self._preps) or (k > 0 and toks[k - 1].low in _TAKING):
                starts[k] = True  # "in godhra", "visited ayodhya"
            elif k >= 2 and self._prep_before(toks, k - 1, self._preps) and (
                    "-" in toks[k - 1].text or toks[k - 1].low in _PLACE_ADJECTIVES):
                starts[k] = True  # "in curfew-bound prantij", "in nearby godhra"
            elif k >= 2 and toks[k - 1].low in ("of", "near") and toks[k - 2].low in self.words.subplace:
                starts[k] = True
            elif k >= 3 and toks[k - 1].low in _DETERMINERS and self._prep_before(toks, k - 1, self._preps):
                starts[k] = True
            elif self._prep_before(toks, k, self._weak):
                starts.setdefault(k, False)
        stop = self.gaz.stopwords
        # span[i]: how many words from i on form one stretch (letters, single spaces), <= 3
        span = [0] * (n + 1)
        for k in range(n - 1, -1, -1):
            if toks[k].text[:1].isalpha():
                joined = k + 1 < n and toks[k + 1].start - toks[k].end <= 1
                span[k] = min(3, 1 + (span[k + 1] if joined else 0))
        i = 0
        while i < n:
            hit = None
            region = self._region_at(toks, i)
            if region:
                i += region
                continue
            if "-" in toks[i].text and span[i]:
                # "the lucknow-barabanki border": each side judged as a name after a cue
                out.extend(self._lower_parts(text, toks, i, focus, i in starts))
            if toks[i].low in _DETERMINERS or not span[i] or (
                    i not in starts and self._fold(toks[i].text).split(" ")[0] not in self._big_first):
                i += 1
                continue
            for j in range(i + span[i], i, -1):
                if j == i + 1 and toks[i].low in stop or toks[j - 1].low in _DETERMINERS:
                    continue
                surface = text[toks[i].start:toks[j - 1].end]
                key = self._fold(surface)
                if i in starts:
                    slot = self.gaz.resolve_slot(surface, focus, cue=True, capitalised=False,
                                                 fuzzy=False)
                    if slot is not None and self._good_lower(slot, key, focus, starts[i]):
                        hit = _Match(i, j, slot, toks[i].start, toks[j - 1].end, starts[i])
                        break
                if key in self._big_lower:
                    slot = self.gaz.resolve_slot(surface, focus, cue=True, capitalised=False,
                                                 fuzzy=False)
                    if slot is not None and self._good_lower(slot, key, focus, False):
                        hit = _Match(i, j, slot, toks[i].start, toks[j - 1].end, False)
                        break
            if hit:
                out.append(self._widen(text, toks, hit))
                i = hit.j
            else:
                i += 1
        return out

    def _lower_parts(self, text: str, toks: list[_Tok], i: int, focus: Sequence[str],
                     cue: bool) -> list[_Match]:
        """Places inside a hyphenated lower-case token ("lucknow-barabanki"): big places
        anywhere, smaller ones of a focus country after a location cue."""
        t = toks[i]
        out, pos = [], t.start
        for part in t.text.split("-"):
            key = self._fold(part)
            if len(key) >= 4 and key not in self.gaz.stopwords:
                slot = self.gaz.resolve_slot(part, focus, cue=True, capitalised=False, fuzzy=False)
                if slot is not None and self._good_lower(slot, key, focus, cue or key in self._big_lower):
                    out.append(_Match(i, i + 1, slot, pos, pos + len(part), cue, part=True))
            pos += len(part) + 1
        return out[:1] if len(out) > 1 and not cue else out

    def _good_lower(self, slot: int, key: str, focus: Sequence[str], cue: bool) -> bool:
        """Lower-case text: a country or region, the own name of a big place, or (after a
        location preposition) the own name of a place in a focus country."""
        idx = self.gaz.index
        feature, in_focus = idx.feature[slot], idx.countries[idx.country[slot]] in focus
        if feature == 2 or (feature == 1 and (in_focus or cue)):
            return True
        own = fold(idx.names[slot]) == key
        if own and idx.population[slot] >= BIG_PLACE and len(key) >= 4:
            return True
        # after a cue, a place of a focus country by its own name, or by another spelling
        # when it is a town of some size ("mehsana": Mahesana)
        return cue and in_focus and (own or idx.population[slot] >= SMALL_PLACE)

    # -- the article's dateline -----------------------------------------------------------
    def dateline(self, text: str, focus: Sequence[str] = ()) -> tuple[int, Place | None]:
        """The opening dateline of an article body, in any case ("BEIRUT, Dec 6 (Reuters) -
        ", "MAIDUGURI, Nigeria — ", "lucknow: ", "jamdudhai (jamnagar): ",
        "new delhi/ayodhya: "): how many characters it takes (0 without one) and the place
        it names (None when the gazetteer knows none)."""
        from dateline.ingest.text import dateline_end

        end = dateline_end(text)
        names: list[str] = []
        within = None
        if end:
            head = text[:end]
            first = re.split(r"\s*(?:,|\(|[-–—]|\s--)\s*", head.strip(), maxsplit=1)
            names.append(first[0])
            rest = head[len(first[0]):].lstrip(" ,")
            country = re.match(r"([A-Z][\w.'’\- ]{1,30}?)\s*(?:[-–—(]|$)", rest)
            if country:
                within = self.gaz.where(country.group(1).strip())
        else:
            m = _OPENING.match(text)
            if not m:
                return 0, None
            end = m.end()
            names += [g for g in (m.group("place"), m.group("alt"), m.group("also")) if g]
        for name in names:
            name = name.strip()
            if not name or len(name) > 40 or fold(name) in self.gaz.stopwords:
                continue
            slot = self.gaz.resolve_slot(name, focus, cue=True, capitalised=True, fuzzy=False,
                                         within=within)
            if slot is not None:
                place = self.gaz.place(slot, text[text.find(name):text.find(name) + len(name)])
                return end, replace(place, start=None, end=None)
        return end, None

    # -- where the event happened -----------------------------------------------------
    def locate(self, text: str, places: list[Place], trigger_start: int,
               trigger_end: int, clause: Sequence[tuple[int, int]] = (),
               roles: dict[tuple[int, int], str] | None = None,
               movement: bool = False, material: bool = True) -> Place | None:
        """The place (of ``places``, found in ``text``) where the event of the trigger at
        ``trigger_start:trigger_end`` happened, or None.

        Only a place in the trigger's own clause (``clause``: its character spans, when the
        caller parsed the sentence; else the whole sentence) that the words make the
        event's location counts:

        * after a location preposition ("in/at/near X", "the city of X", "from X");
        * the trigger's direct object for material acts and visits ("shelled Aleppo",
          "visited Godhra"; ``roles`` marks it "direct");
        * right before a noun trigger ("the Baghdad bombing", "the Godhra riots");
        * after "to"/"towards" only for movements (``movement``: "travel to Iraq",
          "deployed to Kirkuk"): elsewhere that is a destination, not where it happened;
        * after "on", "against", "over" only for material acts (``material``: "strikes on
          Aleppo", "the offensive against Mosul");
        * where the actor sits or what witnessed it (``roles`` "setting": "the Nalanda
          police arrested", "Patan, where a truck was seized", "Baroda witnessed attacks").

        Never a place that is what the event is about: in the object of words (``roles``
        "topic": "condemned the attack on a church in Islamabad"), after "about", "for",
        "regarding", or "on", "against", "over" for words ("protested against the Gujarat
        killings", "a statement on Ayodhya"), or a modifier of
        another noun (``roles`` marks it "modifier": "the Ayodhya dispute", "the Gujarat
        carnage"). Countries and capitals not after a location preposition are taken for
        actors ("Moscow accused Washington") and never chosen; so is a possessive. Among
        the places left, a preposition scores highest, then fineness (city > region >
        country) and closeness to the trigger. None when no place qualifies: the caller
        then takes the article's dateline.
        """
        if not places:
            return None
        toks = self._tokens(text)
        roles = roles or {}
        best, best_score = None, float("-inf")
        for p in places:
            if p.start is None or p.end is None:
                continue
            role = roles.get((p.start, p.end))
            if clause and role != "setting" and not any(a <= p.start and p.end <= b
                                                        for a, b in clause):
                continue
            score = self._location_score(text, toks, p, trigger_start, trigger_end,
                                         roles.get((p.start, p.end)), movement, material)
            if score is not None and score > best_score:
                best, best_score = p, score
        return best

    def _location_score(self, text: str, toks: list[_Tok], p: Place, ts: int, te: int,
                        role: str | None = None, movement: bool = False,
                        material: bool = True) -> float | None:
        k = next((n for n, t in enumerate(toks) if t.start >= p.start), None)
        e = next((n for n, t in enumerate(toks) if t.start >= p.end), len(toks))
        if k is None:
            return None
        base = self._base_token(toks, k, e)
        owner = k - 2 if k >= 2 and toks[k - 1].low in ("'s", "’s") and toks[k - 2].cap else None
        strong_prep = self._prep_before(toks, k, self._preps) or self._prep_before(
            toks, base, self._preps) or self._cue(toks, k, e) == 2 or (
            base != k and self._cue(toks, base, e) == 2) or (
            # "into Syria's Idlib province": the preposition before the owning country
            owner is not None and self._prep_before(toks, owner, self._preps))
        lead = self._lead_word(toks, k)
        possessive = e < len(toks) and toks[e].low == "'s"
        # "central Lima", "eastern Aleppo": a part of the city is a place, never an actor
        part_of = bool(p.text) and p.text.split()[0].lower() in self.words.direction
        actor_like = (p.feature == "country" or self.gaz.is_capital(p)) and not part_of
        if possessive and actor_like and not (
                strong_prep and e + 1 < len(toks)
                and (toks[e + 1].low in self.words.subplace or toks[e + 1].low in self.words.direction
                     or toks[e + 1].cap)):
            # ("across Harare's townships", "on Mosul's eastern bank", "in Tokyo's Hibiya
            # Park": a part of it; not "in Moscow's view")
            return None
        moving = lead in ("to", "towards", "toward") and movement
        if actor_like and not (strong_prep or moving or lead == "from" or lead in _ALONG
                               or role == "direct"):
            return None  # "Moscow accused", "Syria's army"; not "travel to Iraq"
        before_trigger = p.end <= ts and not text[p.end:ts].strip(" '’s")
        if role == "topic" or (lead in _TOPIC and not (material and lead in _TARGET)):
            return None
        if role == "modifier" and not before_trigger:
            return None  # "in the Godhra carnage": the preposition is the carnage's
        if strong_prep:
            evidence = 3.0
        elif role == "direct" or (material and lead in _TAKING):
            evidence = 2.5
        elif role == "setting":
            evidence = 1.5
        elif before_trigger:
            evidence = 2.0  # "the Baghdad bombing"
        elif lead == "from" or lead in _ALONG or (material and lead in _TARGET):
            evidence = 1.5
        elif moving:
            evidence = 1.5
        else:
            return None
        score = evidence + {"city": 2.0, "admin1": 1.0, "country": 0.0}.get(p.feature or "", 0.0)
        if p.text and any(w in self.words.subplace for w in p.text.lower().split()):
            score += 0.5  # a finer phrase: "the Shaar neighbourhood of Aleppo"
        gap = p.start - te if p.start >= te else ts - p.end
        score -= min(max(gap, 0), 300) / 100.0
        if possessive:
            score -= 1.0
        return score

    def _lead_word(self, toks: list[_Tok], k: int) -> str:
        """The word before a place name, past determiners and compass words ("against the
        Gujarat ...", "to northern Iraq")."""
        n = k - 1
        while n >= 0 and (toks[n].low in _DETERMINERS or toks[n].low in _QUANTIFIERS
                          or toks[n].low in self.words.direction or self._adjective(toks[n])):
            n -= 1
        return toks[n].low if n >= 0 else ""

    @staticmethod
    def _adjective(tok: _Tok) -> bool:
        """A lower-case word before a name that describes the place ("curfew-bound",
        "riot-hit", "nearby")."""
        return tok.low in _PLACE_ADJECTIVES or (
            "-" in tok.low and not tok.cap and tok.low.split("-")[-1] in _PLACE_ADJ_TAILS)

    def _base_token(self, toks: list[_Tok], k: int, e: int) -> int:
        """The first token of the place name itself, past a finer part or a direction."""
        w = self.words
        for n in range(e - 1, k - 1, -1):
            if toks[n].low in ("of", "near", "outside", "in") or toks[n].low in w.direction:
                return n + 1
        return k
