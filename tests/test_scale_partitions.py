"""Planning partitions: whole files bundled, large JSONL/WARC files cut at record boundaries."""

from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dateline.scale.partitions import Partition, Segment, expand_paths, jsonl_ranges, plan_partitions


def _write_jsonl(path: Path, n: int, width: int = 40) -> list[bytes]:
    lines = [(json.dumps({"id": i, "text": "x" * (width + i % 17)}) + "\n").encode() for i in range(n)]
    path.write_bytes(b"".join(lines))
    return lines


def _lines_of(seg: Segment) -> list[bytes]:
    with open(seg.path, "rb") as fh:
        fh.seek(seg.start)
        return fh.read(seg.end - seg.start).splitlines(keepends=True)


def test_jsonl_file_is_cut_into_whole_lines_with_their_numbers(tmp_path):
    path = tmp_path / "big.jsonl"
    lines = _write_jsonl(path, 300)
    parts = plan_partitions([path], partition_bytes=2_000)
    assert len(parts) > 5
    segs = [s for p in parts for s in p.segments]
    assert all(s.kind == "jsonl" and len(p.segments) == 1 for p, s in zip(parts, segs, strict=True))
    assert segs[0].start == 0 and segs[-1].end == path.stat().st_size
    for a, b in zip(segs, segs[1:], strict=False):
        assert a.end == b.start  # contiguous, no gap, no overlap
    got = []
    for s in segs:
        chunk = _lines_of(s)
        assert s.first_record == len(got)  # record numbers continue across ranges
        got.extend(chunk)
    assert got == lines


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(st.one_of(st.integers(0, 120).map(lambda n: "a" * n),
                                st.sampled_from(["", "[1, 2]", "  [3]", "{", "{}", " "])),
                      min_size=1, max_size=60),
       target=st.integers(1, 800), trailing_newline=st.booleans())
def test_jsonl_ranges_cover_every_line_once(tmp_path_factory, lines, target, trailing_newline):
    path = tmp_path_factory.mktemp("j") / "f.jsonl"
    body = "\n".join(lines).encode() + (b"\n" if trailing_newline else b"")
    path.write_bytes(body)
    segs = list(jsonl_ranges(str(path), target))
    assert segs[0].start == 0 and segs[-1].end == len(body)
    assert b"".join(body[s.start:s.end] for s in segs) == body
    for s in segs:
        assert s.start == 0 or body[s.start - 1:s.start] == b"\n"
        assert s.first_record == body[:s.start].count(b"\n")
        if s.start:  # the reader would not take the range for a JSON document
            head = body[s.start:].decode().lstrip(" \t\r\n")
            assert not head.startswith(("[", "{\n", "{\r"))
    assert all(s.end - s.start >= target for s in segs[:-1])  # no range below the target


def test_small_files_are_bundled_and_all_kept(tmp_path):
    for i in range(12):
        (tmp_path / f"a{i:02d}.txt").write_text("word " * (20 + i))
    (tmp_path / ".hidden.txt").write_text("skip me")
    parts = plan_partitions([tmp_path], partition_bytes=400)
    files = [s.path for p in parts for s in p.segments]
    assert files == sorted(str(p) for p in tmp_path.glob("a*.txt"))
    assert 1 < len(parts) < 12
    assert all(p.nbytes <= 400 or len(p.segments) == 1 for p in parts)


def test_min_partitions_cuts_one_file_for_every_worker(tmp_path):
    path = tmp_path / "one.jsonl"
    _write_jsonl(path, 80)
    assert len(plan_partitions([path])) == 1
    assert len(plan_partitions([path], min_partitions=8)) >= 8


def test_keys_are_stable_and_distinct(tmp_path):
    path = tmp_path / "k.jsonl"
    _write_jsonl(path, 100)
    a = plan_partitions([path], partition_bytes=1_000)
    b = plan_partitions([str(path)], partition_bytes=1_000)
    assert [p.key for p in a] == [p.key for p in b]
    assert len({p.key for p in a}) == len(a)
    assert Partition.of(a[0].segments).key == a[0].key


def test_gzipped_jsonl_and_other_formats_stay_whole(tmp_path):
    import gzip

    gz = tmp_path / "c.jsonl.gz"
    gz.write_bytes(gzip.compress(b"".join(_write_jsonl(tmp_path / "tmp.jsonl", 200))))
    (tmp_path / "tmp.jsonl").unlink()
    html = tmp_path / "page.html"
    html.write_text("<p>" + "word " * 2000 + "</p>")
    parts = plan_partitions([gz, html], partition_bytes=500)
    assert [(s.path, s.start) for p in parts for s in p.segments] == [(str(gz), None), (str(html), None)]


