"""The Dateline gold format: JSON Lines, one annotated sentence or short text per line.

See docs/evaluation.md for the format. ``read_gold`` parses and validates a file;
``parse_item`` one decoded record. Bad records raise ``GoldError`` naming the line,
since a gold file is written by hand and a silent skip would bias the scores.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from dateline.model import EVENT_TYPES, MODALITIES, Article

SECTORS = frozenset((
    "GOV", "MIL", "REB", "OPP", "INS", "COP", "JUD", "LEG", "IGO", "NGO", "MED", "BUS",
    "CVL", "REF", "LAB", "EDU", "HLH", "REL", "SPY", "UAF", "PTY",
))
_EVENT_KEYS = frozenset((
    "event_type", "actor", "recipient", "date", "location", "negated", "modality", "cameo",
    "attribution", "mode", "optional", "note",
))
_ITEM_KEYS = frozenset(("id", "text", "published", "source", "events", "forbidden", "note",
                        "tags", "ref", "text_sha1"))
# corpora whose text may not be redistributed: gold items point into them with "ref" and
# the text is read from the user's own copy (``dev_data`` folder) when scoring
REF_CORPORA = ("india-police-events",)
_ACTOR_KEYS = frozenset(("country", "sector", "code", "name"))
_PLACE_KEYS = frozenset(("name", "country"))


class GoldError(ValueError):
    """A gold record that does not follow the format."""


@dataclass(frozen=True)
class GoldActor:
    """An actor as the annotator wants it; ``None`` fields are "don't care".

    ``country`` and ``sector`` hold the accepted values (one or more alternatives);
    ``code`` is a prefix of the CAMEO code; one of ``names`` must appear (as whole words)
    in the actor's text or name.
    """

    country: tuple[str, ...] | None = None
    sector: tuple[str, ...] | None = None
    code: str | None = None
    names: tuple[str, ...] | None = None

    def describe(self) -> str:
        parts = ["|".join(self.country) if self.country else "*",
                 "|".join(self.sector) if self.sector else "*"]
        if self.code:
            parts.append(f"code={self.code}")
        if self.names:
            parts.append("'" + "|".join(self.names) + "'")
        return " ".join(parts)


@dataclass(frozen=True)
class GoldPlace:
    names: tuple[str, ...] = ()
    country: str | None = None

    def describe(self) -> str:
        return "/".join(self.names or ("*",)) + (f" ({self.country})" if self.country else "")


@dataclass(frozen=True)
class GoldEvent:
    """One expected (or, in ``forbidden``, one excluded) event.

    ``actor``/``recipient``/``date``/``location`` set to ``None`` are not scored; an empty
    actor list means "no actor expected". An ``optional`` event may be coded or not: a
    mention paired with it is neither a hit nor a false positive.
    """

    event_type: str
    actor: tuple[GoldActor, ...] | None = None
    recipient: tuple[GoldActor, ...] | None = None
    date: str | None = None
    location: GoldPlace | None = None
    negated: bool = False
    modality: str | None = None
    cameo: str | None = None
    mode: str | None = None
    attribution: str | None = None
    optional: bool = False

    def describe(self) -> str:
        out = [("optional " if self.optional else "") + ("not " if self.negated else "")
               + self.event_type]
        if self.actor is not None:
            out.append("actor=[" + ", ".join(a.describe() for a in self.actor) + "]")
        if self.recipient is not None:
            out.append("recipient=[" + ", ".join(a.describe() for a in self.recipient) + "]")
        if self.date:
            out.append(f"date={self.date}")
        if self.location:
            out.append(f"at={self.location.describe()}")
        if self.modality:
            out.append(self.modality)
        if self.mode:
            out.append(f"mode={self.mode}")
        return " ".join(out)


@dataclass(frozen=True)
class GoldItem:
    id: str
    text: str
    published: date | None = None
    source: str | None = None
    events: tuple[GoldEvent, ...] = ()
    forbidden: tuple[GoldEvent, ...] = field(default_factory=tuple)
    tags: tuple[str, ...] = ()  # what kind of text: real/written, headline, passive, region...

    def article(self) -> Article:
        """The article the coder is run on: id, body and publication date of the item."""
        pub = datetime.combine(self.published, time()) if self.published else None
        return Article(id=self.id, text=self.text, published=pub, source=self.source)


def _alternatives(value: Any, what: str, allowed: frozenset[str] | None = None) -> tuple[str, ...] | None:
    if value is None:
        return None
    values = value.split("|") if isinstance(value, str) else value
    if not isinstance(values, list | tuple) or not values or not all(isinstance(v, str) for v in values):
        raise GoldError(f"{what}: expected a code, 'A|B' or a list of codes, got {value!r}")
    out = tuple(v.strip().upper() for v in values)
    for v in out:
        if allowed is not None and v not in allowed:
            raise GoldError(f"{what}: unknown value {v!r}")
        if allowed is None and not (len(v) == 3 and v.isalpha()):
            raise GoldError(f"{what}: {v!r} is not an ISO 3166 alpha-3 code")
    return out


def _unknown_keys(d: dict[str, Any], allowed: frozenset[str], what: str) -> None:
    extra = set(d) - allowed
    if extra:
        raise GoldError(f"{what}: unknown keys {', '.join(sorted(extra))}")


def _actor(d: Any, what: str) -> GoldActor:
    if isinstance(d, str):  # shorthand "SYR" or "SYR MIL"
        parts = d.split()
        d = {"country": parts[0] if parts and parts[0] != "*" else None,
             "sector": parts[1] if len(parts) > 1 else None}
    if not isinstance(d, dict):
        raise GoldError(f"{what}: expected an object, got {d!r}")
    _unknown_keys(d, _ACTOR_KEYS, what)
    names = d.get("name")
    if isinstance(names, str):
        names = names.split("|")
    if names is not None and (not isinstance(names, list | tuple)
                              or not all(isinstance(n, str) and n.strip() for n in names)):
        raise GoldError(f"{what}.name: expected a name, 'A|B' or a list of names")
    actor = GoldActor(
        country=_alternatives(d.get("country"), f"{what}.country"),
        sector=_alternatives(d.get("sector"), f"{what}.sector", SECTORS),
        code=(d.get("code") or None) and str(d["code"]).upper(),
        names=tuple(n.strip() for n in names) if names else None,
    )
    if actor == GoldActor():
        raise GoldError(f"{what}: an actor needs at least one of {sorted(_ACTOR_KEYS)}")
    return actor


def _actors(value: Any, what: str) -> tuple[GoldActor, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        value = [value]
    return tuple(_actor(a, f"{what}[{i}]") for i, a in enumerate(value))


def _place(value: Any, what: str) -> GoldPlace | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, dict):
        raise GoldError(f"{what}: expected an object, got {value!r}")
    _unknown_keys(value, _PLACE_KEYS, what)
    names = value.get("name")
    names = tuple(names.split("|")) if isinstance(names, str) else tuple(names or ())
    country = _alternatives(value.get("country"), f"{what}.country")
    if not names and not country:
        raise GoldError(f"{what}: a location needs a name or a country")
    return GoldPlace(names=names, country=country[0] if country else None)


def _iso_day(value: Any, what: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError as exc:
        raise GoldError(f"{what}: {value!r} is not an ISO date (YYYY-MM-DD)") from exc


def parse_event(d: Any, what: str) -> GoldEvent:
    if not isinstance(d, dict):
        raise GoldError(f"{what}: expected an object")
    _unknown_keys(d, _EVENT_KEYS, what)
    etype = str(d.get("event_type", "")).upper()
    if etype not in EVENT_TYPES:
        raise GoldError(f"{what}.event_type: {d.get('event_type')!r} is not a PLOVER type")
    modality = d.get("modality")
    if modality is not None and modality not in MODALITIES:
        raise GoldError(f"{what}.modality: {modality!r} not in {MODALITIES}")
    negated = d.get("negated", False)
    if not isinstance(negated, bool):
        raise GoldError(f"{what}.negated: expected true or false")
    optional = d.get("optional", False)
    if not isinstance(optional, bool):
        raise GoldError(f"{what}.optional: expected true or false")
    cameo = d.get("cameo")
    if cameo is not None and not (isinstance(cameo, str) and cameo.isdigit()):
        raise GoldError(f"{what}.cameo: expected a string of digits such as \"129\"")
    return GoldEvent(
        event_type=etype,
        actor=_actors(d.get("actor"), f"{what}.actor"),
        recipient=_actors(d.get("recipient"), f"{what}.recipient"),
        date=_iso_day(d.get("date"), f"{what}.date"),
        location=_place(d.get("location"), f"{what}.location"),
        negated=negated,
        modality=modality,
        cameo=cameo,
        mode=d.get("mode"),
        attribution=d.get("attribution") or None,
        optional=optional,
    )


def parse_item(d: Any, where: str = "item") -> GoldItem:
    """One gold record (a decoded JSON object) as a GoldItem; raises GoldError."""
    if not isinstance(d, dict):
        raise GoldError(f"{where}: expected a JSON object")
    _unknown_keys(d, _ITEM_KEYS, where)
    if d.get("id") in (None, ""):
        raise GoldError(f"{where}: missing id")
    text = d.get("text")
    if not isinstance(text, str) or not text.strip():
        raise GoldError(f"{where}: missing text")
    pub = _iso_day(d.get("published"), f"{where}.published")
    events = d.get("events") or []
    forbidden = d.get("forbidden") or []
    if not isinstance(events, list) or not isinstance(forbidden, list):
        raise GoldError(f"{where}: events and forbidden must be lists")
    tags = d.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise GoldError(f"{where}: tags must be a list of strings")
    return GoldItem(
        id=str(d["id"]),
        text=text,
        published=date.fromisoformat(pub) if pub else None,
        source=d.get("source"),
        events=tuple(parse_event(e, f"{where}.events[{i}]") for i, e in enumerate(events)),
        forbidden=tuple(parse_event(e, f"{where}.forbidden[{i}]") for i, e in enumerate(forbidden)),
        tags=tuple(tags),
    )


class RefTexts:
    """Texts of ``ref`` items ("india-police-events/<doc_id>/<sent_id>" or ".../<first>-<last>",
    sentences stripped and joined by a space) read from a folder holding the corpus."""

    def __init__(self, dev_data: str | Path | None):
        self.root = Path(dev_data) if dev_data else None
        self._sents: dict[tuple[str, int], str] | None = None

    def text(self, ref: str) -> str | None:
        corpus, _, rest = ref.partition("/")
        if corpus not in REF_CORPORA or self.root is None:
            return None
        if self._sents is None:
            path = self.root / corpus / "sents.jsonl"
            self._sents = {}
            if path.is_file():
                with open(path, encoding="utf-8") as fh:
                    for line in fh:
                        r = json.loads(line)
                        self._sents[(str(r["doc_id"]), int(r["sent_id"]))] = r["sent_text"]
        doc, _, span = rest.partition("/")
        first, _, last = span.partition("-")
        try:
            ids = range(int(first), int(last or first) + 1)
        except ValueError:
            return None
        parts = [self._sents.get((doc, i)) for i in ids]
        if any(p is None for p in parts):
            return None
        return " ".join(p.strip() for p in parts if p is not None)


def iter_gold(path: str | Path, dev_data: str | Path | None = None,
              skipped: list[str] | None = None) -> Iterator[GoldItem]:
    """The items of a gold JSON Lines file, in order; blank lines and ``//`` lines skipped.
    Items that hold a ``ref`` instead of their text take it from ``dev_data``; without it
    (or when the text there differs from ``text_sha1``) they are left out and their ids
    added to ``skipped``."""
    seen: set[str] = set()
    refs = RefTexts(dev_data)
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            where = f"{path}:{n}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldError(f"{where}: not JSON ({exc.msg})") from exc
            if isinstance(record, dict) and record.get("ref") and not record.get("text"):
                text = refs.text(str(record["ref"]))
                digest = record.get("text_sha1")
                if text is None or (digest and hashlib.sha1(text.encode()).hexdigest() != digest):
                    if skipped is not None:
                        skipped.append(str(record.get("id")))
                    continue
                record = {**record, "text": text}
            item = parse_item(record, where)
            if item.id in seen:
                raise GoldError(f"{where}: duplicate id {item.id!r}")
            seen.add(item.id)
            yield item


def read_gold(path: str | Path, limit: int | None = None, dev_data: str | Path | None = None,
              skipped: list[str] | None = None) -> list[GoldItem]:
    items: list[GoldItem] = []
    for item in iter_gold(path, dev_data, skipped):
        if limit is not None and len(items) >= limit:
            break
        items.append(item)
    return items


def coerce_items(items: Iterable[GoldItem | dict[str, Any]]) -> list[GoldItem]:
    """Gold items given in code: GoldItem objects or records in the file's shape."""
    return [i if isinstance(i, GoldItem) else parse_item(i, f"item {n}") for n, i in enumerate(items)]


def sniff_format(path: str | Path) -> str:
    """``india`` for IndiaPoliceEvents ``sents.jsonl``, ``dateline`` for a Dateline gold file."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldError(f"{path}: first record is not JSON ({exc.msg})") from exc
            if isinstance(record, dict) and "sent_text" in record and "doc_id" in record:
                return "india"
            if isinstance(record, dict) and ("text" in record or "ref" in record):
                return "dateline"
            raise GoldError(f"{path}: neither a Dateline gold file nor IndiaPoliceEvents sents.jsonl")
    raise GoldError(f"{path}: empty gold file")
