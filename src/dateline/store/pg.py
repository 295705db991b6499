"""PostgreSQL behind the DuckDB connection interface the store and the query layer use.

``PgConnection`` offers the calls Dateline makes on a DuckDB connection -- ``execute`` /
``executemany`` returning itself, ``fetchone`` / ``fetchall`` / ``fetchmany``, ``cursor()``
(another session), ``sql(...).to_arrow_reader(n)``, ``close`` -- over a psycopg 3
connection taken from a pool (``psycopg_pool``), one pool per database and process. SQL is
rewritten by ``dialect.pg_text``; JSON columns come back as text, as from DuckDB, and
the session time zone is DuckDB's, so timestamps read the same.

Streams (``stream``) are server-side cursors inside a transaction, so an export of a
million events never holds them all in memory.
"""

from __future__ import annotations

import itertools
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

from dateline.store.dialect import POSTGRES, pg_text

_LOCK = threading.Lock()
_DATABASES: dict[str, PgDatabase] = {}
_STREAM_IDS = itertools.count(1)
POOL_SIZE = 16


def _duckdb_timezone() -> str:
    import duckdb

    with duckdb.connect() as con:
        return con.execute("SELECT current_setting('TimeZone')").fetchone()[0]


def redact(dsn: str) -> str:
    """The DSN without its password, for messages."""
    import re

    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", dsn)


def missing_driver() -> str:
    return ("PostgreSQL support needs psycopg: pip install 'psycopg[binary]' psycopg-pool "
            "(both are dependencies of dateline; reinstall it)")


class PgDatabase:
    """One pool of connections to one database, shared by the Stores of a process."""

    def __init__(self, dsn: str, wait: float):
        try:
            import psycopg  # noqa: F401
            from psycopg_pool import ConnectionPool
        except ImportError as exc:  # pragma: no cover - a broken install
            raise RuntimeError(missing_driver()) from exc
        self.dsn = dsn
        self.wait = wait
        self.refs = 0
        self.timezone = _duckdb_timezone()
        self.pool = ConnectionPool(dsn, min_size=1, max_size=POOL_SIZE, open=False,
                                   kwargs={"autocommit": True}, configure=self._configure,
                                   timeout=max(wait, 1.0), name="dateline")
        try:
            self.pool.open(wait=True, timeout=max(min(wait, 30.0), 1.0))
        except Exception as exc:  # noqa: BLE001  any failure to connect is told in one line
            self.pool.close()
            raise ConnectionError(f"cannot connect to {redact(dsn)}: {_reason(exc)}") from None

    def _configure(self, conn: Any) -> None:
        from psycopg.types.string import TextLoader

        for name in ("json", "jsonb"):
            conn.adapters.register_loader(name, TextLoader)
        conn.execute("SELECT set_config('TimeZone', %s, false)", [self.timezone])

    @classmethod
    def get(cls, dsn: str, wait: float) -> PgDatabase:
        with _LOCK:
            db = _DATABASES.get(dsn)
            if db is None:
                db = _DATABASES[dsn] = cls(dsn, wait)
            db.refs += 1
            return db

    def release(self) -> None:
        with _LOCK:
            self.refs -= 1
            if self.refs > 0:
                return
            _DATABASES.pop(self.dsn, None)
        self.pool.close()


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[-1] if text else type(exc).__name__


