"""The prices source on hand-made PPP and CPI-U files: currencies, aggregates, complete years."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from etl import config
from etl.pipeline import refresh
from etl.schemas import validate
from etl.sources.prices import source as prices
from etl.sources.prices.fixture import CPI_MONTHS_2020, CPI_MONTHS_2021, CPI_US, PPP_GDP
from tests.conftest import quiet
from tests.fixtures.sources import fixture_raw

PPP, CPI = prices.PPP, prices.CPI


@pytest.fixture
def settings(tmp_path: Path) -> config.Settings:
    return config.load(data_dir=tmp_path / "data")


def _split(raw: dict[str, bytes], settings: config.Settings) -> dict[str, tuple]:
    """Per table, (valid rows, reasons of the rows set aside) as a refresh would split them."""
    norm = prices.normalize({**fixture_raw("prices"), **raw}, settings)
    out = {}
    for table, frame in norm.tables.items():
        good, bad = validate(table, frame)
        earlier = norm.rejected.get(table)
        reasons = [*([] if earlier is None else earlier["reason"]), *bad["reason"]]
        out[table] = (good, sorted(reasons))
    return out


def test_files_are_the_two_canonical_csvs(settings: config.Settings) -> None:
    files = {f.name: f for f in prices.files(settings)}
    assert files[PPP].url == "https://raw.githubusercontent.com/datasets/ppp/main/data/ppp-gdp.csv"
    assert files[CPI].url == "https://raw.githubusercontent.com/datasets/cpi-us/main/data/cpiai.csv"
    assert files[PPP].mirror_path == "prices/ppp-gdp.csv"
    assert files[CPI].mirror_path == "prices/cpiai.csv"


@pytest.mark.parametrize(
    ("code", "currency"),
    [
        ("GB", "GBP"),
        ("DE", "EUR"),  # the euro area: euros for every year
        ("HR", "EUR"),
        ("IN", "INR"),
        ("US", "USD"),
        ("XK", "EUR"),  # Kosovo: not ISO 3166-1, kept
        ("PA", "PAB"),  # several tenders: the country's own (PAB, not USD)
        ("BT", "BTN"),
        ("NA", "NAD"),
        ("ZW", "ZWG"),
        ("PS", "ILS"),  # no own currency among them: babel's first
    ],
)
def test_the_currency_is_babels_current_tender(code: str, currency: str) -> None:
    assert prices.currency_of(code) == currency


def test_ppp_rows_with_their_currency(settings: config.Settings) -> None:
    good, reasons = _split({}, settings)["ppp"]
    assert reasons == []
    factors = good.set_index(["country", "year"])
    assert factors.loc[("GB", 2021), "lcu_per_intl_dollar"] == 0.689
    assert factors.loc[("US", 2021), "lcu_per_intl_dollar"] == 1.0
    assert factors.loc[("DE", 2021), "currency"] == "EUR"
    assert set(good["source"]) == {"prices"}


def test_aggregates_and_impossible_factors_are_set_aside(settings: config.Settings) -> None:
    raw = {
        PPP: PPP_GDP
        + b'"European Union",EU,2021,0.7\n'
        + b'"World",1W,2021,0.5\n'
        + b'"Euro area",EA,2021,0.7\n'
        + b'"France",FR,2021,0\n'
        + b'"Italy",IT,2021,-0.6\n'
        + b'"Spain",ES,2021,\n'
        + b'"Japan",JP,2021,abc\n'
        + b'"Japan",JP,20x1,100\n'
    }
    good, reasons = _split(raw, settings)["ppp"]
    assert reasons == [
        "country: 1W (World) has no ISO 3166-1 alpha-2 country code: an aggregate, set aside",
        "country: EA (Euro area) has no ISO 3166-1 alpha-2 country code: an aggregate, set aside",
        "country: EU (European Union) has no ISO 3166-1 alpha-2 country code: an aggregate, "
        "set aside",
        "lcu_per_intl_dollar: missing",
        "lcu_per_intl_dollar: not a valid float",
        "lcu_per_intl_dollar: not above 0",
        "lcu_per_intl_dollar: not above 0",
        "year: not a valid int",
    ]
    assert len(good) == 6


def test_cpi_months_and_the_mean_of_complete_years(settings: config.Settings) -> None:
    norm = prices.normalize(fixture_raw("prices"), settings)
    cpi, _ = validate("cpi", norm.tables["cpi"])
    assert len(cpi) == 27
    assert cpi["month"].iloc[0] == pd.Timestamp("2020-01-01")
    annual, _ = validate("cpi_annual", norm.tables["cpi_annual"])
    assert annual["year"].tolist() == [2020, 2021]  # 2022 has three months: not a year yet
    assert annual["months"].tolist() == [12, 12]
    assert annual["index"].tolist() == pytest.approx(
        [sum(CPI_MONTHS_2020) / 12, sum(CPI_MONTHS_2021) / 12]
    )
    assert norm.stats["cpi_year_in_progress"] == {"year": 2022, "months": 3}
    assert norm.stats["as_of"] == "2022-03-01"
    assert norm.stats["ppp_several_currencies"] == {"PA": ["PAB", "USD"]}
    assert norm.stats["ppp_last_year"] == 2021


def test_a_month_repeated_with_another_value_leaves_its_year_out(
    settings: config.Settings,
) -> None:
    split = _split({CPI: CPI_US + b"2021-03-01,999.9,\n"}, settings)
    cpi, reasons = split["cpi"]
    assert reasons == ["key (month) repeated with other values: every copy is set aside"] * 2
    assert len(cpi) == 26
    annual, reasons = split["cpi_annual"]
    assert annual["year"].tolist() == [2020]
    assert reasons == ["months: 11 of 12 in cpi (no 2021-03): the annual mean needs all 12"]


def test_an_identical_repeat_is_kept_once_and_bad_months_are_named(
    settings: config.Settings,
) -> None:
    raw = {CPI: CPI_US + b"2021-03-01,264.877,\n2021-13-01,1,\n2021-04-15,1,\n2022-04-01,0,\n"}
    split = _split(raw, settings)
    cpi, reasons = split["cpi"]
    assert reasons == [
        "index: not above 0",
        "key (month) repeated: an identical copy of an earlier row",
        "month: '2021-04-15' is not a month's first day",
        "month: '2021-13-01' is not a date YYYY-MM-01",
    ]
    assert split["cpi_annual"][0]["year"].tolist() == [2020, 2021]


def test_refresh_from_a_mirror_publishes_the_three_tables(
    settings: config.Settings, tmp_path: Path
) -> None:
    mirror = tmp_path / "mirror" / "prices"
    mirror.mkdir(parents=True)
    for name, data in fixture_raw("prices").items():
        (mirror / name).write_bytes(data)
    with_mirror = dataclasses.replace(settings, mirror=mirror.parent)
    report = refresh(["prices"], with_mirror, log=quiet)
    assert not report.failed
    rows = {
        t: len(pd.read_parquet(settings.processed_dir / f"{t}.parquet"))
        for t in report.results[0].tables
    }
    assert rows == {"ppp": 6, "cpi": 27, "cpi_annual": 2}
    entry = report.results[0].entry
    assert entry["licence"] == "CC BY 4.0 (World Bank ICP); public domain (BLS CPI-U)"
    assert set(entry["files"]) == {PPP, CPI}
    assert refresh(["prices"], with_mirror, log=quiet).results[0].status == "unchanged"
