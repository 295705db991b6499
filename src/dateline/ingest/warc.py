"""WARC files (warcio): the HTML responses inside, each read like an HTML page.

The stream is read record by record (any file size; one record's body is capped).
Non-HTML records (requests, metadata, images, DNS) are skipped quietly. A corrupt
record, or one the file ends inside (a cut download), ends the file with one ReadError
naming the record; the records before it have been read.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import IO, Any

from dateline.ingest.base import ReadContext
from dateline.ingest.dates import parse_date
from dateline.ingest.html import read_html
from dateline.model import Article, ReadError

_HTML_TYPES = ("text/html", "application/xhtml")


def _is_html(record: Any) -> bool:
    """Whether a record is a successful HTML response (or an HTML resource)."""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None or not (http.get_statuscode() or "").startswith("2"):
            return False
        ctype = (http.get_header("Content-Type") or "").lower()
    elif record.rec_type == "resource":
        ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
    else:
        return False
    return any(t in ctype for t in _HTML_TYPES)


def _incomplete(record: Any) -> str | None:
    """Why a record is cut short, or None when it is whole: its header block has no valid
    Content-Length (mandatory in WARC; warcio makes a record of what is left of a cut
    header block), or the stream ends before Content-Length bytes. Reads the record's
    remaining bytes, in pieces."""
    if record.format == "warc":
        length = (record.rec_headers.get_header("Content-Length") or "").strip()
        if not length.isdigit():
            return "WARC record without a valid Content-Length (truncated or corrupt)"
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    if getattr(raw, "limit", 0) > 0:
        return "truncated: the file ends inside this WARC record"
    return None


def _quiet(records: Any) -> Iterator[Any]:
    """The records, with warcio's own stderr warnings (a wrong Content-Length) swallowed:
    readers report through ReadError values only. Only warcio runs while it is redirected."""
    it = iter(records)
    while True:
        with contextlib.redirect_stderr(io.StringIO()):
            try:
                record = next(it)
            except StopIteration:
                return
        yield record


def read_warc(data: bytes | IO[bytes], path: str = "<warc>",
              ctx: ReadContext | None = None) -> Iterator[Article | ReadError]:
    """Articles in the HTML responses of a WARC (plain or gzipped) stream."""
    ctx = ctx or ReadContext.create()
    from warcio.archiveiterator import ArchiveIterator  # only when a WARC is read

    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    cap = ctx.options.max_record_bytes
    number = 0
    inside = False  # whether an error belongs to record `number` or to the next one
    found_html = False
    try:
        records = ArchiveIterator(stream)
        for record in _quiet(records):
            number += 1
            inside = True
            body, url, crawled = None, None, None
            if _is_html(record):
                found_html = True
                body = record.content_stream().read(cap + 1)
                url = record.rec_headers.get_header("WARC-Target-URI")
                crawled = parse_date(record.rec_headers.get_header("WARC-Date"))
            cut = _incomplete(record)
            if cut:
                yield ReadError(path, cut, number)
                return
            inside = False
            if body is None:
                continue
            if len(body) > cap:
                yield ReadError(path, f"record body over {cap:,} bytes (max_record_bytes)", number)
                continue
            yield from read_html(body, path, ctx, url=url, record=number,
                                 fallback_published=crawled)
        if records.fh.tell() > records.offset:  # bytes after the last whole record
            # (warcio ends quietly when the stream ends inside a record's header block)
            yield ReadError(path, "truncated: the file ends inside this WARC record",
                            number + 1)
            return
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001  warcio raises assorted errors on corrupt input
        where = number if inside else number + 1
        yield ReadError(path, f"corrupt WARC record: {type(exc).__name__}: {exc}", where)
        return
    if number == 0:
        yield ReadError(path, "no WARC records")
    elif not found_html:
        yield ReadError(path, f"no HTML responses in {number} WARC records")
