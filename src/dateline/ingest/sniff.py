"""Which reader a file needs: archive signatures, then ``--format``, the file name's
extension, and finally the first bytes."""

from __future__ import annotations

import re

from dateline.ingest.decode import binary_reason, bom_encoding, utf16_without_bom

EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".rss": "feed", ".atom": "feed",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".jsonlines": "jsonl",
    ".warc": "warc", ".arc": "warc",
}
ARCHIVES = ("gzip", "zip")
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:rdf|channel)\b")
_HTML_MARK = re.compile(r"<(?:!doctype\s+html|html|head|body|p|div|article|h1|title)\b")


def extension(name: str) -> str:
    base = name.rsplit("/", 1)[-1].rsplit("!", 1)[-1].lower()
    return "." + base.rsplit(".", 1)[-1] if "." in base else ""


def sniff(name: str, head: bytes, fmt: str | None = None) -> str:
    """'gzip', 'zip', a reader format, or 'binary: <reason>'."""
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if fmt:
        return fmt
    if head.startswith(b"WARC/"):
        return "warc"
    ext = extension(name)
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    enc, skip = bom_encoding(head)
    enc = enc or utf16_without_bom(head)
    if enc is None:
        if head[257:262] == b"ustar":
            return "binary: tar archive (unpack it, or pack the files as .zip)"
        reason = binary_reason(head)
        if reason:
            return "binary: " + reason
    text = head[skip:].decode(enc or "utf-8", errors="ignore").lstrip().lower()[:4000]
    if text.startswith("<"):
        if _FEED_ROOT.search(text):
            return "feed"
        if _HTML_MARK.search(text):
            return "html"
        return "feed" if ext == ".xml" or text.startswith("<?xml") else "html"
    if text.startswith(("{", "[")):
        return "jsonl"
    return "text"
