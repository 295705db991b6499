"""Actor dictionaries: read the TSV files and compile them into one token trie.

The packaged files (``data/countries.tsv``, ``officeholders.tsv``, ``groups.tsv``,
``sectors.tsv``, ``person_titles.tsv``) and any user files of the same formats are read by
``ActorDictionary.load``; a file's format is told by its header row, so a user file may have
any name. ``ActorDictionary(...)`` itself takes the parsed entries and does no I/O.

Matching works on tokens: words, dotted abbreviations ("U.S." is one token, folded to "us")
and punctuation marks. Tokens are compared case- and accent-folded; hyphens between two words
are ignored ("al-Assad" = "al Assad"). Case is checked separately per alias token (see
``Alias.pattern``), so "Turkey" is a country in normal text and "turkey" is not.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

SECTORS = frozenset({
    "GOV", "MIL", "REB", "OPP", "INS", "COP", "JUD", "LEG", "IGO", "NGO", "MED", "BUS", "CVL",
    "REF", "LAB", "EDU", "HLH", "REL", "SPY", "UAF", "PTY",
})
PACKAGED = ("countries.tsv", "officeholders.tsv", "groups.tsv", "sectors.tsv", "person_titles.tsv")
SECTOR_ROLES = frozenset({"noun", "member", "coref", "link", "link-member", "pre", "post",
                          "former", "attr", "stop"})
TITLE_ROLES = frozenset({"noun", "member", "rank"})
GROUP_TYPES = frozenset({"igo", "ngo", "media", "state", "capital", "armed", "party",
                         "religious", "business", ""})
# Name particles: never need a capital letter ("Bashar al-Assad", "The Hague").
PARTICLES = frozenset({
    "the", "of", "and", "for", "al", "el", "ad", "ash", "as", "at", "ar", "an", "bin", "ibn",
    "abu", "abd", "de", "du", "da", "di", "des", "la", "le", "van", "von", "der", "den", "zu",
    "y", "e", "d", "in", "on", "to",
})
ARTICLE_PREFIX = re.compile(r"^(?:al|el)[- ](?=\w)", re.IGNORECASE)
INNER_ARTICLE = re.compile(r"(?<=\s)(?:al|el)-(?=\w)", re.IGNORECASE)

# Words (dotted abbreviations like "U.S" are one word; the last dot is a token of its own),
# and single punctuation marks; a hyphen between two word characters is not a token
# ("al-Assad" = "al Assad"), but it is remembered (Tokens.hyph).
TOKEN_RE = re.compile(r"\w+(?:\.\w+)*|(?<!\w)[-\u2010\u2011]|[-\u2010\u2011](?!\w)"
                      r"|[^\w\s\-\u2010\u2011]")
HYPHENS = frozenset("-\u2010\u2011")
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
                       "\u0131": "i", "\u2013": "-", "\u2014": "-"})


def norm_token(raw: str) -> str:
    """Case- and accent-folded form of one token; dots dropped from abbreviations."""
    if len(raw) > 1 and "." in raw:
        raw = raw.replace(".", "")
    t = raw.casefold()
    if not t.isascii():
        t = unicodedata.normalize("NFKD", t.translate(_FOLD))
        t = "".join(c for c in t if not unicodedata.combining(c))
    return t


@dataclass
class Tokens:
    """The match stream of a text: tokens with hyphens between words left out."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    raws: list[str] = field(default_factory=list)
    norms: list[str] = field(default_factory=list)
    hyph: list[bool] = field(default_factory=list)  # joined to the previous token by a hyphen

    def __len__(self) -> int:
        return len(self.norms)

    def attached(self, i: int) -> bool:
        """Token i touches the token before it (no space between)."""
        return i > 0 and self.starts[i] == self.ends[i - 1]


def tokenize(text: str) -> Tokens:
    spans = [m.span() for m in TOKEN_RE.finditer(text)]
    starts = [a for a, _ in spans]
    ends = [b for _, b in spans]
    raws = [text[a:b] for a, b in spans]
    if text.isascii():
        low = text.lower()
        norms = [low[a:b] for a, b in spans]
        norms = [t.replace(".", "") if len(t) > 1 and "." in t else t for t in norms]
    else:
        norms = [norm_token(r) if not r.isascii() or "." in r else r.lower() for r in raws]
    hyph = [a > 1 and text[a - 1] in HYPHENS and a - 1 == ends[k - 1] if k else False
            for k, a in enumerate(starts)]
    return Tokens(starts, ends, raws, norms, hyph)


