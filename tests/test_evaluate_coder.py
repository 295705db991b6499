"""The real coder over the gold files: the report must be well formed.

No score threshold here on purpose (the lead sets them once the coder settles); the
figures are printed by ``dateline evaluate`` and recorded in docs/evaluation.md.
"""

from __future__ import annotations

import json
from pathlib import Path


from dateline.evaluate import evaluate, load_gold
from dateline.evaluate.report import NONE
from dateline.model import EVENT_TYPES

GOLD = Path(__file__).parent / "gold"


def check_well_formed(report, items: int) -> None:
    assert report.totals["items"] == items
    for name, c in report.metrics.items():
        assert 0 <= c.tp <= min(c.gold, c.predicted), name
        for value in (c.precision, c.recall, c.f1):
            assert value is None or 0.0 <= value <= 1.0, name
    kinds = set(EVENT_TYPES) | {NONE}
    assert all(g in kinds and p in kinds for g, p in report.confusion)
    # every gold event lands in exactly one confusion row cell
    assert sum(n for (g, _), n in report.confusion.items() if g != NONE) == report.totals["gold events"]
    json.dumps(report.to_dict())


def test_dev_gold(coder):
    _, items = load_gold(GOLD / "dev.jsonl")
    report = evaluate(coder, GOLD / "dev.jsonl")
    check_well_formed(report, len(items))
    assert report.totals["gold events"] == sum(not e.optional for i in items for e in i.events)
    assert report.totals["predicted mentions"] > 0


def test_aleppo_gold(coder):
    report = evaluate(coder, GOLD / "aleppo.jsonl")
    check_well_formed(report, 1)
    assert report.totals["forbidden"] == 2


def test_india_documents(coder, ipe_dir):
    sents = ipe_dir / "sents.jsonl"
    report = evaluate(coder, sents, fmt="india", limit=150)
    assert report.format == "india"
    assert 150 <= report.totals["sentences"] < 400
    for c in report.metrics.values():
        assert 0 <= c.tp <= min(c.gold, c.predicted)
    assert report.totals["unplaced mentions"] <= report.totals["predicted mentions"]


def test_cli_coding_path(coder, tmp_path):
    """The command's coding step (progress bar + run_coder) with the session's coder."""
    from rich.console import Console

    from dateline.cli.evaluate import code_with_progress
    from dateline.evaluate import articles_for, score

    fmt, items = load_gold(GOLD / "dev.jsonl", limit=3)
    with open(tmp_path / "err.txt", "w") as fh:
        mentions = code_with_progress(coder, articles_for(fmt, items), Console(file=fh))
    assert set(mentions) == {i.id for i in items}
    assert score(fmt, items, mentions).totals["items"] == 3
