"""Identities of actor phrases: the country, sector and code that a run of dictionary
matches stands for on a given date (used by ``coding/actors.py``).

A phrase is folded left to right: a name (country, adjective, capital, group, person) gives
an identity; a sector word or title after it either keeps the name's country and brings its
own sector (``noun``; ``member`` after a state actor) or takes the name's identity (``member``
after a group or person). People and organisations resolve on the date: the variant valid
then, else the nearest (people then keep only their country).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from dateline.coding.actor_dict import ActorDictionary, Alias, Entry, Variant

NAMES = frozenset({"country", "capital", "adjective", "demonym", "person", "group"})
# titles an organisation has as well as a state: after a group's name they are the group's
ORG_TITLES = frozenset({"president", "working president", "vice president", "vice-president",
                        "chairman", "chairperson", "chairwoman", "general secretary",
                        "secretary general", "secretary-general"})
HEADS = frozenset({"sector", "title"})


@dataclass
class Unit:
    """One dictionary match in the token stream, before phrases are built."""

    i: int
    j: int  # stream tokens [i, j)
    nxt: int  # first token after the unit and its possessive 's
    kind: str
    aliases: list[Alias]
    possessive: bool = False
    person: Unit | None = None  # title + known person
    name: tuple[int, int] | None = None  # title + unknown name (token span)
    name_text: str = ""
    former: bool = False

    @property
    def entry(self) -> Entry:
        return self.aliases[0].entry

    @property
    def variant(self) -> Variant:
        return min((v for a in self.aliases for v in a.entry.variants),
                   key=lambda v: (-v.priority, v.order))


@dataclass
class Chain:
    """Neighbouring units that make one actor phrase ("Syria's army")."""

    units: list[Unit]
    owner: Chain | None = None  # the actor after a link word
    link: str = ""

    @property
    def last(self) -> Unit:
        return self.units[-1]

    @property
    def end_unit(self) -> Unit:
        return self.owner.end_unit if self.owner else self.units[-1]


@dataclass(frozen=True)
class Context:
    """What one ``find`` call knows beyond the phrase: the date and the countries around."""

    on: date | None
    default_country: str | None
    evidence: frozenset[str]

    def prefer(self, modifier: str | None) -> tuple[frozenset[str], ...]:
        """Country preferences, strongest first: a country word in the phrase, countries
        named elsewhere in the text, the article's country."""
        out = [frozenset({modifier})] if modifier else []
        if self.evidence:
            out.append(self.evidence)
        if self.default_country:
            out.append(frozenset({self.default_country}))
        return tuple(out)


@dataclass
class Ident:
    """A (partial) identity while a phrase is folded."""

    country: str | None = None
    sector: str | None = None
    code: str | None = None
    kind: str = "sector"
    label: str = ""
    state: bool = False  # a state actor: a noun after it keeps its country, takes its sector
    why: list[str] = field(default_factory=list)
    entry: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.country or self.sector or self.code)


