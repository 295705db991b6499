"""One DuckDB file, several processes (dateline.store.share): the first to open it hosts it
on a Unix socket, the others run their SQL there; writers take turns; the file is handed
over when its host stops; a program that holds it without sharing gets a one-line error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dateline.store import Store

HOLD = textwrap.dedent("""
    import sys, time
    from dateline.store import Store
    s = Store.open(sys.argv[1])
    print("hosting" if s.con.hosting else "client", flush=True)
    sys.stdin.readline()          # hold the store until told to stop
    s.close()
    print("closed", flush=True)
""")


def _holder(db: Path, code: str = HOLD) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", code, str(db)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    assert line in ("hosting", "client", "raw"), line
    return proc


def _stop(proc: subprocess.Popen) -> None:
    proc.stdin.write("\n")
    proc.stdin.flush()
    proc.wait(timeout=60)


def _items(n: int, prefix: str = "a"):
    from dedup_fixtures import article, mention

    return [(article(f"{prefix}{i}", "2016-12-07T09:00:00+00:00", "Wire",
                     f"https://w.example/{prefix}{i}"), [mention(f"{prefix}{i}")])
            for i in range(n)]


def test_a_second_process_reads_and_writes_through_the_host(tmp_path):
    db = tmp_path / "s.duckdb"
    proc = _holder(db)
    try:
        with Store.open(db) as store:
            assert not store.con.hosting  # the other process holds the file
            result = store.add_articles(_items(5))
            assert result.new == 5
            from dateline.dedup import update_events

            assert update_events(store).events_total >= 1
            assert store.counts()["articles"] == 5
            cur = store.cursor()  # another session, still through the host
            assert cur.execute("SELECT count(*) FROM mentions").fetchone()[0] == 5
            rows = cur.execute("SELECT id FROM articles ORDER BY id").fetchmany(2)
            assert [r[0] for r in rows] == ["a0", "a1"]
            cur.close()
            # a transaction that fails leaves nothing
            from dedup_fixtures import mention

            with pytest.raises(Exception, match="(?i)foreign key|constraint"):
                store.add_articles([(_items(1, "z")[0][0], [mention("no-such-article")])])
            assert store.counts()["articles"] == 5
    finally:
        _stop(proc)
    with Store.open(db) as store:
        assert store.con.hosting and store.counts()["articles"] == 5


def test_the_file_is_handed_over_when_its_host_stops(tmp_path):
    db = tmp_path / "h.duckdb"
    proc = _holder(db)
    with Store.open(db) as store:
        assert not store.con.hosting
        store.add_articles(_items(3))
        reader = store.cursor()
        _stop(proc)  # the host lets go between two statements of ours
        assert store.counts()["articles"] == 3  # reattached: this process hosts now
        assert store.con.hosting
        assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
        store.add_articles(_items(2, "b"))
        reader.close()
    with Store.open(db) as store:
        assert store.counts()["articles"] == 5


def test_a_program_that_does_not_share_the_file_gets_one_line(tmp_path):
    db = tmp_path / "f.duckdb"
    Store.open(db).close()
    raw = textwrap.dedent("""
        import sys, duckdb
        con = duckdb.connect(sys.argv[1])
        print("raw", flush=True)
        sys.stdin.readline()
    """)
    proc = _holder(db, raw)
    try:
        from dateline.cli import app

        for cmd in (["events"], ["stats"], ["check"], ["ingest", str(db.parent / "none")]):
            res = CliRunner().invoke(app, [*cmd, "--db", str(db)],
                                     env={"DATELINE_STORE_WAIT": "5"})
            assert res.exit_code == 1, (cmd, res.output)
            lines = [ln for ln in res.output.splitlines() if ln.strip()]
            assert len(lines) == 1, (cmd, res.output)
            assert f"is held by another program (PID {proc.pid})" in lines[0], lines[0]
            assert "Conflicting lock" not in res.output
    finally:
        _stop(proc)


WRITER = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, sys.argv[3])
    from dedup_fixtures import hand_coded_corpus
    from dateline.dedup import update_events
    from dateline.store import Store
    items, _ = hand_coded_corpus()
    part = json.loads(sys.argv[2])
    with Store.open(sys.argv[1]) as store:
        for k in range(0, len(part), 4):           # small batches, dedup after each
            batch = [items[i] for i in part[k:k + 4]]
            store.add_articles(batch)
            update_events(store, [a.id for a, _ in batch])
    print("done", flush=True)
""")


