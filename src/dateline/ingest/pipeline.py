"""ingest(): read → drop ids already stored → code (optional) → store, one transaction
per batch → group the new mentions into events.

Reading (and coding) run in the calling thread; a writer thread stores the previous
batch meanwhile (DuckDB works outside the GIL); at most three batches are held (one being
read, one queued, one being written), so memory stays bounded whatever the input size.
A process killed at any point leaves whole batches (each article with its mentions) or
nothing of a batch, and running the same ingest again stores only what is missing.

Files that hold no articles are skipped and reported once (not failures): licences,
read-mes and notices found in folders (``paths.not_an_article``), JSON files of records
without article text (``NotArticles``). Articles in a language the coder does not read are
stored uncoded and counted by language (``IngestSummary.not_coded``).
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

from dateline.ingest.base import ReadContext, display_path
from dateline.ingest.dispatch import read_file
from dateline.ingest.jsonl import splittable
from dateline.ingest.metadata import DateFiller
from dateline.ingest.options import ReadOptions
from dateline.ingest.parallel import FILE_DONE, read_parallel, worth_it
from dateline.ingest.paths import expand_paths, not_an_article
from dateline.ingest.sniff import EXTENSIONS, extension
from dateline.model import Article, Mention, NotArticles, ReadError
from dateline.protocols import ArticleCoder, coder_languages, not_coded_lines, split_by_language
from dateline.store import Store

MAX_KEPT_ERRORS = 10_000
DEFAULT_BATCH = 500
BY_NAME = "not an article by its name (a licence, read-me or notice)"


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
    coded: int = 0  # articles coded now
    skipped: list[NotArticles] = field(default_factory=list)  # files that hold no articles
    not_coded: Counter[str] = field(default_factory=Counter)  # language -> stored uncoded
    languages: tuple[str, ...] = ()  # what the coder reads (when coding)
    undated: int = 0  # new articles stored without a publication date
    dated_from_metadata: int = 0  # new articles dated by a metadata file
    dated_from_batch: int = 0  # new articles dated by the batch date (--date)

    def line(self) -> str:
        rate = self.read / self.seconds if self.seconds > 0 else 0.0
        text = (f"read {self.read:,} · new {self.new:,} · duplicate {self.duplicate:,} · "
                f"failed {self.failed:,} · {self.seconds:.1f} s ({rate:,.0f} articles/s)")
        if self.mentions:
            text += f" · mentions {self.mentions:,}"
        if self.dated_from_metadata:
            text += f" · dated from metadata {self.dated_from_metadata:,}"
        if self.dated_from_batch:
            text += f" · dated by --date {self.dated_from_batch:,}"
        if self.stopped:
            text += " · stopped at the first bad input (--strict)"
        if self.undated:
            text += "\n" + self.undated_note()
        if self.cancelled:
            text += " · cancelled"
        return text

    def notes(self) -> list[str]:
        """What was skipped or left uncoded, one line each."""
        out = []
        if self.skipped:
            groups: dict[str, list[str]] = {}
            for item in self.skipped:
                kind = ("licences, read-mes or notices" if item.reason == BY_NAME
                        else "JSON files of records without article text")
                groups.setdefault(kind, []).append(os.path.basename(item.path))
            parts = []
            for kind, names in groups.items():
                shown = sorted(set(names))
                more = ", …" if len(shown) > 4 else ""
                parts.append(f"{len(names):,} {kind} ({', '.join(shown[:4])}{more})")
            n = len(self.skipped)
            out.append(f"skipped {n:,} file{'' if n == 1 else 's'} that hold no articles: "
                       + "; ".join(parts))
        out += not_coded_lines(self.not_coded, self.languages or ("en",))
        return out

    def undated_note(self) -> str:
        """What to do about articles stored without a publication date."""
        n = self.undated
        return (f"{n:,} article{'s' if n != 1 else ''} had no publication date: their events "
                "keep only the dates their text gives (else the date is unknown). Give one "
                "with a date field in the JSON Lines, --date YYYY-MM-DD for the batch, or "
                "--metadata FILE (JSON Lines joining each id to a date, like "
                "IndiaPoliceEvents' metadata.jsonl; one named metadata.jsonl beside the "
                "input is used by itself).")

    def to_dict(self) -> dict[str, Any]:
        return {"read": self.read, "new": self.new, "duplicate": self.duplicate,
                "failed": self.failed, "seconds": round(self.seconds, 3),
                "mentions": self.mentions, "files": self.files, "stopped": self.stopped,
                "coded": self.coded, "not_coded": dict(self.not_coded),
                "skipped": [str(e) for e in self.skipped],
                "undated": self.undated, "dated_from_metadata": self.dated_from_metadata,
                "dated_from_batch": self.dated_from_batch,
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


def estimate_articles(path: str, fmt: str | None = None) -> int:
    """About how many articles a file holds, for the progress bar: the lines of a plain
    JSON Lines file (counted; above 64 MB, from the first 4 MB), else 1 (the bar's total
    grows as more are read)."""
    kind = fmt or EXTENSIONS.get(extension(path))
    if kind != "jsonl" or path.lower().endswith((".gz", ".zip")):
        return 1
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            head = fh.read(4 << 20)
            if not splittable(head):  # one JSON document, UTF-16, …: unknown
                return 1
            lines = head.count(b"\n") + (not head.endswith(b"\n"))
            if size > 64 << 20:
                return max(1, round(lines * size / max(1, len(head))))
            while block := fh.read(1 << 20):
                lines += block.count(b"\n")
            return max(1, lines)
    except OSError:
        return 1


class _Bar:
    """The progress bar on stderr: articles done (coded, or stored, or found stored) of
    about how many there are, with the rate and the time left."""

    def __init__(self, console: Any, files: Sequence[str], fmt: str | None, coding: bool):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            ProgressColumn,
            SpinnerColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task: Any) -> Text:
                speed = task.finished_speed or task.speed
                return Text(f"{speed:,.1f}/s" if speed else "-/s")

        self.estimates = [estimate_articles(f, fmt) for f in files]
        self.left = sum(self.estimates)  # estimated articles of the files not read yet
        self.in_file = 0  # articles read from the file being read
        self.files_done = 0
        self.read = self.done = self.coded = 0
        self.coding = coding
        self.progress = Progress(
            SpinnerColumn(), TextColumn("ingest"), BarColumn(bar_width=16),
            TextColumn("{task.completed:,.0f}/~{task.total:,.0f} articles"),
            TextColumn("{task.fields[detail]}"), Rate(), TimeRemainingColumn(), TextColumn("left"),
            console=console or Console(stderr=True), transient=False)
        self.progress.start()
        self.task = self.progress.add_task("ingest", total=max(1, self.left), detail="")

    def article_read(self) -> None:
        self.read += 1
        self.in_file += 1

    def file_done(self) -> None:
        if self.files_done < len(self.estimates):
            self.left -= self.estimates[self.files_done]
        self.files_done += 1
        self.in_file = 0
        self._show()

    def advance(self, done: int = 0, coded: int = 0) -> None:
        self.done += done
        self.coded += coded
        self._show()

    def _show(self) -> None:
        remaining = self.left
        if self.files_done < len(self.estimates):  # the file being read
            remaining -= min(self.in_file, self.estimates[self.files_done])
        detail = f"({self.read:,} read" + (f", {self.coded:,} coded)" if self.coding else ")")
        self.progress.update(self.task, completed=self.done, detail=detail,
                             total=max(1, self.read + remaining, self.done))

    def stop(self) -> None:
        self.progress.update(self.task, total=max(1, self.done), completed=self.done)
        self.progress.stop()


def _update_events(store: Store, new_ids: Sequence[str]) -> Any:
    """Group the new mentions into events, with any a killed earlier run left unassigned."""
    from dateline.dedup import finish_pending

    return finish_pending(store, new_ids)


def ingest(
    store: Store,
    paths: Sequence[str],
    coder: ArticleCoder | None = None,
    fmt: str | None = None,
    options: ReadOptions | None = None,
    batch_size: int = DEFAULT_BATCH,
    progress: bool = True,
    strict: bool = False,
    on_error: Callable[[ReadError], None] | None = None,
    console: Any = None,
    context: ReadContext | None = None,
    parallel: bool | None = None,
    errors_per_file: int | None = None,
    on_note: Callable[[str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> IngestSummary:
    """Read ``paths``, store the new articles (coded, when a coder is given) and return
    the counts. ``strict`` stops at the first bad input (what came before is kept).
    ``on_error`` is called with each bad input as it is met — with only the first
    ``errors_per_file`` of one file, when given, and then ``on_note`` with "… and N more
    errors in FILE" (every error is counted and kept in the summary all the same);
    ``context`` (instead of ``options``) reuses a ReadContext, and so its loaded language
    model, across calls. ``parallel``: read in worker processes (True), in this one
    (False), or the former when there are many files or a large JSON Lines file (None).
    ``cancel``: asked between articles and before each batch is coded; when it answers
    True, reading stops and what was stored so far (whole batches) stays."""
    started = time.perf_counter()
    summary = IngestSummary(languages=coder_languages(coder) if coder is not None else ())
    ctx = context or ReadContext.create(options)
    batch_size = max(1, int(batch_size))
    files: list[str] = []
    own = _store_files(store)
    own_names = {os.path.basename(p) for p in own}
    named = {os.fspath(p) for p in paths}
    for entry in expand_paths(paths):
        if isinstance(entry, ReadError):
            _failed(summary, entry, on_error)
            if strict:
                summary.stopped = True
        elif _is_own(entry, own, own_names):  # `dateline ingest .` beside the store
            continue
        elif entry not in named and not_an_article(entry):  # LICENSE in a folder
            summary.skipped.append(NotArticles(display_path(entry), BY_NAME))
        else:
            files.append(entry)
    try:
        filler, files = DateFiller.create(ctx.options, files)
    except (OSError, ValueError, UnicodeError) as exc:
        filler = DateFiller(ctx.options)
        _failed(summary, ReadError(str(getattr(exc, "filename", None) or "--metadata"),
                                   f"metadata file not usable: {exc}"), on_error)
        if strict:
            summary.stopped = True
    summary.files = len(files)
    # the workers (if any) are started first: forked before the writer thread exists
    items = _read([] if summary.stopped else files, ctx, fmt, parallel)
    writer = _Writer(store)
    writer.start()
    bar = _Bar(console, files, fmt, coder is not None) if progress and files else None
    batch: list[Article] = []
    file_no = file_errors = 0
    try:
        for item in items:
            if cancel is not None and cancel():
                summary.cancelled = True
                batch = []
                break
            if item is FILE_DONE:
                _more_errors(files, file_no, file_errors, errors_per_file, on_note)
                file_no += 1
                file_errors = 0
                if bar is not None:
                    bar.file_done()
                continue
            if isinstance(item, NotArticles):
                summary.skipped.append(item)
                continue
            if isinstance(item, ReadError):
                file_errors += 1
                shown = errors_per_file is None or file_errors <= errors_per_file
                _failed(summary, item, on_error if shown else None)
                if strict:
                    summary.stopped = True
                    break
                continue
            assert isinstance(item, Article)
            summary.read += 1
            if bar is not None:
                bar.article_read()
            batch.append(item)
            if len(batch) >= batch_size:
                if cancel is not None and cancel():
                    summary.cancelled = True
                    batch = []
                    break
                _flush(store, writer, batch, coder, summary, bar, filler)
                batch = []
        if batch:
            if cancel is not None and cancel():
                summary.cancelled = True
            else:
                _flush(store, writer, batch, coder, summary, bar, filler)
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


def _more_errors(files: Sequence[str], file_no: int, errors: int, cap: int | None,
                 on_note: Callable[[str], None] | None) -> None:
    if cap is not None and errors > cap and on_note is not None and file_no < len(files):
        n = errors - cap
        on_note(f"… and {n:,} more error{'' if n == 1 else 's'} in {display_path(files[file_no])}")


def _read(files: Sequence[str], ctx: ReadContext, fmt: str | None,
          parallel: bool | None) -> Generator[Article | ReadError | object, None, None]:
    """Each file's items, then FILE_DONE; read by worker processes when there is enough
    to read (``parallel`` None), or when asked to (True)."""
    if files and (parallel or (parallel is None and worth_it(files, fmt, ctx))):
        return read_parallel(files, ctx, fmt)
    return _read_here(files, ctx, fmt)


def _read_here(files: Sequence[str], ctx: ReadContext,
               fmt: str | None) -> Generator[Article | ReadError | object, None, None]:
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


def _flush(store: Store, writer: _Writer, batch: list[Article], coder: ArticleCoder | None,
           summary: IngestSummary, bar: _Bar | None = None,
           filler: DateFiller | None = None) -> None:
    """Drop what is stored (or on its way), date the undated (metadata, --date), code the
    rest (in the languages the coder reads; the others are stored uncoded), hand it to the
    writer."""
    fresh: list[Article] = []
    seen = writer.pending()
    stored = store.existing_ids(list({a.id for a in batch}))
    for art in batch:
        if art.id in stored or art.id in seen:
            summary.duplicate += 1
            continue
        seen.add(art.id)
        fresh.append(filler.fill(art) if filler is not None else art)
    if filler is not None:
        summary.undated = filler.undated
        summary.dated_from_metadata = filler.from_metadata
        summary.dated_from_batch = filler.from_batch
    if bar is not None:
        bar.advance(done=len(batch) - len(fresh))
    if not fresh:
        return
    if coder is None:
        writer.put([(a, None) for a in fresh])
        if bar is not None:
            bar.advance(done=len(fresh))
        return
    readable, other = split_by_language(coder, fresh)
    out: list[tuple[Article, list[Mention] | None]] = [(a, None) for a in other]
    summary.not_coded.update(str(a.language) for a in other)
    if bar is not None:
        bar.advance(done=len(other))
    for art, mentions in coder.code_articles(readable):
        out.append((art, list(mentions)))
        summary.coded += 1
        if bar is not None:
            bar.advance(done=1, coded=1)
    writer.put(out)
