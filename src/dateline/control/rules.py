"""The words and patterns of control claims and running figures: ``data/control.tsv`` and
``data/figures.tsv``, validated when loaded (a bad row is an error naming file and line).

Users add rows with files of the same name in a ``--dict`` folder, as for the coder's
dictionaries.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dateline.coding.lexicon import (
    _extra_files,
    _irregular,
    _packaged,
    _rows,
    inflect_verb,
    pluralize,
    singular,
)

KINDS = ("capture", "loss", "siege", "hold")
WORD_KINDS = ("-", "share", "part", "area")
POS = ("verb", "noun", "adj")
ROLES = ("obj", "subj", "head", "mod", "agent", "of", "appos", "host", "pred")  # and prep:X
FUNCTION_FLAGS = ("block", "pass", "cancel", "done", "crime", "bounded", "declare", "neutral",
                  "ally", "dispute", "check", "contest", "contrast", "fighting",
                  "ending")
CLAIM_FLAGS = ("present_hold", "perfect_hold", "dated_past", "longer_loss", "armed", "finite",
               "entry")
ROLE_FLAGS = ("loser", "gainer")
AREA_FLAGS = ("facility", "sub", "anaphor", "river")  # area rows: a facility ("the airport"), a
# part of a place, a word that refers back ("the area"), a river's side ("the west bank of the X")
FIGURE_COLUMNS = ("word", "what", "kind")
FIGURE_KINDS = ("noun", "verb", "cue", "toll", "unit")


class ControlRulesError(ValueError):
    """A bad row in control.tsv or figures.tsv: the message names the file and line."""


@dataclass(frozen=True)
class ControlRule:
    pattern: str
    words: tuple[str, ...]
    pos: str
    kind: str
    place: tuple[str, ...] = ()
    holder: tuple[str, ...] = ()
    flags: frozenset[str] = frozenset()
    loser: str | None = None
    gainer: str | None = None
    value: str | None = None
    where: str = ""

    @property
    def head(self) -> str:
        return self.words[0] if self.pos == "verb" else self.words[-1]

    @property
    def is_claim(self) -> bool:
        return self.kind in KINDS


@dataclass
class ControlRules:
    rules: dict[tuple[str, str], list[ControlRule]] = field(default_factory=dict)
    forms: dict[str, set[str]] = field(default_factory=dict)  # surface form -> lemmas
    figure_words: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> word -> what

    # -- look-ups -----------------------------------------------------------------------
    def lemmas(self, word: str) -> list[str]:
        low = word.lower()
        out = [low, *sorted(self.forms.get(low, ())), singular(low)]
        return list(dict.fromkeys(out))

    def find(self, word: str, pos: str) -> list[ControlRule]:
        out: list[ControlRule] = []
        for lemma in self.lemmas(word):
            out.extend(self.rules.get((lemma, pos), ()))
        return out

    def words_of(self, kind: str) -> dict[str, ControlRule]:
        """Every surface form of the word rows of ``kind`` (share, part, area)."""
        out: dict[str, ControlRule] = {}
        for (head, _pos), rules in self.rules.items():
            for r in rules:
                if r.kind == kind and len(r.words) == 1:
                    for form in [head, *pluralize(head)]:
                        out.setdefault(form, r)
                elif r.kind == kind:
                    out.setdefault(" ".join(r.words), r)
        return out

    def area_words(self, flag: str) -> set[str]:
        """The surface forms of the area rows carrying ``flag`` (facility, sub)."""
        return {form for form, r in self.words_of("area").items() if flag in r.flags}

    def function_words(self, flag: str) -> set[str]:
        return {head for (head, _p), rules in self.rules.items() for r in rules
                if r.kind == "-" and flag in r.flags}

    def surface_forms(self) -> set[str]:
        """Every form of every claim word: the sentence pre-filter."""
        claim_heads = {h for (h, _p), rules in self.rules.items() for r in rules if r.is_claim}
        return {f for f, lemmas in self.forms.items() if lemmas & claim_heads}

    # -- loading ------------------------------------------------------------------------
    @classmethod
    def load(cls, extra: Sequence[str | Path] = ()) -> ControlRules:
        texts: dict[str, list[tuple[str, str]]] = {
            name: [(name, _packaged(name))] for name in
            ("control.tsv", "figures.tsv", "irregular_verbs.tsv")}
        for path in _extra_files(extra):
            if path.name in texts:
                texts[path.name].append((str(path), path.read_text(encoding="utf-8")))
        return cls.build(
            rows=[r for o, t in texts["control.tsv"] for r in _rows(t, o)],
            figure_rows=[r for o, t in texts["figures.tsv"] for r in _rows(t, o)],
            irregular=[r for o, t in texts["irregular_verbs.tsv"] for r in _rows(t, o)])

    @classmethod
    def build(cls, rows: Iterable[dict], figure_rows: Iterable[dict] = (),
              irregular: Iterable[dict] = ()) -> ControlRules:
        table = {r["lemma"].strip(): [f.strip() for f in r["forms"].split("|")]
                 for r in irregular}
        out = cls()
        rules: dict[tuple[str, str], list[ControlRule]] = defaultdict(list)
        forms: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            rule, extra_forms = _control_rule(row)
            rules[(rule.head, rule.pos)].append(rule)
            head = rule.head
            if rule.pos == "verb":
                generated = _irregular(head, table) + inflect_verb(head)
            elif rule.pos == "noun":
                generated = pluralize(head)
            else:
                generated = []
            for form in {head, *generated, *extra_forms}:
                forms[form].add(head)
        out.rules = dict(rules)
        out.forms = dict(forms)
        words: dict[str, dict[str, str]] = defaultdict(dict)
        for row in figure_rows:
            where = row.get("__where__", "figures.tsv")
            missing = [c for c in FIGURE_COLUMNS if not (row.get(c) or "").strip()]
            if missing:
                raise ControlRulesError(f"{where}: missing {', '.join(missing)}")
            kind = row["kind"].strip()
            if kind not in FIGURE_KINDS:
                raise ControlRulesError(f"{where}: kind must be one of {', '.join(FIGURE_KINDS)}, "
                                        f"not {kind!r}")
            what = row["what"].strip()
            if not re.fullmatch(r"[a-z_]+", what):
                raise ControlRulesError(f"{where}: what must be a lower-case name, not {what!r}")
            words[kind][row["word"].strip().lower()] = what
        out.figure_words = dict(words)
        return out


def _roles(text: str, where: str, column: str) -> tuple[str, ...]:
    out = tuple(r.strip() for r in (text or "").split(",") if r.strip())
    for r in out:
        if r not in ROLES and not re.fullmatch(r"prep:[a-z]+", r):
            raise ControlRulesError(f"{where}: unknown {column} role {r!r} (known: "
                                    f"{', '.join(ROLES)}, prep:WORD)")
    return out


def _control_rule(row: dict) -> tuple[ControlRule, list[str]]:
    where = row.get("__where__") or "control.tsv"
    pattern = (row.get("pattern") or "").strip().lower()
    pos = (row.get("pos") or "").strip().lower()
    kind = (row.get("kind") or "").strip().lower()
    if not pattern or not pos or not kind:
        raise ControlRulesError(f"{where}: a row needs pattern, pos and kind")
    if pos not in POS:
        raise ControlRulesError(f"{where}: {pattern}: pos must be one of {', '.join(POS)}, "
                                f"not {pos!r}")
    if kind not in KINDS + WORD_KINDS:
        raise ControlRulesError(f"{where}: {pattern}: kind must be one of "
                                f"{', '.join(KINDS + WORD_KINDS)}, not {kind!r}")
    place = _roles(row.get("place") or "", where, "place")
    holder = _roles(row.get("holder") or "", where, "holder")
    flags, loser, gainer, value = set(), None, None, None
    for f in (row.get("flags") or "").split(","):
        f = f.strip()
        if not f:
            continue
        name, _, arg = f.partition("=")
        if name in ROLE_FLAGS:
            if not arg:
                raise ControlRulesError(f"{where}: {pattern}: {name} needs a role ({name}=obj)")
            _roles(arg, where, name)
            loser, gainer = (arg, gainer) if name == "loser" else (loser, arg)
        elif name == "value":
            if kind == "share":
                try:
                    v = float(arg)
                except ValueError:
                    raise ControlRulesError(f"{where}: {pattern}: value must be a number "
                                            "0-1") from None
                if not 0 < v <= 1:
                    raise ControlRulesError(f"{where}: {pattern}: value must be within 0-1")
            elif kind != "part" or not re.fullmatch(r"[a-z]+", arg):
                raise ControlRulesError(f"{where}: {pattern}: value= is for share and part rows")
            value = arg
        elif name in FUNCTION_FLAGS or name in CLAIM_FLAGS:
            flags.add(name)
        elif name in AREA_FLAGS and kind == "area":
            flags.add(name)
        else:
            raise ControlRulesError(f"{where}: {pattern}: unknown flag {name!r}")
    if kind in KINDS:
        if not place or not holder:
            raise ControlRulesError(f"{where}: {pattern}: a {kind} row needs place and holder")
        if flags & set(FUNCTION_FLAGS):
            raise ControlRulesError(f"{where}: {pattern}: {sorted(flags & set(FUNCTION_FLAGS))} "
                                    "are for function rows (kind -)")
    else:
        if place or holder or loser or gainer:
            raise ControlRulesError(f"{where}: {pattern}: a {kind} row takes no place or holder")
        if kind == "-" and not flags & set(FUNCTION_FLAGS):
            raise ControlRulesError(f"{where}: {pattern}: a function row needs one of "
                                    f"{', '.join(FUNCTION_FLAGS)}")
        if kind == "part" and not value:
            raise ControlRulesError(f"{where}: {pattern}: a part row needs value=NAME")
    extra = [f.strip().lower() for f in (row.get("forms") or "").split("|") if f.strip()]
    words = tuple(w for w in re.split(r"\s+", pattern) if w)
    return ControlRule(pattern=pattern, words=words, pos=pos, kind=kind, place=place,
                       holder=holder, flags=frozenset(flags), loser=loser, gainer=gainer,
                       value=value, where=where), extra
