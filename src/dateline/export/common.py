"""What the export writers share: the summary they return, the flat event columns of the
CSV and Parquet outputs, and preparing an output file or folder."""

from __future__ import annotations

import glob
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

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


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _temporary(path: Path) -> Path:
    return path.parent / f".{path.name}.{uuid.uuid4().hex[:12]}.tmp"


def _remove_stale(path: Path) -> None:
    """Temporaries a killed export of ``path`` left beside it."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


@contextmanager
def atomic_file(path: Path, newline: str | None = None) -> Iterator[TextIO]:
    """A text file written under a hidden temporary name beside ``path``, flushed to disk
    and renamed over ``path`` only when the block completes: a killed or failed export
    leaves the previous file (or none) under the final name, never a partial one."""
    tmp = _temporary(path)
    try:
        with open(tmp, "w", newline=newline, encoding="utf-8") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def prepare_file(out: str | Path, force: bool = False) -> Path:
    """The path of a one-file export: refused if it is a folder, or an existing file
    without ``force`` (the file is replaced only once the new one is complete)."""
    path = Path(out)
    if path.is_dir():
        raise ExportError(f"{path} is a folder; this format writes one file")
    if (path.exists() or path.is_symlink()) and not force:
        raise ExportError(f"{path} exists (use --force to replace it)")
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(path)
    return path


def prepare_folder(out: str | Path, ours: tuple[str, ...], force: bool) -> Path:
    """A folder to write into: created if missing; if it holds anything, refused unless
    ``force``. Nothing is removed here: the writer replaces the entries named ``ours``
    (globs) an earlier export wrote only once its own are complete."""
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path} is a file; this format writes a folder")
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob(".dateline-*.tmp"):  # a killed export's work folders
        shutil.rmtree(stale, ignore_errors=True)
    if any(path.iterdir()) and not force:
        raise ExportError(f"{path} is not empty (use --force to replace an earlier export)")
    return path


def swap_into(folder: Path, work: Path, ours: tuple[str, ...]) -> None:
    """Move the complete output in ``work`` into ``folder``, replacing the entries named
    ``ours`` an earlier export left: the old ones are first moved aside (renames), the new
    ones moved in (renames), then the old ones removed."""
    trash = folder / f".dateline-old-{uuid.uuid4().hex[:12]}.tmp"
    trash.mkdir()
    try:
        for pattern in ours:
            for entry in folder.glob(pattern):
                os.replace(entry, trash / entry.name)
        for entry in work.iterdir():
            os.replace(entry, folder / entry.name)
        _fsync_dir(folder)
    finally:
        shutil.rmtree(trash, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


def work_folder(folder: Path) -> Path:
    """A hidden folder inside ``folder`` to write a folder export into (see swap_into)."""
    work = folder / f".dateline-new-{uuid.uuid4().hex[:12]}.tmp"
    work.mkdir()
    return work
