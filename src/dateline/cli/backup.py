"""The backup command: a consistent copy of the store (file and write-ahead log)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from dateline.cli.app import app, load_config


@app.command()
def backup(
    dest: Path = typer.Argument(..., help="Backup file (or a folder to put it in)."),
    db: Optional[Path] = typer.Option(None, "--db", help="DuckDB store (default: db in the "
                                                         "config, ./dateline.duckdb)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Config file (TOML)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing DEST file."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Copy the store consistently (checkpointing its write-ahead log first)."""
    from dateline.store.backup import BackupError
    from dateline.store.backup import backup as run_backup

    path = str(db) if db else load_config(config).db
    try:
        summary = run_backup(path, dest, force=force)
    except BackupError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(summary.to_dict()))
        return
    counts = ", ".join(f"{v:,} {k}" for k, v in summary.counts.items())
    typer.echo(f"backed up {path} to {summary.dest}: {counts} ({summary.bytes:,} bytes)")
