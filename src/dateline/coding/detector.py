"""The learned event detector: a linear classifier per PLOVER type over a sentence's words.

It sits beside the trigger rules as a second ``Finder``:

* it scores sentences before parsing (``score``), so the coder also parses sentences that
  the rules' pre-filter would skip but that read like an event;
* on a parsed sentence where the rules found nothing, it proposes the most likely type
  anchored on the word that weighs most for it (else the main verb) — the actors, negation,
  modality and source still come from the parse;
* it lowers the confidence of rule hits whose type it finds unlikely.

The model is data: ``data/detector.json`` holds the vocabulary, one weight per word feature
and type, the biases and the thresholds chosen on the tune split; ``dateline train-detector``
writes it (see ``dateline.evaluate.train``). Scoring is a sparse dot product: microseconds a
sentence, no extra model in memory.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from dateline.coding.candidates import Candidate
from dateline.coding.lexicon import Lexicon
from dateline.coding.syntax import BACK_POINTERS, SentenceAnalyzer
from dateline.event_types import event_types
from dateline.nlp import upos

MODEL_FILE = "detector.json.gz"
FORMAT = 1
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*")
# words with no weight of their own in a news sentence's event reading
_STOP = frozenset("the a an of to in on at for and or but by with from as is are was were be "
                  "been has have had its it this that these those their his her they he she "
                  "which who whom whose said says".split())
# verbs of being and seeming: never the anchor of a proposed event
STATIVE = frozenset({"be", "is", "are", "was", "were", "been", "being", "am", "have", "has", "had",
                     "having", "do", "does", "did", "seem", "seems", "seemed", "look", "looks",
                     "looked", "become", "became", "becomes", "remain", "remains", "remained",
                     "appear", "appears", "appeared", "get", "gets", "got",
                     # what a thing holds or costs: no act ("the report contains ...")
                     "contain", "contains", "contained", "include", "includes", "included",
                     "owe", "owes", "owed", "comprise", "comprises", "consist", "consists",
                     "cost", "costs", "mean", "means", "meant"})
SCORES_KEY = "dateline_type_scores"  # doc.user_data key: the scores computed before parsing
HINT = "lex:"  # prefix of the features the lexicon's trigger words give


def _stem(word: str) -> str:
    """A crude stem so that inflections share a feature: shelled/shelling -> shell,
    villages -> village, stopped -> stop, cities -> city."""
    if len(word) <= 4:
        return word
    if word.endswith(("ied", "ies")):
        return word[:-3] + "y"
    if word.endswith("ing") and len(word) >= 6:
        base = word[:-3]
    elif word.endswith("ed") and len(word) >= 5:
        base = word[:-2]
    elif word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    else:
        return word
    if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "ls":
        base = base[:-1]  # stopped -> stop, kidnapped -> kidnap (shelled keeps its ll)
    return base


def words_of(text: str) -> list[str]:
    """Lower-case word stems of a text, numbers as ``<num>``."""
    out = []
    for w in _WORD.findall(text.lower()):
        out.append("<num>" if w[0].isdigit() else _stem(w))
    return out


def features(text: str, hints: Mapping[str, tuple[str, ...]] | None = None) -> list[str]:
    """Unigram and bigram features of a sentence (stop words only inside bigrams), and with
    ``hints`` one ``lex:TYPE`` feature per type some word's trigger rows give it: what the
    lexicon knows reaches the model even where a row's parse or object condition fails."""
    words = words_of(text)
    feats = [w for w in words if w not in _STOP]
    feats += [f"{a} {b}" for a, b in zip(words, words[1:]) if not (a in _STOP and b in _STOP)]
    if hints:
        feats += sorted({f"{HINT}{t}" for w in words for t in hints.get(w, ())})
    return feats


def lexicon_hints(lexicon: Lexicon) -> dict[str, tuple[str, ...]]:
    """Word stem -> the PLOVER types of the one-word trigger rows of its lemma (every
    inflected form; function words and inert rows left out)."""
    by_head: dict[str, set[str]] = {}
    for (head, _pos), rules in lexicon.rules.items():
        types = {r.event_type for r in rules
                 if r.is_event and len(r.words) == 1 and "inert" not in r.flags}
        if types:
            by_head.setdefault(head, set()).update(types)
    out: dict[str, set[str]] = {}
    for form, lemmas in lexicon.forms.items():
        for lemma in lemmas:
            for t in by_head.get(lemma, ()):
                out.setdefault(_stem(form), set()).add(t)
    return {w: tuple(sorted(ts)) for w, ts in sorted(out.items())}


