"""Ingestion: news articles in any common shape → ``Article`` values (bad input → ``ReadError``).

``read_paths(paths, fmt=None, options=None)`` reads files, folders, globs, .gz and .zip;
``read_text`` / ``read_html`` / ``read_feed`` / ``read_jsonl`` / ``read_warc`` read one input
of a known format; ``read_bytes`` sniffs an in-memory input. ``dateline.ingest.pipeline.ingest``
stores what is read (and codes it when given a coder).
"""

from dateline.ingest.base import ReadContext
from dateline.ingest.dispatch import read_bytes, read_file
from dateline.ingest.feed import read_feed
from dateline.ingest.html import read_html
from dateline.ingest.jsonl import read_jsonl
from dateline.ingest.options import FORMATS, ReadOptions
from dateline.ingest.paths import expand_paths, read_paths
from dateline.ingest.text import parse_text, read_text
from dateline.ingest.warc import read_warc

__all__ = [
    "FORMATS", "ReadContext", "ReadOptions", "expand_paths", "parse_text", "read_bytes",
    "read_feed", "read_file", "read_html", "read_jsonl", "read_paths", "read_text", "read_warc",
]
