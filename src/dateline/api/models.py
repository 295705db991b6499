"""Response shapes of the HTTP API, for the OpenAPI document at /docs.

The routes build their JSON directly (event records come straight from the store's JSON);
these models only describe it. Every object allows extra fields, so records may grow.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorOut(_Open):
    """Every error: HTTP status, a short code, what was wrong, and which parameter."""

    status: int
    error: str
    detail: str
    parameter: str | None = None


class ActorOut(_Open):
    text: str | None = None
    name: str | None = None
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    start: int | None = None
    end: int | None = None


class PlaceOut(_Open):
    text: str | None = None
    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str | None = None


class EventOut(_Open):
    """An event: ``Event.to_dict()`` of dateline.model."""

    id: str
    event_type: str
    quad_class: int | None = None
    cameo: str | None = None
    mode: str | None = None
    actor_codes: list[str] = []
    recipient_codes: list[str] = []
    actors: list[ActorOut] = []
    recipients: list[ActorOut] = []
    date: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    location: PlaceOut | None = None
    size: dict[str, int | None] = {}
    size_disputed: bool | None = None
    negated: bool | None = None
    modality: str | None = None
    num_mentions: int | None = None
    num_articles: int | None = None
    num_sources: int | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    confidence: float | None = None
    sentence: str | None = None
    mention_ids: list[str] = []


class EventPage(_Open):
    items: list[EventOut]
    next_cursor: str | None
    count: int


class ArticleRef(_Open):
    id: str
    headline: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    length: int | None = None


class MentionOut(_Open):
    """A mention: ``Mention.to_dict()``; in an event's detail also its ``article``."""

    id: str | None = None
    article_id: str
    sentence: str | None = None
    sentence_index: int | None = None
    char_start: int | None = None
    char_end: int | None = None
    part: str | None = None
    event_type: str
    cameo: str | None = None
    event_id: str | None = None
    article: ArticleRef | None = None


class EventDetail(EventOut):
    mentions: list[MentionOut]


class ArticleMeta(_Open):
    id: str
    headline: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    section: str | None = None
    language: str | None = None
    coded: bool | None = None
    origin: str | None = None
    ingested_at: str | None = None
    mentions: int | None = None
    events: int | None = None


class ArticlePage(_Open):
    items: list[ArticleMeta]
    next_cursor: str | None
    count: int


class ArticleDetail(ArticleMeta):
    subheadlines: list[str] = []
    authors: list[str] = []
    text: str
    mentions: list[MentionOut]  # type: ignore[assignment]  # ArticleMeta's is a count
    event_ids: list[str]


class Count(_Open):
    count: int


class TypeCount(Count):
    type: str | None


class CountryCount(Count):
    country: str | None


class MonthCount(Count):
    month: str | None


class Dyad(Count):
    actor: str
    recipient: str


class Stats(_Open):
    total: int
    mentions: int
    first_date: str | None
    last_date: str | None
    by_type: list[TypeCount]
    by_country: list[CountryCount]
    by_month: list[MonthCount]
    dyads: list[Dyad]


class Dyads(_Open):
    level: str
    items: list[Dyad]


class Bucket(_Open):
    start: str
    end: str
    total: int
    counts: dict[str, int]


class Timeline(_Open):
    interval: str
    types: list[str]
    buckets: list[Bucket]


class Health(_Open):
    status: str
    version: str
    schema_version: int
    articles: int
    mentions: int
    events: int
    writes: bool


class IngestReport(_Open):
    """What a POST /articles did: counts, the ids of the new articles, per-input errors."""

    read: int
    new: int
    duplicate: int
    failed: int
    mentions: int
    events: dict[str, Any] | None = None
    article_ids: list[str]
    errors: list[str]
    notes: list[str] = []  # files skipped (no articles), articles stored uncoded (language)


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the error statuses a route can answer."""
    text = {400: "Invalid parameter value (the body names the parameter)",
            401: "Missing or wrong API key", 403: "Writes are disabled (no API key configured)",
            404: "No such resource", 413: "Request body too large",
            415: "Unsupported content type",
            503: "The coder cannot be loaded, or too many writes are queued (Retry-After)"}
    return {c: {"model": ErrorOut, "description": text.get(c, "Error")} for c in codes}
