"""English numbers written as words or digits: "five", "twenty-one", "a dozen", "1,200",
"3.5 million", "two hundred". Shared by the date resolver ("two days ago") and the
quantity extractor ("five districts"). Number words are grammar, not a dictionary a user
edits, so they live here rather than in a data file.
"""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "a dozen": 12, "dozen": 12, "a couple of": 2, "a pair of": 2,
    "single": 1, "a": 1, "an": 1,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "lakh": 100_000, "lakhs": 100_000, "crore": 10_000_000, "crores": 10_000_000,
          "mn": 1_000_000, "bn": 1_000_000_000, "m": 1_000_000, "k": 1_000}
# vague amounts: skipped by default (``QuantityExtractor(vague=True)`` keeps their floor)
VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "tens of thousands": 20_000,
         "hundreds of thousands": 200_000, "millions": 2_000_000, "several": 3, "a few": 3,
         "few": 3, "many": 0, "some": 0, "numerous": 0}

_WORD_UNITS = "|".join(sorted((re.escape(w) for w in UNITS if w not in ("a", "an")), key=len, reverse=True))
_TENS = "|".join(TENS)
_SCALE = "hundred|thousand|million|billion|lakhs?|crores?"
SCALE_WORDS = "hundred|thousand|million|billion|lakhs?|crores?|mn|bn"
# "twenty-one", "two hundred", "three thousand five hundred", "a hundred", "one and a half million"
WORD_NUMBER = (
    rf"(?:(?:{_TENS})(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|{_WORD_UNITS}|an?(?=\s+(?:{_SCALE})\b))"
    rf"(?:\s+(?:and\s+a\s+half\s+)?(?:{_SCALE})(?:\s+(?:and\s+)?(?:(?:{_TENS})(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|{_WORD_UNITS}))?)*"
)
DIGIT_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
NUMBER = rf"(?:{DIGIT_NUMBER})(?:\s*(?:{_SCALE}|mn|bn)\b)?|{WORD_NUMBER}"
NUMBER_RE = re.compile(rf"\b(?:{NUMBER})\b", re.IGNORECASE)


def parse_number(text: str) -> float | None:
    """The value of a number phrase ("three", "twenty-one", "1,200", "3.5 million",
    "two hundred and fifty"), or None."""
    t = text.strip().lower().replace("-", " ")
    if not t:
        return None
    m = re.fullmatch(rf"({DIGIT_NUMBER})\s*({_SCALE}|mn|bn|m|k)?", t)
    if m:
        try:
            value = float(m.group(1).replace(",", ""))
        except ValueError:
            return None
        if m.group(2):
            value *= SCALES[m.group(2)]
        return value
    total, current, seen = 0.0, 0.0, False
    t = t.replace("a couple of", "two").replace("a pair of", "two").replace("a dozen", "twelve")
    words = t.replace(" and a half", " half").split()
    for w in words:
        if w == "and":
            continue
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "half":
            current += 0.5
        elif w in SCALES and w not in ("m", "k", "mn", "bn"):
            scale = SCALES[w]
            current = (current or 1) * scale
            if scale >= 1000:
                total += current
                current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None
