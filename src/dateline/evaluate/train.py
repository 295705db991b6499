"""Training the learned event detector (``dateline train-detector``).

One logistic-regression head per PLOVER type over the detector's word features
(``dateline.coding.detector.features``), fitted on gold items (their events' types, optional
ones included, as labels; items with no event as negatives). Thresholds are then chosen on a
separate tune file by running the whole coder with the new model, so that they fit what the
rules already find. scikit-learn is needed here only; the coder reads the result as data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from dateline.coding.detector import DetectorModel, features
from dateline.evaluate.gold import GoldItem, read_gold
from dateline.model import EVENT_TYPES

GRID_PROPOSE = (0.5, 0.6, 0.7, 0.8, 0.9)
GRID_SCREEN = (0.6, 0.8)
GRID_EXTRA = (0.9, 0.8, 0.7)  # a second type beside the rules' hits (tried after the pair)


@dataclass
class TrainReport:
    items: int
    positives: dict[str, int]
    features: int
    chosen: dict[str, float]
    tune_f1: dict[str, float]  # "propose_at/screen_at" -> event-type F1 on the tune file


def labels_of(item: GoldItem) -> set[str]:
    return {e.event_type for e in item.events if not e.negated}


def fit(items: Sequence[GoldItem], c: float = 2.0, min_count: int = 2,
        trained_on: str = "", hints: Mapping[str, tuple[str, ...]] | None = None,
        ) -> DetectorModel:
    """Fit one head per type; features seen fewer than ``min_count`` times are dropped.
    ``hints`` (``lexicon_hints``) add the lexicon's type features and go into the model."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [{f: 1 for f in features(i.text, hints)} for i in items]
    counts: dict[str, int] = {}
    for r in rows:
        for f in r:
            counts[f] = counts.get(f, 0) + 1
    keep = {f for f, n in counts.items() if n >= min_count}
    rows = [{f: 1 for f in r if f in keep} for r in rows]
    vec = DictVectorizer()
    x = vec.fit_transform(rows)
    names = vec.get_feature_names_out()
    types = [t for t in EVENT_TYPES if any(t in labels_of(i) for i in items)]
    weights: dict[str, list[float]] = {str(f): [0.0] * len(types) for f in names}
    bias = []
    for k, t in enumerate(types):
        y = [int(t in labels_of(i)) for i in items]
        model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
        model.fit(x, y)
        bias.append(float(model.intercept_[0]))
        for f, w in zip(names, model.coef_[0]):
            weights[str(f)][k] = float(w)
    small = {f: tuple(w) for f, w in weights.items() if max(abs(v) for v in w) >= 1e-3}
    return DetectorModel(types=tuple(types), weights=small, bias=tuple(bias),
                         trained_on=trained_on, hints=dict(hints or {}))


def choose_thresholds(model: DetectorModel, tune: Sequence[GoldItem],
                      run: Callable[[DetectorModel, Sequence[GoldItem]], float],
                      ) -> tuple[DetectorModel, dict[str, float]]:
    """Try the grid of thresholds with ``run`` (event-type F1 of the coder on ``tune``) and
    keep the best."""
    results: dict[str, float] = {}
    best, best_f1 = model, -1.0
    pairs = sorted({(p, max(s, p)) for p in GRID_PROPOSE for s in GRID_SCREEN})
    for p, s in pairs:
        candidate = replace(model, propose_at=p, screen_at=s)
        f1 = run(candidate, tune)
        results[f"{p}/{s}"] = round(f1, 4)
        if f1 > best_f1:
            best, best_f1 = candidate, f1
    for e in GRID_EXTRA:
        candidate = replace(best, extra_at=e)
        f1 = run(candidate, tune)
        results[f"{best.propose_at}/{best.screen_at}/extra {e}"] = round(f1, 4)
        if f1 > best_f1:
            best, best_f1 = candidate, f1
    return best, results


def train(train_files: Sequence[Path], tune_file: Path | None, out: Path,
          run: Callable[[DetectorModel, Sequence[GoldItem]], float] | None = None,
          c: float = 2.0, dev_data: Path | None = None,
          hints: Mapping[str, tuple[str, ...]] | None = None) -> TrainReport:
    items = [i for f in train_files for i in read_gold(f, dev_data=dev_data)]
    model = fit(items, c=c, trained_on=", ".join(p.name for p in train_files), hints=hints)
    chosen: dict[str, float] = {}
    results: dict[str, float] = {}
    if tune_file is not None and run is not None:
        model, results = choose_thresholds(model, read_gold(tune_file, dev_data=dev_data), run)
    chosen = {"propose_at": model.propose_at, "screen_at": model.screen_at,
              "doubt_below": model.doubt_below, "extra_at": model.extra_at}
    model.save(out)
    positives = {t: sum(t in labels_of(i) for i in items) for t in model.types}
    return TrainReport(items=len(items), positives=positives, features=len(model.weights),
                       chosen=chosen, tune_f1=results)
