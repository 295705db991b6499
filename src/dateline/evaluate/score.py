"""Scoring predicted mentions against Dateline gold items (the ``dateline`` format).

Per item, gold events and predicted mentions are paired (``match.assign``). A pair of
the same type is a found event; its fields are then compared. Counting rules
(docs/evaluation.md has the full text):

- ``event type``: TP = same-type pairs; gold = gold events; predicted = mentions less
  duplicates (a further mention of a gold event already found, same type/polarity/actors).
- ``actor``, ``recipient``, ``date``, ``location``: a value counts as predicted when the
  mention has one, as gold when the gold event gives one, and as TP when it sits on a
  same-type pair and matches. Fields the gold leaves ``null`` are not scored for that
  event (neither side counts).
- ``negated``: the negated events as a class (TP = a same-type pair both negated);
  a same-type pair of different polarity is also a negation error.
- ``optional`` gold events: a same-type mention paired with one is not counted at all.
- ``modality``, ``mode``, ``cameo``, ``attribution``: accuracy over same-type pairs whose gold
  gives them (so precision = recall).
- ``event (strict)``: a same-type pair with the right polarity, actors and recipients.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dateline.evaluate import match
from dateline.evaluate.gold import GoldActor, GoldEvent, GoldItem
from dateline.evaluate.report import NONE, Mismatch, Report
from dateline.model import ActorRef, Mention

MEASURES = ("event type", "event (strict)", "actor", "recipient", "date", "location",
            "negated", "modality", "mode", "cameo", "attribution")
_ACCURACIES = ("modality", "mode", "cameo", "attribution")
_TEXT_CHARS = 400


def _refs(refs: Sequence[ActorRef]) -> str:
    out = []
    for r in refs:
        code = r.code or " ".join(x for x in (r.country, r.sector) if x) or "?"
        out.append(f"{code} '{r.text}'")
    return "[" + ", ".join(out) + "]"


def describe_mention(m: Mention) -> str:
    parts = [("not " if m.negated else "") + m.event_type, f"cameo={m.cameo}"]
    if m.mode:
        parts.append(f"mode={m.mode}")
    parts.append("actor=" + _refs(m.actor))
    if m.recipient:
        parts.append("recipient=" + _refs(m.recipient))
    parts.append(f"date={m.date}({m.date_precision})")
    if m.location is not None:
        parts.append(f"at={m.location.name or m.location.text}({m.location.country})")
    if m.modality != "asserted":
        parts.append(m.modality)
    if m.trigger:
        parts.append(f"trigger='{m.trigger}'")
    return " ".join(parts)


def _actor_detail(specs: Sequence[GoldActor], refs: Sequence[ActorRef]) -> str:
    if not refs:
        return "none coded"
    if not specs:
        return "extra"
    countries = {(r.country or "").upper() for r in refs}
    if any(s.country and not (set(s.country) & countries) for s in specs):
        return "wrong country"
    if not match.actors_cover(specs, refs):
        return "wrong sector"
    return "extra"


class _ItemScorer:
    """Scores one item into the report."""

    def __init__(self, report: Report, item: GoldItem, preds: Sequence[Mention]) -> None:
        self.report = report
        self.item = item
        self.preds = list(preds)

    def _error(self, kind: str, etype: str, gold: GoldEvent | None, pred: Mention | None,
               detail: str = "") -> None:
        text = pred.sentence if pred is not None and pred.sentence else self.item.text
        self.report.error(Mismatch(
            item_id=self.item.id, kind=kind, event_type=etype, detail=detail,
            gold=gold.describe() if gold else "", predicted=describe_mention(pred) if pred else "",
            text=" ".join(text.split())[:_TEXT_CHARS]))

    def _gold_only(self, g: GoldEvent) -> None:
        r = self.report
        r.metric("event type").gold += 1
        r.metric("event (strict)").gold += 1
        if g.actor:
            r.metric("actor").gold += 1
        if g.recipient:
            r.metric("recipient").gold += 1
        if g.date is not None:
            r.metric("date").gold += 1
        if g.location is not None:
            r.metric("location").gold += 1
        if g.negated:
            r.metric("negated").gold += 1

    def _pred_only(self, p: Mention) -> None:
        r = self.report
        r.metric("event type").predicted += 1
        r.metric("event (strict)").predicted += 1
        r.metric("actor").predicted += bool(p.actor)
        r.metric("recipient").predicted += bool(p.recipient)
        r.metric("date").predicted += p.date is not None
        r.metric("location").predicted += p.location is not None
        r.metric("negated").predicted += p.negated

    def _slot(self, name: str, g: GoldEvent, p: Mention, gold_has: bool, pred_has: bool,
              ok: bool, detail: str) -> None:
        c = self.report.metric(name)
        c.gold += gold_has
        c.predicted += pred_has
        if gold_has and pred_has and ok:
            c.tp += 1
        elif gold_has or pred_has:
            self._error(name, g.event_type, g, p, detail)

    def _accuracy(self, name: str, g: GoldEvent, p: Mention, ok: bool, detail: str) -> None:
        c = self.report.metric(name)
        c.gold += 1
        c.predicted += 1
        c.tp += ok
        if not ok:
            self._error(name, g.event_type, g, p, detail)

    def _pair(self, g: GoldEvent, p: Mention) -> None:
        """A same-type pair: the event is found; compare its fields."""
        r = self.report
        r.metric("event type").tp += 1
        r.metric("event type").gold += 1
        r.metric("event type").predicted += 1
        actor_ok = g.actor is None or match.actors_match(g.actor, p.actor)
        recipient_ok = g.recipient is None or match.actors_match(g.recipient, p.recipient)
        strict = r.metric("event (strict)")
        strict.gold += 1
        strict.predicted += 1
        strict.tp += actor_ok and recipient_ok and g.negated == p.negated
        if g.actor is not None:
            self._slot("actor", g, p, bool(g.actor), bool(p.actor), actor_ok,
                       _actor_detail(g.actor, p.actor))
        if g.recipient is not None:
            self._slot("recipient", g, p, bool(g.recipient), bool(p.recipient), recipient_ok,
                       _actor_detail(g.recipient, p.recipient))
        if g.date is not None:
            detail = ("none coded" if p.date is None else "publication date"
                      if self.item.published and p.date == self.item.published.isoformat()
                      else "wrong day")
            self._slot("date", g, p, True, p.date is not None, p.date == g.date, detail)
        if g.location is not None:
            loc = p.location
            detail = ("none coded" if loc is None else "wrong country"
                      if g.location.country and loc.country and loc.country != g.location.country
                      else "wrong place")
            self._slot("location", g, p, True, loc is not None,
                       match.place_matches(g.location, loc), detail)
        neg = r.metric("negated")
        neg.gold += g.negated
        neg.predicted += p.negated
        neg.tp += g.negated and p.negated
        if g.negated != p.negated:
            r.totals["negation errors"] = r.totals.get("negation errors", 0) + 1
            self._error("negation", g.event_type, g, p,
                        "negated coded as positive" if g.negated else "positive coded as negated")
        if g.modality is not None:
            self._accuracy("modality", g, p, p.modality == g.modality, f"{g.modality}->{p.modality}")
        if g.mode is not None:
            self._accuracy("mode", g, p, p.mode == g.mode, f"{g.mode}->{p.mode}")
        if g.cameo is not None:
            self._accuracy("cameo", g, p, match.cameo_matches(g.cameo, p.cameo),
                           f"{g.cameo}->{p.cameo}")
        if g.attribution is not None:
            self._accuracy("attribution", g, p, match.attribution_matches(g.attribution, p),
                           "none coded" if p.attribution is None else "wrong source")

    def run(self) -> None:
        r = self.report
        gold, preds = self.item.events, self.preds
        weights = [[match.similarity(g, p) for p in preds] for g in gold]
        pairs = match.assign(weights)
        paired_gold = {i for i, _ in pairs}
        paired_pred = {j for _, j in pairs}
        found: list[GoldEvent] = []
        for i, j in pairs:
            g, p = gold[i], preds[j]
            if g.optional:  # pairs only with its own type (match.similarity)
                r.totals["optional found"] += 1
                found.append(g)
                continue
            r.confusion[(g.event_type, p.event_type)] += 1
            if g.event_type == p.event_type:
                self._pair(g, p)
                found.append(g)
            else:
                self._gold_only(g)
                self._pred_only(p)
                self._error("type", g.event_type, g, p, f"-> {p.event_type}")
        for i, g in enumerate(gold):
            if i not in paired_gold and not g.optional:
                r.confusion[(g.event_type, NONE)] += 1
                self._gold_only(g)
                self._error("missed", g.event_type, g, None)
        for j, p in enumerate(preds):
            if j in paired_pred:
                continue
            if any(match.is_duplicate(g, p) for g in found):
                r.totals["duplicates"] = r.totals.get("duplicates", 0) + 1
                continue
            r.confusion[(NONE, p.event_type)] += 1
            self._pred_only(p)
            self._error("spurious", p.event_type, None, p)
        for spec in self.item.forbidden:
            hits = [p for p in preds if match.forbidden_hit(spec, p)]
            if hits:
                r.totals["forbidden produced"] = r.totals.get("forbidden produced", 0) + 1
            for p in hits:
                self._error("forbidden", spec.event_type, spec, p)


def new_report() -> Report:
    report = Report(format="dateline")
    for name in MEASURES:
        report.metric(name)
    report.totals.update({"items": 0, "gold events": 0, "optional events": 0,
                          "predicted mentions": 0, "optional found": 0, "duplicates": 0,
                          "negation errors": 0, "forbidden": 0, "forbidden produced": 0})
    return report


def score_items(items: Sequence[GoldItem], predictions: Mapping[str, Sequence[Mention]]) -> Report:
    """The report for gold items and the mentions predicted for each (by item id)."""
    report = new_report()
    for item in items:
        preds = predictions.get(item.id, ())
        report.totals["items"] += 1
        report.totals["gold events"] += sum(not e.optional for e in item.events)
        report.totals["optional events"] += sum(e.optional for e in item.events)
        report.totals["predicted mentions"] += len(preds)
        report.totals["forbidden"] += len(item.forbidden)
        if not item.events:
            # an item that holds no political event: any mention on it is a false event
            report.totals["items without events"] = report.totals.get("items without events", 0) + 1
            if preds:
                report.totals["of them with a false event"] = \
                    report.totals.get("of them with a false event", 0) + 1
        _ItemScorer(report, item, preds).run()
    for name in _ACCURACIES:
        if not report.metrics[name].gold:
            del report.metrics[name]
    empty = report.totals.get("items without events", 0)
    if empty:
        false = report.totals.get("of them with a false event", 0)
        report.notes.append(f"items without events: {false} of {empty} "
                            f"({false / empty:.3f}) got a false event")
    return report
