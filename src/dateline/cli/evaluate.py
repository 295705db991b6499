"""The evaluate command: score the coder against a gold file."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dateline.cli.app import app


@app.command("evaluate")
def evaluate_command(
    gold: Path = typer.Argument(..., help="Gold file: Dateline gold JSONL or IndiaPoliceEvents sents.jsonl."),
    fmt: str = typer.Option("auto", "--format", help="auto, dateline or india."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as one JSON object."),
    limit: int = typer.Option(0, "--limit", min=0,
                              help="Score only the first N items (india: sentences, whole "
                                   "documents); 0: all."),
    config: Path | None = typer.Option(None, "--config", help="Config file (default ./dateline.toml)."),
    errors: int = typer.Option(0, "--errors", min=0, help="Print the first N mismatches."),
    predictions: Path | None = typer.Option(
        None, "--predictions",
        help="Score the mentions in this JSONL file (dateline code output) instead of running the coder."),
) -> None:
    """Score the coder against gold data: precision, recall and F1 per measure."""
    from dateline.evaluate import GoldError, load_gold, read_predictions, score

    from dateline.config import Config

    err = Console(stderr=True)
    try:  # bad input: a message and exit code 2 (errors of the coder itself propagate)
        fmt_used, loaded = load_gold(gold, fmt, limit or None)
        mentions = read_predictions(predictions) if predictions is not None else None
        cfg = Config.load(config) if predictions is None else None
    except (GoldError, OSError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if mentions is None:
        mentions = _run(loaded, fmt_used, cfg, err)
    report = score(fmt_used, loaded, mentions)
    if as_json:
        data = report.to_dict()
        data["errors"] = data["errors"][:errors]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        report.print(Console(), errors=errors)


def _run(loaded, fmt: str, cfg, err: Console) -> dict[str, list]:
    """Build the coder from the config and code the gold texts."""
    from dateline.coding import Coder
    from dateline.evaluate import articles_for

    with err.status("loading the coder"):
        coder = Coder.from_config(cfg)
    return code_with_progress(coder, articles_for(fmt, loaded), err)


def code_with_progress(coder, articles: list, err: Console) -> dict[str, list]:
    """The coder's mentions by article id, with a progress bar on stderr."""
    from dateline.evaluate import run_coder

    columns = (TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("coding", total=len(articles))
        return run_coder(coder, articles, lambda done, total: bar.update(task, completed=done))
