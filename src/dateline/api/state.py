"""What the routes share, below every route module: the app state (store, config, key,
coder) and the JSON error helpers. ``app`` (the factory), ``routes`` and ``ingest`` import
it; it imports none of them."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import duckdb
from fastapi import Request
from fastapi.responses import JSONResponse

from dateline.config import Config
from dateline.query import refresh_search
from dateline.store import Store
from dateline.api.writelock import FairLock

log = logging.getLogger("dateline.api")


@dataclass
class ApiState:
    """What the routes share: the store, the config, the key, the lazily loaded coder."""

    store: Store
    config: Config
    api_key: str | None
    owns_store: bool = False
    write_lock: FairLock = field(default_factory=FairLock)  # FIFO (api/writelock.py)
    coder_lock: threading.Lock = field(default_factory=threading.Lock)
    coder: Any = None

    def refresh_search(self) -> int:
        """Fill the precomputed search columns of events written since the last time."""
        with self.write_lock, self.cursor() as cur:
            try:
                return refresh_search(cur)
            except duckdb.Error as exc:  # e.g. a read-only store: queries fall back
                log.warning("search columns not refreshed: %s", exc)
                return 0

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A DuckDB cursor for this request's thread, closed afterwards."""
        cur = self.store.cursor()
        try:
            yield cur
        finally:
            cur.close()


def state_of(request: Request) -> ApiState:
    return request.app.state.dateline


def error_body(status: int, error: str, detail: str, parameter: str | None = None
               ) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status, "error": error, "detail": detail}
    if parameter is not None:
        body["parameter"] = parameter
    return body


def error_response(status: int, error: str, detail: str, parameter: str | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, error, detail, parameter), status_code=status,
                        headers=headers)
