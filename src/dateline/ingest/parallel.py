"""Reading many inputs in worker processes, for ``ingest``: the results come back in input
order, exactly what reading them one by one in this process yields.

The work is cut into tasks: a run of files (each read whole by ``read_file``), or a part
of a large plain JSON Lines file (a run of whole lines, ``read_jsonl_part``, with the line
numbers it would have had). Workers only read: they return Articles and ReadErrors, and
the caller stores them, in one process. At most ``IN_FLIGHT`` tasks per worker are out at
any time, so memory stays bounded.

Workers die with the process that started them (Linux: PR_SET_PDEATHSIG, so a SIGKILLed
ingest leaves no reader behind); a worker that dies on its own makes the rest of the work
run in this process.
"""

from __future__ import annotations

import collections
import io
import itertools
import multiprocessing
import os
import signal
import stat
import sys
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from dateline.ingest.base import ReadContext, display_path, printable_error
from dateline.ingest.dispatch import _BUFFER, read_file
from dateline.ingest.jsonl import read_jsonl_part, splittable
from dateline.ingest.language import LanguageDetector
from dateline.ingest.sniff import EXTENSIONS, extension, sniff
from dateline.model import Article, ReadError

MIN_FILES = 200  # fewer files than this (and no large JSON Lines file): read in this process
FILES_PER_TASK = 32
PART_BYTES = 1 << 20  # a JSON Lines file is cut into parts of about this size
MIN_SPLIT_BYTES = 4 * PART_BYTES  # a smaller JSON Lines file is one task
IN_FLIGHT = 3  # tasks out per worker

FILE_DONE = object()  # yielded after the last item of each file
_CTX: ReadContext | None = None
_PARENT = 0


def workers() -> int:
    """Worker processes to use: one per CPU this process may run on, at most 4 (the
    store is written by this process, which needs some of the CPU too)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return min(cpus, 4)


def worth_it(files: Sequence[str], fmt: str | None, ctx: ReadContext) -> bool:
    """Whether ``read_parallel`` is worth its start-up for these files."""
    if workers() < 2 or type(ctx.language) is not LanguageDetector:
        return False  # a caller's own detector stays in its process
    # many small files: measured slower on 2 CPUs (the parent unpickles and stores on the
    # CPU the workers need), so only with more; a large JSON Lines file: from 2
    return ((len(files) >= MIN_FILES and workers() >= 3)
            or any(_parts(f, fmt) is not None for f in files))


def _jsonl_candidate(path: str, fmt: str | None) -> bool:
    if fmt is not None:
        return fmt == "jsonl"
    ext = extension(path)
    return EXTENSIONS.get(ext, "jsonl") == "jsonl"


def _parts(path: str, fmt: str | None) -> int | None:
    """The size of a file worth reading in parts (large plain JSON Lines), else None."""
    if not _jsonl_candidate(path, fmt):
        return None
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size < MIN_SPLIT_BYTES:
            return None
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError:
        return None
    # what read_stream decides from the same first bytes: JSON Lines, plain (not gzip)
    if sniff(display_path(path), head, fmt) != "jsonl" or not splittable(head):
        return None
    return st.st_size


def _tasks(files: Sequence[str], fmt: str | None) -> Iterator[tuple]:
    """The tasks, in input order: runs of files, and parts of large JSON Lines files."""
    run: list[str] = []
    for path in files:
        if _parts(path, fmt) is None:
            run.append(path)
            if len(run) >= FILES_PER_TASK:
                yield ("files", tuple(run))
                run = []
            continue
        if run:
            yield ("files", tuple(run))
            run = []
        parts = list(_cut(path))
        if not parts:  # emptied since: read whole (it says what it is)
            yield ("files", (path,))
            continue
        for k, (start, end, lineno) in enumerate(parts):
            yield ("part", path, start, end, lineno, k == len(parts) - 1)
    if run:
        yield ("files", tuple(run))


def _cut(path: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, lines before start) of parts of at least PART_BYTES (the last one
    excepted), each ending just after a newline."""
    start = pos = lines = pending = 0  # pending: newlines between start and pos
    with open(path, "rb") as fh:
        while block := fh.read(PART_BYTES):
            i = 0
            while True:
                nl = block.find(b"\n", max(i, start + PART_BYTES - pos - 1))
                if nl < 0:
                    pending += block.count(b"\n", i)
                    break
                end = pos + nl + 1
                yield start, end, lines
                lines += pending + block.count(b"\n", i, nl + 1)
                pending, start, i = 0, end, nl + 1
            pos += len(block)
    if pos > start:
        yield start, pos, lines


