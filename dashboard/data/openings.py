"""Openings queries: the Indeed postings index by country and sector, the seed's counts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from ibis import _

from dashboard import fmt
from dashboard.data.core import cached, distinct, empty, isin, run, small_table, table

INDEX_MEASURES = ("postings_index_sa", "postings_index_nsa")
ADJUST_SHORT = {"sa": "SA", "nsa": "NSA"}
POSTING_SHORT = {"total": "all", "new": "new"}


# Drawn when no country is chosen (the six with sector data too, so pages line up); they
# also come first in the colour order, so the default view gets the most distinct colours.
DEFAULT_LINES = ("US", "GB", "DE", "FR", "CA", "AU")


@cached(max_entries=16)
def index_countries(key: str) -> list[str]:
    """Every country with a postings index, the default six first, then by code: the order
    that fixes each country's colour in every view."""
    t = table(key, "openings")
    if t is None:
        return []
    dated = t.filter(t.measure.isin(list(INDEX_MEASURES)))
    codes = set(run(dated.select("country").distinct())["country"])
    return [c for c in DEFAULT_LINES if c in codes] + sorted(codes - set(DEFAULT_LINES))


# The sectors shown by default (the data, ML and software roles), first in the colour order.
DEFAULT_SECTORS = (
    "Software Development",
    "Mathematics",
    "Scientific Research & Development",
    "IT Operations & Helpdesk",
    "Information Design & Documentation",
)


@cached(max_entries=16)
def sectors(key: str) -> list[str]:
    """Every Indeed sector in the data, the default ones first, then by name: the order that
    fixes each sector's colour in every view."""
    present = distinct(key, "sector_openings", "sector")
    return [s for s in DEFAULT_SECTORS if s in present] + [
        s for s in present if s not in DEFAULT_SECTORS
    ]


@cached(max_entries=16)
def sector_coverage(key: str) -> dict[str, list[str]]:
    """Per country, the sectors its raw file has (a series absent there is missing, not 0)."""
    t = table(key, "sector_openings")
    if t is None:
        return {}
    frame = run(t.select("country", "sector").distinct())
    return {c: sorted(g["sector"]) for c, g in frame.groupby("country")}


def has_index(key: str) -> bool:
    """True when the Indeed postings index (not only the seed's counts) is loaded."""
    return bool(set(distinct(key, "openings", "measure")) & set(INDEX_MEASURES))


def _openings(
    key: str,
    measures: tuple[str, ...],
    posting_types: tuple[str, ...],
    countries: tuple[str, ...],
    start: date | None,
    end: date | None,
) -> Any | None:
    t = table(key, "openings")
    if t is None:
        return None
    t = isin(t, "measure", measures)
    t = isin(t, "country", countries)
    if posting_types:
        t = t.filter(t.posting_type.isin(list(posting_types)) | t.posting_type.isnull())
    if start is not None:
        t = t.filter(t.date.isnull() | (t.date >= start))
    if end is not None:
        t = t.filter(t.date.isnull() | (t.date <= end))
    return t


@cached(max_entries=256)
def openings_series(
    key: str,
    measures: tuple[str, ...],
    posting_types: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
    start: date | None = None,
    end: date | None = None,
    exact: bool = False,
) -> pd.DataFrame:
    """Openings rows for the filters, ordered by country, measure, posting type and date."""
    t = _openings(key, measures, posting_types, countries, start, end)
    if t is None:
        return empty("openings")
    frame = run(t.order_by(["country", "measure", "posting_type", "date"]), exact)
    if not exact:
        frame["date"] = pd.to_datetime(frame["date"])
    return frame


def variant(measure: str, posting_type: str) -> str:
    """`SA, all`: which index line a row belongs to (adjustment, posting type)."""
    return f"{ADJUST_SHORT[measure.rsplit('_', 1)[-1]]}, {POSTING_SHORT[posting_type]}"


