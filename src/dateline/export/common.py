"""What the export writers share: the summary they return, the flat event columns of the
CSV and Parquet outputs, and preparing an output file or folder."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

# Flat event columns (SQL over the events table) of the CSV and Parquet exports, in order.
FLAT_COLUMNS = (
    "id", "date", "date_start", "date_end", "event_type", "quad_class", "cameo", "mode",
    "actor_codes", "actor_names", "actor_countries", "actor_sectors",
    "recipient_codes", "recipient_names", "recipient_countries", "recipient_sectors",
    "place", "country", "admin1", "lat", "lon", "dead", "injured", "arrested",
    "size_disputed", "negated", "modality", "num_mentions", "num_articles", "num_sources",
    "confidence", "first_seen", "last_seen", "sentence",
)
LIST_COLUMNS = frozenset(c for c in FLAT_COLUMNS if c.startswith(("actor_", "recipient_")))


class ExportError(ValueError):
    """The export cannot be written where asked (the message says why)."""


@dataclass
class ExportSummary:
    format: str
    paths: list[str] = field(default_factory=list)
    events: int = 0
    mentions: int = 0
    skipped: int = 0  # events left out (GeoJSON: no coordinates)

    def to_dict(self) -> dict:
        return {"format": self.format, "paths": self.paths, "events": self.events,
                "mentions": self.mentions, "skipped": self.skipped}


def prepare_file(out: str | Path) -> Path:
    path = Path(out)
    if path.is_dir():
        raise ExportError(f"{path} is a folder; this format writes one file")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def prepare_folder(out: str | Path, ours: tuple[str, ...], force: bool) -> Path:
    """A folder to write into: created if missing; if it holds anything, refused unless
    ``force``, which removes only the entries named ``ours`` (globs) a previous export
    wrote there."""
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path} is a file; this format writes a folder")
    path.mkdir(parents=True, exist_ok=True)
    if any(path.iterdir()):
        if not force:
            raise ExportError(f"{path} is not empty (use --force to replace an earlier export)")
        for pattern in ours:
            for entry in path.glob(pattern):
                if entry.is_dir():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
    return path
