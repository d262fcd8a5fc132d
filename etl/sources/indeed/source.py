"""The `indeed` source: Indeed Hiring Lab Job Postings Index (CC BY 4.0).

Per country (settings.indeed_countries) the aggregate index -> `openings`, two measures
(postings_index_sa, postings_index_nsa) per date and posting type (total/new). Per country with
sector data (settings.indeed_sector_countries) the sector index -> `sector_openings`. The sector
example job titles -> the extra table `sector_titles`. The index is 100 on 2020-02-01: it is not a
count of openings. Below the country (regional.py, whatever the country settings): the index by US
state, Canadian province and UK region -> `regional_openings`; the AI Tracker's share of postings
that mention AI -> `ai_postings_share`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from etl import countries
from etl.config import Settings
from etl.schemas import after_refresh
from etl.sources.base import Normalized, RawFile, RawFiles, Reasons, Source, SourceError, read_table
from etl.sources.indeed import regional

NAME = "indeed"
REPO = "https://github.com/hiring-lab/job_postings_tracker"
RAW_BASE = "https://raw.githubusercontent.com/hiring-lab/job_postings_tracker/master"
MIRROR_DIR = "indeed-job-postings"
AGGREGATE_COLUMNS = (
    "date",
    "jobcountry",
    "indeed_job_postings_index_SA",
    "indeed_job_postings_index_NSA",
    "variable",
)
SECTOR_COLUMNS = ("date", "jobcountry", "indeed_job_postings_index", "variable", "display_name")
EXAMPLES = "sector-job-title-examples.csv"
EXAMPLES_COLUMNS = ("sector", "job_titles")
POSTING_TYPES = {"total postings": "total", "new postings": "new"}
MEASURES = {
    "indeed_job_postings_index_SA": "postings_index_sa",
    "indeed_job_postings_index_NSA": "postings_index_nsa",
}


def aggregate_file(code: str) -> str:
    return f"aggregate_job_postings_{code}.csv"


def sector_file(code: str) -> str:
    return f"job_postings_by_sector_{code}.csv"


def _check_codes(codes: tuple[str, ...], setting: str) -> None:
    bad = [countries.shown(c) for c in codes if countries.name(c) is None]
    if bad:
        raise SourceError(
            f"{setting}: [{', '.join(bad)}] are not ISO 3166-1 alpha-2 codes (or EA); "
            "fix the setting"
        )


def _raw(repo_path: str, columns: tuple[str, ...]) -> RawFile:
    """One file of the hiring-lab repository; the mirror keeps it flat under MIRROR_DIR."""
    name = repo_path.rsplit("/", 1)[-1]
    return RawFile(
        name=name,
        url=f"{RAW_BASE}/{repo_path}",
        mirror_path=f"{MIRROR_DIR}/{name}",
        required_columns=columns,
    )


def files(settings: Settings) -> list[RawFile]:
    _check_codes(settings.indeed_countries, "JOBMARKET_INDEED_COUNTRIES")
    _check_codes(settings.indeed_sector_countries, "JOBMARKET_INDEED_SECTOR_COUNTRIES")
    out = [
        _raw(f"{cc}/{aggregate_file(cc)}", AGGREGATE_COLUMNS) for cc in settings.indeed_countries
    ]
    out += [
        _raw(f"{cc}/{sector_file(cc)}", SECTOR_COLUMNS) for cc in settings.indeed_sector_countries
    ]
    out.append(_raw(EXAMPLES, EXAMPLES_COLUMNS))
    return out + regional.raw_files()


def _split(frame: pd.DataFrame, code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of one country file that can be mapped, and the others with a reason."""
    reasons = Reasons(frame.index)
    wrong_country = frame["jobcountry"] != code
    reasons.add_each(
        wrong_country, "country: jobcountry ", frame["jobcountry"], f" in the file for {code}"
    )
    unknown = ~frame["variable"].isin(list(POSTING_TYPES)) & ~wrong_country
    reasons.add_each(unknown, "posting_type: unknown variable ", frame["variable"])
    return reasons.split(frame)


@dataclass
class _CountryFiles:
    """The per-country files of one kind, read: mapped rows by country, rejects, file order."""

    good: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    rejected: list[pd.DataFrame] = field(default_factory=list)
    rows_in: int = 0
    not_in_date_order: list[str] = field(default_factory=list)


