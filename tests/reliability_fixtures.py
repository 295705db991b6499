"""Inputs and helpers of the reliability tests and of bench/load.py (no pytest import).

* ``event_articles``: short news articles in which several outlets report the same few
  events (so coding gives mentions and dedup merges them across articles);
* ``run_load``: the load run -- query clients and article posters against a served API,
  with errors, latencies and the ids posted;
* ``store_report``: what a store holds, for "lost nothing, doubled nothing" checks.
"""

from __future__ import annotations

import random
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

# the `dateline` command as a subprocess, whatever the install (console script or not)
DATELINE = [sys.executable, "-c", "from dateline.cli import main; main()"]

ACTORS = ["Syrian troops", "Russian warplanes", "Turkish police", "Iraqi forces",
          "Ukrainian forces", "Israeli troops", "Nigerian soldiers", "Afghan police",
          "Pakistani security forces", "Egyptian police"]
ACTIONS = ["attacked", "shelled", "arrested", "bombed", "accused", "met with", "fired on",
           "detained", "raided", "clashed with"]
TARGETS = ["rebel positions", "opposition fighters", "dozens of protesters", "militants",
           "a group of journalists", "Kurdish fighters", "the delegation", "students"]
PLACES = ["Aleppo", "Mosul", "Kharkiv", "Ankara", "Gaza", "Maiduguri", "Kandahar", "Lahore",
          "Cairo", "Homs"]
OUTLETS = ["Reuters", "AFP", "AP", "Al Jazeera", "BBC", "Daily Star", "Dawn", "Xinhua"]
TAILS = ["officials said.", "witnesses told reporters.", "a spokesman said.",
         "according to local media.", "the ministry said in a statement."]


@dataclass(frozen=True)
class StoryEvent:
    actor: str
    action: str
    target: str
    place: str
    day: date

    def sentence(self, rng: random.Random, published: date) -> str:
        ago = (published - self.day).days
        when = {0: "on " + self.day.strftime("%A"), 1: "yesterday"}.get(
            ago, "on " + self.day.strftime("%B %d"))
        return (f"{self.actor} {self.action} {self.target} in {self.place} {when}, "
                f"{rng.choice(TAILS)}")


def story_events(n: int, seed: int) -> list[StoryEvent]:
    rng = random.Random(f"events-{seed}")
    start = date(2016, 12, 1)
    return [StoryEvent(rng.choice(ACTORS), rng.choice(ACTIONS), rng.choice(TARGETS),
                       rng.choice(PLACES), start + timedelta(days=rng.randrange(0, 20)))
            for _ in range(n)]


def event_articles(n: int, seed: int = 0, events: int | None = None) -> list[dict[str, Any]]:
    """``n`` articles as JSON records (id, title, date, source, url, text): each reports one
    to three of ``events`` (default n/4) events, so outlets overlap."""
    rng = random.Random(f"articles-{seed}")
    pool = story_events(events or max(2, n // 4), seed)
    out = []
    for i in range(n):
        chosen = rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))
        published = max(e.day for e in chosen) + timedelta(days=rng.randint(0, 1))
        paragraphs = [e.sentence(rng, published) for e in chosen]
        paragraphs.append(f"Report {i} of series {seed}: the situation remained tense.")
        outlet = rng.choice(OUTLETS)
        out.append({"id": f"rel-{seed}-{i}", "title": paragraphs[0].split(",")[0],
                    "date": published.isoformat(), "source": outlet,
                    "url": f"https://example.org/{seed}/{i}", "text": "\n\n".join(paragraphs)})
    return out


def article_file_text(record: dict[str, Any]) -> str:
    """A record as a plain-text article file in the shape of the founding example."""
    when = date.fromisoformat(record["date"]).strftime("%B %d, %Y")
    return f"Published on 12:00 AM, {when}\n\n{record['title']}\n\n{record['text']}\n"