class PgConnection:
    """One session on a pooled PostgreSQL connection, spoken to like a DuckDB connection."""

    dialect = POSTGRES

    def __init__(self, db: PgDatabase, owner: bool = True):
        self._db = db
        self._conn = db.pool.getconn()
        self._cur: Any = None
        self._closed = False
        self._locks = 0
        self._owner = owner  # the first connection of a Store holds a pool reference

    # -- DuckDB's connection interface -------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgConnection:
        params = list(params) if params else None
        cur = self._conn.cursor()
        cur.execute(pg_text(sql, params is not None), params, prepare=False)
        self._cur = cur
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> PgConnection:
        rows = [list(r) for r in rows]
        if rows:
            cur = self._conn.cursor()
            cur.executemany(pg_text(sql, True), rows)
            self._cur = None
        return self

    def fetchone(self) -> tuple | None:
        if self._cur is None or self._cur.description is None:
            return None
        return self._cur.fetchone()

    def fetchall(self) -> list[tuple]:
        if self._cur is None or self._cur.description is None:
            return []
        return self._cur.fetchall()

    def fetchmany(self, size: int = 1) -> list[tuple]:
        if self._cur is None or self._cur.description is None:
            return []
        return self._cur.fetchmany(size)

    @property
    def description(self) -> Any:
        return self._cur.description if self._cur is not None else None

    def cursor(self) -> PgConnection:
        """Another session (its own pooled connection), as DuckDB's cursor() is."""
        return PgConnection(self._db, owner=False)

    def sql(self, sql: str, params: Sequence[Any] | None = None) -> PgRelation:
        return PgRelation(self, sql, params)

    def stream(self, sql: str, params: Sequence[Any] | None = None,
               batch: int = 2000) -> PgStream:
        """A server-side cursor over ``sql`` on a session of its own: fetch in batches,
        then close."""
        in_tx = self._conn.info.transaction_status != 0
        return PgStream(self._db, sql, params, batch, self._conn if in_tx else None)

    def register(self, name: str, table: Any) -> None:
        raise NotImplementedError("Arrow views are DuckDB's; use copy_rows on PostgreSQL")

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        conn, self._conn = self._conn, None
        try:
            if conn.info.transaction_status != 0:  # idle: 0; otherwise roll back first
                conn.rollback()
            if self._locks:  # never hand a pooled connection on with a lock held
                conn.execute("SELECT pg_advisory_unlock_all()")
        except Exception:  # noqa: BLE001  a broken connection: the pool discards it
            pass
        self._db.pool.putconn(conn)
        if self._owner:
            self._db.release()

    def __enter__(self) -> PgConnection:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- PostgreSQL only -----------------------------------------------------------------
    @property
    def raw(self) -> Any:
        """The psycopg connection."""
        return self._conn

    def copy_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
                  ) -> None:
        """Bulk insert with COPY (in the caller's transaction, if any)."""
        if not rows:
            return
        cur = self._conn.cursor()
        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def advisory_lock(self, name: str, wait: float) -> None:
        key = _lock_key(name)
        deadline = time.monotonic() + wait
        pause = 0.01
        while True:
            if self._conn.execute("SELECT pg_try_advisory_lock(%s)", [key]).fetchone()[0]:
                self._locks += 1
                return
            if time.monotonic() >= deadline:
                raise TimeoutError(
                    f"store busy: another process has held the {name!r} lock for over "
                    f"{wait:.0f} s (raise store_wait in the config to wait longer)")
            time.sleep(pause)
            pause = min(pause * 2, 0.5)

    def advisory_unlock(self, name: str) -> None:
        self._conn.execute("SELECT pg_advisory_unlock(%s)", [_lock_key(name)])
        self._locks -= 1


def _lock_key(name: str) -> int:
    """A stable 63-bit key for an advisory lock named ``name``."""
    return zlib.crc32(f"dateline:{name}".encode()) | (0x5D17 << 32)


