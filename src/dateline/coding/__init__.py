"""Event coding: articles in, PLOVER/CAMEO event mentions out (see ``coder.Coder``).

``Coder`` is imported on first use, so the dictionaries (``actor_dict``) can be read without
loading spaCy."""

from __future__ import annotations

from typing import Any

__all__ = ["Coder"]


def __getattr__(name: str) -> Any:
    if name == "Coder":
        from dateline.coding.coder import Coder

        return Coder
    raise AttributeError(f"module 'dateline.coding' has no attribute {name!r}")
