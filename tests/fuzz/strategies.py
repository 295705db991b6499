"""Hypothesis strategies: news-like text, Articles, and reader inputs in every format.

Inputs are built with structure (an HTML tree, RSS/Atom items, JSON Lines records, WARC
records written by warcio, gzip/zip wrapping, many text encodings) from a mix of real
news words and random unicode, and then optionally damaged (truncated, bytes flipped,
slices repeated), so that readers are exercised past their first sanity checks.
"""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape

from hypothesis import strategies as st

from dateline.model import Article, stable_id

from .vocab import Vocabulary

# Characters that break naive code: NUL and other controls, BOM, zero-width and bidi marks,
# lone surrogates, combining marks, wide and astral characters, line/paragraph separators.
NASTY = ("\x00", "\x01", "\x1b", "\x7f", "\x85", "\ufeff", "\u200b", "\u200d", "\u202e",
         "\u2028", "\u2029", "\ud800", "\udfff", "\u0301", "\u0308", "\uff21", "\U0001f4a3",
         "\U0001d400", "\u00a0", "\u3000", "\r", "\r\n", "\x0b", "\x0c", "\ufffd", "ß", "İ",
         "ﬁ", "Ⅻ", "\u0627\u0644\u0633\u0644\u0627\u0645", "\u4e2d\u6587", "Алеппо")


def noise(max_size: int = 12) -> st.SearchStrategy[str]:
    """Random unicode, surrogates and controls included."""
    return st.one_of(
        st.text(max_size=max_size),
        st.text(st.characters(codec=None, exclude_categories=()), max_size=max_size),
        st.sampled_from(NASTY),
    )


def token(vocab: Vocabulary) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(vocab.words), st.sampled_from(vocab.words),
        st.sampled_from(vocab.triggers), st.sampled_from(vocab.names),
        st.sampled_from(vocab.dates), st.sampled_from(vocab.numbers),
        st.sampled_from(vocab.punctuation), noise(8),
    )


def sentence(vocab: Vocabulary, max_words: int = 30) -> st.SearchStrategy[str]:
    def build(args: tuple[list[str], str, bool]) -> str:
        words, end, cap = args
        text = " ".join(words)
        if cap and text[:1].islower():
            text = text[0].upper() + text[1:]
        return text + end

    return st.tuples(st.lists(token(vocab), min_size=1, max_size=max_words),
                     st.sampled_from([".", ".", ".", "!", "?", "", ";", "...", ".\""]),
                     st.booleans()).map(build)


def news_text(vocab: Vocabulary, max_paragraphs: int = 6,
              max_sentences: int = 5) -> st.SearchStrategy[str]:
    """Paragraphs of news-like sentences joined by a blank line; sometimes pure noise."""
    paragraph = st.lists(sentence(vocab), min_size=1, max_size=max_sentences).map(" ".join)
    body = st.lists(paragraph, min_size=1, max_size=max_paragraphs).map("\n\n".join)
    return st.one_of(body, body, body, noise(400))


def datetimes() -> st.SearchStrategy[datetime]:
    """Publication times: ordinary, extreme (year 1 and 9999), naive or with an offset."""
    zones = st.one_of(st.none(), st.just(timezone.utc),
                      st.integers(-14 * 60, 14 * 60).map(
                          lambda m: timezone(timedelta(minutes=m))))
    plain = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31),
                         timezones=zones)
    extreme = st.sampled_from([datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59),
                               datetime(1800, 1, 1), datetime(2199, 12, 31),
                               datetime(2016, 2, 29), datetime(1970, 1, 1)])
    return st.one_of(plain, plain, extreme)


@st.composite
def articles(draw: st.DrawFn, vocab: Vocabulary) -> Article:
    """An Article as a reader could hand it over (text stripped and not empty)."""
    text = draw(news_text(vocab))
    if not text.strip():
        text = draw(sentence(vocab)) + " " + text
    text = text.strip() or "Police arrested protesters."
    headline = draw(st.one_of(st.none(), sentence(vocab, 12)))
    published = draw(st.one_of(st.none(), datetimes()))
    source = draw(st.one_of(st.none(), st.sampled_from(["Reuters", "AFP", "The Daily Star"])))
    return Article(id=stable_id("fuzz", text, headline), text=text, headline=headline,
                   source=source, published=published, language="en")


# -- reader inputs --------------------------------------------------------------------------
ENCODINGS = ("utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1",
             "cp1252", "gb18030", "shift_jis", "koi8-r")
HEADERS = ("Published on 12:00 AM, December 07, 2016", "December 7, 2016", "Syria War",
           "By Jane Reporter", "BEIRUT, Dec 6 (Reuters) -", "This story is from March 10, 2002",
           "Updated: 2016-12-07T10:00:00Z", "7 décembre 2016", "Published on 99:99 PM, Smarch 40")
