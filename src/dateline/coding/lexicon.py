"""Loads the coder's language data: triggers.tsv, wordclasses.tsv, irregular_verbs.tsv.

The data files are documented in ``data/README.md``; users add rows through extra files of
the same name in a ``--dict`` folder.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from dateline.event_types import event_types

# inert: with this object the word is no event at all ("fired celebratory shots into the air")
# object classes the parser decides, not wordclasses.tsv: a gazetteer place in the object;
# any direct object (or object of the row's particle: "stand by every word"); a that-clause
BUILTIN_OBJECTS = frozenset({"PLACE", "DIRECT", "CLAUSE"})
FUNCTION_FLAGS = {"report", "light", "planned", "hypothetical", "negate_comp", "effort", "inert"}
# function words whose complement may be a protective act that did not happen ("failed to
# prevent", "did nothing to stop"): the sentence pre-filter lets them through with such a verb
FAILURE_FLAGS = frozenset({"negate_comp", "effort"})
FAILURE_CLASS = "PROTECT"


@dataclass(frozen=True)
class TriggerRule:
    trigger: str  # as written in the file
    words: tuple[str, ...]  # the trigger split into words
    pos: str  # verb | noun
    obj: str | None  # word class (upper case) or lemma the object must hold
    event_type: str  # PLOVER type or "-" for function words
    cameo: str
    mode: str | None
    flags: frozenset[str]
    confidence: float

    @property
    def head(self) -> str:
        """The word the rule is anchored on: first word of a verb, last word of a noun
        (and of hyphenated compounds, whose earlier parts precede it)."""
        if self.pos == "noun" or "-" in self.trigger:
            return self.words[-1]
        return self.words[0]

    @property
    def is_event(self) -> bool:
        return self.event_type != "-"


@dataclass
class Lexicon:
    rules: dict[tuple[str, str], list[TriggerRule]] = field(default_factory=dict)
    classes: dict[str, frozenset[str]] = field(default_factory=dict)
    forms: dict[str, set[str]] = field(default_factory=dict)  # surface form -> lemmas

    def prefilter(self) -> Prefilter:
        """The sentence pre-filter over every event rule (see ``Prefilter``)."""
        index: dict[str, list[tuple[tuple[str, ...], str | None]]] = defaultdict(list)
        for (head, _pos), rules in self.rules.items():
            for rule in rules:
                if not rule.is_event:
                    if rule.flags & FAILURE_FLAGS and FAILURE_CLASS in self.classes:
                        # "failed to protect", "did nothing to stop": an event is coded for
                        # the act not done (see SentenceAnalyzer._failures)
                        for form, lemmas in self.forms.items():
                            if head in lemmas:
                                index[form].append(((), FAILURE_CLASS))
                    continue
                others = tuple(w for w in rule.words if w != head)
                obj = rule.obj if rule.obj and rule.obj not in BUILTIN_OBJECTS else None
                for form, lemmas in self.forms.items():
                    if head in lemmas:
                        index[form].append((others, obj))
        return Prefilter({k: tuple(set(v)) for k, v in index.items()}, self.classes)

    def noun_forms(self, types: Iterable[str]) -> frozenset[str]:
        """Surface forms of the nouns that are events of ``types`` whatever their object
        ("strike", "strikes", "shelling" for ASSAULT)."""
        heads = {head for (head, pos), rules in self.rules.items() if pos == "noun"
                 and any(r.event_type in types and not r.obj for r in rules)}
        return frozenset(form for form, lemmas in self.forms.items() if lemmas & heads)

    @property
    def failure_rule(self) -> TriggerRule:
        """The event of a protective act that did not happen ("failed to prevent")."""
        return TriggerRule(trigger="(failure to act)", words=("(failure to act)",), pos="verb",
                           obj=None, event_type="COERCE", cameo="17", mode="restrict",
                           flags=frozenset({"failure"}), confidence=0.45)

    def lemmas_of(self, form: str) -> set[str]:
        return self.forms.get(form, set())

    @classmethod
    def load(cls, extra: Sequence[str | Path] = ()) -> Lexicon:
        files = ("triggers.tsv", "wordclasses.tsv", "irregular_verbs.tsv")
        texts: dict[str, list[tuple[str, str]]] = {f: [(f, _packaged(f))] for f in files}
        for path in _extra_files(extra):
            if path.name in texts:
                texts[path.name].append((str(path), path.read_text(encoding="utf-8")))
        return cls.build(
            triggers=[row for o, t in texts["triggers.tsv"] for row in _rows(t, o)],
            classes=[row for o, t in texts["wordclasses.tsv"] for row in _rows(t, o)],
            irregular=[row for o, t in texts["irregular_verbs.tsv"] for row in _rows(t, o)],
        )

    @classmethod
    def build(cls, triggers: Iterable[dict], classes: Iterable[dict],
              irregular: Iterable[dict]) -> Lexicon:
        lex = cls()
        word_classes: dict[str, set[str]] = defaultdict(set)
        for row in classes:
            word_classes[row["class"].strip().upper()].update(
                w.strip().lower() for w in row["words"].split("|") if w.strip())
        lex.classes = {k: frozenset(v) for k, v in word_classes.items()}
        irregular_forms = {row["lemma"].strip(): [f.strip() for f in row["forms"].split("|")]
                           for row in irregular}
        forms: dict[str, set[str]] = defaultdict(set)
        rules: dict[tuple[str, str], list[TriggerRule]] = defaultdict(list)
        for row in triggers:
            rule = _rule(row)
            if rule.obj and rule.obj.isupper() and rule.obj not in BUILTIN_OBJECTS \
                    and rule.obj not in lex.classes:
                raise LexiconError(f"{row.get(WHERE) or 'triggers.tsv'}: {rule.trigger}: "
                                   f"unknown object class {rule.obj!r} (not in wordclasses.tsv)")
            rules[(rule.head, rule.pos)].append(rule)
            head = rule.head
            generated = (_irregular(head, irregular_forms) + inflect_verb(head)) \
                if rule.pos == "verb" else pluralize(head)
            for form in {head, *generated}:
                forms[form].add(head)
        # inert rows first (they veto the word); constrained rules (object class, phrasal)
        # before plain ones; function words last, so "open fire" wins over the light verb
        # "open"; file order otherwise
        lex.rules = {k: sorted(v, key=lambda r: ("inert" not in r.flags,
                                                 not (r.obj or len(r.words) > 1), not r.is_event))
                     for k, v in rules.items()}
        lex.forms = dict(forms)
        return lex


_MONTH_DATE = re.compile(
    r"\b(?:march|may)\b(?=[\s,]+\d)|(?<=\d)(?:st|nd|rd|th)?\s+(?:march|may)\b|"
    r"\b(?:in|of|since|by|until|till|from|early|late|mid|last|next|this|during|before|after)"
    r"[\s-]+(?:march|may)\b")


class Prefilter:
    """Decides from the words alone whether a sentence may hold an event, so that only
    those sentences are parsed. A sentence passes when it holds a form of a trigger head
    together with the trigger's other words and, for object-constrained rules, a word of
    the object's class (or the object lemma)."""

    def __init__(self, index: dict[str, tuple[tuple[tuple[str, ...], str | None], ...]],
                 classes: dict[str, frozenset[str]]):
        self.index = index
        self.classes = classes

    def __contains__(self, word: str) -> bool:
        return word in self.index

    def __call__(self, text: str) -> bool:
        # month names that are also triggers ("march", "may") are dates next to a number
        # or after a time preposition: "on march 3", "in march 2002"
        words = re.findall(r"[a-z]+", _MONTH_DATE.sub(" ", text.lower()))
        hits = [w for w in words if w in self.index]
        if not hits:
            return False
        bag = set(words)
        bag |= {singular(w) for w in words}
        bag |= {s for w in words for s in stems(w)}
        for w in hits:
            for others, obj in self.index[w]:
                if others and not all(o in bag for o in others):
                    continue
                if obj is not None:
                    cls = self.classes.get(obj)
                    if cls is not None and not (cls & bag) and not any(" " in c for c in cls):
                        continue
                    if cls is None and obj not in bag:
                        continue
                return True
        return False


