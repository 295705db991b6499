"""PLOVER JSON Lines: one event record per line with the field names of the PLOVER
specification's "JSON Data Fields" (id, date, enddate, source, recipient, event, event_loc,
event_text, quad_code, event_scale, mode, context, cite_info, coder, coded_date), plus
Dateline's own fields (size, negated, modality, num_* counts, confidence, mention_ids) —
PLOVER invites providers to add named fields.

Actors are PLOVER actor objects: ``code`` (3-letter country or IGO/NGO), ``sector``,
``actor_text``, ``identifier_text`` (the canonical name) and the full CAMEO code in
``cameo_code``. ``event_loc`` uses the GeoNames field names PLOVER adopts, with ISO alpha-2 in
``country code`` and alpha-3 in ``cc3``.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pycountry

from dateline.export.common import ExportSummary, atomic_file, prepare_file
from dateline.version import __version__
from dateline.export.goldstein import GoldsteinScale
from dateline.query import EventQuery, iter_with_mentions
from dateline.query.db import Db

CODER = f"dateline {__version__}"


def _alpha2(iso3: str | None) -> str | None:
    if not iso3:
        return None
    country = pycountry.countries.get(alpha_3=iso3)
    return country.alpha_2 if country else None


def plover_actor(ref: dict[str, Any]) -> dict[str, Any]:
    code = ref.get("code") or ""
    top = ref.get("country") or (code[:3] if code else None)
    out = {"code": top, "sector": ref.get("sector"), "actor_text": ref.get("text"),
           "identifier_text": ref.get("name"), "cameo_code": code or None}
    return {k: v for k, v in out.items() if v is not None}


def plover_location(loc: dict[str, Any] | None) -> dict[str, Any] | None:
    if not loc:
        return None
    out = {"geonameid": loc.get("geonameid"), "name": loc.get("name") or loc.get("text"),
           "latitude": loc.get("lat"), "longitude": loc.get("lon"),
           "country code": _alpha2(loc.get("country")), "cc3": loc.get("country"),
           "admin1 code": loc.get("admin1"), "feature": loc.get("feature")}
    return {k: v for k, v in out.items() if v is not None}


def record(event: dict[str, Any], mentions: list[dict[str, Any]], scale: GoldsteinScale,
           coded: str) -> dict[str, Any]:
    texts: list[str] = []
    cites: list[dict[str, Any]] = []
    seen_articles: set[str] = set()
    for m in mentions:
        if m.get("sentence") and m["sentence"] not in texts:
            texts.append(m["sentence"])
        art = m.get("article") or {}
        if art.get("id") and art["id"] not in seen_articles:
            seen_articles.add(art["id"])
            cite = {"citation": art["id"], "url": art.get("url"), "title": art.get("headline"),
                    "publication": art.get("source"), "date": art.get("published")}
            cites.append({k: v for k, v in cite.items() if v is not None})
    if not texts and event.get("sentence"):
        texts.append(event["sentence"])
    out = {
        "id": event["id"],
        "date": event.get("date") or event.get("date_start"),
        "enddate": event.get("date_end") if event.get("date_end") != event.get("date") else None,
        "source": [plover_actor(a) for a in event.get("actors") or []],
        "recipient": [plover_actor(r) for r in event.get("recipients") or []],
        "event": [event["event_type"]],
        "mode": [event["mode"]] if event.get("mode") else [],
        "context": [],
        "quad_code": event.get("quad_class"),
        "event_scale": scale.score(event.get("cameo")),
        "cameo": event.get("cameo"),
        "event_loc": plover_location(event.get("location")),
        "event_text": texts,
        "cite_info": cites,
        "coder": CODER,
        "codebook": "plover",
        "coded_date": coded,
        "has_event": True,
        "size": event.get("size") or {},
        "negated": event.get("negated"),
        "modality": event.get("modality"),
        "num_mentions": event.get("num_mentions"),
        "num_articles": event.get("num_articles"),
        "num_sources": event.get("num_sources"),
        "confidence": event.get("confidence"),
        "mention_ids": event.get("mention_ids") or [m["id"] for m in mentions],
    }
    return {k: v for k, v in out.items() if v is not None}


def write(db: Db, query: EventQuery, out: str | Path, scale: GoldsteinScale | None = None,
          force: bool = False) -> ExportSummary:
    path = prepare_file(out, force)
    scale = scale or GoldsteinScale.load()
    coded = datetime.now(timezone.utc).date().isoformat()
    summary = ExportSummary("plover", [str(path)])
    with atomic_file(path) as fh:
        for event, mentions in iter_with_mentions(db, query):
            fh.write(json.dumps(record(event, mentions, scale, coded), ensure_ascii=False))
            fh.write("\n")
            summary.events += 1
            summary.mentions += len(mentions)
    return summary
