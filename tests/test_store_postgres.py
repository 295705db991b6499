"""PostgreSQL as the store: the same scenario on DuckDB and on a real PostgreSQL server
(tests/pg_server.py) gives the same answers -- query layer, dedup, every CLI command."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from query_fixtures import WORLD, _event, event_row, insert_events, spec_items
from typer.testing import CliRunner

from dateline.dedup import update_events
from dateline.dedup.events import EVENT_COLUMNS
from dateline.query import (
    ArticleQuery, EventQuery, article_detail, dyads, event_detail, iter_events, list_articles,
    refresh_search, search_events, stats, timeline,
)
from dateline.store import Store
from dateline.store.dialect import location, pg_text

ROOT = Path(__file__).resolve().parents[1]


def _world(store: Store) -> None:
    items, per_event = spec_items(WORLD, "w")
    store.add_articles_bulk(items)
    events = [_event(k, next(s for s in WORLD if s.key == k), ms) for k, ms in per_event.items()]
    if store.dialect == "duckdb":
        insert_events(store, events)
        return
    store.con.copy_rows("events", EVENT_COLUMNS, [event_row(e) for e in events])
    pairs = [(mid, e.id) for e in events for mid in e.mention_ids]
    store.con.execute("UPDATE mentions SET event_id = t.event_id FROM (SELECT unnest(?) AS id, "
                      "unnest(?) AS event_id) t WHERE mentions.id = t.id",
                      [[p[0] for p in pairs], [p[1] for p in pairs]])


QUERIES = [
    {}, {"type": "ASSAULT"}, {"type": "ASSAULT,COERCE", "sort": "sources"},
    {"actor": "RUS"}, {"actor": "Lavrov"}, {"actor": "code:SYR"}, {"recipient": "name:ISIS"},
    {"actor": "sector:GOV", "recipient": "RUS,USA"}, {"place": "geneve"}, {"place": "ALEPPO"},
    {"near": "36.2,37.16,25"}, {"near": "0,0,20000"}, {"q": "ceasefire"},
    {"q": '"foreign ministry"'}, {"since": "2016-12", "until": "2016-12"},
    {"min_sources": "2", "negated": "false"}, {"country": "SYR,IRQ", "sort": "confidence"},
    {"modality": "asserted", "sort": "-mentions"}, {"quad": "3,4", "sort": "date"},
    {"mode": "aerial,firearms"},
]


def _pages(db, params: dict) -> list:
    """Every page of the query at 3 a page (so cursors are crossed)."""
    out, cursor = [], None
    while True:
        q = EventQuery.parse({**params, "limit": 3, **({"cursor": cursor} if cursor else {})})
        page = search_events(db, q)
        out.append(page.items)
        cursor = page.next_cursor
        if not cursor:
            return out


def _same_answers(pg: Store, dk: Store) -> None:
    for params in QUERIES:
        q = EventQuery.parse(params)
        assert _pages(pg, params) == _pages(dk, params), params
        assert stats(pg, q) == stats(dk, q), params
        for interval in ("day", "week", "month"):
            assert timeline(pg, q, interval) == timeline(dk, q, interval), params
        assert dyads(pg, q, level="country") == dyads(dk, q, level="country"), params
        assert list(iter_events(pg, q)) == list(iter_events(dk, q)), params
    for params in ({}, {"q": "aleppo"}, {"source": "reuters"}, {"since": "2016-12-07"},
                   {"coded": "true", "limit": "2"}):
        a = list_articles(pg, ArticleQuery.parse(params)).to_dict()
        b = list_articles(dk, ArticleQuery.parse(params)).to_dict()
        for page in (a, b):
            for item in page["items"]:
                item.pop("ingested_at")  # when each store was written
        assert a == b, params
    first = search_events(dk, EventQuery.parse({"limit": 1000})).items
    assert first
    for e in first[:10]:
        assert event_detail(pg, e["id"]) == event_detail(dk, e["id"])
        aid = event_detail(dk, e["id"])["mentions"][0]["article"]["id"]
        a, b = article_detail(pg, aid), article_detail(dk, aid)
        a.pop("ingested_at"), b.pop("ingested_at")
        assert a == b


def test_query_layer_answers_the_same_on_postgresql(pg_dsn, tmp_path):
    with Store.open(pg_dsn) as pg, Store.open(tmp_path / "w.duckdb") as dk:
        assert (pg.dialect, dk.dialect) == ("postgres", "duckdb")
        _world(pg)
        _world(dk)
        assert pg.counts() == dk.counts()
        _same_answers(pg, dk)  # search columns not filled yet: filters read the lists
        assert refresh_search(pg) == refresh_search(dk) > 0
        _same_answers(pg, dk)  # and through the precomputed columns


def test_dedup_gives_the_same_events_on_postgresql(pg_dsn, tmp_path):
    from dedup_fixtures import hand_coded_corpus, with_coder_noise

    items, _ = hand_coded_corpus()
    items = with_coder_noise(items, seed=3)
    half = len(items) // 2
    with Store.open(pg_dsn) as pg, Store.open(tmp_path / "d.duckdb") as dk:
        for store in (pg, dk):
            store.add_articles(items[:half])
            first = update_events(store)
            store.add_articles_bulk(items[half:])
            second = update_events(store, [a.id for a, _ in items[half:]])
            store.summaries = (first, second)
        for a, b in zip(pg.summaries, dk.summaries):
            assert (a.mentions, a.events_new, a.events_updated, a.events_retired,
                    a.events_total) == (b.mentions, b.events_new, b.events_updated,
                                        b.events_retired, b.events_total)

        def table(store, sql):
            return sorted(store.con.execute(sql).fetchall())

        for sql in ("SELECT id, event_id FROM mentions", "SELECT id, data FROM events",
                    "SELECT mention_id, component, event_id, keys FROM dedup_mentions"):
            assert table(pg, sql) == table(dk, sql), sql
        _same_answers(pg, dk)


def test_pg_text_rewrites_placeholders_only_outside_literals():
    assert pg_text("SELECT ? , '?' , x % 2 FROM t WHERE y LIKE '%a'", True) == \
        "SELECT %s , '?' , x %% 2 FROM t WHERE y LIKE '%%a'"
    assert pg_text("SELECT '%Y'", False) == "SELECT '%Y'"
    assert pg_text("WHERE id IN (SELECT unnest(?))", True) == \
        "WHERE id IN (SELECT unnest(%s::VARCHAR[]))"
    assert location(Path("postgresql://u@h:5/db")) == "postgresql://u@h:5/db"
    assert location("postgres:/u@h/db") == "postgres://u@h/db"


# -- every command, on both ------------------------------------------------------------------
def _cli(args: list[str]) -> str:
    from dateline.cli import app

    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, (args, res.output, res.exception)
    return res.stdout


def _corpus(folder: Path, n: int = 24) -> Path:
    from reliability_fixtures import event_articles

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "news.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in event_articles(n, seed=7)),
                    encoding="utf-8")
    return path


def _strip_volatile(obj):
    if isinstance(obj, dict):
        return {k: _strip_volatile(v) for k, v in obj.items()
                if k not in ("ingested_at", "seconds")}
    if isinstance(obj, list):
        return [_strip_volatile(v) for v in obj]
    return obj


def test_every_command_gives_the_same_results_on_both(pg_dsn, tmp_path, coder):
    corpus = _corpus(tmp_path / "in")
    lake = tmp_path / "lake"
    from dateline.config import Config
    from dateline.scale import code_in_process

    code_in_process([str(corpus)], str(lake), Config())
    out: dict[str, dict] = {}
    for name, db in (("pg", pg_dsn), ("duckdb", str(tmp_path / "cli.duckdb"))):
        res = out[name] = {}
        assert "applied" in _cli(["migrate", "--db", db]) or True
        res["ingest"] = json.loads(_cli(["ingest", str(corpus), "--db", db, "--json",
                                         "--no-progress"]))
        res["again"] = json.loads(_cli(["ingest", str(corpus), "--db", db, "--json",
                                        "--no-progress"]))
        res["load"] = json.loads(_cli(["load", str(lake), "--db", db, "--json"]))
        res["events"] = json.loads(_cli(["events", "--db", db, "--json", "--limit", "1000"]))
        res["events_q"] = json.loads(_cli(["events", "--db", db, "--json", "--actor", "SYR",
                                           "--sort", "sources"]))
        res["stats"] = json.loads(_cli(["stats", "--db", db, "--json"]))
        res["articles"] = _cli(["articles", "--db", db, "--limit", "5"])
        eid = res["events"]["items"][0]["id"]
        res["show"] = _cli(["events", "--db", db, "--id", eid, "--mentions"])
        for fmt, target in (("csv", "e.csv"), ("plover", "e.jsonl"), ("geojson", "e.geojson"),
                            ("gdelt", "gdelt"), ("parquet", "parquet")):
            dest = tmp_path / name / target
            dest.parent.mkdir(parents=True, exist_ok=True)
            _cli(["export", "--db", db, "--format", fmt, str(dest)])
            if dest.is_dir():
                res[fmt] = {p.relative_to(dest).as_posix(): _parquet_or_text(p)
                            for p in sorted(dest.rglob("*")) if p.is_file()}
            else:
                res[fmt] = dest.read_text(encoding="utf-8")
        check = _cli(["check", "--db", db])
        assert check.rstrip().endswith("ok"), check
    pg, dk = _strip_volatile(out["pg"]), _strip_volatile(out["duckdb"])
    assert pg["ingest"]["new"] == 24 and pg["again"]["new"] == 0
    assert pg["load"]["articles_new"] == 0  # the lake holds the same articles
    assert pg["events"]["count"] > 5
    for key in dk:
        assert pg[key] == dk[key], key


def _parquet_or_text(path: Path):
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    return path.read_text(encoding="utf-8")


def test_load_a_lake_into_postgresql(pg_dsn, tmp_path):
    from dateline.config import Config
    from dateline.scale import code_in_process, load_lake

    corpus = _corpus(tmp_path / "in", 12)
    lake = tmp_path / "lake"
    code_in_process([str(corpus)], str(lake), Config())
    with Store.open(pg_dsn) as pg, Store.open(tmp_path / "l.duckdb") as dk:
        a, b = load_lake(pg, lake), load_lake(dk, lake)
        assert (a.articles_new, a.mentions_new) == (b.articles_new, b.mentions_new) == \
            (12, b.mentions_new)
        assert a.events["events_total"] == b.events["events_total"]
        assert load_lake(pg, lake).articles_new == 0
        assert pg.counts() == dk.counts()
        _same_answers(pg, dk)


def test_unreachable_postgresql_is_one_line(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    from dateline.cli import app

    res = CliRunner().invoke(app, ["events", "--db", f"postgresql://nobody:secret@127.0.0.1:"
                                   f"{port}/none"], env={"DATELINE_STORE_WAIT": "1"})
    assert res.exit_code == 1
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: cannot connect to postgresql://"), \
        res.output
    assert "secret" not in res.output


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))


def _old_store(db: str) -> None:
    """A store at schema version 3 (as written before migrations 4 and 5 existed)."""
    from dateline.store import _migrations
    from dateline.store.dialect import is_dsn, pg_ddl

    if is_dsn(db):
        from dateline.store.pg import open_connection

        con = open_connection(db, 10)
    else:
        from dateline.store.share import SharedConnection

        con = SharedConnection(db)
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, "
                "applied_at TIMESTAMPTZ DEFAULT current_timestamp)")
    for version, name, sql in _migrations():
        if version <= 3:
            con.execute(pg_ddl(sql) if is_dsn(db) else sql)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                        [version, name])
    con.close()


@pytest.mark.parametrize("backend", ["duckdb", "postgres"])
def test_migrate_brings_an_old_store_to_the_current_schema(backend, tmp_path, request):
    from dateline.store import _migrations

    db = request.getfixturevalue("pg_dsn") if backend == "postgres" else \
        str(tmp_path / "old.duckdb")
    _old_store(db)
    latest = max(v for v, _, _ in _migrations())
    check = json.loads(CliRunner().invoke(__import__("dateline.cli", fromlist=["app"]).app,
                                          ["check", "--db", db, "--json"]).stdout)
    assert check["schema_version"] == 3 and check["notes"], check
    out = json.loads(_cli(["migrate", "--db", db, "--json"]))
    assert out == {"before": 3, "applied": [v for v, _, _ in _migrations() if v > 3],
                   "version": latest, "latest": latest}
    assert json.loads(_cli(["migrate", "--db", db, "--json"]))["applied"] == []
    check = json.loads(_cli(["check", "--db", db, "--json"]))
    assert check["ok"] and check["schema_version"] == latest and not check["notes"], check
