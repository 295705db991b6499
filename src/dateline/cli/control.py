"""Commands `dateline control` (who holds a place, day by day) and `dateline figures`
(running figures with their sources). Both derive from the store on demand
(docs/control.md)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from dateline.cli.app import app, load_config, open_store

_DB_HELP = "DuckDB store (default: db in the config, ./dateline.duckdb)."
_CONFIG_HELP = "Config file (TOML; default ./dateline.toml)."


def _day(value: Optional[str], option: str) -> Optional[str]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        typer.echo(f"error: {option} {value!r} is not YYYY-MM-DD", err=True)
        raise typer.Exit(2) from None


def _service(cfg):
    from dateline.coding.coder import Coder
    from dateline.control.rules import ControlRulesError
    from dateline.control.service import ControlService

    try:
        return ControlService(Coder.from_config(cfg))
    except ControlRulesError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


@app.command()
def control(
    place: Optional[str] = typer.Option(None, "--place",
                                        help="Place name: the place and the areas within it."),
    on: Optional[str] = typer.Option(None, "--on", help="Only the state on this day "
                                     "(YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="The timeline as one JSON object."),
    evaluate: Optional[Path] = typer.Option(
        None, "--evaluate", help="Score the claim reader on a gold JSON Lines file "
        "(docs/control.md) instead; no store is needed."),
    errors: int = typer.Option(20, "--errors", min=0, help="With --evaluate: mistakes shown."),
    limit: int = typer.Option(5000, "--limit", min=1, help="Most articles read."),
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    config: Optional[Path] = typer.Option(None, "--config", help=_CONFIG_HELP),
) -> None:
    """Who holds a place, day by day: control claims (captures, withdrawals, sieges,
    holdings) read from the stored articles, as a timeline per area with its evidence."""
    cfg = load_config(config)
    if evaluate is not None:
        from dateline.control.evaluate import GoldError, evaluate as run, load_gold, render

        try:
            items = load_gold(evaluate)
        except (GoldError, OSError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        report = run(_service(cfg).claim_reader, items, errors=errors)
        typer.echo(json.dumps(report, ensure_ascii=False) if as_json else render(report))
        return
    day = _day(on, "--on")
    store = open_store(db, config, read_only=True, cfg=cfg)
    try:
        from dateline.control.timeline import render_text

        timeline = _service(cfg).timeline(store.con, place, on=day, limit=limit)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(timeline, ensure_ascii=False))
    else:
        typer.echo(render_text(timeline))


@app.command()
def figures(
    place: Optional[str] = typer.Option(None, "--place", help="Place or country name."),
    what: Optional[str] = typer.Option(None, "--what", help="dead, injured, displaced, "
                                       "refugees, detained, missing, casualties or share."),
    since: Optional[str] = typer.Option(None, "--since", help="Articles published on or "
                                        "after this day (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="Articles published up to "
                                        "this day (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="The series as one JSON object."),
    limit: int = typer.Option(5000, "--limit", min=1, help="Most articles read."),
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    config: Optional[Path] = typer.Option(None, "--config", help=_CONFIG_HELP),
) -> None:
    """Running figures (tolls, displaced, shares) with who said them and when, and the
    days on which sources disagree."""
    cfg = load_config(config)
    a, b = _day(since, "--since"), _day(until, "--until")
    store = open_store(db, config, read_only=True, cfg=cfg)
    try:
        from dateline.control.figures import render_series

        series = _service(cfg).figure_series(store.con, place, what, a, b, limit=limit)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps({"place": place, "what": what, "series": series},
                              ensure_ascii=False))
    else:
        typer.echo(render_series(series))
