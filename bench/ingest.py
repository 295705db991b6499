"""Ingest throughput (--no-code) against the bound of merely reading and hashing the files.

10,000 synthetic articles (the founding example's plain-text shape, ~2.5 KB each) are
written once as 10,000 text files and once as one JSON Lines file in a temp folder. For
each, the same run measures (1) reading every byte and hashing each article with SHA-1,
and (2) ``dateline.ingest.pipeline.ingest`` into a fresh DuckDB file; the ratio
ingest/bound is the figure to watch (aim: <= 2), in wall-clock time and in CPU time (the
latter is steadier on a machine shared with other work). The language model is loaded once
before (its load time, a fixed cost per process, is reported apart).
``python -m bench.ingest [--quick]``.
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


class _Clock:
    """Wall and CPU seconds (CPU: all threads of this process, so other processes on a
    busy machine do not count)."""

    def __enter__(self) -> _Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def _corpus(folder: Path, n: int) -> tuple[Path, Path]:
    sys.path.insert(0, str(TESTS))
    try:
        from ingest_fixtures import write_jsonl_corpus, write_text_corpus
    finally:
        sys.path.remove(str(TESTS))
    write_text_corpus(folder / "text", n, seed=2016)
    jsonl = write_jsonl_corpus(folder / "articles.jsonl", n, seed=2017)
    return folder / "text", jsonl


def _bound_files(folder: Path) -> int:
    """Walk the folder, read each file, hash it: the least any reader must do."""
    n = 0
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            with open(os.path.join(root, name), "rb") as fh:
                hashlib.sha1(fh.read()).hexdigest()
            n += 1
    return n


def _bound_jsonl(path: Path) -> int:
    n = 0
    with open(path, "rb") as fh:
        for line in fh:
            hashlib.sha1(line).hexdigest()
            n += 1
    return n


def _ingest(paths: list[str], db: Path, context: object) -> tuple[_Clock, object]:
    from dateline.ingest.pipeline import ingest
    from dateline.store import Store

    with Store.open(db) as store:
        with _Clock() as clock:
            summary = ingest(store, paths, coder=None, progress=False, context=context)
        assert store.counts()["articles"] == summary.new
    return clock, summary


def run(quick: bool = False) -> dict:
    from dateline.ingest import ReadContext

    n = 1_000 if quick else 10_000
    tmp = Path(tempfile.mkdtemp(prefix="dateline-bench-ingest-"))
    results: dict = {"articles": n}
    try:
        text_dir, jsonl = _corpus(tmp, n)
        context = ReadContext.create()
        t = time.perf_counter()
        context.language.detect("Ceci n'est pas un texte anglais, mais il faut le dire.")
        results["language_model_load_s"] = round(time.perf_counter() - t, 2)
        _ingest([str(text_dir / "article-2016-00000.txt")], tmp / "warmup.duckdb", context)
        inputs = (("text_files", [str(text_dir)], lambda: _bound_files(text_dir)),
                  ("jsonl", [str(jsonl)], lambda: _bound_jsonl(jsonl)))
        for label, paths, bound in inputs:
            with _Clock() as bound_clock:
                count = bound()
            clock, summary = _ingest(paths, tmp / f"{label}.duckdb", context)
            if summary.new != n or count != n:
                raise RuntimeError(f"{label}: stored {summary.new} of {n} ({summary.errors[:3]})")
            results[label] = r = {
                "ingest_per_s": round(n / clock.wall),
                "read_hash_per_s": round(n / bound_clock.wall),
                "ratio": round(clock.wall / bound_clock.wall, 2),
                "ingest_cpu_per_s": round(n / clock.cpu),
                "read_hash_cpu_per_s": round(n / max(bound_clock.cpu, 1e-6)),
                "cpu_ratio": round(clock.cpu / max(bound_clock.cpu, 1e-6), 2),
                "ingest_s": round(clock.wall, 3),
                "read_hash_s": round(bound_clock.wall, 3),
            }
            print(f"ingest {label:10s}: {r['ingest_per_s']:>7,} articles/s, read+hash "
                  f"{r['read_hash_per_s']:>7,}/s: ratio {r['ratio']:.1f}x   (CPU time: "
                  f"{r['ingest_cpu_per_s']:,} vs {r['read_hash_cpu_per_s']:,}/s, "
                  f"{r['cpu_ratio']:.1f}x)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return results


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
