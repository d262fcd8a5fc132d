"""The offer check on the dashboard fixture: every figure against an independent computation."""

from __future__ import annotations

from urllib.parse import parse_qsl

import numpy as np
import pandas as pd
import pytest

from tests.app.test_pages import assert_clean
from tests.fixtures.sources import OEWS_DS_CA, OEWS_DS_US, OEWS_SWDEV_US

pytestmark = pytest.mark.app


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _text(at) -> str:
    return " ".join([m.value for m in at.markdown] + [i.value for i in at.info])


def _salaries(full_dir) -> pd.DataFrame:
    """The published salary reports, read straight from the Parquet (nothing from the app)."""
    frame = pd.read_parquet(full_dir / "processed" / "salaries.parquet")
    return frame[~frame["exact_duplicate"].fillna(False)]


def _ordinal(value: float) -> str:
    n = int(round(value))
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _bootstrap(values: np.ndarray, x: float, draws: int = 20_000) -> tuple[float, float]:
    """The textbook bootstrap: resample the values, rank x in each resample."""
    rng = np.random.default_rng(1)
    samples = values[rng.integers(0, len(values), size=(draws, len(values)))]
    ranks = 100 * ((samples < x).sum(axis=1) + 0.5 * (samples == x).sum(axis=1)) / len(values)
    lo, hi = np.percentile(ranks, [2.5, 97.5])
    return float(lo), float(hi)


def test_an_offer_is_placed_among_the_default_group(rendered, full_dir):
    at = rendered("full", "offer", {"amount": "160000"})
    assert_clean(at, "offer")
    reports = _salaries(full_dir)
    group = reports[
        (reports.job_family == "Data Scientist")
        & (reports.experience_level == "Senior")
        & (reports.employee_residence == "US")
        & (reports.employment_type == "Full-time")
        & (reports.work_year == 2024)  # the latest complete year is the default
    ]["salary_usd"].to_numpy()
    assert len(group) == 35
    rank = 100 * ((group < 160_000).sum() + 0.5 * (group == 160_000).sum()) / len(group)
    p25, p50, p75 = np.quantile(group, [0.25, 0.5, 0.75])
    shown = _metrics(at)
    assert shown.pop("Percentile, as reported") == _ordinal(rank)
    shown.pop("Percentile, brought forward")  # against pandas in tests/app/test_growth.py
    assert shown == {
        "Percentile": _ordinal(rank),
        "p25": f"${p25:,.0f}",
        "Median": f"${p50:,.0f}",
        "p75": f"${p75:,.0f}",
    }
    words = next(m.value for m in at.markdown if m.value.startswith("An offer of"))
    lo, hi = _bootstrap(group, 160_000)
    shown = [int(w[:-2]) for w in words.split("interval ")[1].split(")")[0].split("–")]
    assert abs(shown[0] - lo) <= 3 and abs(shown[1] - hi) <= 3, (shown, lo, hi)
    assert "of 35 reports: below the group's median of $167,000" in words
    assert not [i.value for i in at.info if "widened" in i.value]


def test_an_amount_in_euros_is_converted_at_the_rate_the_reports_imply(rendered, full_dir):
    at = rendered("full", "offer", {"amount": "150000", "currency": "EUR"})
    assert_clean(at, "offer")
    reports = _salaries(full_dir)
    paid = reports[(reports.salary_currency == "EUR") & (reports.work_year == 2024)]
    rate = float(np.median(paid.salary_usd / paid.salary))
    assert abs(rate - 1 / 0.92) < 1e-4
    usd = 150_000 * rate
    text = _text(at)
    assert f"EUR 150,000 ≈ **${usd:,.0f}** at {rate:.4f} USD per EUR" in text
    assert f"over the {len(paid)} reports paid in EUR in 2024" in text
    group = reports[
        (reports.job_family == "Data Scientist")
        & (reports.experience_level == "Senior")
        & (reports.employee_residence == "US")
        & (reports.work_year == 2024)
    ]["salary_usd"].to_numpy()
    rank = 100 * ((group < usd).sum() + 0.5 * (group == usd).sum()) / len(group)
    assert _metrics(at)["Percentile"] == _ordinal(rank)