def write_event_corpus(folder: Path, n: int, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` plain-text article files; their records."""
    folder.mkdir(parents=True, exist_ok=True)
    records = event_articles(n, seed)
    for i, rec in enumerate(records):
        (folder / f"story-{seed}-{i:04d}.txt").write_text(article_file_text(rec),
                                                          encoding="utf-8")
    return records


# -- what a store holds ---------------------------------------------------------------------
def store_report(con: Any) -> dict[str, Any]:
    """Counts and consistency figures of a store (a DuckDB connection or cursor)."""
    def one(sql: str) -> Any:
        return con.execute(sql).fetchone()[0]

    events = {}
    for event_id, mention_id in con.execute(
            "SELECT event_id, id FROM mentions WHERE event_id IS NOT NULL").fetchall():
        events.setdefault(event_id, set()).add(mention_id)
    return {
        "articles": one("SELECT count(*) FROM articles"),
        "article_ids_distinct": one("SELECT count(DISTINCT id) FROM articles"),
        "mentions": one("SELECT count(*) FROM mentions"),
        "mention_ids_distinct": one("SELECT count(DISTINCT id) FROM mentions"),
        "events": one("SELECT count(*) FROM events"),
        "mentions_without_event": one("SELECT count(*) FROM mentions WHERE event_id IS NULL"),
        "mentions_with_missing_event": one(
            "SELECT count(*) FROM mentions m WHERE m.event_id IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM events e WHERE e.id = m.event_id)"),
        "orphan_mentions": one(
            "SELECT count(*) FROM mentions m WHERE NOT EXISTS "
            "(SELECT 1 FROM articles a WHERE a.id = m.article_id)"),
        "events_without_mentions": one(
            "SELECT count(*) FROM events e WHERE NOT EXISTS "
            "(SELECT 1 FROM mentions m WHERE m.event_id = e.id)"),
        "partition": sorted(sorted(ms) for ms in events.values()),
    }


# -- the load run ---------------------------------------------------------------------------
QUERIES: list[tuple[str, dict[str, str]]] = [
    ("/events", {}),
    ("/events", {"type": "ASSAULT", "limit": "50"}),
    ("/events", {"country": "SYR,IRQ", "sort": "-sources"}),
    ("/events", {"q": "police", "since": "2016-12"}),
    ("/events", {"near": "36.2,37.15,200"}),
    ("/events", {"actor": "SYR", "type": "ASSAULT,COERCE"}),
    ("/stats", {}),
    ("/timeline", {"interval": "week"}),
    ("/dyads", {"top": "10"}),
    ("/articles", {"limit": "20"}),
    ("/health", {}),
]


@dataclass
class LoadFigures:
    """What one load run measured."""

    query_latencies: list[float] = field(default_factory=list)
    post_latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    posted_ids: list[str] = field(default_factory=list)  # ids in accepted POSTs
    reported_new: int = 0  # "new" summed over the POST answers
    reported_duplicate: int = 0  # "duplicate" summed over the POST answers
    reported_ids: list[str] = field(default_factory=list)  # article_ids of the answers
    lock: threading.Lock = field(default_factory=threading.Lock)

    def summary(self) -> dict[str, Any]:
        q, p = self.query_latencies, self.post_latencies
        return {
            "queries": len(q), "posts": len(p), "errors": len(self.errors),
            "error_samples": self.errors[:5],
            "query_p50_ms": _ms(percentile(q, 50)), "query_p99_ms": _ms(percentile(q, 99)),
            "query_max_ms": _ms(max(q) if q else None),
            "post_p50_ms": _ms(percentile(p, 50)), "post_p99_ms": _ms(percentile(p, 99)),
            "articles_posted": len(self.posted_ids), "reported_new": self.reported_new,
            "reported_duplicate": self.reported_duplicate,
        }


def percentile(values: Sequence[float], p: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] \
        if p < 100 else max(values)


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def run_load(base: str, api_key: str, articles: Sequence[dict[str, Any]], clients: int,
             min_seconds: float, max_seconds: float, batch: int = 20, writers: int = 1,
             on_progress: Callable[[str], None] | None = None) -> LoadFigures:
    """``clients`` threads query the API in a loop while ``writers`` threads POST the
    ``articles`` in batches of ``batch``; queries run for at least ``min_seconds`` and
    until the posts are done, never longer than ``max_seconds``. Any non-2xx answer or
    transport error counts as an error."""
    import httpx

    figures = LoadFigures()
    batches = [list(articles[i:i + batch]) for i in range(0, len(articles), batch)]
    queue_lock = threading.Lock()
    writers_done = threading.Event()
    started = time.perf_counter()
    deadline = started + max_seconds

    def note_error(what: str) -> None:
        with figures.lock:
            figures.errors.append(what)

    def query_loop(k: int) -> None:
        rng = random.Random(k)
        paging: tuple[dict[str, str], str] | None = None  # (query, its next cursor)
        with httpx.Client(base_url=base, timeout=60) as client:
            while time.perf_counter() < deadline:
                if writers_done.is_set() and time.perf_counter() - started >= min_seconds:
                    return
                if paging and rng.random() < 0.3:  # page on through a cursor
                    path, params = "/events", {**paging[0], "cursor": paging[1]}
                else:
                    path, params = QUERIES[rng.randrange(len(QUERIES))]
                t = time.perf_counter()
                try:
                    r = client.get(path, params=params)
                except httpx.HTTPError as exc:
                    note_error(f"GET {path}: {type(exc).__name__}: {exc}")
                    continue
                elapsed = time.perf_counter() - t
                if r.status_code != 200:
                    note_error(f"GET {path} {params}: {r.status_code} {r.text[:200]}")
                    continue
                with figures.lock:
                    figures.query_latencies.append(elapsed)
                if path == "/events":
                    query = {name: v for name, v in params.items() if name != "cursor"}
                    nxt = r.json().get("next_cursor")
                    paging = (query, nxt) if nxt else None

    def post_loop() -> None:
        with httpx.Client(base_url=base, timeout=600,
                          headers={"X-API-Key": api_key}) as client:
            while time.perf_counter() < deadline:
                with queue_lock:
                    if not batches:
                        return
                    body = batches.pop(0)
                t = time.perf_counter()
                try:
                    r = client.post("/articles", json=body)
                except httpx.HTTPError as exc:
                    note_error(f"POST /articles: {type(exc).__name__}: {exc}")
                    continue
                elapsed = time.perf_counter() - t
                if r.status_code != 200:
                    note_error(f"POST /articles: {r.status_code} {r.text[:200]}")
                    continue
                report = r.json()
                with figures.lock:
                    figures.post_latencies.append(elapsed)
                    figures.posted_ids.extend(a["id"] for a in body)
                    figures.reported_new += report["new"]
                    figures.reported_duplicate += report["duplicate"]
                    figures.reported_ids.extend(report["article_ids"])
                if on_progress:
                    on_progress(f"posted {len(figures.posted_ids)}/{len(articles)}")

    threads = [threading.Thread(target=query_loop, args=(k,), daemon=True)
               for k in range(clients)]
    posters = [threading.Thread(target=post_loop, daemon=True) for _ in range(writers)]
    for t in threads + posters:
        t.start()
    for t in posters:
        t.join(timeout=max(0.0, deadline - time.perf_counter()) + 60)
    writers_done.set()
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.perf_counter()) + 60)
    return figures

