"""`watch` bounds (issue 14): a total deadline per fetch, slow hosts not stalling the others,
retries scheduled from the failure; no fetches of loopback, private, link-local or metadata
addresses (after DNS, on every redirect) unless allowed; unsupported schemes fail for good."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dateline.config import Config
from dateline.store import Store
from dateline.watch import AddressPolicy, Fetcher, FetchError, Watcher, WatchOptions

ARTICLE = ("<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}"
           "</h1><p>Police arrested forty rioters in Ahmedabad on Monday after clashes in the "
           "old city, officials said. {extra}</p><p>The arrests followed two days of unrest in "
           "which shops were burned and several people were injured.</p></article></body></html>")


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        server = self.server
        with server.lock:  # type: ignore[attr-defined]
            server.hits.append(self.path)  # type: ignore[attr-defined]
            server.times.append(time.perf_counter())  # type: ignore[attr-defined]
        route = server.routes.get(self.path)  # type: ignore[attr-defined]
        if route is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        kind, value = route
        try:
            if kind == "redirect":
                self.send_response(302)
                self.send_header("Location", value)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif kind == "drip":  # headers at once, then one byte every `value` seconds
                body = ARTICLE.format(title="Slow", extra="").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for i in range(len(body)):
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(value)
            else:
                body = value.encode()
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def servers():
    started = []

    def make() -> ThreadingHTTPServer:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.routes, server.hits, server.lock = {}, [], threading.Lock()
        server.times = []
        server.port = server.server_address[1]
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.shutdown()
        server.server_close()


def _rss(links: list[str]) -> str:
    items = "".join(f"<item><title>story {i}</title><link>{u}</link><guid>{u}</guid></item>"
                    for i, u in enumerate(links))
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>t"
            f"</title><link>http://example.org/</link><description>d</description>{items}"
            "</channel></rss>")


def _page(n: int) -> tuple[str, str]:
    return ("text/html", ARTICLE.format(title=f"Page {n}", extra=f"Story {n}."))


# -- 7. a total deadline per fetch; slow hosts do not stall the others -------------------------

def test_timeout_is_a_total_deadline_not_per_read(servers):
    s = servers()
    s.routes["/drip"] = ("drip", 0.3)  # ~100 bytes at one every 0.3 s: 30 s in all
    fetcher = Fetcher.open(WatchOptions(timeout=1.0, allow_hosts=("127.0.0.1",)))
    started = time.perf_counter()
    with pytest.raises(FetchError) as info:
        fetcher.get(f"http://127.0.0.1:{s.port}/drip")
    took = time.perf_counter() - started
    fetcher.close()
    assert info.value.timed_out and "timeout" in str(info.value)
    assert took < 2.5, took


def test_a_slow_host_does_not_stall_the_others_and_retries_count_from_the_failure(
        servers, tmp_path):
    slow, fast = servers(), servers()
    for i in range(4):
        slow.routes[f"/s{i}"] = ("drip", 0.3)
    for i in range(2):
        fast.routes[f"/f{i}"] = _page(i)
    slow.routes["/feed.xml"] = ("application/rss+xml",
                                _rss([f"http://127.0.0.1:{slow.port}/s{i}" for i in range(4)]))
    fast.routes["/feed.xml"] = ("application/rss+xml",
                                _rss([f"http://127.0.0.1:{fast.port}/f{i}" for i in range(2)]))
    feeds = [f"http://127.0.0.1:{slow.port}/feed.xml", f"http://127.0.0.1:{fast.port}/feed.xml"]
    opts = WatchOptions(timeout=1.0, host_interval=0.0, retry_base=100, max_attempts=5,
                        allow_hosts=("127.0.0.1",))
    with Store.open(tmp_path / "w.duckdb") as store:
        watcher = Watcher(store, Fetcher.open(opts), None, opts)
        start = datetime.now(UTC)
        t0 = time.perf_counter()
        summary = watcher.cycle(feeds)
        took = time.perf_counter() - t0
        assert summary.articles == 2  # the fast host's pages, while the slow one timed out
        assert summary.fetch_failed == 4
        assert took < 10, took  # not 4 x 100 s of dripping, nor 4 x the timeout
        # the fast host's pages were fetched while the slow host was still dripping
        assert max(fast.times) - t0 < 1.5, [round(x - t0, 2) for x in fast.times]
        rows = dict(((u.rsplit("/", 1)[1], (st, n, nxt)) for u, st, n, nxt in store.con.execute(
            "SELECT url, status, attempts, next_attempt FROM seen_urls").fetchall()))
        assert {k: v[0] for k, v in rows.items()} == {
            "f0": "stored", "f1": "stored", "s0": "retry", "s1": "retry", "s2": "retry",
            "s3": "retry"}
        # two timeouts in a row, then the host's other pages were not tried (not counted)
        assert [rows[f"s{i}"][1] for i in range(4)] == [1, 1, 0, 0]
        # each retry is due a backoff after its failure, not after the cycle's start
        assert rows["s1"][2] - start >= timedelta(seconds=100 + 1.8)
        assert sorted(slow.hits).count("/s2") == 0 and sorted(slow.hits).count("/s3") == 0


# -- 8. no internal fetches ----------------------------------------------------------------------

SECRET = "INTERNAL-SECRET-TOKEN"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:{port}/secret", "http://localhost:{port}/secret",
    "http://[::1]:{port}/secret", "http://0.0.0.0:{port}/secret",
    "http://2130706433:{port}/secret",  # 127.0.0.1 as one number
    "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://192.168.1.1/",
    "http://[fd00:ec2::254]/latest/meta-data/", "http://[::ffff:127.0.0.1]:{port}/secret",
    "http://100.64.0.1/",
])
def test_internal_addresses_are_refused_by_default(servers, url):
    s = servers()
    s.routes["/secret"] = ("text/html", SECRET)
    fetcher = Fetcher.open(WatchOptions(timeout=2.0))
    with pytest.raises(FetchError) as info:
        fetcher.get(url.format(port=s.port))
    fetcher.close()
    assert info.value.permanent and str(info.value).startswith("refused"), str(info.value)
    assert s.hits == []


def test_allowed_hosts_by_name_address_or_network():
    assert AddressPolicy(["localhost"]).targets("localhost", 80) == ["localhost"]
    assert AddressPolicy(["10.0.0.0/8"]).targets("10.1.2.3", 80) == ["10.1.2.3"]
    assert AddressPolicy(["127.0.0.1"]).targets("127.0.0.1", 80) == ["127.0.0.1"]
    cfg = Config.load(env={"DATELINE_WATCH_ALLOW_HOSTS": "feeds.internal,10.0.0.0/8"})
    assert cfg.watch_allow_hosts == ["feeds.internal", "10.0.0.0/8"]


def test_a_feed_cannot_make_the_watcher_fetch_another_internal_host(servers, tmp_path):
    """The feed's host is allowed (by name: localhost); it lists a page on another loopback
    port under 127.0.0.1 (not allowed), a redirect to it, and links with other schemes:
    nothing internal is fetched or stored, and none of them is retried."""
    feed_site, internal = servers(), servers()
    internal.routes["/secret"] = ("text/html", ARTICLE.format(title="Secret", extra=SECRET))
    secret = f"http://127.0.0.1:{internal.port}/secret"
    base = f"http://localhost:{feed_site.port}"
    feed_site.routes["/redir"] = ("redirect", secret)
    feed_site.routes["/ok"] = _page(1)
    links = [secret, f"{base}/redir", "ftp://example.org/story", "javascript:alert(1)",
             "file:///etc/passwd", f"{base}/ok"]
    feed_site.routes["/feed.xml"] = ("application/rss+xml", _rss(links))
    opts = WatchOptions(timeout=2.0, host_interval=0.0, retry_base=10, max_attempts=5,
                        allow_hosts=("localhost",))
    now = [datetime(2024, 5, 1, tzinfo=UTC)]
    with Store.open(tmp_path / "g.duckdb") as store:
        watcher = Watcher(store, Fetcher.open(opts), None, opts, clock=lambda: now[0])
        s1 = watcher.cycle([f"{base}/feed.xml"])
        assert s1.articles == 1  # /ok only
        texts = " ".join(r[0] for r in store.con.execute("SELECT text FROM articles").fetchall())
        assert SECRET not in texts
        assert internal.hits == []  # never even connected to
        status = dict(store.con.execute("SELECT url, status FROM seen_urls").fetchall())
        refused = {u for u, st in status.items() if st == "refused"}
        assert len(refused) == 5, status
        errors = dict(store.con.execute("SELECT url, last_error FROM seen_urls").fetchall())
        assert all(errors[u].startswith("refused") for u in refused), errors
        now[0] += timedelta(days=1)
        feed_site.routes["/feed.xml"] = ("application/rss+xml", _rss(links + [f"{base}/ok"]))
        hits_before = len(feed_site.hits)
        s2 = watcher.cycle([f"{base}/feed.xml"])
        assert s2.fetch_failed == 0  # refused links are not retried
        assert feed_site.hits[hits_before:] == ["/feed.xml"]
        attempts = {r[0] for r in store.con.execute("SELECT attempts FROM seen_urls").fetchall()}
        assert attempts == {1}
