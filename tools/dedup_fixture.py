"""Build the real-output dedup fixture (tests/data/dedup/real) from the development corpora.

``python -m tools.dedup_fixture [--data DIR] [--list]``

* articles.jsonl: the re3d documents of the three public publishers (CENTCOM and the US
  State Department: public domain; the UK Government: Open Government Licence v3.0), as
  the re3d corpus gives them (no publication dates), and the articles of
  my_articles.jsonl (written for this test, dated).
* mentions.jsonl: what the coder of this checkout makes of them, one JSON mention a line.
  The test clusters these mentions; it needs neither the coder nor ../shared.
* ``--list`` prints the mentions for hand grouping by sentence only (article, sentence,
  event type and trigger: no actor, place or date), which is how gold.jsonl was written;
  it marks the mentions gold.jsonl does not label yet (after a rebuild with another
  coder), keyed by article, sentence, trigger offset and type.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "dedup" / "real"
SHARED = ROOT.parent / "shared" / "dev-data"
PUBLIC = ("CENTCOM", "US State Department", "UK Government")


def re3d_articles(data: Path) -> list[dict]:
    out = []
    for publisher in PUBLIC:
        for line in open(data / "re3d" / publisher / "documents.json", encoding="utf-8"):
            if line.strip():
                d = json.loads(line)
                out.append({"id": "re3d-" + d["_id"][:12], "source": d.get("sourceName") or publisher,
                            "url": d.get("sourceUrl"), "date": None,
                            "title": (d.get("title") or "").strip() or None, "text": d["text"]})
    return out


def build(data: Path) -> None:
    from dateline.coding import Coder
    from dateline.ingest import read_paths
    from dateline.model import Article

    mine = [json.loads(line) for line in open(OUT / "my_articles.jsonl", encoding="utf-8")]
    rows = re3d_articles(data) + mine
    with open(OUT / "articles.jsonl", "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    arts = [a for a in read_paths([str(OUT / "articles.jsonl")]) if isinstance(a, Article)]
    coder = Coder.from_config()
    n = 0
    with open(OUT / "mentions.jsonl", "w", encoding="utf-8") as fh:
        for _art, mentions in coder.code_articles(arts):
            for m in mentions:
                fh.write(json.dumps(m.to_dict(), ensure_ascii=False) + "\n")
                n += 1
    print(f"{len(arts)} articles, {n} mentions", file=sys.stderr)


def listing() -> None:
    titles = {json.loads(line)["id"]: json.loads(line) for line in
              open(OUT / "articles.jsonl", encoding="utf-8")}
    gold = set()
    if (OUT / "gold.jsonl").exists():
        for line in open(OUT / "gold.jsonl", encoding="utf-8"):
            g = json.loads(line)
            gold.add((g["article"], g["sentence"], g["trigger_start"], g["type"]))
    last = None
    for line in open(OUT / "mentions.jsonl", encoding="utf-8"):
        m = json.loads(line)
        new = (m["article_id"], m["sentence_index"], m["trigger_start"], m["event_type"]) not in gold
        if m["article_id"] != last:
            a = titles[m["article_id"]]
            print(f"\n== {m['article_id']} [{a['source']}, {a['date']}] {a['title']}")
            last = m["article_id"]
        print(f"  {'NEW ' if new and gold else ''}{m['id']} s{m['sentence_index']} "
              f"{m['event_type']}:{m['trigger']}@{m['trigger_start']} | {m['sentence'][:220]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=SHARED)
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args(argv)
    if args.list:
        listing()
        return 0
    if not (args.data / "re3d").exists():
        print(f"no re3d corpus under {args.data}", file=sys.stderr)
        return 1
    build(args.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
