"""The page as served by the real API app over uvicorn: every asset it loads is there and
local, no file names any other host, only page assets are served, and the page calls
nothing but API endpoints."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import httpx
import pytest

from dateline.api import create_app
from dateline.config import Config
from dateline.web import WEB_DIR
from query_fixtures import build_store
from web_fixtures import LiveServer

URL = re.compile(r"https?://[^\s\"'`<>)\\]+")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]"}
# URLs inside vendored packages that the page never requests, each for a stated reason.
INERT_VENDOR_URLS = {
    "http://www.w3.org/2000/svg": "XML namespace name (Leaflet creates SVG elements)",
    "https://leafletjs.com": "Leaflet's attribution prefix link, switched off by the page",
}


class Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.refs.append(value)


def js_imports(text: str) -> list[str]:
    return re.findall(r"""(?:^|\n)\s*import\b[^'"]*['"]([^'"]+)['"]""", text)


def css_urls(text: str) -> list[str]:
    return [u.strip("'\"") for u in re.findall(r"url\(([^)]+)\)", text)]


def in_comment(text: str, at: int) -> bool:
    """True when position ``at`` is inside a /* */ block or after // on its line."""
    if text.rfind("/*", 0, at) > text.rfind("*/", 0, at):
        return True
    line = text[text.rfind("\n", 0, at) + 1:at]
    return line.lstrip().startswith("//") or line.lstrip().startswith("*")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("page") / "page.duckdb")
    app = create_app(store, Config())
    server = LiveServer(app).start()
    yield server.url, app
    server.stop()
    store.close()


@pytest.fixture(scope="module")
def crawl(served):
    """Every asset reachable from the page: url -> (content type, text)."""
    base, _ = served
    seen: dict[str, tuple[str, str]] = {}
    todo = [base]
    with httpx.Client(timeout=30) as client:
        while todo:
            url = todo.pop()
            if url in seen:
                continue
            r = client.get(url)
            assert r.status_code == 200, f"{url}: HTTP {r.status_code}"
            ctype = r.headers["content-type"]
            text = r.text if re.search(r"html|javascript|css", ctype) else ""
            seen[url] = (ctype, text)
            if "html" in ctype:
                parser = Refs()
                parser.feed(text)
                refs = parser.refs
            elif "javascript" in ctype:
                refs = js_imports(text)
            elif "css" in ctype:
                refs = css_urls(text)
            else:
                refs = []
            for ref in refs:
                if ref.startswith(("data:", "#")):
                    continue
                target = urljoin(url, ref)
                assert urlparse(target).netloc == urlparse(base).netloc, f"{url} loads {ref}"
                todo.append(target)
    return seen


def test_page_is_served_at_root_with_its_parts(served, crawl):
    base, _ = served
    ctype, html = crawl[base]
    assert ctype.startswith("text/html")
    for part in ('id="map"', 'id="timeline"', 'id="events"', 'id="provenance"', 'id="filters"'):
        assert part in html
    loaded = {urlparse(u).path for u in crawl}
    for path in ("/static/app.js", "/static/highlight.js", "/static/style.css",
                 "/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/leaflet.css",
                 "/static/vendor/markercluster/leaflet.markercluster.js",
                 "/static/vendor/topojson/topojson-client.min.js",
                 "/static/vendor/leaflet/images/layers.png"):
        assert path in loaded
    assert all(c.startswith("text/javascript") or "javascript" in c
               for u, (c, _) in crawl.items() if u.endswith(".js"))


def test_no_file_of_the_page_names_another_host(crawl):
    own, vendor = [], []
    for url, (_, text) in crawl.items():
        for m in URL.finditer(text):
            found = m.group(0).rstrip(".,;")
            if urlparse(found).hostname in {h.strip("[]") for h in LOCAL_HOSTS}:
                continue
            if "/static/vendor/" in url:
                if not in_comment(text, m.start()) and found not in INERT_VENDOR_URLS:
                    vendor.append((url, found))
            else:
                own.append((url, found))
    assert own == []
    assert vendor == []
    # the page's own files, read from disk: no URL to any host at all
    for path in sorted(WEB_DIR.glob("*.*")):
        if path.suffix in (".html", ".js", ".css"):
            assert not URL.search(path.read_text(encoding="utf-8")), path.name