def _read_countries(
    raw: RawFiles,
    codes: tuple[str, ...],
    file_of: Callable[[str], str],
    columns: tuple[str, ...],
    series: list[str],
) -> _CountryFiles:
    """Read each country's file; `series` are the columns that tell one date series from another."""
    out = _CountryFiles()
    for code in codes:
        name = file_of(code)
        frame = read_table(raw, name, columns, select=True)
        out.rows_in += len(frame)
        good, bad = _split(frame, code)
        if len(bad):
            out.rejected.append(bad.assign(file=name))
        # Each file's dates are parsed once here; order checks, as-of dates and the final sort
        # all use this column, which is dropped before the rows leave the source.
        good = good.assign(_when=pd.to_datetime(good["date"], errors="coerce"))
        if not _series_sorted(good, series):
            out.not_in_date_order.append(name)
        out.good.append((code, good))
    return out


def _aggregate(frame: pd.DataFrame, code: str) -> pd.DataFrame:
    long = frame.melt(
        id_vars=["date", "_when", "jobcountry", "variable"],
        value_vars=list(MEASURES),
        var_name="column",
        value_name="value",
    )
    return pd.DataFrame(
        {
            "source": NAME,
            "country": code,
            "country_name": countries.name(code),
            "date": long["date"],
            "measure": long["column"].map(MEASURES),
            "posting_type": long["variable"].map(POSTING_TYPES),
            "value": long["value"],
            "_when": long["_when"],
        }
    )


def _sectors(frame: pd.DataFrame, code: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": NAME,
            "country": code,
            "sector": frame["display_name"],
            "date": frame["date"],
            "posting_type": frame["variable"].map(POSTING_TYPES),
            "value": frame["indeed_job_postings_index"],
            "_when": frame["_when"],
        }
    )


