"""Geocoding in context: "X, Country" stays in that country; regions are no towns; a
person's name, a demonym or a town of a country the article never names is no place; the
sentence's own country words and the article's focus outweigh population. And the place of
an event: the place in the trigger's clause that the words make its location, else the
article's dateline (any case), else none; country-only events say so."""

from __future__ import annotations

from datetime import datetime

import pytest
from geo_fixtures import gaz, places  # noqa: F401

from dateline.gazetteer import fold
from dateline.model import Article


def found(places, text, focus):
    out = places.find(text, focus)
    for p in out:
        assert text[p.start:p.end] == p.text
    return [(p.text, p.name, p.country, p.feature) for p in out]


# -- resolution ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, focus, country", [
    ("Officials met in Alexandria, Virginia, on Monday.", ["EGY"], "USA"),
    ("Clashes broke out in Tripoli, Lebanon, overnight.", ["LBY"], "LBN"),
    ("A bus was torched in Hyderabad, Pakistan.", ["IND"], "PAK"),
    ("Tourists returned to Palmyra, Syria, last spring.", ["USA"], "SYR"),
])
def test_a_name_with_its_country_after_a_comma_stays_there(places, text, focus, country):
    first = places.find(text, focus)[0]
    assert first.country == country and first.feature == "city"


def test_a_first_level_region_after_a_comma_is_the_region(places):
    assert found(places, "The recruit came from Woodbridge, Virginia.", ["USA"])[1][2:] == \
        ("USA", "admin1")


@pytest.mark.parametrize("text", [
    "Fighters moved across the Levant and the Middle East and into the Gulf.",
    "Militants roam the Sahel, the Balkans and the Caucasus.",
    "Smugglers use the Gulf of Aden and the Red Sea.",
    "the movement spread across the middle east and the levant.",
])
def test_regions_are_never_towns(places, text):
    assert found(places, text, ["SYR"]) == []


def test_kurdistan_is_no_town(places, gaz):
    assert all(p.feature != "city" for p in places.find("Peshmerga units returned to Kurdistan.", ["IRQ"]))
    assert gaz.resolve("Kurdistan", ["IRQ"]) is None


@pytest.mark.parametrize("text", [
    "Davis said the convoy had been hit twice.",
    "Spokesman Davis added that nobody was hurt.",
    "Reed, who commands the unit, praised the crews.",
    "Arab and Kurdish fighters entered the town.",
    "Sunni and Shia leaders met the governor.",
])
def test_names_of_people_and_peoples_are_no_places(places, text):
    assert found(places, text, ["USA", "SYR"]) == []


def test_a_town_of_a_country_the_article_never_names_is_no_place(places):
    # Camden (USA) and Salem (USA) are small towns; the article is about Syria
    assert found(places, "Aid reached Camden on Tuesday.", ["SYR"]) == []
    # a big city of another country is still found
    assert found(places, "Envoys flew to Istanbul.", ["SYR"])[0][2] == "TUR"


def test_the_sentences_own_country_outweighs_the_article_focus(places, coder):
    # Hyderabad is India's in an article about India, Pakistan's in a sentence naming it
    assert found(places, "A bus was torched in Hyderabad.", ["IND"])[0][2] == "IND"
    art = Article(id="t", published=datetime(2019, 11, 8), text=(
        "Indian officials spoke of calm in Delhi and Mumbai. In Pakistan, police arrested "
        "20 protesters in Hyderabad on Friday after a rally."))
    [m] = [m for m in coder.code_article(art) if m.event_type == "COERCE"]
    assert (m.location.name, m.location.country) == ("Hyderabad", "PAK")


def test_lower_case_hyphenated_places(places):
    got = found(places, "police stopped the marchers on the lucknow-barabanki border.", ["IND"])
    assert got and got[0][1] == "Lucknow"


# -- the place of an event --------------------------------------------------------------------
def code(coder, text):
    return coder.code_article(Article(id="t", text=text, published=datetime(2019, 11, 8)))


def place_of(coder, text, event_type):
    ms = [m for m in code(coder, text) if m.event_type == event_type]
    assert ms, [(m.event_type, m.trigger) for m in code(coder, text)]
    loc = ms[0].location
    return None if loc is None else (loc.name, loc.country, loc.feature)


