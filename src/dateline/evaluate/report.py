"""What an evaluation returns: counts per measure, the type confusion table, the
mismatches; printed as rich tables or as one JSON object."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table

NONE = "-"  # the "no event" row/column of the confusion table


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


@dataclass
class Counts:
    """True positives and the sizes of the gold and predicted sides of one measure."""

    tp: int = 0
    gold: int = 0
    predicted: int = 0

    @property
    def fp(self) -> int:
        return self.predicted - self.tp

    @property
    def fn(self) -> int:
        return self.gold - self.tp

    @property
    def precision(self) -> float | None:
        """None when nothing was predicted."""
        return self.tp / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        """None when the gold has nothing to find."""
        return self.tp / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        """Harmonic mean; 0 when one side is empty and the other not, None when both are."""
        p, r = self.precision, self.recall
        if p is None and r is None:
            return None
        if not p or not r:
            return 0.0
        return 2 * p * r / (p + r)

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.gold += other.gold
        self.predicted += other.predicted

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "gold": self.gold,
                "predicted": self.predicted, "precision": _round(self.precision),
                "recall": _round(self.recall), "f1": _round(self.f1)}


@dataclass
class Mismatch:
    """One disagreement, for debugging the coder: which item, what kind, both sides."""

    item_id: str
    kind: str  # missed, spurious, type, actor, recipient, date, location, negation, ...
    event_type: str
    gold: str = ""
    predicted: str = ""
    text: str = ""
    detail: str = ""  # a finer kind, e.g. "-> COERCE" or "actor not police"

    @property
    def key(self) -> str:
        """The error kind as counted in ``Report.error_kinds``."""
        return " ".join(p for p in (self.kind, self.event_type, self.detail) if p)

    def to_dict(self) -> dict[str, Any]:
        return {"item_id": self.item_id, "kind": self.kind, "event_type": self.event_type,
                "detail": self.detail, "gold": self.gold, "predicted": self.predicted, "text": self.text}


@dataclass
class Report:
    format: str
    metrics: dict[str, Counts] = field(default_factory=dict)
    # how the measures were obtained, e.g. items, gold events, predicted mentions
    totals: dict[str, int] = field(default_factory=dict)
    confusion: Counter = field(default_factory=Counter)  # (gold type, predicted type) -> n
    errors: list[Mismatch] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def metric(self, name: str) -> Counts:
        return self.metrics.setdefault(name, Counts())

    def error(self, mismatch: Mismatch) -> None:
        self.errors.append(mismatch)

    @property
    def error_kinds(self) -> Counter:
        return Counter(e.key for e in self.errors)

    def per_type(self) -> dict[str, Counts]:
        """Event-type counts per type, from the confusion table: gold = the type's row,
        predicted = its column (duplicates are not in the table), TP = the diagonal."""
        out: dict[str, Counts] = {}
        for (g, p), n in self.confusion.items():
            if g != NONE:
                out.setdefault(g, Counts()).gold += n
            if p != NONE:
                out.setdefault(p, Counts()).predicted += n
            if g == p and g != NONE:
                out[g].tp += n
        return dict(sorted(out.items()))

    def per_type_table(self) -> Table | None:
        rows = self.per_type()
        if not rows:
            return None
        table = Table(title="Event type, per type")
        for col in ("type", "gold", "predicted", "TP", "precision", "recall", "F1"):
            table.add_column(col, justify="left" if col == "type" else "right")
        for name, c in rows.items():
            table.add_row(name, str(c.gold), str(c.predicted), str(c.tp),
                          _fmt(c.precision), _fmt(c.recall), _fmt(c.f1))
        return table

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "totals": dict(self.totals),
            "metrics": {k: v.to_dict() for k, v in self.metrics.items()},
            "per_type": {k: v.to_dict() for k, v in self.per_type().items()},
            "confusion": [{"gold": g, "predicted": p, "n": n}
                          for (g, p), n in sorted(self.confusion.items())],
            "error_kinds": dict(self.error_kinds.most_common()),
            "errors": [e.to_dict() for e in self.errors],
            "notes": list(self.notes),
        }

    # -- printing -----------------------------------------------------------------

    def metrics_table(self) -> Table:
        table = Table(title=f"Dateline evaluation ({self.format})")
        for col in ("measure", "gold", "predicted", "TP", "precision", "recall", "F1"):
            table.add_column(col, justify="left" if col == "measure" else "right")
        for name, c in self.metrics.items():
            table.add_row(name, str(c.gold), str(c.predicted), str(c.tp),
                          _fmt(c.precision), _fmt(c.recall), _fmt(c.f1))
        return table

    def confusion_table(self) -> Table | None:
        """One row per gold type (or label): how often each predicted type was paired with
        it, most frequent first; the '-' row lists mentions that paired with nothing."""
        if not self.confusion:
            return None
        rows: dict[str, Counter] = {}
        for (g, p), n in self.confusion.items():
            rows.setdefault(g, Counter())[p] += n
        table = Table(title="Type confusion ('-' = none)")
        table.add_column("gold")
        table.add_column("n", justify="right")
        table.add_column("same", justify="right")
        table.add_column("predicted as")
        for g in sorted(rows, key=lambda t: (t == NONE, t)):
            row = rows[g]
            others = ", ".join(f"{p} {n}" for p, n in sorted(row.items(), key=lambda x: (-x[1], x[0]))
                               if p != g)
            table.add_row(g, str(sum(row.values())), str(row.get(g, "")) if g != NONE else "", others)
        return table

    def print(self, console: Console, errors: int = 0) -> None:
        totals = ", ".join(f"{k} {v}" for k, v in self.totals.items())
        console.print(totals)
        console.print(self.metrics_table())
        per_type = self.per_type_table() if self.format == "dateline" else None
        if per_type is not None:
            console.print(per_type)
        confusion = self.confusion_table()
        if confusion is not None:
            console.print(confusion)
        kinds = self.error_kinds
        if kinds:
            table = Table(title="Most common errors")
            table.add_column("error")
            table.add_column("n", justify="right")
            for key, n in kinds.most_common(10):
                table.add_row(key, str(n))
            console.print(table)
        for note in self.notes:
            console.print(f"[dim]{note}[/dim]")
        if errors:
            console.print(f"[bold]First {min(errors, len(self.errors))} of {len(self.errors)} "
                          "mismatches[/bold]")
            for e in self.errors[:errors]:
                console.print(f"[bold]{e.item_id}[/bold] {e.kind} {e.event_type}", markup=True)
                console.print(f"  text:      {e.text}", markup=False, highlight=False)
                if e.gold:
                    console.print(f"  gold:      {e.gold}", markup=False, highlight=False)
                if e.predicted:
                    console.print(f"  predicted: {e.predicted}", markup=False, highlight=False)
