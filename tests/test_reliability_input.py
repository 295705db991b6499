"""Input the server and the CLI must refuse alike, or accept (issue 14): 400 instead of 500
for hostile JSON, ids holding "/", the same record errors from `dateline ingest` as from
POST /articles, and bounded decompression."""

from __future__ import annotations

import gzip
import json
import zipfile

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api_fixtures import API_KEY, app_config
from dateline.api import create_app
from dateline.cli import app
from dateline.model import Article
from dateline.store import Store

AUTH = {"X-API-Key": API_KEY, "Content-Type": "application/json"}


@pytest.fixture
def client(tmp_path):
    store = Store.open(tmp_path / "in.duckdb")
    store.add_articles([(Article(id="nyt/2016/12/07/aleppo", text="Rebels attacked Aleppo.",
                                 headline="Aleppo"), None)])
    application = create_app(store, app_config(tmp_path, max_body_bytes=2_000_000))
    application.state.dateline.coder = _NoCoder()
    with TestClient(application, raise_server_exceptions=False) as c:
        yield c
    store.close()


class _NoCoder:
    def code_articles(self, articles):
        for a in articles:
            yield a, []


# -- 5. hostile JSON bodies: 400, never 500 -------------------------------------------------

@pytest.mark.parametrize("raw, param", [
    (b"[" * 5000 + b"]" * 5000, "body"),  # RecursionError in json.loads
    (b'{"text": ' * 3000 + b'"x"' + b"}" * 3000, "body"),
    (b'{"text": "\\ud800"}', "body.text"),  # a lone surrogate: UnicodeEncodeError on write
    (b'{"text": "fine", "title": "\\udfff bad"}', "body.title"),
    (b'[{"text": "fine"}, {"text": "x\\ud800y"}]', "body[1].text"),
])
def test_hostile_json_is_400_not_500(client, raw, param):
    r = client.post("/articles", content=raw, headers=AUTH)
    assert r.status_code == 400, r.text
    assert r.json()["parameter"] == param


def test_lone_surrogate_in_an_ignored_field_is_stored_without_it(client):
    r = client.post("/articles", content=b'{"text": "Police arrested 4 men.", "note": "\\ud800"}',
                    headers=AUTH)
    assert r.status_code == 200, r.text
    assert r.json()["new"] == 1


# -- 9. ids holding "/" are reachable ---------------------------------------------------------

def test_article_ids_with_slashes_are_reachable(client):
    r = client.post("/articles", json={"id": "reuters/2016/12/08/idlib",
                                       "text": "Jets struck Idlib on Thursday."},
                    headers={"X-API-Key": API_KEY})
    assert r.status_code == 200 and r.json()["article_ids"] == ["reuters/2016/12/08/idlib"]
    for path in ("/articles/nyt%2F2016%2F12%2F07%2Faleppo", "/articles/nyt/2016/12/07/aleppo",
                 "/articles/reuters%2F2016%2F12%2F08%2Fidlib"):
        got = client.get(path)
        assert got.status_code == 200, (path, got.text)
        assert got.json()["id"] in ("nyt/2016/12/07/aleppo", "reuters/2016/12/08/idlib")
    missing = client.get("/articles/nyt%2F2016%2Fnone")
    assert missing.status_code == 404 and missing.json()["parameter"] == "article_id"


# -- 10. the CLI refuses the records POST refuses, one line each, and stores the rest ---------

BAD_RECORDS = [
    ({"id": "t1", "text": True}, "text", "expected string, got boolean"),
    ({"id": "t2", "text": ["a", "b"]}, "text", "expected string, got array"),
    ({"id": "t3", "text": "Body three.", "url": {"href": "http://x.example"}}, "url",
     "expected string or null, got object"),
    ({"id": "t4", "text": "Body four.", "date": "9999-99-99"}, "date", "cannot read the date"),
    ({"id": "t5", "text": "Body five.", "date": 1e300}, "date", "cannot read the date"),
    ({"id": "t6", "text": "Body six.", "title": 7}, "title", "expected string or null"),
    ({"id": "t7", "text": "Body \ud800 seven."}, "text", "lone surrogate"),
]
GOOD = [{"id": "g1", "text": "Police arrested 40 rioters in Ahmedabad.", "date": "2002-03-04"},
        {"id": "g2", "text": "Protesters marched in Paris.", "source": {"name": "AFP"}}]


def test_cli_refuses_the_records_post_refuses(tmp_path, client):
    lines = [GOOD[0]] + [rec for rec, _, _ in BAD_RECORDS] + [GOOD[1]]
    path = tmp_path / "wire.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8",
                    errors="surrogatepass")
    db = tmp_path / "cli.duckdb"
    res = CliRunner().invoke(app, ["ingest", str(path), "--db", str(db), "--no-code",
                                   "--no-progress", "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert (summary["new"], summary["failed"]) == (2, len(BAD_RECORDS))
    errors = summary["errors"]
    for n, (rec, field, reason) in enumerate(BAD_RECORDS, start=2):
        line = next(e for e in errors if e.startswith(f"{path}:{n}: "))
        assert f"field '{field}'" in line and reason in line, line
        assert "\n" not in line
    with Store.open(db, read_only=True) as store:
        ids = {r[0] for r in store.con.execute("SELECT id FROM articles").fetchall()}
        assert ids == {"g1", "g2"}
        assert store.get_article("g2").source == "AFP"
    # POST refuses each of the same records with a 400 naming the same field
    for rec, field, reason in BAD_RECORDS:
        raw = json.dumps(rec).encode("utf-8")
        r = client.post("/articles", content=raw, headers=AUTH)
        assert r.status_code == 400, (rec, r.text)
        assert r.json()["parameter"] == f"body.{field}" and reason in r.json()["detail"]
    assert client.post("/articles", json=GOOD, headers=AUTH).status_code == 200
