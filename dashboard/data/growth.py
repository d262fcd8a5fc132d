"""Posted wage growth (Indeed Wage Tracker): the year-on-year growth of advertised pay by country
and US sector, its latest value and peak, the crowd reports' median change to set beside it, and
the salary reports brought forward to the latest month by that growth (the offer check)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from dashboard import fmt
from dashboard.data.core import cached, distinct, empty, isin, run, table
from dashboard.data.openings import DEFAULT_SECTORS, family_sectors, index_countries, sectors
from dashboard.data.salaries import SalaryQuery, matching_salaries, salary_stats

TABLE = "posted_wage_growth"
# The countries the Pay growth page opens on.
GROWTH_COUNTRIES = ("US", "GB", "DE")
# The US sectors it opens on: the tech ones Indeed tracks pay for; Indeed's wage tracker has
# none of them (2026), so its nearest office sector stands in.
WAGE_SECTORS = (*DEFAULT_SECTORS, "Management")
# A crowd median change is shown only when both years have this many reports.
CROWD_MIN_N = 30
# A report's pay is taken as paid in the middle of its work year: 1 July, so the growth of the
# months after July up to the latest month brings it forward.
MID_MONTH = 7
COLUMNS = ["country", "sector", "month", "postings", "growth_yoy", "growth_yoy_3mo"]


@cached(max_entries=16)
def wage_countries(key: str) -> list[str]:
    """Countries with a whole-country wage growth series, in the colour order of every view (the
    postings index's, then the others by code)."""
    t = table(key, TABLE)
    if t is None:
        return []
    present = set(run(t.filter(t.sector.isnull()).select("country").distinct())["country"])
    order = [c for c in index_countries(key) if c in present]
    return order + sorted(present - set(order))


def country_colours(key: str) -> list[str]:
    """Every country a wage growth or postings line can have, in the order that fixes colours."""
    have = index_countries(key)
    return have + [c for c in wage_countries(key) if c not in have]


@cached(max_entries=16)
def wage_sectors(key: str) -> list[str]:
    """The sectors with a wage growth series (US), the default ones first, then by name."""
    present = distinct(key, TABLE, "sector")
    return [s for s in WAGE_SECTORS if s in present] + [s for s in present if s not in WAGE_SECTORS]


def sector_colours(key: str) -> list[str]:
    """Every sector a line can have, in the order that fixes colours across views."""
    have = sectors(key)
    return have + [s for s in wage_sectors(key) if s not in have]


def _rows(key: str, countries: tuple[str, ...], sectors: tuple[str, ...] | None) -> Any | None:
    t = table(key, TABLE)
    if t is None:
        return None
    t = isin(t, "country", countries)
    if sectors is None:
        return t.filter(t.sector.isnull())
    return isin(t.filter(t.sector.notnull()), "sector", sectors)


@cached(max_entries=128)
def wage_growth(
    key: str, countries: tuple[str, ...] = (), sectors: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """The monthly series of `countries` (all when empty): the whole country's (`sectors` None)
    or those sectors' (empty: every sector). Growth stays a fraction; `month` is a Timestamp."""
    t = _rows(key, countries, sectors)
    if t is None:
        return empty(TABLE)
    frame = run(t.order_by(["country", "sector", "month"]))
    frame["month"] = pd.to_datetime(frame["month"])
    return frame.reset_index(drop=True)


def wage_growth_rows(
    key: str, countries: tuple[str, ...], sectors: tuple[str, ...], exact: bool = True
) -> pd.DataFrame:
    """Exactly the rows the Pay growth page draws, with their stored types (an export): the
    whole-country series of `countries` and the US series of `sectors`."""
    whole, by_sector = _rows(key, countries, None), _rows(key, ("US",), sectors)
    if whole is None or by_sector is None:
        return empty(TABLE)
    return run(whole.union(by_sector).order_by(["country", "sector", "month"]), exact)


def _label(row: pd.Series | dict[str, Any]) -> str:
    """A series' name: the country's, or its sector's."""
    sector = row["sector"]
    return fmt.country_name(row["country"]) if sector is None or pd.isna(sector) else str(sector)


def growth_summary(series: pd.DataFrame) -> pd.DataFrame:
    """One row per series (a country, or a sector): its latest month with the 3-month average,
    the month's own value and its postings, and the peak of the 3-month average and its month.
    Growth in percent."""
    rows = []
    keys = ["country", "sector"]
    for _, part in series.groupby(keys, dropna=False, sort=False):
        part = part.sort_values("month")
        line = part.loc[part["growth_yoy_3mo"].notna()]
        if line.empty:
            continue
        last = line.iloc[-1]
        peak = line.loc[line["growth_yoy_3mo"].idxmax()]
        rows.append(
            {
                "series": _label(last),
                "country": last["country"],
                "sector": None if pd.isna(last["sector"]) else last["sector"],
                "latest month": last["month"].strftime("%b %Y"),
                "3-month average %": 100.0 * float(last["growth_yoy_3mo"]),
                "month's own %": 100.0 * float(last["growth_yoy"])
                if pd.notna(last["growth_yoy"])
                else None,
                "postings": int(last["postings"]) if pd.notna(last["postings"]) else None,
                "peak %": 100.0 * float(peak["growth_yoy_3mo"]),
                "peak month": peak["month"].strftime("%b %Y"),
            }
        )
    columns = [
        "series",
        "country",
        "sector",
        "latest month",
        "3-month average %",
        "month's own %",
        "postings",
        "peak %",
        "peak month",
    ]
    return pd.DataFrame(rows, columns=columns)


def growth_table(series: pd.DataFrame) -> pd.DataFrame:
    """The numbers behind a growth chart: one row per series and month, growth in percent."""
    return pd.DataFrame(
        {
            "series": [_label(r) for r in series[["country", "sector"]].to_dict("records")],
            "month": series["month"].dt.strftime("%Y-%m"),
            "3-month average %": 100.0 * series["growth_yoy_3mo"],
            "month's own %": 100.0 * series["growth_yoy"],
            "postings": series["postings"],
        }
    )


def annual_growth(series: pd.DataFrame) -> pd.DataFrame:
    """Per country and calendar year with all 12 months: the mean of the monthly year-on-year
    growth (a fraction), roughly the growth of the year's average advertised pay."""
    if series.empty:
        return pd.DataFrame(columns=["country", "year", "posted"])
    frame = series.loc[series["growth_yoy"].notna()].assign(year=series["month"].dt.year)
    by = frame.groupby(["country", "year"])["growth_yoy"].agg(["mean", "size"]).reset_index()
    by = by.loc[by["size"] == 12]
    return by.rename(columns={"mean": "posted"})[["country", "year", "posted"]]


@cached(max_entries=128)
def crowd_changes(
    key: str, q: SalaryQuery, countries: tuple[str, ...], partial: tuple[int, ...] = ()
) -> pd.DataFrame:
    """Per country (reports by residence, under `q`'s other filters, every complete work year):
    the median of each work year beside the year before's, and its change (a fraction), where
    both years have CROWD_MIN_N reports or more; with the country's posted wage growth of that
    calendar year (the mean of its 12 monthly values) beside it."""
    posted = annual_growth(wage_growth(key, countries))
    rows = []
    for country in countries:
        stats = salary_stats(
            key,
            replace(q, countries=(country,), year_from=None, year_to=None),
            "work_year",
        )
        stats = stats.loc[~stats["work_year"].isin(partial)].set_index("work_year")
        for year in stats.index:
            if year - 1 not in stats.index:
                continue
            now, before = stats.loc[year], stats.loc[year - 1]
            if min(now["n"], before["n"]) < CROWD_MIN_N:
                continue
            same = posted.loc[(posted["country"] == country) & (posted["year"] == year)]
            rows.append(
                {
                    "country": country,
                    "year": int(year),
                    "n": int(now["n"]),
                    "median": float(now["p50"]),
                    "year before n": int(before["n"]),
                    "year before median": float(before["p50"]),
                    "crowd change": float(now["p50"]) / float(before["p50"]) - 1,
                    "posted growth": float(same["posted"].iloc[0]) if len(same) else None,
                }
            )
    columns = [
        "country",
        "year",
        "n",
        "median",
        "year before n",
        "year before median",
        "crowd change",
        "posted growth",
    ]
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------------------------
# Reports brought forward


def forward_factors(series: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """How much each work year's pay is brought forward to the series' latest month: from the
    middle of the work year (1 July) each later month up to and including the latest adds one
    twelfth of its year-on-year growth, compounded: factor = Π (1 + g_m)^(1/12). A month
    without its own value takes its 3-month average; one with neither counts as no growth
    (`missing` counts them). A year whose middle is not before the latest month: factor 1."""
    line = series.sort_values("month")
    line = line.loc[line["growth_yoy"].notna() | line["growth_yoy_3mo"].notna()]
    columns = ["work year", "from", "to", "months", "missing", "factor"]
    if line.empty:
        return pd.DataFrame(columns=columns)
    latest = pd.Timestamp(line["month"].iloc[-1])
    growth = line.set_index("month")["growth_yoy"].fillna(line.set_index("month")["growth_yoy_3mo"])
    rows = []
    for year in sorted(set(years)):
        start = pd.Timestamp(year, MID_MONTH, 1)
        months = pd.date_range(start + pd.DateOffset(months=1), latest, freq="MS")
        values = growth.reindex(months)
        factor = float(np.prod((1.0 + values.fillna(0.0).to_numpy()) ** (1.0 / 12.0)))
        rows.append(
            {
                "work year": int(year),
                "from": start.strftime("%b %Y"),
                "to": latest.strftime("%b %Y"),
                "months": len(months),
                "missing": int(values.isna().sum()),
                "factor": factor,
            }
        )
    return pd.DataFrame(rows, columns=columns)


@cached(max_entries=256)
def brought_forward(key: str, q: SalaryQuery, country: str | None, family: str | None) -> dict:
    """The reports matching `q` in US dollars as reported (whatever `q.money`: the growth is
    of pay as paid), sorted (`reported`), and each brought forward to the latest month of
    `country`'s posted wage growth (`values`, sorted): the US sector's series when the job
    family maps to a sector (`family_sectors`) that Indeed tracks pay for, else the country's.
    `factors` per work year; `sector`: the sector whose growth was used (None: the country's
    over all postings); `sector_missing`: a mapped sector without a series of its own, in a
    country that has sector series (the US). Empty `values` when the country has no series."""
    out: dict[str, Any] = {"values": np.zeros(0), "reported": np.zeros(0)}
    out["factors"] = forward_factors(empty(TABLE), [])
    out |= {"country": country, "sector": None, "sector_missing": None, "latest": None}
    if not country or table(key, TABLE) is None:
        return out
    mapping = family_sectors(key)
    mapped = mapping.loc[mapping["job_family"] == family, "sector"]
    sector = str(mapped.iloc[0]) if family and len(mapped) else None
    line = pd.DataFrame()
    if sector is not None:
        line = wage_growth(key, (country,), (sector,))
        if line.empty and len(wage_growth(key, (country,), ())):
            out["sector_missing"] = sector  # the country has sector series, not this one
        elif len(line):
            out["sector"] = sector
    if line.empty:
        line = wage_growth(key, (country,))
    if line.empty:
        return out
    t = matching_salaries(key, replace(q, money="usd"))  # growth is of pay as paid
    if t is None:
        return out
    reports = run(t.select("work_year", "salary_usd"))
    reports = reports.loc[np.isfinite(reports["salary_usd"].astype(float))]
    factors = forward_factors(line, reports["work_year"].astype(int).tolist())
    by_year = dict(zip(factors["work year"], factors["factor"], strict=True))
    values = reports["salary_usd"].astype(float) * reports["work_year"].map(by_year)
    counts = reports["work_year"].value_counts()
    out["factors"] = factors.assign(reports=factors["work year"].map(counts).astype(int))
    out["values"] = np.sort(values.to_numpy(dtype=float))
    out["reported"] = np.sort(reports["salary_usd"].to_numpy(dtype=float))
    dated = line.loc[line["growth_yoy"].notna() | line["growth_yoy_3mo"].notna(), "month"]
    out["latest"] = pd.Timestamp(dated.max())
    return out


def growth_filter_options(key: str) -> tuple[dict[str, tuple[str, ...]], dict[str, dict]]:
    """The Pay growth page's filters on this data version: (values, labels)."""
    countries = tuple(sorted(wage_countries(key), key=fmt.country_label))
    values = {"wage_country": countries, "wage_sector": tuple(sorted(wage_sectors(key)))}
    return values, {"wage_country": {c: fmt.country_label(c) for c in countries}}
