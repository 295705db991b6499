"""The offline assets of the web page: pinned npm packages, the build step that vendors them,
and its behaviour without npm."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from dateline.web import WEB_DIR, build, vendor_ready

ROOT = Path(__file__).resolve().parents[1]
NPM_DIR = ROOT / "web"


def test_package_versions_are_pinned_and_locked():
    package = json.loads((NPM_DIR / "package.json").read_text())
    lock = json.loads((NPM_DIR / "package-lock.json").read_text())
    deps = package["dependencies"]
    assert set(deps) == {pkg for pkg, _, _ in build.ASSETS}
    for name, version in deps.items():
        assert version[0].isdigit() and all(c.isdigit() or c == "." for c in version), \
            f"{name} is not pinned to an exact version: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert lock["packages"][f"node_modules/{name}"]["integrity"].startswith("sha512-")


def test_vendored_assets_are_built_from_the_current_lockfile():
    job = build.VendorBuild()
    assert vendor_ready(), "vendor/ missing: run `python -m dateline.web.build` (make install)"
    assert job.missing() == []
    assert job.is_current(), "vendor/ was built from another lockfile: rerun the build"
    manifest = job.manifest()
    lock = json.loads((NPM_DIR / "package-lock.json").read_text())
    for name, version in manifest["packages"].items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    topo = json.loads((WEB_DIR / "vendor/world-atlas/countries-50m.json").read_text())
    names = {g["properties"]["name"] for g in topo["objects"]["countries"]["geometries"]}
    assert {"Syria", "Iraq", "Russia", "Switzerland"} <= names


def fake_packages(npm_dir: Path, version: str = "1.0.0") -> None:
    """A node_modules tree holding every file the build copies (as npm ci would leave it)."""
    (npm_dir / "package-lock.json").write_text(json.dumps({"lockfileVersion": 3,
                                                           "v": version}))
    (npm_dir / "package.json").write_text("{}")
    for package, src, _ in build.ASSETS:
        path = npm_dir / "node_modules" / package / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{package}/{src}")
        (npm_dir / "node_modules" / package / "package.json").write_text(
            json.dumps({"name": package, "version": version}))


def test_copy_writes_assets_and_manifest_then_is_current(tmp_path):
    npm_dir, vendor = tmp_path / "web", tmp_path / "pkg" / "vendor"
    npm_dir.mkdir()
    fake_packages(npm_dir)
    job = build.VendorBuild(npm_dir=npm_dir, vendor_dir=vendor)
    assert not job.is_current()
    assert len(job.missing()) == len(build.ASSETS)
    manifest = job.copy()
    assert job.missing() == []
    assert job.is_current()
    for package, src, dest in build.ASSETS:
        assert (vendor / dest).read_text() == f"{package}/{src}"
    assert manifest["packages"]["leaflet"] == "1.0.0"
    assert not (vendor.parent / "vendor.tmp").exists()
    # A new lockfile makes the vendored files stale; a missing file too.
    fake_packages(npm_dir, "2.0.0")
    assert not job.is_current()
    job.copy()
    assert job.is_current() and job.manifest()["packages"]["leaflet"] == "2.0.0"
    (vendor / build.ASSETS[0][2]).unlink()
    assert not job.is_current()


def test_copy_refuses_an_incomplete_install(tmp_path):
    npm_dir, vendor = tmp_path / "web", tmp_path / "vendor"
    npm_dir.mkdir()
    fake_packages(npm_dir)
    (npm_dir / "node_modules" / "world-atlas" / "countries-50m.json").unlink()
    with pytest.raises(build.BuildError, match="countries-50m.json"):
        build.VendorBuild(npm_dir=npm_dir, vendor_dir=vendor).copy()
    assert not vendor.exists()


def test_without_npm_the_build_says_what_to_install(tmp_path, monkeypatch, capsys):
    npm_dir = tmp_path / "web"
    npm_dir.mkdir()
    fake_packages(npm_dir)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    code = build.main(["--npm-dir", str(npm_dir), "--vendor-dir", str(tmp_path / "vendor")])
    err = capsys.readouterr().err
    assert code == 2
    assert "npm was not found" in err and "apt-get install" in err
    assert "python -m dateline.web.build" in err


def test_up_to_date_build_needs_no_npm(tmp_path, monkeypatch, capsys):
    npm_dir, vendor = tmp_path / "web", tmp_path / "vendor"
    npm_dir.mkdir()
    fake_packages(npm_dir)
    build.VendorBuild(npm_dir=npm_dir, vendor_dir=vendor).copy()
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    assert build.main(["--npm-dir", str(npm_dir), "--vendor-dir", str(vendor)]) == 0
    assert "up to date" in capsys.readouterr().out
    assert build.main(["--check", "--npm-dir", str(npm_dir), "--vendor-dir", str(vendor)]) == 0
    (vendor / "manifest.json").unlink()
    assert build.main(["--check", "--npm-dir", str(npm_dir), "--vendor-dir", str(vendor)]) == 1


@pytest.mark.skipif(shutil.which("npm") is None and os.environ.get("CI") != "true",
                    reason="npm is not installed")
def test_real_npm_ci_and_copy(tmp_path):
    """The real install step, into a scratch copy (npm's cache makes it quick offline)."""
    npm_dir = tmp_path / "web"
    npm_dir.mkdir()
    for name in ("package.json", "package-lock.json"):
        (npm_dir / name).write_bytes((NPM_DIR / name).read_bytes())
    job = build.VendorBuild(npm_dir=npm_dir, vendor_dir=tmp_path / "vendor")
    manifest = job.build()
    assert job.is_current()
    assert manifest["packages"] == json.loads(
        (WEB_DIR / "vendor" / "manifest.json").read_text())["packages"]
    leaflet = (tmp_path / "vendor/leaflet/leaflet.js").read_text()
    assert "Leaflet 1.9.4" in leaflet[:300]
