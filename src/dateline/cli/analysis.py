"""Commands for analysts: `dateline series` (totals by place and time) and `dateline compare`
(our events against a GDELT 2.0 or ACLED file)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from dateline.cli.app import app
from dateline.cli.query import (
    _CONFIG_HELP,
    _DB_HELP,
    FILTER_OPTIONS,
    _console,
    _fail,
    _open,
    _opt,
    _query,
    with_filters,
)


@app.command()
@with_filters
def series(
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    config: Optional[Path] = typer.Option(None, "--config", help=_CONFIG_HELP),
    by: str = typer.Option("month", "--by", help="day, week (ISO, from Monday), month, year "
                           "or total."),
    per: str = typer.Option("country", "--per", help="country, admin1, place or none."),
    fill: bool = typer.Option(False, "--fill", help="List empty buckets too (zeros)."),
    filters: dict[str, Optional[str]] = FILTER_OPTIONS,
    as_json: bool = typer.Option(False, "--json", help="JSON on stdout (like GET /series)."),
    as_csv: bool = typer.Option(False, "--csv", help="CSV on stdout, one row per place and "
                                "bucket."),
) -> None:
    """Events, dead, injured and arrested per country, region or place, per day, week or
    month."""
    from dataclasses import replace

    from dateline.query.series import BY, PER
    from dateline.query.series import series as compute

    if as_json and as_csv:
        _fail("--json and --csv exclude each other")
    if by not in BY:
        _fail(f"--by: expected one of {', '.join(BY)}, got {by!r}")
    if per not in PER:
        _fail(f"--per: expected one of {', '.join(PER)}, got {per!r}")
    query = replace(_query(filters), limit=None)
    store = _open(db, config)
    try:
        result = compute(store, query, by=by, per=per, fill=fill)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(result["columns"])
        for row in result["rows"]:
            writer.writerow(["" if row.get(c) is None else row.get(c)
                             for c in result["columns"]])
        return
    _print_series(result)


def _print_series(result: dict[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    shown = [c for c in result["columns"]
             if c not in ("period_end", "lat", "lon", "located_country", "located_admin1",
                          "located_city")]
    table = Table(header_style="bold")
    for c in shown:
        table.add_column(c, justify="right" if c in ("events", "dead", "injured", "arrested")
                         else "left")
    for row in result["rows"]:
        table.add_row(*(Text("-" if row.get(c) is None else
                             (f"{row[c]:,}" if isinstance(row[c], int) else str(row[c])))
                        for c in shown))
    console = _console()
    console.print(table)
    t = result["totals"]
    console.print(f"{len(result['rows']):,} rows · {t['events']:,} events, {t['dead']:,} dead, "
                  f"{t['injured']:,} injured, {t['arrested']:,} arrested "
                  f"(per {result['per']}, by {result['by']})")


@app.command()
def compare(
    files: list[Path] = typer.Argument(..., help="GDELT 2.0 event files (*.export.CSV, "
                                       "tab separated, optionally .zip) or ACLED CSV exports."),
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    config: Optional[Path] = typer.Option(None, "--config", help=_CONFIG_HELP),
    fmt: str = typer.Option("auto", "--format", help="auto, gdelt or acled."),
    country: Optional[str] = _opt("country"),
    place: Optional[str] = _opt("place"),
    since: Optional[str] = _opt("since"),
    until: Optional[str] = _opt("until"),
    type: Optional[str] = _opt("type"),
    days: int = typer.Option(0, "--days", min=0, max=30,
                             help="Dates may differ by this many days (default 0: same day)."),
    keep: bool = typer.Option(False, "--keep", help="Keep the rows read before (add to the "
                              "side table instead of replacing that file's rows)."),
    examples: int = typer.Option(5, "--examples", min=0, max=1000,
                                 help="List this many events of each side."),
    as_json: bool = typer.Option(False, "--json", help="The report as one JSON object."),
) -> None:
    """Read GDELT or ACLED files into a side table and report, for a place and period, the
    events both have, ours only and theirs only (matched by day, type and place)."""
    from dateline.compare import CompareError, compare_report, load_files

    query = _query({"country": country, "place": place, "since": since, "until": until,
                    "type": type})
    store = _open(db, config, read_only=False)
    try:
        try:
            loaded = load_files(store, [str(f) for f in files], fmt=fmt, replace=not keep)
        except CompareError as exc:
            _fail(str(exc))
        report = compare_report(store, query, days=days, examples=examples,
                                files=[x["file"] for x in loaded])
    finally:
        store.close()
    report["loaded"] = loaded
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, default=str))
        return
    _print_compare(report)


def _print_compare(report: dict[str, Any]) -> None:
    from rich.markup import escape

    console = _console()
    for item in report["loaded"]:
        console.print(f"read {item['rows']:,} {item['dataset']} rows from "
                      f"{escape(item['file'])} ({item['skipped']:,} skipped)")
    m = report["counts"]
    console.print(f"[bold]{report['scope']}[/bold]")
    console.print(f"both: {m['both']:,} · ours only: {m['ours_only']:,} · theirs only: "
                  f"{m['theirs_only']:,} (ours {m['ours']:,} events, theirs {m['theirs']:,} "
                  f"rows; matched by {report['matched_by']})")
    for row in report["by_type"]:
        console.print(f"  {row['type']:<10} both {row['both']:>5,} · ours only "
                      f"{row['ours_only']:>5,} · theirs only {row['theirs_only']:>5,}")
    for key, title in (("both", "both"), ("ours_only", "ours only"),
                       ("theirs_only", "theirs only")):
        rows = report["examples"].get(key) or []
        if rows:
            console.print(f"[bold]{title}[/bold]")
        for r in rows:
            console.print("  " + escape(" · ".join(str(x) for x in (
                r.get("date"), r.get("type"), r.get("place") or r.get("country"),
                r.get("text") or "") if x)))
