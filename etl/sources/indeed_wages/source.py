"""The `indeed_wages` source: Indeed Hiring Lab Wage Tracker (CC BY 4.0).

Two files -> `posted_wage_growth`: the by-country file (one series per country, `sector` null)
and the US by-sector file. A month is written `Jan-19` and read with an explicit format (English
month abbreviation, two-digit year 20YY); `NA` is null. Growth is a fraction, as published.
"""

from __future__ import annotations

import pandas as pd

from etl import countries
from etl.config import Settings
from etl.schemas import after_refresh
from etl.sources.base import Normalized, RawFile, RawFiles, Reasons, Source, SourceError, read_table

NAME = "indeed_wages"
REPO = "https://github.com/hiring-lab/indeed-wage-tracker"
RAW_BASE = "https://raw.githubusercontent.com/hiring-lab/indeed-wage-tracker/main"
MIRROR_DIR = "indeed-wage-tracker"
BY_COUNTRY = "posted-wage-growth-by-country.csv"
BY_SECTOR = "posted-wage-growth-by-sector.csv"
COUNTRY_COLUMNS = (
    "jobcountry",
    "month",
    "n_obs",
    "posted_wage_growth_yoy",
    "posted_wage_growth_yoy_3moavg",
)
SECTOR_COLUMNS = (*COUNTRY_COLUMNS[:1], "sector", *COUNTRY_COLUMNS[1:])
MISSING = "NA"  # the publisher's word for no figure (the first two months of a 3-month average)
MONTH = r"[A-Z][a-z]{2}-\d{2}"  # Jan-19
MONTH_FORMAT = "%d-%b-%Y"  # applied to "01-Jan-2019", built from Jan-19 (20YY, never 19YY)
COLUMNS = {
    "n_obs": "postings",
    "posted_wage_growth_yoy": "growth_yoy",
    "posted_wage_growth_yoy_3moavg": "growth_yoy_3mo",
}


def _raw(name: str, columns: tuple[str, ...]) -> RawFile:
    return RawFile(
        name=name,
        url=f"{RAW_BASE}/{name}",
        mirror_path=f"{MIRROR_DIR}/{name}",
        required_columns=columns,
    )


def files(settings: Settings) -> list[RawFile]:
    return [_raw(BY_COUNTRY, COUNTRY_COLUMNS), _raw(BY_SECTOR, SECTOR_COLUMNS)]


def parse_month(text: pd.Series) -> pd.Series:
    """`Jan-19` -> 2019-01-01 (datetime64), NaT for anything not written Mon-YY: the format is
    explicit (no guessing of day-first or of the century) and the year is always 20YY."""
    shaped = text.str.fullmatch(MONTH).fillna(False).astype(bool)
    month, year = text.str[:3], text.str[4:]
    built = ("01-" + month + "-20" + year).where(shaped)
    return pd.to_datetime(built, format=MONTH_FORMAT, errors="coerce")


def _nullable(text: pd.Series) -> pd.Series:
    """`NA` (and an empty cell) as null."""
    return text.mask(text.isin([MISSING, ""]))


def _rows(frame: pd.DataFrame, name: str, sector: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One file's rows in the contract's columns (figures as text: the contract types them),
    and the rows set aside with a reason."""
    reasons = Reasons(frame.index)
    code = frame["jobcountry"]
    unknown = code.map(lambda c: countries.name(c) is None)
    reasons.add_each(
        unknown, "country: ", code, " is not an ISO 3166-1 alpha-2 code (or EA)", countries.shown
    )
    if sector:  # an empty sector would read as the whole country's series
        reasons.add(frame["sector"] == "", "sector: missing in the by-sector file")
    month = parse_month(frame["month"])
    reasons.add_each(month.isna(), "month: ", frame["month"], " is not Mon-YY (e.g. Jan-19)")
    out = pd.DataFrame(
        {
            "source": NAME,
            "country": code,
            "sector": frame["sector"] if sector else None,
            "month": month,
            # `NA` and an empty cell are null; any other text goes on to the contract, which
            # sets it aside as not a number
            **{new: _nullable(frame[old]) for old, new in COLUMNS.items()},
        },
        index=frame.index,
    )
    good, bad = reasons.split(out)
    return good, frame.loc[bad.index].assign(file=name, reason=bad["reason"])


def _latest(months: pd.Series) -> str | None:
    real = months[~after_refresh(months)]
    return None if real.isna().all() else real.max().date().isoformat()


def normalize(raw: RawFiles, settings: Settings) -> Normalized:
    """Pure: the two Wage Tracker CSV files -> `posted_wage_growth`."""
    by_country = read_table(raw, BY_COUNTRY, COUNTRY_COLUMNS, select=True)
    by_sector = read_table(raw, BY_SECTOR, SECTOR_COLUMNS, select=True)
    country_good, country_bad = _rows(by_country, BY_COUNTRY, sector=False)
    sector_good, sector_bad = _rows(by_sector, BY_SECTOR, sector=True)
    table = (
        pd.concat([country_good, sector_good], ignore_index=True)
        .sort_values(["country", "sector", "month"], kind="stable", na_position="first")
        .reset_index(drop=True)
    )
    table["month"] = table["month"].astype("datetime64[ms]")
    latest = {
        code: _latest(rows["month"]) for code, rows in country_good.groupby("country", sort=True)
    }
    if not any(latest.values()):
        raise SourceError(f"{BY_COUNTRY}: no readable month in any row")
    rejected = [b for b in (country_bad, sector_bad) if len(b)]
    stats = {
        "rows_in": len(by_country) + len(by_sector),
        "as_of": max(d for d in latest.values() if d),
        "as_of_note": "latest month of the by-country file over all countries",
        "as_of_by_country": latest,
        "sectors": {
            code: int(rows["sector"].nunique())
            for code, rows in sector_good.groupby("country", sort=True)
        },
        "unit": "year-on-year growth of advertised pay, a fraction (0.0235 = 2.35 %); "
        "growth, not a level of pay; not seasonally adjusted",
    }
    return Normalized(
        tables={"posted_wage_growth": table},
        rejected={"posted_wage_growth": pd.concat(rejected, ignore_index=True)} if rejected else {},
        stats=stats,
    )


SOURCE = Source(
    name=NAME,
    title="Indeed Hiring Lab: Wage Tracker (posted wage growth, monthly, by country and sector)",
    homepage=REPO,
    licence="CC BY 4.0",
    licence_url="https://creativecommons.org/licenses/by/4.0/",
    attribution="Indeed Hiring Lab, Wage Tracker (hiring-lab/indeed-wage-tracker), CC BY 4.0",
    tables=("posted_wage_growth",),
    files=files,
    normalize=normalize,
    version=1,
    max_mb=10,
)
