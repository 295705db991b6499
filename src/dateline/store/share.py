"""One DuckDB store file, many Dateline processes on one machine.

DuckDB lets one process at a time open a database file for writing, and no other process
may even read it meanwhile ("Could not set lock on file … Conflicting lock is held"). So
the first Dateline process that opens a store *hosts* it: it holds the file and serves it
to the others on a Unix socket, where each client session is a DuckDB cursor of the host's
database (DuckDB's own MVCC keeps sessions apart: a reader sees committed data, a
transaction is all or nothing). Every other process -- ``serve``, ``watch``, ``ingest``, the
CLI readers -- connects to the socket and runs the same SQL there; ``SharedConnection``
offers the DuckDB connection calls Dateline makes, so the code above does not know which
side it is on.

Writers take the store's write lock (``lock``): one writer at a time across every process,
so two writers never meet in a DuckDB write-write conflict, and article ids are checked and
inserted atomically.

Hand-over. A host that closes the store (a CLI command ending) first lets every session
finish the transaction or result it is in (up to ``wait`` seconds), then answers "moved"
and lets go of the file; the sessions' next statement reattaches: to the process that
opened the file next, or the session's own process opens it and hosts from then on. A
killed host leaves a stale socket: the next process finds the file free and takes over.

A process that holds the file without sharing it (DuckDB's CLI, another program) cannot be
reached: ``StoreBusy`` says so in one line, with the way out.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import pickle
import re
import socket
import struct
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb

DEFAULT_WAIT = 120.0
FIRST_ROWS = 5000
_HEADER = struct.Struct("!Q")
_HOSTS: dict[str, Host] = {}
_HOSTS_LOCK = threading.RLock()
WRITE_LOCK = "write"


class StoreBusy(RuntimeError):
    """The store cannot be had: held by a program that does not share it, or busy past the
    wait."""


# -- wire --------------------------------------------------------------------------------
def _send(sock: socket.socket, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_HEADER.pack(len(data)) + data)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    parts, got = [], 0
    while got < n:
        chunk = sock.recv(min(n - got, 1 << 20))
        if not chunk:
            raise ConnectionResetError("store host closed the connection")
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def _recv(sock: socket.socket) -> Any:
    (n,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size))
    return pickle.loads(_recv_exact(sock, n))


def socket_path(path: str) -> str:
    """Where the host of the store file ``path`` listens: a per-user private folder."""
    real = os.path.realpath(path)
    folder = os.path.join(tempfile.gettempdir(), f"dateline-{os.getuid()}")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    digest = hashlib.sha1(real.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return os.path.join(folder, f"{digest}.sock")


def _error_reply(exc: BaseException) -> tuple:
    return ("error", type(exc).__name__, str(exc))


def _raise(name: str, message: str) -> None:
    cls = getattr(duckdb, name, None)
    if not (isinstance(cls, type) and issubclass(cls, Exception)):
        import builtins

        cls = getattr(builtins, name, None)
        if not (isinstance(cls, type) and issubclass(cls, Exception)):
            cls = StoreBusy if name == "StoreBusy" else duckdb.Error
    raise cls(message)


def _statement_kind(sql: str) -> str:
    m = re.match(r"\s*(\w+)", sql)
    return m.group(1).upper() if m else ""


# -- locks -------------------------------------------------------------------------------
class LockTable:
    """Named, re-entrant locks owned by a session (not a thread), released with it."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._held: dict[str, tuple[object, int]] = {}

    def acquire(self, name: str, owner: object, wait: float) -> None:
        deadline = time.monotonic() + wait
        with self._cond:
            while True:
                holder = self._held.get(name)
                if holder is None or holder[0] is owner:
                    self._held[name] = (owner, (holder[1] if holder else 0) + 1)
                    return
                left = deadline - time.monotonic()
                if left <= 0:
                    raise StoreBusy(
                        f"store busy: another writer has held the store for over {wait:.0f} s "
                        "(raise store_wait in the config to wait longer)")
                self._cond.wait(min(left, 1.0))

    def release(self, name: str, owner: object) -> None:
        with self._cond:
            holder = self._held.get(name)
            if holder is None or holder[0] is not owner:
                return
            if holder[1] > 1:
                self._held[name] = (owner, holder[1] - 1)
            else:
                del self._held[name]
                self._cond.notify_all()

    def release_all(self, owner: object) -> None:
        with self._cond:
            for name in [n for n, (o, _) in self._held.items() if o is owner]:
                del self._held[name]
            self._cond.notify_all()

    def holds(self, owner: object) -> bool:
        with self._cond:
            return any(o is owner for o, _ in self._held.values())


