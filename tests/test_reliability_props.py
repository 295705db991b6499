"""Property tests (hypothesis) of every reader, the date resolver and the real coder.

Structure-aware inputs (tests/fuzz/strategies.py: HTML trees, feeds, JSON Lines, WARC
records, text in many encodings, packed in .gz/.zip and damaged; news-like text from real
news words, trigger words and dictionary names mixed with random unicode) and the
invariants of tests/fuzz/checks.py. ``make fuzz`` runs the same targets for minutes; here
they run with few examples.
"""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest
from fuzz import checks
from fuzz.strategies import Strategies
from fuzz.targets import TARGETS, DateState, ReaderState
from fuzz.vocab import Vocabulary
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline.model import ActorRef, Article, Mention, ReadError

# the strategies sample from long word lists; hypothesis warns about the size of their repr
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")
STRATEGIES = Strategies(Vocabulary.load())
READERS = [name for name in TARGETS if name.startswith("reader_")]
RELAXED = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
           HealthCheck.function_scoped_fixture]


@pytest.fixture(scope="module")
def reader_state():
    state = ReaderState.create()
    yield state
    state.close()


@pytest.mark.parametrize("name", READERS)
@settings(max_examples=25, deadline=None, suppress_health_check=RELAXED)
@given(data=st.data())
def test_reader_properties(reader_state, name, data):
    """Any input: Articles or one-line ReadErrors naming it; articles clean, in normal form,
    storable, and unchanged by a trip through the store."""
    target = TARGETS[name]
    target.run(reader_state, data.draw(target.strategy(STRATEGIES), label="input"))


@settings(max_examples=200, deadline=None, suppress_health_check=RELAXED)
@given(example=STRATEGIES.date_examples)
def test_date_resolver_properties(example):
    """Never raises; every date found lies inside the text and is a real date in range."""
    TARGETS["dates"].run(DateState.create(), example)


@settings(max_examples=50, deadline=None, suppress_health_check=RELAXED)
@given(article=STRATEGIES.articles)
def test_coder_properties(coder, article):
    """The real coder on news-like articles: no exception; every offset inside the text and
    pointing at what it names; valid dates, types and modalities; unique mention ids."""
    [(out, mentions)] = list(coder.code_articles([article]))
    assert out is article
    checks.check_mentions(article, mentions)


def test_news_vocabulary_reaches_the_parser(coder):
    """Sentences of the shape the strategy favours (names, trigger words, dates from the
    vocabulary) get coded into events, so the coder property exercises the parser and the
    role, date and place code, not only the pre-filter."""
    rng = random.Random(20161207)
    vocab = STRATEGIES.vocab
    sentences = [f"{rng.choice(vocab.names)} {rng.choice(vocab.triggers)} "
                 f"{rng.choice(vocab.names)} {rng.choice(vocab.dates)}." for _ in range(60)]
    article = Article(id="vocab", text=" ".join(sentences), published=datetime(2016, 12, 7))
    mentions = coder.code_article(article)
    checks.check_mentions(article, mentions)
    assert len(mentions) >= 10


# -- the checks themselves can fail ---------------------------------------------------------
def _mention(**over) -> tuple[Article, Mention]:
    art = Article(id="a", text="Rebels attacked Aleppo on Monday.", published=datetime(2016, 12, 7))
    fields = dict(article_id="a", sentence=art.text, sentence_index=0, char_start=0,
                  char_end=len(art.text), event_type="ASSAULT", cameo="190", quad_class=4,
                  trigger="attacked", trigger_start=7, trigger_end=15, date="2016-12-05",
                  date_text="on Monday", date_start=23, date_end=32, date_precision="day",
                  actor=[ActorRef("Rebels", start=0, end=6)])
    fields.update(over)
    return art, Mention(**fields)


def test_mention_checks_accept_a_good_mention():
    art, m = _mention()
    checks.check_mentions(art, [m])


@pytest.mark.parametrize("over", [
    {"char_end": 99},
    {"trigger_start": 8},
    {"date_start": 30, "date_end": 40},
    {"actor": [ActorRef("Rebels", start=-1, end=5)]},
    {"date": "2016-02-30"},
    {"event_type": "ATTACK"},
    {"modality": "maybe"},
    {"quad_class": 1},
    {"confidence": 1.5},
])
def test_mention_checks_catch_each_violation(over):
    art, m = _mention(**over)
    with pytest.raises((AssertionError, ValueError, KeyError)):
        checks.check_mentions(art, [m])


def test_duplicate_mention_ids_are_caught():
    art, m = _mention()
    with pytest.raises(AssertionError, match="share an id"):
        checks.check_mentions(art, [m, m])


def test_reader_checks_catch_bad_output():
    with pytest.raises(AssertionError, match="spans lines"):
        checks.check_read_items([ReadError("f.txt", "two\nlines")], "f.txt")
    with pytest.raises(AssertionError, match="normal form"):
        checks.check_read_items([Article(id="x", text="a  b", origin="f.txt")], "f.txt")
    with pytest.raises(AssertionError, match="UTF-8"):
        checks.check_read_items([Article(id="x", text="a\ud800", origin="f.txt")], "f.txt")


def test_date_checks_catch_bad_refs():
    from dateline.coding.dates import DateRef

    text = "on Monday"
    checks.check_date_refs([DateRef("on Monday", 0, 9, date(2016, 12, 5), "day")], text,
                           1800, 2199)
    with pytest.raises(AssertionError):
        checks.check_date_refs([DateRef("on Monday", 1, 10, date(2016, 12, 5), "day")], text,
                               1800, 2199)
    with pytest.raises(AssertionError):
        checks.check_date_refs([DateRef("on Monday", 0, 9, date(1700, 12, 5), "day")], text,
                               1800, 2199)