def token_pattern(raw: str, norm: str) -> str:
    """How a dictionary token constrains case in mixed-case text.

    D: must be a dotted abbreviation in the text (any case); U: all capitals (acronym);
    C: starts with a capital; "": anything.
    """
    if len(raw) > 1 and "." in raw:
        return "D"
    letters = [c for c in raw if c.isalpha()]
    if len(letters) >= 2 and raw.isupper():
        return "U"
    if raw[:1].isupper() and norm not in PARTICLES:
        return "C"
    return ""


@dataclass(frozen=True)
class Variant:
    """One identity of an entry, valid from ``start`` to ``end`` (first and last day)."""

    country: str | None = None
    sector: str | None = None
    code: str | None = None
    office: str | None = None
    type: str = ""
    start: date | None = None
    end: date | None = None
    priority: int = 0  # index of the file it came from: user files come later
    order: int = 0  # row number over all files
    source: str = ""  # file (and line) the row came from

    def covers(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)

    def distance(self, on: date) -> int:
        if self.start is not None and on < self.start:
            return (self.start - on).days
        if self.end is not None and on > self.end:
            return (on - self.end).days
        return 0


@dataclass
class Entry:
    """A thing the dictionaries name: a country, person, group, sector word or title."""

    # country capital adjective demonym person group sector title coref stop pre post former
    kind: str
    name: str
    source: str
    role: str = ""  # sector and title roles (noun, member, rank, coref ...)
    variants: list[Variant] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Alias:
    """One way of writing an entry, as stored at a trie node."""

    text: str
    pattern: tuple[str, ...]
    exact: bool  # "=" in the file: never matched in all-lower-case (or all-caps) text
    entry: Entry


@dataclass
class CountryInfo:
    iso3: str
    name: str
    adjective: str | None


