"""The analysis routes over a real store, in-process: /series, /actors, /actors/{name} and
/export (every format, the same filters as /events, streamed)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from analysis_fixtures import build_analysis_store
from api_fixtures import app_config
from dateline.api import create_app
from dateline.query import EventQuery, count_events, search_events
from dateline.query.series import series


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    store = build_analysis_store(tmp_path_factory.mktemp("an-api") / "an.duckdb")
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(world, tmp_path_factory):
    app = create_app(world, app_config(tmp_path_factory.mktemp("cfg")))
    with TestClient(app) as c:
        yield c


def test_series_route_is_the_query_layer(client, world):
    params = {"type": "ASSAULT", "country": "SYR", "by": "week"}
    r = client.get("/series", params=params)
    assert r.status_code == 200, r.text
    expected = series(world, EventQuery.parse(type="ASSAULT", country="SYR", limit=None),
                      by="week")
    assert r.json() == json.loads(json.dumps(expected))
    r = client.get("/series", params={"by": "total", "per": "admin1", "country": "SYR"})
    assert any(row["admin1_code"] == "09" for row in r.json()["rows"])


@pytest.mark.parametrize("params, parameter", [
    ({"by": "fortnight"}, "by"), ({"per": "city"}, "per"), ({"fill": "yes"}, "fill"),
    ({"since": "2016-13"}, "since"), ({"limit": "5"}, "limit"),
])
def test_series_bad_parameters_are_400(client, params, parameter):
    r = client.get("/series", params=params)
    assert r.status_code == 400 and r.json()["parameter"] == parameter


@pytest.mark.parametrize("name", ["ISIS", "Daesh", "ISIL", "Islamic State"])
def test_events_by_alias_over_http(client, name):
    r = client.get("/events", params={"actor": name})
    assert r.status_code == 200
    assert {e["actors"][0]["name"] for e in r.json()["items"]} == {"Islamic State"}
    assert r.json()["count"] == 2


def test_vhp_and_dyads_timeline_stats_follow(client):
    assert client.get("/events", params={"actor": "VHP"}).json()["count"] == 1
    assert client.get("/stats", params={"actor": "Daesh"}).json()["total"] == 2
    t = client.get("/timeline", params={"actor": "ISIL", "interval": "day"}).json()
    assert sum(b["total"] for b in t["buckets"]) == 2


def test_actor_suggestions(client):
    items = client.get("/actors", params={"q": "Dae"}).json()["items"]
    isis = next(i for i in items if i["name"] == "Islamic State")
    assert isis["events"] == 2 and isis["alias"] == "Daesh" and isis["code"] == "IMGMUSISI"
    items = client.get("/actors", params={"q": "syr", "limit": 3}).json()["items"]
    assert len(items) == 3 and items[0]["name"] == "Syrian Arab Army"
    assert client.get("/actors").json() == {"items": []}
    assert client.get("/actors", params={"limit": "0", "q": "x"}).status_code == 400


def test_actor_page(client):
    r = client.get("/actors/ISIS")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["resolved"] == ["Islamic State"] and body["entry"]["code"] == "IMGMUSISI"
    assert body["events_as_actor"] == 2 and body["events_as_recipient"] == 0
    assert {c["name"] for c in body["recipients"]} == {"Syrian Arab Army", "Syrian civilians"}
    assert sum(b["total"] for b in body["timeline"]["as_actor"]["buckets"]) == 2
    r = client.get("/actors/Syrian Arab Army", params={"since": "2016-12-06"})
    body = r.json()
    assert body["events_as_actor"] == count_events(
        client.app.state.dateline.store,
        EventQuery.parse(actor="Syrian Arab Army", since="2016-12-06"))
    assert client.get("/actors/nobody at all").status_code == 404
    assert client.get("/actors/ISIS", params={"actor": "x"}).status_code == 400


def test_export_csv_matches_events(client, world):
    params = {"type": "ASSAULT", "place": "Aleppo", "sort": "date"}
    r = client.get("/export", params={**params, "format": "csv"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert 'filename="dateline-events.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    expected = search_events(world, EventQuery.parse(params, limit=None)).items
    assert [row["id"] for row in rows] == [e["id"] for e in expected]


def test_export_every_format(client, world):
    total = count_events(world, EventQuery.parse(country="SYR"))
    lines = client.get("/export", params={"format": "plover", "country": "SYR"}).text
    assert len(lines.splitlines()) == total
    assert json.loads(lines.splitlines()[0])["event"]
    geo = client.get("/export", params={"format": "geojson", "country": "SYR"})
    assert geo.headers["content-type"] == "application/geo+json"
    features = geo.json()["features"]
    assert len(features) == total
    assert all(f["properties"]["source_urls"] for f in features)
    assert all(u.startswith("https://news.example/") for f in features
               for u in f["properties"]["source_urls"])
    z = client.get("/export", params={"format": "gdelt", "country": "SYR", "limit": "3"})
    with zipfile.ZipFile(io.BytesIO(z.content)) as archive:
        assert sorted(archive.namelist()) == ["events.tsv", "mentions.tsv"]
        assert len(archive.read("events.tsv").decode().splitlines()) == 4
    p = client.get("/export", params={"format": "parquet", "actor": "ISIS"})
    table = pq.read_table(pa.BufferReader(p.content))
    assert table.num_rows == 2 and "goldstein" in table.column_names
    assert client.get("/export", params={"format": "xls"}).status_code == 400
    assert client.get("/export", params={"cursor": "abc"}).status_code == 400
