"""The coder on general news sentences: triggers, roles, negation, modality, attribution."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from dateline.model import Article

PUBLISHED = datetime(2023, 3, 15, tzinfo=timezone.utc)  # a Wednesday


def code(coder, text: str, published: datetime = PUBLISHED):
    art = Article(id="t", text=text, published=published)
    return coder.code_article(art)


def day(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=timezone.utc)


def one(coder, text: str, event_type: str):
    hits = [m for m in code(coder, text) if m.event_type == event_type]
    assert hits, f"no {event_type} in {[(m.event_type, m.trigger) for m in code(coder, text)]}"
    return hits[0]


def countries(refs):
    return {r.country for r in refs}


@pytest.mark.parametrize("text, event_type, actor, recipient", [
    ("Police arrested 45 protesters in Nairobi on Tuesday.", "COERCE", "KEN", None),
    ("Israeli troops shelled the town of Khan Younis overnight.", "ASSAULT", "ISR", None),
    ("The city was shelled by government forces, residents said.", "ASSAULT", None, None),
    ("Iran launched more than 300 drones and missiles at Israel on Saturday.", "ASSAULT", "IRN", "ISR"),
    ("The European Union imposed sanctions on Iran on Monday.", "SANCTION", None, "IRN"),
    ("Turkey expelled the Dutch ambassador on Sunday.", "SANCTION", "TUR", None),
    ("Thousands of workers went on strike in Lagos on Monday.", "PROTEST", None, None),
    ("Ukraine accused Russia of shelling the Zaporizhzhia plant.", "ACCUSE", "UKR", "RUS"),
    ("China warned the United States against arming Taiwan.", "THREATEN", "CHN", "USA"),
    ("The United Nations called for an immediate ceasefire in Sudan.", "REQUEST", None, None),
    ("Egypt sent 50 trucks of food aid to Gaza on Sunday.", "AID", "EGY", None),
    ("French troops withdrew from Niger on Friday.", "RETREAT", "FRA", None),
    ("Indian and Pakistani troops traded fire in Kashmir on Friday.", "ASSAULT", "IND", None),
])
def test_sentence_codes(coder, text, event_type, actor, recipient):
    m = one(coder, text, event_type)
    assert 1 <= m.quad_class <= 4 and m.cameo
    if actor:
        assert actor in countries(m.actor)
    if recipient:
        assert recipient in countries(m.recipient)


def test_dates_resolve_against_publication(coder):
    m = one(coder, "Police arrested 45 protesters in Nairobi on Tuesday.", "COERCE")
    assert m.date == "2023-03-14" and m.date_precision == "day" and m.date_text
    plain = one(coder, "Police arrested 45 protesters in Nairobi.", "COERCE")
    assert plain.date == "2023-03-15" and plain.date_precision == "publication"


def test_arrest_size_and_place(coder):
    m = one(coder, "Police arrested 45 protesters in Nairobi on Tuesday.", "COERCE")
    assert m.size.get("arrested") == 45
    assert m.location is not None and m.location.name == "Nairobi" and m.location.country == "KEN"


@pytest.mark.parametrize("text", [
    "The government would not agree to a ceasefire, the ministry said.",
    "The rebels refused to withdraw from the city.",
])
def test_refusals_are_rejections_never_the_positive_event(coder, text):
    mentions = code(coder, text)
    assert any(m.event_type == "REJECT" for m in mentions)
    assert not any(m.event_type in ("AGREE", "RETREAT") and not m.negated for m in mentions)


def test_negated_attack(coder):
    m = one(coder, "Police did not arrest the suspects, witnesses said.", "COERCE")
    assert m.negated


def test_failure_to_act_is_negated(coder):
    ms = [m for m in code(coder, "The police failed to prevent the mob from burning shops.")
          if m.actor and m.actor[0].sector == "COP"]
    assert ms and all(m.negated for m in ms)


def test_denied_attack_is_no_attack(coder):
    mentions = code(coder, "The army denied carrying out the air strike on the market.")
    assert any(m.event_type == "REJECT" for m in mentions)
    assert not any(m.event_type == "ASSAULT" and not m.negated for m in mentions)


def test_planned_talks(coder):
    m = one(coder, "Russia will hold talks with Ukraine in Istanbul next week.", "CONSULT")
    assert m.modality == "planned"
    assert "RUS" in countries(m.actor) and "UKR" in countries(m.recipient)


def test_reported_action_has_attribution(coder):
    m = one(coder, "Government troops retook the town of Saraqeb, the Syrian Observatory for "
                   "Human Rights said.", "ASSAULT")
    assert m.attribution is not None and "Observatory" in m.attribution.text
    assert m.attribution.actor is not None


def test_pronoun_resolves_to_earlier_actor(coder):
    text = ("Syria's foreign ministry issued a statement on Monday. "
            "It rejected the proposal for a truce.")
    m = one(coder, text, "REJECT")
    assert m.actor and m.actor[0].code == "SYRGOV" and m.actor[0].text == "It"


def test_offsets_point_into_body(coder):
    text = "First paragraph without events.\n\nPolice arrested 12 men in Lahore on Monday."
    for m in code(coder, text):
        assert text[m.char_start:m.char_end] == m.sentence
        assert text[m.trigger_start:m.trigger_end] == m.trigger
        for r in m.actor + m.recipient:
            if r.start is not None:
                assert text[r.start:r.end] == r.text


def test_two_coders_side_by_side(coder, tmp_path):
    """A user dictionary changes one coder and not the other: no shared module state."""
    from dateline.coding import Coder
    from dateline.config import Config

    (tmp_path / "triggers.tsv").write_text(
        "trigger\tpos\tobject\tevent_type\tcameo\tmode\tflags\tconfidence\n"
        "kettle\tverb\t\tCOERCE\t17\trestrict\t\t0.8\n", encoding="utf-8")
    other = Coder.from_config(Config(dicts=[str(tmp_path)]))
    text = "Police kettled the protesters in central London on Saturday."
    assert any(m.event_type == "COERCE" for m in other.code_article(
        Article(id="k", text=text, published=PUBLISHED)))
    assert not any(m.event_type == "COERCE" and m.trigger.startswith("kettl")
                   for m in code(coder, text))


def police_failures(mentions):
    """Negated events whose actor is police: the coder's failures to act."""
    return [m for m in mentions if m.negated and any(a.sector == "COP" for a in m.actor)]


