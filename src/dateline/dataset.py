"""The Python API for notebooks: ``dateline.open(path)`` gives a ``Dataset`` over a store.

    import dateline
    store = dateline.open("events.duckdb")
    aleppo = store.events(type="ASSAULT", place="Aleppo", since="2016-12-01")
    aleppo.to_pandas()                       # one row per event, flat columns
    store.series(by="week", per="admin1", country="SYR").to_arrow()

Every method takes the filters of ``dateline events`` / ``GET /events`` as keyword
arguments (``type``, ``mode``, ``quad``, ``actor``, ``recipient``, ``country``, ``place``,
``near``, ``since``, ``until``, ``min_sources``, ``negated``, ``modality``, ``q``), as text
or Python values (lists, dates, booleans), checked by the same parsers: a bad value raises
``dateline.query.QueryError`` naming it. Answers are ``Rows``: a list of plain dicts (the
JSON shapes of the HTTP API) with ``to_arrow()`` and ``to_pandas()`` (pandas is the optional
extra ``pip install 'dateline[pandas]'``). See docs/python.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from dateline.query import EventQuery

__all__ = ["Dataset", "Rows", "open_dataset"]


class Rows(list):
    """Records (dicts) with table conversions. ``columns`` fixes the column order;
    ``arrow`` (if given) builds the Arrow table itself (flat event columns)."""

    def __init__(self, records: Iterable[dict[str, Any]] = (), columns: list[str] | None = None,
                 arrow: Any = None) -> None:
        super().__init__(records)
        self.columns = columns
        self._arrow = arrow

    def to_arrow(self) -> Any:
        """A ``pyarrow.Table``: nested values become Arrow structs and lists."""
        import pyarrow as pa

        if self._arrow is not None:
            return self._arrow()
        if not self:
            return pa.table({c: pa.array([], pa.null()) for c in self.columns or []})
        if self.columns:
            return pa.Table.from_pylist([{c: r.get(c) for c in self.columns} for r in self])
        return pa.Table.from_pylist(list(self))

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame`` (needs pandas: ``pip install 'dateline[pandas]'``)."""
        try:
            import pandas  # noqa: F401
        except ImportError:
            raise ImportError("to_pandas needs pandas: pip install 'dateline[pandas]'") from None
        return self.to_arrow().to_pandas()

    def __repr__(self) -> str:
        head = ", ".join(repr(r) for r in self[:2])
        more = f", … {len(self) - 2} more" if len(self) > 2 else ""
        return f"Rows([{head}{more}])"


def _query(filters: dict[str, Any], **extra: Any) -> EventQuery:
    values = {k: v for k, v in filters.items() if v is not None}
    limit = extra.pop("limit", None)
    q = EventQuery.parse(values, limit=None, max_page_size=10_000_000, **extra)
    return replace(q, limit=limit)


