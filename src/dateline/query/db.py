"""What the query functions run on: a Store, or a DuckDB connection / per-thread cursor."""

from __future__ import annotations

import duckdb

from dateline.store import Store

Db = Store | duckdb.DuckDBPyConnection


def connection(db: Db) -> duckdb.DuckDBPyConnection:
    """The DuckDB connection (or per-thread cursor) to run on."""
    return db.con if isinstance(db, Store) else db
