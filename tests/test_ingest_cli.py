"""The ingest, articles, show and check commands (CliRunner and real subprocesses)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from ingest_fixtures import DATELINE, write_jsonl_corpus, write_text_corpus

from dateline.cli import app
from dateline.ingest import read_paths
from dateline.model import Article
from dateline.store import Store


@pytest.fixture
def db(tmp_path, runner, example_path):
    """A store holding the example and 5 synthetic JSONL articles."""
    path = tmp_path / "db.duckdb"
    write_jsonl_corpus(tmp_path / "wire.jsonl", 5, seed=80)
    result = runner.invoke(app, ["ingest", "--no-code", "--no-progress", "--db", str(path),
                                 str(example_path), str(tmp_path / "wire.jsonl")])
    assert result.exit_code == 0, result.output
    return path


def example_id(example_path) -> str:
    [art] = [a for a in read_paths([str(example_path)]) if isinstance(a, Article)]
    return art.id


def test_ingest_summary_and_json(tmp_path, runner, example_path):
    path = tmp_path / "db.duckdb"
    result = runner.invoke(app, ["ingest", "--no-code", "--db", str(path), "--json",
                                 str(example_path)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    counts = (summary["read"], summary["new"], summary["duplicate"], summary["failed"])
    assert counts == (1, 1, 0, 0)
    assert "read 1 · new 1 · duplicate 0 · failed 0" in result.stderr
    again = runner.invoke(app, ["ingest", "--no-code", "--db", str(path), "--json",
                                str(example_path)])
    assert json.loads(again.stdout)["duplicate"] == 1 and again.exit_code == 0


def test_ingest_exit_status(tmp_path, runner):
    path = str(tmp_path / "db.duckdb")
    (tmp_path / "empty.txt").write_text("")
    nothing = runner.invoke(app, ["ingest", "--no-code", "--db", path, str(tmp_path / "empty.txt")])
    assert nothing.exit_code == 1 and "empty.txt: empty file" in nothing.stderr
    missing = runner.invoke(app, ["ingest", "--no-code", "--db", path, str(tmp_path / "nope")])
    assert missing.exit_code == 1 and "no such file or folder" in missing.stderr
    bad_fmt = runner.invoke(app, ["ingest", "--no-code", "--db", path, "--format", "pdf", "x"])
    assert bad_fmt.exit_code == 2


def test_ingest_field_mapping_options(tmp_path, runner):
    rec = {"key": "k1", "story": "Troops clashed on the border on Tuesday.", "heading": "Clash",
           "when": "2016-12-07", "where": "https://x.org/1", "outlet": "Paper"}
    (tmp_path / "x.jsonl").write_text(json.dumps(rec) + "\n")
    path = str(tmp_path / "db.duckdb")
    result = runner.invoke(app, [
        "ingest", "--no-code", "--db", path, "--text-field", "story", "--id-field", "key",
        "--title-field", "heading", "--date-field", "when", "--url-field", "where",
        "--source-field", "outlet", str(tmp_path / "x.jsonl")])
    assert result.exit_code == 0, result.output
    shown = json.loads(runner.invoke(app, ["show", "k1", "--db", path, "--json"]).stdout)
    art = shown["article"]
    assert (art["headline"], art["url"], art["source"]) == ("Clash", "https://x.org/1", "Paper")
    assert art["published"].startswith("2016-12-07")


def test_articles_table_json_and_filters(db, runner, example_path):
    table = runner.invoke(app, ["articles", "--db", str(db)], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "6 article(s)" in table.stdout
    assert "Army seize key ground" in table.stdout and example_id(example_path) in table.stdout
    rows = [json.loads(line) for line in
            runner.invoke(app, ["articles", "--db", str(db), "--json"]).stdout.splitlines()]
    assert len(rows) == 6 and all("text" in r and "headline" in r for r in rows)
    published = [r["published"] for r in rows]
    assert published == sorted(published)

    def ids(*args: str) -> list[str]:
        out = runner.invoke(app, ["articles", "--db", str(db), "--json", *args])
        assert out.exit_code == 0, out.output
        return [json.loads(line)["id"] for line in out.stdout.splitlines()]

    assert ids("--since", "2016-12-07", "--until", "2016-12-07") == [example_id(example_path)]
    assert ids("--search", "SHAAR neighbourhood") == [example_id(example_path)]
    assert len(ids("--source", "synthetic")) == 5
    assert len(ids("--limit", "2")) == 2
    assert ids("--since", "2030-01-01") == []
    assert runner.invoke(app, ["articles", "--db", str(db), "--since", "someday"]).exit_code == 2


def test_show(db, runner, example_path):
    aid = example_id(example_path)
    out = runner.invoke(app, ["show", aid, "--db", str(db)])
    assert out.exit_code == 0
    for text in ("Army seize key ground in fierce Aleppo battle", "section: Syria War",
                 "published: 2016-12-07", "Say no to ceasefire call",
                 "More than 300,000 people have since died"):
        assert text in out.stdout
    data = json.loads(runner.invoke(app, ["show", aid, "--db", str(db), "--json"]).stdout)
    assert data["article"]["id"] == aid and data["mentions"] == []
    missing = runner.invoke(app, ["show", "no-such-id", "--db", str(db)])
    assert missing.exit_code == 1 and "no article with id no-such-id" in missing.stderr


def test_show_lists_mentions(tmp_path, runner):
    from ingest_fixtures import KeywordCoder

    from dateline.ingest.pipeline import ingest

    write_text_corpus(tmp_path / "in", 1, seed=81)
    with Store.open(tmp_path / "db.duckdb") as store:
        ingest(store, [str(tmp_path / "in")], coder=KeywordCoder(), progress=False)
        aid, n = store.con.execute(
            "SELECT article_id, count(*) FROM mentions GROUP BY 1").fetchall()[0]
    out = runner.invoke(app, ["show", aid, "--db", str(tmp_path / "db.duckdb")])
    assert f"{n} event mention(s)" in out.stdout and "ASSAULT (19)" in out.stdout
    data = json.loads(runner.invoke(app, ["show", aid, "--db", str(tmp_path / "db.duckdb"),
                                          "--json"]).stdout)
    assert len(data["mentions"]) == n


def test_check_ok_and_problems(db, runner):
    ok = runner.invoke(app, ["check", "--db", str(db), "--json"])
    assert ok.exit_code == 0, ok.output
    report = json.loads(ok.stdout)
    assert report["ok"] and report["counts"]["articles"] == 6
    with Store.open(db) as store:
        store.con.execute("INSERT INTO events (id, event_type, data) "
                          "VALUES ('e1', 'ASSAULT', '{}')")
        aid = store.con.execute("SELECT id FROM articles LIMIT 1").fetchall()[0][0]
        store.con.execute(
            "INSERT INTO mentions (id, article_id, event_type, char_start, char_end, event_id, "
            "data) VALUES ('m1', ?, 'ASSAULT', 0, 10, 'gone', '{}')", [aid])
    bad = runner.invoke(app, ["check", "--db", str(db)])
    assert bad.exit_code == 1
    assert "1 events with no mentions" in bad.stderr
    assert "1 mentions whose event is missing" in bad.stderr
    missing = runner.invoke(app, ["check", "--db", str(db.parent / "none.duckdb")])
    assert missing.exit_code == 1 and "no store" in missing.stderr


def test_check_fails_on_a_damaged_file(tmp_path, runner):
    path = tmp_path / "bad.duckdb"
    path.write_bytes(b"this is not a database" * 100)
    result = runner.invoke(app, ["check", "--db", str(path)])
    assert result.exit_code == 1 and "cannot open store" in result.stderr


# -- real subprocesses ------------------------------------------------------------------
def _run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*DATELINE, *args], capture_output=True, text=True, timeout=timeout)


def test_subprocess_ingest_articles_check(tmp_path, example_path):
    db = str(tmp_path / "db.duckdb")
    ingest = _run("ingest", "--no-code", "--db", db, str(example_path))
    assert ingest.returncode == 0, ingest.stderr
    assert "new 1" in ingest.stderr
    listing = _run("articles", "--db", db, "--json")
    assert json.loads(listing.stdout)["headline"] == "Army seize key ground in fierce Aleppo battle"
    assert _run("check", "--db", db).returncode == 0


def _wal_grew(wal: Path, since: float) -> bool:
    try:
        st = wal.stat()
    except FileNotFoundError:
        return False
    return st.st_size > 0 and st.st_mtime >= since


@pytest.mark.slow
def test_sigkill_mid_ingest_leaves_a_consistent_store(tmp_path):
    """Kill `dateline ingest` 5 times at random points after it has started writing; the
    store passes `dateline check` each time, and a last run completes it exactly."""
    n = 300
    write_text_corpus(tmp_path / "in", n, seed=90)
    expected = {a.id for a in read_paths([str(tmp_path / "in")]) if isinstance(a, Article)}
    assert len(expected) == n
    db = tmp_path / "db.duckdb"
    wal = Path(f"{db}.wal")
    rng = random.Random(20161207)
    cmd = [*DATELINE, "ingest", "--no-code", "--no-progress", "--batch-size", "2", "--db",
           str(db), str(tmp_path / "in")]
    counts = []
    kills = 0
    for _ in range(5):
        started = time.time()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = started + 120
        while proc.poll() is None and not _wal_grew(wal, started) and time.time() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.3))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
        check = _run("check", "--db", str(db), "--json")
        assert check.returncode == 0, check.stdout + check.stderr
        report = json.loads(check.stdout)
        counts.append(report["counts"].get("articles", 0))  # 0: killed while migrating
        assert report["checks"]["duplicate_article_ids"] == 0
    assert kills == 5, "every run should have been killed while writing"
    assert counts == sorted(counts) and 0 < counts[-1] < n, counts
    final = _run("ingest", "--no-code", "--no-progress", "--json", "--batch-size", "2",
                 "--db", str(db), str(tmp_path / "in"))
    assert final.returncode == 0, final.stderr
    summary = json.loads(final.stdout)
    assert summary["read"] == n and summary["failed"] == 0
    assert summary["duplicate"] == counts[-1] and summary["new"] == n - counts[-1]
    assert _run("check", "--db", str(db)).returncode == 0
    with Store.open(db, read_only=True) as store:
        ids = [r[0] for r in store.con.execute("SELECT id FROM articles").fetchall()]
    assert len(ids) == len(set(ids)) == n  # zero duplicates
    assert set(ids) == expected  # zero missing


def test_no_input_read_creates_no_store(tmp_path, runner):
    path = tmp_path / "new.duckdb"
    result = runner.invoke(app, ["ingest", "--no-code", "--db", str(path), str(tmp_path / "nosuch.jsonl")])
    assert result.exit_code == 1 and "nothing could be read" in result.stderr
    assert not path.exists() and not Path(str(path) + ".wal").exists()
    (tmp_path / "empty.txt").write_text("")  # a file, but nothing in it
    result = runner.invoke(app, ["ingest", "--no-code", "--db", str(path), str(tmp_path / "empty.txt")])
    assert result.exit_code == 1 and not path.exists()
    # an existing store is kept whatever the input
    Store.open(path).close()
    runner.invoke(app, ["ingest", "--no-code", "--db", str(path), str(tmp_path / "nosuch.jsonl")])
    assert path.exists()


def test_a_folder_with_licences_and_annotation_files(tmp_path, runner, re3d_dir):
    """re3d: per publisher documents.json (articles), entities.json (annotations: JSON
    records without article text), LICENSE and ATTRIBUTION. Only the documents are stored;
    the rest is one summary line, not an error per record."""
    import shutil

    folder = tmp_path / "re3d"
    shutil.copytree(re3d_dir, folder)
    documents = sum(len((d / "documents.json").read_text(encoding="utf-8").splitlines())
                    for d in folder.iterdir())
    path = tmp_path / "db.duckdb"
    result = runner.invoke(app, ["ingest", "--no-code", "--no-progress", "--json", "--db",
                                 str(path), str(folder)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["read"], summary["failed"]) == (documents, 0)
    assert len(summary["skipped"]) == 15
    # the summary, the note on undated articles, and one line for what was skipped
    lines = [ln for ln in result.stderr.strip().splitlines() if "publication date" not in ln]
    assert len(lines) == 2, lines
    assert lines[1].startswith("skipped 15 files that hold no articles: 10 licences")
    assert "entities.json" in lines[1]
    with Store.open(path, read_only=True) as store:
        origins = [r[0] for r in store.con.execute("SELECT origin FROM articles").fetchall()]
    assert all("documents.json" in o for o in origins)
    # a licence named on the command line is read: the user asked for it
    one = runner.invoke(app, ["ingest", "--no-code", "--json", "--db", str(path),
                              str(folder / "CENTCOM" / "LICENSE")])
    assert json.loads(one.stdout)["new"] == 1


def test_repeated_errors_of_one_file_are_capped(tmp_path, runner):
    lines = [json.dumps({"id": "a1", "text": "Police arrested five men in Surat on Friday."})]
    lines += [json.dumps({"id": i, "title": "no text"}) for i in range(20)]
    lines += ["{broken"] * 3
    (tmp_path / "bad.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", "--no-code", "--no-progress", "--json", "--db",
                                 str(tmp_path / "db.duckdb"), str(tmp_path / "bad.jsonl")])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["failed"] == 23 and len(summary["errors"]) == 23  # all kept in --json
    shown = [ln for ln in result.stderr.splitlines() if "bad.jsonl:" in ln]
    assert len(shown) == 5
    assert f"… and 18 more errors in {tmp_path / 'bad.jsonl'}" in result.stderr


def test_articles_in_another_language_are_stored_not_coded(tmp_path, runner, coder, monkeypatch):
    from dateline.coding import Coder

    monkeypatch.setattr(Coder, "from_config", classmethod(lambda cls, config=None: coder))
    records = [
        {"id": "fr1", "text": "La police a arrêté vingt personnes à Lyon lundi soir lors de "
                              "heurts avec des manifestants, selon la préfecture du Rhône."},
        {"id": "fr2", "text": "Le gouvernement a annoncé mardi de nouvelles mesures contre la "
                              "violence dans les banlieues, après une semaine de manifestations."},
        {"id": "en1", "text": "Police in Lyon arrested 20 protesters on Monday after clashes, "
                              "officials said."},
    ]
    (tmp_path / "mixed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n",
                                          encoding="utf-8")
    path = tmp_path / "db.duckdb"
    result = runner.invoke(app, ["ingest", "--no-progress", "--json", "--db", str(path),
                                 str(tmp_path / "mixed.jsonl")])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["new"], summary["coded"], summary["not_coded"]) == (3, 1, {"fr": 2})
    assert summary["mentions"] >= 1
    assert "2 articles in French stored, not coded" in result.stderr
    with Store.open(path, read_only=True) as store:
        coded = dict(store.con.execute("SELECT id, coded FROM articles").fetchall())
    assert coded == {"fr1": False, "fr2": False, "en1": True}
    code = runner.invoke(app, ["code", str(tmp_path / "mixed.jsonl")])
    assert code.exit_code == 0, code.output
    assert "coded 1 articles" in code.stderr
    assert "2 articles in French not coded (the coder reads English)" in code.stderr


def test_progress_counts_articles_not_files(tmp_path, ipe_dir):
    """One JSON Lines file: the bar counts its articles (of about as many as it has lines)."""
    import io

    from rich.console import Console

    from dateline.ingest.pipeline import estimate_articles, ingest

    corpus = ipe_dir / "metadata.jsonl"
    n = len(corpus.read_text(encoding="utf-8").splitlines())
    assert estimate_articles(str(corpus)) == n
    assert estimate_articles(str(ipe_dir / ".." / "README.md")) == 1
    out = io.StringIO()
    with Store.open(tmp_path / "db.duckdb") as store:
        summary = ingest(store, [str(corpus)], progress=True,
                         console=Console(file=out, width=150, force_terminal=False))
    assert summary.read == n
    text = out.getvalue()
    assert f"{n}/~{n} articles ({n} read)" in text and "/s" in text and "left" in text
    assert "files" not in text