def _sorted(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows in date order (the files are not always sorted), ties in key order."""
    return (
        table.sort_values(["country", *keys, "_when"], kind="stable", na_position="last")
        .drop(columns="_when")
        .reset_index(drop=True)
    )


def _real(parsed: pd.Series) -> pd.Series:
    """The dates that can be true: a row dated after the refresh day is set aside by the
    contract, so it moves no as-of date."""
    return parsed[~after_refresh(parsed)]


def _latest(parsed: pd.Series) -> str | None:
    parsed = _real(parsed)
    return None if parsed.isna().all() else parsed.max().date().isoformat()


def _earliest(parsed: pd.Series) -> str | None:
    parsed = _real(parsed)
    return None if parsed.isna().all() else parsed.min().date().isoformat()


def _series_sorted(frame: pd.DataFrame, series: list[str]) -> bool:
    """True when every series (rows sharing `series` values) runs in date order with no
    unreadable date: the dates are parsed once for the file, not once per series."""
    if frame.empty:
        return True
    parsed = frame["_when"]
    if parsed.isna().any():
        return False
    steps = parsed.groupby([frame[c] for c in series], sort=False).diff()
    return not bool((steps < pd.Timedelta(0)).any())


@dataclass
class _Below:
    """The regional files and the AI Tracker, read: tables, rejects, rows read, file order."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    rejected: dict[str, pd.DataFrame] = field(default_factory=dict)
    rows_in: int = 0
    not_in_date_order: list[str] = field(default_factory=list)
    stats: dict[str, dict[str, str | None]] = field(default_factory=dict)


def _below_the_country(raw: RawFiles) -> _Below:
    """`regional_openings` from the three regional files, `ai_postings_share` from AI_posting.csv
    (rows sorted by country, region and date; as-of dates per country)."""
    out = _Below()
    parts, bad = [], []
    for spec in regional.REGIONAL:
        good, rejected, rows = regional.read_regional(raw, spec)
        out.rows_in += rows
        bad.append(rejected)
        if not _series_sorted(good, ["region"]):
            out.not_in_date_order.append(spec.name)
        out.stats.setdefault("regional_as_of", {})[spec.country] = _latest(good["_when"])
        parts.append(good)
    out.tables["regional_openings"] = _sorted(pd.concat(parts, ignore_index=True), ["region"])
    ai, ai_bad, rows = regional.read_ai(raw)
    out.rows_in += rows
    if not _series_sorted(ai, ["country"]):
        out.not_in_date_order.append(regional.AI_FILE)
    out.stats["ai_share_as_of"] = {
        code: _latest(group["_when"]) for code, group in ai.groupby("country", sort=True)
    }
    out.tables["ai_postings_share"] = _sorted(ai, [])
    for table, frames in (("regional_openings", bad), ("ai_postings_share", [ai_bad])):
        frames = [f for f in frames if len(f)]
        if frames:
            out.rejected[table] = pd.concat(frames, ignore_index=True)
    return out


def normalize(raw: RawFiles, settings: Settings) -> Normalized:
    """Pure: the Indeed CSV bytes -> `openings`, `sector_openings`, `sector_titles`,
    `regional_openings`, `ai_postings_share`."""
    aggregate = _read_countries(
        raw, settings.indeed_countries, aggregate_file, AGGREGATE_COLUMNS, ["variable"]
    )
    by_sector = _read_countries(
        raw,
        settings.indeed_sector_countries,
        sector_file,
        SECTOR_COLUMNS,
        ["variable", "display_name"],
    )
    as_of = {code: _latest(good["_when"]) for code, good in aggregate.good}
    sector_as_of = {
        code: {
            "first": _earliest(good["_when"]),
            "last": _latest(good["_when"]),
            "sectors": int(good["display_name"].nunique()),
        }
        for code, good in by_sector.good
    }
    examples = read_table(raw, EXAMPLES, EXAMPLES_COLUMNS, select=True)
    below = _below_the_country(raw)
    tables = {}
    if aggregate.good:
        openings = [_aggregate(good, code) for code, good in aggregate.good]
        tables["openings"] = _sorted(
            pd.concat(openings, ignore_index=True), ["measure", "posting_type"]
        )
    if by_sector.good:
        sectors = [_sectors(good, code) for code, good in by_sector.good]
        tables["sector_openings"] = _sorted(
            pd.concat(sectors, ignore_index=True), ["sector", "posting_type"]
        )
    tables["sector_titles"] = examples.assign(source=NAME)[["source", "sector", "job_titles"]]
    tables.update(below.tables)
    rejected = dict(below.rejected)
    if aggregate.rejected:
        rejected["openings"] = pd.concat(aggregate.rejected, ignore_index=True)
    if by_sector.rejected:
        rejected["sector_openings"] = pd.concat(by_sector.rejected, ignore_index=True)
    latest = [d for d in as_of.values() if d]
    if settings.indeed_countries and not latest:
        raise SourceError("no readable date in any aggregate file")
    stats = {
        "rows_in": aggregate.rows_in + by_sector.rows_in + len(examples) + below.rows_in,
        "as_of": max(latest) if latest else None,
        "as_of_note": "latest date of the aggregate index over all countries",
        "as_of_by_country": as_of,
        "sectors_by_country": sector_as_of,
        **below.stats,
        "files_not_in_date_order": aggregate.not_in_date_order
        + by_sector.not_in_date_order
        + below.not_in_date_order,
        "unit": "index, 2020-02-01 = 100 (seasonally adjusted and not); not a count of openings",
        "ai_share_unit": "% of all postings mentioning AI, seven-day trailing average",
    }
    return Normalized(tables=tables, rejected=rejected, stats=stats)


SOURCE = Source(
    name=NAME,
    title="Indeed Hiring Lab: Job Postings Index (daily, by country, sector and region) and AI "
    "Tracker",
    homepage=REPO,
    licence="CC BY 4.0",
    licence_url="https://creativecommons.org/licenses/by/4.0/",
    attribution=(
        "Indeed Hiring Lab, Job Postings Index (hiring-lab/job_postings_tracker) and AI Tracker "
        "(hiring-lab/ai-tracker), CC BY 4.0"
    ),
    tables=(
        "openings",
        "sector_openings",
        "sector_titles",
        "regional_openings",
        "ai_postings_share",
    ),
    files=files,
    normalize=normalize,
    version=f"2+regions_gb.{regional.GB_SHA256[:12]}",
)
