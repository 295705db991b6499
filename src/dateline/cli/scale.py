"""Commands that scale out: load (a Parquet lake into the store), watch (feeds)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from dateline.cli.app import app


@app.command("load")
def load_command(
    lake: Path = typer.Argument(..., help="Lake folder written by `dateline code --cluster ... --out DIR`."),
    db: str | None = typer.Option(None, "--db", help="Store file (default ./dateline.duckdb)."),
    config: Path | None = typer.Option(None, "--config", help="Config file (default ./dateline.toml)."),
    dedup: bool = typer.Option(True, "--dedup/--no-dedup", help="Group the new mentions into events."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON object."),
) -> None:
    """Load a Parquet lake into the store: new articles with their mentions, then events."""
    from dateline.config import Config
    from dateline.scale import load_lake
    from dateline.store import Store

    err = Console(stderr=True)
    cfg = Config.load(config, db=db)
    try:
        with Store.open(cfg.db, wait=cfg.store_wait) as store, err.status(f"loading {lake}"):
            summary = load_lake(store, lake, dedup=dedup)
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), default=str))
        return
    typer.echo(f"{summary.articles_new} new articles ({summary.articles_skipped} already stored), "
               f"{summary.mentions_new} mentions from {lake} into {cfg.db}")
    if summary.events:
        typer.echo("events: " + ", ".join(f"{k} {v}" for k, v in summary.events.items()
                                          if isinstance(v, int | float)))


@app.command("watch")
def watch_command(
    urls: list[str] = typer.Argument(..., help="RSS/Atom feed URLs and article page URLs."),
    every: str = typer.Option("15m", "--every", help="Time between cycles: 30s, 15m, 2h."),
    db: str | None = typer.Option(None, "--db", help="Store file (default ./dateline.duckdb)."),
    config: Path | None = typer.Option(None, "--config", help="Config file (default ./dateline.toml)."),
    once: bool = typer.Option(False, "--once", help="Run one cycle and stop."),
    max_cycles: int | None = typer.Option(None, "--max-cycles", min=1, help="Stop after N cycles."),
    code: bool = typer.Option(True, "--code/--no-code", help="Code new articles (else store them uncoded)."),
    host_interval: float = typer.Option(1.0, "--host-interval", min=0.0,
                                        help="Seconds between two requests to one host."),
    timeout: float = typer.Option(20.0, "--timeout", min=0.1,
                                  help="Seconds per request, in all (body and redirects too)."),
    allow_host: Optional[list[str]] = typer.Option(
        None, "--allow-host",
        help="A host (name, IP or network) allowed to resolve to a loopback, private or "
             "link-local address; repeatable. Adds to watch_allow_hosts of the config."),
) -> None:
    """Poll feeds and pages, store and code every new article once; Ctrl-C stops."""
    from rich.logging import RichHandler

    from dateline.config import Config
    from dateline.store import Store
    from dateline.watch import Fetcher, Watcher, WatchOptions, parse_interval

    err = Console(stderr=True)
    try:
        seconds = parse_interval(every)
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    log = logging.getLogger("dateline.watch")
    if not log.handlers:
        log.addHandler(RichHandler(console=err, show_path=False))
        log.setLevel(logging.INFO)
    cfg = Config.load(config, db=db)
    options = WatchOptions(every=seconds, timeout=timeout, host_interval=host_interval,
                           allow_hosts=tuple([*cfg.watch_allow_hosts, *(allow_host or [])]))
    coder = None
    if code:
        from dateline.coding import Coder

        with err.status("loading the coder"):
            coder = Coder.from_config(cfg)
    fetcher = Fetcher.open(options)
    try:
        with Store.open(cfg.db, wait=cfg.store_wait) as store:
            watcher = Watcher(store, fetcher, coder, options)
            for s in watcher.run(urls, once=once, max_cycles=max_cycles):
                typer.echo(f"cycle {s.cycle}: polled {s.polled} (not modified {s.not_modified}, "
                           f"failed {s.failed}, waiting {s.skipped}), new URLs {s.new_urls}, "
                           f"stored {s.articles} articles, {s.mentions} mentions, "
                           f"{s.duplicates} duplicates, {s.fetch_failed} fetches to retry")
    except KeyboardInterrupt:
        err.print("stopped")
    finally:
        fetcher.close()
