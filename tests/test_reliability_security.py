"""Hostile requests. Extends tests/test_api_http.py (key check, body limit, injection on the
/events family, CORS) to: every route and every parameter listed in the OpenAPI document
(so new routes are covered as they come), constant-time key comparison, the key never
echoed, hostile upload names reaching no file outside the upload folder, page and request
size caps, raw-socket path traversal against the static files, oversized URLs and headers,
and the real `dateline serve` binding to 127.0.0.1 with CORS off by default.
"""

from __future__ import annotations

import ast
import hashlib
import os
import socket
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest
from api_fixtures import API_KEY, app_config, free_port, load_coder
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from query_fixtures import add_random_events, build_store
from reliability_fixtures import DATELINE

from dateline.api import create_app
from dateline.api.ingest import safe_name
from dateline.config import Config
from dateline.store import Store

API_DIR = Path(__file__).resolve().parents[1] / "src" / "dateline" / "api"
SECRET = "s3cret-key-do-not-echo-4f2a"
PAGE = 10  # max_page_size of the app under test
INJECTIONS = ["' OR '1'='1", "1; DROP TABLE events; --", "') UNION SELECT * FROM articles --",
              "\" OR \"\"=\"", "1 OR 1=1", "%' --", "*/ SELECT 1 /*", "\\'; --", "\x00",
              "${7*7}", "{{7*7}}", "../../etc/passwd", "1e309", "-1", "99999999999999999999",
              "\U0001f4a3\u202e", "a" * 10_000, ",,,", "null", "[]", "{}"]


def _fingerprint(store: Store) -> dict[str, str]:
    """Every table and a digest of all its rows: any change shows."""
    cur = store.cursor()
    try:
        tables = [r[0] for r in cur.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        out = {}
        for t in tables:
            rows = cur.execute(f'SELECT * FROM "{t}"').fetchall()
            out[t] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
        return out
    finally:
        cur.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("sec") / "world.duckdb")
    add_random_events(store, 40, seed=3)
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(world, tmp_path_factory):
    app = create_app(world, app_config(tmp_path_factory.mktemp("cfg"), api_key=SECRET,
                                       max_page_size=PAGE))
    with TestClient(app) as c:
        yield c


def _routes(client) -> list[tuple[str, str, dict]]:
    spec = client.get("/openapi.json").json()
    return [(path, method.upper(), op) for path, ops in spec["paths"].items()
            for method, op in ops.items()]


def _fill(path: str, value: str) -> str:
    """A route template with its path parameters set to ``value`` (URL-quoted)."""
    from urllib.parse import quote

    out = path
    while "{" in out:
        a, b = out.index("{"), out.index("}")
        out = out[:a] + quote(value, safe="") + out[b + 1:]
    return out


