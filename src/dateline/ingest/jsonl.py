"""JSON Lines: one article per line, streamed (any file size; one line is capped).

Field names are looked up in order: the name given in ReadOptions (``--text-field``
…) first, then the usual ones below. The text goes through the plain-text header
parser, so a "This story is from March 10, 2002" opening line becomes the date.
A file that is one JSON array of objects is read too (whole, so it is size-capped).

A file whose first records (``PROBE`` of them, or all when there are fewer) are JSON
objects without any article text holds something else (annotations, settings): it is
skipped as a whole with one ``NotArticles`` instead of an error per record.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import IO, Any

from dateline.ingest.base import ReadContext, build_article, join_paragraphs
from dateline.ingest.dates import parse_date
from dateline.ingest.decode import BinaryInput, binary_reason, decode, decode_line, text_encoding
from dateline.ingest.text import parse_text
from dateline.model import Article, NotArticles, ReadError

TEXT_FIELDS = ("text", "body", "doc_text", "full_text", "content", "article", "maintext",
               "article_text", "story")
ID_FIELDS = ("id", "doc_id", "article_id", "guid", "uuid", "_id")
TITLE_FIELDS = ("title", "headline")
DATE_FIELDS = ("date", "published", "publish_date", "published_at", "pubdate", "date_publish",
               "datetime", "timestamp", "publication_date")
URL_FIELDS = ("url", "link", "source_url", "permalink")
SOURCE_FIELDS = ("source", "publisher", "source_name", "site", "site_name", "outlet", "domain")
SECTION_FIELDS = ("section", "category")
AUTHOR_FIELDS = ("authors", "author", "byline")
LANGUAGE_FIELDS = ("language", "lang")
SUBTITLE_FIELDS = ("subtitle", "subheadline", "subheadlines", "dek")
PROBE = 5  # records looked at before a file is taken for one that holds no articles
_NO_TEXT = "no article text"


# The JSON types each known field may hold: the CLI reader and POST /articles (whose
# OpenAPI schema is built from this table) accept and refuse the same records.
FIELD_TYPES: dict[str, tuple[str, ...]] = {
    **{f: ("string",) for f in TEXT_FIELDS},
    **{f: ("string", "integer", "null") for f in ID_FIELDS},
    **{f: ("string", "integer", "number", "null") for f in DATE_FIELDS},
    **{f: ("string", "array", "null") for f in (*AUTHOR_FIELDS, *SUBTITLE_FIELDS)},
    **{f: ("string", "object", "null") for f in SOURCE_FIELDS},  # an object: its "name"
}
for _names in (TITLE_FIELDS, URL_FIELDS, SECTION_FIELDS, LANGUAGE_FIELDS):
    for _name in _names:
        FIELD_TYPES.setdefault(_name, ("string", "null"))
_PY_TYPES = {"string": str, "integer": int, "number": (int, float), "null": type(None)}
_JSON_NAMES = {bool: "boolean", str: "string", int: "integer", float: "number", list: "array",
               dict: "object", type(None): "null"}


def type_ok(value: Any, types: tuple[str, ...]) -> bool:
    """Whether a JSON value is of one of ``types`` (JSON Schema names; an array holds
    strings, an object has a string ``name``)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, float) and value.is_integer() and "integer" in types:
        return True  # JSON Schema: 3.0 is an integer
    if isinstance(value, list):
        return "array" in types and all(isinstance(v, str) for v in value)
    if isinstance(value, dict):
        return "object" in types and isinstance(value.get("name"), str)
    return any(isinstance(value, _PY_TYPES[t]) for t in types if t in _PY_TYPES)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        yield from (v for v in value if isinstance(v, str))
    elif isinstance(value, dict) and isinstance(value.get("name"), str):
        yield value["name"]


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def field_problem(name: str, value: Any, types: tuple[str, ...]) -> str | None:
    """Why a known field's value is refused, or None."""
    if not type_ok(value, types):
        return f"expected {' or '.join(types)}, got {_JSON_NAMES.get(type(value), 'value')}"
    if any(_has_surrogate(t) for t in _strings(value)):
        return "text with a lone surrogate (not valid Unicode)"
    if name in TEXT_FIELDS and not value.strip():
        return "empty text"
    if name in DATE_FIELDS and value is not None \
            and not (isinstance(value, str) and not value.strip()) and parse_date(value) is None:
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        return f"cannot read the date {shown} (a date from 1800 to 2199)"
    return None


