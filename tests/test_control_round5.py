"""Control claims: the recall classes fixed in the fifth round, on the second blind
development set (docs/control.md, "Fifth round"). Own sentences, each class with its traps."""

from __future__ import annotations

from datetime import datetime

import pytest
from control_fixtures import claims_of

from dateline.model import Article


@pytest.mark.parametrize("text, expected", [
    # raising a flag over a place is taking it; a perfect says it flies there: a holding
    ("Government troops raised the national flag over Kadugli on Saturday.",
     [("capture", "Kadugli", None, "SDNMIL", None)]),
    ("The rebels have raised their flag over Dilling, officials said.",
     [("hold", "Dilling", None, "SDNREB", None)]),
    # entering or pouring into a town is taking it ...
    ("Rebels entered Malakal on Friday after government troops abandoned the town.",
     [("capture", "Malakal", None, "SSDREB", None), ("loss", "Malakal", None, "SSDMIL", None)]),
    ("Rebels entered Malakal on Friday without a fight.",
     [("capture", "Malakal", None, "SSDREB", None)]),
    ("Rebels poured into Malakal on Sunday as the army fled.",
     [("capture", "Malakal", None, "SSDREB", None), ("loss", "Malakal", None, "SSDMIL", None)]),
    # ... unless the sentence says the fight for it goes on: only the siege stays
    ("Rebels entered Malakal on Friday and besieged the army barracks.",
     [("siege", "army barracks", "Malakal", "SSDREB", None)]),
    # the second town joined by "and" after "the towns of"
    ("Rebels overran the market towns of Kadugli and Dilling on Sunday.",
     [("capture", "Kadugli", None, "SDNREB", None), ("capture", "Dilling", None, "SDNREB", None)]),
    # a holding for hours ended, as a participle too
    ("Rebels overran the market towns of Kadugli and Dilling on Sunday, holding them for "
     "several hours.",
     [("capture", "Kadugli", None, "SDNREB", None), ("capture", "Dilling", None, "SDNREB", None)]),
    # a withdrawal with no place of its own: the places of the one capture before it
    ("Rebels overran the market towns of Kadugli and Dilling on Sunday, holding them for "
     "several hours before withdrawing.",
     [("capture", "Kadugli", None, "SDNREB", None), ("capture", "Dilling", None, "SDNREB", None),
      ("loss", "Kadugli", None, "SDNREB", None), ("loss", "Dilling", None, "SDNREB", None)]),
    # a siege with no place of its own: the place the sentence's capture names, by its taker
    ("Kadugli fell to government troops on Monday after a 40-day siege.",
     [("capture", "Kadugli", None, "SDNMIL", None), ("siege", "Kadugli", None, "SDNMIL", None)]),
    ("Government troops took control of Kadugli on Monday after weeks of encirclement.",
     [("capture", "Kadugli", None, "SDNMIL", None), ("siege", "Kadugli", None, "SDNMIL", None)]),
    # a siege someone vows or fails to break goes on
    ("Government troops vowed to break the rebel siege of Kadugli.",
     [("siege", "Kadugli", None, "SDNREB", None)]),
    ("Government troops failed to lift the rebel siege of Kadugli.",
     [("siege", "Kadugli", None, "SDNREB", None)]),
    # kept control of a place: a holding (and "lose control" does not reach into "kept")
    ("The army lost Kadugli on Monday but kept control of Dilling.",
     [("loss", "Kadugli", None, "SDNMIL", None), ("hold", "Dilling", None, "SDNMIL", None)]),
    # a bridgehead at a place is kept under it
    ("Ukrainian marines have held a bridgehead at Krynky since October, commanders said.",
     [("hold", "bridgehead", "Krynky", "UKRMIL", None)]),
    # an area word before the name: "the rebel-held town Kadugli"
    ("Jets struck the rebel-held town Kadugli on Saturday.",
     [("hold", "Kadugli", None, "SDNREB", None)]),
    # "the whole city, including the airport": the city (the airport's claim folds into it)
    ("Rebels withdrew from Malakal, and government troops now control the whole city, "
     "including the airport.",
     [("loss", "Malakal", None, "SSDREB", None), ("hold", "Malakal", None, "SSDMIL", None)]),
    # a share in apposition to the place held
    ("Rebels, who hold the Nuba valley, barely 5 percent of Sudan, rejected the plan on Sunday.",
     [("hold", "Nuba", None, "SDNREB", None), ("hold", "Sudan", None, "SDNREB", 0.05)]),
    # "the northern city": the city named before; a ridge is a place word
    ("Rebels withdrew from Malakal on Monday, a week after the rebels seized the northern city.",
     [("loss", "Malakal", None, "SSDREB", None), ("capture", "Malakal", None, "SSDREB", None)]),
    ("Government troops recaptured the Tololing ridge in Kashmir on Sunday.",
     [("capture", "Tololing", "Kashmir", "INDMIL", None)]),
])
def test_fifth_round_classes(reader, text, expected):
    assert claims_of(reader, text) == expected


@pytest.mark.parametrize("text", [
    # a fight for the town goes on: no capture
    "Rebels who poured into Malakal on Tuesday were battling government troops for the town "
    "centre on Wednesday.",
    # an unarmed visitor takes nothing
    "The president entered Malakal on Friday to cheering crowds.",
    # a siege broken has ended: no claim says so
    "Government troops broke the rebel siege of Kadugli on Sunday.",
    # the old city is no antecedent of a named city
    "Rebels seized the old city on Monday.",
])
def test_fifth_round_traps(reader, text):
    assert claims_of(reader, text) == []


@pytest.mark.parametrize("text, expected", [
    # "including" after a share names a place of its own
    ("Government troops took control of 70 percent of eastern Aleppo, including the Old City, "
     "on Monday.", [("capture", "east Aleppo", "Aleppo", "SYRMIL", 0.7),
                    ("capture", "Old City", "Aleppo", "SYRMIL", None)]),
    # a holding dated after the same sentence's capture is news of its own ...
    ("Rebels seized Kadugli on Sunday and were still holding the town on Monday.",
     [("capture", "Kadugli", None, "SDNREB", None), ("hold", "Kadugli", None, "SDNREB", None)]),
    # ... one the same day is the capture's
    ("Rebels seized Kadugli on Sunday and were holding the town on Sunday night.",
     [("capture", "Kadugli", None, "SDNREB", None)]),
])
def test_fifth_round_places_and_later_holds(reader, text, expected):
    assert claims_of(reader, text) == expected


@pytest.mark.parametrize("text, name, words", [
    # the words a part was read from: "Old City" (named old Homs, kept under Homs)
    ("Government forces have besieged the Old City of Homs for more than a year.",
     "old Homs", "Old City"),
    # a name with lower-case words inside it is read whole, as written (the text adds the
    # facility's host)
    ("Government troops seized the Khalid ibn al-Walid mosque in Homs on Monday.",
     "Khalid ibn al-Walid mosque", "Khalid ibn al-Walid mosque Homs"),
])
def test_fifth_round_names_read_whole(reader, text, name, words):
    art = Article(id="t", text=text, published=datetime(2016, 12, 7))
    got = reader.read([art])
    assert [(c.place.name, c.place.text) for c in got][:1] == [(name, words)]
