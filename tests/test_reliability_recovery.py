"""Crash recovery without blind spots (issue 14): a rerun finishes what a killed run left,
`check` reports pending work, exports and backups are whole or absent, uploads a killed
server left are cleaned at start-up."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from ingest_fixtures import KeywordCoder, write_text_corpus
from typer.testing import CliRunner

from dateline.cli import app
from dateline.model import ActorRef, Article, Mention
from dateline.scale.lake import commit_partition, load_lake, write_partition
from dateline.store import Store


def _article(i: int) -> Article:
    text = (f"Rebels attacked the town of Marea {i} on Monday.\n\n"
            f"Government forces clashed with rebels near Aleppo in story {i}.")
    return Article(id=f"a{i:03d}", text=text, headline=f"Headline {i}", source=f"Outlet {i % 3}",
                   url=f"http://news.example/{i}",
                   published=datetime(2016, 12, 5 + i % 3, 9, tzinfo=UTC))


def _mentions(a: Article) -> list[Mention]:
    first = a.paragraphs[0]
    return [Mention(article_id=a.id, sentence=first, sentence_index=0, char_start=0,
                    char_end=len(first), event_type="ASSAULT", cameo="190", quad_class=4,
                    actor=[ActorRef(text="Rebels", code="SYRREB", country="SYR", start=0, end=6)],
                    trigger="attacked", trigger_start=7, trigger_end=15, date="2016-12-05",
                    date_precision="day", confidence=0.8)]


def _lake(tmp_path, n: int = 12):
    lake = tmp_path / "lake"
    arts = [_article(i) for i in range(n)]
    commit_partition(lake, write_partition(lake, "p1", [(a, _mentions(a)) for a in arts]))
    return lake


def _pending(db) -> tuple[int, int, int]:
    with Store.open(db, read_only=True) as store:
        q = store.con.execute
        return (q("SELECT count(*) FROM articles").fetchone()[0],
                q("SELECT count(*) FROM mentions WHERE event_id IS NULL").fetchone()[0],
                q("SELECT count(*) FROM events").fetchone()[0])


def _killed_load(tmp_path):
    """The state a `load` killed after its insert, before dedup, leaves: articles and
    mentions committed, no event."""
    lake = _lake(tmp_path)
    db = tmp_path / "ld.duckdb"
    with Store.open(db) as store:
        load_lake(store, lake, dedup=False)
    articles, pending, events = _pending(db)
    assert (articles, pending, events) == (12, 12, 0)
    return lake, db


# -- 1. a rerun of load or ingest finishes the dedup of mentions without an event ------------

def test_rerun_of_load_finishes_pending_dedup(tmp_path):
    lake, db = _killed_load(tmp_path)
    res = CliRunner().invoke(app, ["load", str(lake), "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["articles_new"] == 0 and summary["articles_skipped"] == 12
    articles, pending, events = _pending(db)
    assert pending == 0 and events > 0, (articles, pending, events)


def test_rerun_of_ingest_finishes_pending_dedup_even_without_coding(tmp_path):
    _, db = _killed_load(tmp_path)
    write_text_corpus(tmp_path / "more", 2, seed=14)
    res = CliRunner().invoke(app, ["ingest", str(tmp_path / "more"), "--db", str(db),
                                   "--no-code", "--no-progress"])
    assert res.exit_code == 0, res.output
    articles, pending, events = _pending(db)
    assert (articles, pending) == (14, 0) and events > 0


def test_ingest_with_a_coder_finishes_pending_dedup(tmp_path):
    from dateline.ingest.pipeline import ingest

    _, db = _killed_load(tmp_path)
    write_text_corpus(tmp_path / "more", 3, seed=15)
    with Store.open(db) as store:
        ingest(store, [str(tmp_path / "more")], coder=KeywordCoder(), progress=False)
    assert _pending(db)[1] == 0


# -- 2. check reports pending mentions and how to finish them --------------------------------

def test_check_reports_pending_mentions_and_finish_completes_them(tmp_path):
    _, db = _killed_load(tmp_path)
    runner = CliRunner()
    res = runner.invoke(app, ["check", "--db", str(db)])
    assert res.exit_code == 3, res.output
    assert "pending: 12 mentions of 12 articles wait for dedup" in res.stdout
    assert "dateline check --finish" in res.stdout
    assert "\nok\n" not in res.stdout
    report = json.loads(runner.invoke(app, ["check", "--db", str(db), "--json"]).stdout)
    assert not report["ok"] and report["consistent"]
    assert report["pending"]["mentions"] == 12 and report["pending"]["articles"] == 12
    done = runner.invoke(app, ["check", "--db", str(db), "--finish"])
    assert done.exit_code == 0, done.output
    assert "finished: 12 mentions" in done.stdout and done.stdout.rstrip().endswith("ok")
    assert _pending(db)[1:] == (0, _pending(db)[2]) and _pending(db)[2] > 0
