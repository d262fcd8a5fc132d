"""Salary percentiles are exact on both paths: rows in memory, and counts per distinct salary."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from dashboard import data
from etl import config, derived, writer
from tests.fixtures.dashboard_fixture import build_full

PCTS = [0.10, 0.25, 0.50, 0.75, 0.90]
PCT_COLUMNS = ["p10", "p25", "p50", "p75", "p90"]


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_full(tmp_path_factory.mktemp("percentiles"))


@pytest.fixture(params=["rows in memory", "counts table"])
def path(request, monkeypatch) -> str:
    # Tables above JOBMARKET_MEMORY_ROWS rows are searched through salary_counts.
    monkeypatch.setenv(
        "JOBMARKET_MEMORY_ROWS", "2000000" if request.param == "rows in memory" else "0"
    )
    return request.param


def _published(root: Path) -> pd.DataFrame:
    return pd.read_parquet(next((root / "processed").glob("salaries.parquet")))


def _expected(rows: pd.DataFrame, by: str | None) -> pd.DataFrame:
    if by is None:
        out = rows["salary_usd"].quantile(PCTS).to_frame().T
        out.columns = PCT_COLUMNS
        return out.assign(n=len(rows)).reset_index(drop=True)
    out = rows.groupby(by)["salary_usd"].quantile(PCTS).unstack()
    out.columns = PCT_COLUMNS
    return out.assign(n=rows.groupby(by).size()).reset_index()


QUERIES = [
    (data.SalaryQuery(dedupe=False), lambda f: f),
    (data.SalaryQuery(countries=("US",), dedupe=False), lambda f: f[f.employee_residence == "US"]),
    (
        data.SalaryQuery(year_from=2024, year_to=2025, levels=("Senior", "Mid"), dedupe=False),
        lambda f: f[f.work_year.between(2024, 2025) & f.experience_level.isin(["Senior", "Mid"])],
    ),
    (data.SalaryQuery(dedupe=True), lambda f: f[~f.exact_duplicate.fillna(False)]),
]


@pytest.mark.parametrize(
    "by", [None, "experience_level", "job_family", "work_year", "company_size"]
)
@pytest.mark.parametrize("query,select", QUERIES)
def test_percentiles_equal_pandas_on_both_paths(full, path, monkeypatch, query, select, by):
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(full))
    key = data.current().key
    got = data.salary_stats.uncached(key, query, by)
    want = _expected(select(_published(full)), by)
    assert len(got) == len(want) > 0, path
    assert got["n"].tolist() == want["n"].tolist(), path
    np.testing.assert_allclose(
        got[PCT_COLUMNS].to_numpy(float), want[PCT_COLUMNS].to_numpy(float), rtol=1e-12
    )


def _publish_salaries(root: Path, salaries: list[float]) -> str:
    frame = pd.DataFrame(
        {
            "source": "aijobs",
            "work_year": 2024,
            "experience_level": "Senior",
            "employment_type": "Full-time",
            "job_title": "Data Scientist",
            "job_family": "Data Scientist",
            "salary": salaries,
            "salary_currency": "USD",
            "salary_usd": salaries,
            "employee_residence": "US",
            "company_country": "US",
            "remote_ratio": 0,
            "company_size": "M",
            "exact_duplicate": False,
        }
    )
    tables = derived.add({"salaries": frame})
    manifest = {
        "schema": 1,
        "refreshed_at": "2026-01-01T00:00:00+00:00",
        "tables": {n: {"rows": len(f), "file": f"{n}.parquet"} for n, f in tables.items()},
        "sources": {},
    }
    writer.publish(config.load(data_dir=root), tables, manifest)
    return data.current().key


@pytest.mark.parametrize(
    "salaries",
    [
        [120_000.0],  # one report: every percentile is that report
        [999.0, 1_000.0, 1_001.0, 1_999.5, 2_000.0],  # on and across the $1,000 band edges
        [50_000.0] * 7 + [250_000.0] * 3,  # ties: ranks fall inside a run of equal salaries
        [float(x) for x in range(1, 23)],  # one band, many values
    ],
)
def test_counts_search_is_exact_on_edge_cases(tmp_path, monkeypatch, salaries):
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JOBMARKET_MEMORY_ROWS", "0")
    key = _publish_salaries(tmp_path, salaries)
    got = data.salary_stats.uncached(key, data.SalaryQuery(dedupe=False))
    want = pd.Series(salaries).quantile(PCTS).tolist()
    assert got["n"].tolist() == [len(salaries)]
    np.testing.assert_allclose(got.loc[0, PCT_COLUMNS].astype(float), want, rtol=1e-12)
    nothing = data.salary_stats.uncached(
        key, data.SalaryQuery(countries=("FR",), dedupe=False), "job_family"
    )
    assert nothing.empty and list(nothing.columns) == ["job_family", "n", *PCT_COLUMNS]


def test_salary_counts_count_every_report_and_each_repeat_once() -> None:
    rows = pd.DataFrame(
        {
            **{c: ["x"] * 4 for c in derived.SALARY_DIMS},
            "salary_usd": [10.0, 10.0, 10.0, 20.0],
            "exact_duplicate": [False, True, False, False],
        }
    )
    counts = derived.salary_counts(rows).sort_values("salary_usd")
    assert counts["salary_usd"].tolist() == [10.0, 20.0]
    assert counts["n"].tolist() == [3, 1]
    assert counts["n_first"].tolist() == [2, 1]
    # the derived table is recomputed on every publish, never carried over
    again = derived.add({"salaries": rows, "salary_counts": counts.head(0)})
    assert again["salary_counts"]["n"].sum() == 4


def test_big_tables_are_sorted_in_row_groups_a_filter_can_skip(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(writer, "ROW_GROUP_ROWS", 10)
    years = [2025, 2021, 2024, 2022, 2023] * 8
    frame = pd.DataFrame(
        {
            "source": "aijobs",
            "work_year": years,
            "experience_level": "Mid",
            "employment_type": "Full-time",
            "job_title": "Analyst",
            "job_family": "Data Analyst",
            "salary": 1.0,
            "salary_currency": "USD",
            "salary_usd": [float(i) for i in range(len(years))],
            "employee_residence": "US",
            "company_country": "US",
            "remote_ratio": 0,
            "company_size": "M",
        }
    )
    path = writer.write_table(tmp_path, "salaries", frame)
    meta = pq.ParquetFile(path).metadata
    assert meta.num_row_groups == 4
    column = meta.schema.names.index("work_year")
    spans = [
        (
            meta.row_group(i).column(column).statistics.min,
            meta.row_group(i).column(column).statistics.max,
        )
        for i in range(meta.num_row_groups)
    ]
    assert spans == sorted(spans) and spans[0] == (2021, 2022) and spans[-1] == (2024, 2025)
