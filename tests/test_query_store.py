"""The query layer over a real DuckDB store: filters, sorting, cursors, stats, timeline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dateline.query import (
    ArticleQuery,
    EventQuery,
    QueryError,
    article_detail,
    count_events,
    dyads,
    event_detail,
    iter_events,
    list_articles,
    refresh_search,
    search_events,
    search_ready,
    stats,
    timeline,
)
from query_fixtures import (WORLD, WORLD_BY_KEY, add_random_events, add_specs, build_store,
                            event_id, random_specs)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("query") / "world.duckdb")
    yield store
    store.close()


def keys(store, **params) -> list[str]:
    """The WORLD keys of the events a query returns, in order."""
    by_id = {event_id(s.key): s.key for s in WORLD}
    page = search_events(store, EventQuery.parse(params))
    return [by_id[e["id"]] for e in page.items]


def test_aleppo_assaults_december_three_sources(world):
    got = keys(world, type="ASSAULT", place="Aleppo", since="2016-12", until="2016-12",
               min_sources=3)
    assert got == ["aleppo_seize", "aleppo_shelling"]  # newest first


def test_accusations_between_russia_and_the_usa(world):
    got = set(keys(world, type="ACCUSE", actor="RUS", recipient="USA"))
    assert got == {"lavrov_accuses", "zakharova_2024"}
    both_ways = set(keys(world, type="ACCUSE", actor="RUS,USA", recipient="RUS,USA"))
    assert both_ways == {"lavrov_accuses", "zakharova_2024", "usa_accuses"}
    assert keys(world, type="ACCUSE", actor="RUS", recipient="USA", since="2024") == [
        "zakharova_2024"]


@pytest.mark.parametrize("actor, expected", [
    ("RUS", {"aleppo_shelling", "idlib_strike", "lavrov_accuses", "veto", "geneva_talks",
             "zakharova_2024"}),
    ("RUSMIL", {"aleppo_shelling", "idlib_strike"}),
    ("country:RUS", {"aleppo_shelling", "idlib_strike", "lavrov_accuses", "veto",
                     "geneva_talks", "zakharova_2024"}),
    ("MIL", {"aleppo_seize", "aleppo_shelling", "aleppo_november", "idlib_strike"}),
    ("sector:IGO", {"un_aid"}),
    ("IGO", {"un_aid"}),
    ("code:IGOUNO", {"un_aid"}),
    ("Lavrov", {"lavrov_accuses"}),
    ("lavrov", {"lavrov_accuses"}),
    ("name:kerry", {"kerry_denies"}),
    ("Zakharová", {"zakharova_2024"}),  # accents do not matter
    ("CHN", {"veto"}),
    ("XYZ", set()),
])
def test_actor_matches_code_country_sector_or_name(world, actor, expected):
    assert set(keys(world, actor=actor, limit=100)) == expected


def test_recipient_filter_and_igo(world):
    assert set(keys(world, recipient="IGO")) == {"veto"}
    assert set(keys(world, recipient="United Nations")) == {"veto"}


def test_type_mode_quad_negated_modality(world):
    assert set(keys(world, type="REJECT,AGREE")) == {"veto", "kerry_denies", "syria_not_agree"}
    assert set(keys(world, mode="aerial")) == {"aleppo_shelling", "idlib_strike"}
    assert set(keys(world, quad="1", limit=100)) == {"syria_not_agree", "geneva_talks"}
    assert keys(world, negated="true") == ["syria_not_agree"]
    assert "syria_not_agree" not in keys(world, negated="false", limit=100)
    assert keys(world, modality="planned") == ["geneva_talks"]


def test_country_place_and_near(world):
    assert set(keys(world, country="CHE,IND")) == {"geneva_talks", "india_arrest"}
    assert set(keys(world, place="geneve")) == {"geneva_talks"}  # folded: Genève
    aleppo = {"aleppo_seize", "aleppo_shelling", "aleppo_clash", "aleppo_november"}
    assert set(keys(world, near="36.2,37.15,30")) == aleppo
    # Idlib is about 50 km from Aleppo
    assert set(keys(world, near="36.2,37.15,80")) == aleppo | {"idlib_strike"}
    assert keys(world, near="0,0,100") == []


def test_date_range_excludes_undated(world):
    got = keys(world, since="2002", until="2002")
    assert got == ["india_arrest"]
    assert "paris_protest" not in keys(world, since="1900", limit=100)
    assert keys(world, limit=100)[-1] == "paris_protest"  # undated sort last


@pytest.mark.parametrize("ready", [False, True])
def test_text_search_over_event_and_mention_sentences(tmp_path, ready):
    store = build_store(tmp_path / "t.duckdb")
    try:
        if ready:
            refresh_search(store)
        assert search_ready(store) is ready
        by_id = {event_id(s.key): s.key for s in WORLD}

        def q(text, **kw):
            page = search_events(store, EventQuery.parse(q=text, **kw))
            return {by_id[e["id"]] for e in page.items}

        assert q("ceasefire") == {"lavrov_accuses", "syria_not_agree", "veto"}
        # "vetoed" is only in a mention sentence, not the event's own sentence
        assert "veto" in q("vetoed")
        assert q('"Russian jets" 12') == {"aleppo_shelling"}
        assert q("AIR STRIKES") == {"aleppo_shelling"}
        assert q("100%") == set() and q("_") == set()
        assert q("ceasefire", type="REJECT") == {"veto"}
    finally:
        store.close()


def test_sorting(world):
    by_sources = search_events(world, EventQuery.parse(sort="-sources", limit=100)).items
    counts = [e["num_sources"] for e in by_sources]
    assert counts == sorted(counts, reverse=True)
    by_conf = search_events(world, EventQuery.parse(sort="confidence", limit=100)).items
    confs = [e["confidence"] for e in by_conf]
    assert confs == sorted(confs)
    oldest = search_events(world, EventQuery.parse(sort="date", limit=1)).items[0]
    assert oldest["id"] == event_id("india_arrest")


@pytest.mark.parametrize("sort", ["-date", "date", "-sources", "confidence", "-mentions"])
def test_cursor_pages_cover_everything_once(world, sort):
    seen, cursor = [], None
    while True:
        page = search_events(world, EventQuery.parse(sort=sort, limit=3, cursor=cursor))
        seen += [e["id"] for e in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    everything = [e["id"] for e in search_events(world, EventQuery.parse(sort=sort,
                                                                          limit=None)).items]
    assert seen == everything and len(set(seen)) == len(WORLD)


def test_cursor_stable_under_inserts(tmp_path):
    store = build_store(tmp_path / "c.duckdb")
    add_random_events(store, 60, seed=3)
    try:
        query = dict(sort="-date", limit=7)
        before = [e["id"] for e in iter_events(store, EventQuery.parse(sort="-date", limit=None))]
        first = search_events(store, EventQuery.parse(query))
        seen = [e["id"] for e in first.items]
        # new events land before, inside and after the pages still to come
        add_specs(store, random_specs(40, seed=9), prefix="late")
        cursor = first.next_cursor
        while cursor:
            page = search_events(store, EventQuery.parse(query, cursor=cursor))
            seen += [e["id"] for e in page.items]
            cursor = page.next_cursor
        assert len(seen) == len(set(seen)), "an event was served twice"
        assert set(before) <= set(seen), "an event that was there all along was skipped"
    finally:
        store.close()


def test_cursor_must_match_its_query(world):
    page = search_events(world, EventQuery.parse(type="ASSAULT", limit=2))
    with pytest.raises(QueryError) as err:
        search_events(world, EventQuery.parse(type="ACCUSE", limit=2, cursor=page.next_cursor))
    assert err.value.param == "cursor"
    with pytest.raises(QueryError):
        search_events(world, EventQuery.parse(type="ASSAULT", sort="date", limit=2,
                                              cursor=page.next_cursor))
    # same filters, other page size: fine
    more = search_events(world, EventQuery.parse(type="ASSAULT", limit=10,
                                                 cursor=page.next_cursor))
    assert len(more.items) == 3


def test_stats(world):
    s = stats(world, EventQuery.parse(type="ASSAULT"))
    assert s["total"] == 5
    assert s["by_type"] == [{"type": "ASSAULT", "count": 5}]
    assert s["by_country"] == [{"country": "SYR", "count": 5}]
    assert s["by_month"] == [{"month": "2016-11", "count": 1}, {"month": "2016-12", "count": 4}]
    assert s["first_date"] == "2016-11-20" and s["last_date"] == "2016-12-12"
    everything = stats(world, EventQuery())
    assert everything["total"] == len(WORLD)
    assert sum(r["count"] for r in everything["by_type"]) == len(WORLD)
    assert everything["mentions"] == sum(len(s.sources) for s in WORLD)


def test_dyads(world):
    top = dyads(world, EventQuery.parse(type="ACCUSE"))
    assert {(d["actor"], d["recipient"], d["count"]) for d in top} == {
        ("RUSGOV", "USAGOV", 2), ("USAGOV", "RUSGOV", 1)}
    by_country = dyads(world, EventQuery.parse(type="ACCUSE,SANCTION"), level="country")
    assert by_country == [{"actor": "USA", "recipient": "RUS", "count": 2},
                          {"actor": "RUS", "recipient": "USA", "count": 2}][::-1]
    veto = dyads(world, EventQuery.parse(type="REJECT"))
    assert veto == [{"actor": "CHNGOV", "recipient": "IGOUNO", "count": 1},
                    {"actor": "RUSGOV", "recipient": "IGOUNO", "count": 1}]
    assert dyads(world, EventQuery(), top=1)[0]["count"] == 2
    with pytest.raises(ValueError):
        dyads(world, EventQuery(), level="sector")


def test_timeline_stacks_types_and_fills_gaps(world):
    t = timeline(world, EventQuery.parse(since="2016-11", until="2016-12"), "week")
    starts = [b["start"] for b in t["buckets"]]
    assert starts[0] == "2016-11-14" and starts[-1] == "2016-12-12"
    assert all(date.fromisoformat(b["start"]).weekday() == 0 for b in t["buckets"])
    assert [b["total"] for b in t["buckets"]] == [1, 0, 0, 10, 1]
    dec5 = t["buckets"][3]
    assert dec5["counts"]["ASSAULT"] == 3 and dec5["end"] == "2016-12-11"
    months = timeline(world, EventQuery.parse(type="ASSAULT"), "month")["buckets"]
    assert [(b["start"], b["total"]) for b in months] == [("2016-11-01", 1), ("2016-12-01", 4)]
    days = timeline(world, EventQuery.parse(since="2016-12-05", until="2016-12-07"), "day")
    assert [b["total"] for b in days["buckets"]] == [3, 4, 1]
    assert sum(b["total"] for b in timeline(world, EventQuery(), "month")["buckets"]) == \
        len(WORLD) - 1  # the undated event has no bucket


def test_event_detail_has_mentions_and_articles(world):
    d = event_detail(world, event_id("aleppo_shelling"))
    assert d["num_sources"] == 4 and len(d["mentions"]) == 4
    assert {m["article"]["source"] for m in d["mentions"]} == set(
        WORLD_BY_KEY["aleppo_shelling"].sources)
    for m in d["mentions"]:
        assert m["event_id"] == d["id"]
        assert m["sentence"] in WORLD_BY_KEY["aleppo_shelling"].sentences
        assert m["article"]["url"].startswith("https://") and m["article"]["headline"]
    published = [m["article"]["published"] for m in d["mentions"]]
    assert published == sorted(published)
    assert event_detail(world, "no-such-event") is None


def test_articles_pages_and_detail(world):
    first = list_articles(world, ArticleQuery.parse(limit=5))
    assert len(first.items) == 5 and first.next_cursor
    seen, cursor = [], None
    while True:
        page = list_articles(world, ArticleQuery.parse(limit=4, cursor=cursor))
        seen += [a["id"] for a in page.items]
        cursor = page.next_cursor
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == world.counts()["articles"]
    afp = list_articles(world, ArticleQuery.parse(source="afp", limit=100)).items
    assert afp and all(a["source"] == "AFP" for a in afp)
    art = article_detail(world, afp[0]["id"])
    assert art["text"] and art["mentions"] and art["event_ids"]
    assert all(m["article_id"] == art["id"] for m in art["mentions"])
    hits = list_articles(world, ArticleQuery.parse(q="Zakharova", since="2024")).items
    assert hits and all("2024" in a["published"] for a in hits)
    assert article_detail(world, "nope") is None


def test_count_matches_pages(world):
    q = EventQuery.parse(country="SYR")
    assert count_events(world, q) == len(search_events(world, EventQuery.parse(
        country="SYR", limit=1000)).items) == 7


ACTOR_VALUES = ["RUS", "GOV", "IGO", "IGOUNO", "RUSMIL", "Lavrov", "zakharová", "Kyiv",
                "code:RUS", "country:SYR", "sector:MIL", "name:united", "SYR,UKR", "XYZ",
                "Ankara", "TUR"]


def test_actor_filters_same_with_and_without_search_columns(tmp_path):
    store = build_store(tmp_path / "a.duckdb")
    add_random_events(store, 150, seed=21)
    try:
        def ids(**kw):
            return [e["id"] for e in search_events(store, EventQuery.parse(limit=None, **kw)).items]

        assert not search_ready(store)
        before = {v: (ids(actor=v), ids(recipient=v)) for v in ACTOR_VALUES}
        assert refresh_search(store) > 0 and search_ready(store)
        after = {v: (ids(actor=v), ids(recipient=v)) for v in ACTOR_VALUES}
        assert before == after
        assert before["RUS"][0] and before["Kyiv"][0] and not before["XYZ"][0]
        # a new event written the way dedup writes (no search columns): back to the lists,
        # same answers, and found
        add_specs(store, [replace(WORLD_BY_KEY["lavrov_accuses"], key="late_lavrov")],
                  prefix="late")
        assert not search_ready(store)
        assert event_id("late_lavrov") in ids(actor="Lavrov")
    finally:
        store.close()


def _haversine(lat1, lon1, lat2, lon2):
    import math

    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@pytest.mark.parametrize("lat, lon, km", [
    (36.2, 37.15, 1), (36.2, 37.15, 60), (36.2, 37.15, 400), (36.2, 37.15, 1000),
    (50.0, 30.0, 900), (40.0, -74.0, 3000), (0.0, 179.9, 16000), (89.9, 0.0, 5000),
    (-45.0, 170.0, 20000), (36.2, 37.15, 0),
])
def test_near_agrees_with_haversine(tmp_path_factory, lat, lon, km):
    store = build_store(tmp_path_factory.mktemp("near") / "n.duckdb")
    add_random_events(store, 80, seed=4)
    try:
        located = store.con.execute(
            "SELECT id, lat, lon FROM events WHERE lat IS NOT NULL").fetchall()
        expected = {i for i, la, lo in located if _haversine(lat, lon, la, lo) <= km}
        borderline = {i for i, la, lo in located
                      if abs(_haversine(lat, lon, la, lo) - km) < 1e-3}
        q = EventQuery.parse(near=f"{lat},{lon},{km}", limit=None)
        got = {e["id"] for e in search_events(store, q).items}
        assert got - borderline == expected - borderline
    finally:
        store.close()
