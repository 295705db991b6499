"""Crash safety with coding and dedup on: after a first run over a fifth of the input (so
events exist), `dateline ingest` (real coder) of the whole input is SIGKILLed at 5 random
points; after each kill the store opens and passes `dateline check`; a last run
completes it, and the result equals a clean single run on the same input: the same
articles (none missing, none twice), the same mentions, each with an event, and the same
events (the same partition of mentions into events).

tests/test_ingest_cli.py kills `--no-code` runs (articles only); this one checks mentions
and events too.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from reliability_fixtures import DATELINE, store_report, write_event_corpus

from dateline.cli import app
from dateline.ingest import read_paths
from dateline.ingest.pipeline import ingest
from dateline.model import Article
from dateline.store import Store

N_ARTICLES = 300
BATCH = "4"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATELINE_")}
    env["PYTHONPATH"] = str(Path(__file__).parents[1] / "src")
    return env


def _run(cwd: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*DATELINE, *args], capture_output=True, text=True, timeout=timeout,
                          cwd=cwd, env=_env())


def _wal_written(wal: Path, since: float) -> bool:
    try:
        st = wal.stat()
    except FileNotFoundError:
        return False
    return st.st_size > 0 and st.st_mtime >= since


@pytest.mark.slow
def test_sigkill_during_coded_ingest_loses_and_doubles_nothing(tmp_path, coder, runner):
    folder = tmp_path / "in"
    records = write_event_corpus(folder, N_ARTICLES, seed=41)

    # the reference: one clean run, in this process, with the same coder configuration
    with Store.open(tmp_path / "clean.duckdb") as clean_store:
        t = time.perf_counter()
        ingest(clean_store, [str(folder)], coder=coder, batch_size=int(BATCH), progress=False)
        per_article = (time.perf_counter() - t) / N_ARTICLES
        clean = store_report(clean_store.con)
    assert clean["articles"] == N_ARTICLES and clean["mentions"] > N_ARTICLES // 2
    assert clean["events"] < clean["mentions"]  # outlets overlap: dedup merged some

    db = tmp_path / "db.duckdb"
    wal = Path(f"{db}.wal")
    cmd = [*DATELINE, "ingest", "--no-progress", "--batch-size", BATCH, "--db", str(db),
           str(folder)]
    # a first run that completes on a fifth of the input: events exist before the kills
    first = _run(tmp_path, "ingest", "--no-progress", "--batch-size", BATCH, "--db", str(db),
                 str(folder / "story-41-00[0-5]*.txt"))
    assert first.returncode == 0, first.stderr[-2000:]
    rng = random.Random(20161207)
    killed_after: list[dict] = []
    for _ in range(5):
        started = time.time()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                cwd=tmp_path, env=_env())
        deadline = started + 300
        while proc.poll() is None and not _wal_written(wal, started) \
                and time.time() < deadline:
            time.sleep(0.005)
        # a random point after writing began, within about 30 articles' worth of work (the
        # clean run's pace), so that no run can finish whatever the machine's speed
        time.sleep(rng.uniform(0.0, max(0.05, 30 * per_article)))
        assert proc.poll() is None, "the run ended before it was killed: " + \
            proc.stderr.read().decode()[-1000:]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        proc.stderr.close()
        check = runner.invoke(app, ["check", "--db", str(db), "--json"])
        # consistent; mentions stored before dedup ran are reported as pending (exit 3)
        assert check.exit_code in (0, 3), check.output
        report = json.loads(check.stdout)
        assert report["consistent"] and not report["problems"]
        assert (check.exit_code == 3) == (report["pending"]["mentions"] > 0)
        with Store.open(db, read_only=True) as store:
            state = store_report(store.con)
        # consistent at every kill: whole articles with their mentions, no orphan, no twice
        assert state["orphan_mentions"] == 0 and state["mentions_with_missing_event"] == 0
        assert state["articles"] == state["article_ids_distinct"]
        assert state["mentions"] == state["mention_ids_distinct"]
        assert report["pending"]["mentions"] == state["mentions_without_event"]
        killed_after.append({k: state[k] for k in ("articles", "mentions", "events",
                                                   "mentions_without_event")})
    print("state after each kill:", killed_after)
    stored = [k["articles"] for k in killed_after]
    assert stored == sorted(stored) and stored[-1] < N_ARTICLES, killed_after

    final = _run(tmp_path, "ingest", "--no-progress", "--json", "--batch-size", BATCH,
                 "--db", str(db), str(folder))
    assert final.returncode == 0, final.stderr[-2000:]
    summary = json.loads(final.stdout)
    assert summary["read"] == N_ARTICLES and summary["failed"] == 0
    assert summary["duplicate"] == stored[-1] and summary["new"] == N_ARTICLES - stored[-1]
    check = _run(tmp_path, "check", "--db", str(db), "--json")
    assert check.returncode == 0 and json.loads(check.stdout)["ok"], check.stdout

    with Store.open(db, read_only=True) as store:
        after = store_report(store.con)
        ids = {r[0] for r in store.con.execute("SELECT id FROM articles").fetchall()}
        mention_ids = {r[0] for r in store.con.execute("SELECT id FROM mentions").fetchall()}
    with Store.open(tmp_path / "clean.duckdb", read_only=True) as clean_store:
        clean_mentions = {r[0] for r in clean_store.con.execute(
            "SELECT id FROM mentions").fetchall()}
    expected = {a.id for a in read_paths([str(folder)]) if isinstance(a, Article)}
    assert len(expected) == len(records)
    assert ids == expected  # zero missing (and, by the count below, zero twice)
    assert after["articles"] == after["article_ids_distinct"] == N_ARTICLES
    assert after["mentions"] == after["mention_ids_distinct"] == clean["mentions"]
    assert mention_ids == clean_mentions
    assert after["orphan_mentions"] == 0 and after["mentions_without_event"] == 0
    assert after["mentions_with_missing_event"] == 0 and after["events_without_mentions"] == 0
    print(f"after the last run: {after['articles']} articles, {after['mentions']} mentions, "
          f"{after['events']} events; clean run: {clean['articles']}, {clean['mentions']}, "
          f"{clean['events']}")
    # incremental dedup across the killed runs groups the mentions as one clean run does
    assert after["events"] == clean["events"]
    assert after["partition"] == clean["partition"]
