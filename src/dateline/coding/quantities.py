"""Numbers in a sentence: the event size (dead, injured, arrested) and counted quantities.

``QuantityExtractor.extract(text) -> (size, quantities)``:

* ``size``: {"dead", "injured", "arrested"} when the sentence states them: "killing 12
  people", "at least 30 dead", "five civilians were killed", "death toll rose to 17",
  "two policemen were injured", "police arrested 45 people", "detained three activists",
  "12 arrests", "four were killed and five injured" (both). A group's head number is its
  count, not the part set off after it ("63 people, including seven women, were
  arrested": 63); coordinated groups add up ("30 men and six women were arrested": 36). Qualifiers ("at least", "more than", "nearly") are dropped: the number is
  kept. Vague amounts ("dozens", "hundreds", "scores") are skipped unless
  ``vague=True``, which keeps their floor (dozens = 24, hundreds = 200, ...). Several
  figures for one category: the largest.
* ``quantities``: a number (digits or words) with the noun it counts: "five districts" →
  (5, "district"), "300,000 people" → (300000, "person"), "70 percent" → (70, "percent"),
  "seven-day ceasefire" → (7, "day"), "3.5 million refugees" → (3500000, "refugee").
  Measures are counted nouns too ("35 km" → (35, "kilometre"), "2,000 hectares"). Money in
  the common currencies is read here ("$5 million" → (5000000, "dollar"), "Rs 10 lakh" →
  (1000000, "indian rupee")); quantulum3, which costs milliseconds a call, only sees
  sentences with a number beside another currency's name ("300 million dinars"). Vague amounts ("millions forced from their homes") are not quantities. Dates,
  years, times of day, ordinals and labels ("section 144", "Resolution 2254") are never
  quantities.
"""

from __future__ import annotations

import re
import warnings
from datetime import date

from dateline.coding.dates import DateResolver
from dateline.coding.numbers import (
    DIGIT_NUMBER, NUMBER, SCALE_WORDS, SCALES, VAGUE, WORD_NUMBER, parse_number,
)
from dateline.model import Quantity

_QUAL = r"(?:(?:at\s+least|more\s+than|over|nearly|almost|about|around|some|up\s+to|as\s+many\s+as|roughly|approximately|an\s+estimated|another|a\s+further|a\s+total\s+of)\s+)?"
_VAGUE = r"dozens|scores|hundreds|thousands|tens\s+of\s+thousands|hundreds\s+of\s+thousands|millions"
_NUM = rf"(?P<n>{NUMBER}|{_VAGUE})"
_NUM2 = rf"(?P<n2>{NUMBER})"
# a part of the counted group set off after it: "including seven women", "among them two
# children", "of whom three were minors"
_INCLUDING = r"(?:,?\s+(?:including|among\s+them|among\s+whom|of\s+whom|out\s+of\s+whom|besides)\s+[^,;.()]{1,60}?,?)"
_MODS = r"(?:(?:more|other|further|additional|innocent|unarmed|armed|civilian|young|suspected|alleged|(?-i:[A-Z][a-z]+)|[a-z]+-[a-z]+)\s+){0,3}"
_WHO = r"(?:people|persons|civilians|children|women|men|soldiers|troops|policemen|police(?:\s+officers)?|officers|militants|rebels|fighters|insurgents|protesters|demonstrators|students|activists|members|workers|villagers|residents|pilgrims|passengers|worshippers|journalists|suspects|others|person|civilian|child|woman|man|soldier|policeman|officer|militant|rebel|fighter|protester|student|activist|member|worker|villager|resident|pilgrim|passenger|journalist|suspect|jawans|jawan|constables|constable|cops|personnel|commandos|gunmen|terrorists|labourers|farmers|traders|shopkeepers|kar\s+sevaks|ramsevaks|youths|youth|boys|girls|boy|girl|inmates|prisoners|miners|tourists|bystanders|victims|individuals|family\s+members|devotees|guards|staff)"
_BE = r"(?:\s+(?:were|was|have\s+been|has\s+been|had\s+been|are|is|got|reportedly|also|all|allegedly|later|subsequently|been)){0,3}"
_VERB = {
    "dead": r"killed|dead|died|slain|murdered|massacred|lynched|executed|shot\s+dead|burnt\s+alive|burned\s+to\s+death|beheaded|lost\s+their\s+lives|perished",
    "injured": r"injured|wounded|hurt|maimed",
    "arrested": r"arrested|detained|held|rounded\s+up|taken\s+into\s+custody|nabbed|picked\s+up|apprehended|jailed|remanded",
}
# verbs whose object is the count: "killing 12 people"; the weak ones need a person noun
_ACT = {
    "dead": (r"killing|killed|kills|kill|massacred|slaughtered|executed|shot\s+dead", r"leaving|left"),
    "injured": (r"injuring|injured|wounding|wounded|injures|wounds", r"hurting|hurt"),
    "arrested": (r"arrested|arresting|arrests|arrest|detained|detaining|detains|detain|rounded\s+up|nabbed|apprehended|took\s+into\s+custody",
                 r"held|holding|picked\s+up"),
}
_NOUN = {"dead": r"deaths|fatalities|bodies", "injured": r"injuries",
         "arrested": r"arrests|detentions|detainees"}
