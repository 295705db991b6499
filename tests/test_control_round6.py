"""Control claims: the classes fixed in the sixth round (docs/control.md, "Sixth round").
Own sentences, each class with its trap."""

from __future__ import annotations

from datetime import datetime

import pytest

from dateline.model import Article


@pytest.fixture(scope="module")
def reader(coder):
    from dateline.control.extract import ControlReader

    return ControlReader(coder)


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
])
def test_sixth_round(reader, text, published, expected):
    assert claims_of(reader, text, published) == expected
