"""The data contract: every processed table's columns, types and rules, and row validation."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd

EXPERIENCE_LEVELS = ("Entry", "Mid", "Senior", "Director", "Executive")
EMPLOYMENT_TYPES = ("Full-time", "Part-time", "Contract", "Freelance")
COMPANY_SIZES = ("S", "M", "L")
REMOTE_RATIOS = (0, 50, 100)
IMPORTANCE = ("High", "Medium", "Low")
POSTING_TYPES = ("total", "new")
STATISTICS = ("mean", "median")
ISO2 = r"^[A-Z]{2}$"
ISO4217 = r"^[A-Z]{3}$"
# regional_openings: the countries with regional files, and their region codes (ISO 3166-2, or
# GB-ENG-xx for England's regions, which ISO does not list: etl/sources/indeed/regions_gb.csv).
REGIONAL_COUNTRIES = ("US", "CA", "GB")
# (No alternation in the pattern: the contract doc is a Markdown table.)
REGION_CODE = r"^[A-Z]{2}-[A-Z]{2,3}(-[A-Z]{2})?$"

# Pandas dtypes each column kind is stored with (nullable extension types keep nulls honest).
_DTYPES = {
    "str": "string",
    "int": "Int64",
    "float": "Float64",
    "bool": "boolean",
    "date": "datetime64[ms]",
}


@dataclass(frozen=True)
class Column:
    """One contract column: its kind, whether it may be null, and the values it may take."""

    name: str
    kind: str
    nullable: bool = False
    allowed: tuple | None = None
    pattern: str | None = None
    min: float | None = None
    max: float | None = None
    doc: str = ""
    not_after_refresh: bool = False  # a date: no later than the day of the refresh


# BLS OEWS top codes (footnote 5 of oe.footnote, "equal to or greater than $115.00 per hour or
# $239,200 per year"): a top-coded wage is published as '-' and the table holds this floor.
TOP_CODE_HOURLY = 115.00
TOP_CODE_ANNUAL = 239_200.0
TOP_CODE_FOOTNOTE = "5"


@dataclass(frozen=True)
class Text:
    """A text column as row rules see it: a code per row (-1 for null) into its distinct values,
    so a test runs once per distinct value (a big table repeats a few thousand texts)."""

    codes: np.ndarray
    distinct: list[Any]

    def test(self, check: Callable[[Any], bool]) -> np.ndarray:
        """`check` of every cell, False for null."""
        answers = np.array([bool(check(v)) for v in self.distinct] + [False], dtype=bool)
        return answers[self.codes]  # the null code -1 picks the trailing False

    @property
    def null(self) -> np.ndarray:
        return self.codes < 0


# A row rule sees the typed columns: a number column as float64 (NaN for null), a text column as
# `Text`; the pandas and the Arrow rules hand over the same values.
Values = Callable[[str], Any]


def has_code(notes: Text, code: str) -> np.ndarray:
    """True where a footnotes cell ('4;5') lists `code`."""
    return notes.test(lambda text: code in text.split(";"))


@dataclass(frozen=True)
class InOrder:
    """A row's figures rise left to right (null cells skipped). In a row whose `footnote` column
    lists `code`, a cell holding `floor` is the top code: a lower bound, not a figure, so it is
    not itself checked (a figure before it may be higher) but counts for the cells after it."""

    columns: tuple[str, ...]
    floor: float | None = None
    footnote: tuple[str, str] | None = None  # (column, code) marking a top-coded row

    @property
    def reason(self) -> str:
        return f"{' <= '.join(self.columns)}: not in order"

    @property
    def doc(self) -> str:
        text = " ≤ ".join(f"`{c}`" for c in self.columns) + " where present"
        if self.floor is not None and self.footnote is not None:
            column, code = self.footnote
            text += (
                f"; in a row whose `{column}` lists {code}, a cell at the top code {self.floor:,g}"
                " is a lower bound (≥) and only bounds the cells after it"
            )
        return text

    def failing(self, values: Values) -> np.ndarray:
        cells = np.column_stack([values(c).astype("float64") for c in self.columns])
        bound = np.zeros(cells.shape, bool)
        if self.floor is not None and self.footnote is not None:
            marked = has_code(values(self.footnote[0]), self.footnote[1])
            bound = marked[:, None] & (cells == self.floor)
        highest = np.fmax.accumulate(cells, axis=1)  # NaN (null) never raises the bar
        return ((cells[:, 1:] < highest[:, :-1]) & ~bound[:, 1:]).any(axis=1)


@dataclass(frozen=True)
class PresentUnless:
    """`column` may be null only where `other` is one of `values` (a lookup that finds nothing
    for a row leaves it null: that row is set aside, not published with a hole)."""

    column: str
    other: str
    values: tuple[str, ...]

    @property
    def reason(self) -> str:
        return f"{self.column}: missing (null only where {self.other} is {'/'.join(self.values)})"

    @property
    def doc(self) -> str:
        allowed = "/".join(f"`{v}`" for v in self.values)
        return f"`{self.column}` is null only where `{self.other}` is {allowed}"

    def failing(self, values: Values) -> np.ndarray:
        other = values(self.other)
        exempt = other.null | other.test(lambda v: v in self.values)
        return values(self.column).null & ~exempt


@dataclass(frozen=True)
class Positive:
    """`column` is above zero where present (a price index, a PPP factor: zero or below is no
    figure, and a column's `min` is inclusive)."""

    column: str

    @property
    def reason(self) -> str:
        return f"{self.column}: not above 0"

    @property
    def doc(self) -> str:
        return f"`{self.column}` > 0 where present"

    def failing(self, values: Values) -> np.ndarray:
        cells = values(self.column).astype("float64")
        return cells <= 0  # NaN (null) compares False: missing is its own reason


Rule = InOrder | PresentUnless | Positive


def refresh_day() -> date:
    """The day of the refresh (UTC): no row may be dated after it."""
    return datetime.now(UTC).date()


@dataclass(frozen=True)
class TableSchema:
    """A contract table: grain, columns (required first, then documented extras) and meaning."""

    name: str
    grain: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # the natural key: no two published rows share it
    rules: tuple[Rule, ...] = ()  # rules across a row's columns
    # Its natural partitions (a country's rows): each is shrink-guarded like the whole table.
    partition: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _source() -> Column:
    return Column("source", "str", doc="registry name of the source that produced the row")


TABLES: dict[str, TableSchema] = {
    t.name: t
    for t in (
        TableSchema(
            "salaries",
            "one salary report",
            (
                _source(),
                Column("work_year", "int", min=2000, max=2100, doc="year the salary was paid"),
                Column("experience_level", "str", allowed=EXPERIENCE_LEVELS),
                Column("employment_type", "str", allowed=EMPLOYMENT_TYPES),
                Column("job_title", "str", doc="job title as reported"),
                Column("job_family", "str", doc="family derived from job_title (or Other)"),
                Column(
                    "salary",
                    "float",
                    min=1,
                    max=10**12,
                    doc="gross salary as reported, in its currency (plausible: 1 to 10^12)",
                ),
                Column("salary_currency", "str", pattern=ISO4217),
                Column(
                    "salary_usd",
                    "float",
                    min=1_000,
                    max=5_000_000,
                    doc="salary converted to USD by the source (plausible: $1,000 to $5 M a year)",
                ),
                Column("employee_residence", "str", pattern=ISO2),
                Column("company_country", "str", pattern=ISO2),
                Column("remote_ratio", "int", allowed=REMOTE_RATIOS, doc="% of work done remotely"),
                Column("company_size", "str", allowed=COMPANY_SIZES),
            ),
        ),
        TableSchema(
            "salary_counts",
            "reports per salary and filter combination (derived)",
            (
                _source(),
                Column("work_year", "int", min=2000, max=2100),
                Column("employee_residence", "str", pattern=ISO2),
                Column("company_country", "str", pattern=ISO2),
                Column("experience_level", "str", allowed=EXPERIENCE_LEVELS),
                Column("job_family", "str"),
                Column("employment_type", "str", allowed=EMPLOYMENT_TYPES),
                Column("remote_ratio", "int", allowed=REMOTE_RATIOS),
                Column("company_size", "str", allowed=COMPANY_SIZES),
                Column("salary_usd", "float", min=0),
                Column("n", "int", min=1, doc="salary reports with exactly these values"),
                Column("n_first", "int", min=0, doc="the same, counting identical reports once"),
            ),
        ),
        TableSchema(
            "occupation_wages",
            "one area x industry x occupation (BLS OEWS estimates)",
            (
                _source(),
                Column("release", "str", pattern=r"^\d{4}A\d{2}$", doc="BLS release, 2025A01"),
                Column("areatype", "str", allowed=("national", "state", "metro")),
                Column("area_code", "str", pattern=r"^\d{7}$", doc="state FIPS + 00000, or CBSA"),
                Column("area_name", "str"),
                Column(
                    "state",
                    "str",
                    nullable=True,
                    pattern=r"^US-[A-Z]{2}$",
                    doc="ISO 3166-2:US of the state (of a metro's main state); null nationally",
                ),
                Column("industry_code", "str", pattern=r"^[0-9A-Z-]{6}$", doc="OEWS/NAICS code"),
                Column("industry", "str"),
                Column("occupation_code", "str", pattern=r"^\d{2}-\d{4}$", doc="SOC 2018"),
                Column("occupation", "str"),
                Column(
                    "occupation_level",
                    "str",
                    allowed=("total", "major", "minor", "broad", "detailed"),
                ),
                Column("employment", "float", nullable=True, min=0, doc="jobs held, not openings"),
                Column("employment_rse_pct", "float", nullable=True, min=0),
                Column("hourly_mean", "float", nullable=True, min=0),
                Column("annual_mean", "float", nullable=True, min=0),
                Column("wage_rse_pct", "float", nullable=True, min=0),
                *(
                    Column(f"hourly_{p}", "float", nullable=True, min=0)
                    for p in ("p10", "p25", "median", "p75", "p90")
                ),
                *(
                    Column(f"annual_{p}", "float", nullable=True, min=0)
                    for p in ("p10", "p25", "median", "p75", "p90")
                ),
                Column("employment_per_1000", "float", nullable=True, min=0),
                Column("location_quotient", "float", nullable=True, min=0),
                Column(
                    "top_coded",
                    "bool",
                    doc="a wage is at or above the top code: its column holds that floor",
                ),
                Column("footnotes", "str", nullable=True, doc="BLS footnote codes, e.g. 4;5"),
            ),
        ),
        TableSchema(
            "family_occupations",
            "one job family x official occupation (mapping kept as data)",
            (
                _source(),
                Column("job_family", "str", doc="a salaries.job_family"),
                Column("occupation_code", "str", pattern=r"^\d{2}-\d{4}$", doc="SOC 2018"),
                Column("fit", "str", allowed=("closest", "alternative")),
                Column("note", "str", nullable=True, doc="why this occupation"),
            ),
        ),
        TableSchema(
            "family_sectors",
            "one job family and its Indeed occupational sector (mapping kept as data)",
            (
                _source(),
                Column("job_family", "str", doc="a salaries.job_family"),
                Column("sector", "str", doc="a sector_openings.sector"),
                Column("note", "str", nullable=True, doc="why this sector"),
            ),
        ),
        TableSchema(
            "salary_levels",
            "one published statistic per experience level",
            (
                _source(),
                Column("experience_level", "str", allowed=EXPERIENCE_LEVELS),
                Column("statistic", "str", allowed=STATISTICS),
                Column("salary_usd", "float", min=0),
                Column("n", "int", nullable=True, min=0, doc="reports behind it; null if unknown"),
                Column("level_label", "str", nullable=True, doc="level label as published"),
            ),
        ),
        TableSchema(
            "openings",
            "one country, one day (or one undated figure)",
            (
                _source(),
                Column("country", "str", pattern=ISO2, doc="ISO 3166-1 alpha-2; EA = euro area"),
                Column("country_name", "str"),
                Column(
                    "date",
                    "date",
                    nullable=True,
                    not_after_refresh=True,
                    doc="null for an undated figure",
                ),
                Column(
                    "measure",
                    "str",
                    allowed=("job_openings", "postings_index_sa", "postings_index_nsa"),
                    doc="job_openings is a count; postings_index_* is % of the 2020-02-01 level",
                ),
                Column("posting_type", "str", nullable=True, allowed=POSTING_TYPES),
                Column("value", "float", min=0),
            ),
        ),
        TableSchema(
            "sector_openings",
            "one country, sector and day",
            (
                _source(),
                Column("country", "str", pattern=ISO2),
                Column("sector", "str"),
                Column("date", "date", not_after_refresh=True),
                Column("posting_type", "str", allowed=POSTING_TYPES),
                Column("value", "float", min=0, doc="postings index, 2020-02-01 = 100"),
            ),
        ),
        TableSchema(
            "industries",
            "one industry figure",
            (
                _source(),
                Column("industry", "str"),
                Column("share_pct", "float", min=0, max=100),
            ),
        ),
        TableSchema(
            "skills",
            "one skill (per occupation where known)",
            (
                _source(),
                Column("skill", "str"),
                Column("category", "str", nullable=True),
                Column("occupation_code", "str", nullable=True, pattern=r"^\d{2}-\d{4}\.\d{2}$"),
                Column("occupation", "str", nullable=True),
                Column("importance", "str", nullable=True, allowed=IMPORTANCE),
                Column("hot_technology", "bool", nullable=True),
                Column("in_demand", "bool", nullable=True),
                Column("list", "str", nullable=True, doc="seed: which article table it is from"),
            ),
        ),
        TableSchema(
            "education",
            "one occupation x education level",
            (
                _source(),
                Column("occupation_code", "str", nullable=True, pattern=r"^\d{2}-\d{4}\.\d{2}$"),
                Column("occupation", "str"),
                Column("education_level", "str"),
                Column("share_pct", "float", min=0, max=100),
                Column("level_order", "int", nullable=True, doc="rank of the level, low to high"),
            ),
        ),
        TableSchema(
            "certifications",
            "one certification",
            (_source(), Column("certification", "str"), Column("issuer", "str")),
        ),
        TableSchema(
            "revenue_impact",
            "one company figure",
            (_source(), Column("company", "str"), Column("revenue_increase_pct", "float")),
        ),
        TableSchema(
            "ethics",
            "one issue",
            (_source(), Column("issue", "str"), Column("concern_level", "str", allowed=IMPORTANCE)),
        ),
        TableSchema(
            "tools",
            "one tool",
            (
                _source(),
                Column("tool", "str"),
                Column("purpose", "str"),
                Column("list", "str", nullable=True, doc="seed: which article table it is from"),
            ),
        ),
        TableSchema(
            "algorithms",
            "one algorithm (extra table, seed only)",
            (_source(), Column("algorithm", "str"), Column("use_case", "str")),
        ),
        TableSchema(
            "sector_titles",
            "one occupational sector with example job titles (extra table, Indeed)",
            (
                _source(),
                Column("sector", "str", doc="sector name as in sector_openings.sector"),
                Column("job_titles", "str", doc="comma-separated example job titles"),
            ),
        ),
        TableSchema(
            "occupations",
            "one occupation (extra table, O*NET)",
            (
                _source(),
                Column("occupation_code", "str", pattern=r"^\d{2}-\d{4}\.\d{2}$"),
                Column("occupation", "str"),
                Column("description", "str", nullable=True),
                Column("job_zone", "int", nullable=True, allowed=(1, 2, 3, 4, 5)),
                Column("has_skills", "bool", doc="the occupation has rows in skills"),
                Column("has_education", "bool", doc="the occupation has rows in education"),
            ),
        ),
        TableSchema(
            "posted_wage_growth",
            "one country (or US occupational sector) and month (Indeed Wage Tracker)",
            (
                _source(),
                Column("country", "str", pattern=ISO2, doc="ISO 3166-1 alpha-2; EA = euro area"),
                Column(
                    "sector",
                    "str",
                    nullable=True,
                    doc="Indeed occupational sector (as in sector_openings.sector); "
                    "null for the whole country",
                ),
                Column(
                    "month",
                    "date",
                    not_after_refresh=True,
                    doc="first day of the month the postings were live",
                ),
                Column(
                    "postings",
                    "int",
                    nullable=True,
                    min=0,
                    doc="job postings with advertised pay behind the month (n_obs)",
                ),
                Column(
                    "growth_yoy",
                    "float",
                    nullable=True,
                    min=-1,
                    max=1,
                    doc="year-on-year growth of advertised pay, a fraction (0.0235 = 2.35 %); "
                    "growth, not a level of pay",
                ),
                Column(
                    "growth_yoy_3mo",
                    "float",
                    nullable=True,
                    min=-1,
                    max=1,
                    doc="its 3-month average, a fraction; null for the first two months",
                ),
            ),
        ),
        TableSchema(
            "ppp",
            "one country and year (World Bank PPP conversion factor, GDP)",
            (
                _source(),
                Column("country", "str", pattern=ISO2, doc="ISO 3166-1 alpha-2 (XK = Kosovo)"),
                Column("year", "int", min=1950, max=2100),
                Column(
                    "lcu_per_intl_dollar",
                    "float",
                    doc="local currency units per international dollar (US = 1)",
                ),
                Column(
                    "currency",
                    "str",
                    pattern=ISO4217,
                    doc="ISO 4217 code of the country's current legal tender (babel's territory "
                    "currencies): the unit the factor is in, for every year",
                ),
            ),
        ),
        TableSchema(
            "cpi",
            "one month (US CPI-U, all items, U.S. city average)",
            (
                _source(),
                Column("month", "date", not_after_refresh=True, doc="first day of the month"),
                Column("index", "float", doc="CPI-U, 1982-84 = 100, not seasonally adjusted"),
            ),
        ),
        TableSchema(
            "cpi_annual",
            "one complete year (US CPI-U annual average)",
            (
                _source(),
                Column("year", "int", min=1900, max=2100),
                Column("index", "float", doc="mean of the year's 12 monthly cpi.index values"),
                Column(
                    "months",
                    "int",
                    allowed=(12,),
                    doc="months behind the mean: only complete years are published",
                ),
            ),
        ),
        TableSchema(
            "regional_openings",
            "one US state, Canadian province or UK region/nation, one day (Indeed postings index)",
            (
                _source(),
                Column("country", "str", allowed=REGIONAL_COUNTRIES, doc="ISO 3166-1 alpha-2"),
                Column(
                    "region",
                    "str",
                    pattern=REGION_CODE,
                    doc="ISO 3166-2 code (US-CA, CA-ON, GB-SCT, GB-WLS, GB-NIR); an English "
                    "region, which has none, a documented GB-ENG-xx code (GB-ENG-EM = East "
                    "Midlands; etl/sources/indeed/regions_gb.csv). US codes equal "
                    "occupation_wages.state",
                ),
                Column("region_name", "str", doc="display name (California, Ontario, London)"),
                Column("date", "date", not_after_refresh=True),
                Column(
                    "value",
                    "float",
                    min=0,
                    doc="Indeed Job Postings Index, all postings, seasonally adjusted, "
                    "2020-02-01 = 100: an index, not a count",
                ),
            ),
        ),
        TableSchema(
            "ai_postings_share",
            "one country, one day (Indeed AI Tracker)",
            (
                _source(),
                Column("country", "str", pattern=ISO2, doc="ISO 3166-1 alpha-2"),
                Column("date", "date", not_after_refresh=True),
                Column(
                    "share_pct",
                    "float",
                    min=0,
                    max=100,
                    doc="share of the country's job postings that mention AI (e.g. 'machine "
                    "learning', 'artificial intelligence'), %, seven-day trailing average",
                ),
            ),
        ),
    )
}
# Natural keys. Two rows with the same key and other values cannot both be true: every copy is
# set aside. An identical copy is kept once (the others set aside as repeats).
KEYS = {
    "occupation_wages": ("release", "area_code", "industry_code", "occupation_code"),
    "family_occupations": ("job_family", "occupation_code"),
    "family_sectors": ("job_family",),
    "salary_levels": ("source", "experience_level", "statistic"),
    "openings": ("source", "country", "measure", "posting_type", "date"),
    "sector_openings": ("source", "country", "sector", "posting_type", "date"),
    "sector_titles": ("source", "sector"),
    "occupations": ("source", "occupation_code"),
    "posted_wage_growth": ("country", "sector", "month"),
    "ppp": ("country", "year"),
    "cpi": ("month",),
    "cpi_annual": ("year",),
    "regional_openings": ("region", "date"),
    "ai_postings_share": ("country", "date"),
}

# Rules across a row's columns, each with its own reason.
RULES: dict[str, tuple[Rule, ...]] = {
    "occupation_wages": (
        PresentUnless("state", "areatype", ("national",)),
        *(
            InOrder(
                tuple(f"{kind}_{p}" for p in ("p10", "p25", "median", "p75", "p90")),
                floor=floor,
                footnote=("footnotes", TOP_CODE_FOOTNOTE),
            )
            for kind, floor in (("hourly", TOP_CODE_HOURLY), ("annual", TOP_CODE_ANNUAL))
        ),
    ),
    "ppp": (Positive("lcu_per_intl_dollar"),),
    "cpi": (Positive("index"),),
    "cpi_annual": (Positive("index"),),
}
# Natural partitions: a refresh that would leave one of them below half of its published rows
# (from 100 rows), or without any, is refused like a table that shrinks (etl/partitions.py).
PARTITIONS = {
    "openings": ("source", "country"),
    "sector_openings": ("source", "country"),
    "occupation_wages": ("source", "state"),
    "posted_wage_growth": ("source", "country"),
    "regional_openings": ("source", "region"),
    "ai_postings_share": ("source", "country"),
}
TABLES = {
    name: replace(
        schema,
        key=KEYS.get(name, ()),
        rules=RULES.get(name, ()),
        partition=PARTITIONS.get(name, ()),
    )
    for name, schema in TABLES.items()
}


def key_reasons(keys: pd.DataFrame, values: pd.DataFrame) -> pd.Series:
    """Per row, why its natural key fails ('' when it does not): `keys` holds the key columns,
    `values` every contract column. Rows sharing a key with other values are all set aside;
    of identical copies the first is kept and the others are set aside as repeats."""
    reasons = pd.Series("", index=keys.index, dtype="object")
    shared = keys.duplicated(keep=False)
    if not shared.any():
        return reasons
    names = ", ".join(keys.columns)
    group = keys[shared].astype("string").fillna("\0").agg("\x1f".join, axis=1)
    whole = values[shared].astype("string").fillna("\0").agg("\x1f".join, axis=1)
    variants = whole.groupby(group).transform("nunique")
    conflict = variants > 1
    reasons[conflict[conflict].index] = (
        f"key ({names}) repeated with other values: every copy is set aside"
    )
    repeat = ~conflict & whole.duplicated(keep="first")
    reasons[repeat[repeat].index] = f"key ({names}) repeated: an identical copy of an earlier row"
    return reasons


AFTER_REFRESH = "after the refresh day"

BOOL_WORDS = {
    **{w: True for w in ("true", "yes", "1", "1.0")},
    **{w: False for w in ("false", "no", "0", "0.0")},
}


def _as_kind(series: pd.Series, kind: str) -> pd.Series:
    """Coerce to the column's kind; values that cannot be read become null (caught as such)."""
    if kind == "str":
        out = series.astype("string").str.strip()
        return out.mask(out == "")
    if kind == "int":
        num = pd.to_numeric(series, errors="coerce")
        whole = num.notna() & (num == num.round())
        return num.where(whole).astype("Float64").astype("Int64")
    if kind == "float":
        return pd.to_numeric(series, errors="coerce").astype("Float64")
    if kind == "bool":
        if pd.api.types.is_bool_dtype(series):
            return series.astype("boolean")
        # Text from a file: true/false, yes/no, 1/0 in any case; anything else is unreadable
        # (and quarantined as such) rather than a crash of the whole source.
        words = series.astype("string").str.strip().str.lower()
        mapped = words.map(BOOL_WORDS, na_action="ignore")
        return mapped.where(series.notna()).astype("boolean")
    if kind == "date":
        return pd.to_datetime(series, errors="coerce").astype("datetime64[ms]")
    raise ValueError(f"unknown column kind {kind!r}")


def _append(reasons: pd.Series, mask: pd.Series, text: str) -> pd.Series:
    add = mask.fillna(False).to_numpy(dtype=bool)
    if not add.any():  # the usual case: no row fails this rule, so no string work at all
        return reasons
    joined = reasons.where(reasons == "", reasons + "; ")
    return reasons.where(~add, joined + text)


def after_refresh(values: pd.Series | np.ndarray, today: date | None = None) -> np.ndarray:
    """True where a date (datetime64, NaT for null) is later than the refresh day."""
    last = np.datetime64(today or refresh_day(), "D") + np.timedelta64(1, "D")
    return np.asarray(values, dtype="datetime64[ms]") >= last


def row_values(frame: pd.DataFrame) -> Values:
    """A typed frame's columns as the numpy arrays row rules take."""

    def values(name: str) -> np.ndarray | Text:
        column = frame[name]
        if isinstance(column.dtype, pd.Float64Dtype):
            return column.to_numpy(dtype="float64", na_value=np.nan)
        codes, distinct = pd.factorize(column, use_na_sentinel=True)
        return Text(np.asarray(codes), list(distinct))

    return values


def validate(
    table: str, frame: pd.DataFrame, today: date | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split rows into (valid, rejected); rejected keeps its values plus a `reason` column.
    `today` is the refresh day (by default today, UTC): no row may be dated after it."""
    schema = TABLES[table]
    missing = [c.name for c in schema.columns if c.name not in frame.columns and not c.nullable]
    if missing:
        raise ValueError(f"table {table!r} is missing required columns: {', '.join(missing)}")
    frame = frame.reset_index(drop=True)
    reasons = pd.Series("", index=frame.index, dtype="object")
    out = {}
    for col in schema.columns:
        raw = frame[col.name] if col.name in frame.columns else pd.Series(None, index=frame.index)
        values = _as_kind(raw, col.kind)
        present = values.notna()
        unreadable = pd.Series(False, index=frame.index)
        if not present.all():  # only the rows without a value can hold an unreadable one
            absent = ~present
            text = raw[absent].astype("string").str.strip()
            unreadable[absent] = (raw[absent].notna() & text.ne("")).fillna(False).to_numpy()
        reasons = _append(reasons, unreadable, f"{col.name}: not a valid {col.kind}")
        if not col.nullable:
            reasons = _append(reasons, ~present & ~unreadable, f"{col.name}: missing")
        if col.allowed is not None:
            bad = present & ~values.isin(list(col.allowed))
            reasons = _append(
                reasons, bad, f"{col.name}: not one of {'/'.join(map(str, col.allowed))}"
            )
        if col.pattern is not None:
            bad = present & ~values.astype("string").str.fullmatch(col.pattern).fillna(False)
            reasons = _append(reasons, bad, f"{col.name}: does not match {col.pattern}")
        if col.kind == "float":  # inf and 1e309 read as numbers, but no figure is infinite
            infinite = present & ~np.isfinite(values.to_numpy(dtype="float64", na_value=0.0))
            reasons = _append(reasons, infinite, f"{col.name}: not a finite number")
        if col.min is not None:
            reasons = _append(reasons, present & (values < col.min), f"{col.name}: below {col.min}")
        if col.max is not None:
            reasons = _append(reasons, present & (values > col.max), f"{col.name}: above {col.max}")
        if col.not_after_refresh:
            late = pd.Series(after_refresh(values, today), index=frame.index)
            reasons = _append(reasons, late, f"{col.name}: {AFTER_REFRESH}")
        out[col.name] = values.astype(_DTYPES[col.kind])
    typed = pd.DataFrame(out, index=frame.index)
    for rule in schema.rules:
        failing = pd.Series(rule.failing(row_values(typed)), index=frame.index)
        reasons = _append(reasons, failing, rule.reason)
    if schema.key:  # among the rows that pass every other rule
        fine = reasons == ""
        keyed = key_reasons(typed.loc[fine, list(schema.key)], typed.loc[fine])
        keyed = keyed[keyed != ""]
        reasons.loc[keyed.index] = keyed
    extras = [c for c in frame.columns if c not in out]
    for name in extras:  # extra columns are welcome and pass through untouched
        typed[name] = frame[name]
    bad_rows = reasons != ""
    rejected = frame.loc[bad_rows].copy()
    rejected["reason"] = reasons[bad_rows]
    return typed.loc[~bad_rows].reset_index(drop=True), rejected.reset_index(drop=True)


def reason_counts(rejected: Iterable[pd.DataFrame]) -> dict[str, int]:
    """Count rejected rows per individual reason (a row with two reasons counts under both)."""
    counts: dict[str, int] = {}
    for frame in rejected:
        if frame.empty:
            continue
        for text in frame["reason"]:
            for part in str(text).split("; "):
                counts[part] = counts.get(part, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
