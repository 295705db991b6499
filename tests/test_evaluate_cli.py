"""`dateline evaluate` through typer's CliRunner, on a tiny gold file and a mentions file."""

from __future__ import annotations

import json

import pytest

from dateline.cli import app
from evaluate_fixtures import mention

GOLD = [
    {"id": "a", "text": "Syria's army shelled Aleppo yesterday.", "published": "2016-12-07",
     "events": [{"event_type": "ASSAULT", "actor": [{"country": "SYR", "sector": "MIL"}],
                 "date": "2016-12-06", "location": {"name": "Aleppo", "country": "SYR"}}]},
    {"id": "b", "text": "Syria said it would not agree to a ceasefire.", "published": "2016-12-07",
     "events": [{"event_type": "REJECT", "actor": [{"country": "SYR"}]}],
     "forbidden": [{"event_type": "AGREE", "actor": [{"country": "SYR"}]}]},
]


@pytest.fixture
def files(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(g) + "\n" for g in GOLD), encoding="utf-8")
    preds = tmp_path / "mentions.jsonl"
    mentions = [
        mention("a", "ASSAULT", ["SYRMIL"], date="2016-12-06", place=("Aleppo", "SYR"),
                sentence="Syria's army shelled Aleppo yesterday."),
        mention("b", "AGREE", ["SYRGOV"], sentence="Syria said it would not agree to a ceasefire."),
    ]
    preds.write_text("".join(json.dumps(m.to_dict()) + "\n" for m in mentions), encoding="utf-8")
    return gold, preds


def test_json_report(runner, files):
    gold, preds = files
    result = runner.invoke(app, ["evaluate", str(gold), "--predictions", str(preds), "--json",
                                 "--errors", "5"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "dateline"
    assert data["totals"]["items"] == 2
    assert data["totals"]["forbidden produced"] == 1
    assert data["metrics"]["event type"]["tp"] == 1
    assert data["metrics"]["event type"]["precision"] == 0.5
    assert data["metrics"]["event type"]["recall"] == 0.5
    assert data["metrics"]["date"]["f1"] == 1.0
    # the AGREE by Syria pairs with the REJECT by Syria: a type confusion
    assert data["error_kinds"] == {"type REJECT -> AGREE": 1, "forbidden AGREE": 1}
    assert [e["kind"] for e in data["errors"]] == ["type", "forbidden"]
    assert data["confusion"] == [{"gold": "ASSAULT", "predicted": "ASSAULT", "n": 1},
                                 {"gold": "REJECT", "predicted": "AGREE", "n": 1}]


def test_json_errors_are_limited(runner, files):
    gold, preds = files
    result = runner.invoke(app, ["evaluate", str(gold), "--predictions", str(preds), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["errors"] == []
    result = runner.invoke(app, ["evaluate", str(gold), "--predictions", str(preds), "--json",
                                 "--errors", "1"])
    assert len(json.loads(result.output)["errors"]) == 1


def test_table_report_and_mismatches(runner, files):
    gold, preds = files
    result = runner.invoke(app, ["evaluate", str(gold), "--predictions", str(preds), "--errors", "1"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "event type" in out and "precision" in out
    assert "Most common errors" in out
    assert "First 1 of 2 mismatches" in out
    assert "would not agree" in out  # the text of the mismatch


def test_limit(runner, files):
    gold, preds = files
    result = runner.invoke(app, ["evaluate", str(gold), "--predictions", str(preds), "--json",
                                 "--limit", "1"])
    data = json.loads(result.output)
    assert data["totals"]["items"] == 1
    assert data["metrics"]["event type"]["f1"] == 1.0
    every = runner.invoke(app, ["evaluate", str(gold), "--predictions", str(preds), "--json",
                                "--limit", "0"])  # 0: all, as for every --limit
    assert every.exit_code == 0 and json.loads(every.output)["totals"]["items"] == 2


def test_bad_gold_exits_2(runner, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "t", "events": [{"event_type": "WAR"}]}\n')
    result = runner.invoke(app, ["evaluate", str(bad), "--predictions", str(bad)])
    assert result.exit_code == 2
    assert "not a PLOVER type" in result.output
    result = runner.invoke(app, ["evaluate", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2
    result = runner.invoke(app, ["evaluate", str(bad), "--format", "xml"])
    assert result.exit_code == 2


def test_india_format_from_mentions_file(runner, ipe_dir, tmp_path):
    src = ipe_dir
    for name in ("sents.jsonl", "metadata.jsonl", "docs.jsonl"):
        lines = [ln for ln in (src / name).read_text(encoding="utf-8").splitlines()
                 if json.loads(ln)["doc_id"] == 609]
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    preds = tmp_path / "mentions.jsonl"
    preds.write_text(json.dumps(mention("609", "ASSAULT", ["INDCOP"], trigger_start=5).to_dict()) + "\n")
    result = runner.invoke(app, ["evaluate", str(tmp_path / "sents.jsonl"), "--format", "india",
                                 "--predictions", str(preds), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "india"
    assert data["metrics"]["KILL/FORCE -> police ASSAULT or repression"] == {
        "tp": 1, "fp": 0, "fn": 3, "gold": 4, "predicted": 1, "precision": 1.0, "recall": 0.25,
        "f1": 0.4}


def test_missing_config_exits_2(runner, files, tmp_path):
    gold, _ = files
    result = runner.invoke(app, ["evaluate", str(gold), "--config", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert "config file not found" in result.output