@pytest.mark.parametrize("text", [
    # an effort verb that did nothing, with a protective purpose
    "The police did nothing to stop the looters in Nairobi on Monday.",
    "Police in Lagos could do little to control the crowd outside the stadium.",
    "The police did not do enough to protect the shopkeepers in Karachi, residents said.",
    # each conjunct of a failed complement
    "Police in Lima failed to seal the road and disperse the crowd.",
    # failure adjectives, with the subject above the copula
    "The police in Dhaka were unable to contain the protest on Friday.",
    "Police in Manila were unwilling to register the complaint of the victims.",
    # a failure noun predicated of the police
    "Riot police in Athens remained silent spectators as the fans fought in the square.",
    "The policemen in Quito stood as mute onlookers while the warehouse was looted.",
    # idioms of looking on
    "Police in Bogota looked the other way as the gang smashed shop windows.",
    "Two policemen in Caracas stood and watched as the crowd set fire to a bus.",
    # an authority's inaction or its lack of action, as a noun
    "Dozens died in Mombasa because of police inaction.",
    "Witnesses in Lahore described a complete lack of police action during the looting.",
])
def test_police_failures_to_act_are_negated(coder, text):
    mentions = code(coder, text)
    assert police_failures(mentions), [(m.event_type, m.negated, m.trigger) for m in mentions]
    # a failure to act is never also coded as the police acting
    assert not any(m.event_type in ("COERCE", "ASSAULT") and not m.negated
                   and any(a.sector == "COP" for a in m.actor) for m in mentions)


@pytest.mark.parametrize("text", [
    "The police did nothing wrong, the inquiry in Nairobi found.",
    "The police did everything to protect the shopkeepers in Karachi.",
    "Police in Lima managed to seal the road and disperse the crowd.",
    "Police in Manila watched the march from a distance on Sunday.",
    "The soldiers in Quito stood and waited at the gate.",
    "Residents in Bogota asked whether or not police would arrest the suspects.",
    "The failure of the talks in Dhaka angered the unions.",
    "The prisoner in Athens died of heart failure, police said.",
    "There was no shortage of volunteers in Lahore after the floods.",
])
def test_near_misses_are_no_police_failures(coder, text):
    mentions = code(coder, text)
    assert not police_failures(mentions), [(m.event_type, m.negated, m.trigger) for m in mentions]


def test_failure_to_act_keeps_the_act_not_done(coder):
    """"did nothing to arrest": the act not done keeps its own type and mode."""
    ms = police_failures(code(coder, "Police in Nairobi did nothing to arrest the looters."))
    assert ms and ms[0].event_type == "COERCE" and ms[0].mode == "arrest"


def test_whether_or_not_is_an_open_question(coder):
    ms = [m for m in code(coder, "The government in Lima is weighing whether or not to "
                                 "arrest the mayor.") if m.event_type == "COERCE"]
    assert ms and not any(m.negated or m.modality == "asserted" for m in ms)


# -- datelines, shots at no one, actors and places of the event's own clause ------------------
@pytest.mark.parametrize("text, actor_countries", [
    ("QUITO — Colombia's government and the ELN rebels agreed on Monday to a ceasefire.",
     {"COL"}),
    ("NAIROBI, Kenya — Somali and Ethiopian troops attacked an al-Shabaab camp on Monday.",
     {"SOM", "ETH"}),
    ("BEIRUT, March 13 (Reuters) - Turkish jets bombed Kurdish positions on Monday.", {"TUR"}),
])
def test_a_dateline_is_neither_actor_nor_place(coder, text, actor_countries):
    mentions = code(coder, text)
    assert mentions
    for m in mentions:
        assert set(countries(m.actor)) <= actor_countries, m.actor
        assert m.char_start > 0 and text[m.char_start:m.char_end] == m.sentence
        # no place in the sentence; the dateline's city is no place of other countries'
        # affairs (the Colombian truce, the Somali raid, the Turkish strikes)
        assert m.location is None


