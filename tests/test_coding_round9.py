"""Coder rules of the ninth session, each class with sentences written for it."""

from __future__ import annotations

from datetime import datetime, timezone

from coding_fixtures import code, first


def test_a_person_the_dictionary_names_keeps_its_country_beside_its_own_people(coder):
    # a recipient of the same country does not make the person's country a guess
    m = first(coder, "Barack Obama eased curbs on Cuban-Americans visiting relatives on "
                     "Monday.", "CONCEDE", datetime(2009, 4, 14, tzinfo=timezone.utc))
    assert (m.actor[0].country, m.actor[0].sector) == ("USA", "GOV")
    # a title whose country is the article's guess still gives way ("the President warned
    # Libya" in a story from Washington: not Libya's president)
    m = first(coder, "WASHINGTON (Reuters) - The president warned Libya on Monday against "
                     "new attacks.", "THREATEN")
    assert m.actor[0].country != "LBY"


def test_generic_actors_take_the_country_of_the_places_named(coder):
    # no country word and no dateline: the place says whose troops these are
    m = first(coder, "Soldiers stormed two monasteries in Mandalay overnight and detained "
                     "dozens of monks.", "COERCE")
    assert (m.actor[0].country, m.actor[0].sector) == ("MMR", "MIL")
    # but an unknown name does not become an actor of that country
    assert not [e for e in code(coder, "Exxon and Mobil agreed to merge on Tuesday in a deal "
                                       "struck in Mobile.") if e.event_type == "AGREE"
                and e.actor and e.actor[0].country]


def test_a_country_adjective_on_force_words_is_its_military(coder):
    m = first(coder, "Israeli shelling killed three fishermen off the coast of Gaza on "
                     "Sunday.", "ASSAULT")
    assert (m.actor[0].country, m.actor[0].sector) == ("ISR", "MIL")
    m = first(coder, "Greek and Turkish naval vessels held a joint drill in the Aegean on "
                     "Friday.", "COOPERATE")
    assert {(a.country, a.sector) for a in m.actor} == {("GRC", "MIL"), ("TUR", "MIL")}
    # a state's own name stays the state
    m = first(coder, "Russia shelled the outskirts of Kharkiv on Tuesday.", "ASSAULT")
    assert m.actor[0].country == "RUS" and m.actor[0].sector != "MIL"


def test_a_crowd_named_by_its_nationality_protests_as_civilians(coder):
    m = first(coder, "Thousands of Georgians rallied outside parliament in Tbilisi on "
                     "Sunday against the foreign agents bill.", "PROTEST")
    assert (m.actor[0].country, m.actor[0].sector) == ("GEO", "CVL")


def test_a_threat_falls_on_the_object_of_the_threatened_act(coder):
    m = first(coder, "Kidnappers threatened on Sunday to behead three Korean aid workers "
                     "unless Seoul withdrew its troops.", "THREATEN")
    assert "KOR" in {r.country for r in m.recipient}
    m = first(coder, "Police in Bangkok warned that protesters who blocked the airport would "
                     "be prosecuted.", "THREATEN")
    assert any(r.text == "protesters" for r in m.recipient)


def test_force_used_to_disperse_a_crowd_falls_on_the_crowd(coder):
    m = first(coder, "Police fired tear gas to disperse hundreds of opposition supporters "
                     "outside the election board in Lusaka on Monday.", "COERCE")
    assert any(r.sector == "OPP" for r in m.recipient)


def test_aid_goes_to_the_country_it_is_sent_or_delivered_to(coder):
    m = first(coder, "Japan sends rice to Bangladesh after the cyclone", "AID")
    assert "BGD" in {r.country for r in m.recipient}
    m = first(coder, "Turkey opened a field hospital in Mogadishu on Sunday and began "
                     "distributing food to families.", "AID")
    assert {r.country for r in m.recipient} == {"SOM"}