_OBJ_QUAL = r"(?:(?:at\s+least|more\s+than|over|nearly|about|around|some|up\s+to|another|a\s+further)\s+)?"


def _size_patterns() -> list[tuple[str, re.Pattern]]:
    out = []
    for cat in ("dead", "injured", "arrested"):
        strong, weak = _ACT[cat]
        rx = [
            # "five civilians were killed", "12 people died", "at least 30 dead", "five
            # injured"; the head of "63 people, including seven women, were arrested"
            rf"\b{_QUAL}{_NUM}(?:\s+{_MODS}{_WHO})?{_INCLUDING}?{_BE}\s+(?:{_VERB[cat]})\b",
            # "30 men and six women were arrested": the sum
            rf"\b{_QUAL}{_NUM}\s+{_MODS}{_WHO}\s+and\s+{_QUAL}{_NUM2}\s+{_MODS}{_WHO}{_BE}\s+(?:{_VERB[cat]})\b",
            # "killing 12 people", "police arrested 45 people", "killed 12"
            rf"\b(?:{strong})\s+{_OBJ_QUAL}{_NUM}(?:\s+{_MODS}{_WHO})?\b(?!\s*(?:%|percent|per\s+cent))",
            # "leaving 30 people dead", "held 20 people"
            rf"\b(?:{weak})\s+{_OBJ_QUAL}{_NUM}\s+{_MODS}{_WHO}\b",
            # "12 deaths", "45 arrests"
            rf"\b{_QUAL}{_NUM}\s+(?:{_NOUN[cat]})\b",
        ]
        if cat == "dead":
            rx.append(rf"\b(?:death\s+toll|toll|number\s+of\s+(?:dead|deaths|people\s+killed))(?:\s+\w+){{0,3}}?\s+(?:rose|climbed|jumped|reached|stood|stands|is|was|has\s+risen|rises|hit|touched|went\s+up)(?:\s+(?:to|at))?\s+{_QUAL}{_NUM}\b")
            rx.append(rf"\b{_QUAL}{_NUM}\s+dead\b")
        out += [(cat, re.compile(r, re.IGNORECASE)) for r in rx]
    return out


# a category's patterns run only when one of its words is in the sentence
_CUE = {
    "dead": re.compile(r"kill|dead|died|death|toll|slain|murder|massacr|lynch|execut|burnt|burned|behead|lives|perish|fatalit|bodies|slaughter", re.I),
    "injured": re.compile(r"injur|wound|hurt|maim", re.I),
    "arrested": re.compile(r"arrest|detain|detention|held|holding|rounded|custody|nabbed|picked|apprehend|jail|remand", re.I),
}


_SIZE = _size_patterns()
_COUNTED = re.compile(rf"(?<![\w$£€.,-])(?P<n>{NUMBER})(?:\s*(?P<pct>%|percent\b|per\s+cent\b)|-(?P<hy>[a-z]+)\b|\s+(?P<mods>(?:(?:more|other|further|additional|new|former|young|unarmed|armed|innocent|local|senior|suspected|alleged|key|strategic|major|small|(?-i:[A-Z][a-z]+))\s+){{0,2}})(?P<noun>[a-z][a-z]+(?:-[a-z]+)?)\b)", re.IGNORECASE)
_LABEL = re.compile(r"\b(?:section|sections|article|articles|no|number|room|chapter|ward|sector|platform|route|highway|resolution|flight|gate|page|clause|rule|item|phase|grade|class|standard|level|unit|block|plot|paragraph|act|code|bus|train|model|version|channel|batch|division|regiment|battalion|brigade|squadron|corps|district)\.?\s*$", re.IGNORECASE)
_TIME = re.compile(r"^\s*(?:a\.?m\.?|p\.?m\.?|hrs|hours?\s+(?:ist|gmt|local)|o'clock|:\d\d)\b", re.IGNORECASE)
_NOT_UNIT = {
    "of", "and", "or", "to", "in", "on", "at", "by", "for", "from", "with", "the", "a", "an", "were",
    "was", "are", "is", "have", "had", "has", "be", "been", "will", "would", "could", "who", "which",
    "that", "this", "these", "those", "it", "they", "them", "he", "she", "we", "you", "than", "more",
    "less", "times", "per", "each", "after", "before", "during", "since", "into", "as", "but", "if",
    "so", "not", "also", "out", "up", "down", "off", "over", "under", "about", "p", "am", "pm", "st",
    "nd", "rd", "th", "years-old", "year-old", "said", "say", "says", "told", "did", "do", "does",
    "killed", "injured", "wounded", "arrested", "dead", "died", "detained", "held", "including",
    "among", "between", "against", "other", "others", "too", "then", "there", "here", "all", "both",
    "only", "just", "even", "still", "what", "when", "where", "while", "because", "although",
    "per cent", "percent", "such", "can", "odd", "may", "might", "must", "should", "shall",
    "kar", "hours-long",
}
_IRREGULAR = {"people": "person", "persons": "person", "men": "man", "women": "woman",
              "children": "child", "policemen": "policeman", "feet": "foot", "police": "police",
              "lakhs": "lakh", "crores": "crore", "series": "series", "news": "news",
              "sevaks": "sevak", "jawans": "jawan", "percent": "percent", "species": "species",
              "lives": "life", "wives": "wife", "knives": "knife", "thieves": "thief",
              "buses": "bus", "gases": "gas", "crises": "crisis", "analyses": "analysis"}
