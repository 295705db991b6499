"""unshout: all-capitals lines read as title case, same length, other text untouched."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dateline.nlp import unshout


@pytest.mark.parametrize("text, expected", [
    ("REBELS SEIZE KISANGANI AIRPORT", "Rebels Seize Kisangani Airport"),
    ("GOVERNMENT TROOPS QUIT MALAKAL AS REBELS ADVANCE",
     "Government Troops Quit Malakal as Rebels Advance"),
    # acronyms and dotted abbreviations stay; hyphenated words are one word
    ("U.S. TROOPS ENTER BAGHDAD; PLO LEAVES BEIRUT", "U.S. Troops Enter Baghdad; PLO Leaves Beirut"),
    ("CHADIAN REBELS WITHDRAW AFTER TWO-DAY ASSAULT", "Chadian Rebels Withdraw after Two-day Assault"),
    # not shouting: left alone
    ("Rebels seize Kisangani airport", "Rebels seize Kisangani airport"),
    ("NATO and the UN met in Brussels.", "NATO and the UN met in Brussels."),
    ("TWO WORDS", "TWO WORDS"),
])
def test_unshout(text, expected):
    assert unshout(text) == expected


@given(st.text())
def test_unshout_keeps_length(text):
    assert len(unshout(text)) == len(text)