# -- the host ----------------------------------------------------------------------------
class _Session:
    """One client's cursor on the host."""

    def __init__(self, host: Host, sock: socket.socket):
        self.host = host
        self.sock = sock
        self.cur = host.con.cursor()
        self.in_tx = False
        self.pending = False
        self.reader: Any = None
        self.views: set[str] = set()
        self.busy = False

    @property
    def idle(self) -> bool:
        return not (self.in_tx or self.pending or self.reader is not None or self.busy
                    or self.host.locks.holds(self))

    def rows(self, n: int | None) -> tuple[list, bool]:
        rows = self.cur.fetchall() if n is None else self.cur.fetchmany(n)
        self.pending = n is not None and len(rows) == n
        return rows, self.pending

    def handle(self, msg: tuple) -> tuple:
        op = msg[0]
        if op == "exec":
            _, sql, params, first = msg
            kind = _statement_kind(sql)
            self.reader = None
            self.cur.execute(sql, params)
            if kind in ("BEGIN", "START"):
                self.in_tx = True
            elif kind in ("COMMIT", "ROLLBACK", "END", "ABORT"):
                self.in_tx = False
            desc = self.cur.description
            if desc is not None:  # DuckDB's type objects do not pickle: their names do
                desc = [(d[0], str(d[1]), *d[2:]) for d in desc]
            if desc is None:
                self.pending = False
                return ("ok", None, [], False)
            rows, more = self.rows(first)
            return ("ok", desc, rows, more)
        if op == "fetch":
            if not self.pending:
                return ("ok", None, [], False)
            rows, more = self.rows(msg[1])
            return ("ok", None, rows, more)
        if op == "many":
            self.cur.executemany(msg[1], msg[2])
            self.pending = False
            return ("ok", None, [], False)
        if op == "register":
            self.cur.register(msg[1], msg[2])
            self.views.add(msg[1])
            return ("ok",)
        if op == "unregister":
            self.cur.unregister(msg[1])
            self.views.discard(msg[1])
            return ("ok",)
        if op == "arrow":
            _, sql, params, batch = msg
            self.reader = self.cur.sql(sql, params=params).to_arrow_reader(batch)
            return ("ok", self.reader.schema)
        if op == "next":
            if self.reader is None:
                return ("ok", None)
            try:
                return ("ok", self.reader.read_next_batch())
            except StopIteration:
                self.reader = None
                return ("ok", None)
        if op == "lock":
            self.host.locks.acquire(msg[1], self, msg[2])
            return ("ok",)
        if op == "unlock":
            self.host.locks.release(msg[1], self)
            return ("ok",)
        raise ValueError(f"unknown request {op!r}")

    def run(self) -> None:
        try:
            while True:
                try:
                    msg = _recv(self.sock)
                except (OSError, EOFError, pickle.UnpicklingError):
                    return
                if msg[0] == "close":
                    return
                if self.host.draining and self.idle:
                    _send(self.sock, ("moved",))
                    return
                self.busy = True
                try:
                    reply = self.handle(msg)
                except Exception as exc:  # noqa: BLE001  sent to the client, raised there
                    reply = _error_reply(exc)
                finally:
                    self.busy = False
                try:
                    _send(self.sock, reply)
                except OSError:
                    return
                except Exception as exc:  # noqa: BLE001  a value that does not pickle
                    try:
                        _send(self.sock, _error_reply(exc))
                    except OSError:
                        return
        finally:
            self.finish()

    def finish(self) -> None:
        self.host.locks.release_all(self)
        if self.in_tx:
            try:
                self.cur.execute("ROLLBACK")
            except duckdb.Error:
                pass
        try:
            self.cur.close()
        except duckdb.Error:
            pass
        try:
            self.sock.close()
        except OSError:
            pass
        self.host.forget(self)


