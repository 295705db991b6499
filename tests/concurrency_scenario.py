"""Many users, one store: ``dateline serve`` (one or more), ``dateline watch``, batch
``dateline ingest`` runs and CLI readers at once, as real processes, on a DuckDB file or a
PostgreSQL database. Used by tests/test_store_concurrency.py (200 articles) and
bench/concurrency.py (1,000).

What the run must show: every reader command and HTTP request succeeds (0 errors),
every article is stored once, ``dateline check`` is ok, and the events equal those of one
sequential run over the same articles (compared by their mentions: ids name the earliest
mention known when an event was made, so they depend on arrival order).
"""

from __future__ import annotations

import html
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATELINE = [sys.executable, "-c", "from dateline.cli import main; main()"]
READERS = (
    ("events", ["events", "--json", "--limit", "100"]),
    ("stats", ["stats", "--json"]),
    ("export", ["export", "--format", "csv", "{tmp}/export-{n}.csv", "--force"]),
    ("check", ["check"]),
)


@dataclass
class ScenarioResult:
    articles_sent: int = 0
    articles: int = 0
    distinct: int = 0
    mentions: int = 0
    events: int = 0
    reader_runs: int = 0
    reader_errors: list[str] = field(default_factory=list)
    http_requests: int = 0
    http_errors: list[str] = field(default_factory=list)
    writer_errors: list[str] = field(default_factory=list)
    check_ok: bool = False
    same_as_sequential: bool = False
    seconds: float = 0.0
    ingest_seconds: list[float] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return len(self.reader_errors) + len(self.http_errors) + len(self.writer_errors)

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if not isinstance(v, (list, set))}
        out.update(errors=self.errors, ingest_seconds=self.ingest_seconds,
                   first_errors=(self.reader_errors + self.http_errors + self.writer_errors)[:5])
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _page(record: dict[str, Any]) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in record["text"].split("\n\n"))
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(record['title'])}</title>"
            f"<meta property='article:published_time' content='{record['date']}T08:00:00+00:00'>"
            f"<meta property='og:site_name' content='{html.escape(record['source'])}'></head>"
            f"<body><article><h1>{html.escape(record['title'])}</h1>{body}</article>"
            "</body></html>").encode()


def publish(site: Any, records: list[dict[str, Any]]) -> str:
    """The records as article pages of ``site`` (tests/scale_fixtures.Site) and a feed."""
    from scale_fixtures import Route

    items = []
    for rec in records:
        path = f"/news/{rec['id']}.html"
        site.routes[path] = Route(_page(rec))
        items.append((rec["title"], path))
    return site.set_feed("/feed.xml", items)


