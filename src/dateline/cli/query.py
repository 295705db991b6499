"""Commands over events: events, stats, export, serve.

Filter options carry the names of the HTTP query parameters and go through the same
parsers (``dateline.query``); a bad value exits with status 2 and one line naming the option.
They are declared once (``FILTERS``) and added to each command by ``with_filters``.

``events`` prints a table on a terminal (ids and counts whole, only the sentence wraps) and
tab-separated rows when its output goes to a file or a pipe (unless COLUMNS gives a width).
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional, get_type_hints

import typer

from dateline.cli.app import app, load_config, open_store
from dateline.config import Config

# The event filters, in the order of --help; each is a text option named like the HTTP
# query parameter (``--min-sources`` also ``--min_sources``; ``--q`` also ``-q``).
FILTERS = ("type", "mode", "quad", "actor", "recipient", "country", "place", "near", "since",
           "until", "min_sources", "negated", "modality", "q")
_ALIASES = {"q": ("-q",)}
FILTER_OPTIONS: Any = object()  # where a command's filter options go (see with_filters)

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


def with_filters(command: Callable[..., Any]) -> Callable[..., Any]:
    """The command with the FILTERS options put where its ``filters`` parameter is; it
    receives their values as one dict ``filters`` (name -> text or None)."""
    hints = get_type_hints(command)
    own = inspect.signature(command).parameters.values()
    params: list[inspect.Parameter] = []
    for p in own:
        if p.name == "filters":
            params += [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY,
                                         default=_opt(name, *_ALIASES.get(name, ())),
                                         annotation=Optional[str]) for name in FILTERS]
        else:
            params.append(p.replace(kind=inspect.Parameter.KEYWORD_ONLY,
                                    annotation=hints.get(p.name, p.annotation)))

    @functools.wraps(command)
    def wrapper(**values: Any) -> Any:
        filters = {name: values.pop(name) for name in FILTERS}
        return command(filters=filters, **values)

    wrapper.__signature__ = inspect.Signature(params)
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    del wrapper.__wrapped__  # typer reads the signature above, not the command's
    return wrapper


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _option_name(param: str) -> str:
    return "--" + param.replace("_", "-") if param.replace("_", "").isalnum() else param


def _config(config: Optional[Path]) -> Config:
    return load_config(config)


def _open(db: Optional[Path], config: Optional[Path], lake: Optional[Path] = None,
          read_only: bool = True) -> Any:
    _use_dictionaries(config)
    if lake is not None:
        from dateline.scale import lake_store  # pyarrow: loaded only for --lake

        if not lake.is_dir():
            _fail(f"--lake: no such folder: {lake}")
        return lake_store(str(lake))
    return open_store(db, config, read_only)


def _use_dictionaries(config: Optional[Path]) -> None:
    """Actor names in filters are resolved with the config's dictionaries too (``dicts``)."""
    from dateline.query.actors import use_dictionaries

    try:
        use_dictionaries(Config.load(config).dicts)
    except (FileNotFoundError, ValueError):
        pass  # a bad config is reported where the command reads it


