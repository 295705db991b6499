"""Totals by place and time, as conflict analysts count them (ACLED-style): events, dead,
injured and arrested per country, first-level region or place, per day, ISO week, month or
year (or in total), over the events a query selects.

    series(store, EventQuery.parse(type="ASSAULT", country="SYR"), by="week", per="country")

Rows are plain dicts: ``period`` (first day of the bucket, ``None`` with ``by="total"``),
``period_end``, the place columns of the level (``country``; ``admin1`` and ``admin1_code``;
``place``, ``lat``, ``lon``), ``events``, ``dead``, ``injured``, ``arrested`` (sums over the
events that give a number; 0 when none does) and ``located_as`` (how many of the events were
located at country, admin1 or city precision, as a dict). With ``fill``, every bucket from
the first to the last one of a place is listed, empty ones with zeros.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from dateline.query.db import Db, connection
from dateline.query.events import where_for
from dateline.query.filters import EventQuery
from dateline.query.params import Param, parse_bool, parse_choice

BY = ("day", "week", "month", "year", "total")
PER = ("country", "admin1", "place", "none")
MAX_FILL = 100_000  # rows a filled series may have; beyond, empty buckets are left out
MEASURES = ("events", "dead", "injured", "arrested")

BY_PARAM = Param("by", "Bucket of the series: day, week (ISO, from Monday), month, year, or "
                 "total (one row per place).",
                 {"type": "string", "enum": list(BY), "default": "month"},
                 lambda n, r: parse_choice(n, r, BY), example="week")
PER_PARAM = Param("per", "Place level of the series: country (ISO3), admin1 (first-level "
                  "region), place (the named place), or none (all places together).",
                  {"type": "string", "enum": list(PER), "default": "country"},
                  lambda n, r: parse_choice(n, r, PER), example="country")
FILL_PARAM = Param("fill", "true: list every bucket from a place's first to its last one, "
                   "empty ones with zeros.", {"type": "boolean", "default": False}, parse_bool)
SERIES_PARAMS = (BY_PARAM, PER_PARAM, FILL_PARAM)

_GROUP = {
    "country": ("country",),
    "admin1": ("country", "admin1"),
    "place": ("country", "admin1", "place"),
    "none": (),
}


@lru_cache(maxsize=1)
def admin1_codes() -> dict[tuple[str, str], str]:
    """(ISO3, folded admin1 name or alias or code) -> GeoNames admin1 code, from the
    packaged ``geo_admin1.tsv`` (the region names the gazetteer gives events)."""
    from dateline.gazetteer.index import data_text, read_tsv, split_names
    from dateline.query.params import fold

    out: dict[tuple[str, str], str] = {}
    for row in read_tsv(text=data_text("geo_admin1.tsv")):
        country, code = row["country"], row["code"]
        for name in (code, row["name"], *split_names(row.get("aliases") or "")):
            if name:
                out.setdefault((country, fold(name)), code)
    return out


def admin1_code(country: str | None, admin1: str | None) -> str | None:
    """The GeoNames admin1 code of a region given by name (or already by code)."""
    if not country or not admin1:
        return None
    from dateline.query.params import fold

    return admin1_codes().get((country, fold(admin1)))


def _trunc(by: str) -> str:
    return {"day": "date", "week": "CAST(date_trunc('week', date) AS DATE)",
            "month": "CAST(date_trunc('month', date) AS DATE)",
            "year": "CAST(date_trunc('year', date) AS DATE)"}[by]


def next_period(start: date, by: str) -> date | None:
    """First day of the following bucket (None past the calendar's end)."""
    try:
        if by == "day":
            return start + timedelta(days=1)
        if by == "week":
            return start + timedelta(days=7)
        if by == "month":
            return date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return date(start.year + 1, 1, 1)
    except (OverflowError, ValueError):
        return None


def series(db: Db, q: EventQuery, by: str = "month", per: str = "country",
           fill: bool = False) -> dict[str, Any]:
    """The totals of the events ``q`` selects per ``per`` and ``by`` (see the module)."""
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}, not {by!r}")
    if per not in PER:
        raise ValueError(f"per must be one of {', '.join(PER)}, not {per!r}")
    group = _GROUP[per]
    w = where_for(db, q)
    cols = [_trunc(by) + " AS period"] if by != "total" else []
    cols += list(group)
    if per == "place":
        cols += ["avg(lat) AS lat", "avg(lon) AS lon"]
    feature = "json_extract_string(data, '$.location.feature')"
    cols += ["count(*) AS events", "coalesce(sum(dead), 0) AS dead",
             "coalesce(sum(injured), 0) AS injured", "coalesce(sum(arrested), 0) AS arrested",
             f"count(*) FILTER (WHERE {feature} = 'country') AS f_country",
             f"count(*) FILTER (WHERE {feature} = 'admin1') AS f_admin1",
             f"count(*) FILTER (WHERE {feature} NOT IN ('country', 'admin1')) AS f_city"]
    keys = (["period"] if by != "total" else []) + list(group)
    where = w.sql() + (" AND date IS NOT NULL" if by != "total" else "")
    sql = (f"SELECT {', '.join(cols)} FROM events WHERE {where}"
           + (f" GROUP BY {', '.join(keys)}" if keys else "")
           + " ORDER BY " + ", ".join([*(f"{k} NULLS LAST" for k in keys[:1]), "events DESC",
                                      *(f"{k} NULLS LAST" for k in keys[1:])]))
    cur = connection(db).execute(sql, w.params)
    names = [d[0] for d in cur.description]
    rows = []
    for values in cur.fetchall():
        r = dict(zip(names, values))
        if not keys and not r["events"]:
            continue
        rows.append(_row(r, by, per))
    if per in ("admin1", "place"):
        rows = _merge_regions(rows)
    if fill and by != "total":
        rows = _fill(rows, by, per)
    return {"by": by, "per": per, "fill": fill, "columns": columns(by, per), "rows": rows,
            "totals": {m: sum(r[m] for r in rows) for m in MEASURES}}


