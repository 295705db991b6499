"""``dateline migrate``: bring a store (DuckDB file or PostgreSQL) to the current schema."""

import json
from pathlib import Path
from typing import Optional

import typer

from dateline.cli.app import app, open_store

_DB_HELP = ("Store: a DuckDB file or a postgresql:// DSN (default: db in the config, "
            "./dateline.duckdb).")


@app.command()
def migrate(
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    config: Optional[Path] = typer.Option(None, "--config", help="Config file."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Apply the schema migrations the store lacks (every other command that writes does
    this too when it opens the store)."""
    from dateline.store import _migrations

    store = open_store(db, config, read_only=True, create=True)
    try:
        try:
            before = store.schema_version()
        except Exception:  # noqa: BLE001  a new, empty database: no schema table yet
            before = 0
        applied = store.migrate()
        after = store.schema_version()
    finally:
        store.close()
    latest = max(v for v, _, _ in _migrations())
    if as_json:
        typer.echo(json.dumps({"before": before, "applied": applied, "version": after,
                               "latest": latest}))
        return
    if applied:
        typer.echo(f"schema version {before} -> {after}: applied "
                   + ", ".join(str(v) for v in applied))
    else:
        typer.echo(f"schema version {after}: up to date")
