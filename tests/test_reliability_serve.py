"""`dateline serve` under silent, slow and many connections (issue 14): header and keep-alive
timeouts, a connection cap within the file-descriptor limit; and the /docs page served
offline with a Content-Security-Policy."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time

import httpx
import pytest
from api_fixtures import free_port
from reliability_fixtures import DATELINE


def _serve(tmp_path, limit_fds: int | None = None, **env_extra: str):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **env_extra}

    def limit() -> None:
        if limit_fds is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (limit_fds, limit_fds))

    proc = subprocess.Popen([*DATELINE, "serve", "--db", str(tmp_path / "s.duckdb"), "--port",
                             str(port), "--log-level", "warning"], env=env, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=limit)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(proc.stderr.read().decode()[-2000:])
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return proc, port
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("dateline serve did not start")


def _stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.stderr.close()


def _closed(sock: socket.socket, wait: float) -> bytes | None:
    """What the server sent before closing, or None if the connection is still open."""
    sock.settimeout(wait)
    got = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return got
            got += chunk
    except TimeoutError:
        return None
    except ConnectionResetError:
        return got


@pytest.fixture
def more_fds():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, 4096) if hard != resource.RLIM_INFINITY else 4096
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


# -- 6. header and keep-alive timeouts, and a connection cap ----------------------------------

def test_silent_and_dripping_connections_are_closed(tmp_path):
    proc, port = _serve(tmp_path, DATELINE_HEADER_TIMEOUT="2",
                        DATELINE_KEEPALIVE_TIMEOUT="1")
    try:
        silent = [socket.create_connection(("127.0.0.1", port)) for _ in range(10)]
        drip = [socket.create_connection(("127.0.0.1", port)) for _ in range(10)]
        for s in drip:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        started = time.time()
        for _ in range(3):  # a header line every second: each alone is no timeout
            time.sleep(1)
            for s in drip:
                try:
                    s.sendall(b"X-Slow: still here\r\n")
                except OSError:
                    pass
        for s in silent:
            assert _closed(s, 5) == b"", "a silent connection stayed open"
        for s in drip:
            answer = _closed(s, 5)
            assert answer is not None, "a dripping connection stayed open"
            assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
        assert time.time() - started < 10
        # an idle keep-alive connection goes after keepalive_timeout
        ka = socket.create_connection(("127.0.0.1", port))
        ka.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        first = ka.recv(65536)
        assert first.startswith(b"HTTP/1.1 200")
        assert _closed(ka, 4) is not None
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200
        for s in silent + drip + [ka]:
            s.close()
    finally:
        _stop(proc)


def test_many_silent_connections_do_not_lock_out_health(tmp_path, more_fds):
    """300 silent connections against a server limited to 256 file descriptors: the cap
    (within the limit) closes the longest idle ones, so /health still answers."""
    proc, port = _serve(tmp_path, limit_fds=256, DATELINE_HEADER_TIMEOUT="60")
    socks = []
    try:
        for _ in range(300):
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        time.sleep(0.5)
        for _ in range(3):
            r = httpx.get(f"http://127.0.0.1:{port}/health", timeout=10)
            assert r.status_code == 200
        closed = sum(1 for s in socks if _closed(s, 0.01) is not None)
        assert closed >= 300 - 256, closed  # the oldest went to make room
    finally:
        for s in socks:
            s.close()
        _stop(proc)


def test_connection_cap_follows_the_descriptor_limit():
    from dateline.api.protocol import FD_RESERVE, connection_cap

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert connection_cap(10) == min(10, soft - FD_RESERVE)
    assert connection_cap(10**9) <= soft - FD_RESERVE


# -- 13. /docs: Swagger UI from the package, a CSP, no framing --------------------------------

@pytest.fixture(scope="module")
def docs_client(tmp_path_factory):
    from api_fixtures import app_config
    from fastapi.testclient import TestClient

    from dateline.api import create_app
    from dateline.store import Store

    tmp = tmp_path_factory.mktemp("docs")
    store = Store.open(tmp / "d.duckdb")
    with TestClient(create_app(store, app_config(tmp))) as client:
        yield client
    store.close()


def test_docs_page_loads_nothing_from_another_host(docs_client):
    import re

    r = docs_client.get("/docs")
    assert r.status_code == 200
    html = r.text
    assert "cdn" not in html.lower() and "//" not in re.sub(r"<!doctype[^>]*>", "", html)
    srcs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert srcs and all(s.startswith("/") and not s.startswith("//") for s in srcs), srcs
    assert "<script>" not in html  # no inline script: the CSP forbids them
    for src in srcs:
        asset = docs_client.get(src)
        assert asset.status_code == 200, src
    assert "SwaggerUIBundle" in docs_client.get("/docs/init.js").text
    assert docs_client.get("/docs/assets/swagger-ui.js.map").status_code == 404


def test_docs_page_sends_csp_and_refuses_framing(docs_client):
    r = docs_client.get("/docs")
    csp = r.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_swagger_ui_is_pinned_and_vendored():
    import json
    from pathlib import Path

    from dateline.api.docs import swagger_ui_dir
    from dateline.web.build import ASSETS

    root = Path(__file__).resolve().parents[1]
    package = json.loads((root / "web" / "package.json").read_text())
    version = package["dependencies"]["swagger-ui-dist"]
    assert version[0].isdigit()  # an exact version, no range
    lock = json.loads((root / "web" / "package-lock.json").read_text())
    entry = lock["packages"]["node_modules/swagger-ui-dist"]
    assert entry["version"] == version and entry["integrity"].startswith("sha512-")
    assert {dest for pkg, _, dest in ASSETS if pkg == "swagger-ui-dist"} >= {
        "swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css"}
    manifest = json.loads((swagger_ui_dir().parent / "manifest.json").read_text())
    assert version in json.dumps(manifest)


def test_docs_without_the_web_build_says_how_to_build(tmp_path, monkeypatch):
    from api_fixtures import app_config
    from fastapi.testclient import TestClient

    import dateline.api.docs as docs
    from dateline.api import create_app
    from dateline.store import Store

    monkeypatch.setattr(docs, "swagger_ui_dir", lambda: tmp_path / "none")
    with Store.open(tmp_path / "n.duckdb") as store:
        r = TestClient(create_app(store, app_config(tmp_path))).get("/docs")
    assert r.status_code == 503 and "python -m dateline.web.build" in r.text


def test_docs_page_renders_offline_under_its_csp(tmp_path):
    """Headless Chromium: the page renders the API's operations, asks only its own origin,
    and the browser logs no CSP violation."""
    from web_fixtures import (
        LiveServer,
        browser_skip_reason,
        chromium,
        requested_urls,
        wait,
    )

    if browser_skip_reason() is not None:
        pytest.skip(browser_skip_reason())
    from api_fixtures import app_config
    from selenium.webdriver.common.by import By

    from dateline.api import create_app
    from dateline.store import Store

    store = Store.open(tmp_path / "b.duckdb")
    server = LiveServer(create_app(store, app_config(tmp_path))).start()
    driver = chromium(str(tmp_path / "profile"))
    try:
        driver.get(server.url + "docs")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock-summary-path"),
             timeout=30, message="Swagger UI did not render the operations")
        paths = {e.text for e in driver.find_elements(By.CSS_SELECTOR,
                                                      ".opblock-summary-path")}
        assert "/events" in {p.replace("\u200b", "") for p in paths}
        origin = server.url.rstrip("/")
        urls = [u for u in requested_urls(driver) if u.startswith(("http:", "https:", "ws"))]
        assert urls and all(u.startswith(origin) for u in urls), urls
        problems = [e for e in driver.get_log("browser")
                    if "Content Security Policy" in e["message"] or e["level"] == "SEVERE"]
        assert not problems, problems
    finally:
        driver.quit()
        server.stop()
        store.close()


# -- load: writes wait in order, and only so many -------------------------------------------

def test_write_lock_is_first_come_first_served():
    import threading

    from dateline.api.writelock import FairLock

    lock = FairLock()
    order: list[int] = []
    lock.acquire()
    threads = []
    for k in range(6):
        t = threading.Thread(target=lambda k=k: (lock.acquire(), order.append(k),
                                                 lock.release()))
        t.start()
        threads.append(t)
        while lock.waiting < k + 1:  # queued in this order
            time.sleep(0.001)
    assert not lock.acquire(timeout=0.05) and lock.waiting == 6  # a timed-out waiter leaves
    lock.release()
    for t in threads:
        t.join(timeout=10)
    assert order == list(range(6))
    assert not lock.locked()


def test_posts_over_the_write_queue_are_503_with_retry_after(tmp_path):
    import threading

    from api_fixtures import API_KEY, app_config
    from fastapi.testclient import TestClient

    from dateline.api import create_app
    from dateline.store import Store

    store = Store.open(tmp_path / "q.duckdb")
    application = create_app(store, app_config(tmp_path, max_queued_writes=2))
    lock = application.state.dateline.write_lock
    with TestClient(application) as client:  # (start-up takes the lock once: before)
        lock.acquire()  # a long write in progress
        waiters = [threading.Thread(target=lambda: (lock.acquire(), lock.release()))
                   for _ in range(2)]
        for t in waiters:
            t.start()
        while lock.waiting < 2:
            time.sleep(0.001)
        try:
            r = client.post("/articles", json={"text": "Troops left Idlib."},
                            headers={"X-API-Key": API_KEY})
            assert r.status_code == 503 and r.json()["error"] == "busy"
            assert r.headers["retry-after"] == "5"
        finally:
            lock.release()
            for t in waiters:
                t.join(timeout=10)
    store.close()


def test_a_cancelled_waiter_leaves_the_queue_and_keeps_the_order():
    import threading

    from dateline.api.writelock import FairLock

    lock = FairLock()
    lock.acquire()
    gone = threading.Event()
    got: list[str] = []
    first = threading.Thread(target=lambda: got.append(
        "first" if lock.acquire(cancelled=gone.is_set, poll=0.01) else "gave up"))
    first.start()
    while lock.waiting < 1:
        time.sleep(0.001)
    second = threading.Thread(target=lambda: (lock.acquire(), got.append("second"),
                                              lock.release()))
    second.start()
    while lock.waiting < 2:
        time.sleep(0.001)
    time.sleep(0.05)  # the first polls a few times and stays first in line
    gone.set()
    first.join(timeout=5)
    assert got == ["gave up"] and lock.waiting == 1
    lock.release()
    second.join(timeout=5)
    assert got == ["gave up", "second"] and not lock.locked()
