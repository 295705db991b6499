"""Helpers for the dedup tests: hand-built mentions, the dedup corpus and its gold file."""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, datetime
from pathlib import Path

from dateline.model import QUAD_CLASS, ActorRef, Article, Mention, Place

CORPUS = Path(__file__).parent / "data" / "dedup"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def actor(code: str, name: str | None = None) -> ActorRef:
    """An ActorRef as a coder gives it: CAMEO code, country and sector parsed from it."""
    if code[:3] in ("IGO", "NGO"):
        return ActorRef(text=name or code, name=name, code=code, country=None, sector=code[:3])
    return ActorRef(text=name or code, name=name, code=code, country=code[:3],
                    sector=code[3:6] or None)


def place(name: str, country: str, geonameid: int | None = None, admin1: str | None = None,
          lat: float | None = None, lon: float | None = None, feature: str = "city") -> Place:
    return Place(text=name, name=name, country=country, admin1=admin1, lat=lat, lon=lon,
                 geonameid=geonameid, feature=feature)


ALEPPO = place("Aleppo", "SYR", 170063, "09", 36.20124, 37.16117)
HOMS = place("Homs", "SYR", 169577, "11", 34.72405, 36.72559)
SYRIA = place("Syria", "SYR", feature="country")
NEW_YORK = place("New York City", "USA", 5128581, "NY", 40.71427, -74.00597)


def article(aid: str, published: str, source: str | None = None, url: str | None = None,
            text: str = "Body.", headline: str | None = None) -> Article:
    return Article(id=aid, text=text, headline=headline, source=source, url=url,
                   published=datetime.fromisoformat(published))


def mention(aid: str, event_type: str = "ASSAULT", actors=("SYRMIL",), recipients=("SYRREB",),
            day: str | None = "2016-12-06", precision: str = "day", location: Place | None = ALEPPO,
            index: int = 0, mode: str | None = None, cameo: str | None = None,
            negated: bool = False, dead: int | None = None, confidence: float = 0.6,
            modality: str = "asserted", sentence: str | None = None) -> Mention:
    return Mention(
        article_id=aid, sentence=sentence or f"{event_type} in {aid} #{index}",
        sentence_index=index, char_start=max(index, 0) * 100, char_end=max(index, 0) * 100 + 50,
        event_type=event_type, cameo=cameo or "190", quad_class=QUAD_CLASS[event_type],
        confidence=confidence, mode=mode, actor=[actor(c) for c in actors],
        recipient=[actor(c) for c in recipients], negated=negated, modality=modality,
        date=day, date_precision=precision, location=location,
        size={"dead": dead} if dead is not None else {},
    )


# -- the corpus ------------------------------------------------------------------------------
def corpus_articles() -> list[Article]:
    """tests/data/dedup/articles.jsonl as Articles (id, source, url, date, title, text)."""
    out = []
    for line in (CORPUS / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        out.append(Article(id=r["id"], text=r["text"], headline=r["title"], source=r["source"],
                           url=r["url"], published=datetime.fromisoformat(r["date"])))
    return out


def corpus_gold() -> list[dict]:
    return [json.loads(line) for line in
            (CORPUS / "gold.jsonl").read_text(encoding="utf-8").splitlines()]


def coded_mention(art: Article, gold: dict) -> Mention:
    """The hand-coded mention of one gold record: what a perfect coder would output."""
    c = gold["mention"]
    if gold["headline"]:
        index, start, end = -1, 0, 0
    else:
        start = art.text.index(gold["quote"])
        end = start + len(gold["quote"])
        index = len(SENTENCE_END.split(art.text[:start].strip())) if start else 0
    # the gold place is named in the quote (offsets: the quote's; a coder places offsets
    # only on places its sentence names, not on a dateline's)
    loc = Place(text=c["place"]["name"], **c["place"], start=start, end=end) if c["place"] else None
    return Mention(
        article_id=art.id, sentence=gold["quote"], sentence_index=index, char_start=start,
        char_end=end, event_type=c["type"], cameo=c["cameo"] or "",
        quad_class=QUAD_CLASS[c["type"]], confidence=c["confidence"], mode=c["mode"],
        actor=[actor(a) for a in c["actors"]], recipient=[actor(r) for r in c["recipients"]],
        negated=c["negated"], date=c["date"], date_precision=c["precision"], location=loc,
        size={"dead": c["dead"]} if c["dead"] is not None else {},
        trigger=gold["quote"].split()[0], trigger_start=start,
    )


def hand_coded_corpus() -> tuple[list[tuple[Article, list[Mention]]], dict[str, str]]:
    """(article, hand-coded mentions) pairs in file order, and mention id -> gold event."""
    arts = corpus_articles()
    by_id = {a.id: a for a in arts}
    coded: dict[str, list[Mention]] = {a.id: [] for a in arts}
    labels = {}
    for g in corpus_gold():
        m = coded_mention(by_id[g["article"]], g)
        coded[g["article"]].append(m)
        labels[m.id] = g["event"]
    return [(a, coded[a.id]) for a in arts], labels


def with_coder_noise(items, seed: int, place: float = 0.2, recipients: float = 0.3,
                     actors: float = 0.1, lost_date: float = 0.25):
    """The hand-coded corpus as a weaker coder might give it: places, recipients or actors
    missed, explicit dates missed (falling back to the publication day). Ids are kept."""
    rnd = random.Random(seed)
    out = []
    for art, ms in items:
        noisy = []
        for m in ms:
            d = m.to_dict()
            if rnd.random() < place:
                d["location"] = None
            if rnd.random() < recipients:
                d["recipient"] = []
            if rnd.random() < actors:
                d["actor"] = []
            if d["date_precision"] != "publication" and rnd.random() < lost_date:
                d["date_precision"] = "publication"
                d["date"] = art.published.date().isoformat()
            noisy.append(Mention.from_dict(d))
        out.append((art, noisy))
    return out


def utc(ts: str) -> datetime:
    return datetime.fromisoformat(ts).astimezone(UTC)