@pytest.mark.parametrize("text", [
    "Fighters fired celebratory gunfire into the night sky after the announcement.",
    "The navy fired two ballistic missiles into the sea off the east coast on Monday.",
    "Police fired warning shots into the air.",
    "The army launched a test missile on Monday.",
])
def test_shots_at_no_one_are_no_attack(coder, text):
    assert not [m for m in code(coder, text) if m.event_type == "ASSAULT"]


@pytest.mark.parametrize("text", [
    "Soldiers fired into the crowd on Monday, witnesses said.",
    "Russia launched missiles at Kyiv overnight, Ukrainian officials said.",
])
def test_shots_at_someone_stay_attacks(coder, text):
    assert [m for m in code(coder, text) if m.event_type == "ASSAULT"]


def test_tear_gas_and_water_cannon_fired_at_a_crowd_are_repression(coder):
    # CAMEO 175, violent repression: coerced, not attacked with weapons
    ms = code(coder, "Police fired water cannon and tear gas at protesters in Santiago on Monday.")
    assert [m.cameo for m in ms if m.event_type == "COERCE"] == ["175"]
    assert not [m for m in ms if m.event_type == "ASSAULT"]


def test_protesters_from_a_country_march_in_part_of_a_capital(coder):
    """The actor "protesters from Peru" reaches past the subject phrase the parser cuts
    before "from"; "central Lima" is a place, not the government in Lima."""
    m = one(coder, "Thousands of protesters from Peru's southern regions marched through "
                   "central Lima on Monday demanding new elections.", "PROTEST")
    assert countries(m.actor) == {"PER"}
    assert m.location is not None and m.location.name == "Lima"


def test_the_place_of_the_triggers_own_clause_wins(coder):
    m = one(coder, "Federal troops pulled out of Mekelle on Monday as the government in "
                   "Addis Ababa declared a ceasefire.", "RETREAT")
    assert m.location is not None and m.location.country == "ETH"
    assert "Addis" not in m.location.name


@pytest.mark.parametrize("text, event_type, cameo, actor, recipient, modality", [
    # diplomatic complaints
    ("Greece summoned the Turkish ambassador on Monday over the incident.", "ACCUSE", "114",
     "GRC", "TUR", "asserted"),
    ("Japan lodged a formal diplomatic protest with Beijing on Monday.", "ACCUSE", "114",
     "JPN", None, "asserted"),
    # dismissing a claim rejects it
    ("Russia's foreign ministry dismissed the sanctions as unacceptable.", "REJECT", "12",
     "RUS", None, "asserted"),
    # announcing sanctions or aid enacts them; "announced talks" stays planned (elsewhere)
    ("Washington announced new penalties against senior Iranian officials on Monday.",
     "SANCTION", "163", "USA", "IRN", "asserted"),
    ("Britain announced $300 million in humanitarian aid for Sudan on Monday.", "AID", "07",
     "GBR", "SDN", "asserted"),
    # alerts; the mobilised force of a passive acts
    ("Seoul said its forces had been put on high alert.", "MOBILIZE", "151", "KOR", None,
     "asserted"),
    ("About 2,000 Indian soldiers were deployed along the border on Monday.", "MOBILIZE",
     "154", "IND", None, "asserted"),
    # a gerund with both sides after "between"
    ("Fighting between Ethiopian troops and Tigrayan forces raged on Monday.", "ASSAULT", "190",
     "ETH", None, "asserted"),
])
def test_more_general_patterns(coder, text, event_type, cameo, actor, recipient, modality):
    m = one(coder, text, event_type)
    assert m.cameo.startswith(cameo) and m.modality == modality
    assert actor in countries(m.actor), m.actor
    if recipient:
        assert recipient in countries(m.recipient), m.recipient


def test_a_possessive_pronoun_gives_its_owners_country(coder):
    m = one(coder, "Islamabad rejected the charge, with its foreign office accusing Indian "
                   "forces of opening fire first.", "ACCUSE")
    assert countries(m.actor) == {"PAK"} and countries(m.recipient) == {"IND"}


def test_air_strikes_are_no_shots_into_the_air(coder):
    m = one(coder, "The army launched a wave of air strikes on rebel positions near Idlib "
                   "on Monday.", "ASSAULT")
    assert m.mode == "aerial"


def test_who_is_asked_in_a_that_clause_is_the_recipient(coder):
    m = one(coder, "Vietnam on Monday demanded that China withdraw its survey ship from "
                   "the area.", "REQUEST")
    assert countries(m.actor) == {"VNM"} and countries(m.recipient) == {"CHN"}


