"""The HTTP API in-process (FastAPI TestClient): routes, filters, errors, limits, CORS."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api_fixtures import API_KEY, app_config
from dateline.api import create_app
from dateline.query import EventQuery, search_events
from query_fixtures import WORLD, build_store, event_id


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("api") / "world.duckdb")
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(world, tmp_path_factory):
    app = create_app(world, app_config(tmp_path_factory.mktemp("cfg")))
    with TestClient(app) as c:
        yield c


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [e["id"] for e in response.json()["items"]]


def test_health(client):
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["events"] == len(WORLD) and body["writes"] is True
    assert body["schema_version"] >= 4


@pytest.mark.parametrize("params", [
    {},
    {"type": "ASSAULT", "place": "Aleppo", "since": "2016-12", "until": "2016-12",
     "min_sources": "3"},
    {"type": "ACCUSE", "actor": "RUS", "recipient": "USA"},
    {"near": "36.2,37.15,30", "sort": "-sources"},
    {"q": "ceasefire", "negated": "false"},
    {"country": "SYR,CHE", "modality": "asserted,planned", "quad": "1,4", "limit": "3"},
    {"actor": "Lavrov"},
    {"mode": "aerial", "sort": "date"},
])
def test_events_match_the_query_layer(client, world, params):
    expected = [e["id"] for e in search_events(world, EventQuery.parse(params)).items]
    assert ids(client.get("/events", params=params)) == expected


def test_events_page_shape_and_cursor(client):
    r = client.get("/events", params={"limit": 5})
    body = r.json()
    assert set(body) == {"items", "next_cursor", "count"} and body["count"] == 5
    seen = [e["id"] for e in body["items"]]
    while body["next_cursor"]:
        body = client.get("/events", params={"limit": 5, "cursor": body["next_cursor"]}).json()
        seen += [e["id"] for e in body["items"]]
    assert len(seen) == len(set(seen)) == len(WORLD)


def test_repeated_list_parameters_are_joined(client):
    a = ids(client.get("/events?type=REJECT&type=AGREE"))
    assert set(a) == set(ids(client.get("/events?type=REJECT,AGREE"))) and len(a) == 3


def test_event_detail(client):
    r = client.get(f"/events/{event_id('veto')}")
    assert r.status_code == 200
    body = r.json()
    assert body["event_type"] == "REJECT" and len(body["mentions"]) == 3
    for m in body["mentions"]:
        assert m["sentence"] and m["event_id"] == body["id"]
        assert {"headline", "source", "published", "url"} <= set(m["article"])


def test_articles(client):
    page = client.get("/articles", params={"limit": 3}).json()
    assert page["count"] == 3 and page["next_cursor"]
    first = page["items"][0]
    detail = client.get(f"/articles/{first['id']}").json()
    assert detail["text"] and detail["mentions"] and detail["headline"] == first["headline"]
    assert client.get("/articles", params={"source": "TASS"}).json()["count"] == 4


def test_stats_dyads_timeline(client):
    s = client.get("/stats", params={"type": "ASSAULT", "top": 2}).json()
    assert s["total"] == 5 and len(s["dyads"]) == 2
    d = client.get("/dyads", params={"type": "ACCUSE", "level": "country"}).json()
    assert d["level"] == "country" and d["items"][0] == {"actor": "RUS", "recipient": "USA",
                                                         "count": 2}
    t = client.get("/timeline", params={"interval": "month", "since": "2016-11",
                                        "until": "2016-12"}).json()
    assert [(b["start"], b["total"]) for b in t["buckets"]] == [("2016-11-01", 1),
                                                               ("2016-12-01", 11)]
    assert t["interval"] == "month" and "ASSAULT" in t["types"]


@pytest.mark.parametrize("url, param", [
    ("/events?since=2016-13-01", "since"),
    ("/events?until=2016-02-30", "until"),
    ("/events?type=ATTACK", "type"),
    ("/events?min_sources=many", "min_sources"),
    ("/events?limit=101", "limit"),
    ("/events?limit=0", "limit"),
    ("/events?near=100,0,5", "near"),
    ("/events?negated=maybe", "negated"),
    ("/events?sort=price", "sort"),
    ("/events?cursor=abc", "cursor"),
    ("/events?typ=ASSAULT", "typ"),
    ("/events?limit=5&limit=6", "limit"),
    ("/stats?top=0", "top"),
    ("/stats?limit=5", "limit"),
    ("/dyads?level=sector", "level"),
    ("/timeline?interval=year", "interval"),
    ("/articles?since=someday", "since"),
    ("/articles?coded=1", "coded"),
    (f"/events/{'x' * 201}", "event_id"),
    (f"/events/{event_id('veto')}?extra=1", "extra"),
])
def test_bad_parameters_are_400_naming_them(client, url, param):
    r = client.get(url)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["status"] == 400 and body["error"] == "invalid_parameter"
    assert body["parameter"] == param and param in body["detail"]


def test_cursor_of_other_query_is_refused(client):
    cursor = client.get("/events", params={"limit": 2}).json()["next_cursor"]
    r = client.get("/events", params={"limit": 2, "cursor": cursor, "type": "ASSAULT"})
    assert r.status_code == 400 and r.json()["parameter"] == "cursor"


def test_not_found_and_method_not_allowed_are_json(client):
    r = client.get("/events/does-not-exist")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    r = client.get("/articles/does-not-exist")
    assert r.status_code == 404 and r.json()["parameter"] == "article_id"
    r = client.get("/no/such/path")
    assert r.status_code == 404 and r.json()["status"] == 404
    r = client.delete("/events")
    assert r.status_code == 405 and r.json()["status"] == 405 and "GET" in r.headers["allow"]


def test_openapi_lists_every_route_and_parameter(client):
    spec = client.get("/openapi.json").json()
    assert {"/events", "/events/{event_id}", "/articles", "/articles/{article_id}", "/stats",
            "/dyads", "/timeline", "/health"} <= set(spec["paths"])
    params = {p["name"]: p for p in spec["paths"]["/events"]["get"]["parameters"]}
    assert list(params) == ["type", "mode", "quad", "actor", "recipient", "country", "place",
                            "near", "since", "until", "min_sources", "negated", "modality", "q",
                            "sort", "limit", "cursor"]
    assert params["limit"]["schema"]["maximum"] == 100  # the app's max_page_size
    post = spec["paths"]["/articles"]["post"]
    assert {"application/json", "multipart/form-data"} <= set(post["requestBody"]["content"])
    assert {"ApiKey", "Bearer"} <= set(spec["components"]["securitySchemes"])
    assert client.get("/docs").status_code == 200


def test_cors_off_by_default_and_on_when_configured(client, world, tmp_path):
    r = client.get("/events", headers={"Origin": "https://example.org"})
    assert "access-control-allow-origin" not in r.headers
    app = create_app(world, app_config(tmp_path, cors_origins=["https://example.org"]))
    with TestClient(app) as c:
        r = c.get("/events", headers={"Origin": "https://example.org"})
        assert r.headers["access-control-allow-origin"] == "https://example.org"
        r = c.get("/events", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers


# -- writes: authorisation and limits (no coding needed to get these answers) ------------------
def test_writes_refused_without_a_configured_key(world, tmp_path, monkeypatch):
    monkeypatch.delenv("DATELINE_API_KEY", raising=False)
    app = create_app(world, app_config(tmp_path, api_key=None))
    with TestClient(app) as c:
        r = c.post("/articles", json={"text": "x"}, headers={"X-API-Key": "anything"})
        assert r.status_code == 403 and r.json()["error"] == "writes_disabled"
        assert c.get("/health").json()["writes"] is False


def test_key_from_environment(world, tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_API_KEY", "from-env")
    app = create_app(world, app_config(tmp_path, api_key=None))
    with TestClient(app) as c:
        r = c.post("/articles", content=b"{", headers={"X-API-Key": "from-env",
                                                        "Content-Type": "application/json"})
        assert r.status_code == 400  # authorised, then the body is refused


@pytest.mark.parametrize("headers, status", [
    ({}, 401),
    ({"X-API-Key": "wrong"}, 401),
    ({"Authorization": "Bearer wrong"}, 401),
    ({"Authorization": f"Basic {API_KEY}"}, 401),
    ({"X-API-Key": API_KEY[:-1]}, 401),
    ({"X-API-Key": API_KEY}, 400),
    ({"Authorization": f"Bearer {API_KEY}"}, 400),
    ({"X-API-Key": "wrong", "Authorization": f"Bearer {API_KEY}"}, 400),
])
def test_api_key_check(client, headers, status):
    r = client.post("/articles", content=b"not json",
                    headers={**headers, "Content-Type": "application/json"})
    assert r.status_code == status, r.text
    if status == 401:
        assert r.json()["error"] == "unauthorized" and r.headers["www-authenticate"] == "Bearer"
    else:
        assert r.json()["parameter"] == "body"  # authorised; then the body is refused


def test_non_ascii_key_compared_as_utf8_bytes(world, tmp_path):
    key = "cl\u00e9-\u043a\u043b\u044e\u0447"
    app = create_app(world, app_config(tmp_path, api_key=key))
    with TestClient(app) as c:
        ok = c.post("/articles", content=b"[", headers={"X-API-Key": key.encode("utf-8"),
                                                         "Content-Type": "application/json"})
        assert ok.status_code == 400
        bad = c.post("/articles", content=b"[", headers={"X-API-Key": key.encode("latin-1",
                                                                                  "replace"),
                                                          "Content-Type": "application/json"})
        assert bad.status_code == 401


AUTH = {"X-API-Key": API_KEY}


@pytest.mark.parametrize("body, param", [
    ({"headline": "no text"}, "body"),
    ({"text": "   "}, "body.text"),
    ({"text": 5}, "body.text"),
    ({"text": "ok", "authors": [1, 2]}, "body.authors"),
    ([], "body"),
    ([{"text": "ok"}, "nope"], "body[1]"),
    ("just a string", "body"),
])
def test_bad_json_bodies_are_400(client, body, param):
    r = client.post("/articles", json=body, headers=AUTH)
    assert r.status_code == 400, r.text
    assert r.json()["parameter"] == param


def test_unsupported_content_type_and_missing_files(client):
    r = client.post("/articles", content=b"text", headers={**AUTH, "Content-Type": "text/plain"})
    assert r.status_code == 415
    r = client.post("/articles", data={"note": "no file"}, files={"other": ("a.txt", b"x")},
                    headers=AUTH)
    assert r.status_code == 400 and r.json()["parameter"] == "files"


def test_body_limit(client):
    big = b'{"text": "' + b"a" * 300_000 + b'"}'
    r = client.post("/articles", content=big, headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"] == "body_too_large"

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(30):
            yield b"x" * 10_000

    r = client.post("/articles", content=chunks(),
                    headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 413


INJECTIONS = ["' OR 1=1 --", '"; DROP TABLE events; --', "'); DELETE FROM mentions; --",
              "\u0000", "%", "_", "\\", "Алеппо\u202e", "\U0001f4a3", "a" * 5000,
              "1; SELECT * FROM articles", "${jndi:ldap://x}", "<script>alert(1)</script>"]
FILTERS = ["type", "mode", "quad", "actor", "recipient", "country", "place", "near", "since",
           "until", "min_sources", "negated", "modality", "q", "sort", "limit", "cursor"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_strings_never_break_anything(client, world, value):
    before = world.counts()
    for route in ("/events", "/stats", "/timeline", "/dyads"):
        for name in FILTERS:
            if route != "/events" and name in ("sort", "limit", "cursor"):
                continue
            r = client.get(route, params={name: value})
            assert r.status_code < 500, (route, name, r.text)
            if r.status_code == 200 and route == "/events":
                assert r.json()["items"] == [], (name, value)
            elif r.status_code != 200:
                assert r.json()["parameter"] == name
    for path in (f"/events/{value}", f"/articles/{value}"):
        r = client.get(path.replace("\u0000", "%00"))
        assert r.status_code in (400, 404), r.text
    assert world.counts() == before
    assert len(search_events(world, EventQuery.parse(limit=None)).items) == len(WORLD)


def test_web_page_is_mounted_when_present(client):
    import dateline.web as web

    r = client.get("/")
    if hasattr(web, "mount"):
        assert r.status_code == 200 and "html" in r.headers["content-type"]
    else:
        assert r.status_code == 404


def test_create_app_from_a_path(tmp_path):
    path = tmp_path / "p.duckdb"
    build_store(path).close()
    app = create_app(str(path), app_config(tmp_path))
    with TestClient(app) as c:
        assert c.get("/health").json()["events"] == len(WORLD)
    # the app closed the store it opened: the file can be opened again read-write
    from dateline.store import Store

    Store.open(path).close()