@cached(max_entries=128)
def index_lines(
    key: str,
    adjust: tuple[str, ...],
    posting: tuple[str, ...],
    countries: tuple[str, ...],
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """Dated postings index rows with a `variant` column (one line per country and variant)."""
    measures = tuple(f"postings_index_{a}" for a in adjust)
    series = openings_series(key, measures, posting, countries, start, end)
    series = series.loc[series["date"].notna()].copy()
    series["variant"] = [
        variant(m, p) for m, p in zip(series["measure"], series["posting_type"], strict=True)
    ]
    return series


@cached(max_entries=256)
def openings_latest(
    key: str,
    measure: str,
    posting_type: str | None = None,
    countries: tuple[str, ...] = (),
    end: date | None = None,
    exact: bool = False,
) -> pd.DataFrame:
    """Per country, the last value of a measure on or before `end` (undated figures as they are);
    for display (not `exact`) with the country's `name` and the day as text (`date_text`)."""
    t = _openings(key, (measure,), (posting_type,) if posting_type else (), countries, None, end)
    if t is None:
        return empty("openings")
    last = t.group_by("country").aggregate(last_date=t.date.max())
    joined = t.join(last, "country").filter(
        (_.date == _.last_date) | (_.date.isnull() & _.last_date.isnull())
    )
    frame = run(joined.drop("last_date").order_by("country"), exact)
    if not exact:
        frame["date"] = pd.to_datetime(frame["date"])
        frame["name"] = frame["country"].map(fmt.country_name)
        frame["date_text"] = frame["date"].dt.strftime("%d %b %Y")
    return frame.reset_index(drop=True)


@cached(max_entries=256)
def sector_series(
    key: str,
    countries: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
    start: date | None = None,
    end: date | None = None,
    posting_types: tuple[str, ...] = (),
    exact: bool = False,
) -> pd.DataFrame:
    """Sector postings index rows for the filters, ordered by country, sector and date."""
    t = table(key, "sector_openings")
    if t is None:
        return empty("sector_openings")
    t = isin(isin(isin(t, "country", countries), "sector", sectors), "posting_type", posting_types)
    if start is not None:
        t = t.filter(t.date >= start)
    if end is not None:
        t = t.filter(t.date <= end)
    frame = run(t.order_by(["country", "sector", "date"]), exact)
    if not exact:
        frame["date"] = pd.to_datetime(frame["date"])
    return frame


def above_baseline(latest: pd.DataFrame, baseline: float = 100.0) -> int:
    """How many countries' latest index is above the baseline (1 Feb 2020 = 100)."""
    return int((latest["value"] > baseline).sum())


def last_rows(series: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The last (latest-dated) row of each group of `keys` in a date-ordered series."""
    return series.groupby(keys).tail(1).reset_index(drop=True)


def last_dates(series: pd.DataFrame, by: str) -> dict[str, pd.Timestamp]:
    """The last date drawn per value of `by` (e.g. per country) in a series."""
    return series.groupby(by)["date"].max().to_dict() if len(series) else {}


def sector_titles(key: str, sectors: tuple[str, ...] = ()) -> pd.DataFrame:
    """Example job titles per Indeed sector (table `sector_titles`, when the source provides
    it), for the given sectors (all when empty)."""
    frame = small_table(key, "sector_titles")
    if frame.empty:
        return pd.DataFrame(columns=["source", "sector", "example job titles"])
    if sectors:
        frame = frame.loc[frame["sector"].isin(sectors)]
    frame = frame[["source", "sector", "job_titles"]].reset_index(drop=True)
    return frame.rename(columns={"job_titles": "example job titles"})


@cached(max_entries=128)
def index_line(key: str, country: str, sector: str | None = None) -> pd.DataFrame:
    """One postings index line (`date`, `value`): the country's seasonally adjusted index of
    all postings, or with `sector` that sector's index in the country, as Indeed publishes it."""
    if sector:
        frame = sector_series(key, (country,), (sector,), posting_types=("total",))
    else:
        frame = openings_series(key, ("postings_index_sa",), ("total",), (country,))
        frame = frame.loc[frame["date"].notna()]
    return frame[["date", "value"]].reset_index(drop=True)


@cached(max_entries=8)
def family_sectors(key: str) -> pd.DataFrame:
    """The job family -> Indeed sector mapping (`family_sectors`): job_family, sector, note;
    empty when it is not loaded."""
    frame = small_table(key, "family_sectors")
    if frame.empty:
        return pd.DataFrame(columns=["job_family", "sector", "note"])
    return frame[["job_family", "sector", "note"]].reset_index(drop=True)
