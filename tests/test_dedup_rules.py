"""Dedup, pure parts: keys and intervals of the rules, the vectorised checks against their
scalar twins, components, the clustering's guarantees, within-article dates, B-cubed."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from dedup_fixtures import ALEPPO, HOMS, SYRIA, actor, mention
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.dedup import DedupRules, Encoder, adopt_article_dates, cluster_records
from dateline.dedup.bcubed import b_cubed
from dateline.dedup.cluster import (
    _Context, _has_cover, _place_ok, _Profile, connected, places_compatible,
    sets_compatible,
)
from dateline.dedup.records import FAMILY_BITS, Records
from dateline.dedup.rules import DAY, DECADE, MONTH, PUBLICATION, UNKNOWN, WEEK, YEAR
from dateline.model import EVENT_TYPES, ActorRef, Place

RULES = DedupRules()


# -- keys and intervals ----------------------------------------------------------------------
@pytest.mark.parametrize("ref, key", [
    (actor("SYRMIL"), ("SYR", "STATE")),
    (actor("SYRGOV"), ("SYR", "STATE")),
    (actor("SYRREB"), ("SYR", "ARMED_OPPOSITION")),
    (actor("RUS"), ("RUS", "STATE")),
    (ActorRef(text="Moscow", code="RUSGOV"), ("RUS", "STATE")),
    (actor("IGOUNO"), ("IGOUNO", "IGO")),
    (ActorRef(text="UN Security Council", code="IGOUNOSEC"), ("IGOUNO", "IGO")),
    (ActorRef(text="Islamic State", code="IMGMUSISI"), ("IMGMUSISI", "ARMED_OPPOSITION")),
    (ActorRef(text="police", code="COP"), (None, "STATE")),
    (ActorRef(text="Syrians", country="SYR", sector="CVL"), ("SYR", "SOCIETY")),
    (ActorRef(text="gunmen"), None),
])
def test_actor_keys_compare_country_and_sector_family(ref, key):
    assert RULES.actor_key(ref) == key


def test_intervals_follow_the_date_precision():
    d = date(2016, 12, 7)  # a Wednesday
    o = d.toordinal()
    assert RULES.interval("day", d, None) == (DAY, o, o)
    assert RULES.interval("publication", d, None) == (PUBLICATION, o - 1, o + 1)
    assert RULES.interval("week", d, None) == (WEEK, o - 2, o + 4)
    assert RULES.interval("month", d, None) == (
        MONTH, date(2016, 12, 1).toordinal(), date(2016, 12, 31).toordinal())
    assert RULES.interval("year", d, None) == (
        YEAR, date(2016, 1, 1).toordinal(), date(2016, 12, 31).toordinal())
    # no date on the mention: its article's day, as a publication date
    assert RULES.interval("day", None, d) == (PUBLICATION, o - 1, o + 1)
    # no date anywhere (an undated article): unknown, on a day number of its own article
    # that no real day and no other article shares
    prec, lo, hi = RULES.interval("day", None, None, "article-a")
    assert prec == UNKNOWN and lo == hi < 0
    assert RULES.interval("unknown", None, None, "article-a") == (prec, lo, hi)
    # a mention coded as unknown whose article has a date now: that date
    assert RULES.interval("unknown", None, d, "article-a") == (PUBLICATION, o - 1, o + 1)
    assert RULES.interval("unknown", None, None, "article-b")[1] != lo
    assert RULES.interval("decade", date(1975, 1, 1), None) == (
        DECADE, date(1975, 1, 1).toordinal(), date(1979, 12, 31).toordinal())
    assert DedupRules(publication_before=2, publication_after=0).interval(
        "publication", d, None) == (PUBLICATION, o - 2, o)


def test_a_malformed_date_falls_back_to_the_publication_day():
    m = mention("a1", day="last Tuesday")
    c = Encoder(RULES).compact(m, date(2016, 12, 7))
    o = date(2016, 12, 7).toordinal()
    assert (c.precision, c.lo, c.hi) == (PUBLICATION, o - 1, o + 1)


def test_place_levels():
    assert RULES.place_level(None) == 0
    assert RULES.place_level(SYRIA) == 1
    assert RULES.place_level(Place(text="Aleppo Governorate", country="SYR",
                                   feature="admin1")) == 2
    assert RULES.place_level(ALEPPO) == 3
    assert RULES.place_level(Place(text="", country="SYR")) == 1


def test_type_families_join_compatible_types():
    rules = DedupRules(compatible_types=(("COERCE", "ASSAULT"),))
    assert rules.type_family("COERCE") == rules.type_family("ASSAULT") == "ASSAULT"
    assert rules.types_compatible("COERCE", "ASSAULT")
    assert not RULES.types_compatible("ACCUSE", "REJECT")


# -- vectorised checks = scalar twins ---------------------------------------------------------
_place = st.tuples(
    st.integers(1, 3),  # level
    st.integers(0, 2),  # country (0 unknown)
    st.integers(0, 2),  # admin1
    st.integers(-2, 2),  # locality
    st.sampled_from([float("nan"), 36.2, 36.25, 34.7]),
    st.sampled_from([float("nan"), 37.16, 37.2, 36.7]),
)


def _records_from_places(places) -> Records:
    n = len(places)
    cols = list(zip(*places, strict=True))
    z = np.zeros(n, dtype=np.int32)
    return Records(
        etype=z, family=z, negated=np.zeros(n, bool), modality=z.astype(np.int8),
        precision=z.astype(np.int8), lo=z, hi=z, article=np.arange(n), mode=z,
        dead=z - 1, place_level=np.array(cols[0], np.int8),
        place_country=np.array(cols[1], np.int32), place_admin1=np.array(cols[2], np.int32),
        place_loc=np.array(cols[3], np.int64), lat=np.array(cols[4]), lon=np.array(cols[5]),
        actors=np.zeros((n, 1), np.int64), recipients=np.zeros((n, 1), np.int64),
        blocks=np.ones((n, 1), np.int32), type_names=("ASSAULT",))


@settings(max_examples=120, deadline=None)
@given(st.lists(_place, min_size=2, max_size=8))
def test_vectorised_place_check_matches_the_scalar_one(places):
    rec = _records_from_places(places)
    i, j = np.triu_indices(len(places), k=1)
    vec = places_compatible(rec, i, j, RULES.near_km)
    for a, b, v in zip(i, j, vec, strict=True):
        assert bool(v) == _place_ok(places[a], places[b], RULES.near_km)


_key = st.builds(lambda c, f: c << FAMILY_BITS | f, st.integers(0, 3), st.integers(0, 3)).filter(
    bool)
_keyset = st.lists(_key, max_size=3, unique=True).map(lambda k: tuple(sorted(k)))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(_keyset, _keyset), min_size=1, max_size=20))
def test_vectorised_actor_check_matches_the_cover_rule(pairs):
    def pack(sets):
        out = np.zeros((len(sets), 3), np.int64)
        for k, s in enumerate(sets):
            out[k, :len(s)] = s
        return out

    a, b = pack([p[0] for p in pairs]), pack([p[1] for p in pairs])
    vec = sets_compatible(a, b)
    for (x, y), v in zip(pairs, vec, strict=True):
        sets = frozenset(s for s in (x, y) if s)
        assert bool(v) == _has_cover(sets)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 30).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=40))))
def test_components_match_a_plain_union_find(case):
    n, edges = case
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
    expected = [find(k) for k in range(n)]
    src = np.array([e[0] for e in edges], dtype=np.int64)
    dst = np.array([e[1] for e in edges], dtype=np.int64)
    got = connected(n, src, dst)
    # labels: the smallest node of each component, for both
    assert got.tolist() == [min(k for k in range(n) if expected[k] == expected[x])
                            for x in range(n)]


# -- clustering guarantees --------------------------------------------------------------------
_day = st.sampled_from(["2016-12-05", "2016-12-06", "2016-12-07", "2016-12-20"])
_mention = st.builds(
    lambda k, t, a, r, d, p, loc, neg: (k, t, a, r, d, p, loc, neg),
    st.integers(0, 11),  # article
    st.sampled_from(["ASSAULT", "ACCUSE", "REJECT"]),
    st.sampled_from([(), ("SYRMIL",), ("SYRGOV",), ("SYRREB",), ("SYRMIL", "RUSMIL")]),
    st.sampled_from([(), ("SYRREB",), ("SYRCVL",)]),
    _day,
    st.sampled_from(["day", "day", "publication", "week", "month"]),
    st.sampled_from([None, ALEPPO, HOMS, SYRIA]),
    st.booleans(),
)


def _encode(specs):
    ms = []
    for n, (k, t, a, r, d, p, loc, neg) in enumerate(specs):
        ms.append(mention(f"a{k}", t, a, r, d, p, loc, index=n, negated=neg))
    pub = [date(2016, 12, 7)] * len(ms)
    return ms, Encoder(RULES).encode(ms, pub)


@settings(max_examples=60, deadline=None)
@given(st.lists(_mention, min_size=1, max_size=40))
def test_every_cluster_agrees_as_a_whole(specs):
    ms, rec = _encode(specs)
    result = cluster_records(rec, RULES)
    ctx = _Context.of(rec, RULES)
    for rows in result.clusters():
        assert len({ms[k].event_type for k in rows}) == 1
        assert len({ms[k].negated for k in rows}) == 1
        profile = _Profile.of(rec, int(rows[0]))
        for k in rows[1:]:
            profile = profile.union(_Profile.of(rec, int(k)))
        assert profile.consistent(ctx)
        # clusters never leave their candidate-graph component
        assert len(set(result.components[rows].tolist())) == 1


@settings(max_examples=40, deadline=None)
@given(st.lists(_mention, min_size=2, max_size=30), st.randoms(use_true_random=False))
def test_clustering_depends_on_the_rows_not_on_their_arrival(specs, rnd):
    """Encoding the same mentions in another arrival order (then putting them back in
    canonical order) gives the same partition."""
    ms, rec = _encode(specs)
    base = cluster_records(rec, RULES).labels
    shuffled = list(range(len(ms)))
    rnd.shuffle(shuffled)
    enc = Encoder(RULES)  # a fresh encoder interns strings in another order
    other = enc.encode([ms[k] for k in shuffled], [date(2016, 12, 7)] * len(ms))
    back = np.argsort(shuffled)
    labels = cluster_records(other.take(back), RULES).labels
    assert _partition(base) == _partition(labels)


def _partition(labels) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for k, lab in enumerate(labels.tolist()):
        groups.setdefault(lab, set()).add(k)
    return {frozenset(g) for g in groups.values()}


def test_an_ambiguous_month_report_does_not_bridge_two_days():
    ms = [mention("a1", day="2016-12-05"), mention("a2", day="2016-12-05"),
          mention("a3", day="2016-12-12"), mention("a4", day="2016-12-12"),
          mention("a5", day="2016-12-01", precision="month")]
    rec = Encoder(RULES).encode(ms, [date(2016, 12, 13)] * 5)
    result = cluster_records(rec, RULES)
    parts = _partition(result.labels)
    assert frozenset({0, 1}) <= next(p for p in parts if 0 in p)
    assert frozenset({2, 3}) <= next(p for p in parts if 2 in p)
    assert not any({0, 2} <= p for p in parts)
    assert result.resolved == 1  # one component, split by constrained merging


def test_no_event_types_are_mixed_by_default():
    assert set(EVENT_TYPES) >= {"ACCUSE", "REJECT"}
    ms = [mention("a1", "ACCUSE", ("RUSGOV",), ("USAGOV",)),
          mention("a2", "REJECT", ("RUSGOV",), ("USAGOV",))]
    rec = Encoder(RULES).encode(ms, [date(2016, 12, 7)] * 2)
    assert len(set(cluster_records(rec, RULES).labels.tolist())) == 2


# -- within one article ----------------------------------------------------------------------
def test_a_publication_dated_mention_takes_the_articles_explicit_date():
    pub = date(2016, 12, 7)
    ms = [mention("a1", "REJECT", ("RUSGOV", "CHNGOV"), ("IGOUNO",), "2016-12-07",
                  "publication", None, index=-1),
          mention("a1", "REJECT", ("RUSGOV", "CHNGOV"), ("IGOUNO",), "2016-12-05", "day",
                  None, index=1),
          # same article, incompatible actors: no adoption
          mention("a1", "REJECT", ("USAGOV",), ("RUSGOV",), "2016-12-07", "publication",
                  None, index=2),
          # another article: no adoption either
          mention("a2", "REJECT", ("RUSGOV", "CHNGOV"), ("IGOUNO",), "2016-12-07",
                  "publication", None, index=0)]
    rec = Encoder(RULES).encode(ms, [pub] * 4)
    out = adopt_article_dates(rec, RULES)
    o5, o7 = date(2016, 12, 5).toordinal(), pub.toordinal()
    assert (out.precision[0], out.lo[0], out.hi[0]) == (DAY, o5, o5)
    assert (out.precision[2], out.lo[2], out.hi[2]) == (PUBLICATION, o7 - 1, o7 + 1)
    assert (out.precision[3], out.lo[3], out.hi[3]) == (PUBLICATION, o7 - 1, o7 + 1)
    # too far back: not adopted
    far = [ms[0], mention("a1", "REJECT", ("RUSGOV", "CHNGOV"), ("IGOUNO",), "2016-11-20",
                          "day", None, index=1)]
    rec = adopt_article_dates(Encoder(RULES).encode(far, [pub] * 2), RULES)
    assert rec.precision[0] == PUBLICATION


# -- B-cubed ---------------------------------------------------------------------------------
def test_b_cubed_scores():
    gold = {1: "a", 2: "a", 3: "b", 4: "b"}
    perfect = b_cubed({1: 1, 2: 1, 3: 2, 4: 2}, gold)
    assert (perfect.precision, perfect.recall, perfect.f1, perfect.items) == (1.0, 1.0, 1.0, 4)
    lumped = b_cubed({1: 0, 2: 0, 3: 0, 4: 0}, gold)
    assert (lumped.precision, lumped.recall) == (0.5, 1.0)
    split = b_cubed({1: 1, 2: 2, 3: 3, 4: 4}, gold)
    assert (split.precision, split.recall) == (1.0, 0.5)
    # the textbook example: {1,2,3 | 4,5} against gold {1,2 | 3,4,5}
    s = b_cubed({1: "x", 2: "x", 3: "x", 4: "y", 5: "y"}, {1: 1, 2: 1, 3: 2, 4: 2, 5: 2})
    assert s.precision == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert s.recall == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5)
    assert b_cubed({}, gold).items == 0


def test_a_story_day_is_as_vague_as_a_publication_day_around_its_own_day():
    from dateline.dedup.rules import PRECISION_NAMES, PUBLICATION

    rules = DedupRules()
    day, pub = date(2002, 3, 16), date(2002, 3, 17)
    code, lo, hi = rules.interval("story", day, pub)
    assert code == PUBLICATION and (lo, hi) == (day.toordinal() - rules.publication_before,
                                                day.toordinal() + rules.publication_after)
    assert PRECISION_NAMES[PUBLICATION] == "publication"
