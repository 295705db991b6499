"""A consistent copy of a store file.

A store is a DuckDB file plus its write-ahead log (``<file>.wal``): what the last runs
committed may sit in the log until DuckDB checkpoints it into the file, so copying the
``.duckdb`` file alone can lose committed work (after a SIGKILL, all of it since the last
checkpoint). ``backup`` opens the store for writing (so no other process writes meanwhile:
DuckDB allows one writer), replays the log, ``CHECKPOINT``s it into the file, copies the file
under a temporary name beside the destination, flushes it to disk, renames it into place and
opens the copy to count its rows. The copy is a store of its own (no log): use it with
``--db``, or copy it back over the store to restore.
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

TABLES = ("articles", "mentions", "events")


class BackupError(Exception):
    """The backup cannot be made (the message says why)."""


@dataclass
class BackupSummary:
    source: str
    dest: str
    bytes: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"source": self.source, "dest": self.dest, "bytes": self.bytes,
                "counts": self.counts}


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    present = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in TABLES if t in present}


def backup(db: str | os.PathLike, dest: str | os.PathLike, force: bool = False) -> BackupSummary:
    """Copy the store ``db`` (its file and what its log holds) to ``dest`` (a file, or a
    folder to put ``<name of db>`` in). An existing ``dest`` file is refused unless
    ``force``; it is replaced only when the copy is complete."""
    source = Path(db)
    if not source.is_file():
        raise BackupError(f"no store at {source}")
    target = Path(dest)
    if target.is_dir():
        target = target / source.name
    if target.resolve() in (source.resolve(), Path(f"{source}.wal").resolve()):
        raise BackupError(f"{target} is the store itself")
    if target.exists() and not force:
        raise BackupError(f"{target} exists (use --force to replace it)")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(source))
    except duckdb.Error as exc:
        raise BackupError(f"cannot open {source} for writing (another process, e.g. "
                          f"`dateline serve` or an ingest, may hold it): {exc}") from None
    tmp = target.parent / f".{target.name}.{uuid.uuid4().hex[:12]}.tmp"
    try:
        counts = _counts(con)
        con.execute("CHECKPOINT")  # the log's committed work into the file
        with open(source, "rb") as src, open(tmp, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        con.close()
    try:
        check = duckdb.connect(str(tmp), read_only=True)
        try:
            copied = _counts(check)
        finally:
            check.close()
        if copied != counts:
            raise BackupError(f"the copy holds {copied}, the store {counts}")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    return BackupSummary(str(source), str(target), target.stat().st_size, counts)
