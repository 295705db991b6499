"""Dedup on real coder output (tests/data/dedup/real): the mentions the coder made of 71
re3d documents of three public publishers (CENTCOM and the US State Department: public
domain; the UK Government: Open Government Licence v3.0; re3d gives no publication dates)
and of 23 short articles written for this test (dated; several outlets reporting the same
Meerut arrests, Kanpur attack, Kabul bombing, Geneva talks ... and look-alikes: the same
arrests two days later, students protesting the same day, a bombing in Jalalabad, two
parties criticising the same government). gold.jsonl groups the mentions into events, written
from their sentences alone (tools/dedup_fixture.py --list). The fixture is rebuilt with
``python -m tools.dedup_fixture`` (it needs ../shared); this test needs neither the coder
nor the corpora.

Run with ``-s`` to see the figures."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path

from dateline.dedup import update_events
from dateline.dedup.bcubed import b_cubed
from dateline.model import Article, Mention

REAL = Path(__file__).parent / "data" / "dedup" / "real"
MIN_PRECISION, MIN_RECALL = 0.95, 0.85


def _fixture() -> tuple[list[tuple[Article, list[Mention]]], dict[str, str]]:
    mentions: dict[str, list[Mention]] = {}
    for line in (REAL / "mentions.jsonl").read_text(encoding="utf-8").splitlines():
        m = Mention.from_dict(json.loads(line))
        mentions.setdefault(m.article_id, []).append(m)
    items = []
    for line in (REAL / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        art = Article(id=r["id"], text=r["text"], headline=r["title"], source=r["source"],
                      url=r["url"], published=datetime.fromisoformat(r["date"]) if r["date"] else None)
        items.append((art, mentions.get(r["id"], [])))
    # gold events are keyed by what names a mention in its text (article, sentence,
    # trigger offset, type), so that a rebuilt fixture keeps its labels
    by_key = {(g["article"], g["sentence"], g["trigger_start"], g["type"]): g["event"]
              for g in (json.loads(line) for line in
                        (REAL / "gold.jsonl").read_text(encoding="utf-8").splitlines())}
    gold = {m.id: by_key.get((m.article_id, m.sentence_index, m.trigger_start, m.event_type))
            for _a, ms in items for m in ms}
    return items, gold


def test_the_fixture_is_whole():
    items, gold = _fixture()
    ids = [m.id for _a, ms in items for m in ms]
    assert len(ids) == len(set(ids)) == len(gold) and None not in gold.values()
    sizes = Counter(Counter(gold.values()).values())
    assert sizes[1] > 100 and sum(n for k, n in sizes.items() if k > 1) >= 40
    undated = {a.id for a, _ms in items if a.published is None}
    assert len(undated) >= 70  # re3d, and one article written without a date


def test_b_cubed_on_real_coder_output(store):
    items, gold = _fixture()
    store.add_articles(items)
    update_events(store)
    predicted = dict(store.con.execute("SELECT id, event_id FROM mentions").fetchall())
    score = b_cubed(predicted, gold)
    p, r = score.precision, score.recall
    merged = Counter(predicted.values())
    wrong = sorted({e for m, e in predicted.items()
                    if len({gold[x] for x, y in predicted.items() if y == e}) > 1})
    print(f"\nreal coder output: {len(gold)} mentions, {len(set(gold.values()))} gold events, "
          f"{len(merged)} predicted; B-cubed precision {p:.3f}, recall {r:.3f}; "
          f"events mixing gold events: {len(wrong)}")
    assert p >= MIN_PRECISION and r >= MIN_RECALL, (p, r)

