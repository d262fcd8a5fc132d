"""Below the country and AI in postings: the Indeed postings index by US state, Canadian province
and UK region (`regional_openings`), a state's demand beside an occupation's official wages
("where to work"), and the share of postings that mention AI (`ai_postings_share`)."""

from __future__ import annotations

from datetime import date
from typing import Any

import ibis
import pandas as pd
from ibis import _

from dashboard import fmt
from dashboard.data.core import cached, distinct, empty, isin, run, table
from dashboard.data.wages import ALL_INDUSTRIES

REGIONAL = "regional_openings"
AI = "ai_postings_share"
# The countries with regional files, in the order the picker lists them (the US opens).
REGION_COUNTRIES = ("US", "CA", "GB")
# The regions drawn as lines when none of the chosen country's is picked: the four states of the
# "done when" check, the largest provinces, London and the nations.
DEFAULT_REGIONS = (
    *("US-CA", "US-NY", "US-TX", "US-WA"),
    *("CA-ON", "CA-QC", "CA-BC", "CA-AB"),
    *("GB-ENG-LN", "GB-SCT", "GB-WLS", "GB-NIR"),
)
# The AI share lines the Skills page opens on.
AI_COUNTRIES = ("US", "GB", "CA", "DE")
REGION_MEASURES = {"value": "Latest index", "change": "12-month change"}
# The columns of a latest-and-a-year-before frame.
LATEST = ["date", "value", "year_before_date", "year_before", "change"]


def _latest(t: Any, by: str, value: str) -> Any:
    """Per `by`, the row of its last date with `value`, and the last value on or before the
    same day a year earlier (`year_before`, `year_before_date`; null when the series is
    shorter), and `change` = value − year_before (points)."""
    last = t.group_by(by).aggregate(last_date=t.date.max())
    now = t.join(last, by).filter(_.date == _.last_date).drop("last_date")
    back = t.join(last, by).filter(_.date <= _.last_date - ibis.interval(years=1))
    prior_day = back.group_by(by).aggregate(year_before_date=back.date.max())
    prior = (
        t.join(prior_day, by)
        .filter(_.date == _.year_before_date)
        .select(by, "year_before_date", year_before=_[value])
    )
    out = now.left_join(prior, by).drop(f"{by}_right")
    return out.mutate(change=out[value] - out.year_before)


def _dated(t: Any, start: date | None, end: date | None, by: str, exact: bool) -> pd.DataFrame:
    """The rows of `t` from `start` to `end` (either may be open), ordered by `by` and date;
    for display (not `exact`) with pandas timestamps."""
    if start is not None:
        t = t.filter(t.date >= start)
    if end is not None:
        t = t.filter(t.date <= end)
    frame = run(t.order_by([by, "date"]), exact)
    if not exact:
        frame["date"] = pd.to_datetime(frame["date"])
    return frame


# --------------------------------------------------------------------------------------------
# Openings below the country


@cached(max_entries=16)
def region_countries(key: str) -> list[str]:
    """The countries with regional data, the US first, then Canada and the UK."""
    present = set(distinct(key, REGIONAL, "country"))
    return [c for c in REGION_COUNTRIES if c in present] + sorted(present - set(REGION_COUNTRIES))


@cached(max_entries=16)
def region_names(key: str) -> dict[str, str]:
    """Every region code -> its name, by country (the picker's order) then name."""
    t = table(key, REGIONAL)
    if t is None:
        return {}
    frame = run(t.select("country", "region", "region_name").distinct())
    order = {c: i for i, c in enumerate(region_countries(key))}
    frame = frame.assign(_c=frame["country"].map(order)).sort_values(["_c", "region_name"])
    return dict(zip(frame["region"], frame["region_name"], strict=True))


# How the Occupations page draws where to work: pay against demand, or a map of either.
WHERE_VIEWS = {
    "chart": "Pay against demand",
    "wage": "Map: median wage",
    "change": "Map: postings change",
}


def regions_filter_options(key: str) -> tuple[dict[str, tuple[str, ...]], dict[str, dict]]:
    """(values, labels) of the filters of this module's views: the regional country, the
    regions drawn as lines, the map's measure and the AI share's countries."""
    countries = tuple(region_countries(key))
    names = region_names(key)
    ai = tuple(sorted(ai_countries(key), key=fmt.country_label))
    values = {
        "region_country": countries,
        "regions": tuple(names),
        "region_measure": tuple(REGION_MEASURES) if names else (),
        "where_view": tuple(WHERE_VIEWS) if "US" in countries else (),
        "ai_country": ai,
    }
    labels = {
        "region_country": {c: fmt.country_label(c) for c in countries},
        "regions": {c: f"{n} ({c})" for c, n in names.items()},
        "region_measure": REGION_MEASURES,
        "where_view": WHERE_VIEWS,
        "ai_country": {c: fmt.country_label(c) for c in ai},
    }
    return values, labels


@cached(max_entries=64)
def region_latest(
    key: str, country: str, end: date | None = None, exact: bool = False
) -> pd.DataFrame:
    """Per region of `country`: its latest index on or before `end` (`date`, `value`), the
    index a year before (`year_before`, `year_before_date`) and the 12-month `change` in index
    points; ranked by the latest index, highest first (`rank`)."""
    t = table(key, REGIONAL)
    if t is None:
        return empty(REGIONAL, ["year_before_date", "year_before", "change", "rank"])
    t = t.filter(t.country == country)
    if end is not None:
        t = t.filter(t.date <= end)
    expr = _latest(t, "region", "value").order_by([ibis.desc("value"), "region_name"])
    frame = run(expr, exact)
    frame = frame[["source", "country", "region", "region_name", *LATEST]]
    frame.insert(0, "rank", range(1, len(frame) + 1))
    if not exact:
        for column in ("date", "year_before_date"):
            frame[column] = pd.to_datetime(frame[column])
    return frame.reset_index(drop=True)