class Resolver:
    """Turns phrases into identities using the dictionary (no state besides it)."""

    def __init__(self, dictionary: ActorDictionary) -> None:
        self.dictionary = dictionary

    def ident(self, chain: Chain, ctx: Context) -> Ident | None:
        """The identity of a phrase (and of the actor a link hands it to)."""
        modifier = next((u.variant.country for u in chain.units
                         if u.kind in ("country", "adjective", "capital") and u.variant.country),
                        None)
        prefer = ctx.prefer(modifier)
        ident: Ident | None = None
        for u in chain.units:
            ident = self._step(ident, u, ctx.on, prefer)
        if chain.owner is not None and ident is not None:
            owner = self.ident(chain.owner, ctx)
            if owner is not None and not owner.empty:
                last = chain.last
                role = last.entry.role
                if (last.kind == "title" and role != "noun") or \
                        (owner.kind in ("group", "person") and not owner.state):
                    role = "member"  # "a mob of VHP activists" is the VHP's
                merged = self._combine(owner, ident.sector, role, ident.kind, ident.label)
                merged.why = ident.why + [f"'{chain.link}'"] + owner.why
                if last.kind == "title" and last.entry.role != "noun" \
                        and merged.kind in ("group", "sector"):
                    merged.kind = "title"  # "leader of the opposition": a person
                ident = merged
        return ident

    def _step(self, ident: Ident | None, u: Unit, on: date | None,
              prefer: tuple[frozenset[str], ...]) -> Ident:
        kind, entry = u.kind, u.entry
        alias = u.aliases[0].text
        if kind in ("country", "capital", "adjective", "demonym"):
            v = self._pick(u.aliases, None, prefer)[1]
            adj = self.dictionary.country_label(v.country) or entry.name
            label = entry.name if kind in ("country", "capital") else adj
            what = {"country": f"{v.country} (a state named as actor: its government)",
                    "capital": f"capital or seat of power → {v.code}",
                    "adjective": f"adjective of {v.country}",
                    "demonym": f"people of {v.country}"}[kind]
            new = Ident(v.country, v.sector, v.code, "adjective" if kind == "demonym" else kind,
                        label, state=True, why=[f"{source_name(entry)}: {alias} → {what}"],
                        entry=entry.name)
            return new if ident is None else self._combine_names(ident, new)
        if kind == "group":
            if ident is not None and ident.country:
                prefer = (frozenset({ident.country}), *prefer)
            g_entry, v = self._pick(u.aliases, on, prefer)[:2]
            code = v.code or make_code(v.country, v.sector)
            why = f"{source_name(g_entry, v)}: {alias} → {code}{span_text(v)}"
            new = Ident(v.country, v.sector, v.code, "group", g_entry.name,
                        state=v.type == "state" and v.sector == "GOV", why=[why],
                        entry=g_entry.name)
            if ident is not None and v.type == "state" and ident.country and v.country \
                    and ident.country != v.country:
                # a state body of another country ("Pakistan's Foreign Office")
                new = Ident(ident.country, v.sector, None, "group",
                            f"{ident.label} {g_entry.name}", why=ident.why + new.why,
                            entry=g_entry.name)
            elif ident is not None:
                new.why = ident.why + new.why
            return new
        if kind == "person" or u.person is not None:
            return self._person(ident, u, on, prefer)
        if kind == "coref":
            v = u.variant
            why = f"{source_name(entry)}: {alias} (refers back to an actor named before)"
            return Ident(None, v.sector, None, "coref", entry.name, why=[why])
        # sector word or title (possibly with an unknown name)
        v = u.variant
        head_label = entry.name
        why = f"{source_name(entry, v)}: {alias} → {v.sector or 'no sector of its own'}"
        if u.name is not None:
            why += " + name not in officeholders.tsv"
        sector = None if u.former else v.sector
        if u.name_text:
            head_label = u.name_text
        if ident is None:
            new = Ident(v.country, sector, None, kind, head_label, state=sector == "GOV",
                        why=[why], entry=entry.name)
        else:
            role = entry.role
            if kind == "title" and role != "noun":
                role = "member"
            if kind == "title" and (ident.kind == "group" or ident.sector is None) \
                    and not ident.state and entry.name in ORG_TITLES:
                # "VHP president", "party chairman", "the league president": the body's,
                # no office of state
                role = "member"
                sector = ident.sector
            new = self._combine(ident, sector, role, kind, head_label)
            new.why = ident.why + [why]
            if kind == "title" and role == "member" and new.kind in ("group", "sector"):
                new.kind = "title"  # "vhp president", "opposition leader": a person, the body's
            if u.name_text:
                new.label, new.kind = u.name_text, kind
        return new

    def _person(self, ident: Ident | None, u: Unit, on: date | None,
                prefer: tuple[frozenset[str], ...]) -> Ident:
        pu = u.person or u
        title = u if u.person is not None else None
        entry, v, current = self._pick(pu.aliases, on, prefer)
        alias = pu.aliases[0].text
        former = u.former
        if current and not former:
            country, sector, code = v.country, v.sector, v.code
            when = f" on {on.isoformat()}" if on else ""
            why = (f"{source_name(entry, v)}: {alias} → {v.office or 'office'}{when}"
                   f"{span_text(v)} → {code or make_code(country, sector)}")
        else:
            # out of office: the country of the nearest term, the title's sector if any
            with_country = [w for w in entry.variants if w.country]
            ref = min(with_country, key=lambda w: w.distance(on) if on else 0) \
                if with_country else v
            country, code = ref.country, None
            sector = None
            if not former and title is not None and title.entry.role != "rank":
                sector = title.variant.sector
            if sector is None and not former and ident is not None and ident.sector:
                # "Samajwadi Party chief Mulayam Singh Yadav" out of office: the party's
                sector = ident.sector
            when = f" on {on.isoformat()}" if on else ""
            why = (f"{source_name(entry)}: {alias} → no listed office{when} "
                   f"(last: {v.office or '?'}{span_text(v)}) → country {country}"
                   + (f", sector from the title: {sector}" if sector else ""))
        parts = [f"{source_name(title.entry)}: {title.aliases[0].text}"] if title else []
        return Ident(country, sector, code, "person", entry.name, state=sector == "GOV",
                     why=(ident.why if ident else []) + parts + [why], entry=entry.name)

    @staticmethod
    def _pick(aliases: list[Alias], on: date | None, prefer: tuple[frozenset[str], ...] = ()
              ) -> tuple[Entry, Variant, bool]:
        """The entry and variant valid on the date (else the nearest), preferring countries
        (the first preference set that any candidate matches)."""
        pairs = [(a.entry, v) for a in aliases for v in a.entry.variants]
        if on is None:
            pool = [p for p in pairs if p[1].end is None]
            current = True
            if not pool:
                pool = [max(pairs, key=lambda p: p[1].start or date.min)]
        else:
            pool = [p for p in pairs if p[1].covers(on)]
            current = bool(pool)
            if not pool:
                best = min(p[1].distance(on) for p in pairs)
                pool = [p for p in pairs if p[1].distance(on) == best]
        for countries in prefer:
            hit = [p for p in pool if p[1].country in countries]
            if hit:
                pool = hit
                break
        entry, v = min(pool, key=lambda p: (-p[1].priority, p[1].order))
        return entry, v, current

    def _combine(self, owner: Ident, sector: str | None, role: str, kind: str,
                 label: str) -> Ident:
        """The identity of a sector word or title that belongs to ``owner``."""
        adj = self.dictionary.country_label(owner.country)
        if role == "member":
            if owner.state and sector:
                return Ident(owner.country, sector, None, kind,
                             f"{adj} {label}" if adj else label, state=sector == "GOV",
                             entry=owner.entry)
            return replace(owner, sector=owner.sector or sector, why=list(owner.why),
                           code=owner.code if owner.sector or not sector else None)
        if owner.country is None and owner.code:
            return replace(owner, why=list(owner.why))
        sector = sector or owner.sector
        return Ident(owner.country, sector, None, kind, f"{adj} {label}" if adj else label,
                     state=sector == "GOV", entry=owner.entry)

    @staticmethod
    def _combine_names(ident: Ident, new: Ident) -> Ident:
        """Two names in a row (an adjective before a name): the later one wins."""
        new.why = ident.why + new.why
        return new


def source_name(entry: Entry, variant: Variant | None = None) -> str:
    """The file a row came from, without its folder (for ``why``)."""
    source = (variant.source if variant is not None and variant.source else entry.source)
    return source.replace("\\", "/").rsplit("/", 1)[-1]


def span_text(v: Variant) -> str:
    """The dates of a term, " (2004-03-09–)", for ``why``."""
    if v.start is None and v.end is None:
        return ""
    return f" ({v.start.isoformat() if v.start else '…'}–{v.end.isoformat() if v.end else ''})"


def make_code(country: str | None, sector: str | None) -> str | None:
    """CAMEO-style code: country + sector, or either alone."""
    if country and sector:
        return country + sector
    return country or sector
