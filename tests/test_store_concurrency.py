"""The issue's scenario, as real processes: `dateline serve` + `dateline watch` + a batch
`dateline ingest` + 4 CLI readers at once on one DuckDB file; and on PostgreSQL with two
`serve` processes and two concurrent ingests. Every article once, 0 errors, `check` ok,
events equal to a sequential run (tests/concurrency_scenario.py; the 1,000-article version
is `python -m bench.concurrency`)."""

from __future__ import annotations

import pytest
from concurrency_scenario import run_scenario
from scale_fixtures import site  # noqa: F401  (fixture)

pytestmark = pytest.mark.timeout(1800)


def _assert_clean(result) -> None:
    assert result.errors == 0, result.to_dict()
    assert result.reader_runs >= 8 and result.http_requests >= 5, result.to_dict()
    assert result.articles == result.distinct == result.expected_articles, result.to_dict()
    assert result.check_ok, result.to_dict()
    assert result.same_as_sequential, result.to_dict()


def test_serve_watch_ingest_and_readers_at_once_on_duckdb(tmp_path, site, coder):
    db = str(tmp_path / "desk.duckdb")
    _assert_clean(run_scenario(db, tmp_path / "run", site, n_articles=200, coder=coder))


def test_two_serves_two_ingests_watch_and_readers_on_postgresql(pg_dsn, tmp_path, site,
                                                                coder):
    result = run_scenario(pg_dsn, tmp_path / "run", site, n_articles=200, ingests=2,
                          serves=2, coder=coder)
    _assert_clean(result)
    assert result.articles_sent > 200  # the two batches overlap: the overlap stored once
