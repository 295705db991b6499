"""Watch feeds and pages: poll, fetch what is new, ingest and code it, never twice.

Every cycle polls each watched URL with a conditional GET (ETag / Last-Modified). An
RSS/Atom answer lists entries: each entry's page not seen before is fetched and read as
an article. Any other answer is a page, read as one article. New articles are coded and
stored in one batch, then ``dedup.update_events`` runs on them.

State lives in the store (tables ``feeds`` and ``seen_urls``, migration 002_watch.sql),
so a restarted watcher sends the same validators, skips the URLs it has met and never
stores an article twice (and ``Store.add_articles`` skips known ids as a last guard).
Errors (HTTP 5xx, timeouts, DNS, unreadable answers) are logged and retried in a later
cycle after a backoff that doubles with each consecutive failure, counted from the failure;
they are never fatal. Requests to one host are spaced by a polite minimum interval.

Bounds (issue 14):

* ``timeout`` is a **total deadline per request** (connecting, TLS, headers, the whole
  body and every redirect), not per read: a server sending a byte every few seconds is cut
  off when it is spent. Different hosts are fetched at the same time (one worker per host,
  ``max_workers`` at once) and a host that timed out twice in a row is not asked again in
  the same cycle (its other URLs wait for the next one), so one slow host cannot stall the
  others.
* **No internal fetches**: every address a host name resolves to is checked before
  connecting, on the first request and on every redirect, and the connection goes to that
  checked address (no second lookup a rebinding DNS server could answer differently).
  Loopback, private, link-local (cloud metadata, 169.254.169.254), shared, multicast,
  reserved and unspecified addresses are refused unless the host is named in
  ``allow_hosts`` (host names, IP addresses or networks: config ``watch_allow_hosts``,
  ``--allow-host``). A link with another scheme than http/https, or to a refused address,
  fails for good at once (status ``refused``) instead of being retried. Proxies from the
  environment are not used (a proxy would connect to the address instead of us).
"""

from __future__ import annotations

import calendar
import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
import httpcore
import httpx

from dateline.ingest.base import ReadContext, clean_line
from dateline.ingest.html import read_html
from dateline.model import Article, ReadError
from dateline.protocols import split_by_language
from dateline.store import AddResult, Store

USER_AGENT = "Dateline/0.1 (+event data)"
LOG = logging.getLogger("dateline.watch")
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")
HOST_TIMEOUTS = 2  # timeouts in a row after which a host is left until the next cycle


@dataclass
class WatchOptions:
    every: float = 900.0  # seconds between the starts of two cycles
    timeout: float = 20.0  # seconds per request, in all (connect, headers, body, redirects)
    host_interval: float = 1.0  # at least this many seconds between requests to one host
    retry_base: float = 60.0  # backoff after the first failure; doubles with each next one
    max_backoff: float = 6 * 3600.0
    max_attempts: int = 5  # fetches of one article URL before giving up on it
    max_entries: int = 200  # entries taken from one feed per cycle
    max_bytes: int = 10_000_000  # larger answers are refused
    user_agent: str = USER_AGENT
    # hosts (names, IP addresses or networks) that may resolve to loopback, private or
    # link-local addresses; every other host must resolve to public addresses only
    allow_hosts: tuple[str, ...] = ()
    max_workers: int = 8  # hosts fetched at the same time


def parse_interval(text: str | float | int) -> float:
    """'15m', '30s', '2h', '1d' or plain seconds -> seconds."""
    if isinstance(text, int | float):
        return float(text)
    s = str(text).strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        if s and s[-1] in units:
            value = float(s[:-1]) * units[s[-1]]
        else:
            value = float(s)
    except ValueError:
        raise ValueError(f"{text!r}: not an interval (use e.g. 30s, 15m, 2h)") from None
    if value <= 0:
        raise ValueError(f"{text!r}: the interval must be positive")
    return value


