"""Control claims: the classes fixed in the fourth round, on the second blind development set
(docs/control.md, "Fourth round"). Own sentences, with traps; the set itself as a floor."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from dateline.model import Article

DATA = Path(__file__).parent / "data" / "control"


def claims_of(reader, text: str, published: str = "2016-12-07") -> list[tuple]:
    art = Article(id="t", text=text, published=datetime.fromisoformat(published))
    return [(c.kind, c.place.name, c.place.within, c.holder.code) for c in reader.read([art])]


@pytest.mark.parametrize("text, expected", [
    # a held town in a region is the town, not the region (the gazetteer's fallback)
    ("Goz Beida, the only rebel-held town in eastern Chad, was shelled on Monday.",
     [("hold", "Goz Beida", None, "TCDREB")]),
    # a holding the same sentence ends or begins is no holding of its own
    ("Rebels abandoned their stronghold of Kalaa on Friday, officials said.",
     [("loss", "Kalaa", None, "REB")]),
    ("Rebels overran the town of Biltine on Sunday, holding it for hours before withdrawing.",
     [("capture", "Biltine", None, "TCDREB"), ("loss", "Biltine", None, "TCDREB")]),
    # allies named after the side: the side's claim only
    ("Army troops and allied militias retook Kadugli on Tuesday.",
     [("capture", "Kadugli", None, "SDNMIL")]),
    # an ethnic and a national word are one holder ("French and Malian troops" are two):
    # the Krajina Serb forces, rebels in Croatia (the dictionary's row since the sixth round)
    ("Croatian Serb rebels, who control the town of Knin, rejected the plan on Sunday.",
     [("hold", "Knin", None, "HRVREB")]),
    # the undisputed half of a sentence stays
    ("Rebels seized the airport at Goma, though the governor insisted the army had driven "
     "them out of it.", [("capture", "airport", "Goma", "CODREB")]),
    # a shrine, a temple, a hotel are facilities kept under their city
    ("Troops have surrounded the Golden Temple in Amritsar, where militants are holed up.",
     [("siege", "Golden Temple", "Amritsar", "INDMIL")]),
    # "have occupied X since" is a holding, not a capture
    ("Ethiopian troops, who have occupied Badme since 2000, were shelled on Friday.",
     [("hold", "Badme", None, "ETHMIL")]),
    # a capture and a hold by the same side of different places both stay
    ("Government forces retook Kadugli on Tuesday, and officials said the army controlled "
     "Dilling.", [("capture", "Kadugli", None, "SDNMIL"), ("hold", "Dilling", None, "SDNMIL")]),
])
def test_fourth_round_classes(reader, text, expected):
    assert claims_of(reader, text) == expected


@pytest.mark.parametrize("text", [
    "Rebels seized a mining town in Donetsk region on Monday.",  # unnamed ground in a region
    "The rebels have been pushed out of more than 40 villages in Kivu since June.",  # counted
    "Nigerian peacekeepers took control of the port of Monrovia on Monday.",  # no side
    "Rebels said on Monday they had captured Kasese, a claim that could not be verified.",
    "Rebels said they had retaken Kadugli, a claim contradicted by satellite images.",
    "The army claimed to have retaken Kadugli, but rebel leaders said their fighters still held "
    "the town.",  # a contested report with a counter-claim
    "The ministry denied that its troops had crossed the border or seized the town of "
    "Amadiya.",  # a denial covers the second conjunct too
    "Soldiers and police surrounded the town of Kasese and searched for gang members.",
    "Police and troops took control of the Tivoli district of Kingston in their hunt for a "
    "drug lord.",  # a raid against criminals
])
def test_fourth_round_traps(reader, text):
    assert claims_of(reader, text) == []


@pytest.mark.parametrize("text, kind", [
    # the traps' sentences without their trap: a claim
    ("The army claimed on Monday to have retaken Kadugli.", "capture"),
    ("Soldiers and police surrounded the town of Kasese on Monday.", "siege"),
    ("Rebels seized the town of Siversk in Donetsk region on Monday.", "capture"),
    ("Nigerian troops took control of the port of Monrovia on Monday.", "capture"),
])
def test_the_traps_without_their_trap(reader, text, kind):
    assert [c[0] for c in claims_of(reader, text)] == [kind]


def test_second_blind_development_set(reader):
    """The 200 sentences a second annotator wrote blind, then tuned on (precision 0.817, recall
    0.642 after the fifth round; 0.665 / 0.518 before the fourth): a floor a little under."""
    from dateline.control.evaluate import evaluate, load_gold

    report = evaluate(reader, load_gold(DATA / "blind-train2.jsonl"))
    assert report["precision"] >= 0.78 and report["recall"] >= 0.6, report["errors"]
    assert report["forbidden_hits"] <= 3


@pytest.mark.parametrize("text", [
    "Militants overran Boko Haram, a village held by troops.",
    "Troops retook Hezbollah, the town.",
])
def test_a_name_in_apposition_with_its_area_word_is_read_once(reader, text):
    # an actor's name apposed to a place word names the word and the word the name: no loop
    claims_of(reader, text)
