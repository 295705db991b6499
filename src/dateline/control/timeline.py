"""A control timeline per area: for each day, who holds it and the evidence.

``control_timeline(claims, place)`` groups claims by area (a gazetteer place, or a place the
gazetteer lacks kept under its city: "Aleppo/Shaar") and walks each area's claims day by day:

* a capture by X, or a hold claim by X: X holds the area from that day;
* a loss by X: X no longer holds it (holder unknown, unless the same day names a taker);
* a siege by X: the area is contested from that day, the holder (if known) inside and X
  outside, until a capture, a loss, or a hold claim by the besieger;
* two sides claimed as holders on one day (a capture or hold for each): the day is
  disputed ("sources disagree"); a hold or capture claim by a side other than the holder an
  earlier capture established, with no loss or capture between, is a conflict too
  ("contradicts the capture of DATE"); the newer claim sets the holder from then on.

Consecutive days with the same holder and status are one span. Undated claims are listed
with their area but make no span.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from dateline.control.extract import holder_side
from dateline.control.model import Area, ControlClaim, Holder
from dateline.dedup.rules import fold

STATUSES = ("held", "contested", "disputed", "unknown")


def _side_label(side) -> str:
    if side is None:
        return "?"
    country, family = side
    return f"{country or '*'}:{family or '*'}"


def evidence(c: ControlClaim) -> dict[str, Any]:
    """What a span shows of a claim: enough to read the sentence and find its article."""
    return {
        "claim_id": c.id, "kind": c.kind, "holder": c.holder.code, "holder_text": c.holder.text,
        "date": c.from_date, "date_precision": c.date_precision, "date_text": c.date_text,
        "share": c.share, "since": c.since, "sentence": c.sentence,
        "article_id": c.article_id, "headline": c.headline, "publisher": c.publisher,
        "published": c.published, "source": c.source, "confidence": c.confidence,
        "char_start": c.char_start, "trigger_start": c.trigger_start,
        "trigger_end": c.trigger_end, "mention_ids": c.mention_ids, "event_ids": c.event_ids,
    }


def _holder_dict(h: Holder | None) -> dict[str, Any] | None:
    return None if h is None else h.to_dict()


def matches_place(area: Area, place: str | None, aliases: Sequence[str] = (),
                  geonameid: int | None = None) -> bool:
    """Whether ``area`` is, or lies within, the place asked for: its name, or the
    gazetteer's name of it (``aliases``: "Palmyra" is Tadmur), or its gazetteer id."""
    if not place:
        return True
    keys = {fold(place), *(fold(a) for a in aliases)} - {""}
    if geonameid is not None and area.geonameid == geonameid:
        return True
    text = f" {fold(area.text)} "
    return fold(area.name) in keys or fold(area.within) in keys or any(
        f" {k} " in text for k in keys)


def control_timeline(claims: Iterable[ControlClaim], place: str | None = None,
                     on: str | None = None, aliases: Sequence[str] = (),
                     geonameid: int | None = None) -> dict[str, Any]:
    """The timeline of every area that is ``place`` or lies in it; with ``on`` (ISO day),
    each area's state that day."""
    by_area: dict[str, list[ControlClaim]] = defaultdict(list)
    areas: dict[str, Area] = {}
    claims = [c for c in claims if matches_place(c.place, place, aliases, geonameid)]
    # a name the gazetteer resolved in one article and not in another ("Palmyra" is
    # Tadmur) is one area: a local name equal to a gazetteer area's name as written joins it
    written = {}
    for c in claims:
        if c.place.geonameid is not None:
            for name in (c.place.text, c.place.name):
                written.setdefault(fold(_last_name(name)), c.place.key)
    for c in claims:
        key = c.place.key
        if c.place.geonameid is None and c.place.within is None:
            key = written.get(fold(c.place.name), key)
        by_area[key].append(c)
        # the richest record of the area (coordinates, gazetteer id) names it
        old = areas.get(key)
        if old is None or (old.lat is None and c.place.lat is not None):
            areas[key] = c.place
    out = []
    conflicts_all = []
    for key in sorted(by_area, key=lambda k: (areas[k].within is not None, k)):
        spans, conflicts = area_spans(by_area[key])
        entry = {"area": areas[key].to_dict(), "spans": spans, "conflicts": conflicts,
                 "claims": len(by_area[key]),
                 "undated": [evidence(c) for c in by_area[key] if not c.from_date]}
        if on is not None:
            entry["on"] = state_on(spans, on)
        out.append(entry)
        conflicts_all += [{**c, "area": areas[key].name} for c in conflicts]
    return {"place": place, "on": on, "areas": out, "conflicts": conflicts_all}


