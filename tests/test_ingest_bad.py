"""Bad input: each kind gives one clear line naming the file, and the rest of the batch lands."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bad_inputs import BAD_INPUTS, build_all
from ingest_fixtures import DATELINE, write_text_corpus

from dateline.cli import app
from dateline.ingest.pipeline import ingest
from dateline.store import Store

GOOD = 3


def test_corpus_has_at_least_fifteen_failure_kinds():
    assert len([b for b in BAD_INPUTS if b.errors]) >= 15
    assert len(BAD_INPUTS) >= 25


@pytest.mark.parametrize("bad", BAD_INPUTS, ids=lambda b: b.kind)
def test_bad_input_kind(tmp_path, bad):
    folder = tmp_path / "in"
    write_text_corpus(folder, GOOD, seed=50)
    bad.build(folder)
    lines: list[str] = []
    with Store.open(tmp_path / "db.duckdb") as store:
        summary = ingest(store, [str(folder)], progress=False, batch_size=2,
                         on_error=lambda e: lines.append(str(e)))
        stored = store.articles_where()
    mine = [line for line in lines if bad.name in line]
    assert len(mine) == bad.errors, lines
    assert len(lines) == bad.errors  # nothing else failed
    for line in mine:
        assert "\n" not in line and bad.reason in line, line
    assert summary.failed == bad.errors
    from_bad = [a for a in stored if bad.name in (a.origin or "")]
    assert len(from_bad) == bad.articles
    assert len(stored) == GOOD + bad.articles  # the good ones landed too
    assert summary.new == GOOD + bad.articles
    if bad.check:
        bad.check(from_bad)


def test_permission_denied_is_one_line(tmp_path):
    """An unreadable file (as root: run without CAP_DAC_OVERRIDE) is named, the rest lands."""
    folder = tmp_path / "in"
    write_text_corpus(folder, GOOD, seed=51)
    secret = folder / "secret.txt"
    secret.write_text("Secret\n\nNobody may read this.")
    secret.chmod(0)
    cmd = [*DATELINE, "ingest", "--no-code", "--no-progress",
           "--db", str(tmp_path / "db.duckdb"), str(folder)]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("root without setpriv: cannot make a file unreadable")
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *cmd]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")})
    assert proc.returncode == 0, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "secret.txt" in line]
    assert errors == [f"{secret}: permission denied"]
    with Store.open(tmp_path / "db.duckdb", read_only=True) as store:
        assert store.counts()["articles"] == GOOD


def test_whole_bad_corpus_through_the_cli(tmp_path, runner):
    folder = tmp_path / "in"
    write_text_corpus(folder, GOOD, seed=52)
    bads = build_all(folder, {b.kind for b in BAD_INPUTS if "slow" not in b.tags})
    db = tmp_path / "db.duckdb"
    result = runner.invoke(app, ["ingest", "--no-code", "--no-progress", "--db", str(db),
                                 str(folder)])
    assert result.exit_code == 0, result.output
    err_lines = [line for line in result.stderr.splitlines() if line.startswith(str(folder))]
    for bad in bads:
        named = [line for line in err_lines if bad.name in line]
        assert len(named) == bad.errors, (bad.kind, named)
    assert len(err_lines) == sum(b.errors for b in bads)
    expected = GOOD + sum(b.articles for b in bads)
    assert f"new {expected:,}" in result.stderr
    with Store.open(db, read_only=True) as store:
        assert store.counts()["articles"] == expected
    strict = runner.invoke(app, ["ingest", "--no-code", "--no-progress", "--strict", "--db",
                                 str(tmp_path / "strict.duckdb"), str(folder)])
    assert strict.exit_code == 1
    assert "stopped at the first bad input" in strict.stderr
