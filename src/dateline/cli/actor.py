"""Command `dateline actor`: show the actors the dictionaries find in a text, and why."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from dateline.cli.app import app
from dateline.config import Config


@app.command()
def actor(
    text: str = typer.Argument(..., help="A phrase or sentence, e.g. \"Syria's army\"."),
    on: Optional[str] = typer.Option(None, "--date", help="Date the text speaks of (YYYY-MM-DD): "
                                     "picks the office a person held then."),
    dicts: Optional[list[Path]] = typer.Option(
        None, "--dict", help="Extra dictionary folder or file (repeatable)."),
    country: Optional[str] = typer.Option(None, "--country",
                                          help="Country (ISO3) of the context, for generic words."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per actor."),
    config: Optional[Path] = typer.Option(None, "--config", help="Config file (TOML)."),
) -> None:
    """Find the actors in TEXT and print each with its code, country, sector and why."""
    from dateline.coding.actors import ActorDictionary, ActorFinder

    try:
        day = date.fromisoformat(on) if on else None
    except ValueError:
        typer.echo(f"error: --date {on!r} is not YYYY-MM-DD", err=True)
        raise typer.Exit(2) from None
    try:
        cfg = Config.load(config)
        paths = [*cfg.dicts, *(str(d) for d in dicts or [])]
        finder = ActorFinder(ActorDictionary.load(paths))
    except (FileNotFoundError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    matches = finder.find(text, on=day, default_country=country.upper() if country else None)
    if not matches:
        if not as_json:
            typer.echo("no actor found")
        raise typer.Exit(1)
    for m in matches:
        if as_json:
            typer.echo(json.dumps({**m.ref.__dict__, "kind": m.kind, "generic": m.generic,
                                   "possessive": m.possessive, "why": m.why},
                                  ensure_ascii=False))
        else:
            flags = " generic" if m.generic else ""
            typer.echo(f"{m.ref.text!r} [{m.ref.start}:{m.ref.end}] {m.kind}{flags}: "
                       f"code={m.ref.code or '-'} country={m.ref.country or '-'} "
                       f"sector={m.ref.sector or '-'} name={m.ref.name or '-'}")
            typer.echo(f"    why: {m.why}")
