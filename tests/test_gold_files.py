"""The bundled gold files: valid, documented, and the blind splits kept apart."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from dateline.evaluate.gold import read_gold
from dateline.model import EVENT_TYPES

GOLD = Path(__file__).resolve().parent / "gold"
SPLITS = ("train", "tune", "holdout")


@pytest.mark.parametrize("path", sorted(GOLD.glob("*.jsonl")), ids=lambda p: p.name)
def test_every_gold_file_parses_and_is_documented(path):
    skipped: list[str] = []
    items = read_gold(path, skipped=skipped)
    assert items
    assert f"`{path.name}`" in (GOLD / "README.md").read_text(encoding="utf-8")


def _records(split):
    with open(GOLD / f"blind2-{split}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_blind_splits_share_no_item_text_or_document():
    seen: dict[str, str] = {}
    docs: dict[str, str] = {}
    for split in SPLITS:
        for rec in _records(split):
            key = rec.get("text") or rec.get("ref")
            assert seen.setdefault(rec["id"], split) == split
            source = rec.get("source") or ""
            if source.startswith(("re3d/", "india-police-events/")):
                doc = "/".join(source.split("/")[:3 if source.startswith("re3d/") else 2])
                assert docs.setdefault(doc, split) == split, f"{doc} in two splits"
            assert key


def test_blind_corpus_covers_every_type_and_holds_no_event_items():
    per_type: Counter = Counter()
    empty = 0
    for split in SPLITS:
        for rec in _records(split):
            per_type.update({e["event_type"] for e in rec["events"]})
            empty += not rec["events"]
    assert set(per_type) == set(EVENT_TYPES)
    assert min(per_type.values()) >= 80
    assert empty >= 400


def test_items_from_corpora_we_may_not_share_carry_no_text():
    for split in SPLITS:
        for rec in _records(split):
            if str(rec.get("source", "")).startswith("india-police-events/"):
                assert "text" not in rec and rec["ref"] and len(rec["text_sha1"]) == 40


def _doc(rec) -> str | None:
    source = rec.get("source") or rec.get("ref") or ""
    if source.startswith("re3d/"):
        return "/".join(source.split("/")[:3])
    if source.startswith("india-police-events/"):
        return "/".join(source.split("/")[:2])
    return None


def test_the_third_round_training_file_shares_no_document_with_tune_or_holdout():
    with open(GOLD / "train3.jsonl", encoding="utf-8") as fh:
        train = [json.loads(line) for line in fh if line.strip()]
    held = {_doc(r) for split in ("tune", "holdout") for r in _records(split)} - {None}
    assert not {_doc(r) for r in train} & held
    ids = {r["id"] for split in SPLITS for r in _records(split)}
    assert not {r["id"] for r in train} & ids
    for rec in train:
        if _doc(rec) and _doc(rec).startswith("india-police-events/"):
            assert "text" not in rec and rec["ref"] and len(rec["text_sha1"]) == 40
