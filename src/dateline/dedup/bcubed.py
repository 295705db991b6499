"""B-cubed precision and recall of a clustering against gold labels (Bagga & Baldwin 1998):
per item, the share of its predicted cluster that shares its gold label (precision) and
the share of its gold class that shares its predicted cluster (recall), averaged."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class BCubed:
    precision: float
    recall: float
    items: int

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def b_cubed(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> BCubed:
    """Scores over the items present in both mappings (item -> cluster, item -> label)."""
    items = [k for k in gold if k in predicted]
    if not items:
        return BCubed(0.0, 0.0, 0)
    both = Counter((predicted[k], gold[k]) for k in items)
    pred_size = Counter(predicted[k] for k in items)
    gold_size = Counter(gold[k] for k in items)
    p = sum(both[predicted[k], gold[k]] / pred_size[predicted[k]] for k in items) / len(items)
    r = sum(both[predicted[k], gold[k]] / gold_size[gold[k]] for k in items) / len(items)
    return BCubed(p, r, len(items))
