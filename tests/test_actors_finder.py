"""ActorFinder: phrases, composition, case, offsets (real packaged dictionaries)."""

from __future__ import annotations

from datetime import date

import pytest
from actors_fixtures import ALEPPO_DAY, dictionary, finder, one, spans  # noqa: F401

from dateline.coding.actors import KINDS


@pytest.mark.parametrize("text, code, country, sector, kind", [
    ("Syria's army", "SYRMIL", "SYR", "MIL", "sector"),
    ("Syrian army", "SYRMIL", "SYR", "MIL", "sector"),
    ("the Syrian army", "SYRMIL", "SYR", "MIL", "sector"),
    ("Syria's foreign ministry", "SYRGOV", "SYR", "GOV", "sector"),
    # an attribute between the possessive and the sector noun keeps one phrase
    ("Mali's transitional government", "MLIGOV", "MLI", "GOV", "sector"),
    ("Ethiopia's federal forces", "ETHMIL", "ETH", "MIL", "sector"),
    ("Russian jets", "RUSMIL", "RUS", "MIL", "sector"),
    ("US troops", "USAMIL", "USA", "MIL", "sector"),
    ("U.S. officials", "USAGOV", "USA", "GOV", "sector"),
    ("US-led coalition", "USAMIL", "USA", "MIL", "group"),
    ("Saudi-led coalition", "SAUMIL", "SAU", "MIL", "sector"),
    ("Israeli police", "ISRCOP", "ISR", "COP", "sector"),
    ("Moscow police", "RUSCOP", "RUS", "COP", "sector"),
    ("forces loyal to President Bashar al-Assad", "SYRMIL", "SYR", "MIL", "sector"),
    ("Foreign Minister Sergei Lavrov", "RUSGOV", "RUS", "GOV", "person"),
    ("US Secretary of State John Kerry", "USAGOV", "USA", "GOV", "person"),
    ("Moscow", "RUSGOV", "RUS", "GOV", "capital"),
    ("Washington", "USAGOV", "USA", "GOV", "capital"),
    ("Russia", "RUS", "RUS", "GOV", "country"),
    ("UN Security Council", "IGOUNO", None, "IGO", "group"),
    ("the Syrian Observatory for Human Rights", "SYRNGO", "SYR", "NGO", "group"),
    ("Nureddin al-Zinki faction", "SYRREB", "SYR", "REB", "group"),
    ("Hezbollah fighters", "LBNINS", "LBN", "INS", "group"),
    ("Houthi rebels", "YEMREB", "YEM", "REB", "group"),
    ("the Islamic State", "IMGMUSISI", None, "INS", "group"),
    ("ISIS militants", "IMGMUSISI", None, "INS", "group"),
    ("Assad regime", "SYRGOV", "SYR", "GOV", "sector"),
    ("Assad's forces", "SYRMIL", "SYR", "MIL", "sector"),
    ("spokesman for the Free Syrian Army", "SYRREB", "SYR", "REB", "title"),
    ("the people of Syria", "SYRCVL", "SYR", "CVL", "sector"),
    ("refugees from Syria", "SYRREF", "SYR", "REF", "sector"),
    ("Syrians", "SYR", "SYR", None, "adjective"),
    ("NATO troops", "IGONAT", None, "IGO", "group"),
    ("UN peacekeepers", "IGOUNO", None, "IGO", "group"),
    ("Wagner Group", "RUSUAF", "RUS", "UAF", "group"),
    ("the White House", "USAGOV", "USA", "GOV", "group"),
    ("Pakistan's Foreign Office", "PAKGOV", "PAK", "GOV", "group"),
    ("Syrian Defence Minister Ali Mahmoud Abbas", "SYRGOV", "SYR", "GOV", "person"),
    # a group's president holds no state office: a person, the group's
    ("the Syrian Observatory for Human Rights president", "SYRNGO", "SYR", "NGO", "title"),
    ("Free Syrian Army president", "SYRREB", "SYR", "REB", "title"),
])
def test_phrases(finder, text, code, country, sector, kind):
    m = one(finder, text)
    assert (m.ref.code, m.ref.country, m.ref.sector, m.kind) == (code, country, sector, kind)
    assert not m.generic
    assert m.kind in KINDS
    assert m.why


