"""uvicorn's httptools protocol with a cap on the request head (``dateline serve`` uses it).

httptools puts no limit on a request's URL or headers: it keeps appending a header value
until the line ends, so one 10 MB header was read whole and answered 200. This subclass
counts the head and refuses a request once it is over ``max_header_bytes`` (default 64 KiB):

* exactly, in the parser callbacks: the URL (``on_url``, also called with partial URLs) and
  every complete header line (``on_header``: name + value + 4 bytes for ``": "`` and CRLF);
* roughly, in ``data_received``: every chunk received while the head is open, except the
  chunk the request starts in, since the parser does not say where in that chunk it begins.
  This catches a single huge header (or header name) before its line ends, so at most the
  cap plus one read (256 KiB) is ever held.

Over the cap the answer is 431 (Request Header Fields Too Large), or 414 (URI Too Long) when
the URL alone is over it, with a short JSON body (``{"status", "error", "detail"}`` like the
API's own errors) and ``connection: close``. The socket is then half-closed and what the
client still sends is read and dropped for a few seconds (a lingering close): closing with
unread data would make the kernel send a reset, and the client could lose the answer. If an
earlier pipelined request on the connection is still being answered, the refusal waits for
it, so answers stay in order.

Two more bounds (issue 14), so silent or slow clients cannot hold the server:

* a **header timeout** (``header_timeout``, default 10 s): from a connection's opening, or
  the end of its previous answer, the next request's head must be complete within it. A
  connection that sent nothing is closed; one that sent part of a head (a header line every
  few seconds, "slowloris") is answered 408 and closed. Idle keep-alive connections are
  closed by uvicorn's ``timeout_keep_alive`` (``dateline serve``: config
  ``keepalive_timeout``, default 5 s) before that.
* a **connection cap** (``max_connections``): when a new connection would go over it, the
  connections that have no request in progress (silent, mid-head, or idle between requests)
  are closed, the longest idle first; when none is idle the new connection is closed. So a
  flood of silent connections cannot use up the process's file descriptors, and a real
  client (``/health``) still gets in.

``HeaderCappedProtocol.with_limit(n, header_timeout=…, max_connections=…)`` gives a subclass
with other bounds; pass it to uvicorn as ``http=``
(``uvicorn.run(app, http=HeaderCappedProtocol.with_limit(n))``).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

DEFAULT_MAX_HEADER_BYTES = 64 * 1024
DEFAULT_HEADER_TIMEOUT = 10.0
LINGER_SECONDS = 5.0  # how long a refused connection keeps reading (and dropping) input


class _HeadTooLarge(Exception):
    """Raised from a parser callback to stop parsing; the protocol keeps the reason."""


class HeaderCappedProtocol(HttpToolsProtocol):
    """``HttpToolsProtocol`` refusing a request head over ``max_header_bytes`` (see module)."""

    max_header_bytes: int = DEFAULT_MAX_HEADER_BYTES
    header_timeout: float | None = DEFAULT_HEADER_TIMEOUT
    max_connections: int | None = None

    @classmethod
    def with_limit(cls, max_header_bytes: int, header_timeout: float | None = None,
                   max_connections: int | None = None) -> type[HeaderCappedProtocol]:
        """A subclass whose cap is ``max_header_bytes`` (at least 1), with a header timeout
        (seconds; None: the default) and a connection cap (None: none)."""
        if max_header_bytes < 1:
            raise ValueError(f"max_header_bytes must be at least 1, got {max_header_bytes}")
        if header_timeout is not None and header_timeout <= 0:
            raise ValueError(f"header_timeout must be positive, got {header_timeout}")
        if max_connections is not None and max_connections < 1:
            raise ValueError(f"max_connections must be at least 1, got {max_connections}")
        return type(cls.__name__, (cls,), {
            "max_header_bytes": int(max_header_bytes),
            "header_timeout": cls.header_timeout if header_timeout is None
            else float(header_timeout),
            "max_connections": max_connections})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = False  # between on_message_begin and on_headers_complete
        self._url_bytes = 0
        self._head_bytes = 0  # URL + header lines, counted exactly from the callbacks
        self._unparsed_bytes = 0  # whole chunks received while the head stayed open
        self._refusal: int | None = None  # 414 or 431 once the head is over the cap
        self._refused = False  # the refusal is written (or waits for an earlier answer)
        self._linger: asyncio.TimerHandle | None = None
        self._head_timer: asyncio.TimerHandle | None = None
        self._idle_since = 0.0  # loop time of the last answer (or the connection's start)

    # -- header timeout and connection cap -------------------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._idle_since = self.loop.time()
        self._arm_head_timer()
        if self.max_connections is not None:
            self._enforce_cap()

    def _busy(self) -> bool:
        """A request is being answered (its head is complete, its answer is not)."""
        return self.cycle is not None and not self.cycle.response_complete

    def _enforce_cap(self) -> None:
        open_ = [c for c in self.server_state.connections
                 if isinstance(c, HeaderCappedProtocol) and c.transport is not None
                 and not c.transport.is_closing()]
        excess = len(open_) - (self.max_connections or len(open_))
        if excess <= 0:
            return
        idle = sorted((c for c in open_ if c is not self and not c._busy()),
                      key=lambda c: c._idle_since)
        for victim in idle[:excess]:
            victim._close("over the connection cap: closed the longest idle connection")
        if excess > len(idle):
            self._close("over the connection cap and no idle connection to close")

    def _close(self, why: str) -> None:
        self.logger.debug("Closing a connection: %s.", why)
        self._cancel_head_timer()
        self.transport.close()

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        if self.header_timeout is not None:
            self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or self._refused or (self._busy() and not self._in_head):
            return
        if self._in_head:  # part of a head came: say why before closing
            self.logger.warning("Request head not complete within %.0f s: answered 408.",
                                self.header_timeout)
            self._refuse(408)
        else:  # nothing since the connection opened or the last answer
            self._close("no request within the header timeout")

    # -- counting -------------------------------------------------------------------------
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._url_bytes = self._head_bytes = self._unparsed_bytes = 0

    def on_url(self, url: bytes) -> None:
        self._url_bytes += len(url)
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._cancel_head_timer()
        super().on_headers_complete()

    def _count(self, n: int) -> None:
        self._head_bytes += n
        if self._head_bytes > self.max_header_bytes:
            self._refusal = 414 if self._url_bytes > self.max_header_bytes else 431
            raise _HeadTooLarge

    # -- the parser loop ------------------------------------------------------------------
    def data_received(self, data: bytes) -> None:
        """As uvicorn's, plus the cap; input after a refusal is dropped."""
        if self._refused:
            return
        head_was_open = self._in_head
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            if self._refusal is not None:  # raised by _count in a callback
                self._refuse(self._refusal)
                return
            msg = "Invalid HTTP request received."
            self.logger.warning(msg)
            self.send_400_response(msg)
            return
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        if self._refusal is not None:  # a callback raised but the parser went on (never seen)
            self._refuse(self._refusal)
        elif head_was_open and self._in_head:  # all of this chunk is head, not yet counted
            self._unparsed_bytes += len(data)
            if self._unparsed_bytes > self.max_header_bytes:
                self._refuse(431)

    # -- refusing -------------------------------------------------------------------------
    def _refuse(self, status: int) -> None:
        self._refusal, self._refused = status, True
        self._cancel_head_timer()
        if status != 408:
            self.logger.warning("Request head over %d bytes: answered %d.",
                                self.max_header_bytes, status)
        if self.cycle is not None and not self.cycle.response_complete:
            return  # earlier pipelined requests are being answered: on_response_complete
        self._send_refusal()

    def on_response_complete(self) -> None:
        if not self._refused:
            super().on_response_complete()
            self._idle_since = self.loop.time()
            if not self.transport.is_closing():
                self._arm_head_timer()  # the next head (keep-alive) has as long again
            return
        self.server_state.total_requests += 1
        if self.transport.is_closing():
            return
        if self.pipeline:  # requests sent before the refused one go first
            cycle, app = self.pipeline.pop()
            self._start_asgi_task(cycle, app)
        else:
            self._send_refusal()

    def _send_refusal(self) -> None:
        status = self._refusal or 431
        if status == 414:
            error, detail = "uri_too_long", f"request URL over {self.max_header_bytes} bytes"
        elif status == 408:
            error, detail = ("request_timeout", "request head not complete within "
                             f"{self.header_timeout:g} s")
        else:
            error, detail = ("headers_too_large",
                             f"request headers over {self.max_header_bytes} bytes")
        body = json.dumps({"status": status, "error": error, "detail": detail}).encode()
        content = [STATUS_LINE[status]]
        for name, value in self.server_state.default_headers:
            content.extend([name, b": ", value, b"\r\n"])
        content.extend([b"content-type: application/json\r\n",
                        b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
                        b"connection: close\r\n", b"\r\n", body])
        self._unset_keepalive_if_required()
        self.transport.write(b"".join(content))
        if not self.transport.can_write_eof():  # e.g. TLS: no half-close, plain close
            self.transport.close()
            return
        self.transport.write_eof()  # the answer, then FIN; keep reading until the client
        self.flow.resume_reading()  # closes too (eof_received closes) or the linger ends
        self._linger = self.loop.call_later(LINGER_SECONDS, self.transport.close)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        if self._linger is not None:
            self._linger.cancel()
            self._linger = None
        super().connection_lost(exc)


FD_RESERVE = 64  # descriptors kept for the store, logs, the listening socket and accept()


def connection_cap(configured: int) -> int:
    """``configured``, lowered to fit the process's file-descriptor limit (each connection
    is one descriptor; FD_RESERVE are kept for everything else)."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):
        return configured
    if soft == resource.RLIM_INFINITY:
        return configured
    return max(1, min(configured, soft - FD_RESERVE))
