"""Routes GET /control (who holds a place, day by day) and GET /figures (running figures
with their sources): derived on demand from the stored articles with the coder, which is
loaded on the first call and shared with POST /articles (docs/control.md)."""

from __future__ import annotations

import json
import threading
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict

from dateline.api.state import error_response, state_of
from dateline.api.models import error_responses
from dateline.api.params import openapi_parameters, parse_extra, raw_values
from dateline.query.params import DATE_SCHEMA, MAX_TEXT, Param, parse_place, parse_since, \
    parse_until

_lock = threading.Lock()

PLACE = Param("place", "Place name: the place and the areas within it (neighbourhoods, "
              "districts, compass parts kept under their city); any case. At most "
              f"{MAX_TEXT} characters.",
              {"type": "string", "minLength": 1, "maxLength": MAX_TEXT}, parse_place,
              example="Aleppo")
ON = Param("on", "Each area's state on this day (YYYY-MM-DD; YYYY-MM and YYYY mean their last "
           "day).", DATE_SCHEMA, lambda n, r: parse_until(n, r).isoformat(),
           example="2016-12-06")
WHAT = Param("what", "What is counted: dead, injured, displaced, refugees, detained, missing, "
             "casualties or share.",
             {"type": "string", "enum": ["dead", "injured", "displaced", "refugees", "detained",
                                         "missing", "casualties", "share"]},
             lambda n, r: r if r in ("dead", "injured", "displaced", "refugees", "detained",
                                     "missing", "casualties", "share")
             else _bad(n, r), example="dead")
SINCE = Param("since", "Articles published on or after this day.", DATE_SCHEMA,
              lambda n, r: parse_since(n, r).isoformat())
UNTIL = Param("until", "Articles published up to this day.", DATE_SCHEMA,
              lambda n, r: parse_until(n, r).isoformat())
CONTROL_PARAMS = (PLACE, ON)
FIGURE_PARAMS = (PLACE, WHAT, SINCE, UNTIL)


def _bad(name: str, raw: str):
    from dateline.query.params import QueryError

    raise QueryError(name, f"unknown value {raw[:40]!r}")


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ControlOut(_Open):
    """Per area (a place, or a part of it under its city): spans ``{from, to, status
    (held, contested, disputed, unknown), holder, besieger, claimants, share, evidence,
    conflict}``, conflicts, and with ``on`` the span covering that day."""

    place: str | None = None
    on: str | None = None
    areas: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    articles_read: int = 0


class FiguresOut(_Open):
    """Running figures grouped by (what, place, since), each with its points over time
    ``{as_of, quantity, qualifier, unit, since, source, sentence, ...}`` and the days on
    which sources disagree."""

    place: str | None = None
    what: str | None = None
    series: list[dict[str, Any]] = []


def _service(state) -> Any:
    from dateline.api.ingest import _coder
    from dateline.control.service import ControlService

    with _lock:
        service = getattr(state, "control_service", None)
        if service is None:
            service = ControlService(_coder(state))
            state.control_service = service
        return service


def _json(data: Any) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                    media_type="application/json")


router = APIRouter()


@router.get("/control", response_model=ControlOut, tags=["control"],
            summary="Who holds a place, day by day, with the evidence sentences",
            responses=error_responses(400, 503), openapi_extra=openapi_parameters(CONTROL_PARAMS))
async def control_route(request: Request) -> Response:
    state = state_of(request)
    values = parse_extra(raw_values(request, CONTROL_PARAMS), CONTROL_PARAMS)
    try:
        service = await run_in_threadpool(_service, state)
    except Exception as exc:  # noqa: BLE001  model missing or broken
        return error_response(503, "coder_unavailable", f"cannot load the coder: {exc}")

    def run() -> dict[str, Any]:
        with state.cursor() as cur:
            return service.timeline(cur, values.get("place"), on=values.get("on"))

    return _json(await run_in_threadpool(run))


@router.get("/figures", response_model=FiguresOut, tags=["control"],
            summary="Running figures (tolls, displaced, shares) with their sources",
            responses=error_responses(400, 503), openapi_extra=openapi_parameters(FIGURE_PARAMS))
async def figures_route(request: Request) -> Response:
    state = state_of(request)
    values = parse_extra(raw_values(request, FIGURE_PARAMS), FIGURE_PARAMS)
    try:
        service = await run_in_threadpool(_service, state)
    except Exception as exc:  # noqa: BLE001
        return error_response(503, "coder_unavailable", f"cannot load the coder: {exc}")

    def run() -> list[dict[str, Any]]:
        with state.cursor() as cur:
            return service.figure_series(cur, values.get("place"), values.get("what"),
                                         values.get("since"), values.get("until"))

    place, what = values.get("place"), values.get("what")
    return _json({"place": place, "what": what, "series": await run_in_threadpool(run)})
