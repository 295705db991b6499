"""Commands over articles: ingest, articles, show, check."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, Optional

import typer

from dateline.cli.app import app, load_config, open_store
from dateline.config import Config

_DB_HELP = "DuckDB store (default: db in the config, ./dateline.duckdb)."
_CONFIG_HELP = "Config file (TOML; default ./dateline.toml)."
ERRORS_PER_FILE = 5  # bad records of one file printed; the rest are counted (all in --json)


def _err_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True, highlight=False)


def _open_store(db: Optional[Path], config: Optional[Path], read_only: bool,
                cfg: Config | None = None) -> Any:
    return open_store(db, config, read_only, cfg)


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders or globs (.gz/.zip too)."),
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    config: Optional[Path] = typer.Option(None, "--config", help=_CONFIG_HELP),
    fmt: Optional[str] = typer.Option(
        None, "--format", help="text, html, feed, jsonl or warc (default: sniff each file)."),
    no_code: bool = typer.Option(False, "--no-code", help="Store the articles without coding."),
    strict: bool = typer.Option(False, "--strict",
                                help="Stop at the first bad input and exit with status 1."),
    batch_size: int = typer.Option(500, "--batch-size", min=1,
                                   help="Articles per transaction."),
    dicts: Optional[list[Path]] = typer.Option(None, "--dict",
                                               help="Extra dictionary folder or file."),
    text_field: Optional[str] = typer.Option(None, "--text-field", help="JSONL text field."),
    id_field: Optional[str] = typer.Option(None, "--id-field", help="JSONL id field."),
    title_field: Optional[str] = typer.Option(None, "--title-field", help="JSONL title field."),
    date_field: Optional[str] = typer.Option(None, "--date-field", help="JSONL date field."),
    url_field: Optional[str] = typer.Option(None, "--url-field", help="JSONL URL field."),
    source_field: Optional[str] = typer.Option(None, "--source-field",
                                               help="JSONL source field."),
    metadata: Optional[list[Path]] = typer.Option(
        None, "--metadata",
        help="JSON Lines joining article ids to dates (IndiaPoliceEvents' metadata.jsonl) "
             "for articles without one; default: a metadata.jsonl beside the input."),
    batch_date: Optional[str] = typer.Option(
        None, "--date", help="Publication date (YYYY-MM-DD) of articles that have none."),
    max_file_mb: float = typer.Option(20.0, "--max-file-mb",
                                      help="Largest text/HTML/feed file read (MB)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON on stdout."),
) -> None:
    """Read articles into the store (and code them into events unless --no-code)."""
    from dateline.coding import Coder
    from dateline.ingest.options import FORMATS, MB, ReadOptions
    from dateline.ingest.pipeline import ingest as run_ingest

    if fmt is not None and fmt not in FORMATS:
        typer.echo(f"error: --format must be one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)
    cfg = load_config(config, dicts)
    for meta in metadata or ():
        if not meta.is_file():
            typer.echo(f"error: --metadata {meta}: no such file", err=True)
            raise typer.Exit(2)
    options = ReadOptions(
        text_field=text_field, id_field=id_field, title_field=title_field,
        date_field=date_field, url_field=url_field, source_field=source_field,
        max_file_bytes=int(max_file_mb * MB), max_archive_bytes=cfg.max_inflated_bytes,
        max_ratio=cfg.max_compression_ratio,
        metadata=tuple(str(m) for m in metadata or ()),
        default_date=_day_bound(batch_date, end=False) if batch_date else None)
    coder = None if no_code else Coder.from_config(cfg)
    _quiet_parsers()
    console = _err_console()

    def report(error: Any) -> None:
        console.print(str(error), markup=False, highlight=False, soft_wrap=True)

    db_path = str(db) if db else cfg.db
    new_store = db_path != ":memory:" and not Path(db_path).exists()
    store = _open_store(db, config, read_only=False, cfg=cfg)
    try:
        summary = run_ingest(store, paths, coder=coder, fmt=fmt, options=options,
                             batch_size=batch_size, progress=progress, strict=strict,
                             on_error=report, console=console, errors_per_file=ERRORS_PER_FILE,
                             on_note=report)
    finally:
        store.close()
    if new_store and summary.read == 0:  # nothing read: no empty store left behind
        for leftover in (db_path, db_path + ".wal"):
            Path(leftover).unlink(missing_ok=True)
    console.print(summary.line(), markup=False, highlight=False, soft_wrap=True)
    for note in summary.notes():
        report(note)
    if as_json:
        typer.echo(json.dumps(summary.to_dict()))
    if (strict and summary.failed) or summary.read == 0:
        if summary.read == 0:
            console.print("nothing could be read", markup=False)
        raise typer.Exit(1)


def _quiet_parsers() -> None:
    """trafilatura and htmldate log a warning per odd page; ingest reports its own lines."""
    import logging

    for name in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _day_bound(value: str, end: bool) -> datetime:
    from dateline.ingest.dates import parse_date

    parsed = parse_date(value)
    if parsed is None:
        typer.echo(f"error: cannot read the date {value!r} (use YYYY-MM-DD)", err=True)
        raise typer.Exit(2)
    if end and parsed.time() == time(0) and len(value.strip()) <= 10:
        parsed += timedelta(days=1)  # --until 2016-12-07 includes that whole day
    return parsed


@app.command()
def articles(
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    config: Optional[Path] = typer.Option(None, "--config", help=_CONFIG_HELP),
    since: Optional[str] = typer.Option(None, "--since", help="Published on or after (date)."),
    until: Optional[str] = typer.Option(None, "--until", help="Published on or before (date)."),
    source: Optional[str] = typer.Option(None, "--source", help="Source contains (any case)."),
    search: Optional[str] = typer.Option(None, "--search",
                                         help="Headline or text contains (any case)."),
    limit: int = typer.Option(50, "--limit", min=0, help="At most this many (0: all)."),
    as_json: bool = typer.Option(False, "--json", help="JSON Lines, one article per line."),
) -> None:
    """List stored articles (newest filters first: --since/--until/--source/--search)."""
    where: list[str] = ["TRUE"]
    params: list[Any] = []
    if since:
        where.append("published >= ?")
        params.append(_day_bound(since, end=False))
    if until:
        end = _day_bound(until, end=True)
        where.append("published < ?" if len(until.strip()) <= 10 else "published <= ?")
        params.append(end)
    if source:
        where.append("source ILIKE ?")
        params.append(f"%{source}%")
    if search:
        where.append("(headline ILIKE ? OR text ILIKE ?)")
        params += [f"%{search}%", f"%{search}%"]
    store = _open_store(db, config, read_only=True)
    try:
        rows = store.articles_where(" AND ".join(where), params, limit=limit or None)
    finally:
        store.close()
    if as_json:
        for art in rows:
            typer.echo(json.dumps(art.to_dict(), ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} article(s)", title_justify="left")
    table.add_column("id", no_wrap=True, overflow="fold")
    table.add_column("published", no_wrap=True)
    table.add_column("source", overflow="ellipsis", max_width=24)
    table.add_column("section", overflow="ellipsis", max_width=16)
    table.add_column("headline", overflow="fold", ratio=1)
    for art in rows:
        table.add_row(art.id, art.published.strftime("%Y-%m-%d %H:%M") if art.published else "",
                      art.source or "", art.section or "", art.headline or art.text[:80])
    Console(highlight=False).print(table)


@app.command()
def show(
    article_id: str = typer.Argument(..., help="Article id (see `dateline articles`)."),
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    config: Optional[Path] = typer.Option(None, "--config", help=_CONFIG_HELP),
    as_json: bool = typer.Option(False, "--json", help="One JSON object: article and mentions."),
) -> None:
    """Show one article: header, body, and its event mentions."""
    store = _open_store(db, config, read_only=True)
    try:
        art = store.get_article(article_id)
        mentions = store.mentions("article_id = ?", [article_id]) if art else []
    finally:
        store.close()
    if art is None:
        typer.echo(f"error: no article with id {article_id}", err=True)
        raise typer.Exit(1)
    if as_json:
        typer.echo(json.dumps({"article": art.to_dict(),
                               "mentions": [m.to_dict() for m in mentions]},
                              ensure_ascii=False))
        return
    from rich.console import Console

    out = Console(highlight=False)
    out.print(art.headline or "(no headline)", style="bold", markup=False)
    for sub in art.subheadlines:
        out.print(sub, style="italic", markup=False)
    fields = (("id", art.id), ("section", art.section),
              ("published", art.published.isoformat() if art.published else None),
              ("source", art.source), ("url", art.url), ("authors", ", ".join(art.authors)),
              ("language", art.language), ("origin", art.origin))
    for name, value in fields:
        if value:
            out.print(f"{name}: {value}", markup=False)
    out.print()
    out.print(art.text, markup=False, soft_wrap=True)
    if mentions:
        out.print()
        out.print(f"{len(mentions)} event mention(s):", style="bold")
        for m in mentions:
            who = ", ".join(a.code or a.text for a in m.actor) or "?"
            whom = ", ".join(a.code or a.text for a in m.recipient) or "?"
            where = m.location.name if m.location and m.location.name else ""
            out.print(f"  {m.event_type} ({m.cameo}) {who} → {whom} {m.date or ''} {where}"
                      f"{' [negated]' if m.negated else ''}: {m.sentence[:120]}", markup=False,
                      soft_wrap=True)


@app.command()
def check(
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    config: Optional[Path] = typer.Option(None, "--config", help=_CONFIG_HELP),
    as_json: bool = typer.Option(False, "--json", help="The report as JSON."),
    finish: bool = typer.Option(False, "--finish",
                                help="First group mentions still waiting for dedup into "
                                     "events (what a killed ingest or load left)."),
) -> None:
    """Check the store's integrity; exit status 1 on any problem, 3 when mentions wait
    for dedup (--finish groups them)."""
    from dateline.ingest.check import check_store

    store = _open_store(db, config, read_only=not finish)
    try:
        if finish:
            from dateline.dedup import finish_pending

            done = finish_pending(store)
            if done is not None and not as_json:
                typer.echo(f"finished: {done.mentions:,} mentions grouped into events "
                           f"({done.events_new:,} new, {done.events_updated:,} updated)")
        report = check_store(store)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(report.to_dict()))
    else:
        counts = ", ".join(f"{v:,} {k}" for k, v in report.counts.items())
        typer.echo(f"schema version {report.schema_version}: {counts}")
        for name, n in report.checks.items():
            typer.echo(f"  {name}: {n:,}")
        for note in report.notes:
            typer.echo(f"note: {note}")
        for problem in report.problems:
            typer.echo(f"problem: {problem}", err=True)
        if report.pending:
            typer.echo(f"pending: {report.pending}")
        typer.echo("ok" if report.ok else f"{len(report.problems)} problem(s)"
                   if report.problems else "consistent, but mentions wait for dedup")
    if not report.consistent:
        raise typer.Exit(1)
    if not report.ok:
        raise typer.Exit(3)
