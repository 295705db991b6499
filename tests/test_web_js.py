"""The page's pure JavaScript functions (highlighting, timeline buckets, event views), run
in Node.js on real mentions and events from a store."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from dateline.model import Mention
from dateline.web import WEB_DIR
from web_fixtures import build

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None and os.environ.get("CI") != "true",
                                reason="Node.js is not installed")


def run_js(body: str, data) -> object:
    """Run an ES module snippet with `data` (JSON) bound; it prints its JSON result."""
    script = (
        f"import * as hl from '{(WEB_DIR / 'highlight.js').as_uri()}';\n"
        f"import * as tl from '{(WEB_DIR / 'timeline.js').as_uri()}';\n"
        f"import * as evmod from '{(WEB_DIR / 'event.js').as_uri()}';\n"
        f"import * as api from '{(WEB_DIR / 'api.js').as_uri()}';\n"
        f"const data = {json.dumps(data)};\n{body}\n"
    )
    proc = subprocess.run([NODE, "--input-type=module", "-e", script], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def mentions() -> list[Mention]:
    items, _ = build(n_events=16, seed=3)
    return [m for _, ms in items for m in ms]


def test_spans_land_on_the_right_words(mentions):
    got = run_js(
        "console.log(JSON.stringify(data.map((m) => hl.mentionSpans(m).map((s) => "
        "({kind: s.kind, text: m.sentence.slice(s.start, s.end)})))));",
        [m.to_dict() for m in mentions])
    assert len(got) == len(mentions)
    for m, spans in zip(mentions, got):
        by_kind = {}
        for s in spans:
            by_kind.setdefault(s["kind"], []).append(s["text"])
        assert by_kind["actor"] == [a.text for a in m.actor]
        assert by_kind["recipient"] == [r.text for r in m.recipient]
        assert by_kind["trigger"] == [m.trigger]
        assert by_kind["place"] == [m.location.text]
        assert by_kind["date"] == [m.date_text]
        if m.attribution:
            assert by_kind["source"] == [m.attribution.text]
        # offsets are into the body: the sentence does not start at 0
        assert m.char_start > 0


def test_segments_cover_the_sentence_once_with_nested_spans():
    sentence = "Syria's army seized Aleppo on Tuesday."
    spans = [
        {"start": 0, "end": 12, "kind": "actor", "label": "actor"},
        {"start": 0, "end": 5, "kind": "place", "label": "place: Syria"},
        {"start": 13, "end": 19, "kind": "trigger", "label": "event"},
        {"start": 20, "end": 26, "kind": "place", "label": "place: Aleppo"},
    ]
    segs = run_js("console.log(JSON.stringify(hl.segments(data.s, data.spans)));",
                  {"s": sentence, "spans": spans})
    assert "".join(s["text"] for s in segs) == sentence
    assert segs[0] == {"text": "Syria", "kinds": ["place", "actor"],
                       "labels": ["place: Syria", "actor"], "primary": "place"}
    assert segs[1]["text"] == "'s army" and segs[1]["primary"] == "actor"
    assert [s["primary"] for s in segs if s["text"] in ("seized", "Aleppo")] == ["trigger",
                                                                                 "place"]


def test_bad_offsets_fall_back_to_the_text_or_are_dropped():
    m = {"sentence": "Kerry denied any change.", "char_start": 100,
         "actor": [{"text": "Kerry", "start": 3, "end": 8}],  # points before the sentence
         "recipient": [{"text": "Lavrov", "start": 100, "end": 106}],  # not in the sentence
         "trigger": "denied", "trigger_start": 106, "trigger_end": 112}
    spans = run_js("console.log(JSON.stringify(hl.mentionSpans(data)));", m)
    assert [(s["kind"], s["start"], s["end"]) for s in spans] == [("actor", 0, 5),
                                                                  ("trigger", 6, 12)]


def test_timeline_buckets_and_interval_choice():
    got = run_js(
        "console.log(JSON.stringify({"
        "day: tl.bucketLastDay('2016-12-31', 'day'),"
        "week: tl.bucketLastDay('2016-12-05', 'week'),"
        "month: tl.bucketLastDay('2016-02-01', 'month'),"
        "dec: tl.nextBucket('2016-12-01', 'month'),"
        "short: tl.chooseInterval('2016-11-20', '2016-12-12'),"
        "mid: tl.chooseInterval('2015-01-01', '2016-12-12'),"
        "long: tl.chooseInterval('2002-01-01', '2016-12-12')}));", None)
    assert got == {"day": "2016-12-31", "week": "2016-12-11", "month": "2016-02-29",
                   "dec": "2017-01-01", "short": "day", "mid": "week", "long": "month"}


def test_filters_pass_through_as_query_parameters():
    got = run_js(
        "console.log(JSON.stringify(api.filterParams(data, ['since']).toString()));",
        {"type": ["ASSAULT", "COERCE"], "country": "SYR", "since": "2016-12-01",
         "actor": "  ", "min_sources": 2, "q": "ceasefire talks"})
    assert got == "type=ASSAULT%2CCOERCE&country=SYR&min_sources=2&q=ceasefire+talks"


def test_event_view_reads_both_event_shapes():
    from web_fixtures import event_of
    items, planned = build(n_events=3, seed=5)
    published = {a.id: a.published for a, _ in items}
    event = event_of(planned[0], published)
    record = event.to_dict()
    loc = event.location
    row = {"id": event.id, "event_type": event.event_type, "lat": loc.lat, "lon": loc.lon,
           "place": loc.name, "country": loc.country, "num_sources": event.num_sources,
           "actor_codes": event.actor_codes, "actor_names": [a.name for a in event.actors],
           "recipient_codes": event.recipient_codes,
           "recipient_names": [a.name for a in event.recipients]}
    views = run_js("console.log(JSON.stringify(data.map(evmod.eventView)));", [record, row])
    for v in views:
        assert (v["id"], v["type"], v["lat"], v["lon"], v["place"], v["country"]) == (
            event.id, event.event_type, loc.lat, loc.lon, loc.name, loc.country)
        assert [a["code"] for a in v["actors"]] == event.actor_codes
        assert [a["name"] for a in v["recipients"]] == [a.name for a in event.recipients]
        assert v["numSources"] == event.num_sources


def test_a_country_only_event_says_so():
    record = {"id": "e1", "event_type": "ASSAULT", "actors": [], "recipients": [],
              "location": {"name": "Syria", "country": "SYR", "feature": "country",
                           "lat": 35.0, "lon": 38.0}}
    city = {"id": "e2", "event_type": "ASSAULT", "actors": [], "recipients": [],
            "location": {"name": "Homs", "country": "SYR", "feature": "city",
                         "lat": 34.7, "lon": 36.7}}
    got = run_js("console.log(JSON.stringify(data.map((e) => evmod.placeText(evmod.eventView(e)))));",
                 [record, city])
    assert got == ["Syria (country only)", "Homs, SYR"]
