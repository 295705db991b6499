"""Ingest throughput (--no-code) against the bound of merely reading and hashing the files.

10,000 synthetic articles (the founding example's plain-text shape, ~2.5 KB each) are
written once as 10,000 text files and once as one JSON Lines file in a temp folder. For
each, the same run measures (1) reading every byte and hashing each article with SHA-1,
and (2) ``dateline.ingest.pipeline.ingest`` into a fresh DuckDB file; the ratio
ingest/bound is the figure to watch (aim: <= 2). The language model is loaded once before
(its load time, a fixed cost per process, is reported apart). ``python -m bench.ingest
[--quick]``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"


def _corpus(folder: Path, n: int) -> tuple[Path, Path]:
    sys.path.insert(0, str(TESTS))
    try:
        from ingest_fixtures import write_jsonl_corpus, write_text_corpus
    finally:
        sys.path.remove(str(TESTS))
    write_text_corpus(folder / "text", n, seed=2016)
    jsonl = write_jsonl_corpus(folder / "articles.jsonl", n, seed=2017)
    return folder / "text", jsonl


def _bound_files(folder: Path) -> tuple[float, int]:
    """Walk the folder, read each file, hash it: the least any reader must do."""
    t = time.perf_counter()
    n = 0
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            with open(os.path.join(root, name), "rb") as fh:
                hashlib.sha1(fh.read()).hexdigest()
            n += 1
    return time.perf_counter() - t, n


def _bound_jsonl(path: Path) -> tuple[float, int]:
    t = time.perf_counter()
    n = 0
    with open(path, "rb") as fh:
        for line in fh:
            hashlib.sha1(line).hexdigest()
            n += 1
    return time.perf_counter() - t, n


def _ingest(paths: list[str], db: Path, context: object) -> tuple[float, object]:
    from dateline.ingest.pipeline import ingest
    from dateline.store import Store

    with Store.open(db) as store:
        t = time.perf_counter()
        summary = ingest(store, paths, coder=None, progress=False, context=context)
        seconds = time.perf_counter() - t
        assert store.counts()["articles"] == summary.new
    return seconds, summary


def run(quick: bool = False) -> dict:
    n = 1_000 if quick else 10_000
    tmp = Path(tempfile.mkdtemp(prefix="dateline-bench-ingest-"))
    results: dict = {"articles": n}
    try:
        from dateline.ingest import ReadContext

        text_dir, jsonl = _corpus(tmp, n)
        context = ReadContext.create()
        t = time.perf_counter()
        context.language.detect("Ceci n'est pas un texte anglais, mais il faut le dire.")
        results["language_model_load_s"] = round(time.perf_counter() - t, 2)  # once a process
        _ingest([str(text_dir / "article-2016-00000.txt")], tmp / "warmup.duckdb", context)
        for label, paths, bound in (("text_files", [str(text_dir)], lambda: _bound_files(text_dir)),
                                    ("jsonl", [str(jsonl)], lambda: _bound_jsonl(jsonl))):
            bound_s, count = bound()
            ingest_s, summary = _ingest(paths, tmp / f"{label}.duckdb", context)
            if summary.new != n or count != n:
                raise RuntimeError(f"{label}: stored {summary.new} of {n} ({summary.errors[:3]})")
            results[label] = {
                "read_hash_per_s": round(n / bound_s),
                "ingest_per_s": round(n / ingest_s),
                "read_hash_s": round(bound_s, 3),
                "ingest_s": round(ingest_s, 3),
                "ratio": round(ingest_s / bound_s, 2),
            }
            r = results[label]
            print(f"ingest {label:10s}: {r['ingest_per_s']:>8,} articles/s  "
                  f"(read+hash {r['read_hash_per_s']:>9,}/s)  ratio {r['ratio']:.2f}x")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return results


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
