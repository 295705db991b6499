"""Compare our events with the big datasets: GDELT 2.0 event files and ACLED CSV exports.

``load_files(store, paths)`` reads the files into a side table, ``compare_events`` (made
here, beside the store's own tables; a file read again replaces its rows), mapping each row
to a PLOVER type:

- GDELT: ``EventCode`` → PLOVER by the CAMEO root (02 REQUEST, 03 AGREE, 04 CONSULT,
  05 SUPPORT, 06 COOPERATE, 07 AID, 08 CONCEDE, 09 ACCUSE, 10 REQUEST, 11 ACCUSE,
  12 REJECT, 13 THREATEN, 14 PROTEST, 15 MOBILIZE, 16 SANCTION, 17 COERCE, 18–20 ASSAULT;
  036 CONSULT, 057 AGREE, 087 RETREAT; 01 public statements have no PLOVER type and are
  left out), the place from ``ActionGeo_*`` (FIPS country codes → ISO 3166 alpha-3).
- ACLED: ``event_type`` / ``sub_event_type`` → PLOVER (battles, explosions/remote violence,
  violence against civilians and mob violence ASSAULT; protests and violent demonstrations
  PROTEST; arrests, looting, disrupted weapons use COERCE; agreements AGREE; a base
  established MOBILIZE; non-violent transfer of territory RETREAT; other strategic
  developments left out), the country from ``iso`` (numeric) or its name.

``compare_report(store, query)`` then counts, for the place and period of ``query``, our
events that one of their rows matches (**both**), our events none matches (**ours only**)
and their rows that match none of ours (**theirs only**). A match has the same PLOVER type,
a date at most ``days`` apart, and the same place: the same country, and — when both sides
are located more precisely than the country — coordinates within ``PLACE_KM`` km (or the
same first-level region name). GDELT writes one row per report, so several of their rows
often match one of our events.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from dateline.query.db import Db, connection
from dateline.query.filters import EventQuery
from dateline.query.params import fold

PLACE_KM = 50.0
TABLE = "compare_events"
_CREATE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    dataset VARCHAR NOT NULL,       -- gdelt or acled
    file VARCHAR NOT NULL,          -- the file it was read from
    row_id VARCHAR NOT NULL,        -- GLOBALEVENTID / event_id_cnty
    date DATE,
    event_type VARCHAR,             -- PLOVER
    source_type VARCHAR,            -- CAMEO code / ACLED event_type: sub_event_type
    country VARCHAR,                -- ISO 3166 alpha-3
    admin1 VARCHAR,
    place VARCHAR,
    precision VARCHAR,              -- country, admin1 or city
    lat DOUBLE,
    lon DOUBLE,
    fatalities INTEGER,
    actor1 VARCHAR,
    actor2 VARCHAR,
    text VARCHAR                    -- SOURCEURL / notes
)
"""

CAMEO_SPECIAL = {"036": "CONSULT", "057": "AGREE", "087": "RETREAT"}
CAMEO_ROOTS = {
    "02": "REQUEST", "03": "AGREE", "04": "CONSULT", "05": "SUPPORT", "06": "COOPERATE",
    "07": "AID", "08": "CONCEDE", "09": "ACCUSE", "10": "REQUEST", "11": "ACCUSE",
    "12": "REJECT", "13": "THREATEN", "14": "PROTEST", "15": "MOBILIZE", "16": "SANCTION",
    "17": "COERCE", "18": "ASSAULT", "19": "ASSAULT", "20": "ASSAULT",
}
ACLED_TYPES = {
    "battles": "ASSAULT",
    "explosions/remote violence": "ASSAULT",
    "violence against civilians": "ASSAULT",
    "protests": "PROTEST",
    "riots": "PROTEST",
}
ACLED_SUBTYPES = {
    "mob violence": "ASSAULT",
    "agreement": "AGREE",
    "arrests": "COERCE",
    "looting/property destruction": "COERCE",
    "disrupted weapons use": "COERCE",
    "headquarters or base established": "MOBILIZE",
    "non-violent transfer of territory": "RETREAT",
    "change to group/activity": None,
    "other": None,
}
ACLED_REQUIRED = {"event_date", "event_type", "country"}
GDELT_MIN_COLUMNS = 57


class CompareError(ValueError):
    """A file that cannot be read as GDELT or ACLED (the message names it and why)."""