def test_a_thin_group_is_widened_one_step_at_a_time_and_says_so(rendered, full_dir):
    params = {"amount": "200000", "year": "2025", "work": "0", "company": "M"}
    at = rendered("full", "offer", params)
    assert_clean(at, "offer")
    reports = _salaries(full_dir)
    base = reports[
        (reports.job_family == "Data Scientist")
        & (reports.experience_level == "Senior")
        & (reports.employee_residence == "US")
        & (reports.employment_type == "Full-time")
    ]
    exact = base[(base.work_year == 2025) & (base.remote_ratio == 0) & (base.company_size == "M")]
    any_remote = base[(base.work_year == 2025) & (base.company_size == "M")]
    any_size = base[base.work_year == 2025]
    years = base[base.work_year.between(2024, 2026)]
    assert len(exact) == 12 and len(years) == 47
    steps = next(d.value for d in at.dataframe if list(d.value.columns) == ["step", "n"])
    assert steps.to_dict("records") == [
        {"step": "exact match", "n": len(exact)},
        {"step": "any remote ratio", "n": len(any_remote)},
        {"step": "any company size", "n": len(any_size)},
        {"step": "work years 2024–2026", "n": len(years)},
    ]
    info = " ".join(i.value for i in at.info)
    assert "Only 12 reports match exactly (fewer than 30)" in info
    assert "work years 2024–2026 (47 reports)" in info
    values = years["salary_usd"].to_numpy()
    rank = 100 * ((values < 200_000).sum() + 0.5 * (values == 200_000).sum()) / len(values)
    assert _metrics(at)["Percentile"] == _ordinal(rank)


def test_the_official_band_places_the_offer_by_interpolation(rendered, full_dir):
    at = rendered("full", "offer", {"amount": "160000", "us_state": "US-CA"})
    assert_clean(at, "offer")
    table = next(d.value for d in at.dataframe if "your offer" in d.value.columns)
    national, california = OEWS_DS_US[10:15], OEWS_DS_CA[10:15]
    expected_us = np.interp(160_000, national, [10, 25, 50, 75, 90])
    expected_ca = np.interp(160_000, california, [10, 25, 50, 75, 90])
    assert table["area"].tolist() == ["National", "California"]
    assert table["your offer"].tolist() == [
        f"about the {_ordinal(expected_us)} percentile (approximate)",
        f"about the {_ordinal(expected_ca)} percentile (approximate)",
    ]
    high = rendered("full", "offer", {"amount": "400000"})
    table = next(d.value for d in high.dataframe if "your offer" in d.value.columns)
    assert table["your offer"].tolist() == ["above the 90th percentile"]


def test_an_occupation_chosen_for_the_official_wages_replaces_the_family_s(rendered, full_dir):
    # Management has no close official occupation: the page says how to choose one
    at = rendered("full", "offer", {"amount": "160000", "role": "Management"})
    assert_clean(at, "offer")
    said = " ".join(c.value for c in at.caption)
    assert "choose one under *Occupation (official wages)* in the sidebar" in said
    assert not [d for d in at.dataframe if "your offer" in d.value.columns]
    at = rendered(
        "full", "offer", {"amount": "160000", "role": "Management", "official": "15-1252"}
    )
    assert_clean(at, "offer")
    table = next(d.value for d in at.dataframe if "your offer" in d.value.columns)
    # p90 is top-coded in the fixture (as for the real Software Developers): p10 to p75 only
    expected = np.interp(160_000, OEWS_SWDEV_US[10:14], [10, 25, 50, 75])
    assert table["occupation"].tolist() == ["Software Developers (15-1252)"]
    assert table["your offer"].tolist() == [
        f"about the {_ordinal(expected)} percentile (approximate)"
    ]


def test_the_link_reopens_exactly_this_check(rendered, full_dir):
    params = {"amount": "120000", "currency": "GBP", "seniority": "Mid", "work": "100"}
    at = rendered("full", "offer", params)
    link = next(m.value for m in at.markdown if "link to this check" in m.value)
    query = dict(parse_qsl(link.split("](", 1)[1].rstrip(")").split("?", 1)[1], True))
    assert query["amount"] == "120000" and query["currency"] == "GBP"
    assert query["year"] == "2024" and query["role"] == "Data Scientist"  # defaults written out
    again = rendered("full", "offer", query)
    assert_clean(again, "offer")
    assert _metrics(again) == _metrics(at)
    assert _text(again) == _text(at)


