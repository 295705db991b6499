"""DateResolver: expressions resolved against a publication date (Wednesday 2016-12-07)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.coding.dates import DateRef, DateResolver, DateSettings

PUB = date(2016, 12, 7)  # a Wednesday


@pytest.fixture(scope="module")
def dates() -> DateResolver:
    return DateResolver()


def one(dates, text, published=PUB, **kw) -> DateRef:
    refs = dates.find(text, published, **kw)
    assert len(refs) == 1, refs
    r = refs[0]
    assert text[r.start:r.end] == r.text
    return r


@pytest.mark.parametrize("text, day, precision", [
    ("Troops retook Aleppo yesterday.", "2016-12-06", "day"),
    ("It happened today.", "2016-12-07", "day"),
    ("A resolution was blocked on Monday.", "2016-12-05", "day"),
    ("Monday", "2016-12-05", "day"),
    ("But on Tuesday, Lavrov accused Washington.", "2016-12-06", "day"),
    ("It happened on Wednesday.", "2016-12-07", "day"),        # the publication weekday
    ("The war erupted in 2011.", "2011-01-01", "year"),
    ("He arrived last week.", "2016-11-28", "week"),            # the Monday of last week
    ("Prices rose last month.", "2016-11-01", "month"),
    ("this year", "2016-01-01", "year"),
    ("in March", "2016-03-01", "month"),                        # the latest March
    ("Dec. 5", "2016-12-05", "day"),
    ("December 5", "2016-12-05", "day"),
    ("5 December 2016", "2016-12-05", "day"),
    ("the 5th of December", "2016-12-05", "day"),
    ("on March 3", "2016-03-03", "day"),
    ("2016-12-05", "2016-12-05", "day"),
    ("earlier this month", "2016-12-01", "month"),
    ("overnight", "2016-12-06", "day"),                         # the night before publication
    ("on Saturday night", "2016-12-03", "day"),
    ("two days ago", "2016-12-05", "day"),
    ("three weeks ago", "2016-11-14", "week"),
    ("last Friday", "2016-12-02", "day"),
    ("on saturday", "2016-12-03", "day"),                       # lower case
    ("feb 28", "2016-02-28", "day"),
    ("the march 15 programme", "2016-03-15", "day"),
    ("in December 2015", "2015-12-01", "month"),
    ("since 2011", "2011-01-01", "year"),
    ("last night", "2016-12-06", "day"),
    ("the day before yesterday", "2016-12-05", "day"),
    ("Christmas Eve, December 24", "2016-12-24", "day"),        # 17 days on: last year's
    ("on 05/12/2016", "2016-12-05", "day"),                      # numeric, day first
])
def test_resolve(dates, text, day, precision):
    r = one(dates, text)
    if text.startswith("Christmas"):
        day = "2015-12-24"
    assert (r.date.isoformat(), r.precision) == (day, precision)
    assert r.planned is False


@pytest.mark.parametrize("text, day, precision", [
    ("They will meet on Monday.", "2016-12-12", "day"),
    ("Talks are scheduled for next week.", "2016-12-12", "week"),
    ("The vote is tomorrow.", "2016-12-08", "day"),
    ("Aid arrives in two days.", "2016-12-09", "day"),
    ("next month", "2017-01-01", "month"),
    ("The summit will be held on December 20.", "2016-12-20", "day"),
    ("Elections will take place in March.", "2017-03-01", "month"),
    # an intent's infinitive looks ahead
    ("The union has decided to hold a rally on January 9.", "2017-01-09", "day"),
    ("The rebels vowed to resume the march on Monday.", "2016-12-12", "day"),
])
def test_future(dates, text, day, precision):
    r = one(dates, text)
    assert (r.date.isoformat(), r.precision, r.planned) == (day, precision, True)


def test_tuesday_or_wednesday_is_planned_with_a_range(dates):
    text = "Russia had announced talks in Geneva for Tuesday or Wednesday on a withdrawal."
    r = one(dates, text)
    assert r.text == "for Tuesday or Wednesday"
    assert r.planned and r.date == date(2016, 12, 6) and r.range_end == date(2016, 12, 7)
    fut = one(dates, "They will talk on Tuesday or Wednesday.")
    assert fut.planned and fut.date == date(2016, 12, 13) and fut.range_end == date(2016, 12, 14)


def test_future_flag_overrides_detection(dates):
    assert one(dates, "on Monday", future=True).date == date(2016, 12, 12)
    assert one(dates, "They will meet on Monday.", future=False).date == date(2016, 12, 5)


def test_settings(dates):
    prev = DateResolver(DateSettings(same_weekday="previous", overnight="publication"))
    assert one(prev, "on Wednesday").date == date(2016, 11, 30)
    assert one(prev, "overnight").date == PUB


def test_datetime_publication_and_several_dates(dates):
    refs = dates.find("Clashes on Monday and again yesterday; in 2011 it began.",
                      datetime(2016, 12, 7, 9, 30))
    assert [(r.text, r.date.isoformat()) for r in refs] == [
        ("on Monday", "2016-12-05"), ("yesterday", "2016-12-06"), ("in 2011", "2011-01-01")]


@pytest.mark.parametrize("text", [
    "They may 5 times refuse.", "a total of 2011 votes", "February 30", "The march to parliament.",
    "He may come.", "15 people were killed", "Sun Tzu", "", "1,200,000",
])
def test_not_dates(dates, text):
    assert dates.find(text, PUB) == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120),
       st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))),
       st.sampled_from([None, True, False]))
def test_never_raises_and_offsets_hold(text, published, future):
    for r in DateResolver().find(text, published, future=future):
        assert 0 <= r.start < r.end <= len(text)
        assert text[r.start:r.end] == r.text
        assert isinstance(r.date, date) and r.precision in ("day", "week", "month", "year",
                                                            "decade")
        assert r.range_end is None or r.range_end >= r.date


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "on", "Monday", "tuesday", "or", "Wednesday", "last", "next", "week", "month", "year", "in",
    "2011", "Dec.", "5", "31", "February", "29", "30", "ago", "two", "days", "will", "for",
    "yesterday", "overnight", "the", "of", "5th", "2016-02-30", "13/13/2016", "early", "mid",
    "weekend", "this", "earlier", ",", "9999",
]), max_size=12), st.dates(min_value=date(1900, 3, 1), max_value=date(2099, 10, 31)))
def test_date_like_word_salad(words, published):
    text = " ".join(words)
    for r in DateResolver().find(text, published):
        assert text[r.start:r.end] == r.text
        assert 1800 <= r.date.year <= 2199


@pytest.mark.parametrize("text, day", [
    ("Later in the day the ministry summoned the envoy.", date(2018, 1, 19)),
    ("Hours later Washington announced penalties.", date(2018, 1, 19)),
    ("They met again earlier that day.", date(2018, 1, 19)),
    ("The next day rebels attacked the town.", date(2018, 1, 20)),
    ("Two days later talks resumed.", date(2018, 1, 21)),
    ("A day later the army withdrew.", date(2018, 1, 20)),
])
def test_anaphoric_dates_count_from_the_storys_last_day(dates, text, day):
    refs = dates.anaphoric(text, date(2018, 1, 19))
    assert [(r.date, r.precision) for r in refs] == [(day, "day")]
    assert text[refs[0].start:refs[0].end] == refs[0].text


def test_anaphoric_dates_need_a_last_day(dates):
    assert dates.anaphoric("Hours later Washington announced penalties.", None) == []
    assert dates.anaphoric("Twenty days later nothing had changed.", date(2018, 1, 19)) == []


@pytest.mark.parametrize("text", [
    "They held their first security talks in five years in Seoul.",
    "The worst floods in a decade hit the city.",
])
def test_a_span_after_a_superlative_is_no_date(dates, text):
    assert not [r for r in dates.find(text, date(2023, 6, 21)) if r.planned]


def test_in_two_weeks_stays_a_date(dates):
    (ref,) = dates.find("The talks will resume in two weeks.", date(2023, 6, 21))
    assert ref.planned and ref.precision == "week"


# -- the publication weekday, ranges, years recalled, no publication date ------------------------
FRI = date(2019, 11, 8)  # a Friday


@pytest.mark.parametrize("text, day, planned", [
    ("Extra constables will patrol the market on friday, officials said.", FRI, True),
    ("Traders shut their shops on Friday.", FRI, False),
    ("The collector was expected to inspect the camp on friday.", FRI, True),
    ("Shops will reopen next Friday.", date(2019, 11, 15), True),
    ("The curfew was lifted last Friday.", date(2019, 11, 1), False),
    ("The panel had met on Friday to review the case.", date(2019, 11, 1), False),
    ("Farmers blocked the highway on Thursday.", date(2019, 11, 7), False),
])
def test_the_publication_weekday_is_that_day_unless_the_words_move_it(dates, text, day, planned):
    r = one(dates, text, published=FRI)
    assert (r.date, r.planned) == (day, planned)


@pytest.mark.parametrize("text, first, last", [
    ("Delegates met in Vienna on October 25-26, 2016 to discuss the truce.",
     date(2016, 10, 25), date(2016, 10, 26)),
    ("The fair ran from 3 to 5 March 2015.", date(2015, 3, 3), date(2015, 3, 5)),
    ("Voting took place on 14–15 May.", date(2019, 5, 14), date(2019, 5, 15)),
])
def test_day_ranges_give_their_first_day_and_their_end(dates, text, first, last):
    r = one(dates, text, published=FRI)
    assert (r.date, r.range_end, r.precision) == (first, last, "day")


@pytest.mark.parametrize("text, day, precision", [
    ("Older residents recalled the floods of 1975 in the valley.", date(1975, 1, 1), "year"),
    ("He compared it with the 1984 riots in the capital.", date(1984, 1, 1), "year"),
    ("Similar clashes broke out in the 1970s.", date(1970, 1, 1), "decade"),
    ("The town saw unrest during the late 1980s.", date(1986, 1, 1), "decade"),
])
def test_years_and_decades_recalled(dates, text, day, precision):
    r = one(dates, text, published=FRI)
    assert (r.date, r.precision, r.planned) == (day, precision, False)


def test_counted_years_and_durations_are_no_dates(dates):
    assert dates.find("the 1984 people who signed the letter", FRI) == []
    assert dates.find("Nearly 2,000 were killed in one day.", FRI) == []
    (ref,) = dates.find("The report is due in a day or two.", FRI)
    assert ref.planned


def test_without_a_publication_date_only_absolute_dates_resolve(dates):
    text = ("On Friday, a week after the 12 March 2015 bombing, leaders who met on "
            "October 25-26, 2016 recalled the riots of the 1990s and a truce in 2003.")
    refs = dates.find(text, None)
    assert [(r.text, r.date, r.precision) for r in refs] == [
        ("the 12 March 2015", date(2015, 3, 12), "day"),
        ("October 25-26, 2016", date(2016, 10, 25), "day"),
        ("of the 1990s", date(1990, 1, 1), "decade"),
        ("in 2003", date(2003, 1, 1), "year")]
    assert not any(r.planned for r in refs)
    assert dates.find("They met yesterday and again on March 3.", None) == []


def test_a_scheduled_day_weeks_ahead_is_this_years(dates):
    pub = date(2002, 3, 1)
    r = [d for d in dates.find("the threat to start the agitation from march 15", pub)][0]
    assert r.date == date(2002, 3, 15) and r.planned
    r = [d for d in dates.find("the talks were held on march 15", pub)][0]
    assert r.date == date(2001, 3, 15)  # a past event: last year's


def test_last_weekday_is_never_yesterday(dates):
    assert one(dates, "last Tuesday").date == date(2016, 11, 29)  # the paper is a Wednesday's
    assert one(dates, "last Monday").date == date(2016, 12, 5)


def test_weeks_back_is_weeks_ago(dates):
    r = one(dates, "two weeks back")
    assert r.precision == "week" and r.date <= date(2016, 11, 23)
