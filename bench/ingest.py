"""Ingest throughput (--no-code) against the bound of merely reading and hashing the files.

10,000 synthetic articles (the founding example's plain-text shape, ~2.5 KB each) are
written once as 10,000 text files and once as one JSON Lines file in a temp folder. For
each, the same run measures (1) reading every byte and hashing each article with SHA-1,
and (2) ``dateline.ingest.pipeline.ingest`` into a fresh DuckDB file; the ratio
ingest/bound is the figure to watch (aim: <= 2), in wall-clock time and in CPU time (the
latter is steadier on a machine shared with other work; it includes the reader worker
processes). Ingest runs twice: as by default (worker processes read when there are many
files or a large JSON Lines file, see ``dateline.ingest.parallel``) and all in one
process. The language model is loaded once before (its load time, a fixed cost per
process, is reported apart).
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


def _cpu() -> float:
    """CPU seconds of this process (all threads) and of its finished child processes (the
    ingest's reader workers, which it waits for before it returns)."""
    t = os.times()  # children: in clock ticks; this process: finer
    return time.process_time() + t.children_user + t.children_system


class _Clock:
    """Wall and CPU seconds (CPU: this process and its workers, so other processes on a
    busy machine do not count)."""

    def __enter__(self) -> _Clock:
        self.wall, self.cpu = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = _cpu() - self.cpu


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


def _ingest(paths: list[str], db: Path, context: object,
            parallel: bool | None = None) -> tuple[_Clock, object]:
    from dateline.ingest.pipeline import ingest
    from dateline.store import Store

    with Store.open(db) as store:
        with _Clock() as clock:
            summary = ingest(store, paths, coder=None, progress=False, context=context,
                             parallel=parallel)
        assert store.counts()["articles"] == summary.new
    return clock, summary


def _files(paths: list[str]) -> list[str]:
    from dateline.ingest.paths import expand_paths

    return [p for p in expand_paths(paths) if isinstance(p, str)]


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
            # the default (worker processes when the input is large enough) and, for
            # comparison, everything read in this one process
            clock, summary = _ingest(paths, tmp / f"{label}.duckdb", context)
            one, one_summary = _ingest(paths, tmp / f"{label}-1.duckdb", context, False)
            if summary.new != n or count != n or one_summary.new != n:
                raise RuntimeError(f"{label}: stored {summary.new} of {n} ({summary.errors[:3]})")
            from dateline.ingest.parallel import workers, worth_it

            results[label] = r = {
                "workers": workers() if worth_it(_files(paths), None, context) else 0,
                "ingest_per_s": round(n / clock.wall),
                "read_hash_per_s": round(n / bound_clock.wall),
                "ratio": round(clock.wall / bound_clock.wall, 2),
                "ingest_cpu_per_s": round(n / clock.cpu),
                "read_hash_cpu_per_s": round(n / max(bound_clock.cpu, 1e-6)),
                "cpu_ratio": round(clock.cpu / max(bound_clock.cpu, 1e-6), 2),
                "ingest_s": round(clock.wall, 3),
                "read_hash_s": round(bound_clock.wall, 3),
                "one_process_per_s": round(n / one.wall),
                "one_process_ratio": round(one.wall / bound_clock.wall, 2),
                "one_process_cpu_ratio": round(one.cpu / max(bound_clock.cpu, 1e-6), 2),
            }
            print(f"ingest {label:10s}: {r['ingest_per_s']:>7,} articles/s, read+hash "
                  f"{r['read_hash_per_s']:>7,}/s: ratio {r['ratio']:.1f}x   (CPU time: "
                  f"{r['ingest_cpu_per_s']:,} vs {r['read_hash_cpu_per_s']:,}/s, "
                  f"{r['cpu_ratio']:.1f}x; {r['workers']} reader processes)")
            print(f"  in one process: {r['one_process_per_s']:>7,} articles/s: ratio "
                  f"{r['one_process_ratio']:.1f}x (CPU {r['one_process_cpu_ratio']:.1f}x)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return results


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
