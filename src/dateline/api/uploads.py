"""Request folders under ``upload_dir``: one per POST, locked while in use, removed
afterwards, and removed at start-up when a killed server left them behind.

Each folder is ``<UTC stamp>-<random>`` (``tempfile.mkdtemp``) and holds a ``.lock`` file
on which the request keeps an exclusive ``flock`` until the folder is removed. The kernel
drops the lock when the process dies (also on SIGKILL), so at start-up every folder whose
lock can be taken is a leftover and is removed; one still locked belongs to a live request
of another server sharing the folder and is left alone. A folder without a lock file (a
crash between creating it and locking it, or a leftover of an older version) is removed
once it is a minute old.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover  (not POSIX: no locks, age alone decides)
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("dateline.api")
LOCK = ".lock"
_NAME = re.compile(r"^\d{8}T\d{6}-[A-Za-z0-9_]+$")
UNLOCKED_GRACE = 60.0  # seconds a folder without a lock file is left alone


class UploadFolder:
    """A fresh, locked request folder; ``close()`` removes it and drops the lock."""

    def __init__(self, root: Path):
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        self.path = Path(tempfile.mkdtemp(prefix=f"{stamp}-", dir=root))
        self._fd = os.open(self.path / LOCK, os.O_CREAT | os.O_WRONLY, 0o600)
        if fcntl is not None:
            fcntl.flock(self._fd, fcntl.LOCK_EX)

    def close(self) -> None:
        try:
            shutil.rmtree(self.path, ignore_errors=True)
        finally:
            os.close(self._fd)


def _leftover(folder: Path, now: float) -> bool:
    lock = folder / LOCK
    try:
        fd = os.open(lock, os.O_WRONLY)
    except FileNotFoundError:
        try:
            return now - folder.stat().st_mtime > UNLOCKED_GRACE
        except OSError:
            return False
    except OSError:
        return False
    try:
        if fcntl is None:
            return now - folder.stat().st_mtime > UNLOCKED_GRACE
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a live request holds it
        return True
    finally:
        os.close(fd)  # drops the lock taken just now


def clean_uploads(root: str | os.PathLike) -> int:
    """Remove the request folders a killed server left under ``root``; the number removed."""
    folder = Path(root)
    if not folder.is_dir():
        return 0
    removed, now = 0, time.time()
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink() and _NAME.match(entry.name) \
                and _leftover(entry, now):
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    if removed:
        log.warning("removed %d upload folder(s) a stopped server left in %s", removed, folder)
    return removed
