"""Territorial control claims, the control timeline and running figures (docs/control.md):
the patterns file, claims from single sentences (captures, losses, sieges, holds, shares and
traps), the founding example in a store, a story of Palmyra told over seven dated articles,
the CLI commands and the HTTP routes."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from dateline.control.rules import ControlRules, ControlRulesError
from dateline.model import Article

DATA = Path(__file__).parent / "data" / "control"
HEADER = "pattern\tpos\tkind\tplace\tholder\tflags\tforms\n"


# -- the patterns file --------------------------------------------------------------------

def _build(rows: str, figures: str = "word\twhat\tkind\n") -> ControlRules:
    from dateline.coding.lexicon import _rows

    return ControlRules.build(list(_rows(HEADER + rows, "x.tsv")),
                              list(_rows(figures, "f.tsv")))


def test_packaged_rules_load():
    rules = ControlRules.load()
    assert rules.find("retook", "verb")[0].kind == "capture"
    assert rules.find("withdrew", "verb")[0].kind == "loss"
    assert "vow" in rules.function_words("block")
    assert rules.figure_words["toll"]["death toll"] == "dead"


@pytest.mark.parametrize("row, message", [
    ("capture\tverb\tgrab\tobj\tsubj\n", "kind must be one of"),
    ("capture\tadverb\tcapture\tobj\tsubj\n", "pos must be one of"),
    ("capture\tverb\tcapture\tobject\tsubj\n", "unknown place role"),
    ("capture\tverb\tcapture\tobj\t\n", "needs place and holder"),
    ("capture\tverb\tcapture\tobj\tsubj\tfast\n", "unknown flag"),
    ("vow\tverb\t-\n", "needs one of block"),
    ("most\tadj\tshare\t\t\tvalue=7\n", "within 0-1"),
    ("east\tadj\tpart\n", "needs value="),
    ("drive\tverb\tcapture\tobj\tsubj\tloser=\n", "needs a role"),
])
def test_bad_rows_name_file_and_line(row, message):
    with pytest.raises(ControlRulesError) as err:
        _build(row)
    assert message in str(err.value)
    assert "x.tsv:2" in str(err.value)


def test_bad_figure_rows():
    with pytest.raises(ControlRulesError, match="f.tsv:2: kind must be"):
        _build("", "word\twhat\tkind\ndied\tdead\tadverb\n")
    with pytest.raises(ControlRulesError, match="missing what"):
        _build("", "word\twhat\tkind\ndied\t\tverb\n")


def test_user_rows_are_added(tmp_path):
    (tmp_path / "control.tsv").write_text(HEADER + "annex\tverb\tcapture\tobj\tsubj\n")
    rules = ControlRules.load([tmp_path])
    assert rules.find("annexed", "verb")[0].kind == "capture"


# -- claims from sentences ------------------------------------------------------------------

def claims_of(reader, text: str, published: str = "2016-12-07") -> list[tuple]:
    art = Article(id="t", text=text, published=datetime.fromisoformat(published))
    return [(c.kind, c.place.name, c.place.within, c.holder.code, c.from_date, c.share)
            for c in reader.read([art])]


def test_capture_and_share_of_the_founding_sentence(reader):
    got = claims_of(reader, "Yesterday, government troops retook five districts including the "
                    "strategic Shaar neighbourhood and were in control of 70 percent of former "
                    "rebel territory in east Aleppo, the Syrian Observatory for Human Rights "
                    "said.")
    assert ("capture", "Shaar", "Aleppo", "SYRMIL", "2016-12-06", None) in got
    assert ("hold", "east Aleppo", "Aleppo", "SYRMIL", "2016-12-06", 0.7) in got
    # "former rebel territory" is no rebel holding
    assert not [c for c in got if c[3] and c[3].endswith("REB")]


@pytest.mark.parametrize("text, published, expected", [
    ("The town of Palmyra fell to Islamic State fighters on Wednesday.", "2015-05-22",
     ("capture", "IMGMUSISI", "2015-05-20")),
    ("Kurdish forces withdrew from Manbij on Sunday.", "2016-08-15", ("loss", "MIL", "2016-08-14")),
    ("Russian troops encircled the city of Mariupol.", "2022-03-01",
     ("siege", "RUSMIL", "2022-03-01")),
    ("Houthi rebels, who control Sanaa, surrounded the presidential palace on Monday.",
     "2015-01-20", ("hold", "YEMREB", "2015-01-20")),
    ("Rebels no longer hold any part of east Aleppo.", "2016-12-13",
     ("loss", "SYRREB", "2016-12-13")),
])
def test_claim_kinds(reader, text, published, expected):
    got = [(k, h, d) for k, _p, _w, h, d, _s in claims_of(reader, text, published)]
    assert expected in got


def test_driving_out_is_a_capture_and_a_loss(reader):
    got = claims_of(reader, "Iraqi forces drove Islamic State out of Mosul.", "2017-07-10")
    kinds = {(k, h) for k, _p, _w, h, _d, _s in got}
    assert kinds == {("capture", "IRQMIL"), ("loss", "IMGMUSISI")}


@pytest.mark.parametrize("text", [
    "Rebels vowed to retake Idlib.",
    "Islamic State fighters failed to capture Kobani despite weeks of fighting.",
    "The loss of Aleppo would be the biggest blow yet to opposition forces.",
    "Russia announced talks on organising a rebel withdrawal from Aleppo.",
    "The army did not capture Douma.",
    "Could the army retake Palmyra before the winter?",
    "If the rebels withdraw from Homs, the siege will end.",
    "The army denied losing Palmyra.",
])
def test_traps_make_no_claim(reader, text):
    assert claims_of(reader, text) == []


# -- classes from the blind development round (own sentences, not the set's) -----------------

@pytest.mark.parametrize("text, published, expected", [
    # moving into a town
    ("Rebel columns swept into the town of Ajdabiya on Friday.", "2011-03-26",
     ("capture", "Ajdabiya", None, "LBYREB", "2011-03-25")),
    # leaving a place (armed forces only)
    ("The last Ethiopian soldiers left Mogadishu on Thursday.", "2009-01-16",
     ("loss", "Mogadishu", None, "ETHMIL", "2009-01-15")),
    # "in the hands of", "leaving X in control of"
    ("The last Ethiopian soldiers left Mogadishu on Thursday, leaving the city in the hands of "
     "Islamist fighters.", "2009-01-16", ("hold", "Mogadishu", None, "SOMREB", "2009-01-15")),
    ("Government forces withdrew from Kidal on Monday, leaving Tuareg rebels in control of the "
     "town.", "2012-04-03", ("hold", "Kidal", None, "MLIREB", "2012-04-02")),
    # a withdrawal with no place of its own takes the other clause's
    ("The rebels took Goma on Tuesday, forcing government soldiers to pull back toward Sake.",
     "2012-11-21", ("loss", "Goma", None, "CODMIL", "2012-11-20")),
    # facilities under their city
    ("Rebel fighters seized the presidential palace in Kabul on Sunday.", "1992-04-27",
     ("capture", "presidential palace", "Kabul", "AFGREB", "1992-04-26")),
    ("Rebels seized Benghazi's airport on Sunday.", "2011-02-21",
     ("capture", "airport", "Benghazi", "LBYREB", "2011-02-20")),
    ("Government troops abandoned the garrison at Rumbek on Saturday.", "1986-01-19",
     ("loss", "garrison", "Rumbek", "SSDMIL", "1986-01-18")),
    # "the northern town of X" is X, not north X
    ("Rebels said on Friday they controlled the eastern town of Bunia.", "2003-05-10",
     ("hold", "Bunia", None, "CODREB", "2003-05-09")),
    # two nationalities, two holders
    ("Kenyan and Somali troops recaptured the port town of Kismayo on Sunday.", "2012-10-01",
     ("capture", "Kismayo", None, "SOMMIL", "2012-09-30")),
    # a capture noun takes the holder of its clause
    ("Following the recapture of Tikrit, Iraqi troops moved north toward Mosul.", "2015-04-02",
     ("capture", "Tikrīt", None, "IRQMIL", "2015-04-02")),
    # a blockade imposed
    ("Rebels imposed a blockade on Taiz on Monday.", "2016-01-05",
     ("siege", "Taiz", None, "YEMREB", "2016-01-04")),
])
def test_blind_round_classes(reader, text, published, expected):
    got = [c[:5] for c in claims_of(reader, text, published)]
    assert expected in got, got


def test_two_nationalities_give_two_holders(reader):
    got = claims_of(reader, "Kenyan and Somali troops recaptured the port town of Kismayo on "
                    "Sunday.", "2012-10-01")
    assert {c[3] for c in got} == {"KENMIL", "SOMMIL"}


def test_a_settlement_word_is_not_a_compass_part(reader):
    got = claims_of(reader, "Rebels said on Friday they controlled the eastern town of Bunia.",
                    "2003-05-10")
    assert [c[1] for c in got] == ["Bunia"]


@pytest.mark.parametrize("text", [
    "Police retook the central prison in Lagos from rioting inmates on Friday.",  # policing
    "The president left the capital for talks in Geneva on Monday.",  # no armed force
    "Rebels threatened on Sunday to march on Bangui and seize the capital.",  # threat
    "Russia orders pullout from Kherson",  # ordered
    "Army units are pulling out of Bakhmut, officials said.",  # not done yet
    "Troops began withdrawing from Kunduz on Sunday.",  # begun, not done
    "The headquarters of the gem company in Pailin was shelled.",  # a quarter is no share
])
def test_blind_round_traps(reader, text):
    assert claims_of(reader, text) == []


# -- classes from the third round on the blind development set (own sentences) ---------------

@pytest.mark.parametrize("text, published, expected", [
    # sieges: a verb the tagger read as an adjective, a coordinated verb, people besieged in
    # a place, "under siege"
    ("Government troops have completely surrounded Kunduz, cutting off Taliban fighters inside "
     "the town.", "2015-10-03", ("siege", "Kunduz", None, "AFGMIL")),
    ("Rebels entered Bangui on Sunday and besieged the presidential palace.", "2013-03-25",
     ("siege", "presidential palace", "Bangui", "CAFREB")),
    ("Hundreds of civilians are trapped in Kobani, surrounded by Islamic State fighters.",
     "2014-10-03", ("siege", "‘Ayn al ‘Arab", None, "IMGMUSISI")),
    ("Rebels seized the last road into Zawiya on Monday, putting the town under siege.",
     "2011-03-01", ("siege", "Zawiya", None, "LBYREB")),
    # declared liberated or captured
    ("President Tinubu declared Maiduguri liberated on Friday.", "2023-06-10",
     ("capture", "Maiduguri", None, "NGAGOV")),
    ("Fallujah was declared fully liberated by Iraqi forces on Sunday.", "2016-06-27",
     ("capture", "Al Fallūjah", None, "IRQMIL")),
    # the loser named in the predicate
    ("The loss of Ramadi is the biggest setback yet for Iraqi forces.", "2015-05-18",
     ("loss", "Ramadi", None, "IRQMIL")),
    # "held it for two days before withdrawing": a capture and a loss, no hold
    ("Tuareg rebels took the town of Menaka on Saturday and held it for two days before "
     "withdrawing.", "2012-01-20", ("loss", "Ménaka", None, "MLIREB")),
    # shares and counts
    ("Islamic State, which controls about half of Syria's territory, executed dozens.",
     "2015-05-22", ("hold", "Syria", None, "IMGMUSISI")),
    ("The army now controls about 60 percent of what was once rebel-held Homs.", "2014-05-05",
     ("hold", "Homs", None, "SYRMIL")),
    # a holder word modifying the holding noun, inside another mention
    ("Residents of the rebel stronghold of Misrata braced for more shelling.", "2011-04-20",
     ("hold", "Misratah", None, "LBYREB")),
    # an agent hung on the place of a capture noun; a facility's "at" on the verb
    ("The capture of the northern town of Kidal by Tuareg rebels on Friday shocked Bamako.",
     "2012-03-31", ("capture", "Kidal", None, "MLIREB")),
    ("Chadian troops took control of the airport at Gao on Sunday.", "2013-01-27",
     ("capture", "airport", "Gao", "TCDMIL")),
    # a river's bank is no place; "including" names it
    ("Russian forces completed their withdrawal from the east bank of the Dnieper, including the "
     "town of Oleshky.", "2022-11-12", ("loss", "Oleshky", None, "RUSMIL")),
    # a time word is no holder: the clause's subject is
    ("After last week's recapture of Tal Afar, Iraqi commanders turned to Hawija.", "2017-09-05",
     ("capture", "Tall ‘Afar", None, "IRQMIL")),
])
def test_third_round_classes(reader, text, published, expected):
    got = [c[:4] for c in claims_of(reader, text, published)]
    assert expected in got, got


def test_counts_and_shares(reader):
    got = claims_of(reader, "The Taliban now control 12 of Kunduz province's 16 districts, "
                    "officials said.", "2016-10-05")
    assert [(c[0], c[1], c[5]) for c in got] == [("hold", "Kunduz", 0.75)]
    got = claims_of(reader, "Islamic State, which controls about half of Syria's territory, "
                    "executed dozens.", "2015-05-22")
    assert [c[5] for c in got] == [0.5]


def test_compass_word_of_a_name_and_losers_in_a_place(reader):
    got = claims_of(reader, "Syria's army declared Eastern Ghouta fully liberated on Saturday "
                    "after rebels in Douma surrendered.", "2018-04-14")
    assert ("capture", "Eastern Ghouta") in [c[:2] for c in got]  # no "east Eastern Ghouta"
    assert [c[1] for c in got if c[0] == "loss"] == ["Dūmā"]
    got = claims_of(reader, "US-backed forces captured Tabqa on Monday.", "2017-05-09")
    assert [c[0] for c in got] == ["capture"]  # a backed force of no country still takes


def test_a_bounded_past_hold_is_no_hold(reader):
    got = claims_of(reader, "Tuareg rebels took the town of Menaka on Saturday and held it for "
                    "two days before withdrawing.", "2012-01-20")
    assert sorted(c[0] for c in got) == ["capture", "loss"]


@pytest.mark.parametrize("text", [
    "Rebels held the town of Menaka for two days last month before the army returned.",
    "The loss of Ramadi would be a blow to Iraqi forces.",  # modal
    "The army vowed to put the town of Zawiya under siege.",  # vowed
    "Officials declared the election in Kabul free and fair on Sunday.",  # no claim word
    "Fishermen worked along the west bank of the Euphrates on Monday.",
    "The government said it could declare Mosul liberated within weeks.",  # modal
    "Resistance forces have surrounded the town of Mawlaik.",  # nobody's army we know
])
def test_third_round_traps(reader, text):
    assert claims_of(reader, text) == []


def test_an_attack_on_a_rebel_held_town_is_a_holding_not_a_capture(reader):
    got = claims_of(reader, "Syrian government forces launched an attack on the rebel-held town "
                    "of Douma on Monday.")
    assert [(k, h) for k, _p, _w, h, _d, _s in got] == [("hold", "SYRREB")]


# -- the founding example -----------------------------------------------------------------

@pytest.fixture(scope="module")
def example_store(tmp_path_factory, coder, example_path):
    from dateline.ingest.pipeline import ingest
    from dateline.store import Store

    path = tmp_path_factory.mktemp("control") / "example.duckdb"
    store = Store.open(path)
    ingest(store, [str(example_path)], coder=coder, progress=False)
    store.close()
    return path


@pytest.fixture(scope="module")
def service(coder):
    from dateline.control.service import ControlService

    return ControlService(coder)


def test_example_control_on_the_day_of_the_seizure(example_store, service):
    from dateline.store import Store

    with Store.open(example_store, read_only=True) as store:
        tl = service.timeline(store.con, "Aleppo", on="2016-12-06")
    by_name = {a["area"]["name"]: a for a in tl["areas"]}
    shaar = by_name["Shaar"]
    assert shaar["area"]["within"] == "Aleppo"
    state = shaar["on"]
    assert state["status"] == "held"
    assert state["holder"]["country"] == "SYR" and state["holder"]["sector"] in ("MIL", "GOV")
    assert any("Shaar" in ev["sentence"] and ev["kind"] == "capture"
               for ev in state["evidence"])
    assert state["evidence"][0]["mention_ids"]  # linked to the coder's mention
    east = by_name["east Aleppo"]["on"]
    assert east["share"] == 0.7 and east["holder"]["country"] == "SYR"


def test_example_figures(example_store, service):
    from dateline.store import Store

    with Store.open(example_store, read_only=True) as store:
        series = service.figure_series(store.con, "Syria", "dead")
    assert len(series) == 1
    point = series[0]["points"][0]
    assert point["quantity"] == 300000 and point["qualifier"] == "more than"
    assert point["since"].startswith("2011") and point["as_of"] == "2016-12-07"
    assert "300,000" in point["sentence"]


def test_cli_control_and_figures(example_store, runner, coder, monkeypatch):
    from dateline.cli import app
    from dateline.coding.coder import Coder

    monkeypatch.setattr(Coder, "from_config", classmethod(lambda cls, config=None: coder))
    res = runner.invoke(app, ["control", "--db", str(example_store), "--place", "Aleppo",
                              "--on", "2016-12-06"])
    assert res.exit_code == 0, res.output
    assert "Shaar (Aleppo)" in res.output and "held by SYRMIL" in res.output
    assert "strategic Shaar neighbourhood" in res.output
    res = runner.invoke(app, ["control", "--db", str(example_store), "--place", "Aleppo",
                              "--json"])
    assert res.exit_code == 0
    assert json.loads(res.output)["areas"]
    res = runner.invoke(app, ["figures", "--db", str(example_store), "--what", "dead"])
    assert res.exit_code == 0, res.output
    assert "more than 300,000" in res.output and "since 2011" in res.output
    assert "2016-12-07" in res.output
    res = runner.invoke(app, ["control", "--db", str(example_store), "--on", "2016-13-01"])
    assert res.exit_code == 2 and "--on" in res.output


def test_cli_evaluate(runner, coder, monkeypatch, tmp_path):
    from dateline.cli import app
    from dateline.coding.coder import Coder

    monkeypatch.setattr(Coder, "from_config", classmethod(lambda cls, config=None: coder))
    res = runner.invoke(app, ["control", "--evaluate", str(DATA / "gold-sample.jsonl"),
                              "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["items"] == 6
    assert report["precision"] == 1.0 and report["recall"] == 1.0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "claims": [{"kind": "grab", "place": "X", "holder": "* MIL"}]}\n')
    res = runner.invoke(app, ["control", "--evaluate", str(bad)])
    assert res.exit_code == 2 and "bad.jsonl:1" in res.output


# -- a story over several articles -----------------------------------------------------------

@pytest.fixture(scope="module")
def palmyra(tmp_path_factory, coder, service):
    from dateline.ingest.pipeline import ingest
    from dateline.store import Store

    path = tmp_path_factory.mktemp("palmyra") / "story.duckdb"
    with Store.open(path) as store:
        ingest(store, [str(DATA / "palmyra.jsonl")], coder=coder, progress=False)
        return service.timeline(store.con, "Palmyra")


def test_story_spans(palmyra):
    (area,) = palmyra["areas"]
    spans = [(s["from"], s["to"], s["status"], (s["holder"] or {}).get("code"),
              (s["besieger"] or {}).get("code")) for s in area["spans"]]
    assert spans == [
        ("2015-05-20", "2016-03-08", "held", "IMGMUSISI", None),
        ("2016-03-09", "2016-03-26", "contested", "IMGMUSISI", "SYRMIL"),
        ("2016-03-27", "2016-12-10", "held", "SYRMIL", None),
        ("2016-12-11", "2016-12-12", "held", "IMGMUSISI", None),
        ("2016-12-13", "2017-03-01", "disputed", None, None),
        ("2017-03-02", None, "held", "SYRMIL", None),
    ]
    disputed = area["spans"][4]
    assert {c["code"] for c in disputed["claimants"]} == {"SYRMIL", "IMGMUSISI"}


def test_story_conflict_and_evidence(palmyra):
    (area,) = palmyra["areas"]
    (conflict,) = area["conflicts"]
    assert conflict["day"] == "2016-12-13" and conflict["kind"] == "sources_disagree"
    sources = {c["publisher"] for c in conflict["claims"]}
    assert sources == {"State News Agency", "Amaq"}
    first = area["spans"][0]["evidence"]
    assert {e["kind"] for e in first} == {"capture", "loss"}  # seized; government withdrew
    from dateline.control.timeline import state_on

    assert state_on(area["spans"], "2016-06-01")["holder"]["code"] == "SYRMIL"
    assert state_on(area["spans"], "2015-01-01") is None


def test_timeline_conflict_with_an_earlier_capture():
    from dateline.control.model import Area, ControlClaim, Holder
    from dateline.control.timeline import control_timeline

    town = Area(name="Kafr Nabl", country="SYR", feature="local")

    def claim(kind, code, sector, day):
        return ControlClaim(kind=kind, place=town, holder=Holder(code, "SYR", sector),
                            from_date=day, date_precision="day", article_id=day,
                            sentence=f"{code} {kind}", sentence_index=0, char_start=0,
                            char_end=10, trigger=kind, trigger_start=0, trigger_end=3)

    tl = control_timeline([claim("capture", "SYRREB", "REB", "2016-01-02"),
                           claim("hold", "SYRMIL", "MIL", "2016-01-05")], "Kafr Nabl")
    (area,) = tl["areas"]
    (conflict,) = area["conflicts"]
    assert conflict["kind"] == "contradicts_earlier" and "2016-01-02" in conflict["detail"]
    assert [s["holder"]["code"] for s in area["spans"]] == ["SYRREB", "SYRMIL"]


# -- the HTTP routes --------------------------------------------------------------------------

def test_api_control_and_figures(example_store, coder):
    from fastapi.testclient import TestClient

    from dateline.api import create_app
    from dateline.store import Store

    store = Store.open(example_store, read_only=True)
    app = create_app(store)
    app.state.dateline.coder = coder
    with TestClient(app) as client:
        r = client.get("/control", params={"place": "Aleppo", "on": "2016-12-06"})
        assert r.status_code == 200
        names = {a["area"]["name"]: a for a in r.json()["areas"]}
        assert names["Shaar"]["on"]["holder"]["code"] == "SYRMIL"
        r = client.get("/figures", params={"what": "dead", "place": "Syria"})
        assert r.status_code == 200
        assert r.json()["series"][0]["points"][0]["quantity"] == 300000
        r = client.get("/control", params={"on": "2016-12-32"})
        assert r.status_code == 400 and r.json()["parameter"] == "on"
        r = client.get("/figures", params={"what": "kittens"})
        assert r.status_code == 400 and r.json()["parameter"] == "what"
        r = client.get("/control", params={"where": "Aleppo"})
        assert r.status_code == 400
        spec = client.get("/openapi.json").json()
        assert "/control" in spec["paths"] and "/figures" in spec["paths"]
    store.close()


@pytest.mark.parametrize("name", ["dev.jsonl", "dev2.jsonl"])
def test_development_sentences(reader, name):
    """The sentences the rules were developed on (not the blind set): a regression floor."""
    from dateline.control.evaluate import evaluate, load_gold

    report = evaluate(reader, load_gold(DATA / name))
    assert report["precision"] >= 0.9 and report["recall"] >= 0.85, report["errors"]
    assert report["forbidden_hits"] == 0


def test_blind_development_set(reader):
    """The 220 sentences written blind by an annotator and then tuned on (precision 0.925,
    recall 0.841 when written down): a regression floor a little under that."""
    from dateline.control.evaluate import evaluate, load_gold

    report = evaluate(reader, load_gold(DATA / "blind-train.jsonl"))
    assert report["precision"] >= 0.9 and report["recall"] >= 0.82, report["errors"]
    assert report["forbidden_hits"] <= 1


# -- running figures ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def figure_reader(coder):
    from dateline.control.figures import FigureReader

    return FigureReader(coder)


def _article(id_, text, day, source):
    return Article(id=id_, text=text, published=datetime.fromisoformat(day), source=source)


def test_figures_kinds(figure_reader):
    arts = [
        _article("f1", "In Syria, about 3,000 families have been displaced this week, the UN said.",
                 "2018-02-22", "Wire"),
        _article("f2", "Police killed 12 people in Homs on Monday.", "2018-02-20", "Wire"),
        _article("f3", "The death toll in the Syrian war rose to 350,000, a monitor said.",
                 "2018-03-12", "Wire"),
    ]
    figs = {f.article_id: f for f in figure_reader.read(arts)}
    assert "f2" not in figs  # one event's count is no running figure
    f1 = figs["f1"]
    assert (f1.what, f1.unit, f1.quantity, f1.qualifier) == ("displaced", "family", 3000, "about")
    assert f1.since == "2018-02-19" and f1.as_of == "2018-02-22"  # this week: from Monday
    assert f1.source == "the UN" and f1.country == "SYR"
    f3 = figs["f3"]
    assert (f3.what, f3.quantity) == ("dead", 350000) and f3.source == "a monitor"


def test_figures_series_and_disagreement(figure_reader):
    from dateline.control.figures import figure_series, render_series

    arts = [
        _article("g1", "More than 300,000 people have been killed in Syria since 2011, the "
                 "Observatory said.", "2016-12-07", "Wire A"),
        _article("g2", "More than 310,000 people have died in Syria since 2011, according to "
                 "the Observatory.", "2016-12-14", "Wire B"),
        _article("g3", "At least 400,000 people have been killed in Syria since 2011, the UN "
                 "envoy said.", "2016-12-14", "Wire C"),
    ]
    series = figure_series(figure_reader.read(arts), what="dead", place="Syria", iso3="SYR")
    assert len(series) == 1
    points = series[0]["points"]
    assert [p["quantity"] for p in points] == [300000, 310000, 400000]
    (dis,) = series[0]["disagreements"]
    assert dis["day"] == "2016-12-14"
    assert {f["quantity"] for f in dis["figures"]} == {310000, 400000}
    assert "sources disagree on 2016-12-14" in render_series(series)


def test_gold_police_sector_is_cop():
    from dateline.control.evaluate import GoldHolder
    from dateline.control.model import Holder

    gold = GoldHolder.parse("HTI POL", "x")
    assert gold.accepts(Holder(code="HTICOP", country="HTI", sector="COP", name=None,
                               text="police"))
