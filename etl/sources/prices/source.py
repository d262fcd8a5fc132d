"""The `prices` source: World Bank ICP PPP conversion factors (CC BY 4.0) and US CPI-U (BLS,
public domain), both as packaged by the datasets/ppp and datasets/cpi-us repositories.

`ppp-gdp.csv` -> `ppp` (local currency units per international dollar, with the ISO 4217 code of
the country's current currency from babel); `cpiai.csv` -> `cpi` (monthly index) and `cpi_annual`
(the mean of a complete year's 12 months).
"""

from __future__ import annotations

from functools import cache

import pandas as pd
from babel.numbers import get_territory_currencies

from etl import countries
from etl.config import Settings
from etl.schemas import after_refresh, validate
from etl.sources.base import Normalized, RawFile, RawFiles, Reasons, Source, SourceError, read_table

NAME = "prices"
MIRROR_DIR = "prices"
PPP = "ppp-gdp.csv"
PPP_URL = "https://raw.githubusercontent.com/datasets/ppp/main/data/ppp-gdp.csv"
PPP_COLUMNS = ("Country", "Country ID", "Year", "PPP")
CPI = "cpiai.csv"
CPI_URL = "https://raw.githubusercontent.com/datasets/cpi-us/main/data/cpiai.csv"
CPI_COLUMNS = ("Date", "Index")  # `Inflation` (% month on month) follows from the index
DATE_FORMAT = "%Y-%m-%d"
# Codes the World Bank uses for a country that ISO 3166-1 has not assigned: kept as countries.
NOT_ISO = {"XK": "Kosovo"}  # user-assigned, used by the World Bank, the EU and the ECB


def files(settings: Settings) -> list[RawFile]:
    return [
        RawFile(PPP, PPP_URL, f"{MIRROR_DIR}/{PPP}", required_columns=PPP_COLUMNS),
        RawFile(CPI, CPI_URL, f"{MIRROR_DIR}/{CPI}", required_columns=CPI_COLUMNS),
    ]


def is_country(code: str) -> bool:
    """An ISO 3166-1 alpha-2 country (or Kosovo's XK); not an aggregate such as EA or EU."""
    if code in NOT_ISO:
        return True
    return code not in countries.AGGREGATES and countries.name(code) is not None


@cache
def tender_currencies(code: str) -> tuple[str, ...]:
    """babel's legal tender of a territory today, in CLDR's order."""
    return tuple(get_territory_currencies(code, tender=True))


@cache
def currency_of(code: str) -> str | None:
    """The ISO 4217 code of a country's current legal tender, from babel's (CLDR's) territory
    currencies as of today. Where several are tender (Panama: PAB and USD; Bhutan: INR and BTN),
    the country's own currency is taken, the one whose code starts with the country code (ISO
    4217's rule for national currencies), as the World Bank's local currency unit is; else the
    first babel lists."""
    tender = tender_currencies(code)
    own = [c for c in tender if c[:2] == code]
    return (own or tender or [None])[0]


def _ppp(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, list[str]]]:
    reasons = Reasons(frame.index)
    code = frame["Country ID"]
    aggregate = ~code.map(is_country).astype(bool)
    reasons.add_each(
        aggregate,
        "country: ",
        code + " (" + frame["Country"] + ")",
        " has no ISO 3166-1 alpha-2 country code: an aggregate, set aside",
        show=str,
    )
    currency = code.where(~aggregate).map(currency_of, na_action="ignore")
    reasons.add_each(
        ~aggregate & currency.isna(), "currency: babel knows no legal tender for ", code
    )
    out = pd.DataFrame(
        {
            "source": NAME,
            "country": code,
            "year": frame["Year"],
            "lcu_per_intl_dollar": frame["PPP"],
            "currency": currency,
        },
        index=frame.index,
    )
    good, bad = reasons.split(out)
    several = {
        c: list(tender_currencies(c))
        for c in sorted(good["country"].unique())
        if len(tender_currencies(c)) > 1
    }
    return good, frame.loc[bad.index].assign(file=PPP, reason=bad["reason"]), several