@cached(max_entries=128)
def region_lines(
    key: str,
    regions: tuple[str, ...],
    start: date | None = None,
    end: date | None = None,
    exact: bool = False,
) -> pd.DataFrame:
    """The daily index of `regions`, ordered by region and date."""
    t = table(key, REGIONAL)
    if t is None or not regions:
        return empty(REGIONAL)
    return _dated(isin(t, "region", regions), start, end, "region", exact)


@cached(max_entries=64)
def country_reference(
    key: str, country: str, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """The country's own index (all postings, seasonally adjusted: the regional files' kind),
    as `region` = the country code and `region_name` = `<country> (whole country)`."""
    t = table(key, "openings")
    if t is None:
        return empty(REGIONAL)
    t = t.filter(
        (t.country == country)
        & (t.measure == "postings_index_sa")
        & (t.posting_type == "total")
        & t.date.notnull()
    )
    frame = _dated(t.select("source", "country", "date", "value"), start, end, "country", False)
    frame["region"] = country
    frame["region_name"] = f"{fmt.country_name(country)} (whole country)"
    return frame[empty(REGIONAL).columns.tolist()]


def default_regions(key: str, country: str) -> tuple[str, ...]:
    """The default lines of `country`: those of DEFAULT_REGIONS it has, else its first four."""
    mine = [r for r in region_names(key) if r.startswith(f"{country}-")]
    wanted = [r for r in DEFAULT_REGIONS if r in mine]
    return tuple(wanted or mine[:4])


# --------------------------------------------------------------------------------------------
# Where to work: an occupation's official wages per state beside the state's postings index


WAGE_COLUMNS = [
    "annual_median",
    "employment",
    "location_quotient",
    "top_coded",
    "footnotes",
    *("annual_p10", "annual_p25", "annual_p75", "annual_p90"),  # the map's hover
]
INDEX_COLUMNS = ["index", "index_date", "change", "year_before_date"]
WHERE_COLUMNS = ["state", "area_name", *WAGE_COLUMNS, *INDEX_COLUMNS]


@cached(max_entries=64)
def where_to_work(key: str, soc: str) -> pd.DataFrame:
    """Per US state with a postings index or an OEWS row for occupation `soc` (all industries):
    the median annual wage, employment, location quotient, `top_coded` and BLS `footnotes` (a
    null wage keeps its footnote), the state's latest postings `index` (all postings) on
    `index_date` and its 12-month `change` in points. Sorted by median wage, highest first;
    states without a published median last."""
    wages = table(key, "occupation_wages")
    regional = table(key, REGIONAL)
    if wages is None or regional is None:
        return pd.DataFrame(columns=WHERE_COLUMNS)
    official = wages.filter(
        (wages.areatype == "state")
        & (wages.industry_code == ALL_INDUSTRIES)
        & (wages.occupation_code == soc)
    ).select("state", "area_name", *WAGE_COLUMNS)
    index = _latest(regional.filter(regional.country == "US"), "region", "value").select(
        state=_.region,
        region_name=_.region_name,
        index=_.value,
        index_date=_.date,
        change=_.change,
        year_before_date=_.year_before_date,
    )
    joined = official.outer_join(index, official.state == index.state)
    frame = run(
        joined.select(
            *WAGE_COLUMNS,
            *INDEX_COLUMNS,
            state=ibis.coalesce(joined.state, joined.state_right),
            area_name=ibis.coalesce(joined.area_name, joined.region_name),
        )
    )
    for column in ("index_date", "year_before_date"):
        frame[column] = pd.to_datetime(frame[column])
    frame = frame.sort_values(
        ["annual_median", "area_name"], ascending=[False, True], na_position="last"
    )
    return frame[WHERE_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# AI in postings


@cached(max_entries=16)
def ai_countries(key: str) -> list[str]:
    """The countries with an AI share series."""
    return distinct(key, AI, "country")


@cached(max_entries=128)
def ai_share(
    key: str,
    countries: tuple[str, ...] = (),
    start: date | None = None,
    end: date | None = None,
    exact: bool = False,
) -> pd.DataFrame:
    """The daily AI share (%) of `countries` (all when empty), ordered by country and date."""
    t = table(key, AI)
    if t is None:
        return empty(AI)
    return _dated(isin(t, "country", countries), start, end, "country", exact)


@cached(max_entries=64)
def ai_share_latest(key: str, countries: tuple[str, ...] = ()) -> pd.DataFrame:
    """Per country: its latest AI share (`value`, %) on `date`, the share a year before and the
    12-month `change` in percentage points; with the country's `name`. In the order given."""
    t = table(key, AI)
    columns = ["source", "country", "name", *LATEST]
    if t is None:
        return pd.DataFrame(columns=columns)
    t = isin(t, "country", countries).rename(value="share_pct")
    frame = run(_latest(t, "country", "value"))
    for column in ("date", "year_before_date"):
        frame[column] = pd.to_datetime(frame[column])
    frame["name"] = frame["country"].map(fmt.country_name)
    order = {c: i for i, c in enumerate(countries or sorted(frame["country"]))}
    frame = frame.assign(_o=frame["country"].map(order)).sort_values(["_o", "country"])
    return frame[columns].reset_index(drop=True)