@dataclass(frozen=True)
class DetectorModel:
    """Vocabulary, weights (feature -> per-type weights) and thresholds."""

    types: tuple[str, ...]
    weights: Mapping[str, tuple[float, ...]]  # feature -> one weight per type
    bias: tuple[float, ...]
    propose_at: float = 0.6  # propose a type where the rules found nothing
    screen_at: float = 0.5  # parse a sentence the pre-filter skipped
    doubt_below: float = 0.15  # a rule hit whose type scores under this loses confidence
    extra_at: float = 1.01  # propose a further type beside the rules' hits (1.01: never)
    trained_on: str = ""
    # word stem -> types of the lexicon's trigger rows, frozen when the model was trained
    hints: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def scores(self, text: str) -> dict[str, float]:
        """Probability per type (independent logistic heads)."""
        acc = list(self.bias)
        seen: set[str] = set()
        for f in features(text, self.hints):
            if f in seen:
                continue
            seen.add(f)
            w = self.weights.get(f)
            if w is not None:
                for k, v in enumerate(w):
                    acc[k] += v
        return {t: _sigmoid(a) for t, a in zip(self.types, acc)}

    def weight(self, feature: str, event_type: str) -> float:
        w = self.weights.get(feature)
        return w[self.types.index(event_type)] if w is not None else 0.0

    # -- persistence ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "types": list(self.types), "bias": list(self.bias),
                "propose_at": self.propose_at, "screen_at": self.screen_at,
                "doubt_below": self.doubt_below, "extra_at": self.extra_at,
                "trained_on": self.trained_on,
                "hints": {w: "|".join(ts) for w, ts in self.hints.items()},
                "weights": {f: [round(v, 4) for v in w] for f, w in self.weights.items()}}

    def save(self, path: str | Path) -> None:
        data = json.dumps(self.to_dict(), separators=(",", ":"), sort_keys=True)
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
            fh.write(data)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], origin: str = MODEL_FILE) -> DetectorModel:
        if d.get("format") != FORMAT:
            raise ValueError(f"{origin}: detector model format {d.get('format')!r}, "
                             f"expected {FORMAT}")
        types = tuple(d["types"])
        unknown = [t for t in types if t not in event_types()]
        if unknown:
            raise ValueError(f"{origin}: unknown event types {unknown}")
        weights = {f: tuple(float(x) for x in w) for f, w in d["weights"].items()}
        if any(len(w) != len(types) for w in weights.values()) or len(d["bias"]) != len(types):
            raise ValueError(f"{origin}: every weight row needs one value per type")
        hints = {w: tuple(ts.split("|")) for w, ts in d.get("hints", {}).items()}
        odd = sorted({t for ts in hints.values() for t in ts} - set(event_types()))
        if odd:
            raise ValueError(f"{origin}: unknown event types in hints {odd}")
        return cls(types=types, weights=weights, bias=tuple(float(b) for b in d["bias"]),
                   hints=hints,
                   propose_at=float(d["propose_at"]), screen_at=float(d["screen_at"]),
                   doubt_below=float(d["doubt_below"]),
                   extra_at=float(d.get("extra_at", 1.01)), trained_on=d.get("trained_on", ""))

    @classmethod
    def load(cls, path: str | Path | None = None) -> DetectorModel:
        """The packaged model, or the one at ``path``."""
        if path is None:
            src = resources.files("dateline") / "data" / MODEL_FILE
            with src.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
                return cls.from_dict(json.load(fh), MODEL_FILE)
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as fh:
            return cls.from_dict(json.load(fh), str(path))


def _sigmoid(x: float) -> float:
    if x < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


