"""The store on PostgreSQL beside DuckDB: ingest rate, `events` latency at 1M events, dedup
time per 100k mentions. ``python -m bench.store [--quick]``; PostgreSQL from
DATELINE_TEST_PG (``make bench`` starts a throw-away server: tests/pg_server.py), else a
server started here.

- ingest: ``dateline.ingest.pipeline.ingest`` of N JSON Lines articles without coding (the
  store's share of an ingest: reading, id checks, bulk writes; coding costs the same on
  both and dominates a coded ingest at ~16 articles/s per core), articles/s;
- events: the five queries of bench/api.py through the query layer (``search_events``, a
  page of 50) over 1,000,000 synthetic events (generated as bench/api.py does, then copied
  into PostgreSQL with COPY), p50 / p99 ms;
- dedup: ``update_events`` over 100,000 one-mention articles (bench/dedup.py's store
  path), seconds.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1] / "tests"


class _Skip(Exception):
    """A part not asked for."""


def _pg_admin() -> tuple[str, str | None]:
    dsn = os.environ.get("DATELINE_TEST_PG")
    if dsn:
        return dsn, None
    sys.path.insert(0, str(TESTS))
    import pg_server

    folder, dsn = pg_server.start()
    return dsn, folder


def _new_db(admin: str) -> str:
    import psycopg

    name = "bench_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
                    "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
    return admin.rsplit("/", 1)[0] + "/" + name


def _drop_db(admin: str, dsn: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {dsn.rsplit('/', 1)[1]} WITH (FORCE)")


def _pct(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    return {"p50_ms": round(statistics.median(s) * 1000, 1),
            "p99_ms": round(s[min(len(s) - 1, int(len(s) * 0.99))] * 1000, 1)}


# -- ingest ------------------------------------------------------------------------------
def _ingest_rate(db: str, folder: Path, n: int) -> float:
    from dateline.ingest.pipeline import ingest
    from dateline.store import Store

    sys.path.insert(0, str(TESTS))
    from reliability_fixtures import event_articles

    path = folder / f"ingest-{n}.jsonl"
    if not path.exists():
        path.write_text("".join(json.dumps(r) + "\n" for r in event_articles(n, seed=5)),
                        encoding="utf-8")
    with Store.open(db) as store:
        t = time.perf_counter()
        summary = ingest(store, [str(path)], coder=None, progress=False)
        seconds = time.perf_counter() - t
        assert summary.new == n, summary
    return round(n / seconds, 1)


# -- events at 1M ------------------------------------------------------------------------
def _copy_to_pg(src, dsn: str) -> float:
    """Copy the three tables of a DuckDB store into PostgreSQL with COPY; seconds."""
    from dateline.dedup.events import EVENT_COLUMNS
    from dateline.store import ARTICLE_COLUMNS, MENTION_COLUMNS, Store

    t = time.perf_counter()
    tables = (("articles", list(ARTICLE_COLUMNS)),
              ("mentions", [c.strip() for c in MENTION_COLUMNS.split(",")]),
              ("events", [*EVENT_COLUMNS, "search_text", "actor_keys", "actor_names_text",
                          "recipient_keys", "recipient_names_text"]))
    with Store.open(dsn) as pg:
        raw = pg.con.raw
        for table, cols in tables:
            cur = src.con.cursor()
            cur.execute(f"SELECT {', '.join(cols)} FROM {table}")
            with raw.cursor().copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                while rows := cur.fetchmany(20_000):
                    for row in rows:
                        copy.write_row(row)
            cur.close()
        pg.con.execute("ANALYZE")
    return round(time.perf_counter() - t, 1)


def _time_queries(db: str, reps: int) -> dict[str, dict[str, float]]:
    from bench.api import QUERIES
    from dateline.query import EventQuery, search_events
    from dateline.store import Store

    out = {}
    with Store.open(db) as store:
        for name, params in QUERIES.items():
            q = EventQuery.parse({**params, "limit": 50})
            search_events(store, q)  # warm
            samples = []
            for _ in range(reps):
                t = time.perf_counter()
                search_events(store, q)
                samples.append(time.perf_counter() - t)
            out[name] = _pct(samples)
    samples_all = [v["p50_ms"] for v in out.values()]
    out["all_p50_ms"] = {"p50_ms": round(statistics.median(samples_all), 1),
                         "p99_ms": max(v["p99_ms"] for v in out.values())}
    return out


# -- dedup per 100k ----------------------------------------------------------------------
def _dedup_seconds(db: str, n: int) -> float:
    from bench.dedup import _articles
    from dateline.dedup import update_events
    from dateline.store import Store

    with Store.open(db) as store:
        items = _articles(n, seed=1)
        for k in range(0, n, 10_000):
            store.add_articles_bulk(items[k:k + 10_000])
        t = time.perf_counter()
        summary = update_events(store)
        seconds = time.perf_counter() - t
        assert summary.mentions == n
    return round(seconds, 1)


def run(quick: bool = False, only: tuple[str, ...] = ("ingest", "dedup", "events")
        ) -> dict[str, Any]:
    from bench.api import generate
    from dateline.store import Store

    n_ingest = 2_000 if quick else 20_000
    n_events = 50_000 if quick else 1_000_000
    n_dedup = 10_000 if quick else 100_000
    reps = 10 if quick else 30
    admin, folder = _pg_admin()
    out: dict[str, Any] = {"ingest_articles": n_ingest, "events": n_events,
                           "dedup_mentions": n_dedup}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            pg = _new_db(admin)
            try:
                if "ingest" not in only:
                    raise _Skip
                out["ingest_per_s"] = {"duckdb": _ingest_rate(str(tmp / "i.duckdb"), tmp,
                                                              n_ingest),
                                       "postgres": _ingest_rate(pg, tmp, n_ingest)}
                print(f"  ingest (no coding) of {n_ingest:,} articles: "
                      f"{out['ingest_per_s']['duckdb']:,} articles/s on DuckDB, "
                      f"{out['ingest_per_s']['postgres']:,} on PostgreSQL", flush=True)
            except _Skip:
                pass
            finally:
                _drop_db(admin, pg)
            pg = _new_db(admin)
            try:
                if "dedup" not in only:
                    raise _Skip
                per = n_dedup // 1000
                out["dedup_s"] = {"duckdb": _dedup_seconds(str(tmp / "d.duckdb"), n_dedup),
                                  "postgres": _dedup_seconds(pg, n_dedup)}
                out["dedup_s_per_100k"] = {k: round(v * 100 / per, 1)
                                           for k, v in out["dedup_s"].items()}
                print(f"  dedup of {n_dedup:,} mentions: {out['dedup_s']['duckdb']} s on "
                      f"DuckDB, {out['dedup_s']['postgres']} s on PostgreSQL", flush=True)
            except _Skip:
                pass
            finally:
                _drop_db(admin, pg)
            pg = _new_db(admin)
            try:
                if "events" not in only:
                    raise _Skip
                path = tmp / "e.duckdb"
                t = time.perf_counter()
                with Store.open(path) as store:
                    generate(store, n_events)
                    out["generate_s"] = round(time.perf_counter() - t, 1)
                    out["copy_to_postgres_s"] = _copy_to_pg(store, pg)
                out["events_query"] = {"duckdb": _time_queries(str(path), reps),
                                       "postgres": _time_queries(pg, reps)}
                for name in out["events_query"]["duckdb"]:
                    a = out["events_query"]["duckdb"][name]
                    b = out["events_query"]["postgres"][name]
                    print(f"  events {name:20s} DuckDB p50 {a['p50_ms']:7.1f} p99 "
                          f"{a['p99_ms']:7.1f} ms | PostgreSQL p50 {b['p50_ms']:7.1f} p99 "
                          f"{b['p99_ms']:7.1f} ms", flush=True)
            except _Skip:
                pass
            finally:
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
    parser.add_argument("--only", default="ingest,dedup,events",
                        help="comma separated parts: ingest, dedup, events")
    args = parser.parse_args()
    print(json.dumps(run(quick=args.quick, only=tuple(args.only.split(","))), indent=2))