def _last_name(text: str | None) -> str:
    """"Syrian city of Palmyra" -> "Palmyra": the name after "of", else the text."""
    text = text or ""
    return text.rsplit(" of ", 1)[-1] if " of " in text else text


def state_on(spans: Sequence[dict[str, Any]], day: str) -> dict[str, Any] | None:
    """The span covering ``day``, or None (no claim about the area yet)."""
    for s in spans:
        if s["from"] <= day and (s["to"] is None or day <= s["to"]):
            return s
    return None


def area_spans(claims: Sequence[ControlClaim]) -> tuple[list[dict], list[dict]]:
    """Spans (from, to, status, holder, besieger, claimants, evidence) and conflicts of
    one area's claims."""
    by_day: dict[str, list[ControlClaim]] = defaultdict(list)
    for c in claims:
        if c.from_date:
            by_day[c.from_date].append(c)
    spans: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    # the state: holder (and its side), status, besieger, and the capture that set it
    holder: Holder | None = None
    side = None
    status = "unknown"
    besieger: Holder | None = None
    basis: ControlClaim | None = None  # the claim that set the holder
    for day in sorted(by_day):
        todays = sorted(by_day[day], key=lambda c: (c.published or "", c.article_id,
                                                    c.sentence_index, c.trigger_start))
        gains: dict[Any, list[ControlClaim]] = defaultdict(list)
        losses: dict[Any, list[ControlClaim]] = defaultdict(list)
        sieges: dict[Any, list[ControlClaim]] = defaultdict(list)
        for c in todays:
            s = holder_side(c.holder)
            {"capture": gains, "hold": gains, "loss": losses, "siege": sieges}[c.kind][s].append(c)
        # a side said to gain and to lose the area the same day: the loss is the older news
        new_holder, new_side, new_status, new_besieger = holder, side, status, besieger
        new_basis = basis
        claimants: list[dict] = []
        day_conflicts: list[dict] = []
        if len(gains) > 1:
            new_status, new_holder, new_side, new_besieger = "disputed", None, None, None
            claimants = [_holder_dict(v[0].holder) for v in gains.values()]
            day_conflicts.append({
                "day": day, "kind": "sources_disagree",
                "detail": "claimed as held by " + " and ".join(
                    v[0].holder.label for v in gains.values()) + " the same day",
                "claims": [evidence(c) for v in gains.values() for c in v]})
        elif len(gains) == 1:
            (g_side, g_claims), = gains.items()
            captures = [c for c in g_claims if c.kind == "capture"]
            first = captures[0] if captures else g_claims[0]
            if not captures and side is not None and g_side != side and status != "disputed" \
                    and side not in losses and basis is not None:
                what = "the capture of " + basis.from_date if basis.kind == "capture" \
                    else "the holding claim of " + basis.from_date
                day_conflicts.append({
                    "day": day, "kind": "contradicts_earlier",
                    "detail": f"{first.holder.label} said to hold it, contradicting {what} "
                              f"by {holder.label if holder else '?'}",
                    "claims": [evidence(basis), *(evidence(c) for c in g_claims)]})
            if status == "contested" and besieger is not None \
                    and holder_side(besieger) != g_side and not captures:
                # the defenders still hold it: still besieged
                new_holder, new_side, new_status = first.holder, g_side, "contested"
            else:
                new_holder, new_side, new_status, new_besieger = first.holder, g_side, "held", None
            new_basis = first
        elif losses:
            if side is None or side in losses:
                new_holder, new_side, new_status, new_besieger = None, None, "unknown", None
                new_basis = next(iter(losses.values()))[0]
            else:
                c = next(iter(losses.values()))[0]
                day_conflicts.append({
                    "day": day, "kind": "contradicts_earlier",
                    "detail": f"{c.holder.label} said to leave it, but it was held by "
                              f"{holder.label if holder else '?'}",
                    "claims": [evidence(c)] + ([evidence(basis)] if basis else [])})
        if sieges:
            s_side, s_claims = next(iter(sieges.items()))
            if s_side != new_side:
                new_status, new_besieger = "contested", s_claims[0].holder
                if new_holder is None and new_status != "disputed":
                    new_holder = None
        conflicts += day_conflicts
        changed = (new_side, new_status, holder_side(new_besieger) if new_besieger else None) != \
            (side, status, holder_side(besieger) if besieger else None) or not spans \
            or day_conflicts
        if changed:
            if spans:
                spans[-1]["to"] = _day_before(day)
            spans.append({
                "from": day, "to": None, "status": new_status,
                "holder": _holder_dict(new_holder), "side": _side_label(new_side)
                if new_side else None,
                "besieger": _holder_dict(new_besieger), "claimants": claimants,
                "share": None, "evidence": [], "conflict": bool(day_conflicts)})
        span = spans[-1]
        span["evidence"] += [evidence(c) for c in todays]
        shares = [c.share for c in todays if c.share is not None and c.kind == "hold"]
        if shares:
            span["share"] = shares[-1]
        holder, side, status, besieger, basis = new_holder, new_side, new_status, \
            new_besieger, new_basis
    return spans, conflicts


