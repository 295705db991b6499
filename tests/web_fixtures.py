"""Events for the web page tests whose mentions carry every span offset (actor, trigger,
recipient, place, date) into the article body, so the page's highlighting can be checked
exactly; plus attributions, several sources per event and many events at one spot (Aleppo).

Articles and mentions go in through ``Store.add_articles``; events are written with
``query_fixtures.insert_events`` (the ``events`` table as dedup fills it). Use together
with ``query_fixtures.build_store`` (hand-made events, some without place or date).
"""

from __future__ import annotations

import json
import os
import random
import socket
import threading
import time
from pathlib import Path
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import uvicorn
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

from dateline.model import (QUAD_CLASS, ActorRef, Article, Attribution, Event, Mention, Place,
                            stable_id)
from dateline.store import Store
from query_fixtures import insert_events

PLACES = (  # name, ISO3, admin1, lat, lon
    ("Aleppo", "SYR", "Aleppo", 36.20124, 37.16117),
    ("Idlib", "SYR", "Idlib", 35.93062, 36.63393),
    ("Damascus", "SYR", "Dimashq", 33.5102, 36.29128),
    ("Homs", "SYR", "Homs", 34.72682, 36.72339),
    ("Mosul", "IRQ", "Nineveh", 36.335, 43.11889),
    ("Moscow", "RUS", "Moscow", 55.75222, 37.61556),
    ("Geneva", "CHE", "Geneva", 46.20222, 6.14569),
    ("Washington", "USA", "District of Columbia", 38.89511, -77.03637),
)
ACTORS = (  # text in the sentence, name, code, country, sector
    ("Syrian troops", "Syrian army", "SYRMIL", "SYR", "MIL"),
    ("rebel fighters", "Syrian rebels", "SYRREB", "SYR", "REB"),
    ("Russian jets", "Russian air force", "RUSMIL", "RUS", "MIL"),
    ("Sergei Lavrov", "Sergei Lavrov", "RUSGOV", "RUS", "GOV"),
    ("John Kerry", "John Kerry", "USAGOV", "USA", "GOV"),
    ("the United Nations", "United Nations", "IGOUNO", None, "IGO"),
    ("protesters", "Syrian civilians", "SYRCVL", "SYR", "CVL"),
    ("Iraqi police", "Iraqi police", "IRQCOP", "IRQ", "COP"),
)
VERBS = (  # event type, CAMEO, mode, trigger, sentence pattern
    ("ASSAULT", "190", "firearms", "shelled", "{a} shelled {r} in {p} on {d}"),
    ("COERCE", "173", "arrest", "detained", "{a} detained {r} near {p} on {d}"),
    ("ACCUSE", "112", "disapprove", "accused", "{a} accused {r} of backtracking in {p} on {d}"),
    ("CONSULT", "040", None, "met", "{a} met {r} in {p} on {d}"),
    ("PROTEST", "141", "demonstrate", "rallied", "{a} rallied against {r} in {p} on {d}"),
    ("AID", "070", None, "delivered", "{a} delivered food to {r} in {p} on {d}"),
    ("REJECT", "129", None, "rejected", "{a} rejected a truce offered by {r} in {p} on {d}"),
    ("MOBILIZE", "150", "troops", "deployed", "{a} deployed tanks against {r} around {p} on {d}"),
)
SOURCES = ("Daily Star", "Gulf Times", "Syria Monitor", "Levant Post", "Euphrates Wire")
ATTRIBUTION = "the Syrian Observatory for Human Rights said"
FIRST_DAY = datetime(2016, 11, 20, tzinfo=timezone.utc)
LEAD = "Reporting from the region continued this week.\n\n"


@dataclass
class Planned:
    """One event before it is written: its parts and the sources that report it."""

    index: int
    verb: tuple
    actor: tuple
    recipient: tuple
    place: tuple
    day: datetime
    sources: list[str]
    attributed: bool
    mentions: list[Mention] = field(default_factory=list)

    @property
    def event_id(self) -> str:
        return stable_id("web-fixture-event", self.index, length=16)

    def clause(self) -> tuple[str, dict[str, tuple[int, int]]]:
        """The sentence and where each part sits in it."""
        text = self.verb[4].format(a=self.actor[0], r=self.recipient[0], p=self.place[0],
                                   d=self.day.strftime("%B %-d"))
        sentence = text[0].upper() + text[1:]
        if self.attributed:
            sentence += f", {ATTRIBUTION}"
        sentence += "."
        spans = {}
        for key, part in (("actor", self.actor[0]), ("recipient", self.recipient[0]),
                          ("trigger", self.verb[3]), ("place", self.place[0]),
                          ("date", self.day.strftime("%B %-d"))):
            at = sentence.lower().find(part.lower()) if key == "actor" else sentence.find(part)
            spans[key] = (at, at + len(part))
        return sentence, spans


