"""Every export format written from a real store and read back with the tool its users have:
the csv module for GDELT TSV and CSV, DuckDB and pyarrow for Parquet, json for GeoJSON and
PLOVER JSON Lines."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from datetime import datetime

import duckdb
import pyarrow.dataset as ds
import pytest

from dateline.export import FORMATS, ExportError, GoldsteinScale, export, gdelt
from dateline.query import EventQuery, get_event
from query_fixtures import WORLD, WORLD_BY_KEY, build_store, event_id

ALL = replace(EventQuery(), limit=None)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("export") / "world.duckdb")
    yield store
    store.close()


def test_registry_names():
    assert FORMATS == ("gdelt", "plover", "csv", "parquet", "geojson")


def test_goldstein_scale():
    scale = GoldsteinScale.load()
    assert scale.score("190") == -10.0
    assert scale.score("057") == 8.0
    assert scale.score("0874") == 10.0
    assert scale.score("1956") == scale.score("195")  # unknown 4-digit code: its base code
    assert scale.score("19") == -10.0 and scale.score(None) is None and scale.score("99") is None
    assert all(-10 <= v <= 10 for v in scale.values.values())
    assert len(scale.values) > 300


def test_goldstein_extra_file_overrides(tmp_path):
    extra = tmp_path / "goldstein.tsv"
    extra.write_text("cameo\tgoldstein\n# mine\n190\t-9.9\n")
    assert GoldsteinScale.load([extra]).score("190") == -9.9
    extra.write_text("cameo\tgoldstein\n190\tlots\n")
    with pytest.raises(ValueError, match="not a number"):
        GoldsteinScale.load([extra])


def test_gdelt_columns_are_gdelt_2():
    assert len(gdelt.EVENT_COLUMNS) == 61
    assert gdelt.EVENT_COLUMNS[:7] == ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year",
                                       "FractionDate", "Actor1Code", "Actor1Name")
    assert gdelt.EVENT_COLUMNS[25:35] == (
        "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
        "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")
    assert gdelt.EVENT_COLUMNS[35:43] == (
        "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
        "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID")
    assert gdelt.EVENT_COLUMNS[51:] == (
        "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
        "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
        "DATEADDED", "SOURCEURL")
    assert len(gdelt.MENTION_COLUMNS) == 16 and gdelt.MENTION_COLUMNS[-1] == "Extras"
    assert len(set(gdelt.EVENT_COLUMNS)) == 61


def _tsv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_gdelt_export_reads_back(world, tmp_path):
    out = tmp_path / "gdelt"
    summary = export(world, "gdelt", ALL, out)
    assert summary.events == len(WORLD)
    events = _tsv(out / "events.tsv")
    mentions = _tsv(out / "mentions.tsv")
    assert len(events) == len(WORLD) and len(mentions) == sum(len(s.sources) for s in WORLD)
    with open(out / "events.tsv", encoding="utf-8") as fh:
        assert all(line.count("\t") == 60 for line in fh)
    by_id = {r["GLOBALEVENTID"]: r for r in events}
    shelling = by_id[str(gdelt.global_event_id(event_id("aleppo_shelling")))]
    assert shelling["SQLDATE"] == "20161205" and shelling["MonthYear"] == "201612"
    assert shelling["Year"] == "2016" and shelling["FractionDate"].startswith("2016.9")
    assert shelling["Actor1Code"] == "RUSMIL" and shelling["Actor1CountryCode"] == "RUS"
    assert shelling["Actor1Type1Code"] == "MIL" and shelling["Actor1Name"] == "RUSSIAN ARMED FORCES"
    assert shelling["Actor2Code"] == "SYRREB" and shelling["Actor2Type1Code"] == "REB"
    assert (shelling["EventCode"], shelling["EventBaseCode"], shelling["EventRootCode"]) == (
        "195", "195", "19")
    assert shelling["QuadClass"] == "4" and float(shelling["GoldsteinScale"]) == -10.0
    assert (shelling["NumMentions"], shelling["NumSources"], shelling["NumArticles"]) == (
        "4", "4", "4")
    # FIPS in geo fields: Syria is SY in both; ADM1 = FIPS country + admin1
    assert shelling["ActionGeo_CountryCode"] == "SY" and shelling["ActionGeo_ADM1Code"] == "SY09"
    assert shelling["ActionGeo_Type"] == "4" and shelling["ActionGeo_FullName"] == "Aleppo, Syria"
    assert float(shelling["ActionGeo_Lat"]) == pytest.approx(36.20124)
    assert shelling["ActionGeo_FeatureID"] == "170063"
    first_seen = get_event(world, event_id("aleppo_shelling"))["first_seen"]
    assert shelling["DATEADDED"] == datetime.fromisoformat(first_seen).strftime("%Y%m%d%H%M%S")
    assert shelling["SOURCEURL"].startswith("https://news.example/")
    assert shelling["Actor1Geo_Type"] == "" and shelling["AvgTone"] == ""
    geneva = by_id[str(gdelt.global_event_id(event_id("geneva_talks")))]
    assert geneva["ActionGeo_CountryCode"] == "SZ"  # FIPS for Switzerland, not ISO CH
    ny = by_id[str(gdelt.global_event_id(event_id("veto")))]
    assert ny["ActionGeo_Type"] == "3" and ny["ActionGeo_CountryCode"] == "US"
    un = by_id[str(gdelt.global_event_id(event_id("veto")))]
    assert un["Actor2Code"] == "IGOUNO" and un["Actor2KnownGroupCode"] == "UNO"
    assert un["Actor2Type1Code"] == "IGO"
    undated = by_id[str(gdelt.global_event_id(event_id("paris_protest")))]
    assert undated["SQLDATE"] == "20161207"  # falls back to when it was first seen
    m = [r for r in mentions if r["GLOBALEVENTID"] == shelling["GLOBALEVENTID"]]
    assert len(m) == 4 and all(r["MentionType"] == "1" for r in m)
    assert all(r["SentenceID"] == "1" and int(r["ActionCharOffset"]) >= 0 for r in m)
    assert all(event_id("aleppo_shelling") in r["Extras"] for r in m)
    first = min(m, key=lambda r: r["MentionTimeDate"])
    assert first["MentionIdentifier"] == shelling["SOURCEURL"]
    assert all(r["MentionSourceName"] == "news.example" for r in m)


def test_gdelt_folder_is_not_overwritten_without_force(world, tmp_path):
    out = tmp_path / "g"
    export(world, "gdelt", ALL, out)
    with pytest.raises(ExportError, match="not empty"):
        export(world, "gdelt", ALL, out)
    (out / "notes.txt").write_text("mine")
    export(world, "gdelt", replace(ALL, type=("ASSAULT",)), out, force=True)
    assert len(_tsv(out / "events.tsv")) == 5
    assert (out / "notes.txt").read_text() == "mine"  # only our files are replaced


def test_plover_jsonl_reads_back(world, tmp_path):
    out = tmp_path / "events.jsonl"
    summary = export(world, "plover", ALL, out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == summary.events == len(WORLD)
    veto = next(r for r in records if r["id"] == event_id("veto"))
    assert veto["event"] == ["REJECT"] and veto["mode"] == ["veto"] and veto["quad_code"] == 3
    assert [a["code"] for a in veto["source"]] == ["RUS", "CHN"]
    assert veto["source"][0]["sector"] == "GOV" and veto["source"][0]["cameo_code"] == "RUSGOV"
    assert veto["recipient"][0]["cameo_code"] == "IGOUNO"
    assert veto["event_loc"]["country code"] == "US" and veto["event_loc"]["cc3"] == "USA"
    assert veto["event_loc"]["geonameid"] == 5128581
    assert len(veto["event_text"]) == 3 and len(veto["cite_info"]) == 3
    assert veto["event_scale"] == -5.0 and veto["date"] == "2016-12-05"
    assert all(c["url"].startswith("https://") for c in veto["cite_info"])
    for r in records:
        assert {"id", "date", "source", "event"} <= set(r) or r["id"] == event_id("paris_protest")


def test_csv_reads_back(world, tmp_path):
    out = tmp_path / "events.csv"
    export(world, "csv", replace(ALL, country=("SYR",)), out)
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 7 and all(r["country"] == "SYR" for r in rows)
    veto_free = {r["id"]: r for r in rows}
    seize = veto_free[event_id("aleppo_seize")]
    assert seize["actor_codes"] == "SYRMIL" and seize["num_sources"] == "3"
    assert float(seize["goldstein"]) == -9.5 and seize["negated"] == "false"
    assert seize["sentence"] == WORLD_BY_KEY["aleppo_seize"].sentences[0]


def test_parquet_partitioned_by_month_reads_back(world, tmp_path):
    out = tmp_path / "lake"
    summary = export(world, "parquet", ALL, out)
    assert summary.events == len(WORLD)
    months = sorted(p.name for p in out.iterdir())
    assert months == ["month=2002-03", "month=2016-11", "month=2016-12", "month=2024-02",
                      "month=2024-03", "month=undated"]
    rows = duckdb.sql(f"SELECT month, count(*) FROM read_parquet('{out}/**/*.parquet', "
                      "hive_partitioning = true) GROUP BY month ORDER BY month").fetchall()
    assert dict(rows)["2016-12"] == 11 and sum(n for _, n in rows) == len(WORLD)
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == len(WORLD)
    veto = table.filter(ds.field("id") == event_id("veto")).to_pylist()[0]
    assert sorted(veto["actor_codes"]) == ["CHNGOV", "RUSGOV"] and veto["goldstein"] == -5.0
    assert str(veto["date"]) == "2016-12-05" and veto["num_sources"] == 3


def test_parquet_empty_selection(world, tmp_path):
    summary = export(world, "parquet", replace(ALL, type=("MOBILIZE",)), tmp_path / "none")
    assert summary.events == 0 and summary.paths == []


def test_geojson_reads_back(world, tmp_path):
    out = tmp_path / "events.geojson"
    summary = export(world, "geojson", ALL, out)
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection"
    located = [s for s in WORLD if s.location]
    assert len(fc["features"]) == summary.events == len(located)
    assert summary.skipped == len(WORLD) - len(located)
    f = next(f for f in fc["features"] if f["id"] == event_id("geneva_talks"))
    assert f["geometry"] == {"type": "Point", "coordinates": [6.14569, 46.20222]}
    assert f["properties"]["place"] == "Genève" and f["properties"]["modality"] == "planned"
    assert f["properties"]["actor_codes"] == ["RUSGOV", "USAGOV"]


def test_filters_apply_to_exports(world, tmp_path):
    q = EventQuery.parse(type="ASSAULT", place="Aleppo", since="2016-12", until="2016-12",
                         min_sources=3, limit=None)
    out = tmp_path / "a.geojson"
    assert export(world, "geojson", q, out).events == 2
    assert {f["id"] for f in json.loads(out.read_text())["features"]} == {
        event_id("aleppo_seize"), event_id("aleppo_shelling")}
    assert export(world, "csv", replace(q, limit=1), tmp_path / "one.csv").events == 1


def test_export_refuses_bad_targets(world, tmp_path):
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(ExportError, match="is a file"):
        export(world, "parquet", ALL, tmp_path / "file.txt")
    with pytest.raises(ExportError, match="is a folder"):
        export(world, "csv", ALL, tmp_path)
    with pytest.raises(ExportError, match="unknown format"):
        export(world, "xml", ALL, tmp_path / "x.xml")
