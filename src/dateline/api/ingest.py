"""POST /articles: ingest JSON articles or uploaded files, behind an API key.

The body is written into a fresh folder under the configured upload dir (sanitised file
names, nothing outside it), then goes through the same pipeline as ``dateline ingest``:
read -> skip stored ids -> code -> store -> dedup. Writes are serialised by the app's lock;
the coder is loaded on the first POST and kept on the app state.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import re
import threading
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from dateline.api.state import ApiState, error_response, state_of
from dateline.api.models import IngestReport, error_responses
from dateline.coding import Coder
from dateline.api.uploads import UploadFolder
from dateline.api.writelock import FairLock
from dateline.ingest import jsonl as jsonl_reader
from dateline.query import QueryError, refresh_search
from dateline.store import Store

router = APIRouter()
log = logging.getLogger("dateline.api")
API_KEY_HEADER = APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="ApiKey",
                              description="The API key (DATELINE_API_KEY or config api_key)")
BEARER = HTTPBearer(auto_error=False, scheme_name="Bearer",
                    description="The API key as a bearer token")
MAX_RECORDS = 1000
MAX_FILES = 100
MAX_NAME = 100
FILE_FIELDS = ("files", "file")

# JSON body fields, as the JSON Lines reader knows them: name -> JSON types allowed
# (one table for both, so POST and `dateline ingest` refuse the same records).
TEXT_FIELDS = tuple(jsonl_reader.TEXT_FIELDS)
_FIELD_TYPES: dict[str, tuple[str, ...]] = jsonl_reader.FIELD_TYPES


def _property_schema(name: str, types: tuple[str, ...]) -> dict[str, Any]:
    if name in TEXT_FIELDS:
        return {"type": "string", "pattern": r"\S", "description": "article body text"}
    schema: dict[str, Any] = {"type": list(types)}
    if "array" in types:
        schema["items"] = {"type": "string"}
    if "object" in types:
        schema["properties"] = {"name": {"type": "string"}}
    if name in jsonl_reader.DATE_FIELDS:  # Unix seconds or milliseconds, or a date string
        schema.update(exclusiveMinimum=0, maximum=250_000_000_000_000,
                      description="a date: ISO 8601, RFC 822, 'December 7, 2016', Unix "
                                  "seconds or milliseconds (years 1800-2199)")
    return schema


ARTICLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An article as a JSON Lines record: the body text under `text` (or "
                   "another name the JSONL reader knows), optional id, title/headline, "
                   "date/published, url, source, section, authors, language, subheadlines. "
                   "Other fields are ignored.",
    "properties": {name: _property_schema(name, types) for name, types in _FIELD_TYPES.items()},
    "anyOf": [{"required": [name]} for name in TEXT_FIELDS],
    "additionalProperties": True,
}
REQUEST_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"anyOf": [
            ARTICLE_SCHEMA,
            {"type": "array", "items": ARTICLE_SCHEMA, "minItems": 1, "maxItems": MAX_RECORDS},
        ]}},
        "multipart/form-data": {"schema": {
            "type": "object", "required": ["files"],
            "properties": {"files": {"type": "array", "minItems": 1, "maxItems": MAX_FILES,
                                     "items": {"type": "string", "format": "binary"}}},
        }},
    },
}


def check_records(data: Any) -> list[dict[str, Any]]:
    """The article objects of a JSON body, checked against ARTICLE_SCHEMA; QueryError
    naming the offending field (``body[2].text``) otherwise."""
    records = data if isinstance(data, list) else [data]
    if isinstance(data, list) and not 1 <= len(data) <= MAX_RECORDS:
        raise QueryError("body", f"expected 1 to {MAX_RECORDS} articles, got {len(data)}")
    for i, rec in enumerate(records):
        where = f"body[{i}]" if isinstance(data, list) else "body"
        if not isinstance(rec, dict):
            raise QueryError(where, "expected an article object")
        problem = jsonl_reader.record_problem(rec)
        if problem is not None:
            raise QueryError(f"{where}.{problem[0]}", problem[1])
        if not any(name in rec for name in TEXT_FIELDS):
            raise QueryError(where, f"no article text (give one of {', '.join(TEXT_FIELDS)})")
    return records


def safe_name(name: str | None, taken: set[str]) -> str:
    """A file name that stays inside the upload folder: base name only, safe characters,
    no leading dot, bounded length, unique in ``taken``."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip("._-")[-MAX_NAME:] or "upload"
    candidate, n = base, 1
    while candidate in taken:
        stem, dot, ext = base.partition(".")
        candidate = f"{stem}-{n}{dot}{ext}"
        n += 1
    taken.add(candidate)
    return candidate


