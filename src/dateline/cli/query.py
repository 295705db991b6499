"""Commands over events: events, stats, export, serve.

Filter options carry the names of the HTTP query parameters and go through the same
parsers (``dateline.query``); a bad value exits with status 2 and one line naming the option.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from dateline.cli.app import app, load_config, open_store
from dateline.config import Config

_DB_HELP = "DuckDB store (default: db in the config, ./dateline.duckdb)."
_CONFIG_HELP = "Config file (TOML; default ./dateline.toml)."


def _help(name: str) -> str:
    from dateline.query.params import EVENT_FILTERS, SORT

    return next(p.help for p in (*EVENT_FILTERS, SORT) if p.name == name)


def _opt(name: str, *aliases: str) -> Any:
    """A text option named like the HTTP parameter (``--min-sources`` also ``--min_sources``)."""
    decls = [f"--{name.replace('_', '-')}", *aliases]
    if "_" in name:
        decls.append(f"--{name}")
    return typer.Option(None, *decls, help=_help(name), show_default=False)


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _option_name(param: str) -> str:
    return "--" + param.replace("_", "-") if param.replace("_", "").isalnum() else param


def _config(config: Optional[Path]) -> Config:
    return load_config(config)


def _open(db: Optional[Path], config: Optional[Path], lake: Optional[Path] = None,
          read_only: bool = True) -> Any:
    if lake is not None:
        try:
            from dateline.scale import lake_store
        except ImportError:
            _fail("--lake: dateline.scale.lake_store is not available")
        if not lake.is_dir():
            _fail(f"--lake: no such folder: {lake}")
        return lake_store(str(lake))
    return open_store(db, config, read_only)


def _query(values: dict[str, Any], max_page_size: int = 1_000_000) -> Any:
    from dateline.query import EventQuery, QueryError

    try:
        return EventQuery.parse({k: v for k, v in values.items() if v is not None},
                                max_page_size=max_page_size)
    except QueryError as exc:
        _fail(f"{_option_name(exc.param)}: {exc.message}")


def _filters(type: Optional[str], mode: Optional[str], quad: Optional[str],
             actor: Optional[str], recipient: Optional[str], country: Optional[str],
             place: Optional[str], near: Optional[str], since: Optional[str],
             until: Optional[str], min_sources: Optional[str], negated: Optional[str],
             modality: Optional[str], q: Optional[str]) -> dict[str, Any]:
    return {"type": type, "mode": mode, "quad": quad, "actor": actor, "recipient": recipient,
            "country": country, "place": place, "near": near, "since": since, "until": until,
            "min_sources": min_sources, "negated": negated, "modality": modality, "q": q}


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    console = Console(stderr=stderr, soft_wrap=False, highlight=False)
    if not console.is_terminal:  # piped: wide lines rather than squeezed columns
        console = Console(stderr=stderr, soft_wrap=False, highlight=False, width=180)
    return console


def _actors(refs: list[dict[str, Any]]) -> str:
    return ", ".join(r.get("code") or r.get("name") or r.get("text") or "?" for r in refs)


def _events_table(items: list[dict[str, Any]]) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, header_style="bold")
    short = {"max_width": 16, "overflow": "ellipsis", "no_wrap": True}
    for col, kw in (("date", {"no_wrap": True, "min_width": 10}), ("type", {"no_wrap": True}),
                    ("actor", short), ("recipient", short), ("place", short),
                    ("src", {"justify": "right"}), ("men", {"justify": "right"}),
                    ("conf", {"justify": "right"}), ("sentence", {"ratio": 1, "min_width": 20}),
                    ("id", {"no_wrap": True})):
        table.add_column(col, **kw)
    for e in items:
        loc = e.get("location") or {}
        place = ", ".join(x for x in (loc.get("name"), loc.get("country")) if x)
        etype = e["event_type"] + (" (not)" if e.get("negated") else "")
        if e.get("modality") not in (None, "asserted"):
            etype += f" [{e['modality']}]"
        cells = (e.get("date") or "-", etype, _actors(e.get("actors") or []),
                 _actors(e.get("recipients") or []), place, str(e.get("num_sources") or 0),
                 str(e.get("num_mentions") or 0), f"{e.get('confidence') or 0:.2f}",
                 e.get("sentence") or "", e["id"])
        table.add_row(*(Text(c) for c in cells))  # plain text: no markup from the data
    return table


def _show_event(store: Any, event_id: str, with_mentions: bool, as_json: bool) -> None:
    from dateline.query import event_detail

    detail = _event_with_mentions(store, event_id) if with_mentions else None
    if detail is None:
        detail = event_detail(store, event_id)
    if detail is None:
        typer.echo(f"error: no event with id {event_id!r}", err=True)
        raise typer.Exit(1)
    if not with_mentions:
        detail.pop("mentions", None)
    if as_json:
        typer.echo(json.dumps(detail, ensure_ascii=False, indent=2))
        return
    from rich.markup import escape

    console = _console()
    console.print(_events_table([detail]))
    for m in detail.get("mentions", []):
        art = m.get("article") or {}
        when = (art.get("published") or "")[:10]
        console.print(f"[bold]{escape(art.get('source') or '?')}[/bold] {when} "
                      f"{escape(art.get('headline') or '')} "
                      f"[dim]{escape(art.get('url') or '')}[/dim]")
        console.print(f"  {escape(m.get('sentence') or '')}  [dim]({m.get('event_type')} "
                      f"{escape(str(m.get('cameo')))}, sentence {m.get('sentence_index')}, "
                      f"article {escape(str(m.get('article_id')))})[/dim]")


def _event_with_mentions(store: Any, event_id: str) -> dict[str, Any] | None:
    """The event and its mentions from dedup's ``event_with_mentions`` when it is there
    (else None: the query layer answers), each mention with its article's metadata."""
    from dataclasses import asdict

    from dateline.query import article_refs

    try:
        from dateline.dedup import event_with_mentions
    except ImportError:
        return None
    try:
        event, mentions = event_with_mentions(store, event_id)
    except KeyError:
        return None
    detail = asdict(event)
    refs = article_refs(store, sorted({m.article_id for m in mentions}))
    detail["mentions"] = [{**m.to_dict(), "article": refs.get(m.article_id)} for m in mentions]
    return detail


