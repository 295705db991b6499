"""GeoJSON: a FeatureCollection with one Point feature per located event (RFC 7946:
[longitude, latitude], WGS 84). Events without coordinates are left out and counted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dateline.export.common import ExportSummary, atomic_file, prepare_file
from dateline.export.goldstein import GoldsteinScale
from dateline.query import EventQuery, iter_events
from dateline.query.db import Db


def _codes(refs: list[dict[str, Any]]) -> list[str]:
    return [r["code"] for r in refs if r.get("code")]


def _names(refs: list[dict[str, Any]]) -> list[str]:
    return [r.get("name") or r.get("text") for r in refs if r.get("name") or r.get("text")]


def feature(event: dict[str, Any], scale: GoldsteinScale) -> dict[str, Any] | None:
    loc = event.get("location") or {}
    lat, lon = loc.get("lat"), loc.get("lon")
    if lat is None or lon is None:
        return None
    size = event.get("size") or {}
    return {
        "type": "Feature",
        "id": event["id"],
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
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
            "feature": loc.get("feature"),
            "dead": size.get("dead"), "injured": size.get("injured"),
            "arrested": size.get("arrested"), "negated": event.get("negated"),
            "modality": event.get("modality"), "num_mentions": event.get("num_mentions"),
            "num_articles": event.get("num_articles"), "num_sources": event.get("num_sources"),
            "confidence": event.get("confidence"), "sentence": event.get("sentence"),
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
        for event in iter_events(db, query):
            f = feature(event, scale)
            if f is None:
                summary.skipped += 1
                continue
            fh.write(("" if first else ",\n") + json.dumps(f, ensure_ascii=False))
            first = False
            summary.events += 1
        fh.write("\n]}\n")
    return summary
