"""Shared pieces of the actor tests: one loaded dictionary per test session."""

from __future__ import annotations

from datetime import date

import pytest

from dateline.coding.actors import ActorDictionary, ActorFinder

ALEPPO_DAY = date(2016, 12, 7)


@pytest.fixture(scope="session")
def dictionary() -> ActorDictionary:
    return ActorDictionary.load()


@pytest.fixture(scope="session")
def finder(dictionary) -> ActorFinder:
    return ActorFinder(dictionary)


def one(finder: ActorFinder, text: str, on: date | None = ALEPPO_DAY, **kw):
    """The single match of a phrase (fails if there are none or several)."""
    matches = finder.find(text, on=on, **kw)
    assert len(matches) == 1, [(m.ref.text, m.ref.code) for m in matches]
    return matches[0]


def spans(finder: ActorFinder, text: str, on: date | None = ALEPPO_DAY, **kw):
    return [(m.ref.text, m.ref.code) for m in finder.find(text, on=on, **kw)]
