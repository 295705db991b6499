"""Input the server and the CLI must refuse alike, or accept (issue 14): 400 instead of 500
for hostile JSON, ids holding "/", the same record errors from `dateline ingest` as from
POST /articles, and bounded decompression."""

from __future__ import annotations

import gzip
import json
import zipfile

import pytest
from api_fixtures import API_KEY, app_config
from fastapi.testclient import TestClient
from typer.testing import CliRunner

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
    for n, (_rec, field, reason) in enumerate(BAD_RECORDS, start=2):
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


# -- 4. decompression is bounded (size and ratio, gzip and zip); a gone client stops work -----

def _identical_lines_gz(mb: int, repeat: int = 1) -> bytes:
    text = " ".join(["Police arrested forty rioters in Ahmedabad on Monday."] * repeat)
    line = json.dumps({"text": text}) + "\n"
    return gzip.compress(line.encode() * (mb * 2**20 // len(line)), compresslevel=9)


def test_gzip_of_identical_lines_is_refused_by_ratio_quickly(tmp_path):
    import time

    data = _identical_lines_gz(20)  # ~60 KB inflating to 20 MB: ratio ~ 300
    assert len(data) < 200_000
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "same.jsonl.gz").write_bytes(data)
    started = time.perf_counter()
    res = CliRunner().invoke(app, ["ingest", str(tmp_path / "in"), "--db",
                                   str(tmp_path / "r.duckdb"), "--no-code", "--no-progress",
                                   "--json"])
    took = time.perf_counter() - started
    summary = json.loads(res.stdout)
    assert summary["failed"] == 1, summary
    assert "compression ratio over 100:1" in summary["errors"][0]
    assert "max_ratio" in summary["errors"][0]
    assert summary["read"] < 200_000  # stopped early, not after all 370,000 lines
    assert took < 20, took


def test_ratio_and_size_caps_come_from_the_config(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "same.jsonl.gz").write_bytes(_identical_lines_gz(3, repeat=800))
    runner = CliRunner()
    monkeypatch.setenv("DATELINE_MAX_COMPRESSION_RATIO", "100000")
    res = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db",
                              str(tmp_path / "a.duckdb"), "--no-code", "--no-progress", "--json"])
    assert json.loads(res.stdout)["failed"] == 0  # allowed: read whole (all one id)
    monkeypatch.setenv("DATELINE_MAX_INFLATED_BYTES", str(2**20))
    res = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db",
                              str(tmp_path / "b.duckdb"), "--no-code", "--no-progress", "--json"])
    errors = json.loads(res.stdout)["errors"]
    assert len(errors) == 1 and "max_archive_bytes" in errors[0]


def test_gzip_inside_a_zip_is_bounded_too(tmp_path):
    """A zip member of ratio ~1 that is itself a gzip bomb: the inner stream's ratio stops
    it (zip members' declared sizes are checked before, and zipfile stops at them)."""
    from dateline.ingest import read_paths

    path = tmp_path / "wrapped.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("inner.txt.gz", gzip.compress(b"a" * (30 * 2**20), compresslevel=9))
        zf.writestr("fine.txt", "Police arrested forty rioters in Ahmedabad on Monday.\n")
    reasons = [str(i) for i in read_paths([str(path)]) if not isinstance(i, Article)]
    assert len(reasons) == 1 and "inner.txt.gz" in reasons[0], reasons
    assert "compression ratio over 100:1" in reasons[0]


def test_post_of_a_gzip_bomb_is_refused_and_does_not_hold_writers(client):
    import time

    bomb = gzip.compress(b"a" * (300 * 2**20), compresslevel=9)  # ~300 KB -> 300 MB
    started = time.perf_counter()
    r = client.post("/articles", files={"files": ("bomb.txt.gz", bomb)},
                    headers={"X-API-Key": API_KEY})
    took = time.perf_counter() - started
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["failed"] == 1 and "compression ratio" in report["errors"][0]
    assert took < 15, took
    ok = client.post("/articles", json={"text": "Protesters marched in Paris."}, headers=AUTH)
    assert ok.status_code == 200 and ok.json()["new"] == 1


def test_a_post_whose_client_is_gone_stops_and_frees_the_write_lock(tmp_path):
    """The client of a long POST disconnects: the server stops after the batch it is on,
    and another writer gets the lock at once."""
    import socket
    import threading
    import time

    import httpx
    from api_fixtures import running_server

    class SlowCoder:
        batches = 0

        def code_articles(self, articles):
            SlowCoder.batches += 1
            time.sleep(0.5)
            for a in articles:
                yield a, []

    store = Store.open(tmp_path / "slow.duckdb")
    application = create_app(store, app_config(tmp_path, max_body_bytes=20_000_000))
    application.state.dateline.coder = SlowCoder()
    lines = "".join(json.dumps({"id": f"s{i}", "text": f"Story number {i} about a protest."})
                    + "\n" for i in range(10_000))  # 20 batches of 500: 10 s of coding
    body = lines.encode()
    try:
        with running_server(application) as base:
            port = int(base.rsplit(":", 1)[1])
            boundary = "xyzzy"
            multipart = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
                         f"filename=\"many.jsonl\"\r\nContent-Type: application/octet-stream"
                         f"\r\n\r\n").encode() + body + f"\r\n--{boundary}--\r\n".encode()
            sock = socket.create_connection(("127.0.0.1", port))
            sock.sendall(f"POST /articles HTTP/1.1\r\nHost: x\r\nX-API-Key: {API_KEY}\r\n"
                         f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                         f"Content-Length: {len(multipart)}\r\n\r\n".encode() + multipart)
            deadline = time.time() + 30
            while SlowCoder.batches < 2 and time.time() < deadline:
                time.sleep(0.05)
            assert SlowCoder.batches >= 2
            sock.close()  # the client goes away
            started = time.perf_counter()
            result: dict = {}

            def second_writer():
                result["r"] = httpx.post(base + "/articles", json={"text": "Troops left Idlib."},
                                         headers={"X-API-Key": API_KEY}, timeout=60)

            t = threading.Thread(target=second_writer)
            t.start()
            t.join(timeout=60)
            waited = time.perf_counter() - started
            assert result["r"].status_code == 200
            assert waited < 5, waited  # not the ~9 s of coding left
            assert SlowCoder.batches < 8, SlowCoder.batches
    finally:
        store.close()
