"""The founding example, coded through the CLI: what the issue says it must (and must not) yield."""

from __future__ import annotations

import json

import pytest

from dateline.cli import app


@pytest.fixture(scope="module")
def mentions(example_path):
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["code", str(example_path)])
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("{")]
    return [json.loads(ln) for ln in lines]


def find(mentions, event_type, actor=None, recipient=None, **fields):
    out = []
    for m in mentions:
        if m["event_type"] != event_type:
            continue
        if actor and not any(a["country"] == actor or a["code"] == actor for a in m["actor"]):
            continue
        if recipient and not any(r["country"] == recipient or r["code"] == recipient
                                 for r in m["recipient"]):
            continue
        if any(m.get(k) != v for k, v in fields.items()):
            continue
        out.append(m)
    return out


def test_records_are_well_formed(mentions, example_path):
    from dateline.ingest import read_paths

    article = next(iter(read_paths([str(example_path)])))
    assert mentions
    lines = {"headline": [article.headline], "subheadline": article.subheadlines}
    for m in mentions:
        assert m["article_id"] == article.id
        # offsets point into the body, or for a header part into one of its lines
        texts = [article.text] if m["part"] == "body" else lines[m["part"]]
        assert (m["sentence_index"] >= 0) == (m["part"] == "body")
        text = next(t for t in texts if t[m["char_start"]:m["char_end"]] == m["sentence"])
        assert 0 <= m["confidence"] <= 1
        assert m["quad_class"] in (1, 2, 3, 4)
        for ref in m["actor"] + m["recipient"]:
            assert ref["start"] is None or text[ref["start"]:ref["end"]] == ref["text"]
        assert text[m["trigger_start"]:m["trigger_end"]] == m["trigger"]


def test_headline_is_coded(mentions):
    """"Army seize key ground in fierce Aleppo battle": a headline mention dated by
    publication (the body dates the same seizure yesterday)."""
    heads = [m for m in mentions if m["part"] == "headline"]
    assert any(m["event_type"] == "ASSAULT" and m["trigger"] == "seize"
               and m["date_precision"] == "publication"
               and any(a["code"] == "SYRMIL" for a in m["actor"]) for m in heads)


def test_headline_and_body_report_one_event(example_path, tmp_path, runner):
    from dateline.store import Store

    db = tmp_path / "example.duckdb"
    result = runner.invoke(app, ["ingest", "--no-progress", "--db", str(db), str(example_path)])
    assert result.exit_code == 0, result.output
    with Store.open(db, read_only=True) as store:
        rows = store.con.execute(
            "SELECT h.event_id, e.date, count(b.id) FROM mentions h "
            "JOIN mentions b ON b.event_id = h.event_id AND b.sentence_index >= 0 "
            "JOIN events e ON e.id = h.event_id "
            "WHERE h.sentence_index < 0 AND h.event_type = 'ASSAULT' "
            "GROUP BY h.event_id, e.date").fetchall()
    # the headline's seizure joined the body's "yesterday" event and took its day
    assert rows and any(str(day) == "2016-12-06" and n >= 1 for _eid, day, n in rows), rows


def test_army_seizes_districts_yesterday_per_observatory(mentions):
    hits = find(mentions, "ASSAULT", actor="SYR", date="2016-12-06")
    hits = [m for m in hits if any(a["sector"] in ("MIL", "GOV") for a in m["actor"])]
    assert hits
    assert any(m["location"] and m["location"]["name"] == "Aleppo"
               and m["location"]["country"] == "SYR" for m in hits)
    attributed = [m for m in hits if m["attribution"]
                  and "Observatory" in (m["attribution"]["text"] or "")]
    assert attributed
    assert any(q["value"] == 5 and q["unit"].startswith("district")
               for m in attributed for q in m["quantities"])
    assert all(m["cameo"].startswith("19") for m in hits)


def test_russia_and_china_veto_on_monday(mentions):
    hits = find(mentions, "REJECT", actor="RUS", date="2016-12-05", cameo="129")
    assert hits
    assert any(any(a["country"] == "CHN" for a in m["actor"]) for m in hits)
    assert any(any(r["code"] and r["code"].startswith("IGO") for r in m["recipient"])
               for m in hits)


def test_lavrov_accuses_washington_on_tuesday(mentions):
    assert find(mentions, "ACCUSE", actor="RUS", recipient="USA", date="2016-12-06")


def test_washington_accuses_moscow(mentions):
    assert find(mentions, "ACCUSE", actor="USA", recipient="RUS")


def test_talks_planned_in_geneva(mentions):
    hits = find(mentions, "CONSULT", actor="RUS", recipient="USA", modality="planned")
    assert hits
    assert any(m["location"] and m["location"]["name"] == "Geneva" for m in hits)


def test_kerry_denies(mentions):
    assert find(mentions, "REJECT", actor="USA")


def test_syria_rejects_ceasefire_never_agrees(mentions):
    hits = find(mentions, "REJECT", actor="SYR")
    assert any(a["sector"] == "GOV" for m in hits for a in m["actor"])
    assert not [m for m in find(mentions, "AGREE", actor="SYR") if not m["negated"]]


def test_rebels_reject_leaving_never_agree(mentions):
    rebels = [m for m in find(mentions, "REJECT", actor="SYR")
              if any(a["sector"] == "REB" for a in m["actor"])]
    assert rebels
    for m in mentions:
        if m["event_type"] in ("AGREE", "RETREAT") and not m["negated"]:
            assert not any(a["sector"] == "REB" for a in m["actor"]), m


def test_security_council_requests_seven_day_ceasefire(mentions):
    hits = [m for m in mentions if m["event_type"] == "REQUEST"
            and any((a["code"] or "").startswith("IGO") for a in m["actor"])]
    assert hits
    assert any(q["value"] == 7 and q["unit"].startswith("day") for m in hits
               for q in m["quantities"])
