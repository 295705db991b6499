"""The founding example end to end in the browser: the Aleppo article ingested through the
real pipeline (reader, coder, dedup), served by the real API, shown by the page: Aleppo's
events as points when zoomed to Syria, and a click shows the article's sentence with its
coded spans highlighted, the headline and the publication date."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from dateline.config import Config
from web_fixtures import (SYRIA, LiveServer, browser_skip_reason, chromium, open_event,
                          open_page, screenshot, wait, zoom_to)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(browser_skip_reason() is not None,
                                 reason=browser_skip_reason() or "")]


@pytest.fixture(scope="module")
def example_world(request, tmp_path_factory, example_path):
    from dateline.api import create_app
    from dateline.ingest.pipeline import ingest
    from dateline.store import Store

    coder = request.getfixturevalue("coder")
    store = Store.open(tmp_path_factory.mktemp("example") / "example.duckdb")
    summary = ingest(store, [str(example_path)], coder=coder, progress=False)
    assert summary.new == 1 and summary.mentions > 0
    server = LiveServer(create_app(store, Config())).start()
    yield store, server
    server.stop()
    store.close()


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    d = chromium(str(tmp_path_factory.mktemp("chromium-example")))
    d.set_window_size(1400, 900)
    yield d
    d.quit()


def in_sentence(m, start, end, text):
    """Whether a span given by body offsets lies in the mention's sentence (as ``text``)."""
    if start is None or end is None or not (m.char_start <= start < end <= m.char_end):
        return False
    return not text or m.sentence[start - m.char_start:end - m.char_start] == text


def test_example_article_events_on_the_map_with_provenance(example_world, driver):
    store, server = example_world
    aleppo = [r[0] for r in store.con.execute(
        "SELECT id FROM events WHERE lat IS NOT NULL AND "
        "(place ILIKE '%aleppo%' OR admin1 ILIKE '%aleppo%') ORDER BY id").fetchall()]
    assert aleppo, "no event of the example article is located in Aleppo"
    open_page(driver, server.url)
    zoom_to(driver, SYRIA, aleppo)
    for eid in aleppo:
        assert driver.find_element(By.CSS_SELECTOR, f'.ev-dot[data-event-id="{eid}"]') \
            .is_displayed()
    screenshot(driver, "web-example-map.png")

    event_id = aleppo[0]
    dot = driver.find_element(By.CSS_SELECTOR, f'.ev-dot[data-event-id="{event_id}"]')
    ActionChains(driver).move_to_element(dot).click().perform()
    panel = open_event(driver, event_id)
    article = store.articles_where()[0]
    mentions = {m.id: m for m in store.mentions("event_id = ?", [event_id])}
    items = panel.find_elements(By.CSS_SELECTOR, "li.mention")
    assert len(items) == len(mentions)
    for li in items:
        quote = li.find_element(By.CSS_SELECTOR, "blockquote.sentence")
        m = mentions[quote.get_attribute("data-mention-id")]
        assert quote.text == m.sentence
        marks = {}
        for mark in quote.find_elements(By.CSS_SELECTOR, "mark.hl"):
            for kind in mark.get_attribute("data-kinds").split():
                marks.setdefault(kind, []).append(mark.text)
        joined = {k: " ".join(v) for k, v in marks.items()}
        # every span the coder placed in this sentence is highlighted
        for a in m.actor:
            if in_sentence(m, a.start, a.end, a.text):
                assert a.text in joined.get("actor", "")
        for r in m.recipient:
            if in_sentence(m, r.start, r.end, r.text):
                assert r.text in joined.get("recipient", "")
        if in_sentence(m, m.trigger_start, m.trigger_end, m.trigger):
            assert m.trigger in joined.get("trigger", "")
        if m.location and in_sentence(m, m.location.start, m.location.end, m.location.text):
            assert m.location.text in joined.get("place", "")
        assert marks, "nothing highlighted in the sentence"
        meta = li.find_element(By.CSS_SELECTOR, ".article").text
        assert article.headline in meta
        assert article.published.date().isoformat() in meta
    assert "Aleppo" in panel.text
    sources = panel.find_element(By.CSS_SELECTOR, ".num-sources")
    num = store.con.execute("SELECT num_sources FROM events WHERE id = ?", [event_id]).fetchone()[0]
    assert sources.get_attribute("data-num-sources") == str(num)
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "mark.hl-trigger"))
    screenshot(driver, "web-example-provenance.png")
