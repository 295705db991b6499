"""Shared by the scale and watch tests: news text in the IndiaPoliceEvents layout, a local
HTTP site, Coder factories."""

from __future__ import annotations

import hashlib
import html
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

IPE = Path(__file__).resolve().parent / "data" / "india-police-events"  # see tests/data/README.md
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def ipe_records(n: int, offset: int = 0, containing: str | None = None) -> list[dict]:
    """The first ``n`` articles of the bundled corpus in the IndiaPoliceEvents layout (after
    ``offset``; only those whose text contains ``containing`` if given), with date and URL."""
    out = []
    with open(IPE / "metadata.jsonl", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i < offset:
                continue
            if len(out) >= n:
                break
            rec = json.loads(line)
            if containing is None or containing in rec["full_text"]:
                out.append(rec)
    return out


# -- a small web site on 127.0.0.1 ---------------------------------------------------------
@dataclass
class Route:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    faults: list[str | int] = field(default_factory=list)  # next answers: 500, 404, "timeout"
    last_modified: str = field(default_factory=lambda: formatdate(usegmt=True))

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


class Site:
    """Routes by path, and a log of every request (path and headers)."""

    def __init__(self, stall: float = 3.0):
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self.stall = stall
        self.lock = threading.Lock()
        self.base = ""

    def url(self, path: str) -> str:
        return self.base + path

    def requests(self, path: str | None = None) -> list[tuple[str, dict[str, str]]]:
        with self.lock:
            return [r for r in self.log if path is None or r[0] == path]

    def add_article(self, path: str, record: dict) -> str:
        """An article page holding a record's text, with the page furniture around it."""
        paras = [p for p in record["full_text"].split("\n\n") if p.strip()
                 and not p.startswith("This story is from") and p != "Facebook Twitter Linkedin Mail"]
        head = " ".join(paras[0].split()[:10])
        body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paras)
        page = (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(head)}</title>"
            f"<meta property='article:published_time' content='{record['date']}T08:00:00+05:30'>"
            "<meta property='og:site_name' content='Example Times'></head><body>"
            "<nav><a href='/'>Home</a> | <a href='/city'>City</a></nav>"
            f"<article><h1>{html.escape(head)}</h1>{body}</article>"
            "<div class='share'>Facebook Twitter Linkedin Mail</div>"
            "<footer>Copyright Example Publisher</footer></body></html>"
        )
        self.routes[path] = Route(page.encode("utf-8"))
        return self.url(path)

    def set_feed(self, path: str, items: list[tuple[str, str]], atom: bool = False) -> str:
        """items: (title, absolute or relative link)."""
        if atom:
            entries = "".join(
                f"<entry><title>{html.escape(t)}</title><link href='{html.escape(u)}'/>"
                f"<id>{html.escape(u)}</id><updated>2002-03-10T08:00:00Z</updated></entry>"
                for t, u in items)
            xml = ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
                   f"<title>Test Atom</title><id>{self.url(path)}</id>"
                   f"<updated>2002-03-10T08:00:00Z</updated>{entries}</feed>")
            ctype = "application/atom+xml"
        else:
            entries = "".join(
                f"<item><title>{html.escape(t)}</title><link>{html.escape(u)}</link>"
                f"<guid>{html.escape(u)}</guid><pubDate>Sun, 10 Mar 2002 08:00:00 GMT</pubDate></item>"
                for t, u in items)
            xml = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
                   f"<title>Test Feed</title><link>{self.url('/')}</link>"
                   f"<description>city news</description>{entries}</channel></rss>")
            ctype = "application/rss+xml"
        old = self.routes.get(path)
        self.routes[path] = Route(xml.encode("utf-8"), ctype,
                                  faults=old.faults if old else [],
                                  last_modified=formatdate(usegmt=True))
        return self.url(path)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        site: Site = self.server.site  # type: ignore[attr-defined]
        with site.lock:
            site.log.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = site.routes.get(self.path)
            fault = route.faults.pop(0) if route and route.faults else None
        if route is None:
            return self._send(404, b"not found", "text/plain")
        if fault == "timeout":
            time.sleep(site.stall)
            return self._send(200, route.body, route.content_type)
        if isinstance(fault, int):
            return self._send(fault, b"server trouble", "text/plain")
        # RFC 9110 13.2.2: If-None-Match, when sent, decides; If-Modified-Since only without
        # it (its one-second resolution misses a feed republished within the same second)
        etag, since = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        if (etag == route.etag) if etag is not None else (since == route.last_modified):
            return self._send(304, b"", None, route)
        return self._send(200, route.body, route.content_type, route)

    def _send(self, status: int, body: bytes, ctype: str | None, route: Route | None = None) -> None:
        try:
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            if route is not None:
                self.send_header("ETag", route.etag)
                self.send_header("Last-Modified", route.last_modified)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def site() -> Iterator[Site]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    s = Site()
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    server.site = s  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield s
    server.shutdown()
    server.server_close()


# -- a Coder that fails once, for the retry tests -------------------------------------------
class FlakyCoder:
    """A Coder whose first batch anywhere fails (one marker file shared by all workers):
    a task that fails once. It codes with the Coder the worker has already loaded for
    ``config`` (no second model per worker), or with ``coder`` when given."""

    def __init__(self, marker: str, config=None, coder=None):
        self.marker = marker
        self.config = config
        self.coder = coder

    def _inner(self):
        if self.coder is None:
            from distributed import get_worker

            from dateline.scale.cluster import CoderPlugin

            plugin = CoderPlugin(self.config)  # the worker's real Coder
            self.coder = get_worker().plugins[plugin.name].get_coder()
        return self.coder

    def code_articles(self, articles):
        try:
            fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return self._inner().code_articles(articles)
        os.close(fd)
        raise RuntimeError("failing once, as asked")


def flaky_factory(marker: str, config):
    return FlakyCoder(marker, config)

