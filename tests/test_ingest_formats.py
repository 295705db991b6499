"""Readers other than plain text: HTML, feeds, JSON Lines, WARC, archives, paths, sniffing."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_fixtures import (
    article_parts,
    article_text,
    atom_feed,
    html_page,
    jsonl_record,
    rss_feed,
    warc_bytes,
    write_jsonl_corpus,
    write_text_corpus,
)

from dateline.ingest import (
    ReadContext,
    ReadOptions,
    read_bytes,
    read_feed,
    read_html,
    read_jsonl,
    read_paths,
    read_warc,
)
from dateline.ingest.sniff import sniff
from dateline.model import Article, ReadError


@pytest.fixture(scope="module")
def ctx():
    return ReadContext.create()


def articles(items) -> list[Article]:
    items = list(items)
    bad = [x for x in items if isinstance(x, ReadError)]
    assert not bad, bad
    return items


# -- HTML -------------------------------------------------------------------------------
def test_html_page(ctx):
    parts = article_parts(3)
    [art] = articles(read_html(html_page(parts).encode(), "page.html", ctx))
    assert art.headline == parts["headline"]
    assert art.source == "The Example Times"
    assert art.authors == ["Jane Reporter"]
    assert art.published == datetime(parts["date"].year, parts["date"].month, parts["date"].day,
                                     8, 30, tzinfo=timezone.utc)
    assert art.paragraphs == parts["paragraphs"]  # menus and footer left out, headline too
    assert "Home" not in art.text and "Copyright" not in art.text
    assert art.language == "en"


def test_html_declared_charset_is_used(ctx):
    page = html_page(article_parts(4)).replace('charset="utf-8"', 'charset="iso-8859-1"')
    page = page.replace("<h1>", "<h1>Montréal: ")
    [art] = articles(read_html(page.encode("latin-1"), "latin.html", ctx))
    assert art.headline.startswith("Montréal: ") or "Montréal" in (art.headline or "")


# -- feeds ------------------------------------------------------------------------------
def test_rss_feed(ctx):
    items = [article_parts(i, seed=2) for i in range(3)]
    arts = articles(read_feed(rss_feed(items).encode(), "wire.rss", ctx))
    assert [a.id for a in arts] == [p["id"] for p in items]  # the guid is the id
    assert [a.headline for a in arts] == [p["headline"] for p in items]
    assert all(a.source == "Example Wire" for a in arts)
    assert arts[0].paragraphs == items[0]["paragraphs"]  # HTML summary → paragraphs
    assert arts[0].published.tzinfo is not None and arts[0].published.hour == 9
    assert arts[1].origin == "wire.rss:2"


def test_atom_feed(ctx):
    items = [article_parts(i, seed=3) for i in range(2)]
    arts = articles(read_feed(atom_feed(items).encode(), "feed.atom", ctx))
    assert [a.id for a in arts] == [f"urn:{p['id']}" for p in items]
    assert arts[0].authors == ["Sam Writer"]
    assert arts[0].url == f"https://example.org/{items[0]['id']}"


def test_feed_entry_without_text_is_an_error_the_rest_land(ctx):
    items = [article_parts(i, seed=4) for i in range(2)]
    xml = rss_feed(items).replace("</channel>",
                                  "<item><title>Only a title</title></item></channel>")
    out = list(read_feed(xml.encode(), "f.rss", ctx))
    assert sum(isinstance(x, Article) for x in out) == 2
    [err] = [x for x in out if isinstance(x, ReadError)]
    assert err.record == 3 and "no summary or content" in err.reason


def test_feed_with_broken_xml_still_yields_recoverable_entries(ctx):
    items = [article_parts(i, seed=5) for i in range(2)]
    xml = rss_feed(items).replace("</channel></rss>", "<item><title>cut")  # truncated feed
    out = list(read_feed(xml.encode(), "cut.rss", ctx))
    assert sum(isinstance(x, Article) for x in out) >= 1
    assert all(isinstance(x, Article | ReadError) for x in out)


# -- JSON Lines -------------------------------------------------------------------------
def test_india_police_events_docs(ipe_dir, ctx):
    """docs.jsonl of the IndiaPoliceEvents layout: doc_id + doc_text, a date only where the
    text opens with "This story is from <date>"."""
    path = ipe_dir / "docs.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    with open(path, "rb") as fh:
        arts = articles(read_jsonl(fh, str(path), ctx))
    assert len(arts) == len(records) == 40
    assert arts[0].id == str(records[0]["doc_id"]) == "11"
    assert arts[0].published == datetime(2002, 3, 10)
    assert arts[0].text.startswith("lucknow: the state unit")
    assert "This story is from" not in arts[0].text
    assert "‘flat rate’" in arts[0].text and "â€" not in arts[0].text  # mojibake repaired
    assert len({a.id for a in arts}) == 40
    dated = [a for a in arts if a.published]
    opening = [r for r in records if r["doc_text"].startswith("This story is from")]
    assert len(dated) == len(opening) > 10 and all(a.published.year == 2002 for a in dated)


def test_jsonl_usual_fields_and_aliases(ctx):
    parts = article_parts(1, seed=6)
    rec = jsonl_record(parts)
    rec2 = {"doc_id": 17, "body": "Police arrested ten people on Monday.", "headline": "Arrests",
            "published_at": "2016-12-07T10:00:00Z", "link": "https://x.org/17",
            "publisher": {"name": "Wire"}, "authors": ["A", "B"], "lang": "en-GB"}
    data = (json.dumps(rec) + "\n\n" + json.dumps(rec2) + "\n").encode()
    a, b = articles(read_jsonl(data, "x.jsonl", ctx))
    assert a.id == parts["id"] and a.headline == parts["headline"] and a.source == "Synthetic Wire"
    assert a.published == datetime(parts["date"].year, parts["date"].month, parts["date"].day)
    assert a.paragraphs == parts["paragraphs"] and a.origin == "x.jsonl:1"
    assert b.id == "17" and b.headline == "Arrests" and b.url == "https://x.org/17"
    assert b.source == "Wire" and b.authors == ["A", "B"] and b.language == "en"
    assert b.published == datetime(2016, 12, 7, 10, tzinfo=timezone.utc) and b.origin == "x.jsonl:3"


def test_jsonl_field_mapping_options():
    rec = {"key": "k1", "story_body": "Troops clashed on the border on Tuesday.",
           "heading": "Clash", "when": "2016-12-07", "where": "https://x.org/1", "outlet": "Paper"}
    opts = ReadOptions(text_field="story_body", id_field="key", title_field="heading",
                       date_field="when", url_field="where", source_field="outlet")
    [art] = articles(read_jsonl(json.dumps(rec).encode(), "m.jsonl", ReadContext.create(opts)))
    assert (art.id, art.headline) == ("k1", "Clash")
    assert (art.url, art.source) == ("https://x.org/1", "Paper")
    assert art.published == datetime(2016, 12, 7)
    [err] = list(read_jsonl(json.dumps(rec).encode(), "m.jsonl", ReadContext.create()))
    assert isinstance(err, ReadError) and "no article text" in err.reason


def test_json_array_and_utf16_jsonl(ctx):
    recs = [jsonl_record(article_parts(i, seed=9)) for i in range(3)]
    assert len(articles(read_jsonl(json.dumps(recs, indent=2).encode(), "a.json", ctx))) == 3
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in recs)
    utf16 = articles(read_jsonl(lines.encode("utf-16"), "u.jsonl", ctx))
    assert [a.id for a in utf16] == [r["id"] for r in recs]


# -- WARC -------------------------------------------------------------------------------
@pytest.mark.parametrize("gzipped", [False, True])
def test_warc(ctx, gzipped):
    pages = [(f"https://example.org/{i}", html_page(article_parts(i, seed=10))) for i in range(3)]
    arts = articles(read_warc(warc_bytes(pages, gzipped=gzipped), "crawl.warc", ctx))
    assert [a.url for a in arts] == [u for u, _ in pages]  # request, PNG, warcinfo skipped
    assert [a.headline for a in arts] == [article_parts(i, seed=10)["headline"] for i in range(3)]


# -- archives, folders, globs, sniffing ---------------------------------------------------
def test_gz_and_zip_of_every_format(tmp_path, ctx):
    parts = [article_parts(i, seed=11) for i in range(6)]
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(article_text(parts[0]).encode()))
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(
        (json.dumps(jsonl_record(parts[1])) + "\n").encode()))
    (tmp_path / "c.warc.gz").write_bytes(warc_bytes([("https://e.org/c", html_page(parts[2]))],
                                                    gzipped=True))
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("deep/e.html", html_page(parts[4]))
    with zipfile.ZipFile(tmp_path / "d.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("news/d.rss", rss_feed([parts[3]]))
        zf.writestr("nested.zip", inner.getvalue())
        zf.writestr("f.txt.gz", gzip.compress(article_text(parts[5]).encode()))
        zf.writestr("__MACOSX/._junk", b"\x00\x05\x16\x07")
        zf.writestr("folder/", b"")
    arts = articles(read_paths([str(tmp_path)], ctx=ctx))
    assert sorted(a.headline for a in arts) == sorted(p["headline"] for p in parts)
    origins = {a.headline: a.origin for a in arts}
    assert origins[parts[4]["headline"]] == f"{tmp_path}/d.zip!nested.zip!deep/e.html"
    assert origins[parts[1]["headline"]] == f"{tmp_path}/b.jsonl.gz:1"


def test_archive_depth_limit(tmp_path):
    data = article_text(article_parts(1, seed=12)).encode()
    for _ in range(4):
        data = gzip.compress(data)
    (tmp_path / "x.txt.gz").write_bytes(data)
    out = list(read_paths([str(tmp_path)], options=ReadOptions(max_depth=3)))
    assert len(out) == 1 and "nested more than 3 deep" in out[0].reason
    assert len(articles(read_paths([str(tmp_path)], options=ReadOptions(max_depth=5)))) == 1


def test_archive_budget_caps_total_unpacked_bytes(tmp_path):
    with zipfile.ZipFile(tmp_path / "many.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(5):
            zf.writestr(f"a{i}.txt", article_text(article_parts(i, seed=13)))
    size = len(article_text(article_parts(0, seed=13)))
    out = list(read_paths([str(tmp_path)], options=ReadOptions(max_archive_bytes=size * 3)))
    assert 2 <= sum(isinstance(x, Article) for x in out) <= 3
    errs = [x for x in out if isinstance(x, ReadError)]
    assert errs and all("max_archive_bytes" in e.reason for e in errs)


def test_folders_recursive_globs_and_hidden_files(tmp_path, ctx):
    write_text_corpus(tmp_path / "a", 3, seed=14)
    write_text_corpus(tmp_path / "a" / "sub", 2, seed=15)
    write_jsonl_corpus(tmp_path / "b" / "x.jsonl", 4, seed=16)
    (tmp_path / "a" / ".hidden.txt").write_text("Hidden\n\nNot to be read.")
    (tmp_path / "a" / ".git").mkdir()
    (tmp_path / "a" / ".git" / "c.txt").write_text("Not to be read either.")
    assert len(articles(read_paths([str(tmp_path / "a")], ctx=ctx))) == 5
    assert len(articles(read_paths([str(tmp_path / "**" / "*.txt")], ctx=ctx))) == 5
    assert len(articles(read_paths([str(tmp_path / "b" / "*.jsonl")], ctx=ctx))) == 4
    [err] = list(read_paths([str(tmp_path / "nothing*.txt")], ctx=ctx))
    assert "no files match" in err.reason
    first = [a.id for a in read_paths([str(tmp_path)], ctx=ctx)]
    assert first == [a.id for a in read_paths([str(tmp_path)], ctx=ctx)]  # stable order


@pytest.mark.parametrize("name, head, expected", [
    ("x.bin", b"WARC/1.0\r\n", "warc"),
    ("noext", b'<?xml version="1.0"?><rss version="2.0">', "feed"),
    ("noext", b"<!DOCTYPE html><html><body><p>x</p>", "html"),
    ("noext", b'{"text": "x"}\n', "jsonl"),
    ("noext", b"Published on 12:00 AM, December 07, 2016\n\n", "text"),
    ("noext", b"\x1f\x8b\x08\x00", "gzip"),
    ("a.txt", b"PK\x03\x04", "zip"),
    ("a.dat", b"\x00\x01\x02\x03" * 10, "binary: binary file (NUL bytes)"),
    ("page.xml", b"<?xml version='1.0'?><html><body>x</body></html>", "html"),
])
def test_sniff(name, head, expected):
    assert sniff(name, head) == expected


def test_format_option_overrides_sniffing(ctx):
    text = article_text(article_parts(1, seed=17)).encode()
    [art] = articles(read_bytes(text, "story.html", ctx, fmt="text"))
    assert art.headline == article_parts(1, seed=17)["headline"]


# -- properties: any bytes, any reader: never raises, ids stable ---------------------------
READERS = {
    "html": lambda d, c: read_html(d, "p.html", c),
    "feed": lambda d, c: read_feed(d, "f.xml", c),
    "jsonl": lambda d, c: read_jsonl(d, "l.jsonl", c),
    "warc": lambda d, c: read_warc(d, "w.warc", c),
    "sniffed": lambda d, c: read_bytes(d, "input", c),
}
PREFIXES = [b"", b"<html><body><p>", b'<?xml version="1.0"?><rss><channel><item><description>',
            b'{"text": "', b"WARC/1.0\r\n", b"\x1f\x8b", b"PK\x03\x04", b"\xff\xfe"]


@pytest.mark.parametrize("reader", sorted(READERS))
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(PREFIXES), data=st.binary(max_size=2000))
def test_reader_never_raises_on_random_bytes(ctx, reader, prefix, data):
    blob = prefix + data
    out1 = list(READERS[reader](blob, ctx))
    out2 = list(READERS[reader](blob, ctx))
    assert all(isinstance(x, Article | ReadError) for x in out1)
    assert [getattr(x, "id", str(x)) for x in out1] == [getattr(x, "id", str(x)) for x in out2]


@pytest.mark.parametrize("reader", sorted(READERS))
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=1500))
def test_reader_never_raises_on_random_text(ctx, reader, text):
    for wrap in (text, f"<html><body><p>{text}</p></body></html>", json.dumps({"text": text})):
        out = list(READERS[reader](wrap.encode("utf-8", errors="surrogatepass"), ctx))
        assert all(isinstance(x, Article | ReadError) for x in out)


def test_every_format_has_its_reader():
    """The readers are a registry by format name (as export's WRITERS): --format and the
    sniffer name exactly these."""
    from dateline.ingest.dispatch import READERS, STREAMED
    from dateline.ingest.options import FORMATS
    from dateline.ingest.sniff import EXTENSIONS

    assert tuple(READERS) == FORMATS
    assert set(EXTENSIONS.values()) <= set(READERS)
    assert STREAMED == ("jsonl", "warc")