@app.command()
def events(
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    config: Optional[Path] = typer.Option(None, "--config", help=_CONFIG_HELP),
    type: Optional[str] = _opt("type"),
    mode: Optional[str] = _opt("mode"),
    quad: Optional[str] = _opt("quad"),
    actor: Optional[str] = _opt("actor"),
    recipient: Optional[str] = _opt("recipient"),
    country: Optional[str] = _opt("country"),
    place: Optional[str] = _opt("place"),
    near: Optional[str] = _opt("near"),
    since: Optional[str] = _opt("since"),
    until: Optional[str] = _opt("until"),
    min_sources: Optional[str] = _opt("min_sources"),
    negated: Optional[str] = _opt("negated"),
    modality: Optional[str] = _opt("modality"),
    q: Optional[str] = _opt("q", "-q"),
    sort: Optional[str] = _opt("sort"),
    limit: Optional[str] = typer.Option(None, "--limit", help="Events per page (default 50)."),
    cursor: Optional[str] = typer.Option(None, "--cursor",
                                         help="Continue from a previous page's cursor."),
    event_id: Optional[str] = typer.Option(None, "--id", help="Show this one event."),
    mentions: bool = typer.Option(False, "--mentions",
                                  help="With --id: every mention, its sentence and article."),
    lake: Optional[Path] = typer.Option(None, "--lake",
                                        help="Query a Parquet lake folder instead of --db."),
    as_json: bool = typer.Option(False, "--json", help="JSON on stdout (like GET /events)."),
    as_csv: bool = typer.Option(False, "--csv", help="CSV on stdout (like export --format csv)."),
) -> None:
    """List events matching the filters (newest first), or show one with --id."""
    if as_json and as_csv:
        _fail("--json and --csv exclude each other")
    if mentions and not event_id:
        _fail("--mentions: needs --id")
    values = _filters(type, mode, quad, actor, recipient, country, place, near, since, until,
                      min_sources, negated, modality, q)
    query = _query({**values, "sort": sort, "limit": limit, "cursor": cursor})
    store = _open(db, config, lake)
    try:
        if event_id:
            _show_event(store, event_id, mentions, as_json)
            return
        if as_csv:
            from dateline.export.csv import write_csv

            write_csv(store, query, sys.stdout)
            return
        from dateline.query import QueryError, search_events

        try:
            page = search_events(store, query)
        except QueryError as exc:
            _fail(f"{_option_name(exc.param)}: {exc.message}")
        if as_json:
            typer.echo(json.dumps(page.to_dict(), ensure_ascii=False))
            return
        _console().print(_events_table(page.items))
        if page.next_cursor:
            _console(stderr=True).print(f"[dim]{len(page.items)} shown; next page: --cursor "
                                        f"{page.next_cursor}[/dim]")
    finally:
        store.close()