class Dataset:
    """A store opened for analysis (read-only by default)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    @classmethod
    def open(cls, path: str | Path = "dateline.duckdb", read_only: bool = True,
             dicts: Iterable[str] = ()) -> Dataset:
        """Open the DuckDB store at ``path``; ``dicts``: extra actor dictionaries for name
        look-ups (as the coder's ``--dict``)."""
        from dateline.query.actors import use_dictionaries
        from dateline.store import Store

        path = Path(path)
        if str(path) != ":memory:" and not path.exists():
            raise FileNotFoundError(f"no store at {path} (run `dateline ingest` first)")
        if dicts:
            use_dictionaries(list(dicts))
        return cls(Store.open(path, read_only=read_only))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Dataset:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- events --------------------------------------------------------------------------
    def events(self, sort: str = "-date", limit: int | None = None, **filters: Any) -> Rows:
        """Events matching the filters (all, or the first ``limit``), newest first by
        default. Records are ``Event.to_dict()``; ``to_arrow`` / ``to_pandas`` give the
        flat columns of ``dateline export --format csv`` (lists stay lists)."""
        from dateline.export.common import FLAT_COLUMNS
        from dateline.query import iter_events
        from dateline.query.events import event_cursor

        q = _query(filters, sort=sort, limit=limit)
        records = list(iter_events(self.store, q))

        def arrow() -> Any:
            import warnings

            cur = event_cursor(self.store, q, ", ".join(FLAT_COLUMNS))
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)
                    return cur.to_arrow_table()
            finally:
                cur.close()

        return Rows(records, list(FLAT_COLUMNS), arrow)

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One event with its mentions (sentences, spans, articles), or None."""
        from dateline.query import event_detail

        return event_detail(self.store, event_id)

    def count(self, **filters: Any) -> int:
        from dateline.query import count_events

        return count_events(self.store, _query(filters))

    # -- aggregates ----------------------------------------------------------------------
    def series(self, by: str = "month", per: str = "country", fill: bool = False,
               **filters: Any) -> Rows:
        """Events, dead, injured, arrested per place and bucket (``dateline series``)."""
        from dateline.query.series import series

        out = series(self.store, _query(filters), by=by, per=per, fill=fill)
        return Rows(out["rows"], out["columns"])

    def dyads(self, top: int = 20, level: str = "code", **filters: Any) -> Rows:
        """The most frequent actor → recipient pairs (``GET /dyads``)."""
        from dateline.query import dyads

        return Rows(dyads(self.store, _query(filters), top=top, level=level),
                    ["actor", "recipient", "count"])

    def timeline(self, interval: str = "month", **filters: Any) -> Rows:
        """Counts per bucket, one column per event type (``GET /timeline``, flattened)."""
        from dateline.query import timeline

        out = timeline(self.store, _query(filters), interval=interval)
        rows = [{"start": b["start"], "end": b["end"], "total": b["total"],
                 **{t: b["counts"].get(t, 0) for t in out["types"]}} for b in out["buckets"]]
        return Rows(rows, ["start", "end", "total", *out["types"]])

    def stats(self, top: int = 20, **filters: Any) -> dict[str, Any]:
        from dateline.query import stats

        return stats(self.store, _query(filters), top=top)

    def actor(self, name: str, interval: str = "month", top: int = 10,
              **filters: Any) -> dict[str, Any] | None:
        """An actor's page (``GET /actors/{name}``): entry, counts, counterparts, timeline."""
        from dateline.query.profile import profile

        return profile(self.store, name, _query(filters), interval=interval, top=top)

    # -- articles ------------------------------------------------------------------------
    def articles(self, limit: int | None = None, **filters: Any) -> Rows:
        """Stored articles, newest first (metadata and counts; ``GET /articles``); filters
        ``q``, ``source``, ``since``, ``until``, ``coded``."""
        from dateline.query import ArticleQuery, list_articles

        q = ArticleQuery.parse({k: v for k, v in filters.items() if v is not None},
                               limit=None, max_page_size=10_000_000)
        q = replace(q, limit=limit)
        items = list_articles(self.store, q).items
        return Rows(items, list(items[0].keys()) if items else None)

    def article(self, article_id: str) -> dict[str, Any] | None:
        """One article with its text and mentions."""
        from dateline.query import article_detail

        return article_detail(self.store, article_id)

    # -- files ---------------------------------------------------------------------------
    def export(self, fmt: str, out: str | Path, sort: str = "-date", limit: int | None = None,
               force: bool = False, **filters: Any) -> dict[str, Any]:
        """Write the matching events as ``dateline export`` does; the summary."""
        from dateline.export import export

        return export(self.store, fmt, _query(filters, sort=sort, limit=limit), out,
                      force=force).to_dict()


def open_dataset(path: str | Path = "dateline.duckdb", read_only: bool = True,
                 dicts: Iterable[str] = ()) -> Dataset:
    return Dataset.open(path, read_only=read_only, dicts=dicts)