def plan(n_events: int, seed: int, aleppo_share: float) -> list[Planned]:
    rng = random.Random(seed)
    out = []
    for i in range(n_events):
        place = PLACES[0] if rng.random() < aleppo_share else rng.choice(PLACES[1:])
        actor, recipient = rng.sample(ACTORS, 2)
        k = 1 + (i % 3)
        first = rng.randrange(len(SOURCES))
        out.append(Planned(
            index=i, verb=VERBS[i % len(VERBS)], actor=actor, recipient=recipient, place=place,
            day=FIRST_DAY + timedelta(days=rng.randrange(21)),
            sources=[SOURCES[(first + j) % len(SOURCES)] for j in range(k)],
            attributed=(i % 4 == 0),
        ))
    return out


def _ref(actor: tuple, start: int, end: int, text: str) -> ActorRef:
    return ActorRef(text=text, name=actor[1], code=actor[2], country=actor[3], sector=actor[4],
                    start=start, end=end)


def _mention(article_id: str, body_offset: int, index: int, ev: Planned) -> Mention:
    sentence, sp = ev.clause()
    at = {k: (body_offset + s, body_offset + e) for k, (s, e) in sp.items()}
    place = ev.place
    attribution = None
    if ev.attributed:
        attribution = Attribution(text=ATTRIBUTION, actor=ActorRef(
            text="the Syrian Observatory for Human Rights",
            name="Syrian Observatory for Human Rights", code="SYRNGO", country="SYR",
            sector="NGO"))
    return Mention(
        article_id=article_id, sentence=sentence, sentence_index=index,
        char_start=body_offset, char_end=body_offset + len(sentence),
        event_type=ev.verb[0], cameo=ev.verb[1], quad_class=QUAD_CLASS[ev.verb[0]],
        mode=ev.verb[2], confidence=0.8,
        actor=[_ref(ev.actor, *at["actor"], sentence[sp["actor"][0]:sp["actor"][1]])],
        recipient=[_ref(ev.recipient, *at["recipient"], ev.recipient[0])],
        date=ev.day.date().isoformat(), date_text=ev.day.strftime("%B %-d"),
        date_precision="day", date_start=at["date"][0], date_end=at["date"][1],
        location=Place(text=place[0], name=place[0], country=place[1], admin1=place[2],
                       lat=place[3], lon=place[4], feature="city",
                       start=at["place"][0], end=at["place"][1]),
        size={"dead": 3} if ev.verb[0] == "ASSAULT" else {},
        attribution=attribution, trigger=ev.verb[3],
        trigger_start=at["trigger"][0], trigger_end=at["trigger"][1],
        event_id=ev.event_id,
    )


def build(n_events: int = 48, seed: int = 7, aleppo_share: float = 0.35
          ) -> tuple[list[tuple[Article, list[Mention]]], list[Planned]]:
    """Articles (with their mentions) and the planned events they describe."""
    events = plan(n_events, seed, aleppo_share)
    by_article: dict[tuple[str, str], list[Planned]] = {}
    for ev in events:
        for source in ev.sources:
            by_article.setdefault((source, ev.day.date().isoformat()), []).append(ev)
    items = []
    for (source, day), evs in sorted(by_article.items()):
        body = LEAD
        sentences = []
        for ev in evs:
            sentence, _ = ev.clause()
            sentences.append((len(body), ev))
            body += sentence + " "
        body = body.rstrip()
        published = datetime.fromisoformat(day).replace(hour=9, tzinfo=timezone.utc)
        article = Article(
            id=Article.make_id(source, body), text=body, source=source,
            headline=f"{evs[0].place[0]}: {evs[0].verb[0].lower()} and more ({source})",
            url=f"https://news.example.org/{source.lower().replace(' ', '-')}/{day}",
            published=published, language="en",
        )
        mentions = []
        for n, (offset, ev) in enumerate(sentences):
            m = _mention(article.id, offset, n + 1, ev)
            ev.mentions.append(m)
            mentions.append(m)
        items.append((article, mentions))
    return items, events