@pytest.mark.parametrize("text, rejecter, accuser", [
    # the charge's owner named in it
    ("Minsk dismissed the Polish allegations as unfounded on Tuesday.", "BLR", "POL"),
    # else the article's last accuser
    ("Kenya's government accused Somalia of harbouring militants on Monday. Mogadishu "
     "rejected the charge on Tuesday.", "SOM", "KEN"),
])
def test_a_rejected_charge_answers_its_accuser(coder, text, rejecter, accuser):
    m = one(coder, text, "REJECT")
    assert countries(m.actor) == {rejecter} and countries(m.recipient) == {accuser}


def test_a_rejected_proposal_has_no_borrowed_recipient(coder):
    m = one(coder, "Kenya's government accused Somalia of harbouring militants on Monday. "
                   "Ethiopia rejected the proposal on Tuesday.", "REJECT")
    assert not m.recipient


def test_hours_later_takes_the_day_the_story_named(coder):
    text = ("Pakistani troops shelled Indian posts on Friday, an army spokesman said. "
            "Hours later India's foreign ministry summoned Pakistan's deputy high commissioner.")
    m = one(coder, text, "ACCUSE")
    assert (m.date, m.date_precision, m.date_text) == ("2023-03-10", "day", "Hours later")


def test_the_object_of_prompt_or_order_does_the_complement(coder):
    m = one(coder, "The ruling party's supporters attacked a protest camp in Colombo on Monday, "
                   "prompting angry crowds to set fire to the houses of politicians.", "ASSAULT")
    hits = [x for x in code(coder, "The verdict on Monday prompted angry crowds in Colombo to "
                                   "attack the courthouse.") if x.event_type == "ASSAULT"]
    assert hits and all(a.sector == "CVL" for x in hits for a in x.actor), hits
    assert m.actor


def test_supporters_of_the_ruling_party_are_an_actor(coder):
    m = one(coder, "Supporters of Sri Lanka's ruling party attacked a protest camp in "
                   "Colombo on Monday.", "ASSAULT")
    assert any(a.sector == "PTY" and a.country == "LKA" for a in m.actor), m.actor


@pytest.mark.parametrize("text, event_type, actor", [
    ("Joint patrols began under an agreement signed in Nairobi on Monday by the Kenyan "
     "interior minister.", "AGREE", "KEN"),
    ("The sanctions imposed on Iran by the United States last year hurt exports.", "SANCTION",
     "USA"),
])
def test_a_participle_with_an_agent_codes_its_noun(coder, text, event_type, actor):
    m = one(coder, text, event_type)
    assert actor in countries(m.actor)


def test_hostages_held_somewhere_are_no_arrest(coder):
    mentions = code(coder, "Relatives of hostages held in Gaza appealed to the Israeli "
                           "government on Monday.")
    assert not [m for m in mentions if m.event_type == "COERCE"]


def test_shared_intelligence_is_no_recipient(coder):
    m = one(coder, "Kenyan and Somali security agencies will share intelligence on militants, "
                   "officials said on Monday.", "COOPERATE")
    assert not [r for r in m.recipient if r.sector == "SPY"]


@pytest.mark.parametrize("text, country", [
    ("CARACAS — National Guard troops fired tear gas at opposition marchers in Caracas on "
     "Sunday.", "VEN"),
    ("National Guard troops fired tear gas at protesters in Minneapolis, Minnesota, on "
     "Sunday.", "USA"),
])
def test_a_national_guard_belongs_to_the_articles_country(coder, text, country):
    m = one(coder, text, "COERCE")  # tear gas fired: repression
    assert {a.country for a in m.actor} == {country} and m.actor[0].sector == "MIL"


@pytest.mark.parametrize("text, passes", [
    ("in march 2002 the officials wrote a letter", False),
    ("the report was published on 3rd march", False),
    ("students will march to parliament on friday", True),
    ("thousands took out a march to the collector's office", True),
])
def test_month_names_are_no_triggers_in_dates(coder, text, passes):
    assert coder.prefilter(text) is passes


@pytest.mark.parametrize("text, actor", [
    ("A suicide bomber blew himself up among people queuing for identity cards in Kabul on "
     "Sunday, killing dozens.", "suicide bomber"),
    ("Gunmen opened fire on villagers gathered near a market in Zamfara, killing 12.", "Gunmen"),
])
def test_a_comma_participle_acts_for_the_main_clause(coder, text, actor):
    """The parser hangs ", killing ..." on the participle that describes the victims ("people
    queuing"); the killing is still the main clause's: the victims are never its actor."""
    harm = [m for m in code(coder, text) if m.event_type == "ASSAULT"]
    assert harm
    assert all(actor in [a.text for a in m.actor] for m in harm), \
        [(m.trigger, [a.text for a in m.actor]) for m in harm]


def test_a_protesting_crowd_the_dictionaries_do_not_know_is_the_actor(coder):
    m = one(coder, "Thousands of Tibetan exiles marched in Dharamsala on Monday.", "PROTEST")
    assert [a.text for a in m.actor] == ["Thousands of Tibetan exiles"]
    assert m.actor[0].sector == "CVL"


def test_an_unknown_subject_makes_no_other_event(coder):
    # the crowd rule is a protest's: an unknown subject of an attack is still no actor
    assert not [m for m in code(coder, "Thousands of exiles shelled the old fort on Monday.")
                if m.event_type == "ASSAULT" and m.actor]


