"""Actor finder: speed per sentence and recall of named actors.

Speed: ``ActorFinder.find`` over the sentences of the IndiaPoliceEvents-layout corpus
(Halterman, Keith, Sarwar, O'Connor, Findings of ACL 2021; lower-cased text), against spaCy's
plain English tokenizer over the same sentences in the same run (the ratio is
machine-independent).

Recall: the Person and Organisation spans of the re3d documents (annotations with
confidence >= 0.5; pronouns left out) that some actor match overlaps, and that one matches
exactly (a leading "the" aside).
Both corpora are the bundled ones (tests/data) unless ``--data DIR`` gives a larger folder
(e.g. ../shared/dev-data; bench/data.py).

``python -m bench.actors [--quick]``.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter

from bench import data


def _sentences(limit: int | None) -> list[str]:
    path = data.ipe_dir() / "sents.jsonl"
    out: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            out.append(json.loads(line)["sent_text"])
            if limit and len(out) >= limit:
                break
    return out


def speed(finder, sentences: list[str]) -> dict:
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    for s in sentences[:200]:  # warm up both
        finder.find(s)
        tokenizer(s)
    t0 = time.perf_counter()
    n_matches = sum(len(finder.find(s)) for s in sentences)
    t_find = time.perf_counter() - t0
    t0 = time.perf_counter()
    for s in sentences:
        tokenizer(s)
    t_tok = time.perf_counter() - t0
    return {
        "sentences": len(sentences),
        "matches": n_matches,
        "ms_per_sentence": round(t_find / len(sentences) * 1000, 4),
        "spacy_tokenizer_ms_per_sentence": round(t_tok / len(sentences) * 1000, 4),
        "ratio_to_spacy_tokenizer": round(t_find / t_tok, 2),
    }


# Pronouns are annotated as Person/Organisation in re3d; the dictionary finder leaves them
# to the coder's coreference step, so they are counted apart.
PRONOUNS = frozenset("i me my myself we us our ours ourselves he him his she her it its they "
                     "them their theirs".split())


def recall(finder, limit_docs: int | None = None) -> dict:
    gold: Counter = Counter()
    hit: Counter = Counter()
    exact: Counter = Counter()
    pronouns = 0
    n_docs = 0
    for folder in sorted(data.re3d_dir().iterdir()):
        if not (folder / "documents.json").exists():
            continue
        docs = {}
        with open(folder / "documents.json", encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                docs[d["_id"]] = d["text"]
        spans: dict[str, set] = {}
        with open(folder / "entities.json", encoding="utf-8") as fh:
            for line in fh:
                e = json.loads(line)
                if e["type"] in ("Person", "Organisation") and (e.get("confidence") or 0) >= 0.5:
                    spans.setdefault(e["documentId"], set()).add((e["begin"], e["end"], e["type"]))
        for doc_id, text in docs.items():
            if limit_docs and n_docs >= limit_docs:
                break
            n_docs += 1
            found = [(m.ref.start, m.ref.end) for m in finder.find(text)]
            for b, e, typ in spans.get(doc_id, ()):
                value = text[b:e]
                if value.lower() in PRONOUNS:
                    pronouns += 1
                    continue
                gold[typ] += 1
                if any(s < e and b < t for s, t in found):
                    hit[typ] += 1
                if value[:4].lower() == "the ":
                    b += 4  # the finder's spans leave out a leading "the"
                if (b, e) in found:
                    exact[typ] += 1
    out: dict = {"documents": n_docs, "pronoun_spans_left_out": pronouns}
    for typ in ("Person", "Organisation"):
        n = gold[typ] or 1
        out[typ] = {"gold": gold[typ], "recall_overlap": round(hit[typ] / n, 3),
                    "recall_exact": round(exact[typ] / n, 3)}
    total = sum(gold.values()) or 1
    out["all"] = {"gold": sum(gold.values()), "recall_overlap": round(sum(hit.values()) / total, 3),
                  "recall_exact": round(sum(exact.values()) / total, 3)}
    return out


def run(quick: bool = False) -> dict:
    from dateline.coding.actors import ActorDictionary, ActorFinder

    t0 = time.perf_counter()
    finder = ActorFinder(ActorDictionary.load())
    load_s = time.perf_counter() - t0
    result = {
        "corpora": [data.describe(data.ipe_dir()), data.describe(data.re3d_dir())],
        "load_seconds": round(load_s, 2),
        "speed": speed(finder, _sentences(3000 if quick else None)),
        "re3d_recall": recall(finder, limit_docs=20 if quick else None),
    }
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    data.select(sys.argv)
    run(quick="--quick" in sys.argv)