DATE_STRINGS = ("2016-12-07", "2016-12-07T08:30:00+00:00", "Wed, 07 Dec 2016 09:00:00 +0000",
                "07/12/2016", "yesterday", "0000-00-00", "9999-12-31T23:59:59Z", "1e12",
                "-1", "2016-13-45", "", "\x00", "Dec 7")


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace" if encoding != "utf-8" else "surrogatepass")


@st.composite
def text_file(draw: st.DrawFn, vocab: Vocabulary) -> tuple[str, bytes]:
    lines = draw(st.lists(st.sampled_from(HEADERS), max_size=3))
    text = "\n\n".join([*lines, draw(news_text(vocab))])
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    data = _encode(text.replace("\n", newline), draw(st.sampled_from(ENCODINGS)))
    return draw(st.sampled_from(["story.txt", "2016-12-07-story.txt", "notes.md", "story"])), data


TAGS = ("p", "p", "p", "div", "span", "article", "main", "section", "h1", "h2", "b", "i", "a",
        "li", "ul", "table", "tr", "td", "blockquote", "script", "style", "nav", "footer",
        "header", "aside", "noscript", "template", "svg", "br", "img", "iframe", "form")


@st.composite
def html_tree(draw: st.DrawFn, vocab: Vocabulary, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 5 if depth < 4 else 2))):
        if depth < 6 and draw(st.integers(0, 2)) == 0:
            tag = draw(st.sampled_from(TAGS))
            attrs = draw(st.sampled_from(["", ' class="story"', ' id="main"',
                                          ' style="display:none"', " data-x='\"<'", " hidden"]))
            inner = draw(html_tree(vocab, depth + 1))
            close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", "</div>"]))
            parts.append(f"<{tag}{attrs}>{inner}{close}")
        else:
            raw = draw(sentence(vocab))
            parts.append(raw if draw(st.booleans()) else escape(raw))
    return "".join(parts)


@st.composite
def html_file(draw: st.DrawFn, vocab: Vocabulary) -> tuple[str, bytes]:
    title = escape(draw(sentence(vocab, 10)))
    meta = draw(st.lists(st.sampled_from([
        f'<meta property="article:published_time" content="{draw(st.sampled_from(DATE_STRINGS))}">',
        '<meta charset="utf-8">', '<meta charset="iso-8859-1">', '<meta charset="bogus-42">',
        '<meta property="og:site_name" content="Example Times">',
        '<meta name="author" content="Jane Reporter">',
        '<script type="application/ld+json">{"datePublished": "2016-12-07"}</script>',
        '<base href="file:///etc/">']), max_size=4))
    doctype = draw(st.sampled_from(["<!DOCTYPE html>", "", "<?xml version='1.0'?>"]))
    body = draw(html_tree(vocab))
    page = (f"{doctype}<html><head><title>{title}</title>{''.join(meta)}</head>"
            f"<body>{body}</body></html>")
    if draw(st.booleans()):
        page = page[: draw(st.integers(0, len(page)))]
    encoding = draw(st.sampled_from(ENCODINGS))
    return draw(st.sampled_from(["page.html", "page.htm", "page"])), _encode(page, encoding)


@st.composite
def feed_file(draw: st.DrawFn, vocab: Vocabulary) -> tuple[str, bytes]:
    atom = draw(st.booleans())
    items = []
    for i in range(draw(st.integers(0, 4))):
        title = escape(draw(sentence(vocab, 10)))
        body = escape(draw(st.one_of(news_text(vocab, 3, 3), html_tree(vocab))))
        when = escape(draw(st.sampled_from(DATE_STRINGS)))
        if atom:
            items.append(f"<entry><title>{title}</title><id>urn:{i}</id><updated>{when}"
                         f"</updated><content type='html'>{body}</content></entry>")
        else:
            items.append(f"<item><title>{title}</title><guid>{i}</guid><pubDate>{when}"
                         f"</pubDate><description>{body}</description></item>")
    if atom:
        doc = ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
               f"<title>t</title>{''.join(items)}</feed>")
    else:
        doc = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>t"
               f"</title>{''.join(items)}</channel></rss>")
    if draw(st.booleans()):
        doc = doc[: draw(st.integers(0, len(doc)))]
    return draw(st.sampled_from(["news.rss", "news.atom", "feed.xml"])), _encode(doc, "utf-8")


FIELDS = ("text", "body", "content", "story", "id", "doc_id", "guid", "title", "headline",
          "date", "published", "timestamp", "url", "link", "source", "site", "section",
          "authors", "author", "byline", "language", "lang", "subtitle", "subheadlines", "x")