@app.command()
def stats(
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    config: Optional[Path] = typer.Option(None, "--config", help=_CONFIG_HELP),
    type: Optional[str] = _opt("type"),
    mode: Optional[str] = _opt("mode"),
    quad: Optional[str] = _opt("quad"),
    actor: Optional[str] = _opt("actor"),
    recipient: Optional[str] = _opt("recipient"),
    country: Optional[str] = _opt("country"),
    place: Optional[str] = _opt("place"),
    near: Optional[str] = _opt("near"),
    since: Optional[str] = _opt("since"),
    until: Optional[str] = _opt("until"),
    min_sources: Optional[str] = _opt("min_sources"),
    negated: Optional[str] = _opt("negated"),
    modality: Optional[str] = _opt("modality"),
    q: Optional[str] = _opt("q", "-q"),
    top: int = typer.Option(20, "--top", min=1, max=1000, help="Rows per ranking."),
    lake: Optional[Path] = typer.Option(None, "--lake",
                                        help="Query a Parquet lake folder instead of --db."),
    as_json: bool = typer.Option(False, "--json", help="JSON on stdout (like GET /stats)."),
) -> None:
    """Counts of the matching events by type, country and month, and the top dyads."""
    from rich.table import Table
    from rich.text import Text

    from dateline.query import stats as compute

    query = _query(_filters(type, mode, quad, actor, recipient, country, place, near, since,
                            until, min_sources, negated, modality, q))
    store = _open(db, config, lake)
    try:
        result = compute(store, query, top=top)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    console = _console()
    span = f" ({result['first_date']} .. {result['last_date']})" if result["first_date"] else ""
    console.print(f"[bold]{result['total']:,}[/bold] events, {result['mentions']:,} "
                  f"mentions{span}")
    for title, rows, key in (("by type", result["by_type"], "type"),
                             ("by country", result["by_country"], "country"),
                             ("by month", result["by_month"], "month")):
        table = Table(title=title, header_style="bold")
        table.add_column(key)
        table.add_column("events", justify="right")
        for row in rows:
            table.add_row(Text(str(row[key] or "-")), f"{row['count']:,}")
        console.print(table)
    table = Table(title="top dyads", header_style="bold")
    for col in ("actor", "recipient"):
        table.add_column(col)
    table.add_column("events", justify="right")
    for row in result["dyads"]:
        table.add_row(Text(row["actor"]), Text(row["recipient"]), f"{row['count']:,}")
    console.print(table)


