"""Dateline: news articles in, political event data out.

For notebooks: ``store = dateline.open("events.duckdb")``, then ``store.events(...)``,
``store.series(...)``, ``store.dyads(...)``, ``store.articles(...)`` — see docs/python.md.
Importing ``dateline`` loads nothing else (no spaCy, no DuckDB) until first use.
"""

from __future__ import annotations

from typing import Any

from dateline.version import __version__

__all__ = ["__version__", "open"]


def open(path: Any = "dateline.duckdb", read_only: bool = True, dicts: Any = ()) -> Any:
    """Open a Dateline store for analysis: a ``dateline.dataset.Dataset`` (read-only
    unless ``read_only=False``; ``dicts``: extra actor dictionaries for name look-ups)."""
    from dateline.dataset import Dataset

    return Dataset.open(path, read_only=read_only, dicts=dicts)
