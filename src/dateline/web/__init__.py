"""The web page: a map, a timeline, filters, an event table and sentence provenance.

``mount(app)`` serves ``index.html`` at ``/`` and the page's own modules plus the vendored
map packages (built by ``python -m dateline.web.build``) under ``/static/``. The page talks
only to the HTTP API of the same app and loads nothing from any other host.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

WEB_DIR = Path(__file__).resolve().parent
STATIC_PREFIX = "/static"
# Only these kinds of file are served from the package folder (never its .py files).
SERVED_SUFFIXES = frozenset({".html", ".js", ".css", ".json", ".png", ".svg"})


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
    return app


__all__ = ["mount", "vendor_ready", "WEB_DIR", "STATIC_PREFIX"]