class Detector:
    """The detector as a ``Finder`` (see the module docstring)."""

    name = "detector"

    def __init__(self, model: DetectorModel, analyzer: SentenceAnalyzer):
        self.model = model
        self.analyzer = analyzer

    def score(self, texts: Iterable[str]) -> list[dict[str, float]]:
        return [self.model.scores(t) for t in texts]

    def screens_in(self, scores: Mapping[str, float]) -> bool:
        """Whether a sentence the pre-filter skipped is worth parsing."""
        return max(scores.values(), default=0.0) >= self.model.screen_at

    def analyze(self, doc: Any, place_spans: Sequence[tuple[int, int]] = (),
                found: Sequence[Candidate] = ()) -> list[Candidate]:
        scores = doc.user_data.get(SCORES_KEY) or self.model.scores(doc.text)
        out = []
        for cand in found:
            p = scores.get(cand.event_type, 0.0)
            cand.scores = scores
            if p < self.model.doubt_below:
                # the rule fired but the sentence does not read like its type
                cand.confidence = round(cand.confidence * (0.6 + p), 3)
            out.append(cand)
        # where the rules found nothing, the likeliest type; beside their hits, a type they
        # missed only when the detector is surer (a second event of the sentence)
        found_types = {c.event_type for c in out}
        threshold = self.model.extra_at if out else self.model.propose_at
        best = max((t for t in scores if t not in found_types), key=lambda t: scores[t],
                   default=None)
        if best is None or scores[best] < threshold:
            return out
        matched = self.analyzer.matches(doc, place_spans)
        if not out and any("inert" in rule.flags and doc[i].dep_ == "ROOT"
                           for i, rule in matched.items()):
            # the main verb is known to be no event here ("warned of famine", "fired into
            # the air"): nothing to propose
            return out
        if any(rule.is_event and rule.event_type == best and doc[i].dep_ in ("nsubj", "nsubjpass")
               and any(c.dep_ in ("det", "predet") and c.lower_ in BACK_POINTERS
                       for c in doc[i].children) for i, rule in matched.items()):
            return out  # "this attack shows ...": the rules read the type's word as told before
        tok = self._anchor(doc, best, matched, taken={c.token.i for c in out})
        if tok is None:
            return out
        et = event_types()[best]
        cand = self.analyzer.candidate_at(
            tok, best, et.default_cameo, confidence=round(0.35 + 0.4 * scores[best], 3),
            matched=matched, finder=self.name)
        if cand is not None:
            cand.scores = scores
            out.append(cand)
        return out

    def _noun_anchor(self, doc: Any, event_type: str, matched: Mapping[int, Any],
                     taken: set[int]):
        """In a sentence with no verb to anchor on ("After his meeting with Lavrov"), the
        event noun of the type that a trigger row names, though the rules did not read it
        as an event where it stands."""
        if any(upos(t) == "VERB" and t.lower_ not in STATIVE for t in doc):
            return None
        for tok in doc:
            rule = matched.get(tok.i)
            if upos(tok) in ("NOUN", "PROPN") and tok.i not in taken and rule is not None \
                    and rule.is_event and rule.event_type == event_type:
                return tok
        return None

    def _anchor(self, doc: Any, event_type: str, matched: Mapping[int, Any],
                taken: set[int] = frozenset()):  # type: ignore[assignment]
        """The trigger of a proposed event: the verb whose word weighs most for the type,
        else the main verb (a reporting verb hands over to what it reports); ``matched``:
        the tokens trigger rows match (no anchor, and reporting verbs are passed over)."""
        best, best_w = None, 0.0
        for tok in doc:
            if upos(tok) != "VERB" or tok.i in matched or tok.i in taken or tok.lower_ in STATIVE:
                continue
            stem = _stem(tok.lower_)
            w = self.model.weight(stem, event_type)
            if event_type in self.model.hints.get(stem, ()):
                w += self.model.weight(HINT + event_type, event_type)
            if w > best_w:
                best, best_w = tok, w
        if best is not None:
            return best
        noun = self._noun_anchor(doc, event_type, matched, taken)
        if noun is not None:
            return noun
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
        while root is not None:
            rule = matched.get(root.i)
            if rule is None or "report" not in rule.flags:
                break
            root = next((c for c in root.children if c.dep_ in ("ccomp", "parataxis")
                         and upos(c) == "VERB"), None)
        if root is None or upos(root) != "VERB" or root.i in taken or root.lower_ in STATIVE:
            return None  # "was", "seems": a state, no act to anchor an event on
        if root.i in matched and any(c.dep_ in ("dobj", "obj") and c.i in matched
                                     and matched[c.i].is_event for c in root.children):
            return None  # "expressed disappointment": the light verb's noun is the event
        return root
