"""Scoring the coder against gold data: ``evaluate(coder, gold) -> Report``.

Two gold formats (docs/evaluation.md):

- ``dateline``: our JSON Lines gold (one sentence or short text per line with the
  events it holds and, optionally, events it must not yield); see ``gold.py``.
- ``india``: the IndiaPoliceEvents corpus ``sents.jsonl`` (sentence labels about police
  actions), converted and scored at sentence level; see ``india.py``.

The coder is run for real, one Article per item (or per document for ``india``);
``score`` compares mentions that were already produced (e.g. ``dateline code`` output).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from dateline.evaluate.gold import GoldError, GoldItem, coerce_items, read_gold, sniff_format
from dateline.evaluate.india import IndiaDoc, read_india, score_india
from dateline.evaluate.report import Counts, Mismatch, Report
from dateline.evaluate.score import score_items
from dateline.model import Article, Mention
from dateline.protocols import ArticleCoder

FORMATS = ("auto", "dateline", "india")

__all__ = [
    "FORMATS", "Counts", "GoldError", "GoldItem", "Mismatch", "Report", "articles_for", "evaluate",
    "load_gold", "read_predictions", "run_coder", "score",
]


Progress = Callable[[int, int], None]  # (articles done, articles in all)
Gold = str | Path | Iterable[GoldItem | dict[str, Any]]


def load_gold(gold: Gold, fmt: str = "auto", limit: int | None = None,
              dev_data: str | Path | None = None, skipped: list[str] | None = None,
              ) -> tuple[str, list[GoldItem] | list[IndiaDoc]]:
    """The format and the gold: Dateline items, or IndiaPoliceEvents documents.

    ``limit`` counts items (sentences for ``india``, taking whole documents)."""
    if fmt not in FORMATS:
        raise GoldError(f"unknown gold format {fmt!r} (one of {', '.join(FORMATS)})")
    if not isinstance(gold, str | Path):
        if fmt == "india":
            raise GoldError("the india format is read from its sents.jsonl file")
        items = coerce_items(gold)
        return "dateline", items[:limit] if limit is not None else items
    path = Path(gold)
    if not path.is_file():
        raise GoldError(f"{path}: gold file not found")
    if fmt == "auto":
        fmt = sniff_format(path)
    if fmt == "india":
        return "india", read_india(path, limit)
    return "dateline", read_gold(path, limit, dev_data, skipped)


def articles_for(fmt: str, gold: Sequence[GoldItem] | Sequence[IndiaDoc]) -> list[Article]:
    return [item.article if isinstance(item, IndiaDoc) else item.article() for item in gold]


def run_coder(coder: ArticleCoder, articles: Sequence[Article],
              progress: Progress | None = None) -> dict[str, list[Mention]]:
    """The coder's mentions for each article, by article id."""
    out: dict[str, list[Mention]] = {}
    for article, mentions in coder.code_articles(articles):
        out[article.id] = list(mentions)
        if progress is not None:
            progress(len(out), len(articles))
    return out


def score(fmt: str, gold: Sequence[GoldItem] | Sequence[IndiaDoc],
          predictions: Mapping[str, Sequence[Mention]]) -> Report:
    """The report for mentions already produced (by article id = item id / doc id)."""
    if fmt == "india":
        return score_india(gold, predictions)  # type: ignore[arg-type]
    return score_items(gold, predictions)  # type: ignore[arg-type]


def evaluate(coder: ArticleCoder, gold: Gold, fmt: str = "auto", limit: int | None = None,
             progress: Progress | None = None) -> Report:
    """Run the coder over the gold texts and score its mentions."""
    fmt, loaded = load_gold(gold, fmt, limit)
    predictions = run_coder(coder, articles_for(fmt, loaded), progress)
    return score(fmt, loaded, predictions)


def read_predictions(path: str | Path) -> dict[str, list[Mention]]:
    """Mentions from a JSON Lines file (``dateline code`` output), grouped by article id."""
    out: dict[str, list[Mention]] = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                m = Mention.from_dict(json.loads(line))
            except (ValueError, TypeError, KeyError) as exc:
                raise GoldError(f"{path}:{n}: not a mention record ({exc})") from exc
            out.setdefault(m.article_id, []).append(m)
    return out
