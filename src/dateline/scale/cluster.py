"""Batch coding on Dask distributed: partitions in, a Parquet lake out.

One task codes one partition with the very Coder a single-process run uses. Each worker
process loads that Coder once, in a ``CoderPlugin`` (a WorkerPlugin: the loaded model
lives on the plugin object in the worker, never in a module global), and every task on
the worker reuses it. Tasks are retried (``retries``); a worker lost mid-run has its tasks
rescheduled by the scheduler; output files are named by partition so a rerun of a task
overwrites its own files (see ``lake``). Progress comes from the futures as they finish.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from distributed import Client, LocalCluster, WorkerPlugin, as_completed, get_worker

from dateline.config import Config
from dateline.ingest.base import ReadContext
from dateline.model import Article, ReadError, stable_id
from dateline.scale.lake import (
    PartitionOutput,
    commit_partition,
    committed_keys,
    remove_temporaries,
    write_partition,
)
from dateline.scale.partitions import (
    DEFAULT_PARTITION_BYTES,
    Partition,
    Scanner,
    Segment,
    file_ranges,
    plan_partitions,
    scan_here,
)
from dateline.scale.records import read_segment

CoderFactory = Callable[[Config], Any]
TASKS_PER_THREAD = 8  # partitions per worker thread at least, for load balance


def default_coder_factory(config: Config) -> Any:
    from dateline.coding import Coder

    return Coder.from_config(config)


@dataclass
class ScaleSummary:
    """What a batch run did: partitions, counts, failures, time."""

    out_dir: str
    cluster: str = ""
    workers: int = 0
    partitions: int = 0
    skipped: int = 0  # already committed by an earlier run (resume)
    done: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (partition, error)
    articles: int = 0
    duplicates: int = 0
    mentions: int = 0
    read_errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    months: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0

    def add(self, out: PartitionOutput, max_samples: int = 50) -> None:
        self.done += 1
        self.articles += out.articles
        self.duplicates += out.duplicates
        self.mentions += out.mentions
        self.read_errors += out.read_errors
        room = max_samples - len(self.error_samples)
        if room > 0:
            self.error_samples.extend(out.error_samples[:room])
        self.months = sorted(set(self.months) | set(out.months))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["articles_per_second"] = round(self.articles_per_second, 2)
        return d

    def __str__(self) -> str:
        lines = [
            f"coded {self.articles:,} articles into {self.mentions:,} mentions in "
            f"{self.seconds:,.1f} s ({self.articles_per_second:,.1f} articles/s) on "
            f"{self.workers} worker(s): {self.done} of {self.partitions} partitions"
            + (f" ({self.skipped} done before)" if self.skipped else "")
            + f", months {', '.join(self.months) or '-'} -> {self.out_dir}"
        ]
        if self.read_errors:
            lines.append(f"{self.read_errors:,} inputs could not be read, e.g.:")
            lines.extend(f"  {e}" for e in self.error_samples[:10])
        for where, error in self.failed:
            lines.append(f"FAILED {where}: {error}")
        return "\n".join(lines)


class CoderPlugin(WorkerPlugin):
    """Worker plugin holding the worker's one Coder, loaded at setup (in a thread, so the
    worker keeps answering the scheduler) or, failing that, by the first task."""

    def __init__(self, config: Config, factory: CoderFactory | None = None):
        self.config = replace(config, n_process=1)
        self.factory = factory
        self.coder: Any = None
        self._contexts: dict[Any, ReadContext] = {}
        self._lock = threading.Lock()
        fname = getattr(factory, "__qualname__", repr(factory)) if factory else "Coder"
        self.name = "dateline-coder-" + stable_id(repr(self.config), fname)

    def __getstate__(self) -> dict[str, Any]:
        return {"config": self.config, "factory": self.factory, "name": self.name}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.coder = None
        self._contexts = {}
        self._lock = threading.Lock()

    async def setup(self, worker: Any) -> None:
        await asyncio.to_thread(self.get_coder)

    def teardown(self, worker: Any) -> None:
        self.coder = None

    def read_context(self, options: Any) -> ReadContext:
        """One ReadContext per ReadOptions on this worker (its language model loads once)."""
        with self._lock:
            if options not in self._contexts:
                self._contexts[options] = ReadContext.create(options)
            return self._contexts[options]

    def get_coder(self) -> Any:
        with self._lock:
            if self.coder is None:
                self.coder = (self.factory or default_coder_factory)(self.config)
            return self.coder


def _worker_has_plugin(name: str, dask_worker: Any = None) -> bool:
    plugin = dask_worker.plugins.get(name) if dask_worker is not None else None
    return plugin is not None and getattr(plugin, "coder", None) is not None


def prepare_workers(client: Any, config: Config, coder_factory: CoderFactory | None = None,
                    timeout: float = 600) -> str:
    """Load the Coder on every worker (once: already-loaded workers are left alone) and
    return the plugin name tasks look it up by. Workers that join later load it too."""
    if not client.scheduler_info()["workers"]:
        client.wait_for_workers(1, timeout=timeout)
    plugin = CoderPlugin(config, coder_factory)
    have = client.run(_worker_has_plugin, plugin.name)
    if not have or not all(have.values()):
        client.register_plugin(plugin, name=plugin.name)
    return plugin.name


def run_partition(partition: Partition, coder: Any, out_dir: str, fmt: str | None = None,
                  options: Any = None, ctx: ReadContext | None = None,
                  worker: str | None = None) -> PartitionOutput:
    """Read, code and write one partition: the whole job of one task."""
    start = time.perf_counter()
    ctx = ctx or ReadContext.create(options)
    articles: list[Article] = []
    errors: list[ReadError] = []
    seen: set[str] = set()
    duplicates = 0
    for segment in partition.segments:
        for item in read_segment(segment, fmt, options, ctx):
            if isinstance(item, ReadError):
                errors.append(item)
            elif item.id in seen:
                duplicates += 1
            else:
                seen.add(item.id)
                articles.append(item)
    coded = coder.code_articles(articles) if articles else iter(())
    out = write_partition(out_dir, partition.key, coded, errors,
                          segments=[s.describe() for s in partition.segments])
    out.duplicates += duplicates
    out.nbytes = partition.nbytes
    out.seconds = round(time.perf_counter() - start, 3)
    out.worker = worker
    commit_partition(out_dir, out)
    return out


def code_partition_task(partition: Partition, out_dir: str, fmt: str | None, options: Any,
                        plugin_name: str) -> dict[str, Any]:
    """The Dask task: runs on a worker, with that worker's Coder."""
    worker = get_worker()
    plugin = cast("CoderPlugin | None", worker.plugins.get(plugin_name))
    if plugin is None:
        raise RuntimeError(f"worker {worker.address} has no plugin {plugin_name}")
    out = run_partition(partition, plugin.get_coder(), out_dir, fmt, options,
                        plugin.read_context(options), worker.address)
    return out.to_dict()