@pytest.mark.parametrize("text, event_type, countries", [
    ("Kazakh and Uzbek troops held joint exercises near Tashkent this week.", "COOPERATE",
     {"KAZ", "UZB"}),
    ("The presidents of Bosnia, Serbia and Croatia signed a peace agreement on Tuesday.",
     "AGREE", {"BIH", "SRB", "HRV"}),
    ("Israel, Hezbollah agree ceasefire", "AGREE", {"ISR", "LBN"}),
])
def test_every_coordinated_party_acts(coder, text, event_type, countries):
    assert countries <= countries_of(one(coder, text, event_type).actor)


def countries_of(refs):
    return {r.country for r in refs}


def test_a_guessed_country_is_not_the_one_addressed(coder):
    m = one(coder, "President Reagan warned Libya on Monday that the United States would "
                   "strike again.", "THREATEN")
    assert m.actor and m.actor[0].country != "LBY"
    assert countries_of(m.recipient) == {"LBY"}


@pytest.mark.parametrize("text, event_type", [
    ("Russia has massed more than 100,000 troops near Ukraine's borders.", "MOBILIZE"),
    ("Israel launched air strikes on Gaza on Monday.", "ASSAULT"),
])
def test_a_state_mobilising_or_striking_from_the_air_acts_through_its_military(coder, text,
                                                                                event_type):
    assert [a.sector for a in one(coder, text, event_type).actor] == ["MIL"]


def test_a_later_sentence_without_a_date_takes_the_storys_day(coder):
    art = Article(id="s", published=datetime(2002, 3, 17, tzinfo=timezone.utc),
                  text="lucknow: police arrested 12 activists near the site on saturday. the "
                       "party leader condemned the arrests. the activists will march to the "
                       "site on monday.")
    got = {m.event_type: m for m in coder.code_article(art)}
    assert (got["COERCE"].date, got["COERCE"].date_precision) == ("2002-03-16", "day")
    assert (got["ACCUSE"].date, got["ACCUSE"].date_precision) == ("2002-03-16", "story")
    assert got["PROTEST"].date == "2002-03-18" and got["PROTEST"].modality == "planned"


def test_a_lone_sentence_without_a_date_keeps_the_publication_day(coder):
    m = one(coder, "The party leader condemned the arrests.", "ACCUSE")
    assert m.date_precision == "publication" and m.date == "2023-03-15"


@pytest.mark.parametrize("text, place", [
    ("West of Kirkuk, two strikes destroyed a weapons cache.", "Kirkuk"),
    ("The shelling hit a market in Donetsk on Monday.", "Donetsk"),
])
def test_an_attack_with_no_side_named_stands_when_the_sentence_places_it(coder, text, place):
    m = one(coder, text, "ASSAULT")
    assert not m.actor and not m.recipient
    assert m.location is not None and m.location.name == place


@pytest.mark.parametrize("text", [
    "Two strikes destroyed a weapons cache.",  # nowhere said
    "A man stabbed his brother in Marseille after a quarrel.",  # a verb: someone acted
])
def test_no_sideless_attack_without_a_place_or_from_a_verb(coder, text):
    assert not [m for m in code(coder, text) if m.event_type == "ASSAULT" and not m.actor]


def test_a_name_the_dictionary_lacks_stays_in_the_actors_words(coder):
    m = one(coder, "Karen guerrillas attacked an army outpost on Monday.", "ASSAULT")
    assert m.actor and m.actor[0].text == "Karen guerrillas" and m.actor[0].sector == "REB"


@pytest.mark.parametrize("text", [
    "The opposition leader asked why the police had allowed the mob to gather.",
    "Speaking to reporters in Lagos, the governor praised the new budget plan.",
])
def test_questions_and_press_talk_are_no_request_or_meeting(coder, text):
    got = {m.event_type for m in code(coder, text)}
    assert "REQUEST" not in got and "CONSULT" not in got


def test_asking_someone_to_act_stays_a_request(coder):
    assert one(coder, "The UN asked Israel to explain why the convoy was hit.", "REQUEST")


def test_what_was_not_done_to_a_force_is_no_refusal(coder):
    m = one(coder, "Officials said the army has not been withdrawn from the border.", "RETREAT")
    assert m.negated
    refusal = one(coder, "Russia refused to withdraw its troops from the border.", "REJECT")
    assert refusal.actor and refusal.actor[0].country == "RUS"


def test_a_date_of_a_recalled_incident_does_not_date_the_event(coder):
    m = one(coder, "the state government decided to withdraw the cases against the men accused "
                   "in the station carnage on february 27.", "RETREAT")
    assert m.date_precision != "day" and m.date != "2023-02-27"


def test_a_proper_name_subject_the_dictionaries_lack_is_a_person_of_the_story(coder):
    art = Article(id="n", published=datetime(2002, 3, 17, tzinfo=timezone.utc),
                  text="lucknow: police arrested 12 activists in the city on saturday. "
                       "siddaramaiah condemned the arrests on sunday.")
    acc = [m for m in coder.code_article(art) if m.event_type == "ACCUSE"]
    assert acc and acc[0].actor and acc[0].actor[0].text == "siddaramaiah"
    assert acc[0].actor[0].country == "IND" and not acc[0].actor[0].sector