def _write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _start(args: list[str], db: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    fh = open(log, "w", encoding="utf-8")  # noqa: SIM115  closed with the process
    proc = subprocess.Popen([*DATELINE, *args, "--db", db], env=env, stdout=fh,
                            stderr=subprocess.STDOUT, start_new_session=True)
    proc.log = fh  # type: ignore[attr-defined]
    return proc


def _wait_http(base: str, proc: subprocess.Popen, seconds: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(base + "/health", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"dateline serve did not start: {proc.log.name}")
        time.sleep(0.2)


def run_scenario(db: str, tmp: Path, site: Any, n_articles: int = 200, ingests: int = 1,
                 serves: int = 1, readers: int = 4, watch_articles: int = 8,
                 coder: Any = None, compare: bool = True) -> ScenarioResult:
    """Run everything at once on ``db`` (a fresh DuckDB path or PostgreSQL DSN), then check
    the store against a sequential run into a DuckDB file."""
    from reliability_fixtures import event_articles

    tmp.mkdir(parents=True, exist_ok=True)
    result = ScenarioResult()
    started = time.monotonic()
    records = event_articles(n_articles, seed=41)
    page_records = event_articles(watch_articles, seed=42)
    for rec in page_records:
        rec["id"] = "page-" + rec["id"]
    feed = publish(site, page_records)
    # the batch files: with two ingests, each takes two thirds, overlapping in the middle
    if ingests == 1:
        files = [_write_jsonl(tmp / "batch-0.jsonl", records)]
    else:
        step = n_articles // (ingests + 1)
        files = [_write_jsonl(tmp / f"batch-{k}.jsonl", records[k * step:(k + 2) * step
                              if k < ingests - 1 else n_articles]) for k in range(ingests)]
    result.articles_sent = sum(len(f.read_text().splitlines()) for f in files)
    env = {**os.environ, "DATELINE_STORE_WAIT": "600", "DATELINE_API_KEY": "scenario-key"}

    # serve first (on DuckDB the first process hosts the file), then the writers
    procs: list[subprocess.Popen] = []
    bases = []
    for k in range(serves):
        port = free_port()
        proc = _start(["serve", "--port", str(port), "--log-level", "warning"], db, env,
                      tmp / f"serve-{k}.log")
        procs.append(proc)
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, proc in zip(bases, procs):
            _wait_http(base, proc)
        watch = _start(["watch", feed, "--every", "2s", "--max-cycles", "3",
                        "--host-interval", "0", "--allow-host", "127.0.0.1"], db, env,
                       tmp / "watch.log")
        writers = [_start(["ingest", str(f), "--json", "--no-progress", "--batch-size", "25"],
                          db, env, tmp / f"ingest-{k}.log") for k, f in enumerate(files)]
        stop = threading.Event()
        lock = threading.Lock()

        def reader(k: int) -> None:
            name, args = READERS[k % len(READERS)]
            n = 0
            while not stop.is_set() or n < 2:
                cmd = [a.format(tmp=tmp, n=k) for a in args]
                res = subprocess.run([*DATELINE, *cmd, "--db", db], env=env,
                                     capture_output=True, text=True, timeout=600)
                n += 1
                # check exits 3 when mentions wait for dedup: an ingest between its two
                # steps, the state a snapshot taken while writers work may show
                ok_codes = (0, 3) if name == "check" else (0,)
                bad = res.returncode not in ok_codes or any(
                    line.startswith(("error", "problem", "Traceback"))
                    for line in res.stderr.splitlines())
                with lock:
                    result.reader_runs += 1
                    if bad:
                        result.reader_errors.append(
                            f"{name}: exit {res.returncode}: {res.stderr.strip()[-500:]}")
                if name in ("events", "stats") and not bad:
                    json.loads(res.stdout)

        def http_reader(base: str) -> None:
            import httpx

            with httpx.Client(base_url=base, timeout=60) as client:
                n = 0
                while not stop.is_set() or n < 5:
                    for path, params in (("/events", {"limit": "50"}), ("/stats", {}),
                                         ("/events", {"type": "ASSAULT", "sort": "sources"}),
                                         ("/articles", {"limit": "20"}), ("/health", {})):
                        try:
                            r = client.get(path, params=params)
                            ok = r.status_code == 200
                            detail = f"{path}: {r.status_code} {r.text[:200]}"
                        except httpx.HTTPError as exc:
                            ok, detail = False, f"{path}: {exc!r}"
                        with lock:
                            result.http_requests += 1
                            if not ok:
                                result.http_errors.append(detail)
                    n += 1
                    time.sleep(0.05)

        threads = [threading.Thread(target=reader, args=(k,), daemon=True)
                   for k in range(readers)]
        threads += [threading.Thread(target=http_reader, args=(b,), daemon=True) for b in bases]
        for t in threads:
            t.start()
        for proc in [*writers, watch]:
            code = proc.wait(timeout=3600)
            if proc in writers:
                result.ingest_seconds.append(round(time.monotonic() - started, 1))
            proc.log.close()
            text = Path(proc.log.name).read_text(encoding="utf-8", errors="replace")
            if code != 0 or "Traceback" in text:
                result.writer_errors.append(f"{proc.args[3]}: exit {code}: {text[-800:]}")
        stop.set()
        for t in threads:
            t.join(timeout=900)
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGINT)
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            proc.log.close()
    result.seconds = round(time.monotonic() - started, 1)

    from dateline.ingest.check import check_store
    from dateline.store import Store

    with Store.open(db) as store:
        q = store.con.execute
        result.articles = q("SELECT count(*) FROM articles").fetchone()[0]
        result.distinct = q("SELECT count(DISTINCT id) FROM articles").fetchone()[0]
        result.mentions = q("SELECT count(*) FROM mentions").fetchone()[0]
        result.events = q("SELECT count(*) FROM events").fetchone()[0]
        result.check_ok = check_store(store).ok
        got = events_by_mentions(store)
        ids = {r[0] for r in q("SELECT id FROM articles").fetchall()}
    if compare:
        result.same_as_sequential = got == sequential_events(tmp, records, feed, coder)
    result.expected_articles = len(records) + len(page_records)  # type: ignore[attr-defined]
    result.article_ids = ids  # type: ignore[attr-defined]
    return result


def events_by_mentions(store: Any) -> dict[frozenset[str], dict[str, Any]]:
    """Every event's record keyed by its mentions, without its id."""
    out = {}
    for (data,) in store.con.execute("SELECT data FROM events").fetchall():
        e = json.loads(data)
        e.pop("id")
        out[frozenset(e["mention_ids"])] = e
    return out


def sequential_events(tmp: Path, records: list[dict[str, Any]], feed: str, coder: Any
                      ) -> dict[frozenset[str], dict[str, Any]]:
    """One process, one thing after another: ingest every record, then one watch cycle."""
    from dateline.ingest.pipeline import ingest
    from dateline.store import Store
    from dateline.watch import Fetcher, Watcher, WatchOptions

    if coder is None:
        from dateline.coding import Coder
        from dateline.config import Config

        coder = Coder.from_config(Config())
    path = tmp / "sequential.duckdb"
    with Store.open(path) as store:
        ingest(store, [str(_write_jsonl(tmp / "all.jsonl", records))], coder=coder,
               progress=False)
        options = WatchOptions(every=1, timeout=20, host_interval=0,
                               allow_hosts=("127.0.0.1",))
        fetcher = Fetcher.open(options)
        try:
            list(Watcher(store, fetcher, coder, options).run([feed], once=True))
        finally:
            fetcher.close()
        return events_by_mentions(store)
