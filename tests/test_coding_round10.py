"""Coder rules of the tenth session, each class with sentences written for it."""

from __future__ import annotations

from coding_fixtures import code, first


def test_a_first_name_the_parse_made_a_modifier_is_the_subject(coder):
    m = first(coder, "Greece massed troops along its border with Turkey on Sunday.", "MOBILIZE")
    assert (m.actor[0].country, m.actor[0].sector) == ("GRC", "MIL")
    # a name after a preposition stays no subject
    assert not [e for e in code(coder, "In Athens, massed troops paraded on Sunday.")
                if e.event_type == "MOBILIZE" and e.actor and e.actor[0].country == "GRC"
                and e.actor[0].text == "Athens"]


def test_gendarmes_flown_in_are_troops(coder):
    m = first(coder, "France flew 400 gendarmes into Martinique on Friday.", "MOBILIZE")
    assert m.actor[0].country == "FRA"


def test_what_a_passive_imposed_is_no_recipient(coder):
    m = first(coder, "A curfew was imposed on Hyderabad on Sunday.", "COERCE")
    assert m.recipient == [] and m.location is not None and m.location.name == "Hyderabad"


def test_an_attack_told_by_its_victim_stands_with_no_attacker(coder):
    m = first(coder, "Two traders were shot dead in Peshawar on Sunday night.", "ASSAULT")
    assert m.actor == [] and m.location.name == "Peshawar"
    m = first(coder, "The ministry named the officer who was killed in Kandahar on Monday.",
              "ASSAULT")
    assert m.location.name.startswith("Kandah")
    m = first(coder, "Four buses were set on fire in Lahore on Friday.", "ASSAULT")
    assert m.mode == "arson"


def test_a_victim_passive_needs_a_place_and_no_accident(coder):
    # no place in the sentence: no event with neither side
    assert "ASSAULT" not in [e.event_type for e in code(coder, "Two men were shot dead.")]
    # harm without an agent is no attack
    assert "ASSAULT" not in [e.event_type for e in code(
        coder, "Two people were killed in a road accident in Peshawar on Sunday.")]
    # a thing broken is no victim
    assert "ASSAULT" not in [e.event_type for e in code(
        coder, "The bridge was damaged in Peshawar on Sunday.")]


def test_forces_that_move_into_a_place_are_deployed(coder):
    m = first(coder, "Hundreds of riot police poured into Urumqi on Tuesday.", "MOBILIZE")
    assert (m.actor[0].country, m.actor[0].sector) == ("CHN", "COP")
    m = first(coder, "Armoured vehicles rolled into the centre of Minsk on Monday.", "MOBILIZE")
    assert m.location is not None and not [r for r in m.recipient if "centre" in r.text]
    # crowds and trucks that pour or roll in are no deployment
    for text in ("Thousands of pilgrims poured into Karbala on Tuesday.",
                 "Trucks carrying flour rolled into Gaza on Tuesday."):
        assert "MOBILIZE" not in [e.event_type for e in code(coder, text)], text


def test_the_centre_of_a_city_is_no_government(coder):
    m = first(coder, "Riot police fired tear gas in the centre of Dhaka on Monday.", "COERCE")
    assert not [r for r in m.recipient if r.sector == "GOV"]


def test_a_phrase_of_why_is_not_what_is_sent(coder):
    # "send a request" is no deployment; "send troops ... at the request of" is one
    m = first(coder, "Kenya sent troops to Haiti at the request of its government on Monday.",
              "AID")
    assert m.cameo == "074" and m.actor[0].country == "KEN"
    assert "MOBILIZE" not in [e.event_type for e in code(
        coder, "The minister sent a letter to the governor at the request of the party.")]


def test_troops_sent_to_help_fight_are_still_deployed(coder):
    m = first(coder, "Niger sent troops into northern Nigeria on Friday to help fight Boko "
                     "Haram.", "MOBILIZE")
    assert m.actor[0].country == "NER"


def test_a_party_leader_out_of_office_speaks_for_the_party(coder):
    from datetime import datetime, timezone
    m = first(coder, "Samajwadi Party chief Mulayam Singh Yadav accused the BJP of inciting "
                     "riots.", "ACCUSE", datetime(2002, 3, 10, tzinfo=timezone.utc))
    assert m.actor[0].sector == "PTY"
    # a second party of the same code is still the recipient
    assert [(r.code, r.text) for r in m.recipient] == [("INDPTY", "BJP")]


def test_we_in_a_quote_is_the_speaker_after_it(coder):
    m = first(coder, '"We condemn the firing on the pilgrims," Shiv Sena chief Bal Thackeray '
                     'said on Sunday.', "ACCUSE")
    assert (m.actor[0].country, m.actor[0].sector) == ("IND", "PTY")
    # a quote with no speaker named keeps its actor unknown
    m = first(coder, '"We condemn the firing on the pilgrims," he said on Sunday.', "ACCUSE")
    assert m.actor == []


def test_taking_over_as_an_office_is_no_seizure(coder):
    assert "ASSAULT" not in [e.event_type for e in code(
        coder, "Justice R K Shah has taken over as acting chief justice of the high court.")]
    m = first(coder, "Rebels took over the town of Bunia on Sunday.", "ASSAULT")
    assert m.actor[0].sector == "REB"


def test_informing_hands_over_to_what_is_told(coder):
    found = code(coder, "The sources informed that police had arrested 12 people in Surat on "
                        "Sunday.")
    assert [e.trigger for e in found if e.event_type == "COERCE"] == ["arrested"]


def test_what_a_thing_holds_anchors_no_proposed_event(coder):
    # the detector reads an accusation into a report's words; "contains" is no act to anchor
    # it on (before the tenth session: ACCUSE 'contains')
    text = ("The state government's report to the human rights commission, sent on Saturday, "
            "contains a list of the riots and the reasons they broke out after the train "
            "burning.")
    assert not [e for e in code(coder, text) if e.trigger == "contains"]


def test_a_failure_told_by_someone_else_is_also_their_accusation(coder):
    from datetime import datetime, timezone
    found = code(coder, "Gowda said the Gujarat government had failed to prevent the Godhra "
                        "carnage.", datetime(2002, 3, 10, tzinfo=timezone.utc))
    coerce = [m for m in found if m.event_type == "COERCE"]
    accuse = [m for m in found if m.event_type == "ACCUSE"]
    assert coerce and coerce[0].negated
    assert accuse and [r.code for r in accuse[0].recipient] == ["INDGOV"]
    assert accuse[0].actor[0].text == "Gowda" and not accuse[0].negated
    # a failure told with no one else speaking accuses no one
    assert "ACCUSE" not in [m.event_type for m in code(
        coder, "The police failed to control the mob in Ahmedabad on Sunday.")]
