"""The web page: a map, a timeline, filters, an event table and sentence provenance.

``mount(app)`` serves ``index.html`` at ``/`` and the page's own modules plus the vendored
map packages (built by ``python -m dateline.web.build``) under ``/static/``. The page talks
only to the HTTP API of the same app and loads nothing from any other host. The data the
page loads (``/events`` and ``/timeline`` JSON) is gzipped for clients that accept it: a
page of 1,000 events is about 0.9 MB of JSON, 0.1 MB gzipped. The page's own files are
not compressed on every request (on a busy two-core server that cost more than it saved
on a first load; a reverse proxy can serve them compressed).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, Response
from starlette.middleware.gzip import GZipMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

WEB_DIR = Path(__file__).resolve().parent
STATIC_PREFIX = "/static"
# Only these kinds of file are served from the package folder (never its .py files).
SERVED_SUFFIXES = frozenset({".html", ".js", ".css", ".json", ".png", ".svg"})
# Paths whose responses are gzipped: the data the page loads.
GZIP_DATA_PATHS = ("/events", "/timeline")
GZIP_LEVEL = 3  # ~6 ms for 1 MB of JSON, 10x smaller (level 9: 3x the time, 25% smaller)


class PageGZip:
    """Gzip (Starlette's GZipMiddleware) for GET ``/events``, ``/events/{id}`` and
    ``/timeline`` only; every other path (page files, uploads, exports, streams) passes
    untouched."""

    def __init__(self, app: ASGIApp, minimum_size: int = 1024, level: int = GZIP_LEVEL):
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size, compresslevel=level)

    @staticmethod
    def wanted(scope: Scope) -> bool:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            return False
        path = scope.get("path", "")
        return any(path == p or path.startswith(p + "/") for p in GZIP_DATA_PATHS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.wanted(scope):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)


class PageAssets(StaticFiles):
    """StaticFiles over the package folder that refuses anything but page assets."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        parts = Path(path).parts
        if (Path(path).suffix.lower() not in SERVED_SUFFIXES
                or any(p.startswith((".", "_")) for p in parts)):
            return Response("Not Found", status_code=404, media_type="text/plain")
        response = await super().get_response(path, scope)
        response.headers.setdefault("Cache-Control", "no-cache")
        return response


def vendor_ready(web_dir: Path = WEB_DIR) -> bool:
    """True when the vendored map packages are present (see ``dateline.web.build``)."""
    return (web_dir / "vendor" / "manifest.json").is_file()


def mount(app: FastAPI, web_dir: Path = WEB_DIR) -> FastAPI:
    """Add the page at ``/`` and its static files at ``/static/`` to ``app``."""
    index = web_dir / "index.html"

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(index, media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    app.mount(STATIC_PREFIX, PageAssets(directory=web_dir), name="web")
    app.add_middleware(PageGZip)
    return app


__all__ = ["mount", "vendor_ready", "PageGZip", "WEB_DIR", "STATIC_PREFIX"]
