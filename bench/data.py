"""The corpora the benchmarks read.

By default the bundled ones (``tests/data``, see its README): a small corpus in the
IndiaPoliceEvents layout written for the tests, and the re3d publishers whose licences allow
copying. A larger folder in the same layout can be given with ``python -m bench.run --data DIR``
(``make bench BENCH_ARGS="--data ../shared/dev-data"``) or the ``DATELINE_BENCH_DATA``
environment variable: ``DIR/india-police-events/`` (docs.jsonl, metadata.jsonl, sents.jsonl)
and ``DIR/re3d/<publisher>/`` (documents.json, entities.json). What the folder lacks is taken
from the bundled data. Every benchmark says which corpus it read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "tests" / "data"
ENV = "DATELINE_BENCH_DATA"
IPE = "india-police-events"
RE3D = "re3d"


def data_dir() -> Path:
    """The folder given (``--data`` / DATELINE_BENCH_DATA), else the bundled one."""
    given = os.environ.get(ENV)
    return Path(given).resolve() if given else BUNDLED


def _pick(name: str) -> Path:
    given = data_dir() / name
    return given if given.is_dir() else BUNDLED / name


def ipe_dir() -> Path:
    """The IndiaPoliceEvents-layout folder (docs.jsonl, metadata.jsonl, sents.jsonl)."""
    return _pick(IPE)


def re3d_dir() -> Path:
    """The re3d folder (one sub-folder per publisher)."""
    return _pick(RE3D)


def describe(path: Path) -> str:
    """Which corpus ``path`` is: bundled, or the folder given."""
    if path.resolve().is_relative_to(BUNDLED):
        return f"bundled corpus {path.relative_to(ROOT)}"
    return f"{path} (given with --data)"


def ipe_records(n: int) -> list[dict]:
    """``n`` records of metadata.jsonl (doc_id, date, url, full_text); when the corpus has
    fewer, its records again under new ids (``<id>-r1`` …), so the size asked is coded."""
    with open(ipe_dir() / "metadata.jsonl", encoding="utf-8") as fh:
        base = [json.loads(line) for _, line in zip(range(n), fh, strict=False)]
    out = list(base)
    rounds = 0
    while base and len(out) < n:
        rounds += 1
        out += [{**r, "doc_id": f"{r['doc_id']}-r{rounds}"} for r in base[: n - len(out)]]
    return out


def select(argv: list[str]) -> None:
    """``--data DIR`` in ``argv`` (for a module run on its own): set it for this process."""
    if "--data" in argv:
        i = argv.index("--data")
        use(argv[i + 1])


def use(folder: str | Path) -> Path:
    """Read the corpora from ``folder`` (this process and the ones it starts)."""
    path = Path(folder).resolve()
    if not path.is_dir():
        raise SystemExit(f"--data: no such folder: {folder}")
    if not ((path / IPE).is_dir() or (path / RE3D).is_dir()):
        raise SystemExit(f"--data: {folder} holds neither {IPE}/ nor {RE3D}/")
    os.environ[ENV] = str(path)
    return path