def singular(word: str) -> str:
    """A crude singular for the lemma fallback: "districts" -> "district", "cities" -> "city"."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and re.search(r"(s|x|z|ch|sh)es$", word):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def stems(word: str) -> list[str]:
    """Crude base forms of a verb form, for the other words of phrasal triggers ("stood and
    watched" holds "watch"): over-generating is harmless, the parse decides."""
    out = []
    if word.endswith("ed") and len(word) > 4:
        out += [word[:-2], word[:-1]]
        if len(word) > 5 and word[-3] == word[-4]:
            out.append(word[:-3])  # "stopped"
    if word.endswith("ing") and len(word) > 5:
        out += [word[:-3], word[:-3] + "e"]
    return out


class LexiconError(ValueError):
    """A bad row in a lexicon file: the message names the file and line."""


def _rule(row: dict) -> TriggerRule:
    where = row.get(WHERE) or "triggers.tsv"
    trigger = (row.get("trigger") or "").strip().lower()
    if not trigger or not row.get("pos") or row.get("event_type") is None:
        raise LexiconError(f"{where}: a row needs trigger, pos and event_type")
    obj = (row.get("object") or "").strip()
    flags = frozenset(f.strip() for f in (row.get("flags") or "").split(",") if f.strip())
    unknown = flags - FUNCTION_FLAGS - {"absorb", "reciprocal", "refuse", "negated", "only_negated",
                                        "complement", "forces"}
    if unknown:
        raise LexiconError(f"{where}: {trigger}: unknown flags {sorted(unknown)}")
    pos = row["pos"].strip().lower()
    if pos not in ("verb", "noun"):
        raise LexiconError(f"{where}: {trigger}: pos must be verb or noun, not {pos!r}")
    event_type = row["event_type"].strip()
    cameo = (row.get("cameo") or "").strip()
    if event_type != "-":
        known = event_types()
        if event_type not in known:
            raise LexiconError(f"{where}: {trigger}: unknown event type {event_type!r} "
                               f"(known: {', '.join(known)})")
        if not known[event_type].cameo_ok(cameo):
            raise LexiconError(f"{where}: {trigger}: CAMEO code {cameo!r} is not one of "
                               f"{event_type} (roots {', '.join(known[event_type].cameo_roots)})")
    try:
        confidence = float(row.get("confidence") or 0.5)
    except ValueError:
        raise LexiconError(f"{where}: {trigger}: confidence must be a number") from None
    if not 0 <= confidence <= 1:
        raise LexiconError(f"{where}: {trigger}: confidence must be within 0-1")
    return TriggerRule(
        trigger=trigger,
        words=tuple(w for w in re.split(r"[\s-]+", trigger) if w),
        pos=pos,
        obj=(obj.upper() if obj.isupper() else obj.lower()) or None,
        event_type=event_type,
        cameo=cameo,
        mode=(row.get("mode") or "").strip() or None,
        flags=flags,
        confidence=confidence,
    )


def _irregular(lemma: str, table: dict[str, list[str]]) -> list[str]:
    """Irregular forms, also of prefixed verbs: retake -> retook, retaken."""
    if lemma in table:
        return table[lemma]
    for base, forms in table.items():
        if lemma.endswith(base) and len(lemma) - len(base) in (2, 3, 4):
            prefix = lemma[: len(lemma) - len(base)]
            if prefix in ("re", "over", "out", "under", "mis", "with"):
                return [prefix + f for f in forms]
    return []


def inflect_verb(lemma: str) -> list[str]:
    """Regular English inflections: -s, -ed, -ing with e-drop, y->i and final doubling."""
    if lemma.endswith("ee"):
        return [lemma + "s", lemma + "d", lemma + "ing"]
    if lemma.endswith("e"):
        return [lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in "aeiou":
        return [lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    if re.search(r"(s|x|z|ch|sh)$", lemma):
        return [lemma + "es", lemma + "ed", lemma + "ing"]
    out = [lemma + "s", lemma + "ed", lemma + "ing"]
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", lemma):  # kidnapped, shelled; extra forms are harmless
        double = lemma + lemma[-1]
        out += [double + "ed", double + "ing"]
    return out


def pluralize(noun: str) -> list[str]:
    if noun.endswith("y") and len(noun) > 2 and noun[-2] not in "aeiou":
        return [noun[:-1] + "ies"]
    if re.search(r"(s|x|z|ch|sh)$", noun):
        return [noun + "es"]
    return [noun + "s"]


def _packaged(name: str) -> str:
    return (resources.files("dateline") / "data" / name).read_text(encoding="utf-8")


def _extra_files(extra: Sequence[str | Path]) -> Iterable[Path]:
    for item in extra:
        p = Path(item)
        if p.is_dir():
            yield from sorted(p.glob("*.tsv"))
        elif p.exists():
            yield p


WHERE = "__where__"  # row key holding "file:line" for error messages


def _rows(text: str, origin: str = "") -> Iterable[dict]:
    """The rows of a tab-separated file, each with ``WHERE`` = "origin:line"."""
    numbered = [(n, ln) for n, ln in enumerate(text.splitlines(), 1)
                if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader([ln for _n, ln in numbered], delimiter="\t", quoting=csv.QUOTE_NONE)
    for (line, _ln), row in zip(numbered[1:], reader):
        row[WHERE] = f"{origin}:{line}"
        yield row
