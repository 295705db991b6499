"""Scaling out: articles/s in one process and on a LocalCluster of 1 and 2 workers.

All three runs code the same real articles (IndiaPoliceEvents, Halterman et al., Findings of
ACL 2021: Times of India, 2002) through the same partitions and the same Parquet writer; the
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

IPE = Path(__file__).resolve().parents[2] / "shared" / "dev-data" / "india-police-events"
WORKER_HOURS_DAY = 250_000  # articles in one GDELT-scale day


def _corpus(folder: Path, n: int) -> Path:
    out = folder / "ipe.jsonl"
    with open(IPE / "metadata.jsonl", encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= n:
                break
            dst.write(line)
    return out


def _mention_ids(lake: Path) -> set[str]:
    from dateline.scale import iter_lake_mentions

    return {m.id for m in iter_lake_mentions(lake)}


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
    results: dict = {"articles": n, "cores": os.cpu_count(),
                     "load_before": round(os.getloadavg()[0], 2)}
    try:
        corpus = _corpus(tmp, n)
        t0 = time.perf_counter()
        coder = Coder.from_config(config)
        results["coder_load_s"] = round(time.perf_counter() - t0, 2)
        s = code_in_process([corpus], tmp / "lake-1p", config, options=options, progress=False,
                            coder=coder)
        del coder
        results["process_1"] = {"articles": s.articles, "mentions": s.mentions,
                                "seconds": s.seconds, "articles_per_s": round(s.articles_per_second, 2)}
        reference = _mention_ids(tmp / "lake-1p")
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              host="127.0.0.1", dashboard_address="127.0.0.1:0") as cluster, \
                    Client(cluster) as client:
                t0 = time.perf_counter()
                prepare_workers(client, config)
                warm = round(time.perf_counter() - t0, 2)
                lake = tmp / f"lake-{workers}w"
                s = code_on_cluster([corpus], client, lake, config, options=options, progress=False)
            same = _mention_ids(lake) == reference
            results[f"cluster_{workers}"] = {
                "articles": s.articles, "mentions": s.mentions, "partitions": s.partitions,
                "seconds": s.seconds, "articles_per_s": round(s.articles_per_second, 2),
                "worker_load_s": warm, "same_mentions_as_1_process": same}
        r1 = results["cluster_1"]["articles_per_s"]
        r2 = results["cluster_2"]["articles_per_s"]
        results["scaling_efficiency_2w"] = round(r2 / (2 * r1), 3) if r1 else 0.0
        results["cluster_overhead_1w"] = round(r1 / results["process_1"]["articles_per_s"], 3)
        per_worker = r1 or results["process_1"]["articles_per_s"]
        results["worker_hours_per_250k"] = round(WORKER_HOURS_DAY / per_worker / 3600, 2)
        results["load_after"] = round(os.getloadavg()[0], 2)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _print(results)
    return results


def _print(r: dict) -> None:
    print(f"scale: {r['articles']} IndiaPoliceEvents articles, {r['cores']} cores, "
          f"coder load {r['coder_load_s']} s")
    p = r["process_1"]
    print(f"  1 process        {p['articles_per_s']:8.2f} articles/s  ({p['seconds']} s, "
          f"{p['mentions']} mentions)")
    for w in (1, 2):
        c = r[f"cluster_{w}"]
        print(f"  LocalCluster {w}w  {c['articles_per_s']:8.2f} articles/s  ({c['seconds']} s, "
              f"{c['partitions']} partitions, same mentions: {c['same_mentions_as_1_process']})")
    print(f"  scaling efficiency (2w / 2 x 1w): {r['scaling_efficiency_2w']}")
    print(f"  1-worker cluster / 1 process:     {r['cluster_overhead_1w']}")
    print(f"  250,000 articles/day = {r['worker_hours_per_250k']} worker-hours at the 1-worker rate")
    print(f"  (1-minute load average {r['load_before']} before, {r['load_after']} after: other "
          "processes on the same cores lower the rates and the efficiency)")


if __name__ == "__main__":
    out = run(quick="--quick" in sys.argv)
    if "--json" in sys.argv:
        print(json.dumps(out))
