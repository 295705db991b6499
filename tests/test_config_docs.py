"""Every config key is documented in docs/config.md with its default and a meaning."""

from __future__ import annotations

import re
import tomllib
from dataclasses import MISSING, fields
from pathlib import Path

from dateline.config import Config

DOC = Path(__file__).resolve().parents[1] / "docs" / "config.md"
ROW = re.compile(r"^\| `([a-z_]+)` \| (.+?) \| (.+) \|$", re.M)


def documented() -> dict[str, tuple[str, str]]:
    return {key: (default, meaning) for key, default, meaning in ROW.findall(DOC.read_text())}


def default_of(f) -> object:
    return f.default_factory() if f.default is MISSING else f.default


def test_every_key_is_documented():
    keys = [f.name for f in fields(Config)]
    assert sorted(documented()) == sorted(keys)


def test_documented_defaults_are_the_real_ones():
    docs = documented()
    for f in fields(Config):
        cell, meaning = docs[f.name]
        value = None if cell == "(none)" else tomllib.loads(f"v = {cell.strip('`')}")["v"]
        assert value == default_of(f), f.name
        assert len(meaning.split()) >= 4, f.name


def test_the_check_sees_a_missing_key(tmp_path):
    assert "min_city_population" in documented()
    assert ROW.findall("| `x` | `1` | A key that exists only here. |") == [
        ("x", "`1`", "A key that exists only here.")]
