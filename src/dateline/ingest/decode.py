"""Bytes to text: byte-order marks, UTF-16 without a BOM, UTF-8, then cp1252 / latin-1
line by line (a UTF-8 file with a few cp1252 lines keeps its UTF-8 lines).

Text is decoded, never rejected for its encoding; mojibake (UTF-8 text that was decoded as
cp1252 before it reached us: "wonâ€™t") is repaired with ftfy (``repair_mojibake``). Binary
data (NUL bytes, many control characters, known binary signatures) is refused with a reason.
"""

from __future__ import annotations

import codecs
import re

import ftfy

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

SIGNATURES = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
)

_SIGNATURE_PREFIXES = tuple(sig for sig, _ in SIGNATURES)
# bytes that never occur in text: C0 controls other than \t \n \v \f \r and ESC, and DEL
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]{2,40})""",
                           re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_\-.]{2,40})""")


class BinaryInput(ValueError):
    """The bytes are not text."""


def bom_encoding(data: bytes) -> tuple[str | None, int]:
    """The encoding named by a byte-order mark and the mark's length."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None, 0


def utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a BOM: mostly-ASCII text has a NUL in every other byte."""
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.4 and even_nul < 0.05:
        enc = "utf-16-le"
    elif even_nul > 0.4 and odd_nul < 0.05:
        enc = "utf-16-be"
    else:
        return None
    text = sample[: len(sample) // 2 * 2].decode(enc, errors="replace")
    printable = sum(1 for c in text if c.isprintable() or c in "\t\n\r")
    return enc if printable >= 0.95 * len(text) else None


def binary_reason(head: bytes) -> str | None:
    """Why these (first) bytes are not text, or None when they may be."""
    for sig, name in SIGNATURES if head.startswith(_SIGNATURE_PREFIXES) else ():
        if head.startswith(sig):
            if name == "Windows executable" and b"\x00" not in head[:512]:
                continue  # text that starts with "MZ"
            return f"binary file ({name})"
    sample = head[:8192]
    if b"\x00" in sample:
        return "binary file (NUL bytes)"
    if sample:
        controls = len(sample) - len(sample.translate(None, _CONTROL))
        if controls / len(sample) > 0.05:
            return "binary file (control characters)"
    return None


def declared_encoding(head: bytes) -> str | None:
    """The charset an HTML <meta> or an XML declaration names, when Python knows it."""
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head[:4096])
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def text_encoding(data: bytes) -> str | None:
    """The encoding of a text stream that cannot be read as bytes lines (UTF-16/32)."""
    enc, _ = bom_encoding(data)
    if enc and enc != "utf-8":
        return enc
    return utf16_without_bom(data)


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes to text; returns (text, encoding). Raises BinaryInput for non-text."""
    enc, skip = bom_encoding(data)
    if enc is None:
        enc = utf16_without_bom(data)
    if enc is not None:
        text = data[skip:].decode(enc, errors="replace")
        if text.count("\x00") > len(text) / 100:
            raise BinaryInput("binary file (NUL characters)")
        return text, enc
    reason = binary_reason(data)
    if reason:
        raise BinaryInput(reason)
    # strict UTF-8 almost never succeeds on other 8-bit text, so it goes first even when
    # a page declares another charset (a common mistake of web pages)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    fallback = "cp1252"
    if declared and declared not in ("utf-8", "ascii", "us-ascii"):
        try:  # a text encoding Python knows (not base64, rot13…)
            b"  ".decode(declared)
            fallback = declared
        except UnicodeDecodeError:
            fallback = declared
        except LookupError:
            pass
    return _decode_mixed(data, fallback), fallback


def _decode_mixed(data: bytes, fallback: str) -> str:
    """Text that is not all UTF-8. Files pasted together from several sources mix
    encodings: when some of it looks like UTF-8 (a multi-byte sequence), each line is
    read as UTF-8 when it is valid UTF-8 and only the other lines with ``fallback``, so
    one cp1252 line does not garble the rest."""
    try:  # no UTF-8 character at all (all its non-ASCII bytes are escaped): 8-bit text
        data.decode("utf-8", "surrogateescape").encode("ascii", "surrogateescape")
        return data.decode(fallback)
    except UnicodeError:
        pass
    return "".join(decode_line(line, fallback) for line in data.splitlines(keepends=True))


def decode_line(line: bytes, fallback: str = "cp1252") -> str:
    """One line of an 8-bit or UTF-8 stream (JSON Lines): UTF-8, else ``fallback``, else
    cp1252, else latin-1."""
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for name in dict.fromkeys((fallback, "cp1252")):
        try:
            return line.decode(name)
        except UnicodeDecodeError:
            continue
    return line.decode("latin-1")


# the marks of UTF-8 read as cp1252 or latin-1: "â€™", "Ã©", "Â "
_MOJIBAKE_HINT = re.compile("[\u00c2\u00c3][\u0080-\u00bf]|\u00e2[\u0080-\u00bf\u20ac]")
# a right double quote whose last byte (0x9d, no cp1252 character) was lost on the way
_LOST_QUOTE = "\u00e2\u20ac\ufffd"


def repair_mojibake(text: str) -> str:
    """``text`` with mojibake undone ("wonâ€™t" -> "won’t"); text without its marks is
    returned as it is, at once."""
    if not _MOJIBAKE_HINT.search(text):
        return text
    return ftfy.fix_encoding(text).replace(_LOST_QUOTE, "\u201d")
