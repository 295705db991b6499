"""From a file (or bytes) to Articles: sniff the format, unpack .gz/.zip within caps,
hand the stream to its reader, and turn every failure into a ReadError."""

from __future__ import annotations

import gzip
import io
import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import IO, Any, cast

from dateline.ingest.base import ReadContext, display_path, printable_error
from dateline.ingest.feed import read_feed
from dateline.ingest.html import read_html
from dateline.ingest.jsonl import read_jsonl
from dateline.ingest.sniff import sniff
from dateline.ingest.text import read_text
from dateline.ingest.warc import read_warc
from dateline.model import Article, ReadError

_BUFFER = 1 << 16


@dataclass(frozen=True)
class Reader:
    """How one format is read: ``read(data, path, ctx, reference)`` gets the binary stream
    (``streamed``: read record by record, any size) or the whole file's bytes (capped at
    max_file_bytes); ``reference`` dates a year-less dateline."""

    read: Callable[[Any, str, ReadContext, datetime | None], Iterator[Article | ReadError]]
    streamed: bool = False


# The readers by format name (``--format``, what ``sniff`` answers), as export has WRITERS.
READERS: Mapping[str, Reader] = MappingProxyType({
    "text": Reader(lambda data, path, ctx, reference: read_text(data, path, ctx, reference)),
    "html": Reader(lambda data, path, ctx, reference: read_html(data, path, ctx)),
    "feed": Reader(lambda data, path, ctx, reference: read_feed(data, path, ctx)),
    "jsonl": Reader(lambda data, path, ctx, reference: read_jsonl(data, path, ctx), streamed=True),
    "warc": Reader(lambda data, path, ctx, reference: read_warc(data, path, ctx), streamed=True),
})
STREAMED = tuple(name for name, reader in READERS.items() if reader.streamed)


class TooLarge(Exception):
    """A stream went over its size cap."""


@dataclass
class Budget:
    """Decompressed bytes one top-level input may still produce (zip-bomb cap)."""

    left: int
    limit: int

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise TooLarge(f"archive decompresses to more than {_mb(self.limit)} "
                           "(max_archive_bytes; a zip bomb?)")


RATIO_GRACE = 1 << 20  # inflated bytes before the compression ratio is checked


class CountingReader(io.RawIOBase):
    """A raw stream over a binary stream that counts the bytes read through it (the
    compressed bytes a decompressor has consumed so far)."""

    def __init__(self, inner: IO[bytes]):
        self.inner = inner
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        read1 = getattr(self.inner, "read1", None)
        data = read1(len(buffer)) if read1 is not None else self.inner.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


class CappedReader(io.RawIOBase):
    """A raw stream of decompressed bytes that counts what it yields against a Budget,
    and against ``max_ratio`` times the compressed bytes under it (``compressed()``:
    consumed so far, or the member's compressed size), once past RATIO_GRACE: a bomb is
    refused after inflating at most ratio x its own size, not the whole budget.

    When the compressed data under it ends early or is corrupt, the stream ends there and
    the error is kept in ``cut``: a buffered reader above it then keeps the bytes before
    the cut (it would drop what it had read ahead if the error went through it), and the
    reader of the stream reports the cut (see ``_raise_if_cut`` and ``_until_cut``).
    """

    def __init__(self, inner: IO[bytes], budget: Budget,
                 compressed: Callable[[], int] | None = None, max_ratio: int = 0):
        self.inner = inner
        self.budget = budget
        self.cut: Exception | None = None
        self.compressed = compressed
        self.max_ratio = max_ratio
        self.inflated = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.cut is not None:
            return 0
        try:
            # read1: one read below (GzipFile.read loops, and drops what it has when a
            # later read fails)
            data = self.inner.read1(len(buffer))
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            self.cut = exc
            return 0
        n = len(data)
        buffer[:n] = data
        self.budget.take(n)
        self.inflated += n
        if self.max_ratio and self.compressed is not None and self.inflated > RATIO_GRACE:
            packed = max(self.compressed(), 1)
            if self.inflated > self.max_ratio * packed:
                packed_text = f"{packed / 1024:,.0f} KB" if packed < 2**20 else _mb(packed)
                raise TooLarge(f"compression ratio over {self.max_ratio}:1 ({packed_text} "
                               f"inflated to more than {_mb(self.inflated)}; max_ratio, "
                               "a zip bomb?)")
        return n


def _cut(stream: IO[bytes]) -> Exception | None:
    """The error that cut a decompressed stream short, if it was."""
    raw = getattr(stream, "raw", None)
    return raw.cut if isinstance(raw, CappedReader) else None


