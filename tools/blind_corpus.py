"""Assemble the blind gold corpus (tests/gold/blind2-*.jsonl) from the annotators' files.

    python tools/blind_corpus.py ANNOTATION_DIR [--dev-data ../shared/dev-data] [--out tests/gold] \
        [--prefix blind2]
    python tools/blind_corpus.py ANNOTATION_DIR --single train3 --exclude tests/gold/blind2-tune.jsonl \
        tests/gold/blind2-holdout.jsonl --dev-data ../shared/dev-data

The second form writes every item to one file (``<out>/<single>.jsonl``, training data of a
later round), leaving out items of a document that an ``--exclude`` file holds sentences of.

ANNOTATION_DIR holds one JSON Lines file per annotator (*.jsonl) and, in check/, the second
annotator's settled corrections (fixes-<file>.jsonl: full items that replace the originals).
Items from corpora that may not be redistributed (IndiaPoliceEvents) keep a ``ref`` and the
SHA-1 of their text instead of the text; ``--dev-data`` is needed to check that each ref
resolves to the annotated text. Items are split into train / tune / holdout by a hash of
their document (real items) or id (written items), so that sentences of one document never
sit on both sides. Prints only totals (the holdout is read only as totals).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dateline.evaluate.gold import REF_CORPORA, RefTexts, parse_item

SPLITS = (("train", 0.55), ("tune", 0.15), ("holdout", 0.30))
SALT = "dateline-blind2"


def _group(item: dict) -> str:
    """The unit kept whole by the split: the source document of a real item."""
    source = str(item.get("source") or "")
    if source.startswith(REF_CORPORA):
        return "/".join(source.split("/")[:2])
    if source.startswith("re3d/"):
        return source
    return str(item["id"])


def _split(group: str) -> str:
    h = int(hashlib.sha1(f"{SALT}:{group}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    acc = 0.0
    for name, share in SPLITS:
        acc += share
        if h < acc:
            return name
    return SPLITS[-1][0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--dev-data", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=Path("tests/gold"))
    ap.add_argument("--single", default=None, help="write all items to <out>/<single>.jsonl")
    ap.add_argument("--prefix", default="blind2",
                    help="split files are <out>/<prefix>-train|tune|holdout.jsonl")
    ap.add_argument("--exclude", type=Path, nargs="*", default=[],
                    help="gold files whose documents the single file must not share")
    args = ap.parse_args(argv)
    refs = RefTexts(args.dev_data)
    items: list[dict] = []
    for path in sorted(args.folder.glob("*.jsonl")):
        fixes_path = args.folder / "check" / f"fixes-{path.stem}.jsonl"
        fixes = {}
        if fixes_path.exists():
            for line in fixes_path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    rec = json.loads(line)
                    why = rec.pop("fix", None)  # the second annotator's reason
                    if why:
                        rec["note"] = f"second annotator: {why}"
                    fixes[rec["id"]] = rec
        n_fixed = 0
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec["id"] in fixes:
                rec, n_fixed = {**rec, **fixes[rec["id"]]}, n_fixed + 1
            parse_item(rec, f"{path}:{n}")  # validates
            source = str(rec.get("source") or "")
            if source.startswith(REF_CORPORA):
                text = rec.pop("text")
                source = _joined_ref(refs, source, text)
                rec["ref"] = source
                rec["text_sha1"] = hashlib.sha1(text.encode()).hexdigest()
                if args.dev_data is not None and refs.text(source) != text:
                    print(f"{path}:{n}: ref {source} does not give the annotated text",
                          file=sys.stderr)
                    return 1
            items.append(rec)
        print(f"{path.name}: {n_fixed} items replaced by the second annotator's fixes")
    ids = Counter(i["id"] for i in items)
    dup = [i for i, n in ids.items() if n > 1]
    if dup:
        print(f"duplicate ids: {dup[:5]}", file=sys.stderr)
        return 1
    if args.single:
        return _write_single(items, args.out / f"{args.single}.jsonl", args.exclude)
    by_split: dict[str, list[dict]] = {name: [] for name, _ in SPLITS}
    for rec in items:
        by_split[_split(_group(rec))].append(rec)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, recs in by_split.items():
        with open(args.out / f"{args.prefix}-{name}.jsonl", "w", encoding="utf-8") as fh:
            for rec in recs:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    _totals(items, by_split)
    return 0


def _joined_ref(refs: RefTexts, source: str, text: str) -> str:
    """The ref of an item that joins a sentence to the one before it ("doc/4" holding
    sentences 3 and 4 becomes "doc/3-4")."""
    if refs.root is None or refs.text(source) == text:
        return source
    head, _, sent = source.rpartition("/")
    for back in (1, 2):
        if sent.isdigit() and int(sent) >= back:
            joined = f"{head}/{int(sent) - back}-{sent}"
            if refs.text(joined) == text:
                return joined
    return source


def _write_single(items: list[dict], out: Path, exclude: list[Path]) -> int:
    taken: set[str] = set()
    for path in exclude:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("//"):
                taken.add(_group(_with_source(json.loads(line))))
    kept = [rec for rec in items if _group(_with_source(rec)) not in taken]
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        for rec in kept:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    _totals(kept, {out.stem: kept})
    print(f"left out {len(items) - len(kept)} items of documents in {', '.join(map(str, exclude))}")
    return 0


def _with_source(rec: dict) -> dict:
    """A ref item's document is its ref's."""
    return {**rec, "source": rec.get("source") or rec.get("ref") or ""}


def _totals(items: list[dict], by_split: dict[str, list[dict]]) -> None:
    types: Counter = Counter()
    for rec in items:
        for t in {e["event_type"] for e in rec.get("events", [])}:
            types[t] += 1
    real = sum("real" in rec.get("tags", []) for rec in items)
    empty = sum(not rec.get("events") for rec in items)
    no_event = sum(not any(not e.get("optional") for e in rec.get("events", [])) for rec in items)
    print(f"{len(items)} items: {real} real, {len(items) - real} written; {empty} without any "
          f"event, {no_event} without a required one; "
          f"{sum(len(r.get('forbidden', [])) for r in items)} forbidden")
    print("items per type: " + ", ".join(f"{t} {n}" for t, n in sorted(types.items())))
    print("split: " + ", ".join(f"{k} {len(v)}" for k, v in by_split.items()))


if __name__ == "__main__":
    sys.exit(main())
