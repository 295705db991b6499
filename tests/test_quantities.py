"""QuantityExtractor: event sizes (dead, injured, arrested) and counted quantities."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.coding.numbers import parse_number
from dateline.coding.quantities import QuantityExtractor, singular


@pytest.fixture(scope="module")
def qx() -> QuantityExtractor:
    return QuantityExtractor()


@pytest.mark.parametrize("text, size", [
    ("A car bomb exploded, killing 12 people.", {"dead": 12}),
    ("At least 30 dead after the blast.", {"dead": 30}),
    ("Five civilians were killed in the strike.", {"dead": 5}),
    ("two policemen were injured", {"injured": 2}),
    ("Police arrested 45 people on Monday.", {"arrested": 45}),
    ("Soldiers detained three activists.", {"arrested": 3}),
    ("The death toll rose to 17.", {"dead": 17}),
    ("killing 12 people and wounding 30 others", {"dead": 12, "injured": 30}),
    ("gunmen left 8 villagers dead", {"dead": 8}),
    ("police held 20 protesters overnight", {"arrested": 20}),
    ("twenty-one people were arrested", {"arrested": 21}),
    ("nearly 75 persons were burnt alive", {"dead": 75}),
    ("The quake killed 1,800 people.", {"dead": 1800}),
    ("Rebels wounded dozens.", {}),                     # vague: skipped
    ("Hundreds of people were arrested.", {}),
    ("Talks were held on 5 issues.", {}),
    ("In 2011 protests were killed off by the regime.", {}),
    ("Police fired 40 rounds.", {}),
    # the head of a group, not the part set off after it; coordinated groups add up
    ("Forty-two villagers including nine teenagers have been detained.", {"arrested": 42}),
    ("18 workers, among them four women, were injured in the stampede.", {"injured": 18}),
    ("Twenty men and three women were rounded up.", {"arrested": 23}),
    # "X killed and Y injured" fills both
    ("two constables were killed and eleven injured", {"dead": 2, "injured": 11}),
    ("Six died, 30 hurt as the bus overturned.", {"dead": 6, "injured": 30}),
])
def test_size(qx, text, size):
    assert qx.extract(text)[0] == size


def test_vague_amounts_when_asked():
    assert QuantityExtractor(vague=True).extract("Rebels wounded dozens.")[0] == {"injured": 24}


@pytest.mark.parametrize("text, expected", [
    ("capturing five more districts", [(5, "district", "five more districts")]),
    ("in control of 70 percent of rebel territory", [(70, "percent", "70 percent")]),
    ("70% of the city", [(70, "percent", "70%")]),
    ("calling for a seven-day ceasefire", [(7, "day", "seven-day")]),
    ("More than 300,000 people have since died and millions forced from their homes.",
     [(300000, "person", "300,000 people")]),
    ("3.5 million refugees fled", [(3500000, "refugee", "3.5 million refugees")]),
    ("Police arrested 45 people", [(45, "person", "45 people")]),
    ("twenty-one people", [(21, "person", "twenty-one people")]),
    ("The convoy travelled 35 km", [(35, "kilometre", "35 km")]),
])
def test_quantities(qx, text, expected):
    got = [(q.value, q.unit, q.text) for q in qx.extract(text)[1]]
    assert got == expected


@pytest.mark.parametrize("text", [
    "The war erupted in 2011 with popular protests.",
    "Published on December 7, 2016.",
    "The curfew starts at 10 am under section 144.",
    "The UN adopted Resolution 2254.",
    "The 12-year-old boy was one of the victims.",
    "He came 2nd.",
    "It happened on 5 December 2016 at 10:30.",
    "one of them left",
])
def test_no_quantities(qx, text):
    assert qx.extract(text)[1] == []


@pytest.mark.parametrize("text, value, unit", [
    ("The fund pledged $5 million in aid.", 5_000_000, "dollar"),
    ("a €3bn deal", 3_000_000_000, "euro"),
    ("Rs 10 lakh compensation", 1_000_000, "indian rupee"),
    ("he spent 40 dollars", 40, "dollar"),
])
def test_money(qx, text, value, unit):
    assert [(x.value, x.unit) for x in qx.extract(text)[1]] == [(value, unit)]


def test_other_currencies(qx):
    """quantulum3 reads them (only then is it called); without it the counted-noun rule
    gives the same."""
    text = "The bank lent 300 million dinars."
    for extractor in (qx, QuantityExtractor(use_quantulum=False)):
        assert [(x.value, x.unit) for x in extractor.extract(text)[1]] == [(300_000_000, "dinar")]


@pytest.mark.parametrize("word, value", [
    ("five", 5), ("twenty-one", 21), ("two hundred and fifty", 250), ("1,200", 1200),
    ("3.5 million", 3_500_000), ("a dozen", 12), ("three thousand five hundred", 3500),
    ("one and a half million", 1_500_000), ("xyz", None), ("", None),
])
def test_parse_number(word, value):
    assert parse_number(word) == value


@pytest.mark.parametrize("noun, one", [
    ("people", "person"), ("districts", "district"), ("casualties", "casualty"),
    ("policemen", "policeman"), ("lives", "life"), ("buses", "bus"), ("kar-sevaks", "kar-sevak"),
])
def test_singular(noun, one):
    assert singular(noun) == one


@settings(max_examples=250, deadline=None)
@given(st.text(max_size=120))
def test_never_raises(text):
    size, quantities = QuantityExtractor(use_quantulum=False).extract(text)
    assert set(size) <= {"dead", "injured", "arrested"}
    assert all(isinstance(v, int) and v >= 0 for v in size.values())
    for q in quantities:
        assert q.text and q.text in text and q.unit


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "killed", "killing", "12", "five", "people", "were", "arrested", "dozens", "at", "least",
    "injured", "death", "toll", "rose", "to", "17", "percent", "seven-day", "2011", "in",
    "December", "300,000", "million", "police", "detained", "activists", "-", ",", "of",
]), max_size=14))
def test_word_salad(words):
    text = " ".join(words)
    size, quantities = QuantityExtractor(use_quantulum=False).extract(text)
    for q in quantities:
        assert q.text in text and q.value >= 0
