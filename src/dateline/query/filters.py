"""EventQuery and ArticleQuery: the filter sets shared by the CLI, the HTTP API and the page.

Build one with ``EventQuery.parse(...)`` from query-string text or Python values (every
value goes through the strict parsers of ``params``), or directly with normalised values.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from typing import Any

from dateline.query.params import (
    CODED,
    CURSOR,
    EVENT_FILTERS,
    QUERY_TEXT,
    SINCE,
    SORT,
    SOURCE,
    UNTIL,
    ActorTerm,
    Near,
    Param,
    QueryError,
    limit_param,
    to_raw,
)

DEFAULT_LIMIT = 50
DEFAULT_MAX_PAGE = 1000


def _parse_all(params: tuple[Param, ...], values: Mapping[str, Any], what: str
               ) -> dict[str, Any]:
    known = {p.name: p for p in params}
    unknown = [k for k in values if k not in known]
    if unknown:
        raise QueryError(unknown[0], f"unknown {what} parameter (known: {', '.join(known)})")
    out: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        out[name] = known[name].parse(name, to_raw(value, name))
    return out


@dataclass(frozen=True)
class EventQuery:
    """Which events, in which order, how many. Empty tuples / None mean "no filter"."""

    type: tuple[str, ...] = ()
    mode: tuple[str, ...] = ()
    quad: tuple[int, ...] = ()
    actor: tuple[ActorTerm, ...] = ()
    recipient: tuple[ActorTerm, ...] = ()
    country: tuple[str, ...] = ()
    place: str | None = None
    near: Near | None = None
    since: date | None = None
    until: date | None = None
    min_sources: int | None = None
    negated: bool | None = None
    modality: tuple[str, ...] = ()
    q: tuple[str, ...] = ()
    sort: str = "-date"
    limit: int | None = DEFAULT_LIMIT
    cursor: str | None = None

    @classmethod
    def parse(cls, values: Mapping[str, Any] | None = None, *,
              max_page_size: int = DEFAULT_MAX_PAGE, **kw: Any) -> EventQuery:
        """From parameter values (strings as in a URL, or Python values); raises
        ``QueryError`` naming the first bad parameter. ``limit=None`` is kept as "all"."""
        values = {**(values or {}), **kw}
        no_limit = "limit" in values and values["limit"] is None
        params = (*EVENT_FILTERS, SORT, limit_param(max_page_size), CURSOR)
        parsed = _parse_all(params, values, "event")
        if no_limit:
            parsed["limit"] = None
        elif parsed.get("limit") is None:
            parsed["limit"] = min(DEFAULT_LIMIT, max_page_size)  # as the schema's default
        return cls(**parsed)

    @property
    def sort_field(self) -> str:
        return self.sort.lstrip("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    def filters_only(self) -> EventQuery:
        """The same filters with default sort, no limit and no cursor (for counts, series
        and comparisons)."""
        return replace(self, sort="-date", limit=None, cursor=None)

    def fingerprint(self) -> str:
        """A short hash of filters + sort: a cursor only continues the query it came from."""
        d = asdict(self)
        d.pop("limit")
        d.pop("cursor")
        return hashlib.sha1(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()[:12]

    def to_params(self) -> dict[str, str]:
        """The query as URL parameters (only those that are set)."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, ()) or (f.name == "sort" and value == "-date"):
                continue
            out[f.name] = to_raw(value, f.name)
        return out


@dataclass(frozen=True)
class ArticleQuery:
    """Which articles: text in headline or body, source, publication days."""

    q: tuple[str, ...] = ()
    source: str | None = None
    since: date | None = None
    until: date | None = None
    coded: bool | None = None
    limit: int | None = DEFAULT_LIMIT
    cursor: str | None = None

    @classmethod
    def parse(cls, values: Mapping[str, Any] | None = None, *,
              max_page_size: int = DEFAULT_MAX_PAGE, **kw: Any) -> ArticleQuery:
        values = {**(values or {}), **kw}
        no_limit = "limit" in values and values["limit"] is None
        params = (QUERY_TEXT, SOURCE, SINCE, UNTIL, CODED, limit_param(max_page_size), CURSOR)
        parsed = _parse_all(params, values, "article")
        if no_limit:
            parsed["limit"] = None
        elif parsed.get("limit") is None:
            parsed["limit"] = min(DEFAULT_LIMIT, max_page_size)  # as the schema's default
        return cls(**parsed)

    def fingerprint(self) -> str:
        d = asdict(self)
        d.pop("limit")
        d.pop("cursor")
        return hashlib.sha1(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()[:12]
