"""The Parquet lake: month partitions, idempotent rewrites, commit markers, loading a store."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import duckdb
import pytest

from dateline.model import ActorRef, Article, Attribution, Mention, Place, Quantity, ReadError
from dateline.scale.lake import (
    MENTION_FIELDS,
    PartitionOutput,
    commit_partition,
    iter_lake_articles,
    iter_lake_mentions,
    lake_files,
    load_lake,
    remove_temporaries,
    write_partition,
)
from dateline.store import MENTION_COLUMNS, Store


def _article(i: int, published: datetime | None) -> Article:
    text = f"Police arrested {i} protesters in the capital on Monday.\n\nA second paragraph {i}."
    return Article(id=f"a{i:03d}", text=text, headline=f"Headline {i}", subheadlines=[f"sub {i}"],
                   source="Example News", url=f"http://news.example/{i}", published=published,
                   authors=["A. Writer"], language="en", origin=f"feed.jsonl:{i}")


def _mentions(a: Article) -> list[Mention]:
    m = Mention(
        article_id=a.id, sentence=a.paragraphs[0], sentence_index=0, char_start=0,
        char_end=len(a.paragraphs[0]), event_type="COERCE", cameo="173", quad_class=4,
        confidence=0.8, mode="arrest",
        actor=[ActorRef(text="Police", code="COP", sector="COP", start=0, end=6)],
        recipient=[ActorRef(text="protesters", code="CVL", country="SYR", start=20, end=30)],
        date=(a.published.date().isoformat() if a.published else None),
        date_precision="publication",
        location=Place(text="capital", name="Damascus", country="SYR", lat=33.5, lon=36.3),
        size={"arrested": 3}, quantities=[Quantity(value=3, unit="person", text="3 protesters")],
        attribution=Attribution(text="officials said", actor=ActorRef(text="officials")),
        trigger="arrested", trigger_start=7, trigger_end=15,
    )
    return [m]


def _coded(articles):
    return [(a, _mentions(a)) for a in articles]


DATES = [datetime(2016, 12, 7, 9, 30, tzinfo=UTC), datetime(2017, 1, 2, tzinfo=UTC),
         datetime(2016, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=3))), None]


def test_mention_columns_match_the_store():
    assert ", ".join(MENTION_FIELDS) == " ".join(MENTION_COLUMNS.split())


def test_write_partition_by_month_and_read_back(tmp_path):
    arts = [_article(i, DATES[i % 4]) for i in range(8)]
    out = write_partition(tmp_path, "k1", _coded(arts), [ReadError("bad.jsonl", "not JSON", 3)])
    commit_partition(tmp_path, out)
    assert out.months == ["2016-12", "2017-01", "unknown"]
    assert (out.articles, out.mentions, out.read_errors) == (8, 8, 1)
    assert (tmp_path / "mentions/month=2016-12/part-k1.parquet").exists()
    assert (tmp_path / "errors/part-k1.parquet").exists()
    back = {a.id: a for a in iter_lake_articles(tmp_path)}
    assert set(back) == {a.id for a in arts}
    for a in arts:
        b = back[a.id]
        assert (b.text, b.headline, b.subheadlines, b.authors, b.origin) == \
            (a.text, a.headline, a.subheadlines, a.authors, a.origin)
        assert b.published == a.published  # same instant (stored in UTC)
    mentions = {m.id: m for m in iter_lake_mentions(tmp_path)}
    assert {m.id: m.to_dict() for a in arts for m in _mentions(a)} == \
        {k: m.to_dict() for k, m in mentions.items()}
    # the article and its mentions share the month folder
    con = duckdb.connect()
    rows = con.execute(
        "SELECT m.filename, a.filename FROM read_parquet(?, filename=true) m "
        "JOIN read_parquet(?, filename=true) a ON a.id = m.article_id",
        [lake_files(tmp_path, "mentions"), lake_files(tmp_path, "articles")]).fetchall()
    assert len(rows) == 8
    assert all(m.split("/")[-2] == a.split("/")[-2] for m, a in rows)


def test_rewriting_a_partition_overwrites_and_drops_stale_months(tmp_path):
    arts = [_article(i, DATES[0]) for i in range(3)]
    commit_partition(tmp_path, write_partition(tmp_path, "k", _coded(arts)))
    commit_partition(tmp_path, write_partition(tmp_path, "k", _coded(arts)))  # a retry
    assert len(list(iter_lake_mentions(tmp_path))) == 3
    moved = [_article(i, DATES[1]) for i in range(3)]  # the input changed: other month
    commit_partition(tmp_path, write_partition(tmp_path, "k", _coded(moved)))
    assert [p.split("/")[-2] for p in lake_files(tmp_path, "articles")] == ["month=2017-01"]
    assert not list(tmp_path.glob("*/month=2016-12/*.parquet"))


def test_uncommitted_and_temporary_files_are_not_output(tmp_path):
    commit_partition(tmp_path, write_partition(tmp_path, "done", _coded([_article(1, DATES[0])])))
    write_partition(tmp_path, "killed", _coded([_article(2, DATES[0])]))  # no marker: task died
    (tmp_path / "articles/month=2016-12/.part-x.parquet.123.tmp").write_bytes(b"half")
    assert [a.id for a in iter_lake_articles(tmp_path)] == ["a001"]
    assert remove_temporaries(tmp_path) == 1


def test_duplicate_article_ids_in_a_partition_are_written_once(tmp_path):
    a = _article(1, DATES[0])
    out = write_partition(tmp_path, "d", _coded([a, a]))
    assert (out.articles, out.duplicates, out.mentions) == (1, 1, 1)


def test_load_lake_into_store_skips_stored_articles(tmp_path):
    lake = tmp_path / "lake"
    arts = [_article(i, DATES[i % 4]) for i in range(10)]
    commit_partition(lake, write_partition(lake, "p1", _coded(arts[:6])))
    # the same articles 4 and 5 again in another partition (the same story in two inputs)
    commit_partition(lake, write_partition(lake, "p2", _coded(arts[4:])))
    with Store.open(tmp_path / "s.duckdb") as store:
        store.add_articles(_coded(arts[:2]))
        s = load_lake(store, lake, dedup=False)
        assert (s.articles_in_lake, s.articles_new, s.articles_skipped, s.mentions_new) == (10, 8, 2, 8)
        assert store.counts()["articles"] == 10 and store.counts()["mentions"] == 10
        got = {m.id: m.to_dict() for m in store.mentions()}
        assert got == {m.id: m.to_dict() for a in arts for m in _mentions(a)}
        stored = store.get_article("a003")
        assert stored.subheadlines == ["sub 3"] and stored.authors == ["A. Writer"]
        assert stored.published is None
        assert store.get_article("a001").published == DATES[1]
        assert store.con.execute("SELECT bool_and(coded) FROM articles").fetchone()[0]
        again = load_lake(store, lake, dedup=False)
        assert (again.articles_new, again.articles_skipped, again.mentions_new) == (0, 10, 0)


def test_load_missing_lake_is_an_error(tmp_path):
    with Store.open(":memory:") as store, pytest.raises(FileNotFoundError):
        load_lake(store, tmp_path / "nope")


def test_marker_records_the_partition(tmp_path):
    out = write_partition(tmp_path, "m", _coded([_article(1, DATES[0])]), segments=["f.jsonl[0:10]"])
    commit_partition(tmp_path, out)
    marker = json.loads((tmp_path / "_partitions/m.json").read_text())
    assert PartitionOutput(**marker) == out
