"""Actor recognition: find actor mentions in text and resolve them to CAMEO-style codes.

``ActorFinder(dictionary).find(text, on=date)`` walks the dictionary trie over the text's
tokens (longest match first, left to right), then joins neighbouring matches into actor
phrases:

- a country, adjective, capital, group or person before a sector word or title gives it a
  country ("Syria's army" SYRMIL, "Syrian troops", "Moscow police", "Hezbollah fighters",
  "Assad regime"); sector words chain ("army spokesman" MIL);
- a title takes the name after it ("Foreign Minister Sergei Lavrov": the person's office on
  the date decides; an unknown name keeps the title's sector: "Defence Minister Ali X" GOV);
- a still generic phrase takes the identity of an actor after a link word ("forces loyal to
  President Bashar al-Assad" SYRMIL, "spokesman for the Free Syrian Army" SYRREB);
- hyphenated "pro-"/"anti-" and "-backed"/"-based" stop a name from owning the noun
  ("Iranian-backed militias" are militias of no stated country);
- an unknown name before "of the <group>" is a member of the group ("Yasser al-Youssef of
  the leading Nureddin al-Zinki faction": both SYRREB).

Codes: a country named as an actor is its government (code "RUS", sector GOV); a capital
or seat of power is the government too (kind "capital", code "RUSGOV"); other actors get
country + sector ("SYRMIL"), IGOs and transnational groups their own code ("IGOUNO").
Sector words without a country from the text are ``generic``: the coder fills the country
from the article context (or pass ``default_country``).
"""

from __future__ import annotations

import re

from dataclasses import dataclass, replace
from datetime import date

from dateline.coding.actor_dict import ActorDictionary, Alias, Tokens, tokenize
from dateline.coding.actor_identity import (
    HEADS,
    NAMES,
    Chain,
    Context,
    Resolver,
    Unit,
    make_code,
)
from dateline.model import ActorRef

__all__ = ["ActorDictionary", "ActorFinder", "ActorMatch"]

OF_AFTER = re.compile(r"\s+of\b", re.IGNORECASE)
KINDS = ("country", "capital", "adjective", "person", "group", "sector", "title", "coref")
_KIND_RANK = {"stop": 0, "person": 1, "group": 2, "country": 3, "capital": 4, "title": 5,
              "coref": 6, "sector": 7, "demonym": 8, "adjective": 9, "pre": 10, "post": 11,
              "former": 12, "attr": 13}
_MARKERS = frozenset({"pre", "post", "former", "attr", "stop"})
_DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "this", "that",
                          "these", "those", "several", "some"})
_NAME_PARTICLES = frozenset({"al", "el", "ad", "ash", "bin", "ibn", "abu", "abd", "bint", "ould",
                             "de", "van", "von", "der", "da", "di", "du", "la", "le", "zu"})
_MEMBER_LINKS = frozenset({"of", "from"})


@dataclass
class ActorMatch:
    """One actor mention: the resolved reference plus how it was found."""

    ref: ActorRef  # start/end: offsets into the text given to find (plus ``offset``)
    kind: str  # country capital adjective person group sector title coref
    why: str  # human-readable: which dictionary rows made the code
    generic: bool = False  # no country from the text itself ("the army", "police")
    head: tuple[int, int] | None = None  # char span of the head word
    possessive: bool = False  # followed by 's ("Russia's"): a possessor, not a subject
    entry: str | None = None  # canonical name of the entry that decided the identity
    # a name several countries' actors bear ("Congress"), its country chosen by preference
    ambiguous: bool = False
    # coordinated before another actor phrase ("Afghan, Pakistani envoys"): that one's span
    partner: tuple[int, int] | None = None


def _is_mixed(text: str) -> bool:
    return text != text.lower() and text != text.upper()


def _case_ok(alias: Alias, toks: Tokens, i: int, mixed: bool) -> bool:
    if alias.exact and not mixed:
        return False
    raws = toks.raws
    for k, p in enumerate(alias.pattern):
        if not p:
            continue
        raw = raws[i + k]
        if p == "D":
            if len(raw) < 2 or "." not in raw:
                return False
        elif mixed:
            if p == "U":
                if not raw.isupper():
                    return False
            elif not (raw[0].isupper() or raw[0].isdigit()):
                return False
    return True