def _warc(path: Path, n: int, gz: bool) -> list[str]:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    uris = []
    for i in range(n):
        uri = f"http://news.example/{i}"
        req = writer.create_warc_record(uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
        body = (f"<html><head><title>Story {i}</title></head><body><article><p>Police in city {i} "
                "arrested several men on Monday after clashes, officials said. "
                + "The curfew stayed in force across the old town for a second day. " * 3
                + "</p></article></body></html>").encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        resp = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
        writer.write_record(req)
        writer.write_record(resp)
        uris.append(uri)
    path.write_bytes(buf.getvalue())
    return uris


def test_warc_is_cut_between_captures_only(tmp_path):
    for gz in (True, False):
        path = tmp_path / ("w.warc.gz" if gz else "w.warc")
        uris = _warc(path, 12, gz)
        parts = plan_partitions([path], partition_bytes=1_500)
        segs = [p.segments[0] for p in parts]
        assert len(segs) > 2 and all(s.kind == "warc" for s in segs)
        assert segs[0].start == 0 and segs[-1].end == path.stat().st_size
        got, owner = [], {}
        for s in segs:
            with open(path, "rb") as fh:
                fh.seek(s.start)
                it = ArchiveIterator(fh)
                types = []
                for rec in it:
                    if it.get_record_offset() >= s.end:
                        break
                    types.append(rec.rec_type)
                    uri = rec.rec_headers.get_header("WARC-Target-URI")
                    assert owner.setdefault(uri, s.start) == s.start  # one capture, one range
                    if rec.rec_type == "response":
                        got.append(rec.rec_headers.get_header("WARC-Target-URI"))
            assert types[0] == "request" and types[-1] == "response"
        assert got == uris


def test_expand_paths_globs_dirs_and_missing(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.txt").write_text("x")
    (tmp_path / "y.txt").write_text("y")
    got = expand_paths([tmp_path / "d", str(tmp_path / "*.txt"), tmp_path / "none.txt",
                        tmp_path / "y.txt"])
    assert got[:2] == [str(tmp_path / "d" / "x.txt"), str(tmp_path / "y.txt")]  # y.txt once
    assert len(got) == 3 and got[2].path == str(tmp_path / "none.txt")


# -- reading ranges gives exactly what reading the whole file gives ------------------------
def _as_tuples(items):
    from dateline.model import Article

    return [("A", i.to_dict()) if isinstance(i, Article) else ("E", str(i)) for i in items]


def _read_planned(paths, target, options=None):
    from dateline.ingest import ReadContext
    from dateline.scale.records import read_segment

    ctx = ReadContext.create(options)
    parts = plan_partitions(paths, partition_bytes=target)
    return parts, [item for p in parts for s in p.segments for item in read_segment(s, None, options, ctx)]


def test_jsonl_ranges_read_like_the_whole_file(tmp_path):
    from scale_fixtures import ipe_records

    from dateline.ingest import ReadOptions, read_paths

    recs = ipe_records(14)
    lines = [json.dumps(r) for r in recs[:5]]
    lines += ["", "{not json", json.dumps({"doc_id": 99, "date": "2002-03-01"}), "[1, 2]"]
    lines += [json.dumps(r) for r in recs[5:]]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    options = ReadOptions(text_field="full_text", id_field="doc_id")
    whole = _as_tuples(read_paths([str(path)], options=options))
    parts, ranged = _read_planned([str(path)], 1_500, options)
    assert len(parts) > 4
    assert _as_tuples(ranged) == whole
    assert sum(k == "E" for k, _ in whole) == 3 and sum(k == "A" for k, _ in whole) == 14


def test_warc_ranges_read_like_the_whole_file(tmp_path):
    from dateline.ingest import read_paths

    for gz in (True, False):
        path = tmp_path / ("w.warc.gz" if gz else "w.warc")
        _warc(path, 10, gz)
        whole = _as_tuples(read_paths([str(path)]))
        parts, ranged = _read_planned([str(path)], 1_500)
        assert len(parts) > 3
        assert _as_tuples(ranged) == whole
        assert len(whole) == 10 and all(k == "A" for k, _ in whole)


def test_missing_inputs_become_read_errors(tmp_path):
    from dateline.ingest import read_paths

    (tmp_path / "a.txt").write_text("Police arrested five men in Surat on Monday, officials said.")
    paths = [str(tmp_path / "a.txt"), str(tmp_path / "gone.txt"), str(tmp_path / "*.none")]
    _, got = _read_planned(paths, 1_000)
    assert sorted(_as_tuples(got)) == sorted(_as_tuples(read_paths(paths)))
