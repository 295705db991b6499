"""Property tests: any text, no exception; matches lie inside the text and do not overlap."""

from __future__ import annotations

from datetime import date

from actors_fixtures import dictionary, finder  # noqa: F401
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

WORDS = ["Syria", "Syria's", "Syrian", "army", "troops", "forces", "loyal", "to", "of", "the",
         "President", "Bashar", "al-Assad", "U.S.", "US", "us", "-", "led", "pro-", "backed",
         "Foreign", "Minister", "Lavrov", "rebels", "'s", "'", ".", ",", "Gen.", "Mr", "Hamas",
         "faction", "Yasser", "former", "the monitoring group", "police", "vhp", "congress",
         "Congress", "BJP", "Kerry", "Moscow", "UN", "Security", "Council", "é", "İstanbul",
         "ß", "\u2019s", "Côte", "d'Ivoire", "\n", "  ", "of the leading", "Nureddin", "al-Zinki"]


HEALTH = [HealthCheck.function_scoped_fixture]


def check(finder, text, **kw):
    matches = finder.find(text, **kw)
    last_end = -1
    for m in matches:
        r = m.ref
        assert 0 <= r.start < r.end <= len(text)
        assert r.text == text[r.start:r.end]
        assert m.head is not None and r.start <= m.head[0] < m.head[1] <= r.end
        if m.kind != "person":  # a member's name may precede a match that started earlier
            assert r.start >= last_end
            last_end = r.end
        assert r.code is None or r.code.isupper()


@settings(max_examples=300, deadline=None, suppress_health_check=HEALTH)
@given(st.text())
def test_random_text(finder, text):
    check(finder, text)
    check(finder, text, lowercase=True)


@settings(max_examples=300, deadline=None, suppress_health_check=HEALTH)
@given(st.lists(st.sampled_from(WORDS), max_size=25), st.sampled_from([" ", "", "-"]),
       st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 1, 1))))
def test_random_actor_words(finder, words, sep, on):
    text = sep.join(words)
    check(finder, text, on=on)
    check(finder, text.lower(), on=on, default_country="SYR")
