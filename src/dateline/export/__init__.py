"""Export writers by name: gdelt, plover, csv, parquet, geojson.

Each writer is ``write(db, query, out, scale=None, force=False) -> ExportSummary``: it writes
the events ``query`` selects (same filters as ``dateline events``; the query's limit applies
if set) to ``out`` — a file, or a folder for ``parquet`` (partitioned by month) and ``gdelt``
(events + mentions tables).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType

from dateline.export import csv as csv_writer
from dateline.export import gdelt, geojson, parquet, plover
from dateline.export.common import ExportError, ExportSummary
from dateline.export.goldstein import GoldsteinScale
from dateline.query import EventQuery
from dateline.query.db import Db

Writer = Callable[..., ExportSummary]

WRITERS: MappingProxyType[str, Writer] = MappingProxyType({
    "gdelt": gdelt.write,
    "plover": plover.write,
    "csv": csv_writer.write,
    "parquet": parquet.write,
    "geojson": geojson.write,
})
FOLDER_FORMATS = frozenset({"gdelt", "parquet"})
FORMATS = tuple(WRITERS)


def export(db: Db, fmt: str, query: EventQuery, out: str | Path, force: bool = False,
           scale: GoldsteinScale | None = None) -> ExportSummary:
    """Write the events of ``query`` in format ``fmt`` to ``out``."""
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}") from None
    return writer(db, query, out, scale=scale, force=force)


__all__ = ["ExportError", "ExportSummary", "FOLDER_FORMATS", "FORMATS", "GoldsteinScale",
           "WRITERS", "export"]
