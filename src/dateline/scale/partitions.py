"""Cut the inputs of a batch run into partitions: the unit of work of one Dask task.

A partition is a list of segments; a segment is a whole file, or a range of records of a
large JSON Lines or WARC file (byte offsets that start and end on record boundaries, plus
the number of the first record so record numbers match a whole-file read). Small files are
grouped until a partition reaches the target size, large splittable files are cut into
ranges of about that size, and a partition's key is a stable hash of its segments: the
same inputs planned with the same target always give the same keys, which name the
partition's output files (so a retried task overwrites instead of duplicating).
"""

from __future__ import annotations

import gzip
import math
import mmap
import os
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from dateline.model import ReadError, stable_id

DEFAULT_PARTITION_BYTES = 8_000_000  # ~2,500 news articles: a minute or two of coding
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Segment:
    """A whole file (``start is None``) or the records in bytes [start, end) of one file."""

    path: str
    size: int
    kind: str = "file"  # file | jsonl | warc | missing
    start: int | None = None
    end: int | None = None
    first_record: int = 0  # how many records come before the range
    reason: str | None = None  # why a 'missing' input is missing

    @property
    def nbytes(self) -> int:
        return self.size if self.start is None else (self.end or 0) - self.start

    def describe(self) -> str:
        if self.start is None:
            return self.path
        return f"{self.path}[{self.start}:{self.end}]"


@dataclass(frozen=True)
class Partition:
    segments: tuple[Segment, ...]
    key: str = field(default="")

    @classmethod
    def of(cls, segments: Sequence[Segment]) -> Partition:
        parts = [(s.path, s.start, s.end) for s in segments]
        return cls(tuple(segments), stable_id(*(repr(p) for p in parts), length=20))

    @property
    def nbytes(self) -> int:
        return sum(s.nbytes for s in self.segments)

    def describe(self) -> str:
        head = ", ".join(s.describe() for s in self.segments[:3])
        more = len(self.segments) - 3
        return head + (f" and {more} more" if more > 0 else "")


def expand_paths(paths: Sequence[str | os.PathLike]) -> list[str | ReadError]:
    """The files the inputs name, as the readers see them (``dateline.ingest.expand_paths``:
    folders walked in sorted order, globs expanded, paths kept as given so record origins
    match a single-process run), each once; a missing input is a ReadError."""
    from dateline.ingest import expand_paths as ingest_expand

    out: list[str | ReadError] = []
    seen: set[str] = set()
    for item in ingest_expand([os.fspath(p) for p in paths]):
        if isinstance(item, ReadError):
            out.append(item)
        elif item not in seen:
            seen.add(item)
            out.append(item)
    return out


def splittable_kind(path: str, fmt: str | None) -> str | None:
    """'jsonl' or 'warc' when the file can be read by record ranges, else None: the
    readers' own sniffing decides the format; compressed JSONL, UTF-16/32 JSONL and
    JSON documents (an array, or an object over several lines) are read whole."""
    from dateline.ingest.decode import binary_reason, text_encoding
    from dateline.ingest.sniff import sniff

    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError:
        return None
    kind = sniff(path, head, fmt)
    if kind == "gzip" and fmt in (None, "warc"):
        return "warc" if _gunzipped_head(path).startswith(b"WARC/") else None
    if kind == "warc":
        return "warc"
    if kind != "jsonl" or text_encoding(head) is not None or binary_reason(head):
        return None
    first = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if first.startswith(("[", "{\n", "{\r")):
        return None
    return "jsonl"


def _gunzipped_head(path: str) -> bytes:
    try:
        with gzip.open(path, "rb") as fh:
            return fh.read(16)
    except (OSError, EOFError, zlib.error):
        return b""


