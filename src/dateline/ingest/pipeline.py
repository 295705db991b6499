"""ingest(): read → drop ids already stored → code (optional) → store, one transaction
per batch → group the new mentions into events.

Reading (and coding) run in the calling thread; a writer thread stores the previous
batch meanwhile (DuckDB works outside the GIL); at most three batches are held (one being
read, one queued, one being written), so memory stays bounded whatever the input size.
A process killed at any point leaves whole batches (each article with its mentions) or
nothing of a batch, and running the same ingest again stores only what is missing.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from dateline.ingest.base import ReadContext
from dateline.ingest.dispatch import read_file
from dateline.ingest.options import ReadOptions
from dateline.ingest.parallel import FILE_DONE, read_parallel, worth_it
from dateline.ingest.paths import expand_paths
from dateline.model import Article, Mention, ReadError
from dateline.store import Store

MAX_KEPT_ERRORS = 10_000
DEFAULT_BATCH = 500


class Coder(Protocol):
    def code_articles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Mention]]]:
        ...


@dataclass
class IngestSummary:
    """What an ingest did. ``errors`` keeps the first MAX_KEPT_ERRORS bad inputs."""

    read: int = 0  # articles read
    new: int = 0  # stored now
    duplicate: int = 0  # already stored (or twice in the input)
    failed: int = 0  # bad inputs
    errors: list[ReadError] = field(default_factory=list)
    seconds: float = 0.0
    mentions: int = 0
    files: int = 0
    stopped: bool = False  # strict mode stopped at the first bad input
    cancelled: bool = False  # ``cancel()`` said stop (e.g. the HTTP client went away)
    events: Any = None  # dedup's summary, when coding

    def line(self) -> str:
        rate = self.read / self.seconds if self.seconds > 0 else 0.0
        text = (f"read {self.read:,} · new {self.new:,} · duplicate {self.duplicate:,} · "
                f"failed {self.failed:,} · {self.seconds:.1f} s ({rate:,.0f} articles/s)")
        if self.mentions:
            text += f" · mentions {self.mentions:,}"
        if self.stopped:
            text += " · stopped at the first bad input (--strict)"
        if self.cancelled:
            text += " · cancelled"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"read": self.read, "new": self.new, "duplicate": self.duplicate,
                "failed": self.failed, "seconds": round(self.seconds, 3),
                "mentions": self.mentions, "files": self.files, "stopped": self.stopped,
                "errors": [str(e) for e in self.errors]}


class _Writer:
    """Stores batches on its own DuckDB cursor in a background thread."""

    def __init__(self, store: Store):
        self.store = Store(store.cursor(), store.path)
        self.new = self.duplicate = self.mentions = 0
        self.queue: queue.Queue[list[tuple[Article, list[Mention] | None]] | None] = queue.Queue(1)
        self.in_flight: list[set[str]] = []
        self.new_ids: list[str] = []
        self.failure: BaseException | None = None
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, name="dateline-ingest-writer", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def pending(self) -> set[str]:
        with self.lock:
            return set().union(*self.in_flight) if self.in_flight else set()

    def put(self, batch: list[tuple[Article, list[Mention] | None]]) -> None:
        if self.failure is not None:
            raise self.failure
        with self.lock:
            self.in_flight.append({a.id for a, _ in batch})
        self.queue.put(batch)

    def _run(self) -> None:
        while True:
            batch = self.queue.get()
            if batch is None:
                return
            try:
                if self.failure is None:
                    result = self.store.add_articles_bulk(batch)
                    self.new += result.new
                    self.duplicate += result.duplicate
                    self.mentions += result.mentions
                    self.new_ids.extend(result.new_ids or [])
            except BaseException as exc:  # noqa: BLE001  re-raised in the caller's thread
                self.failure = exc
            finally:
                with self.lock:
                    self.in_flight.pop(0)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        self.store.close()
        if self.failure is not None:
            raise self.failure


def _progress(enabled: bool, console: Any, total: int) -> Any:
    if not enabled:
        return None
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    if console is None:
        from rich.console import Console

        console = Console(stderr=True)
    progress = Progress(SpinnerColumn(), TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("files · {task.fields[articles]:,} articles"),
                        TimeElapsedColumn(), console=console, transient=False)
    progress.start()
    progress.add_task("ingest", total=total, articles=0)
    return progress


def _update_events(store: Store, new_ids: Sequence[str]) -> Any:
    """Group the new mentions into events, with any a killed earlier run left unassigned."""
    try:
        from dateline.dedup import finish_pending
    except ImportError:
        return None  # dedup is not there yet: events are built by a later `dateline dedup`
    return finish_pending(store, new_ids)


def ingest(
    store: Store,
    paths: Sequence[str],
    coder: Coder | None = None,
    fmt: str | None = None,
    options: ReadOptions | None = None,
    batch_size: int = DEFAULT_BATCH,
    progress: bool = True,
    strict: bool = False,
    on_error: Callable[[ReadError], None] | None = None,
    console: Any = None,
    context: ReadContext | None = None,
    parallel: bool | None = None,
    cancel: Callable[[], bool] | None = None,
) -> IngestSummary:
    """Read ``paths``, store the new articles (coded, when a coder is given) and return
    the counts. ``strict`` stops at the first bad input (what came before is kept).
    ``on_error`` is called with each bad input as it is met; ``context`` (instead of
    ``options``) reuses a ReadContext, and so its loaded language model, across calls.
    ``parallel``: read in worker processes (True), in this one (False), or the former
    when there are many files or a large JSON Lines file (None). ``cancel``: asked between
    articles and before each batch is coded; when it answers True, reading stops and what
    was stored so far (whole batches) stays."""
    started = time.perf_counter()
    summary = IngestSummary()
    ctx = context or ReadContext.create(options)
    batch_size = max(1, int(batch_size))
    files: list[str] = []
    own = _store_files(store)
    own_names = {os.path.basename(p) for p in own}
    for item in expand_paths(paths):
        if isinstance(item, ReadError):
            _failed(summary, item, on_error)
            if strict:
                summary.stopped = True
        elif not _is_own(item, own, own_names):  # `dateline ingest .` beside the store
            files.append(item)
    summary.files = len(files)
    # the workers (if any) are started first: forked before the writer thread exists
    items = _read([] if summary.stopped else files, ctx, fmt, parallel)
    writer = _Writer(store)
    writer.start()
    bar = _progress(progress, console, len(files))
    batch: list[Article] = []
    try:
        for item in items:
            if cancel is not None and cancel():
                summary.cancelled = True
                batch = []
                break
            if item is FILE_DONE:
                if bar is not None:
                    bar.update(bar.task_ids[0], advance=1, articles=summary.read)
                continue
            if isinstance(item, ReadError):
                _failed(summary, item, on_error)
                if strict:
                    summary.stopped = True
                    if bar is not None:
                        bar.update(bar.task_ids[0], advance=1, articles=summary.read)
                    break
                continue
            summary.read += 1
            batch.append(item)
            if len(batch) >= batch_size:
                if cancel is not None and cancel():
                    summary.cancelled = True
                    batch = []
                    break
                _flush(store, writer, batch, coder, summary)
                batch = []
        if batch:
            if cancel is not None and cancel():
                summary.cancelled = True
            else:
                _flush(store, writer, batch, coder, summary)
    finally:
        items.close()  # stops the worker processes, if any
        try:
            writer.close()
        finally:
            summary.new += writer.new
            summary.duplicate += writer.duplicate
            summary.mentions += writer.mentions
            if bar is not None:
                bar.stop()
    # also without a coder: mentions a killed earlier (coding) run stored get their events
    summary.events = _update_events(store, writer.new_ids if coder is not None else [])
    summary.seconds = time.perf_counter() - started
    return summary


def _read(files: Sequence[str], ctx: ReadContext, fmt: str | None,
          parallel: bool | None) -> Iterator[Article | ReadError | object]:
    """Each file's items, then FILE_DONE; read by worker processes when there is enough
    to read (``parallel`` None), or when asked to (True)."""
    if files and (parallel or (parallel is None and worth_it(files, fmt, ctx))):
        return read_parallel(files, ctx, fmt)
    return _read_here(files, ctx, fmt)


def _read_here(files: Sequence[str], ctx: ReadContext,
               fmt: str | None) -> Iterator[Article | ReadError | object]:
    for path in files:
        yield from read_file(path, ctx, fmt)
        yield FILE_DONE


def _store_files(store: Store) -> set[str]:
    if not store.path or store.path == ":memory:":
        return set()
    path = os.path.realpath(store.path)
    return {path, path + ".wal", path + ".tmp"}


def _is_own(path: str, own: set[str], own_names: set[str]) -> bool:
    """Whether ``path`` is one of the store's own files. realpath (a system call per path
    component) only where it can say yes: a name the store's files have, or a link (a
    path whose last component is no link keeps its name through realpath)."""
    if not own or (os.path.basename(path) not in own_names and not os.path.islink(path)):
        return False
    return os.path.realpath(path) in own


def _failed(summary: IngestSummary, error: ReadError,
            on_error: Callable[[ReadError], None] | None) -> None:
    summary.failed += 1
    if len(summary.errors) < MAX_KEPT_ERRORS:
        summary.errors.append(error)
    if on_error is not None:
        on_error(error)


def _flush(store: Store, writer: _Writer, batch: list[Article], coder: Coder | None,
           summary: IngestSummary) -> None:
    """Drop what is stored (or on its way), code the rest, hand it to the writer."""
    fresh: list[Article] = []
    seen = writer.pending()
    stored = store.existing_ids(list({a.id for a in batch}))
    for art in batch:
        if art.id in stored or art.id in seen:
            summary.duplicate += 1
            continue
        seen.add(art.id)
        fresh.append(art)
    if not fresh:
        return
    if coder is None:
        writer.put([(a, None) for a in fresh])
    else:
        writer.put([(a, list(ms)) for a, ms in coder.code_articles(fresh)])
