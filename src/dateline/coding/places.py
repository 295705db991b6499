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

from dateline.gazetteer import BIG_PLACE, Gazetteer, fold
from dateline.model import Place

_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W\d_](?:(?:â€™|[\w'’ʿʾ‘`\-])*[^\W_])?|\d[\d,.]*|[^\w\s]")
_POSSESSIVE = re.compile(r"(?:['’]|â€™)s$")
_ARTICLE_CAP = re.compile(r"^(?:al|el|an|ar|as|ash|at|ad|az|ed|en|er|es|et|ez|ul|ad)-[A-Z]")
_DATELINE = re.compile(r"^\s*([a-z][a-z .'\-]{1,40}?)\s*:")
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "this", "that"}
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
                hit = None
                for j in range(min(rj, i + 4), i, -1):
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
        whole = i == ri and (j == rj or self._place_word(toks[j].low))
        if key not in self.gaz.index.exact and not self.gaz.index.country_keys.get(key) \
                and not self.gaz.country(surface, adjectives=False) and not (whole and len(key) >= 5):
            return None
        cue = self._cue(toks, i, j) == 2
        prefer = "admin1" if j < len(toks) and toks[j].low in self.words.admin else None
        if i > 0 and toks[i - 1].low in self.words.admin and i > 1 and toks[i - 1].low != "state":
            prefer = prefer or ("admin1" if toks[i - 1].low in ("province", "governorate") else None)
        slot = self.gaz.resolve_slot(surface, focus, cue=cue, prefer=prefer)
        if slot is None:
            return None
        return _Match(i, j, slot, toks[i].start, toks[j - 1].end, cue)

    def _cue(self, toks: list[_Tok], i: int, j: int) -> int:
        """How strongly the context says tokens i..j name a place: 2 for a location
        preposition ("in", "near", "north of"), a place noun ("the town of") or a following
        ", Country"; 1 for a weak preposition ("from", "of", "to"); else 0."""
        k = i
        while k > 0 and toks[k - 1].low in self.words.direction:
            k -= 1
        if k > 0 and toks[k - 1].low in _DETERMINERS:
            k -= 1
        if self._prep_before(toks, k, self._preps):
            return 2
        if k >= 2 and toks[k - 1].low in ("of", "near", "outside") and toks[k - 2].low in self.words.subplace:
            return 2
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
                if k > 0 and toks[k - 1].cap and toks[k - 1].low not in w.title:
                    k -= 1
                    while k > 0 and toks[k - 1].cap and toks[k - 1].low not in _DETERMINERS:
                        k -= 1
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
            if self._prep_before(toks, k, self._preps):
                starts[k] = True
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
        return cue and own and in_focus

    # -- where the event happened -----------------------------------------------------
    def locate(self, text: str, places: list[Place], trigger_start: int,
               trigger_end: int, clause: Sequence[tuple[int, int]] = ()) -> Place | None:
        """The place (of ``places``, found in ``text``) where the event of the trigger at
        ``trigger_start:trigger_end`` happened, or None.

        A place right after a location preposition ("in/at/near X", "the city of X") scores
        highest, then closeness to the trigger and fineness (city > region > country).
        Countries and capitals not after a location preposition are taken for actors
        ("Moscow accused Washington", "Syria's army", "the President of Russia") and never
        chosen; a possessive ("Syria's")
        or an adjective is never a location. A place inside ``clause`` (character spans of
        the trigger's own clause, when the caller parsed the sentence) is preferred to one in
        another clause ("pulled out of Mekelle as the government in Addis Ababa declared").
        """
        if not places:
            return None
        toks = self._tokens(text)
        best, best_score = None, float("-inf")
        for p in places:
            if p.start is None or p.end is None:
                continue
            score = self._location_score(text, toks, p, trigger_start, trigger_end)
            if score is not None and any(a <= p.start and p.end <= b for a, b in clause):
                score += 2.0
            if score is not None and score > best_score:
                best, best_score = p, score
        return best

    def _location_score(self, text: str, toks: list[_Tok], p: Place, ts: int, te: int) -> float | None:
        k = next((n for n, t in enumerate(toks) if t.start >= p.start), None)
        e = next((n for n, t in enumerate(toks) if t.start >= p.end), len(toks))
        if k is None:
            return None
        prep = self._cue(toks, k, e) > 0 or self._cue(toks, self._base_token(toks, k, e), e) > 0
        strong_prep = self._prep_before(toks, k, self._preps) or self._prep_before(
            toks, self._base_token(toks, k, e), self._preps)
        possessive = e < len(toks) and toks[e].low == "'s"
        # "central Lima", "eastern Aleppo": a part of the city is a place, never an actor
        part_of = bool(p.text) and p.text.split()[0].lower() in self.words.direction
        actor_like = (p.feature == "country" or self.gaz.is_capital(p)) and not part_of
        if possessive and actor_like:
            return None
        if actor_like and not strong_prep:
            return None
        score = {"city": 2.0, "admin1": 1.0, "country": 0.0}.get(p.feature or "", 0.0)
        score += 3.0 if strong_prep else (1.5 if prep else 0.0)
        if p.text and any(w in self.words.subplace for w in p.text.lower().split()):
            score += 0.5  # a finer phrase: "the Shaar neighbourhood of Aleppo"
        gap = p.start - te if p.start >= te else ts - p.end
        score -= min(max(gap, 0), 300) / 100.0
        if possessive:
            score -= 1.0
        return score

    def _base_token(self, toks: list[_Tok], k: int, e: int) -> int:
        """The first token of the place name itself, past a finer part or a direction."""
        w = self.words
        for n in range(e - 1, k - 1, -1):
            if toks[n].low in ("of", "near", "outside", "in") or toks[n].low in w.direction:
                return n + 1
        return k
