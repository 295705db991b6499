"""`code --cluster`: a real LocalCluster of 2 worker processes and the real Coder.

One cluster for the module. The lake must equal the single-process run on the same
corpus, also when a worker process is SIGKILLed mid-run or a task fails once.
"""

from __future__ import annotations

import functools
import json
import os
import signal
from datetime import UTC
from pathlib import Path

import cloudpickle
import pytest
import scale_fixtures
from scale_fixtures import EXAMPLES, ipe_records

from dateline.config import Config
from dateline.ingest import ReadOptions, read_paths
from dateline.model import Article
from dateline.scale import (
    code_in_process,
    code_on_cluster,
    iter_lake_articles,
    iter_lake_mentions,
    lake_store,
)
from dateline.store import Store

pytestmark = pytest.mark.slow  # a LocalCluster of two worker processes, each with its coder

OPTIONS = ReadOptions(text_field="full_text", id_field="doc_id", date_field="date", url_field="url")
CONFIG = Config()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("corpus")
    lines = [json.dumps(r) for r in ipe_records(8, containing="police")]
    lines.insert(4, '{"doc_id": "broken", "full_text": ')  # a bad record: a ReadError
    (folder / "toi.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(folder / "toi.jsonl"), str(EXAMPLES / "aleppo-2016-12-07.txt")]


@pytest.fixture(scope="module")
def client():
    """``local:2``: a LocalCluster of 2 worker processes with 1 thread each."""
    from dateline.scale import connect

    cloudpickle.register_pickle_by_value(scale_fixtures)  # test helpers travel by value
    with connect("local:2") as c:
        yield c
    cloudpickle.unregister_pickle_by_value(scale_fixtures)


@pytest.fixture(scope="module")
def reference(corpus, coder):
    """The single-process run: read every input, code it in this process."""
    items = list(read_paths(corpus, options=OPTIONS))
    articles = [a for a in items if isinstance(a, Article)]
    errors = sorted(str(e) for e in items if not isinstance(e, Article))
    coded = list(coder.code_articles(articles))
    return {
        "articles": {a.id: _norm(a.to_dict()) for a, _ in coded},
        "mentions": {m.id: m.to_dict() for _, ms in coded for m in ms},
        "errors": errors,
    }


def _norm(d: dict) -> dict:
    """Published as an instant in UTC (the lake keeps timestamps in UTC)."""
    from datetime import datetime

    p = d.get("published")
    if p:
        dt = datetime.fromisoformat(p)
        d["published"] = (dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)).isoformat()
    return d


def _lake(out: Path) -> dict:
    mentions = [m.to_dict() for m in iter_lake_mentions(out)]
    articles = [_norm(a.to_dict()) for a in iter_lake_articles(out)]
    return {"articles": articles, "mentions": mentions}


def _assert_same(out: Path, reference: dict) -> None:
    lake = _lake(out)
    ids = [m["id"] for m in lake["mentions"]]
    assert len(ids) == len(set(ids)), "duplicated mentions"
    assert {m["id"]: m for m in lake["mentions"]} == reference["mentions"]
    assert len(lake["articles"]) == len(reference["articles"])
    assert {a["id"]: a for a in lake["articles"]} == reference["articles"]


def test_cluster_output_equals_single_process(tmp_path, client, corpus, reference):
    out = tmp_path / "lake"
    s = code_on_cluster(corpus, client, out, CONFIG, options=OPTIONS, progress=False)
    assert s.ok and s.workers == 2
    assert s.partitions >= 4 and s.done == s.partitions  # the JSONL file was cut in ranges
    assert len(reference["mentions"]) >= 5  # real text, really coded
    assert (s.articles, s.mentions) == (len(reference["articles"]), len(reference["mentions"]))
    assert s.read_errors == len(reference["errors"]) == 1
    assert sorted(s.error_samples) == reference["errors"]
    _assert_same(out, reference)
    # months: IndiaPoliceEvents is March 2002, the Aleppo example December 2016
    assert s.months == ["2002-03", "2016-12"]
    assert {p.name for p in (out / "mentions").iterdir()} == {"month=2002-03", "month=2016-12"}
    workers = {json.loads(p.read_text())["worker"] for p in (out / "_partitions").glob("*.json")}
    assert len(workers) == 2  # both workers did work
    # a second run into the same folder with resume: nothing to do, nothing duplicated
    again = code_on_cluster(corpus, client, out, CONFIG, options=OPTIONS, progress=False,
                            resume=True)
    assert (again.skipped, again.done) == (s.partitions, 0)
    _assert_same(out, reference)


