"""Reporting tails (coding/tails.py): the final ", officials said on Monday." is blanked for
the parser, and its speaker becomes the attribution of the events before it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from dateline.coding.tails import reporting_tail, without_tail
from dateline.model import Article


@pytest.mark.parametrize("text, who", [
    ("Russia has delivered missile systems to Syria, Defence Minister Sergei Shoigu said "
     "on Tuesday.", "Defence Minister Sergei Shoigu"),
    ("A suicide bomber killed 31 people in Kabul on Sunday, officials said.", "officials"),
    ("Israel struck Gaza on Monday, the military said in a statement late on Monday.",
     "the military"),
    ("Soldiers fired on the crowd near the palace, said a witness.", "a witness"),
    ("Rebels shelled the northern town overnight, according to the monitoring group.",
     "the monitoring group"),
])
def test_a_final_reporting_clause_is_a_tail(text, who):
    tail = reporting_tail(text)
    assert tail is not None and text[tail.who_start:tail.who_end] == who
    core = without_tail(text, tail)
    assert len(core) == len(text) and core.rstrip().endswith(".") and who not in core


@pytest.mark.parametrize("text", [
    '"We will fight to the end," the rebel commander said.',  # the quote is the clause
    "He said the army, which he said had been deployed, would stay.",
    "Did the army shell the town, as the opposition said?",
    "Police arrested 12 people, and officials said.",
])
def test_no_tail(text):
    assert reporting_tail(text) is None


def test_the_tail_speaker_attributes_and_never_acts(coder):
    art = Article(id="t", published=datetime(2013, 4, 16, tzinfo=timezone.utc),
                  text="Russia has delivered S-300 air defence missile systems to Syria, "
                       "Defence Minister Sergei Shoigu said on Tuesday.")
    aid = [m for m in coder.code_article(art) if m.event_type == "AID"]
    assert aid, "the tail hid the delivery from the parser"
    assert [a.country for a in aid[0].actor] == ["RUS"]
    assert aid[0].attribution is not None and "Shoigu" in aid[0].attribution.text
    assert aid[0].date == "2013-04-16"  # the reporting day: no other date given


def test_a_tail_after_a_closing_quote_is_read_only_when_asked():
    from dateline.coding.tails import reporting_tail as tail
    text = '"We will not allow any construction at the site," the district magistrate said.'
    assert tail(text) is None  # the parser keeps the quote with its tail
    found = tail(text, quoted=True)
    assert found is not None and text[found.who_start:found.who_end] == "the district magistrate"
