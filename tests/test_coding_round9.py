"""Coder rules of the ninth session, each class with sentences written for it."""

from __future__ import annotations

from datetime import datetime, timezone

from dateline.model import Article

PUBLISHED = datetime(2011, 9, 16, tzinfo=timezone.utc)


def code(coder, text: str, published: datetime = PUBLISHED):
    return coder.code_article(Article(id="t", text=text, published=published))


def first(coder, text: str, event_type: str, published: datetime = PUBLISHED):
    found = [m for m in code(coder, text, published) if m.event_type == event_type]
    assert found, [(m.event_type, m.trigger) for m in code(coder, text, published)]
    return found[0]


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
