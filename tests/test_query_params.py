"""The query parameters: strict parsers that accept exactly what the published JSON schema
allows, and name the parameter when they refuse."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.model import EVENT_TYPES
from dateline.query import EventQuery, QueryError
from dateline.query.params import (
    EVENT_FILTERS,
    PATTERNS,
    ActorTerm,
    Near,
    event_params,
    parse_actors,
    parse_query_text,
)


def test_parse_typed_and_text_values_alike():
    a = EventQuery.parse(type="assault,COERCE", since="2016-12", until="2016-12",
                         min_sources=3, negated=False, near="36.2,37.16,25", quad="4")
    b = EventQuery.parse({"type": ["ASSAULT", "coerce"], "since": date(2016, 12, 1),
                          "until": date(2016, 12, 31), "min_sources": "3", "negated": "false",
                          "near": Near(36.2, 37.16, 25), "quad": [4]})
    assert a == b
    assert a.type == ("ASSAULT", "COERCE")
    assert (a.since, a.until) == (date(2016, 12, 1), date(2016, 12, 31))
    assert a.near == Near(36.2, 37.16, 25.0)
    assert a.negated is False and a.min_sources == 3


@pytest.mark.parametrize("raw, since, until", [
    ("2016", date(2016, 1, 1), date(2016, 12, 31)),
    ("2016-02", date(2016, 2, 1), date(2016, 2, 29)),
    ("2015-02", date(2015, 2, 1), date(2015, 2, 28)),
    ("2016-12-07", date(2016, 12, 7), date(2016, 12, 7)),
])
def test_partial_dates_cover_the_period(raw, since, until):
    q = EventQuery.parse(since=raw, until=raw)
    assert (q.since, q.until) == (since, until)


@pytest.mark.parametrize("name, value, says", [
    ("since", "2016-13", "YYYY"),
    ("since", "2016-02-30", "calendar date"),
    ("until", "yesterday", "YYYY"),
    ("until", "20161207", "YYYY"),
    ("type", "ATTACK", "event types"),
    ("type", "ASSAULT,", "event types"),
    ("quad", "5", "1-4"),
    ("country", "SY", "alpha-3"),
    ("country", "SYR;DROP", "alpha-3"),
    ("near", "91,0,10", "lat"),
    ("near", "0,181,10", "lat"),
    ("near", "36.2,37.1", "lat"),
    ("near", "36.2, 37.1, 5", "lat"),
    ("min_sources", "-1", "whole number"),
    ("min_sources", "2.5", "whole number"),
    ("min_sources", "1000001", "whole number"),
    ("negated", "yes", "true or false"),
    ("modality", "certain", "asserted"),
    ("sort", "random", "one of"),
    ("limit", "0", "whole number"),
    ("limit", "1001", "whole number"),
    ("cursor", "not a cursor!", "cursor"),
    ("actor", "x" * 201, "at most 200"),
    ("q", "", "empty"),
    ("place", "", "empty"),
    ("mode", "fire arms", "mode"),
])
def test_bad_values_name_the_parameter(name, value, says):
    with pytest.raises(QueryError) as err:
        EventQuery.parse({name: value})
    assert err.value.param == name
    assert str(err.value).startswith(f"{name}: ")
    assert says in err.value.message


def test_unknown_parameter_is_an_error():
    with pytest.raises(QueryError) as err:
        EventQuery.parse(typ="ASSAULT")
    assert err.value.param == "typ"


def test_limit_none_means_all_and_max_page_size_is_enforced():
    assert EventQuery.parse(limit=None).limit is None
    assert EventQuery.parse().limit == 50
    with pytest.raises(QueryError):
        EventQuery.parse(limit=101, max_page_size=100)


def test_actor_terms():
    terms = parse_actors("actor", "RUS, Lavrov,code:igo ,country:syr,sector:gov,name:UN,,  ")
    assert terms == (ActorTerm("auto", "RUS"), ActorTerm("name", "Lavrov"),
                     ActorTerm("code", "IGO"), ActorTerm("country", "SYR"),
                     ActorTerm("sector", "GOV"), ActorTerm("name", "UN"))
    assert parse_actors("actor", "rus") == (ActorTerm("name", "rus"),)


def test_query_text_terms_and_phrases():
    assert parse_query_text("q", 'ceasefire "Russian jets"  12 CEASEFIRE') == (
        "ceasefire", "Russian jets", "12")
    assert parse_query_text("q", "   ") == ()


def test_fingerprint_ignores_paging_but_not_filters():
    a = EventQuery.parse(type="ASSAULT", limit=5)
    assert a.fingerprint() == EventQuery.parse(type="ASSAULT", limit=50).fingerprint()
    assert a.fingerprint() != EventQuery.parse(type="ACCUSE", limit=5).fingerprint()
    assert a.fingerprint() != EventQuery.parse(type="ASSAULT", sort="date").fingerprint()


def test_to_params_round_trips():
    q = EventQuery.parse(type="ASSAULT", actor="RUS,name:Lavrov", near="1.5,2,3",
                         since="2016-12", negated=True, q='"a b" c', sort="-sources")
    assert EventQuery.parse(q.to_params()) == q


# -- the schema and the parsers agree ----------------------------------------------------------
def _param(name: str):
    return next(p for p in event_params(1000) if p.name == name)


@pytest.mark.parametrize("name", ["type", "mode", "quad", "country", "modality", "near"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_value_the_schema_pattern_allows_parses(name, data):
    pattern = _param(name).schema["pattern"]
    value = data.draw(st.from_regex(pattern, fullmatch=True))
    _param(name).parse(name, value)  # must not raise


@settings(max_examples=80, deadline=None)
@given(st.dates(min_value=date(1, 1, 1)))
def test_every_schema_date_parses(day):
    assert EventQuery.parse(since=day.isoformat()).since == day


@settings(max_examples=80, deadline=None)
@given(st.from_regex(PATTERNS["year_month"], fullmatch=True))
def test_every_year_month_parses(value):
    q = EventQuery.parse(since=value, until=value)
    assert q.since <= q.until


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=30))
def test_text_outside_the_pattern_is_refused(value):
    for name in ("type", "quad", "country", "modality", "near"):
        p = _param(name)
        if re.fullmatch(p.schema["pattern"].strip("^$"), value):
            p.parse(name, value)
        else:
            with pytest.raises(QueryError):
                p.parse(name, value)


def test_every_filter_has_help_and_schema():
    names = [p.name for p in EVENT_FILTERS]
    assert names == ["type", "mode", "quad", "actor", "recipient", "country", "place", "near",
                     "since", "until", "min_sources", "negated", "modality", "q"]
    for p in EVENT_FILTERS:
        assert p.help and p.schema


def test_type_pattern_lists_every_event_type():
    for t in EVENT_TYPES:
        assert re.fullmatch(PATTERNS["type"], t) and re.fullmatch(PATTERNS["type"], t.lower())