def test_a_full_name_the_dictionary_lacks_is_the_person_arrested(coder):
    m = first(coder, "Kenyan police arrested Boniface Mwangi outside parliament on "
                     "Thursday.", "COERCE")
    assert any(r.text.endswith("Boniface Mwangi") and r.country == "KEN" for r in m.recipient)


def test_a_headline_verb_tagged_as_a_noun_keeps_its_subject(coder):
    m = first(coder, "Tens of thousands rally in Yerevan against border deal", "PROTEST")
    assert m.actor and m.actor[0].sector == "CVL"


def test_a_grand_jury_is_a_court(coder):
    m = first(coder, "A federal grand jury indicted the former senator on bribery charges on "
                     "Friday.", "ACCUSE")
    assert m.actor and m.actor[0].sector == "JUD"


def test_a_headline_verb_with_subject_and_object_is_a_verb(coder):
    m = first(coder, "Gunmen storm Kabul hotel, eight dead", "ASSAULT")
    assert m.trigger == "storm" and m.actor


def test_a_headline_drops_the_were_of_a_verb_that_needs_an_object(coder):
    m = first(coder, "Dozens killed as car bomb hits Mogadishu market", "ASSAULT")
    assert not any(a.text.lower() == "dozens" for a in m.actor)
    m = first(coder, "Six soldiers wounded in ambush near Kandahar", "ASSAULT")
    assert not m.actor and m.recipient and m.recipient[0].sector == "MIL"
    # an active verb with its object is as it was
    m = first(coder, "Militants killed six soldiers near Kandahar on Monday.", "ASSAULT")
    assert m.actor[0].sector in ("INS", "REB") and m.recipient[0].sector == "MIL"


def test_an_order_to_ones_own_people_is_the_act_of_who_gave_it(coder):
    m = first(coder, "The president told his defence minister to move three battalions to the "
                     "northern border on Sunday.", "MOBILIZE")
    assert m.trigger == "move"
    # an order to another party is not its act
    assert not [e for e in code(coder, "The court ordered the government to release the "
                                       "prisoners on Monday.") if e.event_type == "CONCEDE"]


def test_an_act_told_as_before_in_a_clause_describing_a_noun_is_no_new_event(coder):
    found = code(coder, "Iran released the two British sailors it captured in the Gulf a month "
                        "ago, state television said on Friday.")
    assert "ASSAULT" not in [m.event_type for m in found]
    found = code(coder, "The rebels freed three nurses they had abducted in March.")
    assert "ASSAULT" not in [m.event_type for m in found]
    # a crowd that had gathered is still there: its protest stands
    m = first(coder, "Police fired tear gas at hundreds of opposition supporters who had "
                     "gathered outside the election board in Lusaka on Monday.", "PROTEST")
    assert m.actor


def test_permission_to_use_force_is_not_its_use(coder):
    found = code(coder, "The president said he had authorised security forces to shoot "
                        "looters on sight.")
    assert "ASSAULT" not in [m.event_type for m in found]


def test_weather_and_markets_hitting_a_city_are_no_attack(coder):
    for text in ("A cold snap hit Kyiv on Sunday, with temperatures plunging to minus 20 C.",
                 "The league leaders stormed back to beat their rivals in the derby, the coach "
                 "said."):
        assert "ASSAULT" not in [m.event_type for m in code(coder, text)]


def test_a_lower_case_surname_that_speaks_is_a_person(coder):
    text = ("lucknow: demanding a ban on the outfit, siddiqui said the land should be handed "
            "over to the army.")
    m = first(coder, text, "REQUEST", datetime(2002, 3, 10, tzinfo=timezone.utc))
    assert m.actor and m.actor[0].text == "siddiqui" and m.actor[0].country == "IND"


def test_a_crowd_that_disperses_by_itself_is_not_coerced(coder):
    found = code(coder, "The crowd dispersed peacefully after the speeches on Sunday.")
    assert "COERCE" not in [m.event_type for m in found]
    m = first(coder, "Police dispersed the crowd with batons on Sunday.", "COERCE")
    assert m.recipient