def test_a_date_in_a_clause_of_a_noun_does_not_date_the_event(coder):
    art = Article(id="d", published=datetime(2002, 3, 1, tzinfo=timezone.utc),
                  text="the government asked the leaders to co-operate in the light of their "
                       "threat to start an agitation from march 15.")
    m = [m for m in coder.code_article(art) if m.event_type == "REQUEST"][0]
    assert m.date == "2002-03-01" and m.date_precision != "day"


def test_a_guessed_country_does_not_hide_a_counterpart_of_that_country(coder):
    m = one(coder, "The minister will meet his Chinese counterpart on Monday.", "CONSULT")
    assert [r.country for r in m.recipient] == ["CHN"]
    assert all(a.country != "CHN" for a in m.actor)


@pytest.mark.parametrize("text", [
    "The scheme helps poor families meet election costs.",
    "Meetings of party workers would be held in all districts next week.",
])
def test_meeting_costs_and_holding_meetings_are_no_coercion(coder, text):
    got = {m.event_type for m in code(coder, text)}
    assert "COERCE" not in got and not ({"CONSULT"} & got and "costs" in text)


@pytest.mark.parametrize("text", [
    "Asked about the ceasefire, the minister said talks would continue.",
    "When asked to comment on the arrests, the governor declined.",
])
def test_a_reporters_question_is_no_request(coder, text):
    assert "REQUEST" not in {m.event_type for m in code(coder, text)}


def test_a_passive_request_to_a_named_party_stays(coder):
    m = one(coder, "Israel was asked to open the crossing.", "REQUEST")
    assert [r.country for r in m.recipient] == ["ISR"]


def test_a_body_the_dictionaries_lack_is_named_by_its_words(coder):
    art = Article(id="b", published=datetime(2002, 3, 7, tzinfo=timezone.utc),
                  text="mumbai: police arrested 20 people in the city on wednesday. the raza "
                       "academy criticised the arrests on thursday.")
    acc = [m for m in coder.code_article(art) if m.event_type == "ACCUSE"]
    assert acc and acc[0].actor and acc[0].actor[0].text == "raza academy"
    assert acc[0].actor[0].country == "IND"


@pytest.mark.parametrize("text", [
    "Typhoon Haiyan tore through the central Philippines on Friday, killing hundreds.",
    "The Soviet Union denounced the bombing on Tuesday.",
])
def test_storms_and_states_are_no_persons(coder, text):
    # neither is a person of some guessed country; the storm attacks no one
    for m in code(coder, text):
        assert m.event_type != "ASSAULT"
        assert not [a for a in m.actor if a.text in ("Typhoon Haiyan", "Soviet Union")
                    and a.sector is None]


def test_verbal_and_figurative_attacks_are_no_assault(coder):
    m = one(coder, "The opposition leader launched a scathing attack on the government on "
                   "Monday.", "ACCUSE")
    assert [r.sector for r in m.recipient] == ["GOV"]
    assert "ASSAULT" not in {m.event_type for m in code(
        coder, "Members of parliament termed the storming a direct attack on democracy.")}


def test_a_framing_participle_dates_the_clause(coder):
    m = one(coder, "Addressing a rally on Monday, the minister accused the opposition of "
                   "lying.", "ACCUSE")
    assert (m.date, m.date_precision) == ("2023-03-13", "day")


def test_a_recalled_incident_day_is_not_the_storys_day(coder):
    art = Article(id="s", published=datetime(2002, 3, 2, tzinfo=timezone.utc),
                  text="ahmedabad: violence has continued in the state since the train carnage "
                       "on february 27. the minister met the governor. the meeting was attended "
                       "by the home minister.")
    assert all(m.date != "2002-02-27" for m in coder.code_article(art))


def test_a_plain_past_negation_is_no_refusal(coder):
    m = one(coder, "The state government did not provide support to the army in time.", "AID")
    assert m.negated
    assert one(coder, "The government would not provide support to the army.", "REJECT")


@pytest.mark.parametrize("text", [
    "The expelled members joined the new party.",
    "The activist was admitted to a hospital in Delhi on Monday.",
])
def test_descriptions_are_no_events(coder, text):
    assert not {m.event_type for m in code(coder, text)} & {"COERCE", "CONCEDE"}


def test_a_dateline_inside_the_body_places_what_follows(coder):
    art = Article(id="r", published=datetime(2002, 3, 5, tzinfo=timezone.utc),
                  text="lucknow: party workers held a rally in the city on monday. our "
                       "correspondent adds from ayodhya: police arrested ten activists.")
    got = {m.event_type: m for m in coder.code_article(art)}
    assert got["PROTEST"].location.name == "Lucknow"
    assert got["COERCE"].location.name == "Ayodhya"


def test_taking_out_a_procession_is_a_protest(coder):
    m = one(coder, "Thousands of students took out a procession in Patna on Monday.", "PROTEST")
    assert m.location is not None and m.location.name == "Patna"