def cameo_to_plover(code: str | None) -> str | None:
    code = (code or "").strip()
    if len(code) < 2 or not code[:2].isdigit():
        return None
    return CAMEO_SPECIAL.get(code[:3]) or CAMEO_ROOTS.get(code[:2])


def acled_to_plover(event_type: str | None, sub_event_type: str | None) -> str | None:
    sub = fold((sub_event_type or "").strip())
    if sub in ACLED_SUBTYPES:
        return ACLED_SUBTYPES[sub]
    return ACLED_TYPES.get(fold((event_type or "").strip()))


# -- reading -----------------------------------------------------------------------------
def _open_text(path: Path) -> Iterator[io.TextIOBase]:
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if not n.endswith("/")]
            if not names:
                raise CompareError(f"{path}: empty zip")
            with z.open(names[0]) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
        return
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace", newline="") as fh:
        yield fh


def sniff(path: Path) -> str:
    """gdelt or acled, from the first line."""
    for fh in _open_text(path):
        first = fh.readline()
        header = {h.strip().lower() for h in next(csv.reader([first]))} if first else set()
        if header >= ACLED_REQUIRED:
            return "acled"
        if len(first.split("\t")) >= GDELT_MIN_COLUMNS:
            return "gdelt"
    raise CompareError(f"{path}: neither a GDELT 2.0 event file (tab separated, "
                       f"{GDELT_MIN_COLUMNS}+ columns) nor an ACLED CSV (event_date, "
                       "event_type, country columns)")


def _fips_to_iso3() -> dict[str, str]:
    from dateline.export.gdelt import Countries

    return {fips: iso for iso, fips in Countries.load().fips.items()}


def _float(value: str) -> float | None:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _int(value: str) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def read_gdelt(path: Path) -> Iterator[tuple | None]:
    """Rows of a GDELT 2.0 events file (``*.export.CSV``: tab separated, no header; a
    header row as ``dateline export --format gdelt`` writes is skipped). None = skipped."""
    from dateline.export.gdelt import EVENT_COLUMNS

    at = {name: i for i, name in enumerate(EVENT_COLUMNS)}
    fips = _fips_to_iso3()
    for fh in _open_text(path):
        for line in fh:
            f = line.rstrip("\r\n").split("\t")
            if len(f) < GDELT_MIN_COLUMNS or f[0] == "GLOBALEVENTID":
                yield None
                continue
            f += [""] * (len(EVENT_COLUMNS) - len(f))
            try:
                day = datetime.strptime(f[at["SQLDATE"]], "%Y%m%d").date()
            except ValueError:
                yield None
                continue
            code = f[at["EventCode"]]
            etype = cameo_to_plover(code)
            if etype is None:
                yield None
                continue
            geo_type = f[at["ActionGeo_Type"]]
            country_fips = f[at["ActionGeo_CountryCode"]]
            precision = {"1": "country", "2": "admin1", "5": "admin1"}.get(geo_type, "city")
            full = f[at["ActionGeo_FullName"]]
            parts = [p.strip() for p in full.split(",")]
            yield ("gdelt", f[0], day, etype, code, fips.get(country_fips),
                   parts[1] if len(parts) >= 3 else (parts[0] if precision == "admin1"
                                                     else None),
                   parts[0] if parts and parts[0] else None, precision,
                   _float(f[at["ActionGeo_Lat"]]), _float(f[at["ActionGeo_Long"]]), None,
                   f[at["Actor1Name"]] or f[at["Actor1Code"]] or None,
                   f[at["Actor2Name"]] or f[at["Actor2Code"]] or None,
                   f[at["SOURCEURL"]] or None)


def _acled_date(value: str) -> date | None:
    value = value.strip()
    for form in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y", "%m/%d/%Y"):
        try:
            return datetime.strptime(value, form).date()
        except ValueError:
            continue
    return None


def _acled_country(iso: str, name: str) -> str | None:
    import pycountry

    if iso and iso.strip().isdigit():
        c = pycountry.countries.get(numeric=iso.strip().zfill(3))
        if c:
            return c.alpha_3
    if name:
        try:
            return pycountry.countries.lookup(name.strip()).alpha_3
        except LookupError:
            try:
                return pycountry.countries.search_fuzzy(name.strip())[0].alpha_3
            except LookupError:
                return None
    return None