def _partition(store: Store) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for mid, eid in store.con.execute("SELECT id, event_id FROM mentions").fetchall():
        assert eid is not None
        groups.setdefault(eid, set()).add(mid)
    return {frozenset(g) for g in groups.values()}


def events_by_mentions(store: Store) -> dict[frozenset[str], dict]:
    """Every event's record keyed by its mentions, without its id: an event id is named
    after the earliest mention known when the event was made, and is kept (stable) when
    an earlier report arrives later, so ids depend on arrival order; the rest does not."""
    out = {}
    for (data,) in store.con.execute("SELECT data FROM events").fetchall():
        e = json.loads(data)
        e.pop("id")
        out[frozenset(e["mention_ids"])] = e
    return out


def concurrent_writers(db: str, tmp_path: Path, writers: int = 3) -> None:
    """``writers`` processes store overlapping parts of the hand-coded corpus at once,
    deduplicating after each batch; then the store must equal one sequential run."""
    from dedup_fixtures import hand_coded_corpus

    from dateline.dedup import update_events

    items, _ = hand_coded_corpus()
    n = len(items)
    parts = [list(range(k * n // (writers + 1), min(n, (k + 2) * n // (writers + 1))))
             for k in range(writers)]  # each overlaps the next
    tests = str(Path(__file__).parent)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, db, json.dumps(p), tests],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for p in parts]
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0 and "done" in out, err
    covered = sorted({i for p in parts for i in p})
    with Store.open(db) as store:
        got = store.counts()
        assert store.con.execute("SELECT count(DISTINCT id) FROM articles").fetchone()[0] == \
            got["articles"] == len(covered)
        concurrent = _partition(store)
        events = events_by_mentions(store)
    with Store.open(tmp_path / "sequential.duckdb") as ref:
        ref.add_articles([items[i] for i in covered])
        update_events(ref)
        assert ref.counts() == got
        assert _partition(ref) == concurrent
        assert events_by_mentions(ref) == events


def test_concurrent_writers_on_one_duckdb_file(tmp_path):
    concurrent_writers(str(tmp_path / "c.duckdb"), tmp_path)


def test_concurrent_writers_on_postgresql(pg_dsn, tmp_path):
    concurrent_writers(pg_dsn, tmp_path)


def test_socket_is_private(tmp_path):
    from dateline.store.share import socket_path

    db = tmp_path / "p.duckdb"
    with Store.open(db):
        sock = socket_path(str(db))
        assert os.path.exists(sock)
        assert os.stat(sock).st_mode & 0o077 == 0
        assert os.stat(os.path.dirname(sock)).st_mode & 0o077 == 0
    deadline = time.monotonic() + 5
    while os.path.exists(sock) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not os.path.exists(sock)


def _valid_store_bytes(tmp_path: Path) -> bytes:
    src = tmp_path / "valid.duckdb"
    Store.open(src).close()
    return src.read_bytes()


def test_a_store_file_another_process_is_creating_is_waited_for(tmp_path):
    """Three writers opening a new store at once: one creates the file; the others may
    see it before DuckDB has written its header, and must wait for it, not fail."""
    import threading

    db = tmp_path / "new.duckdb"
    valid = _valid_store_bytes(tmp_path)
    db.write_bytes(b"\0" * 64)  # the creator's file, header not written yet

    def finish():
        time.sleep(0.4)
        part = tmp_path / "new.part"
        part.write_bytes(valid)
        os.replace(part, db)

    t = threading.Thread(target=finish)
    t.start()
    try:
        with Store.open(db) as store:
            assert store.counts()["articles"] == 0
    finally:
        t.join()


def test_an_old_file_that_is_no_store_fails_at_once(tmp_path):
    db = tmp_path / "notes.duckdb"
    db.write_bytes(b"\0" * 64)
    old = time.time() - 3600
    os.utime(db, (old, old))
    with pytest.raises(Exception, match="not a valid DuckDB database file"):
        Store.open(db)
