"""ReadOptions: the knobs every reader shares (JSONL field mapping, size caps, language)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MB = 1024 * 1024

FORMATS = ("text", "html", "feed", "jsonl", "warc")  # the names of dispatch.READERS


@dataclass(frozen=True)
class ReadOptions:
    """How to read inputs.

    The ``*_field`` options name the JSON Lines field to take first for each
    article property (the usual names are still tried after it).

    Size caps (bytes): a text, HTML or feed file is read whole, so it is refused
    above ``max_file_bytes``; JSON Lines and WARC are streamed, so any file size
    is fine, but one line or one WARC record above ``max_record_bytes`` is
    refused. ``max_archive_bytes`` caps what one .gz/.zip may decompress to (zip
    bombs; config ``max_inflated_bytes``), ``max_ratio`` the compression ratio of
    one gzip stream or zip member, checked while inflating (config
    ``max_compression_ratio``), and ``max_depth`` the nesting of archives inside
    archives.
    """

    text_field: str | None = None
    id_field: str | None = None
    title_field: str | None = None
    date_field: str | None = None
    url_field: str | None = None
    source_field: str | None = None
    max_file_bytes: int = 20 * MB
    max_record_bytes: int = 20 * MB
    max_archive_bytes: int = 1024 * MB
    max_archive_members: int = 100_000
    max_ratio: int = 100
    max_depth: int = 3
    detect_language: bool = True
    # the date a year-less dateline ("BEIRUT, Dec 6 (Reuters)") is resolved against when
    # neither the article nor its file name gives one; None: the file's modification time
    reference: datetime | None = None
    # publication dates for articles without one (dateline.ingest.metadata): metadata
    # files joined by id, a metadata.jsonl found beside an input (auto_metadata), and
    # one date for the whole batch; an article keeps its own date first
    metadata: tuple[str, ...] = ()
    auto_metadata: bool = True
    default_date: datetime | None = None
