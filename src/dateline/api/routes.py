"""The read routes: /health, /events, /events/{id}, /articles, /articles/{id}, /stats,
/dyads, /timeline. Each runs in a worker thread on its own DuckDB cursor."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from dateline.version import __version__
from dateline.api.state import error_response, state_of
from dateline.api.models import (
    ArticleDetail,
    ArticlePage,
    Dyads,
    EventDetail,
    EventPage,
    Health,
    Stats,
    Timeline,
    error_responses,
)
from dateline.api.params import openapi_parameters, parse_extra, raw_values
from dateline.query import (
    ArticleQuery,
    EventQuery,
    article_detail,
    dyads,
    event_detail,
    list_articles,
    search_events,
    stats,
    timeline,
)
from dateline.query.params import (
    EVENT_FILTERS,
    INTERVAL,
    LEVEL,
    Param,
    article_params,
    event_params,
    top_param,
)

MAX_ID = 200


def _json(data: Any) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                    media_type="application/json")


def _event_query(request: Request, params: tuple[Param, ...], extra: tuple[Param, ...] = ()
                 ) -> tuple[EventQuery, dict[str, Any]]:
    """The EventQuery of a request that may carry ``params`` (+ ``extra``, parsed apart)."""
    state = state_of(request)
    values = raw_values(request, (*params, *extra))
    others = parse_extra(values, extra)
    return EventQuery.parse(values, max_page_size=state.config.max_page_size), others


def build_router(max_page_size: int) -> APIRouter:
    """The read routes; ``max_page_size`` bounds ``limit`` (and is in the OpenAPI schema)."""
    router = APIRouter()
    event_page = event_params(max_page_size)
    article_page = article_params(max_page_size)
    stats_extra = (top_param(),)
    dyad_extra = (top_param(), LEVEL)
    timeline_extra = (INTERVAL,)

    @router.get("/health", response_model=Health, tags=["meta"],
                summary="Liveness, version and store counts")
    def health(request: Request) -> Response:
        state = state_of(request)
        raw_values(request, ())
        with state.cursor() as cur:
            version = cur.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
            counts = [cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("articles", "mentions", "events")]
        return _json({"status": "ok", "version": __version__,
                      "schema_version": int(version or 0), "articles": counts[0],
                      "mentions": counts[1], "events": counts[2],
                      "writes": state.api_key is not None})

    @router.get("/events", response_model=EventPage, tags=["events"],
                summary="Events matching the filters, one page at a time",
                responses=error_responses(400), openapi_extra=openapi_parameters(event_page))
    def events(request: Request) -> Response:
        state = state_of(request)
        query, _ = _event_query(request, event_page)
        with state.cursor() as cur:
            page = search_events(cur, query, raw=True)
        body = ('{"items":[' + ",".join(page.items) + '],"next_cursor":'
                + json.dumps(page.next_cursor) + f',"count":{len(page.items)}}}')
        return Response(body, media_type="application/json")

    @router.get("/events/{event_id}", response_model=EventDetail, tags=["events"],
                summary="One event with all its mentions, sentences and articles",
                responses=error_responses(400, 404))
    def event(request: Request,
              event_id: str = Path(..., min_length=1, max_length=MAX_ID,
                                   description="Event id")) -> Response:
        state = state_of(request)
        raw_values(request, ())
        with state.cursor() as cur:
            detail = event_detail(cur, event_id)
        if detail is None:
            return error_response(404, "not_found", f"no event with id {event_id!r}",
                                  "event_id")
        return _json(detail)

    @router.get("/articles", response_model=ArticlePage, tags=["articles"],
                summary="Stored articles (metadata, newest first), one page at a time",
                responses=error_responses(400), openapi_extra=openapi_parameters(article_page))
    def articles(request: Request) -> Response:
        state = state_of(request)
        values = raw_values(request, article_page)
        query = ArticleQuery.parse(values, max_page_size=state.config.max_page_size)
        with state.cursor() as cur:
            page = list_articles(cur, query)
        return _json(page.to_dict())

    # ``:path``: ids may hold "/" (``nyt/2016/12/07/aleppo``, sent as ``nyt%2F2016…``; the
    # server decodes %2F before routing)
    @router.get("/articles/{article_id:path}", response_model=ArticleDetail, tags=["articles"],
                summary="One article: metadata, text and its mentions",
                responses=error_responses(400, 404))
    def article(request: Request,
                article_id: str = Path(..., min_length=1, max_length=MAX_ID,
                                       description="Article id")) -> Response:
        state = state_of(request)
        raw_values(request, ())
        with state.cursor() as cur:
            detail = article_detail(cur, article_id)
        if detail is None:
            return error_response(404, "not_found", f"no article with id {article_id!r}",
                                  "article_id")
        return _json(detail)

    @router.get("/stats", response_model=Stats, tags=["aggregates"],
                summary="Counts by type, country and month, and the top dyads",
                responses=error_responses(400),
                openapi_extra=openapi_parameters((*EVENT_FILTERS, *stats_extra)))
    def stats_route(request: Request) -> Response:
        state = state_of(request)
        query, extra = _event_query(request, EVENT_FILTERS, stats_extra)
        with state.cursor() as cur:
            return _json(stats(cur, query, top=extra["top"]))

    @router.get("/dyads", response_model=Dyads, tags=["aggregates"],
                summary="Top actor -> recipient pairs", responses=error_responses(400),
                openapi_extra=openapi_parameters((*EVENT_FILTERS, *dyad_extra)))
    def dyads_route(request: Request) -> Response:
        state = state_of(request)
        query, extra = _event_query(request, EVENT_FILTERS, dyad_extra)
        with state.cursor() as cur:
            items = dyads(cur, query, top=extra["top"], level=extra["level"])
        return _json({"level": extra["level"], "items": items})

    @router.get("/timeline", response_model=Timeline, tags=["aggregates"],
                summary="Event counts per day, week or month, stacked by type",
                responses=error_responses(400),
                openapi_extra=openapi_parameters((*EVENT_FILTERS, *timeline_extra)))
    def timeline_route(request: Request) -> Response:
        state = state_of(request)
        query, extra = _event_query(request, EVENT_FILTERS, timeline_extra)
        with state.cursor() as cur:
            return _json(timeline(cur, query, interval=extra["interval"]))

    return router
