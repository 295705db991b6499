"""Gold items that point into a corpus by ``ref``; per-type figures; false events."""

from __future__ import annotations

import hashlib
import json

from dateline.evaluate import load_gold, score
from dateline.evaluate.gold import coerce_items
from dateline.model import Mention


def _corpus(tmp_path):
    root = tmp_path / "dev"
    (root / "india-police-events").mkdir(parents=True)
    rows = [{"doc_id": 7, "sent_id": 0, "sent_labels": [], "sent_text": "lucknow:"},
            {"doc_id": 7, "sent_id": 1, "sent_labels": ["ARREST"],
             "sent_text": "police arrested four men on monday. "},
            {"doc_id": 7, "sent_id": 2, "sent_labels": [], "sent_text": " they were remanded."}]
    (root / "india-police-events" / "sents.jsonl").write_text(
        "\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return root


def _gold(tmp_path, records):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return path


def test_ref_items_take_their_text_from_the_corpus_folder(tmp_path):
    text = "police arrested four men on monday. they were remanded."
    gold = _gold(tmp_path, [
        {"id": "r1", "ref": "india-police-events/7/1-2", "published": "2002-03-05",
         "text_sha1": hashlib.sha1(text.encode()).hexdigest(),
         "events": [{"event_type": "COERCE", "actor": ["IND COP"]}]},
        {"id": "w1", "text": "Troops shelled the town.", "events": []},
    ])
    skipped: list[str] = []
    _fmt, items = load_gold(gold, dev_data=_corpus(tmp_path), skipped=skipped)
    assert [i.id for i in items] == ["r1", "w1"] and skipped == []
    assert items[0].text == text


def test_ref_items_are_skipped_without_the_corpus_or_when_it_differs(tmp_path):
    gold = _gold(tmp_path, [
        {"id": "r1", "ref": "india-police-events/7/1", "events": []},
        {"id": "r2", "ref": "india-police-events/7/1", "text_sha1": "0" * 40, "events": []},
        {"id": "r3", "ref": "india-police-events/9/1", "events": []},
        {"id": "w1", "text": "Troops shelled the town.", "events": []},
    ])
    skipped: list[str] = []
    _fmt, items = load_gold(gold, skipped=skipped)
    assert [i.id for i in items] == ["w1"] and skipped == ["r1", "r2", "r3"]
    skipped = []
    _fmt, items = load_gold(gold, dev_data=_corpus(tmp_path), skipped=skipped)
    assert [i.id for i in items] == ["r1", "w1"] and skipped == ["r2", "r3"]


def _mention(item_id, etype):
    return Mention(article_id=item_id, sentence="s", sentence_index=0, char_start=0,
                   char_end=1, event_type=etype, cameo="", quad_class=4)


def test_per_type_counts_and_false_events_on_items_without_events(tmp_path):
    items = [
        {"id": "a", "text": "x", "events": [{"event_type": "ASSAULT"}]},
        {"id": "b", "text": "x", "events": [{"event_type": "PROTEST"}]},
        {"id": "c", "text": "x", "events": []},
        {"id": "d", "text": "x", "events": []},
    ]
    preds = {"a": [_mention("a", "ASSAULT")], "b": [_mention("b", "COERCE")],
             "c": [_mention("c", "ASSAULT")]}
    report = score("dateline", coerce_items(items), preds)
    per = report.per_type()
    assert (per["ASSAULT"].gold, per["ASSAULT"].predicted, per["ASSAULT"].tp) == (1, 2, 1)
    assert (per["PROTEST"].gold, per["PROTEST"].tp) == (1, 0)
    assert per["COERCE"].predicted == 1
    assert report.totals["items without events"] == 2
    assert report.totals["of them with a false event"] == 1
    assert "per_type" in report.to_dict()
    assert any("1 of 2 (0.500)" in n for n in report.notes)
