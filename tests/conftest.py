"""Shared fixtures: a fresh store per test, the real coder loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"  # bundled test data (tests/data/README.md)
EXAMPLE = ROOT / "examples" / "aleppo-2016-12-07.txt"


@pytest.fixture
def store(tmp_path):
    from dateline.store import Store

    s = Store.open(tmp_path / "test.duckdb")
    yield s
    s.close()


@pytest.fixture(scope="session")
def coder():
    """The real Coder (spaCy model, dictionaries, gazetteer), loaded once per session."""
    from dateline.coding import Coder
    from dateline.config import Config

    return Coder.from_config(Config())


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture(scope="session")
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def ipe_dir() -> Path:
    """The bundled corpus in the IndiaPoliceEvents layout (docs, metadata, sents .jsonl)."""
    return DATA / "india-police-events"


@pytest.fixture(scope="session")
def re3d_dir() -> Path:
    """The bundled re3d publishers whose licences allow copying (tests/data/README.md)."""
    return DATA / "re3d"
