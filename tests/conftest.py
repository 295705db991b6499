"""Shared fixtures: a fresh store per test, the real coder loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
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
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not beside the checkout")
    return SHARED
