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


# -- 3. exports are whole or absent; single files need --force to be replaced ----------------

@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from query_fixtures import build_store

    path = tmp_path_factory.mktemp("export") / "world.duckdb"
    build_store(path).close()
    return path


def _listing(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _snapshot(out):
    if out.is_dir():
        return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    return out.read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "plover", "geojson", "gdelt", "parquet"])
def test_an_export_dying_midway_keeps_the_previous_one(world, tmp_path, fmt, monkeypatch):
    from dataclasses import replace

    import dateline.export.csv as csv_mod
    import dateline.export.gdelt as gdelt_mod
    import dateline.export.geojson as geojson_mod
    import dateline.export.parquet as parquet_mod
    import dateline.export.plover as plover_mod
    from dateline.export import export
    from dateline.query import EventQuery

    query = replace(EventQuery(), limit=None)
    out = tmp_path / ("out" if fmt in ("gdelt", "parquet") else f"out.{fmt}")
    with Store.open(world, read_only=True) as store:
        export(store, fmt, query, out)
        before = _snapshot(out)

        class Died(Exception):
            pass

        def dying(items):
            for n, item in enumerate(items):
                if n == 3:
                    raise Died
                yield item

        module = {"csv": csv_mod, "plover": plover_mod, "geojson": geojson_mod,
                  "gdelt": gdelt_mod, "parquet": parquet_mod}[fmt]
        name = {"csv": "event_cursor", "plover": "iter_with_mentions",
                "geojson": "iter_with_mentions", "gdelt": "iter_with_mentions",
                "parquet": "event_relation"}[fmt]
        real = getattr(module, name)
        if fmt == "csv":
            class Cursor:
                def __init__(self, cur):
                    self.cur, self.calls = cur, 0

                def fetchmany(self, n):
                    self.calls += 1
                    if self.calls == 2:
                        raise Died
                    return self.cur.fetchmany(1)

                def close(self):
                    self.cur.close()

            monkeypatch.setattr(module, name, lambda *a, **k: Cursor(real(*a, **k)))
        elif fmt == "parquet":
            class Relation:
                def __init__(self, rel):
                    self.rel = rel

                def to_arrow_reader(self, n):
                    inner = self.rel.to_arrow_reader(2)

                    class Reader:
                        schema = inner.schema

                        def __iter__(self):
                            return dying(iter(inner))

                        def close(self):
                            inner.close()

                    return Reader()

            monkeypatch.setattr(module, name, lambda *a, **k: Relation(real(*a, **k)))
        else:
            monkeypatch.setattr(module, name, lambda *a, **k: dying(real(*a, **k)))
        with pytest.raises(Died):
            export(store, fmt, query, out, force=True)
    # the previous complete export is untouched, and nothing half-written is left
    assert _snapshot(out) == before
    assert not [p for p in _listing(out.parent) if ".tmp" in p], _listing(out.parent)


def test_single_file_export_refuses_to_overwrite_without_force(world, tmp_path):
    runner = CliRunner()
    out = tmp_path / "prev.csv"
    out.write_text("previous complete export\n")
    res = runner.invoke(app, ["export", "--format", "csv", str(out), "--db", str(world)])
    assert res.exit_code == 2 and "exists (use --force" in res.stderr
    assert out.read_text() == "previous complete export\n"
    res = runner.invoke(app, ["export", "--format", "csv", str(out), "--db", str(world),
                              "--force"])
    assert res.exit_code == 0, res.output
    assert out.read_text().startswith("id,date,")


def test_sigkill_during_export_leaves_the_previous_file(world, tmp_path):
    """A real SIGKILL while `dateline export` writes (slowed down so it is caught in the
    act): the previous complete export stays under the final name; the next export cleans
    the temporary the killed one left."""
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "prev.csv"
    out.write_text("previous complete export\n")
    script = (
        "import sys, time\n"
        "import dateline.export.csv as m\n"
        "real = m._cell\n"
        "m._cell = lambda c, v: (time.sleep(0.05), real(c, v))[1]\n"
        "from dateline.cli import app\n"
        "sys.argv = ['dateline'] + sys.argv[1:]\n"
        "app()\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-c", script, "export", "--format", "csv", str(out),
                             "--db", str(world), "--force"], env=env, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if [p for p in tmp_path.iterdir() if p.name.startswith(".prev.csv.")]:
            time.sleep(0.3)  # rows being written (buffered: the file may still look empty)
            break
        time.sleep(0.01)
    assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()
    assert out.read_text() == "previous complete export\n"
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".prev.csv.")]  # the leftover
    res = CliRunner().invoke(app, ["export", "--format", "csv", str(out), "--db", str(world),
                                   "--force"])
    assert res.exit_code == 0, res.output
    assert out.read_text().startswith("id,date,")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".prev.csv.")]


