"""The PLOVER event types as one validated table (``data/event_types.tsv``).

Everything the coder, the store and the exports know about a type — quad class, verbal or
material, CAMEO roots, the code of its planned and of its rejected form — is read from here.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from collections.abc import Mapping

KINDS = ("verbal", "material")


@dataclass(frozen=True)
class EventType:
    name: str
    quad: int
    kind: str  # verbal | material
    cameo_roots: tuple[str, ...]
    default_cameo: str
    planned_cameo: str | None
    reject_cameo: str | None
    reject_mode: str | None
    enacted_by_announcing: bool
    located: bool
    description: str

    def cameo_ok(self, code: str) -> bool:
        """Whether a CAMEO code belongs to this type (empty means unknown: allowed)."""
        return not code or (code.isdigit() and code.startswith(self.cameo_roots))


class EventTypeError(ValueError):
    """A bad row in the event-type table, or an unknown type where one is required."""


def parse_table(text: str, origin: str = "event_types.tsv") -> Mapping[str, EventType]:
    """Parse and validate the table; errors name the file and line."""
    numbered = [(n, ln) for n, ln in enumerate(text.splitlines(), 1)
                if ln.strip() and not ln.startswith("#")]
    if not numbered:
        raise EventTypeError(f"{origin}: empty table")
    reader = csv.DictReader([ln for _n, ln in numbered], delimiter="\t",
                            quoting=csv.QUOTE_NONE)
    out: dict[str, EventType] = {}
    for (line, _text), row in zip(numbered[1:], reader):
        where = f"{origin}:{line}"
        try:
            name = row["type"].strip().upper()
            quad = int(row["quad"])
            kind = row["kind"].strip()
            roots = tuple(r.strip() for r in row["cameo_roots"].split(",") if r.strip())
        except (KeyError, ValueError, AttributeError) as exc:
            raise EventTypeError(f"{where}: malformed row ({exc})") from None
        if not name.isalpha():
            raise EventTypeError(f"{where}: type must be a word, not {name!r}")
        if name in out:
            raise EventTypeError(f"{where}: type {name} listed twice")
        if quad not in (1, 2, 3, 4):
            raise EventTypeError(f"{where}: quad must be 1-4, not {quad}")
        if kind not in KINDS:
            raise EventTypeError(f"{where}: kind must be verbal or material, not {kind!r}")
        if not roots or not all(r.isdigit() for r in roots):
            raise EventTypeError(f"{where}: cameo_roots must be CAMEO digits")

        def opt(key: str, row: dict[str, str] = row) -> str | None:
            return (row.get(key) or "").strip() or None

        et = EventType(
            name=name, quad=quad, kind=kind, cameo_roots=roots,
            default_cameo=opt("default_cameo") or roots[0],
            planned_cameo=opt("planned_cameo"), reject_cameo=opt("reject_cameo"),
            reject_mode=opt("reject_mode"),
            enacted_by_announcing=(opt("enacted_by_announcing") or "no") == "yes",
            located=(opt("located") or "no") == "yes",
            description=opt("description") or "",
        )
        for key in ("default_cameo", "planned_cameo", "reject_cameo"):
            code = getattr(et, key)
            if code is not None and not code.isdigit():
                raise EventTypeError(f"{where}: {key} must be a CAMEO code, not {code!r}")
        if not et.cameo_ok(et.default_cameo):
            raise EventTypeError(f"{where}: default_cameo {et.default_cameo} is not under "
                                 f"{', '.join(roots)}")
        out[name] = et
    if "REJECT" not in out:
        raise EventTypeError(f"{origin}: the table needs a REJECT type")
    return MappingProxyType(out)


@lru_cache(maxsize=1)
def event_types() -> Mapping[str, EventType]:
    """The packaged table, read once."""
    text = (resources.files("dateline") / "data" / "event_types.tsv").read_text(encoding="utf-8")
    return parse_table(text)


def get(name: str) -> EventType:
    """The type called ``name``; ``EventTypeError`` when there is none."""
    try:
        return event_types()[name]
    except KeyError:
        raise EventTypeError(f"unknown event type {name!r} (known: "
                             f"{', '.join(event_types())})") from None
