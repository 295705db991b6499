"""Commands of the coder: code."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Optional

import typer

from dateline.cli.app import app, load_config


@app.command()
def code(
    paths: list[str] = typer.Argument(..., help="Files, folders or globs of articles."),
    fmt: Optional[str] = typer.Option(None, "--format",
                                      help="text, html, feed, jsonl or warc (default: sniff)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Config file (TOML)."),
    dicts: Optional[list[Path]] = typer.Option(None, "--dict",
                                               help="Extra dictionary folder or file (repeatable)."),
    cluster: Optional[str] = typer.Option(None, "--cluster",
                                          help="Dask scheduler address or local:N; needs --out."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder for --cluster (Parquet lake)."),
    text_field: Optional[str] = typer.Option(None, "--text-field", help="JSONL field holding the text."),
    id_field: Optional[str] = typer.Option(None, "--id-field", help="JSONL field holding the id."),
) -> None:
    """Code articles into event mentions, written as JSON Lines to stdout (no store needed)."""
    from dateline.ingest import read_paths
    from dateline.ingest.options import ReadOptions
    from dateline.model import ReadError
    from dateline.protocols import coder_languages, not_coded_lines

    cfg = load_config(config, dicts)
    options = ReadOptions(text_field=text_field or None, id_field=id_field or None,
                          max_archive_bytes=cfg.max_inflated_bytes,
                          max_ratio=cfg.max_compression_ratio)
    if cluster:
        if out is None:
            typer.echo("error: --cluster needs --out DIR", err=True)
            raise typer.Exit(2)
        from dateline.scale import code_on_cluster

        summary = code_on_cluster(paths, cluster, out, cfg, fmt=fmt, options=options)
        typer.echo(str(summary), err=True)
        if not summary.ok:
            raise typer.Exit(1)
        return
    from dateline.coding import Coder

    coder = Coder.from_config(cfg)
    languages = coder_languages(coder)
    failed = 0
    not_coded: Counter[str] = Counter()

    def articles():
        nonlocal failed
        for item in read_paths(paths, fmt=fmt, options=options):
            if isinstance(item, ReadError):
                failed += 1
                typer.echo(str(item), err=True)
            elif item.language is not None and item.language not in languages:
                not_coded[item.language] += 1  # a language the coder does not read
            else:
                yield item

    n_articles = n_mentions = 0
    for _article, mentions in coder.code_articles(articles()):
        n_articles += 1
        for m in mentions:
            n_mentions += 1
            sys.stdout.write(json.dumps(m.to_dict(), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    typer.echo(f"coded {n_articles} articles: {n_mentions} mentions, {failed} failed", err=True)
    for line in not_coded_lines(not_coded, languages, stored=False):
        typer.echo(line, err=True)
    if n_articles == 0 and (failed or not_coded):
        raise typer.Exit(1)
