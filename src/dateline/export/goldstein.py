"""The Goldstein scale of CAMEO codes (data/goldstein.tsv); the one module that reads it."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

DATA_FILE = "goldstein.tsv"


class GoldsteinScale:
    """CAMEO code -> Goldstein value; unknown codes fall back to the 3-digit base code and
    then the 2-digit root code. Build with ``GoldsteinScale.load()``."""

    def __init__(self, values: dict[str, float]):
        self.values = dict(values)

    @classmethod
    def load(cls, extra_files: Iterable[str | Path] = ()) -> GoldsteinScale:
        """The packaged table, plus rows of extra files of the same format (later wins)."""
        packaged = resources.files("dateline") / "data" / DATA_FILE
        values = _read(packaged.read_text(encoding="utf-8"), str(packaged))
        for path in extra_files:
            values.update(_read(Path(path).read_text(encoding="utf-8"), str(path)))
        return cls(values)

    @classmethod
    def from_dicts(cls, dicts: Iterable[str | Path]) -> GoldsteinScale:
        """The table plus ``goldstein.tsv`` of each dictionary folder (or file of that name)
        in the config's ``dicts``."""
        extra = []
        for d in dicts:
            p = Path(d)
            if p.is_dir() and (p / DATA_FILE).is_file():
                extra.append(p / DATA_FILE)
            elif p.is_file() and p.name == DATA_FILE:
                extra.append(p)
        return cls.load(extra)

    def score(self, cameo: str | None) -> float | None:
        if not cameo:
            return None
        code = cameo.strip()
        for candidate in (code, code[:3], code[:2]):
            if candidate in self.values:
                return self.values[candidate]
        return None


def _read(text: str, where: str) -> dict[str, float]:
    rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")),
                          delimiter="\t")
    if rows.fieldnames is None or not {"cameo", "goldstein"} <= set(rows.fieldnames):
        raise ValueError(f"{where}: expected columns cameo, goldstein")
    out = {}
    for n, row in enumerate(rows, start=2):
        try:
            value = float(row["goldstein"])
        except (TypeError, ValueError):
            raise ValueError(f"{where}: row {n}: goldstein is not a number") from None
        if not -10.0 <= value <= 10.0:
            raise ValueError(f"{where}: row {n}: goldstein must be within -10..10")
        out[row["cameo"].strip()] = value
    return out
