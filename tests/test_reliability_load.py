"""Load, light: uvicorn on 127.0.0.1 serves 4 query clients while two posters send 100
articles (plus 10 sent twice) through POST /articles, coded by the real coder. No error,
no article lost, none stored twice, every mention in an event. No timing assertions: the
figures (p99, throughput) come from `bench/load.py` (`python -m bench.load`).
"""

from __future__ import annotations

import random

import pytest
from api_fixtures import API_KEY, app_config, load_coder, running_server
from reliability_fixtures import event_articles, run_load, store_report, write_event_corpus

from dateline.api import create_app
from dateline.ingest.check import check_store
from dateline.ingest.pipeline import ingest
from dateline.store import Store


@pytest.mark.slow
def test_queries_and_posts_together_lose_nothing(request, tmp_path):
    coder = load_coder(request)
    store = Store.open(tmp_path / "load.duckdb")
    try:
        # a store with events already, so that the queries have something to return
        write_event_corpus(tmp_path / "seed", 30, seed=60)
        ingest(store, [str(tmp_path / "seed")], coder=coder, progress=False)
        seeded = store.counts()["articles"]
        app = create_app(store, app_config(tmp_path, max_body_bytes=5_000_000))
        app.state.dateline.coder = coder  # the session's coder, not a second load
        articles = event_articles(100, seed=61)
        again = random.Random(61).sample(articles, 10)
        with running_server(app) as base:
            figures = run_load(base, API_KEY, [*articles, *again], clients=4, min_seconds=0,
                               max_seconds=600, batch=10, writers=2)
        summary = figures.summary()
        assert figures.errors == [], figures.errors[:5]
        assert summary["queries"] > 0 and summary["posts"] == 11
        # every article answered for, once
        assert sorted(figures.posted_ids) == sorted(a["id"] for a in [*articles, *again])
        assert figures.reported_new == 100 and figures.reported_duplicate == 10
        assert sorted(figures.reported_ids) == sorted(a["id"] for a in articles)
        # and in the store: nothing lost, nothing twice, every mention in an event
        state = store_report(store.con)
        assert state["articles"] == state["article_ids_distinct"] == seeded + 100
        stored = {r[0] for r in store.con.execute("SELECT id FROM articles").fetchall()}
        assert {a["id"] for a in articles} <= stored
        assert state["mentions"] == state["mention_ids_distinct"] > 100
        assert state["mentions_without_event"] == 0 and state["orphan_mentions"] == 0
        assert state["mentions_with_missing_event"] == 0
        report = check_store(store)
        assert report.ok, report.problems
        assert list((tmp_path / "uploads").iterdir()) == []  # request folders cleaned up
    finally:
        store.close()
