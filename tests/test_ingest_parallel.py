"""Reading in worker processes gives what reading in this process gives: the same items in
the same order (errors one line per bad input, in input order), JSON Lines cut into parts
with the same line numbers, and the same store."""

from __future__ import annotations

import json

import pytest

from dateline.ingest import ReadContext, ReadOptions
from dateline.ingest import parallel as par
from dateline.ingest.pipeline import _read_here, ingest
from dateline.store import Store


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(par, "PART_BYTES", 4096)
    monkeypatch.setattr(par, "MIN_SPLIT_BYTES", 8192)
    monkeypatch.setattr(par, "FILES_PER_TASK", 3)


def _inputs(folder):
    lines = [json.dumps({"id": f"x{i}", "text": f"Police arrested {i} people in Lagos on "
                         "Monday, witnesses said."}) for i in range(300)]
    lines[5], lines[7] = "{bad json", ""
    lines[20] = json.dumps({"text": "Police said. " * 700})  # over max_record_bytes below
    (folder / "big.jsonl").write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    (folder / "tail.jsonl").write_text("\n".join(lines[100:]), encoding="utf-8")  # no final \n
    (folder / "doc.json").write_text(json.dumps([{"text": "Rebels seized a town."}] * 400))
    for i in range(8):
        text = "" if i == 4 else f"December {i + 1}, 2016\n\nHeadline {i}\n\nPolice arrested people."
        (folder / f"t{i}.txt").write_text(text, encoding="utf-8")
    (folder / "bin.txt").write_bytes(b"\x00\x01" * 100)
    return sorted(str(p) for p in folder.iterdir()) + [str(folder / "missing.txt")]


@pytest.mark.parametrize("fmt", [None, "jsonl"])
def test_workers_yield_what_one_process_yields(tmp_path, small_parts, fmt):
    files = _inputs(tmp_path)
    ctx = ReadContext.create(ReadOptions(max_record_bytes=5000))
    here = [repr(x) for x in _read_here(files, ctx, fmt)]
    there = [repr(x) for x in par.read_parallel(files, ctx, fmt)]
    assert there == here
    assert any(t[0] == "part" for t in par._tasks(files, fmt))


def test_parts_cover_the_file_at_line_ends(tmp_path, small_parts):
    path = tmp_path / "a.jsonl"
    data = b"".join(b'{"text": "%s"}\n' % (b"x" * (i % 97)) for i in range(2000))
    path.write_bytes(data)
    parts = list(par._cut(str(path)))
    assert parts[0][0] == 0 and parts[-1][1] == len(data)
    for (s1, e1, n1), (s2, _, n2) in zip(parts, parts[1:]):
        assert e1 == s2 and data[e1 - 1:e1] == b"\n" and n2 - n1 == data[s1:e1].count(b"\n")


def test_ingest_with_workers_stores_the_same(tmp_path, small_parts):
    folder = tmp_path / "in"
    folder.mkdir()
    files = _inputs(folder)
    results = []
    for flag in (False, True):
        errors: list[str] = []
        with Store.open(tmp_path / f"{flag}.duckdb") as store:
            summary = ingest(store, files, progress=False, parallel=flag, batch_size=7,
                             on_error=lambda e, errors=errors: errors.append(str(e)))
            rows = store.con.execute("SELECT id, origin, text, published FROM articles "
                                     "ORDER BY id").fetchall()
        results.append((summary.read, summary.new, summary.duplicate, summary.failed,
                        errors, rows))
    assert results[0] == results[1]
    assert results[0][3] > 0 and all("\n" not in e for e in results[0][4])


def test_strict_stops_at_the_first_bad_input_with_workers(tmp_path, small_parts):
    folder = tmp_path / "in"
    folder.mkdir()
    files = _inputs(folder)[:-1]  # not the missing file: that stops before any reading
    out = []
    for flag in (False, True):
        with Store.open(tmp_path / f"{flag}.duckdb") as store:
            s = ingest(store, files, progress=False, parallel=flag, strict=True)
            out.append((s.read, s.failed, s.stopped, [str(e) for e in s.errors]))
    assert out[0] == out[1] and out[0][2] and out[0][0] > 0
