"""Beyond one machine: batch coding on Dask into a Parquet lake, and loading the lake.

- ``code_on_cluster(paths, cluster, out_dir, config)`` codes inputs on a Dask cluster
  (``local:N`` or ``tcp://host:8786``) into a lake partitioned by publication month;
  ``code_in_process`` writes the same lake without Dask.
- ``load_lake(store, lake_dir)`` brings a lake into a Store; ``lake_store(lake_dir)`` gives an
  in-memory Store with the lake loaded and deduplicated into events.

``partitions`` cuts the inputs, ``records`` reads one partition, ``lake`` writes and reads
the Parquet files, ``cluster`` runs the tasks. The Dask parts are imported on first use, so
loading a lake does not import ``distributed``.
"""

from __future__ import annotations

from typing import Any

from dateline.scale.lake import (
    LoadSummary,
    iter_lake_articles,
    iter_lake_mentions,
    lake_files,
    lake_store,
    load_lake,
)
from dateline.scale.partitions import DEFAULT_PARTITION_BYTES, Partition, Segment, plan_partitions

_CLUSTER_NAMES = ("code_on_cluster", "code_in_process", "ScaleSummary", "CoderPlugin",
                  "prepare_workers", "connect", "run_partition")

__all__ = [
    "DEFAULT_PARTITION_BYTES", "LoadSummary", "Partition", "Segment", "iter_lake_articles",
    "iter_lake_mentions", "lake_files", "lake_store", "load_lake", "plan_partitions",
    *_CLUSTER_NAMES,
]


def __getattr__(name: str) -> Any:
    if name in _CLUSTER_NAMES:
        from dateline.scale import cluster

        return getattr(cluster, name)
    raise AttributeError(f"module 'dateline.scale' has no attribute {name!r}")
