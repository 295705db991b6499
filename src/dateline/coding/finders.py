"""The finders the config can name (``finders = ["rules", "detector"]``), built in order."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from dateline.coding.candidates import Finder
from dateline.coding.detector import Detector, DetectorModel
from dateline.coding.syntax import SentenceAnalyzer
from dateline.config import Config


def _rules(analyzer: SentenceAnalyzer, config: Config) -> Finder:
    return analyzer


def _detector(analyzer: SentenceAnalyzer, config: Config) -> Finder:
    return Detector(DetectorModel.load(config.detector_model), analyzer)


FINDERS: dict[str, Callable[[SentenceAnalyzer, Config], Finder]] = {
    "rules": _rules,
    "detector": _detector,
}


def build_finders(names: Sequence[str], analyzer: SentenceAnalyzer, config: Config) -> list[Finder]:
    """The named finders, in order; an unknown name is an error naming the known ones."""
    unknown = [n for n in names if n not in FINDERS]
    if unknown:
        raise ValueError(f"config finders: unknown {', '.join(unknown)} "
                         f"(known: {', '.join(FINDERS)})")
    if not names:
        raise ValueError("config finders: name at least one (rules, detector)")
    return [FINDERS[n](analyzer, config) for n in names]
