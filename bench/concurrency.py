"""Many users, one store, at full size: `serve` + `watch` + a batch `ingest` of 1,000
articles + 4 CLI readers at once on one DuckDB file; then on PostgreSQL with two `serve`
processes and two concurrent ingests (tests/concurrency_scenario.py; the CI test runs 200).
``python -m bench.concurrency [--quick]``. Figures: errors, articles stored / distinct /
expected, reader commands and HTTP requests served, `check`, equality with a sequential
run, wall time."""

from __future__ import annotations

import json
import sys
import tempfile
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1] / "tests"


def _site() -> tuple[Any, Any]:
    from scale_fixtures import Site, _Handler

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    site = Site()
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    server.site = site  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return site, server


def run(quick: bool = False) -> dict[str, Any]:
    sys.path.insert(0, str(TESTS))
    from bench.store import _drop_db, _new_db, _pg_admin
    from concurrency_scenario import run_scenario

    n = 200 if quick else 1000
    out: dict[str, Any] = {"articles": n}
    admin, folder = _pg_admin()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            site, server = _site()
            try:
                r = run_scenario(str(tmp / "desk.duckdb"), tmp / "duckdb", site, n_articles=n)
                out["duckdb"] = r.to_dict()
                print(f"  DuckDB: {r.articles:,} articles ({r.distinct:,} distinct, "
                      f"{r.expected_articles:,} expected), {r.errors} errors, "
                      f"{r.reader_runs} reader commands, {r.http_requests} HTTP requests, "
                      f"check {'ok' if r.check_ok else 'FAILED'}, same as sequential: "
                      f"{r.same_as_sequential}, {r.seconds} s", flush=True)
            finally:
                server.shutdown()
            site, server = _site()
            pg = _new_db(admin)
            try:
                r = run_scenario(pg, tmp / "pg", site, n_articles=n, ingests=2, serves=2)
                out["postgres"] = r.to_dict()
                print(f"  PostgreSQL (2 serves, 2 ingests): {r.articles:,} articles "
                      f"({r.distinct:,} distinct, {r.expected_articles:,} expected, "
                      f"{r.articles_sent:,} sent), {r.errors} errors, {r.reader_runs} reader "
                      f"commands, {r.http_requests} HTTP requests, check "
                      f"{'ok' if r.check_ok else 'FAILED'}, same as sequential: "
                      f"{r.same_as_sequential}, {r.seconds} s", flush=True)
            finally:
                server.shutdown()
                _drop_db(admin, pg)
    finally:
        if folder:
            import pg_server

            pg_server.stop(folder)
    return out


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(json.dumps(run(quick=args.quick), indent=2, default=str))