def read_acled(path: Path) -> Iterator[tuple | None]:
    """Rows of an ACLED CSV export (header row with event_date, event_type, ...)."""
    countries: dict[tuple[str, str], str | None] = {}
    for fh in _open_text(path):
        reader = csv.DictReader(fh)
        reader.fieldnames = [h.strip().lower() for h in reader.fieldnames or []]
        if not set(reader.fieldnames) >= ACLED_REQUIRED:
            raise CompareError(f"{path}: ACLED CSV needs the columns "
                               f"{', '.join(sorted(ACLED_REQUIRED))}")
        for n, rec in enumerate(reader):
            day = _acled_date(rec.get("event_date") or "")
            etype = acled_to_plover(rec.get("event_type"), rec.get("sub_event_type"))
            if day is None or etype is None:
                yield None
                continue
            key = (rec.get("iso") or "", rec.get("country") or "")
            if key not in countries:
                countries[key] = _acled_country(*key)
            geo = rec.get("geo_precision") or ""
            yield ("acled", rec.get("event_id_cnty") or rec.get("data_id") or str(n), day,
                   etype, f"{rec.get('event_type', '')}: {rec.get('sub_event_type', '')}",
                   countries[key], rec.get("admin1") or None, rec.get("location") or None,
                   "admin1" if geo.strip() == "3" else "city",
                   _float(rec.get("latitude") or ""), _float(rec.get("longitude") or ""),
                   _int(rec.get("fatalities") or ""), rec.get("actor1") or None,
                   rec.get("actor2") or None, rec.get("notes") or None)


def load_files(db: Db, paths: Sequence[str], fmt: str = "auto", replace: bool = True
               ) -> list[dict[str, Any]]:
    """Read each file into the side table (its earlier rows replaced unless ``replace`` is
    False); per file ``{file, dataset, rows, skipped}``."""
    if fmt not in ("auto", "gdelt", "acled"):
        raise CompareError(f"--format: expected auto, gdelt or acled, got {fmt!r}")
    con = connection(db)
    con.execute(_CREATE)
    out = []
    for p in paths:
        path = Path(p)
        if not path.is_file():
            raise CompareError(f"{path}: no such file")
        dataset = sniff(path) if fmt == "auto" else fmt
        rows: list[tuple] = []
        skipped = 0
        reader = read_gdelt(path) if dataset == "gdelt" else read_acled(path)
        for row in reader:
            if row is None:
                skipped += 1
            else:
                rows.append((row[0], str(path), *row[1:]))
        con.execute("BEGIN TRANSACTION")
        try:
            if replace:
                con.execute(f"DELETE FROM {TABLE} WHERE file = ?", [str(path)])
            if rows:
                con.executemany(f"INSERT INTO {TABLE} VALUES ({', '.join('?' * 16)})", rows)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        out.append({"file": str(path), "dataset": dataset, "rows": len(rows),
                    "skipped": skipped})
    return out


# -- comparing ---------------------------------------------------------------------------
def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _same_place(ours: dict[str, Any], theirs: dict[str, Any]) -> bool:
    if not ours["country"] or ours["country"] != theirs["country"]:
        return False
    if ours["precision"] == "country" or theirs["precision"] == "country":
        return True
    if ours["lat"] is not None and theirs["lat"] is not None \
            and _km((ours["lat"], ours["lon"]), (theirs["lat"], theirs["lon"])) <= PLACE_KM:
        return True
    if ours["admin1"] and theirs["admin1"]:
        from dateline.query.series import admin1_code

        a = admin1_code(ours["country"], ours["admin1"]) or fold(ours["admin1"])
        b = admin1_code(theirs["country"], theirs["admin1"]) or fold(theirs["admin1"])
        return a == b
    return False


def _ours(db: Db, q: EventQuery) -> list[dict[str, Any]]:
    from dateline.query.events import where_for

    w = where_for(db, q)
    rows = connection(db).execute(
        "SELECT id, date, event_type, country, admin1, place, lat, lon, "
        "json_extract_string(data, '$.location.feature'), sentence FROM events "
        f"WHERE {w.sql()} AND date IS NOT NULL ORDER BY date, id", w.params).fetchall()
    return [{"id": r[0], "date": r[1], "type": r[2], "country": r[3], "admin1": r[4],
             "place": r[5], "lat": r[6], "lon": r[7],
             "precision": r[8] if r[8] in ("country", "admin1") else "city", "text": r[9]}
            for r in rows]