def test_indian_english_sanction_approves_money_and_prices_shoot_up(coder):
    m = first(coder, "The state government sanctioned Rs 50 lakh for the relief camps on "
                     "Monday.", "AID")
    assert m.actor
    # sanctions on a state's companies stay sanctions
    m = first(coder, "The United States sanctioned three Iranian companies on Monday.", "SANCTION")
    assert m.recipient and m.recipient[0].country == "IRN"
    found = code(coder, "Tomato prices have shot up to Rs 18 a kilo in two days.")
    assert "ASSAULT" not in [m.event_type for m in found]


def test_the_past_perfect_outside_reported_speech_has_no_day_of_its_own(coder):
    pub = datetime(2002, 3, 21, tzinfo=timezone.utc)
    text = ("ahmedabad: the collector said the police had arrested 12 persons. when riots "
            "flared last month, he had warned the rioters of strict action. the mob had "
            "burnt three shops, police said.")
    found = {m.trigger: m for m in code(coder, text, pub)}
    assert found["warned"].date is None
    assert found["arrested"].date is not None  # the tense of reporting
    assert found["burnt"].date is not None  # a reporting tail: the same


def test_a_meeting_held_in_a_place_is_placed_there(coder):
    pub = datetime(2002, 3, 21, tzinfo=timezone.utc)
    m = first(coder, "lucknow: the vhp leaders are holding a meeting in ayodhya to decide the "
                     "next step.", "CONSULT", pub)
    assert m.location is not None and m.location.name == "Ayodhya"


def test_places_in_the_object_and_at_gatherings(coder):
    m = first(coder, "Police arrested three suspects in Kandahar on Monday.", "COERCE")
    assert m.location is not None and m.location.text == "Kandahar"
    m = first(coder, "Soldiers rounded up dozens of men in Nairobi's slums on Tuesday.", "COERCE")
    assert m.location is not None and m.location.name == "Nairobi"
    m = first(coder, "The president accepted a peace plan presented by his French counterpart "
                     "at talks in Moscow on Tuesday.", "AGREE")
    assert m.location is not None and m.location.name == "Moscow"
    # a place of something the object tells of is still not where the act happened
    found = code(coder, "The court withdrew the charges against the suspects in the Godhra "
                        "carnage on Monday.")
    assert all(m.location is None or m.location.name != "Godhra" for m in found)


def test_a_body_named_by_its_own_kind_is_not_the_state_of_the_place(coder):
    # no country word: "Soldiers" near Mandalay are Myanmar's, "Karen fighters" are not
    m = first(coder, "Karen fighters attacked an outpost near Myawaddy on Sunday.", "ASSAULT")
    assert m.actor and m.actor[0].country != "MMR"


def test_a_day_of_the_month_alone_and_undated_plans(coder):
    pub = datetime(2002, 3, 2, tzinfo=timezone.utc)
    m = first(coder, "ahmedabad: early on the 28th, mobs torched shops in the old city.",
              "ASSAULT", pub)
    assert m.date == "2002-02-28"
    m = first(coder, "lucknow: the party said it will support the government in future.",
              "SUPPORT", pub)
    assert m.modality == "planned" and m.date is None and m.date_precision == "unknown"


def test_protesters_burning_property_riot(coder):
    m = first(coder, "Protesters set fire to the governor's office in Osh on Friday.", "PROTEST")
    assert m.mode == "riot"
    # a mob torching homes is still an attack
    assert "ASSAULT" in [e.event_type for e in code(
        coder, "A mob torched twenty homes in the village on Sunday.")]


def test_fighting_a_plan_or_for_a_cause_is_no_fighting(coder):
    for text in ("Dock workers fought the government's plan to privatise the ports.",
                 "Separatists fighting for an independent homeland held a rally on Sunday."):
        assert "ASSAULT" not in [m.event_type for m in code(coder, text)]


def test_handing_over_suspected_members_is_judicial_cooperation(coder):
    m = first(coder, "Spain handed over two suspected members of the group to French police on "
                     "Tuesday.", "COOPERATE")
    assert m.cameo.startswith("063")