def record_problem(record: dict[str, Any], options: Any = None) -> tuple[str, str] | None:
    """The first refused field of an article object and why (None: it is fine). The fields
    named by ``options`` (``--text-field`` …) are checked like the usual ones."""
    extra: dict[str, tuple[str, ...]] = {}
    if options is not None:
        for opt, names in (("text_field", TEXT_FIELDS), ("id_field", ID_FIELDS),
                           ("title_field", TITLE_FIELDS), ("date_field", DATE_FIELDS),
                           ("url_field", URL_FIELDS), ("source_field", SOURCE_FIELDS)):
            field = getattr(options, opt, None)
            if field and field not in FIELD_TYPES:
                extra[field] = FIELD_TYPES[names[0]]
    for name, value in record.items():
        types = FIELD_TYPES.get(name) or extra.get(name)
        if types is None:
            continue
        problem = field_problem(name if name in FIELD_TYPES else
                                _category(name, options), value, types)
        if problem is not None:
            return name, problem
    return None


def _category(name: str, options: Any) -> str:
    """The usual field a ``--*-field`` name stands for (its checks are that field's)."""
    for opt, names in (("text_field", TEXT_FIELDS), ("date_field", DATE_FIELDS)):
        if getattr(options, opt, None) == name:
            return names[0]
    return name


def _pick(record: dict[str, Any], preferred: str | None, names: tuple[str, ...]) -> Any:
    for name in ((preferred,) if preferred else ()) + names:
        value = record.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or value.get("text")
    if isinstance(value, list):
        value = "\n\n".join(_as_text(v) or "" for v in value)
    return value if isinstance(value, str) else (str(value) if value is not None else None)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [t for t in (_as_text(v) for v in value) if t]
    text = _as_text(value)
    return [text] if text else []


def record_article(record: Any, path: str, lineno: int | str,
                   ctx: ReadContext) -> Article | ReadError:
    """One JSON object as an Article (or a ReadError saying what is missing)."""
    if not isinstance(record, dict):
        return ReadError(path, f"JSON record is a {type(record).__name__}, not an object", lineno)
    opts = ctx.options
    problem = record_problem(record, opts)
    if problem is not None:  # the same records POST /articles refuses, named the same way
        return ReadError(path, f"field '{problem[0]}': {problem[1]}", lineno)
    raw = _as_text(_pick(record, opts.text_field, TEXT_FIELDS))
    if not raw or not raw.strip():
        return ReadError(path, f"{_NO_TEXT} (looked for fields {_text_fields(opts)})", lineno)
    parsed = parse_text(raw, opts.reference)
    if not parsed.paragraphs:
        return ReadError(path, "no article text", lineno)
    title = _as_text(_pick(record, opts.title_field, TITLE_FIELDS))
    subheadlines = _as_list(_pick(record, None, SUBTITLE_FIELDS))
    if title and parsed.headline and parsed.headline != title:
        subheadlines.insert(0, parsed.headline)
    published = parse_date(_pick(record, opts.date_field, DATE_FIELDS)) or parsed.published
    ident = _pick(record, opts.id_field, ID_FIELDS)
    if isinstance(ident, (dict, list)):
        ident = None
    return build_article(
        ctx, path=path, record=lineno, text=join_paragraphs(parsed.paragraphs),
        own_id=ident, headline=title or parsed.headline,
        subheadlines=subheadlines + parsed.subheadlines,
        source=_as_text(_pick(record, opts.source_field, SOURCE_FIELDS)) or parsed.source,
        url=_as_text(_pick(record, opts.url_field, URL_FIELDS)) or parsed.url,
        published=published,
        section=_as_text(_pick(record, None, SECTION_FIELDS)) or parsed.section,
        language=_as_text(_pick(record, None, LANGUAGE_FIELDS)) or parsed.language,
        authors=_as_list(_pick(record, None, AUTHOR_FIELDS)) or parsed.authors,
    )


def _text_fields(opts: Any) -> str:
    return ", ".join(((opts.text_field,) if opts.text_field else ()) + TEXT_FIELDS[:4])


def _without_text(item: Article | ReadError) -> bool:
    return isinstance(item, ReadError) and item.reason.startswith(_NO_TEXT + " (looked")


def _broken(item: Article | ReadError) -> bool:
    return isinstance(item, ReadError) and item.reason.startswith("invalid JSON")


def _unless_no_articles(items: Iterator[Article | ReadError], path: str,
                        ctx: ReadContext) -> Iterator[Article | ReadError]:
    """``items``, or one NotArticles when the first PROBE records (all, if fewer) are
    objects without article text (broken lines count neither way)."""
    head: list[Article | ReadError] = []
    textless = 0
    for item in items:
        head.append(item)
        if _without_text(item):
            textless += 1
            if textless >= PROBE:
                break
        elif not _broken(item):
            break  # an article, or a record with another problem: a file of articles
    if textless and all(_without_text(i) or _broken(i) for i in head):
        yield NotArticles(path, f"holds no articles: {_NO_TEXT} in its records (looked for "
                                f"fields {_text_fields(ctx.options)}; --text-field names another)")
        return
    yield from head
    yield from items


