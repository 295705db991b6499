"""Scaling out: articles/s in one process and on a LocalCluster of 1 and 2 workers.

All three runs code the same articles (the IndiaPoliceEvents-layout corpus, Halterman et al.,
Findings of ACL 2021: the bundled one, its records repeated under new ids up to the size
asked, or the one given with ``--data``; bench/data.py) through the same partitions and the
same Parquet writer; the
cluster runs start after every worker has loaded its Coder, so the figures compare coding,
not model loading (which is timed apart). Scaling efficiency = 2-worker rate / (2 x 1-worker
rate). ``python -m bench.scale [--quick]``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import data

WORKER_HOURS_DAY = 250_000  # articles in one GDELT-scale day


def _corpus(folder: Path, n: int) -> Path:
    out = folder / "ipe.jsonl"
    with open(out, "w", encoding="utf-8") as dst:
        for record in data.ipe_records(n):
            dst.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def _mention_ids(lake: Path) -> set[str]:
    from dateline.scale import iter_lake_mentions

    return {m.id for m in iter_lake_mentions(lake)}


def _cpu_seconds() -> float:
    """CPU time (user + system, all threads) this process has used."""
    t = os.times()
    return t.user + t.system


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def _figures(s, cpu: float, workers: int = 1) -> dict:
    return {"articles": s.articles, "mentions": s.mentions, "partitions": s.partitions,
            "seconds": s.seconds, "articles_per_s": round(s.articles_per_second, 2),
            "cpu_s": round(cpu, 2),
            "cpu_ms_per_article": round(1000 * cpu / s.articles, 1) if s.articles else 0.0,
            # how much of its cores the run got: 1.0 = every worker busy all the time
            "cpu_share": round(cpu / (s.seconds * workers), 3) if s.seconds else 0.0}


def run(quick: bool = False) -> dict:
    from distributed import Client, LocalCluster

    from dateline.coding import Coder
    from dateline.config import Config
    from dateline.ingest.options import ReadOptions
    from dateline.scale import code_in_process, code_on_cluster, prepare_workers

    n = 100 if quick else 1000
    config = Config(n_process=1)
    options = ReadOptions(text_field="full_text", id_field="doc_id", date_field="date",
                          url_field="url")
    tmp = Path(tempfile.mkdtemp(prefix="dateline-bench-scale-"))
    results: dict = {"corpus": data.describe(data.ipe_dir()), "articles": n,
                     "cores": os.cpu_count(),
                     "load_before": round(os.getloadavg()[0], 2)}
    try:
        corpus = _corpus(tmp, n)
        t0 = time.perf_counter()
        coder = Coder.from_config(config)
        results["coder_load_s"] = round(time.perf_counter() - t0, 2)
        cpu0 = _cpu_seconds()
        s = code_in_process([corpus], tmp / "lake-1p", config, options=options, progress=False,
                            coder=coder)
        results["process_1"] = _figures(s, _cpu_seconds() - cpu0)
        del coder
        reference = _mention_ids(tmp / "lake-1p")
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              host="127.0.0.1", dashboard_address="127.0.0.1:0") as cluster, \
                    Client(cluster) as client:
                t0 = time.perf_counter()
                prepare_workers(client, config)  # every worker loads its Coder before timing
                warm = round(time.perf_counter() - t0, 2)
                before = client.run(_cpu_seconds)
                lake = tmp / f"lake-{workers}w"
                s = code_on_cluster([corpus], client, lake, config, options=options,
                                    progress=False)
                after = client.run(_cpu_seconds)
                rss = max(client.run(_rss_mb).values())
            cpu = sum(after[w] - before[w] for w in after if w in before)
            results[f"cluster_{workers}"] = {
                **_figures(s, cpu, workers), "worker_load_s": warm,
                "worker_rss_mb": round(rss),
                "same_mentions_as_1_process": _mention_ids(lake) == reference}
        p1, c1, c2 = results["process_1"], results["cluster_1"], results["cluster_2"]
        results["scaling_efficiency_2w"] = \
            round(c2["articles_per_s"] / (2 * c1["articles_per_s"]), 3) if c1["articles_per_s"] else 0.0
        # the same ratio from CPU time: what the workers spent per article, whatever else
        # ran on the machine (wall-clock rates on shared cores also measure the neighbours)
        results["cpu_efficiency_2w"] = \
            round(c1["cpu_ms_per_article"] / c2["cpu_ms_per_article"], 3) if c2["cpu_ms_per_article"] else 0.0
        results["cluster_1w_vs_process"] = round(c1["articles_per_s"] / p1["articles_per_s"], 3)
        per_article = c1["cpu_ms_per_article"] / 1000 or 1 / max(c1["articles_per_s"], 1e-9)
        results["worker_hours_per_250k"] = round(WORKER_HOURS_DAY * per_article / 3600, 2)
        results["worker_hours_per_250k_wall"] = round(WORKER_HOURS_DAY / c1["articles_per_s"] / 3600, 2)
        results["load_after"] = round(os.getloadavg()[0], 2)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _print(results)
    return results


def _print(r: dict) -> None:
    print(f"scale: {r['articles']} articles of the {r['corpus']}, {r['cores']} cores, "
          f"coder load {r['coder_load_s']} s")
    rows = [("1 process", r["process_1"]), ("LocalCluster 1 worker", r["cluster_1"]),
            ("LocalCluster 2 workers", r["cluster_2"])]
    for name, c in rows:
        same = c.get("same_mentions_as_1_process")
        print(f"  {name:<23}{c['articles_per_s']:8.2f} articles/s  {c['seconds']:8.1f} s wall  "
              f"{c['cpu_ms_per_article']:7.1f} CPU ms/article  CPU share {c['cpu_share']:.2f}  "
              f"{c['partitions']:3d} partitions"
              + ("" if same is None else f"  same mentions as 1 process: {same}"))
    print(f"  scaling efficiency, 2 workers / (2 x 1 worker): {r['scaling_efficiency_2w']} "
          f"(from CPU time per article: {r['cpu_efficiency_2w']})")
    print(f"  1-worker cluster / 1 process: {r['cluster_1w_vs_process']}; memory of one worker "
          f"with its Coder: {r['cluster_1']['worker_rss_mb']} MB")
    print(f"  250,000 articles/day: {r['worker_hours_per_250k']} worker-hours of CPU "
          f"({r['worker_hours_per_250k_wall']} at the measured 1-worker wall rate)")
    print(f"  (1-minute load average {r['load_before']} before, {r['load_after']} after; "
          "a CPU share below 1 means other processes took the cores: the wall-clock rates and "
          "their efficiency then measure the neighbours, the CPU-time figures do not)")


if __name__ == "__main__":
    data.select(sys.argv)
    out = run(quick="--quick" in sys.argv)
    if "--json" in sys.argv:
        print(json.dumps(out))