def test_basemap_is_a_local_natural_earth_file(served):
    base, _ = served
    r = httpx.get(urljoin(base, "static/vendor/world-atlas/countries-50m.json"), timeout=30)
    assert r.status_code == 200
    topo = r.json()
    assert topo["type"] == "Topology" and len(topo["objects"]["countries"]["geometries"]) > 200
    app_js = (WEB_DIR / "app.js").read_text()
    assert "static/vendor/world-atlas/countries-50m.json" in app_js


@pytest.mark.parametrize("path", [
    "static/__init__.py", "static/build.py", "static/.gitignore",
    "static/__pycache__/build.cpython-311.pyc", "static/../api/app.py",
    "static/%2e%2e/api/app.py", "static/vendor/../../api/app.py", "static/nothing.js",
])
def test_only_page_assets_are_served(served, path):
    base, _ = served
    r = httpx.get(base + path, timeout=30)
    assert r.status_code == 404
    assert "def " not in r.text and "import" not in r.text


def test_page_calls_only_existing_api_endpoints(served):
    _, app = served
    paths = set(app.openapi()["paths"])
    api_js = (WEB_DIR / "api.js").read_text()
    called = set(re.findall(r"this\.get\(\s*[`'\"]([a-z.]+)", api_js))
    # events and events/{id}; actors and actors/{name}
    assert called == {"events", "timeline", "openapi.json", "series", "actors", "dyads",
                      "control"}
    assert {"/events", "/events/{event_id}", "/timeline", "/series", "/actors",
            "/actors/{name}", "/dyads", "/export", "/control"} <= paths
    assert "export?" in api_js  # the download links
    assert app.openapi_url == "/openapi.json"
    # no module but api.js talks to the server (fetch of the basemap file aside)
    for path in WEB_DIR.glob("*.js"):
        if path.name not in ("api.js", "mapview.js"):
            assert "fetch(" not in path.read_text(), path.name
    assert "fetch(url)" in (WEB_DIR / "mapview.js").read_text()


def test_page_data_is_gzipped(served):
    """The JSON the page loads goes gzipped to clients that accept it (a page of 1,000
    events is ~0.9 MB of JSON); small bodies, page files and other paths do not."""
    base, _ = served
    with httpx.Client(timeout=30) as client:  # sends Accept-Encoding: gzip
        for path in ("events?limit=1000", "timeline?interval=day"):
            data = client.get(base + path)
            plain = client.get(base + path, headers={"Accept-Encoding": "identity"})
            assert data.status_code == plain.status_code == 200, path
            assert "content-encoding" not in plain.headers
            assert data.json() == plain.json()
            big = len(plain.content) >= 1024
            assert (data.headers.get("content-encoding") == "gzip") == big, path
        for path in ("", "static/vendor/leaflet/leaflet.js", "openapi.json", "health"):
            assert "content-encoding" not in client.get(base + path).headers, path


def test_only_get_on_data_paths_is_gzipped():
    from dateline.web import PageGZip

    def scope(path, method="GET", kind="http"):
        return {"type": kind, "path": path, "method": method}

    for path in ("/events", "/events/abc", "/timeline"):
        assert PageGZip.wanted(scope(path)), path
    for path in ("/", "/static/app.js", "/health", "/openapi.json", "/docs", "/stats",
                 "/articles", "/eventsx"):
        assert not PageGZip.wanted(scope(path)), path
    assert not PageGZip.wanted(scope("/events", "POST"))
    assert not PageGZip.wanted(scope("/events", kind="websocket"))