# money in the common currencies is read here; quantulum3 (slow) only sees sentences with a
# number beside another currency's name
_CURRENCY = {"$": "dollar", "us$": "dollar", "usd": "dollar", "dollar": "dollar", "€": "euro",
             "eur": "euro", "euro": "euro", "£": "pound sterling", "gbp": "pound sterling",
             "pound": "pound sterling", "¥": "yen", "yen": "yen", "yuan": "yuan", "₹": "indian rupee",
             "rs": "indian rupee", "inr": "indian rupee", "rupee": "indian rupee"}
_MONEY = re.compile(
    rf"(?P<cur>us\$|[$€£¥₹]|\b(?:rs|inr|usd|eur|gbp)\b\.?)\s*(?P<n>{DIGIT_NUMBER})(?:\s*(?P<sc>{SCALE_WORDS})\b)?"
    rf"|(?P<n2>{DIGIT_NUMBER}|{WORD_NUMBER})(?:\s*(?P<sc2>{SCALE_WORDS})\b)?\s+(?P<cur2>dollars?|euros?|pounds?|rupees?|yen|yuan)\b",
    re.IGNORECASE)
_UNIT_MARK = re.compile(r"\d\s*(?:(?:million|billion|bn|mn|crores?|lakhs?)\s+)?(?:dinars?|riyals?|liras?|lira|rubles?|roubles?|hryvnias?|shekels?|francs?|pesos?|naira|shillings?|afghanis?|taka|won|rand)\b", re.IGNORECASE)
_ABBREV = {"km": "kilometre", "kms": "kilometre", "kilometer": "kilometre", "kg": "kilogram",
           "kgs": "kilogram", "mph": "mile per hour", "sq": "square", "meter": "metre",
           "ton": "tonne", "hrs": "hour", "mins": "minute", "min": "minute", "per-cent": "percent"}
_Q_ENTITIES = {"length", "currency", "mass", "area", "volume", "speed", "temperature", "power",
               "energy", "volume (lumber)", "data storage"}
_PUB = date(2000, 6, 15)
_DIGIT = re.compile(r"\d")


def singular(noun: str) -> str:
    """The singular of a (regular or common irregular) English plural."""
    n = noun.lower()
    if n in _IRREGULAR:
        return _IRREGULAR[n]
    if "-" in n:
        head, _, tail = n.rpartition("-")
        return f"{head}-{singular(tail)}"
    if n.endswith("ies") and len(n) > 4:
        return n[:-3] + "y"
    if n.endswith(("sses", "shes", "ches", "xes", "zes")):
        return n[:-2]
    if n.endswith("s") and not n.endswith(("ss", "us", "is")) and len(n) > 3:
        return n[:-1]
    return n


