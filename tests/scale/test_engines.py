"""DuckDB, pandas and Spark on a standalone cluster give the same salary answers on synthetic rows,
in one file and in a year-partitioned folder; the Salaries page renders on the cluster.

Run by `make test-scale` (installs pyspark; Java 17+ must be on the machine), which starts a
Spark master and worker on 127.0.0.1 for the session (tests/scale/conftest.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from bench import scale
from dashboard import data
from tests.scale import spark_cluster as standalone

pytestmark = pytest.mark.scale
STATS = ["n", "p10", "p25", "p50", "p75", "p90"]
EXPORT = ["work_year", "employee_residence", "experience_level", "salary_usd"]


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    """An export's rows as a sorted set of the columns that identify a report."""
    frame = frame[EXPORT].astype({"work_year": "int64", "salary_usd": "float64"})
    frame = frame.astype({c: str for c in EXPORT[1:3]})
    return frame.sort_values(EXPORT).reset_index(drop=True)


def _answers(
    root, engine: str, monkeypatch: pytest.MonkeyPatch, cases: list[scale.Case] | None = None
) -> dict[str, pd.DataFrame]:
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(root))
    monkeypatch.setenv("JOBMARKET_ENGINE", engine)
    key = data.current().key
    out = {}
    for case in scale.cases() if cases is None else cases:
        frame = case.engine(key)
        out[case.name] = _rows(frame) if "salary_usd" in frame else frame
    return out


def _pandas(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Each bench view computed by pandas on the rows themselves (mask + groupby quantile;
    percentiles only: pandas' group sizes are checked on the unfiltered view)."""
    rows = rows.astype({"work_year": "int64"})
    out = {}
    for case in scale.cases():
        frame = case.baseline(rows)
        if "salary_usd" in frame:
            out[case.name] = _rows(frame)
        else:
            out[case.name] = frame.set_axis(STATS[1:], axis=1).reset_index()
    return out


def _same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        left, right = a[name], b[name]
        assert len(left) == len(right) > 0, name
        if "p50" in left:
            key = next(c for c in left.columns if c not in STATS)
            left = left.sort_values(key, key=lambda s: s.astype(str)).reset_index(drop=True)
            right = right.sort_values(key, key=lambda s: s.astype(str)).reset_index(drop=True)
            assert left[key].astype(str).tolist() == right[key].astype(str).tolist(), name
            stats = [c for c in STATS if c in left and c in right]
            np.testing.assert_allclose(
                left[stats].to_numpy(float), right[stats].to_numpy(float), rtol=1e-12, err_msg=name
            )
        else:
            pd.testing.assert_frame_equal(left, right, check_dtype=False, obj=name)


@pytest.fixture(scope="module")
def duckdb_answers(roots, tmp_path_factory) -> dict[str, pd.DataFrame]:
    """DuckDB's answers over salary_counts (tables above 0 rows stay on disk): the path the
    Spark engine takes too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JOBMARKET_MEMORY_ROWS", "0")
        return _answers(roots["single"], "duckdb", patch)


def test_duckdb_on_both_paths_and_pandas_agree_on_every_bench_view(roots, duckdb_answers):
    # DuckDB's own quantile over the rows in memory, its search of the counts, and pandas on
    # the rows: three independent ways to the same percentiles.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JOBMARKET_MEMORY_ROWS", str(10 * len(roots["rows"])))
        in_memory = _answers(roots["single"], "duckdb", patch)
    _same(in_memory, duckdb_answers)
    _same(_pandas(roots["rows"]), duckdb_answers)
    sizes = roots["rows"].groupby("experience_level").size()
    assert duckdb_answers["all rows by level"]["n"].tolist() == sizes.tolist()


def test_the_cluster_gives_duckdbs_answers_on_every_bench_view(roots, duckdb_answers, on_cluster):
    with pytest.MonkeyPatch.context() as patch:
        _same(duckdb_answers, _answers(roots["single"], "spark", patch))


def test_the_partitioned_layout_gives_the_same_answers_on_duckdb_and_the_cluster(
    roots, duckdb_answers, on_cluster
):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JOBMARKET_MEMORY_ROWS", "0")
        for engine in ("duckdb", "spark"):  # work_year survives as a column on both engines
            _same(duckdb_answers, _answers(roots["partitioned"], engine, patch))


def test_the_application_ran_on_the_worker(roots, on_cluster, spark_cluster):
    from pyspark.sql import SparkSession

    with pytest.MonkeyPatch.context() as patch:
        # A view of its own (each test can run alone): the session is up and ran a query.
        _answers(roots["single"], "spark", patch, scale.cases()[-1:])
    session = SparkSession.builder.getOrCreate()  # the running one: no second session
    app_id = session.sparkContext.applicationId
    status = spark_cluster.status()
    apps = {a["id"]: a for a in status["activeapps"]}
    assert app_id in apps and apps[app_id]["name"] == "jobmarket", status["activeapps"]
    assert apps[app_id]["cores"] > 0
    [worker] = standalone.alive_workers(status)
    assert worker["coresused"] > 0, worker
    # The worker's own status lists the application's executor; the driver's REST API says
    # that executor ran the tasks.
    on_worker = [e for e in spark_cluster.worker_status()["executors"] if e["appid"] == app_id]
    assert on_worker, spark_cluster.worker_status()
    ran = {
        e["id"]: e["completedTasks"]
        for e in standalone.executors(session.sparkContext.uiWebUrl, app_id)
        if e["id"] != "driver"
    }
    assert {str(e["id"]) for e in on_worker} <= set(ran)
    assert sum(ran.values()) > 0, ran


def _salaries_page(root, engine: str) -> AppTest:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JOBMARKET_DATA_DIR", str(root))
        patch.setenv("JOBMARKET_ENGINE", engine)
        patch.setenv("JOBMARKET_MEMORY_ROWS", "0")
        at = AppTest.from_file(str(scale.ROOT / "dashboard" / "app.py"), default_timeout=600)
        at.run()
        at.switch_page("views/salaries.py")
        return at.run()


def test_the_salaries_page_on_the_cluster_shows_duckdbs_figures(roots, on_cluster):
    import streamlit as st

    shown = {}
    for engine in ("duckdb", "spark"):
        st.cache_data.clear()  # the cache is keyed on the data version, not on the engine
        at = _salaries_page(roots["single"], engine)
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        shown[engine] = [(m.label, m.value) for m in at.metric]
    assert shown["spark"] == shown["duckdb"]
    assert any(label.startswith("Median salary") for label, _ in shown["spark"])