def json_values(vocab: Vocabulary) -> st.SearchStrategy:
    scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                       news_text(vocab, 2, 3), st.sampled_from(DATE_STRINGS), noise())
    return st.recursive(scalar, lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(FIELDS), inner, max_size=3)),
        max_leaves=8)


@st.composite
def jsonl_file(draw: st.DrawFn, vocab: Vocabulary) -> tuple[str, bytes]:
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.integers(0, 9))
        if kind <= 6:
            record = draw(st.dictionaries(st.sampled_from(FIELDS), json_values(vocab),
                                          max_size=8))
            if kind <= 4:
                record["text"] = draw(news_text(vocab, 3, 3))
            lines.append(json.dumps(record, ensure_ascii=draw(st.booleans())))
        elif kind == 7:
            lines.append(json.dumps(draw(json_values(vocab))))
        elif kind == 8:
            lines.append(draw(noise(40)))
        else:
            lines.append("")
    doc = "\n".join(lines)
    if draw(st.booleans()):
        doc = "[" + ",".join(x for x in lines if x.startswith("{")) + "]"
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    return draw(st.sampled_from(["wire.jsonl", "wire.json", "wire.ndjson"])), _encode(doc, encoding)


@st.composite
def warc_file(draw: st.DrawFn, vocab: Vocabulary) -> tuple[str, bytes]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=draw(st.booleans()))
    for i in range(draw(st.integers(0, 3))):
        _, page = draw(html_file(vocab))
        ctype = draw(st.sampled_from(["text/html; charset=utf-8", "text/html",
                                      "application/xhtml+xml", "image/png", ""]))
        status = draw(st.sampled_from(["200 OK", "200 OK", "404 Not Found", "301 Moved"]))
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        rec_type = draw(st.sampled_from(["response", "response", "resource", "request"]))
        if rec_type == "request":
            req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")],
                                   is_http_request=True)
            record = writer.create_warc_record(f"https://example.org/{i}", "request",
                                               http_headers=req)
        elif rec_type == "resource":
            record = writer.create_warc_record(f"https://example.org/{i}", "resource",
                                               payload=io.BytesIO(page),
                                               warc_content_type=ctype or "text/html")
        else:
            record = writer.create_warc_record(f"https://example.org/{i}", "response",
                                               payload=io.BytesIO(page), http_headers=headers)
        writer.write_record(record)
    return draw(st.sampled_from(["crawl.warc", "crawl.warc.gz", "crawl.arc"])), buf.getvalue()


@st.composite
def archived(draw: st.DrawFn, inner: st.SearchStrategy[tuple[str, bytes]]
             ) -> tuple[str, bytes]:
    """One or more inputs packed as .gz or .zip (sometimes nested twice)."""
    name, data = draw(inner)
    if draw(st.booleans()):
        out = (name + ".gz", gzip.compress(data, compresslevel=1))
    else:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", draw(st.sampled_from([zipfile.ZIP_STORED,
                                                               zipfile.ZIP_DEFLATED]))) as zf:
            zf.writestr(draw(st.sampled_from([name, "sub/" + name, "../" + name, ".hidden",
                                              "__MACOSX/" + name])), data)
            for extra_name, extra in draw(st.lists(inner, max_size=2)):
                zf.writestr("more/" + extra_name, extra)
        out = ("bundle.zip", buf.getvalue())
    if draw(st.integers(0, 4)) == 0:
        return draw(archived(st.just(out)))
    return out


@st.composite
def damaged(draw: st.DrawFn, inner: st.SearchStrategy[tuple[str, bytes]]) -> tuple[str, bytes]:
    """An input cut short, with bytes flipped, or a slice repeated."""
    name, data = draw(inner)
    blob = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.integers(0, 3))
        if not blob:
            break
        at = draw(st.integers(0, len(blob) - 1))
        if action == 0:
            del blob[at:]
        elif action == 1:
            blob[at] = draw(st.integers(0, 255))
        elif action == 2:
            end = min(len(blob), at + draw(st.integers(1, 64)))
            blob[at:at] = blob[at:end] * draw(st.integers(1, 5))
        else:
            blob[at:at] = draw(st.binary(max_size=16))
    return name, bytes(blob)


def reader_inputs(vocab: Vocabulary) -> st.SearchStrategy[tuple[str, bytes]]:
    """(file name, bytes) of any format: well formed, packed, or damaged."""
    plain = st.one_of(text_file(vocab), html_file(vocab), feed_file(vocab), jsonl_file(vocab),
                      warc_file(vocab))
    packed = archived(plain)
    return st.one_of(plain, plain, plain, packed, damaged(plain), damaged(packed))