def test_a_dated_nouns_date_is_not_the_verbs_but_its_clauses(coder):
    m = one(coder, "The party faulted the March 3 order on two counts.", "ACCUSE")
    assert m.date_precision != "day"
    m = one(coder, "He recalled the incident in 1921 when a mob had burnt down a police "
                   "station.", "ASSAULT")
    assert (m.date, m.date_precision) == ("1921-01-01", "year")


def test_he_refers_back_to_a_name_the_dictionaries_lack(coder):
    art = Article(id="h", published=datetime(2002, 3, 10, tzinfo=timezone.utc),
                  text="new delhi: prime minister atal bihari vajpayee met the governor on "
                       "monday. malkani criticised the vhp on tuesday. he also accused the "
                       "government of creating the situation.")
    acc = [m for m in coder.code_article(art) if m.trigger == "accused"]
    assert acc and acc[0].actor and acc[0].actor[0].name == "malkani"
    assert acc[0].actor[0].sector is None


@pytest.mark.parametrize("text", [
    "Three companies were found hosting the ministry's websites.",
    "The shooter shot his way to a bronze medal in the 10-metre air rifle final.",
])
def test_hosting_websites_and_shooting_medals_are_no_events(coder, text):
    assert not code(coder, text)


@pytest.mark.parametrize("text, want", [
    ("The Soviet Union on Tuesday denounced the bombing of Libya.", "SUN"),
    ("Yugoslav army troops shelled the town of Vukovar.", "YUGMIL"),
])
def test_states_of_the_past_are_actors(coder, text, want):
    assert want in {a.code for m in code(coder, text) for a in m.actor}


def test_apprehending_a_danger_is_no_arrest(coder):
    assert not code(coder, "Party leaders are apprehending a backlash from their supporters.")
    assert one(coder, "Police apprehended three suspects in Lagos.", "COERCE")


def test_the_story_day_is_the_day_a_statement_was_made(coder):
    # a failed vote on Thursday told in passing; the statement to reporters was on Friday
    mentions = code(coder, "pune: the trade union leader asked parties to reject the new bill. the "
                           "bill, which failed in the upper house on thursday, will come back next "
                           "month. \"the law will be misused against workers,\" he told reporters "
                           "here on friday. the union also demanded an apology from the minister.",
                    day(2002, 3, 23))
    got = {m.event_type: m for m in mentions}
    assert (got["REQUEST"].date, got["REQUEST"].date_precision) == ("2002-03-22", "story")


def test_a_quotes_future_does_not_make_the_telling_planned():
    from dateline.coding.dates import DateResolver

    refs = DateResolver().find("\"The law will be misused,\" he told reporters on Friday.",
                               date(2002, 3, 23))
    assert [(r.date.isoformat(), r.planned) for r in refs] == [("2002-03-22", False)]


def test_a_definite_event_noun_takes_the_day_an_earlier_sentence_gave_it(coder):
    mentions = code(coder, "delhi: gunmen attacked a bus near the border on february 27. tension "
                           "stayed high in the region. on friday, a peace rally was held in the "
                           "capital. police dispersed the rally with batons.",
                    day(2002, 3, 2))
    days = {m.trigger: m.date for m in mentions}
    assert days.get("dispersed") == "2002-03-01", days


def test_an_undated_act_in_the_sentence_that_named_the_storys_day_takes_it(coder):
    mentions = code(coder, "lucknow: even as the minister claimed that the state had sought army "
                           "deployment, governor shastri on saturday vehemently denied it. \u2018\u2018we "
                           "have only asked the army to be ready,\u2019\u2019 he said, and criticised the "
                           "minister.",
                    day(2002, 3, 11))
    got = {m.event_type: m for m in mentions}
    assert (got["ACCUSE"].date, got["ACCUSE"].date_precision) == ("2002-03-09", "story")


def test_calling_on_someone_is_a_visit_unless_they_are_asked_to_act(coder):
    assert {m.event_type for m in code(coder, "The interior minister called on the governor "
                                               "at his residence.")} <= {"CONSULT"}
    m = one(coder, "The opposition called on the government to resign.", "REQUEST")
    assert m.trigger == "called"


def test_the_consequent_of_a_condition_is_no_report(coder):
    m = one(coder, "If the court bans the rally, the police are free to arrest the leaders.",
            "COERCE")
    assert m.modality == "conditional"


def test_displeasure_expressed_is_disapproval_and_the_light_verb_no_event_of_its_own(coder):
    got = code(coder, "The party expressed disappointment over the court's verdict.")
    assert [(m.event_type, m.trigger) for m in got] == [("ACCUSE", "disappointment")]
    assert not code(coder, "The minister described the bombing as most unfortunate.") or all(
        m.trigger != "described" for m in code(coder, "The minister described the bombing "
                                                       "as most unfortunate."))


def test_in_lower_cased_text_known_names_are_read_as_names(coder):
    # "modi" alone looks like a verb to the tagger; the dictionary knows the name
    m = one(coder, "ahmedabad: modi asked the police to act firmly against rioters.", "REQUEST")
    assert [a.code for a in m.actor] == ["INDGOV"]


