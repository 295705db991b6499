"""The app factory: one Store per app, a DuckDB cursor per request, one write lock, JSON
errors everywhere, a request-body limit and optional CORS."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dateline import web
from dateline.version import __version__
from dateline.api.ingest import router as ingest_router
from dateline.api.routes import build_router
from dateline.api.state import ApiState, error_response, log
from dateline.config import Config
from dateline.query import QueryError
from dateline.store import Store

__all__ = ["ApiState", "BodyLimit", "create_app"]


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuses request bodies above ``limit`` bytes with 413, by Content-Length up front
    and by counting what is actually received (chunked uploads)."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    size = int(value)
                except ValueError:
                    size = -1
                if size < 0 or size > self.limit:
                    await self._refuse(send, size)
                    return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(send, received)

    async def _refuse(self, send: Send, size: int) -> None:
        detail = (f"request body of {size} bytes is over the limit of {self.limit} bytes"
                  if size >= 0 else "invalid Content-Length header")
        status = 413 if size >= 0 else 400
        response = error_response(status, "body_too_large" if size >= 0 else "bad_request",
                                  detail)
        await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


def _allowed_methods(request: Request, fallback: str | None) -> list[str]:
    """The methods the OpenAPI document lists for this path (Starlette's own 405 names only
    the first matching route's methods)."""
    path = request.url.path
    for template, operations in request.app.openapi().get("paths", {}).items():
        pattern = "^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return sorted(m.upper() for m in operations if m in _HTTP_METHODS)
    return [m.strip() for m in (fallback or "").split(",") if m.strip()]


_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(QueryError)
    async def _query_error(request: Request, exc: QueryError) -> JSONResponse:
        return error_response(400, "invalid_parameter", str(exc), exc.param)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        loc = [str(p) for p in first.get("loc", ())]
        param = loc[-1] if loc else None
        return error_response(400, "invalid_parameter",
                              f"{param}: {first.get('msg', 'invalid value')}", param)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        try:
            name = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "_")
        except ValueError:
            name = "error"
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        headers = dict(exc.headers or {})
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such path: {request.url.path}"
        if exc.status_code == 405:
            allowed = _allowed_methods(request, headers.get("Allow") or headers.get("allow"))
            headers.pop("allow", None)
            headers["Allow"] = ", ".join(allowed)
            detail = f"{request.method} is not allowed on {request.url.path}; use " + \
                " or ".join(allowed)
        return error_response(exc.status_code, name, detail, headers=headers)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("error answering %s %s", request.method, request.url.path)
        return error_response(500, "internal_error",
                              "internal server error (the server log has the details)")


def create_app(store: Store | str | Path, config: Config | None = None) -> FastAPI:
    """The FastAPI app over ``store`` (a Store, or a database path opened here and closed
    at shutdown). The API key comes from ``config.api_key`` or ``DATELINE_API_KEY``."""
    from dateline.api.control import router as control_router

    config = config or Config.load()
    owns = not isinstance(store, Store)
    the_store = store if isinstance(store, Store) else Store.open(store)
    key = config.api_key or os.environ.get("DATELINE_API_KEY") or None
    state = ApiState(the_store, config, key, owns_store=owns)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from dateline.api.uploads import clean_uploads

        await run_in_threadpool(clean_uploads, config.upload_dir)  # a killed server's
        await run_in_threadpool(state.refresh_search)
        yield
        if state.owns_store:
            state.store.close()

    app = FastAPI(
        title="Dateline", version=__version__, lifespan=lifespan,
        description="Political event data from news articles: who did what to whom, where, "
                    "when, according to whom. Errors are JSON: "
                    "`{status, error, detail, parameter}`.",
        docs_url=None, openapi_url="/openapi.json", redoc_url=None,
    )
    from dateline.api.docs import mount_docs

    mount_docs(app)  # /docs: Swagger UI from the package, not a CDN (api/docs.py)
    app.state.dateline = state
    _install_error_handlers(app)
    app.include_router(build_router(config.max_page_size))
    from dateline.api.analysis import build_analysis_router

    app.include_router(build_analysis_router())
    app.include_router(ingest_router)
    app.include_router(control_router)
    if config.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(config.cors_origins),
                           allow_methods=["GET", "POST"],
                           allow_headers=["X-API-Key", "Authorization", "Content-Type"])
    app.add_middleware(BodyLimit, limit=config.max_body_bytes)
    web.mount(app)
    return app
