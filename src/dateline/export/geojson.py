"""GeoJSON: a FeatureCollection with one feature per located event (RFC 7946:
[longitude, latitude], WGS 84). Events without coordinates are left out and counted. Each
feature carries the URLs of the articles that report the event (``source_urls``, earliest
first) and their publishers (``sources``).

A Point is where the event happened, as finely as the text said (``location_precision``:
``city`` or ``admin1``). An event known only by its country is not put on the country's
centroid as if it were a place: its feature has no geometry (``null``, RFC 7946 §3.2),
``location_precision: "country"`` and the country code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dateline.export.common import ExportSummary, atomic_file, prepare_file
from dateline.export.goldstein import GoldsteinScale
from dateline.query import EventQuery, iter_with_mentions
from dateline.query.db import Db


def _codes(refs: list[dict[str, Any]]) -> list[str]:
    return [r["code"] for r in refs if r.get("code")]


def _names(refs: list[dict[str, Any]]) -> list[str]:
    return [str(r.get("name") or r.get("text")) for r in refs if r.get("name") or r.get("text")]


def sources(mentions: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """The distinct article URLs and publishers of an event's mentions, in their order."""
    urls: list[str] = []
    names: list[str] = []
    for m in mentions:
        art = m.get("article") or {}
        if art.get("url") and art["url"] not in urls:
            urls.append(art["url"])
        if art.get("source") and art["source"] not in names:
            names.append(art["source"])
    return urls, names


def feature(event: dict[str, Any], scale: GoldsteinScale,
            mentions: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
    loc = event.get("location") or {}
    lat, lon = loc.get("lat"), loc.get("lon")
    if lat is None or lon is None:
        return None
    size = event.get("size") or {}
    precision = loc.get("feature") or "city"
    return {
        "type": "Feature",
        "id": event["id"],
        "geometry": None if precision == "country" else {"type": "Point",
                                                        "coordinates": [lon, lat]},
        "properties": {
            "id": event["id"], "date": event.get("date"), "event_type": event["event_type"],
            "quad_class": event.get("quad_class"), "cameo": event.get("cameo"),
            "mode": event.get("mode"), "goldstein": scale.score(event.get("cameo")),
            "actor_codes": _codes(event.get("actors") or []),
            "actors": _names(event.get("actors") or []),
            "recipient_codes": _codes(event.get("recipients") or []),
            "recipients": _names(event.get("recipients") or []),
            "place": loc.get("name"), "country": loc.get("country"),
            "admin1": loc.get("admin1"), "geonameid": loc.get("geonameid"),
            "feature": loc.get("feature"), "location_precision": precision,
            "dead": size.get("dead"), "injured": size.get("injured"),
            "arrested": size.get("arrested"), "negated": event.get("negated"),
            "modality": event.get("modality"), "num_mentions": event.get("num_mentions"),
            "num_articles": event.get("num_articles"), "num_sources": event.get("num_sources"),
            "confidence": event.get("confidence"), "sentence": event.get("sentence"),
            "source_urls": sources(mentions or [])[0], "sources": sources(mentions or [])[1],
        },
    }


def write(db: Db, query: EventQuery, out: str | Path, scale: GoldsteinScale | None = None,
          force: bool = False) -> ExportSummary:
    path = prepare_file(out, force)
    scale = scale or GoldsteinScale.load()
    summary = ExportSummary("geojson", [str(path)])
    with atomic_file(path) as fh:
        fh.write('{"type": "FeatureCollection", "features": [\n')
        first = True
        for event, mentions in iter_with_mentions(db, query):
            f = feature(event, scale, mentions)
            if f is None:
                summary.skipped += 1
                continue
            fh.write(("" if first else ",\n") + json.dumps(f, ensure_ascii=False))
            first = False
            summary.events += 1
        fh.write("\n]}\n")
    return summary
