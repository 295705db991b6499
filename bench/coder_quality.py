"""Coding quality: the real coder scored on the gold files (docs/evaluation.md).

Prints and returns F1 (and precision/recall) of the main measures on tests/gold/dev.jsonl,
tests/gold/aleppo.jsonl and the IndiaPoliceEvents sentences (Halterman, Keith, Sarwar,
O'Connor, Findings of ACL 2021) layout: the bundled corpus, or the one given with ``--data``
(bench/data.py) — all its sentences, or the first ~2,000 with ``quick``.
Also the coding time of each set, measured in the same run.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench import data

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
DATELINE_MEASURES = ("event type", "event (strict)", "actor", "recipient", "date", "location",
                     "negated")


def _figures(report, names) -> dict:
    out = {}
    for name in names:
        c = report.metrics.get(name)
        if c is not None:
            out[name] = {"precision": c.precision, "recall": c.recall, "f1": c.f1,
                         "gold": c.gold, "predicted": c.predicted}
    return out


def run(quick: bool = False) -> dict:
    from dateline.coding import Coder
    from dateline.config import Config
    from dateline.evaluate import evaluate
    from dateline.evaluate.india import KINDS, MICRO

    coder = Coder.from_config(Config())
    results: dict = {}
    for name in ("dev", "aleppo"):
        t = time.perf_counter()
        report = evaluate(coder, GOLD / f"{name}.jsonl")
        results[name] = {"seconds": round(time.perf_counter() - t, 2),
                         "totals": dict(report.totals),
                         "measures": _figures(report, DATELINE_MEASURES),
                         "top_errors": dict(report.error_kinds.most_common(10))}
    india = data.ipe_dir() / "sents.jsonl"
    if india.exists():
        t = time.perf_counter()
        report = evaluate(coder, india, fmt="india", limit=2000 if quick else None)
        results["india"] = {"corpus": data.describe(data.ipe_dir()),
                            "seconds": round(time.perf_counter() - t, 2),
                            "totals": dict(report.totals),
                            "measures": _figures(report, [n for _, _, n in KINDS] + [MICRO]),
                            "top_errors": dict(report.error_kinds.most_common(10))}
    for name, res in results.items():
        corpus = f" ({res['corpus']})" if "corpus" in res else ""
        print(f"[coder_quality] {name}{corpus}: {res['totals']} in {res['seconds']} s")
        for measure, f in res["measures"].items():
            p, r, f1 = (("-" if v is None else f"{v:.3f}") for v in (f["precision"], f["recall"], f["f1"]))
            print(f"  {measure:34s} P {p}  R {r}  F1 {f1}  (gold {f['gold']}, predicted {f['predicted']})")
    return results


if __name__ == "__main__":
    import sys

    data.select(sys.argv)
    run(quick="--quick" in sys.argv)
