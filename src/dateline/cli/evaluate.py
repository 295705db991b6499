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
    dev_data: Path | None = typer.Option(
        None, "--dev-data", envvar="DATELINE_DEV_DATA",
        help="Folder holding corpora that gold items point into by 'ref' (e.g. india-police-events/)."),
) -> None:
    """Score the coder against gold data: precision, recall and F1 per measure."""
    from dateline.evaluate import GoldError, load_gold, read_predictions, score

    from dateline.config import Config

    err = Console(stderr=True)
    try:  # bad input: a message and exit code 2 (errors of the coder itself propagate)
        skipped: list[str] = []
        fmt_used, loaded = load_gold(gold, fmt, limit or None, dev_data, skipped)
        if skipped:
            err.print(f"{len(skipped)} items skipped: they point into a corpus that is not "
                      "bundled (give its folder with --dev-data)")
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


@app.command("train-detector")
def train_detector_command(
    train: list[Path] = typer.Argument(..., help="Gold files (Dateline format) to fit on."),
    tune: Path | None = typer.Option(
        None, "--tune", help="Gold file to choose the thresholds on (runs the coder)."),
    out: Path = typer.Option(Path("detector.json.gz"), "--out", help="Where to write the model."),
    c: float = typer.Option(2.0, "--c", min=0.001, help="Inverse regularisation strength of the heads."),
    no_hints: bool = typer.Option(False, "--no-hints",
                                  help="Leave out the lexicon's trigger-word type features."),
    config: Path | None = typer.Option(None, "--config", help="Config file (default ./dateline.toml)."),
    dev_data: Path | None = typer.Option(
        None, "--dev-data", envvar="DATELINE_DEV_DATA",
        help="Folder holding corpora that gold items point into by 'ref'."),
) -> None:
    """Fit the learned event detector on gold files and write its model (see docs/coding.md)."""
    from dataclasses import replace

    from dateline.coding import Coder
    from dateline.coding.detector import Detector, lexicon_hints
    from dateline.coding.lexicon import Lexicon
    from dateline.evaluate import GoldError, score
    from dateline.evaluate.train import train as fit_detector

    from dateline.config import Config

    err = Console(stderr=True)
    try:
        cfg = Config.load(config)
    except (OSError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    coders: dict[str, Coder] = {}

    def run(model, items) -> float:
        if "coder" not in coders:
            with err.status("loading the coder"):
                coders["coder"] = Coder.from_config(replace(cfg, finders=["rules"]))
        base = coders["coder"]
        coder = base.with_finders([base.analyzer, Detector(model, base.analyzer)])
        mentions = code_with_progress(coder, [i.article() for i in items], err)
        report = score("dateline", list(items), mentions)
        f1 = report.metrics["event type"].f1
        err.print(f"  propose_at {model.propose_at} screen_at {model.screen_at}: "
                  f"event-type F1 {f1:.3f}")
        return f1 or 0.0

    try:
        result = fit_detector(train, tune, out, run=run if tune else None, c=c,
                              dev_data=dev_data,
                              hints=None if no_hints else lexicon_hints(
                                  Lexicon.load(cfg.dicts)))
    except (GoldError, OSError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    typer.echo(f"trained on {result.items} items, {result.features} features; "
               f"thresholds {result.chosen}; wrote {out}")
    for t, n in result.positives.items():
        typer.echo(f"  {t:<10} {n} positive items")
