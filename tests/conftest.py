"""Shared fixtures: a fresh store per test, the real coder loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"  # bundled test data (tests/data/README.md)
EXAMPLE = ROOT / "examples" / "aleppo-2016-12-07.txt"


@pytest.fixture
def store(tmp_path):
    from dateline.store import Store

    s = Store.open(tmp_path / "test.duckdb")
    yield s
    s.close()


@pytest.fixture(scope="session")
def coder():
    """The real Coder (spaCy model, dictionaries, gazetteer), loaded once per session."""
    from dateline.coding import Coder
    from dateline.config import Config

    return Coder.from_config(Config())


@pytest.fixture(scope="session")
def reader(coder):
    """The control-claim reader over the session's coder (tests/test_control*.py)."""
    from dateline.control.extract import ControlReader

    return ControlReader(coder)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture(scope="session")
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def ipe_dir() -> Path:
    """The bundled corpus in the IndiaPoliceEvents layout (docs, metadata, sents .jsonl)."""
    return DATA / "india-police-events"


@pytest.fixture(scope="session")
def re3d_dir() -> Path:
    """The bundled re3d publishers whose licences allow copying (tests/data/README.md)."""
    return DATA / "re3d"


# -- PostgreSQL (tests/pg_server.py: `make test` starts one and sets DATELINE_TEST_PG) -------
@pytest.fixture(scope="session")
def pg_admin():
    """A superuser DSN of a throw-away PostgreSQL server: DATELINE_TEST_PG, else one started
    here from the installed binaries; the tests that need it skip (with the reason) only
    when neither is possible."""
    import os

    import pg_server

    dsn = os.environ.get(pg_server.ENV)
    folder = None
    if not dsn:
        reason = os.environ.get(pg_server.ENV + "_ERROR")
        if reason:
            pytest.skip(f"no PostgreSQL for the tests: {reason}")
        try:
            folder, dsn = pg_server.start()
        except RuntimeError as exc:
            pytest.skip(f"no PostgreSQL for the tests: {exc} (make test installs it)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install -e '.[test]')")
    yield dsn
    if folder:
        pg_server.stop(folder)


@pytest.fixture
def pg_dsn(pg_admin):
    """A fresh, empty database on the test server (dropped afterwards)."""
    import uuid

    import psycopg

    name = "dl_" + uuid.uuid4().hex[:16]
    with psycopg.connect(pg_admin, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
                    "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
    yield pg_admin.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(pg_admin, autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
