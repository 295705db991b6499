"""Read one segment of a partition: a whole file, or a record range of a JSONL/WARC file.

Whole files go through ``dateline.ingest.read_file``. A range is handed, as a stream that
starts and ends at the range's bytes, to the very reader a whole-file read uses
(``read_jsonl`` / ``read_warc``), and record numbers are shifted by the records before the
range, so every Article (id, origin) and ReadError comes out as a whole-file read gives it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO, Any

from dateline.ingest.base import ReadContext, origin_of
from dateline.ingest.dispatch import read_file
from dateline.ingest.jsonl import read_jsonl
from dateline.ingest.warc import read_warc
from dateline.model import Article, ReadError
from dateline.scale.partitions import Segment

_BUFFER = 1 << 16
# file-level verdicts of read_warc that describe the range, not the file
_RANGE_ONLY = ("no WARC records", "no HTML responses in ")


class RangeReader(io.RawIOBase):
    """Bytes [start, end) of an open binary file, as a stream of their own."""

    def __init__(self, fh: IO[bytes], start: int, end: int):
        self.fh = fh
        self.left = end - start
        fh.seek(start)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.left <= 0:
            return 0
        data = self.fh.read(min(len(buffer), self.left))
        n = len(data)
        buffer[:n] = data
        self.left -= n
        return n


def _shift(item: Article | ReadError, path: str, first: int) -> Article | ReadError:
    if isinstance(item, ReadError):
        if isinstance(item.record, int):
            item.record += first
        return item
    head, sep, tail = (item.origin or "").rpartition(":")
    if sep and head == path and tail.isdigit():
        item.origin = origin_of(path, int(tail) + first)
    return item


def read_range(segment: Segment, ctx: ReadContext) -> Iterator[Article | ReadError]:
    """The articles of one record range, numbered as in the whole file."""
    path = segment.path
    try:
        fh = open(path, "rb")  # noqa: SIM115  closed below
    except OSError as exc:
        yield ReadError(path, f"cannot open: {exc.strerror or exc}")
        return
    with fh:
        stream = io.BufferedReader(RangeReader(fh, segment.start or 0, segment.end or 0), _BUFFER)
        if segment.kind == "jsonl":
            items = read_jsonl(stream, path, ctx)
        else:
            items = read_warc(stream, path, ctx)
        for item in items:
            if (segment.kind == "warc" and isinstance(item, ReadError) and item.record is None
                    and item.reason.startswith(_RANGE_ONLY)):
                continue
            yield _shift(item, path, segment.first_record)


def read_segment(segment: Segment, fmt: str | None = None, options: Any = None,
                 ctx: ReadContext | None = None) -> Iterator[Article | ReadError]:
    ctx = ctx or ReadContext.create(options)
    if segment.kind == "missing":
        yield ReadError(segment.path, segment.reason or "no such file or folder")
    elif segment.start is None:
        yield from read_file(segment.path, ctx, fmt)
    else:
        yield from read_range(segment, ctx)
