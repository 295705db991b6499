"""The page's analysis views in headless Chromium over a real store and uvicorn: a timeline
whose axis spans the data (the outer 1 % of misdated events left out, and said), totals per
country and region on the map, country- and region-level events as shaded areas, the network
of actors, an actor's page with suggestions, and the download buttons.

Screenshots are saved under the test's tmp dir (printed), and every picture's state is
asserted through the DOM."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from selenium.webdriver.common.by import By

from analysis_fixtures import EXTRA
from dateline.config import Config
from query_fixtures import WORLD, add_specs
from web_fixtures import (SYRIA, LiveServer, browser_skip_reason, chromium, fill_store,
                          open_page, wait)
from dateline.store import Store

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_skip_reason() is not None,
                                 reason=browser_skip_reason() or "")]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from dateline.api import create_app

    store = Store.open(tmp_path_factory.mktemp("web-an") / "web.duckdb")
    add_specs(store, WORLD + EXTRA, prefix="an")  # 2002 and 2024 events: far outliers
    fill_store(store, n_events=300)  # Nov-Dec 2016
    server = LiveServer(create_app(store, Config())).start()
    yield store, server
    server.stop()
    store.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    d = chromium(str(tmp_path_factory.mktemp("chromium-profile")))
    d.set_window_size(1400, 900)
    yield d
    d.quit()


def shot(driver, folder: Path, name: str) -> Path:
    path = folder / name
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000
    print(f"screenshot: {path}")
    return path


def js(driver, script, *args):
    return driver.execute_script(script, *args)


def test_timeline_axis_spans_only_the_data(world, driver, shots):
    store, server = world
    open_page(driver, server.url)
    wait(driver, lambda d: js(d, "return !document.getElementById('tl-note').hidden"),
         message="no note on the outliers")
    note = driver.find_element(By.ID, "tl-note").text
    assert "outer 1 %" in note and "2002–2024" in note and "show all" in note
    assert "4 events" in note
    ticks = js(driver, "return [...document.querySelectorAll('#timeline text.tl-tick')]"
                       ".filter(t => !t.classList.contains('tl-count') && "
                       "!t.classList.contains('tl-ylabel')).map(t => t.textContent)")
    assert ticks and all(t.startswith("2016-") for t in ticks), ticks
    counts = js(driver, "return [...document.querySelectorAll('#timeline .tl-count')]"
                        ".map(t => Number(t.dataset.count))")
    assert counts[0] == 0 and len(counts) >= 3 and counts == sorted(counts)
    assert js(driver, "return document.getElementById('interval-shown').textContent") == "day"
    # the axis's largest tick is at least the tallest bar
    tallest = max(n for (n,) in store.con.execute(
        "SELECT count(*) FROM events WHERE date BETWEEN '2016-11-01' AND '2016-12-31' "
        "GROUP BY date").fetchall())
    assert counts[-1] >= tallest
    # basemap rings no longer jump across the antimeridian
    jumps = js(driver, """return (dateline.map.countryFeatures || []).filter(f => {
        const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
        return polys.some(p => p.some(r => r.some((pt, i) => i && Math.abs(pt[0] - r[i-1][0]) > 180)));
      }).length""")
    assert jumps == 0
    shot(driver, shots, "timeline-data-span.png")
    # filtered: the axis spans the filter's events only
    open_page(driver, server.url, "country=SYR&since=2016-12-01&until=2016-12-10")
    ticks = js(driver, "return [...document.querySelectorAll('#timeline .tl-seg')]"
                       ".map(t => t.dataset.start)")
    assert ticks and min(ticks) >= "2016-12-01" and max(ticks) <= "2016-12-10"
    assert js(driver, "return document.getElementById('tl-note').hidden")
    shot(driver, shots, "timeline-filtered.png")


def test_choropleth_by_country_and_region(world, driver, shots):
    store, server = world
    open_page(driver, server.url, "map=country")
    wait(driver, lambda d: (js(d, "return document.getElementById('map').dataset.choropleth")
                            or "").startswith("country:events:"),
         message="no choropleth by country")
    areas = js(driver, "return Object.fromEntries([...document.querySelectorAll("
                       "'#map path.choro-area')].map(p => [p.dataset.key, "
                       "Number(p.dataset.value)]))")
    expected = dict(store.con.execute("SELECT country, count(*) FROM events WHERE country "
                                      "IS NOT NULL GROUP BY country").fetchall())
    assert areas == expected
    assert js(driver, "return document.querySelectorAll('#map .ev-dot').length") == 0
    assert driver.find_element(By.CSS_SELECTOR, ".choro-legend").text.startswith("events")
    shot(driver, shots, "choropleth-country.png")
    open_page(driver, server.url, "map=admin1&measure=dead&country=SYR")
    wait(driver, lambda d: (js(d, "return document.getElementById('map').dataset.choropleth")
                            or "").startswith("admin1:dead:"),
         message="no choropleth by region")
    js(driver, "dateline.map.map.fitBounds(arguments[0], {animate: false});", SYRIA)
    regions = js(driver, "return Object.fromEntries([...document.querySelectorAll("
                         "'#map path.choro-area')].map(p => [p.dataset.key, "
                         "Number(p.dataset.value)]))")
    api = httpx.get(server.url + "series", params={"by": "total", "per": "admin1",
                                                   "country": "SYR"}).json()
    aleppo = next(r for r in api["rows"] if r["admin1_code"] == "09")
    assert regions["SYR:09"] == aleppo["dead"] > 0
    shot(driver, shots, "choropleth-admin1.png")


def test_country_and_region_events_are_shaded_areas(world, driver, shots):
    store, server = world
    open_page(driver, server.url, "country=SYR&since=2016-12-03&until=2016-12-04")
    wait(driver, lambda d: js(d, "return document.querySelectorAll('#map path.ev-area')"
                                 ".length") == 2, message="areas not shaded")
    keys = sorted(js(driver, "return [...document.querySelectorAll('#map path.ev-area')]"
                             ".map(p => p.dataset.area)"))
    assert keys == ["admin1:SYR:Aleppo", "country:SYR"]
    # neither is a dot on a centroid
    area_ids = [r[0] for r in store.con.execute(
        "SELECT id FROM events WHERE json_extract_string(data, '$.location.feature') "
        "IN ('country', 'admin1')").fetchall()]
    assert len(area_ids) == 2
    assert js(driver, "return arguments[0].filter(id => dateline.map.markers.has(id))",
              area_ids) == []
    assert js(driver, "return dateline.map.markers.size") > 0  # the towns' events are dots
    js(driver, "dateline.map.map.fitBounds(arguments[0], {animate: false});", SYRIA)
    shot(driver, shots, "areas-syria.png")
    # place names do not overlap one another once zoomed in
    open_page(driver, server.url, "country=SYR")
    js(driver, "dateline.map.map.fitBounds(arguments[0], {animate: false});", SYRIA)
    wait(driver, lambda d: js(d, "return document.querySelectorAll('.place-label').length")
         > 0)
    js(driver, "dateline.map.declutterLabels()")
    overlaps = js(driver, """const r = [...document.querySelectorAll('.place-label:not(.label-hidden), .country-label:not(.label-hidden)')]
        .map(e => e.getBoundingClientRect()).filter(b => b.width > 0);
      let n = 0;
      for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++)
        if (r[i].left < r[j].right && r[j].left < r[i].right && r[i].top < r[j].bottom && r[j].top < r[i].bottom) n++;
      return n;""")
    assert overlaps == 0


def test_network_of_actors(world, driver, shots):
    store, server = world
    open_page(driver, server.url, "country=SYR")
    driver.find_element(By.ID, "network-open").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#network .net-node"),
         message="no network")
    nodes = js(driver, "return [...document.querySelectorAll('#network .net-node')]"
                       ".map(n => [n.dataset.actor, Number(n.dataset.events)])")
    quads = set(js(driver, "return [...document.querySelectorAll('#network .net-edge')]"
                           ".map(e => e.dataset.quad)"))
    assert len(nodes) >= 4 and quads <= {"1", "2", "3", "4"} and len(quads) >= 2
    sizes = js(driver, "return [...document.querySelectorAll('#network .net-node circle')]"
                       ".map(c => Number(c.getAttribute('r')))")
    biggest = max(range(len(nodes)), key=lambda i: nodes[i][1])
    assert sizes[biggest] == max(sizes)
    assert "panel=network" in driver.current_url
    shot(driver, shots, "network.png")
    # a node opens its actor's page
    js(driver, "document.querySelector('#network .net-node').dispatchEvent("
               "new MouseEvent('click', {bubbles: true}))")
    wait(driver, lambda d: not js(d, "return document.getElementById('actor-page').hidden"))


def test_actor_suggestions_and_page(world, driver, shots):
    store, server = world
    open_page(driver, server.url)
    box = driver.find_element(By.NAME, "actor")
    box.send_keys("Dae")
    wait(driver, lambda d: "Islamic State" in js(
        d, "return [...document.querySelectorAll('#actor-suggestions option')]"
           ".map(o => o.value)"), message="no suggestion for Dae")
    label = js(driver, "return [...document.querySelectorAll('#actor-suggestions option')]"
                       ".find(o => o.value === 'Islamic State').label")
    assert "Daesh" in label and "IMGMUSISI" in label
    box.clear()
    box.send_keys("ISIS")
    driver.find_element(By.ID, "actor-page-open").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#actor-page .n-actor"),
         message="no actor page")
    page = driver.find_element(By.ID, "actor-page")
    assert page.find_element(By.CSS_SELECTOR, ".n-actor").text == "2"
    assert "IMGMUSISI" in page.text and "Islamic State" in page.text
    assert len(page.find_elements(By.CSS_SELECTOR, "rect.actor-seg")) >= 1
    counterparts = [a.text for a in page.find_elements(By.CSS_SELECTOR, ".counterparts a")]
    assert set(counterparts) >= {"Syrian Arab Army"}
    shot(driver, shots, "actor-page.png")
    # its events: the actor filter with the alias finds them
    page.find_element(By.CSS_SELECTOR, "button[data-side='actor']").click()
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#events tbody tr")) == 2)
    # an event's provenance links to its actors' pages
    driver.find_element(By.CSS_SELECTOR, "#events tbody tr").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#provenance [data-actor-page]"))
    link = driver.find_element(By.CSS_SELECTOR,
                               "#provenance [data-actor-page='Syrian Arab Army'], "
                               "#provenance [data-actor-page='Syrian civilians']")
    name = link.get_attribute("data-actor-page")
    link.click()
    wait(driver, lambda d: js(d, "return document.getElementById('actor-page').dataset.actor")
         == name and d.find_elements(By.CSS_SELECTOR, "#actor-page .n-actor"))


def test_download_buttons(world, driver, shots):
    store, server = world
    open_page(driver, server.url, "type=ASSAULT&country=SYR")
    driver.find_element(By.CSS_SELECTOR, "#downloads summary").click()
    links = {a.get_attribute("data-format"): a.get_attribute("href")
             for a in driver.find_elements(By.CSS_SELECTOR, "#downloads a[data-format]")}
    assert set(links) == {"csv", "plover", "geojson", "gdelt", "parquet"}
    for fmt, href in links.items():
        assert f"format={fmt}" in href and "type=ASSAULT" in href and "country=SYR" in href
    expected = store.con.execute("SELECT count(*) FROM events WHERE event_type = 'ASSAULT' "
                                 "AND country = 'SYR'").fetchone()[0]
    body = httpx.get(links["csv"]).text
    assert len(body.strip().splitlines()) == expected + 1
    geo = httpx.get(links["geojson"]).json()
    assert all(f["properties"]["source_urls"] for f in geo["features"])
    shot(driver, shots, "downloads.png")
