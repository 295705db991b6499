"""Parquet: the flat event columns (lists as list<string>) plus Goldstein, written with
pyarrow as a Hive-partitioned dataset, one folder per month: ``OUT/month=2016-12/part-0.parquet``
(events without a date go to ``month=undated``)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

from dateline.export.common import (
    FLAT_COLUMNS, ExportSummary, prepare_folder, swap_into, work_folder,
)
from dateline.export.goldstein import GoldsteinScale
from dateline.query import EventQuery, event_relation
from dateline.query.db import Db

UNDATED = "undated"
BATCH_ROWS = 50_000


def write(db: Db, query: EventQuery, out: str | Path, scale: GoldsteinScale | None = None,
          force: bool = False) -> ExportSummary:
    folder = prepare_folder(out, ("month=*",), force)
    summary = ExportSummary("parquet")
    work = work_folder(folder)  # written there, moved in when complete (swap_into)
    try:
        _write_dataset(db, query, work, scale, summary)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    swap_into(folder, work, ("month=*",))
    summary.paths = sorted(str(p) for p in folder.glob("month=*/*.parquet"))
    return summary


def _write_dataset(db: Db, query: EventQuery, folder: Path, scale: GoldsteinScale | None,
                   summary: ExportSummary) -> None:
    scale = scale or GoldsteinScale.load()
    columns = ", ".join(FLAT_COLUMNS) + \
        f", coalesce(strftime(date, '%Y-%m'), '{UNDATED}') AS month"
    reader = event_relation(db, query, columns).to_arrow_reader(BATCH_ROWS)
    try:
        schema = reader.schema.append(pa.field("goldstein", pa.float64()))
        # keep the partition column last, where readers expect it
        schema = schema.remove(schema.get_field_index("month")).append(pa.field("month",
                                                                                pa.string()))

        def batches() -> Iterator[pa.RecordBatch]:
            for batch in reader:
                summary.events += batch.num_rows
                cameo = batch.column("cameo").to_pylist()
                goldstein = pa.array([scale.score(c) for c in cameo], pa.float64())
                cols = [batch.column(n) for n in FLAT_COLUMNS]
                yield pa.RecordBatch.from_arrays([*cols, goldstein, batch.column("month")],
                                                 schema=schema)

        ds.write_dataset(
            batches(), folder, schema=schema, format="parquet",
            partitioning=ds.partitioning(pa.schema([("month", pa.string())]), flavor="hive"),
            basename_template="part-{i}.parquet", existing_data_behavior="overwrite_or_ignore",
            max_rows_per_group=BATCH_ROWS)
    finally:
        reader.close()
