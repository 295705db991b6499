"""Plain-text reader: header shapes, body paragraphs, dates, property tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline.ingest import ReadContext, parse_text, read_text
from dateline.ingest.dates import find_date, find_month_day, parse_date
from dateline.model import Article, ReadError, normalise_text


@pytest.fixture(scope="module")
def ctx():
    return ReadContext.create()


def one(items) -> Article:
    items = list(items)
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def test_founding_example(example_path, ctx):
    art = one(read_text(example_path.read_bytes(), str(example_path), ctx))
    assert art.headline == "Army seize key ground in fierce Aleppo battle"
    assert art.section == "Syria War"
    assert art.subheadlines == ["Say no to ceasefire call; Russia, China veto UN resolution"]
    assert art.published.date().isoformat() == "2016-12-07"
    assert art.language == "en"
    assert art.origin == str(example_path)
    assert art.text.startswith("Syria's army seized key ground in its battle to retake Aleppo")
    assert "Published on" not in art.text and "Syria War" not in art.text.split("\n\n")[0]
    assert len(art.paragraphs) == 14  # 18 blocks: date line, section, headline, subheadline
    assert art.text.endswith("millions forced from their homes.")
    assert art.id == Article.make_id(None, art.text)


def test_id_is_stable_and_content_based(example_path, ctx):
    data = example_path.read_bytes()
    a = one(read_text(data, "a.txt", ctx))
    b = one(read_text(data.replace(b"\n", b"\r\n"), "elsewhere/b.txt", ctx))
    assert a.id == b.id  # same article, other file and line endings: same id
    c = one(read_text(data.replace(b"retake Aleppo", b"retake Homs"), "c.txt", ctx))
    assert c.id != a.id


@pytest.mark.parametrize("text, expected", [
    ("BEIRUT, Dec 6 (Reuters) - Syrian forces advanced in Aleppo on Tuesday, a monitor said.",
     {"published": "2016-12-06", "source": "Reuters"}),
    ("NEW YORK, Dec. 31, 2015 (Reuters) - Stocks fell on the last day of the year.",
     {"published": "2015-12-31", "source": "Reuters"}),
    ("Cairo, Egypt, March 3 (AFP) -- Police clashed with students near the university.",
     {"published": "2016-03-03", "source": "AFP"}),
    ("GAZA CITY, Jan 2 - Israeli jets struck targets overnight, witnesses said.",
     {"published": "2016-01-02"}),
])
def test_agency_dateline(text, expected):
    parsed = parse_text("Headline here\n\n" + text, reference=datetime(2016, 12, 8))
    assert parsed.published.date().isoformat() == expected["published"]
    assert parsed.source == expected.get("source")
    assert parsed.paragraphs[0] == text  # the dateline stays in the body (the place is there)
    assert parsed.headline == "Headline here"


def test_dateline_year_comes_from_file_name_or_reference():
    text = "Fighting flares\n\nBEIRUT, Dec 31 (Reuters) - Shelling resumed, a monitor said."
    assert parse_text(text, reference=datetime(2017, 1, 2)).published == datetime(2016, 12, 31)
    parsed = parse_text(text, reference=datetime(2020, 6, 1), filename="wire-2014-01-01.txt")
    assert parsed.published == datetime(2013, 12, 31)


def test_byline_with_updated_time():
    parsed = parse_text("Police arrest 20 after clashes\nBy Rahul Sharma and Priya Singh | "
                        "Updated: Dec 7, 2016, 10:00 GMT\n\nPolice arrested 20 people after "
                        "clashes in the old city on Tuesday.\n\nMore followed.")
    assert parsed.authors == ["Rahul Sharma", "Priya Singh"]
    assert parsed.published == datetime(2016, 12, 7, 10, 0, tzinfo=timezone.utc)
    assert parsed.headline == "Police arrest 20 after clashes"
    assert parsed.paragraphs[0].startswith("Police arrested 20 people")


def test_this_story_is_from(ctx):
    text = ("This story is from March 10, 2002\n\nlucknow: the all-india babri masjid action "
            "committee (aibmac) has sought a ban on vhp-sponsored march 15 programme.")
    art = one(read_text(text, "ipe.txt", ctx))
    assert art.published == datetime(2002, 3, 10)
    assert art.text.startswith("lucknow: the all-india")
    assert art.headline is None


def test_plain_date_line_and_headline_after_it():
    parsed = parse_text("Troops clash on border as talks stall\nWednesday, 7 December 2016 "
                        "14:05 GMT\n\nTroops clashed on the border on Tuesday.")
    assert parsed.headline == "Troops clash on border as talks stall"
    assert parsed.published == datetime(2016, 12, 7, 14, 5, tzinfo=timezone.utc)
    assert parsed.paragraphs == ["Troops clashed on the border on Tuesday."]


def test_metadata_lines():
    parsed = parse_text("Title: Troops clash on border\nDate: 2016-12-07T10:00:00+05:30\n"
                        "Source: Example News\nURL: http://example.com/a\nAuthor: A. Writer\n\n"
                        "Troops clashed on the border on Tuesday.")
    assert parsed.headline == "Troops clash on border"
    assert parsed.published == datetime(2016, 12, 7, 10, tzinfo=timezone(timedelta(hours=5.5)))
    assert parsed.source == "Example News" and parsed.url == "http://example.com/a"
    assert parsed.authors == ["A. Writer"]


def test_headline_with_a_date_is_not_a_date_line():
    parsed = parse_text("Syria talks set for March 10, 2017\n\nTalks will be held in Geneva.")
    assert parsed.headline == "Syria talks set for March 10, 2017"
    assert parsed.published is None


def test_hard_wrapped_paragraphs_are_rejoined():
    parsed = parse_text("Syria's army seized key ground in its battle to retake Aleppo\n"
                        "yesterday, capturing five more districts including a strategic\n"
                        "neighbourhood at the heart of rebel territory.\n\nSecond paragraph.")
    assert parsed.headline is None
    assert parsed.paragraphs[0].startswith("Syria's army seized") and \
        parsed.paragraphs[0].endswith("rebel territory.")
    assert len(parsed.paragraphs) == 2


def test_single_newline_shape_never_glues_header_to_body():
    parsed = parse_text("Army seize key ground\nSyria's army seized key ground in its battle to "
                        "retake Aleppo yesterday.\nThe advance came as Moscow and Washington "
                        "traded barbs.")
    assert parsed.headline == "Army seize key ground"
    assert parsed.paragraphs == [
        "Syria's army seized key ground in its battle to retake Aleppo yesterday.",
        "The advance came as Moscow and Washington traded barbs."]


def test_headline_only_text_is_its_own_body(ctx):
    art = one(read_text("Protesters clashed with police in Cairo", "short.txt", ctx))
    assert art.text == "Protesters clashed with police in Cairo"


def test_filename_date_is_the_fallback(ctx):
    art = one(read_text("Troops clash\n\nTroops clashed on Tuesday.", "news/2015-06-01-x.txt", ctx))
    assert art.published == datetime(2015, 6, 1)


@pytest.mark.parametrize("text, expected", [
    ("Published on 1:30 PM, December 07, 2016", datetime(2016, 12, 7, 13, 30)),
    ("December 7, 2016", datetime(2016, 12, 7)),
    ("7 Dec 2016 14:05 GMT", datetime(2016, 12, 7, 14, 5, tzinfo=timezone.utc)),
    ("Posted Dec. 7th, 2016 at 3:45 p.m.", datetime(2016, 12, 7, 15, 45)),
    ("2016-12-07T10:00:00+05:30", datetime(2016, 12, 7, 10, tzinfo=timezone(timedelta(hours=5.5)))),
    ("Feb 30, 2016", None),
    ("no date at all", None),
])
def test_find_date(text, expected):
    found = find_date(text)
    assert (found.value if found else None) == expected


def test_parse_date_metadata_values():
    assert parse_date("Wed, 07 Dec 2016 10:00:00 +0100") == datetime(
        2016, 12, 7, 10, tzinfo=timezone(timedelta(hours=1)))
    assert parse_date(1481068800) == datetime(2016, 12, 7, tzinfo=timezone.utc)
    assert parse_date("2016-12-07") == datetime(2016, 12, 7)
    assert parse_date("7 décembre 2016") == datetime(2016, 12, 7)
    assert parse_date("garbage") is None and parse_date(None) is None and parse_date([]) is None


def test_month_day_resolves_to_latest_not_after_reference():
    assert find_month_day("Dec 31", datetime(2017, 1, 2)).value == datetime(2016, 12, 31)
    assert find_month_day("Jan 2", datetime(2017, 1, 2)).value == datetime(2017, 1, 2)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(ctx, data):
    out1 = list(read_text(data, "random.txt", ctx))
    out2 = list(read_text(data, "random.txt", ctx))
    assert len(out1) == 1 and isinstance(out1[0], Article | ReadError)
    assert [getattr(x, "id", None) for x in out1] == [getattr(x, "id", None) for x in out2]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_random_text_never_raises_and_body_is_normalised(ctx, text):
    out = list(read_text(text, "random.txt", ctx))
    assert len(out) == 1
    if isinstance(out[0], Article):
        art = out[0]
        assert art.text and normalise_text(art.text) == art.text
        assert art.id == Article.make_id(art.source, art.text)
        assert out[0].id == list(read_text(text, "random.txt", ctx))[0].id


one_line = st.text(st.characters(min_codepoint=32, max_codepoint=0x24F), min_size=1, max_size=200)


@settings(max_examples=150, deadline=None)
@given(one_line, st.lists(one_line, min_size=1, max_size=5))
def test_header_lines_never_glue_into_the_body(headline, paragraphs):
    """Whatever the header and body hold, every body paragraph comes from one input block:
    nothing is joined across a blank line (a header line never prefixes body text)."""
    blocks = ["December 7, 2016", headline, *paragraphs]
    parsed = parse_text("\n\n".join(blocks))

    def norm(s: str) -> str:
        return " ".join(s.split())

    for p in parsed.paragraphs:
        assert any(norm(p) in norm(b) for b in blocks), (p, blocks)
    if parsed.headline:
        assert all(norm(parsed.headline) in norm(b) for b in blocks[1:2]) or \
            any(norm(parsed.headline) == norm(b) for b in blocks)


@pytest.mark.parametrize("text, dateline", [
    ("QUITO — Colombia agreed.", "QUITO — "),
    ("MAIDUGURI, Nigeria — Gunmen stormed a village.", "MAIDUGURI, Nigeria — "),
    ("BOGOTÁ — Colombia extradited him.", "BOGOTÁ — "),
    ("N'DJAMENA — Troops killed dozens.", "N'DJAMENA — "),
    ("BEIRUT, Dec 6 (Reuters) - Syrian troops advanced.", "BEIRUT, Dec 6 (Reuters) - "),
    ("NEW YORK (AP) — Police said.", "NEW YORK (AP) — "),
    ("WASHINGTON -- The United States said.", "WASHINGTON -- "),
    ("Russia — the largest country — said.", ""),
    ("Syria's army seized ground.", ""),
    ("The UN — and its agencies — said.", ""),
])
def test_dateline_end(text, dateline):
    from dateline.ingest.text import dateline_end

    assert text[:dateline_end(text)] == dateline
