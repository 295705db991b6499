"""From a cluster of mentions to one ``Event``: what the reports agree on, how many
independent sources stand behind it, and the events-table row."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from dateline.dedup.rules import (
    DAY, NO_PLACE, PRECISION_NAMES, PUBLICATION, DedupRules, fold,
)
from dateline.model import QUAD_CLASS, ActorRef, Event, Mention, Place, stable_id


def event_id_for(mention_id: str) -> str:
    """The id an event takes from its anchor (earliest) mention."""
    return stable_id("event", mention_id)


@dataclass(frozen=True)
class ArticleInfo:
    id: str
    source: str | None
    url: str | None
    published: datetime | None
    ingested_at: datetime | None

    @property
    def seen(self) -> datetime | None:
        return self.published or self.ingested_at

    @property
    def publisher(self) -> str:
        """Who published it: the source name, else the URL's host (without www.), else
        the article itself (an unknown publisher counts as independent)."""
        if self.source and self.source.strip():
            return fold(self.source)
        if self.url:
            host = (urlsplit(self.url).hostname or "").lower()
            if host:
                return host[4:] if host.startswith("www.") else host
        return "article:" + self.id


@dataclass(frozen=True)
class Member:
    """A mention in a cluster with what clustering knew of it: its (possibly adopted)
    date precision and day range."""

    mention: Mention
    article: ArticleInfo
    precision: int
    lo: int
    hi: int


def noisy_or(confidences: Sequence[float]) -> float:
    """1 - prod(1 - c): the chance at least one independent report is right."""
    p = 1.0
    for c in confidences:
        p *= 1.0 - min(max(float(c), 0.0), 1.0)
    return 1.0 - p


def _representative(members: Sequence[Member], rules: DedupRules) -> Member:
    def score(k: int) -> tuple:
        m = members[k].mention
        s = float(m.confidence or 0)
        s += 0.1 if members[k].precision == DAY else 0
        s += 0.05 * rules.place_level(m.location) / 3
        s += 0.05 if m.actor else 0
        s += 0.05 if m.recipient else 0
        s += 0.05 if m.sentence_index >= 0 else 0
        return (-round(s, 9), k)
    return members[min(range(len(members)), key=score)]


def _most_common(values: Sequence, prefer=None):
    """The most frequent non-empty value; among ties ``prefer`` if tied, else the least."""
    counts = Counter(v for v in values if v not in (None, ""))
    if not counts:
        return None
    top = max(counts.values())
    tied = sorted(v for v, c in counts.items() if c == top)
    return prefer if prefer in tied else tied[0]


def _coalesce_actors(groups: Sequence[Sequence[ActorRef]], rules: DedupRules) -> list[ActorRef]:
    """One ActorRef per (country, family) key: the most specific code (longest), then
    the most frequent, then the first met; ordered by first appearance."""
    by_key: dict[tuple, list[ActorRef]] = {}
    loose: dict[str, ActorRef] = {}
    for refs in groups:
        for ref in refs:
            key = rules.actor_key(ref)
            if key is None:
                loose.setdefault(fold(ref.name or ref.text), ref)
            else:
                by_key.setdefault(key, []).append(ref)
    out = []
    for refs in by_key.values():
        codes = Counter(r.code for r in refs)
        best = min(range(len(refs)), key=lambda k: (-len(refs[k].code or ""),
                                                  -codes[refs[k].code], k))
        out.append(replace(refs[best], start=None, end=None))
    if not out:
        out = [replace(r, start=None, end=None) for r in loose.values()]
    return out


def _roles(members: Sequence[Member], rep: Member, rules: DedupRules
           ) -> tuple[list[ActorRef], list[ActorRef]]:
    ordered = [rep] + [m for m in members if m is not rep]
    actors = _coalesce_actors([m.mention.actor for m in ordered], rules)
    recipients = _coalesce_actors([m.mention.recipient for m in ordered], rules)
    if rep.mention.event_type in rules.symmetric_types:
        # A met B = B met A: one participant list, roles as the representative has them
        rep_recipients = {rules.actor_key(r) for r in rep.mention.recipient}
        everyone = _coalesce_actors([actors, recipients], rules)
        actors = [a for a in everyone if rules.actor_key(a) not in rep_recipients]
        recipients = [a for a in everyone if rules.actor_key(a) in rep_recipients]
    return actors, recipients


def _place(members: Sequence[Member], rules: DedupRules) -> Place | None:
    """The finest place the reports name (they agree by construction): the deepest
    level, then the most named, then the first."""
    placed = [(rules.place_level(m.mention.location), k, m.mention.location)
              for k, m in enumerate(members) if m.mention.location is not None]
    placed = [p for p in placed if p[0] > NO_PLACE]
    if not placed:
        return None
    level = max(p[0] for p in placed)
    finest = [(k, loc) for lv, k, loc in placed if lv == level]
    keys = Counter(loc.geonameid or fold(loc.name or loc.text) for _, loc in finest)
    k, loc = min(finest, key=lambda x: (-keys[x[1].geonameid or fold(x[1].name or x[1].text)],
                                        x[0]))
    return replace(loc, start=None, end=None)


def _date(members: Sequence[Member], lo: int, hi: int, rules: DedupRules) -> int:
    """The event day: the finest reports' day (an explicit day; else the publication
    day; else the start of the period), the most common, kept inside [lo, hi]."""
    def point(m: Member) -> int:
        if m.precision == DAY:
            return m.lo + rules.day_tolerance
        if m.precision == PUBLICATION:
            return m.lo + rules.publication_before
        return m.lo
    finest = min(m.precision for m in members)
    days = Counter(point(m) for m in members if m.precision == finest)
    top = max(days.values())
    day = min(d for d, c in days.items() if c == top)
    return min(max(day, lo), hi)


def _iso(ordinal: int) -> str | None:
    return date.fromordinal(ordinal).isoformat() if ordinal > 0 else None


def build_event(event_id: str, members: Sequence[Member], lo: int, hi: int,
                rules: DedupRules) -> Event:
    """The event of a cluster (members in canonical order, earliest first)."""
    rep = _representative(members, rules)
    ms = [m.mention for m in members]
    event_type = _most_common([m.event_type for m in ms], rep.mention.event_type)
    actors, recipients = _roles(members, rep, rules)
    size: dict[str, int] = {}
    for m in ms:
        for key, value in (m.size or {}).items():
            if value is not None:
                size[key] = max(int(value), size.get(key, int(value)))
    deads = {int(m.size["dead"]) for m in ms if m.size and m.size.get("dead") is not None}
    best_by_source: dict[str, float] = {}
    for member in members:
        src = member.article.publisher
        best_by_source[src] = max(best_by_source.get(src, 0.0),
                                  float(member.mention.confidence or 0))
    seen = sorted(m.article.seen for m in members if m.article.seen is not None)
    return Event(
        id=event_id,
        event_type=event_type,
        quad_class=QUAD_CLASS.get(event_type, rep.mention.quad_class),
        cameo=_most_common([m.cameo for m in ms], rep.mention.cameo),
        mode=_most_common([m.mode for m in ms], rep.mention.mode),
        actor_codes=[a.code for a in actors if a.code],
        recipient_codes=[r.code for r in recipients if r.code],
        actors=actors,
        recipients=recipients,
        date=_iso(_date(members, lo, hi, rules)),
        date_start=_iso(lo),
        date_end=_iso(hi),
        date_precision=PRECISION_NAMES.get(min(m.precision for m in members), "unknown"),
        location=_place(members, rules),
        size=size,
        size_disputed=len(deads) > 1,
        negated=bool(rep.mention.negated),
        modality=rep.mention.modality,
        num_mentions=len(ms),
        num_articles=len({m.article_id for m in ms}),
        num_sources=len(best_by_source),
        first_seen=seen[0].isoformat() if seen else None,
        last_seen=seen[-1].isoformat() if seen else None,
        confidence=round(noisy_or(list(best_by_source.values())), 4),
        sentence=rep.mention.sentence,
        mention_ids=[str(m.id) for m in ms],  # stored mentions: ids are set
    )


# -- the events table -------------------------------------------------------------------------
EVENT_COLUMNS = (
    "id", "event_type", "quad_class", "cameo", "mode", "actor_codes", "actor_countries",
    "actor_sectors", "actor_names", "recipient_codes", "recipient_countries",
    "recipient_sectors", "recipient_names", "date", "date_start", "date_end", "place",
    "country", "admin1", "lat", "lon", "dead", "injured", "arrested", "size_disputed",
    "negated", "modality", "num_mentions", "num_articles", "num_sources", "first_seen",
    "last_seen", "confidence", "sentence", "data",
)


def _distinct(values) -> list[str]:
    out: list[str] = []
    for v in values:
        if v and v not in out:
            out.append(v)
    return out


def _sector(ref: ActorRef, rules: DedupRules) -> str | None:
    if ref.sector:
        return ref.sector
    code = (ref.code or "").upper()
    if code[:3] in ("IGO", "NGO", "MNC"):
        return code[:3]
    if code[:3] in rules.sector_families:
        return code[:3]
    return code[3:6] or None


def event_row(e: Event, rules: DedupRules) -> tuple:
    """The events-table row of an event, columns in ``EVENT_COLUMNS`` order."""
    loc = e.location

    def side(refs: list[ActorRef]) -> tuple:
        return ([r.code for r in refs if r.code],
                _distinct(r.country or (rules.actor_key(r) or (None,))[0] for r in refs),
                _distinct(_sector(r, rules) for r in refs),
                _distinct(r.name or r.text for r in refs))

    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    def utc(value: str | None) -> datetime | None:
        if not value:
            return None
        t = datetime.fromisoformat(value)
        return t.astimezone(UTC) if t.tzinfo else t

    return (
        e.id, e.event_type, e.quad_class, e.cameo, e.mode, *side(e.actors),
        *side(e.recipients), day(e.date), day(e.date_start), day(e.date_end),
        loc.name or loc.text if loc else None, loc.country if loc else None,
        loc.admin1 if loc else None, loc.lat if loc else None, loc.lon if loc else None,
        e.size.get("dead"), e.size.get("injured"), e.size.get("arrested"), e.size_disputed,
        e.negated, e.modality, e.num_mentions, e.num_articles, e.num_sources,
        utc(e.first_seen), utc(e.last_seen),
        e.confidence, e.sentence, json.dumps(e.to_dict()),
    )


def event_from_dict(d: dict) -> Event:
    """The inverse of ``Event.to_dict`` (events.data back into an Event)."""
    d = {k: v for k, v in d.items() if k in {f.name for f in fields(Event)}}
    d["actors"] = [ActorRef(**a) for a in d.get("actors") or []]
    d["recipients"] = [ActorRef(**a) for a in d.get("recipients") or []]
    if d.get("location"):
        d["location"] = Place(**d["location"])
    d["size"] = d.get("size") or {}
    return Event(**d)
