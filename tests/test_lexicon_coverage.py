"""The event lexicon at CAMEO scale: every PLOVER type has its rows, every CAMEO code fits its
type, every object class exists; rows fire on political uses and stay quiet on sport, markets
and disasters."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timezone

import pytest

from dateline.coding.lexicon import BUILTIN_OBJECTS, Lexicon
from dateline.model import EVENT_TYPES, Article

PUBLISHED = datetime(2023, 3, 15, tzinfo=timezone.utc)

# CAMEO roots each PLOVER type may carry: its own roots, 03 for intents (offers, pledges),
# 01 for statements (016 deny, 019 concur), 05 for apologies (055)
ROOTS = {
    "AGREE": {"01", "03", "05"}, "CONSULT": {"03", "04"}, "SUPPORT": {"01", "05"},
    "CONCEDE": {"03", "05", "08"}, "COOPERATE": {"03", "06"}, "AID": {"03", "07"},
    "RETREAT": {"03", "08"}, "REQUEST": {"02", "10"}, "ACCUSE": {"09", "11"},
    "REJECT": {"01", "12"}, "THREATEN": {"13"}, "PROTEST": {"14"}, "SANCTION": {"16"},
    "MOBILIZE": {"15"}, "COERCE": {"17"}, "ASSAULT": {"18", "19", "20"},
}
FLOOR = 60  # rows per PLOVER type


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon.load()


def event_rules(lex):
    return [r for rules in lex.rules.values() for r in rules if r.is_event]


def test_every_type_has_its_rows(lexicon):
    per_type = Counter(r.event_type for r in event_rules(lexicon))
    assert set(per_type) == set(EVENT_TYPES)
    thin = {t: n for t, n in per_type.items() if n < FLOOR}
    assert not thin, thin
    assert sum(len(rules) for rules in lexicon.rules.values()) >= 3000


def test_cameo_codes_fit_their_type(lexicon):
    wrong = [(r.trigger, r.event_type, r.cameo) for r in event_rules(lexicon)
             if not re.fullmatch(r"\d{2,4}", r.cameo) or r.cameo[:2] not in ROOTS[r.event_type]]
    assert not wrong, wrong[:20]


def test_function_rows_carry_no_event(lexicon):
    rules = [r for rs in lexicon.rules.values() for r in rs if not r.is_event]
    assert rules and not [r.trigger for r in rules if r.cameo or r.mode]


def test_object_classes_exist(lexicon):
    missing = {(r.trigger, r.obj) for rs in lexicon.rules.values() for r in rs
               if r.obj and r.obj.isupper() and r.obj not in BUILTIN_OBJECTS
               and r.obj not in lexicon.classes}
    assert not missing, missing


def test_new_irregular_verbs_are_known(lexicon):
    for form, lemma in (("threw", "throw"), ("torn", "tear"), ("caught", "catch"),
                        ("built", "build"), ("unfroze", "unfreeze"), ("found", "find")):
        assert lemma in lexicon.lemmas_of(form), form


@pytest.fixture(scope="module")
def rules_coder(coder):
    """The session coder's parts with the trigger rules alone: these tests are of the rows
    (the learned detector is tested in test_detector.py)."""
    return coder.with_finders([coder.analyzer])


def code(coder, text: str):
    return coder.code_article(Article(id="lex", text=text, published=PUBLISHED))


@pytest.mark.parametrize("text, event_type, cameo", [
    # PROTEST: sit-ins, walkouts, strikes called, hunger strikes, blocked roads, signatures
    ("Hundreds of students staged a sit-in outside the education ministry in Nairobi.",
     "PROTEST", "141"),
    ("Teachers in Lagos staged a walkout over unpaid salaries on Monday.", "PROTEST", "143"),
    ("Dock workers downed tools on Friday over unpaid wages.", "PROTEST", "143"),
    # being received by a head of state is a visit
    ("The Chinese envoy was received by the king in Amman on Sunday.", "CONSULT", "043"),
    ("Unions called a general strike across Argentina on Wednesday.", "PROTEST", "143"),
    ("Workers struck for higher wages at the port of Durban.", "PROTEST", "143"),
    ("Palestinian prisoners went on hunger strike in Israeli jails.", "PROTEST", "142"),
    ("Activists collected signatures for a referendum on the dam project.", "PROTEST", "140"),
    ("Protesters hurled stones at police in Srinagar on Friday.", "PROTEST", "145"),
    # COERCE: bans on rallies, parties and media; houses demolished; investigations
    ("Police in Harare banned a rally of the opposition on Saturday.", "COERCE", "1721"),
    ("The junta outlawed the main opposition party on Monday.", "COERCE", "1722"),
    ("The government shut down the internet in the Tigray region.", "COERCE", "1721"),
    ("Authorities in Kabul suspended two newspapers on Monday.", "COERCE", "1721"),
    ("Soldiers sealed off the village and searched houses.", "COERCE", "17"),
    # AGREE: ties restored; SANCTION: visits and talks called off (164); REJECT: commitments
    # reneged on
    ("Israel and Turkey restored full diplomatic ties on Wednesday.", "AGREE", "054"),
    ("Russia cancelled a planned visit by the Chinese foreign minister.", "SANCTION", "164"),
    ("Venezuela reneged on its commitment to hold free elections.", "REJECT", "127"),
    ("The rebels backed out of the peace deal on Friday.", "REJECT", "12"),
    # ACCUSE: indictments, charges, investigations, formal protests
    ("Prosecutors filed charges against three police officers in Minneapolis.", "ACCUSE", "115"),
    ("A grand jury in New York returned an indictment against two Russian officials.",
     "ACCUSE", "115"),
    ("Prosecutors put the former minister under investigation for corruption.", "ACCUSE", "09"),
    # CONSULT: mediation missions and shuttle diplomacy; offers are intents
    ("The African Union sent a mediation mission to Khartoum.", "CONSULT", "045"),
    ("Egypt's mediators shuttled between the two sides on Sunday.", "CONSULT", "045"),
    ("Pakistan offered to hand over the suspects to India.", "COOPERATE", "031"),
    # CONCEDE / RETREAT: curfews lifted, blockades eased
    ("Authorities lifted the curfew in Imphal on Monday.", "CONCEDE", "0813"),
    ("Saudi Arabia eased its blockade of the port of Hodeidah.", "RETREAT", "0872"),
    # SANCTION: relations downgraded, aid suspended, assets frozen
    ("Poland downgraded diplomatic relations with Belarus.", "SANCTION", "161"),
    ("Britain suspended military aid to Myanmar.", "SANCTION", "1622"),
    # MOBILIZE, ASSAULT
    ("China held military drills around Taiwan on Monday.", "MOBILIZE", "150"),
    ("Russia has massed troops on the border with Ukraine.", "MOBILIZE", "154"),
    ("Gunmen kidnapped 12 aid workers in South Sudan on Monday.", "ASSAULT", "181"),
    ("Militants planted a bomb near the police station in Quetta.", "ASSAULT", "183"),
    ("Russian jets carried out air raids on rebel-held Idlib.", "ASSAULT", "195"),
    # REQUEST and THREATEN take the code of what is asked or threatened
    ("The UN chief called for the release of all hostages.", "REQUEST", "1053"),
    ("Iran warned of retaliation against Israel.", "THREATEN", "138"),
])
def test_cameo_scale_rows_fire(rules_coder, text, event_type, cameo):
    coder = rules_coder
    hits = [m for m in code(coder, text) if m.event_type == event_type]
    assert hits, [(m.event_type, m.cameo, m.trigger) for m in code(coder, text)]
    assert any(m.cameo.startswith(cameo) for m in hits), [(m.cameo, m.trigger) for m in hits]


@pytest.mark.parametrize("text, not_types", [
    # sport
    ("England attacked the Italian defence and struck the crossbar twice.", {"ASSAULT"}),
    ("Argentina's captain hit the post in the first half against France.", {"ASSAULT"}),
    ("India thrashed Pakistan by eight wickets in Colombo on Sunday.", {"ASSAULT"}),
    # declining to comment refuses nothing
    ("The governor refused to comment on the report on Friday.", {"REJECT"}),
    ("The foreign ministry declined to comment.", {"REJECT"}),
    ("Brazil captured the World Cup for a fifth time in Yokohama on Sunday.", {"ASSAULT"}),
    ("The ruling party seized a majority of seats in the state assembly.", {"ASSAULT"}),
    # ills and hardship: nobody is attacked or threatened
    ("Cuba sent doctors to help Italy fight the coronavirus.", {"ASSAULT"}),
    ("The government vowed to combat corruption in the police.", {"ASSAULT"}),
    ("UNICEF warned of looming famine in Somalia on Tuesday.", {"THREATEN"}),
    ("The agency warned that millions in the Sahel faced severe hunger.", {"THREATEN"}),
    # markets and business
    ("The company called off its merger with a rival bank.", {"CONCEDE", "REJECT", "RETREAT"}),
    ("The budget session of parliament was suspended till March 12.", {"SANCTION", "CONCEDE"}),
    ("The bank froze the account of a customer suspected of fraud.", {"SANCTION", "CONCEDE"}),
    # disasters and accidents
    ("The cyclone destroyed 300 houses and displaced thousands of villagers in Odisha.",
     {"COERCE", "ASSAULT"}),
    ("Floods forced 10,000 people from their homes in Pakistan.", {"COERCE"}),
    ("A gas explosion at a factory in Karachi injured 12 workers.", {"ASSAULT"}),
    ("The weather office issued a cyclone warning for the coast of Andhra Pradesh.",
     {"THREATEN"}),
    # words with other senses
    ("The minister held a press conference in Delhi on Monday.", {"CONSULT"}),
    ("The elections to the council are slated for March 27.", {"ACCUSE"}),
    ("The minister complained of chest pain and was taken to hospital.", {"ACCUSE"}),
    ("Leaders in Lucknow sought to whip up communal passions.", {"ASSAULT"}),
    ("The paramilitary forces staged a flag march in Ayodhya.", {"PROTEST"}),
    ("Police pickets were posted at sensitive places in Ahmedabad.", {"PROTEST"}),
    ("The police in Surat have stepped up vigil near the temple.", {"PROTEST"}),
    ("The home ministry in Delhi was agitated about the reports.", {"PROTEST"}),
    ("The inspector general of police sent a circular to 22 jails in Gujarat.", {"COERCE"}),
    ("The Bajrang Dal gave a call to boycott Holi in Ayodhya.", {"CONSULT"}),
])
def test_other_senses_are_no_events(rules_coder, text, not_types):
    mentions = code(rules_coder, text)
    assert not [m for m in mentions if m.event_type in not_types], \
        [(m.event_type, m.cameo, m.trigger) for m in mentions]
