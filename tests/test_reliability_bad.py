"""More bad input, through the real `dateline ingest` command (a subprocess).

tests/bad_inputs.py (the ingest corpus, 29 kinds) is run by tests/test_ingest_bad.py. This
adds the kinds of the issue's list it lacks or covers in another shape: 50 MB on a single
line (plain, JSON Lines and gzipped), one broken line in 10,000 JSON Lines, mixed encodings
in one file, a truncated zip, a zip member with a bad CRC, archives nested too deep, and
more. Each gives one error line naming the file (or a sensible article); the good files
beside them land, and a second run stores nothing twice.

Tests marked xfail(strict) are findings for the ingest owner: the expected behaviour,
which does not hold yet (docs/reliability.md lists them).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import struct
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from ingest_fixtures import (
    DATELINE, article_parts, article_text, html_page, jsonl_record, warc_bytes,
    write_text_corpus,
)

from dateline.ingest import read_bytes
from dateline.model import Article, ReadError
from dateline.store import Store

MB = 1 << 20
GOOD = 3
WORDS = b"word " * (MB // 5)  # 1 MB of one line


@dataclass
class Kind:
    name: str  # file name (errors and origins name it)
    build: Callable[[Path], None]
    errors: int  # error lines naming the file
    articles: int  # articles landing from it
    reason: str = ""  # in every error line
    record: str | None = None  # the record the error names (file:record)
    check: Callable[[list[Article]], None] | None = None


def _write(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        (folder / name).write_bytes(data() if callable(data) else data)
    return build


def _one_line_50mb(folder: Path) -> None:
    with open(folder / "one-line-50mb.txt", "wb") as fh:
        for _ in range(50):
            fh.write(WORDS)


def _jsonl_one_line_50mb(folder: Path) -> None:
    with open(folder / "one-line-50mb.jsonl", "wb") as fh:
        fh.write(b'{"id": "huge", "text": "')
        for _ in range(50):
            fh.write(WORDS)
        fh.write(b'"}\n')


def _gzip_one_line_50mb() -> bytes:
    return gzip.compress(WORDS * 50, compresslevel=1)


def _jsonl_10000(folder: Path) -> None:
    with open(folder / "wire-10000.jsonl", "w", encoding="utf-8") as fh:
        for i in range(10_000):
            if i == 4_999:
                fh.write('{"id": "broken", "text": "unterminated\n')
            else:
                fh.write(json.dumps(jsonl_record(article_parts(i, seed=301, paragraphs=1))) + "\n")


MIXED = ("December 7, 2016\n\nCafé owners protest\n\n".encode()
         + "Protesters in Montréal marched on Tuesday, police said.\n\n".encode("latin-1")
         + "The mayor called the march \u201cpeaceful\u201d.\n".encode("cp1252"))


def _check_mixed(arts: list[Article]) -> None:
    [art] = arts
    assert "Montréal" in art.text and "\u201cpeaceful\u201d" in art.text


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _truncated_zip() -> bytes:
    data = _zip({f"a{i}.txt": article_text(article_parts(i, seed=302)).encode() for i in range(3)})
    return data[: len(data) * 2 // 3]


def _bad_crc_zip() -> bytes:
    texts = {f"m{i}.txt": article_text(article_parts(i, seed=307)).encode() for i in range(3)}
    data = bytearray(_zip({k: v for k, v in texts.items()}))
    # m1.txt stored deflated: flip a byte in the middle of its compressed data
    offset = data.find(b"m1.txt") + len("m1.txt") + 40
    data[offset] ^= 0xFF
    return bytes(data)


def _nested_zip() -> bytes:
    inner = article_text(article_parts(1, seed=308)).encode()
    name = "a.txt"
    for depth in range(5):
        inner, name = _zip({name: inner}), f"level{depth}.zip"
    return inner


def _utf16be() -> bytes:
    return article_text(article_parts(5, seed=303)).encode("utf-16-be")


def _check_utf16be(arts: list[Article]) -> None:
    assert arts[0].headline == article_parts(5, seed=303)["headline"]


def _bom_crlf() -> bytes:
    text = article_text(article_parts(7, seed=306)).replace("\n", "\r\n")
    return b"\xef\xbb\xbf" + text.encode()


def _check_bom_crlf(arts: list[Article]) -> None:
    parts = article_parts(7, seed=306)
    assert arts[0].headline == parts["headline"] and "\r" not in arts[0].text
    assert arts[0].published is not None and arts[0].published.date() == parts["date"]


def _json_array() -> bytes:
    return json.dumps([jsonl_record(article_parts(1, seed=305)), "not an article",
                       jsonl_record(article_parts(2, seed=305))]).encode()


def _negative_offset_zip() -> bytes:
    """A zip whose end record puts the central directory 12,000 bytes further than it is:
    opening its member seeks before the start (ValueError on an in-memory archive)."""
    data = bytearray(_zip({"a.txt": article_text(article_parts(1, seed=311)).encode()}))
    end = data.rfind(b"PK\x05\x06")
    (offset,) = struct.unpack("<I", data[end + 16:end + 20])
    data[end + 16:end + 20] = struct.pack("<I", offset + 12_000)
    return bytes(data)


def _evil_nested_zip() -> bytes:
    return _zip({"inner.zip": _negative_offset_zip(),
                 "ok.txt": article_text(article_parts(2, seed=311)).encode()})


def _bom_jsonl() -> bytes:
    lines = [json.dumps(jsonl_record(article_parts(i, seed=312, paragraphs=1)))
             for i in range(3)]
    return b"\xef\xbb\xbf" + "\n".join(lines).encode() + b"\n"


SCRIPT_ONLY = (b"<html><head><script>var story = 'Troops attacked the city on Monday, officials "
               b"said in a long statement to the press';</script><style>p{color:red}</style>"
               b"</head><body><script>document.write(story)</script></body></html>")

KINDS = [
    Kind("one-line-50mb.txt", _one_line_50mb, 1, 0, "over the 20.0 MB limit"),
    Kind("one-line-50mb.jsonl", _jsonl_one_line_50mb, 1, 0, "longer than", record="1"),
    # 187:1: refused by the compression ratio while inflating (issue 14), before its size
    Kind("one-line-50mb.txt.gz", _write("one-line-50mb.txt.gz", _gzip_one_line_50mb), 1, 0,
         "compression ratio over 100:1"),
    Kind("wire-10000.jsonl", _jsonl_10000, 1, 9_999, "invalid JSON", record="5000"),
    Kind("mixed-encodings.txt", _write("mixed-encodings.txt", MIXED), 0, 1, check=_check_mixed),
    Kind("cut.zip", _write("cut.zip", _truncated_zip), 1, 0, "corrupt zip"),
    Kind("bad-crc.zip", _write("bad-crc.zip", _bad_crc_zip), 1, 2, "bad-crc.zip!m1.txt: "),
    Kind("nested.zip", _write("nested.zip", _nested_zip), 1, 0, "nested more than 3 deep"),
    Kind("utf16-be.txt", _write("utf16-be.txt", _utf16be), 0, 1, check=_check_utf16be),
    Kind("bom-crlf.txt", _write("bom-crlf.txt", _bom_crlf), 0, 1, check=_check_bom_crlf),
    Kind("script-only.html", _write("script-only.html", SCRIPT_ONLY), 1, 0, "no article text"),
    Kind("no-items.rss", _write("no-items.rss", b"<?xml version='1.0'?><rss version='2.0'>"
                                b"<channel><title>Nothing</title></channel></rss>"), 1, 0,
         "no entries"),
    Kind("nul.txt", _write("nul.txt", b"\x00" * 5000), 1, 0, "binary"),
    Kind("png.txt.gz", _write("png.txt.gz", lambda: gzip.compress(
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 12, mtime=0)), 1, 0, "PNG image"),
    Kind("array.json", _write("array.json", _json_array), 1, 2, "not an object", record="2"),
    # found by the fuzz run (fixed): a crafted zip inside an archive raised ValueError out
    # of the reader and stopped the whole ingest; a UTF-8 BOM cost a JSONL file its first line
    Kind("evil-nested.zip", _write("evil-nested.zip", _evil_nested_zip), 1, 1,
         "evil-nested.zip!inner.zip!a.txt: corrupt zip member"),
    Kind("evil.zip.gz", _write("evil.zip.gz", lambda: gzip.compress(_negative_offset_zip(),
                                                                     mtime=0)), 1, 0,
         "corrupt zip member"),
    Kind("bom.jsonl", _write("bom.jsonl", _bom_jsonl), 0, 3),
]


def _dateline(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    return subprocess.run([*DATELINE, *args], capture_output=True, text=True, timeout=timeout,
                          env=env)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """The folder of good files and every kind, ingested twice by `dateline ingest`."""
    tmp = tmp_path_factory.mktemp("bad")
    folder = tmp / "in"
    write_text_corpus(folder, GOOD, seed=310)
    for kind in KINDS:
        kind.build(folder)
    db = str(tmp / "db.duckdb")
    args = ("ingest", "--no-code", "--no-progress", "--json", "--db", db, str(folder))
    first = _dateline(*args)
    second = _dateline(*args)
    with Store.open(db, read_only=True) as store:
        stored = store.articles_where()
    yield folder, first, second, stored, db
    for path in folder.glob("one-line-50mb*"):
        path.unlink()


def test_every_error_is_one_line_naming_its_file(ingested):
    folder, first, _, _, _ = ingested
    assert first.returncode == 0, first.stderr[-2000:]
    lines = first.stderr.splitlines()
    summary = [line for line in lines if line.startswith("read ")]
    errors = [line for line in lines if not line.startswith("read ")]
    assert len(summary) == 1
    # every line of stderr but the summary is a whole error message naming a file
    assert all(line.startswith(str(folder) + os.sep) for line in errors), errors
    for kind in KINDS:
        named = [line for line in errors
                 if line.startswith((f"{folder / kind.name}:", f"{folder / kind.name}!"))]
        assert len(named) == kind.errors, (kind.name, named)
        for line in named:
            assert kind.reason in line, line
            if kind.record:
                assert line.startswith(f"{folder / kind.name}:{kind.record}: "), line
    assert len(errors) == sum(k.errors for k in KINDS)
    report = json.loads(first.stdout)
    assert report["failed"] == len(errors) and len(report["errors"]) == len(errors)


def test_the_rest_lands_exactly_once(ingested):
    folder, first, second, stored, db = ingested
    expected = GOOD + sum(k.articles for k in KINDS)
    ids = [a.id for a in stored]
    assert len(ids) == len(set(ids)) == expected
    jsonl_ids = {a.id for a in stored if (a.origin or "").startswith(str(folder / "wire-10000"))}
    assert jsonl_ids == {f"syn-301-{i}" for i in range(10_000) if i != 4_999}
    assert sum(1 for a in stored if (a.origin or "").startswith(str(folder / "article-"))) == GOOD
    for kind in KINDS:
        mine = [a for a in stored if (a.origin or "").startswith(str(folder / kind.name))]
        assert len(mine) == kind.articles, kind.name
        if kind.check:
            kind.check(mine)
    report1, report2 = json.loads(first.stdout), json.loads(second.stdout)
    assert report1["new"] == expected and report1["duplicate"] == 0
    # the second run reads the same, stores nothing, and reports the same bad inputs
    assert second.returncode == 0
    assert report2["new"] == 0 and report2["duplicate"] == report2["read"] == report1["read"]
    assert report2["failed"] == report1["failed"]
    check = _dateline("check", "--db", db, "--json")
    assert check.returncode == 0, check.stdout + check.stderr
    assert json.loads(check.stdout)["counts"]["articles"] == expected


# -- findings: expected behaviour that does not hold yet (owner: ingest) ----------------------
def _warc_pages(n: int, gzipped: bool) -> bytes:
    pages = [(f"https://example.org/{i}", html_page(article_parts(i, seed=304)))
             for i in range(n)]
    return warc_bytes(pages, gzipped=gzipped)


def _split(items) -> tuple[list[Article], list[ReadError]]:
    items = list(items)
    return ([x for x in items if isinstance(x, Article)],
            [x for x in items if isinstance(x, ReadError)])


@pytest.mark.parametrize("gzipped", [False, True], ids=["warc", "warc.gz"])
def test_truncated_warc_reports_the_cut_record(gzipped):
    data = _warc_pages(40, gzipped)
    name = "crawl.warc.gz" if gzipped else "crawl.warc"
    arts, errors = _split(read_bytes(data[: len(data) * 3 // 4], name))
    complete, _ = _split(read_bytes(data, name))
    assert len(complete) == 40
    assert len(errors) == 1 and "crawl.warc" in str(errors[0])
    # every complete record before the cut lands, with its full text
    full = {a.url: a.text for a in complete}
    assert arts and all(full[a.url] == a.text for a in arts)
    assert len(arts) >= 28


def test_small_truncated_gzip_keeps_its_complete_records():
    data = _warc_pages(3, gzipped=True)
    arts, errors = _split(read_bytes(data[: len(data) * 3 // 4], "crawl.warc.gz"))
    assert len(errors) == 1 and len(arts) >= 1


def test_empty_zip_is_reported():
    empty = b"PK\x05\x06" + bytes(18)
    arts, errors = _split(read_bytes(empty, "empty.zip"))
    assert arts == [] and len(errors) == 1 and "empty.zip" in str(errors[0])


def test_mixed_encodings_keep_the_utf8_parts():
    [art] = _split(read_bytes(MIXED, "mixed.txt"))[0]
    assert art.headline == "Café owners protest"


def test_file_name_with_a_newline_gives_a_one_line_error(tmp_path):
    from dateline.ingest import read_file

    path = tmp_path / "bad\nname.bin"
    path.write_bytes(bytes(range(256)) * 4)
    [err] = list(read_file(str(path)))
    assert isinstance(err, ReadError) and "\n" not in str(err)


def _short_content_length_warc() -> bytes:
    """A WARC whose first response declares 40 bytes less than it holds."""
    pages = [(f"https://example.org/{i}", html_page(article_parts(i, seed=309)))
             for i in range(3)]
    data = bytearray(warc_bytes(pages, extra_records=False))
    at = data.find(b"Content-Length: ", 10)
    end = data.find(b"\r\n", at)
    data[at + 16:end] = str(int(data[at + 16:end]) - 40).encode()
    return bytes(data)


def test_readers_print_nothing_themselves(capfd):
    arts, errors = _split(read_bytes(_short_content_length_warc(), "short.warc"))
    assert len(errors) == 1 and "short.warc" in str(errors[0])
    assert capfd.readouterr().err == ""
