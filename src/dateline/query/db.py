"""What the query functions run on: a Store, or a connection / per-thread cursor of one
(DuckDB's, the shared DuckDB file's, or the PostgreSQL adapter's: ``dateline.store``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from dateline.store import Store
from dateline.store.dialect import dialect_of as _dialect_of

Db = Store | duckdb.DuckDBPyConnection


def connection(db: Db) -> duckdb.DuckDBPyConnection:
    """The DuckDB connection (or per-thread cursor) to run on."""
    return db.con if isinstance(db, Store) else db


def dialect_of(db: Db) -> str:
    """``duckdb`` or ``postgres``: which SQL the few dialect-dependent pieces take."""
    return _dialect_of(connection(db))


def open_stream(db: Db, sql: str, params: Sequence[Any]) -> Any:
    """A fresh cursor that has run ``sql``, to fetch from in batches and close: a DuckDB
    cursor, or a PostgreSQL server-side cursor (so a large export is never held in
    memory whole)."""
    con = connection(db)
    if hasattr(con, "stream"):
        return con.stream(sql, params)
    cur = con.cursor()
    try:
        cur.execute(sql, params)
    except Exception:
        cur.close()
        raise
    return cur


def undefined_column_errors() -> tuple[type[BaseException], ...]:
    """The exceptions a query on a column that does not exist raises, in either dialect."""
    errors: list[type[BaseException]] = [duckdb.BinderException]
    try:
        import psycopg.errors

        errors.append(psycopg.errors.UndefinedColumn)
    except ImportError:
        pass
    return tuple(errors)