def _cpi(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    reasons = Reasons(frame.index)
    month = pd.to_datetime(frame["Date"], format=DATE_FORMAT, errors="coerce")
    reasons.add_each(month.isna(), "month: ", frame["Date"], " is not a date YYYY-MM-01")
    reasons.add_each(
        month.notna() & (month.dt.day != 1), "month: ", frame["Date"], " is not a month's first day"
    )
    out = pd.DataFrame(
        {"source": NAME, "month": month.astype("datetime64[ms]"), "index": frame["Index"]},
        index=frame.index,
    )
    good, bad = reasons.split(out)
    return good.reset_index(drop=True), frame.loc[bad.index].assign(file=CPI, reason=bad["reason"])


def _annual(cpi: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int] | None]:
    """The mean of each complete year's 12 months, from the months the contract keeps (a month
    set aside leaves its year incomplete, and so not published: that year is set aside with the
    reason). The latest year, in progress (its first months only), is left out and noted."""
    valid, _ = validate("cpi", cpi)
    valid = valid[~after_refresh(valid["month"])]
    years = valid.assign(year=valid["month"].dt.year).groupby("year")
    table = pd.DataFrame(
        {
            "source": NAME,
            "year": years.size().index.astype("int64"),
            "index": years["index"].mean().to_numpy(dtype="float64"),
            "months": years.size().to_numpy(dtype="int64"),
            "_last": years["month"].max().dt.month.to_numpy(),
            "_missing": years["month"].agg(_missing_months).to_numpy(),
        }
    )
    latest = table["year"].max() if len(table) else None
    in_progress = (
        (table["year"] == latest) & (table["months"] == table["_last"]) & (table["months"] < 12)
    )
    partial = None
    if in_progress.any():
        row = table[in_progress].iloc[0]
        partial = {"year": int(row["year"]), "months": int(row["months"])}
    short = (table["months"] != 12) & ~in_progress
    reasons = (
        "months: "
        + table["months"].astype(str)
        + " of 12 in cpi (no "
        + table["_missing"]
        + "): the annual mean needs all 12"
    )
    helpers = ["_last", "_missing"]
    bad = table[short].assign(file=CPI, reason=reasons[short]).drop(columns=helpers)
    good = table[~short & ~in_progress].drop(columns=helpers).reset_index(drop=True)
    return good, bad.reset_index(drop=True), partial


def _missing_months(months: pd.Series) -> str:
    """The months of a year that `months` lacks, as `2025-10` (comma-separated)."""
    year = int(months.iloc[0].year)
    have = set(months.dt.month)
    return ", ".join(f"{year}-{m:02d}" for m in range(1, 13) if m not in have)


def normalize(raw: RawFiles, settings: Settings) -> Normalized:
    """Pure: the PPP and CPI CSV files -> `ppp`, `cpi`, `cpi_annual`."""
    ppp_in = read_table(raw, PPP, PPP_COLUMNS, select=True)
    cpi_in = read_table(raw, CPI, CPI_COLUMNS, select=True)
    ppp, ppp_bad, several = _ppp(ppp_in)
    cpi, cpi_bad = _cpi(cpi_in)
    annual, annual_bad, partial = _annual(cpi)
    if annual.empty:
        raise SourceError(f"{CPI}: no complete year of 12 readable months")
    ppp = ppp.sort_values(["country", "year"], key=_numeric_year, kind="stable")
    cpi = cpi.sort_values("month", kind="stable").reset_index(drop=True)
    real = cpi["month"][~after_refresh(cpi["month"])]
    years = pd.to_numeric(ppp["year"], errors="coerce")
    stats = {
        "rows_in": len(ppp_in) + len(cpi_in),
        "as_of": real.max().date().isoformat() if len(real) else None,
        "as_of_note": "latest CPI-U month; PPP factors run to ppp_last_year",
        "ppp_countries": int(ppp["country"].nunique()),
        "ppp_first_year": int(years.min()) if years.notna().any() else None,
        "ppp_last_year": int(years.max()) if years.notna().any() else None,
        "ppp_several_currencies": several,
        "cpi_first_month": real.min().date().isoformat() if len(real) else None,
        "cpi_annual_last_year": int(annual["year"].max()),
        "cpi_year_in_progress": partial,
        "unit": "ppp: local currency units per international dollar; cpi: CPI-U, 1982-84 = 100",
    }
    rejected = {
        table: frame
        for table, frame in (("ppp", ppp_bad), ("cpi", cpi_bad), ("cpi_annual", annual_bad))
        if len(frame)
    }
    return Normalized(
        tables={"ppp": ppp.reset_index(drop=True), "cpi": cpi, "cpi_annual": annual},
        rejected=rejected,
        stats=stats,
    )


def _numeric_year(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column, errors="coerce") if column.name == "year" else column


SOURCE = Source(
    name=NAME,
    title="Prices: World Bank PPP conversion factors (GDP) and US CPI-U",
    homepage="https://data.worldbank.org/indicator/PA.NUS.PPP",
    licence="CC BY 4.0 (World Bank ICP); public domain (BLS CPI-U)",
    licence_url="https://creativecommons.org/licenses/by/4.0/",
    attribution=(
        "World Bank, International Comparison Program database (PA.NUS.PPP), CC BY 4.0; "
        "U.S. Bureau of Labor Statistics, CPI-U (CUUR0000SA0), public domain"
    ),
    tables=("ppp", "cpi", "cpi_annual"),
    files=files,
    normalize=normalize,
    version=1,
    max_mb=10,
)