@pytest.mark.parametrize("text, event_type, place", [
    # the place the march went through, not the place it was about
    ("hubli: hundreds of activists took out a march in hubli on thursday to protest against "
     "the move to build a memorial in ayodhya.", "PROTEST", "Hubballi"),
    # what a protest is against is its cause, not its place: the dateline
    ("bangalore: students staged a protest on friday against the killings in gujarat.",
     "PROTEST", "Bengaluru"),
    # no place in the sentence: the lower-case dateline
    ("bhubaneswar: police arrested 14 people on friday after a clash between two groups.",
     "COERCE", "Bhubaneswar"),
    ("LUCKNOW: Police detained 30 farmers near the state assembly on Friday.", "COERCE", "Lucknow"),
    # a place in the sentence beats the dateline
    ("kanpur: police arrested nine men in unnao on saturday.", "COERCE", "Unnao"),
    # where the actor sits
    ("patna: the nawada police have arrested three men.", "COERCE", "Nawada"),
    # an agreement or talks are the event itself: a place on them is where it happened
    ("Serbia and Kosovo reached a deal in Brussels on Friday.", "AGREE", "Brussels"),
    ("Sudan and the rebels signed a peace agreement in Nairobi on Sunday.", "AGREE", "Nairobi"),
    # a building after a place preposition passes its town up
    ("Opposition supporters staged a sit-in outside the electoral commission in Nairobi.",
     "PROTEST", "Nairobi"),
])
def test_the_place_of_the_clause_then_the_dateline(coder, text, event_type, place):
    got = place_of(coder, text, event_type)
    assert got is not None and fold(got[0]) == fold(place)


def test_what_words_are_about_is_not_their_place(coder):
    # the condemnation did not happen in Kabul; no dateline: no place
    assert place_of(coder, "The minister condemned the bombing of a market in Kabul on "
                           "Friday.", "ACCUSE") is None


def test_a_place_in_what_a_protest_is_against_stays_its_cause(coder):
    # the same chain of nouns under a cause ("against") is no place of the protest
    assert place_of(coder, "Students marched against the killings of villagers in Gujarat.",
                    "PROTEST") is None


def test_an_attack_on_a_place_is_there(coder):
    assert place_of(coder, "Government forces shelled rebel positions near Homs on Friday.",
                    "ASSAULT")[0] == "Homs"


def test_country_only_events_say_so(coder):
    assert place_of(coder, "Government forces shelled rebel positions in Syria on Friday.",
                    "ASSAULT") == ("Syria", "SYR", "country")


def test_a_dateline_is_no_place_of_other_countries_affairs(coder):
    assert place_of(coder, "NAIROBI, Kenya — Somali troops raided an al-Shabaab camp on "
                           "Friday.", "COERCE") is None


def test_geojson_puts_no_country_only_event_on_a_point():
    from dateline.export.geojson import feature
    from dateline.export.goldstein import GoldsteinScale

    scale = GoldsteinScale.load()
    base = {"id": "e1", "event_type": "ASSAULT", "cameo": "190", "actors": [], "recipients": []}
    country = feature({**base, "location": {"name": "Syria", "country": "SYR", "feature": "country",
                                            "lat": 35.0, "lon": 38.0}}, scale)
    city = feature({**base, "location": {"name": "Homs", "country": "SYR", "feature": "city",
                                         "lat": 34.72, "lon": 36.72}}, scale)
    assert country["geometry"] is None
    assert country["properties"]["location_precision"] == "country"
    assert country["properties"]["country"] == "SYR"
    assert city["geometry"] == {"type": "Point", "coordinates": [36.72, 34.72]}
    assert city["properties"]["location_precision"] == "city"


@pytest.mark.parametrize("text, event_type, country", [
    ("Kenyan police arrested two former ministers on Wednesday.", "COERCE", "KEN"),
    ("Thai students marched on Monday demanding reforms.", "PROTEST", "THA"),
])
def test_police_and_protesters_named_by_their_country_act_at_home(coder, text, event_type,
                                                                   country):
    got = [m for m in code(coder, text) if m.event_type == event_type]
    assert got and got[0].location is not None
    assert (got[0].location.country, got[0].location.feature) == (country, "country")


@pytest.mark.parametrize("text, event_type", [
    # soldiers act abroad; a country guessed from elsewhere in the sentence names no one
    ("Israeli troops arrested 12 Palestinians on Monday.", "COERCE"),
    ("Students marched against the killings of villagers in Gujarat.", "PROTEST"),
])
def test_no_home_country_for_others(coder, text, event_type):
    got = [m for m in code(coder, text) if m.event_type == event_type]
    assert got and got[0].location is None


def test_a_firm_in_the_possessive_is_no_place(coder):
    assert place_of(coder, "Workers at Hyundai's Ulsan plant staged a strike on Tuesday.",
                    "PROTEST")[0] == "Ulsan"


def test_a_town_named_after_a_place_preposition_needs_no_country_word(coder):
    # the sentence names China (an adjective), not India; "in Dharamsala" says it is a
    # place, and no other place has that name
    got = place_of(coder, "Thousands of Tibetan exiles marched in Dharamsala on Monday "
                          "against Chinese rule.", "PROTEST")
    assert got is not None and got[:2] == ("Dharamsala", "IND")


@pytest.mark.parametrize("text, event_type", [
    # a place naming something the object tells of is not where the act fell
    ("The state government withdrew the case against the suspects in the Jaipur bombing.",
     "CONCEDE"),
    ("The army withdrew the troops sent after the Jaipur bombing.", "RETREAT"),
])
def test_a_place_of_another_noun_in_the_object_is_no_place_of_the_act(coder, text, event_type):
    got = place_of(coder, text, event_type)
    assert got is None or got[0] != "Jaipur"