class QuantityExtractor:
    """Sizes and quantities of a sentence (rules in the module docstring); no I/O."""

    def __init__(self, vague: bool = False, use_quantulum: bool = True) -> None:
        self.vague = vague
        self.use_quantulum = use_quantulum
        self._dates = DateResolver()
        self._qparser = None

    def extract(self, text: str) -> tuple[dict[str, int], list[Quantity]]:
        if not text or not _DIGIT.search(text) and not NUMBER_WORDS_RE.search(text):
            return {}, []
        blocked = [(d.start, d.end) for d in self._dates.find(text, _PUB) if d.precision != "week"
                   or any(c.isdigit() for c in d.text)]
        return self._sizes(text, blocked), self._quantities(text, blocked)

    # -- sizes ------------------------------------------------------------------------
    def _value(self, word: str) -> int | None:
        w = re.sub(r"\s+", " ", word.lower().strip())
        if w in VAGUE:
            return VAGUE[w] if self.vague and VAGUE[w] else None
        v = parse_number(w)
        if v is None or v != v or v < 0 or v > 10_000_000:
            return None
        return int(v)

    def _sizes(self, text: str, blocked: list[tuple[int, int]]) -> dict[str, int]:
        size: dict[str, int] = {}
        cues = {cat for cat, rx in _CUE.items() if rx.search(text)}
        for cat, rx in _SIZE:
            if cat not in cues:
                continue
            for m in rx.finditer(text):
                s, e = m.span("n")
                if any(a < e and s < b for a, b in blocked) or _LABEL.search(text[:s]):
                    continue
                v = self._value(m.group("n"))
                if v is None or (v == 1 and m.group("n").lower() in ("a", "an")):
                    continue
                if "n2" in rx.groupindex and m.group("n2"):
                    v2 = self._value(m.group("n2"))
                    if v2 is None:
                        continue
                    v += v2
                if 1800 <= v <= 2100 and m.group("n").isdigit() and cat != "arrested":
                    continue  # a year
                size[cat] = max(size.get(cat, 0), v)
        return size

    # -- quantities -------------------------------------------------------------------
    def _quantities(self, text: str, blocked: list[tuple[int, int]]) -> list[Quantity]:
        out: list[tuple[int, Quantity]] = []
        taken: list[tuple[int, int]] = []
        for s, e, q in self._money(text) + self._quantulum(text):
            if not any(a < e and s < b for a, b in blocked):
                out.append((s, q))
                taken.append((s, e))
        for m in _COUNTED.finditer(text):
            s, e = m.start("n"), m.end()
            if any(a < e and s < b for a, b in blocked + taken):
                continue
            num = m.group("n")
            if _LABEL.search(text[:s]) or _TIME.match(text[m.end("n"):]):
                continue
            if re.match(r"(?:st|nd|rd|th)\b", text[m.end("n"):], re.I):
                continue
            value = parse_number(num)
            if value is None or (num.lower() in ("one",) and re.match(r"\s+of\b", text[m.end("n"):])):
                continue
            if m.group("pct"):
                unit = "percent"
            elif m.group("hy"):
                unit = singular(m.group("hy"))
                if text[m.end():m.end() + 4].lower() == "-old" or unit in _NOT_UNIT:
                    continue
            else:
                noun = m.group("noun").lower()
                if noun in _NOT_UNIT or noun in _VERBISH:
                    continue
                unit = singular(noun)
                unit = _ABBREV.get(unit, unit)
            if num.isdigit() and 1800 <= value <= 2100 and len(num) == 4 and unit not in _PEOPLE:
                continue  # a year
            out.append((s, Quantity(value=value, unit=unit, text=text[s:e].strip())))
        return [q for _, q in sorted(out, key=lambda x: x[0])]

    @staticmethod
    def _money(text: str) -> list[tuple[int, int, Quantity]]:
        out = []
        for m in _MONEY.finditer(text):
            cur = (m.group("cur") or m.group("cur2")).lower().rstrip(".")
            cur = _CURRENCY.get(cur.rstrip("s") if cur.endswith("s") and cur not in ("rs",) else cur)
            value = parse_number(m.group("n") or m.group("n2"))
            scale = m.group("sc") or m.group("sc2")
            if cur is None or value is None:
                continue
            if scale:
                value *= SCALES[scale.lower()]
            out.append((m.start(), m.end(), Quantity(value=value, unit=cur, text=m.group().strip())))
        return out

    def _quantulum(self, text: str) -> list[tuple[int, int, Quantity]]:
        if not self.use_quantulum or not _UNIT_MARK.search(text):
            return []
        if self._qparser is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                import quantulum3.parser as qparser
            self._qparser = qparser
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                parsed = self._qparser.parse(text)
        except Exception:  # noqa: BLE001  quantulum3 raises on odd input; a missed measure is no error
            return []
        out = []
        for q in parsed:
            entity = getattr(q.unit.entity, "name", "")
            if entity in _Q_ENTITIES and q.value == q.value:
                s, e = q.span
                out.append((s, e, Quantity(value=float(q.value), unit=q.unit.name, text=q.surface)))
        return out


_VERBISH = {"killed", "injured", "wounded", "arrested", "died", "dead", "were", "was", "had",
            "have", "are", "is", "will", "would", "more", "less", "times", "pm", "am"}
_PEOPLE = {"person", "civilian", "child", "woman", "man", "soldier", "policeman", "militant",
           "rebel", "fighter", "protester", "student", "activist", "member", "worker", "refugee",
           "villager", "resident", "troop"}
NUMBER_WORDS_RE = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                             r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|"
                             r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
                             r"million|billion|dozen|dozens|hundreds|thousands|millions|scores|lakh|crore)\b",
                             re.IGNORECASE)
