"""Words that make random text look like news, so fuzzing reaches the parsing paths.

Built from the repository's own data: the words of the example article, the trigger
lemmas of src/dateline/data/triggers.tsv (with crude inflections), actor and place names
of the dictionaries, and date expressions the resolver knows. Loaded by ``Vocabulary.load``
(the constructor does no I/O).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "aleppo-2016-12-07.txt"
DATA = ROOT / "src" / "dateline" / "data"

# Date expressions of every shape coding/dates.py resolves (and near misses).
DATE_PHRASES = (
    "today", "tonight", "yesterday", "tomorrow", "last night", "overnight", "this morning",
    "the day before yesterday", "the day after tomorrow", "earlier today",
    "on Monday", "on Tuesday", "Wednesday", "last Friday", "next Monday", "Saturday night",
    "Tuesday or Wednesday", "Monday and Tuesday", "for Tuesday or Wednesday",
    "2016-12-05", "2016-02-30", "05/12/2016", "31.12.1999", "13/13/2013", "Dec. 5", "December 5",
    "5 December 2016", "the 5th of December", "on March 3", "feb 28", "Feb 29", "Feb 30",
    "December 2016", "early 2016", "mid-March", "late June 2015", "in March", "since 2011",
    "in 2011", "in 1799", "in 2200", "last week", "this week", "next week", "last month",
    "this month", "earlier this month", "this year", "last year", "next year",
    "two days ago", "three weeks ago", "a year ago", "a few days ago", "several months ago",
    "in two days", "within a week", "in 10 years' time", "over the weekend", "the weekend",
    "at the end of last month", "since the start of this year", "99999 days ago",
    "in 123456789 years", "the 31st of February", "June 31", "Sept 31, 2016",
)
NUMBERS = ("0", "1", "2", "five", "twenty-three", "70", "70 percent", "1,200", "3.5",
           "hundreds", "dozens", "a dozen", "1e9", "-4", "10,000,000,000", "½", "٣")
PUNCTUATION = (".", ",", ";", ":", "!", "?", "\"", "'", "(", ")", "-", "--", "…", "\u201c",
               "\u201d", "\u2019", "\n", "\n\n", "\t", " ")


@dataclass(frozen=True)
class Vocabulary:
    """The word lists random news text is drawn from."""

    words: tuple[str, ...]  # ordinary words of real news text
    triggers: tuple[str, ...]  # event trigger words and their inflections
    names: tuple[str, ...]  # actors, countries, capitals, groups
    dates: tuple[str, ...] = DATE_PHRASES
    numbers: tuple[str, ...] = NUMBERS
    punctuation: tuple[str, ...] = PUNCTUATION

    @classmethod
    def load(cls, example: Path = EXAMPLE, data: Path = DATA) -> Vocabulary:
        text = example.read_text(encoding="utf-8")
        words = sorted(set(re.findall(r"[\w'-]+", text)))
        triggers: set[str] = set()
        for row in _tsv(data / "triggers.tsv"):
            words = (row.get("trigger") or "").split()
            if not words or (row.get("event_type") or "-").strip() == "-":
                continue  # function rows ("hold to ransom", light verbs) name no event
            # the word a row is anchored on, not its particles ("meet with", "charge with")
            head = words[-1] if (row.get("pos") or "").strip() == "noun" else words[0]
            triggers.update(_inflections(head))
        names: set[str] = set()
        for row in _tsv(data / "countries.tsv"):
            names.update(filter(None, (row.get("name"), row.get("adjectives"),
                                       row.get("capitals"))))
        for file in ("groups.tsv", "officeholders.tsv"):
            for row in _tsv(data / file):
                names.add(row.get("name") or "")
                names.update((row.get("aliases") or "").replace("=", "").split("|"))
        names = {n.split("|")[0] for n in names if n}
        return cls(tuple(words), tuple(sorted(triggers)), tuple(sorted(names)))


def _tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _inflections(lemma: str) -> set[str]:
    """The lemma and rough past, third-person and -ing forms ("seize" -> "seized" ...)."""
    if not lemma.isalpha():
        return {lemma}
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    return {lemma, lemma + "s", stem + "ed", stem + "ing"}
