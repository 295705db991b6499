"""What every reader shares: the read context and the one way an Article is built."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from dateline.ingest.decode import repair_mojibake
from dateline.ingest.language import LanguageDetector
from dateline.ingest.options import ReadOptions
from dateline.model import Article, ReadError, stable_id

# deleted from every text: C0 controls (but tab, newline, CR), DEL, zero-width characters,
# BOM, and lone surrogates (JSON "\ud800" escapes: not encodable, so not storable)
_JUNK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff\ud800-\udfff]")


def _dejunk(text: str) -> str:
    return _JUNK.sub("", text) if _JUNK.search(text) else text


@dataclass
class ReadContext:
    """Options plus the objects readers share (the language model, loaded once)."""

    options: ReadOptions
    language: LanguageDetector

    @classmethod
    def create(cls, options: ReadOptions | None = None) -> ReadContext:
        return cls(options or ReadOptions(), LanguageDetector())


def display_path(path: str) -> str:
    """A path as text that can be printed and stored: bytes of a file name that are not
    UTF-8 (kept by Python as lone surrogates) become U+FFFD."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


# what would break a message's line or terminal: C0/C1 controls and the Unicode line breaks
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    return _ESCAPES.get(c) or repr(c)[1:-1]


def one_line(text: str) -> str:
    """Text for a one-line message: control characters and line breaks escaped the way
    repr() writes them (a file name may hold a newline)."""
    return _UNPRINTABLE.sub(_escape, text) if _UNPRINTABLE.search(text) else text


def printable_error(error: ReadError) -> ReadError:
    """A ReadError that prints on one line: the reason's line breaks become spaces (parsers'
    messages span lines) and control characters in its path and reason are escaped."""
    if "\n" in error.reason or "\r" in error.reason:
        error.reason = " ".join(error.reason.split())
    error.path = one_line(error.path)
    error.reason = one_line(error.reason)
    if isinstance(error.record, str):
        error.record = one_line(error.record)
    return error


def origin_of(path: str, record: str | int | None = None) -> str:
    return path if record in (None, "") else f"{path}:{record}"


def clean_line(value: object) -> str | None:
    """A one-line field (headline, section…): whitespace collapsed, None when empty."""
    if value is None:
        return None
    text = " ".join(repair_mojibake(_dejunk(str(value))).split())
    return text or None


def clean_list(values: Iterable[object]) -> list[str]:
    out: list[str] = []
    for v in values:
        c = clean_line(v)
        if c and c not in out:
            out.append(c)
    return out


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """The body: paragraphs (inner whitespace collapsed) joined by a blank line, mojibake
    repaired, in NFC.

    The result is already in ``normalise_text`` form (normalise_text leaves it as it is).
    """
    parts = []
    plain = True  # every paragraph printable: no junk characters anywhere
    for p in paragraphs:
        p = repair_mojibake(p)  # before spaces are collapsed: "Â\xa0" repairs to a space
        # printable text has no whitespace but " " (every other whitespace character, and
        # every _JUNK one, is a control, format or separator character): it is already
        # collapsed unless it has two spaces in a row or one at an end
        if p.isprintable() and "  " not in p and p[:1] != " " and p[-1:] != " ":
            parts.append(p)
        else:
            plain = False
            parts.append(" ".join(p.split()))
    text = "\n\n".join(p for p in parts if p)
    if not plain and _JUNK.search(text):
        parts = [" ".join(_dejunk(p).split()) for p in parts]
        text = "\n\n".join(p for p in parts if p)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def language_code(value: object) -> str | None:
    """"en-US" / "EN" / "en_GB" → "en"."""
    text = clean_line(value)
    if not text:
        return None
    code = re.split(r"[-_]", text)[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def build_article(
    ctx: ReadContext,
    *,
    path: str,
    record: str | int | None = None,
    text: str,
    own_id: object = None,
    headline: object = None,
    subheadlines: Iterable[object] = (),
    source: object = None,
    url: object = None,
    published: datetime | None = None,
    section: object = None,
    language: object = None,
    authors: Iterable[object] = (),
) -> Article | ReadError:
    """One Article from a reader's fields, or a ReadError when there is no body text.

    ``text`` must already be paragraphs joined by a blank line (``join_paragraphs``).
    """
    if not text:
        return ReadError(path, "no article text", record)
    source_s = clean_line(source)
    ident = clean_line(own_id)
    head = clean_line(headline)
    lang = language_code(language)
    if lang is None and ctx.options.detect_language:
        lang = ctx.language.detect(text)
    return Article(
        # = Article.make_id(source, text): text is already in normalised form
        id=ident or stable_id(source_s or "", text),
        text=text,
        headline=head,
        subheadlines=[s for s in clean_list(subheadlines) if s != head],
        source=source_s,
        url=clean_line(url),
        published=published,
        section=clean_line(section),
        language=lang,
        authors=clean_list(authors),
        origin=origin_of(path, record),
    )