def _is_gzip(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == GZIP_MAGIC


def _opens_document(mm: mmap.mmap, pos: int, size: int) -> bool:
    """Whether a JSONL stream starting at ``pos`` would be taken for a JSON document (its
    first non-blank character opens an array, or an object continued on the next line)."""
    end = min(size, pos + 4096)
    i = pos
    while i < end and mm[i:i + 1] in (b" ", b"\t", b"\r", b"\n"):
        i += 1
    c = mm[i:i + 2]
    return c[:1] == b"[" or c in (b"{\n", b"{\r")


def jsonl_ranges(path: str, target: int) -> Iterator[Segment]:
    """Byte ranges of whole lines, each about ``target`` bytes, with the number of lines
    before them. A range is never cut where the JSONL reader would take its start for a
    JSON document. Scans at memory speed (no per-line Python loop)."""
    size = os.path.getsize(path)
    if size == 0:
        yield Segment(path, size, "jsonl", 0, 0, 0)
        return
    start = first = 0
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        probe = start + target - 1
        while True:
            nl = mm.find(b"\n", max(probe, start))
            if nl < 0 or nl + 1 >= size:
                break
            cut = nl + 1
            if _opens_document(mm, cut, size):
                probe = cut  # not here: the next line start
                continue
            yield Segment(path, size, "jsonl", start, cut, first)
            first += mm[start:cut].count(b"\n")
            start = cut
            probe = start + target - 1
    yield Segment(path, size, "jsonl", start, size, first)


def warc_ranges(path: str, target: int) -> Iterator[Segment]:
    """Byte ranges of whole WARC records, cut only where the target URI changes (so the
    request, response and metadata records of one capture stay together, in any order).
    A gzipped WARC is cut only when each record is its own gzip member (the standard);
    otherwise the file stays whole."""
    from warcio.archiveiterator import ArchiveIterator

    size = os.path.getsize(path)
    offsets: list[tuple[int, str | None]] = []
    try:
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh)
            for record in it:
                offsets.append((it.get_record_offset(),
                                record.rec_headers.get_header("WARC-Target-URI")))
    except Exception:  # noqa: BLE001  unreadable: one whole-file segment, the reader reports the error
        yield Segment(path, size)
        return
    if len(offsets) > 1 and _is_gzip(path) and not _member_starts(path, offsets[1][0]):
        yield Segment(path, size)
        return
    start, first = 0, 0
    for i, (off, uri) in enumerate(offsets):
        if i and off - start >= target and uri != offsets[i - 1][1]:
            yield Segment(path, size, "warc", start, off, first)
            start, first = off, i
    yield Segment(path, size, "warc", start, size, first)


def _member_starts(path: str, offset: int) -> bool:
    with open(path, "rb") as fh:
        fh.seek(offset)
        return fh.read(2) == GZIP_MAGIC


def file_ranges(path: str, kind: str, target: int) -> list[Segment]:
    """The record ranges of one splittable file (a full pass over it: run near the data)."""
    return list(jsonl_ranges(path, target) if kind == "jsonl" else warc_ranges(path, target))


Scanner = Callable[[list[str], list[str], int], list[list[Segment]]]


def scan_here(paths: list[str], kinds: list[str], target: int) -> list[list[Segment]]:
    return [file_ranges(p, k, target) for p, k in zip(paths, kinds, strict=True)]


def plan_partitions(
    paths: Sequence[str | os.PathLike],
    fmt: str | None = None,
    partition_bytes: int = DEFAULT_PARTITION_BYTES,
    min_partitions: int = 1,
    scan: Scanner = scan_here,
) -> list[Partition]:
    """Partitions of about ``partition_bytes`` each; smaller when needed to give at least
    ``min_partitions`` (so every worker gets work even from one large file). ``scan``
    finds the record ranges of the large JSONL/WARC files (a cluster runs it on workers)."""
    items = expand_paths(paths)
    files = [f for f in items if isinstance(f, str)]
    sizes = {f: (os.path.getsize(f) if os.path.isfile(f) else 0) for f in files}
    total = sum(sizes.values())
    target = max(1, min(partition_bytes, math.ceil(total / max(1, min_partitions)) or 1))
    kinds = {f: splittable_kind(f, fmt) for f in files if sizes[f] > target}
    split = [f for f, k in kinds.items() if k]
    ranges = dict(zip(split, scan(split, [str(kinds[f]) for f in split], target), strict=True)) \
        if split else {}
    partitions: list[Partition] = []
    missing = [Segment(e.path, 0, "missing", reason=e.reason) for e in items
               if isinstance(e, ReadError)]
    if missing:
        partitions.append(Partition.of(missing))
    bundle: list[Segment] = []
    bundle_bytes = 0

    def flush() -> None:
        nonlocal bundle, bundle_bytes
        if bundle:
            partitions.append(Partition.of(bundle))
        bundle, bundle_bytes = [], 0

    for f in files:
        size = sizes[f]
        if f in ranges:
            partitions.extend(Partition.of([s]) for s in ranges[f])
            continue
        if size >= target:
            partitions.append(Partition.of([Segment(f, size)]))
            continue
        if bundle_bytes + size > target:
            flush()
        bundle.append(Segment(f, size))
        bundle_bytes += size
    flush()
    return partitions
