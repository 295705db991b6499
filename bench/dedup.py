"""Dedup benchmark: cluster 100,000 and 1,000,000 synthetic mentions with the same pure
function the store path uses, and print time, peak memory and the growth ratio.

Synthetic world: ~3.5 reports per event, 300 events a day (the span grows with the
size, as a news stream does), 60 countries (Zipf-skewed), 16 event types (skewed),
30 cities per country, actors from 3 sector families; reports vary the date precision
(day / publication / week / month), drop or coarsen the place, drop actors or
recipients, disagree on the dead. B-cubed against the generating events is printed as a
sanity figure (look-alikes arise by chance: same type, country, day, city and actors).

Then the store path: ``update_events`` over 20,000 one-mention articles, 50 more added
incrementally (only the components they touch are read), and a full rebuild.

``run(quick=True)`` uses 10x smaller sizes (10,000 and 100,000; 2,000 in the store).
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import psutil

from dateline.dedup import update_events
from dateline.dedup.bcubed import b_cubed
from dateline.dedup.cluster import cluster_records
from dateline.dedup.records import FAMILY_BITS, Records
from dateline.dedup.rules import (
    ADMIN1_LEVEL, COUNTRY_LEVEL, DAY, LOCAL_LEVEL, MONTH, NO_PLACE, PUBLICATION, WEEK,
    DedupRules,
)
from dateline.model import EVENT_TYPES, QUAD_CLASS, ActorRef, Article, Mention, Place
from dateline.store import Store

EVENTS_PER_DAY = 300
COUNTRIES = 60
CITIES = 30
FAMILIES = 3


def synthetic(n: int, seed: int = 7) -> tuple[Records, np.ndarray]:
    """``n`` synthetic mention records in canonical order and their true event."""
    rng = np.random.default_rng(seed)
    per_event = np.minimum(1 + rng.poisson(2.5, size=n), 8)
    events = int(np.searchsorted(np.cumsum(per_event), n)) + 1
    per_event = per_event[:events]
    per_event[-1] -= int(per_event.sum()) - n
    days = max(1, round(events / EVENTS_PER_DAY))
    base = 736_000  # a day ordinal (2016)

    zipf = 1.0 / np.arange(1, COUNTRIES + 1)
    e_country = rng.choice(COUNTRIES, size=events, p=zipf / zipf.sum()) + 1
    t_weight = np.linspace(3, 0.3, len(EVENT_TYPES))
    e_type = rng.choice(len(EVENT_TYPES), size=events, p=t_weight / t_weight.sum())
    e_day = base + rng.integers(0, days, size=events)
    e_city = rng.integers(0, CITIES, size=events)
    e_afam = rng.choice(FAMILIES, size=events, p=[0.7, 0.2, 0.1]) + 1
    e_rfam = rng.choice(FAMILIES, size=events, p=[0.3, 0.5, 0.2]) + 1
    foreign = rng.random(events) < 0.2
    e_rcountry = np.where(foreign, rng.integers(1, COUNTRIES + 1, size=events), e_country)
    e_has_r = rng.random(events) < 0.8
    e_mode = rng.integers(0, 6, size=events)
    e_neg = rng.random(events) < 0.03
    e_dead = np.where(rng.random(events) < 0.3, rng.integers(1, 60, size=events), -1)

    ev = np.repeat(np.arange(events), per_event)
    r = rng.random((n, 8))
    country = e_country[ev]
    # dates: exact day, publication day (same or next), week, month
    precision = np.select([r[:, 0] < 0.6, r[:, 0] < 0.9, r[:, 0] < 0.95],
                          [DAY, PUBLICATION, WEEK], MONTH).astype(np.int8)
    day = e_day[ev]
    pub = day + (r[:, 1] < 0.5)
    lo = np.select([precision == DAY, precision == PUBLICATION, precision == WEEK],
                   [day, pub - 1, day - (day % 7)], day - ((day - base) % 30))
    hi = np.select([precision == DAY, precision == PUBLICATION, precision == WEEK],
                   [day, pub + 1, day - (day % 7) + 6], day - ((day - base) % 30) + 29)
    # places: the city, its country, or none
    level = np.select([r[:, 2] < 0.7, r[:, 2] < 0.85], [LOCAL_LEVEL, COUNTRY_LEVEL],
                      NO_PLACE).astype(np.int8)
    city = e_city[ev]
    city_id = country.astype(np.int64) * 1000 + city
    city_rng = np.random.default_rng(seed + 1)
    city_lat = city_rng.uniform(-40, 60, size=(COUNTRIES + 1, CITIES))
    city_lon = city_rng.uniform(-100, 120, size=(COUNTRIES + 1, CITIES))
    local = level == LOCAL_LEVEL
    lat = np.where(local, city_lat[country, city], np.nan)
    lon = np.where(local, city_lon[country, city], np.nan)
    admin1 = np.where(local, country * 100 + city % 5 + 1, 0).astype(np.int32)
    # actors: the event's, none, or the bare country (state family)
    a_key = (country.astype(np.int64) << FAMILY_BITS) | e_afam[ev]
    a_key = np.where(r[:, 3] < 0.1, 0, np.where(r[:, 3] < 0.15,
                     (country.astype(np.int64) << FAMILY_BITS) | 1, a_key))
    rc = e_rcountry[ev]
    r_key = (rc.astype(np.int64) << FAMILY_BITS) | e_rfam[ev]
    r_key = np.where(e_has_r[ev] & (r[:, 4] < 0.7), r_key, 0)
    # blocked under the countries it names (actor, recipient, place), else "no country"
    named = np.stack([np.where(a_key > 0, country, 0), np.where(r_key > 0, rc, 0),
                      np.where(level > NO_PLACE, country, 0)], axis=1)
    named.sort(axis=1)
    named[:, 1:][named[:, 1:] == named[:, :-1]] = 0
    named[(named == 0).all(axis=1), 0] = COUNTRIES + 1
    blocks = named.astype(np.int32)
    dead = np.where(r[:, 5] < 0.6, e_dead[ev], -1)
    dead = np.where((dead > 0) & (r[:, 6] < 0.2), dead + 3, dead)  # disputed tolls

    etype = e_type[ev].astype(np.int32)
    rec = Records(
        etype=etype, family=etype.copy(), negated=e_neg[ev], modality=np.zeros(n, np.int8),
        precision=precision, lo=lo.astype(np.int32), hi=hi.astype(np.int32),
        article=np.arange(1, n + 1, dtype=np.int64), mode=e_mode[ev].astype(np.int32),
        dead=dead.astype(np.int64), place_level=level,
        place_country=np.where(level > NO_PLACE, country, 0).astype(np.int32),
        place_admin1=np.where(level == ADMIN1_LEVEL, admin1, np.where(local, admin1, 0)),
        place_loc=np.where(local, city_id, 0), lat=lat, lon=lon,
        actors=a_key.reshape(n, 1), recipients=r_key.reshape(n, 1), blocks=blocks,
        type_names=tuple(EVENT_TYPES),
    )
    order = np.lexsort((rng.random(n), pub))  # canonical order: by publication
    return rec.take(order), ev[order]


class _PeakRSS:
    """Samples the process RSS in a thread; ``peak`` is the highest seen (bytes)."""

    def __init__(self, every: float = 0.02):
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._proc = psutil.Process()

    def __enter__(self) -> _PeakRSS:
        self.base = self._proc.memory_info().rss
        self.peak = self.base
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._proc.memory_info().rss)
            time.sleep(self.every)

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._proc.memory_info().rss)


def _measure(n: int, rules: DedupRules, say: Callable[[str], None]) -> dict[str, Any]:
    rec, truth = synthetic(n)
    with _PeakRSS() as mem:
        t0, c0 = time.perf_counter(), time.process_time()
        result = cluster_records(rec, rules)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    score = b_cubed(dict(enumerate(result.labels.tolist())), dict(enumerate(truth.tolist())))
    out = {
        "mentions": n, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
        "mentions_per_second": round(n / seconds),
        "peak_rss_mb": round(mem.peak / 2**20, 1),
        "rss_growth_mb": round((mem.peak - mem.base) / 2**20, 1),
        "events": int(len(np.unique(result.labels))), "true_events": int(len(np.unique(truth))),
        "pairs": result.pairs, "edges": result.edges, "resolved_components": result.resolved,
        "bcubed_precision": round(score.precision, 4), "bcubed_recall": round(score.recall, 4),
    }
    say(f"  {n:>9,} mentions: {out['seconds']:7.2f} s (CPU {out['cpu_seconds']:.2f} s, "
        f"{out['mentions_per_second']:,}/s)  "
        f"peak RSS {out['peak_rss_mb']:,.0f} MB (+{out['rss_growth_mb']:,.0f})  "
        f"pairs {out['pairs']:,}  events {out['events']:,}/{out['true_events']:,}  "
        f"B3 P={out['bcubed_precision']:.3f} R={out['bcubed_recall']:.3f}")
    return out


def _articles(n: int, seed: int, start: int = 0,
              world: int | None = None) -> list[tuple[Article, list[Mention]]]:
    """``n`` one-mention articles about the ~world/3 events of a world of ``world``
    reports (default n) over world/30 days (for the store path)."""
    world = world or n
    rng = np.random.default_rng(seed + start)
    countries = ["SYR", "IRQ", "AFG", "YEM", "LBY", "MLI", "NGA", "SOM"]
    out = []
    base = date(2016, 1, 1)
    for k in range(start, start + n):
        e = int(rng.integers(0, max(1, world // 3)))
        erng = np.random.default_rng(seed * 1_000_003 + e)
        country = countries[int(erng.integers(len(countries)))]
        day = base + timedelta(days=int(erng.integers(max(1, world // 30))))
        etype = EVENT_TYPES[int(erng.integers(len(EVENT_TYPES)))]
        city = int(erng.integers(20))
        published = datetime.combine(day, datetime.min.time(), UTC) + timedelta(
            hours=int(rng.integers(6, 40)))
        place = Place(text=f"City {city}", name=f"City {city}", country=country,
                      geonameid=countries.index(country) * 100 + city + 1, feature="city")
        pub_only = rng.random() < 0.3
        m = Mention(article_id=f"art{k}", sentence=f"Report {k} of event {e}.",
                    sentence_index=0, char_start=0, char_end=20, event_type=etype,
                    cameo="190", quad_class=QUAD_CLASS[etype],
                    actor=[ActorRef(text="a", code=country + "MIL", country=country)],
                    recipient=[ActorRef(text="r", code=country + "REB", country=country)],
                    date=(published.date() if pub_only else day).isoformat(),
                    date_precision="publication" if pub_only else "day",
                    location=place if rng.random() < 0.8 else None,
                    confidence=float(rng.uniform(0.3, 0.9)))
        out.append((Article(id=f"art{k}", text=m.sentence, source=f"src{k % 17}",
                            published=published), [m]))
    return out


def _store_figures(n: int, new: int, say: Callable[[str], None]) -> dict[str, Any]:
    """The store path: ``update_events`` over ``n`` articles, then over ``new`` more
    reports of the same events, then a full rebuild; the incremental step only reads the
    components it touches."""
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "b.duckdb") as store:
        store.add_articles(_articles(n, seed=1))
        t0 = time.perf_counter()
        first = update_events(store)
        t1 = time.perf_counter()
        batch = _articles(new, seed=1, start=n, world=n)  # more reports of the same events
        store.add_articles(batch)
        t2 = time.perf_counter()
        step = update_events(store, [a.id for a, _ in batch])
        t3 = time.perf_counter()
        update_events(store, rebuild=True)
        t4 = time.perf_counter()
    out = {"store_mentions": n, "first_run_s": round(t1 - t0, 2), "new_mentions": new,
           "incremental_s": round(t3 - t2, 2), "incremental_examined": step.examined,
           "incremental_events_updated": step.events_updated,
           "rebuild_s": round(t4 - t3, 2), "events": first.events_total}
    say(f"  store path: {n:,} mentions in {out['first_run_s']} s; +{new} mentions "
        f"incrementally in {out['incremental_s']} s (examined {step.examined:,}, "
        f"{step.events_updated} events updated, {step.events_new} new); full rebuild of "
        f"{n + new:,} in {out['rebuild_s']} s")
    return out


def run(quick: bool = False) -> dict[str, Any]:
    """Cluster 100k and 1M synthetic mentions (quick: 10k and 100k); the time ratio for
    10x the mentions shows the growth (10 = linear, 100 = quadratic)."""
    small, large = (10_000, 100_000) if quick else (100_000, 1_000_000)
    rules = DedupRules()
    print(f"dedup: clustering synthetic mentions ({small:,} then {large:,})")
    _measure(2_000, rules, lambda s: None)  # warm-up (imports, numpy paths)
    a = _measure(small, rules, print)
    b = _measure(large, rules, print)
    ratio = b["seconds"] / max(a["seconds"], 1e-9)
    cpu_ratio = b["cpu_seconds"] / max(a["cpu_seconds"], 1e-9)
    pairs_ratio = b["pairs"] / max(a["pairs"], 1)
    print(f"  10x mentions -> {ratio:.1f}x wall time, {cpu_ratio:.1f}x CPU time, "
          f"{pairs_ratio:.1f}x candidate pairs (10 = linear, 100 = quadratic)")
    store = _store_figures(2_000 if quick else 20_000, 50, print)
    return {"small": a, "large": b, "time_ratio": round(ratio, 2),
            "cpu_time_ratio": round(cpu_ratio, 2), "pairs_ratio": round(pairs_ratio, 2),
            "store": store}


if __name__ == "__main__":
    import sys

    run(quick="--quick" in sys.argv)