@pytest.mark.parametrize("text, sector", [
    ("government troops", "MIL"),
    ("regime troops", "MIL"),
    ("the army", "MIL"),
    ("the ministry", "GOV"),
    ("police", "COP"),
    ("rebels", "REB"),
    ("opposition fighters", "REB"),
    ("insurgents", "INS"),
    ("militants", "INS"),
    ("separatists", "REB"),
    ("protesters", "OPP"),
    ("civilians", "CVL"),
    ("the mob", "CVL"),
    ("refugees", "REF"),
    ("journalists", "MED"),
    ("doctors", "HLH"),
    ("students", "EDU"),
    ("parliament", "LEG"),
    ("the court", "JUD"),
    ("army spokesman", "MIL"),
    ("government spokesman", "GOV"),
    ("rebel commander", "REB"),
    ("pro-government militias", "UAF"),
    ("Iranian-backed militias", "UAF"),
    ("pro-Russian separatists", "REB"),
])
def test_generic_words(finder, text, sector):
    m = one(finder, text)
    assert m.generic and m.ref.country is None
    assert m.ref.sector == sector and m.ref.code == sector


def test_generic_takes_default_country(finder):
    m = one(finder, "the army", default_country="SYR")
    assert (m.ref.code, m.ref.country, m.generic) == ("SYRMIL", "SYR", True)
    assert "context" in m.why


def test_igo_words_are_not_generic(finder):
    m = one(finder, "the international community", default_country="SYR")
    assert (m.ref.code, m.ref.country, m.generic) == ("IGO", None, False)


def test_two_countries_are_two_actors(finder):
    assert spans(finder, "Russia and China vetoed the resolution") == [
        ("Russia", "RUS"), ("China", "CHN")]


def test_possessive_alone_is_marked(finder):
    m = one(finder, "Russia's veto")
    assert m.possessive and m.ref.text == "Russia" and m.ref.code == "RUS"


def test_member_of_group(finder):
    text = ("The rebels rejected the plan, with Yasser al-Youssef of the leading Nureddin "
            "al-Zinki faction describing it as unacceptable.")
    got = {m.ref.text: (m.ref.code, m.kind) for m in finder.find(text, on=ALEPPO_DAY)}
    assert got["Yasser al-Youssef"] == ("SYRREB", "person")
    assert got["Nureddin al-Zinki faction"] == ("SYRREB", "group")
    assert got["rebels"] == ("REB", "sector")


def test_title_with_unknown_name_keeps_title_sector(finder):
    m = one(finder, "Defence Minister Hamid Example said", on=None)
    assert m.ref.text == "Defence Minister Hamid Example"
    assert (m.ref.sector, m.ref.country, m.generic) == ("GOV", None, True)
    assert m.ref.name == "Hamid Example"


def test_rank_needs_a_name(finder):
    assert spans(finder, "a major city") == []
    m = one(finder, "Lt. Gen. Stephen J. Townsend said", on=date(2017, 1, 5))
    assert m.ref.text == "Lt. Gen. Stephen J. Townsend" and m.ref.code == "USAMIL"


def test_sentence_boundary_does_not_join(finder):
    assert spans(finder, "They fled to Syria. Army units followed.") == [
        ("Syria", "SYR"), ("Army units", "MIL")]


@pytest.mark.parametrize("text, expected", [
    ("Turkey and Chad signed a deal", [("Turkey", "TUR"), ("Chad", "TCD")]),
    ("they ate turkey at dinner in China", [("China", "CHN")]),
    ("the US said", [("US", "USA")]),
    ("let us go", []),
    ("WHO officials", [("WHO officials", "IGOWHO")]),
    ("who said that", []),
    ("the Labour Party and the labour market", [("Labour Party", "GBRPTY")]),
])
def test_case_in_normal_text(finder, text, expected):
    assert spans(finder, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("police lathi-charged the mob", [("police", "COP"), ("mob", "CVL")]),
    ("the rapid action force was deployed", [("rapid action force", "INDCOP")]),
    ("vhp activists and the bjp", [("vhp activists", "INDREL"), ("bjp", "INDPTY")]),
    ("chief minister narendra modi", [("chief minister narendra modi", "INDGOV")]),
    ("turkey and china", [("turkey", "TUR"), ("china", "CHN")]),
    ("let us see who won", []),
    ("the u.s. embassy", [("u.s. embassy", "USAGOV")]),
])
def test_lower_case_text(finder, text, expected):
    assert spans(finder, text, on=date(2002, 3, 1)) == expected


def test_lower_case_prefers_generic_words(finder):
    # "Foreign Office" (UK) cannot be told from a generic "foreign office" without capitals
    assert spans(finder, "the foreign office said") == [("foreign office", "GOV")]
    assert spans(finder, "The Foreign Office said") == [("Foreign Office", "GBRGOV")]


