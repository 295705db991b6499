"""EventQuery -> a WHERE clause over the ``events`` table, with bound parameters only.

No value ever becomes SQL text: every value is a ``?`` parameter; the only text pieces are
fixed column names and operators chosen from the query's (validated) shape. Text matching
is on folded text (lower case, accents stripped, by DuckDB on both sides) with
``contains``, so user text has no wildcard meaning.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from dateline.query.filters import ArticleQuery, EventQuery
from dateline.query.params import ActorTerm, Near, QueryError
from dateline.store.dialect import DUCKDB, any_element

EARTH_KM = 6371.0088
SORT_COLUMNS = {"date": "date", "sources": "num_sources", "confidence": "confidence",
                "mentions": "num_mentions"}


def folded(sql: str) -> str:
    return f"strip_accents(lower({sql}))"


FOLDED_PARAM = folded("?")


class Where:
    """Collects AND-ed conditions and their parameters."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list[Any] = []

    def add(self, sql: str, *params: Any) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    def add_in(self, column: str, values: tuple[Any, ...]) -> None:
        if values:
            self.add(f"{column} IN ({', '.join('?' * len(values))})", *values)

    def sql(self) -> str:
        return " AND ".join(f"({p})" for p in self.parts) or "TRUE"


def _actor_condition(side: str, terms: tuple[ActorTerm, ...], ready: bool,
                     dialect: str = DUCKDB) -> tuple[str, list[Any]]:
    """OR over the terms; ``side`` is ``actor`` or ``recipient`` (column prefix).

    code: a code starting with it; country / sector: exact; name: a name containing it
    (folded); auto (an upper-case code like RUS, GOV, ISIS): code prefix, country, sector,
    or a name spelt exactly so. ``ready``: the precomputed key columns are filled, so auto
    and name terms read one string each (``search.py``)."""
    codes, countries, sectors, names = (f"{side}_codes", f"{side}_countries",
                                        f"{side}_sectors", f"{side}_names")
    ors: list[str] = []
    params: list[Any] = []
    for t in terms:
        if t.kind == "auto" and ready:
            ors.append(f"contains({side}_keys, '|' || ?) OR "
                       f"contains({side}_names_text, chr(31) || ? || chr(31))")
            params += [t.value, t.value]
            continue
        if t.kind == "name" and ready:
            ors.append(f"contains({folded(f'{side}_names_text')}, {FOLDED_PARAM})")
            params.append(t.value)
            continue
        if t.kind in ("country", "auto"):
            ors.append(f"list_has({countries}, ?)")
            params.append(t.value)
        if t.kind in ("sector", "auto"):
            ors.append(f"list_has({sectors}, ?)")
            params.append(t.value)
        if t.kind in ("code", "auto"):
            ors.append(f"list_has({codes}, ?) OR "
                       + any_element(dialect, codes, "c", "starts_with(c, ?)"))
            params += [t.value, t.value]
        if t.kind == "auto":
            ors.append(f"list_has({names}, ?)")
            params.append(t.value)
        if t.kind == "name":
            ors.append(any_element(dialect, names, "n",
                                   f"contains({folded('n')}, {FOLDED_PARAM})"))
            params.append(t.value)
    return " OR ".join(ors) or "FALSE", params


def _near_condition(near: Near) -> tuple[str, list[Any]]:
    """Within ``km`` of the point on the sphere: a bounding box (cheap, pushed into the
    scan), then points inside an inner box, which are near for sure, pass without
    trigonometry, and the rest are tested with the spherical law of cosines
    (cos d = sin φ1 sin φ2 + cos φ1 cos φ2 cos Δλ, compared with cos(km / R))."""
    dlat = math.degrees(near.km / EARTH_KM) + 1e-9
    parts = ["lat BETWEEN ? AND ?"]
    params: list[Any] = [near.lat - dlat, near.lat + dlat]
    coslat = math.cos(math.radians(min(90.0, abs(near.lat) + dlat)))
    if coslat > 1e-6 and near.km / EARTH_KM < math.pi:
        dlon = math.degrees(near.km / EARTH_KM) / coslat + 1e-9
        if near.lon - dlon >= -180.0 and near.lon + dlon <= 180.0:
            parts.append("lon BETWEEN ? AND ?")
            params += [near.lon - dlon, near.lon + dlon]
    if near.km / EARTH_KM >= math.pi:  # the whole sphere
        return " AND ".join(parts), params
    phi = math.radians(near.lat)
    exact = "sin(radians(lat)) * ? + cos(radians(lat)) * ? * cos(radians(lon - ?)) >= ?"
    exact_params = [math.sin(phi), math.cos(phi), near.lon, math.cos(near.km / EARTH_KM)]
    # inner box: |Δφ| <= d/2 and |Δλ| cos φ0 <= d/2 keep the distance <= d (a path along the
    # parallel of the centre, then the meridian, is at most that long)
    half = math.degrees(near.km / EARTH_KM / 2) * 0.999
    if math.cos(phi) > 0.01:
        inner_lon = half / math.cos(phi)
        parts.append(f"CASE WHEN lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? THEN TRUE "
                     f"ELSE {exact} END")
        params += [near.lat - half, near.lat + half, near.lon - inner_lon,
                   near.lon + inner_lon, *exact_params]
    else:
        parts.append(exact)
        params += exact_params
    return " AND ".join(parts), params