def _authorised(state: ApiState, key: str | None,
                bearer: HTTPAuthorizationCredentials | None) -> JSONResponse | None:
    """None when the request may write, else the error response."""
    if not state.api_key:
        return error_response(403, "writes_disabled",
                              "writes are disabled: the server has no API key configured "
                              "(DATELINE_API_KEY or config api_key)")
    expected = state.api_key.encode("utf-8")
    offered = [k for k in (key, bearer.credentials if bearer else None) if k]
    # header values arrive decoded as latin-1: encoding them back gives the bytes sent
    if not any(hmac.compare_digest(_raw(k), expected) for k in offered):
        what = "wrong API key" if offered else "missing API key"
        return error_response(401, "unauthorized",
                              f"{what}: send it as X-API-Key or Authorization: Bearer",
                              headers={"WWW-Authenticate": "Bearer"})
    return None


def _raw(header_value: str) -> bytes:
    try:
        return header_value.encode("latin-1")
    except UnicodeEncodeError:
        return header_value.encode("utf-8")


def _upload_root(state: ApiState) -> Path:
    root = Path(state.config.upload_dir).resolve()
    root.mkdir(parents=True, exist_ok=True)
    return root


def _coder(state: ApiState) -> Any:
    with state.coder_lock:
        if state.coder is None:
            state.coder = Coder.from_config(state.config)
        return state.coder


def _read_options(config: Any) -> Any:
    """Compressed uploads are bounded tighter than the CLI's inputs (config)."""
    from dateline.ingest.options import ReadOptions

    return ReadOptions(max_archive_bytes=min(config.max_inflated_bytes,
                                             config.max_upload_inflated_bytes),
                       max_ratio=config.max_compression_ratio)


def _run_ingest(state: ApiState, folder: Path, fmt: str | None, coder: Any,
                gone: threading.Event | None = None) -> dict[str, Any] | None:
    """The ingest of one request under the write lock; None when its client went away
    (while waiting for the lock: nothing done; while ingesting: stopped after the batch
    being stored)."""
    from dateline.ingest.pipeline import ingest

    prefix = str(folder) + os.sep
    gone = gone or threading.Event()
    lock = state.write_lock
    if isinstance(lock, FairLock):  # keeps its place in the queue while it waits
        if not lock.acquire(cancelled=gone.is_set):
            return None
    else:
        while not lock.acquire(timeout=0.25):
            if gone.is_set():
                return None
    try:
        store = Store(state.store.cursor(), state.store.path)
        try:
            summary = ingest(store, [str(folder)], coder=coder, fmt=fmt, progress=False,
                             options=_read_options(state.config), cancel=gone.is_set)
            ids = [r[0] for r in store.con.execute(
                "SELECT id FROM articles WHERE starts_with(origin, ?) ORDER BY id",
                [prefix]).fetchall()]
            refresh_search(store)
        finally:
            store.close()
    finally:
        state.write_lock.release()
    if summary.cancelled:
        return None
    events = summary.events
    if events is not None and not isinstance(events, dict):
        events = events.to_dict() if hasattr(events, "to_dict") else \
            {k: v for k, v in vars(events).items() if isinstance(v, (int, float, str))}
    return {"read": summary.read, "new": summary.new, "duplicate": summary.duplicate,
            "failed": summary.failed, "mentions": summary.mentions, "events": events,
            "article_ids": ids,
            "errors": [str(e).replace(prefix, "") for e in summary.errors],
            "notes": [n.replace(prefix, "") for n in summary.notes()]}


