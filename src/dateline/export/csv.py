"""CSV: one row per event, the flat columns plus the Goldstein score; lists joined by ``;``."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from dateline.export.common import (
    FLAT_COLUMNS, LIST_COLUMNS, ExportSummary, atomic_file, prepare_file,
)
from dateline.export.goldstein import GoldsteinScale
from dateline.query import EventQuery, event_cursor
from dateline.query.db import Db

HEADER = (*FLAT_COLUMNS, "goldstein")
LIST_SEPARATOR = ";"


def _cell(column: str, value: Any) -> Any:
    if value is None:
        return ""
    if column in LIST_COLUMNS:
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def write_csv(db: Db, query: EventQuery, fh: TextIO, scale: GoldsteinScale | None = None
              ) -> int:
    """Write the header and the events of ``query`` to an open text file; the count."""
    scale = scale or GoldsteinScale.load()
    cameo_at = FLAT_COLUMNS.index("cameo")
    writer = csv.writer(fh)
    writer.writerow(HEADER)
    n = 0
    cur = event_cursor(db, query, ", ".join(FLAT_COLUMNS))
    try:
        while rows := cur.fetchmany(2000):
            for row in rows:
                g = scale.score(row[cameo_at])
                writer.writerow([*(_cell(c, v) for c, v in zip(FLAT_COLUMNS, row)),
                                 "" if g is None else g])
            n += len(rows)
    finally:
        cur.close()
    return n


def write(db: Db, query: EventQuery, out: str | Path, scale: GoldsteinScale | None = None,
          force: bool = False) -> ExportSummary:
    path = prepare_file(out, force)
    summary = ExportSummary("csv", [str(path)])
    with atomic_file(path, newline="") as fh:
        summary.events = write_csv(db, query, fh, scale)
    return summary
