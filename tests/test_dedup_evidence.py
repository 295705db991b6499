"""What ties two mentions into one event: across articles, evidence beyond a shared kind,
country and week; inside one article, the same sentence, a headline with its lede, or
something two body sentences share."""

from __future__ import annotations

from dedup_fixtures import article, mention, place

from dateline.dedup import update_events

PUB = "2019-11-05T10:00:00+05:30"
MEERUT = place("Meerut", "IND", 1263214, "36", 28.98002, 77.70636)
KANPUR = place("Kanpur", "IND", 1267995, "36", 26.46523, 80.34975)


def named(p, start=5):
    """The place as a coder gives it when the sentence names it (offsets set)."""
    from dataclasses import replace
    return replace(p, start=start, end=start + 6)


def together(store, a, b) -> bool:
    q = "SELECT event_id FROM mentions WHERE id = ?"
    return store.con.execute(q, [a.id]).fetchone()[0] == store.con.execute(q, [b.id]).fetchone()[0]


def add(store, *pairs):
    store.add_articles([(article(aid, pub, source=f"Paper {aid}"), ms) for aid, pub, ms in pairs])
    update_events(store)


def test_two_statements_dated_only_by_publication_stay_apart(store):
    # "the state government criticised the centre" in two papers of one day
    a = mention("a", "ACCUSE", ("INDGOV",), ("INDGOV",), day=None, precision="publication",
                location=None)
    b = mention("b", "ACCUSE", ("INDGOV",), ("INDGOV",), day=None, precision="publication",
                location=None)
    add(store, ("a", PUB, [a]), ("b", PUB, [b]))
    assert not together(store, a, b)


def test_a_named_day_and_named_actors_tie_two_reports(store):
    a = mention("a", "COERCE", ("INDCOP",), ("INDBUS",), day="2019-11-04", location=named(MEERUT))
    b = mention("b", "COERCE", ("INDCOP",), (), day="2019-11-04", location=None)
    add(store, ("a", PUB, [a]), ("b", PUB, [b]))
    assert together(store, a, b)


def test_a_shared_dateline_is_no_evidence(store):
    # both placed by the dateline "meerut:" (no offsets): only actors tie them
    a = mention("a", "COERCE", ("INDCOP",), (), day=None, precision="publication", location=MEERUT)
    b = mention("b", "COERCE", ("INDCOP",), (), day=None, precision="publication", location=MEERUT)
    add(store, ("a", PUB, [a]), ("b", PUB, [b]))
    assert not together(store, a, b)


def test_named_actors_recipients_and_locality_tie_undated_reports(store):
    a = mention("a", "ASSAULT", ("INDCVL",), ("INDCOP",), day=None, precision="publication",
                location=named(KANPUR))
    b = mention("b", "ASSAULT", ("INDCVL",), ("INDCOP",), day=None, precision="publication",
                location=named(KANPUR))
    add(store, ("a", PUB, [a]), ("b", PUB, [b]))
    assert together(store, a, b)


def test_a_day_to_come_is_no_evidence(store):
    # two requests about the same planned day are not one request
    a = mention("a", "REQUEST", ("INDREL",), ("INDGOV",), day="2019-11-15", location=None,
                modality="planned")
    b = mention("b", "REQUEST", ("INDOPP",), ("INDGOV",), day="2019-11-15", location=None,
                modality="planned")
    add(store, ("a", PUB, [a]), ("b", PUB, [b]))
    assert not together(store, a, b)


def test_two_parties_of_a_meeting_tie_reports(store):
    a = mention("a", "CONSULT", ("INDGOV", "PAKGOV"), (), day=None, precision="publication",
                location=None)
    b = mention("b", "CONSULT", ("PAKGOV",), ("INDGOV",), day=None, precision="publication",
                location=None)
    add(store, ("a", PUB, [a]), ("b", PUB, [b]))
    assert together(store, a, b)


# -- inside one article ---------------------------------------------------------------------------
def test_a_statements_sentences_that_share_only_their_speaker_stay_apart(store):
    # "The United States condemns the attack ..." / "The United States remains committed ..."
    s1 = mention("a", "ACCUSE", ("USA",), ("IRQINS",), day=None, precision="publication",
                 location=None, index=0)
    s2 = mention("a", "ACCUSE", ("USA",), (), day=None, precision="publication",
                 location=None, index=4)
    add(store, ("a", PUB, [s1, s2]))
    assert not together(store, s1, s2)


def test_body_sentences_naming_the_same_target_are_one_event(store):
    s1 = mention("a", "ASSAULT", ("IMGMUSISI",), ("IRQCVL",), day=None, precision="publication",
                 location=None, index=0)
    s2 = mention("a", "ASSAULT", (), ("IRQCVL",), day=None, precision="publication",
                 location=None, index=2)
    add(store, ("a", PUB, [s1, s2]))
    assert together(store, s1, s2)


def test_a_headline_joins_its_lede_not_a_later_sentence(store):
    head = mention("a", "ASSAULT", ("USAMIL",), (), day=None, precision="publication",
                   location=None, index=-1)
    lede = mention("a", "ASSAULT", ("USAMIL",), ("IMGMUSISI",), day=None, precision="publication",
                   location=None, index=0)
    later = mention("b", "ASSAULT", ("USAMIL",), (), day=None, precision="publication",
                    location=None, index=-1)
    tail = mention("b", "ASSAULT", ("USAMIL",), (), day=None, precision="publication",
                   location=None, index=12)
    add(store, ("a", PUB, [head, lede]), ("b", PUB, [later, tail]))
    assert together(store, head, lede)
    assert not together(store, later, tail)
