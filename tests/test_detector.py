"""The learned detector: features, the model file, the Finder it makes, the coder's use of it."""

from __future__ import annotations

import gzip
import json
from datetime import datetime

import pytest

from dateline.coding.detector import (Detector, DetectorModel, features, lexicon_hints,
                                      words_of)
from dateline.coding.finders import build_finders
from dateline.coding.lexicon import Lexicon
from dateline.coding.syntax import SentenceAnalyzer
from dateline.config import Config
from dateline.model import Article


def _model(**weights) -> DetectorModel:
    types = ("CONSULT", "ASSAULT")
    return DetectorModel(types=types, weights={f: tuple(w) for f, w in weights.items()},
                         bias=(-4.0, -4.0), propose_at=0.6, screen_at=0.6, doubt_below=0.15)


def test_words_are_stemmed_and_numbers_folded():
    assert words_of("Troops shelled 12 villages, shelling more") == \
        ["troop", "shell", "<num>", "village", "shell", "more"]
    feats = features("The envoy mediated talks")
    assert "mediat" in feats and "envoy mediat" in feats and "the" not in feats


def test_lexicon_hints_give_every_form_its_trigger_types():
    lexicon = Lexicon.build(
        triggers=[{"trigger": "deliver", "pos": "verb", "object": "WEAPON", "event_type": "AID",
                   "cameo": "072", "confidence": "0.7"},
                  {"trigger": "shell", "pos": "verb", "event_type": "ASSAULT",
                   "cameo": "195", "confidence": "0.8"},
                  {"trigger": "say", "pos": "verb", "event_type": "-", "flags": "report",
                   "confidence": "1"},
                  {"trigger": "pay visit", "pos": "verb", "event_type": "CONSULT",
                   "cameo": "042", "confidence": "0.8"}],
        classes=[{"class": "WEAPON", "words": "missile|gun"}], irregular=[])
    hints = lexicon_hints(lexicon)
    # an object condition does not hold the hint back; every inflection reaches it
    assert hints["deliver"] == ("AID",) and hints["shell"] == ("ASSAULT",)
    # function words and phrasal rows give none ("pay" alone is no visit)
    assert "say" not in hints and "pay" not in hints
    feats = features("Russia delivered air defence systems to Syria.", hints)
    assert "lex:AID" in feats and "lex:ASSAULT" not in feats
    model = DetectorModel(types=("AID", "ASSAULT"), weights={"lex:AID": (6.0, -1.0)},
                          bias=(-3.0, -3.0), hints=hints)
    assert model.scores("Russia delivered systems to Syria.")["AID"] > 0.9
    assert model.scores("Russia sent systems to Syria.")["AID"] < 0.1


def test_hints_survive_the_model_file(tmp_path):
    model = DetectorModel(types=("AID",), weights={"lex:AID": (1.0,)}, bias=(0.0,),
                          hints={"deliver": ("AID",)})
    model.save(tmp_path / "m.json.gz")
    assert DetectorModel.load(tmp_path / "m.json.gz").hints == {"deliver": ("AID",)}
    bad = model.to_dict()
    bad["hints"] = {"deliver": "AID|CONTAIN"}
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    with pytest.raises(ValueError, match="unknown event types in hints"):
        DetectorModel.load(tmp_path / "bad.json")


def test_scores_are_probabilities_per_type():
    model = _model(mediat=(8.0, -1.0))
    s = model.scores("The envoy mediated between the two sides.")
    assert s["CONSULT"] > 0.95 and s["ASSAULT"] < 0.05
    assert model.scores("Nothing here.")["CONSULT"] == pytest.approx(1 / (1 + 2.718281828 ** 4),
                                                                     rel=1e-3)


def test_model_file_round_trip_and_validation(tmp_path):
    model = _model(mediat=(8.0, -1.0))
    path = tmp_path / "m.json.gz"
    model.save(path)
    back = DetectorModel.load(path)
    assert back.types == model.types and back.weights == model.weights
    with gzip.open(path, "rt") as fh:
        data = json.loads(fh.read())
    data["types"] = ["CONSULT", "CONTAIN"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="bad.json: unknown event types"):
        DetectorModel.load(bad)
    data["types"], data["format"] = ["CONSULT", "ASSAULT"], 99
    bad.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="format 99"):
        DetectorModel.load(bad)


def test_the_packaged_model_loads():
    model = DetectorModel.load()
    assert len(model.types) >= 10 and model.weights
    assert 0 < model.propose_at <= 1


@pytest.fixture(scope="module")
def parse():
    from dateline.nlp import NLP

    nlp = NLP.load()
    return lambda text: next(iter(nlp.parse([text])))


@pytest.fixture(scope="module")
def no_rules():
    """An analyzer with the function words only: the rules find no event."""
    lex = Lexicon.load()
    lex.rules = {k: [r for r in v if not r.is_event] for k, v in lex.rules.items()}
    return SentenceAnalyzer(lex)


def test_proposes_where_the_rules_find_nothing_with_roles_from_the_parse(parse, no_rules):
    det = Detector(_model(mediat=(8.0, -1.0)), no_rules)
    doc = parse("Norway mediated between the government and the rebels on Monday.")
    assert no_rules.analyze(doc) == []
    cands = det.analyze(doc, (), no_rules.analyze(doc))
    assert len(cands) == 1
    cand = cands[0]
    assert cand.event_type == "CONSULT" and cand.finder == "detector"
    assert cand.token.text == "mediated" and cand.cameo == "040"
    assert [t.text for t in cand.actors] == ["Norway"]


