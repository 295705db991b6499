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
    except (TimeoutError, socket.timeout):
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
