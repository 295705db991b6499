"""Shared pieces of the gazetteer / place tests: one loaded Gazetteer per test session."""

from __future__ import annotations

import pytest

from dateline.coding.places import PlaceFinder
from dateline.gazetteer import Gazetteer

SYRIA = ("SYR",)


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="session")
def places(gaz) -> PlaceFinder:
    return PlaceFinder(gaz)
