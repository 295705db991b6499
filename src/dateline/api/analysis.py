"""The analysis routes: /series (totals by place and time), /actors (suggestions),
/actors/{name} (an actor's page) and /export (downloads of the events a filter selects).

They take the same filters as /events, parsed by the same table (``dateline.query.params``),
and run on a per-request DuckDB cursor like the read routes.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict

from dateline.api.models import Timeline, error_responses
from dateline.api.params import openapi_parameters, parse_extra, raw_values
from dateline.query import EventQuery
from dateline.query.params import (
    EVENT_FILTERS,
    INTERVAL,
    MAX_TEXT,
    SORT,
    Param,
    _text,
    parse_choice,
    parse_int,
    top_param,
)
from dateline.query.series import SERIES_PARAMS

MAX_EXPORT = 10_000_000
MAX_SUGGEST = 50


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class SeriesRow(_Open):
    period: str | None = None
    period_end: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin1_code: str | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    events: int
    dead: int
    injured: int
    arrested: int
    located_country: int
    located_admin1: int
    located_city: int


class Series(_Open):
    by: str
    per: str
    fill: bool
    columns: list[str]
    rows: list[SeriesRow]
    totals: dict[str, int]


class ActorSuggestion(_Open):
    name: str
    events: int
    code: str | None = None
    kind: str | None = None
    alias: str | None = None


class ActorSuggestions(_Open):
    items: list[ActorSuggestion]


class Counterpart(_Open):
    name: str | None = None
    events: int
    code: str | None = None


class CodeCount(_Open):
    code: str | None = None
    events: int


class ActorTimelines(_Open):
    as_actor: Timeline
    as_recipient: Timeline


class ActorProfile(_Open):
    name: str
    resolved: list[str]
    why: list[str]
    entry: dict[str, Any] | None = None
    events_as_actor: int
    events_as_recipient: int
    codes: list[CodeCount]
    recipients: list[Counterpart]
    actors: list[Counterpart]
    timeline: ActorTimelines


SUGGEST_Q = Param("q", "What the user has typed: a part of an actor's name, alias or acronym "
                  "(case and accents ignored).", {"type": "string", "minLength": 1,
                                                   "maxLength": MAX_TEXT},
                  lambda n, r: _text(n, r), example="Dae")
SUGGEST_LIMIT = Param("limit", f"How many suggestions: 1 to {MAX_SUGGEST} (default 10).",
                      {"type": "integer", "minimum": 1, "maximum": MAX_SUGGEST, "default": 10},
                      lambda n, r: parse_int(n, r, 1, MAX_SUGGEST))
EXPORT_FORMATS = ("csv", "plover", "geojson", "gdelt", "parquet")
FORMAT = Param("format", "csv (one row per event), plover (PLOVER JSON Lines), geojson "
               "(FeatureCollection with source URLs), gdelt (zip of GDELT 2.0 events.tsv and "
               "mentions.tsv) or parquet (one file).",
               {"type": "string", "enum": list(EXPORT_FORMATS), "default": "csv"},
               lambda n, r: parse_choice(n, r, EXPORT_FORMATS), example="csv")
EXPORT_LIMIT = Param("limit", f"At most this many events (1 to {MAX_EXPORT}); default all.",
                     {"type": "integer", "minimum": 1, "maximum": MAX_EXPORT},
                     lambda n, r: parse_int(n, r, 1, MAX_EXPORT))
PROFILE_FILTERS = tuple(p for p in EVENT_FILTERS if p.name not in ("actor", "recipient"))
EXPORT_MEDIA = {
    "text/csv": {"schema": {"type": "string"}},
    "application/x-ndjson": {"schema": {"type": "string"}},
    "application/geo+json": {"schema": {"type": "object"}},
    "application/zip": {"schema": {"type": "string", "format": "binary"}},
    "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
}


def _state(request: Request) -> Any:
    state = request.app.state.dateline
    from dateline.query.actors import use_dictionaries

    use_dictionaries(getattr(state.config, "dicts", ()) or ())
    return state


def _json(data: Any) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                    media_type="application/json")


def _not_found(detail: str, parameter: str) -> JSONResponse:
    return JSONResponse({"status": 404, "error": "not_found", "detail": detail,
                         "parameter": parameter}, status_code=404)


def _query(request: Request, filters: tuple[Param, ...], extra: tuple[Param, ...],
           max_page_size: int = MAX_EXPORT) -> tuple[EventQuery, dict[str, Any]]:
    values = raw_values(request, (*filters, *extra))
    others = parse_extra(values, extra)
    return EventQuery.parse(values, max_page_size=max_page_size), others


def build_analysis_router() -> APIRouter:
    router = APIRouter()
    actor_extra = (INTERVAL, top_param(10))
    export_extra = (FORMAT,)

    @router.get("/series", response_model=Series, tags=["aggregates"],
                summary="Events, dead, injured and arrested per place and day/week/month",
                responses=error_responses(400),
                openapi_extra=openapi_parameters((*EVENT_FILTERS, *SERIES_PARAMS)))
    def series_route(request: Request) -> Response:
        from dateline.query.series import series

        state = _state(request)
        query, extra = _query(request, EVENT_FILTERS, SERIES_PARAMS)
        with state.cursor() as cur:
            return _json(series(cur, query.filters_only(), by=extra["by"], per=extra["per"],
                                fill=extra["fill"]))

    @router.get("/actors", response_model=ActorSuggestions, tags=["actors"],
                summary="Actor names for a typed prefix: the store's and the dictionaries'",
                responses=error_responses(400),
                openapi_extra=openapi_parameters((SUGGEST_Q, SUGGEST_LIMIT)))
    def actors_route(request: Request) -> Response:
        from dateline.query.actors import suggest

        state = _state(request)
        values = raw_values(request, (SUGGEST_Q, SUGGEST_LIMIT))
        extra = parse_extra(values, (SUGGEST_Q, SUGGEST_LIMIT))
        prefix = extra.get("q")
        if not prefix or not prefix.strip():
            return _json({"items": []})
        with state.cursor() as cur:
            return _json({"items": suggest(cur, prefix, extra["limit"])})

    @router.get("/actors/{name}", response_model=ActorProfile, tags=["actors"],
                summary="An actor's page: dictionary entry, events over time, counterparts",
                responses=error_responses(400, 404),
                openapi_extra=openapi_parameters((*PROFILE_FILTERS, *actor_extra)))
    def actor_route(request: Request,
                    name: str = Path(..., min_length=1, max_length=MAX_TEXT,
                                     description="An actor's name, alias, acronym or code "
                                                 "(ISIS, Vishwa Hindu Parishad, RUSGOV)")
                    ) -> Response:
        from dateline.query.profile import profile

        state = _state(request)
        query, extra = _query(request, PROFILE_FILTERS, actor_extra)
        if not name.strip():
            return _not_found("empty actor name", "name")
        with state.cursor() as cur:
            out = profile(cur, name, query.filters_only(), interval=extra["interval"],
                          top=extra["top"])
        if out is None:
            return _not_found("no such actor in the dictionaries or the events", "name")
        return _json(out)

    @router.get("/export", tags=["events"], response_class=StreamingResponse,
                summary="Download the events matching the filters (CSV, PLOVER, GeoJSON, "
                        "GDELT, Parquet)",
                responses={200: {"description": "The file, streamed", "content": EXPORT_MEDIA},
                           **error_responses(400)},
                openapi_extra=openapi_parameters(
                    (*EVENT_FILTERS, SORT, EXPORT_LIMIT, *export_extra)))
    def export_route(request: Request) -> Response:
        from dateline.export.goldstein import GoldsteinScale
        from dateline.export.stream import stream

        state = _state(request)
        values = raw_values(request, (*EVENT_FILTERS, SORT, EXPORT_LIMIT, *export_extra))
        extra = parse_extra(values, export_extra)
        no_limit = "limit" not in values
        query = EventQuery.parse(values, max_page_size=MAX_EXPORT)
        if no_limit:
            query = replace(query, limit=None)
        scale = GoldsteinScale.from_dicts(getattr(state.config, "dicts", ()) or ())
        cur = state.store.cursor()
        try:
            download = stream(cur, extra["format"], query, scale)
        except BaseException:
            cur.close()
            raise

        def chunks():
            try:
                yield from download.chunks
            finally:
                cur.close()

        return StreamingResponse(
            chunks(), media_type=download.media_type,
            headers={"Content-Disposition": f'attachment; filename="{download.filename}"'})

    return router