class Host:
    """The DuckDB database this process opened, and the socket it serves it on."""

    def __init__(self, real: str, con: duckdb.DuckDBPyConnection, sock_path: str):
        self.real = real
        self.con = con
        self.sock_path = sock_path
        self.users = 0
        self.locks = LockTable()
        self.sessions: set[_Session] = set()
        self.draining = False
        self._lock = threading.Lock()
        self.listener = self._listen()
        self.thread = threading.Thread(target=self._accept, name="dateline-store-host",
                                       daemon=True)
        self.thread.start()

    def _listen(self) -> socket.socket:
        try:
            os.unlink(self.sock_path)  # a stale one: its host is gone, we hold the file
        except FileNotFoundError:
            pass
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            sock.bind(self.sock_path)
        finally:
            os.umask(old)
        sock.listen(64)
        self.sock_ino = os.stat(self.sock_path).st_ino
        return sock

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            if not _same_user(conn):
                conn.close()
                continue
            try:
                _send(conn, ("moved",) if self.draining else ("hello", os.getpid()))
            except OSError:
                conn.close()
                continue
            if self.draining:
                conn.close()
                continue
            session = _Session(self, conn)
            with self._lock:
                self.sessions.add(session)
            threading.Thread(target=session.run, name="dateline-store-session",
                             daemon=True).start()

    def forget(self, session: _Session) -> None:
        with self._lock:
            self.sessions.discard(session)

    def close(self, wait: float) -> None:
        """Let the sessions finish what they are in (up to ``wait`` s), then let go."""
        self.draining = True
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            with self._lock:
                if all(s.idle for s in self.sessions):
                    break
            time.sleep(0.01)
        try:
            self.listener.close()
        except OSError:
            pass
        try:  # only our own: a new host of the same file may have bound it meanwhile
            if os.stat(self.sock_path).st_ino == self.sock_ino:
                os.unlink(self.sock_path)
        except OSError:
            pass
        with self._lock:
            sessions = list(self.sessions)
        for s in sessions:
            try:
                s.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for s in sessions:  # their threads end at once: nothing more arrives
            for _ in range(200):
                if s not in self.sessions:
                    break
                time.sleep(0.005)
        try:
            self.con.close()
        except duckdb.Error:
            pass


def _same_user(conn: socket.socket) -> bool:
    try:
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        _, uid, _ = struct.unpack("3i", creds)
    except (OSError, AttributeError):
        return True
    return uid in (os.getuid(), 0)


def _close_in_child() -> None:
    """A forked child (reader processes) must not keep the host's sockets open."""
    for host in list(_HOSTS.values()):
        try:
            host.listener.close()
        except OSError:
            pass
        for s in list(host.sessions):
            try:
                s.sock.close()
            except OSError:
                pass
    _HOSTS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


@atexit.register
def _close_hosts() -> None:
    for real in list(_HOSTS):
        host = _HOSTS.pop(real, None)
        if host is not None:
            host.close(wait=10.0)


# -- opening -----------------------------------------------------------------------------
def _lock_holder(exc: BaseException) -> str:
    m = re.search(r"PID (\d+)", str(exc))
    return f" (PID {m.group(1)})" if m else ""


def _is_lock_error(exc: BaseException) -> bool:
    text = str(exc)
    return "lock" in text.lower() and ("Conflicting" in text or "Could not set lock" in text)


CREATING_SECONDS = 5.0  # a new store file younger than this may still be being written


def _being_created(path: str, exc: BaseException) -> bool:
    """Whether DuckDB refused a file another process is creating right now (it exists, its
    header is not written yet): worth a retry, unlike an old file that is no store."""
    if "not a valid DuckDB database file" not in str(exc):
        return False
    try:
        return time.time() - os.path.getmtime(path) < CREATING_SECONDS
    except OSError:
        return True  # gone again: the creator rolled back; retry


def _busy_message(path: str, exc: BaseException) -> str:
    return (f"store {path} is held by another program{_lock_holder(exc)} that does not share "
            "it (a DuckDB shell or an older Dateline?): close it and retry, or run that work "
            "through Dateline, or use a PostgreSQL store for a team (docs/deploy.md)")


