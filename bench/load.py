"""Load: 4 clients query the API while 8 writers POST 2,000 articles (quick: 200).

`dateline serve` runs as a separate process on 127.0.0.1 (a free port) over a fresh store;
one warm-up POST of 50 articles loads the coder and seeds the store before the clock
starts. Then the query threads (``--readers``, default 4: events with filters and cursors,
stats, timeline, dyads, articles, health) run for at least 60 s (quick: 15 s) and until the
writer threads (``--writers``, default 8) have sent every article in batches of 50 (the
whole run is bounded: 30 min, quick 5 min). After the
server stops, the store is checked: articles lost (posted but not stored), stored twice,
mentions without an event, and `dateline check`.

Figures: errors (non-2xx or transport errors; aim 0), query p50/p99 latency, POST p50/p99,
articles/s ingested while serving, articles lost (must be 0). ``python -m bench.load
[--quick]``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
API_KEY = "bench-load-key"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(db: Path, workdir: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATELINE_")}
    env.update(DATELINE_API_KEY=API_KEY, PYTHONPATH=str(ROOT / "src"))
    cmd = [sys.executable, "-c", "from dateline.cli import main; main()", "serve", "--db",
           str(db), "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    return subprocess.Popen(cmd, cwd=workdir, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def _wait_up(base: str, server: subprocess.Popen, timeout: float = 120) -> None:
    import httpx

    deadline = time.time() + timeout
    while True:
        try:
            if httpx.get(base + "/health", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if server.poll() is not None or time.time() > deadline:
            raise RuntimeError("dateline serve did not start: "
                               + (server.stderr.read().decode()[-2000:] if server.stderr else ""))
        time.sleep(0.2)


def run(quick: bool = False, writers: int = 8, readers: int = 4) -> dict[str, Any]:
    import httpx

    sys.path.insert(0, str(TESTS))
    try:
        from reliability_fixtures import event_articles, run_load, store_report
    finally:
        sys.path.remove(str(TESTS))
    from dateline.ingest.check import check_store
    from dateline.store import Store

    n = 200 if quick else 2000
    min_s, max_s = (15, 300) if quick else (60, 1800)
    clients, batch = readers, 50
    workdir = Path(tempfile.mkdtemp(prefix="dateline-load-"))
    db = workdir / "load.duckdb"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(db, workdir, port)
    try:
        _wait_up(base, server)
        warm = event_articles(50, seed=900)
        t = time.perf_counter()
        r = httpx.post(base + "/articles", json=warm, headers={"X-API-Key": API_KEY},
                       timeout=600)
        r.raise_for_status()
        warm_s = time.perf_counter() - t
        articles = event_articles(n, seed=901, events=max(10, n // 8))
        print(f"load: {n} articles, {writers} writers, {clients} query clients, {base} "
              f"(warm-up POST {warm_s:.1f} s)", flush=True)
        t = time.perf_counter()
        figures = run_load(base, API_KEY, articles, clients=clients, min_seconds=min_s,
                           max_seconds=max_s, batch=batch, writers=writers)
        wall = time.perf_counter() - t
        ingest_s = sum(figures.post_latencies)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stderr:
            server.stderr.close()
    try:
        with Store.open(db, read_only=True) as store:
            state = store_report(store.con)
            stored = {r[0] for r in store.con.execute("SELECT id FROM articles").fetchall()}
            check = check_store(store)
        sent = {a["id"] for a in articles}
        out = figures.summary()
        out["post_max_ms"] = round(max(figures.post_latencies) * 1000, 1) \
            if figures.post_latencies else None
        out.update({
            "articles": n, "clients": clients, "writers": writers, "seconds": round(wall, 1),
            # articles stored per second of wall time while the writers ran (POSTs overlap:
            # the sum of their latencies would count the queueing many times)
            "articles_per_s_while_serving": round(len(figures.posted_ids) / wall, 1)
            if wall else None,
            "post_seconds_summed": round(ingest_s, 1),
            "queries_per_s": round(out["queries"] / wall, 1) if wall else None,
            "lost": len(sent - stored), "not_sent": n - len(figures.posted_ids),
            "stored_twice": state["articles"] - state["article_ids_distinct"],
            "mentions": state["mentions"], "events": state["events"],
            "mentions_without_event": state["mentions_without_event"],
            "check_ok": check.ok, "check_problems": check.problems,
            "finished_within_s": max_s,
        })
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"  queries {out['queries']:,} ({out['queries_per_s']}/s)  errors {out['errors']}  "
          f"query p50 {out['query_p50_ms']} ms  p99 {out['query_p99_ms']} ms")
    print(f"  posts {out['posts']}  POST p50 {out['post_p50_ms']} ms  p99 {out['post_p99_ms']} ms"
          f"  {out['articles_per_s_while_serving']} articles/s while serving")
    print(f"  articles lost {out['lost']}  not sent {out['not_sent']}  stored twice "
          f"{out['stored_twice']}  mentions without event {out['mentions_without_event']}  "
          f"check {'ok' if out['check_ok'] else out['check_problems']}  ({out['seconds']} s)")
    return out


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    result = run(quick=args.quick, writers=args.writers, readers=args.readers)
    if args.json:
        import json

        Path(args.json).write_text(json.dumps(result, indent=1, default=str))