class _Window(io.RawIOBase):
    """The next ``left`` bytes of a file."""

    def __init__(self, fh: io.BufferedReader[Any], left: int):
        self.fh, self.left = fh, left

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.left <= 0:
            return 0
        view = memoryview(buffer)
        n = self.fh.readinto(view[:min(len(view), self.left)]) or 0
        self.left -= n
        return n


def _run(task: tuple, fmt: str | None, ctx: ReadContext) -> list[Any]:
    """A task's items; after the last item of each file, None (FILE_DONE's stand-in)."""
    out: list[Any] = []
    if task[0] == "files":
        for path in task[1]:
            out.extend(read_file(path, ctx, fmt))
            out.append(None)
        return out
    _, path, start, end, lineno, last = task
    shown = display_path(path)
    try:
        with open(path, "rb") as fh:
            fh.seek(start)
            stream = io.BufferedReader(_Window(fh, end - start), _BUFFER)
            for item in read_jsonl_part(stream, shown, lineno, ctx):
                out.append(printable_error(item) if isinstance(item, ReadError) else item)
    except OSError as exc:
        out.append(printable_error(ReadError(shown, f"cannot read: {exc.strerror or exc}")))
    if last:
        out.append(None)
    return out


def _init(ctx: ReadContext, parent: int) -> None:
    global _CTX, _PARENT
    _CTX, _PARENT = ctx, parent
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl
        os._exit(1)


def _work(task: tuple, fmt: str | None) -> list[Any]:
    assert _CTX is not None
    return _run(task, fmt, _CTX)


def _context() -> Any:
    # fork: no start-up imports, and the workers share the parent's loaded language model
    # (they never touch the parent's DuckDB connection or threads); spawn elsewhere
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def read_parallel(files: Sequence[str], ctx: ReadContext,
                  fmt: str | None = None) -> Generator[Article | ReadError | object, None, None]:
    """What ``read_file`` yields for each file in turn, each file followed by FILE_DONE.
    The workers start here (the first tasks are sent at once); closing the iterator
    stops them."""
    n = workers()
    executor = ProcessPoolExecutor(n, mp_context=_context(), initializer=_init,
                                   initargs=(ctx, os.getpid()))
    pending: collections.deque[tuple[tuple, Future | None]] = collections.deque()
    tasks = _tasks(files, fmt)
    try:
        for task in itertools.islice(tasks, n * IN_FLIGHT):
            pending.append((task, _submit(executor, task, fmt)))
    except BaseException:
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    results = _results(executor, pending, tasks, fmt, ctx)
    next(results)  # into its try: closing it now shuts the workers down
    return results


def _results(executor: ProcessPoolExecutor | None,
             pending: collections.deque[tuple[tuple, Future | None]],
             tasks: Iterator[tuple], fmt: str | None,
             ctx: ReadContext) -> Generator[Article | ReadError | object, None, None]:
    try:
        yield None
        while pending:
            task, future = pending.popleft()
            items = None
            if future is not None:
                try:
                    items = future.result()
                except BrokenProcessPool:  # a worker died (killed, out of memory …)
                    if executor is not None:
                        executor.shutdown(wait=False, cancel_futures=True)
                    executor = None
                    pending = collections.deque((t, None) for t, _ in pending)
            if items is None:
                items = _run(task, fmt, ctx)
            for nxt in itertools.islice(tasks, 1):  # keep the workers busy meanwhile
                pending.append((nxt, _submit(executor, nxt, fmt)))
            for item in items:
                yield FILE_DONE if item is None else item
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def _submit(executor: ProcessPoolExecutor | None, task: tuple, fmt: str | None) -> Future | None:
    if executor is None:
        return None
    try:
        return executor.submit(_work, task, fmt)
    except BrokenProcessPool:
        return None
