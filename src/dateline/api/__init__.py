"""The HTTP API: ``create_app(store, config) -> FastAPI`` (served by ``dateline serve``).

Read routes over the query layer (/events, /events/{id}, /articles, /articles/{id}, /stats,
/dyads, /timeline, /health), POST /articles behind an API key, OpenAPI at /docs, and the web
page at / when ``dateline.web`` provides ``mount``.
"""

from dateline.api.app import ApiState, create_app

__all__ = ["ApiState", "create_app"]
