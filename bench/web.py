"""Page load: how long the web page takes to show its markers with 100,000 events in the
store (quick: 20,000), against 1,000 events in the same run.

The stores are filled with ``bench.api.generate`` (synthetic events in the exact table
layout dedup writes); ``dateline serve`` runs as its own process on 127.0.0.1; headless
Debian Chromium (fresh profile) loads the page once cold and then several times more.
"Cold" is the first load from a freshly started server in a browser that has never seen
that origin (empty HTTP and code caches); "warm" is the median of the later loads.
Figures come from the browser: Navigation Timing (DOMContentLoaded, load), the page's own
performance marks (``dateline:events`` when the first events page arrived,
``dateline:markers`` when the first markers are in the DOM, ``dateline:ready`` when map,
table and timeline are all drawn) and Resource Timing for the API requests and bytes.
The target (markers in under 1 s) is reported, not asserted.

``python -m bench.web [--quick]``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,900")
TARGET_MS = 1000.0

READ_TIMINGS = """
const nav = performance.getEntriesByType('navigation')[0];
const mark = (n) => { const e = performance.getEntriesByName(n); return e.length ? e[0].startTime : null; };
const res = performance.getEntriesByType('resource');
const api = (p) => res.filter(r => new URL(r.name).pathname === p).map(r => r.duration);
return {
  dom_content_loaded_ms: nav.domContentLoadedEventEnd, load_ms: nav.loadEventEnd,
  events_ms: mark('dateline:events'), markers_ms: mark('dateline:markers'),
  ready_ms: mark('dateline:ready'),
  events_request_ms: api('/events'), timeline_requests_ms: api('/timeline'),
  events_bytes: res.filter(r => new URL(r.name).pathname === '/events')
    .map(r => [r.encodedBodySize || 0, r.decodedBodySize || 0]),
  requests: res.length + 1,
  bytes: res.reduce((a, r) => a + (r.encodedBodySize || 0), nav.encodedBodySize || 0),
  markers: window.dateline && window.dateline.map ? window.dateline.map.markers.size : 0,
  rows: document.querySelectorAll('#events tbody tr').length,
};
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(path: Path, n: int) -> float:
    from bench.api import generate
    from dateline.store import Store

    t = time.perf_counter()
    store = Store.open(path)
    try:
        generate(store, n)
    finally:
        store.close()
    return time.perf_counter() - t


class Server:
    """``dateline serve`` over one store, in its own process."""

    def __init__(self, db: Path):
        self.db = db
        self.port = _free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> Server:
        import httpx

        cmd = [sys.executable, "-c", "from dateline.cli import main; main()", "serve",
               "--db", str(self.db), "--host", "127.0.0.1", "--port", str(self.port),
               "--log-level", "warning"]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"dateline serve exited: {self.proc.stderr.read().decode()}")
            try:
                if httpx.get(self.url + "health", timeout=5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("dateline serve did not answer /health in time")

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def chromium(profile: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")
    options = Options()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def load_once(driver, url: str, timeout: float = 60.0) -> dict:
    driver.get("about:blank")
    driver.get(url)
    deadline = time.time() + timeout
    while time.time() < deadline:
        done = driver.execute_script(
            "return performance.getEntriesByName('dateline:ready').length > 0 && "
            "(performance.getEntriesByName('dateline:markers').length > 0 || "
            "!(window.dateline && window.dateline.map && window.dateline.map.markers.size))")
        if done:
            return driver.execute_script(READ_TIMINGS)
        time.sleep(0.02)
    raise RuntimeError(f"page at {url} did not get ready in {timeout:.0f} s")


def _median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 1) if values else None


def summarise(loads: list[dict]) -> dict:
    cold, warm = loads[0], loads[1:] or loads
    keys = ("dom_content_loaded_ms", "load_ms", "events_ms", "markers_ms", "ready_ms")
    out = {f"cold_{k}": round(cold[k], 1) if cold[k] is not None else None for k in keys}
    out.update({k: _median([x[k] for x in warm]) for k in keys})
    out["events_request_ms"] = _median([sum(x["events_request_ms"]) for x in warm])
    out["timeline_requests_ms"] = _median([sum(x["timeline_requests_ms"]) for x in warm])
    out["timeline_requests"] = len(warm[-1]["timeline_requests_ms"])
    out["requests"] = warm[-1]["requests"]
    out["kb_transferred"] = round(warm[-1]["bytes"] / 1024, 1)
    sent = warm[-1]["events_bytes"]
    out["events_kb"] = round(sum(b[0] for b in sent) / 1024, 1)  # as sent (gzipped)
    out["events_json_kb"] = round(sum(b[1] for b in sent) / 1024, 1)  # as parsed
    out["markers"] = warm[-1]["markers"]
    out["table_rows"] = warm[-1]["rows"]
    return out


def run(quick: bool = False) -> dict:
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        print("bench web: Chromium missing (make browser-deps)")
        return {"error": "chromium missing"}
    sizes = (1_000, 20_000) if quick else (1_000, 100_000)
    reps = 3 if quick else 6
    work = Path(tempfile.mkdtemp(prefix="dateline-bench-web-"))
    results: dict = {"sizes": list(sizes), "loads_per_size": reps}
    driver = None
    try:
        driver = chromium(str(work / "profile"))
        driver.set_window_size(1400, 900)
        for n in sizes:
            db = work / f"web-{n}.duckdb"
            fill_s = build_store(db, n)
            with Server(db) as server:
                loads = [load_once(driver, server.url) for _ in range(reps)]
            figures = summarise(loads)
            figures["store_fill_s"] = round(fill_s, 1)
            results[str(n)] = figures
            print(f"web {n:>7,} events: markers {figures['markers_ms']} ms (cold "
                  f"{figures['cold_markers_ms']} ms), ready {figures['ready_ms']} ms, "
                  f"DOMContentLoaded {figures['dom_content_loaded_ms']} ms, "
                  f"/events {figures['events_request_ms']} ms, /timeline x"
                  f"{figures['timeline_requests']} {figures['timeline_requests_ms']} ms, "
                  f"{figures['kb_transferred']} KB ({figures['events_kb']} KB of "
                  f"/events, {figures['events_json_kb']} KB unpacked), "
                  f"{figures['markers']} markers")
        small, big = results[str(sizes[0])], results[str(sizes[-1])]
        if small["markers_ms"] and big["markers_ms"]:
            results["markers_ratio_big_vs_small"] = round(big["markers_ms"] / small["markers_ms"], 2)
            results["ready_ratio_big_vs_small"] = round(big["ready_ms"] / small["ready_ms"], 2)
        results["target_ms"] = TARGET_MS
        results["markers_under_target"] = bool(big["markers_ms"] and big["markers_ms"] < TARGET_MS)
        results["cold_markers_under_target"] = bool(
            big["cold_markers_ms"] and big["cold_markers_ms"] < TARGET_MS)
        print(f"web: {sizes[-1]:,} events: markers in {big['markers_ms']} ms "
              f"(target < {TARGET_MS:.0f} ms: {'met' if results['markers_under_target'] else 'MISSED'}); "
              f"ratio to {sizes[0]:,} events: {results.get('markers_ratio_big_vs_small')}")
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(work, ignore_errors=True)
    return results


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
