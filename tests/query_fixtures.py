"""A real DuckDB store filled with articles, mentions and events, for the query, export, API
and web tests.

Articles go in through ``Store.add_articles`` (``add_articles_bulk`` when the Store has it:
the same rows, written as Arrow tables) with their mentions; events are written to
the ``events`` table exactly as 001_init.sql lays it out, ``data`` = ``Event.to_dict()`` JSON,
and ``mentions.event_id`` points at them (what ``dateline.dedup.update_events`` does).

    store = build_store(tmp_path / "q.duckdb")        # the hand-made world below
    add_random_events(store, 500, seed=1)              # plus many synthetic ones

``WORLD`` names every hand-made event by a key; ``event_id(key)`` gives its id.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from dateline.model import QUAD_CLASS, ActorRef, Article, Event, Mention, Place, stable_id
from dateline.store import Store

EVENT_COLUMNS = (
    "id", "event_type", "quad_class", "cameo", "mode", "actor_codes", "actor_countries",
    "actor_sectors", "actor_names", "recipient_codes", "recipient_countries",
    "recipient_sectors", "recipient_names", "date", "date_start", "date_end", "place",
    "country", "admin1", "lat", "lon", "dead", "injured", "arrested", "size_disputed",
    "negated", "modality", "num_mentions", "num_articles", "num_sources", "first_seen",
    "last_seen", "confidence", "sentence", "data",
)


def actor(text: str, code: str, name: str | None = None, sector: str | None = None,
          country: str | None = None) -> ActorRef:
    country = country if country is not None else (code[:3] if code[:3] != "IGO" else None)
    if sector is None and len(code) >= 6:
        sector = code[3:6]
    return ActorRef(text=text, name=name or text, code=code, country=country, sector=sector)


def place(name: str, country: str, lat: float, lon: float, admin1: str | None = None,
          geonameid: int | None = None, feature: str = "city") -> Place:
    return Place(text=name, name=name, country=country, admin1=admin1, lat=lat, lon=lon,
                 geonameid=geonameid, feature=feature)


ALEPPO = place("Aleppo", "SYR", 36.20124, 37.16117, "09", 170063)
IDLIB = place("Idlib", "SYR", 35.93062, 36.63393, "12", 169389)
DAMASCUS = place("Damascus", "SYR", 33.5102, 36.29128, "13", 170654)
NEW_YORK = place("New York", "USA", 40.71427, -74.00597, "NY", 5128581)
GENEVA = place("Genève", "CHE", 46.20222, 6.14569, "GE", 2660646)
AHMEDABAD = place("Ahmedabad", "IND", 23.02579, 72.58727, "09", 1279233)

SYRMIL = actor("Syria's army", "SYRMIL", "Syrian Arab Army")
SYRREB = actor("rebels", "SYRREB", "Syrian rebels")
SYRGOV = actor("Syria's foreign ministry", "SYRGOV", "Syrian Ministry of Foreign Affairs")
RUSMIL = actor("Russian jets", "RUSMIL", "Russian Armed Forces")
RUSGOV = actor("Russia", "RUSGOV", "Russia")
LAVROV = actor("Sergei Lavrov", "RUSGOV", "Sergei Lavrov")
ZAKHAROVA = actor("Maria Zakharova", "RUSGOV", "Maria Zakharova")
USAGOV = actor("Washington", "USAGOV", "United States")
KERRY = actor("John Kerry", "USAGOV", "John Kerry")
CHNGOV = actor("China", "CHNGOV", "China")
UNSC = actor("UN Security Council", "IGOUNO", "United Nations Security Council", "IGO")
UN = actor("the United Nations", "IGOUNO", "United Nations", "IGO")
SYRCVL = actor("civilians", "SYRCVL", "Syrian civilians")
INDCOP = actor("police", "INDCOP", "Gujarat Police")
INDCVL = actor("rioters", "INDCVL", "rioters")
FRACVL = actor("protesters", "FRACVL", "French protesters")


@dataclass
class Spec:
    """One real-world event and how each source reported it (one sentence per source)."""

    key: str
    event_type: str
    cameo: str
    actors: list[ActorRef]
    recipients: list[ActorRef]
    day: str | None
    location: Place | None
    sentences: list[str]
    sources: list[str]
    mode: str | None = None
    negated: bool = False
    modality: str = "asserted"
    size: dict[str, int] = field(default_factory=dict)
    confidence: float = 0.8


WORLD: list[Spec] = [
    Spec("aleppo_seize", "ASSAULT", "192", [SYRMIL], [SYRREB], "2016-12-06", ALEPPO,
         ["Syria's army seized key ground in its battle to retake Aleppo, capturing five "
          "more districts.",
          "Government troops retook five districts of east Aleppo including Shaar.",
          "The army captured the strategic Shaar neighbourhood in Aleppo."],
         ["AFP", "Reuters", "BBC"], mode="occupy"),
    Spec("aleppo_shelling", "ASSAULT", "195", [RUSMIL], [SYRREB], "2016-12-05", ALEPPO,
         ["Russian jets bombed rebel-held districts of Aleppo, killing 12 people.",
          "Air strikes by Russian jets killed 12 in eastern Aleppo.",
          "Twelve people died when Russian jets struck Aleppo.",
          "Russian aircraft pounded Aleppo, leaving 12 dead."],
         ["AFP", "Reuters", "BBC", "Al Jazeera"], mode="aerial", size={"dead": 12}),
    Spec("aleppo_clash", "ASSAULT", "190", [SYRREB], [SYRMIL], "2016-12-10", ALEPPO,
         ["Rebels attacked army positions in southern Aleppo."], ["SANA"]),
    Spec("aleppo_november", "ASSAULT", "190", [SYRMIL], [SYRREB], "2016-11-20", ALEPPO,
         ["Fighting raged between the army and rebels in Aleppo.",
          "Clashes between troops and rebels shook Aleppo.",
          "The army and rebels fought in Aleppo's old city."],
         ["AFP", "Reuters", "BBC"]),
    Spec("idlib_strike", "ASSAULT", "195", [RUSMIL], [SYRREB], "2016-12-12", IDLIB,
         ["Russian jets struck Idlib province.", "Air raids hit Idlib.",
          "Warplanes bombed Idlib."], ["AFP", "Reuters", "BBC"], mode="aerial"),
    Spec("lavrov_accuses", "ACCUSE", "112", [LAVROV], [USAGOV], "2016-12-06", None,
         ["Foreign Minister Sergei Lavrov accused Washington of backtracking on a ceasefire.",
          "Lavrov accused the United States of backtracking."], ["AFP", "TASS"],
         mode="allege"),
    Spec("usa_accuses", "ACCUSE", "112", [USAGOV], [RUSGOV], "2016-12-05", None,
         ["Washington accused Moscow of stalling for time.",
          "The US accused Russia of stalling."], ["AFP", "Reuters"]),
    Spec("veto", "REJECT", "129", [RUSGOV, CHNGOV], [UNSC], "2016-12-05", NEW_YORK,
         ["Russia and China blocked a UN Security Council resolution calling for a "
          "seven-day ceasefire.",
          "Russia and China vetoed the ceasefire resolution.",
          "A ceasefire resolution was vetoed by Russia and China."],
         ["AFP", "Reuters", "BBC"], mode="veto"),
    Spec("kerry_denies", "REJECT", "016", [KERRY], [], "2016-12-06", None,
         ["US Secretary of State John Kerry denied any change of plans."], ["AFP"]),
    Spec("syria_not_agree", "AGREE", "057", [SYRGOV], [], "2016-12-06", DAMASCUS,
         ["Syria's foreign ministry said it would not agree to any ceasefire without a "
          "guarantee of a rebel withdrawal."], ["AFP"], negated=True),
    Spec("geneva_talks", "CONSULT", "046", [RUSGOV, USAGOV], [], "2016-12-07", GENEVA,
         ["Russia announced talks with the United States in Geneva on a rebel withdrawal.",
          "Moscow and Washington are to meet in Geneva."], ["AFP", "TASS"],
         mode="third-party", modality="planned"),
    Spec("india_arrest", "COERCE", "173", [INDCOP], [INDCVL], "2002-03-01", AHMEDABAD,
         ["Police arrested 40 rioters in Ahmedabad."], ["Times of India"], mode="arrest",
         size={"arrested": 40}),
    Spec("paris_protest", "PROTEST", "141", [FRACVL], [], None, None,
         ["Thousands of protesters marched against the reform."], ["Le Monde"],
         mode="demonstrate", confidence=0.3),
    Spec("un_aid", "AID", "073", [UN], [SYRCVL], "2016-12-08", DAMASCUS,
         ["The United Nations delivered food aid to civilians near Damascus.",
          "UN convoys brought aid to Syrian civilians."], ["Reuters", "BBC"],
         confidence=0.9),
    Spec("zakharova_2024", "ACCUSE", "111", [ZAKHAROVA], [USAGOV], "2024-03-15", None,
         ["Maria Zakharova accused Washington of meddling.",
          "Russia's foreign ministry spokeswoman criticised the United States.",
          "Zakharova condemned US interference."], ["TASS", "Reuters", "AFP"]),
    Spec("usa_sanctions_2024", "SANCTION", "163", [USAGOV], [RUSGOV], "2024-02-23", None,
         ["The United States imposed new sanctions on Russia.",
          "Washington announced sweeping sanctions against Moscow.",
          "New US sanctions target Russia.",
          "The US hit Russia with more than 500 new sanctions."],
         ["Reuters", "AFP", "BBC", "TASS"], mode="embargo"),
]
WORLD_BY_KEY = {s.key: s for s in WORLD}
PUBLISHED_HOUR = 8


def event_id(key: str) -> str:
    return stable_id("fixture-event", key)


def _published(day: str | None, n: int) -> datetime:
    base = date.fromisoformat(day) if day else date(2016, 12, 7)
    return datetime(base.year, base.month, base.day, PUBLISHED_HOUR, tzinfo=timezone.utc) + \
        timedelta(hours=n)


def _located(ref: ActorRef, sentence: str, start: int) -> ActorRef:
    """A copy of ``ref`` with offsets into the article when its text is in the sentence."""
    at = sentence.find(ref.text)
    if at < 0:
        return ActorRef(**{**ref.__dict__, "start": None, "end": None})
    return ActorRef(**{**ref.__dict__, "start": start + at, "end": start + at + len(ref.text)})


def _mention(spec: Spec, article_id: str, sentence: str, index: int, start: int) -> Mention:
    trigger = sentence.split()[2] if len(sentence.split()) > 2 else sentence.split()[0]
    tstart = start + sentence.index(trigger)
    return Mention(
        article_id=article_id, sentence=sentence, sentence_index=index, char_start=start,
        char_end=start + len(sentence), event_type=spec.event_type, cameo=spec.cameo,
        quad_class=QUAD_CLASS[spec.event_type], confidence=spec.confidence, mode=spec.mode,
        actor=[_located(a, sentence, start) for a in spec.actors],
        recipient=[_located(r, sentence, start) for r in spec.recipients],
        negated=spec.negated, modality=spec.modality, date=spec.day,
        date_text="yesterday" if spec.day else None,
        date_precision="day" if spec.day else "publication",
        location=Place(**spec.location.__dict__) if spec.location else None,
        size=dict(spec.size), trigger=trigger, trigger_start=tstart,
        trigger_end=tstart + len(trigger),
    )


def event_row(e: Event) -> tuple:
    """The ``events`` row of an event (column order of EVENT_COLUMNS)."""
    loc = e.location

    def names(refs: list[ActorRef]) -> list[str]:
        return [r.name or r.text for r in refs if r.name or r.text]

    return (
        e.id, e.event_type, e.quad_class, e.cameo, e.mode, list(e.actor_codes),
        [a.country for a in e.actors if a.country], [a.sector for a in e.actors if a.sector],
        names(e.actors), list(e.recipient_codes),
        [r.country for r in e.recipients if r.country],
        [r.sector for r in e.recipients if r.sector], names(e.recipients),
        e.date, e.date_start, e.date_end, loc.name if loc else None, loc.country if loc else None,
        loc.admin1 if loc else None, loc.lat if loc else None, loc.lon if loc else None,
        e.size.get("dead"), e.size.get("injured"), e.size.get("arrested"), e.size_disputed,
        e.negated, e.modality, e.num_mentions, e.num_articles, e.num_sources, e.first_seen,
        e.last_seen, e.confidence, e.sentence, json.dumps(e.to_dict()),
    )


_ARROW_TYPES = {
    "quad_class": "int32", "dead": "int32", "injured": "int32", "arrested": "int32",
    "num_mentions": "int32", "num_articles": "int32", "num_sources": "int32",
    "lat": "float64", "lon": "float64", "confidence": "float64", "size_disputed": "bool_",
    "negated": "bool_",
}


def insert_events(store: Store, events: list[Event]) -> None:
    """Write events (one INSERT from an Arrow table) and point their mentions at them."""
    if not events:
        return
    import pyarrow as pa

    rows = [event_row(e) for e in events]
    columns = {}
    for i, name in enumerate(EVENT_COLUMNS):
        values = [r[i] for r in rows]
        if name.startswith(("actor_", "recipient_")) and name != "actor":
            columns[name] = pa.array(values, pa.list_(pa.string()))
        else:
            columns[name] = pa.array(values, getattr(pa, _ARROW_TYPES.get(name, "string"))())
    table = pa.table(columns)
    names = ", ".join(EVENT_COLUMNS)
    casts = ", ".join(
        f"CAST({c} AS {'DATE' if c.startswith('date') else 'TIMESTAMPTZ'}) AS {c}"
        if c in ("date", "date_start", "date_end", "first_seen", "last_seen")
        else ("CAST(data AS JSON) AS data" if c == "data" else c) for c in EVENT_COLUMNS)
    con = store.con
    con.register("_fixture_events", table)
    try:
        con.execute(f"INSERT INTO events ({names}) SELECT {casts} FROM _fixture_events")
    finally:
        con.unregister("_fixture_events")
    pairs = [(mid, e.id) for e in events for mid in e.mention_ids]
    con.execute("UPDATE mentions SET event_id = t.event_id FROM (SELECT unnest(?) AS id, "
                "unnest(?) AS event_id) t WHERE mentions.id = t.id",
                [[p[0] for p in pairs], [p[1] for p in pairs]])


def _event(key: str, spec: Spec, mentions: list[tuple[Mention, Article]]) -> Event:
    first = min(a.published for _, a in mentions)
    last = max(a.published for _, a in mentions)
    best = max(mentions, key=lambda ma: (ma[0].confidence, -ma[0].sentence_index))[0]
    return Event(
        id=event_id(key), event_type=spec.event_type, quad_class=QUAD_CLASS[spec.event_type],
        cameo=spec.cameo, mode=spec.mode,
        actor_codes=sorted({a.code for a in spec.actors if a.code}),
        recipient_codes=sorted({r.code for r in spec.recipients if r.code}),
        actors=[ActorRef(**a.__dict__) for a in spec.actors],
        recipients=[ActorRef(**r.__dict__) for r in spec.recipients],
        date=spec.day, date_start=spec.day, date_end=spec.day,
        location=Place(**spec.location.__dict__) if spec.location else None,
        size=dict(spec.size), size_disputed=False, negated=spec.negated,
        modality=spec.modality, num_mentions=len(mentions),
        num_articles=len({a.id for _, a in mentions}),
        num_sources=len({a.source for _, a in mentions}),
        first_seen=first.isoformat(), last_seen=last.isoformat(), confidence=spec.confidence,
        sentence=best.sentence, mention_ids=[m.id for m, _ in mentions],
    )


Items = list[tuple[Article, list[Mention]]]


def spec_items(specs: list[Spec], prefix: str = "w"
               ) -> tuple[Items, dict[str, list[tuple[Mention, Article]]]]:
    """The articles (one per source and day, holding that day's sentences of that source)
    with their mentions, and each spec's (mention, article) pairs."""
    by_article: dict[tuple[str, str | None], list[tuple[Spec, str]]] = defaultdict(list)
    for spec in specs:
        for i, source in enumerate(spec.sources):
            by_article[(source, spec.day)].append((spec, spec.sentences[i % len(spec.sentences)]))
    per_event: dict[str, list[tuple[Mention, Article]]] = defaultdict(list)
    items = []
    for n, ((source, day), rows) in enumerate(sorted(by_article.items(), key=str)):
        text = "\n\n".join(sentence for _, sentence in rows)
        art = Article(
            id=stable_id(prefix, source, day, text), text=text,
            headline=f"{source}: {rows[0][1][:60]}", source=source,
            url=f"https://news.example/{source.lower().replace(' ', '-')}/{day or 'undated'}"
                f"/{n}", published=_published(day, n % 5), language="en",
            origin=f"fixture:{prefix}")
        mentions, offset = [], 0
        for index, (spec, sentence) in enumerate(rows):
            m = _mention(spec, art.id, sentence, index, offset)
            mentions.append(m)
            per_event[spec.key].append((m, art))
            offset += len(sentence) + 2
        items.append((art, mentions))
    return items, per_event


def add_specs(store: Store, specs: list[Spec], prefix: str = "w") -> dict[str, Event]:
    """Store the articles of ``specs`` with their mentions, and one event per spec."""
    items, per_event = spec_items(specs, prefix)
    # the Store's writer; its Arrow variant when there (same result, one INSERT per table)
    getattr(store, "add_articles_bulk", store.add_articles)(items)
    events = {key: _event(key, next(s for s in specs if s.key == key), ms)
              for key, ms in per_event.items()}
    insert_events(store, list(events.values()))
    return events


def build_store(path: str | Path) -> Store:
    """A store at ``path`` holding the WORLD events."""
    store = Store.open(path)
    add_specs(store, WORLD)
    return store


_RANDOM_ACTORS = [SYRMIL, SYRREB, SYRGOV, RUSMIL, RUSGOV, USAGOV, CHNGOV, UN, INDCOP, FRACVL,
                  actor("Ukrainian forces", "UKRMIL"), actor("Kyiv", "UKRGOV"),
                  actor("Turkish army", "TURMIL"), actor("Ankara", "TURGOV")]
_RANDOM_PLACES = [ALEPPO, IDLIB, DAMASCUS, NEW_YORK, GENEVA, AHMEDABAD,
                  place("Kyiv", "UKR", 50.45466, 30.5238, "12", 703448),
                  place("Ankara", "TUR", 39.91987, 32.85427, "68", 323786), None]
_TYPES = [("ASSAULT", "190"), ("ACCUSE", "112"), ("CONSULT", "040"), ("COERCE", "173"),
          ("PROTEST", "141"), ("AID", "070"), ("REJECT", "120"), ("THREATEN", "138")]
_WORDS = ["ceasefire", "talks", "shelling", "convoy", "border", "sanctions", "protest",
          "arrests", "aid", "offensive"]


def random_specs(n: int, seed: int = 0, start: date = date(2015, 1, 1), days: int = 1500
                 ) -> list[Spec]:
    rnd = random.Random(seed)
    sources = ["AFP", "Reuters", "BBC", "TASS", "Al Jazeera", "SANA", "Le Monde", "AP"]
    specs = []
    for i in range(n):
        etype, cameo = rnd.choice(_TYPES)
        acts = rnd.sample(_RANDOM_ACTORS, rnd.choice([1, 1, 2]))
        recs = [r for r in rnd.sample(_RANDOM_ACTORS, rnd.choice([0, 1, 1])) if r not in acts]
        day = None if rnd.random() < 0.05 else (start + timedelta(rnd.randrange(days))).isoformat()
        word = rnd.choice(_WORDS)
        k = rnd.choice([1, 1, 2, 3, 4])
        specs.append(Spec(
            f"r{seed}-{i}", etype, cameo, acts, recs, day, rnd.choice(_RANDOM_PLACES),
            [f"Report {i} of {word} involving {acts[0].text} (version {v})." for v in range(k)],
            rnd.sample(sources, k), negated=rnd.random() < 0.1,
            modality=rnd.choice(["asserted"] * 8 + ["planned", "hypothetical"]),
            confidence=round(rnd.uniform(0.2, 0.99), 3)))
    return specs


def add_random_events(store: Store, n: int, seed: int = 0) -> dict[str, Event]:
    """``n`` synthetic events (with their articles and mentions) from a seeded generator."""
    return add_specs(store, random_specs(n, seed), prefix=f"r{seed}")
