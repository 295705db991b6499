"""`dateline series` and `dateline compare` on a real store: a small GDELT 2.0 event file
written in its own format (61 tab-separated columns, no header) and a small ACLED CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest

from analysis_fixtures import build_analysis_store
from dateline.cli import app
from dateline.compare import acled_to_plover, cameo_to_plover
from dateline.export.gdelt import EVENT_COLUMNS

ARTIFACTS_NOTE = "outputs are printed with -s for a person to read"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "an.duckdb"
    build_analysis_store(path).close()
    return path


def run(runner, *args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def test_series_weekly_assaults_in_syria(runner, db):
    out = run(runner, "series", "--db", db, "--by", "week", "--type", "ASSAULT",
              "--country", "SYR", "--csv")
    print("\n$ dateline series --by week --type ASSAULT --country SYR --csv\n" + out)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0].keys() >= {"period", "period_end", "country", "events", "dead", "injured",
                              "arrested"}
    assert [r["period"] for r in rows] == ["2016-11-14", "2016-11-28", "2016-12-05",
                                          "2016-12-12"]
    assert sum(int(r["events"]) for r in rows) == 7
    assert sum(int(r["dead"]) for r in rows) == 12 + 4 + 20
    table = run(runner, "series", "--db", db, "--by", "month", "--per", "admin1",
                "--country", "SYR")
    print("\n$ dateline series --by month --per admin1 --country SYR\n" + table)
    assert "Aleppo" in table and "dead" in table
    data = json.loads(run(runner, "series", "--db", db, "--by", "total", "--actor", "Daesh",
                          "--json"))
    assert data["totals"] == {"events": 2, "dead": 11, "injured": 3, "arrested": 0}


def test_series_bad_options(runner, db):
    result = runner.invoke(app, ["series", "--db", str(db), "--by", "fortnight"])
    assert result.exit_code == 2 and "--by" in result.output
    result = runner.invoke(app, ["series", "--db", str(db), "--since", "2016-13"])
    assert result.exit_code == 2 and "--since" in result.output


def test_events_actor_alias_on_the_cli(runner, db):
    for name in ("ISIS", "Daesh", "ISIL"):
        out = json.loads(run(runner, "events", "--db", db, "--actor", name, "--json"))
        assert out["count"] == 2, name
    out = json.loads(run(runner, "events", "--db", db, "--actor", "VHP", "--json"))
    assert out["count"] == 1


def gdelt_row(event_id, day, code, fips, geo_type, full_name, lat, lon, url,
              actor1="", actor2=""):
    row = dict.fromkeys(EVENT_COLUMNS, "")
    row.update({"GLOBALEVENTID": event_id, "SQLDATE": day, "EventCode": code,
                "EventBaseCode": code[:3], "EventRootCode": code[:2],
                "ActionGeo_Type": geo_type, "ActionGeo_FullName": full_name,
                "ActionGeo_CountryCode": fips, "ActionGeo_Lat": lat, "ActionGeo_Long": lon,
                "Actor1Name": actor1, "Actor2Name": actor2, "SOURCEURL": url})
    return "\t".join(str(row[c]) for c in EVENT_COLUMNS)


GDELT_ROWS = [
    # the Russian air strikes on Aleppo (ours: 2016-12-05, ASSAULT): two reports, one event
    gdelt_row(601, "20161205", "195", "SY", 4, "Aleppo, Halab, Syria", 36.2, 37.16,
              "https://a.example/1", "RUSSIA", "REBEL"),
    gdelt_row(602, "20161205", "190", "SY", 4, "Aleppo, Halab, Syria", 36.21, 37.15,
              "https://b.example/2", "RUSSIA"),
    # the veto in New York (ours: REJECT 2016-12-05)
    gdelt_row(603, "20161205", "1246", "US", 3, "New York, New York, United States", 40.71,
              -74.0, "https://c.example/3", "RUSSIA", "UNITED NATIONS"),
    # theirs only: an assault in Homs, and a consultation in Moscow
    gdelt_row(604, "20161206", "190", "SY", 4, "Homs, Hims, Syria", 34.73, 36.72,
              "https://d.example/4"),
    gdelt_row(605, "20161206", "040", "RS", 4, "Moscow, Moskva, Russia", 55.75, 37.62,
              "https://e.example/5"),
    # a public statement: no PLOVER type, skipped
    gdelt_row(606, "20161206", "010", "SY", 1, "Syria", 35, 38, "https://f.example/6"),
]

ACLED_HEADER = ["event_id_cnty", "event_date", "year", "event_type", "sub_event_type",
                "actor1", "actor2", "iso", "country", "admin1", "location", "latitude",
                "longitude", "geo_precision", "notes", "fatalities"]
ACLED_ROWS = [
    ["SYR1", "2016-12-05", "2016", "Explosions/Remote violence", "Air/drone strike",
     "Military Forces of Russia", "Rebels", "760", "Syria", "Aleppo", "Aleppo", "36.2012",
     "37.1612", "1", "Russian air strikes on eastern Aleppo.", "12"],
    ["SYR2", "2016-12-06", "2016", "Battles", "Government regains territory",
     "Military Forces of Syria", "Rebels", "760", "Syria", "Aleppo", "Aleppo - Shaar",
     "36.21", "37.17", "1", "Regime forces retook Shaar.", "0"],
    ["SYR3", "2016-12-06", "2016", "Protests", "Peaceful protest", "Protesters", "",
     "760", "Syria", "Idlib", "Idlib", "35.93", "36.63", "1", "Protest in Idlib.", "0"],
    ["SYR4", "2016-12-06", "2016", "Strategic developments", "Other", "", "", "760",
     "Syria", "Idlib", "Idlib", "35.93", "36.63", "1", "Other.", "0"],
]


def test_type_mappings():
    assert cameo_to_plover("195") == "ASSAULT" and cameo_to_plover("1246") == "REJECT"
    assert cameo_to_plover("036") == "CONSULT" and cameo_to_plover("0571") == "AGREE"
    assert cameo_to_plover("010") is None and cameo_to_plover("") is None
    assert acled_to_plover("Battles", "Armed clash") == "ASSAULT"
    assert acled_to_plover("Strategic developments", "Arrests") == "COERCE"
    assert acled_to_plover("Riots", "Mob violence") == "ASSAULT"
    assert acled_to_plover("Riots", "Violent demonstration") == "PROTEST"
    assert acled_to_plover("Strategic developments", "Other") is None


def test_compare_with_gdelt(runner, db, tmp_path):
    gdelt = tmp_path / "20161205.export.CSV"
    gdelt.write_text("\n".join(GDELT_ROWS) + "\n")
    args = ("compare", gdelt, "--db", db, "--since", "2016-12-05", "--until", "2016-12-06")
    out = run(runner, *args)
    print("\n$ dateline compare 20161205.export.CSV --since 2016-12-05 --until 2016-12-06\n"
          + out)
    report = json.loads(run(runner, *args, "--json"))
    assert report["loaded"] == [{"file": str(gdelt), "dataset": "gdelt", "rows": 5,
                                 "skipped": 1}]
    c = report["counts"]
    assert c["theirs"] == 5 and c["theirs_matched"] == 3 and c["theirs_only"] == 2
    both = {e["id"] for e in report["examples"]["both"]}
    assert len(both) == c["both"] == 2  # the Aleppo strikes and the veto
    assert {t["place"] for t in report["examples"]["theirs_only"]} == {"Homs", "Moscow"}
    assert c["ours_only"] == c["ours"] - 2
    # for one place: only Aleppo's events and rows
    aleppo = json.loads(run(runner, *args, "--place", "Aleppo", "--json"))
    assert aleppo["counts"]["theirs"] == 2 and aleppo["counts"]["both"] == 1
    # reading the file again replaces its rows
    again = json.loads(run(runner, *args, "--json"))
    assert again["counts"]["theirs"] == 5


def test_compare_with_acled(runner, db, tmp_path):
    acled = tmp_path / "acled-syria.csv"
    with open(acled, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(ACLED_HEADER)
        w.writerows(ACLED_ROWS)
    args = ("compare", acled, "--db", db, "--country", "SYR", "--since", "2016-12-05",
            "--until", "2016-12-06")
    out = run(runner, *args)
    print("\n$ dateline compare acled-syria.csv --country SYR --since 2016-12-05 "
          "--until 2016-12-06\n" + out)
    report = json.loads(run(runner, *args, "--json"))
    assert report["loaded"][0]["dataset"] == "acled" and report["loaded"][0]["rows"] == 3
    c = report["counts"]
    # ours in Syria on those days: the strikes (12-05), the seizure (12-06) and the
    # negated AGREE of Damascus (12-06); ACLED has the strikes, the seizure and a protest
    assert c["both"] == 2 and c["theirs_only"] == 1
    assert report["examples"]["theirs_only"][0]["type"] == "PROTEST"
    # one day apart matches with --days 1 only (ours: a clash in Aleppo on 12-10)
    shifted = tmp_path / "acled-shifted.csv"
    with open(shifted, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(ACLED_HEADER)
        w.writerow(["SYR9", "2016-12-11"] + ACLED_ROWS[0][2:])
    strict = json.loads(run(runner, "compare", shifted, "--db", db, "--place", "Aleppo",
                            "--type", "ASSAULT", "--since", "2016-12-10", "--json"))
    loose = json.loads(run(runner, "compare", shifted, "--db", db, "--place", "Aleppo",
                           "--type", "ASSAULT", "--since", "2016-12-10", "--days", "1",
                           "--json"))
    assert strict["counts"]["theirs"] == loose["counts"]["theirs"] == 1
    assert strict["counts"]["both"] == 0 and loose["counts"]["both"] == 1


def test_compare_refuses_other_files(runner, db, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n")
    result = runner.invoke(app, ["compare", str(bad), "--db", str(db)])
    assert result.exit_code == 2 and "neither a GDELT" in result.output


def test_series_of_the_demo_store(runner, tmp_path):
    """`make demo` ingests examples/ with the real coder; `dateline series` over that store."""
    from conftest import EXAMPLE

    db = tmp_path / "demo.duckdb"
    out = run(runner, "ingest", "--db", db, "--no-progress", EXAMPLE.parent)
    assert "new 1" in out
    table = run(runner, "series", "--db", db, "--by", "day", "--per", "place")
    print("\n$ dateline series --db demo.duckdb --by day --per place\n" + table)
    data = json.loads(run(runner, "series", "--db", db, "--by", "total", "--json"))
    events = json.loads(run(runner, "stats", "--db", db, "--json"))["total"]
    assert data["totals"]["events"] == events > 0
    assert any(r["country"] == "SYR" for r in data["rows"])
    csv_out = run(runner, "series", "--db", db, "--by", "week", "--csv")
    print("\n$ dateline series --db demo.duckdb --by week --csv\n" + csv_out)
    assert csv_out.splitlines()[0].startswith("period,period_end,country,events,dead")