def test_in_lower_cased_text_a_run_of_unknown_words_as_subject_is_a_person(coder):
    mentions = code(coder, "bangalore: vishwesha theertha swamiji on sunday appealed to the vhp to "
                           "defer the agitation. he, however, urged the centre to hand over the land.",
                    day(2002, 3, 11))
    got = [m for m in mentions if m.trigger == "urged"]
    assert got and [a.country for a in got[0].actor] == ["IND"]
    # common words are no name: "violence", "tension" never become actors
    assert not [m for m in code(coder, "ahmedabad: communal tension gripped the city.")
                if any(a.text == "communal tension" for a in m.actor)]


def test_these_organisations_are_the_bodies_named_before(coder):
    mentions = code(coder, "MUMBAI — The Raza Academy urged the state to pay compensation. These "
                           "organisations have also demanded a judicial probe into the violence.",
                    day(2002, 3, 11))
    got = [m for m in mentions if m.trigger == "demanded"]
    assert got and [a.country for a in got[0].actor] == ["IND"]


def test_i_in_a_quote_is_the_speaker_named_before(coder):
    mentions = code(coder, "Home Minister L K Advani met the governor. \"I have asked the police to "
                           "act firmly,\" he said.",
                    day(2002, 3, 11))
    m = next(m for m in mentions if m.event_type == "REQUEST")
    assert [a.code for a in m.actor] == ["INDGOV"]


def test_who_a_harm_participle_describes_suffered_it(coder):
    m = one(coder, "Five villagers killed in the attack were buried on Sunday.", "ASSAULT")
    assert [r.text for r in m.recipient] == ["villagers"] and not m.actor
    m = one(coder, "Five villagers killed by the militants were buried on Sunday.", "ASSAULT")
    assert [r.text for r in m.recipient] == ["villagers"] and [a.text for a in m.actor] == [
        "militants"]


def test_whose_resignation_is_demanded_is_the_recipient(coder):
    m = one(coder, "The opposition demanded the resignation of the home minister.", "REQUEST")
    assert [r.text for r in m.recipient] == ["home minister"]


def test_one_attack_told_by_its_noun_and_its_verb_is_one_mention(coder):
    got = [m for m in code(coder, "A U.S. strike on Monday hit two militant vehicles near "
                                  "Idlib, the Pentagon said.") if m.event_type == "ASSAULT"]
    assert len(got) == 1 and [a.country for a in got[0].actor] == ["USA"]


def test_people_around_an_act_are_not_who_is_held(coder):
    assert not [m for m in code(coder, "Secret talks had been held near Oslo between Israeli and "
                                       "Palestinian officials.") if m.event_type == "COERCE"]
    assert one(coder, "Three activists were held by police on Monday.", "COERCE")


def test_a_noun_pointing_back_to_an_attack_is_no_new_one(coder):
    assert not code(coder, "This attack once again shows the brutality of the militants.")
    assert one(coder, "An attack on the convoy killed five soldiers.", "ASSAULT")


@pytest.mark.parametrize("text", [
    "What action has the ministry taken to investigate these reports?",
    "Will the army attack the town again?",
])
def test_a_direct_question_asserts_nothing(coder, text):
    assert not code(coder, text)


def test_a_crossing_the_tagger_reads_as_a_participle_is_still_the_object(coder):
    m = one(coder, "Israel reopened the Kerem Shalom crossing into Gaza on Sunday.", "CONCEDE")
    assert [a.code for a in m.actor] == ["ISR"] or m.actor[0].country == "ISR"


def test_a_day_that_ends_a_period_dates_no_act(coder):
    mentions = code(coder, "ahmedabad: the accused was remanded to police custody till april 1.",
                    day(2002, 3, 17))
    m = next(m for m in mentions if m.event_type == "COERCE")
    assert m.date != "2002-04-01" and m.modality == "asserted"


def test_asked_after_a_quoted_question_is_no_request(coder):
    assert not [m for m in code(coder, "\"How can the staff foresee such trouble?\" asked the "
                                       "railway minister.") if m.event_type == "REQUEST"]
    assert one(coder, "The minister asked the police to act firmly.", "REQUEST")


def test_whose_thing_is_rejected_is_the_recipient(coder):
    m = one(coder, "Iran rejected Washington's proposal on Monday.", "REJECT")
    assert [r.country for r in m.recipient] == ["USA"]


def test_a_name_after_a_title_in_lower_cased_text_is_read_as_a_name(coder):
    # "shastri" alone reads as a verb; after "governor" it is the governor's name
    mentions = code(coder, "lucknow: the minister met uttar pradesh governor vishnukant shastri on "
                           "monday.",
                    day(2002, 3, 11))
    m = next(m for m in mentions if m.event_type == "CONSULT")
    assert [r.code for r in m.recipient] == ["INDGOV"]
    m = one(coder, "lucknow: the police arrested two persons on sunday.", "COERCE")
    assert [r.sector for r in m.recipient] == ["CVL"]
