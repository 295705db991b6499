"""Unit tests of coding/syntax.py: one parsed sentence in, candidates with token roles out."""

from __future__ import annotations

import pytest

from dateline.coding.lexicon import Lexicon
from dateline.coding.syntax import SentenceAnalyzer


@pytest.fixture(scope="module")
def parse():
    from dateline.nlp import NLP

    nlp = NLP.load()
    return lambda text: next(iter(nlp.parse([text])))


@pytest.fixture(scope="module")
def analyzer():
    return SentenceAnalyzer(Lexicon.load())


def _only(cands, event_type):
    found = [c for c in cands if c.event_type == event_type]
    assert len(found) == 1, [(c.event_type, c.token.text) for c in cands]
    return found[0]


def _words(tokens):
    return sorted(t.text for t in tokens)


def test_subject_acts_and_object_receives(parse, analyzer):
    cand = _only(analyzer.analyze(parse("Rebels shelled the airport on Monday.")), "ASSAULT")
    assert cand.token.text == "shelled" and not cand.nominal and cand.finder == "rules"
    assert _words(cand.actors) == ["Rebels"]
    assert _words(cand.recipients[0]) == ["airport"]
    assert not cand.negated and cand.modality == "asserted"


def test_passive_with_agent(parse, analyzer):
    cand = _only(analyzer.analyze(parse("The journalist was arrested by the police.")), "COERCE")
    assert _words(cand.actors) == ["police"]
    assert _words(cand.recipients[0]) == ["journalist"]


def test_coordinated_subjects_are_one_candidate(parse, analyzer):
    cands = analyzer.analyze(parse("Russia and China vetoed the resolution."))
    cand = _only(cands, "REJECT")
    assert _words(cand.actors) == ["China", "Russia"]


def test_negation_of_cooperation_becomes_a_rejection(parse, analyzer):
    cand = _only(analyzer.analyze(parse("The rebels would not agree to a ceasefire.")), "REJECT")
    assert cand.cameo == "127"
    assert not cand.negated


def test_planned_complement(parse, analyzer):
    cand = _only(analyzer.analyze(parse("The minister plans to visit Beijing next month.")),
                 "CONSULT")
    assert cand.modality == "planned"


def test_reporting_verb_gives_the_speaker_not_an_event(parse, analyzer):
    cands = analyzer.analyze(parse("Officials said the army shelled the village."))
    cand = _only(cands, "ASSAULT")
    assert cand.speaker is not None and cand.speaker.text == "Officials"
    assert all(c.token.lemma_ != "say" for c in cands)


def test_light_verb_makes_a_noun_an_event(parse, analyzer):
    cand = _only(analyzer.analyze(parse("The army launched an offensive against the rebels.")),
                 "ASSAULT")
    assert cand.nominal
    assert _words(cand.actors) == ["army"]


def test_found_candidates_are_kept_in_front(parse, analyzer):
    doc = parse("Rebels shelled the airport.")
    first = analyzer.analyze(doc)
    again = analyzer.analyze(doc, found=first)
    assert again[: len(first)] == first and len(again) == 2 * len(first)


def test_no_trigger_no_candidate(parse, analyzer):
    assert analyzer.analyze(parse("The weather was mild in the capital.")) == []


def test_candidate_at_reads_roles_from_the_parse(parse, analyzer):
    doc = parse("The president phoned his counterpart on Sunday.")
    tok = next(t for t in doc if t.text == "phoned")
    cand = analyzer.candidate_at(tok, "CONSULT", "040", 0.5, analyzer.matches(doc), "test")
    assert cand is not None and cand.finder == "test" and cand.event_type == "CONSULT"
    assert _words(cand.actors) == ["president"]
    assert _words(cand.recipients[0]) == ["counterpart"]


@pytest.mark.parametrize("text", [
    "A powerful earthquake killed dozens of villagers in the mountains.",
    "Two explosions hit the port on Tuesday.",
    "Nine miners were killed in a landslide at the quarry.",
    "Eleven pilgrims died when their bus plunged into a ravine.",
])
def test_harm_from_a_hazard_is_marked_and_the_hazard_is_no_actor(parse, analyzer, text):
    cands = [c for c in analyzer.analyze(parse(text)) if c.event_type == "ASSAULT"]
    for cand in cands:
        assert cand.harm_without_agent
        hazard = {"earthquake", "explosions", "landslide", "bus"}
        assert not {t.text for t in cand.actors} & hazard


@pytest.mark.parametrize("text", [
    "A suicide bomber killed twelve people at a market.",
    "Gunmen killed five farmers in the village.",
    "Militants set off an explosion that killed four soldiers.",
])
def test_harm_with_a_weapon_or_attacker_stays_an_attack(parse, analyzer, text):
    cands = [c for c in analyzer.analyze(parse(text)) if c.event_type == "ASSAULT"]
    assert cands and not any(c.harm_without_agent for c in cands)


@pytest.mark.parametrize("text", [
    "A tanker overturned and exploded on the highway, killing thirty people.",
    "A wildfire swept through the hills on Monday, killing at least twelve residents.",
])
def test_harm_following_from_a_hazard_clause(parse, analyzer, text):
    cands = [c for c in analyzer.analyze(parse(text)) if c.event_type == "ASSAULT"]
    assert all(c.harm_without_agent for c in cands)


def test_a_nominal_subject_event_reaches_the_verbs_object(parse, analyzer):
    cands = analyzer.analyze(parse("An air strike killed five fighters near the dam."))
    (cand,) = [c for c in cands if c.nominal]
    assert any("fighters" in _words(tier) for tier in cand.recipients)
