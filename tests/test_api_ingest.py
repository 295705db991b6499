"""POST /articles end to end with the real coder: JSON and uploaded files are read, coded,
stored and deduplicated; uploads never leave the upload folder."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from api_fixtures import API_KEY, app_config, load_coder
from conftest import EXAMPLE
from dateline.api import create_app
from dateline.store import Store


@pytest.fixture
def api(request, tmp_path):
    coder = load_coder(request)
    store = Store.open(tmp_path / "ingest.duckdb")
    config = app_config(tmp_path, max_body_bytes=2_000_000)
    app = create_app(store, config)
    app.state.dateline.coder = coder  # the session's coder instead of loading a second one
    with TestClient(app) as client:
        yield client, store, tmp_path / "uploads"
    store.close()


AUTH = {"X-API-Key": API_KEY}


def test_post_json_article_is_coded_into_events(api):
    client, store, uploads = api
    text = EXAMPLE.read_text(encoding="utf-8")
    r = client.post("/articles", json={"text": text, "source": "Example Daily",
                                       "url": "https://example.org/aleppo"}, headers=AUTH)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["read"] == 1 and report["new"] == 1 and report["failed"] == 0
    assert report["mentions"] > 0 and len(report["article_ids"]) == 1
    article = client.get(f"/articles/{report['article_ids'][0]}").json()
    assert article["source"] == "Example Daily" and article["mentions"]
    assert all(m["event_id"] for m in article["mentions"])
    events = client.get("/events", params={"limit": 100}).json()["items"]
    assert events and {e["id"] for e in events} == set(article["event_ids"])
    # the text filter finds them right away (the search column was refreshed)
    assert client.get("/events", params={"q": "Aleppo"}).json()["items"]
    again = client.post("/articles", json={"text": text, "source": "Example Daily"},
                        headers={"Authorization": f"Bearer {API_KEY}"}).json()
    assert again["new"] == 0 and again["duplicate"] == 1 and again["article_ids"] == []
    assert list(uploads.iterdir()) == []  # the request's folder is gone


def test_post_a_list_and_jsonl_field_names(api):
    client, store, _ = api
    body = [{"id": "a1", "title": "Police arrest rioters",
             "body": "Police arrested 40 rioters in Ahmedabad on Monday.",
             "date": "2002-03-04", "source": "Times of India"},
            {"doc_id": 7, "full_text": "Protesters marched in Paris against the reform.",
             "authors": ["A. Writer"]}]
    r = client.post("/articles", json=body, headers=AUTH)
    assert r.status_code == 200, r.text
    assert r.json()["new"] == 2 and sorted(r.json()["article_ids"]) == ["7", "a1"]
    a1 = client.get("/articles/a1").json()
    assert a1["headline"] == "Police arrest rioters" and a1["published"].startswith("2002-03-04")


def test_upload_files_with_hostile_names(api, tmp_path):
    client, store, uploads = api
    files = [("files", ("../../outside.txt", EXAMPLE.read_bytes(), "text/plain")),
             ("files", (".hidden.jsonl", json.dumps(
                 {"id": "j1", "text": "Rebels attacked army positions in Aleppo."}).encode(),
                 "application/json")),
             ("files", ("junk.bin", bytes(range(256)) * 4, "application/octet-stream"))]
    r = client.post("/articles", files=files, headers=AUTH)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["new"] == 2 and "j1" in report["article_ids"]
    assert report["failed"] == 1 and len(report["errors"]) == 1
    assert "junk.bin" in report["errors"][0] and str(uploads) not in report["errors"][0]
    assert not (tmp_path.parent / "outside.txt").exists()
    assert not (uploads.parent / "outside.txt").exists()
    assert list(uploads.iterdir()) == []
    origins = [r[0] for r in store.con.execute("SELECT origin FROM articles").fetchall()]
    assert all(o.startswith(str(uploads)) for o in origins)


def test_writes_and_reads_interleave(api):
    client, store, _ = api
    r = client.post("/articles", json={"text": "Russia accused the United States of lying."},
                    headers=AUTH)
    assert r.status_code == 200
    assert client.get("/health").json()["articles"] == store.counts()["articles"] == 1


def test_coder_that_cannot_load_is_503(request, tmp_path):
    load_coder(request)
    store = Store.open(tmp_path / "nocoder.duckdb")
    app = create_app(store, app_config(tmp_path, model="no_such_spacy_model"))
    try:
        with TestClient(app) as client:
            r = client.post("/articles", json={"text": "Police arrested 40 rioters."},
                            headers=AUTH)
            assert r.status_code == 503 and r.json()["error"] == "coder_unavailable"
            assert client.get("/health").json()["articles"] == 0
    finally:
        store.close()