def columns(by: str, per: str) -> list[str]:
    """The keys of a row, in order (the CSV header)."""
    out = ["period", "period_end"] if by != "total" else []
    if per in ("country", "admin1", "place"):
        out.append("country")
    if per in ("admin1", "place"):
        out += ["admin1", "admin1_code"]
    if per == "place":
        out += ["place", "lat", "lon"]
    return [*out, *MEASURES, "located_country", "located_admin1", "located_city"]


def _row(r: dict[str, Any], by: str, per: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if by != "total":
        start = r["period"]
        nxt = next_period(start, by)
        out["period"] = start.isoformat()
        out["period_end"] = (nxt - timedelta(days=1)).isoformat() if nxt else date.max.isoformat()
    if per in ("country", "admin1", "place"):
        out["country"] = r["country"]
    if per in ("admin1", "place"):
        out["admin1"] = r["admin1"]
        out["admin1_code"] = admin1_code(r["country"], r["admin1"])
    if per == "place":
        out["place"] = r["place"]
        out["lat"] = round(r["lat"], 5) if r["lat"] is not None else None
        out["lon"] = round(r["lon"], 5) if r["lon"] is not None else None
    for m in MEASURES:
        out[m] = int(r[m])
    out["located_country"] = int(r["f_country"])
    out["located_admin1"] = int(r["f_admin1"])
    out["located_city"] = int(r["f_city"])
    return out


def _merge_regions(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of one region written once by name and once by code ("Aleppo", "09") are one."""
    out: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        region = r["admin1_code"] or r["admin1"]
        key = (r.get("period"), r["country"], region, r.get("place"))
        have = out.get(key)
        if have is None:
            out[key] = r
            continue
        for m in (*MEASURES, "located_country", "located_admin1", "located_city"):
            have[m] += r[m]
        if have["admin1"] == have["admin1_code"]:  # prefer the name
            have["admin1"] = r["admin1"]
    return sorted(out.values(), key=lambda r: (r.get("period") or "", -r["events"]))


def _fill(rows: list[dict[str, Any]], by: str, per: str) -> list[dict[str, Any]]:
    place_cols = [c for c in columns(by, per) if c in ("country", "admin1", "admin1_code",
                                                       "place", "lat", "lon")]
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(json.dumps([r.get(c) for c in place_cols]), []).append(r)
    out: list[dict[str, Any]] = []
    for members in groups.values():
        have = {r["period"]: r for r in members}
        cur = date.fromisoformat(min(have))
        last = date.fromisoformat(max(have))
        filled = []
        while cur is not None and cur <= last and len(out) + len(filled) <= MAX_FILL:
            key = cur.isoformat()
            if key in have:
                filled.append(have[key])
            else:
                nxt = next_period(cur, by)
                empty = {"period": key, "period_end": (nxt - timedelta(days=1)).isoformat()
                         if nxt else date.max.isoformat()}
                empty.update({c: members[0].get(c) for c in place_cols})
                empty.update({m: 0 for m in MEASURES})
                empty.update(located_country=0, located_admin1=0, located_city=0)
                filled.append(empty)
            cur = next_period(cur, by)
        if len(out) + len(filled) > MAX_FILL:
            filled = members
        out.extend(filled)
    out.sort(key=lambda r: r["period"])
    return out