async def _save_json(request: Request, folder: Path) -> None:
    raw = await request.body()
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise QueryError("body", f"not JSON: {exc}") from None
    except RecursionError:
        raise QueryError("body", "not JSON: nested too deeply") from None
    records = check_records(data)
    with open(folder / "body.jsonl", "w", encoding="utf-8") as fh:
        for rec in records:  # ASCII escapes: a lone surrogate in an ignored field is no crash
            fh.write(json.dumps(rec, ensure_ascii=True) + "\n")


async def _save_files(request: Request, folder: Path) -> None:
    form = await request.form(max_files=MAX_FILES, max_fields=MAX_FILES)
    uploads = [f for name in FILE_FIELDS for f in form.getlist(name)
               if isinstance(f, UploadFile)]
    if not uploads:
        raise QueryError("files", "no files uploaded (send them as multipart field 'files')")
    taken: set[str] = set()
    for upload in uploads:
        target = folder / safe_name(upload.filename, taken)
        if target.resolve().parent != folder.resolve():
            raise QueryError("files", "bad file name")
        with open(target, "wb") as fh:
            while chunk := await upload.read(1 << 20):
                fh.write(chunk)
        await upload.close()


@router.post("/articles", response_model=IngestReport, tags=["articles"],
             summary="Ingest articles: JSON (one object or a list) or uploaded files",
             responses=error_responses(400, 401, 403, 413, 415, 503),
             openapi_extra={"requestBody": REQUEST_BODY})
async def post_articles(request: Request, key: str | None = Security(API_KEY_HEADER),
                        bearer: HTTPAuthorizationCredentials | None = Security(BEARER)
                        ) -> JSONResponse:
    state = state_of(request)
    refused = _authorised(state, key, bearer)
    if refused is not None:
        return refused
    if request.query_params:
        name = next(iter(request.query_params.keys()))
        raise QueryError(name, "unknown parameter (POST /articles takes none)")
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in ("application/json", "multipart/form-data"):
        return error_response(415, "unsupported_media_type",
                              "send application/json or multipart/form-data, not "
                              f"{ctype or 'no content type'}")
    queued = getattr(state.write_lock, "waiting", 0)
    if queued >= state.config.max_queued_writes:  # bounds every write's wait (writelock.py)
        return error_response(503, "busy", f"{queued} writes are waiting; try again later",
                              headers={"Retry-After": "5"})
    upload = UploadFolder(_upload_root(state))  # locked while in use (api/uploads.py)
    folder = upload.path
    try:
        if ctype == "application/json":
            await _save_json(request, folder)
            fmt = "jsonl"
        else:
            await _save_files(request, folder)
            fmt = None
        try:
            coder = await run_in_threadpool(_coder, state)
        except (ImportError, OSError) as exc:  # spaCy or its model missing, data unreadable
            return error_response(503, "coder_unavailable", f"cannot load the coder: {exc}")
        gone = threading.Event()
        watcher = asyncio.create_task(_watch_disconnect(request, gone))
        try:
            report = await run_in_threadpool(_run_ingest, state, folder, fmt, coder, gone)
        finally:
            watcher.cancel()
    finally:
        upload.close()
    if report is None:  # nobody is listening; the status is for the log
        log.info("POST /articles: the client went away; the ingest was stopped")
        return error_response(499, "client_closed_request", "the client closed the connection")
    return JSONResponse(report)


async def _watch_disconnect(request: Request, gone: threading.Event) -> None:
    """Sets ``gone`` when the client disconnects (the body is read by then, so the next
    ASGI message is the disconnect, or comes when the response is sent)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            gone.set()
            return