def _raise_if_cut(stream: IO[bytes]) -> None:
    cut = _cut(stream)
    if cut is not None:
        raise cut


def _until_cut(items: Iterator[Article | ReadError], stream: IO[bytes],
               path: str) -> Iterator[Article | ReadError]:
    """A streamed reader's items; when its stream was cut, the records before the cut are
    kept and one error names where it ends: the reader's last error, when it came after
    the cut (the cut-off record: a broken JSON line, a short WARC record), is merged
    into it."""
    held: ReadError | None = None
    for item in items:
        if held is not None:
            yield held
            held = None
        if isinstance(item, ReadError) and item.path == path and _cut(stream) is not None:
            held = item
        else:
            yield item
    cut = _cut(stream)
    if cut is None:
        if held is not None:
            yield held
        return
    reason = f"truncated or corrupt compressed data: {cut}"
    if held is None:
        yield ReadError(path, reason)
    else:
        yield ReadError(path, f"{reason}; {held.reason}", held.record)


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n < 2**30 else f"{n / 2**30:.1f} GB"


def _read_capped(stream: IO[bytes], cap: int, kind: str, size: int | None = None) -> bytes:
    """All of a stream, refusing more than ``cap`` bytes (read in pieces: read(cap) would
    allocate the whole cap for every small file)."""
    if size is not None and size <= cap:
        data = stream.read()
    else:
        chunks, total = [], 0
        while total <= cap:
            chunk = stream.read(min(1 << 20, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        data = b"".join(chunks)
    _raise_if_cut(stream)  # a cut document is not read
    if len(data) > cap:
        raise TooLarge(f"{kind} input over {_mb(cap)} (max_file_bytes); "
                       "split it, or use JSON Lines, which is streamed")
    return data


def _peek(stream: io.BufferedReader[Any], n: int = 8192) -> bytes:
    head = stream.peek(n)
    return head[:n]


def read_stream(stream: io.BufferedReader[Any], path: str, ctx: ReadContext, fmt: str | None = None,
                name: str | None = None, size: int | None = None,
                reference: datetime | None = None, depth: int = 0,
                budget: Budget | None = None) -> Iterator[Article | ReadError]:
    """Articles of one (buffered, peekable) binary stream named ``path``."""
    opts = ctx.options
    budget = budget or Budget(opts.max_archive_bytes, opts.max_archive_bytes)
    name = name or path
    try:
        head = _peek(stream)
        if not head:
            _raise_if_cut(stream)
            yield ReadError(path, "empty file")
            return
        kind = sniff(name, head, fmt)
        if kind.startswith("binary: "):
            yield ReadError(path, kind[len("binary: "):])
            return
        if kind in ("gzip", "zip") and depth >= opts.max_depth:
            yield ReadError(path, f"archives nested more than {opts.max_depth} deep")
            return
        if kind == "gzip":
            yield from _read_gzip(stream, path, ctx, fmt, name, reference, depth, budget)
            return
        if kind == "zip":
            yield from _read_zip(stream, path, ctx, fmt, reference, depth, budget)
            return
        reader = READERS.get(kind)
        if reader is None:
            yield ReadError(path, f"unknown format {kind!r}")
            return
        if reader.streamed:
            yield from _until_cut(reader.read(stream, path, ctx, reference), stream, path)
            return
        if size is not None and size > opts.max_file_bytes:
            limit = _mb(opts.max_file_bytes)
            yield ReadError(path, f"{kind} file is {_mb(size)}, over the {limit} limit for one "
                                  "article file (max_file_bytes)")
            return
        data = _read_capped(stream, opts.max_file_bytes, kind, size)
        yield from reader.read(data, path, ctx, reference)
    except TooLarge as exc:
        yield ReadError(path, str(exc))
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield ReadError(path, f"truncated or corrupt compressed data: {exc}")
    except zipfile.BadZipFile as exc:
        yield ReadError(path, f"corrupt zip: {exc}")
    except PermissionError as exc:
        yield ReadError(path, f"permission denied: {exc.strerror or exc}")
    except OSError as exc:
        yield ReadError(path, f"cannot read: {exc.strerror or exc}")


def _read_gzip(stream: io.BufferedReader[Any], path: str, ctx: ReadContext, fmt: str | None,
               name: str, reference: datetime | None, depth: int,
               budget: Budget) -> Iterator[Article | ReadError]:
    inner_name = name[:-3] if name.lower().endswith(".gz") else name
    if inner_name.lower().endswith(".tgz"):
        inner_name = inner_name[:-4] + ".tar"
    packed = CountingReader(stream)
    unzipped = gzip.GzipFile(fileobj=packed, mode="rb")
    inner = io.BufferedReader(CappedReader(unzipped, budget, lambda: packed.count,
                                           ctx.options.max_ratio), _BUFFER)
    yield from read_stream(inner, path, ctx, fmt, inner_name, None, reference, depth + 1, budget)


def _read_zip(stream: io.BufferedReader[Any], path: str, ctx: ReadContext, fmt: str | None,
              reference: datetime | None, depth: int,
              budget: Budget) -> Iterator[Article | ReadError]:
    opts = ctx.options
    if not stream.seekable():
        data = _read_capped(stream, opts.max_file_bytes, "zip")
        stream = io.BufferedReader(io.BytesIO(data))
    with zipfile.ZipFile(stream) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        names = {i.filename for i in infos}
        if "[Content_Types].xml" in names:
            yield ReadError(path, "Office document (docx/xlsx/pptx): not a supported format")
            return
        if len(infos) > opts.max_archive_members:
            yield ReadError(path, f"zip has {len(infos):,} files, over the "
                                  f"{opts.max_archive_members:,} limit (max_archive_members)")
            return
        members = sorted((i for i in infos if not _hidden(i.filename)), key=lambda i: i.filename)
        if not members:
            yield ReadError(path, "empty archive (only hidden files)" if infos
                            else "empty archive (no files)")
            return
        for info in members:
            member_path = f"{path}!{info.filename}"
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > budget.left:
                yield ReadError(member_path, f"declared size {_mb(info.file_size)} is over what "
                                f"the archive may still unpack (max_archive_bytes)")
                continue
            if info.file_size > 2**20 and ratio > opts.max_ratio:
                yield ReadError(member_path, f"compression ratio {ratio:,.0f}:1 is over "
                                f"{opts.max_ratio}:1 (max_ratio; a zip bomb?)")
                continue
            try:
                with archive.open(info) as member:
                    # the member's compressed size: its header may understate file_size
                    inner = io.BufferedReader(CappedReader(
                        member, budget, lambda size=info.compress_size: size, opts.max_ratio),
                        _BUFFER)
                    yield from read_stream(inner, member_path, ctx, fmt, info.filename,
                                           info.file_size, reference, depth + 1, budget)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
                    RuntimeError, ValueError) as exc:
                # bad CRC, unsupported compression or encryption, a header offset before
                # the start of an in-memory archive (ValueError: negative seek): this member
                yield ReadError(member_path, f"corrupt zip member: {exc}")


def _hidden(name: str) -> bool:
    return name.rsplit("/", 1)[-1].startswith(".") or name.startswith("__MACOSX/")


def read_file(path: str, ctx: ReadContext | None = None,
              fmt: str | None = None) -> Iterator[Article | ReadError]:
    """Articles of one file on disk (any supported format, compressed or not)."""
    ctx = ctx or ReadContext.create()
    shown = display_path(path)  # for origins and messages; `path` itself opens the file
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            kind = "folder" if stat.S_ISDIR(st.st_mode) else "pipe, socket or device"
            yield ReadError(shown, f"not a regular file ({kind})")
            return
        fh = cast("io.BufferedReader[Any]", open(path, "rb", buffering=_BUFFER))  # noqa: SIM115  closed below
    except PermissionError:
        yield ReadError(shown, "permission denied")
        return
    except FileNotFoundError:
        yield ReadError(shown, "no such file")
        return
    except OSError as exc:
        yield ReadError(shown, f"cannot open: {exc.strerror or exc}")
        return
    reference = ctx.options.reference or datetime.fromtimestamp(st.st_mtime)
    with fh:
        yield from _one_line(read_stream(fh, shown, ctx, fmt, shown, st.st_size, reference))


def read_bytes(data: bytes, name: str = "<bytes>", ctx: ReadContext | None = None,
               fmt: str | None = None) -> Iterator[Article | ReadError]:
    """Articles of an in-memory input (an upload): same sniffing and caps as files."""
    ctx = ctx or ReadContext.create()
    stream = io.BufferedReader(io.BytesIO(data), _BUFFER)
    yield from _one_line(read_stream(stream, name, ctx, fmt, name, len(data),
                                     ctx.options.reference))


def _one_line(items: Iterator[Article | ReadError]) -> Iterator[Article | ReadError]:
    """A bad input is reported on one line (see ``printable_error``)."""
    for item in items:
        yield printable_error(item) if isinstance(item, ReadError) else item
