"""Actor names through the coder's dictionaries: filters, suggestions and actor profiles.

The coder writes an actor's canonical dictionary name into its events ("Islamic State" for
ISIS, Daesh or ISIL; "Vishwa Hindu Parishad" for VHP; "Vladimir Putin" for Putin). A filter
item that is a name is looked up in the same dictionaries (``data/*.tsv`` and the user's
``--dict`` files): every entry one of whose aliases it spells (case and accents ignored;
aliases marked ``=`` only in their exact case) adds that entry's canonical name, and an
office ("Russian foreign minister", "Secretary of State") adds the people who held it in
the query's date range. So ``--actor ISIS`` finds the events of "Islamic State".

``ActorIndex`` reads the dictionary files once (without building the coder's trie);
``expand(q)`` returns the query with the extra names; ``suggest`` completes what a user
types; ``profile`` gathers an actor's page: its entry, events over time and counterparts.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from dateline.query.params import ActorTerm, fold

NAMED_KINDS = ("person", "group", "country", "capital")
_lock = threading.Lock()
_paths: tuple[str, ...] = ()
_index: ActorIndex | None = None


def use_dictionaries(paths: Sequence[str]) -> None:
    """Resolve names with the packaged dictionaries plus these user files or folders (the
    config's ``dicts``); the index is rebuilt on next use."""
    global _paths, _index
    new = tuple(str(p) for p in paths or ())
    with _lock:
        if new != _paths:
            _paths, _index = new, None


def current_index() -> ActorIndex:
    """The index over the dictionaries set by ``use_dictionaries`` (packaged ones by
    default), read on first use."""
    global _index
    with _lock:
        if _index is None:
            _index = ActorIndex.load(_paths)
        return _index


@dataclass
class Resolved:
    """What a name stands for: canonical names to match, and the entries behind them."""

    text: str
    names: list[str] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    why: list[str] = field(default_factory=list)


def _alias_forms(alias: str) -> list[str]:
    from dateline.coding.actor_dict import _alias_variants

    out = []
    for form in _alias_variants(alias, "group"):
        out.append(form)
    return out


class ActorIndex:
    """Aliases, names and offices of the dictionary entries that name actors."""

    def __init__(self, entries: Sequence[Any], countries: dict[str, Any] | None = None) -> None:
        self.entries = [e for e in entries if e.kind in NAMED_KINDS]
        self.by_alias: dict[str, list[tuple[str, Any]]] = {}  # folded alias -> (alias, entry)
        self.by_name: dict[str, Any] = {}
        self.country_words: dict[str, str] = {}  # folded adjective / name -> ISO3
        self.offices: dict[str, list[tuple[Any, Any]]] = {}  # folded office -> (entry, variant)
        for e in entries:
            if e.kind in ("adjective", "demonym", "country"):
                for alias in e.aliases:
                    iso = next((v.country for v in e.variants if v.country), None)
                    if iso:
                        self.country_words.setdefault(fold(alias.lstrip("=")), iso)
        for e in self.entries:
            self.by_name.setdefault(fold(e.name), e)
            seen: set[str] = set()
            for alias in e.aliases:
                for form in _alias_forms(alias):
                    key = fold(form.lstrip("=").replace("-", " "))
                    if (key, form) in seen:
                        continue
                    seen.add((key, form))
                    self.by_alias.setdefault(key, []).append((form, e))
            if e.kind == "person":
                for v in e.variants:
                    if v.office:
                        self.offices.setdefault(fold(v.office), []).append((e, v))
        self.countries = dict(countries or {})
        self._sorted_aliases = sorted(self.by_alias)

    @classmethod
    def load(cls, paths: Sequence[str] = ()) -> ActorIndex:
        """Read the packaged actor dictionaries and the user files (as the coder does)."""
        from importlib import resources

        from dateline.coding.actor_dict import PACKAGED, _expand, _Reader

        reader = _Reader()
        data = resources.files("dateline.data")
        for priority, name in enumerate(PACKAGED):
            reader.read(data.joinpath(name).read_text(encoding="utf-8"), name, priority)
        for priority, path in enumerate(_expand(paths), start=len(PACKAGED)):
            reader.read(path.read_text(encoding="utf-8-sig"), str(path), priority)
        return cls(reader.entries, reader.countries)

    # -- resolving -----------------------------------------------------------------------
    def resolve(self, text: str, since: date | None = None, until: date | None = None
                ) -> Resolved:
        """The canonical names ``text`` stands for (none when it is no dictionary name)."""
        out = Resolved(text)
        key = fold(text.strip().replace("-", " "))
        if not key:
            return out
        for alias, entry in self.by_alias.get(key, ()):
            if alias.startswith("=") and alias[1:].replace("-", " ") != text.strip().replace(
                    "-", " "):
                continue  # an exact-case alias ("IS") spelt otherwise ("is")
            self._add(out, entry, f"{entry.source}: {alias.lstrip('=')} → {entry.name}")
        for entry, variant in self._office_holders(key, since, until):
            self._add(out, entry, f"{entry.source}: {variant.office}"
                      f"{' of ' + variant.country if variant.country else ''} → {entry.name}")
        return out

    def _add(self, out: Resolved, entry: Any, why: str) -> None:
        if entry.name not in out.names:
            out.names.append(entry.name)
            out.entries.append(describe(entry))
            out.why.append(why)

    def _office_holders(self, key: str, since: date | None, until: date | None
                        ) -> list[tuple[Any, Any]]:
        """People who held the office ``key`` names ("russian foreign minister",
        "foreign minister of russia", "secretary of state") between since and until."""
        country = None
        office = key
        for word, iso in self.country_words.items():
            if key.startswith(word + " ") and key[len(word) + 1:] in self.offices:
                country, office = iso, key[len(word) + 1:]
                break
            for link in (" of ", " of the "):
                if key.endswith(link + word) and key[: -len(link + word)] in self.offices:
                    country, office = iso, key[: -len(link + word)]
                    break
        out = []
        for entry, v in self.offices.get(office, ()):
            if country and v.country != country:
                continue
            if until and v.start and v.start > until:
                continue
            if since and v.end and v.end < since:
                continue
            out.append((entry, v))
        return out

    # -- suggestions ---------------------------------------------------------------------
    def suggest(self, prefix: str, limit: int = 10) -> list[dict[str, Any]]:
        """Entries with an alias or name starting with ``prefix`` (folded), shortest
        first: ``{name, kind, alias, code, country, sector}``."""
        import bisect

        key = fold(prefix.strip().replace("-", " "))
        if not key:
            return []
        out: dict[str, dict[str, Any]] = {}
        at = bisect.bisect_left(self._sorted_aliases, key)
        hits = []
        while at < len(self._sorted_aliases) and self._sorted_aliases[at].startswith(key):
            alias_key = self._sorted_aliases[at]
            for alias, entry in self.by_alias[alias_key]:
                hits.append((len(alias_key), alias.lstrip("="), entry))
            at += 1
        hits.sort(key=lambda h: (h[0], h[1]))
        for _, alias, entry in hits:
            if entry.name in out:
                continue
            d = describe(entry, brief=True)
            d["alias"] = alias
            out[entry.name] = d
            if len(out) >= limit:
                break
        return list(out.values())

    def entry(self, name: str) -> dict[str, Any] | None:
        """The dictionary entry with this canonical name or alias, described."""
        e = self.by_name.get(fold(name.strip()))
        if e is None:
            found = self.by_alias.get(fold(name.strip().replace("-", " ")))
            e = found[0][1] if found else None
        return describe(e) if e is not None else None


def describe(entry: Any, brief: bool = False) -> dict[str, Any]:
    """A dictionary entry as JSON: name, kind, aliases and its identities over time."""
    variants = [{"country": v.country, "sector": v.sector, "code": _code(v), "office": v.office,
                 "start": v.start.isoformat() if v.start else None,
                 "end": v.end.isoformat() if v.end else None, "source": v.source}
                for v in entry.variants]
    latest = max(variants, key=lambda v: (v["end"] is None, v["end"] or "", v["start"] or ""),
                 default={})
    d: dict[str, Any] = {"name": entry.name, "kind": entry.kind, "code": latest.get("code"),
                         "country": latest.get("country"), "sector": latest.get("sector")}
    if not brief:
        d["aliases"] = sorted({a.lstrip("=") for a in entry.aliases} - {entry.name})
        d["variants"] = variants
        d["source"] = entry.source
    return d


def _code(v: Any) -> str | None:
    if v.code:
        return v.code
    if v.country and v.sector:
        return v.country + v.sector
    return v.country or None


def expand(q: Any, index: ActorIndex | None = None) -> Any:
    """``q`` (an EventQuery) with every name item of ``actor`` / ``recipient`` joined by
    the canonical names it resolves to (exact-name items); unchanged when none resolves."""
    terms = [t for t in (*q.actor, *q.recipient) if t.kind in ("auto", "name")]
    if not terms:
        return q
    index = index or current_index()
    changes: dict[str, tuple[ActorTerm, ...]] = {}
    for side in ("actor", "recipient"):
        out = list(getattr(q, side))
        for t in getattr(q, side):
            if t.kind not in ("auto", "name"):
                continue
            for name in index.resolve(t.value, q.since, q.until).names:
                extra = ActorTerm("auto", name)
                if extra not in out and name != t.value:
                    out.append(extra)
        if len(out) != len(getattr(q, side)):
            changes[side] = tuple(out)
    return replace(q, **changes) if changes else q


# -- the store's side: names seen in events, and an actor's page ------------------------------
def store_names(db: Any, prefix: str, limit: int = 10) -> list[dict[str, Any]]:
    """Actor and recipient names in the store's events that contain ``prefix`` (case and
    accents ignored), most frequent first: ``{name, events, code}``."""
    from dateline.query.db import connection

    key = fold(prefix.strip())
    if not key:
        return []
    rows = connection(db).execute(
        "WITH n AS (SELECT id, unnest(actor_names) AS name, unnest(actor_codes) AS code "
        "FROM events UNION ALL SELECT id, unnest(recipient_names), unnest(recipient_codes) "
        "FROM events) "
        "SELECT name, count(DISTINCT id) AS n, mode(code) FROM n "
        "WHERE name IS NOT NULL AND contains(strip_accents(lower(name)), "
        "strip_accents(lower(?))) "
        "GROUP BY name ORDER BY starts_with(strip_accents(lower(name)), "
        "strip_accents(lower(?))) DESC, n DESC, name LIMIT ?",
        [prefix.strip(), prefix.strip(), limit]).fetchall()
    return [{"name": name, "events": n, "code": code} for name, n, code in rows]


def suggest(db: Any, prefix: str, limit: int = 10, index: ActorIndex | None = None
            ) -> list[dict[str, Any]]:
    """What a user typing ``prefix`` in an actor box may mean: names in the store's events
    and dictionary entries (with their aliases: "Dae" offers Islamic State), merged by name,
    the store's first; each ``{name, events, code, kind, alias}``."""
    index = index or current_index()
    out: dict[str, dict[str, Any]] = {}
    for row in store_names(db, prefix, limit):
        out[row["name"]] = {"name": row["name"], "events": row["events"], "code": row["code"],
                            "kind": None, "alias": None}
    for d in index.suggest(prefix, limit):
        have = out.get(d["name"])
        if have is not None:
            have["kind"] = d["kind"]
            have["alias"] = d["alias"] if d["alias"] != d["name"] else None
            continue
        out[d["name"]] = {"name": d["name"], "events": 0, "code": d["code"], "kind": d["kind"],
                          "alias": d["alias"] if d["alias"] != d["name"] else None}
    items = list(out.values())
    if items:
        counts = _name_counts(db, [i["name"] for i in items if not i["events"]])
        for i in items:
            i["events"] = i["events"] or counts.get(i["name"], 0)
    items.sort(key=lambda i: (-i["events"], len(i["name"])))
    return items[:limit]


def _name_counts(db: Any, names: list[str]) -> dict[str, int]:
    from dateline.query.db import connection

    if not names:
        return {}
    rows = connection(db).execute(
        "SELECT name, count(DISTINCT id) FROM (SELECT id, unnest(list_concat("
        "coalesce(actor_names, []), coalesce(recipient_names, []))) AS name FROM events) "
        "WHERE name IN (SELECT unnest(?)) GROUP BY name", [names]).fetchall()
    return dict(rows)
