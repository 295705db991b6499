"""Totals by place and time (``dateline.query.series``) and actor names resolved through the
coder's dictionaries (``dateline.query.actors``), on a real store."""

from __future__ import annotations

import pytest

from analysis_fixtures import build_analysis_store
from dateline.query import EventQuery, count_events, search_events
from dateline.query.actors import ActorIndex, current_index, expand
from dateline.query.series import series


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = build_analysis_store(tmp_path_factory.mktemp("an") / "an.duckdb")
    yield s
    s.close()


def sql(store, query, params=()):
    return store.con.execute(query, list(params)).fetchall()


def test_weekly_assaults_in_syria_match_the_store(store):
    out = series(store, EventQuery.parse(type="ASSAULT", country="SYR", limit=None), by="week")
    expected = sql(store, "SELECT CAST(date_trunc('week', date) AS DATE), count(*), "
                   "coalesce(sum(dead), 0) FROM events WHERE event_type = 'ASSAULT' AND "
                   "country = 'SYR' AND date IS NOT NULL GROUP BY 1 ORDER BY 1")
    assert [(r["period"], r["events"], r["dead"]) for r in out["rows"]] == \
        [(d.isoformat(), n, dead) for d, n, dead in expected]
    assert all(r["country"] == "SYR" for r in out["rows"])
    assert out["totals"]["events"] == sum(n for _, n, _ in expected)
    # a week runs Monday to Sunday
    first = out["rows"][0]
    assert first["period_end"] > first["period"]
    assert out["columns"][:3] == ["period", "period_end", "country"]


def test_totals_per_country_and_region(store):
    by_country = series(store, EventQuery.parse(limit=None), by="total", per="country")
    syr = next(r for r in by_country["rows"] if r["country"] == "SYR")
    assert syr["events"] == sql(store, "SELECT count(*) FROM events WHERE country='SYR'")[0][0]
    assert syr["dead"] == sql(store, "SELECT sum(dead) FROM events WHERE country='SYR'")[0][0]
    assert syr["arrested"] == 15
    assert syr["located_country"] == 1 and syr["located_admin1"] == 1
    regions = series(store, EventQuery.parse(country="SYR", limit=None), by="total",
                     per="admin1")
    aleppo = [r for r in regions["rows"] if r["admin1_code"] == "09"]
    assert len(aleppo) == 1, "the region by name (Aleppo) and by code (09) is one row"
    assert aleppo[0]["admin1"] == "Aleppo"
    assert aleppo[0]["events"] == sql(
        store, "SELECT count(*) FROM events WHERE country='SYR' AND admin1 IN ('09','Aleppo')"
    )[0][0]
    places = series(store, EventQuery.parse(country="IRQ", limit=None), by="month",
                    per="place")
    assert places["rows"][0]["place"] == "Mosul" and places["rows"][0]["lat"] == 36.335
    assert places["rows"][0]["dead"] == 7 and places["rows"][0]["injured"] == 3


def test_filled_series_lists_empty_days(store):
    out = series(store, EventQuery.parse(type="ASSAULT", place="Aleppo", since="2016-12-01",
                                         until="2016-12-31", limit=None),
                 by="day", per="none", fill=True)
    days = [r["period"] for r in out["rows"]]
    assert days == sorted(days) and len(days) == len(set(days))
    assert days[0] == "2016-12-05" and days[-1] == "2016-12-10"
    assert len(days) == 6
    assert sum(r["events"] for r in out["rows"]) == count_events(
        store, EventQuery.parse(type="ASSAULT", place="Aleppo", since="2016-12-01",
                                until="2016-12-31"))


@pytest.mark.parametrize("name", ["ISIS", "Daesh", "ISIL", "isis", "Islamic State"])
def test_actor_aliases_find_the_canonical_name(store, name):
    page = search_events(store, EventQuery.parse(actor=name, limit=100))
    assert {e["sentence"][:12] for e in page.items} == {"ISIS fighter", "Daesh fighte"}


def test_acronym_and_office_holders(store):
    page = search_events(store, EventQuery.parse(actor="VHP", limit=100))
    assert [e["actors"][0]["name"] for e in page.items] == ["Vishwa Hindu Parishad"]
    # an office: the people who held it in the query's dates
    page = search_events(store, EventQuery.parse(actor="Russian foreign minister",
                                                 since="2016-12", limit=100))
    assert page.items and all("Sergei Lavrov" in [a["name"] for a in e["actors"]]
                              for e in page.items)
    # the same as a recipient
    assert search_events(store, EventQuery.parse(recipient="Daesh", limit=5)).items == []


def test_expansion_keeps_the_query_and_its_cursor(store):
    q = EventQuery.parse(actor="ISIS", limit=1)
    assert expand(q).actor[1].value == "Islamic State"
    first = search_events(store, q)
    assert first.next_cursor
    second = search_events(store, EventQuery.parse(actor="ISIS", limit=1,
                                                   cursor=first.next_cursor))
    assert second.items and second.items[0]["id"] != first.items[0]["id"]
    # codes and forced kinds are not resolved
    assert expand(EventQuery.parse(actor="code:ISIS")).actor == (
        EventQuery.parse(actor="code:ISIS").actor)


def test_suggestions_and_entries():
    index = current_index()
    names = [s["name"] for s in index.suggest("vish")]
    # (the office-holders list adds "Vishwanath Pratap Singh" as an alias of V. P. Singh)
    assert names[0] == "Vishwa Hindu Parishad" and set(names) <= {"Vishwa Hindu Parishad",
                                                                  "V. P. Singh"}
    assert "Islamic State" in [s["name"] for s in index.suggest("dae")]
    entry = index.entry("ISIL")
    assert entry["name"] == "Islamic State" and "Daesh" in entry["aliases"]
    assert entry["code"] == "IMGMUSISI" and entry["kind"] == "group"
    assert index.entry("no such actor anywhere") is None


def test_user_dictionary_adds_names(tmp_path):
    extra = tmp_path / "sahel.tsv"
    extra.write_text("name\taliases\tcountry\tsector\tcode\ttype\tstart\tend\n"
                     "Katiba Macina\tFLM|Macina Liberation Front\tMLI\tINS\t\tarmed\t\t\n")
    index = ActorIndex.load([str(extra)])
    assert index.resolve("FLM").names == ["Katiba Macina"]
    assert index.resolve("flm").names == ["Katiba Macina"]