class SharedConnection:
    """A session on a shared DuckDB store: a cursor of this process's database when this
    process hosts the file, else a session on the host's socket. Switches between the two
    at statement boundaries when the host changes."""

    dialect = "duckdb"

    def __init__(self, path: str, wait: float = DEFAULT_WAIT, create: bool = True):
        self.path = path
        self.real = os.path.realpath(path)
        self.wait = wait
        self.create = create
        self._local: duckdb.DuckDBPyConnection | None = None
        self._host: Host | None = None
        self._sock: socket.socket | None = None
        self._rows: list = []
        self._desc: Any = None
        self._more = False
        self._in_tx = False
        self._locks = 0
        self._closed = False
        self._attach()

    # -- attaching ------------------------------------------------------------------------
    @property
    def hosting(self) -> bool:
        """Whether this process holds the file (else it is a client of another process)."""
        return self._local is not None

    def _attach(self) -> None:
        deadline = time.monotonic() + self.wait
        sock_path = socket_path(self.path)
        pause, foreign_since = 0.005, None
        while True:
            with _HOSTS_LOCK:
                host = _HOSTS.get(self.real)
                if host is not None and not host.draining:
                    self._use_local(host)
                    return
            if host is None:
                if self._connect(sock_path):
                    return
                error = self._open_here(sock_path)
                if error is None:
                    return
                if not os.path.exists(sock_path):
                    foreign_since = foreign_since or time.monotonic()
                    if time.monotonic() - foreign_since > min(3.0, self.wait):
                        if not _is_lock_error(error):
                            raise error  # a file that never became a store
                        raise StoreBusy(_busy_message(self.path, error))
                else:
                    foreign_since = None
            if time.monotonic() >= deadline:
                raise StoreBusy(f"store {self.path} stayed busy for {self.wait:.0f} s while "
                                "another process handed it over; retry")
            time.sleep(pause)
            pause = min(pause * 2, 0.2)

    def _use_local(self, host: Host) -> None:
        self._host = host
        self._local = host.con.cursor()
        host.users += 1

    def _connect(self, sock_path: str) -> bool:
        if not os.path.exists(sock_path):
            return False
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(5.0)
        try:
            sock.connect(sock_path)
            hello = _recv(sock)
        except (OSError, EOFError, pickle.UnpicklingError):
            sock.close()
            return False
        if hello[0] != "hello":
            sock.close()
            return False
        sock.settimeout(None)
        self._sock = sock
        return True

    def _open_here(self, sock_path: str) -> BaseException | None:
        """Open the file and host it; the error when another process holds it."""
        if not self.create and not Path(self.path).exists():
            raise FileNotFoundError(f"no store at {self.path}")
        with _HOSTS_LOCK:
            if self.real in _HOSTS:  # another thread of this process just did
                self._use_local(_HOSTS[self.real])
                return None
            try:
                con = duckdb.connect(self.path)
            except duckdb.IOException as exc:
                if _is_lock_error(exc):
                    return exc
                if _being_created(self.path, exc):
                    return exc
                if not os.access(self.path, os.W_OK) and os.path.exists(self.path):
                    con = duckdb.connect(self.path, read_only=True)
                else:
                    raise
            con.execute("SET enable_progress_bar = false")
            host = _HOSTS[self.real] = Host(self.real, con, sock_path)
            self._use_local(host)
            return None

    def _reattach(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
            self._sock = None
        self._rows, self._desc, self._more = [], None, False
        self._attach()

    def _call(self, msg: tuple) -> tuple:
        """One request to the host; reattach (once) when the host has gone between two
        statements."""
        for attempt in (0, 1):
            try:
                _send(self._sock, msg)
                reply = _recv(self._sock)
            except (OSError, EOFError) as exc:
                reply = ("gone", str(exc))
            if reply[0] == "error":
                _raise(reply[1], reply[2])
            if reply[0] not in ("moved", "gone"):
                return reply
            if self._in_tx or self._locks or attempt:
                raise duckdb.ConnectionException(
                    f"store {self.path}: the process hosting it went away mid-transaction; "
                    "run the command again")
            self._reattach()
            if self._local is not None:
                return ("local",)
        raise AssertionError("unreachable")

    # -- DuckDB's connection interface ----------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> SharedConnection:
        kind = _statement_kind(sql)
        if self._local is not None:
            self._local.execute(sql, params)
        else:
            reply = self._call(("exec", sql, list(params) if params is not None else None,
                                FIRST_ROWS))
            if reply[0] == "local":
                return self.execute(sql, params)
            _, self._desc, self._rows, self._more = reply
        if kind in ("BEGIN", "START"):
            self._in_tx = True
        elif kind in ("COMMIT", "ROLLBACK", "END", "ABORT"):
            self._in_tx = False
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> SharedConnection:
        if self._local is not None:
            self._local.executemany(sql, rows)
        elif self._call(("many", sql, [list(r) for r in rows]))[0] == "local":
            return self.executemany(sql, rows)
        return self

    def _fill(self, n: int | None) -> None:
        while self._more and (n is None or len(self._rows) < n):
            _, _, rows, self._more = self._call(("fetch", None if n is None else
                                                 max(n - len(self._rows), FIRST_ROWS)))
            self._rows.extend(rows)

    def fetchone(self) -> tuple | None:
        if self._local is not None:
            return self._local.fetchone()
        self._fill(1)
        return self._rows.pop(0) if self._rows else None

    def fetchall(self) -> list:
        if self._local is not None:
            return self._local.fetchall()
        self._fill(None)
        rows, self._rows = self._rows, []
        return rows

    def fetchmany(self, size: int = 1) -> list:
        if self._local is not None:
            return self._local.fetchmany(size)
        self._fill(size)
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows

    @property
    def description(self) -> Any:
        return self._local.description if self._local is not None else self._desc

    def to_arrow_table(self, batch_size: int = 100_000) -> Any:
        """The last statement's rows as an Arrow table (as DuckDB's cursor gives it)."""
        if self._local is not None:
            return self._local.to_arrow_table(batch_size)
        return self.to_arrow_reader(batch_size).read_all()

    def to_arrow_reader(self, batch_size: int = 100_000) -> Any:
        """The last statement's rows as an Arrow stream (as DuckDB's cursor gives it); a
        client of another process's store receives the rows and builds the batches here."""
        if self._local is not None:
            return self._local.to_arrow_reader(batch_size)
        import pyarrow as pa

        names = [d[0] for d in self._desc or ()]
        rows = self.fetchall()
        table = pa.Table.from_pylist([dict(zip(names, r)) for r in rows]) if rows else \
            pa.table({n: pa.array([], pa.null()) for n in names})
        return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(batch_size))

    def cursor(self) -> SharedConnection:
        """Another session on the same store (as DuckDB's cursor() is)."""
        return SharedConnection(self.path, self.wait)

    def register(self, name: str, table: Any) -> None:
        if self._local is not None:
            self._local.register(name, table)
        elif self._call(("register", name, table))[0] == "local":
            self.register(name, table)

    def unregister(self, name: str) -> None:
        if self._local is not None:
            self._local.unregister(name)
        else:
            self._call(("unregister", name))

    def sql(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        if self._local is not None:
            return self._local.sql(sql, params=params)
        return _RemoteRelation(self, sql, params)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._local is not None:
            host, self._host = self._host, None
            if host is not None:
                host.locks.release_all(self)
            try:
                self._local.close()
            except duckdb.Error:
                pass
            self._local = None
            if host is not None:
                _release(host, self.wait)
        elif self._sock is not None:
            try:
                _send(self._sock, ("close",))
            except OSError:
                pass
            try:
                self._sock.close()
            except OSError:
                pass
            self._sock = None

    def __enter__(self) -> SharedConnection:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- the write lock -------------------------------------------------------------------
    def acquire(self, name: str = WRITE_LOCK) -> None:
        if self._local is None:
            if self._call(("lock", name, self.wait))[0] != "local":
                self._locks += 1
                return
        self._host.locks.acquire(name, self, self.wait)
        self._locks += 1

    def release(self, name: str = WRITE_LOCK) -> None:
        self._locks -= 1
        if self._local is not None:
            self._host.locks.release(name, self)
        elif self._sock is not None:
            self._call(("unlock", name))


def _release(host: Host, wait: float) -> None:
    with _HOSTS_LOCK:
        host.users -= 1
        if host.users > 0:
            return
        if _HOSTS.get(host.real) is host:
            del _HOSTS[host.real]
        host.draining = True
    host.close(wait)


class _RemoteRelation:
    def __init__(self, con: SharedConnection, sql: str, params: Sequence[Any] | None):
        self._con, self._sql, self._params = con, sql, params

    def fetchall(self) -> list:
        return self._con.execute(self._sql, self._params).fetchall()

    def to_arrow_reader(self, batch_size: int = 100_000) -> Any:
        import pyarrow as pa

        con = self._con
        reply = con._call(("arrow", self._sql, self._params, batch_size))
        if reply[0] == "local":
            return con._local.sql(self._sql, params=self._params).to_arrow_reader(batch_size)
        schema = reply[1]
        con._in_tx, was = True, con._in_tx  # a stream cannot move hosts midway

        def batches() -> Iterator[Any]:
            try:
                while True:
                    batch = con._call(("next",))[1]
                    if batch is None:
                        return
                    yield batch
            finally:
                con._in_tx = was

        return pa.RecordBatchReader.from_batches(schema, batches())
