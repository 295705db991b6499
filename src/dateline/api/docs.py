"""``/docs``: Swagger UI served by the app itself, so the page loads nothing from any other
host; with a Content-Security-Policy that allows only this origin's scripts, and framing
refused.

FastAPI's own ``/docs`` pulls Swagger UI from a CDN, unpinned, with an inline script. Here
the npm package ``swagger-ui-dist`` (pinned in ``web/package-lock.json``) is fetched by the
web build like the map's packages (``python -m dateline.web.build``, run by ``make
install``) into ``dateline/web/vendor/swagger-ui/``; the page loads
``/docs/assets/swagger-ui-bundle.js`` and ``swagger-ui.css`` from there and its start-up code
from ``/docs/init.js`` (no inline script, so ``script-src 'self'`` holds). Without the build,
``/docs`` answers 503 saying how to build it (``/openapi.json`` works either way).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")
ASSET_PREFIX = "/docs/assets"

# Swagger UI sets style attributes from script (allowed by 'unsafe-inline' for styles only)
# and draws icons from data: URIs; it calls only this origin (the OpenAPI document and "Try
# it out"). No inline script, no eval, no frames, no other host.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} - API docs</title>
<link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">
<link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
"""

INIT = """window.ui = SwaggerUIBundle({
  url: "%s",
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  deepLinking: true,
  validatorUrl: null
});
"""


MISSING = ("The API docs page needs Swagger UI, fetched once by the web build: run\n"
           "  python -m dateline.web.build\n(make install does). The OpenAPI document is at "
           "/openapi.json meanwhile.\n")


def swagger_ui_dir() -> Path:
    """The folder of the vendored Swagger UI dist files (see module)."""
    return Path(__file__).resolve().parents[1] / "web" / "vendor" / "swagger-ui"


class _Assets(StaticFiles):
    """Only the few files the page loads, with the page's security headers."""

    async def get_response(self, path: str, scope) -> Response:
        if path not in ASSETS:
            return Response("Not Found", status_code=404, media_type="text/plain")
        response = await super().get_response(path, scope)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def mount_docs(app: FastAPI, openapi_url: str = "/openapi.json") -> None:
    """Serve the Swagger UI page at ``/docs`` (create the app with ``docs_url=None``)."""
    page = PAGE.format(title=app.title, assets=ASSET_PREFIX)
    init = INIT % openapi_url
    folder = swagger_ui_dir()

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        if not (folder / "swagger-ui-bundle.js").is_file():
            return Response(MISSING, status_code=503, media_type="text/plain; charset=utf-8",
                            headers=SECURITY_HEADERS)
        return HTMLResponse(page, headers=SECURITY_HEADERS)

    @app.get("/docs/init.js", include_in_schema=False)
    def docs_init() -> Response:
        return Response(init, media_type="text/javascript; charset=utf-8",
                        headers=SECURITY_HEADERS)

    app.mount(ASSET_PREFIX, _Assets(directory=folder, check_dir=False), name="docs-assets")