def event_of(ev: Planned, published: dict[str, datetime]) -> Event:
    first = ev.mentions[0]
    seen = sorted(published[m.article_id] for m in ev.mentions)
    return Event(
        id=ev.event_id, event_type=first.event_type, quad_class=first.quad_class,
        cameo=first.cameo, mode=first.mode, actor_codes=[a.code for a in first.actor],
        recipient_codes=[a.code for a in first.recipient], actors=first.actor,
        recipients=first.recipient, date=first.date, date_start=first.date,
        date_end=first.date, location=first.location, size=first.size, size_disputed=False,
        negated=False, modality="asserted", num_mentions=len(ev.mentions),
        num_articles=len({m.article_id for m in ev.mentions}), num_sources=len(ev.sources),
        first_seen=seen[0].isoformat(), last_seen=seen[-1].isoformat(),
        confidence=first.confidence, sentence=first.sentence,
        mention_ids=[m.id for m in ev.mentions],
    )


def fill_store(store: Store, n_events: int = 48, seed: int = 7,
               aleppo_share: float = 0.35) -> list[Event]:
    """Fill ``store`` and return the events written."""
    items, planned = build(n_events, seed, aleppo_share)
    store.add_articles(items)
    published = {a.id: a.published for a, _ in items}
    events = [event_of(ev, published) for ev in planned]
    insert_events(store, events)
    return events


# -- a real server and a real browser --------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1400,900",
)


def browser_skip_reason() -> str | None:
    """Why browser tests cannot run here, or None. Under CI they must run."""
    if os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER):
        return None
    if os.environ.get("CI") == "true":
        return None  # let them fail: CI must have Chromium (make browser-deps)
    return f"{CHROMIUM} or {CHROMEDRIVER} missing (make browser-deps)"


class LiveServer:
    """uvicorn serving ``app`` on 127.0.0.1 (a free port) in a background thread."""

    def __init__(self, app):
        self.app = app
        self.server = None
        self.thread = None
        self.url = None

    def start(self) -> LiveServer:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        config = uvicorn.Config(self.app, host="127.0.0.1", port=port, log_level="warning",
                                lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{port}/"
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
            self.thread.join(timeout=15)


def chromium(user_data_dir: str, performance_log: bool = True):
    """Headless Debian Chromium through its chromedriver (no downloads: Selenium Manager off)."""
    os.environ.setdefault("SE_OFFLINE", "true")
    options = Options()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={user_data_dir}")
    prefs = {"browser": "ALL"}
    if performance_log:
        prefs["performance"] = "ALL"
    options.set_capability("goog:loggingPrefs", prefs)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def requested_urls(driver) -> list[str]:
    """Every URL the browser asked for since the last call (from the performance log)."""
    out = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            out.append(msg["params"]["request"]["url"])
    return out


# -- driving the page ---------------------------------------------------------------------
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SYRIA = [[32.3, 35.6], [37.4, 42.4]]


def wait(driver, predicate, timeout=20, message=""):
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(predicate, message)


def ready(driver):
    wait(driver, lambda d: d.execute_script(
        "return document.body.dataset.state === 'ready' && !!window.dateline"),
        message="page did not finish loading")


def open_page(driver, url, fragment=""):
    driver.get("about:blank")
    requested_urls(driver)  # drop older log entries
    driver.get(url + (f"#{fragment}" if fragment else ""))
    ready(driver)


def screenshot(driver, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000


def zoom_to(driver, bounds, event_ids):
    """Fit the map to ``bounds`` and wait until each event's own dot is on the map."""
    driver.execute_script("dateline.map.map.fitBounds(arguments[0], {animate: false});", bounds)
    wait(driver, lambda d: d.execute_script(
        "return arguments[0].every(id => document.querySelector("
        "`.ev-dot[data-event-id=\"${id}\"]`));", list(event_ids)),
        message="events not shown as their own dots after zooming")


def open_event(driver, event_id):
    wait(driver, lambda d: d.execute_script(
        "const p = document.getElementById('provenance');"
        "return !p.hidden && p.dataset.eventId === arguments[0] && "
        "p.querySelectorAll('li.mention').length > 0;", event_id),
        message=f"provenance of {event_id} not shown")
    return driver.find_element(By.ID, "provenance")
