"""Fixtures of the API tests: an app over the fixture store (in-process client), a real
uvicorn server on 127.0.0.1, and the real coder."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn

from dateline.config import Config

API_KEY = "test-key-123"


def app_config(tmp_path, **overrides) -> Config:
    values = dict(api_key=API_KEY, upload_dir=str(tmp_path / "uploads"), max_page_size=100,
                  max_body_bytes=200_000)
    values.update(overrides)
    return Config(**values)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(app) -> Iterator[str]:
    """uvicorn serving ``app`` on 127.0.0.1 at a free port, in a thread; yields the base
    URL and stops the server afterwards."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="test-uvicorn", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while not server.started:
        if not thread.is_alive() or time.time() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def load_coder(request):
    """The session's real coder (conftest ``coder``)."""
    return request.getfixturevalue("coder")


def wait_ok(base: str) -> None:
    with httpx.Client(base_url=base, timeout=10) as client:
        assert client.get("/health").status_code == 200