@app.command()
def export(
    out: Path = typer.Argument(..., help="Output file, or folder for parquet and gdelt."),
    fmt: str = typer.Option(..., "--format", "-f",
                            help="gdelt, plover, csv, parquet or geojson."),
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    config: Optional[Path] = typer.Option(None, "--config", help=_CONFIG_HELP),
    type: Optional[str] = _opt("type"),
    mode: Optional[str] = _opt("mode"),
    quad: Optional[str] = _opt("quad"),
    actor: Optional[str] = _opt("actor"),
    recipient: Optional[str] = _opt("recipient"),
    country: Optional[str] = _opt("country"),
    place: Optional[str] = _opt("place"),
    near: Optional[str] = _opt("near"),
    since: Optional[str] = _opt("since"),
    until: Optional[str] = _opt("until"),
    min_sources: Optional[str] = _opt("min_sources"),
    negated: Optional[str] = _opt("negated"),
    modality: Optional[str] = _opt("modality"),
    q: Optional[str] = _opt("q", "-q"),
    sort: Optional[str] = _opt("sort"),
    limit: Optional[str] = typer.Option(None, "--limit",
                                        help="At most this many events (default: all)."),
    force: bool = typer.Option(False, "--force",
                               help="Replace an existing OUT file, or an earlier export in the OUT folder."),
    lake: Optional[Path] = typer.Option(None, "--lake",
                                        help="Export from a Parquet lake folder instead."),
) -> None:
    """Write the matching events as GDELT 2.0 TSV, PLOVER JSONL, CSV, Parquet or GeoJSON."""
    from dateline.export import FORMATS, ExportError, GoldsteinScale
    from dateline.export import export as run_export

    if fmt not in FORMATS:
        _fail(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    values = _filters(type, mode, quad, actor, recipient, country, place, near, since, until,
                      min_sources, negated, modality, q)
    query = _query({**values, "sort": sort, "limit": limit})
    if limit is None:
        from dataclasses import replace

        query = replace(query, limit=None)
    try:
        scale = GoldsteinScale.from_dicts(_config(config).dicts)
    except (OSError, ValueError) as exc:
        _fail(f"goldstein.tsv: {exc}")
    store = _open(db, config, lake)
    try:
        summary = run_export(store, fmt, query, out, force=force, scale=scale)
    except ExportError as exc:
        _fail(f"OUT: {exc}")
    finally:
        store.close()
    extra = f", {summary.mentions:,} mentions" if summary.mentions else ""
    skipped = f" ({summary.skipped:,} without coordinates left out)" if summary.skipped else ""
    typer.echo(f"wrote {summary.events:,} events{extra}{skipped} as {fmt} to {out}")


@app.command()
def serve(
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    config: Optional[Path] = typer.Option(None, "--config", help=_CONFIG_HELP),
    host: Optional[str] = typer.Option(None, "--host",
                                       help="Address to bind (default 127.0.0.1)."),
    port: Optional[int] = typer.Option(None, "--port", min=0, max=65535,
                                       help="Port (default 8000)."),
    log_level: str = typer.Option("info", "--log-level",
                                  help="uvicorn log level (debug, info, warning, error)."),
    max_header_bytes: Optional[int] = typer.Option(
        None, "--max-header-bytes", min=1,
        help="Largest request head (URL and headers); a bigger one is answered 431 "
             "(414 for the URL alone). Default: max_header_bytes of the config (65536)."),
) -> None:
    """Serve the HTTP API (and the web page) with uvicorn; OpenAPI docs at /docs."""
    import uvicorn

    from dateline.api import create_app
    from dateline.api.protocol import HeaderCappedProtocol, connection_cap

    cfg = _config(config)
    store = _open(db, config, read_only=False)
    application = create_app(store, cfg)
    bind_host = host or cfg.host
    bind_port = cfg.port if port is None else port
    if not cfg.api_key:
        typer.echo("note: no API key configured (DATELINE_API_KEY or api_key): POST /articles "
                   "is disabled", err=True)
    protocol = HeaderCappedProtocol.with_limit(
        max_header_bytes or cfg.max_header_bytes, header_timeout=cfg.header_timeout,
        max_connections=connection_cap(cfg.max_connections))
    try:
        uvicorn.run(application, host=bind_host, port=bind_port, log_level=log_level,
                    http=protocol, timeout_keep_alive=cfg.keepalive_timeout)
    finally:
        store.close()