# -- 12. backup: a consistent copy, also of what only the write-ahead log holds ---------------

def test_backup_copies_what_only_the_wal_holds(tmp_path):
    """A process killed after committing leaves its work in ``*.duckdb.wal``; a copy of
    the ``.duckdb`` file alone loses it, ``dateline backup`` does not."""
    import os
    import shutil
    import subprocess
    import sys

    db = tmp_path / "kb.duckdb"
    script = (
        "import os, sys\n"
        "from datetime import datetime, UTC\n"
        "from dateline.store import Store\n"
        "from dateline.model import Article\n"
        "s = Store.open(sys.argv[1])\n"
        "s.add_articles([(Article(id=f'k{i}', text=f'Story {i} about a protest in Paris.'), None)"
        " for i in range(1400)])\n"
        "os._exit(0)  # as a SIGKILL would: no close, no checkpoint\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    subprocess.run([sys.executable, "-c", script, str(db)], env=env, check=True, timeout=120)
    assert os.path.getsize(f"{db}.wal") > 0
    naive = tmp_path / "naive" / "kb.duckdb"
    naive.parent.mkdir()
    shutil.copy(db, naive)  # the file alone
    import duckdb

    con = duckdb.connect(str(naive), read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables"
                                            ).fetchall()}
        lost = "articles" not in tables or \
            con.execute("SELECT count(*) FROM articles").fetchone()[0] < 1400
    finally:
        con.close()
    assert lost  # the file alone misses what the log held
    runner = CliRunner()
    res = runner.invoke(app, ["backup", str(tmp_path / "bk" / "copy.duckdb"), "--db", str(db),
                              "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["counts"]["articles"] == 1400
    copy = tmp_path / "bk" / "copy.duckdb"
    assert not os.path.exists(f"{copy}.wal")
    with Store.open(copy, read_only=True) as store:
        assert store.counts()["articles"] == 1400
    again = runner.invoke(app, ["backup", str(copy), "--db", str(db)])
    assert again.exit_code == 1 and "exists (use --force" in again.stderr
    assert runner.invoke(app, ["backup", str(copy), "--db", str(db), "--force"]).exit_code == 0
    # the copy is a store of its own: check passes on it
    assert runner.invoke(app, ["check", "--db", str(copy)]).exit_code == 0


# -- 11. upload folders a killed server left are removed at start-up -------------------------

def test_uploads_of_a_killed_server_are_cleaned_at_start(tmp_path):
    """SIGKILL `dateline serve` while a POST's body sits in its request folder (the first
    POST is still loading the coder), then start the app again: the folder is gone. A folder
    a live request holds (its lock taken) is left alone."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import httpx
    from api_fixtures import API_KEY, free_port
    from fastapi.testclient import TestClient
    from reliability_fixtures import DATELINE

    from dateline.api import create_app
    from dateline.api.uploads import UploadFolder
    from dateline.config import Config

    uploads = tmp_path / "uploads"
    db = tmp_path / "srv.duckdb"
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "DATELINE_API_KEY": API_KEY,
           "DATELINE_UPLOAD_DIR": str(uploads)}
    proc = subprocess.Popen([*DATELINE, "serve", "--db", str(db),
                             "--port", str(port), "--log-level", "warning"], env=env,
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        sender = subprocess.Popen(
            [sys.executable, "-c", "import httpx, sys; httpx.post(sys.argv[1], json={'text': "
             "'Police arrested 40 rioters in Ahmedabad on Monday.'}, headers={'X-API-Key': "
             "sys.argv[2]}, timeout=120)", base + "/articles", API_KEY],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while time.time() < deadline and not list(uploads.glob("*/body.jsonl")):
            time.sleep(0.01)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    sender.kill()
    sender.wait(timeout=30)
    left = list(uploads.glob("*/body.jsonl"))
    assert left, "the POST's body was not written before the kill"
    live = UploadFolder(uploads)  # another server's request in progress
    (live.path / "body.jsonl").write_text("{}\n")
    try:
        config = Config(api_key=API_KEY, upload_dir=str(uploads))
        with Store.open(db) as store, TestClient(create_app(store, config)) as client:
            assert client.get("/health").status_code == 200
            assert not left[0].parent.exists()
            assert live.path.exists()  # still locked: not a leftover
    finally:
        live.close()
    assert list(uploads.iterdir()) == []
