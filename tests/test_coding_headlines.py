"""Headlines and subheadlines are coded like body sentences, apart from the body; and
the pre-filter lets a country adjective stand as the actor (the headline style)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from dateline.coding.coder import Coder, header_sentences
from dateline.config import Config
from dateline.model import Article

PUBLISHED = datetime(2024, 3, 6, 9, 0, tzinfo=timezone.utc)
BODY = ("Kenyan police detained a dozen demonstrators on Tuesday after clashes in central "
        "Nairobi, officials said.\n\nThe protest was called by opposition parties.")


def _article(headline: str | None, subheadlines: list[str] | None = None) -> Article:
    return Article(id="h1", text=BODY, headline=headline, subheadlines=subheadlines or [],
                   published=PUBLISHED, source="Test Wire")


def _offsets_hold(m, article: Article) -> None:
    text = article.text if m.part == "body" else \
        next(t for t in [article.headline, *article.subheadlines]
             if t and t[m.char_start:m.char_end] == m.sentence)
    assert text[m.char_start:m.char_end] == m.sentence
    assert text[m.trigger_start:m.trigger_end] == m.trigger
    for ref in m.actor + m.recipient:
        assert ref.start is None or text[ref.start:ref.end] == ref.text


@pytest.mark.parametrize("headline, event_type, actor_country", [
    ("Police arrest 12 after clashes in Nairobi", "COERCE", "KEN"),
    ("Israeli strikes kill 20 in Gaza", "ASSAULT", "ISR"),
    ("US imposes new sanctions on Iranian oil firms", "SANCTION", "USA"),
    ("Opposition supporters protest in Nairobi over tax rises", "PROTEST", "KEN"),
    ("Protesters clash with police in Mombasa", "ASSAULT", None),
    # the parser hangs a headline's verb into a noun phrase: the noun before it acts
    ("Pope appeals for end to Sudan bloodshed", "REQUEST", None),
])
def test_headline_is_coded_dated_by_publication(coder, headline, event_type, actor_country):
    article = _article(headline)
    mentions = coder.code_article(article)
    heads = [m for m in mentions if m.part == "headline"]
    assert heads, [(m.part, m.event_type, m.sentence) for m in mentions]
    hit = [m for m in heads if m.event_type == event_type]
    assert hit, [(m.event_type, m.trigger) for m in heads]
    m = hit[0]
    assert m.sentence_index < 0 and m.sentence == headline
    assert m.date == "2024-03-06" and m.date_precision == "publication"
    if actor_country:
        assert any(a.country == actor_country for a in m.actor)
    for m in mentions:
        _offsets_hold(m, article)
        assert (m.sentence_index < 0) == (m.part != "body")


def test_body_is_coded_as_without_headline(coder):
    """A headline adds its own mentions; the body's stay what they were, same ids."""
    plain = coder.code_article(_article(None))
    headed = coder.code_article(_article("Police arrest 12 after clashes in Nairobi",
                                         ["Opposition calls for more protests"]))
    assert [m.to_dict() for m in headed if m.part == "body"] == [m.to_dict() for m in plain]
    assert {m.part for m in headed} >= {"body", "headline"}


def test_no_headline_events_when_turned_off(coder):
    off = Coder(coder.nlp, coder.lexicon, coder.actors, coder.places, coder.gazetteer,
                coder.dates, coder.quantities, replace(coder.config, code_headlines=False))
    mentions = off.code_article(_article("Police arrest 12 after clashes in Nairobi"))
    assert mentions and all(m.part == "body" and m.sentence_index >= 0 for m in mentions)


def test_header_clauses_have_reading_order_indices_and_line_offsets():
    article = _article("Army seize key ground in fierce battle",
                       ["Say no to ceasefire call;  Russia, China veto UN resolution", " "])
    sentences, parts = header_sentences(article)
    assert [s.index for s in sentences] == [-3, -2, -1]
    assert [parts[s.index] for s in sentences] == ["headline", "subheadline", "subheadline"]
    line = article.subheadlines[0]
    assert [line[s.start:s.end] for s in sentences[1:]] == \
        ["Say no to ceasefire call", "Russia, China veto UN resolution"]
    assert header_sentences(_article(None)) == ([], {})


def test_a_pronoun_in_the_headline_never_reaches_into_the_body(coder):
    mentions = coder.code_article(_article("They vow to fight on"))
    assert not [m for m in mentions if m.part == "headline" and m.actor]


@pytest.mark.parametrize("raw, expected", [("false", False), ("0", False), ("no", False),
                                           ("true", True), ("1", True)])
def test_boolean_settings_from_the_environment(raw, expected):
    config = Config.load(env={"DATELINE_CODE_HEADLINES": raw}, path=None)
    assert config.code_headlines is expected


@pytest.mark.parametrize("sentence, country", [
    ("Israeli strikes killed 20 people in Gaza on Monday.", "ISR"),
    ("Turkish warplanes bombed positions near the border on Monday.", "TUR"),
])
def test_a_country_adjective_alone_makes_a_sentence_a_candidate(coder, sentence, country):
    """The pre-filter lets through sentences whose only actor is a country adjective (no
    dictionary actor, no pronoun): the headline style of the body's first line."""
    article = Article(id="c1", text=sentence, published=PUBLISHED)
    mentions = coder.code_article(article)
    assert any(m.event_type == "ASSAULT" and any(a.country == country for a in m.actor)
               for m in mentions), [(m.event_type, m.actor) for m in mentions]


def test_title_case_lines_parse_in_sentence_case(coder):
    """Headline-style capitalisation hides verbs from the tagger; trigger and function words
    are lower-cased for the parser only (the mention keeps the original text)."""
    from datetime import datetime

    from dateline.model import Article

    cased = coder._sentence_case("Rebel Fighters Seize The Key Border Town")
    assert cased.startswith("Rebel Fighters seize the Key") and len(cased) == 40
    assert coder._sentence_case("Rebels seized the crossing on Monday.") == \
        "Rebels seized the crossing on Monday."
    art = Article(id="t", text="Kenya And Somalia Sign Border Agreement",
                  published=datetime(2021, 5, 4))
    (m,) = [m for m in coder.code_article(art) if m.event_type == "AGREE"]
    assert m.trigger == "Sign" and {a.code for a in m.actor} >= {"KEN", "SOM"}