def canonical_url(url: str) -> str:
    """The URL without fragment and tracking parameters: one article, one key."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(_TRACKING)]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       urlencode(query), ""))


class HostRateLimiter:
    """Spaces requests to the same host by ``interval`` seconds (state on the object)."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._last: dict[str, float] = {}

    def wait(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last.get(host)
        if last is not None:
            delay = last + self.interval - self.clock()
            if delay > 0:
                self.sleep(delay)
        self._last[host] = self.clock()


class AddressRefused(Exception):
    """A host resolved to an address the watcher must not fetch from (see module)."""


def _forbidden(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Loopback, private, link-local, shared, reserved, unspecified or multicast: anything
    but a public unicast address (IPv4 mapped into IPv6 judged as IPv4)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


class AddressPolicy:
    """Which addresses a fetch may connect to: public ones, and any address of a host
    named in ``allow`` (a host name, an IP address, or a network like 10.0.0.0/8)."""

    def __init__(self, allow: Sequence[str] = ()):
        self.names: set[str] = set()
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for item in allow:
            text = item.strip().lower().rstrip(".").strip("[]")
            if not text:
                continue
            try:
                self.networks.append(ipaddress.ip_network(text, strict=False))
            except ValueError:
                self.names.add(text)

    def _allowed_ip(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return not _forbidden(ip) or any(ip in net for net in self.networks
                                         if net.version == ip.version)

    def targets(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for ``host`` (the name itself when it is allowed by
        name); AddressRefused when any address it resolves to is forbidden."""
        name = host.lower().rstrip(".").strip("[]")
        if name in self.names:
            return [host]
        try:
            addresses = [ipaddress.ip_address(name)]
        except ValueError:
            try:
                infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError) as exc:
                raise httpcore.ConnectError(str(exc)) from exc
            addresses = list(dict.fromkeys(ipaddress.ip_address(i[4][0].split("%")[0])
                                           for i in infos))
        for ip in addresses:
            if not self._allowed_ip(ip):
                raise AddressRefused(
                    f"refused: {host} resolves to {ip}, a loopback, private, link-local or "
                    "reserved address (allow the host with watch_allow_hosts / --allow-host)")
        return [str(ip) for ip in addresses]


_LOCAL = threading.local()  # the deadline of the request this thread is making


def _left(timeout: float | None, kind: str) -> float | None:
    """``timeout`` cut to what is left of the current request's deadline."""
    deadline = getattr(_LOCAL, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        error = {"connect": httpcore.ConnectTimeout, "write": httpcore.WriteTimeout}.get(
            kind, httpcore.ReadTimeout)
        raise error("the request's total time limit is spent")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits no longer than the deadline left."""

    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _left(timeout, "read"))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _left(timeout, "write"))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname,
                                                     _left(timeout, "connect")))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Connects only to addresses the policy allows (checked right here, so every redirect
    is checked too), under the request's deadline."""

    def __init__(self, policy: AddressPolicy):
        self.policy = policy
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        failure: Exception | None = None
        for target in self.policy.targets(host, port):
            try:
                return _DeadlineStream(self._inner.connect_tcp(
                    target, port, _left(timeout, "connect"), local_address, socket_options))
            except httpcore.ConnectError as exc:  # the next address, if there is one
                failure = exc
        raise failure or httpcore.ConnectError(f"{host}: no address")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        raise AddressRefused("refused: unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool that uses ``_GuardedBackend``."""

    def __init__(self, policy: AddressPolicy):
        super().__init__()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), max_connections=100,
            max_keepalive_connections=20, keepalive_expiry=5.0,
            network_backend=_GuardedBackend(policy))


@dataclass
class Fetched:
    url: str  # final URL after redirects
    status: int
    headers: httpx.Headers
    content: bytes


class FetchError(Exception):
    """A request that gave no usable answer; ``status`` is None for network errors."""

    def __init__(self, message: str, status: int | None = None, permanent: bool = False,
                 timed_out: bool = False, deferred: bool = False):
        super().__init__(message)
        self.status = status
        self.permanent = permanent  # retrying cannot help (refused address or scheme)
        self.timed_out = timed_out
        self.deferred = deferred  # not tried: its host timed out earlier in the cycle


class Fetcher:
    """GET with a User-Agent, per-host spacing, a size cap and conditional headers."""

    def __init__(self, client: httpx.Client, limiter: HostRateLimiter, max_bytes: int,
                 timeout: float | None = None):
        self.client = client
        self.limiter = limiter
        self.max_bytes = max_bytes
        self.timeout = timeout  # total seconds per request (None: only httpx's per read)

    @classmethod
    def open(cls, options: WatchOptions) -> Fetcher:
        client = httpx.Client(timeout=options.timeout, follow_redirects=True,
                              headers={"User-Agent": options.user_agent},
                              transport=_GuardedTransport(AddressPolicy(options.allow_hosts)))
        return cls(client, HostRateLimiter(options.host_interval), options.max_bytes,
                   options.timeout)

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"refused: unsupported URL scheme {scheme or '(none)'!r}",
                             permanent=True)
        self.limiter.wait(url)
        _LOCAL.deadline = None if self.timeout is None else time.monotonic() + self.timeout
        try:
            with self.client.stream("GET", url, headers=headers) as resp:
                if resp.status_code == 304:
                    return Fetched(str(resp.url), 304, resp.headers, b"")
                if resp.status_code >= 400:
                    raise FetchError(f"HTTP {resp.status_code}", resp.status_code)
                chunks, size = [], 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(f"answer larger than {self.max_bytes} bytes", resp.status_code)
                    chunks.append(chunk)
                return Fetched(str(resp.url), resp.status_code, resp.headers, b"".join(chunks))
        except AddressRefused as exc:
            raise FetchError(str(exc), permanent=True) from exc
        except httpx.UnsupportedProtocol as exc:  # e.g. a redirect to file:// or ftp://
            raise FetchError(f"refused: {exc}", permanent=True) from exc
        except httpx.TimeoutException as exc:
            raise FetchError(f"timeout ({type(exc).__name__}: {exc})", timed_out=True) from exc
        except httpx.HTTPError as exc:  # DNS, refused connection, protocol errors
            raise FetchError(f"{type(exc).__name__}: {exc}") from exc
        finally:
            _LOCAL.deadline = None


@dataclass
class FeedState:
    url: str
    kind: str | None = None
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    next_attempt: datetime | None = None
    last_error: str | None = None


class WatchState:
    """The ``feeds`` and ``seen_urls`` tables of a Store."""

    def __init__(self, store: Store):
        self.con = store.con

    def add_feeds(self, urls: Sequence[str]) -> None:
        for url in urls:
            self.con.execute("INSERT INTO feeds (url) VALUES (?) ON CONFLICT DO NOTHING", [url])

    def feed(self, url: str) -> FeedState:
        row = self.con.execute(
            "SELECT url, kind, title, etag, last_modified, failures, next_attempt, last_error "
            "FROM feeds WHERE url = ?", [url]).fetchone()
        return FeedState(*row) if row else FeedState(url)

    def feed_polled(self, state: FeedState, now: datetime, status: int | None, ok: bool,
                    new_entries: int = 0, stored: int = 0) -> None:
        self.con.execute(
            "UPDATE feeds SET kind = ?, title = ?, etag = ?, last_modified = ?, failures = ?, "
            "next_attempt = ?, last_error = ?, last_checked = ?, last_status = ?, "
            "last_success = CASE WHEN ? THEN ? ELSE last_success END, "
            "entries_seen = entries_seen + ?, articles_stored = articles_stored + ? WHERE url = ?",
            [state.kind, state.title, state.etag, state.last_modified, state.failures,
             state.next_attempt, state.last_error, now, status, ok, now, new_entries, stored,
             state.url])

    def forget_validators(self, urls: Sequence[str]) -> None:
        self.con.execute("UPDATE feeds SET etag = NULL, last_modified = NULL "
                         "WHERE url IN (SELECT unnest(?))", [list(urls)])

    def count_stored(self, feed_url: str, n: int) -> None:
        self.con.execute("UPDATE feeds SET articles_stored = articles_stored + ? WHERE url = ?",
                         [n, feed_url])

    def seen_status(self, urls: Sequence[str]) -> dict[str, tuple[str, int, datetime | None]]:
        if not urls:
            return {}
        rows = self.con.execute(
            "SELECT url, status, attempts, next_attempt FROM seen_urls "
            "WHERE url IN (SELECT unnest(?))", [list(urls)]).fetchall()
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def due_retries(self, feed_url: str, now: datetime) -> list[str]:
        rows = self.con.execute(
            "SELECT url FROM seen_urls WHERE feed_url = ? AND status = 'retry' "
            "AND (next_attempt IS NULL OR next_attempt <= ?) ORDER BY first_seen, url",
            [feed_url, now]).fetchall()
        return [r[0] for r in rows]

    def mark(self, url: str, feed_url: str, status: str, now: datetime,
             article_id: str | None = None, error: str | None = None,
             next_attempt: datetime | None = None, attempt: bool = True) -> None:
        """Record what became of a URL; ``attempt`` False: it was not fetched (deferred),
        so its attempts are not counted up."""
        n = 1 if attempt else 0
        self.con.execute(
            "INSERT INTO seen_urls (url, feed_url, article_id, status, attempts, first_seen, "
            "last_attempt, next_attempt, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (url) DO UPDATE SET article_id = coalesce(excluded.article_id, "
            "seen_urls.article_id), status = excluded.status, "
            "attempts = seen_urls.attempts + ?, "
            "last_attempt = excluded.last_attempt, next_attempt = excluded.next_attempt, "
            "last_error = excluded.last_error",
            [url, feed_url, article_id, status, n, now, now, next_attempt, error, n])


@dataclass
class CycleSummary:
    cycle: int
    started: str
    polled: int = 0
    not_modified: int = 0
    skipped: int = 0  # waiting out a backoff
    failed: int = 0  # feeds/pages whose poll failed
    new_urls: int = 0
    fetch_failed: int = 0  # article pages that failed (retried later)
    articles: int = 0  # new articles stored
    duplicates: int = 0
    mentions: int = 0
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Pending:
    url: str
    feed_url: str
    article: Article


class Watcher:
    """Polls URLs into a Store. ``coder`` None stores articles uncoded."""

    def __init__(self, store: Store, fetcher: Fetcher, coder: Any = None,
                 options: WatchOptions | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 update_events: Callable[..., Any] | None = None,
                 read_context: ReadContext | None = None):
        self.store = store
        self.state = WatchState(store)
        self.fetcher = fetcher
        self.coder = coder
        self.options = options or WatchOptions()
        self.clock = clock
        self.update_events = update_events
        self.read_context = read_context or ReadContext.create()
        self.cycles = 0
        self._unassigned: list[str] = []  # stored articles whose events failed to update

    # -- one cycle ----------------------------------------------------------------------
    def cycle(self, urls: Sequence[str]) -> CycleSummary:
        """Poll every URL (hosts at the same time), fetch the new and due article pages
        (likewise), read them, then code and store what is new in one batch."""
        now = self.clock()
        self.cycles += 1
        summary = CycleSummary(self.cycles, now.isoformat())
        feeds = list(dict.fromkeys(u.strip() for u in urls if u.strip()))
        self.state.add_feeds(feeds)
        states: dict[str, FeedState] = {}
        polls = []
        for url in feeds:
            state = states[url] = self.state.feed(url)
            if state.next_attempt is not None and now < state.next_attempt:
                summary.skipped += 1
            else:
                summary.polled += 1
                polls.append((url, state.etag, state.last_modified))
        answers = self._fetch_many(polls)
        pending: list[_Pending] = []
        todo: dict[str, tuple[str, Any]] = {}  # article URL -> (feed URL, feed entry)
        for url in feeds:
            try:
                pending.extend(self._answer(url, states[url], answers.get(url), now, summary,
                                            todo))
            except Exception as exc:  # never fatal: log, count, go on with the next feed
                LOG.exception("watch: %s: unexpected error", url)
                summary.errors.append(f"{url}: {type(exc).__name__}: {exc}")
                summary.failed += 1
        pages = self._fetch_many([(u, None, None) for u in todo])
        for url, (feed_url, entry) in todo.items():
            result, at = pages[url]
            try:
                if isinstance(result, FetchError):
                    self._fetch_failed(url, feed_url, result, at, summary)
                else:
                    pending.extend(self._read_page(url, feed_url, result, entry, now, summary))
            except Exception as exc:
                LOG.exception("watch: %s: unexpected error", url)
                summary.errors.append(f"{url}: {type(exc).__name__}: {exc}")
        if pending:
            self._store(pending, now, summary)
        return summary

    def _backoff(self, failures: int) -> timedelta:
        o = self.options
        return timedelta(seconds=min(o.retry_base * 2 ** max(0, failures - 1), o.max_backoff))

    # -- fetching, hosts at the same time -------------------------------------------------
    def _fetch_many(self, requests: Sequence[tuple[str, str | None, str | None]]
                    ) -> dict[str, tuple[Fetched | FetchError, datetime]]:
        """(url, etag, last_modified) -> (answer or FetchError, when it came). One worker
        per host (requests to one host stay in order and spaced), up to ``max_workers``
        hosts at once; after HOST_TIMEOUTS timeouts in a row the host's other URLs are not
        tried this cycle (they are due again after the backoff)."""
        by_host: dict[str, list[tuple[str, str | None, str | None]]] = {}
        for req in requests:
            by_host.setdefault(urlsplit(req[0]).netloc.lower(), []).append(req)
        out: dict[str, tuple[Fetched | FetchError, datetime]] = {}

        def host_worker(host: str) -> None:
            timeouts = 0  # in a row
            for url, etag, last_modified in by_host[host]:
                if timeouts >= HOST_TIMEOUTS:
                    out[url] = (FetchError(f"not tried: {host} timed out {timeouts} times in "
                                           "a row in this cycle", deferred=True), self.clock())
                    continue
                try:
                    out[url] = (self.fetcher.get(url, etag, last_modified), self.clock())
                    timeouts = 0
                except FetchError as exc:
                    out[url] = (exc, self.clock())
                    timeouts = timeouts + 1 if exc.timed_out else 0
                except Exception as exc:
                    LOG.exception("watch: %s: unexpected error while fetching", url)
                    out[url] = (FetchError(f"{type(exc).__name__}: {exc}"), self.clock())

        hosts = list(by_host)
        workers = max(1, min(self.options.max_workers, len(hosts)))
        if workers == 1:
            for host in hosts:
                host_worker(host)
        else:
            with ThreadPoolExecutor(workers, thread_name_prefix="dateline-watch") as pool:
                list(pool.map(host_worker, hosts))
        return out

    # -- one polled URL ---------------------------------------------------------------------
    def _answer(self, url: str, state: FeedState,
                answer: tuple[Fetched | FetchError, datetime] | None, now: datetime,
                summary: CycleSummary, todo: dict[str, tuple[str, Any]]) -> list[_Pending]:
        """Handle the answer to one polled URL (None: not polled, in backoff): article URLs
        to fetch go into ``todo``; a page is read at once."""
        if answer is None:
            if state.kind == "feed":
                self._queue(self._due(url, now), url, {}, todo)
            return []
        resp, at = answer
        if isinstance(resp, FetchError):
            state.failures += 1
            state.next_attempt = at + self._backoff(state.failures)  # from the failure
            state.last_error = str(resp)
            self.state.feed_polled(state, now, resp.status, ok=False)
            LOG.warning("watch: %s: %s (failure %d, next try after %s)", url, resp,
                        state.failures, state.next_attempt.isoformat(timespec="seconds"))
            summary.failed += 1
            summary.errors.append(f"{url}: {resp}")
            if state.kind == "feed":
                self._queue(self._due(url, now), url, {}, todo)
            return []
        state.failures, state.next_attempt, state.last_error = 0, None, None
        if resp.status == 304:
            summary.not_modified += 1
            self.state.feed_polled(state, now, 304, ok=True)
            if state.kind == "feed":
                self._queue(self._due(url, now), url, {}, todo)
            return []
        state.etag = resp.headers.get("etag")
        state.last_modified = resp.headers.get("last-modified")
        parsed = _parse_feed(resp)
        if parsed is not None:
            state.kind = "feed"
            state.title = parsed.feed.get("title") or state.title
            links = self._entry_links(parsed, resp.url)
            known = self.state.seen_status(list(links))
            new = [u for u in links if u not in known]
            summary.new_urls += len(new)
            self.state.feed_polled(state, now, resp.status, ok=True, new_entries=len(new))
            due = set(self._due(url, now))
            self._queue(new + [u for u in links if u in due] + sorted(due - set(links)), url,
                        links, todo)
            return []
        state.kind = "page"
        self.state.feed_polled(state, now, resp.status, ok=True)
        page = canonical_url(url)
        return self._read_page(page, url, resp, None, now, summary)

    @staticmethod
    def _queue(urls: Sequence[str], feed_url: str, entries: dict[str, Any],
               todo: dict[str, tuple[str, Any]]) -> None:
        for u in urls:
            todo.setdefault(u, (feed_url, entries.get(u)))

    def _due(self, feed_url: str, now: datetime) -> list[str]:
        return self.state.due_retries(feed_url, now)

    def _entry_links(self, parsed: Any, base: str) -> dict[str, Any]:
        links: dict[str, Any] = {}
        for entry in parsed.entries[: self.options.max_entries]:
            link = entry.get("link") or next(
                (ln.get("href") for ln in entry.get("links", []) if ln.get("href")), None)
            if link:
                links.setdefault(canonical_url(urljoin(base, link)), entry)
        return links

    def _fetch_failed(self, url: str, feed_url: str, exc: FetchError, at: datetime,
                      summary: CycleSummary) -> None:
        """Record a failed page fetch; its retry is scheduled from ``at``, the failure."""
        before = self.state.seen_status([url]).get(url, ("", 0, None))[1]
        attempts = before + (0 if exc.deferred else 1)
        gone = exc.permanent or exc.status in (404, 410) or attempts >= self.options.max_attempts
        status = ("refused" if exc.permanent else "gone" if exc.status in (404, 410)
                  else "failed" if gone else "retry")
        nxt = None if gone else at + self._backoff(max(1, attempts))
        self.state.mark(url, feed_url, status, at, error=str(exc), next_attempt=nxt,
                        attempt=not exc.deferred)
        summary.fetch_failed += 1
        summary.errors.append(f"{url}: {exc}")
        LOG.warning("watch: %s: %s (%s)", url, exc, "giving up" if gone else "will retry")

    def _read_page(self, url: str, feed_url: str, resp: Fetched, entry: Any, now: datetime,
                   summary: CycleSummary) -> list[_Pending]:
        try:
            article = page_article(resp, self.read_context, entry)
        except Exception as exc:  # noqa: BLE001  an unreadable page is that page's problem only
            self.state.mark(url, feed_url, "failed", now, error=f"{type(exc).__name__}: {exc}")
            summary.errors.append(f"{url}: unreadable: {exc}")
            LOG.warning("watch: %s: unreadable page: %s", url, exc)
            return []
        if isinstance(article, ReadError):
            self.state.mark(url, feed_url, "empty", now, error=article.reason)
            LOG.info("watch: %s: %s", url, article.reason)
            return []
        return [_Pending(url, feed_url, article)]

    # -- storing ------------------------------------------------------------------------
    def _store(self, pending: list[_Pending], now: datetime, summary: CycleSummary) -> None:
        try:
            result = self._code_and_add([p.article for p in pending])
        except Exception as exc:  # coding or storing failed: fetch these pages again later
            LOG.exception("watch: coding/storing %d articles failed; retried next cycle",
                          len(pending))
            summary.errors.append(f"storing failed: {type(exc).__name__}: {exc}")
            self._requeue(pending, now, f"{type(exc).__name__}: {exc}")
            return
        new_ids = set(result.new_ids or [])
        summary.articles += len(new_ids)
        summary.mentions += result.mentions
        per_feed: dict[str, int] = {}
        for p in pending:
            stored = p.article.id in new_ids
            new_ids.discard(p.article.id)  # a second URL of the same article is a duplicate
            if stored:
                per_feed[p.feed_url] = per_feed.get(p.feed_url, 0) + 1
            else:
                summary.duplicates += 1
            self.state.mark(p.url, p.feed_url, "stored" if stored else "duplicate", now,
                            article_id=p.article.id)
        for feed_url, n in per_feed.items():
            self.state.count_stored(feed_url, n)
        self._events(list(result.new_ids or []), summary)

    def _code_and_add(self, articles: list[Article]) -> AddResult:
        present = self.store.existing_ids([a.id for a in articles])
        fresh = list({a.id: a for a in articles if a.id not in present}.values())
        if not fresh:
            return AddResult(new_ids=[])
        if self.coder is not None:  # articles in other languages are stored uncoded
            readable, other = split_by_language(self.coder, fresh)
            items = [(a, None) for a in other] + list(self.coder.code_articles(readable))
        else:
            items = [(a, None) for a in fresh]
        return self.store.add_articles(items)

    def _requeue(self, pending: list[_Pending], now: datetime, error: str) -> None:
        """Pages read but not stored: due again after a backoff, and their feeds are asked
        for in full next time (not 304), so nothing read is lost."""
        for p in pending:
            attempts = self.state.seen_status([p.url]).get(p.url, ("", 0, None))[1] + 1
            self.state.mark(p.url, p.feed_url, "retry", now, error=error,
                            next_attempt=now + self._backoff(attempts))
        self.state.forget_validators(sorted({p.feed_url for p in pending}))

    def _events(self, article_ids: list[str], summary: CycleSummary) -> None:
        """Events for the new articles (and for any a failed earlier call left out)."""
        ids = self._unassigned + article_ids
        if not ids:
            return
        update = self.update_events
        if update is None:
            from dateline.dedup import update_events

            update = update_events
        try:
            update(self.store, article_ids=ids)
            self._unassigned = []
        except Exception as exc:  # the articles are stored; their events come next cycle
            LOG.exception("watch: dedup failed; retried next cycle")
            summary.errors.append(f"dedup failed: {type(exc).__name__}: {exc}")
            self._unassigned = ids

    # -- the loop -----------------------------------------------------------------------
    def run(self, urls: Sequence[str], once: bool = False, max_cycles: int | None = None,
            sleep: Callable[[float], None] = time.sleep) -> Iterator[CycleSummary]:
        """Cycles every ``options.every`` seconds; yields each cycle's summary."""
        while True:
            started = time.monotonic()
            yield self.cycle(urls)
            if once or (max_cycles is not None and self.cycles >= max_cycles):
                return
            sleep(max(0.0, self.options.every - (time.monotonic() - started)))


def _parse_feed(resp: Fetched) -> Any:
    """The feedparser result when the answer is RSS/Atom, else None."""
    ctype = resp.headers.get("content-type", "").lower()
    head = resp.content[:2048].lstrip().lower()
    if "html" in ctype and not head.startswith(b"<?xml") and b"<rss" not in head:
        return None
    parsed = feedparser.parse(resp.content, response_headers={"content-location": resp.url})
    if parsed.get("version") and (parsed.entries or parsed.feed.get("title")):
        return parsed
    return None


def _entry_published(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key) if entry is not None else None
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, TypeError, OSError):
                continue
    return None


def page_article(resp: Fetched, ctx: ReadContext, entry: Any = None) -> Article | ReadError:
    """One fetched page read as an article by the HTML reader of ``dateline.ingest`` (the
    page URL is its origin); the feed entry gives a date or headline the page lacks."""
    for item in read_html(resp.content, path=resp.url, ctx=ctx, url=resp.url,
                          fallback_published=_entry_published(entry)):
        if isinstance(item, Article) and not item.headline and entry is not None:
            item.headline = clean_line(entry.get("title"))
        return item
    return ReadError(resp.url, "no article text found in HTML")