# -- the API key ----------------------------------------------------------------------------
def test_key_is_compared_in_constant_time():
    """Every comparison involving the API key goes through hmac/secrets.compare_digest."""
    digests, plain = 0, []
    for file in API_DIR.glob("*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "compare_digest":
                digests += 1
                assert isinstance(node.func.value, ast.Name) and \
                    node.func.value.id in ("hmac", "secrets")
            if isinstance(node, ast.Compare) and any(
                    isinstance(op, (ast.Eq, ast.NotEq)) for op in node.ops):
                names = {n.attr if isinstance(n, ast.Attribute) else getattr(n, "id", "")
                         for side in (node.left, *node.comparators) for n in ast.walk(side)}
                if any("key" in str(n).lower() for n in names):
                    plain.append(f"{file.name}:{node.lineno}")
    assert digests >= 1 and plain == [], plain


def test_every_write_route_needs_the_key(client, world, tmp_path):
    writes = [(p, m) for p, m, _ in _routes(client) if m not in ("GET", "HEAD", "OPTIONS")]
    assert ("/articles", "POST") in writes
    before = _fingerprint(world)
    for path, method in writes:
        url = _fill(path, "x")
        for headers in ({}, {"X-API-Key": "wrong"}, {"X-API-Key": SECRET[:-1]},
                        {"Authorization": "Bearer " + SECRET + "x"},
                        {"X-API-Key": SECRET.upper()}):
            r = client.request(method, url, json={"text": "Police arrested 5 men."},
                               headers=headers)
            assert r.status_code == 401, (method, path, headers, r.text)
    off = create_app(world, app_config(tmp_path, api_key=None, max_page_size=PAGE))
    with TestClient(off) as c:
        for path, method in writes:
            r = c.request(method, _fill(path, "x"), json={"text": "x"},
                          headers={"X-API-Key": SECRET})
            assert r.status_code == 403, (method, path)
    assert _fingerprint(world) == before


def test_the_key_is_never_echoed(client):
    bodies = []
    for path, method, _ in _routes(client):
        if method == "GET":
            bodies.append(client.get(_fill(path, SECRET), params={"q": SECRET}))
    bodies += [client.get("/openapi.json"), client.get("/docs"), client.get("/health"),
               client.post("/articles", content=b"{", headers={
                   "X-API-Key": SECRET + "x", "Content-Type": "application/json"}),
               client.post("/articles", content=b"{", headers={
                   "X-API-Key": SECRET, "Content-Type": "application/json"})]
    for r in bodies:
        assert SECRET not in r.text and SECRET.encode("utf-8") not in r.content
        assert all(SECRET not in v for v in r.headers.values())


# -- uploads --------------------------------------------------------------------------------
def _multipart(files: list[tuple[bytes, bytes]]) -> tuple[bytes, str]:
    """A multipart body with the file names exactly as given (bytes, NULs included)."""
    boundary = "dateline" + uuid.uuid4().hex
    parts = []
    for name, data in files:
        parts.append(b"--" + boundary.encode() + b"\r\nContent-Disposition: form-data; "
                     b'name="files"; filename="' + name + b'"\r\nContent-Type: text/plain'
                     b"\r\n\r\n" + data + b"\r\n")
    body = b"".join(parts) + b"--" + boundary.encode() + b"--\r\n"
    return body, f"multipart/form-data; boundary={boundary}"


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_hostile_upload_names_stay_in_the_upload_folder(request, tmp_path):
    coder = load_coder(request)
    root = tmp_path / "srv"
    root.mkdir()
    store = Store.open(root / "up.duckdb")
    uploads = root / "uploads"
    escape = f"dateline-escape-{uuid.uuid4().hex}.txt"
    names = [b"../../etc/passwd", b"../../../../../../../../../../tmp/" + escape.encode(),
             str(root / "absolute.txt").encode(), b"/" + escape.encode(),
             b"..\\..\\windows.txt", b"C:\\Windows\\System32\\drivers.txt", b"evil\x00.txt",
             b"../x\x00/../../nul-escape.txt", b"", b".", b"..", b"...", b"a" * 3000 + b".txt",
             b"%2e%2e%2fencoded.txt", "\u0441\u0442\u0430\u0442\u044c\u044f.txt".encode(),
             b"same.txt", b"same.txt", b"dir/same.txt", b"~/.bashrc", b"upload"]
    files = [(n, f"Police arrested {i + 2} protesters in Lagos on Monday, officials said "
                 f"(file {i}).".encode()) for i, n in enumerate(names)]
    try:
        app = create_app(store, app_config(root, max_body_bytes=2_000_000))
        app.state.dateline.coder = coder
        before = _tree(root)
        with TestClient(app) as c:
            body, ctype = _multipart(files)
            r = c.post("/articles", content=body, headers={"X-API-Key": API_KEY,
                                                           "Content-Type": ctype})
        assert r.status_code == 200, r.text
        report = r.json()
        # every file was kept apart and read: none overwrote another, none went elsewhere
        assert report["new"] == len(files) and report["failed"] == 0, report
        assert list(uploads.iterdir()) == []
        assert _tree(root) - before <= {"uploads", "up.duckdb.wal"}
        assert not (root / "absolute.txt").exists() and not Path("/tmp", escape).exists()
        origins = [o for (o,) in store.con.execute("SELECT origin FROM articles").fetchall()]
        assert len(origins) == len(files)
        assert all(o.startswith(str(uploads.resolve()) + os.sep) for o in origins), origins
    finally:
        store.close()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=300), min_size=1, max_size=8))
