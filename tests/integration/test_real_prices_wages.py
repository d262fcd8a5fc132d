"""indeed_wages and prices on the real mirror: every published figure equals an independent
pandas read of the raw file (the shared full refresh, read-only)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.integration.conftest import SHARED, Refreshed, real_data_unavailable

pytestmark = pytest.mark.integration

if real_data_unavailable() or not (SHARED / "prices" / "ppp-gdp.csv").is_file():
    pytest.skip(
        f"real-data mirror with indeed-wage-tracker/ and prices/ not found at {SHARED}",
        allow_module_level=True,
    )

WAGES = SHARED / "indeed-wage-tracker"


def _csv(path: str, **kwargs: object) -> pd.DataFrame:
    """The raw file as pandas reads it (by default `NA` is NaN, as the Wage Tracker means it)."""
    return pd.read_csv(SHARED / path, **kwargs)


def _records(frame: pd.DataFrame, keys: list[str]) -> list[tuple]:
    """Rows as tuples in key order, every kind of null as None."""
    frame = frame.sort_values(keys, na_position="first").astype(object)
    return [tuple(None if pd.isna(v) else v for v in row) for row in frame.itertuples(False)]


def _month(text: pd.Series) -> pd.Series:
    return pd.to_datetime(text, format="%b-%y")  # 2019-2026: %y's pivot is no issue here


def test_both_sources_publish_from_the_mirror_with_nothing_set_aside(full: Refreshed) -> None:
    sources = full.manifest["sources"]
    for name in ("indeed_wages", "prices"):
        entry = sources[name]
        assert entry["status"] == "ok" and entry["origin"] == "mirror"
        assert all(len(f["sha256"]) == 64 for f in entry["files"].values())
        assert (full.data_dir / "raw" / name / "SHA256SUMS").is_file()
    assert sources["indeed_wages"]["quarantined"]["rows"] == 0
    # the one row prices sets aside: 2025 lacks October in the CPI-U file
    assert sources["prices"]["quarantined"] == {
        "rows": 1,
        "reasons": {"months: 11 of 12 in cpi (no 2025-10): the annual mean needs all 12": 1},
    }
    tables = full.manifest["tables"]
    assert tables["posted_wage_growth"]["sources"] == ["indeed_wages"]
    assert {tables[t]["sources"][0] for t in ("ppp", "cpi", "cpi_annual")} == {"prices"}


def test_posted_wage_growth_equals_the_raw_files(full: Refreshed) -> None:
    table = full.table("posted_wage_growth")
    country, sector = (
        _csv(f"{WAGES.name}/posted-wage-growth-by-country.csv"),
        _csv(f"{WAGES.name}/posted-wage-growth-by-sector.csv"),
    )
    assert (len(country), len(sector)) == (968, 1_672)
    assert len(table) == len(country) + len(sector)
    assert sorted(table["country"].unique()) == sorted(country["jobcountry"].unique())
    assert "EA" in set(table["country"])
    raw = pd.concat([country.assign(sector=None), sector], ignore_index=True)
    expected = pd.DataFrame(
        {
            "country": raw["jobcountry"],
            "sector": raw["sector"],
            "month": _month(raw["month"]),
            "postings": raw["n_obs"].astype("float64"),
            "growth_yoy": raw["posted_wage_growth_yoy"],
            "growth_yoy_3mo": raw["posted_wage_growth_yoy_3moavg"],
        }
    )
    got = table.assign(
        month=pd.to_datetime(table["month"]), postings=table["postings"].astype("float64")
    )[expected.columns]
    keys = ["country", "sector", "month"]
    assert _records(got, keys) == _records(expected, keys)
    us = table[(table.country == "US") & table.sector.isna()]
    assert pd.Timestamp(us["month"].max()) == pd.Timestamp("2026-04-01")
    assert full.manifest["sources"]["indeed_wages"]["as_of"] == "2026-04-01"
    assert table["growth_yoy_3mo"].isna().sum() == 22 + 38  # NA, the first two months


def test_ppp_equals_the_raw_file_and_spot_values(full: Refreshed) -> None:
    table = full.table("ppp")
    # Namibia's code is NA: pandas' default reading would make it a null
    raw = _csv("prices/ppp-gdp.csv", keep_default_na=False)
    assert len(table) == len(raw) == 6_856
    assert table["country"].nunique() == raw["Country ID"].nunique() == 205
    assert int(table["year"].max()) == 2024
    merged = raw.merge(
        table, left_on=["Country ID", "Year"], right_on=["country", "year"], validate="1:1"
    )
    assert len(merged) == len(raw)
    assert (merged["PPP"] == merged["lcu_per_intl_dollar"]).all()
    spot = table[table.year == 2024].set_index("country")
    assert spot.loc["GB", "lcu_per_intl_dollar"] == 0.664153
    assert spot.loc["DE", "lcu_per_intl_dollar"] == 0.700862
    assert spot.loc["IN", "lcu_per_intl_dollar"] == pytest.approx(20.4220, abs=5e-5)
    assert spot.loc["US", "lcu_per_intl_dollar"] == 1.0
    currencies = spot["currency"].to_dict()
    assert [currencies[c] for c in ("GB", "DE", "IN", "US")] == ["GBP", "EUR", "INR", "USD"]
    assert table["currency"].str.fullmatch(r"[A-Z]{3}").all()


def test_cpi_and_its_annual_means_equal_the_raw_file(full: Refreshed) -> None:
    cpi, annual = full.table("cpi"), full.table("cpi_annual")
    raw = _csv("prices/cpiai.csv")
    raw["Date"] = pd.to_datetime(raw["Date"], format="%Y-%m-%d")
    assert len(cpi) == len(raw) == 1_360
    got = cpi.assign(month=pd.to_datetime(cpi["month"])).sort_values("month")
    assert got["month"].iloc[0] == pd.Timestamp("1913-01-01")
    assert got["month"].iloc[-1] == pd.Timestamp("2026-05-01")
    assert got["index"].tolist() == raw.sort_values("Date")["Index"].tolist()
    counts = raw.groupby(raw["Date"].dt.year)["Index"].agg(["mean", "size"])
    complete = counts[counts["size"] == 12]
    assert annual["year"].tolist() == complete.index.tolist()
    assert annual["index"].tolist() == pytest.approx(complete["mean"].tolist(), rel=1e-12)
    assert set(annual["months"]) == {12}
    assert int(annual["year"].max()) == 2024  # 2025 lacks October; 2026 is in progress
    assert counts.loc[2025, "size"] == 11
