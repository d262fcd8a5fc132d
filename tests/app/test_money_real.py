"""The money switch on the real refresh: the Salaries headline in international dollars and in
CPI-U dollars equals a pandas computation from the raw mirror files, read independently."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import SHARED_DATASETS

pytestmark = pytest.mark.app

SALARIES = SHARED_DATASETS / "aijobs-salaries" / "salaries-2025-01-19.csv"
PPP = SHARED_DATASETS / "prices" / "ppp-gdp.csv"
CPI = SHARED_DATASETS / "prices" / "cpiai.csv"


def raw_reports() -> pd.DataFrame:
    # NA is Namibia, not a missing value; identical rows are counted once (the default).
    frame = pd.read_csv(SALARIES, keep_default_na=False)
    return frame.drop_duplicates()


def headline(at) -> float:
    metric = next(m for m in at.metric if m.label.startswith("Median salary"))
    return float(metric.value.replace("$", "").replace(",", ""))


def test_gb_mid_2024_in_international_dollars(rendered) -> None:
    params = {"country": "GB", "level": "Mid", "year_from": "2024", "year_to": "2024"}
    at = rendered("real", "salaries", {**params, "money": "ppp"})
    assert not at.exception
    frame = raw_reports()
    gb = frame.loc[
        (frame["employee_residence"] == "GB")
        & (frame["experience_level"] == "MI")
        & (frame["work_year"] == 2024)
    ]
    ppp = pd.read_csv(PPP, keep_default_na=False)
    factor = float(ppp.loc[(ppp["Country ID"] == "GB") & (ppp["Year"] == 2024), "PPP"].iloc[0])
    pounds = frame.loc[(frame["salary_currency"] == "GBP") & (frame["work_year"] == 2024)]
    per_usd = float((pounds["salary"] / pounds["salary_in_usd"]).median())
    local = gb["salary"].where(gb["salary_currency"] == "GBP", gb["salary_in_usd"] * per_usd)
    want = float((local / factor).median())
    assert headline(at) == pytest.approx(want, abs=0.5)  # the metric shows whole dollars
    label = next(m.label for m in at.metric if m.label.startswith("Median salary"))
    assert "Int$" in label
    assert any("international dollars" in i.proto.body for i in at.info)


def test_us_2020_in_us_dollars_of_the_latest_complete_cpi_year(rendered) -> None:
    params = {"country": "US", "year_from": "2020", "year_to": "2020", "money": "real"}
    at = rendered("real", "salaries", params)
    frame = raw_reports()
    us = frame.loc[(frame["employee_residence"] == "US") & (frame["work_year"] == 2020)]
    cpi = pd.read_csv(CPI)
    cpi["year"] = cpi["Date"].str[:4].astype(int)
    months = cpi.groupby("year")["Index"].count()
    base = int(months.loc[months == 12].index.max())  # 2024: October 2025 was not published
    annual = cpi.groupby("year")["Index"].mean()
    want = float((us["salary_in_usd"] * annual[base] / annual[2020]).median())
    assert headline(at) == pytest.approx(want, abs=0.5)
    assert f"{base} USD" in next(m.label for m in at.metric if "Median" in m.label)
