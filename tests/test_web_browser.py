"""The page in headless Chromium over a real uvicorn server and a real store: markers render
offline, filters and the timeline brush narrow map and table, and a click on an event (map,
timeline or table) shows its sentences with every span highlighted.

Screenshots go to tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from dateline.config import Config
from dateline.query import EventQuery, count_events
from query_fixtures import build_store
from web_fixtures import (SYRIA, LiveServer, browser_skip_reason, chromium, fill_store,
                          open_event, open_page, ready, requested_urls, screenshot, wait,
                          zoom_to)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_skip_reason() is not None,
                                 reason=browser_skip_reason() or "")]
ALEPPO = (36.20124, 37.16117)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from dateline.api import create_app

    store = build_store(tmp_path_factory.mktemp("web") / "web.duckdb")
    events = fill_store(store)
    server = LiveServer(create_app(store, Config())).start()
    yield store, events, server
    server.stop()
    store.close()


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    d = chromium(str(tmp_path_factory.mktemp("chromium-profile")))
    d.set_window_size(1400, 900)
    yield d
    d.quit()


def count(store, where="TRUE", params=()):
    return store.con.execute(f"SELECT count(*) FROM events WHERE {where}", list(params)
                             ).fetchone()[0]


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#events tbody tr[data-event-id]")


def map_markers(driver):
    """(event id, type) of every marker on the map, clustered or not."""
    return driver.execute_script(
        "return [...dateline.map.markers.values()].map(m => [m.options.eventId, "
        "m.options.eventType]);")


def test_page_loads_offline_with_basemap_markers_and_table(world, driver):
    store, _, server = world
    open_page(driver, server.url)
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#map.basemap-ready canvas"),
         message="basemap not drawn")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".ev-cluster, .ev-dot"),
         message="no markers")
    total = count(store)
    assert len(rows(driver)) == min(total, 200)  # first slice of the table
    located = count(store, "lat IS NOT NULL AND lon IS NOT NULL")
    assert len(map_markers(driver)) == located
    assert driver.find_element(By.ID, "summary").text.startswith(f"{total} events")
    assert driver.execute_script("return document.querySelectorAll('.tl-seg').length") > 0
    # Nothing but this server was asked for anything, and nothing failed.
    urls = requested_urls(driver)
    assert any(u.endswith("/events?limit=1000") for u in urls)
    assert any("/timeline?" in u for u in urls)
    assert [u for u in urls if not u.startswith((server.url, "data:"))] == []
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    screenshot(driver, "web-world.png")


def test_default_view_asks_for_its_data_once(world, driver):
    """The head's preloads are what the page's own fetches get: one /events and one
    /timeline request for the default view. A filtered view preloads nothing."""
    _, _, server = world
    open_page(driver, server.url)
    urls = requested_urls(driver)
    assert sum(u.endswith("/events?limit=1000") for u in urls) == 1
    assert sum(u.endswith("/timeline?interval=month") for u in urls) == 1
    open_page(driver, server.url, "country=SYR")
    urls = [u for u in requested_urls(driver) if "/events?" in u]
    assert len(urls) == 1 and urls[0].endswith("/events?country=SYR&limit=1000")
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert errors == []


def test_zoomed_to_syria_aleppo_events_are_separate_points(world, driver):
    store, _, server = world
    aleppo = [r[0] for r in store.con.execute(
        "SELECT id FROM events WHERE place = 'Aleppo' AND lat IS NOT NULL").fetchall()]
    assert len(aleppo) > 10
    open_page(driver, server.url)
    zoom_to(driver, SYRIA, aleppo)
    centre = driver.execute_script(
        "const p = dateline.map.map.latLngToContainerPoint(arguments[0]);"
        "const r = document.getElementById('map').getBoundingClientRect();"
        "return [p.x + r.left, p.y + r.top];", list(ALEPPO))
    spots = set()
    for eid in aleppo:
        dot = driver.find_element(By.CSS_SELECTOR, f'.ev-dot[data-event-id="{eid}"]')
        assert dot.is_displayed()
        box = driver.execute_script(
            "const b = arguments[0].getBoundingClientRect(); return [b.x + b.width / 2, "
            "b.y + b.height / 2];", dot)
        assert abs(box[0] - centre[0]) < 80 and abs(box[1] - centre[1]) < 80
        spots.add((round(box[0]), round(box[1])))
    assert len(spots) == len(aleppo), "events at one spot must not hide each other"
    assert driver.find_elements(By.CSS_SELECTOR, ".place-label")
    screenshot(driver, "web-syria.png")


def apply_filters(driver, types=(), **fields):
    form = driver.find_element(By.ID, "filters")
    if types:
        form.find_element(By.CSS_SELECTOR, "details.types summary").click()
        for t in types:
            form.find_element(By.CSS_SELECTOR, f'input[name="type"][value="{t}"]').click()
        form.find_element(By.CSS_SELECTOR, "details.types summary").click()
    for name, value in fields.items():
        box = form.find_element(By.NAME, name)
        box.clear()
        box.send_keys(str(value))
    before = driver.execute_script("return dateline.generation")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(driver, lambda d: d.execute_script("return dateline.generation") > before)
    ready(driver)


def test_type_and_country_filters_narrow_map_and_table(world, driver):
    store, _, server = world
    open_page(driver, server.url)
    apply_filters(driver, types=["ASSAULT"], country="SYR")
    expected = count(store, "event_type = 'ASSAULT' AND country = 'SYR'")
    assert 0 < expected < count(store)
    table = rows(driver)
    assert len(table) == expected
    for tr in table:
        assert tr.find_element(By.CSS_SELECTOR, ".c-type").text.startswith("ASSAULT")
        assert tr.find_element(By.CSS_SELECTOR, ".c-place").text.endswith("SYR")
    assert {t for _, t in map_markers(driver)} == {"ASSAULT"}
    assert len(map_markers(driver)) == expected
    assert "type=ASSAULT" in driver.current_url and "country=SYR" in driver.current_url
    # The filters live in the URL: a reload shows the same selection.
    driver.refresh()
    ready(driver)
    assert len(rows(driver)) == expected
    driver.find_element(By.CSS_SELECTOR, "#filters button[type=reset]").click()
    wait(driver, lambda d: len(rows(d)) == min(200, count(store)))


def test_min_sources_and_text_filters(world, driver):
    store, _, server = world
    open_page(driver, server.url)
    apply_filters(driver, min_sources=3)
    expected = count(store, "num_sources >= 3")
    assert 0 < expected < count(store)
    assert len(rows(driver)) == expected
    assert all(int(tr.find_element(By.CSS_SELECTOR, ".c-num").text) >= 3 for tr in rows(driver))
    apply_filters(driver, min_sources="", q="delivered")
    # q searches every mention's sentence, so count with the query layer itself
    expected = count_events(store, EventQuery.parse(q="delivered", limit=None))
    assert 0 < expected < count(store)
    assert len(rows(driver)) == expected
    assert "q=delivered" in driver.current_url and "min_sources" not in driver.current_url


def check_provenance(driver, panel, store, event):
    mentions = {m.id: m for m in store.mentions("event_id = ?", [event.id])}
    items = panel.find_elements(By.CSS_SELECTOR, "li.mention")
    assert len(items) == len(mentions) == event.num_mentions
    for li in items:
        quote = li.find_element(By.CSS_SELECTOR, "blockquote.sentence")
        m = mentions[quote.get_attribute("data-mention-id")]
        assert quote.text == m.sentence

        def marked(kind, quote=quote):
            return [e.text for e in quote.find_elements(By.CSS_SELECTOR, f"mark.hl-{kind}")]

        assert marked("actor") == [a.text for a in m.actor]
        assert marked("recipient") == [r.text for r in m.recipient]
        assert marked("trigger") == [m.trigger]
        assert marked("place") == [m.location.text]
        assert marked("date") == [m.date_text]
        article = store.get_article(m.article_id)
        link = li.find_element(By.CSS_SELECTOR, ".article a")
        assert link.text == article.headline
        assert link.get_attribute("href") == article.url
        meta = li.find_element(By.CSS_SELECTOR, ".article").text
        assert article.source in meta and article.published.date().isoformat() in meta
        if m.attribution:
            assert marked("source") == [m.attribution.text]
            assert "According to" in li.find_element(By.CSS_SELECTOR, ".attribution").text
    sources = panel.find_element(By.CSS_SELECTOR, ".num-sources")
    assert sources.get_attribute("data-num-sources") == str(event.num_sources)
    assert sources.text == f"{event.num_sources} source{'s' if event.num_sources != 1 else ''}"


def test_table_click_shows_provenance_with_highlighted_spans(world, driver):
    store, events, server = world
    # the best-attested of the attributed events
    event = max((e for e in events if e.num_sources == 3), key=lambda e: e.id)
    open_page(driver, server.url)
    row = driver.find_element(By.CSS_SELECTOR, f'#events tr[data-event-id="{event.id}"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", row)
    row.click()
    panel = open_event(driver, event.id)
    check_provenance(driver, panel, store, event)
    assert "selected" in row.get_attribute("class")
    wait(driver, lambda d: d.find_elements(
        By.CSS_SELECTOR, f'.ev-dot.selected[data-event-id="{event.id}"]'),
        message="the event's marker is not shown as selected")
    assert f"event={event.id}" in driver.current_url
    screenshot(driver, "web-provenance.png")
    panel.find_element(By.CSS_SELECTOR, "button.close").click()
    wait(driver, lambda d: not d.find_element(By.ID, "provenance").is_displayed())


def test_marker_click_shows_provenance(world, driver):
    store, events, server = world
    event = next(e for e in events if e.location.name == "Aleppo" and e.mention_ids)
    open_page(driver, server.url)
    zoom_to(driver, SYRIA, [event.id])
    dot = driver.find_element(By.CSS_SELECTOR, f'.ev-dot[data-event-id="{event.id}"]')
    ActionChains(driver).move_to_element(dot).click().perform()
    panel = open_event(driver, event.id)
    check_provenance(driver, panel, store, event)
    assert "Aleppo" in panel.find_element(By.CSS_SELECTOR, "blockquote .hl-place").text


def drag_timeline(driver, start_frac, end_frac):
    svg = driver.find_element(By.CSS_SELECTOR, "#timeline svg")
    width = svg.size["width"]
    left = 40 + (width - 50) * start_frac - width / 2
    span = (width - 50) * (end_frac - start_frac)
    (ActionChains(driver).move_to_element_with_offset(svg, int(left), 0).click_and_hold()
     .move_by_offset(int(span / 2), 0).move_by_offset(int(span / 2), 0).release().perform())


def test_timeline_brush_filters_map_and_table(world, driver):
    store, _, server = world
    open_page(driver, server.url, "country=SYR")
    before = driver.execute_script("return dateline.generation")
    drag_timeline(driver, 0.3, 0.7)
    wait(driver, lambda d: d.execute_script("return dateline.generation") > before)
    ready(driver)
    since = driver.find_element(By.NAME, "since").get_attribute("value")
    until = driver.find_element(By.NAME, "until").get_attribute("value")
    assert since and until and since <= until
    expected = count(store, "country = 'SYR' AND date BETWEEN ? AND ?", (since, until))
    total = count(store, "country = 'SYR'")
    assert 0 < expected < total
    assert len(rows(driver)) == expected
    assert all(since <= tr.find_element(By.CSS_SELECTOR, ".c-date").text <= until
               for tr in rows(driver))
    assert len(map_markers(driver)) == expected
    # dragging zooms: the axis now spans the chosen dates only
    starts = [seg.get_attribute("data-start")
              for seg in driver.find_elements(By.CSS_SELECTOR, "#timeline rect.tl-seg")]
    assert starts and since <= min(starts) and max(starts) <= until
    screenshot(driver, "web-brushed.png")
    driver.find_element(By.ID, "clear-range").click()
    wait(driver, lambda d: len(rows(d)) == total)
    assert driver.find_element(By.NAME, "since").get_attribute("value") == ""


def test_timeline_bar_click_lists_events_then_opens_one(world, driver):
    store, events, server = world
    open_page(driver, server.url, "type=ASSAULT")
    seg = driver.find_elements(By.CSS_SELECTOR, "#timeline rect.tl-seg")[0]
    day, etype = seg.get_attribute("data-start"), seg.get_attribute("data-type")
    ActionChains(driver).move_to_element(seg).click().perform()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#pick li[data-event-id]"),
         message="bar click listed no events")
    listed = [li.get_attribute("data-event-id")
              for li in driver.find_elements(By.CSS_SELECTOR, "#pick li[data-event-id]")]
    expected = {r[0] for r in store.con.execute(
        "SELECT id FROM events WHERE event_type = ? AND date = ?", [etype, day]).fetchall()}
    assert set(listed) == expected
    driver.find_element(By.CSS_SELECTOR, "#pick li[data-event-id]").click()
    open_event(driver, listed[0])


def test_only_this_area_and_bad_input_reported(world, driver):
    store, events, server = world
    aleppo = [e.id for e in events if e.location.name == "Aleppo"]
    open_page(driver, server.url)
    zoom_to(driver, SYRIA, aleppo)
    before = driver.execute_script("return dateline.generation")
    driver.find_element(By.ID, "search-area").click()
    wait(driver, lambda d: d.execute_script("return dateline.generation") > before)
    ready(driver)
    near = driver.find_element(By.NAME, "near").get_attribute("value")
    expected = count_events(store, EventQuery.parse(near=near, limit=None))
    assert 0 < expected < count(store)
    assert len(rows(driver)) == expected
    shown = [eid for eid, _ in map_markers(driver)]
    countries = {r[0] for r in store.con.execute(
        "SELECT DISTINCT country FROM events WHERE id IN (SELECT unnest(?))", [shown]).fetchall()}
    assert "SYR" in countries and countries <= {"SYR", "IRQ", "TUR", "LBN", "JOR", "ISR"}
    # The API checks the filters; the page shows what it said.
    apply_filters(driver, near="36.2,37.2,lots")
    status = driver.find_element(By.ID, "status")
    wait(driver, lambda d: status.is_displayed() and "near" in status.text)
    assert "lat,lon,km" in status.text


def test_small_server_pages_and_load_more(world, driver):
    """A server allowing 20 events per page: the page adapts, and Load more appends."""
    from dateline.api import create_app

    store, _, _ = world
    server = LiveServer(create_app(store, Config(max_page_size=20))).start()
    try:
        open_page(driver, server.url)
        assert len(rows(driver)) == 20
        assert "the first 20" in driver.find_element(By.ID, "summary").text
        more = driver.find_element(By.ID, "load-more")
        assert more.is_displayed()
        more.click()
        wait(driver, lambda d: len(rows(d)) == 40)
        ids = [tr.get_attribute("data-event-id") for tr in rows(driver)]
        newest = [r[0] for r in store.con.execute(
            "SELECT id FROM events ORDER BY date DESC NULLS LAST, id DESC LIMIT 40").fetchall()]
        assert ids == newest
        assert len(map_markers(driver)) == count(
            store, "id IN (SELECT unnest(?)) AND lat IS NOT NULL", [newest])
    finally:
        server.stop()


def test_markup_in_the_data_is_shown_as_text(tmp_path, driver):
    """Names, places and sentences come from news text: the page never runs them as HTML."""
    from dateline.api import create_app
    from query_fixtures import Spec, actor, add_specs, place

    evil = "<img src=x onerror=\"window.__xss=1\">"
    store = build_store(tmp_path / "xss.duckdb")
    spot = place("<b onmouseover=\"window.__xss=2\">Town</b>", "SYR", 36.0, 38.0)
    spec = Spec("xss", "ASSAULT", "190", [actor(evil, "SYRMIL", evil)], [], "2016-12-09", spot,
                [f"Gunmen {evil} attacked <script>window.__xss=3</script> the town."], [evil])
    event = add_specs(store, [spec], prefix="xss")["xss"]
    server = LiveServer(create_app(store, Config())).start()
    try:
        open_page(driver, server.url)
        zoom_to(driver, [[35.5, 37.5], [36.5, 38.5]], [event.id])
        dot = driver.find_element(By.CSS_SELECTOR, f'.ev-dot[data-event-id="{event.id}"]')
        ActionChains(driver).move_to_element(dot).click().perform()
        panel = open_event(driver, event.id)
        assert evil in panel.text and "<script>" in panel.text
        assert evil in driver.find_element(
            By.CSS_SELECTOR, f'#events tr[data-event-id="{event.id}"]').text
        assert "<b onmouseover" in driver.find_element(By.CSS_SELECTOR, ".leaflet-tooltip").text
        assert driver.execute_script("return window.__xss") is None
        assert driver.find_elements(By.CSS_SELECTOR, "#provenance img, #events img, "
                                                     ".leaflet-tooltip img") == []
    finally:
        server.stop()
        store.close()
