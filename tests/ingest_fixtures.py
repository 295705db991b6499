"""Inputs for the ingest tests and bench: synthetic articles in every supported format.

No pytest import here, so ``bench/ingest.py`` can use the same generator.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

# the `dateline` command as a subprocess, whatever the install (console script or not)
DATELINE = [sys.executable, "-c", "from dateline.cli import main; main()"]

ACTORS = ["Government troops", "Rebel fighters", "Police", "Protesters", "The army",
          "Opposition leaders", "The foreign ministry", "Security forces", "Local officials",
          "Militants", "Peacekeepers", "The prime minister", "Student groups", "Farmers"]
VERBS = ["seized", "attacked", "met", "accused", "criticised", "praised", "blocked",
         "surrounded", "negotiated with", "clashed with", "arrested", "welcomed", "condemned"]
OBJECTS = ["the northern districts", "a convoy", "the delegation", "the capital",
           "the main highway", "demonstrators", "the border crossing", "the airport",
           "the town council", "the ceasefire proposal", "a group of journalists"]
PLACES = ["Aleppo", "Homs", "Mosul", "Kabul", "Lagos", "Caracas", "Lahore", "Gaza", "Sanaa",
          "Bamako", "Mogadishu", "Yangon", "Kyiv", "Tripoli", "Khartoum"]
TAILS = ["on Tuesday, officials said.", "after a week of talks.", "despite calls for calm.",
         "according to witnesses.", "in the early hours of the morning.",
         "as tensions rose across the region.", "a spokesman told reporters."]
SECTIONS = ["World", "Syria War", "Politics", "Asia", "Africa", "Middle East"]


def _sentence(rng: random.Random) -> str:
    return (f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} in "
            f"{rng.choice(PLACES)} {rng.choice(TAILS)}")


def article_parts(i: int, seed: int = 0, paragraphs: int = 8) -> dict:
    """The fields of synthetic article ``i``: headline, section, date, paragraphs."""
    rng = random.Random(f"{seed}-{i}")
    day = date(2016, 1, 1) + timedelta(days=rng.randrange(0, 700))
    body = []
    for p in range(paragraphs):
        sents = [_sentence(rng) for _ in range(rng.randint(2, 3))]
        if p == 0:
            sents[0] = f"Report {i} (series {seed}): " + sents[0]
        body.append(" ".join(sents))
    return {
        "id": f"syn-{seed}-{i}",
        "headline": f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
                    f"in {rng.choice(PLACES)}",
        "subheadline": f"{rng.choice(PLACES)} talks stall; {rng.choice(ACTORS).lower()} wait",
        "section": rng.choice(SECTIONS),
        "date": day,
        "paragraphs": body,
    }


def article_text(parts: dict) -> str:
    """The Daily Star plain-text shape of the founding example."""
    when = parts["date"].strftime("%B %d, %Y")
    head = [f"Published on 12:00 AM, {when}", parts["section"], parts["headline"],
            parts["subheadline"]]
    return "\n\n".join(head + parts["paragraphs"]) + "\n"


def write_text_corpus(folder: Path, n: int, seed: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        path = folder / f"article-{seed}-{i:05d}.txt"
        path.write_text(article_text(article_parts(i, seed)), encoding="utf-8")
        out.append(path)
    return out


def jsonl_record(parts: dict) -> dict:
    return {"id": parts["id"], "title": parts["headline"], "date": parts["date"].isoformat(),
            "source": "Synthetic Wire", "url": f"https://example.org/{parts['id']}",
            "text": "\n\n".join(parts["paragraphs"])}


def write_jsonl_corpus(path: Path, n: int, seed: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(jsonl_record(article_parts(i, seed))) + "\n")
    return path


def html_page(parts: dict, site: str = "The Example Times") -> str:
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in parts["paragraphs"])
    iso = parts["date"].isoformat()
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(parts['headline'])} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{iso}T08:30:00+00:00">
<meta name="author" content="Jane Reporter">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<main><article><h1>{escape(parts['headline'])}</h1>
{paras}
</article></main>
<footer>Copyright {site}. All rights reserved.</footer>
</body></html>"""


def rss_feed(items: list[dict], title: str = "Example Wire") -> str:
    entries = []
    for parts in items:
        html = "".join(f"<p>{escape(p)}</p>" for p in parts["paragraphs"])
        pub = parts["date"].strftime("%a, %d %b %Y 09:00:00 +0000")
        entries.append(
            f"<item><title>{escape(parts['headline'])}</title>"
            f"<link>https://example.org/{parts['id']}</link><guid>{parts['id']}</guid>"
            f"<pubDate>{pub}</pubDate><description>{escape(html)}</description></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{title}</title><link>https://example.org/</link>"
            f"<description>news</description>{''.join(entries)}</channel></rss>")


def atom_feed(items: list[dict], title: str = "Example Atom") -> str:
    entries = []
    for parts in items:
        html = "".join(f"<p>{escape(p)}</p>" for p in parts["paragraphs"])
        entries.append(
            f"<entry><title>{escape(parts['headline'])}</title><id>urn:{parts['id']}</id>"
            f'<link href="https://example.org/{parts["id"]}"/>'
            f"<updated>{parts['date'].isoformat()}T09:00:00Z</updated>"
            f"<author><name>Sam Writer</name></author>"
            f'<content type="html">{escape(html)}</content></entry>')
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{title}</title><id>urn:feed</id><updated>2016-12-07T00:00:00Z</updated>"
            f"{''.join(entries)}</feed>")


def warc_bytes(pages: list[tuple[str, str]], gzipped: bool = False,
               extra_records: bool = True) -> bytes:
    """A WARC with one HTML response per (url, html) page, plus non-HTML records."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzipped)
    if extra_records:
        writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "test"}))
    for url, html in pages:
        if extra_records:
            req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")],
                                   is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=req))
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            url, "response", payload=io.BytesIO(html.encode("utf-8")), http_headers=headers))
    if extra_records:
        img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://example.org/logo.png", "response",
            payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(100)), http_headers=img))
    return buf.getvalue()


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data)


class KeywordCoder:
    """A small coder for pipeline tests (the real one is tested with the coder): one ASSAULT
    mention per sentence holding "clashed" or "attacked". Records what it was asked to code."""

    WORDS = ("clashed", "attacked")

    def __init__(self) -> None:
        self.coded: list[str] = []

    def code_articles(self, articles):
        from dateline.model import Mention

        for art in articles:
            self.coded.append(art.id)
            mentions = []
            start = 0
            for index, sentence in enumerate(art.text.replace("\n\n", " ").split(". ")):
                pos = art.text.find(sentence, start)
                start = max(start, pos)
                for word in self.WORDS:
                    at = sentence.find(word)
                    if at >= 0 and pos >= 0:
                        mentions.append(Mention(
                            article_id=art.id, sentence=sentence, sentence_index=index,
                            char_start=pos, char_end=pos + len(sentence), event_type="ASSAULT",
                            cameo="19", quad_class=4, trigger=word, trigger_start=pos + at,
                            trigger_end=pos + at + len(word), date="2016-12-06",
                            date_precision="day"))
            yield art, mentions