def _day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def render_text(timeline: dict[str, Any]) -> str:
    """The timeline as lines for a terminal."""
    lines = []
    on = timeline.get("on")
    if not timeline["areas"]:
        return f"no control claims for {timeline.get('place') or 'any place'}"
    for entry in timeline["areas"]:
        area = entry["area"]
        name = area["name"] + (f" ({area['within']})" if area.get("within") else "")
        spans = [entry["on"]] if on is not None else entry["spans"]
        if on is not None and entry["on"] is None:
            lines.append(f"{name}: no claim up to {on}")
            continue
        lines.append(name)
        for s in spans:
            lines.append("  " + _span_line(s))
            if len(s["evidence"]) > 4:
                lines.append(f"      ({len(s['evidence']) - 4} more claims)")
            for ev in s["evidence"][-4:]:
                src = ev["source"] or ev["publisher"] or ""
                lines.append(f"      {ev['kind']} {ev['holder'] or '?'} {ev['date']}"
                             f"{' · ' + src if src else ''}: {ev['sentence']}")
        for c in entry["conflicts"]:
            if on is None or c["day"] <= on:
                lines.append(f"  ! conflict {c['day']}: {c['detail']}")
    return "\n".join(lines)


def _span_line(s: dict[str, Any]) -> str:
    to = s["to"] or "…"
    who = (s["holder"] or {}).get("code") or "?"
    if s["status"] == "disputed":
        who = " vs ".join((c or {}).get("code") or "?" for c in s["claimants"])
        text = f"{s['from']} – {to}: disputed ({who})"
    elif s["status"] == "contested":
        text = (f"{s['from']} – {to}: contested, besieged by "
                f"{(s['besieger'] or {}).get('code') or '?'}; held by {who}")
    elif s["status"] == "unknown":
        text = f"{s['from']} – {to}: holder unknown (abandoned)"
    else:
        text = f"{s['from']} – {to}: held by {who}"
    if s.get("share") is not None:
        text += f" ({round(s['share'] * 100)} %)"
    return text
