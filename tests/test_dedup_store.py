"""Dedup over a real Store (DuckDB in tmp_path) with hand-built mentions: the merge rules,
the event fields, incremental = batch, stable ids, re-coded and deleted mentions."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta

import pytest
from dedup_fixtures import ALEPPO, HOMS, NEW_YORK, SYRIA, article, mention, utc
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.dedup import event_id_for, event_with_mentions, update_events
from dateline.dedup.events import EVENT_COLUMNS, event_from_dict
from dateline.model import Mention

PUB = "2016-12-07T09:00:00+00:00"


def add(store, *items):
    """items: (article id, published, source, [mentions]); stored in one call."""
    store.add_articles([(article(aid, pub, source, f"https://www.{(source or 'x').lower()}"
                                 f".example/{aid}" if source else None), ms)
                        for aid, pub, source, ms in items])


def partition(store) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for mid, eid in store.con.execute("SELECT id, event_id FROM mentions").fetchall():
        assert eid is not None, f"mention {mid} has no event"
        groups.setdefault(eid, set()).add(mid)
    return {frozenset(g) for g in groups.values()}


def event_of(store, mention_id: str) -> str:
    return store.con.execute("SELECT event_id FROM mentions WHERE id = ?",
                             [mention_id]).fetchone()[0]


def together(store, a: Mention, b: Mention) -> bool:
    return event_of(store, a.id) == event_of(store, b.id)


# -- the rules, through the store --------------------------------------------------------------
def test_reports_of_one_event_become_one_event_with_its_fields(store):
    m1 = mention("a1", mode="seize", cameo="192", dead=5, confidence=0.5,
                 sentence="Syria's army seized Shaar yesterday.")
    m2 = mention("a2", day="2016-12-07", precision="publication", mode="clash",
                 location=SYRIA, dead=7, confidence=0.6)
    m3 = mention("a3", actors=("SYRGOV",), location=None, mode="seize", cameo="192",
                 confidence=0.9, sentence="Forces loyal to Assad took Shaar on Tuesday.")
    m4 = mention("a4", confidence=0.7)  # same publisher as a1: not an independent source
    add(store, ("a1", "2016-12-06T18:00:00+02:00", "Levant Wire", [m1]),
        ("a2", "2016-12-07T08:00:00+00:00", "Northern Post", [m2]),
        ("a3", "2016-12-08T07:30:00+11:00", None, [m3]),
        ("a4", "2016-12-07T12:00:00+00:00", "levant wire", [m4]))
    summary = update_events(store)
    assert (summary.mentions, summary.events_new, summary.events_total) == (4, 1, 1)
    eid = event_id_for(m1.id)  # a1 is the earliest report
    assert {event_of(store, m.id) for m in (m1, m2, m3, m4)} == {eid}

    event, mentions = event_with_mentions(store, eid)
    assert [m.id for m in mentions] == [m1.id, m2.id, m4.id, m3.id]  # by publication
    assert event.event_type == "ASSAULT" and event.quad_class == 4
    assert event.mode == "seize" and event.cameo == "192"
    assert event.actor_codes == ["SYRMIL"] and event.recipient_codes == ["SYRREB"]
    assert (event.date, event.date_start, event.date_end) == ("2016-12-06",) * 3
    assert event.location.name == "Aleppo"  # the finest place named
    assert event.size == {"dead": 7} and event.size_disputed
    assert (event.num_mentions, event.num_articles, event.num_sources) == (4, 4, 3)
    assert event.first_seen == "2016-12-06T16:00:00+00:00"
    assert event.last_seen == "2016-12-07T20:30:00+00:00"
    # noisy-or over sources, best report per source: Levant Wire 0.7, Post 0.6, a3's host 0.9
    assert event.confidence == pytest.approx(1 - 0.3 * 0.4 * 0.1, abs=1e-4)
    assert event.sentence == m3.sentence  # the most confident, most specific report
    assert event.mention_ids == [m1.id, m2.id, m4.id, m3.id]
    assert not event.negated and event.modality == "asserted"

    row = store.con.execute(f"SELECT {', '.join(EVENT_COLUMNS)} FROM events").fetchone()
    values = dict(zip(EVENT_COLUMNS, row, strict=True))
    assert json.loads(values["data"]) == event.to_dict()
    assert event_from_dict(json.loads(values["data"])) == event
    assert values["actor_countries"] == ["SYR"] and values["actor_sectors"] == ["MIL"]
    assert values["recipient_sectors"] == ["REB"] and values["country"] == "SYR"
    assert values["place"] == "Aleppo" and values["lat"] == pytest.approx(36.20124)
    assert values["admin1"] == "09" and values["dead"] == 7 and values["size_disputed"]
    assert values["date"] == date(2016, 12, 6) and values["num_sources"] == 3
    assert values["first_seen"] == utc("2016-12-06T16:00:00+00:00")
    # every column of the events table is filled here (injured/arrested: nothing reported)
    assert [c for c, v in values.items() if v is None] == ["injured", "arrested"]


def test_confidence_grows_with_independent_sources(store):
    ms = [mention(f"a{k}", confidence=0.5) for k in range(4)]
    add(store, ("a0", PUB, "One", [ms[0]]))
    update_events(store)
    conf = [store.con.execute("SELECT confidence FROM events").fetchone()[0]]
    for k, src in ((1, "One"), (2, "Two"), (3, "Three")):
        add(store, (f"a{k}", PUB, src, [ms[k]]))
        update_events(store)
        conf.append(store.con.execute("SELECT confidence FROM events").fetchone()[0])
    assert conf == pytest.approx([0.5, 0.5, 0.75, 0.875])


@pytest.mark.parametrize("a, b, same", [
    # negated and asserted never merge
    (dict(), dict(negated=True), False),
    # an accusation and its denial never merge
    (dict(event_type="ACCUSE", actors=("RUSGOV",), recipients=("USAGOV",), location=None),
     dict(event_type="REJECT", actors=("USAGOV",), recipients=("RUSGOV",), location=None),
     False),
    # same actors, another day
    (dict(), dict(day="2016-12-08"), False),
    # same day, another city
    (dict(), dict(location=HOMS), False),
    # army vs rebels: another side
    (dict(), dict(actors=("SYRREB",), recipients=("SYRMIL",)), False),
    # planned vs asserted
    (dict(), dict(modality="planned"), False),
    # "Russia" and "Moscow": RUS and RUSGOV
    (dict(event_type="REJECT", actors=("RUS",), recipients=("IGOUNO",), location=None,
          mode="veto"),
     dict(event_type="REJECT", actors=("RUSGOV",), recipients=("IGOUNO",),
          location=NEW_YORK, mode="veto"), True),
    # words said another way are another statement (an allegation, a criticism)
    (dict(event_type="ACCUSE", actors=("RUS",), recipients=("USAGOV",), location=None,
          mode="allege"),
     dict(event_type="ACCUSE", actors=("RUSGOV",), recipients=("USAGOV",), location=None,
          mode="disapprove"), False),
    # army and government forces of one country
    (dict(actors=("SYRMIL",)), dict(actors=("SYRGOV",)), True),
    # a city inside its country; no place at all
    (dict(), dict(location=SYRIA), True),
    (dict(), dict(location=None), True),
    # a publication date is weak: +-1 day
    (dict(), dict(day="2016-12-07", precision="publication"), True),
    (dict(), dict(day="2016-12-05", precision="publication"), True),
    (dict(), dict(day="2016-12-08", precision="publication"), False),
    # a week or a month holds the day
    (dict(), dict(day="2016-12-08", precision="week"), True),
    (dict(), dict(day="2016-12-20", precision="month"), True),
    (dict(), dict(day="2016-11-30", precision="month"), False),
    # one reports two actors, the other one of them
    (dict(actors=("RUSGOV", "CHNGOV"), recipients=()), dict(actors=("CHNGOV",), recipients=()),
     True),
    # symmetric types: who met whom may be told either way
    (dict(event_type="CONSULT", actors=("INDGOV",), recipients=("PAKGOV",)),
     dict(event_type="CONSULT", actors=("PAKGOV",), recipients=("INDGOV",)), True),
    (dict(actors=("INDGOV",), recipients=("PAKGOV",)),
     dict(actors=("PAKGOV",), recipients=("INDGOV",)), False),
    # words are placeless: the place they name is what they are about
    (dict(event_type="REJECT", actors=("RUS",), recipients=("IGOUNO",), location=ALEPPO),
     dict(event_type="REJECT", actors=("RUSGOV",), recipients=("IGOUNO",),
          location=NEW_YORK), True),
    (dict(event_type="CONSULT", actors=("INDGOV",), recipients=("PAKGOV",)),
     dict(event_type="CONSULT", actors=("INDGOV",), recipients=("PAKGOV",), location=HOMS),
     False),
    # a report naming no actor, recipient or place: only merged inside its own article
    (dict(actors=(), recipients=(), location=None), dict(actors=(), recipients=(),
                                                         location=None), False),
])
def test_merge_rules(store, a, b, same):
    m1, m2 = mention("a1", **a), mention("a2", **b)
    add(store, ("a1", PUB, "One", [m1]), ("a2", PUB, "Two", [m2]))
    update_events(store)
    assert together(store, m1, m2) is same


def test_headline_and_body_of_one_article_are_one_event(store):
    """A headline (no date: publication day) and the body ("on Monday", two days before
    publication) report one event; and a report of another article dated Monday joins."""
    head = mention("a1", "REJECT", ("RUSGOV", "CHNGOV"), ("IGOUNO",), "2016-12-07",
                   "publication", None, index=-1, mode="veto")
    body = mention("a1", "REJECT", ("RUSGOV", "CHNGOV"), ("IGOUNO",), "2016-12-05", "day",
                   NEW_YORK, index=2, mode="veto")
    other = mention("a2", "REJECT", ("RUSGOV",), ("IGOUNO",), "2016-12-05", "day", None,
                    mode="veto")
    anon_head = mention("a3", actors=(), recipients=(), location=None, index=-1)
    anon_body = mention("a3", actors=(), recipients=(), location=None, index=1)
    add(store, ("a1", PUB, "One", [head, body]), ("a2", PUB, "Two", [other]),
        ("a3", PUB, "Three", [anon_head, anon_body]))
    update_events(store)
    assert together(store, head, body) and together(store, body, other)
    assert together(store, anon_head, anon_body)
    event, _ = event_with_mentions(store, event_of(store, head.id))
    assert event.date == "2016-12-05" and event.num_articles == 2
    assert event.location.name == "New York City"


def test_an_ambiguous_report_joins_one_event_not_both(store):
    mon = [mention(f"m{k}", day="2016-12-05", confidence=0.7) for k in range(2)]
    tue = [mention(f"t{k}", day="2016-12-06", confidence=0.7) for k in range(2)]
    month = mention("x", day="2016-12-01", precision="month", location=None)
    add(store, *[(m.article_id, PUB, m.article_id, [m]) for m in mon + tue + [month]])
    update_events(store)
    assert together(store, mon[0], mon[1]) and together(store, tue[0], tue[1])
    assert not together(store, mon[0], tue[0])
    assert together(store, month, mon[0]) != together(store, month, tue[0])


# -- incremental = batch, stable ids -----------------------------------------------------------
def _stream(n_events: int = 30, seed: int = 3) -> list[tuple[str, str, str, list[Mention]]]:
    """Articles reporting random events (with look-alikes: the same actors on the next
    day, the same day in another city), in publication order."""
    rnd = random.Random(seed)
    start = datetime.fromisoformat("2016-12-01T06:00:00+00:00")
    articles = []
    for e in range(n_events):
        day = date(2016, 12, 1) + timedelta(days=rnd.randrange(6))
        etype = rnd.choice(["ASSAULT", "ASSAULT", "PROTEST", "ACCUSE"])
        acts = rnd.choice([("SYRMIL",), ("SYRREB",), ("RUSMIL",), ("SYRCVL",)])
        rec = rnd.choice([(), ("SYRREB",), ("SYRMIL",)])
        loc = rnd.choice([ALEPPO, HOMS, None])
        neg = rnd.random() < 0.1
        for r in range(rnd.randint(1, 5)):
            pub = start + timedelta(days=(day - date(2016, 12, 1)).days,
                                    hours=rnd.randrange(48))
            prec = rnd.choice(["day", "day", "publication", "week"])
            when = pub.date().isoformat() if prec == "publication" else day.isoformat()
            aid = f"e{e}r{r}"
            m = mention(aid, etype, acts if rnd.random() < 0.9 else (), rec, when, prec,
                        loc if rnd.random() < 0.8 else (SYRIA if rnd.random() < 0.5 else None),
                        negated=neg, dead=rnd.choice([None, 3, 4]),
                        confidence=round(rnd.uniform(0.3, 0.9), 2))
            articles.append((aid, pub.isoformat(), rnd.choice(["A", "B", "C", "D"]), [m]))
    articles.sort(key=lambda a: (a[1], a[0]))
    return articles


def _assignment(store) -> dict[str, str]:
    return dict(store.con.execute("SELECT id, event_id FROM mentions").fetchall())


def _events(store) -> dict[str, str]:
    return dict(store.con.execute("SELECT id, data FROM events").fetchall())


@pytest.mark.slow
def test_incremental_equals_batch(tmp_path):
    from dateline.store import Store

    stream = _stream()
    with Store.open(tmp_path / "batch.duckdb") as batch:
        add(batch, *stream)
        update_events(batch)
        expected, expected_events = _assignment(batch), _events(batch)
    assert len(set(expected.values())) < len(expected)  # there is merging to do
    # three chunks in publication order: same partition, same ids, same events
    with Store.open(tmp_path / "chunks.duckdb") as inc:
        third = len(stream) // 3
        for chunk in (stream[:third], stream[third:2 * third], stream[2 * third:]):
            add(inc, *chunk)
            s = update_events(inc, [a[0] for a in chunk])
            assert s.mentions == len(chunk)
        assert _assignment(inc) == expected
        assert _events(inc) == expected_events
    # any arrival order: the same partition (ids are kept once given, so they may differ)
    shuffled = stream[:]
    random.Random(9).shuffle(shuffled)
    with Store.open(tmp_path / "shuffled.duckdb") as inc:
        for k in range(0, len(shuffled), 25):
            add(inc, *shuffled[k:k + 25])
            update_events(inc)
        assert partition(inc) == {frozenset(g) for g in _groups(expected)}


def _groups(assignment: dict[str, str]) -> list[set[str]]:
    groups: dict[str, set[str]] = {}
    for mid, eid in assignment.items():
        groups.setdefault(eid, set()).add(mid)
    return list(groups.values())


def test_only_the_touched_blocks_are_examined(store):
    aleppo = [mention(f"s{k}", day="2016-12-06") for k in range(3)]
    kabul = [mention(f"k{k}", actors=(), recipients=("AFGCVL",), location=None,
                     day="2018-04-22") for k in range(4)]
    other_day = mention("s9", day="2016-12-20")
    add(store, *[(m.article_id, PUB, m.article_id, [m]) for m in aleppo + kabul + [other_day]])
    update_events(store)
    kabul_event = event_of(store, kabul[0].id)
    late = mention("s4", day="2016-12-06", confidence=0.8)
    add(store, ("s4", PUB, "s4", [late]))
    s = update_events(store, ["s4"])
    # the new report and the three of its event; Kabul and Dec 20 are not even read
    assert (s.mentions, s.examined, s.components) == (1, 4, 1)
    assert (s.events_new, s.events_updated) == (0, 1)
    assert together(store, late, aleppo[0]) and event_of(store, kabul[0].id) == kabul_event


def test_rerun_and_rebuild_keep_everything(store):
    add(store, *_stream(12))
    update_events(store)
    before, events = _assignment(store), _events(store)
    again = update_events(store)
    assert (again.mentions, again.examined, again.events_new) == (0, 0, 0)
    rebuilt = update_events(store, rebuild=True)
    assert rebuilt.events_new == 0 and rebuilt.events_retired == 0
    assert _assignment(store) == before and _events(store) == events


def test_a_new_report_keeps_the_event_id(store):
    m1 = mention("a1")
    add(store, ("a1", PUB, "One", [m1]))
    update_events(store)
    eid = event_of(store, m1.id)
    m2 = mention("a2", day="2016-12-07", precision="publication")
    # a late article, published before the first one: the id stays (kept once given)
    m0 = mention("a0")
    add(store, ("a2", "2016-12-07T10:00:00+00:00", "Two", [m2]),
        ("a0", "2016-12-06T07:00:00+00:00", "Zero", [m0]))
    s = update_events(store, ["a2", "a0"])
    assert (s.events_new, s.events_updated, s.events_retired) == (0, 1, 0)
    assert {event_of(store, m.id) for m in (m0, m1, m2)} == {eid}
    event, _ = event_with_mentions(store, eid)
    assert event.num_mentions == 3 and event.first_seen.startswith("2016-12-06T07:00")


def test_a_bridging_report_merges_two_events_keeping_the_older_id(store):
    russia = mention("a1", "REJECT", ("RUSGOV",), ("IGOUNO",), location=None)
    china = mention("a2", "REJECT", ("CHNGOV",), ("IGOUNO",), location=None)
    add(store, ("a1", "2016-12-06T08:00:00+00:00", "One", [russia]),
        ("a2", "2016-12-06T09:00:00+00:00", "Two", [china]))
    update_events(store)
    older, newer = event_of(store, russia.id), event_of(store, china.id)
    assert older != newer
    both = mention("a3", "REJECT", ("RUSGOV", "CHNGOV"), ("IGOUNO",), location=None)
    add(store, ("a3", "2016-12-06T10:00:00+00:00", "Three", [both]))
    s = update_events(store, ["a3"])
    assert (s.events_updated, s.events_retired, s.events_total) == (1, 1, 1)
    assert {event_of(store, m.id) for m in (russia, china, both)} == {older}
    assert store.con.execute("SELECT count(*) FROM events WHERE id = ?",
                             [newer]).fetchone()[0] == 0
    with pytest.raises(KeyError):
        event_with_mentions(store, newer)


def test_recoded_and_deleted_mentions(store):
    m1, m2, m3 = mention("a1"), mention("a2"), mention("a3", day="2016-12-10")
    add(store, ("a1", PUB, "One", [m1]), ("a2", PUB, "Two", [m2]),
        ("a3", PUB, "Three", [m3]))
    update_events(store)
    eid = event_of(store, m1.id)
    assert together(store, m1, m2) and not together(store, m1, m3)
    # a2 re-coded: its report now says another day; the event loses it (assigned again
    # even when the run is asked about other articles only)
    moved = mention("a2", day="2016-12-10", confidence=0.8)
    store.replace_mentions("a2", [moved])
    s = update_events(store, ["a3"])
    assert s.mentions == 1
    assert together(store, moved, m3) and event_of(store, m1.id) == eid
    event, ms = event_with_mentions(store, eid)
    assert [m.id for m in ms] == [m1.id] and event.num_mentions == 1
    # a1 re-coded to nothing: its event goes
    store.replace_mentions("a1", [])
    s = update_events(store)
    assert s.events_retired == 1
    assert store.con.execute("SELECT count(*) FROM events WHERE id = ?", [eid]).fetchone()[0] == 0
    assert store.con.execute("SELECT count(*) FROM dedup_mentions").fetchone()[0] == 2


def test_only_the_given_articles_are_assigned(store):
    m1, m2 = mention("a1"), mention("a2", day="2016-12-20")
    add(store, ("a1", PUB, "One", [m1]), ("a2", PUB, "Two", [m2]))
    s = update_events(store, ["a1"])
    assert s.mentions == 1
    assert event_of(store, m1.id) is not None and event_of(store, m2.id) is None
    assert update_events(store, []).mentions == 0
    assert update_events(store).mentions == 1


_REPORT = st.tuples(
    st.integers(0, 5),  # day offset
    st.sampled_from(["day", "day", "publication", "week"]),
    st.sampled_from([("SYRMIL",), ("SYRGOV",), ("SYRREB",), ()]),
    st.sampled_from([("SYRREB",), ()]),
    st.sampled_from(["aleppo", "homs", "syria", None]),
    st.booleans(),  # negated
    st.integers(0, 30),  # publication hour offset
)
_PLACES = {"aleppo": ALEPPO, "homs": HOMS, "syria": SYRIA, None: None}


@pytest.mark.slow
@settings(max_examples=8, deadline=None)
@given(st.lists(_REPORT, min_size=2, max_size=20), st.randoms(use_true_random=False),
       st.integers(1, 4))
def test_any_chunking_gives_the_batch_partition(reports, rnd, n_chunks):
    from tempfile import TemporaryDirectory

    from dateline.store import Store

    items = []
    for k, (off, prec, acts, recs, where, neg, hour) in enumerate(reports):
        day = date(2016, 12, 1) + timedelta(days=off)
        pub = datetime(2016, 12, 1, 6) + timedelta(days=off, hours=hour)
        when = pub.date().isoformat() if prec == "publication" else day.isoformat()
        m = mention(f"r{k}", "ASSAULT", acts, recs, when, prec, _PLACES[where], negated=neg)
        items.append((f"r{k}", pub.isoformat() + "+00:00", "ABC"[k % 3], [m]))
    items.sort(key=lambda a: (a[1], a[0]))
    with TemporaryDirectory() as tmp:
        with Store.open(f"{tmp}/batch.duckdb") as batch:
            add(batch, *items)
            update_events(batch)
            expected = _assignment(batch)
        size = -(-len(items) // n_chunks)
        with Store.open(f"{tmp}/ordered.duckdb") as inc:  # publication order: same ids
            for k in range(0, len(items), size):
                add(inc, *items[k:k + size])
                update_events(inc, [a[0] for a in items[k:k + size]])
            assert _assignment(inc) == expected
        shuffled = items[:]
        rnd.shuffle(shuffled)
        with Store.open(f"{tmp}/shuffled.duckdb") as inc:  # any order: same partition
            for k in range(0, len(shuffled), size):
                add(inc, *shuffled[k:k + size])
                update_events(inc)
            assert partition(inc) == {frozenset(g) for g in _groups(expected)}