def _theirs(db: Db, q: EventQuery, files: Sequence[str] | None) -> list[dict[str, Any]]:
    from dateline.query.sql import FOLDED_PARAM, Where, folded

    w = Where()
    w.add_in("event_type", q.type)
    w.add_in("country", q.country)
    if q.since:
        w.add("date >= ?", q.since)
    if q.until:
        w.add("date <= ?", q.until)
    if q.place:
        w.add(f"contains({folded('place')}, {FOLDED_PARAM}) OR "
              f"contains({folded('admin1')}, {FOLDED_PARAM})", q.place, q.place)
    if files:
        w.add_in("file", tuple(dict.fromkeys(files)))
    rows = connection(db).execute(
        f"SELECT dataset, row_id, date, event_type, country, admin1, place, precision, lat, "
        f"lon, text FROM {TABLE} WHERE {w.sql()} AND date IS NOT NULL ORDER BY date, row_id",
        w.params).fetchall()
    return [{"dataset": r[0], "id": r[1], "date": r[2], "type": r[3], "country": r[4],
             "admin1": r[5], "place": r[6], "precision": r[7], "lat": r[8], "lon": r[9],
             "text": r[10]} for r in rows]


def _scope(q: EventQuery) -> str:
    parts = []
    if q.place:
        parts.append(q.place)
    if q.country:
        parts.append(",".join(q.country))
    if q.type:
        parts.append(",".join(q.type))
    span = f"{q.since or '…'} – {q.until or '…'}" if q.since or q.until else "all dates"
    return " · ".join([*(parts or ["everywhere"]), span])


def compare_report(db: Db, q: EventQuery, days: int = 0, examples: int = 5,
                   files: Sequence[str] | None = None) -> dict[str, Any]:
    """Both / ours only / theirs only for the place and period of ``q`` (see the module),
    against the rows read from ``files`` (default: every row of the side table)."""
    con = connection(db)
    con.execute(_CREATE)
    ours = _ours(db, q.filters_only())
    theirs = _theirs(db, q, files)
    index: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for t in theirs:
        index.setdefault((t["type"], t["country"]), []).append(t)
    matched_theirs: set[tuple[str, str]] = set()
    both: list[dict[str, Any]] = []
    ours_only: list[dict[str, Any]] = []
    window = timedelta(days=days)
    for o in ours:
        hits = [t for t in index.get((o["type"], o["country"]), ())
                if abs(t["date"] - o["date"]) <= window and _same_place(o, t)]
        if hits:
            both.append({**o, "matches": [f"{t['dataset']}:{t['id']}" for t in hits]})
            matched_theirs.update((t["dataset"], t["id"]) for t in hits)
        else:
            ours_only.append(o)
    theirs_only = [t for t in theirs if (t["dataset"], t["id"]) not in matched_theirs]
    types = sorted({o["type"] for o in ours} | {t["type"] for t in theirs})
    by_type = []
    for etype in types:
        by_type.append({"type": etype,
                        "both": sum(1 for o in both if o["type"] == etype),
                        "ours_only": sum(1 for o in ours_only if o["type"] == etype),
                        "theirs_only": sum(1 for t in theirs_only if t["type"] == etype)})

    def show(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for r in rows[:examples]:
            item = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()
                    if k in ("id", "dataset", "date", "type", "country", "admin1", "place",
                             "text", "matches")}
            out.append(item)
        return out

    return {
        "scope": _scope(q),
        "matched_by": f"type, day (± {days} d), place (same country; within {PLACE_KM:g} km "
                      "or the same region unless one side is country-level)",
        "counts": {"ours": len(ours), "theirs": len(theirs), "both": len(both),
                   "ours_only": len(ours_only), "theirs_only": len(theirs_only),
                   "theirs_matched": len(theirs) - len(theirs_only)},
        "by_type": by_type,
        "examples": {"both": show(both), "ours_only": show(ours_only),
                     "theirs_only": show(theirs_only)},
    }


__all__ = ["CompareError", "acled_to_plover", "cameo_to_plover", "compare_report",
           "load_files", "read_acled", "read_gdelt", "sniff"]
