"""Hypothesis strategies: news-like text, Articles, and reader inputs in every format.

Inputs are built with structure (an HTML tree, RSS/Atom items, JSON Lines records, WARC
records written by warcio, gzip/zip wrapping, many text encodings) from a mix of real
news words and random unicode, and then optionally damaged (truncated, bytes flipped,
slices repeated), so that readers are exercised past their first sanity checks.

``Strategies(vocab)`` builds every strategy once (building them per draw costs more
than the readers themselves).
"""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from datetime import date, datetime, timedelta, timezone
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
ENCODINGS = ("utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1",
             "cp1252", "gb18030", "shift_jis", "koi8-r")
HEADERS = ("Published on 12:00 AM, December 07, 2016", "December 7, 2016", "Syria War",
           "By Jane Reporter", "BEIRUT, Dec 6 (Reuters) -", "This story is from March 10, 2002",
           "Updated: 2016-12-07T10:00:00Z", "7 décembre 2016", "Published on 99:99 PM, Smarch 40")
DATE_STRINGS = ("2016-12-07", "2016-12-07T08:30:00+00:00", "Wed, 07 Dec 2016 09:00:00 +0000",
                "07/12/2016", "yesterday", "0000-00-00", "9999-12-31T23:59:59Z", "1e12",
                "-1", "2016-13-45", "", "\x00", "Dec 7")
TAGS = ("p", "p", "p", "div", "span", "article", "main", "section", "h1", "h2", "b", "i", "a",
        "li", "ul", "table", "tr", "td", "blockquote", "script", "style", "nav", "footer",
        "header", "aside", "noscript", "template", "svg", "br", "img", "iframe", "form")
ATTRS = ("", ' class="story"', ' id="main"', ' style="display:none"', " data-x='\"<'",
         " hidden")
FIELDS = ("text", "body", "content", "story", "id", "doc_id", "guid", "title", "headline",
          "date", "published", "timestamp", "url", "link", "source", "site", "section",
          "authors", "author", "byline", "language", "lang", "subtitle", "subheadlines", "x")
FIXED_TIME = (2016, 12, 7, 0, 0, 0)  # archives must not depend on the clock (replayable)


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace" if encoding != "utf-8" else "surrogatepass")


def _named(blob: tuple[str, bytes, int | None]) -> tuple[str, bytes]:
    return blob[0], blob[1]


def _sentence(args: tuple[list[str], str, bool]) -> str:
    words, end, cap = args
    text = " ".join(words)
    if cap and text[:1].islower():
        text = text[0].upper() + text[1:]
    return text + end


