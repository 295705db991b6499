"""Place-name folding: the two keys under which a name is indexed and looked up.

``fold`` gives the *exact* key: lower case, no diacritics, no apostrophes or ayn/hamza
marks, hyphens and punctuation as spaces, Arabic articles dropped ("al-", "el-", the
sun-letter forms "ar-", "an-", "ash-" … glued by a hyphen to any word; a standalone "al";
a standalone sun-letter article in front of a word that starts with its consonant, as in
"Ar Raqqah", "Dayr az Zawr"). ``skeleton`` gives the *phonetic* key used as a fallback
when the exact key finds nothing: transliteration variants collapsed (sh/sch/ch, kh, gh,
dh/th, ph/f, q/k, c/k, dj/j), double letters single, a trailing "h" after a vowel gone,
every run of vowels (and of y/w inside a word) one "a", spaces gone. So
"Khan Sheikhoun" and "Khān Shaykhūn" meet on the skeleton ("2an1a2an"), as do
"Deir ez-Zor" and "Dayr az Zawr" ("darzar"). The vowel *positions* stay in the skeleton,
which keeps unrelated names apart ("Paris" -> "paras", "Peru" -> "para").
"""

from __future__ import annotations

import re
import unicodedata

# bump when fold() or skeleton() change: it is part of the gazetteer cache key
FOLD_VERSION = 3

_SPECIAL = str.maketrans({
    "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe",
    "Œ": "oe", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i",
    "ħ": "h", "Ħ": "h", "ŧ": "t", "ŋ": "n", "‐": "-", "‑": "-",
    # apostrophes, ayn and hamza marks, backticks: removed
    "'": None, "’": None, "‘": None, "`": None, "´": None, "ʿ": None, "ʾ": None,
    "ʼ": None, "ʻ": None, "′": None, "ʹ": None, "ˈ": None, "ʽ": None, "‛": None,
    # dots disappear ("U.S." -> "us", "St. Louis" -> "st louis")
    ".": None,
})
# separators (hyphens included, after the glued articles are gone) become spaces
_SEPARATE = str.maketrans({c: " " for c in "-‒–—―_/,;:()[]{}\"“”«»!?&+*#|\\\t\n\r\u00a0"})
_HYPHEN_ARTICLE = re.compile(
    r"(?<![^\W\d_])(?:al|el|an|ar|as|ash|at|ath|ad|az|ed|en|er|es|esh|et|eth|ez|ul|un|ur|us|ud|uz)"
    r"-(?=[^\W\d_])")
# standalone sun-letter article -> the consonant(s) the next word must start with
_SUN = {"ar": "r", "er": "r", "an": "n", "en": "n", "as": "s", "es": "s", "ash": "sh",
        "esh": "sh", "at": "t", "et": "t", "ath": "th", "eth": "th", "ad": "d", "ed": "d",
        "az": "z", "ez": "z", "ud": "d", "ur": "r", "un": "n", "us": "s", "uz": "z"}
_MOJIBAKE = re.compile("â€[™˜œ\x9d]?")
_NON_LATIN = re.compile(r"[^\x00-\u024f\u02b0-\u036f\u1e00-\u1eff\u2000-\u206f]")


def _strip_marks(text: str) -> str:
    if text.isascii():
        return text.translate(_SPECIAL)
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(c for c in text if not unicodedata.combining(c)).translate(_SPECIAL)


def maybe_latin(name: str) -> bool:
    """False when the name holds letters of another script (Arabic, Cyrillic, Han ...)."""
    return name.isascii() or not _NON_LATIN.search(name)


def fold(name: str) -> str:
    """The exact key of a place name (see the module docstring)."""
    if not name:
        return ""
    if "â€" in name:  # ’ ‘ “ ” read as cp1252 (mojibake): drop
        name = _MOJIBAKE.sub("", name)
    text = _strip_marks(name).lower()
    if "-" in text:
        text = _HYPHEN_ARTICLE.sub("", text)
    words = text.translate(_SEPARATE).split()
    if len(words) < 2:
        return words[0] if words else ""
    out: list[str] = []
    last = len(words) - 1
    for i, w in enumerate(words):
        if i < last and len(w) <= 3:
            if w == "al":
                continue
            nxt = _SUN.get(w)
            if nxt and words[i + 1].startswith(nxt) and len(words[i + 1]) > len(nxt):
                continue
        out.append(w)
    return " ".join(out) if out else " ".join(words)


# digits stand for single sounds written with two letters: 1 = sh, 2 = kh
_DIGRAPHS = [
    ("sch", "1"), ("tch", "1"), ("sh", "1"), ("ch", "1"), ("kh", "2"), ("gh", "g"),
    ("dh", "d"), ("th", "t"), ("ph", "f"), ("dj", "j"), ("dz", "z"), ("ck", "k"),
    ("q", "k"), ("c", "k"), ("x", "ks"), ("ee", "i"), ("oo", "u"), ("ou", "u"),
]
_VOWELS = set("aeiouy")
_DOUBLE = re.compile(r"(.)\1+")
_VOWEL_RUN = re.compile(r"[aeiouyw]+")




def _skeleton_word(word: str) -> str:
    if len(word) > 2 and word.endswith("h") and word[-2] in _VOWELS:
        word = word[:-1]  # Raqqah -> Raqqa, Hamah -> Hama
    for a, b in _DIGRAPHS:
        if a in word:
            word = word.replace(a, b)
    if word[:1] in ("w", "y") and word[1:2] in _VOWELS:
        word = ("3" if word[0] == "w" else "4") + word[1:]  # initial consonantal w / y
    return word


def skeleton(key: str) -> str:
    """The phonetic fallback key of an exact key (``fold`` output)."""
    words = [w for w in key.split() if w not in ("el", "le", "la", "the")] or key.split()
    text = "".join(_skeleton_word(w) for w in words)
    text = _DOUBLE.sub(r"\1", text)
    text = _VOWEL_RUN.sub("a", text)
    return _DOUBLE.sub(r"\1", text)


_LATIN_KEY = re.compile(r"[a-z0-9 ]+")


def is_latin_key(key: str) -> bool:
    """True when a folded name holds only a-z letters, digits and spaces."""
    return _LATIN_KEY.fullmatch(key) is not None
