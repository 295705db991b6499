"""The API through a real uvicorn on 127.0.0.1: in a thread (create_app) and as the
`dateline serve` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from api_fixtures import API_KEY, app_config, free_port, running_server
from dateline.api import create_app
from dateline.query import EventQuery, search_events
from query_fixtures import WORLD, add_random_events, build_store, event_id


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("served")
    store = build_store(tmp_path / "served.duckdb")
    add_random_events(store, 120, seed=11)
    app = create_app(store, app_config(tmp_path))
    with running_server(app) as base:
        yield base, store
    store.close()


def test_queries_over_real_http(served):
    base, store = served
    with httpx.Client(base_url=base, timeout=30) as client:
        assert client.get("/health").json()["status"] == "ok"
        params = {"type": "ASSAULT", "place": "Aleppo", "since": "2016-12", "until": "2016-12",
                  "min_sources": "3"}
        r = client.get("/events", params=params)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
        expected = [e["id"] for e in search_events(store, EventQuery.parse(params)).items]
        assert [e["id"] for e in r.json()["items"]] == expected and expected
        detail = client.get(f"/events/{event_id('aleppo_seize')}").json()
        assert len(detail["mentions"]) == 3
        bad = client.get("/events", params={"since": "2016-13"})
        assert bad.status_code == 400 and bad.json()["parameter"] == "since"
        assert client.get("/stats").json()["total"] == store.counts()["events"]
        # text search uses the search column the server filled at start
        assert {e["id"] for e in client.get("/events", params={"q": "ceasefire"}).json()[
            "items"]} >= {event_id("veto"), event_id("lavrov_accuses")}


def test_concurrent_requests_each_get_their_own_cursor(served):
    base, store = served
    queries = [{"type": "ASSAULT"}, {"actor": "RUS"}, {"near": "36.2,37.15,100"},
               {"q": "talks"}, {"country": "SYR", "sort": "-sources"}, {"limit": "100"}]
    expected = {i: [e["id"] for e in search_events(store, EventQuery.parse(q)).items]
                for i, q in enumerate(queries)}

    def fetch(i: int) -> tuple[int, list[str]]:
        with httpx.Client(base_url=base, timeout=60) as client:
            return i, [e["id"] for e in client.get("/events", params=queries[i]).json()["items"]]

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(fetch, [i % len(queries) for i in range(36)]))
    for i, ids in results:
        assert ids == expected[i]


def test_pagination_over_http_while_events_arrive(served):
    base, store = served
    from query_fixtures import add_specs, random_specs

    with httpx.Client(base_url=base, timeout=30) as client:
        before = {e["id"] for e in search_events(store, EventQuery.parse(limit=None)).items}
        page = client.get("/events", params={"limit": 25}).json()
        seen = [e["id"] for e in page["items"]]
        add_specs(store, random_specs(30, seed=12), prefix="arrived")
        while page["next_cursor"]:
            page = client.get("/events", params={"limit": 25,
                                                 "cursor": page["next_cursor"]}).json()
            seen += [e["id"] for e in page["items"]]
    assert len(seen) == len(set(seen)) and before <= set(seen)


def test_dateline_serve_command(tmp_path):
    db = tmp_path / "cli.duckdb"
    build_store(db).close()
    port = free_port()
    env = {**os.environ, "DATELINE_API_KEY": API_KEY}
    cmd = [sys.executable, "-c", "from dateline.cli import main; main()", "serve", "--db",
           str(db), "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(cmd, env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        with httpx.Client(base_url=base, timeout=10) as client:
            while True:
                try:
                    health = client.get("/health")
                    break
                except httpx.TransportError:
                    if server.poll() is not None or time.time() > deadline:
                        raise AssertionError(server.stderr.read().decode()) from None
                    time.sleep(0.2)
            assert health.json()["writes"] is True and health.json()["events"] == len(WORLD)
            r = client.get("/events", params={"actor": "Lavrov"})
            assert [e["id"] for e in r.json()["items"]] == [event_id("lavrov_accuses")]
            assert client.post("/articles", json={"text": "x"}).status_code == 401
            assert client.get("/docs").status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert server.returncode is not None


def test_serve_binds_loopback_by_default(tmp_path):
    from typer.testing import CliRunner

    from dateline.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "127.0.0.1" in result.output and "8000" in result.output