def _text_condition(term: str, search_ready: bool) -> tuple[str, list[Any]]:
    """The term in the event's folded sentences: the precomputed search_text column when
    every event has it, else the sentences themselves (event and mentions)."""
    if search_ready:
        return f"contains(search_text, {FOLDED_PARAM})", [term]
    return (f"contains({folded('sentence')}, {FOLDED_PARAM}) OR id IN (SELECT event_id "
            f"FROM mentions WHERE event_id IS NOT NULL AND "
            f"contains({folded('sentence')}, {FOLDED_PARAM}))", [term, term])


def event_where(q: EventQuery, search_ready: bool = False, dialect: str = DUCKDB) -> Where:
    """The filters of ``q`` (not sort, limit or cursor) as a Where over ``events``.
    ``search_ready``: every event has its search columns (see ``search.search_ready``);
    ``dialect``: the store's SQL dialect (``dateline.store.dialect``)."""
    w = Where()
    w.add_in("event_type", q.type)
    w.add_in("quad_class", q.quad)
    w.add_in("mode", q.mode)
    w.add_in("country", q.country)
    w.add_in("modality", q.modality)
    if q.since:
        w.add("date >= ?", q.since)
    if q.until:
        w.add("date <= ?", q.until)
    if q.min_sources is not None:
        w.add("num_sources >= ?", q.min_sources)
    if q.negated is not None:
        w.add("coalesce(negated, FALSE) = ?", q.negated)
    if q.near:
        sql, params = _near_condition(q.near)
        w.add(sql, *params)
    if q.place:
        w.add(f"contains({folded('place')}, {FOLDED_PARAM}) OR "
              f"contains({folded('admin1')}, {FOLDED_PARAM})", q.place, q.place)
    for side in ("actor", "recipient"):
        terms = getattr(q, side)
        if terms:
            sql, params = _actor_condition(side, terms, search_ready, dialect)
            w.add(sql, *params)
    for term in q.q:
        sql, params = _text_condition(term, search_ready)
        w.add(sql, *params)
    return w


def order_by(q: EventQuery) -> str:
    """The sort column (NULLs last either way), then id, in the query's direction."""
    direction = "DESC" if q.descending else "ASC"
    return f"{SORT_COLUMNS[q.sort_field]} {direction} NULLS LAST, id {direction}"


def check_key(q: EventQuery, key: Any) -> Any:
    """A cursor's key must have the type of the sort column (or be None: the NULL tail)."""
    if key is None:
        return None
    if q.sort_field == "date":
        ok = isinstance(key, date)
    else:
        ok = isinstance(key, (int, float)) and not isinstance(key, bool) and math.isfinite(key)
    if not ok:
        raise QueryError("cursor", "cursor does not fit the sort order")
    return key


def after(q: EventQuery, key: Any, row_id: str) -> tuple[str, list[Any]]:
    """The keyset condition: rows strictly after (key, id) in the query's order."""
    op = "<" if q.descending else ">"
    col = SORT_COLUMNS[q.sort_field]
    if key is None:
        return f"{col} IS NULL AND id {op} ?", [row_id]
    return f"{col} {op} ? OR ({col} = ? AND id {op} ?) OR {col} IS NULL", [key, key, row_id]


def article_where(q: ArticleQuery) -> Where:
    w = Where()
    for term in q.q:
        w.add(f"contains({folded('headline')}, {FOLDED_PARAM}) OR "
              f"contains({folded('text')}, {FOLDED_PARAM})", term, term)
    if q.source:
        w.add("lower(source) = lower(?)", q.source)
    if q.since:
        w.add("published >= ?::TIMESTAMPTZ", _day_start(q.since))
    if q.until:
        w.add("published < ?::TIMESTAMPTZ", _day_start(date.fromordinal(q.until.toordinal() + 1))
              if q.until < date.max else "infinity")
    if q.coded is not None:
        w.add("coalesce(coded, FALSE) = ?", q.coded)
    return w


def _day_start(d: date) -> str:
    return d.isoformat() + " 00:00:00+00"
