"""Publication dates for articles that carry none: a metadata file joined by id, or one
date for the whole batch.

Some collections keep the text and its metadata apart: IndiaPoliceEvents ships
``docs.jsonl`` (``doc_id``, ``doc_text``) beside ``metadata.jsonl`` (``doc_id``, ``date``,
``url``). An article read without a date is never dated by the day it was ingested; it
takes, in this order:

1. its own date (the JSON Lines date field, a date line, a dateline, the file name);
2. the date of its id in a metadata file: the ones given (``--metadata FILE``), else a
   ``metadata.jsonl`` (or ``.jsonl.gz``) in the folder of the file it was read from (the
   IndiaPoliceEvents layout; such a file is then a metadata file, not articles);
3. the batch date (``--date YYYY-MM-DD``);
4. else none: its events are dated by what their text says, else ``date: null`` with
   ``date_precision: "unknown"``.

A metadata file is JSON Lines (or a JSON array) of objects with an id field (the
``--id-field``, else ``id``, ``doc_id``, ``article_id``, ``guid``, ``uuid``, ``_id``) and a
date field (``--date-field``, else the usual names); a ``url`` fills a missing URL.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from dateline.ingest.dates import parse_date
from dateline.ingest.jsonl import DATE_FIELDS, ID_FIELDS, URL_FIELDS, _pick
from dateline.ingest.options import ReadOptions
from dateline.model import Article

SIBLING_NAMES = ("metadata.jsonl", "metadata.jsonl.gz")
MAX_METADATA_BYTES = 512 * 1024 * 1024


@dataclass
class _Row:
    published: datetime | None
    url: str | None


def read_metadata(path: str, options: ReadOptions | None = None) -> dict[str, _Row]:
    """id -> (date, url) of a metadata file; lines that are no object or carry no id are
    skipped. Raises OSError when the file cannot be read, ValueError when it holds no
    usable row."""
    options = options or ReadOptions()
    opener = gzip.open if path.endswith(".gz") else open
    out: dict[str, _Row] = {}
    with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
        head = fh.read(1)
        fh.seek(0)
        if head == "[":
            rows: Iterable = json.loads(fh.read(MAX_METADATA_BYTES))
        else:
            rows = (_loads(line) for line in fh)
        for row in rows:
            if not isinstance(row, dict):
                continue
            ident = _pick(row, options.id_field, ID_FIELDS)
            if ident is None or isinstance(ident, (dict, list)):
                continue
            url = _pick(row, options.url_field, URL_FIELDS)
            out[str(ident)] = _Row(parse_date(_pick(row, options.date_field, DATE_FIELDS)),
                                   url if isinstance(url, str) else None)
    if not out:
        raise ValueError(f"{path}: no rows with an id field")
    return out


def _loads(line: str) -> object:
    try:
        return json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        return None


def sibling_metadata(path: str) -> str | None:
    """The metadata file beside an input file, if there is one (and it is not the file)."""
    folder = os.path.dirname(os.path.abspath(path))
    for name in SIBLING_NAMES:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate) and os.path.abspath(path) != candidate:
            return candidate
    return None


@dataclass
class DateFiller:
    """Gives articles without a publication date one (see the module docstring) and
    counts what it did."""

    options: ReadOptions = field(default_factory=ReadOptions)
    joined: dict[str, _Row] = field(default_factory=dict)  # from the files given
    by_folder: dict[str, dict[str, _Row]] = field(default_factory=dict)  # found beside inputs
    from_metadata: int = 0
    from_batch: int = 0
    undated: int = 0

    @classmethod
    def create(cls, options: ReadOptions | None, files: Sequence[str]) -> tuple[DateFiller, list[str]]:
        """The filler for an ingest of ``files``, and the files left to read as articles
        (an auto-detected metadata file is not read as articles). Raises OSError /
        ValueError for a metadata file given that cannot be used."""
        options = options or ReadOptions()
        filler = cls(options)
        for path in options.metadata:
            filler.joined.update(read_metadata(os.fspath(path), options))
        metadata_files: set[str] = set()
        if options.auto_metadata and not options.metadata:
            for path in files:
                found = sibling_metadata(path)
                folder = os.path.dirname(os.path.abspath(path))
                if found and folder not in filler.by_folder:
                    try:
                        filler.by_folder[folder] = read_metadata(found, options)
                    except (OSError, ValueError, UnicodeError):
                        continue
                if found and folder in filler.by_folder:
                    metadata_files.add(found)
        given = {os.path.abspath(os.fspath(p)) for p in options.metadata}
        rest = [p for p in files if os.path.abspath(p) not in metadata_files | given]
        # a metadata file alone in its folder (nothing else read there) is read as articles
        folders_read = {os.path.dirname(os.path.abspath(p)) for p in rest}
        for meta in sorted(metadata_files):
            if os.path.dirname(meta) not in folders_read:
                filler.by_folder.pop(os.path.dirname(meta), None)
                rest.append(next(p for p in files if os.path.abspath(p) == meta))
        return filler, rest

    def fill(self, article: Article) -> Article:
        if article.published is not None:
            return article
        row = self._row(article)
        if row is not None and row.published is not None:
            self.from_metadata += 1
            return replace(article, published=row.published, url=article.url or row.url)
        if self.options.default_date is not None:
            self.from_batch += 1
            return replace(article, published=self.options.default_date)
        self.undated += 1
        return article

    def _row(self, article: Article) -> _Row | None:
        row = self.joined.get(article.id)
        if row is None and self.by_folder and article.origin:
            origin = article.origin.split("!", 1)[0]
            folder = os.path.dirname(os.path.abspath(origin.rsplit(":", 1)[0]))
            row = self.by_folder.get(folder, {}).get(article.id)
        return row
