"""Mentions of opposite direction never become one event, even through a reciprocal one."""

from dedup_fixtures import article, mention

from dateline.dedup import update_events


def _events(store, items):
    store.add_articles(items)
    update_events(store)
    rows = store.con.execute(
        "SELECT m.actor_codes, m.recipient_codes, m.event_id FROM mentions m").fetchall()
    return {(tuple(a), tuple(r)): e for a, r, e in rows}


def test_accusation_and_counter_accusation_stay_apart(store):
    a = article("a1", "2016-12-07T00:00:00+00:00", source="X")
    ms = [
        mention("a1", "ACCUSE", ("RUSGOV",), ("USAGOV",), index=0, location=None),
        mention("a1", "ACCUSE", ("USAGOV",), ("RUSGOV",), index=1, location=None),
        # "Moscow and Washington traded barbs": both ways at once
        mention("a1", "ACCUSE", ("RUSGOV", "USAGOV"), ("USAGOV", "RUSGOV"), index=2,
                location=None),
    ]
    ev = _events(store, [(a, ms)])
    assert ev[(("RUSGOV",), ("USAGOV",))] != ev[(("USAGOV",), ("RUSGOV",))]


def test_attack_and_attack_on_the_attacker_stay_apart(store):
    a = article("a1", "2016-12-07T00:00:00+00:00", source="X")
    b = article("b1", "2016-12-07T01:00:00+00:00", source="Y")
    ev = _events(store, [
        (a, [mention("a1", "ASSAULT", ("SYRMIL",), ("SYRREB",))]),
        (b, [mention("b1", "ASSAULT", (), ("SYRMIL",))]),
    ])
    assert ev[(("SYRMIL",), ("SYRREB",))] != ev[((), ("SYRMIL",))]


def test_same_direction_reports_merge(store):
    a = article("a1", "2016-12-07T00:00:00+00:00", source="X")
    b = article("b1", "2016-12-07T01:00:00+00:00", source="Y")
    ev = _events(store, [
        (a, [mention("a1", "ASSAULT", ("SYRMIL",), ("SYRREB",))]),
        (b, [mention("b1", "ASSAULT", ("SYRMIL",), ())]),
    ])
    assert ev[(("SYRMIL",), ("SYRREB",))] == ev[(("SYRMIL",), ())]


def test_agentless_attack_on_the_actor_stays_apart_even_when_nothing_else_differs(store):
    a = article("a1", "2016-12-07T00:00:00+00:00", source="X")
    ev = _events(store, [(a, [
        mention("a1", "ASSAULT", ("SYRMIL",), (), index=0),
        mention("a1", "ASSAULT", ("SYRMIL",), (), index=1),
        mention("a1", "ASSAULT", (), ("SYRMIL",), index=2),
    ])])
    assert ev[(("SYRMIL",), ())] != ev[((), ("SYRMIL",))]