def test_a_joint_offensive_is_also_cooperation(coder):
    found = {m.event_type for m in code(coder, "Kenyan and Somali troops launched a joint "
                                               "offensive against al-Shabaab near Kismayo on "
                                               "Monday.")}
    assert {"ASSAULT", "COOPERATE"} <= found
    # one country's offensive is no cooperation
    found = {m.event_type for m in code(coder, "Kenyan troops launched an offensive against "
                                               "al-Shabaab near Kismayo on Monday.")}
    assert "COOPERATE" not in found


def test_censorship_by_cutting_lines_and_boycotts_by_lawyers(coder):
    m = first(coder, "Authorities cut internet and phone lines across the region on Monday.",
              "COERCE")
    assert m.cameo.startswith("172")
    m = first(coder, "Lawyers across the country boycotted the courts on Monday.", "PROTEST")
    assert m.actor and m.actor[0].sector == "CVL"
    m = first(coder, "Residents of the township extended their boycott of white-owned shops.",
              "PROTEST")
    assert m.mode == "boycott"


def test_troops_rushed_or_ordered_somewhere_are_deployed(coder):
    m = first(coder, "Thailand rushed 2,000 troops and artillery to its eastern border on "
                     "Tuesday.", "MOBILIZE")
    assert m.actor and m.actor[0].country == "THA"
    m = first(coder, "The president ordered two battalions to the northern border on Sunday.",
              "MOBILIZE")
    assert m.trigger == "ordered"
    m = first(coder, "The government called in the army on Friday to guard the parliament.",
              "MOBILIZE")
    # an order to open fire is the firing, not a deployment
    found = [e.event_type for e in code(coder, "The governor ordered troops to open fire on "
                                               "the rioters.")]
    assert "MOBILIZE" not in found and "ASSAULT" in found


def test_an_act_of_he_or_she_stands_when_no_one_named_before_fits(coder):
    m = first(coder, "Denying all the allegations, he said he had never met the contractor.",
              "REJECT")
    assert m.actor == []


def test_weighing_an_act_and_accidents_with_vehicles(coder):
    found = code(coder, "The president weighs a punitive strike against the rebels' bases.")
    assert "ASSAULT" not in [m.event_type for m in found]
    found = code(coder, "Two students were killed by a speeding bus in the capital on Sunday.")
    assert "ASSAULT" not in [m.event_type for m in found]
    # gunfire is no accident
    m = first(coder, "Three farmers were killed by army fire near the border on Wednesday.",
              "ASSAULT")
    assert m.recipient


def test_the_condition_of_a_threat_is_no_act(coder):
    found = code(coder, "Washington threatened Tokyo with tariffs on Saturday unless Japan opens "
                        "its rice market.")
    assert [m.event_type for m in found] == ["THREATEN"]
    # a condition elsewhere keeps its documented modality
    found = code(coder, "If the talks fail, the rebels will attack the capital, their commander "
                        "said.")
    assert all(m.modality != "asserted" for m in found if m.event_type == "ASSAULT")


def test_hijacking_a_programme_is_a_metaphor(coder):
    found = code(coder, "Party leaders said the militants had hijacked the peace process.")
    assert "ASSAULT" not in [m.event_type for m in found]
    m = first(coder, "Gunmen hijacked an airliner over the Arabian Sea on Friday.", "ASSAULT")
    assert m.mode == "abduct"


def test_in_case_sets_a_condition(coder):
    m = first(coder, "Copies were bound together in case the court asked for them.", "REQUEST")
    assert m.modality == "conditional"


def test_the_centre_is_never_the_court_named_before(coder):
    text = ("new delhi: the supreme court heard the petition on monday. the centre has asked "
            "for a day-to-day hearing on the ayodhya issue, he said.")
    m = first(coder, text, "REQUEST", datetime(2002, 3, 10, tzinfo=timezone.utc))
    assert (m.actor[0].country, m.actor[0].sector) == ("IND", "GOV")