def test_same_name_resolved_by_countries_in_text(finder):
    assert spans(finder, "congress and the bjp", on=date(2002, 3, 1)) == [
        ("congress", "INDPTY"), ("bjp", "INDPTY")]
    assert spans(finder, "Congress passed the bill", on=date(2002, 3, 1)) == [
        ("Congress", "USALEG")]
    assert spans(finder, "Congress passed the bill", on=date(2002, 3, 1),
                 default_country="IND") == [("Congress", "INDPTY")]


def test_same_name_resolved_by_modifier_country(finder):
    assert spans(finder, "Iraqi Republican Guard", on=date(2002, 1, 1)) == [
        ("Iraqi Republican Guard", "IRQMIL")]


def test_stop_phrases(finder):
    assert spans(finder, "ships in the South China Sea and the Gulf of Mexico") == []
    assert spans(finder, "across Latin America") == []


def test_offsets_and_head(finder):
    text = "Yesterday, government troops retook Shaar."
    m = one(finder, text)
    assert text[m.ref.start:m.ref.end] == "government troops" == m.ref.text
    assert text[m.head[0]:m.head[1]] == "troops"
    shifted = finder.find(text, offset=100)[0]
    assert (shifted.ref.start, shifted.ref.end) == (m.ref.start + 100, m.ref.end + 100)


def test_head_of_named_organisation(finder):
    text = "the Syrian Observatory for Human Rights said"
    m = one(finder, text)
    assert text[m.head[0]:m.head[1]] == "Observatory"


def test_coref_phrase(finder):
    m = one(finder, "The monitoring group described Shaar as important")
    assert (m.kind, m.ref.sector, m.generic) == ("coref", "NGO", True)


def test_unicode_and_accents(finder):
    assert spans(finder, "Erdoğan met Zelenskyy in Kyiv", on=date(2023, 3, 1)) == [
        ("Erdoğan", "TURGOV"), ("Zelenskyy", "UKRGOV"), ("Kyiv", "UKRGOV")]
    assert spans(finder, "Côte d’Ivoire troops") == [("Côte d’Ivoire troops", "CIVMIL")]


def test_resolve_one_phrase(finder):
    assert finder.resolve("  the Syrian army ").ref.code == "SYRMIL"
    assert finder.resolve("Lavrov", on=date(2016, 1, 1)).ref.code == "RUSGOV"
    assert finder.resolve("nothing to see here") is None


def test_aleppo_article(finder, example_path):
    text = example_path.read_text(encoding="utf-8")
    body = text.split("\n\n", 4)[4]
    got = {(m.ref.text, m.ref.code) for m in finder.find(body, on=ALEPPO_DAY)}
    for expected in [("Syria's army", "SYRMIL"), ("Moscow", "RUSGOV"), ("Washington", "USAGOV"),
                     ("forces loyal to President Bashar al-Assad", "SYRMIL"),
                     ("government troops", "MIL"),
                     ("Syrian Observatory for Human Rights", "SYRNGO"),
                     ("regime troops", "MIL"), ("opposition fighters", "REB"),
                     ("Foreign Minister Sergei Lavrov", "RUSGOV"),
                     ("US Secretary of State John Kerry", "USAGOV"),
                     ("UN Security Council", "IGOUNO"), ("Syria's foreign ministry", "SYRGOV"),
                     ("Yasser al-Youssef", "SYRREB"), ("Nureddin al-Zinki faction", "SYRREB")]:
        assert expected in got, expected
    assert ("Russia", "RUS") in got and ("China", "CHN") in got
    assert not any(code and code.startswith("SYR") and text_ == "Syrian" for text_, code in got)


def test_an_attribute_joins_only_a_possessive_to_its_noun(finder):
    """Without a possessive name before it, an attribute is simply skipped."""
    found = [(m.ref.text, m.ref.code) for m in finder.find("The transitional government met.")]
    assert found == [("government", "GOV")]


def test_a_party_or_league_president_holds_no_office_of_state(coder):
    found = coder.actors.find("bjp national president jana krishnamurthy rejected the demand.",
                              lowercase=True, default_country="IND")
    assert [(m.ref.code) for m in found][:1] == ["INDPTY"]
    found = coder.actors.find("The Indian National League president welcomed the ruling.",
                              default_country="IND")
    assert all(m.ref.sector != "GOV" for m in found)


def test_kinds_of_parties_are_parties(coder):
    found = coder.actors.find("the nine left parties demanded his resignation.", lowercase=True,
                              default_country="IND")
    assert [m.ref.code for m in found] == ["INDPTY"]
