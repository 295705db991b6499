"""The one query layer over the store, used by the CLI, the HTTP API and the web page.

``EventQuery`` is the filter set (``EventQuery.parse(type="ASSAULT", place="Aleppo",
since="2016-12", until="2016-12", min_sources=3)``); the functions take a ``Store`` or a
DuckDB connection/cursor and return plain dicts in the JSON shapes of ``dateline.model``.
"""

from dateline.query.aggregate import dyads, stats, timeline
from dateline.query.articles import article_detail, list_articles
from dateline.query.events import (
    Page,
    article_refs,
    count_events,
    event_cursor,
    event_detail,
    event_relation,
    get_event,
    iter_events,
    iter_with_mentions,
    mentions_for_events,
    search_events,
)
from dateline.query.filters import ArticleQuery, EventQuery
from dateline.query.params import (
    EVENT_FILTER_NAMES,
    EVENT_FILTERS,
    ActorTerm,
    Near,
    Param,
    QueryError,
)
from dateline.query.search import refresh_search, search_ready

__all__ = [
    "ActorTerm", "ArticleQuery", "EVENT_FILTERS", "EVENT_FILTER_NAMES", "EventQuery", "Near",
    "Page", "Param", "QueryError", "article_detail", "article_refs", "count_events", "dyads",
    "event_cursor", "event_detail", "event_relation", "get_event", "iter_events",
    "iter_with_mentions", "list_articles", "mentions_for_events", "refresh_search",
    "search_events", "search_ready", "stats", "timeline",
]