def _date(value: str, where: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{where}: bad date {value!r} (want YYYY-MM-DD)") from None


def _sector(value: str, where: str, allow_empty: bool = True) -> str | None:
    value = value.strip().upper()
    if not value:
        if allow_empty:
            return None
        raise ValueError(f"{where}: sector missing")
    if value not in SECTORS:
        raise ValueError(f"{where}: unknown sector {value!r} (one of {', '.join(sorted(SECTORS))})")
    return value


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def plural(phrase: str) -> str | None:
    """English plural of the last word of a phrase, or None when it already looks plural."""
    head, _, last = phrase.rpartition(" ")
    low = last.lower()
    if not low.isalpha() or low.endswith("s"):
        return None
    if low.endswith("man"):
        out = last[:-3] + "men"
    elif low.endswith("y") and low[-2:-1] not in tuple("aeiou"):
        out = last[:-1] + "ies"
    elif low.endswith(("x", "ch", "sh")):
        out = last + "es"
    else:
        out = last + "s"
    return f"{head} {out}" if head else out


def _alias_variants(alias: str, kind: str) -> list[str]:
    """Spellings generated from one alias: Arabic articles dropped ("al-Nusra" -> "Nusra")."""
    out = [alias]
    if kind in ("person", "group"):
        exact = alias.startswith("=")
        body = alias[1:] if exact else alias
        for form in (ARTICLE_PREFIX.sub("", body), INNER_ARTICLE.sub("", body)):
            if form != body and form.strip():
                out.append(("=" if exact else "") + form)
    return out


class _Reader:
    """Parses the five file formats into entries (one per country, person, group, phrase)."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.links: dict[tuple[str, ...], str] = {}
        self.countries: dict[str, CountryInfo] = {}
        self._named: dict[tuple[str, str], Entry] = {}
        self._order = 0

    def read(self, text: str, source: str, priority: int) -> bool:
        """Parse one file; False when its header is not an actor format."""
        lines = text.splitlines()
        rows = csv.reader((ln for ln in lines), delimiter="\t", quoting=csv.QUOTE_NONE)
        try:
            header = [h.strip().lower() for h in next(rows)]
        except StopIteration:
            return False
        cols = set(header)
        # required columns; other dictionaries share some names (geo_places.tsv: name,
        # aliases, country) but never the whole set
        if {"iso3", "name", "capitals"} <= cols:
            handler = self._country
        elif {"phrase", "sector"} <= cols:
            handler = self._sector_row
        elif {"title", "sector"} <= cols:
            handler = self._title
        elif {"name", "sector", "office", "start"} <= cols:
            handler = self._person
        elif {"name", "sector", "country"} <= cols:
            handler = self._group
        else:
            return False
        for lineno, row in enumerate(rows, start=2):
            if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
                continue
            rec = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
            self._order += 1
            handler(rec, f"{source}:{lineno}", source, priority)
        return True

    def _entry(self, kind: str, name: str, source: str, role: str = "",
               key: str | None = None) -> Entry:
        if key is not None and (kind, key) in self._named:
            return self._named[(kind, key)]
        entry = Entry(kind=kind, name=name.lstrip("="), source=source, role=role)
        self.entries.append(entry)
        if key is not None:
            self._named[(kind, key)] = entry
        return entry

    def _country(self, rec: dict, where: str, source: str, priority: int) -> None:
        iso = rec.get("iso3", "").upper()
        name = rec.get("name", "")
        if len(iso) != 3 or not name:
            raise ValueError(f"{where}: a country needs iso3 and name")
        adjectives = _split(rec.get("adjectives", ""))
        first_adjective = adjectives[0].lstrip("=") if adjectives else None
        self.countries[iso] = CountryInfo(iso, name, first_adjective)
        v = dict(priority=priority, order=self._order, source=source)
        country = self._entry("country", name, source, key=iso)
        country.variants.append(Variant(country=iso, sector="GOV", code=iso, **v))
        country.aliases += [name, *_split(rec.get("aliases", ""))]
        if adjectives:
            adj = self._entry("adjective", adjectives[0], source, key=iso)
            adj.variants.append(Variant(country=iso, **v))
            adj.aliases += adjectives
            demonyms = [a + "s" for a in adjectives if a.endswith(("an", "i"))]
            if demonyms:
                dem = self._entry("demonym", demonyms[0], source, key=iso)
                dem.variants.append(Variant(country=iso, code=iso, **v))
                dem.aliases += demonyms
        capitals = _split(rec.get("capitals", ""))
        if capitals:
            cap = self._entry("capital", capitals[0], source, key=iso)
            cap.variants.append(Variant(country=iso, sector="GOV", code=iso + "GOV", **v))
            cap.aliases += capitals

    def _person(self, rec: dict, where: str, source: str, priority: int) -> None:
        name = rec.get("name", "")
        country = rec.get("country", "").upper() or None
        code = rec.get("code", "").upper() or None
        if not name or not (country or code):
            raise ValueError(f"{where}: an office-holder needs a name and a country or code")
        person = self._entry("person", name, source, key=name.lstrip("=").casefold())
        person.variants.append(Variant(
            country=country, sector=_sector(rec.get("sector", ""), where), code=code,
            office=rec.get("office") or None, start=_date(rec.get("start", ""), where),
            end=_date(rec.get("end", ""), where), priority=priority, order=self._order,
            source=source))
        person.aliases += [name, *_split(rec.get("aliases", ""))]

    def _group(self, rec: dict, where: str, source: str, priority: int) -> None:
        name = rec.get("name", "")
        country = rec.get("country", "").upper() or None
        sector = _sector(rec.get("sector", ""), where)
        code = rec.get("code", "").upper() or None
        gtype = rec.get("type", "").lower()
        if not name or not (country or sector or code):
            raise ValueError(f"{where}: a group needs a name and a country, sector or code")
        if gtype not in GROUP_TYPES:
            raise ValueError(f"{where}: unknown type {gtype!r}")
        group = self._entry("capital" if gtype == "capital" else "group", name, source,
                            key=name.lstrip("=").casefold())
        group.variants.append(Variant(
            country=country, sector=sector, code=code, type=gtype,
            start=_date(rec.get("start", ""), where), end=_date(rec.get("end", ""), where),
            priority=priority, order=self._order, source=source))
        group.aliases += [name, *_split(rec.get("aliases", ""))]

    def _sector_row(self, rec: dict, where: str, source: str, priority: int) -> None:
        phrase = rec.get("phrase", "")
        role = rec.get("role", "").lower() or "noun"
        if role not in SECTOR_ROLES:
            raise ValueError(f"{where}: unknown role {role!r}")
        sector = _sector(rec.get("sector", ""), where)
        if role in ("link", "link-member"):
            self.links[tuple(tokenize(phrase).norms)] = role
            return
        kind = {"noun": "sector", "member": "sector"}.get(role, role)
        entry = self._entry(kind, phrase, source, role=role)
        entry.variants.append(Variant(sector=sector, priority=priority, order=self._order,
                                      source=source))
        entry.aliases.append(phrase)
        if role in ("noun", "member") and (p := plural(phrase)):
            entry.aliases.append(p)

    def _title(self, rec: dict, where: str, source: str, priority: int) -> None:
        title = rec.get("title", "")
        role = rec.get("role", "").lower() or "noun"
        if role not in TITLE_ROLES:
            raise ValueError(f"{where}: unknown role {role!r}")
        entry = self._entry("title", title, source, role=role)
        entry.variants.append(Variant(country=rec.get("country", "").upper() or None,
                                      sector=_sector(rec.get("sector", ""), where),
                                      priority=priority, order=self._order, source=source))
        entry.aliases.append(title)
        if role != "rank" and (p := plural(title)):
            entry.aliases.append(p)


class ActorDictionary:
    """All actor entries, compiled into a token trie (built once, in the constructor).

    ``trie`` maps a token to the next level; the key ``None`` holds the aliases ending there.
    ``links`` maps link phrases (as token tuples) to their role.
    """

    def __init__(self, entries: Sequence[Entry], links: dict[tuple[str, ...], str] | None = None,
                 countries: dict[str, CountryInfo] | None = None,
                 sources: Sequence[str] = ()) -> None:
        self.entries = list(entries)
        self.links = dict(links or {})
        self.countries = dict(countries or {})
        self.sources = list(sources)
        self.trie: dict = {}
        self.max_link = max((len(k) for k in self.links), default=0)
        for entry in self.entries:
            seen: set[tuple[str, ...]] = set()
            for alias in entry.aliases:
                for form in _alias_variants(alias, entry.kind):
                    self._add(form, entry, seen)

    def _add(self, alias: str, entry: Entry, seen: set) -> None:
        exact = alias.startswith("=")
        text = alias[1:] if exact else alias
        toks = tokenize(text)
        if not toks.norms:
            return
        key = tuple(toks.norms)
        pattern = tuple(token_pattern(r, n) for r, n in zip(toks.raws, toks.norms))
        forms = [(key, pattern)]
        if len(key) > 1 and key[-1] == "." and pattern[-2] == "D":
            forms.append((key[:-1], pattern[:-1]))  # "U.S." also as "U.S"
        for key, pattern in forms:
            if (key, pattern, exact) in seen:
                continue
            seen.add((key, pattern, exact))
            node = self.trie
            for tok in key:
                node = node.setdefault(tok, {})
            node.setdefault(None, []).append(Alias(text, pattern, exact, entry))

    @classmethod
    def load(cls, paths: Sequence[str | Path] = ()) -> ActorDictionary:
        """The packaged dictionaries plus user files or folders (``*.tsv`` inside a folder).

        A file's format is recognised by its header; files of other formats (trigger or place
        dictionaries given to the same ``--dict``) are skipped. Later files win ties.
        """
        reader = _Reader()
        sources: list[str] = []
        data = resources.files("dateline.data")
        for priority, name in enumerate(PACKAGED):
            reader.read(data.joinpath(name).read_text(encoding="utf-8"), name, priority)
            sources.append(name)
        for priority, path in enumerate(_expand(paths), start=len(PACKAGED)):
            text = path.read_text(encoding="utf-8-sig")
            if reader.read(text, str(path), priority):
                sources.append(str(path))
        return cls(reader.entries, reader.links, reader.countries, sources)

    def country_label(self, iso3: str | None) -> str | None:
        """The adjective of a country ("Syrian") or its name, for display names."""
        if iso3 is None:
            return None
        info = self.countries.get(iso3)
        if info is None:
            return iso3
        return info.adjective or info.name


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(sorted(q for q in path.glob("*.tsv") if q.is_file()))
        elif path.is_file():
            out.append(path)
        else:
            raise FileNotFoundError(f"{path}: dictionary file or folder not found")
    return out
