"""Publication dates for articles that carry none: a metadata file joined by id (given, or
found beside the input as IndiaPoliceEvents ships it), a batch date, else none -- never the
day of ingestion."""

from __future__ import annotations

import json
from datetime import datetime

from dateline.cli import app
from dateline.ingest.options import ReadOptions
from dateline.ingest.pipeline import ingest

# lower-case reports in the shape of a collection that keeps its dates in a separate file
DOCS = [
    {"doc_id": 7, "doc_text": "meerut: traders downed shutters on monday to protest against a "
                              "new levy on wholesale grain, the market committee said."},
    {"doc_id": 8, "doc_text": "kanpur: two constables were injured when a crowd threw stones "
                              "at a police picket near the old bus stand."},
    {"doc_id": 9, "doc_text": "This story is from May 2, 2004\n\nagra: the district "
                              "administration banned processions for a week."},
]
META = [
    {"doc_id": 7, "date": "2004-04-27", "url": "https://example.org/news/7"},
    {"doc_id": 8, "date": "2004-04-28"},
    {"doc_id": 9, "date": "1999-01-01"},
]


def write(path, rows) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def published(store) -> dict[str, str | None]:
    return {aid: pub.date().isoformat() if pub else None for aid, pub in store.con.execute(
        "SELECT id, published FROM articles").fetchall()}


def test_a_metadata_file_beside_the_input_dates_it(store, tmp_path):
    folder = tmp_path / "collection"
    folder.mkdir()
    write(folder / "docs.jsonl", DOCS)
    write(folder / "metadata.jsonl", META)
    summary = ingest(store, [str(folder)], progress=False)
    # the metadata file is metadata, not three more articles
    assert summary.read == 3 and summary.failed == 0
    assert published(store) == {"7": "2004-04-27", "8": "2004-04-28", "9": "2004-05-02"}
    assert summary.dated_from_metadata == 2 and summary.undated == 0
    url = store.con.execute("SELECT url FROM articles WHERE id = '7'").fetchone()[0]
    assert url == "https://example.org/news/7"


def test_a_metadata_file_given_by_name(store, tmp_path):
    docs = write(tmp_path / "docs.jsonl", DOCS)
    meta = write(tmp_path / "dates-elsewhere.jsonl", META[:1])
    summary = ingest(store, [docs], progress=False,
                     options=ReadOptions(metadata=(meta,)))
    assert published(store) == {"7": "2004-04-27", "8": None, "9": "2004-05-02"}
    assert summary.undated == 1
    assert "1 article had no publication date" in summary.line()
    assert "--metadata" in summary.line() and "--date" in summary.line()


def test_the_batch_date_fills_what_is_left(store, tmp_path):
    docs = write(tmp_path / "docs.jsonl", DOCS)
    summary = ingest(store, [docs], progress=False,
                     options=ReadOptions(default_date=datetime(2004, 4, 30)))
    assert published(store) == {"7": "2004-04-30", "8": "2004-04-30", "9": "2004-05-02"}
    assert summary.dated_from_batch == 2 and summary.undated == 0


def test_without_any_date_articles_stay_undated(store, tmp_path):
    docs = write(tmp_path / "docs.jsonl", DOCS)
    summary = ingest(store, [docs], progress=False)
    assert published(store) == {"7": None, "8": None, "9": "2004-05-02"}
    assert summary.undated == 2
    assert summary.to_dict()["undated"] == 2
    assert "2 articles had no publication date" in summary.line()


def test_a_metadata_file_alone_is_read_as_articles(store, tmp_path):
    rows = [{"id": "x1", "date": "2004-04-27", "text": "lucknow: a rally was held here on sunday."}]
    path = write(tmp_path / "metadata.jsonl", rows)
    summary = ingest(store, [path], progress=False)
    assert summary.read == 1 and published(store) == {"x1": "2004-04-27"}


def test_cli_options_and_summary(tmp_path, runner):
    docs = write(tmp_path / "docs.jsonl", DOCS)
    meta = write(tmp_path / "m.jsonl", META[1:2])
    db = str(tmp_path / "db.duckdb")
    result = runner.invoke(app, ["ingest", "--no-code", "--no-progress", "--db", db, "--json",
                                 "--metadata", meta, "--date", "2004-04-29", docs])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["dated_from_metadata"], summary["dated_from_batch"], summary["undated"]) \
        == (1, 1, 0)
    missing = runner.invoke(app, ["ingest", "--no-code", "--db", db, "--metadata",
                                  str(tmp_path / "nope.jsonl"), docs])
    assert missing.exit_code == 2 and "nope.jsonl" in missing.stderr


def test_undated_articles_code_without_the_ingest_day(store, tmp_path, coder):
    docs = write(tmp_path / "docs.jsonl", [
        {"id": "n1", "text": "Hundreds of farmers marched through Jaipur on Friday to demand "
                             "higher prices. Police detained 40 protesters."},
        {"id": "n2", "text": "On 4 March 2011 hundreds of farmers marched through Jaipur to "
                             "demand higher prices."},
    ])
    ingest(store, [docs], coder=coder, progress=False)
    today = datetime.now().date().isoformat()
    rows = store.con.execute("SELECT article_id, date, date_precision FROM mentions").fetchall()
    assert rows and all(d is None or d.isoformat() != today for _a, d, _p in rows)
    assert {p for a, _d, p in rows if a == "n1"} == {"unknown"}
    assert {(d.isoformat(), p) for a, d, p in rows if a == "n2"} == {("2011-03-04", "day")}
    for (data,) in store.con.execute("SELECT data FROM events").fetchall():
        ev = json.loads(data)
        assert ev["date"] != today and ev["num_articles"] == 1
