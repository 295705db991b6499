"""The commands events, stats and export on a real store (and events --lake on a real
Parquet lake); bad option values exit with status 2 and one line naming the option."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from dateline.cli import app
from query_fixtures import WORLD, WORLD_BY_KEY, build_store, event_id, spec_items


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "cli.duckdb"
    build_store(path).close()
    return str(path)


@pytest.fixture
def cli():
    return CliRunner()


def run(cli, *args):
    return cli.invoke(app, [str(a) for a in args])


def test_events_table(cli, db):
    r = run(cli, "events", "--db", db, "--type", "ASSAULT", "--place", "Aleppo", "--since",
            "2016-12", "--until", "2016-12", "--min-sources", "3")
    assert r.exit_code == 0, r.output
    assert event_id("aleppo_seize") in r.output and event_id("aleppo_shelling") in r.output
    assert event_id("aleppo_clash") not in r.output  # one source only


def test_events_json_matches_api_shape(cli, db):
    r = run(cli, "events", "--db", db, "--actor", "RUS", "--recipient", "USA", "--type",
            "ACCUSE", "--json")
    assert r.exit_code == 0, r.output
    body = json.loads(r.stdout)
    assert set(body) == {"items", "next_cursor", "count"}
    assert {e["id"] for e in body["items"]} == {event_id("lavrov_accuses"),
                                                event_id("zakharova_2024")}


def test_events_cursor_pages(cli, db):
    seen, cursor = [], None
    while True:
        args = ["events", "--db", db, "--limit", "4", "--json"]
        if cursor:
            args += ["--cursor", cursor]
        body = json.loads(run(cli, *args).stdout)
        seen += [e["id"] for e in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == len(WORLD)


def test_events_csv(cli, db):
    r = run(cli, "events", "--db", db, "--country", "SYR", "--csv", "--limit", "100")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 7 and all(row["country"] == "SYR" for row in rows)


def test_underscore_spelling_of_options(cli, db):
    a = run(cli, "events", "--db", db, "--min_sources", "4", "--json")
    b = run(cli, "events", "--db", db, "--min-sources", "4", "--json")
    assert a.exit_code == b.exit_code == 0 and a.stdout == b.stdout
    assert {e["id"] for e in json.loads(a.stdout)["items"]} == {
        event_id("aleppo_shelling"), event_id("usa_sanctions_2024")}


@pytest.mark.parametrize("args, option", [
    (["--since", "2016-13"], "--since"),
    (["--until", "2016-02-30"], "--until"),
    (["--type", "ATTACK"], "--type"),
    (["--min-sources", "three"], "--min-sources"),
    (["--near", "36,37"], "--near"),
    (["--negated", "yes"], "--negated"),
    (["--sort", "best"], "--sort"),
    (["--limit", "-1"], "--limit"),
    (["--cursor", "nope"], "--cursor"),
    (["--mentions"], "--mentions"),
])
def test_bad_option_exits_2_naming_it(cli, db, args, option):
    r = run(cli, "events", "--db", db, *args)
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {option}")


def test_event_with_mentions(cli, db):
    r = run(cli, "events", "--db", db, "--id", event_id("veto"), "--mentions")
    assert r.exit_code == 0, r.output
    flat = " ".join(r.output.split())  # the console may wrap long sentences
    for sentence in WORLD_BY_KEY["veto"].sentences:
        assert " ".join(sentence.split()) in flat
    r = run(cli, "events", "--db", db, "--id", event_id("veto"), "--mentions", "--json")
    body = json.loads(r.stdout)
    assert len(body["mentions"]) == 3
    assert all(m["article"]["url"] and m["article"]["source"] for m in body["mentions"])
    r = run(cli, "events", "--db", db, "--id", "missing")
    assert r.exit_code == 1 and "no event" in r.stderr


def test_stats(cli, db):
    r = run(cli, "stats", "--db", db, "--type", "ASSAULT", "--json")
    assert r.exit_code == 0, r.output
    body = json.loads(r.stdout)
    assert body["total"] == 5 and body["by_country"] == [{"country": "SYR", "count": 5}]
    r = run(cli, "stats", "--db", db)
    assert r.exit_code == 0 and "top dyads" in r.stdout and "RUSGOV" in r.stdout
    assert run(cli, "stats", "--db", db, "--country", "Syria").exit_code == 2


def test_export_commands(cli, db, tmp_path):
    out = tmp_path / "g"
    r = run(cli, "export", "--format", "gdelt", out, "--db", db, "--type", "ASSAULT")
    assert r.exit_code == 0, r.output
    assert "wrote 5 events" in r.stdout
    with open(out / "events.tsv", newline="") as fh:
        assert len(list(csv.DictReader(fh, delimiter="\t"))) == 5
    again = run(cli, "export", "--format", "gdelt", out, "--db", db)
    assert again.exit_code == 2 and "not empty" in again.stderr
    assert run(cli, "export", "--format", "gdelt", out, "--db", db, "--force").exit_code == 0
    r = run(cli, "export", "-f", "geojson", tmp_path / "e.geojson", "--db", db, "--limit", "3")
    assert r.exit_code == 0 and len(json.loads((tmp_path / "e.geojson").read_text())[
        "features"]) <= 3
    r = run(cli, "export", "--format", "xml", tmp_path / "x", "--db", db)
    assert r.exit_code == 2 and r.stderr.startswith("error: --format")
    r = run(cli, "export", "--format", "csv", tmp_path / "x.csv", "--db", db, "--since", "x")
    assert r.exit_code == 2 and r.stderr.startswith("error: --since")


def test_missing_store(cli, tmp_path):
    r = run(cli, "events", "--db", tmp_path / "none.duckdb")
    assert r.exit_code == 1 and "no store" in r.stderr


def test_events_from_a_parquet_lake(cli, tmp_path):
    from dateline.scale import lake
    items, _ = spec_items(WORLD, prefix="lake")
    out = lake.write_partition(tmp_path / "lake", "p0", items)
    lake.commit_partition(tmp_path / "lake", out)
    r = run(cli, "events", "--lake", tmp_path / "lake", "--type", "ASSAULT", "--place",
            "Aleppo", "--json", "--limit", "100")
    assert r.exit_code == 0, r.output
    items = json.loads(r.stdout)["items"]
    assert items and all(e["event_type"] == "ASSAULT" for e in items)
    assert all(e["location"]["name"] == "Aleppo" for e in items)
    r = run(cli, "events", "--lake", tmp_path / "nowhere")
    assert r.exit_code == 2 and r.stderr.startswith("error: --lake")


def test_markup_in_data_is_printed_as_is(cli, tmp_path):
    from dataclasses import replace

    from dateline.store import Store
    from query_fixtures import add_specs

    path = tmp_path / "markup.duckdb"
    store = Store.open(path)
    spec = replace(WORLD_BY_KEY["india_arrest"], key="markup", modality="planned",
                   sentences=["Police said [bold]40[/bold] rioters [were] arrested."])
    add_specs(store, [spec], prefix="markup")
    store.close()
    r = run(cli, "events", "--db", path)
    assert r.exit_code == 0, r.output
    assert "[bold]40[/bold]" in r.stdout and "[planned]" in r.stdout
    r = run(cli, "events", "--db", path, "--id", event_id("markup"), "--mentions")
    assert r.exit_code == 0 and "[bold]40[/bold] rioters [were]" in r.stdout


def test_limit_zero_means_all_everywhere(cli, db, tmp_path):
    everything = json.loads(run(cli, "events", "--db", db, "--limit", "0", "--json").stdout)
    assert len(everything["items"]) == len(WORLD) and everything["next_cursor"] is None
    two = json.loads(run(cli, "events", "--db", db, "--limit", "2", "--json").stdout)
    assert len(two["items"]) == 2 and two["next_cursor"]
    r = run(cli, "export", "--format", "csv", tmp_path / "all.csv", "--db", db, "--limit", "0")
    assert r.exit_code == 0 and f"wrote {len(WORLD)} events" in r.stdout
    listed = run(cli, "articles", "--db", db, "--limit", "0", "--json")
    assert listed.exit_code == 0 and len(listed.stdout.splitlines()) > 2


def test_piped_events_are_tab_separated_rows(cli, db, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    r = run(cli, "events", "--db", db, "--limit", "0")
    assert r.exit_code == 0, r.output
    header, *rows = r.stdout.splitlines()
    assert header.split("\t") == ["date", "type", "actor", "recipient", "place", "src", "men",
                                   "conf", "sentence", "id"]
    assert len(rows) == len(WORLD) and all(len(row.split("\t")) == 10 for row in rows)
    veto = next(row.split("\t") for row in rows if row.endswith(event_id("veto")))
    assert veto[1] == "REJECT" and veto[8] in WORLD_BY_KEY["veto"].sentences


@pytest.mark.parametrize("width", [80, 100, 180])
def test_table_keeps_ids_and_counts_whole_at_any_width(cli, db, monkeypatch, width):
    """With COLUMNS (or on a terminal) a table fitted to the width: every id, source and
    mention count and confidence whole; only the sentence wraps (in its column, or under
    its row when the terminal is narrow)."""
    monkeypatch.setenv("COLUMNS", str(width))
    r = run(cli, "events", "--db", db, "--limit", "0")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert all(len(line) <= width for line in lines)
    header = lines[0].split()
    assert header[:2] == ["date", "type"] and header[5:8] == ["src", "men", "conf"]
    assert header[-1] == "id" and ("sentence" in header) == (width > 100)
    body = json.loads(run(cli, "events", "--db", db, "--limit", "0", "--json").stdout)
    text = " ".join(" ".join(lines).split())
    for e in body["items"]:
        [row] = [line for line in lines if line.rstrip().endswith(e["id"])]
        counts = f"{e['num_sources']} {e['num_mentions']} {e['confidence']:.2f}"
        assert counts in " ".join(row.split())
        words = text.split()
        assert all(w in words for w in e["sentence"].split())  # wrapped, never cut


def test_version(cli):
    import tomllib
    from pathlib import Path

    r = run(cli, "--version")
    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    assert r.exit_code == 0 and r.stdout.strip() == f"dateline {project['project']['version']}"


def test_filter_options_are_declared_once_for_every_command():
    """events, stats and export take the same filters, named like the HTTP parameters."""
    import typer.main

    from dateline.cli.query import FILTERS
    from dateline.query.params import EVENT_FILTERS

    assert tuple(p.name for p in EVENT_FILTERS) == FILTERS
    group = typer.main.get_group(app)
    for name in ("events", "stats", "export"):
        params = [p.name for p in group.commands[name].params]
        assert [p for p in params if p in FILTERS] == list(FILTERS), name