def test_safe_name_is_one_harmless_component(names):
    taken: set[str] = set()
    out = [safe_name(n, taken) for n in names]
    assert len(set(out)) == len(out)  # never two uploads on one file
    folder = Path("/srv/uploads/req")
    for name in out:
        assert name and name not in (".", "..") and not name.startswith(".")
        assert "/" not in name and "\\" not in name and "\x00" not in name
        assert len(name) <= 120 and name.isascii()
        assert (folder / name).resolve().parent == folder.resolve()


# -- sizes ----------------------------------------------------------------------------------
def test_page_size_is_capped(client):
    for path in ("/events", "/articles"):
        assert client.get(path, params={"limit": PAGE}).json()["count"] == PAGE
        for limit in (str(PAGE + 1), "1000000", "10" * 40, "-1", "0", "1.5", "NaN"):
            r = client.get(path, params={"limit": limit})
            assert r.status_code == 400 and r.json()["parameter"] == "limit", (path, limit)


@pytest.mark.parametrize("path", ["/events", "/articles"])
def test_default_page_respects_a_small_max_page_size(client, path):
    page = client.get(path).json()
    assert 0 < page["count"] <= PAGE and len(page["items"]) <= PAGE


def test_request_size_is_capped(client):
    auth = {"X-API-Key": SECRET}
    big = b"x" * 300_000  # app_config's max_body_bytes is 200,000
    body, ctype = _multipart([(b"big.txt", big)])
    r = client.post("/articles", content=body, headers={**auth, "Content-Type": ctype})
    assert r.status_code == 413 and r.json()["error"] == "body_too_large"
    many = [{"text": f"Police arrested {i} men."} for i in range(1001)]
    r = client.post("/articles", json=many, headers=auth)
    assert r.status_code == 400 and r.json()["parameter"] == "body"
    r = client.post("/articles", content=b"{}", headers={**auth, "Content-Type":
                                                          "application/json",
                                                          "Content-Length": "-5"})
    assert r.status_code in (400, 413)


# -- injection through every parameter of every GET route -----------------------------------
@pytest.mark.slow
def test_injection_in_every_parameter_of_every_get_route(client, world):
    before = _fingerprint(world)
    gets = [(p, op) for p, m, op in _routes(client) if m == "GET"]
    assert {"/events", "/articles", "/stats", "/dyads", "/timeline"} <= {p for p, _ in gets}
    tried = 0
    for path, op in gets:
        params = [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]
        for value in INJECTIONS:
            url = _fill(path, value.replace("\x00", "%00")) if "{" in path else path
            for name in params or [None]:
                r = client.get(url, params={name: value} if name else None)
                tried += 1
                assert r.status_code < 500, (path, name, value[:40], r.text[:300])
                # JSON (or the page), or what the route documents (/export: CSV, zip ...)
                documented = tuple((op.get("responses", {}).get("200", {})
                                    .get("content") or {}).keys())
                assert r.headers["content-type"].startswith(
                    ("application/json", "text/html", *documented)), (path, name)
    assert tried > 300
    print(f"{tried} injection requests")
    assert _fingerprint(world) == before


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_random_parameter_values_never_break_a_route(client, world, data):
    gets = [(p, op) for p, m, op in _routes(client) if m == "GET" and "{" not in p]
    path, op = data.draw(st.sampled_from(gets))
    names = [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]
    if not names:
        return
    params = data.draw(st.dictionaries(st.sampled_from(names),
                                       st.text(st.characters(codec="utf-8"), max_size=60),
                                       max_size=4))
    r = client.get(path, params=params)
    assert r.status_code in (200, 400), (path, params, r.text[:300])