def _cluster_scanner(client: Client, retries: int) -> Scanner:
    """Finds the record ranges of large files on the workers, one task per file, so a
    backfill's terabytes are not all read through the client."""
    def scan(paths: list[str], kinds: list[str], target: int) -> list[list[Segment]]:
        futures = client.map(file_ranges, paths, kinds, [target] * len(paths),
                             retries=retries, pure=False)
        return client.gather(futures)

    return scan


@contextmanager
def connect(cluster: Any) -> Iterator[Any]:
    """A Client for ``cluster``: an existing Client (left open), ``local:N`` (a LocalCluster
    of N worker processes with one thread each, closed afterwards) or a scheduler address."""
    if isinstance(cluster, Client):
        yield cluster
        return
    spec = str(cluster)
    if spec == "local" or spec.startswith("local:"):
        n = int(spec.split(":", 1)[1]) if ":" in spec else (os.cpu_count() or 1)
        if n < 1:
            raise ValueError(f"{spec}: a local cluster needs at least one worker")
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address="127.0.0.1:0") as local, Client(local) as client:
            yield client
        return
    with Client(spec) as client:
        yield client


def _progress(enabled: bool, total: int) -> Any:
    if not enabled:
        return nullcontext(None)
    from rich.console import Console
    from rich.progress import (BarColumn, Progress, TaskProgressColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(),
                    TimeElapsedColumn(), TimeRemainingColumn(), console=Console(stderr=True))


def _describe(summary: ScaleSummary) -> str:
    text = f"coded {summary.articles:,} articles, {summary.mentions:,} mentions"
    return text + (f", {len(summary.failed)} failed" if summary.failed else "")


