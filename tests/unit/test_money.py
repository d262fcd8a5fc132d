"""Pay in comparable units: CPI-U adjusted US dollars and international dollars (PPP), checked
against an independent pandas computation on hand-made reports and factors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard import data
from dashboard.data import money
from etl.schemas import TABLES, validate
from tests.fixtures.dashboard_fixture import SOURCES, _salaries, publish

pytestmark = pytest.mark.skipif(
    "ppp" not in TABLES or "cpi_annual" not in TABLES,
    reason="the price tables are not in the contract",
)

# GB 2024 and DE 2023 as the World Bank publishes them; IN 20.4220 (2024). No factor for XK.
PPP = pd.DataFrame(
    {
        "source": "prices",
        "country": ["GB", "GB", "DE", "DE", "IN", "US", "US"],
        "year": [2023, 2024, 2023, 2024, 2024, 2023, 2024],
        "lcu_per_intl_dollar": [0.67, 0.664153, 0.71, 0.700862, 20.4220, 1.0, 1.0],
        "currency": ["GBP", "GBP", "EUR", "EUR", "INR", "USD", "USD"],
    }
)
CPI = pd.DataFrame(
    {"source": "prices", "year": [2020, 2023, 2024], "index": [258.811, 304.702, 313.689]}
).assign(months=12)


def _reports() -> pd.DataFrame:
    """The fixture's reports plus the cases the conversion must get right."""
    frame = _salaries()
    extra = frame.iloc[[0] * 5].copy().reset_index(drop=True)
    extra["employee_residence"] = ["IN", "IN", "XK", "GB", "DE"]
    extra["company_country"] = "US"
    extra["salary_currency"] = ["USD", "INR", "USD", "USD", "EUR"]
    # The IN report paid in INR sets the file's own rupee rate for 2024: 83.5 per dollar.
    extra["salary_usd"] = [40_000.0, 30_000.0, 50_000.0, 120_000.0, 90_000.0]
    extra["salary"] = [40_000.0, 30_000.0 * 83.5, 50_000.0, 120_000.0, 90_000.0 * 0.92]
    extra["work_year"] = [2024, 2024, 2024, 2024, 2025]  # DE 2025: after the last PPP year
    extra["job_title"] = "Data Scientist"
    extra["exact_duplicate"] = False
    return pd.concat([frame, extra], ignore_index=True)


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> str:
    data_dir: Path = tmp_path_factory.mktemp("money") / "data"
    typed = {}
    for name, frame in {"salaries": _reports(), "ppp": PPP, "cpi_annual": CPI}.items():
        good, bad = validate(name, frame)
        assert bad.empty, bad["reason"].tolist()
        typed[name] = good
    publish(data_dir, typed, {"aijobs": SOURCES["aijobs"]})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JOBMARKET_DATA_DIR", str(data_dir))
        return data.current().key


def expected_ppp(frame: pd.DataFrame) -> pd.Series:
    """International dollars of each report, computed here from the rules, independently."""
    rupees = frame.loc[frame["salary_currency"] == "INR"]
    inr_per_usd = float((rupees["salary"] / rupees["salary_usd"]).median())
    eur = frame.loc[(frame["salary_currency"] == "EUR") & (frame["work_year"] == 2024)]
    eur_per_usd = float((eur["salary"] / eur["salary_usd"]).median())
    # No pound reports in 2024: the nearest year's (2023) rate.
    gbp = frame.loc[frame["salary_currency"] == "GBP"]
    assert set(gbp["work_year"]) == {2023}
    gbp_per_usd = float((gbp["salary"] / gbp["salary_usd"]).median())
    ppp = PPP.set_index(["country", "year"])["lcu_per_intl_dollar"]
    currency = PPP.drop_duplicates("country").set_index("country")["currency"]
    out = []
    for row in frame.itertuples(index=False):
        country, year = row.employee_residence, min(int(row.work_year), 2024)
        if country not in currency.index:
            out.append(np.nan)  # XK: no factor, left out
            continue
        factor = ppp.loc[(country, year)]
        if row.salary_currency == currency[country]:
            out.append(row.salary / factor)
        else:
            rate = {"USD": 1.0, "INR": inr_per_usd, "EUR": eur_per_usd, "GBP": gbp_per_usd}[
                currency[country]
            ]
            out.append(row.salary_usd * rate / factor)
    return pd.Series(out, index=frame.index)


