"""WARC files (warcio): the HTML responses inside, each read like an HTML page.

The stream is read record by record (any file size; one record's body is capped).
Non-HTML records (requests, metadata, images, DNS) are skipped quietly. A corrupt
record ends the file with one ReadError naming the record; the records before it
have been read.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO

from dateline.ingest.base import ReadContext
from dateline.ingest.dates import parse_date
from dateline.ingest.html import read_html
from dateline.model import Article, ReadError

_HTML_TYPES = ("text/html", "application/xhtml")


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
        for record in ArchiveIterator(stream):
            number += 1
            inside = True
            if record.rec_type not in ("response", "resource"):
                inside = False
                continue
            if record.rec_type == "response":
                http = record.http_headers
                if http is None:
                    continue
                status = http.get_statuscode() or ""
                ctype = (http.get_header("Content-Type") or "").lower()
                if not status.startswith("2"):
                    continue
            else:
                ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
            if not any(t in ctype for t in _HTML_TYPES):
                continue
            found_html = True
            body = record.content_stream().read(cap + 1)
            if len(body) > cap:
                yield ReadError(path, f"record body over {cap:,} bytes (max_record_bytes)", number)
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            crawled = parse_date(record.rec_headers.get_header("WARC-Date"))
            inside = False
            yield from read_html(body, path, ctx, url=url, record=number,
                                 fallback_published=crawled)
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
