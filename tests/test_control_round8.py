"""Control claims: the classes fixed in the eighth session (docs/control.md, "Eighth
session"). Own sentences, each class with its trap."""

from __future__ import annotations

from functools import partial

import pytest
from control_fixtures import claims_of as _claims_of

claims_of = partial(_claims_of, published="2011-04-20")


@pytest.mark.parametrize("text, place, share", [
    # a count written as a word, of a whole the place's possessive names
    ("Rebel fighters now hold eleven of Misrata's 16 districts, a spokesman said.",
     "Misrata", 0.69),
    # a counted whole that lies in the named area ("in", "on")
    ("Government troops retook 15 of the 20 villages in Kandahar province on Sunday.",
     "Kandahar", 0.75),
    ("Kurdish fighters have taken 30 of the 40 neighbourhoods on Aleppo's eastern side.",
     "Aleppo", 0.75),
])
def test_shares_counted_in_units(reader, text, place, share):
    found = claims_of(reader, text)
    assert any(place.lower() in (name or "").lower() + " " + (within or "").lower()
               and s == share for _k, name, within, _h, s in found), found


def test_villages_counted_without_a_whole_are_no_share_of_the_province(reader):
    # "more than 60 villages in X": ground counted, not a share of X and not X itself
    found = claims_of(reader, "Government troops recaptured more than 60 villages in "
                              "Kandahar province.")
    assert not any("kandahar" in (n or "").lower() for _k, n, _w, _h, _s in found), found


def test_a_facility_held_by_someone_is_not_named_after_them(reader):
    # ("the port of X" is the port town X, as the blind sets label it: tenth session)
    found = claims_of(reader, "Aid ships docked at the rebel-held port of Misrata on Monday.")
    assert [(k, n, w) for k, n, w, _h, _s in found] == [("hold", "Misratah", None)], found