def _byte_lines(stream: IO[bytes], cap: int, lineno: int = 0) -> Iterator[tuple[int, str | None]]:
    """(line number, text) per line; text None for a line over ``cap`` bytes (skipped).
    ``lineno``: lines before the stream's start (a part of a file read on its own)."""
    while True:
        line = stream.readline(cap + 1)
        if not line:
            return
        lineno += 1
        if len(line) > cap and not line.endswith(b"\n"):
            while True:  # skip the rest of the over-long line without holding it
                chunk = stream.readline(1 << 20)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield lineno, None
            continue
        text = decode_line(line)
        yield lineno, text.lstrip("\ufeff") if lineno == 1 else text  # a UTF-8 BOM


def _text_lines(stream: IO[bytes], encoding: str, cap: int) -> Iterator[tuple[int, str | None]]:
    wrapper = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline=None)
    lineno = 0
    while True:
        line = wrapper.readline(cap + 1)
        if not line:
            return
        lineno += 1
        if len(line) > cap and not line.endswith("\n"):
            while True:
                chunk = wrapper.readline(1 << 20)
                if not chunk or chunk.endswith("\n"):
                    break
            yield lineno, None
            continue
        yield lineno, line.lstrip("\ufeff") if lineno == 1 else line


def _peek(stream: IO[bytes], n: int) -> bytes:
    peek = getattr(stream, "peek", None)
    if peek is not None:
        return peek(n)[:n]
    pos = stream.tell()
    head = stream.read(n)
    stream.seek(pos)
    return head


def read_jsonl(data: bytes | str | IO[bytes], path: str = "<jsonl>",
               ctx: ReadContext | None = None) -> Iterator[Article | ReadError]:
    """Articles of a JSON Lines stream (bytes, str or a binary file object)."""
    ctx = ctx or ReadContext.create()
    if isinstance(data, str):
        data = data.encode("utf-8")
    stream: IO[bytes] = io.BufferedReader(io.BytesIO(data)) if isinstance(data, bytes) else data
    cap = ctx.options.max_record_bytes
    head = _peek(stream, 4096)
    encoding = text_encoding(head)
    reason = None if encoding else binary_reason(head)
    if reason:
        yield ReadError(path, reason)
        return
    if _is_document(head, encoding):
        yield from _unless_no_articles(_read_document(stream, path, ctx), path, ctx)
        return
    lines = _text_lines(stream, encoding, cap) if encoding else _byte_lines(stream, cap)
    yield from _unless_no_articles(_records(lines, path, ctx, cap), path, ctx)


def _is_document(head: bytes, encoding: str | None) -> bool:
    """Whether a JSON input is one whole document (an array, or one object over lines)."""
    first = head.decode(encoding or "utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    return first.startswith(("[", "{\n", "{\r"))


def splittable(head: bytes) -> bool:
    """Whether JSON Lines starting with ``head`` (its first 4,096 bytes or more) may be read
    in parts (``read_jsonl_part``): 8-bit lines (not UTF-16/32), not binary, not a document."""
    head = head[:4096]
    return (text_encoding(head) is None and binary_reason(head) is None
            and not _is_document(head, None))


def read_jsonl_part(stream: IO[bytes], path: str, lineno: int,
                    ctx: ReadContext) -> Iterator[Article | ReadError]:
    """Articles of a run of whole lines of a ``splittable`` JSON Lines file, ``lineno``
    lines after its start: what ``read_jsonl`` of the whole file yields for those lines
    (a file that holds no articles is told from its first part only)."""
    cap = ctx.options.max_record_bytes
    records = _records(_byte_lines(stream, cap, lineno), path, ctx, cap)
    yield from _unless_no_articles(records, path, ctx) if lineno == 0 else records


def _records(lines: Iterator[tuple[int, str | None]], path: str, ctx: ReadContext,
             cap: int) -> Iterator[Article | ReadError]:
    for lineno, line in lines:
        if line is None:
            yield ReadError(path, f"line longer than {cap:,} bytes (max_record_bytes)", lineno)
            continue
        line = line.strip()
        if not line:
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", lineno)
            continue
        except RecursionError:
            yield ReadError(path, "invalid JSON: nested too deeply", lineno)
            continue
        yield record_article(record, path, lineno, ctx)


def _read_document(stream: IO[bytes], path: str, ctx: ReadContext) -> Iterator[Article | ReadError]:
    """A whole JSON document: an array of article objects, or one object."""
    cap = ctx.options.max_file_bytes
    data = stream.read(cap + 1)
    if len(data) > cap:
        yield ReadError(path, f"JSON document over {cap / 2**20:.0f} MB; use JSON Lines to stream")
        return
    try:
        text, _ = decode(data)
    except BinaryInput as exc:
        yield ReadError(path, str(exc))
        return
    try:
        doc = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        yield ReadError(path, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    except RecursionError:
        yield ReadError(path, "invalid JSON: nested too deeply")
        return
    items = doc if isinstance(doc, list) else [doc]
    for i, item in enumerate(items, start=1):
        yield record_article(item, path, i, ctx)