def test_cli_code_by_scheduler_address(tmp_path, client, corpus, reference):
    """`dateline code --cluster tcp://... --out DIR`: a new client of the running cluster,
    whose workers already hold the Coder."""
    from typer.testing import CliRunner

    from dateline.cli import app
    from dateline.scale import connect

    out = tmp_path / "lake"
    example = corpus[1]  # the Aleppo article: read alike with or without JSONL options
    res = CliRunner().invoke(app, ["code", "--cluster", client.scheduler.address, example,
                                   "--out", str(out)])
    assert res.exit_code == 0, res.output
    (article,) = list(iter_lake_articles(out))
    assert article.origin == example and _norm(article.to_dict()) == reference["articles"][article.id]
    mentions = {m.id: m.to_dict() for m in iter_lake_mentions(out)}
    assert mentions and mentions == {k: m for k, m in reference["mentions"].items()
                                     if m["article_id"] == article.id}
    assert [p.name for p in (out / "mentions").iterdir()] == ["month=2016-12"]
    assert f"coded 1 articles into {len(mentions)} mentions" in res.output
    for bad in ("local:0", "local:x"):
        with pytest.raises(ValueError), connect(bad):
            pass


def test_worker_killed_mid_run_gives_complete_result(tmp_path, client, corpus, reference):
    pids = client.run(os.getpid)
    killed: list[str] = []

    def kill_a_busy_worker(_output) -> None:
        if killed:
            return
        busy = [w for w, keys in client.processing().items() if keys and w in pids]
        if busy:
            os.kill(pids[busy[0]], signal.SIGKILL)
            killed.append(busy[0])

    out = tmp_path / "lake"
    s = code_on_cluster(corpus, client, out, CONFIG, options=OPTIONS, progress=False,
                        partition_bytes=2_500, on_result=kill_a_busy_worker)
    assert killed, "no worker was busy after the first partition"
    assert s.ok and s.done == s.partitions
    _assert_same(out, reference)
    client.wait_for_workers(2, timeout=120)  # the nanny restarted the killed worker
    assert set(client.run(os.getpid).values()) != set(pids.values())


def test_failed_task_is_retried(tmp_path, client, corpus, reference):
    from dateline.scale import prepare_workers

    prepare_workers(client, CONFIG)  # the FlakyCoder codes with each worker's real Coder
    marker = tmp_path / "failed-once"
    factory = functools.partial(scale_fixtures.flaky_factory, str(marker))
    out = tmp_path / "lake"
    s = code_on_cluster(corpus, client, out, CONFIG, options=OPTIONS, progress=False,
                        coder_factory=factory, retries=2)
    assert marker.exists()  # a task did fail
    assert s.ok and s.done == s.partitions
    _assert_same(out, reference)
    # without retries the failure is reported, and the other partitions are complete
    marker.unlink()
    s = code_on_cluster(corpus, client, tmp_path / "lake2", CONFIG, options=OPTIONS,
                        progress=False, coder_factory=factory, retries=0)
    assert len(s.failed) == 1 and "failing once" in s.failed[0][1]
    assert s.done == s.partitions - 1


def test_in_process_lake_and_loading(tmp_path, corpus, reference, coder):
    from typer.testing import CliRunner

    from dateline.cli import app

    out = tmp_path / "lake"
    s = code_in_process(corpus, out, CONFIG, options=OPTIONS, progress=False, coder=coder)
    assert (s.articles, s.mentions) == (len(reference["articles"]), len(reference["mentions"]))
    _assert_same(out, reference)
    db = str(tmp_path / "s.duckdb")
    res = CliRunner().invoke(app, ["load", str(out), "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    first = json.loads(res.output)
    assert (first["articles_new"], first["mentions_new"]) == \
        (len(reference["articles"]), len(reference["mentions"]))
    res = CliRunner().invoke(app, ["load", str(out), "--db", db, "--json"])
    assert json.loads(res.output)["articles_new"] == 0
    with Store.open(db) as store:
        assert store.counts()["mentions"] == len(reference["mentions"])
        assert {m.id for m in store.mentions()} == set(reference["mentions"])
        assert store.counts()["events"] > 0
        assert store.con.execute("SELECT count(*) FROM mentions WHERE event_id IS NULL").fetchone()[0] == 0
    mem = lake_store(out)
    with Store.open(db, read_only=True) as store:
        assert mem.counts() == store.counts()