def test_a_report_in_international_dollars(key: str) -> None:
    frame = _reports()
    frame["pay"] = expected_ppp(frame)
    q = data.SalaryQuery(dedupe=False, money="ppp")
    rows = data.salary_rows(key, q)
    assert len(rows) == frame["pay"].notna().sum()  # the XK report is left out
    assert data.left_out(key, q) == 1
    by_country = data.salary_stats(key, q, "employee_residence").set_index("employee_residence")
    want = frame.dropna(subset=["pay"]).groupby("employee_residence")["pay"].median()
    assert by_country["p50"].to_dict() == pytest.approx(want.to_dict())
    # Paid in USD by someone living in India: its dollars at the file's own rupee rate (83.5),
    # then ÷ India's PPP factor: 40,000 × 83.5 / 20.422 = 163,549 international dollars.
    india = rows.loc[(rows["employee_residence"] == "IN") & (rows["salary_currency"] == "USD")]
    assert india["salary_intl_dollars_ppp"].iloc[0] == pytest.approx(40_000 * 83.5 / 20.4220)
    # DE 2025 (after the last PPP year): the 2024 factor.
    late = rows.loc[(rows["employee_residence"] == "DE") & (rows["work_year"] == 2025)]
    assert late["salary_intl_dollars_ppp"].iloc[0] == pytest.approx(90_000 * 0.92 / 0.700862)
    # The export keeps the reported column beside the converted one.
    columns = list(rows.columns)
    assert columns.index("salary_intl_dollars_ppp") == columns.index("salary_usd") + 1


def test_us_dollars_of_the_latest_cpi_year(key: str) -> None:
    frame = _reports()
    factor = frame["work_year"].map({2023: 313.689 / 304.702, 2024: 1.0, 2025: 1.0})
    q = data.SalaryQuery(dedupe=False, money="real")
    got = data.salary_stats(key, q, "work_year").set_index("work_year")["p50"]
    want = (frame["salary_usd"] * factor).groupby(frame["work_year"]).median()
    assert got.to_dict() == pytest.approx(want.to_dict())
    assert money.money_basis(key) == {"real_year": 2024, "ppp_year": 2024}
    assert data.left_out(key, q) == 0


def test_as_reported_is_unchanged(key: str) -> None:
    frame = _reports()
    got = data.salary_stats(key, data.SalaryQuery(dedupe=False))["p50"].iloc[0]
    assert got == pytest.approx(frame["salary_usd"].median())
    assert "pay" not in data.salary_rows(key, data.SalaryQuery()).columns


def test_an_offer_is_converted_as_a_report_of_its_country_and_year(key: str) -> None:
    # Paid in the country's own currency: the amount ÷ its PPP factor.
    got = money.offer_pay(key, "ppp", 90_000.0, 60_000.0, "GBP", "GB", 2024)
    assert got == pytest.approx(60_000 / 0.664153)
    # Paid in dollars by someone in India: at the file's own rupee rate (83.5), ÷ India's factor.
    got = money.offer_pay(key, "ppp", 40_000.0, 40_000.0, "USD", "IN", 2024)
    assert got == pytest.approx(40_000 * 83.5 / 20.4220)
    assert money.offer_pay(key, "ppp", 50_000.0, 50_000.0, "USD", "XK", 2024) is None
    # CPI-U: a 2023 offer in 2024 dollars.
    got = money.offer_pay(key, "real", 100_000.0, 100_000.0, "USD", "US", 2023)
    assert got == pytest.approx(100_000 * 313.689 / 304.702)
    assert money.offer_pay(key, "usd", 100_000.0, 1.0, "EUR", "DE", 2024) == 100_000.0


def test_an_export_names_the_factors_it_used(key: str) -> None:
    words = money.conversion_words(key, "ppp", ("GB", "IN"))
    assert "GB 2024 0.664153 GBP" in words and "IN 2024 20.422 INR" in words
    assert "DE" not in words
    real = money.conversion_words(key, "real")
    assert (
        real.startswith("CPI-U annual average of 2024") and f"2023 ×{313.689 / 304.702:.4f}" in real
    )