def _plan(paths: Sequence[str], out_dir: str, fmt: str | None, partition_bytes: int,
          min_partitions: int, resume: bool, summary: ScaleSummary,
          scan: Scanner = scan_here) -> list[Partition]:
    parts = plan_partitions(paths, fmt, partition_bytes, min_partitions=min_partitions, scan=scan)
    done = committed_keys(out_dir) if resume else set()
    todo = [p for p in parts if p.key not in done]
    summary.partitions, summary.skipped = len(parts), len(parts) - len(todo)
    return todo


def code_on_cluster(
    paths: Sequence[str],
    cluster: Any,
    out_dir: str | os.PathLike,
    config: Config,
    fmt: str | None = None,
    options: Any = None,
    progress: bool = True,
    *,
    coder_factory: CoderFactory | None = None,
    partition_bytes: int = DEFAULT_PARTITION_BYTES,
    retries: int = 3,
    resume: bool = False,
    on_result: Callable[[PartitionOutput], None] | None = None,
) -> ScaleSummary:
    """Code ``paths`` on a Dask cluster into a Parquet lake at ``out_dir``.

    ``cluster``: ``local:N``, a scheduler address (``tcp://host:8786``) or a Client.
    ``resume``: skip partitions an earlier run into the same folder committed.
    A partition that still fails after its retries is reported in ``summary.failed``;
    the other partitions are complete either way."""
    start = time.perf_counter()
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    summary = ScaleSummary(out_dir=str(out), cluster=str(cluster))
    with connect(cluster) as client:
        plugin_name = prepare_workers(client, config, coder_factory)
        nthreads = sum(client.nthreads().values()) or 1
        summary.workers = len(client.scheduler_info()["workers"])
        todo = _plan(paths, str(out), fmt, partition_bytes, TASKS_PER_THREAD * nthreads,
                     resume, summary, _cluster_scanner(client, retries))
        token = uuid.uuid4().hex[:8]
        futures = {
            client.submit(code_partition_task, p, str(out), fmt, options, plugin_name,
                          key=f"dateline-code-{p.key}-{token}", retries=retries, pure=False): p
            for p in todo
        }
        with _progress(progress, sum(p.nbytes for p in todo)) as bar:
            task = bar.add_task("coding", total=sum(p.nbytes for p in todo) or 1) if bar else None
            for future, result in as_completed(futures, with_results=True, raise_errors=False):
                part = futures[future]
                if future.status == "error":
                    exc = result[1] if isinstance(result, tuple) else result
                    summary.failed.append((part.describe(), f"{type(exc).__name__}: {exc}"))
                elif isinstance(result, BaseException):  # cancelled
                    summary.failed.append((part.describe(), f"{type(result).__name__}: {result}"))
                else:
                    output = PartitionOutput(**result)
                    summary.add(output)
                    if on_result:
                        on_result(output)
                future.release()
                if bar is not None:
                    bar.update(task, advance=part.nbytes, description=_describe(summary))
    remove_temporaries(out)
    summary.seconds = round(time.perf_counter() - start, 3)
    return summary


def code_in_process(
    paths: Sequence[str],
    out_dir: str | os.PathLike,
    config: Config,
    fmt: str | None = None,
    options: Any = None,
    progress: bool = True,
    *,
    coder: Any = None,
    partition_bytes: int = DEFAULT_PARTITION_BYTES,
    resume: bool = False,
) -> ScaleSummary:
    """The same partitions, tasks and lake without Dask, one after the other in this
    process: the single-process baseline (and a lake from a laptop)."""
    start = time.perf_counter()
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    summary = ScaleSummary(out_dir=str(out), cluster="in-process", workers=1)
    coder = coder if coder is not None else default_coder_factory(replace(config, n_process=1))
    todo = _plan(paths, str(out), fmt, partition_bytes, 1, resume, summary)
    ctx = ReadContext.create(options)
    with _progress(progress, sum(p.nbytes for p in todo)) as bar:
        task = bar.add_task("coding", total=sum(p.nbytes for p in todo) or 1) if bar else None
        for part in todo:
            summary.add(run_partition(part, coder, str(out), fmt, options, ctx))
            if bar is not None:
                bar.update(task, advance=part.nbytes, description=_describe(summary))
    summary.seconds = round(time.perf_counter() - start, 3)
    return summary
