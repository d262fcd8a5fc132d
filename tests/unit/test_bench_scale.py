"""The scale benchmark's synthetic rows: resampled whole rows, jittered salaries, exact queries."""

from __future__ import annotations

import pandas as pd
import pytest

from bench import scale
from dashboard import data
from tests.fixtures.dashboard_fixture import _salaries


def test_synthetic_rows_resample_whole_rows_and_jitter_salaries() -> None:
    real = _salaries()
    fake = scale.synthetic(real, 5_000)
    assert len(fake) == 5_000 and list(fake.columns) == list(real.columns)
    # whole rows: every (level, country, family, year) combination exists in the real rows
    keys = ["experience_level", "employee_residence", "job_family", "work_year"]
    assert set(map(tuple, fake[keys].to_numpy())) <= set(map(tuple, real[keys].to_numpy()))
    # jittered: not copies, but within a few percent of the real range
    assert fake["salary_usd"].nunique() > real["salary_usd"].nunique()
    assert (
        fake["salary_usd"]
        .between(0.8 * real["salary_usd"].min(), 1.2 * real["salary_usd"].max())
        .all()
    )
    assert scale.synthetic(real, 100).equals(scale.synthetic(real, 100))  # seeded


def test_published_synthetic_rows_give_the_same_percentiles_as_pandas(tmp_path, monkeypatch):
    fake = scale.synthetic(_salaries(), 20_000)
    scale.publish(fake, tmp_path / "data")
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(tmp_path / "data"))
    key = data.current().key
    got = data.salary_stats.uncached(key, data.SalaryQuery(dedupe=False), "experience_level")
    want = fake.groupby("experience_level")["salary_usd"].quantile([0.1, 0.5, 0.9]).unstack()
    for row in got.itertuples(index=False):
        assert row.p10 == pytest.approx(want.loc[row.experience_level, 0.1])
        assert row.p50 == pytest.approx(want.loc[row.experience_level, 0.5])
        assert row.p90 == pytest.approx(want.loc[row.experience_level, 0.9])
    assert got["n"].sum() == len(fake)


def test_rows_beyond_memory_are_written_in_parts_and_still_exact(tmp_path, monkeypatch):
    monkeypatch.setattr(scale, "CHUNK_ROWS", 1_000)
    monkeypatch.setattr(scale, "BASELINE_MAX_ROWS", 1_000)
    real = _salaries()
    scale.publish_in_parts(real, 2_500, tmp_path / "data")
    version = (tmp_path / "data" / "processed").resolve()
    parts = sorted(p.name for p in (version / "salaries").glob("*.parquet"))
    assert parts == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("JOBMARKET_MEMORY_ROWS", "0")
    key = data.current().key
    rows = pd.concat(
        [scale.synthetic(real, size, seed=7 + i) for i, size in enumerate([1_000, 1_000, 500])]
    )
    got = data.salary_stats.uncached(key, data.SalaryQuery(dedupe=False), "experience_level")
    want = rows.groupby("experience_level")["salary_usd"].quantile([0.1, 0.5, 0.9]).unstack()
    assert got["n"].sum() == 2_500
    for row in got.itertuples(index=False):
        assert row.p50 == pytest.approx(want.loc[row.experience_level, 0.5], rel=1e-12)
    exported = data.salary_rows(key, data.SalaryQuery(countries=("US",), dedupe=False))
    assert len(exported) == int((rows["employee_residence"] == "US").sum())
