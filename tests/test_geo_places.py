"""PlaceFinder: mentions with offsets, neighbourhood fallback, directions, lower-case text,
and locate(): where the event happened."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from geo_fixtures import SYRIA, gaz, places  # noqa: F401
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st



def found(places, text, focus=SYRIA):
    out = places.find(text, focus)
    for p in out:
        assert text[p.start:p.end] == p.text
    return [(p.text, p.country, p.feature) for p in out]


@pytest.mark.parametrize("text, expected", [
    ("Syria's army seized key ground in its battle to retake Aleppo yesterday.",
     [("Syria", "SYR", "country"), ("Aleppo", "SYR", "city")]),
    ("Government troops were in control of 70 percent of rebel territory in east Aleppo.",
     [("east Aleppo", "SYR", "city")]),
    ("Fighting raged in eastern Aleppo and northern Syria.",
     [("eastern Aleppo", "SYR", "city"), ("northern Syria", "SYR", "country")]),
    ("Shelling hit the Shaar neighbourhood of east Aleppo.",
     [("Shaar neighbourhood of east Aleppo", "SYR", "city")]),
    ("Troops entered the al-Shaar district of Aleppo.", [("al-Shaar district of Aleppo", "SYR", "city")]),
    ("Rebels shelled a village near Idlib.", [("village near Idlib", "SYR", "city")]),
    ("Clashes in Idlib province and at the Tabqa Dam.",
     [("Idlib province", "SYR", "admin1"), ("Tabqa Dam", "SYR", "city")]),
    ("Air strikes hit Khan Sheikhoun, Maarat al-Numan and Saraqeb.",
     [("Khan Sheikhoun", "SYR", "city"), ("Maarat al-Numan", "SYR", "city"), ("Saraqeb", "SYR", "city")]),
    ("The attack in Deir ez-Zor on Monday killed five.", [("Deir ez-Zor", "SYR", "city")]),
    ("Talks with the United States in Geneva.",
     [("United States", "USA", "country"), ("Geneva", "CHE", "city")]),
    ("US Secretary of State John Kerry denied any change of plans.", [("US", "USA", "country")]),
    ("The Prime Minister met President Hollande at the UK-France Summit at Amiens in France.",
     [("UK", "GBR", "country"), ("France", "FRA", "country"), ("Amiens", "FRA", "city"),
      ("France", "FRA", "country")]),
    ("The ancient site of Palmyra, Syria, was retaken.",
     [("Palmyra", "SYR", "city"), ("Syria", "SYR", "country")]),
])
def test_find(places, text, expected):
    assert found(places, text) == expected


@pytest.mark.parametrize("text", [
    "Police arrested 45 people on Monday.",
    "Of course the Army said it Will act in May.",
    "President Bashar al-Assad met Foreign Minister Sergei Lavrov.",
    "Vladimir Putin spoke to the EU and the UN.",
    "Syrian and Russian jets struck again.",
    "Shelling continued.",
])
def test_no_place(places, text):
    assert found(places, text) == []


@pytest.mark.parametrize("text, expected", [
    ("lucknow: police opened fire on a mob in ahmedabad and at godhra on monday.",
     [("lucknow", "IND", "city"), ("ahmedabad", "IND", "city"), ("godhra", "IND", "city")]),
    ("the vhp programme at the acquired land in ayodhya was banned.", [("ayodhya", "IND", "city")]),
    ("violence spread across gujarat and to the city of vadodara.",
     [("gujarat", "IND", "admin1"), ("city of vadodara", "IND", "city")]),
    ("the police said the situation in the area was tense.", []),
    ("the march was held in custody of the police.", []),
])
def test_find_lower_case(places, text, expected):
    assert found(places, text, focus=("IND",)) == expected


def test_lower_case_small_place_needs_focus(places):
    text = "a mob gathered in naroda on sunday."
    assert found(places, text, focus=("IND",)) == [("naroda", "IND", "city")]
    assert found(places, text, focus=()) == []


def _locate(places, text, trigger, focus=("SYR", "RUS", "USA")):
    ps = places.find(text, focus)
    s = text.index(trigger)
    loc = places.locate(text, ps, s, s + len(trigger))
    return loc and (loc.text, loc.country, loc.feature)


@pytest.mark.parametrize("text, trigger, expected", [
    ("Syria's army seized key ground in its battle to retake Aleppo yesterday.", "seized",
     ("Aleppo", "SYR", "city")),
    ("The advance came as Moscow and Washington traded barbs.", "traded", None),
    ("But on Tuesday, Foreign Minister Sergei Lavrov accused Washington of backtracking.",
     "accused", None),
    ("Russia and China blocked a UN Security Council resolution on Monday.", "blocked", None),
    ("Russia had announced talks with the United States in Geneva for Tuesday on a "
     "rebel withdrawal from Aleppo.", "talks", ("Geneva", "CHE", "city")),
    ("Shelling killed five people in the Shaar neighbourhood of east Aleppo.", "killed",
     ("Shaar neighbourhood of east Aleppo", "SYR", "city")),
    ("Syria has accused Israel of bombarding an area west of Damascus.", "bombarding",
     ("Damascus", "SYR", "city")),
    ("Turkish jets struck Kurdish positions in northern Syria.", "struck",
     ("northern Syria", "SYR", "country")),
    ("Protesters marched in Damascus and Syria's army fired on them.", "marched",
     ("Damascus", "SYR", "city")),
])
def test_locate(places, text, trigger, expected):
    assert _locate(places, text, trigger) == expected


def test_locate_prefers_the_city_near_the_trigger(places):
    text = "In Syria, a car bomb exploded in Azaz, while in Idlib talks went on."
    assert _locate(places, text, "exploded") == ("Azaz", "SYR", "city")
    assert _locate(places, text, "talks") == ("Idlib", "SYR", "city")


def test_locate_without_places(places):
    assert places.locate("Nothing here.", [], 0, 7) is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("abcAleppoSyria  ,.'-’ʿ\nIdlibin ofnear")), max_size=80))
def test_find_never_raises_and_offsets_hold(places, text):
    for p in places.find(text, SYRIA):
        assert 0 <= p.start < p.end <= len(text)
        assert text[p.start:p.end] == p.text
    ps = places.find(text, SYRIA)
    loc = places.locate(text, ps, 0, min(3, len(text)))
    assert loc is None or loc in ps


def test_re3d_named_location_recall(gaz, places, re3d_dir):
    """Most named re3d Location spans are found (the bench reports the exact figure)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.geo import _re3d, recall

    r = recall(gaz, places, _re3d(re3d_dir))
    assert r["named_locations"] > 500
    assert r["named_recall"] >= 0.75
    assert r["places_on_an_entity_span"] >= 0.8


def test_india_sentences_do_not_crash(places, ipe_dir):
    with open(ipe_dir / "sents.jsonl", encoding="utf-8") as fh:
        sents = [json.loads(line)["sent_text"] for _, line in zip(range(2000), fh)]
    n, names = 0, set()
    for s in sents:
        for p in places.find(s, ("IND",)):
            assert s[p.start:p.end] == p.text
            n += 1
            names.add(p.text)
    assert n > 40  # lower-cased text: the city names are still found
    assert {"ahmedabad", "vadodara", "surat", "godhra"} <= names


def test_a_country_before_a_town_word_is_not_the_towns_name(coder):
    places = coder.places.find("Rebels seized the northern Mali town of Kidal on Monday.")
    assert "Kidal" in [p.name for p in places]
    shaar = coder.places.find("Troops retook the Shaar neighbourhood of Aleppo.")
    assert [p.text for p in shaar] == ["Shaar neighbourhood of Aleppo"]
