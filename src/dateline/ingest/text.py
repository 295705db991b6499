"""Plain-text articles: a header (date line, section, headline, subheadlines, byline,
"Key: value" lines) then paragraphs.

Shapes read (one rule set, no per-publisher code):

* ``Published on 12:00 AM, December 07, 2016`` / section / headline / subheadline /
  paragraphs, blank lines between (the Daily Star shape);
* a line that is only a date (``December 7, 2016``), ``This story is from March 10,
  2002`` (Times of India), ``Updated: …``, ``Posted …``;
* bylines ``By NAME | Updated Dec 7, 2016, 10:00 IST``;
* ``Title: …`` / ``Date: …`` / ``Source: …`` / ``URL: …`` metadata lines;
* agency datelines opening the body: ``BEIRUT, Dec 6 (Reuters) - …`` (the date and
  agency are read; the dateline stays in the body, so the place is there for the coder).

Header lines go to headline/subheadlines/section/authors and never into the body.
Inside the body, hard-wrapped lines are joined back into their paragraph.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dateline.ingest.base import ReadContext, build_article, join_paragraphs
from dateline.ingest.dates import date_in_filename, find_date, find_month_day, parse_date
from dateline.ingest.decode import BinaryInput, decode
from dateline.model import Article, ReadError

# words a date line may hold beside its date and time ("Published on", "Updated:" …)
DATE_LINE_WORDS = frozenset(
    "published publish updated update posted last modified on at this story is from date dated "
    "first created time am pm edition print online issue as of "
    "monday tuesday wednesday thursday friday saturday sunday "
    "mon tue tues wed thu thur thurs fri sat sun".split()
)
_ENDS_SENTENCE = re.compile(r"""[.!?…:;,]["'”’)\]]*$""")
_ENDS_STATEMENT = re.compile(r"""[.:;,]["'”’)\]]*$""")
_WORDS = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
_DASH = re.compile(r"[-–—:]")
_YEAR = re.compile(r"\b(?:1[89]|2[01])\d\d\b")
_BYLINE = re.compile(r"^by\s+(?P<names>[^|•·\n]{2,120}?)\s*(?:[|•·]\s*(?P<rest>.*))?$", re.I)
_META = re.compile(
    r"^(?P<key>title|headline|date|published|updated|source|publisher|url|link|section|"
    r"category|author|authors|byline|language|lang)\s*:\s*(?P<value>\S.*)$", re.I)
_URL_LINE = re.compile(r"^<?(https?://\S+?)>?$", re.I)
_MONTH_DAY = (r"(?i:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+"
              r"\d{1,2}(?:,?\s+\d{4})?)")
_AGENCY_DATELINE = re.compile(
    r"^(?P<place>[A-Z][^\W\d_.'’\- ]*(?:[.'’\- ][^\W\d_.'’\- ]*){0,5}"
    r"(?:,\s*[A-Z][^\W\d_.'’\- ]*(?:[.'’\- ][^\W\d_.'’\- ]*){0,4})?)"
    rf"(?:,?\s+(?P<date>{_MONTH_DAY}))?"
    r"\s*\((?P<agency>[A-Z][\w.&'’ -]{1,30})\)\s*[-–—]+\s*")
