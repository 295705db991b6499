"""Build a store from the development corpora and print random events for a hand check.

``python -m tools.dev_sample [--db dev.duckdb] [--ipe 300] [--seed 2] [--no-dates]
[--re3d] [--sample 40] [--sample-seed 1] [--json]``

* Takes ``--ipe`` random IndiaPoliceEvents articles (``--seed``) from
  ../shared/dev-data/india-police-events/docs.jsonl (or ``--data DIR``), writes them to a
  temporary ``docs.jsonl`` and, unless ``--no-dates``, their rows of ``metadata.jsonl``
  beside it, so ``dateline ingest`` joins the dates by ``doc_id`` the way a user's
  IndiaPoliceEvents folder would. ``--merge-dates`` writes the date into each JSON line
  instead (for coders older than the metadata join). ``--re3d`` adds the re3d documents
  (undated: re3d gives no publication dates).
* Ingests and codes them into a fresh store (``--db``; a temporary file by default).
* Prints ``--sample`` events drawn at random (``--sample-seed``) with what a judge needs:
  the representative sentence, the article's opening words (its dateline) and
  publication date, and the event's place, feature and date. ``--json`` prints one JSON
  object per event (for a file a judge fills in).
* Also prints the checks of the undated build: events dated the ingest day, and events
  whose mentions come from more than one article (each with its sentences), so a judge
  can tell related from unrelated reports.

The corpora are read only from the given folder; nothing of them is copied into the
project. Nothing here is used by the tests.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "dev-data"


def write_corpus(out: Path, data: Path, n_ipe: int, seed: int, dates: str,
                 re3d: bool) -> list[Path]:
    """The input files of the store: a sample of IndiaPoliceEvents (with its metadata
    rows beside it unless ``dates == "none"``) and, with ``re3d``, the re3d documents."""
    paths = []
    ipe = data / "india-police-events"
    if n_ipe:
        docs = [json.loads(line) for line in open(ipe / "docs.jsonl", encoding="utf-8")]
        chosen = random.Random(seed).sample(docs, min(n_ipe, len(docs)))
        ids = {d["doc_id"] for d in chosen}
        meta = {}
        for line in open(ipe / "metadata.jsonl", encoding="utf-8"):
            row = json.loads(line)
            if row["doc_id"] in ids:
                meta[row["doc_id"]] = {"doc_id": row["doc_id"], "date": row.get("date"),
                                       "url": row.get("url")}
        folder = out / "ipe"
        folder.mkdir()
        with open(folder / "docs.jsonl", "w", encoding="utf-8") as fh:
            for d in chosen:
                row = dict(d)
                if dates == "merge":
                    row["date"] = meta.get(d["doc_id"], {}).get("date")
                fh.write(json.dumps(row) + "\n")
        if dates == "metadata":
            with open(folder / "metadata.jsonl", "w", encoding="utf-8") as fh:
                for d in chosen:
                    fh.write(json.dumps(meta.get(d["doc_id"], {"doc_id": d["doc_id"]})) + "\n")
        paths.append(folder / "docs.jsonl")
    if re3d:
        target = out / "re3d.jsonl"
        with open(target, "w", encoding="utf-8") as fh:
            for folder in sorted((data / "re3d").iterdir()):
                if not (folder / "documents.json").exists():
                    continue
                for line in open(folder / "documents.json", encoding="utf-8"):
                    if line.strip():
                        d = json.loads(line)
                        fh.write(json.dumps({"id": "re3d-" + d["_id"], "title": d.get("title"),
                                             "text": d["text"], "source": d.get("sourceName"),
                                             "url": d.get("sourceUrl")}) + "\n")
        paths.append(target)
    return paths


def build(db: Path, paths: list[Path]) -> dict:
    from dateline.coding import Coder
    from dateline.ingest.pipeline import ingest
    from dateline.store import Store

    coder = Coder.from_config()
    with Store.open(db) as store:
        summary = ingest(store, [str(p) for p in paths], coder=coder, progress=False)
    return summary.to_dict() if hasattr(summary, "to_dict") else vars(summary)


def _place(loc: dict | None) -> str:
    if not loc:
        return "-"
    feature = loc.get("feature") or "?"
    return f"{loc.get('place') or loc.get('name') or loc.get('text')} [{feature}, {loc.get('country')}]"


def sample(db: Path, n: int, seed: int, as_json: bool) -> list[dict]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT id, data FROM events ORDER BY id").fetchall()
    picked = random.Random(seed).sample(rows, min(n, len(rows)))
    out = []
    for k, (eid, data) in enumerate(picked, 1):
        ev = json.loads(data)
        # the article of the representative mention (the event's sentence)
        art = con.execute(
            "SELECT a.id, a.published, substr(a.text, 1, 60) FROM mentions m JOIN articles a "
            "ON a.id = m.article_id WHERE m.event_id = ? ORDER BY (m.sentence = ?) DESC, m.id "
            "LIMIT 1", [eid, ev.get("sentence")]).fetchone()
        item = {"n": k, "event": eid, "type": ev.get("event_type"),
                "actors": ev.get("actor_codes"), "recipients": ev.get("recipient_codes"),
                "sentence": ev.get("sentence"), "article": art[0] if art else None,
                "published": art[1].date().isoformat() if art and art[1] else None,
                "opening": art[2] if art else None,
                "place": _place(ev.get("location")), "date": ev.get("date"),
                "date_precision": ev.get("date_precision"),
                "articles": ev.get("num_articles"), "sources": ev.get("num_sources")}
        out.append(item)
        if as_json:
            print(json.dumps(item, ensure_ascii=False, default=str))
        else:
            print(f"--- {k}. {item['type']} {item['actors']} -> {item['recipients']}  "
                  f"({item['articles']} article(s), {item['sources']} source(s))")
            print(f"    opening:   {item['opening']!r}   published: {item['published']}")
            print(f"    sentence:  {item['sentence']}")
            print(f"    place:     {item['place']}")
            print(f"    date:      {item['date']} ({item['date_precision']})")
    con.close()
    return out


def undated_checks(db: Path, ingest_day: str) -> dict:
    """Events dated the ingest day; events whose mentions span several articles."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    events = con.execute("SELECT id, data FROM events").fetchall()
    today = [e for e, d in events if json.loads(d).get("date") == ingest_day]
    multi = []
    for eid, data in events:
        ev = json.loads(data)
        if (ev.get("num_articles") or 1) > 1:
            sents = con.execute(
                "SELECT article_id, sentence FROM mentions WHERE event_id = ? ORDER BY article_id",
                [eid]).fetchall()
            multi.append({"event": eid, "type": ev.get("event_type"),
                          "articles": ev.get("num_articles"), "mentions": sents})
    con.close()
    return {"events": len(events), "dated_ingest_day": len(today), "multi_article": multi}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=SHARED)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--ipe", type=int, default=300)
    ap.add_argument("--seed", type=int, default=2)
    ap.add_argument("--no-dates", action="store_true", help="docs.jsonl alone (no dates)")
    ap.add_argument("--merge-dates", action="store_true",
                    help="write the dates into the JSON lines instead of metadata.jsonl")
    ap.add_argument("--re3d", action="store_true")
    ap.add_argument("--sample", type=int, default=40)
    ap.add_argument("--sample-seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--reuse", action="store_true", help="sample an existing --db only")
    args = ap.parse_args(argv)
    if not (args.data / "india-police-events").exists():
        print(f"no development data under {args.data}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "dev.duckdb"
        if not args.reuse:
            for p in (db, Path(str(db) + ".wal")):
                p.unlink(missing_ok=True)
            dates = "none" if args.no_dates else ("merge" if args.merge_dates else "metadata")
            paths = write_corpus(Path(tmp), args.data, args.ipe, args.seed, dates, args.re3d)
            summary = build(db, paths)
            print(json.dumps({k: v for k, v in summary.items() if k != "errors"}, default=str),
                  file=sys.stderr)
        sample(db, args.sample, args.sample_seed, args.json)
        if args.no_dates:
            checks = undated_checks(db, datetime.now(UTC).date().isoformat())
            print(f"\n{checks['events']} events; dated the ingest day: "
                  f"{checks['dated_ingest_day']}; merging several articles: "
                  f"{len(checks['multi_article'])}")
            for ev in checks["multi_article"]:
                print(f"  {ev['event']} {ev['type']} ({ev['articles']} articles)")
                for aid, sent in ev["mentions"]:
                    print(f"      [{aid}] {sent[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
