"""Coder rules of the eighth session, each class with sentences written for it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from coding_fixtures import code, first, types


@pytest.mark.parametrize("text", [
    # a named storm: the hazard word is the title of the name
    "Hurricane Odile tore across the Baja peninsula on Monday, killing nine people and leaving "
    "200,000 homes without electricity.",
    # the participle hangs deep under the clause whose subject is the hazard
    "A powerful earthquake rocked the Andean town on Sunday, toppling the bell tower and the "
    "old market hall and killing at least 30 people.",
    # a clause of being between the hazard and the harm
    "The volcano erupted early on Tuesday while farmers were in the fields, killing four.",
    "The ceiling of a crowded cinema caved in during a screening on Friday, killing 11.",
])
def test_harm_from_a_hazard_told_through_a_participle_is_no_attack(coder, text):
    assert "ASSAULT" not in types(coder, text)
    assert "RETREAT" not in types(coder, text)  # "leaving homes without electricity"


def test_a_storm_slamming_into_a_coast_is_no_criticism(coder):
    text = "Typhoon Meari slammed into the eastern coast on Thursday, flattening fishing villages."
    assert "ACCUSE" not in types(coder, text)
    m = first(coder, "The opposition slammed the budget as a betrayal of farmers.", "ACCUSE")
    assert m.actor


def test_an_attack_with_a_participle_of_harm_stays_an_attack(coder):
    m = first(coder, "Insurgents raided the outpost while the soldiers were asleep, killing six.",
              "ASSAULT")
    assert m.actor and m.actor[0].sector in ("INS", "REB", "UAF")


@pytest.mark.parametrize("text", [
    "The Jamaican sprinter stormed to victory in the 200 metres at the world championships.",
    "Tokyo shares were hammered again on Friday as investors fled exporters.",
    "Uruguay demolished Peru 4-0 in the Copa America semi-final on Wednesday.",
    "The visitors launched wave after wave of attacks on the home side's goal in the second half "
    "of the rugby final.",
])
def test_force_words_in_games_and_markets_are_no_events(coder, text):
    assert not {"ASSAULT", "COERCE"} & set(types(coder, text))


def test_force_at_a_game_by_the_police_is_still_force(coder):
    m = first(coder, "Police opened fire on football supporters outside the stadium in Cairo, "
                     "killing two.", "ASSAULT")
    assert m.actor[0].sector == "COP"
    m = first(coder, "Police fired tear gas at football supporters outside the stadium in Cairo.",
              "COERCE")
    assert m.actor[0].sector == "COP"


def test_who_storms_says_what_storming_is(coder):
    m = first(coder, "Hundreds of protesters stormed the parliament building in Tirana on "
                     "Saturday.", "PROTEST")
    assert m.mode == "riot"
    m = first(coder, "Riot police stormed the occupied university campus in Santiago on Monday.",
              "COERCE")
    assert m.cameo.startswith("171")
    assert "ASSAULT" in types(coder, "Rebel fighters stormed the army barracks at dawn.")


@pytest.mark.parametrize("text", [
    "The foreign minister offered his condolences to the families of the crash victims.",
    "We extend our deepest sympathy to the people of Nepal.",
])
def test_condolences_are_no_support(coder, text):
    assert "SUPPORT" not in types(coder, text)


def test_a_protests_demand_is_what_the_protest_is_about(coder):
    text = ("Thousands of nurses marched through Nairobi on Tuesday demanding the payment of "
            "arrears.")
    assert types(coder, text).count("PROTEST") == 1
    assert "REQUEST" not in types(coder, text)
    # no protest in the sentence: the demand is a request
    assert "REQUEST" in types(coder, "The senator wrote to the minister on Monday, demanding "
                                     "an inquiry into the contracts.")


def test_the_purpose_of_an_act_is_an_intent(coder):
    text = "Chad flew 400 soldiers into Niger on Friday to help fight the jihadists."
    assert "MOBILIZE" in types(coder, text)
    assert "ASSAULT" not in types(coder, text)
    text = "The World Bank approved a $300 million credit on Monday to support Ghana's reforms."
    assert "SUPPORT" not in types(coder, text)
    # moving aid to deliver it delivers it
    assert "AID" in types(coder, "Italy sent two ships to deliver food to the refugees in Tripoli.")


def test_speaking_up_for_someone_is_support(coder):
    m = first(coder, "Church leaders spoke up for the detained activists on Sunday.", "SUPPORT")
    assert m.actor


def test_a_descriptive_accused_is_no_accusation(coder):
    text = "Soldiers bulldozed the house of a man accused of planting the roadside bomb."
    assert "ACCUSE" not in types(coder, text)
    assert "ACCUSE" in types(coder, "The prosecutor accused the mayor of taking bribes.")


def test_brokering_talks_is_mediation(coder):
    m = first(coder, "Qatari envoys brokered a prisoner swap between the two militias on Sunday.",
              "CONSULT")
    assert m.mode == "third-party"


def test_a_flight_is_a_visit_only_to_somewhere(coder):
    assert "CONSULT" not in types(coder, "The dissident flew home from Berlin on Sunday.")
    assert "CONSULT" in types(coder, "The Turkish president flew to Baku on Monday.")


def test_ending_a_military_presence_is_a_withdrawal(coder):
    text = ("The last Belgian paratroopers left Kigali on Friday, ending three years of Belgian "
            "military presence in Rwanda.")
    assert "SANCTION" not in types(coder, text)
    assert "RETREAT" in types(coder, text)


def test_what_a_protest_says_is_the_protest(coder):
    for text in ("Striking miners occupied the pithead on Monday, refusing to leave until the "
                 "closures were withdrawn.",
                 "Hundreds of farmers began a sit-in outside the ministry on Tuesday, vowing to "
                 "stay until their debts were written off."):
        found = types(coder, text)
        assert "PROTEST" in found and not {"REJECT", "THREATEN", "REQUEST"} & set(found), found


def test_who_boycotts_says_what_a_boycott_is(coder):
    m = first(coder, "University students boycotted classes across the capital on Monday.",
              "PROTEST")
    assert m.mode == "boycott"
    assert "SANCTION" in types(coder, "The main opposition party will boycott the "
                                      "parliamentary election, its leader said on Sunday.")


def test_calling_something_by_a_word_of_censure_criticises_it(coder):
    m = first(coder, "Ankara called the arrests of its diplomats illegal on Thursday.", "ACCUSE")
    assert m.actor and m.actor[0].country == "TUR"
    assert "ACCUSE" in types(coder, "The union termed the wage offer a mockery.")
    # how another act was told: no further criticism
    assert "ACCUSE" not in types(coder, "The rebels rejected the truce proposal on Sunday, calling "
                                        "it a sham.")
    assert "ACCUSE" not in types(coder, "The president called the cabinet to his office.")


def dated(coder, text: str, published: datetime) -> dict[str, str | None]:
    return {m.trigger.lower(): m.date for m in code(coder, text, published)}


def test_a_clause_counted_days_from_a_dated_one_is_dated_so(coder):
    pub = datetime(2015, 6, 10, tzinfo=timezone.utc)  # a Wednesday
    got = dated(coder, "Kenya closed its border with Somalia on Tuesday, two days after "
                       "gunmen attacked a bus near Mandera.", pub)
    assert got["closed"] == "2015-06-09" and got["attacked"] == "2015-06-07", got
    got = dated(coder, "The army was put on alert on Monday, a week after rebels shelled "
                       "the airport.", pub)
    assert got["shelled"] == "2015-06-01", got
    # a clause with a date of its own keeps it
    got = dated(coder, "Police arrested the suspects on Tuesday, a day after gunmen attacked "
                       "the market on May 30.", pub)
    assert got["attacked"] == "2015-05-30", got


def test_years_that_start_a_period_or_name_a_thing_date_nothing(coder):
    pub = datetime(2019, 3, 7, tzinfo=timezone.utc)
    got = dated(coder, "Tunisia and Libya reopened their embassies on Wednesday for the first "
                       "time since 2014.", pub)
    assert got["reopened"] == "2019-03-06", got
    got = dated(coder, "Washington quit the 1987 missile treaty on Tuesday, a White House "
                       "official said.", pub)
    assert all(d != "1987-01-01" for d in got.values()), got


@pytest.mark.parametrize("text, absent", [
    ("Thailand closed its border crossings on Monday and told foreign workers to leave the "
     "province.", "RETREAT"),
    ("The junta was told by neighbouring states on Friday to release the detained ministers.",
     "RETREAT"),
    ("The coalition gave the militia 48 hours to lay down its weapons and leave the port.",
     "RETREAT"),
    ("Ministers pressed Belgrade on Tuesday to pull its police out of the province.", "RETREAT"),
])
def test_what_someone_is_told_or_pressed_to_do_has_not_happened(coder, text, absent):
    assert absent not in types(coder, text)


def test_an_infinitive_no_one_is_told_to_do_stays(coder):
    m = first(coder, "The army began to withdraw from the border town on Sunday.", "RETREAT")
    assert m.actor and m.actor[0].sector == "MIL"


def test_calling_someone_something_is_no_phone_call(coder):
    assert "CONSULT" not in types(coder, "The Iranian president called the American leader "
                                         "'a criminal' in a speech on Tuesday.")
    assert "CONSULT" in types(coder, "The French president called the Iranian leader on Monday.")


def test_troops_arriving_are_deployed_and_a_chief_arriving_visits(coder):
    m = first(coder, "Nigerian troops arrived in Monrovia on Thursday.", "MOBILIZE")
    assert m.actor[0].sector == "MIL"
    assert "CONSULT" in types(coder, "The Nigerian army chief arrived in Monrovia on Thursday "
                                     "for talks with the interim president.")


def test_pilgrims_visiting_a_shrine_is_no_consultation(coder):
    assert "CONSULT" not in types(coder, "Thousands of pilgrims visited the shrine on Sunday.")


def test_calling_off_talks_or_a_visit_halts_them(coder):
    m = first(coder, "Pyongyang abruptly called off the planned talks with Seoul on Thursday.",
              "SANCTION")
    assert m.cameo.startswith("164")
    assert "SANCTION" in types(coder, "The Brazilian president postponed her state visit to "
                                      "Washington on Tuesday.")


def test_a_march_to_demand_something_is_the_protest(coder):
    text = "Tens of thousands of teachers marched in Santiago on Thursday to demand higher pay."
    assert "PROTEST" in types(coder, text) and "REQUEST" not in types(coder, text)


def test_a_kidnapping_beside_a_killing_is_an_act_of_its_own(coder):
    found = [m for m in code(coder, "Gunmen attacked a bus near Gao on Friday, killing 12 "
                                    "passengers and kidnapping four others.")
             if m.event_type == "ASSAULT"]
    assert sorted(m.mode == "abduct" for m in found) == [False, True], found


def test_a_meeting_held_between_parties_is_theirs(coder):
    m = first(coder, "Talks between Indian and Pakistani officials were held in Islamabad on "
                     "Monday.", "CONSULT")
    assert {a.country for a in m.actor} == {"IND", "PAK"}


def test_negotiators_from_a_body_are_that_bodys(coder):
    m = first(coder, "Negotiators from the Colombian government and the FARC resumed peace talks "
                     "in Havana on Monday.", "CONSULT")
    assert any(a.country == "COL" and a.sector == "GOV" for a in m.actor), m.actor


def test_the_capital_a_country_adjective_names(coder):
    m = first(coder, "A suicide bomber struck a market in the Afghan capital on Monday, killing "
                     "nine people.", "ASSAULT")
    assert m.location is not None and (m.location.name, m.location.country) == ("Kabul", "AFG")


@pytest.mark.parametrize("text, place", [
    # a capital after "through" is the place, not an actor
    ("Tens of thousands of students marched through Belgrade on Thursday.", "Belgrade"),
    # the preposition stands before the owning country
    ("Ankara sent hundreds of commandos into Syria's Idlib province overnight.", "Idlib"),
    # a capital's districts are the capital
    ("Zimbabwe deployed riot police across Harare's townships on Monday.", "Harare"),
])
def test_places_reached_through_movement_and_possession(coder, text, place):
    ms = code(coder, text)
    assert ms and ms[0].location is not None and ms[0].location.name == place, \
        [(m.event_type, m.location) for m in ms]


def test_a_past_told_as_recent_or_earlier_has_no_day(coder):
    pub = datetime(2002, 3, 21, tzinfo=timezone.utc)
    ms = code(coder, "the home minister recently met senior party leaders in delhi.", pub)
    assert ms and all(x.date is None and x.date_precision == "unknown" for x in ms), \
        [(x.event_type, x.date) for x in ms]
    # a day named beside "earlier" still dates it
    ms = code(coder, "Police earlier arrested twelve people on Monday.", pub)
    assert ms and ms[0].date == "2002-03-18"


def test_a_bare_he_asked_and_a_question_asked_are_no_requests(coder):
    assert "REQUEST" not in types(coder, "he asked.")
    text = ("asked whether the party had approached the congress to seek its support, the "
            "leader said he had no information.")
    assert "REQUEST" not in types(coder, text)


@pytest.mark.parametrize("text", [
    "the finance minister was targeted in an attack launched by the opposition leader in the "
    "lok sabha on friday.",
    "Under attack from all sides, the ruling party withdrew the bill.",
])
def test_an_attack_in_a_house_or_under_attack_from_critics_is_words(coder, text):
    found = types(coder, text)
    assert "ASSAULT" not in found, found


def test_an_armed_attack_on_a_house_stays_an_attack(coder):
    assert "ASSAULT" in types(coder, "Militants attacked the state assembly in Srinagar, "
                                     "killing 38 people.")


def test_petitioning_a_court_moves_no_troops(coder):
    assert "MOBILIZE" not in types(coder, "The party said it would move the supreme court with "
                                          "evidence of police excesses.")
    assert "MOBILIZE" in types(coder, "India moved two army divisions to the border on Friday.")


def test_the_indian_nda_is_no_south_african_party(coder):
    m = first(coder, "The opposition accused the National Democratic Alliance government of "
                     "failing the riot victims.", "ACCUSE")
    assert all(r.country == "IND" for r in m.recipient), m.recipient


def test_a_lower_case_dateline_outweighs_a_foreign_agency_named_later(coder):
    text = ("new delhi: the district magistrate told the inquiry commission here on tuesday that "
            "there were no reports that the kar sevaks would storm the structure. he said the "
            "inputs came from the central intelligence agency and local intelligence units.")
    pub = datetime(2002, 3, 26, tzinfo=timezone.utc)
    ms = code(coder, text, pub)
    countries = {a.country for m in ms for a in m.actor if a.country}
    assert countries and countries <= {"IND"}, [(m.event_type, m.actor) for m in ms]


@pytest.mark.parametrize("text", [
    "Nepal expressed concern over the killing of its nationals in Kabul on Tuesday.",
    "Western governments voiced outrage at the crackdown on demonstrators.",
    "The UN High Commissioner for Human Rights expressed alarm at reports of mass arrests.",
])
def test_concern_or_outrage_at_something_done_is_disapproval(coder, text):
    m = first(coder, text, "ACCUSE")
    assert m.actor


def test_concern_for_people_is_no_disapproval(coder):
    assert "ACCUSE" not in types(coder, "The minister expressed concern for the people of "
                                        "the flooded valley.")


def test_a_speaker_saying_someone_was_culpable_accuses_them(coder):
    m = first(coder, "The prime minister said Moscow was culpable for the poisoning.", "ACCUSE")
    assert [r.country for r in m.recipient] == ["RUS"]
    # no speaker: nobody blames anyone
    assert "ACCUSE" not in types(coder, "The ambush was barbaric.")


@pytest.mark.parametrize("text, place", [
    ("Thousands of students occupied the parliament building in Jakarta on Tuesday.", "Jakarta"),
    ("Tens of thousands marched towards the presidential palace in Khartoum on Thursday.",
     "Khartoum"),
    ("Some 10,000 farmers rallied in Tokyo's Hibiya Park on Tuesday.", "Tokyo"),
])
def test_a_protest_at_a_site_in_a_city_happened_there(coder, text, place):
    m = first(coder, text, "PROTEST")
    assert m.location is not None and m.location.name == place, m.location


def test_what_a_protest_is_against_is_not_where_it_was(coder):
    m = first(coder, "Thousands protested against the killings in Gujarat on Sunday.", "PROTEST")
    assert m.location is None or m.location.name != "Gujarat"


@pytest.mark.parametrize("text", [
    "European stocks rallied strongly on Wednesday, led by banks and carmakers.",
    "The club rejected a 40 million pound bid for its captain on Friday.",
    "The Indian rupee hit a record low against the dollar as investors pulled money out.",
])
def test_markets_and_clubs_make_no_political_events(coder, text):
    assert types(coder, text) == []


def test_a_state_in_a_market_story_still_acts(coder):
    assert "SANCTION" in types(coder, "Washington banned imports of Russian oil on Tuesday, "
                                      "sending shares of energy companies higher.")


def test_equipment_sent_is_aid_only_when_military_or_medical(coder):
    assert "AID" not in types(coder, "The district engineer said he had sent road construction "
                                     "equipment for the annual maintenance.")
    assert "AID" in types(coder, "Turkey sent medical equipment and tents to the quake zone in "
                                 "Syria on Monday.")


@pytest.mark.parametrize("text, absent", [
    ("asked an rss source.", "REQUEST"),
    ("the party spokesman refused to speculate on what would happen in ayodhya on friday.",
     "REJECT"),
    ("the activists plan to mobilise prominent citizens for the campaign.", "MOBILIZE"),
    ("thousands of tourists who were to visit the state have cancelled their trips.",
     "SANCTION"),
])
def test_speech_and_private_plans_are_no_events(coder, text, absent):
    assert absent not in types(coder, text)


def test_states_still_mobilise_and_refuse(coder):
    assert "MOBILIZE" in types(coder, "Russia mobilised 300,000 reservists on Wednesday.")
    assert "REJECT" in types(coder, "The ministry refused to release the prisoners.")


def test_force_reported_in_a_house_stays_force(coder):
    text = ("intervening in a discussion in the rajya sabha, the minister said police arrested "
            "4,000 rioters and fired 2,000 rounds to control the situation.")
    found = types(coder, text)
    assert "ASSAULT" in found and "COERCE" in found, found


def test_acting_to_arrest_someone_arrests_them(coder):
    assert "COERCE" in types(coder, "the police acted swiftly to arrest a local activist on "
                                    "sunday.")


@pytest.mark.parametrize("text", [
    "Slovenia's government put its territorial defence units on a war footing.",
    "Rebels of the Patriotic Front were reported to be massing near Byumba on Friday.",
    "Japan scrambled F-15 fighters on Tuesday after two bombers flew over the sea.",
])
def test_forces_put_on_a_war_footing_massed_or_scrambled_mobilise(coder, text):
    assert "MOBILIZE" in types(coder, text)


def test_the_centre_in_indian_news_is_the_central_government(coder):
    pub = datetime(2002, 3, 27, tzinfo=timezone.utc)
    ms = [m for m in code(coder, "lucknow: the centre on tuesday asked the faizabad district "
                                 "administration to shift the stones to its custody.", pub)
          if m.event_type == "REQUEST"]
    assert ms and [(a.country, a.sector) for a in ms[0].actor] == [("IND", "GOV")]


def test_a_unilateral_ceasefire_yields_and_agrees_with_no_one(coder):
    found = types(coder, "The rebel leader declared a unilateral ceasefire on Wednesday.")
    assert "CONCEDE" in found and "AGREE" not in found, found
    assert "AGREE" in types(coder, "The army and the rebels agreed a ceasefire on Friday.")


def test_a_demand_a_protest_noun_makes_is_the_protests(coder):
    text = ("The war erupted in 2011 with popular protests calling for the president's ouster.")
    assert "REQUEST" not in types(coder, text)