_PLAIN_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\- ]{1,40}(?:,\s*[A-Z][A-Za-z.'’\- ]{1,30}?)?),\s+"
    rf"(?P<date>{_MONTH_DAY})\s*[-–—:]+\s*", re.I)
# a place in capitals opening the body, then a dash: "QUITO — …", "MAIDUGURI, Nigeria — …"
_UPPER = "A-ZÀ-ÖØ-Þ"
_CAPS_DATELINE = re.compile(
    rf"^[{_UPPER}][{_UPPER}'’.\-]+(?:\s+[{_UPPER}][{_UPPER}'’.\-]+){{0,3}}"
    r"(?:,\s*[A-ZÀ-ÖØ-Þ][\w.'’\- ]{1,30}?)?(?:\s*[—–]|\s+--?)\s+")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*", re.I)
MAX_HEADER_LINES = 10
MAX_HEADINGS = 4


@dataclass
class ParsedText:
    """A text split into its header fields and its body paragraphs."""

    paragraphs: list[str] = field(default_factory=list)
    headline: str | None = None
    subheadlines: list[str] = field(default_factory=list)
    section: str | None = None
    published: datetime | None = None
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    url: str | None = None
    language: str | None = None


def _date_line(line: str) -> datetime | None:
    """The date of a line that is only a date with a few lead-in words, else None."""
    if len(line) > 100 or not _DIGIT.search(line):
        return None  # every date line has a year
    when = _regex_date_line(line)
    if when is _DATEPARSER:
        # other languages ("7 décembre 2016"): dateparser, for short lines with a year only
        return parse_date(line)
    return when


_DATEPARSER = object()  # "no English date here; ask dateparser"


@functools.lru_cache(maxsize=8192)
def _regex_date_line(line: str) -> Any:
    """``_date_line`` without the dateparser fallback (``_DATEPARSER`` where it applies):
    cached, as many articles of a collection share their date lines."""
    found = find_date(line)
    if found is None:
        if len(line) <= 60 and len(line.split()) <= 8 and _YEAR.search(line):
            return _DATEPARSER
        return None
    rest = line[:found.start] + " " + line[found.end:]
    for word in _WORDS.findall(rest):
        if word.lower() not in DATE_LINE_WORDS and not (word.isupper() and len(word) <= 5):
            return None
    return found.value


def _byline(line: str) -> tuple[list[str], datetime | None] | None:
    if line[:3].lower() != "by ":
        return None
    m = _BYLINE.match(line)
    if not m:
        return None
    names = []
    for part in _NAME_SPLIT.split(m["names"]):
        part = part.strip(" .")
        if not part:
            continue
        if len(part.split()) > 5 or find_date(part):
            return None
        names.append(part)
    if not names:
        return None
    rest = m["rest"] or ""
    found = find_date(rest)
    return names, found.value if found else None


def _heading_like(line: str) -> bool:
    return len(line) <= 160 and not _ENDS_STATEMENT.search(line) and bool(_WORDS.search(line))


def _section_like(line: str) -> bool:
    return len(line) <= 40 and len(line.split()) <= 4 and not _ENDS_SENTENCE.search(line)


def _continues(line: str, nxt: str | None) -> bool:
    """Whether ``nxt`` continues ``line`` (a hard-wrapped paragraph)."""
    return nxt is not None and (nxt[:1].islower() or line.endswith(("-", ",")))


def _block_paragraphs(lines: list[str]) -> list[str]:
    """Lines of one block (no blank line inside) → paragraphs, rejoining wrapped lines."""
    if len(lines) == 1:
        return lines
    width = max(len(x) for x in lines)
    out: list[str] = []
    cur: list[str] = []
    for line in lines:
        if cur:
            prev = cur[-1]
            wrapped = _continues(prev, line) or (
                width <= 120 and len(prev) >= 0.6 * width and not _ENDS_SENTENCE.search(prev))
            if not wrapped:
                out.append(_join_wrapped(cur))
                cur = []
        cur.append(line)
    if cur:
        out.append(_join_wrapped(cur))
    return out


def _join_wrapped(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        if text.endswith("-") and line[:1].islower() and not text.endswith(" -"):
            text = text[:-1] + line
        else:
            text += " " + line
    return text


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    cur: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip(" \t\u00a0\u200b\ufeff\x0b\x0c")
        if line:
            cur.append(line)
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks


def _meta(parsed: ParsedText, key: str, value: str) -> None:
    key = key.lower()
    if key in ("title", "headline"):
        parsed.headline = parsed.headline or value
    elif key in ("date", "published", "updated"):
        parsed.published = parsed.published or parse_date(value)
    elif key in ("source", "publisher"):
        parsed.source = parsed.source or value
    elif key in ("url", "link"):
        parsed.url = parsed.url or value
    elif key in ("section", "category"):
        parsed.section = parsed.section or value
    elif key in ("author", "authors", "byline"):
        parsed.authors += [n.strip() for n in _NAME_SPLIT.split(value) if n.strip()]
    elif key in ("language", "lang"):
        parsed.language = parsed.language or value


def parse_text(text: str, reference: datetime | None = None,
               filename: str | None = None) -> ParsedText:
    """Split an article's text into header fields and body paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = _blocks(text)
    parsed = ParsedText()
    headings: list[str] = []
    body: list[list[str]] = []
    header_lines = 0
    for block in blocks:
        if body:
            body.append(block)
            continue
        for li, line in enumerate(block):
            nxt = block[li + 1] if li + 1 < len(block) else None
            kind = _header_line(parsed, line, nxt, headings, header_lines)
            if kind is None:
                body.append(block[li:])
                break
            header_lines += 1
    if not body and headings:
        # a text that is nothing but short lines: the last of them is the body
        body = [[headings.pop()]]
    if len(headings) >= 2 and _section_like(headings[0]) and len(headings[1]) > len(headings[0]):
        parsed.section = parsed.section or headings.pop(0)
    if headings:
        if parsed.headline is None:
            parsed.headline = headings.pop(0)
        parsed.subheadlines = headings
    for block in body:
        parsed.paragraphs.extend(_block_paragraphs(block))
    _read_dateline(parsed, reference, filename)
    if parsed.published is None and filename:
        parsed.published = date_in_filename(filename)
    return parsed


def _header_line(parsed: ParsedText, line: str, nxt: str | None, headings: list[str],
                 count: int) -> str | None:
    """Take one header line into ``parsed``; the kind taken, or None where the body starts."""
    if count >= MAX_HEADER_LINES:
        return None
    when = _date_line(line)
    if when is not None:
        parsed.published = parsed.published or when
        return "date"
    by = _byline(line)
    if by is not None:
        parsed.authors += by[0]
        parsed.published = parsed.published or by[1]
        return "byline"
    m = _META.match(line) if ":" in line[:12] else None
    if m and len(m["key"]) + 1 < len(line):
        _meta(parsed, m["key"], m["value"].strip())
        return "meta"
    m = _URL_LINE.match(line) if line[:5].lower() in ("http:", "https", "<http") else None
    if m:
        parsed.url = parsed.url or m.group(1)
        return "url"
    if len(headings) < MAX_HEADINGS and _heading_like(line) and not _continues(line, nxt):
        if _dateline_match(line):
            return None
        headings.append(line)
        return "heading"
    return None


def _dateline_match(text: str) -> re.Match | None:
    """An agency or plain dateline opening ``text`` (both need "(", a dash or a colon)."""
    head = text[:90]
    if "(" not in head and not _DASH.search(head):
        return None
    return _AGENCY_DATELINE.match(text) or _PLAIN_DATELINE.match(text)


def dateline_end(text: str) -> int:
    """How many characters of ``text`` an opening dateline takes ("BEIRUT, Dec 6 (Reuters) -
    ", "QUITO — "); 0 when there is none. The place the story was filed from is no actor
    and says little about where its events happened."""
    m = _dateline_match(text) or _CAPS_DATELINE.match(text[:120])
    return m.end() if m else 0


def _read_dateline(parsed: ParsedText, reference: datetime | None, filename: str | None) -> None:
    """Date and agency of a dateline opening the body ("BEIRUT, Dec 6 (Reuters) - …")."""
    if not parsed.paragraphs:
        return
    m = _dateline_match(parsed.paragraphs[0])
    if not m:
        return
    agency = m.groupdict().get("agency")
    if agency and parsed.source is None:
        parsed.source = agency.strip()
    if parsed.published is not None or not m["date"]:
        return
    found = find_date(m["date"])
    if found is None:
        ref = (date_in_filename(filename) if filename else None) or reference
        found = find_month_day(m["date"], ref)
    if found is not None:
        parsed.published = found.value


def read_text(data: bytes | str, path: str = "<text>", ctx: ReadContext | None = None,
              reference: datetime | None = None) -> Iterator[Article | ReadError]:
    """One plain-text article (bytes in any common encoding, or str)."""
    ctx = ctx or ReadContext.create()
    if isinstance(data, bytes):
        try:
            data, _ = decode(data)
        except BinaryInput as exc:
            yield ReadError(path, str(exc))
            return
    parsed = parse_text(data, reference or ctx.options.reference, filename=path)
    if not parsed.paragraphs:
        yield ReadError(path, "empty file" if not data.strip() else "no article text")
        return
    yield build_article(
        ctx, path=path, text=join_paragraphs(parsed.paragraphs), headline=parsed.headline,
        subheadlines=parsed.subheadlines, source=parsed.source, url=parsed.url,
        published=parsed.published, section=parsed.section, language=parsed.language,
        authors=parsed.authors,
    )