class Strategies:
    """Every strategy over one vocabulary, built once."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        self.noise = st.one_of(
            st.text(max_size=12),
            st.text(st.characters(codec=None, exclude_categories=()), max_size=12),
            st.sampled_from(NASTY),
        )
        self.token = st.one_of(
            st.sampled_from(vocab.words), st.sampled_from(vocab.words),
            st.sampled_from(vocab.triggers), st.sampled_from(vocab.names),
            st.sampled_from(vocab.dates), st.sampled_from(vocab.numbers),
            st.sampled_from(vocab.punctuation), self.noise,
        )
        ends = st.sampled_from([".", ".", ".", "!", "?", "", ";", "...", ".\""])
        # who-did-what-to-whom-when shapes, so that the coder's parsing paths run often
        filler = st.lists(st.one_of(st.sampled_from(vocab.words), self.token), max_size=4)
        clause = st.tuples(filler, st.sampled_from(vocab.names), filler,
                           st.sampled_from(vocab.triggers), filler,
                           st.sampled_from(vocab.names), filler, st.sampled_from(vocab.dates),
                           filler).map(lambda parts: [w for p in parts
                                                      for w in (p if isinstance(p, list)
                                                                else [p])])
        self.sentence = st.one_of(
            st.tuples(st.lists(self.token, min_size=1, max_size=30), ends, st.booleans()),
            st.tuples(clause, ends, st.booleans()),
        ).map(_sentence)
        self.short_sentence = st.tuples(st.lists(self.token, min_size=1, max_size=10), ends,
                                        st.booleans()).map(_sentence)
        self.news_text = self._news_text(6, 5)
        self.short_news_text = self._news_text(2, 3)
        zones = st.one_of(st.none(), st.just(timezone.utc),
                          st.integers(-14 * 60, 14 * 60).map(
                              lambda m: timezone(timedelta(minutes=m))))
        plain = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31),
                             timezones=zones)
        extreme = st.sampled_from([datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59),
                                   datetime(1800, 1, 1), datetime(2199, 12, 31),
                                   datetime(2016, 2, 29), datetime(1970, 1, 1)])
        self.datetimes = st.one_of(plain, plain, extreme)
        self.articles = self._articles()
        # the date resolver: text dense in date expressions, any publication day
        self.date_examples = st.tuples(
            st.one_of(self.sentence, st.lists(st.one_of(st.sampled_from(vocab.dates),
                                                        self.token), max_size=20).map(" ".join),
                      self.short_news_text),
            st.one_of(self.datetimes, st.dates(),
                      st.sampled_from([date(1, 1, 1), date(9999, 12, 31)])),
            st.sampled_from([None, True, False]),
        )
        scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                           self.short_news_text, st.sampled_from(DATE_STRINGS), self.noise)
        self.json_value = st.recursive(scalar, lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.sampled_from(FIELDS), inner, max_size=3)), max_leaves=8)
        self.json_record = st.dictionaries(st.sampled_from(FIELDS), self.json_value,
                                           max_size=8)
        self.html_tree = st.recursive(
            st.one_of(self.sentence, self.sentence.map(escape)),
            lambda inner: st.builds(self._element, st.sampled_from(TAGS),
                                    st.sampled_from(ATTRS), st.lists(inner, min_size=1,
                                                                     max_size=4),
                                    st.sampled_from(["same", "same", "none", "div"])),
            max_leaves=25)
        self.text_file = self._text_file()
        self.html_file = self._html_file()
        self.feed_file = self._feed_file()
        self.jsonl_file = self._jsonl_file()
        self.warc_file = self._warc_file()
        plain_file = st.one_of(self.text_file, self.html_file, self.feed_file.map(_named),
                               self.jsonl_file.map(_named), self.warc_file.map(_named))
        packed = self._archived(plain_file)
        self.reader_input = st.one_of(plain_file, plain_file, plain_file, packed,
                                      self._damaged(plain_file), self._damaged(packed))

    def _news_text(self, paragraphs: int, sentences: int) -> st.SearchStrategy[str]:
        """Paragraphs of news-like sentences joined by a blank line; sometimes noise."""
        paragraph = st.lists(self.sentence, min_size=1, max_size=sentences).map(" ".join)
        body = st.lists(paragraph, min_size=1, max_size=paragraphs).map("\n\n".join)
        return st.one_of(body, body, body, st.text(max_size=400),
                         st.lists(self.noise, max_size=40).map("".join))

    @staticmethod
    def _element(tag: str, attrs: str, children: list[str], close: str) -> str:
        end = {"same": f"</{tag}>", "none": "", "div": "</div>"}[close]
        return f"<{tag}{attrs}>{''.join(children)}{end}"

    def _articles(self) -> st.SearchStrategy[Article]:
        """An Article as the readers hand it over: the body cleaned by the readers' own
        ``join_paragraphs`` (normal form, no NUL or lone surrogates), never empty."""
        from dateline.ingest.base import clean_line, join_paragraphs

        @st.composite
        def build(draw: st.DrawFn) -> Article:
            text = join_paragraphs(draw(self.news_text).split("\n\n"))
            if not text:
                text = join_paragraphs([draw(self.sentence)]) or "Police arrested protesters."
            headline = clean_line(draw(st.one_of(st.none(), self.short_sentence)))
            published = draw(st.one_of(st.none(), self.datetimes))
            source = draw(st.sampled_from([None, "Reuters", "AFP", "The Daily Star"]))
            return Article(id=stable_id("fuzz", text, headline), text=text, headline=headline,
                           source=source, published=published, language="en")
        return build()

    # -- files ------------------------------------------------------------------------------
    def _text_file(self) -> st.SearchStrategy[tuple[str, bytes]]:
        @st.composite
        def build(draw: st.DrawFn) -> tuple[str, bytes]:
            lines = draw(st.lists(st.sampled_from(HEADERS), max_size=3))
            text = "\n\n".join([*lines, draw(self.news_text)])
            newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
            data = _encode(text.replace("\n", newline), draw(st.sampled_from(ENCODINGS)))
            name = draw(st.sampled_from(["story.txt", "2016-12-07-story.txt", "notes.md",
                                         "story"]))
            return name, data
        return build()

    def _page(self) -> st.SearchStrategy[str]:
        @st.composite
        def build(draw: st.DrawFn) -> str:
            title = escape(draw(self.short_sentence))
            when = draw(st.sampled_from(DATE_STRINGS))
            meta = draw(st.lists(st.sampled_from([
                f'<meta property="article:published_time" content="{when}">',
                '<meta charset="utf-8">', '<meta charset="iso-8859-1">',
                '<meta charset="bogus-42">',
                '<meta property="og:site_name" content="Example Times">',
                '<meta name="author" content="Jane Reporter">',
                '<script type="application/ld+json">{"datePublished": "2016-12-07"}</script>',
                '<base href="file:///etc/">']), max_size=4))
            doctype = draw(st.sampled_from(["<!DOCTYPE html>", "", "<?xml version='1.0'?>"]))
            body = "".join(draw(st.lists(self.html_tree, min_size=1, max_size=4)))
            page = (f"{doctype}<html><head><title>{title}</title>{''.join(meta)}</head>"
                    f"<body>{body}</body></html>")
            if draw(st.integers(0, 3)) == 0:
                page = page[: draw(st.integers(0, len(page)))]
            return page
        return build()

    def _html_file(self) -> st.SearchStrategy[tuple[str, bytes]]:
        return st.tuples(st.sampled_from(["page.html", "page.htm", "page"]),
                         st.builds(_encode, self._page(), st.sampled_from(ENCODINGS)))

    def _feed_file(self) -> st.SearchStrategy[tuple[str, bytes, int | None]]:
        """(name, bytes, entries): each entry of a whole feed is an article or an error
        (None: the document was cut, entries unknown)."""
        @st.composite
        def build(draw: st.DrawFn) -> tuple[str, bytes, int | None]:
            atom = draw(st.booleans())
            items = []
            for i in range(draw(st.integers(0, 4))):
                title = escape(draw(self.short_sentence))
                body = escape(draw(st.one_of(self.short_news_text, self.html_tree)))
                when = escape(draw(st.sampled_from(DATE_STRINGS)))
                if atom:
                    items.append(f"<entry><title>{title}</title><id>urn:{i}</id><updated>{when}"
                                 f"</updated><content type='html'>{body}</content></entry>")
                else:
                    items.append(f"<item><title>{title}</title><guid>{i}</guid><pubDate>{when}"
                                 f"</pubDate><description>{body}</description></item>")
            if atom:
                doc = ("<?xml version='1.0' encoding='utf-8'?><feed xmlns="
                       f"'http://www.w3.org/2005/Atom'><title>t</title>{''.join(items)}</feed>")
            else:
                doc = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
                       f"<title>t</title>{''.join(items)}</channel></rss>")
            entries: int | None = len(items)
            if draw(st.integers(0, 3)) == 0:
                doc, entries = doc[: draw(st.integers(0, len(doc)))], None
            name = draw(st.sampled_from(["news.rss", "news.atom", "feed.xml"]))
            return name, _encode(doc, "utf-8"), entries
        return build()

    def _jsonl_file(self) -> st.SearchStrategy[tuple[str, bytes, int | None]]:
        """(name, bytes, records): each non-blank line (or array element) is a record
        the reader must account for, as an article or an error."""
        @st.composite
        def build(draw: st.DrawFn) -> tuple[str, bytes, int | None]:
            lines = []
            for _ in range(draw(st.integers(0, 6))):
                kind = draw(st.integers(0, 9))
                if kind <= 6:
                    record = draw(self.json_record)
                    if kind <= 4:
                        record["text"] = draw(self.short_news_text)
                    lines.append(json.dumps(record, ensure_ascii=draw(st.booleans())))
                elif kind == 7:
                    lines.append(json.dumps(draw(self.json_value)))
                elif kind == 8:  # not JSON; one line (no line breaks, no NUL)
                    junk = "".join(draw(st.lists(self.noise, max_size=5)))
                    lines.append("~" + junk.translate({0: None, 10: " ", 13: " "}))
                else:
                    lines.append("")
            doc = "\n".join(lines)
            # a first line that is a JSON array makes the file one JSON document (by design):
            # its lines are then not records
            records: int | None = None if doc.lstrip().startswith("[") else \
                sum(1 for x in lines if x)
            if draw(st.integers(0, 3)) == 0:
                objects = [x for x in lines if x.startswith("{")]
                doc, records = "[" + ",".join(objects) + "]", len(objects)
            encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16",
                                             "latin-1"]))
            name = draw(st.sampled_from(["wire.jsonl", "wire.json", "wire.ndjson"]))
            return name, _encode(doc, encoding), records
        return build()

    def _warc_file(self) -> st.SearchStrategy[tuple[str, bytes, int]]:
        """(name, bytes, pages): the HTML responses (2xx) and resources, which the reader
        must each account for, as an article or an error."""
        @st.composite
        def build(draw: st.DrawFn) -> tuple[str, bytes, int]:
            from warcio.statusandheaders import StatusAndHeaders
            from warcio.warcwriter import WARCWriter

            buf = io.BytesIO()
            writer = WARCWriter(buf, gzip=draw(st.booleans()))
            pages = 0
            for i in range(draw(st.integers(0, 3))):
                _, page = draw(self.html_file)
                ctype = draw(st.sampled_from(["text/html; charset=utf-8", "text/html",
                                              "application/xhtml+xml", "image/png", ""]))
                status = draw(st.sampled_from(["200 OK", "200 OK", "404 Not Found",
                                               "301 Moved"]))
                kind = draw(st.sampled_from(["response", "response", "resource", "request"]))
                url = f"https://example.org/{i}"
                if kind == "request":
                    req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")],
                                           is_http_request=True)
                    record = writer.create_warc_record(url, "request", http_headers=req)
                elif kind == "resource":
                    pages += "html" in (ctype or "text/html")
                    record = writer.create_warc_record(url, "resource", payload=io.BytesIO(page),
                                                       warc_content_type=ctype or "text/html")
                else:
                    pages += status.startswith("2") and "html" in ctype
                    headers = StatusAndHeaders(status, [("Content-Type", ctype)],
                                               protocol="HTTP/1.1")
                    record = writer.create_warc_record(url, "response", payload=io.BytesIO(page),
                                                       http_headers=headers)
                # fixed record id and date: the same draws give the same bytes
                record.rec_headers.replace_header("WARC-Record-ID", f"<urn:uuid:fuzz-{i}>")
                record.rec_headers.replace_header("WARC-Date", "2016-12-07T00:00:00Z")
                writer.write_record(record)
            name = draw(st.sampled_from(["crawl.warc", "crawl.warc.gz", "crawl.arc"]))
            return name, buf.getvalue(), pages
        return build()

    @staticmethod
    def _archived(inner: st.SearchStrategy[tuple[str, bytes]]
                  ) -> st.SearchStrategy[tuple[str, bytes]]:
        """One or more inputs packed as .gz or .zip (sometimes nested once more)."""
        @st.composite
        def pack(draw: st.DrawFn, what: st.SearchStrategy[tuple[str, bytes]]
                 ) -> tuple[str, bytes]:
            name, data = draw(what)
            if draw(st.booleans()):
                return name + ".gz", gzip.compress(data, compresslevel=1, mtime=0)
            buf = io.BytesIO()
            method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
            with zipfile.ZipFile(buf, "w", method) as zf:
                first = draw(st.sampled_from([name, "sub/" + name, "../" + name, ".hidden",
                                              "__MACOSX/" + name]))
                zf.writestr(zipfile.ZipInfo(first, FIXED_TIME), data)
                for i, (extra_name, extra) in enumerate(draw(st.lists(inner, max_size=2))):
                    zf.writestr(zipfile.ZipInfo(f"more/{i}/{extra_name}", FIXED_TIME), extra)
            return "bundle.zip", buf.getvalue()

        once = pack(inner)
        return st.one_of(once, once, once, pack(once))

    @staticmethod
    def _damaged(inner: st.SearchStrategy[tuple[str, bytes]]
                 ) -> st.SearchStrategy[tuple[str, bytes]]:
        """An input cut short, with bytes flipped, or a slice repeated."""
        @st.composite
        def build(draw: st.DrawFn) -> tuple[str, bytes]:
            name, data = draw(inner)
            blob = bytearray(data)
            for _ in range(draw(st.integers(1, 4))):
                if not blob:
                    break
                action = draw(st.integers(0, 3))
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
        return build()
