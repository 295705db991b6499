"""Dedup of mentions whose date is unknown (articles without a publication date), and of
two-sided exchanges beside one-sided acts."""

from __future__ import annotations

import json

from dedup_fixtures import ALEPPO, article, mention

from dateline.dedup import update_events
from dateline.model import Article


def undated(aid: str, source: str) -> Article:
    return Article(id=aid, text="Body.", source=source, published=None)


def events(store) -> dict[str, dict]:
    return {eid: json.loads(data) for eid, data in
            store.con.execute("SELECT id, data FROM events").fetchall()}


def event_of(store, m) -> str:
    return store.con.execute("SELECT event_id FROM mentions WHERE id = ?", [m.id]).fetchone()[0]


def test_undated_reports_from_two_articles_never_merge(store):
    # two agencies, no publication date, the same kind of strike on the same town: with no
    # date at all nothing says it is the same day
    a = mention("u1", day=None, precision="unknown")
    b = mention("u2", day=None, precision="unknown")
    store.add_articles([(undated("u1", "Agency A"), [a]), (undated("u2", "Agency B"), [b])])
    update_events(store)
    assert event_of(store, a) != event_of(store, b)
    for ev in events(store).values():
        assert ev["date"] is None and ev["date_start"] is None and ev["date_end"] is None
        assert ev["date_precision"] == "unknown"
        assert ev["num_sources"] == 1


def test_undated_mentions_of_one_article_merge(store):
    a = mention("u1", day=None, precision="unknown", index=0)
    b = mention("u1", day=None, precision="unknown", index=1, location=None)
    store.add_articles([(undated("u1", "Agency A"), [a, b])])
    update_events(store)
    assert event_of(store, a) == event_of(store, b)


def test_an_undated_mention_takes_the_date_its_article_gives(store):
    # "On 6 December 2016 the army shelled Aleppo. ... The shelling lasted hours."
    dated = mention("u1", day="2016-12-06", precision="day", index=0)
    vague = mention("u1", day=None, precision="unknown", index=1, location=None)
    other = mention("d1", day="2016-12-06", precision="day")
    store.add_articles([(undated("u1", "Agency A"), [dated, vague]),
                        (article("d1", "2016-12-07T08:00:00+00:00", source="Agency B"), [other])])
    update_events(store)
    assert event_of(store, dated) == event_of(store, vague) == event_of(store, other)
    (ev,) = events(store).values()
    assert ev["date"] == "2016-12-06" and ev["date_precision"] == "day"
    assert ev["num_sources"] == 2


def test_a_date_in_an_undated_article_lets_it_meet_other_reports(store):
    a = mention("u1", day="2016-12-06", precision="day")
    b = mention("d1", day=None, precision="publication")
    store.add_articles([(undated("u1", "Agency A"), [a]),
                        (article("d1", "2016-12-06T20:00:00+00:00", source="Agency B"), [b])])
    update_events(store)
    assert event_of(store, a) == event_of(store, b)


def test_the_ingest_day_is_never_an_events_date(store):
    m = mention("u1", day=None, precision="publication")  # as older coders wrote it
    store.add_articles([(undated("u1", "Agency A"), [m])])
    update_events(store)
    (ev,) = events(store).values()
    assert ev["date"] is None and ev["date_precision"] == "unknown"
    row = store.con.execute("SELECT date, first_seen FROM events").fetchone()
    assert row[0] is None and row[1] is not None  # first seen: when it was ingested


def test_a_two_sided_exchange_stays_apart_from_a_one_sided_act(store):
    pub = "2016-12-07T08:00:00+00:00"
    # "Moscow and Washington traded accusations" vs "Moscow accused Washington"
    both = mention("a1", "ACCUSE", ("RUSGOV", "USAGOV"), ("RUSGOV", "USAGOV"), location=None)
    one = mention("b1", "ACCUSE", ("RUSGOV",), ("USAGOV",), location=None)
    both2 = mention("c1", "ACCUSE", ("USAGOV", "RUSGOV"), ("USAGOV", "RUSGOV"), location=None)
    store.add_articles([(article("a1", pub, source="A"), [both]),
                        (article("b1", pub, source="B"), [one]),
                        (article("c1", pub, source="C"), [both2])])
    update_events(store)
    assert event_of(store, both) != event_of(store, one)
    assert event_of(store, both) == event_of(store, both2)


def test_the_place_rule_still_holds_for_dated_reports(store):
    pub = "2016-12-07T08:00:00+00:00"
    a = mention("a1", location=ALEPPO)
    b = mention("b1", location=ALEPPO)
    store.add_articles([(article("a1", pub, source="A"), [a]), (article("b1", pub, source="B"), [b])])
    update_events(store)
    assert event_of(store, a) == event_of(store, b)
