"""The page's control layer (src/dateline/web/control.js): its pure functions in Node.js on
a real timeline, and in the browser over the founding example: the areas of Aleppo drawn in
their holder's colour, the date slider, and a click listing the evidence sentence."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from dateline.web import WEB_DIR

NODE = shutil.which("node")


def run_js(body: str, data) -> object:
    script = (f"import * as c from '{(WEB_DIR / 'control.js').as_uri()}';\n"
              f"const data = {json.dumps(data)};\n{body}\n")
    proc = subprocess.run([NODE, "--input-type=module", "-e", script], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _timeline():
    from dateline.control.model import Area, ControlClaim, Holder
    from dateline.control.timeline import control_timeline

    aleppo = Area(name="Aleppo", country="SYR", feature="city", lat=36.2, lon=37.16,
                  geonameid=170063)
    shaar = Area(name="Shaar", within="Aleppo", country="SYR", feature="local", lat=36.2,
                 lon=37.16)
    east = Area(name="east Aleppo", within="Aleppo", country="SYR", feature="part", lat=36.2,
                lon=37.16)

    def claim(kind, area, code, sector, day, share=None):
        return ControlClaim(kind=kind, place=area, holder=Holder(code, "SYR", sector),
                            from_date=day, date_precision="day", article_id=day + code,
                            sentence=f"{code} {kind} {area.name}", sentence_index=0,
                            char_start=0, char_end=9, trigger=kind, trigger_start=0,
                            trigger_end=3, share=share)

    return control_timeline([
        claim("hold", aleppo, "SYRREB", "REB", "2016-11-01"),
        claim("siege", aleppo, "SYRMIL", "MIL", "2016-11-20"),
        claim("capture", shaar, "SYRMIL", "MIL", "2016-12-06"),
        claim("hold", east, "SYRMIL", "MIL", "2016-12-06", share=0.7),
    ], "Aleppo")


@pytest.mark.skipif(NODE is None and os.environ.get("CI") != "true",
                    reason="Node.js is not installed")
def test_control_js_functions():
    out = run_js("""
      const days = c.controlDays(data);
      const pts = c.areaPoints(data);
      const aleppo = data.areas.find((a) => a.area.name === 'Aleppo');
      const on = (day) => c.areaStyle(c.spanOn(aleppo.spans, day));
      const shaar = data.areas.find((a) => a.area.name === 'Shaar');
      console.log(JSON.stringify({
        days, n: pts.length,
        distinct: new Set(pts.map((p) => p.lat + ',' + p.lon)).size,
        before: c.spanOn(aleppo.spans, '2016-10-01'),
        held: on('2016-11-05'), contested: on('2016-12-01'),
        shaar: c.areaStyle(c.spanOn(shaar.spans, '2016-12-06')),
        colors: [c.holderColor('SYR:STATE'), c.holderColor('SYR:STATE'), c.holderColor(null)],
      }));
    """, _timeline())
    assert out["days"] == ["2016-11-01", "2016-11-20", "2016-12-06"]
    assert out["n"] == 3 and out["distinct"] == 3  # sub-areas fanned out around the city
    assert out["before"] is None
    assert out["held"]["hatch"] is None and out["held"]["label"] == "held by SYRREB"
    assert out["contested"]["hatch"] and "besieged by SYRMIL" in out["contested"]["label"]
    assert out["shaar"]["label"] == "held by SYRMIL"
    assert out["colors"][0] == out["colors"][1] and out["colors"][2] == "#9e9e9e"


# -- in the browser ----------------------------------------------------------------------------

@pytest.mark.browser
def test_control_layer_in_the_browser(request, tmp_path_factory, example_path):
    from web_fixtures import LiveServer, browser_skip_reason, chromium, open_page, screenshot, \
        wait

    reason = browser_skip_reason()
    if reason is not None:
        pytest.skip(reason)
    from selenium.webdriver.common.by import By

    from dateline.api import create_app
    from dateline.config import Config
    from dateline.ingest.pipeline import ingest
    from dateline.store import Store

    coder = request.getfixturevalue("coder")
    store = Store.open(tmp_path_factory.mktemp("control-web") / "example.duckdb")
    ingest(store, [str(example_path)], coder=coder, progress=False)
    app = create_app(store, Config())
    app.state.dateline.coder = coder
    server = LiveServer(app).start()
    driver = chromium(str(tmp_path_factory.mktemp("chromium-control")))
    driver.set_window_size(1400, 900)
    try:
        open_page(driver, server.url)
        box = driver.find_element(By.CSS_SELECTOR, ".control-box")
        field = box.find_element(By.CSS_SELECTOR, 'input[name="place"]')
        field.send_keys("Aleppo")
        driver.execute_script("arguments[0].form.requestSubmit()", field)
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "path.control-area"),
             timeout=60, message="no control area drawn")
        assert box.find_element(By.CSS_SELECTOR, ".control-date").text == "2016-12-07"
        slider = box.find_element(By.CSS_SELECTOR, 'input[type="range"]')
        driver.execute_script(
            "arguments[0].value = 0; arguments[0].dispatchEvent(new Event('input'))", slider)
        assert box.find_element(By.CSS_SELECTOR, ".control-date").text == "2016-12-06"
        areas = driver.find_elements(By.CSS_SELECTOR, "path.control-held")
        assert len(areas) >= 2  # Shaar and east Aleppo, held by the army on 6 December
        fills = {a.get_attribute("fill") for a in areas}
        assert len(fills) == 1  # one holder, one colour
        driver.execute_script("""
          const layer = window.dateline.control.layer;
          layer.eachLayer((m) => { if (m.getTooltip().getContent().startsWith('Shaar')) m.openPopup(); });
        """)
        # the popup is drawn first and filled after: wait for its words, not only for it
        popup = wait(driver, lambda d: [p for p in d.find_elements(By.CSS_SELECTOR, ".control-popup")
                                        if "Shaar" in p.text], timeout=30,
                     message="no popup for Shaar")[0]
        assert "strategic Shaar neighbourhood" in popup.text
        assert "held by SYRMIL" in popup.text
        screenshot(driver, "control-layer.png")
    finally:
        driver.quit()
        server.stop()
        store.close()
