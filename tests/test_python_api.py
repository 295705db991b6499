"""The Python API for notebooks: `import dateline` is light, `dateline.open` answers with
Rows that convert to Arrow and pandas, and the worked example of docs/python.md runs."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis_fixtures import build_analysis_store

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "python.md"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("py") / "events.duckdb"
    build_analysis_store(path).close()
    return path


def test_import_dateline_loads_nothing_heavy():
    code = ("import sys, dateline; "
            "heavy = [m for m in ('spacy', 'duckdb', 'dateline.coding', 'dateline.store', "
            "'pandas', 'pyarrow') if m in sys.modules]; "
            "print(','.join(heavy)); assert callable(dateline.open)")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_events_rows_convert(db):
    import dateline

    with dateline.open(db) as store:
        rows = store.events(type="ASSAULT", place="Aleppo", since="2016-12-01")
        assert len(rows) == 4 and all(r["event_type"] == "ASSAULT" for r in rows)
        table = rows.to_arrow()
        assert table.num_rows == 4 and "actor_names" in table.column_names
        df = rows.to_pandas()
        assert list(df["id"]) == [r["id"] for r in rows]
        assert df["dead"].fillna(0).sum() == 12 + 4
        assert store.count(actor=["ISIS"]) == 2
        limited = store.events(limit=2, sort="date")
        assert len(limited) == 2 and limited[0]["date"] <= limited[1]["date"]
        series = store.series(by="week", type="ASSAULT", country="SYR")
        assert series.to_pandas()["events"].sum() == 7
        assert store.dyads(top=3).to_arrow().column_names == ["actor", "recipient", "count"]
        assert store.timeline(interval="month").to_pandas()["total"].sum() > 0
        arts = store.articles(limit=2)
        assert len(arts) == 2 and {"headline", "source"} <= set(arts.to_pandas().columns)
        assert store.article(arts[0]["id"])["text"]
        assert store.actor("Daesh")["events_as_actor"] == 2
        empty = store.events(country="FRA")
        assert len(empty) == 0 and empty.to_pandas().empty


def test_bad_filters_and_missing_store(db, tmp_path):
    import dateline
    from dateline.query import QueryError

    with dateline.open(db) as store:
        with pytest.raises(QueryError) as err:
            store.events(since="2016-13")
        assert err.value.param == "since"
    with pytest.raises(FileNotFoundError):
        dateline.open(tmp_path / "nothing.duckdb")


def test_worked_example_of_the_docs_runs(db, monkeypatch):
    block = re.search(r"## Worked example.*?```python\n(.*?)```", DOC.read_text(), re.S)
    assert block, "docs/python.md has no worked example"
    monkeypatch.chdir(db.parent)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block.group(1), str(DOC), "exec"), {})
    text = out.getvalue()
    print(text)
    assert "4 assaults in Aleppo since 1 December" in text
    assert "Islamic State" in text and "period" in text
