"""Control claims: the classes fixed in the sixth round (docs/control.md, "Sixth round").
Own sentences, each class with its trap."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from dateline.model import Article


def claims_of(reader, text: str, published: str = "2003-05-14") -> list[tuple]:
    art = Article(id="t", text=text, published=datetime.fromisoformat(published))
    return [(c.kind, c.place.name, c.place.within, c.holder.code) for c in reader.read([art])]


@pytest.mark.parametrize("text, published, expected", [
    # a state of the past named by its own adjective keeps its code, though the place held
    # lies in a state of today
    ("Soviet troops encircled Herat on Tuesday, Western diplomats said.", "1985-06-12",
     [("siege", "Herāt", None, "SUNMIL")]),
    # a list the parse hangs on its first item as an apposition: every item is taken
    ("Militiamen said they had captured the customs post, Bunia airport and the police "
     "station at Mahagi.", "2003-05-14",
     [("capture", "airport", "Bunia", "CODUAF"), ("capture", "police station", "Mahagi", "CODUAF")]),
    # a capitalised word the tagger reads as an adjective names the area; a region word is
    # in no city, only the country of the city the sentence names
    ("Army troops recaptured the Tonle valley north of Jaffna on Sunday.", "2003-05-14",
     [("capture", "Tonle", None, "LKAMIL")]),
    # ... but a describing word before "villages of X and Y" names nothing
    ("Rebels besieged the Christian villages of Oumo and Kadia.", "2003-05-14",
     [("siege", "Oumo", None, "REB"), ("siege", "Kadia", None, "REB")]),
    # a holding told in the past perfect ended: those who had held it were driven out ...
    ("Army troops recaptured Kadugli on Sunday, driving out rebels who had held it since "
     "March.", "2003-05-14",
     [("capture", "Kadugli", None, "SDNMIL")]),
    # ... but reported, the past perfect is the speaker's present perfect: they hold it
    ("Rebels said they had held Kadugli since March.", "2003-05-14",
     [("hold", "Kadugli", None, "SDNREB")]),
    # the parse made the place the reporting verb's subject
    ("Government troops have encircled Kadugli, the state governor said on Wednesday.",
     "2003-05-14", [("siege", "Kadugli", None, "SDNMIL")]),
    # "was overrun by" tagged as a noun
    ("The strategic town of Kadugli was overrun by government troops late on Thursday, "
     "putting the main road back in the army's hands.", "2003-05-16",
     [("capture", "Kadugli", None, "SDNMIL")]),
    # handing a place to another side: a loss and a capture
    ("Ethiopian troops handed Kismayo to Somali government forces on Sunday.", "2003-05-14",
     [("loss", "Kismayo", None, "ETHMIL"), ("capture", "Kismayo", None, "SOMMIL")]),
    # a siege kept up is a siege; a siege the holder retreated after is not the holder's
    ("Rebel fighters kept up their siege of Kadugli on Thursday.", "2003-05-16",
     [("siege", "Kadugli", None, "SDNREB")]),
    ("Rebel fighters retreated from Kadugli on Thursday after a 14-month siege.", "2003-05-16",
     [("loss", "Kadugli", None, "SDNREB")]),
    # a stronghold named in passing that falls to the other side: the holder lost it
    ("Kismayo, the militants' last stronghold, fell to Somali government forces on Friday.",
     "2003-05-17", [("loss", "Kismayo", None, "SOMINS"), ("capture", "Kismayo", None, "SOMMIL")]),
    # "they" after a speaker led by a person: the speakers
    ("Rebels led by Laurent Kabila said they captured Kisangani on Saturday.", "1997-03-16",
     [("capture", "Kisangani", None, "CODREB")]),
    # an opposition holding ground is the armed opposition
    ("Government aircraft bombed the opposition-held town of Harasta on Monday.", "2018-02-20",
     [("hold", "Ḩarastā", None, "SYRREB")]),
    # "the Chechen capital": the city named before, not the accord named after a town
    ("The last Russian units left Grozny on Saturday under the Khasavyurt accord, leaving "
     "the Chechen capital in the hands of separatist fighters.", "1996-12-29",
     [("loss", "Grozny", None, "RUS"), ("hold", "Grozny", None, "RUSREB")]),
    # an all-capitals headline is read as written in title case
    ("GOVERNMENT TROOPS QUIT MALAKAL AS REBELS ADVANCE", "2014-01-14",
     [("loss", "Malakal", None, "SSDMIL")]),
    # an entry with no place of its own takes the place the other clause gave up
    ("Rebel fighters abandoned Kadugli on Wednesday, and government troops moved in without "
     "resistance.", "2003-05-15",
     [("loss", "Kadugli", None, "SDNREB"), ("capture", "Kadugli", None, "SDNMIL")]),
    # "allowing X to occupy it": the place given up
    ("Army units withdrew from Kadugli on Friday, allowing rebel fighters to occupy it.",
     "2003-05-17", [("loss", "Kadugli", None, "SDNMIL"), ("capture", "Kadugli", None, "SDNREB")]),
    # "lost X to Y": Y took it
    ("Government forces lost Kadugli to the rebels on Wednesday.", "2003-05-15",
     [("loss", "Kadugli", None, "SDNMIL"), ("capture", "Kadugli", None, "SDNREB")]),
    # "it" with no place in its own sentence: the city the sentence before named
    ("SPLA guerrillas had been driven from Kadugli in March. On Tuesday they retook it.",
     "2003-05-14",
     [("loss", "Kadugli", None, "SDNREB"), ("capture", "Kadugli", None, "SDNREB")]),
    # a holding that goes on: "still held" (said on a day), not a past one
    ("Rebel commanders insisted on Monday that their fighters still held Kadugli.",
     "2003-05-14", [("hold", "Kadugli", None, "SDNREB")]),
    ("Rebel fighters held Kadugli.", "2003-05-14", []),
])
def test_sixth_round(reader, text, published, expected):
    assert claims_of(reader, text, published) == expected


def test_the_evaluation_says_why_claims_were_missed(reader, tmp_path):
    from dateline.control.evaluate import evaluate, load_gold, render

    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        '{"id": "a", "published": "2003-05-15", "text": "Rebel fighters seized Kadugli on '
        'Wednesday.", "claims": [{"kind": "capture", "place": "Kadugli", "holder": "SDN MIL"}, '
        '{"kind": "hold", "place": "Kadugli", "holder": "SDN REB"}, {"kind": "capture", '
        '"place": "Dilling", "holder": "SDN REB"}]}\n', encoding="utf-8")
    report = evaluate(reader, load_gold(gold))
    assert report["missed_because"] == {"holder": 1, "kind": 1, "no claim on the place": 1}
    assert "missed because: " in render(report)


def test_third_blind_development_set(reader):
    """The 240 sentences a third annotator wrote blind, then tuned on (precision 0.824, recall
    0.625 untuned; 0.869 / 0.727 after the sixth round): a floor a little under."""
    from dateline.control.evaluate import evaluate, load_gold

    report = evaluate(reader, load_gold(Path(__file__).parent / "data" / "control"
                                        / "blind-train3.jsonl"))
    assert report["precision"] >= 0.82 and report["recall"] >= 0.68, report["errors"]
    assert report["forbidden_hits"] <= 3


@pytest.mark.parametrize("text, published, expected", [
    # a place named with the region it lies in is still the city named before
    ("The Rapid Support Forces have besieged El Fasher since May, cutting off the last "
     "army-held city in Darfur.", "2024-08-10",
     [("siege", "El Fasher", None, "SDNREB"), ("hold", "El Fasher", None, "SDNMIL")]),
    # sides of past wars the dictionaries now know
    ("Bosnian Serb troops encircled Gorazde on Sunday.", "1994-04-11",
     [("siege", "Goražde", None, "BIHREB")]),
])
def test_sixth_round_regions_and_past_sides(reader, text, published, expected):
    assert claims_of(reader, text, published) == expected
