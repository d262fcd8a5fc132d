"""DuckDB and Spark give the same salary answers on synthetic rows, single file and partitioned.

Run by `make test-scale` (installs pyspark; Java 17+ must be on the machine). The rows resample
the real aijobs.net snapshot from ../shared/datasets, as `make bench` does."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from bench import scale
from dashboard import data
from etl import config

pytestmark = pytest.mark.scale
MIRROR = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
ROWS = int(os.environ.get("JOBMARKET_SCALE_ROWS", "1000000"))
STATS = ["n", "p10", "p25", "p50", "p75", "p90"]


@pytest.fixture(scope="module")
def roots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    pytest.importorskip("pyspark", reason="pyspark is not installed: `make test-scale` installs it")
    if shutil.which("java") is None:
        pytest.skip("no java on PATH: Spark needs Java 17 or later")
    if not (MIRROR / config.load().aijobs_file).is_file():
        pytest.skip(f"no aijobs snapshot under {MIRROR}: the synthetic rows resample real ones")
    base = tmp_path_factory.mktemp("scale")
    frame = scale.synthetic(scale.real_salaries(MIRROR), ROWS)
    scale.publish(frame, base / "single")
    # The same version with salaries as a folder partitioned by year, as a cluster would hold it.
    shutil.copytree(base / "single", base / "partitioned", symlinks=True)
    version = (base / "partitioned" / "processed").resolve()
    rows = pq.read_table(version / "salaries.parquet")
    (version / "salaries.parquet").unlink()
    ds.write_dataset(
        rows,
        version / "salaries",
        format="parquet",
        partitioning=["work_year"],
        partitioning_flavor="hive",
    )
    manifest = json.loads((version / "manifest.json").read_text())
    manifest["tables"]["salaries"]["file"] = "salaries"
    (version / "manifest.json").write_text(json.dumps(manifest))
    return {"single": base / "single", "partitioned": base / "partitioned", "rows": frame}


def _answers(root: Path, engine: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, pd.DataFrame]:
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(root))
    monkeypatch.setenv("JOBMARKET_ENGINE", engine)
    key = data.current().key
    out = {}
    for case in scale.cases():
        frame = case.engine(key)
        if "salary_usd" in frame and "job_title" in frame:  # the export: compare as a set
            frame = frame[["work_year", "employee_residence", "experience_level", "salary_usd"]]
            frame = frame.astype({"work_year": "int64", "salary_usd": "float64"})
            frame = frame.sort_values(list(frame.columns)).reset_index(drop=True)
        out[case.name] = frame
    return out


def _same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        left, right = a[name], b[name]
        assert len(left) == len(right) > 0, name
        if "p50" in left:
            keys = [c for c in left.columns if c not in STATS]
            assert left[keys].astype(str).equals(right[keys].astype(str)), name
            np.testing.assert_allclose(
                left[STATS].to_numpy(float), right[STATS].to_numpy(float), rtol=1e-12, err_msg=name
            )
        else:
            pd.testing.assert_frame_equal(left, right, check_dtype=False, obj=name)


def test_duckdb_and_spark_agree_on_every_bench_view(roots, monkeypatch):
    # DuckDB searches the counts (tables above 0 rows stay on disk) exactly as Spark does, and
    # both equal DuckDB's own quantile over the rows in memory.
    monkeypatch.setenv("JOBMARKET_MEMORY_ROWS", str(10 * ROWS))
    in_memory = _answers(roots["single"], "duckdb", monkeypatch)
    monkeypatch.setenv("JOBMARKET_MEMORY_ROWS", "0")
    counts = _answers(roots["single"], "duckdb", monkeypatch)
    spark = _answers(roots["single"], "spark", monkeypatch)
    _same(in_memory, counts)
    _same(counts, spark)


def test_pandas_agrees_with_the_engines(roots, monkeypatch):
    monkeypatch.setenv("JOBMARKET_MEMORY_ROWS", "0")
    got = _answers(roots["single"], "duckdb", monkeypatch)["all rows by level"]
    want = roots["rows"].groupby("experience_level")["salary_usd"].quantile(scale.PCTS).unstack()
    np.testing.assert_allclose(got[STATS[1:]].to_numpy(float), want.to_numpy(float), rtol=1e-12)
    assert got["n"].tolist() == roots["rows"].groupby("experience_level").size().tolist()


def test_the_partitioned_layout_gives_the_same_answers_on_both_engines(roots, monkeypatch):
    monkeypatch.setenv("JOBMARKET_MEMORY_ROWS", "0")
    single = _answers(roots["single"], "duckdb", monkeypatch)
    for engine in ("duckdb", "spark"):
        partitioned = _answers(roots["partitioned"], engine, monkeypatch)
        _same(single, partitioned)  # work_year survives as a column on both engines
