"""Scoring control claims against a gold file (``dateline control --evaluate FILE``).

Gold: JSON Lines, one item per line: ``{"id", "published", "text", "claims": [...],
"forbidden": [...]}``; a claim is ``{"kind", "place", "within"?, "holder", "date"?,
"share"?, "source"?, "optional"?}`` (docs/control.md). A predicted claim matches a gold
claim of the same kind whose place alternatives (``"Mosul|west Mosul"``) include the
predicted place's name, the text it was read from, or for a part of a city or a place kept
under its city, that city; and whose holder is on the same side: the same country (or
organisation) and sector family (GOV and MIL are one, REB and INS another; docs/dedup.md).
Each gold claim is matched once. Optional gold claims are neither required nor penalised.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from dateline.control.extract import ControlReader, holder_side
from dateline.control.model import ControlClaim, Holder
from dateline.control.rules import KINDS
from dateline.dedup.rules import DEFAULT_SECTOR_FAMILIES, fold
from dateline.model import Article

# sector names an annotator may write for a CAMEO sector: "POL" (police) is COP
SECTOR_ALIASES = {"POL": "COP"}


def _sectors(items) -> frozenset[str]:
    return frozenset(SECTOR_ALIASES.get(i.upper(), i.upper()) for i in items)


class GoldError(ValueError):
    pass


@dataclass
class GoldHolder:
    countries: frozenset[str] | None
    sectors: frozenset[str] | None
    names: tuple[str, ...] = ()
    alternatives: tuple[GoldHolder, ...] = ()  # "MLI INS|* INS": any of these

    @classmethod
    def parse(cls, value: Any, where: str) -> GoldHolder:
        if isinstance(value, str):
            groups: list[str] = []
            for seg in value.split("|"):  # "SYR MIL|GOV" is one holder, "MLI INS|* INS" two
                if " " in seg.strip() or not groups:
                    groups.append(seg.strip())
                else:
                    groups[-1] += "|" + seg.strip()
            if len(groups) > 1:
                alts = tuple(cls.parse(g, where) for g in groups)
                return cls(None, None, (), alts)
            parts = value.split()
            if len(parts) != 2:
                raise GoldError(f"{where}: holder {value!r} must be 'CCC SEC' (or a dict)")
            c, s = parts
            return cls(None if c == "*" else frozenset(c.upper().split("|")),
                       None if s == "*" else _sectors(s.split("|")))
        if isinstance(value, dict):
            def opt(key):
                v = value.get(key)
                if v in (None, "", "*"):
                    return None
                items = v if isinstance(v, list) else str(v).split("|")
                return _sectors(items) if key == "sector" else frozenset(i.upper() for i in items)
            names = tuple(fold(n) for n in str(value.get("name") or "").split("|") if n.strip())
            return cls(opt("country"), opt("sector"), names)
        raise GoldError(f"{where}: holder must be a string or an object")

    def accepts(self, h: Holder) -> bool:
        if self.alternatives:
            return any(a.accepts(h) for a in self.alternatives)
        if self.names:
            words = " " + " ".join(fold(x) for x in (h.name, h.text, h.code) if x) + " "
            if any(f" {n} " in words for n in self.names):
                return True
        side = holder_side(h)
        if side is None:
            return False
        country, family = side
        if self.countries is not None:
            code = (h.code or "").upper()
            if country not in self.countries and not any(code.startswith(c)
                                                          for c in self.countries):
                return False
        if self.sectors is not None:
            fams = {DEFAULT_SECTOR_FAMILIES.get(s, s) for s in self.sectors}
            if (h.sector or "") not in self.sectors and family not in fams:
                return False
        if self.countries is None and self.sectors is None and self.names:
            return False
        return True


@dataclass
class GoldClaim:
    kind: str
    places: tuple[str, ...]
    within: str | None
    holder: GoldHolder
    date: str | None = None
    share: float | None = None
    optional: bool = False
    raw: dict | None = None

    def place_ok(self, c: ControlClaim) -> bool:
        names = {fold(c.place.name), fold(c.place.within or "")} - {""}
        text = " " + fold(c.place.text or "") + " "
        return any(p in names or (p and f" {p} " in text) for p in self.places)

    def matches(self, c: ControlClaim) -> bool:
        return c.kind == self.kind and self.place_ok(c) and self.holder.accepts(c.holder)


def _claim(d: Any, where: str) -> GoldClaim:
    if not isinstance(d, dict):
        raise GoldError(f"{where}: a claim must be an object")
    kind = d.get("kind")
    if kind not in KINDS:
        raise GoldError(f"{where}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    place = d.get("place")
    if not isinstance(place, str) or not place.strip():
        raise GoldError(f"{where}: place must be a name")
    if d.get("holder") is None:
        raise GoldError(f"{where}: a claim needs a holder")
    return GoldClaim(kind=kind, places=tuple(fold(p) for p in place.split("|") if p.strip()),
                     within=d.get("within"), holder=GoldHolder.parse(d["holder"], where),
                     date=d.get("date"), share=d.get("share"),
                     optional=bool(d.get("optional")), raw=d)


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    items = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"{path}:{n}"
        try:
            d = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}: invalid JSON: {exc.msg}") from None
        if not isinstance(d, dict) or not isinstance(d.get("text"), str):
            raise GoldError(f"{where}: an item needs text")
        try:
            published = datetime.fromisoformat(str(d.get("published") or "2000-01-01"))
        except ValueError:
            raise GoldError(f"{where}: published must be YYYY-MM-DD") from None
        claims = [_claim(c, where) for c in d.get("claims") or []]
        forbidden = [_claim(c, where) for c in d.get("forbidden") or []]
        items.append({"id": str(d.get("id") or n), "text": d["text"], "published": published,
                      "claims": claims, "forbidden": forbidden})
    return items


def evaluate(reader: ControlReader, items: list[dict[str, Any]], errors: int = 20
             ) -> dict[str, Any]:
    tp = fp = fn = forbidden_hits = 0
    per_kind: dict[str, Counter] = {k: Counter() for k in KINDS}
    dates = Counter()
    causes: Counter = Counter()
    mistakes: list[dict[str, Any]] = []
    for item in items:
        art = Article(id=item["id"], text=item["text"], published=item["published"])
        predicted = reader.read([art])
        gold = item["claims"]
        used: set[int] = set()
        for c in predicted:
            hit = next((i for i, g in enumerate(gold) if i not in used and g.matches(c)), None)
            if hit is None:
                fp += 1
                per_kind[c.kind]["fp"] += 1
                bad = any(f.matches(c) for f in item["forbidden"])
                forbidden_hits += bad
                mistakes.append({"item": item["id"], "error": "forbidden" if bad else "extra",
                                 "claim": _short(c), "text": item["text"]})
                continue
            used.add(hit)
            g = gold[hit]
            if g.optional:
                continue
            tp += 1
            per_kind[c.kind]["tp"] += 1
            if g.date:
                dates["scored"] += 1
                dates["right"] += int(c.from_date == g.date)
        for i, g in enumerate(gold):
            if i not in used and not g.optional:
                fn += 1
                per_kind[g.kind]["fn"] += 1
                # why: a claim on the place with another holder, of another kind, or none
                on_place = [c for c in predicted if g.place_ok(c)]
                causes["holder" if any(c.kind == g.kind for c in on_place) else
                       "kind" if on_place else "no claim on the place"] += 1
                mistakes.append({"item": item["id"], "error": "missed", "gold": g.raw,
                                 "text": item["text"]})
    return {
        "items": len(items), "tp": tp, "fp": fp, "fn": fn,
        "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn),
        "f1": _ratio(2 * tp, 2 * tp + fp + fn), "forbidden_hits": forbidden_hits,
        "per_kind": {k: {**v, "precision": _ratio(v["tp"], v["tp"] + v["fp"]),
                         "recall": _ratio(v["tp"], v["tp"] + v["fn"])}
                     for k, v in per_kind.items()},
        "missed_because": dict(causes.most_common()),
        "date_accuracy": _ratio(dates["right"], dates["scored"]),
        "dates_scored": dates["scored"],
        "errors": mistakes[:errors],
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def _short(c: ControlClaim) -> dict[str, Any]:
    return {"kind": c.kind, "place": c.place.name, "within": c.place.within,
            "holder": c.holder.code, "holder_text": c.holder.text, "date": c.from_date}


def render(report: dict[str, Any]) -> str:
    lines = [f"items {report['items']} · claims: tp {report['tp']} fp {report['fp']} "
             f"fn {report['fn']}",
             f"precision {report['precision']} · recall {report['recall']} · "
             f"F1 {report['f1']} · forbidden produced {report['forbidden_hits']}",
             f"date accuracy {report['date_accuracy']} ({report['dates_scored']} dated)"]
    if report.get("missed_because"):
        lines.append("missed because: " + ", ".join(
            f"{k} {v}" for k, v in report["missed_because"].items()))
    for k, v in report["per_kind"].items():
        lines.append(f"  {k:8} tp {v.get('tp', 0):3} fp {v.get('fp', 0):3} fn {v.get('fn', 0):3}"
                     f"  P {v['precision']}  R {v['recall']}")
    for e in report["errors"]:
        what = e.get("claim") or e.get("gold")
        lines.append(f"  {e['item']} {e['error']}: {json.dumps(what, ensure_ascii=False)}")
        text = re.sub(r"\s+", " ", e["text"])[:200]
        lines.append(f"      {text}")
    return "\n".join(lines)
