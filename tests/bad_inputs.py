"""The bad-input corpus: every kind of broken or awkward file ingest must survive.

Each ``BadInput`` writes its file(s) into a folder and says what reading it must give:
how many error lines naming the file (and what they say), and how many articles still
land from it. Generated, not stored, so the 50 MB and zip-bomb cases cost no repo space.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest_fixtures import article_parts, article_text, html_page, jsonl_record, warc_bytes

MB = 1024 * 1024


@dataclass
class BadInput:
    kind: str
    name: str  # the file (or member path fragment) errors and origins must name
    build: Callable[[Path], Path]
    errors: int  # error lines naming ``name``
    articles: int  # articles read from it
    reason: str = ""  # substring every error line holds
    check: Callable[[list], None] | None = None  # on the articles read from it
    tags: set[str] = field(default_factory=set)


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path
    return build


ARTICLE = article_text(article_parts(1, seed=99))


def accented(tag: str) -> str:
    """A short article with accented letters (each encoding gets its own, so ids differ)."""
    return ("Published on 12:00 AM, December 07, 2016\n\nWorld\n\nMontréal police "
            "détain protesters\n\nPolice in Montréal detained 20 protesters on Tuesday after "
            f"a march through the city centre, officials said.\n\nThe march was {tag}.\n")

SMART = ("December 7, 2016\n\nMinister rejects \u201cfoolish\u201d claims\n\nThe minister "
         "said the claims were \u201cfoolish\u201d and that the talks\u2019 outcome was fair.\n")
MOJIBAKE = ("December 7, 2016\n\nlucknow: the aibmac convenor said the proposed "
            "\u00e2\u20ac\u02dcbhoomi pujan\u00e2\u20ac\u2122 would violate the court order, "
            "police said.\n")
FRENCH = ("7 décembre 2016\n\nL'armée syrienne progresse à Alep\n\nL'armée syrienne a "
          "repris mardi plusieurs quartiers de l'est d'Alep, selon l'Observatoire syrien des "
          "droits de l'homme. Les rebelles ont rejeté toute proposition de retrait de la ville "
          "et les combats se poursuivent dans les quartiers du sud-est.\n")
FUTURE = ("Published on 09:00 AM, March 03, 2099\n\nWorld\n\nColonists vote on charter\n\n"
          "Colonists on the orbital station voted on Tuesday to adopt a new charter, the "
          "council said.\n")
NODATE = ("Troops clash on the border\n\nTroops clashed on the border on Tuesday, officials "
          "said, in the worst fighting this year.\n")


def _utf16(bom: bool) -> bytes:
    data = accented("peaceful" if bom else "quiet").encode("utf-16-le")
    return (b"\xff\xfe" + data) if bom else data


def _deep_html() -> bytes:
    return (b"<html><body>" + b"<div>" * 5000 + b"<p>Deep text.</p>" + b"</div>" * 5000
            + b"</body></html>")


def _jsonl_with_bad_line() -> bytes:
    lines = [json.dumps(jsonl_record(article_parts(i, seed=7))) for i in range(5)]
    lines.insert(2, '{"id": "broken", "text": "unterminated')
    return ("\n".join(lines) + "\n").encode()


def _jsonl_with_huge_line(folder: Path) -> Path:
    path = folder / "huge-line.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(jsonl_record(article_parts(1, seed=8))) + "\n")
        fh.write('{"id": "huge", "text": "' + "word " * (21 * MB // 5) + '"}\n')
        fh.write(json.dumps(jsonl_record(article_parts(2, seed=8))) + "\n")
    return path


def _truncated_gzip() -> bytes:
    import gzip

    data = gzip.compress(ARTICLE.encode() * 20)
    return data[: len(data) // 2]


def _corrupt_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", ARTICLE)
    data = bytearray(buf.getvalue())
    data[30:60] = b"\xff" * 30  # member name and data destroyed
    del data[len(data) // 2:]  # central directory gone
    return bytes(data)


def _zip_bomb(folder: Path) -> Path:
    path = folder / "bomb.zip"
    chunk = b"a" * MB
    with (zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf,
          zf.open("payload.txt", "w") as member):
        for _ in range(64):
            member.write(chunk)
    return path


def _office(folder: Path) -> Path:
    path = folder / "report.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    return path


def _big_file(folder: Path) -> Path:
    path = folder / "huge.txt"
    with open(path, "wb") as fh:
        fh.write(ARTICLE.encode())
        fh.truncate(50 * MB)
    return path


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return path


def _dangling(folder: Path) -> Path:
    path = folder / "dangling.txt"
    os.symlink(folder / "does-not-exist.txt", path)
    return path


def _latin1_name(name: bytes, data: bytes) -> Callable[[Path], Path]:
    """A file whose name is not UTF-8 (Python sees lone surrogates in it)."""
    def build(folder: Path) -> Path:
        path = os.path.join(os.fsencode(folder), name)
        with open(path, "wb") as fh:
            fh.write(data)
        return Path(os.fsdecode(path))
    return build


def _corrupt_warc() -> bytes:
    pages = [(f"https://example.org/{i}", html_page(article_parts(i, seed=5))) for i in range(2)]
    data = warc_bytes(pages, extra_records=False)
    return data + b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999\r\n\r\ngarbage"


def _check_accents(arts: list) -> None:
    assert "Montréal" in arts[0].headline and "Montréal" in arts[0].text


def _check_smart(arts: list) -> None:
    assert "\u201cfoolish\u201d" in arts[0].text


def _check_mojibake(arts: list) -> None:
    assert "\u2018bhoomi pujan\u2019" in arts[0].text  # repaired, not kept as mojibake


def _check_french(arts: list) -> None:
    assert arts[0].language == "fr"
    assert arts[0].published is not None and arts[0].published.year == 2016


def _check_future(arts: list) -> None:
    assert arts[0].published.year == 2099


def _check_nodate(arts: list) -> None:
    assert arts[0].published is None and arts[0].headline == "Troops clash on the border"


BAD_INPUTS: list[BadInput] = [
    BadInput("binary_png", "image.png",
             _write("image.png", b"\x89PNG\r\n\x1a\n" + os.urandom(2000)), 1, 0,
             "binary file (PNG image)"),
    BadInput("binary_unknown", "blob.dat", _write("blob.dat", bytes(range(256)) * 40), 1, 0,
             "binary file"),
    BadInput("binary_as_html", "photo.html", _write("photo.html", b"\xff\xd8\xff\xe0" + bytes(500)),
             1, 0, "binary file"),
    BadInput("utf16_bom", "utf16-bom.txt", _write("utf16-bom.txt", _utf16(True)), 0, 1,
             check=_check_accents),
    BadInput("utf16_no_bom", "utf16-nobom.txt", _write("utf16-nobom.txt", _utf16(False)), 0, 1,
             check=_check_accents),
    BadInput("latin1", "latin1.txt", _write("latin1.txt", accented("loud").encode("latin-1")), 0, 1,
             check=_check_accents),
    BadInput("cp1252", "cp1252.txt", _write("cp1252.txt", SMART.encode("cp1252")), 0, 1,
             check=_check_smart),
    BadInput("mojibake", "mojibake.txt", _write("mojibake.txt", MOJIBAKE.encode("utf-8")), 0, 1,
             check=_check_mojibake),
    BadInput("empty", "empty.txt", _write("empty.txt", b""), 1, 0, "empty file"),
    BadInput("blank", "blank.txt", _write("blank.txt", b"  \n\n \t \n"), 1, 0, "empty file"),
    BadInput("html_no_article", "menu.html", _write(
        "menu.html", b"<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
                     b"<footer>(c) 2016</footer></body></html>"), 1, 0, "no article text"),
    BadInput("html_deep", "deep.html", _write("deep.html", _deep_html()), 1, 0, "nested"),
    BadInput("jsonl_bad_line", "mixed.jsonl", _write("mixed.jsonl", _jsonl_with_bad_line()), 1, 5,
             "invalid JSON"),
    BadInput("jsonl_huge_line", "huge-line.jsonl", _jsonl_with_huge_line, 1, 2, "longer than",
             tags={"slow"}),
    BadInput("json_truncated", "cut.json", _write("cut.json", b'[{"text": "Troops clashed'),
             1, 0, "invalid JSON"),
    BadInput("gzip_truncated", "cut.txt.gz", _write("cut.txt.gz", _truncated_gzip()), 1, 0,
             "truncated or corrupt compressed data"),
    BadInput("zip_corrupt", "broken.zip", _write("broken.zip", _corrupt_zip()), 1, 0,
             "corrupt zip"),
    BadInput("zip_bomb", "bomb.zip", _zip_bomb, 1, 0, "max_", tags={"slow"}),
    BadInput("office_document", "report.docx", _office, 1, 0, "Office document"),
    BadInput("file_50mb", "huge.txt", _big_file, 1, 0, "over the 20.0 MB limit"),
    BadInput("fifo", "pipe.txt", _fifo, 1, 0, "not a regular file"),
    BadInput("dangling_symlink", "dangling.txt", _dangling, 1, 0, "no such file"),
    BadInput("warc_corrupt_record", "crawl.warc", _write("crawl.warc", _corrupt_warc()), 1, 2,
             "corrupt WARC record"),
    BadInput("feed_invalid_xml", "broken.rss", _write(
        "broken.rss", b"<?xml version='1.0'?><rss><channel><title>x</title><<<>>"), 1, 0,
        "invalid feed XML"),
    BadInput("non_utf8_name", "caf\ufffd.txt",
             _latin1_name(b"caf\xe9.txt", accented("named").encode()), 0, 1),
    BadInput("non_utf8_name_binary", "bl\ufffdb.bin", _latin1_name(b"bl\xe9b.bin", bytes(300)), 1,
             0, "binary file"),
    BadInput("no_date", "nodate.txt", _write("nodate.txt", NODATE.encode()), 0, 1,
             check=_check_nodate),
    BadInput("future_date", "future.txt", _write("future.txt", FUTURE.encode()), 0, 1,
             check=_check_future),
    BadInput("other_language", "french.txt", _write("french.txt", FRENCH.encode()), 0, 1,
             check=_check_french),
]


def build_all(folder: Path, kinds: set[str] | None = None) -> list[BadInput]:
    """Write every bad input (or those of ``kinds``) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for bad in BAD_INPUTS:
        if kinds is None or bad.kind in kinds:
            bad.build(folder)
            out.append(bad)
    return out
