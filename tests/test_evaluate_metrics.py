"""The matcher and the metrics on hand-made predicted mentions: numbers checked exactly."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.evaluate import GoldError, load_gold, score
from dateline.evaluate import match
from dateline.evaluate.gold import GoldActor, GoldPlace, parse_item
from dateline.model import ActorRef, Place
from evaluate_fixtures import mention


def item(**kw):
    base = {"id": "i1", "text": "Some text.", "published": "2016-12-07", "events": []}
    base.update(kw)
    return parse_item(base)


ASSAULT = {"event_type": "ASSAULT", "actor": [{"country": "SYR", "sector": "MIL"}],
           "recipient": [{"country": "SYR", "sector": "REB"}], "date": "2016-12-06",
           "location": {"name": "Aleppo", "country": "SYR"}}
CONSULT = {"event_type": "CONSULT", "actor": [{"country": "RUS"}],
           "recipient": [{"country": "USA"}]}


def figures(report, name):
    c = report.metrics[name]
    return (c.tp, c.gold, c.predicted, c.precision, c.recall, c.f1)


def test_perfect_predictions_score_one():
    gold = [item(events=[ASSAULT, CONSULT])]
    preds = {"i1": [
        mention("i1", "ASSAULT", ["SYRMIL"], ["SYRREB"], date="2016-12-06", place=("Aleppo", "SYR")),
        mention("i1", "CONSULT", ["RUSGOV"], ["USAGOV"], date="2016-12-07"),
    ]}
    r = score("dateline", gold, preds)
    assert figures(r, "event type") == (2, 2, 2, 1.0, 1.0, 1.0)
    assert figures(r, "event (strict)") == (2, 2, 2, 1.0, 1.0, 1.0)
    assert figures(r, "actor") == (2, 2, 2, 1.0, 1.0, 1.0)
    assert figures(r, "recipient") == (2, 2, 2, 1.0, 1.0, 1.0)
    # the CONSULT gold gives no date: its predicted date is not scored
    assert figures(r, "date") == (1, 1, 1, 1.0, 1.0, 1.0)
    assert figures(r, "location") == (1, 1, 1, 1.0, 1.0, 1.0)
    assert r.errors == []
    assert r.confusion == {("ASSAULT", "ASSAULT"): 1, ("CONSULT", "CONSULT"): 1}


def test_partial_predictions():
    gold = [item(events=[ASSAULT, CONSULT])]
    preds = {"i1": [
        # right type and place; wrong actor sector, wrong day
        mention("i1", "ASSAULT", ["SYRGOV"], ["SYRREB"], date="2016-12-07", place=("Aleppo", "SYR")),
        # an event the gold does not have
        mention("i1", "PROTEST", ["SYRCVL"], date="2016-12-07"),
    ]}
    r = score("dateline", gold, preds)
    assert figures(r, "event type") == (1, 2, 2, 0.5, 0.5, 0.5)
    assert figures(r, "event (strict)") == (0, 2, 2, 0.0, 0.0, 0.0)
    assert figures(r, "actor") == (0, 2, 2, 0.0, 0.0, 0.0)
    tp, g, p, prec, rec, f1 = figures(r, "recipient")
    assert (tp, g, p, prec, rec) == (1, 2, 1, 1.0, 0.5)
    assert f1 == pytest.approx(2 / 3)
    assert figures(r, "date") == (0, 1, 2, 0.0, 0.0, 0.0)
    assert figures(r, "location") == (1, 1, 1, 1.0, 1.0, 1.0)
    kinds = r.error_kinds
    assert kinds["actor ASSAULT wrong sector"] == 1
    assert kinds["date ASSAULT publication date"] == 1
    assert kinds["missed CONSULT"] == 1
    assert kinds["spurious PROTEST"] == 1
    assert r.confusion == {("ASSAULT", "ASSAULT"): 1, ("CONSULT", "-"): 1, ("-", "PROTEST"): 1}


def test_empty_predictions():
    r = score("dateline", [item(events=[ASSAULT, CONSULT])], {})
    assert figures(r, "event type") == (0, 2, 0, None, 0.0, 0.0)
    assert r.totals["predicted mentions"] == 0
    assert r.error_kinds == {"missed ASSAULT": 1, "missed CONSULT": 1}


def test_no_gold_events_and_spurious_predictions():
    r = score("dateline", [item()], {"i1": [mention("i1", "ASSAULT", ["ARGGOV"])]})
    assert figures(r, "event type") == (0, 0, 1, 0.0, None, 0.0)


def test_negation_error():
    negated = dict(ASSAULT, negated=True)
    r = score("dateline", [item(events=[negated])],
              {"i1": [mention("i1", "ASSAULT", ["SYRMIL"], ["SYRREB"], date="2016-12-06",
                              place=("Aleppo", "SYR"))]})
    assert figures(r, "event type") == (1, 1, 1, 1.0, 1.0, 1.0)
    assert figures(r, "negated") == (0, 1, 0, None, 0.0, 0.0)
    assert figures(r, "event (strict)") == (0, 1, 1, 0.0, 0.0, 0.0)
    assert r.totals["negation errors"] == 1
    assert r.error_kinds == {"negation ASSAULT negated coded as positive": 1}

    # and the right polarity counts
    r = score("dateline", [item(events=[negated])],
              {"i1": [mention("i1", "ASSAULT", ["SYRMIL"], ["SYRREB"], negated=True)]})
    assert figures(r, "negated") == (1, 1, 1, 1.0, 1.0, 1.0)
    assert r.totals["negation errors"] == 0


def test_forbidden_event_produced():
    gold = [item(events=[{"event_type": "REJECT", "actor": [{"country": "SYR", "sector": "GOV"}]}],
                 forbidden=[{"event_type": "AGREE", "actor": [{"country": "SYR"}]},
                            {"event_type": "AGREE", "actor": [{"country": "SYR", "sector": "REB"}]}])]
    preds = {"i1": [mention("i1", "REJECT", ["SYRGOV"]), mention("i1", "AGREE", ["SYRGOV"])]}
    r = score("dateline", gold, preds)
    assert r.totals["forbidden"] == 2
    assert r.totals["forbidden produced"] == 1
    assert figures(r, "event type") == (1, 1, 2, 0.5, 1.0, pytest.approx(2 / 3))
    assert r.error_kinds["forbidden AGREE"] == 1
    # a negated AGREE is not the forbidden (positive) AGREE
    preds = {"i1": [mention("i1", "REJECT", ["SYRGOV"]), mention("i1", "AGREE", ["SYRGOV"], negated=True)]}
    assert score("dateline", gold, preds).totals["forbidden produced"] == 0


def test_forbidden_with_modality_only_hits_that_modality():
    gold = [item(forbidden=[{"event_type": "ASSAULT", "actor": ["PRK"], "modality": "asserted"}])]
    hypo = {"i1": [mention("i1", "ASSAULT", ["PRKMIL"], modality="hypothetical")]}
    real = {"i1": [mention("i1", "ASSAULT", ["PRKMIL"])]}
    assert score("dateline", gold, hypo).totals["forbidden produced"] == 0
    assert score("dateline", gold, real).totals["forbidden produced"] == 1


def test_second_mention_of_a_found_event_is_a_duplicate_not_a_false_positive():
    gold = [item(events=[ASSAULT])]
    preds = {"i1": [mention("i1", "ASSAULT", ["SYRMIL"], ["SYRREB"]),
                    mention("i1", "ASSAULT", ["SYRMIL"])]}
    r = score("dateline", gold, preds)
    assert r.totals["duplicates"] == 1
    assert figures(r, "event type") == (1, 1, 1, 1.0, 1.0, 1.0)
    # with other actors it is a false positive
    preds["i1"][1] = mention("i1", "ASSAULT", ["TURMIL"])
    r = score("dateline", gold, preds)
    assert r.totals["duplicates"] == 0
    assert figures(r, "event type") == (1, 1, 2, 0.5, 1.0, pytest.approx(2 / 3))


def test_optional_events_are_neither_hits_nor_misses():
    opt = {"event_type": "ACCUSE", "actor": [{"country": "POL"}], "optional": True}
    gold = [item(events=[CONSULT, opt])]
    r = score("dateline", gold, {"i1": [mention("i1", "CONSULT", ["RUSGOV"], ["USAGOV"]),
                                        mention("i1", "ACCUSE", ["POLGOV"])]})
    assert figures(r, "event type") == (1, 1, 1, 1.0, 1.0, 1.0)
    assert r.totals["optional found"] == 1
    r = score("dateline", gold, {"i1": [mention("i1", "CONSULT", ["RUSGOV"], ["USAGOV"])]})
    assert figures(r, "event type") == (1, 1, 1, 1.0, 1.0, 1.0)
    # an optional event does not absorb a mention by other actors
    r = score("dateline", gold, {"i1": [mention("i1", "CONSULT", ["RUSGOV"], ["USAGOV"]),
                                        mention("i1", "ACCUSE", ["DEUGOV"])]})
    assert figures(r, "event type") == (1, 1, 2, 0.5, 1.0, pytest.approx(2 / 3))


def test_type_confusion_pairs_on_shared_actors():
    gold = [item(events=[{"event_type": "ASSAULT", "actor": [{"country": "IND", "sector": "COP"}]}])]
    r = score("dateline", gold, {"i1": [mention("i1", "COERCE", ["INDCOP"])]})
    assert r.confusion == {("ASSAULT", "COERCE"): 1}
    assert figures(r, "event type") == (0, 1, 1, 0.0, 0.0, 0.0)
    assert r.error_kinds == {"type ASSAULT -> COERCE": 1}
    # without actor overlap, no pairing: a miss and a false positive
    r = score("dateline", gold, {"i1": [mention("i1", "COERCE", ["PAKMIL"])]})
    assert r.confusion == {("ASSAULT", "-"): 1, ("-", "COERCE"): 1}


def test_pairing_prefers_same_type_and_actors():
    gold = [item(events=[
        {"event_type": "ACCUSE", "actor": ["RUS GOV"], "recipient": ["USA"]},
        {"event_type": "ACCUSE", "actor": ["USA"], "recipient": ["RUS"]},
    ])]
    preds = {"i1": [mention("i1", "ACCUSE", ["USAGOV"], ["RUSGOV"]),
                    mention("i1", "ACCUSE", ["RUSGOV"], ["USAGOV"])]}
    r = score("dateline", gold, preds)
    assert figures(r, "event (strict)") == (2, 2, 2, 1.0, 1.0, 1.0)


def test_modality_cameo_mode_attribution_accuracy():
    gold = [item(events=[
        dict(CONSULT, modality="planned", mode="visit"),
        {"event_type": "REJECT", "actor": ["RUS"], "cameo": "129",
         "attribution": "Syrian Observatory for Human Rights"},
    ])]
    preds = {"i1": [
        mention("i1", "CONSULT", ["RUSGOV"], ["USAGOV"], modality="asserted", mode="visit"),
        mention("i1", "REJECT", ["RUSGOV"], cameo="1291",
                source="the Syrian Observatory for Human Rights said"),
    ]}
    r = score("dateline", gold, preds)
    assert figures(r, "modality") == (0, 1, 1, 0.0, 0.0, 0.0)
    assert figures(r, "mode") == (1, 1, 1, 1.0, 1.0, 1.0)
    assert figures(r, "cameo") == (1, 1, 1, 1.0, 1.0, 1.0)
    assert figures(r, "attribution") == (1, 1, 1, 1.0, 1.0, 1.0)
    assert r.error_kinds == {"modality CONSULT planned->asserted": 1}


def test_report_json_is_well_formed():
    r = score("dateline", [item(events=[ASSAULT])], {"i1": [mention("i1", "PROTEST", ["SYRCVL"])]})
    data = json.loads(json.dumps(r.to_dict()))
    assert data["format"] == "dateline"
    assert data["metrics"]["event type"] == {"tp": 0, "fp": 1, "fn": 1, "gold": 1, "predicted": 1,
                                             "precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert {"gold": "-", "predicted": "PROTEST", "n": 1} in data["confusion"]
    assert data["error_kinds"] == {"missed ASSAULT": 1, "spurious PROTEST": 1}


# -- matching primitives -------------------------------------------------------------

def test_actor_set_match():
    syr = GoldActor(country=("SYR",))
    syr_mil = GoldActor(country=("SYR",), sector=("MIL", "GOV"))
    army = ActorRef("army", code="SYRMIL", country="SYR", sector="MIL")
    gov = ActorRef("Damascus", code="SYRGOV", country="SYR", sector="GOV")
    reb = ActorRef("rebels", code="SYRREB", country="SYR", sector="REB")
    assert match.actors_match([syr], [army])  # null sector: country decides
    assert match.actors_match([syr_mil], [army, gov])  # alternatives, as a set
    assert not match.actors_match([syr_mil], [army, reb])  # extra actor
    assert not match.actors_match([syr_mil, GoldActor(country=("RUS",))], [army])  # missing
    assert match.actors_match([], [])
    assert not match.actors_match([], [army])
    assert match.actors_match(
        [syr_mil], [army, ActorRef("troops", code="SYRMIL", country="SYR", sector="MIL")])
    un = GoldActor(sector=("IGO",), names=("UN", "Security Council"))
    assert match.actor_matches(un, ActorRef("the UN Security Council", code="IGOUNO"))
    assert not match.actor_matches(un, ActorRef("the European Union", code="IGOEU", sector="IGO"))


def test_place_match():
    aleppo = GoldPlace(names=("Aleppo",), country="SYR")
    assert match.place_matches(aleppo, Place("east Aleppo", name="Aleppo", country="SYR"))
    assert match.place_matches(aleppo, Place("east Aleppo"))  # whole words of the text
    assert not match.place_matches(GoldPlace(names=("Gaza",)), Place("Gazaland"))
    assert match.place_matches(GoldPlace(names=("Halab",)), Place("Ḥalab"))
    assert not match.place_matches(aleppo, Place("Aleppo", name="Aleppo", country="USA"))
    assert match.place_matches(GoldPlace(country="MLI"), Place("Timbuktu", name="Tombouctou", country="MLI"))
    assert not match.place_matches(GoldPlace(country="MLI"), None)
    assert match.place_matches(GoldPlace(names=("Raqqa",)), Place("al-Raqqa"))


def test_fold():
    assert match.fold("  Al-Raqqa ") == "raqqa"
    assert match.fold("Ḥalab") == "halab"
    assert match.fold("The Hague") == "hague"


def test_assign_is_optimal_not_greedy():
    # greedy would take (0, 0) = 3 and leave row 1 unpaired; the best total pairs both
    assert match.assign([[3.0, 2.0], [2.0, None]]) == [(0, 1), (1, 0)]
    assert match.assign([[None, None]]) == []
    assert match.assign([]) == []
    assert match.assign([[1.0], [5.0], [2.0]]) == [(1, 0)]


# -- the gold format -----------------------------------------------------------------

@pytest.mark.parametrize("bad, message", [
    ({"event_type": "ATTACK"}, "not a PLOVER type"),
    ({"event_type": "ASSAULT", "date": "6 Dec 2016"}, "not an ISO date"),
    ({"event_type": "ASSAULT", "actor": [{"country": "SYR", "sector": "ARMY"}]}, "unknown value"),
    ({"event_type": "ASSAULT", "actor": [{"country": "Syria"}]}, "alpha-3"),
    ({"event_type": "ASSAULT", "modality": "maybe"}, "modality"),
    ({"event_type": "ASSAULT", "negated": "no"}, "negated"),
    ({"event_type": "ASSAULT", "when": "x"}, "unknown keys"),
])
def test_gold_errors_name_the_problem(bad, message):
    with pytest.raises(GoldError, match=message):
        item(events=[bad])


def test_gold_file_errors_name_the_line(tmp_path):
    path = tmp_path / "g.jsonl"
    ok = {"id": "a", "text": "t", "published": "2020-01-01", "events": []}
    path.write_text(json.dumps(ok) + "\n\n" + json.dumps(ok) + "\n")
    with pytest.raises(GoldError, match=r"g.jsonl:3: duplicate id"):
        load_gold(path)
    path.write_text("{not json\n")
    with pytest.raises(GoldError, match="not JSON"):
        load_gold(path, fmt="dateline")
    with pytest.raises(GoldError, match="not found"):
        load_gold(tmp_path / "missing.jsonl")


def test_gold_shorthands():
    it = item(events=[{"event_type": "assault", "actor": ["SYR MIL", "* REB"],
                       "location": "Aleppo|Halab", "recipient": None}])
    ev = it.events[0]
    assert ev.event_type == "ASSAULT"
    assert ev.actor == (GoldActor(country=("SYR",), sector=("MIL",)), GoldActor(sector=("REB",)))
    assert ev.location == GoldPlace(names=("Aleppo", "Halab"))
    assert ev.recipient is None
    article = it.article()
    assert article.id == "i1" and article.published.date().isoformat() == "2016-12-07"


@pytest.mark.parametrize("name", ["dev.jsonl", "aleppo.jsonl"])
def test_shipped_gold_files_parse(name):
    from pathlib import Path

    fmt, items = load_gold(Path(__file__).parent / "gold" / name)
    assert fmt == "dateline"
    assert items and all(i.published for i in items)
    if name == "dev.jsonl":
        assert len(items) >= 80
        types = {e.event_type for i in items for e in i.events}
        assert len(types) >= 14
        assert any(e.negated for i in items for e in i.events)
        assert sum(bool(i.forbidden) for i in items) >= 5


def _best_total(weights) -> float:
    """Brute force: the largest summed weight of any pairing (rows and columns used once)."""
    from itertools import permutations

    rows, cols = len(weights), len(weights[0])
    best = 0.0
    for perm in permutations(range(max(rows, cols)), rows):
        total = sum(weights[i][j] for i, j in enumerate(perm) if j < cols and weights[i][j] is not None)
        best = max(best, total)
    return best


@given(st.integers(1, 4).flatmap(lambda r: st.integers(1, 4).flatmap(lambda c: st.lists(
    st.lists(st.one_of(st.none(), st.floats(0.1, 10.0)), min_size=c, max_size=c),
    min_size=r, max_size=r))))
@settings(max_examples=200, deadline=None)
def test_assign_matches_brute_force(weights):
    pairs = match.assign(weights)
    assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
    assert all(weights[i][j] is not None for i, j in pairs)
    assert sum(weights[i][j] for i, j in pairs) == pytest.approx(_best_total(weights))