@dataclass
class Phrases:
    """A text's tokens and dictionary phrases (``ActorFinder.phrases``), read-only after."""

    text: str
    toks: Tokens
    mixed: bool
    units: list[Unit]
    chains: list[Chain]


class ActorFinder:
    """Finds actor mentions in text using an ``ActorDictionary``."""

    def __init__(self, dictionary: ActorDictionary) -> None:
        self.dictionary = dictionary
        self.resolver = Resolver(dictionary)

    # -- public -----------------------------------------------------------------------
    def phrases(self, text: str, lowercase: bool | None = None) -> Phrases:
        """The dictionary phrases of ``text`` before they are resolved: what ``find`` does
        first, independent of date and default country, so that a caller resolving one
        text twice ("with the article's country") does it once."""
        toks = tokenize(text)
        mixed = _is_mixed(text) if lowercase is None else not lowercase
        if not len(toks):
            return Phrases(text, toks, mixed, [], [])
        units = self._markers(self._units(toks, mixed), toks)
        units = self._attach_names(units, toks, mixed, text)
        return Phrases(text, toks, mixed, units, self._link(self._chains(units), toks, mixed))

    def find(self, text: str, on: date | None = None, default_country: str | None = None, *,
             lowercase: bool | None = None, offset: int = 0,
             phrases: Phrases | None = None) -> list[ActorMatch]:
        """Every actor mention in ``text``, in order, non-overlapping.

        ``on``: the date the text speaks of (picks the office a person held, the identity a
        group had). ``default_country``: filled into generic matches and used to choose
        between same-named actors. ``lowercase``: force case-blind matching (True) or
        normal-text matching (False); by default decided from the text itself. ``offset`` is
        added to every character offset. ``phrases``: ``self.phrases(text, lowercase)``,
        when the caller has it already.
        """
        if phrases is None or phrases.text is not text:
            phrases = self.phrases(text, lowercase)
        toks, mixed, units, chains = phrases.toks, phrases.mixed, phrases.units, phrases.chains
        if not len(toks):
            return []
        ctx = Context(on, default_country, self._evidence(units))
        out: list[ActorMatch] = []
        alone = {c.units[0].i: c.units[0] for c in chains
                 if len(c.units) == 1 and c.owner is None and c.units[0].kind == "adjective"}
        for chain in chains:
            match = self._match(chain, toks, text, ctx)
            if match is not None:
                out.append(match)
                out += self._coordinated(chain, match, alone, toks, text, ctx)
        if mixed:
            out += self._members_before(out, chains, toks, text, units)
        out.sort(key=lambda m: m.ref.start or 0)
        if offset:
            for m in out:
                m.ref.start = (m.ref.start or 0) + offset
                m.ref.end = (m.ref.end or 0) + offset
                if m.head:
                    m.head = (m.head[0] + offset, m.head[1] + offset)
                if m.partner:
                    m.partner = (m.partner[0] + offset, m.partner[1] + offset)
        return out

    def resolve(self, text: str, on: date | None = None,
                default_country: str | None = None) -> ActorMatch | None:
        """The actor one phrase names ("Syrian army", "Lavrov"): the widest match in it."""
        matches = self.find(text.strip(), on=on, default_country=default_country)
        if not matches:
            return None
        return max(matches, key=lambda m: ((m.ref.end or 0) - (m.ref.start or 0),
                                           -(m.ref.start or 0)))

    # -- step 1: dictionary matches -----------------------------------------------------
    def _units(self, toks: Tokens, mixed: bool) -> list[Unit]:
        trie = self.dictionary.trie
        norms = toks.norms
        n = len(norms)
        units: list[Unit] = []
        i = 0
        while i < n:
            node = trie.get(norms[i])
            if node is None:
                i += 1
                continue
            best: tuple[int, list[Alias]] | None = None
            j = i
            while True:
                j += 1
                found = node.get(None)
                if found:
                    ok = [a for a in found if _case_ok(a, toks, i, mixed)]
                    if ok:
                        best = (j, ok)
                if j >= n:
                    break
                node = node.get(norms[j])
                if node is None:
                    break
            if best is None:
                i += 1
                continue
            j, aliases = best
            if not mixed and any(a.entry.kind in HEADS for a in aliases):
                # lower-case text cannot tell "Foreign Office" (UK) from "foreign office"
                aliases = [a for a in aliases if a.entry.kind not in NAMES or "C" not in a.pattern]
            kind = min((a.entry.kind for a in aliases), key=_KIND_RANK.__getitem__)
            unit = Unit(i, j, j, kind, [a for a in aliases if a.entry.kind == kind])
            self._possessive(unit, toks)
            units.append(unit)
            i = j
        return units

    @staticmethod
    def _possessive(unit: Unit, toks: Tokens) -> None:
        j, n = unit.j, len(toks)
        if j < n and toks.norms[j] == "'" and toks.attached(j):
            if j + 1 < n and toks.norms[j + 1] == "s" and toks.attached(j + 1):
                unit.possessive, unit.nxt = True, j + 2
            elif toks.raws[j - 1][-1:] in ("s", "S"):
                unit.possessive, unit.nxt = True, j + 1

    @staticmethod
    def _markers(units: list[Unit], toks: Tokens) -> list[Unit]:
        """Apply pre-/post-/former markers; drop them and stop phrases."""
        dropped: set[int] = set()
        for k, u in enumerate(units):
            nxt = units[k + 1] if k + 1 < len(units) else None
            prev = units[k - 1] if k else None
            if u.kind == "pre" and nxt is not None and nxt.i == u.j and toks.hyph[nxt.i]:
                dropped.add(k + 1)
            elif u.kind == "post" and prev is not None and prev.j == u.i and toks.hyph[u.i]:
                dropped.add(k - 1)
            elif u.kind == "former" and nxt is not None and nxt.i == u.j:
                nxt.former = True
            elif u.kind == "attr" and prev is not None and prev.nxt == u.i \
                    and nxt is not None and nxt.i == u.j and (
                        prev.possessive or (prev.kind == "group" and nxt.kind == "title")):
                # "Mali's transitional government", "the BJP national president": one phrase
                prev.nxt = nxt.i
        return [u for k, u in enumerate(units) if k not in dropped and u.kind not in _MARKERS]

    def _attach_names(self, units: list[Unit], toks: Tokens, mixed: bool,
                      text: str) -> list[Unit]:
        """A title takes the person (or, in normal text, the unknown name) right after it."""
        covered = {k for u in units for k in range(u.i, u.j)}
        out: list[Unit] = []
        k = 0
        while k < len(units):
            u = units[k]
            nxt = units[k + 1] if k + 1 < len(units) else None
            if u.kind == "title" and not u.possessive:
                if nxt is not None and nxt.kind == "person" and nxt.i == u.j:
                    u.person, u.j, u.nxt, u.possessive = nxt, nxt.j, nxt.nxt, nxt.possessive
                    out.append(u)
                    k += 2
                    continue
                span = self._name_after(toks, u.j, covered) if mixed else None
                if span is not None:
                    u.name, u.j, u.nxt = span, span[1], span[1]
                    u.name_text = text[toks.starts[span[0]]:toks.ends[span[1] - 1]]
                    self._possessive(u, toks)
            if u.kind == "title" and u.entry.role == "rank" and u.person is None and u.name is None:
                k += 1  # a rank ("General", "Mr") is not an actor without a name
                continue
            out.append(u)
            k += 1
        return out

    @staticmethod
    def _name_after(toks: Tokens, start: int, covered: set[int]) -> tuple[int, int] | None:
        end = None
        k = start
        while k < len(toks) and k - start < 7 and k not in covered:
            raw = toks.raws[k]
            if raw[0].isupper() and raw[0].isalpha():
                end = k + 1
                if len(raw) == 1 and k + 2 < len(toks) and toks.raws[k + 1] == "." \
                        and toks.raws[k + 2][:1].isupper():
                    k += 1  # an initial: "Stephen J. Townsend"
            elif not (toks.norms[k] in _NAME_PARTICLES and k + 1 < len(toks)):
                break
            k += 1
        return (start, end) if end is not None else None

    @staticmethod
    def _evidence(units: list[Unit]) -> frozenset[str]:
        """Countries the text names unambiguously: they settle same-named actors
        ("Congress" next to "BJP" is the Indian party)."""
        out = set()
        for u in units:
            if u.kind in NAMES:
                countries = {v.country for a in u.aliases for v in a.entry.variants}
                if len(countries) == 1 and None not in countries:
                    out |= countries
        return frozenset(out)

    # -- step 2: phrases ----------------------------------------------------------------
    @staticmethod
    def _chains(units: list[Unit]) -> list[Chain]:
        chains: list[Chain] = []
        for u in units:
            if chains:
                prev = chains[-1].last
                if prev.nxt == u.i and _can_follow(prev, u):
                    chains[-1].units.append(u)
                    continue
            chains.append(Chain([u]))
        return chains

    def _link(self, chains: list[Chain], toks: Tokens, mixed: bool) -> list[Chain]:
        """Right to left: a generic phrase + link word + actor becomes one actor."""
        k = len(chains) - 2
        while k >= 0:
            a, b = chains[k], chains[k + 1]
            link = self._link_between(a, b, toks, mixed)
            if link:
                a.owner, a.link = b, link
                del chains[k + 1]
            k -= 1
        return chains

    def _link_between(self, a: Chain, b: Chain, toks: Tokens, mixed: bool) -> str:
        last = a.last
        if a.owner is not None or last.kind not in HEADS or last.possessive or last.person:
            return ""
        if any(u.kind in NAMES for u in a.units):
            return ""
        if b.units[0].kind in ("adjective",) and len(b.units) == 1 and b.owner is None:
            return ""
        seq = toks.norms[last.j:b.units[0].i]
        for size in range(min(self.dictionary.max_link, len(seq)), 0, -1):
            role = self.dictionary.links.get(tuple(seq[:size]))
            if role is None:
                continue
            if role == "link-member" and last.entry.role != "member" and last.kind != "title":
                return ""
            rest = seq[size:]
            if rest and rest[0] in _DETERMINERS:
                rest = rest[1:]
            first = last.j + (len(seq) - len(rest))
            fillers = toks.raws[first:b.units[0].i]
            if len(fillers) <= 2 and all(w.isalpha() and (not mixed or w.islower())
                                         for w in fillers):
                return " ".join(toks.raws[last.j:last.j + size])
            return ""
        return ""

    # -- step 4: matches ------------------------------------------------------------------
    def _match(self, chain: Chain, toks: Tokens, text: str, ctx: Context) -> ActorMatch | None:
        default_country = ctx.default_country
        ident = self.resolver.ident(chain, ctx)
        if ident is None:
            return None
        if ident.kind != "coref" and ident.empty:
            return None
        if ident.kind == "coref" and OF_AFTER.match(text, toks.ends[chain.end_unit.j - 1]):
            return None  # "the centre of Almaty", "the group of villages": no one named before
        if len(chain.units) == 1 and chain.owner is None and chain.last.kind == "adjective":
            return None  # "Syrian" alone is not an actor ("Syrians" is)
        first, end_unit = chain.units[0], chain.end_unit
        start, end = toks.starts[first.i], toks.ends[end_unit.j - 1]
        # IGO words ("the international community") have no country to fill in
        generic = (ident.country is None and ident.code is None and ident.kind != "person"
                   and ident.sector != "IGO")
        country, why = ident.country, list(ident.why)
        code = ident.code or make_code(country, ident.sector)
        if generic and default_country and ident.kind != "coref":
            country, code = default_country, make_code(default_country, ident.sector)
            why.append(f"country from context: {default_country}")
        ref = ActorRef(text=text[start:end], name=ident.label or None, code=code, country=country,
                       sector=ident.sector, start=start, end=end)
        head_unit = chain.last
        own_country = any(u.kind in ("country", "adjective", "capital") for u in chain.units)
        ambiguous = not own_country and any(
            len({v.country for a in u.aliases for v in a.entry.variants}) > 1
            for u in chain.units if u.kind in NAMES)
        return ActorMatch(ref=ref, kind=ident.kind if ident.kind in KINDS else "sector",
                          why=" + ".join(why), generic=generic,
                          head=self._head(head_unit, toks), possessive=end_unit.possessive,
                          entry=ident.entry, ambiguous=ambiguous)

    def _coordinated(self, chain: Chain, match: ActorMatch, alone: dict[int, Unit],
                     toks: Tokens, text: str, ctx: Context) -> list[ActorMatch]:
        """"Honduran and U.S. troops", "Kazakh, Kyrgyz and Uzbek troops": the country
        adjectives coordinated before an actor phrase of a country word and a sector word
        are actors of that sector too."""
        first = chain.units[0]
        if first.kind not in ("adjective", "country") or len(chain.units) < 2 \
                or match.ref.sector is None:
            return []
        out: list[ActorMatch] = []
        k = first.i
        while k >= 2 and toks.norms[k - 1] in ("and", ",", "&"):
            prev = next((u for u in alone.values() if u.nxt == k - 1 or u.j == k - 1), None)
            if prev is None:
                break
            ident = self.resolver.ident(Chain([prev]), ctx)
            if ident is None or ident.country is None or ident.country == match.ref.country:
                break
            start, end = toks.starts[prev.i], toks.ends[prev.j - 1]
            ref = ActorRef(text=text[start:end], name=ident.label or None,
                           code=make_code(ident.country, match.ref.sector),
                           country=ident.country, sector=match.ref.sector, start=start, end=end)
            out.append(ActorMatch(ref=ref, kind=match.kind, why=f"{ident.label} + the sector of "
                                  f"'{match.ref.text}' it is coordinated with", head=(start, end),
                                  partner=(match.ref.start or 0, match.ref.end or 0)))
            k = prev.i
        return out

    @staticmethod
    def _head(u: Unit, toks: Tokens) -> tuple[int, int]:
        i, j = u.i, u.j
        if u.person is not None:
            i = u.person.i
        elif u.name is not None:
            i = u.name[0]
        if u.kind in ("group", "capital") or u.person is not None:
            for k in range(i + 1, j):
                if toks.norms[k] in ("of", "for"):
                    j = k
                    break
        return toks.starts[j - 1], toks.ends[j - 1]

    def _members_before(self, found: list[ActorMatch], chains: list[Chain], toks: Tokens,
                        text: str, units: list[Unit]) -> list[ActorMatch]:
        """"Yasser al-Youssef of the leading Nureddin al-Zinki faction": the name is a member."""
        covered = {k for u in units for k in range(u.i, u.j)}
        by_start = {m.ref.start: m for m in found}
        out: list[ActorMatch] = []
        for chain in chains:
            first = chain.units[0]
            match = by_start.get(toks.starts[first.i])
            if first.kind != "group" or match is None or match.kind != "group":
                continue
            k = first.i - 1
            fillers = 0
            while k >= 0 and fillers < 2 and toks.raws[k].isalpha() and toks.raws[k].islower() \
                    and toks.norms[k] not in _DETERMINERS and toks.norms[k] not in _MEMBER_LINKS:
                k, fillers = k - 1, fillers + 1
            if k >= 0 and toks.norms[k] in _DETERMINERS:
                k -= 1
            if k < 1 or toks.norms[k] not in _MEMBER_LINKS:
                continue
            link, k = toks.raws[k], k - 1
            end, caps = k + 1, 0
            while k >= 0 and k not in covered and end - k <= 6:
                raw = toks.raws[k]
                if raw[0].isupper() and raw[0].isalpha():
                    caps += 1
                elif toks.norms[k] not in _NAME_PARTICLES:
                    break
                k -= 1
            begin = k + 1
            while begin < end and not toks.raws[begin][0].isupper():
                begin += 1
            if caps == 0 or end - begin < 2:
                continue
            s, e = toks.starts[begin], toks.ends[end - 1]
            name = text[s:e]
            ref = replace(match.ref, text=name, name=name, start=s, end=e)
            out.append(ActorMatch(ref=ref, kind="person",
                                  why=f"name + '{link}' + {match.why}",
                                  head=(toks.starts[end - 1], e),
                                  entry=match.entry))
        return out


def _can_follow(prev: Unit, u: Unit) -> bool:
    """May ``u`` continue the phrase that ends with ``prev``?"""
    if prev.kind in ("demonym",) or u.kind in ("coref", "demonym"):
        return False
    if prev.kind == "coref":
        return prev.possessive and u.kind in HEADS
    if u.kind in HEADS:
        return True
    if u.kind in ("group", "person"):
        return prev.kind == "adjective" or (prev.possessive and prev.kind in NAMES)
    if u.kind == "adjective":
        return prev.kind == "adjective"
    return False