# -- the real server: binding, CORS, raw paths, oversize URLs and headers -------------------
def _raw(port: int, request: bytes, timeout: float = 30) -> tuple[int | None, bytes]:
    """Send bytes as they are (no client normalises the path); status and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server hung up before reading it all (a refusal): see what it said
        chunks = []
        try:
            while chunk := s.recv(65536):
                chunks.append(chunk)
        except (TimeoutError, ConnectionResetError):
            pass
    data = b"".join(chunks)
    if not data.startswith(b"HTTP/1."):
        return None, data
    return int(data.split(b" ", 2)[1]), data.partition(b"\r\n\r\n")[2]


def _get(path: bytes, extra: bytes = b"") -> bytes:
    return b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + \
        b"Connection: close\r\n\r\n"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`dateline serve` with no --host and no config: the defaults."""
    tmp = tmp_path_factory.mktemp("serve")
    build_store(tmp / "s.duckdb").close()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATELINE_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1] / "src")
    proc = subprocess.Popen([*DATELINE, "serve", "--db", str(tmp / "s.duckdb"), "--port",
                             str(port), "--log-level", "warning"], cwd=tmp, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 90
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            raise AssertionError(proc.stderr.read().decode()[-2000:])
        time.sleep(0.2)
    yield proc, port
    proc.terminate()
    proc.wait(timeout=30)
    proc.stderr.close()


def test_config_defaults_are_loopback_and_no_cors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no dateline.toml here
    for cfg in (Config(), Config.load(env={})):
        assert cfg.host == "127.0.0.1" and cfg.cors_origins == [] and cfg.api_key is None
        assert cfg.max_page_size > 0 and cfg.max_body_bytes > 0


def test_serve_listens_on_loopback_only(served):
    import psutil

    proc, port = served
    listening = [c for c in psutil.Process(proc.pid).net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN]
    assert listening and all(c.laddr.ip == "127.0.0.1" for c in listening), listening
    assert {c.laddr.port for c in listening} == {port}


def test_cors_is_off_by_default_on_the_real_server(served):
    _, port = served
    base = f"http://127.0.0.1:{port}"
    origin = {"Origin": "https://evil.example"}
    answers = [
        httpx.get(base + "/events", headers=origin),
        httpx.post(base + "/articles", json={"text": "x"}, headers=origin),
        httpx.options(base + "/events", headers={**origin,
                                                 "Access-Control-Request-Method": "GET"}),
        httpx.options(base + "/articles", headers={
            **origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-api-key,content-type"}),
    ]
    for r in answers:
        assert not any(h.lower().startswith("access-control-") for h in r.headers), \
            (r.request.method, r.request.url, dict(r.headers))
    assert answers[1].status_code == 403  # and writes are off without a key


@pytest.mark.parametrize("path", [
    b"/static/../../../web/package-lock.json", b"/static/..%2f..%2f..%2fweb%2fpackage-lock.json",
    b"/static/%2e%2e/%2e%2e/%2e%2e/web/package-lock.json", b"/static/__init__.py",
    b"/static/build.py", b"/static/..%5c..%5c..%5cweb%5cpackage-lock.json",
    b"/static//work/main/web/package-lock.json", b"/static/%2Fetc%2Fpasswd",
    b"/static/../../../../../../../../etc/passwd", b"/../../../../etc/passwd",
    b"/static/vendor/../../../../../../etc/passwd%00.json", b"/static/.%2e/__init__.py",
])
def test_static_files_do_not_leave_the_page_folder(served, path):
    _, port = served
    status, body = _raw(port, _get(path))
    assert status in (400, 404), (path, status, body[:200])
    assert b"root:" not in body and b"lockfileVersion" not in body and b"import " not in body


def test_oversized_and_malformed_requests_never_break_the_server(served):
    proc, port = served
    for n in (100_000, 10_000_000):  # URLs past the HTTP parser's limit
        status, _ = _raw(port, _get(b"/events?q=" + b"a" * n))
        assert status is None or 400 <= status < 500, n
    status, body = _raw(port, _get(b"/events?q=" + b"a" * 10_000))  # past the q cap
    assert status == 400 and b'"parameter":"q"' in body
    for path in (b"/events?q=%ff%fe", b"/events?actor=%ED%A0%BD", b"/events/%ff",
                 b"/articles?source=%00%ff", b"/events?q=%", b"/events?%=%", b"/events?&&&=",
                 b"/events?" + b"type=ASSAULT&" * 2000):
        status, _ = _raw(port, _get(path))  # invalid UTF-8 and odd escapes, sent raw
        assert status is not None and status < 500, path
    status, _ = _raw(port, _get(b"/events", b"".join(b"X-H%d: v\r\n" % i
                                                   for i in range(5_000))))
    assert status is None or status < 500
    for junk in (b"GARBAGE \x00\xff\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"\r\n" * 1000,
                 b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999"
                 b"\r\n\r\n"):
        status, _ = _raw(port, junk, timeout=3)  # None: the server waits for more, or hangs up
        assert status is None or 400 <= status < 500, junk[:40]
    assert proc.poll() is None
    assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code == 200


def test_oversized_header_is_refused(served):
    """F8 (fixed): a head over 64 KiB gets 431 and a hang-up, one under it is served."""
    _, port = served
    status, body = _raw(port, _get(b"/events", b"X-Big: " + b"b" * 10_000_000 + b"\r\n"))
    assert status == 431 and b'"headers_too_large"' in body, (status, body[:200])
    many = b"".join(b"X-Small-%05d: %s\r\n" % (i, b"v" * 20) for i in range(2_000))  # 78 KB
    status, body = _raw(port, _get(b"/events", many))
    assert status == 431 and b'"headers_too_large"' in body, (status, body[:200])
    status, _ = _raw(port, _get(b"/events", b"X-Big: " + b"b" * 60_000 + b"\r\n"))
    assert status == 200  # under the cap
    status, _ = _raw(port, _get(b"/events", many[:len(many) * 3 // 4]))  # 1,500 headers, 58 KB
    assert status == 200
    status, _ = _raw(port, _get(b"/events?q=" + b"a" * 100_000))
    assert status == 414
    assert httpx.get(f"http://127.0.0.1:{port}/events", timeout=10).status_code == 200


@pytest.fixture(scope="module")
def capped():
    """Real uvicorn in a thread with the protocol of `dateline serve`, cap 1,000 bytes, and an
    app answering its path after ``?sleep=`` seconds."""
    import asyncio
    import threading

    import uvicorn

    from dateline.api.protocol import HeaderCappedProtocol

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        if scope["query_string"].startswith(b"sleep="):
            await asyncio.sleep(float(scope["query_string"][6:]))
        body = scope["path"].encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="error", lifespan="off",
        http=HeaderCappedProtocol.with_limit(1_000)))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started:
        assert thread.is_alive() and time.time() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=30)


def test_header_cap_is_configurable_and_exact(capped):
    head = b"GET /a HTTP/1.1\r\nHost: h\r\n"  # counted: "/a" 2 + "Host: h\r\n" 9
    pad = b"X-P: " + b"p" * (1_000 - 2 - 9 - 7) + b"\r\n"  # 1,000 bytes counted in all
    status, body = _raw(capped, head + pad + b"\r\n")
    assert (status, body) == (200, b"/a")
    status, body = _raw(capped, head + pad.replace(b"X-P", b"X-PP") + b"\r\n")  # 1,001
    assert status == 431 and b"over 1000 bytes" in body
    status, _ = _raw(capped, b"GET /" + b"u" * 1_000 + b" HTTP/1.1\r\nHost: h\r\n\r\n")
    assert status == 414
    status, _ = _raw(capped, head + b"X-N" * 2_000_000 + b"\r\n")  # a 6 MB header name
    assert status == 431


def test_header_cap_waits_for_earlier_pipelined_answers(capped):
    """Two good requests, then an oversized one, in one write: 200, 200, then 431, in order."""
    good = b"GET /%d?sleep=0.3 HTTP/1.1\r\nHost: h\r\n\r\n"
    status, rest = _raw(capped, good % 1 + good % 2 + b"GET /3 HTTP/1.1\r\nHost: h\r\nX: "
                        + b"x" * 5_000 + b"\r\n\r\n")
    assert status == 200 and rest.startswith(b"/1HTTP/1.1 200 ")
    assert rest.split(b"\r\n\r\n", 1)[1].startswith(b"/2HTTP/1.1 431 "), rest