class PgStream:
    """A server-side cursor on a pooled connection of its own (DECLARE … FETCH)."""

    def __init__(self, db: PgDatabase, sql: str, params: Sequence[Any] | None, batch: int,
                 conn: Any = None):
        """``conn``: a connection in a transaction to stream in (the caller's snapshot);
        else a pooled one of its own."""
        self._db = db
        self._own = conn is None
        self._conn = db.pool.getconn() if self._own else conn
        self._batch = batch
        self._name = f"dateline_stream_{next(_STREAM_IDS)}"
        self._buffer: list[tuple] = []
        self._done = False
        params = list(params) if params else None
        try:
            if self._own:
                self._conn.execute("BEGIN")
            cur = self._conn.cursor()
            cur.execute(f"DECLARE {self._name} NO SCROLL CURSOR FOR "
                        + pg_text(sql, params is not None), params)
            self.description = self._fetch_description()
        except Exception:
            self.close()
            raise

    def _fetch_description(self) -> Any:
        cur = self._conn.cursor()
        cur.execute(f"FETCH FORWARD {self._batch} FROM {self._name}")
        self._buffer = cur.fetchall()
        self._done = len(self._buffer) < self._batch
        return cur.description

    def fetchmany(self, size: int = 1) -> list[tuple]:
        while len(self._buffer) < size and not self._done and self._conn is not None:
            cur = self._conn.cursor()
            cur.execute(f"FETCH FORWARD {max(size, self._batch)} FROM {self._name}")
            rows = cur.fetchall()
            self._done = len(rows) < max(size, self._batch)
            self._buffer.extend(rows)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out

    def fetchone(self) -> tuple | None:
        rows = self.fetchmany(1)
        return rows[0] if rows else None

    def fetchall(self) -> list[tuple]:
        out = []
        while rows := self.fetchmany(self._batch):
            out.extend(rows)
        return out

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        if not self._own:
            try:
                conn.execute(f"CLOSE {self._name}")
            except Exception:  # noqa: BLE001  the transaction ended or failed
                pass
            return
        try:
            conn.rollback()
        except Exception:  # noqa: BLE001
            pass
        self._db.pool.putconn(conn)


# PostgreSQL type oids -> Arrow types (everything else is read as text)
_ARROW_TYPES = {
    16: "bool", 20: "int64", 21: "int16", 23: "int32", 700: "float32", 701: "float64",
    1700: "float64", 1082: "date", 1184: "timestamptz", 1114: "timestamp",
    1009: "list", 1015: "list", 25: "string", 1043: "string", 114: "string", 3802: "string",
}


def _arrow_schema(description: Any) -> Any:
    import pyarrow as pa

    kinds = {"bool": pa.bool_(), "int64": pa.int64(), "int16": pa.int16(), "int32": pa.int32(),
             "float32": pa.float32(), "float64": pa.float64(), "date": pa.date32(),
             "timestamptz": pa.timestamp("us", tz="UTC"), "timestamp": pa.timestamp("us"),
             "list": pa.list_(pa.string()), "string": pa.string()}
    return pa.schema([(col.name, kinds[_ARROW_TYPES.get(col.type_code, "string")])
                      for col in description])


class PgRelation:
    """What ``DuckDBPyConnection.sql`` gives, as far as Dateline uses it."""

    def __init__(self, con: PgConnection, sql: str, params: Sequence[Any] | None):
        self._con, self._sql, self._params = con, sql, params

    def fetchall(self) -> list[tuple]:
        return self._con.execute(self._sql, self._params).fetchall()

    def to_arrow_reader(self, batch_size: int = 100_000) -> Any:
        import pyarrow as pa

        stream = self._con.stream(self._sql, self._params, batch_size)
        schema = _arrow_schema(stream.description)
        names = schema.names

        def batches() -> Iterator[Any]:
            try:
                while rows := stream.fetchmany(batch_size):
                    cols = list(zip(*rows))
                    yield pa.RecordBatch.from_arrays(
                        [pa.array(list(c), schema.field(n).type) for n, c in zip(names, cols)],
                        schema=schema)
            finally:
                stream.close()

        reader = pa.RecordBatchReader.from_batches(schema, batches())
        return _ClosingReader(reader, stream)


class _ClosingReader:
    """A RecordBatchReader whose close() also ends the server-side cursor."""

    def __init__(self, reader: Any, stream: PgStream):
        self._reader, self._stream = reader, stream
        self.schema = reader.schema

    def __iter__(self) -> Iterator[Any]:
        return iter(self._reader)

    def read_next_batch(self) -> Any:
        return self._reader.read_next_batch()

    def read_all(self) -> Any:
        return self._reader.read_all()

    def close(self) -> None:
        self._stream.close()
        self._reader.close()


def open_connection(dsn: str, wait: float) -> PgConnection:
    return PgConnection(PgDatabase.get(dsn, wait))
