"""HTML pages: trafilatura finds the main text, title, date, author and site name."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from dateline.ingest.base import ReadContext, build_article, join_paragraphs
from dateline.ingest.dates import date_in_filename, parse_date
from dateline.ingest.decode import BinaryInput, declared_encoding, decode
from dateline.model import Article, ReadError

# full timestamps in <meta> tags (trafilatura's own date has day precision only)
_META_TIME = re.compile(
    r"""<meta\s[^>]{0,300}?(?:property|name|itemprop)\s*=\s*["']?"""
    r"""(?:article:published_time|og:published_time|datePublished|pubdate|publishdate|"""
    r"""dc\.date(?:\.issued)?|sailthru\.date)["']?[^>]{0,300}?>""", re.I)
_CONTENT = re.compile(r"""content\s*=\s*["']([^"']{4,60})["']""", re.I)
_JSONLD_TIME = re.compile(r'"datePublished"\s*:\s*"([^"]{4,60})"')
_BLOCK_TAG = re.compile(
    r"<\s*(?:br|p|div|li|ul|ol|h[1-6]|blockquote|tr|table|section|article|pre)\b[^>]*>|"
    r"<\s*/\s*(?:p|div|li|ul|ol|h[1-6]|blockquote|tr|table|section|article|pre)\s*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(r"<\s*(script|style)\b.*?<\s*/\s*\1\s*>", re.I | re.S)
_MAX_NESTING = 255  # libxml2's default depth limit
MIN_WORDS = 12  # less than this is page furniture (menus, footers), not an article


def fragment_paragraphs(fragment: str) -> list[str]:
    """An HTML snippet (a feed summary) as paragraphs of plain text; plain text passes."""
    if "<" not in fragment and "&" not in fragment:
        return [p for p in re.split(r"\n\s*\n", fragment) if p.strip()]
    text = _SCRIPT.sub(" ", fragment)
    text = _BLOCK_TAG.sub("\n\n", text)
    text = htmllib.unescape(_TAG.sub("", text))
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def _meta_published(page: str) -> datetime | None:
    head = page[:200_000]
    for m in _META_TIME.finditer(head):
        c = _CONTENT.search(m.group(0))
        if c:
            value = parse_date(c.group(1))
            if value is not None:
                return value
    jsonld = _JSONLD_TIME.search(head)
    return parse_date(jsonld.group(1)) if jsonld else None


_TAG_TOKEN = re.compile(r"<\s*(/?)\s*([a-zA-Z][\w:-]*)[^>]*?(/?)\s*>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr "
                  "basefont frame isindex keygen".split())


def nesting_depth(page: str, limit: int = 100_000) -> int:
    """How deeply the tags of a page nest (void elements do not count)."""
    depth = deepest = 0
    for i, m in enumerate(_TAG_TOKEN.finditer(page)):
        if i >= limit:
            break
        if m.group(2).lower() in _VOID or m.group(3):
            continue
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


def _no_article_reason(page: str) -> str:
    depth = nesting_depth(page)
    if depth > _MAX_NESTING:
        return (f"no article text found in HTML (tags nested {depth} deep; the parser stops "
                f"at {_MAX_NESTING})")
    return "no article text found in HTML"


def read_html(data: bytes | str, path: str = "<html>", ctx: ReadContext | None = None,
              url: str | None = None, record: str | int | None = None,
              fallback_published: datetime | None = None) -> Iterator[Article | ReadError]:
    """One article from an HTML page, or a ReadError when the page holds none."""
    ctx = ctx or ReadContext.create()
    if isinstance(data, bytes):
        try:
            data, _ = decode(data, declared_encoding(data[:4096]))
        except BinaryInput as exc:
            yield ReadError(path, str(exc), record)
            return
    if not data.strip():
        yield ReadError(path, "empty HTML page", record)
        return
    import trafilatura  # heavy import: only when HTML is read

    try:
        doc: Any = trafilatura.bare_extraction(  # a Document (a dict only with as_dict=True)
            data, url=url, with_metadata=True, include_comments=False, include_tables=False,
            deduplicate=False)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001  lxml/trafilatura raise assorted errors on bad pages
        yield ReadError(path, f"HTML could not be parsed: {type(exc).__name__}: {exc}", record)
        return
    if doc is None or len((doc.text or "").split()) < MIN_WORDS:
        yield ReadError(path, _no_article_reason(data), record)
        return
    paragraphs = [p for p in doc.text.split("\n") if p.strip()]
    title = (doc.title or "").strip()
    if paragraphs and title and paragraphs[0].strip() == title:
        paragraphs = paragraphs[1:]  # trafilatura repeats the <h1> headline in the text
    published = (_meta_published(data) or parse_date(doc.date) or fallback_published
                 or (date_in_filename(path) if record is None else None))
    authors = [a for a in re.split(r"\s*;\s*", doc.author or "") if a]
    yield build_article(
        ctx, path=path, record=record, text=join_paragraphs(paragraphs), headline=title or None,
        subheadlines=[doc.description] if doc.description and doc.description != title else [],
        source=doc.sitename or doc.hostname, url=doc.url or url, published=published,
        section=(doc.categories or [None])[0], language=doc.language, authors=authors,
    )
