"""Opaque page cursors for keyset pagination.

A cursor holds the sort key and id of the last row of a page plus a fingerprint of the
query; the next page starts strictly after that (key, id) pair, so rows added meanwhile
never shift pages (no repeats, no gaps among the rows that were there).
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date
from typing import Any

from dateline.query.params import QueryError

VERSION = 1


def encode(fingerprint: str, key: Any, row_id: str) -> str:
    if isinstance(key, date):
        key = {"d": key.isoformat()}
    payload = json.dumps({"v": VERSION, "f": fingerprint, "k": key, "i": row_id},
                         separators=(",", ":"), ensure_ascii=True)
    return base64.urlsafe_b64encode(payload.encode("ascii")).decode("ascii").rstrip("=")


def decode(token: str, fingerprint: str, param: str = "cursor") -> tuple[Any, str]:
    """(sort key, id) of the row the page starts after; QueryError if the cursor is not
    one this query handed out."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw.decode("ascii"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise QueryError(param, "not a cursor from a previous page") from None
    if not isinstance(data, dict) or data.get("v") != VERSION:
        raise QueryError(param, "not a cursor from a previous page")
    if data.get("f") != fingerprint:
        raise QueryError(param, "cursor belongs to a query with other filters or sort")
    key, row_id = data.get("k"), data.get("i")
    if not isinstance(row_id, str):
        raise QueryError(param, "not a cursor from a previous page")
    if isinstance(key, dict):
        try:
            key = date.fromisoformat(key["d"])
        except (KeyError, TypeError, ValueError):
            raise QueryError(param, "not a cursor from a previous page") from None
    elif isinstance(key, bool) or not isinstance(key, (int, float, str)) and key is not None:
        raise QueryError(param, "not a cursor from a previous page")
    return key, row_id