def _query(values: dict[str, Any], max_page_size: int = 1_000_000) -> Any:
    """The EventQuery of the options; ``--limit 0`` means all (no limit, one page)."""
    from dateline.query import EventQuery, QueryError

    given = {k: v for k, v in values.items() if v is not None}
    if str(given.get("limit", "")).strip() == "0":
        given["limit"] = None  # EventQuery: None is "all"
    try:
        return EventQuery.parse(given, max_page_size=max_page_size)
    except QueryError as exc:
        _fail(f"{_option_name(exc.param)}: {exc.message}")


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    console = Console(stderr=stderr, soft_wrap=False, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:  # piped: wide lines
        console = Console(stderr=stderr, soft_wrap=False, highlight=False, width=180)
    return console


def tabular_output() -> bool:
    """Whether to print tab-separated rows: stdout is a file or a pipe and COLUMNS is
    not set (on a terminal, or given a width, a table is printed)."""
    return not sys.stdout.isatty() and not os.environ.get("COLUMNS", "").strip().isdigit()


def _actors(refs: list[dict[str, Any]]) -> str:
    return ", ".join(r.get("code") or r.get("name") or r.get("text") or "?" for r in refs)


_COLUMNS = ("date", "type", "actor", "recipient", "place", "src", "men", "conf", "sentence",
            "id")
_WHOLE = ("date", "type", "src", "men", "conf", "id")  # never cut
_NAMES = ("actor", "recipient", "place")  # cut with an ellipsis when room is short
_RIGHT = ("src", "men", "conf")
_NAME_MAX, _NAME_MIN, _SENTENCE_MIN = 16, 9, 32


def _event_cells(e: dict[str, Any]) -> dict[str, str]:
    loc = e.get("location") or {}
    etype = e["event_type"] + (" (not)" if e.get("negated") else "")
    if e.get("modality") not in (None, "asserted"):
        etype += f" [{e['modality']}]"
    cells = {"date": e.get("date") or "-", "type": etype,
             "actor": _actors(e.get("actors") or []),
             "recipient": _actors(e.get("recipients") or []),
             "place": ", ".join(x for x in (loc.get("name"), loc.get("country")) if x),
             "src": str(e.get("num_sources") or 0), "men": str(e.get("num_mentions") or 0),
             "conf": f"{e.get('confidence') or 0:.2f}", "sentence": e.get("sentence") or "",
             "id": e["id"]}
    return {k: " ".join(v.split()) for k, v in cells.items()}  # no tabs or line breaks


def _tsv_lines(items: list[dict[str, Any]]) -> list[str]:
    """A header and one tab-separated line per event."""
    rows = [_event_cells(e) for e in items]
    return ["\t".join(_COLUMNS)] + ["\t".join(r[c] for c in _COLUMNS) for r in rows]


def _table_lines(items: list[dict[str, Any]], width: int) -> list[str]:
    """The events as a table ``width`` characters wide. Date, type, counts and id are
    never cut; actor, recipient and place get up to 16 characters (then an ellipsis; 9 or
    less in a narrow terminal); the sentence wraps in its column, or, when fewer than 32
    characters are left for it, on indented lines under its row."""
    import textwrap

    rows = [_event_cells(e) for e in items]
    natural = {c: max([len(c)] + [len(r[c]) for r in rows]) for c in _COLUMNS}
    widths = {c: natural[c] for c in _WHOLE}
    room = width - sum(widths.values()) - (len(_COLUMNS) - 1)  # a space between columns
    names = {c: min(_NAME_MAX, natural[c]) for c in _NAMES}
    stacked = room - sum(names.values()) < _SENTENCE_MIN
    if stacked:
        room += 1  # no sentence column, one space less
    for least in (_NAME_MIN, 3):  # 9 (the header "recipient"), then less if need be
        while sum(names.values()) + (0 if stacked else _SENTENCE_MIN) > room and \
                any(w > least for w in names.values()):
            names[max(names, key=lambda c: names[c])] -= 1
    widths.update(names)
    sentence_width = width - 4 if stacked else \
        min(natural["sentence"], room - sum(names.values()))
    columns = [c for c in _COLUMNS if not (stacked and c == "sentence")]
    widths["sentence"] = sentence_width

    def cell(c: str, text: str) -> str:
        w = widths[c]
        text = text if len(text) <= w else text[: w - 1] + "…"
        return text.rjust(w) if c in _RIGHT else text.ljust(w)

    out = [" ".join(cell(c, c) for c in columns).rstrip()]
    for r in rows:
        wrapped = textwrap.wrap(r["sentence"], max(8, sentence_width)) or [""]
        if stacked:
            out.append(" ".join(cell(c, r[c]) for c in columns).rstrip())
            out += ["    " + line for line in wrapped if line]
            continue
        out.append(" ".join(cell(c, wrapped[0] if c == "sentence" else r[c])
                            for c in columns).rstrip())
        for more in wrapped[1:]:
            out.append(" ".join(cell(c, more if c == "sentence" else "")
                                for c in columns).rstrip())
    return out


def _print_events(items: list[dict[str, Any]]) -> None:
    if tabular_output():
        lines = _tsv_lines(items)
    else:
        import shutil

        lines = _table_lines(items, shutil.get_terminal_size((180, 24)).columns)
    for line in lines:
        typer.echo(line)


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

    _print_events([detail])
    console = _console()
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
    """The event and its mentions (dedup's ``event_with_mentions``; None when the event is
    not there), each mention with its article's metadata."""
    from dataclasses import asdict

    from dateline.dedup import event_with_mentions
    from dateline.query import article_refs

    try:
        event, mentions = event_with_mentions(store, event_id)
    except KeyError:
        return None
    detail = asdict(event)
    refs = article_refs(store, sorted({m.article_id for m in mentions}))
    detail["mentions"] = [{**m.to_dict(), "article": refs.get(m.article_id)} for m in mentions]
    return detail


@app.command()
@with_filters
def events(
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    config: Optional[Path] = typer.Option(None, "--config", help=_CONFIG_HELP),
    filters: dict[str, Optional[str]] = FILTER_OPTIONS,
    sort: Optional[str] = _opt("sort"),
    limit: Optional[str] = typer.Option(None, "--limit",
                                        help="Events per page (default 50; 0: all on one page)."),
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
    query = _query({**filters, "sort": sort, "limit": limit, "cursor": cursor})
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
        _print_events(page.items)
        if page.next_cursor:
            _console(stderr=True).print(f"[dim]{len(page.items)} shown; next page: --cursor "
                                        f"{page.next_cursor}[/dim]")
    finally:
        store.close()


@app.command()
@with_filters
def stats(
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    config: Optional[Path] = typer.Option(None, "--config", help=_CONFIG_HELP),
    filters: dict[str, Optional[str]] = FILTER_OPTIONS,
    top: int = typer.Option(20, "--top", min=1, max=1000, help="Rows per ranking."),
    lake: Optional[Path] = typer.Option(None, "--lake",
                                        help="Query a Parquet lake folder instead of --db."),
    as_json: bool = typer.Option(False, "--json", help="JSON on stdout (like GET /stats)."),
) -> None:
    """Counts of the matching events by type, country and month, and the top dyads."""
    from rich.table import Table
    from rich.text import Text

    from dateline.query import stats as compute

    query = _query(filters)
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
@with_filters
def export(
    out: Path = typer.Argument(..., help="Output file, or folder for parquet and gdelt."),
    fmt: str = typer.Option(..., "--format", "-f",
                            help="gdelt, plover, csv, parquet or geojson."),
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    config: Optional[Path] = typer.Option(None, "--config", help=_CONFIG_HELP),
    filters: dict[str, Optional[str]] = FILTER_OPTIONS,
    sort: Optional[str] = _opt("sort"),
    limit: Optional[str] = typer.Option(None, "--limit",
                                        help="At most this many events (default and 0: all)."),
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
    query = _query({**filters, "sort": sort, "limit": limit or "0"})  # default: all
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