def test_no_proposal_under_the_threshold(parse, no_rules):
    det = Detector(_model(mediat=(3.0, 0.0)), no_rules)
    assert det.analyze(parse("Norway mediated between the two sides."), (), []) == []


def test_no_proposal_where_a_row_says_the_main_verb_is_no_event(parse, no_rules):
    det = Detector(_model(warn=(-1.0, 8.0)), no_rules)
    # "warn" + HARDSHIP is an inert row: a warning of famine threatens no one
    assert det.analyze(parse("The agency warned of famine on Monday."), (), []) == []
    hit = det.analyze(parse("The agency warned the rebels on Monday."), (), [])
    assert [c.event_type for c in hit] == ["ASSAULT"]


def test_falls_back_on_the_main_verb_past_a_reporting_verb(parse, no_rules):
    det = Detector(_model(envoy=(9.0, 0.0)), no_rules)
    doc = parse("Officials said the envoy arrived in Kabul.")
    (cand,) = det.analyze(doc, (), [])
    assert cand.token.text == "arrived"


def test_rule_hits_it_doubts_lose_confidence(parse):
    rules = SentenceAnalyzer(Lexicon.load())
    doc = parse("Rebels shelled the airport.")
    found = rules.analyze(doc)
    before = [c.confidence for c in found]
    det = Detector(_model(shell=(0.0, -9.0)), rules)  # reads as anything but an attack
    after = det.analyze(doc, (), found)
    assert [c.confidence for c in after] < before
    trusting = Detector(_model(shell=(0.0, 9.0)), rules)
    found = rules.analyze(doc)
    assert [c.confidence for c in trusting.analyze(doc, (), found)] == before


def test_config_names_the_finders():
    rules = SentenceAnalyzer(Lexicon.load())
    assert build_finders(["rules"], rules, Config()) == [rules]
    both = build_finders(["rules", "detector"], rules, Config())
    assert both[0] is rules and isinstance(both[1], Detector)
    with pytest.raises(ValueError, match="unknown classifier.*known: rules, detector"):
        build_finders(["classifier"], rules, Config())
    assert Config.load(env={"DATELINE_FINDERS": "rules"}).finders == ["rules"]


def _coder_with(coder, finders):
    return coder.with_finders(finders)


def test_the_coder_parses_sentences_the_detector_screens_in(coder, no_rules):
    text = "Norway mediated between the government of Colombia and the rebels on Monday."
    art = Article(id="m", text=text, published=datetime(2016, 6, 8))
    rules_only = _coder_with(coder, [no_rules])
    assert rules_only.code_article(art) == []
    with_detector = _coder_with(coder, [no_rules, Detector(_model(mediat=(8.0, -1.0)), no_rules)])
    (m,) = with_detector.code_article(art)
    assert m.event_type == "CONSULT" and m.trigger == "mediated"
    assert [a.code for a in m.actor] == ["NOR"]
    assert m.date == "2016-06-06"


def test_disasters_give_no_assault_but_attacks_do(coder):
    pub = datetime(2021, 3, 2)
    quiet = ["A strong earthquake killed eight people in eastern Turkey on Monday.",
             "Floods killed 40 people across northern Bangladesh.",
             "Two explosions hit the port of Beira on Sunday.",
             "A fire at a garment factory in Dhaka killed 20 workers."]
    for text in quiet:
        ms = coder.code_article(Article(id="q", text=text, published=pub))
        assert not [m for m in ms if m.event_type == "ASSAULT"], text
    loud = ["A car bomb exploded outside a police station in Kabul, killing six policemen.",
            "Gunmen killed five villagers in Zamfara state on Monday."]
    for text in loud:
        ms = coder.code_article(Article(id="l", text=text, published=pub))
        assert [m for m in ms if m.event_type == "ASSAULT"], text


def test_first_person_speakers_act_though_unnamed(coder):
    art = Article(id="fp", text="We strongly condemn the attack on the hospital.",
                  published=datetime(2016, 6, 8))
    ms = [m for m in coder.code_article(art) if m.event_type == "ACCUSE"]
    assert ms and ms[0].actor == []


def test_training_fits_heads_that_separate_the_types(tmp_path):
    from dateline.evaluate.gold import coerce_items
    from dateline.evaluate.train import fit, train

    rows = []
    for k, town in enumerate(["Hama", "Idlib", "Homs", "Daraa", "Raqqa", "Deir"]):
        rows.append({"id": f"a{k}", "text": f"Rebels shelled army posts near {town} overnight.",
                     "events": [{"event_type": "ASSAULT"}]})
        rows.append({"id": f"c{k}", "text": f"The envoy held talks with officials in {town}.",
                     "events": [{"event_type": "CONSULT"}]})
        rows.append({"id": f"n{k}", "text": f"Heavy rain fell on {town} during the harvest.",
                     "events": []})
    items = coerce_items(rows)
    model = fit(items, min_count=2)
    assert set(model.types) == {"ASSAULT", "CONSULT"}
    s = model.scores("Rebels shelled a checkpoint near Aleppo.")
    assert s["ASSAULT"] > 0.5 > s["CONSULT"]
    assert model.scores("Rain fell near Aleppo.")["ASSAULT"] < 0.5
    gold = tmp_path / "g.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    out = tmp_path / "m.json.gz"
    calls = []

    def run(candidate, tune_items):
        calls.append((candidate.propose_at, candidate.screen_at, candidate.extra_at))
        return candidate.propose_at  # the highest threshold "wins" here

    report = train([gold], gold, out, run=run)
    loaded = DetectorModel.load(out)
    assert loaded.propose_at == max(c[0] for c in calls) and report.items == len(rows)
    assert report.chosen["propose_at"] == loaded.propose_at
