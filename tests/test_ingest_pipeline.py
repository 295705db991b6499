"""ingest(): batches, duplicates, idempotency, a mixed folder of every format, coding."""

from __future__ import annotations

import gzip
import json
import shutil
import zipfile

import pytest
from bad_inputs import BAD_INPUTS, build_all
from ingest_fixtures import (
    KeywordCoder,
    article_parts,
    article_text,
    atom_feed,
    html_page,
    jsonl_record,
    rss_feed,
    warc_bytes,
    write_jsonl_corpus,
    write_text_corpus,
)

from dateline.ingest import read_paths
from dateline.ingest.check import check_store
from dateline.ingest.pipeline import IngestSummary, ingest
from dateline.model import Article, ReadError
from dateline.store import Store


def _mixed_folder(folder):
    """Every format (and archives of them), with the fast bad inputs among them."""
    folder.mkdir(parents=True)
    parts = [article_parts(i, seed=60) for i in range(20)]
    (folder / "a.txt").write_text(article_text(parts[0]))
    (folder / "b.html").write_text(html_page(parts[1]))
    (folder / "c.rss").write_text(rss_feed(parts[2:4]))
    (folder / "d.atom").write_text(atom_feed(parts[4:6]))
    (folder / "e.jsonl").write_text("".join(json.dumps(jsonl_record(p)) + "\n"
                                            for p in parts[6:9]))
    (folder / "f.warc.gz").write_bytes(warc_bytes(
        [(f"https://e.org/{i}", html_page(parts[i])) for i in (9, 10)], gzipped=True))
    (folder / "sub").mkdir()
    (folder / "sub" / "g.txt.gz").write_bytes(gzip.compress(article_text(parts[11]).encode()))
    with zipfile.ZipFile(folder / "sub" / "h.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(12, 16):
            zf.writestr(f"h{i}.txt", article_text(parts[i]))
        zf.writestr("h.jsonl", "".join(json.dumps(jsonl_record(p)) + "\n" for p in parts[16:20]))
    bads = build_all(folder / "bad", {b.kind for b in BAD_INPUTS if "slow" not in b.tags})
    good = 20 + sum(b.articles for b in bads)
    return parts, bads, good


def test_mixed_folder_every_format_and_broken_files(tmp_path):
    parts, bads, good = _mixed_folder(tmp_path / "in")
    errors: list[ReadError] = []
    with Store.open(tmp_path / "db.duckdb") as store:
        first = ingest(store, [str(tmp_path / "in")], progress=False, batch_size=7,
                       on_error=errors.append)
        assert first.read == good and first.new == good and first.duplicate == 0
        assert first.failed == sum(b.errors for b in bads) == len(errors)
        for bad in bads:  # every broken file named
            assert len([e for e in errors if bad.name in e.path]) == bad.errors, bad.kind
        stored = store.articles_where()
        assert len(stored) == len({a.id for a in stored}) == good  # each stored exactly once
        headlines = {a.headline for a in stored}
        assert {p["headline"] for p in parts} <= headlines
        second = ingest(store, [str(tmp_path / "in")], progress=False, batch_size=7)
        assert second.read == good and second.new == 0 and second.duplicate == good
        assert second.failed == first.failed
        assert store.counts()["articles"] == good
        assert check_store(store).ok


def test_same_article_twice_is_stored_once(tmp_path):
    folder = tmp_path / "in"
    [path] = write_text_corpus(folder, 1, seed=61)
    shutil.copy(path, folder / "copy-of-it.txt")
    (folder / "crlf.txt").write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    with Store.open(tmp_path / "db.duckdb") as store:
        s = ingest(store, [str(folder)], progress=False)
        assert (s.read, s.new, s.duplicate) == (3, 1, 2)


@pytest.mark.parametrize("batch_size", [1, 3, 1000])
def test_batches_and_duplicates_across_them(tmp_path, batch_size):
    write_jsonl_corpus(tmp_path / "a.jsonl", 10, seed=62)
    write_jsonl_corpus(tmp_path / "b.jsonl", 15, seed=62)  # the first 10 again
    with Store.open(tmp_path / "db.duckdb") as store:
        s = ingest(store, [str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")],
                   progress=False, batch_size=batch_size)
        assert (s.read, s.new, s.duplicate, s.failed) == (25, 15, 10, 0)
        ids = [r[0] for r in store.con.execute("SELECT id FROM articles").fetchall()]
        assert sorted(ids) == sorted(f"syn-62-{i}" for i in range(15))


def test_articles_round_trip_through_the_store(tmp_path, example_path):
    with Store.open(tmp_path / "db.duckdb") as store:
        ingest(store, [str(example_path)], progress=False)
        [read] = [a for a in read_paths([str(example_path)]) if isinstance(a, Article)]
        stored = store.get_article(read.id)
    assert stored.text == read.text and stored.headline == read.headline
    assert stored.subheadlines == read.subheadlines and stored.section == read.section
    assert stored.published.date() == read.published.date()
    assert stored.origin == str(example_path) and stored.language == "en"


def test_coding_stores_mentions_with_their_article_and_skips_duplicates(tmp_path):
    write_text_corpus(tmp_path / "in", 12, seed=63)
    coder = KeywordCoder()
    with Store.open(tmp_path / "db.duckdb") as store:
        s = ingest(store, [str(tmp_path / "in")], coder=coder, progress=False, batch_size=5)
        assert s.new == 12 and len(coder.coded) == 12
        n_mentions = store.counts()["mentions"]
        assert s.mentions == n_mentions > 0
        orphans = store.con.execute(
            "SELECT count(*) FROM mentions m LEFT JOIN articles a ON a.id = m.article_id "
            "WHERE a.id IS NULL OR NOT a.coded").fetchall()[0][0]
        assert orphans == 0
        again = ingest(store, [str(tmp_path / "in")], coder=coder, progress=False, batch_size=5)
        assert again.duplicate == 12 and len(coder.coded) == 12  # duplicates were not coded
        assert store.counts()["mentions"] == n_mentions
        if s.events is not None:  # dedup is present: every mention got its event
            unassigned = store.con.execute(
                "SELECT count(*) FROM mentions WHERE event_id IS NULL").fetchall()[0][0]
            assert unassigned == 0 and store.counts()["events"] > 0
            assert check_store(store).ok


def test_strict_stops_at_first_bad_input_and_keeps_what_came_before(tmp_path):
    folder = tmp_path / "in"
    write_text_corpus(folder, 3, seed=64)
    (folder / "article-64-00001.txt").write_bytes(b"\x00\x01binary")  # second in order
    with Store.open(tmp_path / "db.duckdb") as store:
        s = ingest(store, [str(folder)], progress=False, strict=True)
        assert s.stopped and s.failed == 1 and s.new == 1
        assert "stopped at the first bad input" in s.line()


def test_summary_line_and_dict():
    s = IngestSummary(read=10, new=7, duplicate=3, failed=1, seconds=2.0,
                      errors=[ReadError("x.txt", "empty file")])
    assert s.line().startswith("read 10 · new 7 · duplicate 3 · failed 1 · 2.0 s")
    assert s.to_dict()["errors"] == ["x.txt: empty file"]


def test_real_coder_on_the_example(tmp_path, example_path, coder):
    """With the real Coder: the example's mentions land with the article."""
    with Store.open(tmp_path / "db.duckdb") as store:
        s = ingest(store, [str(example_path)], coder=coder, progress=False)
        assert s.new == 1
        assert s.mentions == store.counts()["mentions"]
        assert check_store(store).ok


def test_the_store_own_files_are_not_read(tmp_path):
    write_text_corpus(tmp_path, 2, seed=65)
    with Store.open(tmp_path / "db.duckdb") as store:
        ingest(store, [str(tmp_path)], progress=False)
        s = ingest(store, [str(tmp_path)], progress=False)
        assert (s.read, s.failed, s.duplicate) == (2, 0, 2)