def test_too_few_reports_and_a_bad_amount_say_so(rendered, full_dir):
    at = rendered(
        "full",
        "offer",
        {"amount": "lots", "role": "Data Analyst", "seniority": "Entry", "year": "2023"},
    )
    assert_clean(at, "offer")
    warnings = " ".join(w.value for w in at.warning)
    assert "Ignored annual amount `lots` (a number such as 150000)." in warnings
    assert "Only 5 reports match, even widened: too few to place an offer" in _text(at)
    assert not [c for c in at.get("plotly_chart")]


def test_seed_only_data_says_what_the_check_needs(rendered, seed_dir):
    at = rendered("seed", "offer", {"amount": "150000"})
    assert_clean(at, "offer")
    assert any("needs the aijobs.net salary reports" in i.value for i in at.info)


def _rank(values: np.ndarray, x: float) -> float:
    return 100 * ((values < x).sum() + 0.5 * (values == x).sum()) / len(values)


def test_both_percentiles_show_when_counting_every_row_moves_it(rendered, full_dir):
    # The default group counts identical reports once (35 reports); as published it has 38
    # (one report three more times). At $160,000 that moves the offer by more than 3 points.
    at = rendered("full", "offer", {"amount": "160000"})
    frame = pd.read_parquet(full_dir / "processed" / "salaries.parquet")
    rows = frame[
        (frame.job_family == "Data Scientist")
        & (frame.experience_level == "Senior")
        & (frame.employee_residence == "US")
        & (frame.employment_type == "Full-time")
        & (frame.work_year == 2024)
    ]
    every = rows["salary_usd"].to_numpy()
    once = rows.loc[~rows["exact_duplicate"].fillna(False), "salary_usd"].to_numpy()
    assert (len(once), len(every)) == (35, 38)
    here, other = _rank(once, 160_000), _rank(every, 160_000)
    assert abs(here - other) > 3
    words = next(m.value for m in at.markdown if "settings move this percentile" in m.value)
    assert (
        f"the offer is at the **{_ordinal(here)}** percentile of 35 reports here; with every "
        f"row counted, identical reports each time, at the **{_ordinal(other)}** of 38 reports."
    ) in words


def test_a_percentile_the_settings_do_not_move_says_so_in_one_line(rendered, full_dir):
    at = rendered("full", "offer", {"amount": "400000"})  # above every report, counted any way
    assert not [m for m in at.markdown if "settings move this percentile" in m.value]
    said = " ".join(c.value for c in at.caption)
    assert (
        "Other settings (any employment type, not only Full-time; every row counted, identical "
        "reports each time) move this percentile by 3 points or less."
    ) in said


def test_no_report_matching_exactly_is_said_in_words(rendered, full_dir):
    params = {"amount": "200000", "year": "2025", "work": "100", "company": "M"}
    at = rendered("full", "offer", params)
    assert_clean(at, "offer")
    info = " ".join(i.value for i in at.info)
    assert "No report matches exactly (fewer than 30), so the group was widened" in info
    assert "Only 0" not in info


def test_the_country_can_mean_where_the_company_is(rendered, full_dir):
    # The fixture's 8 Mid data scientists on contract live in Germany and work for US companies.
    params = {"amount": "100000", "seniority": "Mid", "contract": "Contract"}
    lives = rendered("full", "offer", params)
    works = rendered("full", "offer", {**params, "country_of": "company"})
    assert_clean(works, "offer")
    for at in (lives, works):
        country = at.sidebar.selectbox(key="flt_residence")
        assert country.label == "Country"
        assert country.help.startswith("Where the employee lives, as aijobs.net reports it;")
        assert at.sidebar.radio(key="flt_country_of").label == "Salary country means"
    assert "No report matches, even widened" in _text(lives)
    reports = _salaries(full_dir)
    group = reports[
        (reports.job_family == "Data Scientist")
        & (reports.experience_level == "Mid")
        & (reports.employment_type == "Contract")
        & (reports.company_country == "US")
        & (reports.work_year == 2024)
    ]
    assert len(group) == 8 and set(group.employee_residence) == {"DE"}
    assert "Only 8 reports match, even widened" in _text(works)
    link = next(m.value for m in works.markdown if "link to this check" in m.value)
    assert "country_of=company" in link
