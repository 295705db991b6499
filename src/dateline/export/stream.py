"""Exports as streams of bytes, for ``GET /export`` and the Python API: the same formats and
columns as ``dateline export`` writes to files, produced while the events are read.

``stream(db, fmt, query)`` returns a ``Download``: its media type, a file name and an
iterator of byte chunks. CSV, PLOVER JSON Lines and GeoJSON are written as the rows come;
GDELT (a zip of ``events.tsv`` and ``mentions.tsv``) and Parquet (one file, not partitioned)
are built in a temporary folder first and then sent in chunks, the folder removed at the end.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from dateline.export.common import FLAT_COLUMNS
from dateline.export.csv import HEADER, _cell
from dateline.export.goldstein import GoldsteinScale
from dateline.query import EventQuery, event_cursor, iter_with_mentions
from dateline.query.db import Db

CHUNK = 64 * 1024
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "plover": "application/x-ndjson",
    "geojson": "application/geo+json",
    "gdelt": "application/zip",
    "parquet": "application/vnd.apache.parquet",
}
SUFFIXES = {"csv": "csv", "plover": "jsonl", "geojson": "geojson", "gdelt": "zip",
            "parquet": "parquet"}
FORMATS = tuple(MEDIA_TYPES)


@dataclass
class Download:
    format: str
    media_type: str
    filename: str
    chunks: Iterator[bytes]


def stream(db: Db, fmt: str, query: EventQuery, scale: GoldsteinScale | None = None,
           name: str = "dateline-events") -> Download:
    """The events of ``query`` in format ``fmt`` as byte chunks (see the module)."""
    if fmt not in MEDIA_TYPES:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    scale = scale or GoldsteinScale.load()
    makers: dict[str, Callable[[], Iterator[bytes]]] = {
        "csv": lambda: _csv(db, query, scale),
        "plover": lambda: _plover(db, query, scale),
        "geojson": lambda: _geojson(db, query, scale),
        "gdelt": lambda: _gdelt(db, query, scale),
        "parquet": lambda: _parquet(db, query, scale),
    }
    return Download(fmt, MEDIA_TYPES[fmt], f"{name}.{SUFFIXES[fmt]}", makers[fmt]())


def _buffered(pieces: Iterator[str]) -> Iterator[bytes]:
    buf: list[str] = []
    size = 0
    for piece in pieces:
        buf.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield "".join(buf).encode("utf-8")
            buf, size = [], 0
    if buf:
        yield "".join(buf).encode("utf-8")


def _csv(db: Db, query: EventQuery, scale: GoldsteinScale) -> Iterator[bytes]:
    def pieces() -> Iterator[str]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(HEADER)
        cameo_at = FLAT_COLUMNS.index("cameo")
        cur = event_cursor(db, query, ", ".join(FLAT_COLUMNS))
        try:
            while rows := cur.fetchmany(1000):
                for row in rows:
                    g = scale.score(row[cameo_at])
                    writer.writerow([*(_cell(c, v) for c, v in zip(FLAT_COLUMNS, row)),
                                     "" if g is None else g])
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        finally:
            cur.close()
        yield out.getvalue()

    return _buffered(pieces())


def _plover(db: Db, query: EventQuery, scale: GoldsteinScale) -> Iterator[bytes]:
    from dateline.export.plover import record

    coded = datetime.now(timezone.utc).date().isoformat()

    def pieces() -> Iterator[str]:
        for event, mentions in iter_with_mentions(db, query):
            yield json.dumps(record(event, mentions, scale, coded), ensure_ascii=False) + "\n"

    return _buffered(pieces())


def _geojson(db: Db, query: EventQuery, scale: GoldsteinScale) -> Iterator[bytes]:
    from dateline.export.geojson import feature

    def pieces() -> Iterator[str]:
        yield '{"type": "FeatureCollection", "features": [\n'
        first = True
        for event, mentions in iter_with_mentions(db, query):
            f = feature(event, scale, mentions)
            if f is None:
                continue
            yield ("" if first else ",\n") + json.dumps(f, ensure_ascii=False)
            first = False
        yield "\n]}\n"

    return _buffered(pieces())


def _file_chunks(path: Path, folder: Path) -> Iterator[bytes]:
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _gdelt(db: Db, query: EventQuery, scale: GoldsteinScale) -> Iterator[bytes]:
    from dateline.export import gdelt

    folder = Path(tempfile.mkdtemp(prefix="dateline-export-"))
    try:
        gdelt.write(db, query, folder / "gdelt", scale=scale)
        target = folder / "gdelt.zip"
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for name in (gdelt.EVENTS_FILE, gdelt.MENTIONS_FILE):
                z.write(folder / "gdelt" / name, name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return _file_chunks(target, folder)


def _parquet(db: Db, query: EventQuery, scale: GoldsteinScale) -> Iterator[bytes]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(tempfile.mkdtemp(prefix="dateline-export-"))
    target = folder / "events.parquet"
    try:
        # a cursor of its own: the filters' own look-ups may have left a result on db
        cur = event_cursor(db, query, ", ".join(FLAT_COLUMNS))
        with warnings.catch_warnings():  # "an extra copy of the rows": one batch at a time
            warnings.simplefilter("ignore", UserWarning)
            reader = cur.to_arrow_reader(50_000)
        try:
            schema = reader.schema.append(pa.field("goldstein", pa.float64()))
            with pq.ParquetWriter(target, schema) as writer:
                for batch in reader:
                    cameo = batch.column("cameo").to_pylist()
                    g = pa.array([scale.score(c) for c in cameo], pa.float64())
                    writer.write_batch(pa.RecordBatch.from_arrays(
                        [*(batch.column(n) for n in FLAT_COLUMNS), g], schema=schema))
        finally:
            reader.close()
            cur.close()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return _file_chunks(target, folder)


def read_all(download: Download) -> bytes:
    """Every chunk joined (for tests and small exports)."""
    return b"".join(download.chunks)


__all__ = ["Download", "FORMATS", "MEDIA_TYPES", "read_all", "stream"]
