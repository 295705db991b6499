"""The analysis views' pure JavaScript functions in Node.js: the timeline's outlier range and
count ticks, the basemap's antimeridian unwrap, label decluttering, choropleth classes,
region matching, and the network's graph and layout. Also the build step that splits
first-level regions into one file per country."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from dateline.web import WEB_DIR, build

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None and os.environ.get("CI") != "true",
                                reason="Node.js is not installed")


def run_js(body: str, data=None):
    script = (
        f"import * as tl from '{(WEB_DIR / 'timeline.js').as_uri()}';\n"
        f"import * as net from '{(WEB_DIR / 'network.js').as_uri()}';\n"
        f"import * as api from '{(WEB_DIR / 'api.js').as_uri()}';\n"
        "globalThis.window = globalThis; globalThis.L = undefined;\n"
        f"const mv = await import('{(WEB_DIR / 'mapview.js').as_uri()}');\n"
        f"const data = {json.dumps(data)};\n{body}\n"
    )
    proc = subprocess.run([NODE, "--input-type=module", "-e", script], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def bucket(day, n):
    return {"start": day, "counts": {"ASSAULT": n}}


@needs_node
def test_outliers_are_left_out_of_the_axis_only_when_they_stretch_it():
    story = [bucket(f"2016-{m:02d}-01", 100) for m in (11, 12)]
    far = [bucket("1946-01-01", 1), *story, bucket("2027-05-01", 1)]
    out = run_js("console.log(JSON.stringify([tl.robustRange(data.far, 'month'), "
                 "tl.robustRange(data.story, 'month'), tl.robustRange([], 'month')]))",
                 {"far": far, "story": story})
    trimmed, plain, empty = out
    assert trimmed == {"since": "2016-11-01", "until": "2016-12-31", "trimmed": True,
                       "outside": 2, "first": "1946-01-01", "last": "2027-05-31"}
    assert plain["trimmed"] is False and plain["since"] == "2016-11-01"
    assert empty is None
    # more than 1 % far away is data, not outliers: kept
    many = [bucket("1946-01-01", 30), *story]
    kept = run_js("console.log(JSON.stringify(tl.robustRange(data, 'month')))", many)
    assert kept["trimmed"] is False and kept["since"] == "1946-01-01"


@needs_node
def test_count_ticks_are_round_and_cover_the_tallest_bar():
    out = run_js("console.log(JSON.stringify([7, 23, 100, 1234, 0].map(m => tl.countTicks(m))))")
    assert out[0] == [0, 2, 4, 6, 8]
    assert out[1] == [0, 10, 20, 30]
    assert out[2] == [0, 50, 100]
    assert out[3][-1] >= 1234 and all(b > a for a, b in zip(out[3], out[3][1:]))
    assert out[4] == [0, 1]


@needs_node
def test_antimeridian_unwrap_declutter_breaks_regions():
    out = run_js("""
      const ring = [[179, 65], [-179, 66], [-178, 64], [179.5, 64], [179, 65]];
      const fc = {features: [
        {id: '643', properties: {name: 'Russia'}, geometry: {type: 'Polygon', coordinates: [ring]}},
        {id: '010', properties: {name: 'Antarctica'}, geometry: {type: 'Polygon', coordinates: [[[0, -80], [1, -80], [0, -81], [0, -80]]]}}]};
      const fixed = mv.fixAntimeridian(fc);
      const keep = mv.declutter([
        {key: 'a', left: 0, top: 0, right: 50, bottom: 10},
        {key: 'b', left: 40, top: 5, right: 90, bottom: 15},
        {key: 'c', left: 100, top: 0, right: 150, bottom: 10},
        {key: 'hidden', left: 0, top: 0, right: 0, bottom: 0}]);
      console.log(JSON.stringify({
        unwrapped: mv.unwrapRing(ring).map(p => p[0]),
        names: fixed.features.map(f => f.properties.name),
        kept: [...keep],
        breaks: mv.breaks([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100]),
        shade: [mv.shadeFor(0, [1, 5]), mv.shadeFor(100, mv.breaks([1, 100]))],
        match: [mv.regionMatches({code: '09', name: 'Aleppo'}, 'Aleppo'),
                mv.regionMatches({code: '09', name: 'Halab'}, 'x', '09'),
                mv.regionMatches({code: '11', name: 'Homs (Hims)', alt: 'Hims|Homs'}, 'Hims'),
                mv.regionMatches({code: '11', name: 'Homs (Hims)'}, 'homs'),
                mv.regionMatches({code: '11', name: 'Homs'}, 'Idlib')],
      }));""")
    assert out["unwrapped"] == [179, 181, 182, 179.5, 179]
    assert out["names"] == ["Russia"]
    assert out["kept"] == ["a", "c"]
    assert out["breaks"] == sorted(set(out["breaks"])) and out["breaks"][-1] == 100
    assert out["shade"][0] is None and out["shade"][1] == "#a50f15"
    assert out["match"] == [True, True, True, True, False]


@needs_node
def test_network_graph_and_layout():
    dyads = {"1": [{"actor": "RUSGOV", "recipient": "USAGOV", "count": 3}],
             "4": [{"actor": "RUSMIL", "recipient": "SYRREB", "count": 9},
                   {"actor": "SYRMIL", "recipient": "SYRREB", "count": 4},
                   {"actor": "SYRREB", "recipient": "SYRREB", "count": 2}]}
    out = run_js("""
      const g = net.buildGraph(data);
      const a = net.layout(g, 400, 300);
      const b = net.layout(g, 400, 300);
      console.log(JSON.stringify({g, a, same: JSON.stringify(a) === JSON.stringify(b),
                                  url: api.exportUrl({type: ['ASSAULT'], country: 'SYR'}, 'geojson')}));
    """, dyads)
    g = out["g"]
    assert [n["id"] for n in g["nodes"]][:1] == ["SYRREB"]  # most events first
    assert next(n for n in g["nodes"] if n["id"] == "SYRREB")["events"] == 13
    assert {(e["source"], e["quad"]) for e in g["edges"]} == {
        ("RUSGOV", 1), ("RUSMIL", 4), ("SYRMIL", 4)}  # no self-loop
    assert out["same"]
    for x, y in out["a"].values():
        assert 0 <= x <= 400 and 0 <= y <= 300
    points = list(out["a"].values())
    assert min(((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2) ** 0.5
               for i, p in enumerate(points) for q in points[i + 1:]) > 20
    assert out["url"] == "export?type=ASSAULT&country=SYR&format=geojson"


def test_regions_are_split_per_country_and_simplified(tmp_path):
    square = [[[36.0 + i * 0.001, 36.0] for i in range(200)] + [[36.2, 36.2], [36.0, 36.0]]]
    source = tmp_path / "admin1.json"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"adm0_a3": "SYR", "gn_a1_code": "SY.09",
                                           "name": "Aleppo", "iso_3166_2": "SY-HL"},
         "geometry": {"type": "Polygon", "coordinates": square}},
        {"type": "Feature", "properties": {"adm0_a3": "IRQ", "gn_a1_code": "IZ.15",
                                           "name": "Ninawa", "name_alt": "Nineveh"},
         "geometry": {"type": "MultiPolygon", "coordinates": [square]}},
        {"type": "Feature", "properties": {"adm0_a3": ""}, "geometry": None},
    ]}))
    assert build.build_regions(source, tmp_path / "regions") == 2
    syr = json.loads((tmp_path / "regions" / "SYR.json").read_text())
    f = syr["features"][0]
    assert f["properties"] == {"code": "09", "name": "Aleppo", "alt": "", "iso": "SY-HL"}
    ring = f["geometry"]["coordinates"][0][0]
    assert len(ring) < 10  # 200 collinear points are 2
    assert json.loads((tmp_path / "regions" / "index.json").read_text()) == ["IRQ", "SYR"]
    assert build.build_regions(tmp_path / "missing.json", tmp_path / "r2") == 0


def test_vendored_regions_cover_syria():
    regions = WEB_DIR / "vendor" / "regions"
    if not (regions / "index.json").is_file():
        pytest.skip("vendor/ not built with regions (run python -m dateline.web.build)")
    syr = json.loads((regions / "SYR.json").read_text())
    codes = {f["properties"]["code"] for f in syr["features"]}
    assert {"09", "13", "12"} <= codes  # Aleppo, Damascus, Idlib (GeoNames codes)
    codes = json.loads((regions / "countries.json").read_text())
    assert codes["760"] == "SYR" and codes["643"] == "RUS"
