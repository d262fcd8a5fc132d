"""The only reader of data/processed: Ibis over Parquet (DuckDB default), cached by version."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
import streamlit as st
from ibis import _

from etl.schemas import TABLES

ROOT = Path(__file__).resolve().parent.parent
DATA_ENV = "JOBMARKET_DATA_DIR"
ENGINE_ENV = "JOBMARKET_ENGINE"
ENGINES = ("duckdb", "spark")
PERCENTILES = (0.10, 0.25, 0.50, 0.75, 0.90)
STAT_COLUMNS = ["n", "p10", "p25", "p50", "p75", "p90"]
# SOC major group 15 = "Computer and Mathematical Occupations": the ML, data and software roles.
TECH_SOC_PREFIX = "15-"
SEED_COMMAND = "python -m etl refresh seed"
# On DuckDB, tables up to this many rows are copied into memory on first use: filtered
# aggregates then run about twice as fast as over the Parquet view. Bigger tables stay views
# (the scale path); 0 turns copying off.
MEMORY_ROWS_ENV = "JOBMARKET_MEMORY_ROWS"
DEFAULT_MEMORY_ROWS = 2_000_000


def data_dir() -> Path:
    """The data root: $JOBMARKET_DATA_DIR or <repo>/data."""
    return Path(os.environ.get(DATA_ENV) or ROOT / "data").resolve()


def processed_dir() -> Path:
    return data_dir() / "processed"


def engine() -> str:
    name = (os.environ.get(ENGINE_ENV) or "duckdb").strip().lower()
    if name not in ENGINES:
        raise ValueError(f"{ENGINE_ENV}={name!r} is not supported; use one of {', '.join(ENGINES)}")
    return name


@dataclass(frozen=True)
class Snapshot:
    """One published data version: where it lives and its manifest (read once per rerun)."""

    directory: Path
    manifest: dict[str, Any] = field(hash=False, compare=False)

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", "unversioned"))

    @property
    def key(self) -> str:
        # The resolved version directory plus the version id: a refresh swaps the symlink to a
        # new directory, so every cache entry keyed on this is naturally invalidated.
        return f"{self.directory}#{self.version}"

    def has(self, table: str) -> bool:
        return table in self.manifest.get("tables", {})

    def rows(self, table: str) -> int:
        return int(self.manifest.get("tables", {}).get(table, {}).get("rows", 0))

    def table_sources(self, table: str) -> list[str]:
        return list(self.manifest.get("tables", {}).get(table, {}).get("sources", []))

    @property
    def sources(self) -> dict[str, dict[str, Any]]:
        return dict(self.manifest.get("sources", {}))


def current() -> Snapshot | None:
    """The version data/processed points to now, or None when nothing was published."""
    link = processed_dir()
    manifest_path = link / "manifest.json"
    if not manifest_path.is_file():
        return None
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    return Snapshot(directory=link.resolve(), manifest=manifest)


def build_seed(timeout: float = 300) -> tuple[bool, str]:
    """Run the ETL's seed refresh in a subprocess (the dashboard itself never writes data)."""
    cmd = [sys.executable, "-m", "etl", "refresh", "seed", "--data-dir", str(data_dir())]
    try:
        done = subprocess.run(
            cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"{' '.join(cmd)} failed: {exc}"
    output = (done.stdout + done.stderr).strip()
    return done.returncode == 0, output


# --------------------------------------------------------------------------------------------
# Connection and tables


def _connect(engine_name: str) -> Any:
    if engine_name == "spark":
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:  # Spark is an optional extra, never needed for `make run`
            raise RuntimeError(
                f"{ENGINE_ENV}=spark needs pyspark (pip install pyspark); it is not installed"
            ) from exc
        session = SparkSession.builder.master("local[2]").appName("jobmarket").getOrCreate()
        return ibis.pyspark.connect(session)
    return ibis.duckdb.connect()


@st.cache_resource(show_spinner=False, max_entries=4)
def _catalog(key: str, engine_name: str) -> dict[str, Any]:
    """One connection per (data version, engine), with a view per processed table."""
    directory = Path(key.split("#", 1)[0])
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    con = _connect(engine_name)
    tables: dict[str, Any] = {}
    limit = int(os.environ.get(MEMORY_ROWS_ENV, DEFAULT_MEMORY_ROWS))
    small = {
        name
        for name, info in manifest.get("tables", {}).items()
        if engine_name == "duckdb" and int(info.get("rows", 0)) <= limit
    }
    for name, info in manifest.get("tables", {}).items():
        path = directory / info.get("file", f"{name}.parquet")
        if path.is_dir():  # hive-partitioned table (e.g. salaries/work_year=2024/...)
            tables[name] = con.read_parquet(
                str(path / "**" / "*.parquet"), table_name=f"t_{name}", hive_partitioning=True
            )
        elif path.is_file():
            tables[name] = con.read_parquet(str(path), table_name=f"t_{name}")
    return {"con": con, "tables": tables, "small": small & set(tables)}


# Streamlit sessions are threads sharing one cached connection; a DuckDB connection must not
# run two statements at once, so queries take turns (each is tens of milliseconds).
_LOCK = threading.RLock()


def _table(key: str, name: str) -> Any | None:
    catalog = _catalog(key, engine())
    if name in catalog["small"]:
        with _LOCK:
            if name in catalog["small"]:  # copy each table once, on first use
                view = catalog["tables"][name]
                catalog["tables"][name] = catalog["con"].create_table(f"m_{name}", view)
                catalog["small"].discard(name)
    return catalog["tables"].get(name)


def _empty(table: str, extra: list[str] | None = None) -> pd.DataFrame:
    columns = TABLES[table].column_names if table in TABLES else []
    return pd.DataFrame(columns=columns + (extra or []))


def _run(expr: Any, exact: bool = False) -> pd.DataFrame:
    """Run a query. `exact` keeps the stored Arrow types (date32, nullable bool, int64) as
    pandas Arrow dtypes: exports must carry the data as it is, not as a chart wants it."""
    with _LOCK:
        if exact:
            return expr.to_pyarrow().to_pandas(types_mapper=pd.ArrowDtype)
        return expr.to_pandas()


def _isin(expr: Any, column: str, values: tuple) -> Any:
    return expr.filter(expr[column].isin(list(values))) if values else expr


# --------------------------------------------------------------------------------------------
# Generic


@st.cache_data(show_spinner=False, max_entries=64)
def small_table(key: str, name: str, limit: int = 20_000) -> pd.DataFrame:
    """A whole (small) table, e.g. the seed's certifications; capped so a big one never loads."""
    t = _table(key, name)
    if t is None:
        return _empty(name)
    return _run(t.limit(limit))


@st.cache_data(show_spinner=False, max_entries=128)
def distinct(key: str, name: str, column: str) -> list[Any]:
    """Sorted distinct non-null values of one column (filter options)."""
    t = _table(key, name)
    if t is None or column not in t.columns:
        return []
    values = _run(t.select(column).filter(t[column].notnull()).distinct())[column]
    return sorted(values.tolist())


@st.cache_data(show_spinner=False, max_entries=32)
def country_names(key: str) -> dict[str, str]:
    """ISO2 -> country name as the openings table spells it (other codes fall back to ISO)."""
    t = _table(key, "openings")
    if t is None:
        return {}
    frame = _run(t.select("country", "country_name").distinct())
    return dict(zip(frame["country"], frame["country_name"], strict=False))


@st.cache_data(show_spinner=False, max_entries=32)
def date_bounds(key: str, name: str) -> tuple[date, date] | None:
    t = _table(key, name)
    if t is None:
        return None
    frame = _run(t.filter(t.date.notnull()).aggregate(lo=t.date.min(), hi=t.date.max()))
    if frame.empty or pd.isna(frame.loc[0, "lo"]):
        return None
    return pd.Timestamp(frame.loc[0, "lo"]).date(), pd.Timestamp(frame.loc[0, "hi"]).date()


# --------------------------------------------------------------------------------------------
# Salaries


@dataclass(frozen=True)
class SalaryQuery:
    """The salary filters, combined with AND; an empty tuple means no restriction."""

    countries: tuple[str, ...] = ()
    country_field: str = "employee_residence"
    year_from: int | None = None
    year_to: int | None = None
    levels: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    employment: tuple[str, ...] = ()
    remote: tuple[int, ...] = ()
    sizes: tuple[str, ...] = ()

    def describe(self) -> dict[str, str]:
        """Human-readable filters applied (for exports and captions)."""
        out = {}
        if self.countries:
            where = "company country" if self.country_field == "company_country" else "residence"
            out[f"country ({where})"] = ", ".join(self.countries)
        if self.year_from is not None or self.year_to is not None:
            out["work_year"] = f"{self.year_from}–{self.year_to}"
        for label, values in (
            ("experience_level", self.levels),
            ("job_family", self.families),
            ("employment_type", self.employment),
            ("remote_ratio", tuple(map(str, self.remote))),
            ("company_size", self.sizes),
        ):
            if values:
                out[label] = ", ".join(values)
        return out


def _salaries(key: str, q: SalaryQuery) -> Any | None:
    t = _table(key, "salaries")
    if t is None:
        return None
    if q.country_field not in ("employee_residence", "company_country"):
        raise ValueError(f"unknown country field {q.country_field!r}")
    t = _isin(t, q.country_field, q.countries)
    if q.year_from is not None:
        t = t.filter(t.work_year >= q.year_from)
    if q.year_to is not None:
        t = t.filter(t.work_year <= q.year_to)
    t = _isin(t, "experience_level", q.levels)
    t = _isin(t, "job_family", q.families)
    t = _isin(t, "employment_type", q.employment)
    t = _isin(t, "remote_ratio", q.remote)
    return _isin(t, "company_size", q.sizes)


def _stats_aggs(t: Any) -> dict[str, Any]:
    aggs: dict[str, Any] = {"n": t.count()}
    for p in PERCENTILES:
        aggs[f"p{round(p * 100)}"] = t.salary_usd.quantile(p)
    return aggs


@st.cache_data(show_spinner=False, max_entries=512)
def salary_stats(key: str, q: SalaryQuery, by: str | None = None) -> pd.DataFrame:
    """n and p10/p25/p50/p75/p90 of salary_usd, overall or per group of `by` (combined filter)."""
    t = _salaries(key, q)
    cols = ([by] if by else []) + STAT_COLUMNS
    if t is None:
        return pd.DataFrame(columns=cols)
    if by:
        grouped = t.filter(t[by].notnull())
        frame = _run(grouped.group_by(by).aggregate(**_stats_aggs(grouped)))
        frame = frame.sort_values(by).reset_index(drop=True)
    else:
        frame = _run(t.aggregate(**_stats_aggs(t)))
        if frame.loc[0, "n"] == 0:
            frame = frame.iloc[0:0]
    frame["n"] = frame["n"].astype("int64")
    return frame[cols]


@st.cache_data(show_spinner=False, max_entries=64)
def salary_rows(key: str, q: SalaryQuery, exact: bool = True) -> pd.DataFrame:
    """Exactly the salary reports that match the filters (what an export holds)."""
    t = _salaries(key, q)
    if t is None:
        return _empty("salaries")
    return _run(t, exact)


@st.cache_data(show_spinner=False, max_entries=16)
def year_bounds(key: str) -> tuple[int, int] | None:
    t = _table(key, "salaries")
    if t is None:
        return None
    frame = _run(t.aggregate(lo=t.work_year.min(), hi=t.work_year.max()))
    if frame.empty or pd.isna(frame.loc[0, "lo"]):
        return None
    return int(frame.loc[0, "lo"]), int(frame.loc[0, "hi"])


# --------------------------------------------------------------------------------------------
# Openings (Indeed postings index and the seed's undated counts)


def _openings(
    key: str,
    measures: tuple[str, ...],
    posting_types: tuple[str, ...],
    countries: tuple[str, ...],
    start: date | None,
    end: date | None,
) -> Any | None:
    t = _table(key, "openings")
    if t is None:
        return None
    t = _isin(t, "measure", measures)
    t = _isin(t, "country", countries)
    if posting_types:
        t = t.filter(t.posting_type.isin(list(posting_types)) | t.posting_type.isnull())
    if start is not None:
        t = t.filter(t.date.isnull() | (t.date >= start))
    if end is not None:
        t = t.filter(t.date.isnull() | (t.date <= end))
    return t


@st.cache_data(show_spinner=False, max_entries=256)
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
        return _empty("openings")
    frame = _run(t.order_by(["country", "measure", "posting_type", "date"]), exact)
    if not exact:
        frame["date"] = pd.to_datetime(frame["date"])
    return frame


@st.cache_data(show_spinner=False, max_entries=256)
def openings_latest(
    key: str,
    measure: str,
    posting_type: str | None = None,
    countries: tuple[str, ...] = (),
    end: date | None = None,
    exact: bool = False,
) -> pd.DataFrame:
    """Per country, the last value of a measure on or before `end` (undated figures as they are)."""
    t = _openings(key, (measure,), (posting_type,) if posting_type else (), countries, None, end)
    if t is None:
        return _empty("openings")
    last = t.group_by("country").aggregate(last_date=t.date.max())
    joined = t.join(last, "country").filter(
        (_.date == _.last_date) | (_.date.isnull() & _.last_date.isnull())
    )
    frame = _run(joined.drop("last_date").order_by("country"), exact)
    if not exact:
        frame["date"] = pd.to_datetime(frame["date"])
    return frame.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Sectors


@st.cache_data(show_spinner=False, max_entries=256)
def sector_series(
    key: str,
    countries: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
    start: date | None = None,
    end: date | None = None,
    posting_types: tuple[str, ...] = (),
    exact: bool = False,
) -> pd.DataFrame:
    t = _table(key, "sector_openings")
    if t is None:
        return _empty("sector_openings")
    t = _isin(
        _isin(_isin(t, "country", countries), "sector", sectors), "posting_type", posting_types
    )
    if start is not None:
        t = t.filter(t.date >= start)
    if end is not None:
        t = t.filter(t.date <= end)
    frame = _run(t.order_by(["country", "sector", "date"]), exact)
    if not exact:
        frame["date"] = pd.to_datetime(frame["date"])
    return frame


# --------------------------------------------------------------------------------------------
# Skills and education (O*NET and seed)


@st.cache_data(show_spinner=False, max_entries=32)
def occupations(key: str, table: str = "skills") -> pd.DataFrame:
    """Distinct (occupation_code, occupation) pairs with a code, sorted by name."""
    t = _table(key, table)
    if t is None:
        return pd.DataFrame(columns=["occupation_code", "occupation"])
    frame = _run(
        t.filter(t.occupation_code.notnull()).select("occupation_code", "occupation").distinct()
    )
    return frame.sort_values(["occupation", "occupation_code"]).reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=128)
def skills_for(
    key: str, codes: tuple[str, ...], hot_only: bool = False, exact: bool = False
) -> pd.DataFrame:
    """Technology skills of the chosen occupations (by O*NET code)."""
    t = _table(key, "skills")
    if t is None or not codes:
        return _empty("skills")
    t = t.filter(t.occupation_code.isin(list(codes)))
    if hot_only:
        t = t.filter(t.hot_technology.fill_null(False))
    return _run(t.order_by(["occupation", "category", "skill"]), exact)


@st.cache_data(show_spinner=False, max_entries=32)
def hot_ranking(key: str, prefix: str = TECH_SOC_PREFIX, top: int = 25) -> pd.DataFrame:
    """Technologies ranked by how many occupations (codes starting with `prefix`) list them hot."""
    t = _table(key, "skills")
    cols = ["skill", "occupations", "in_demand_occupations"]
    if t is None:
        return pd.DataFrame(columns=cols)
    hot = t.filter(t.occupation_code.startswith(prefix) & t.hot_technology.fill_null(False))
    agg = hot.group_by("skill").aggregate(
        occupations=hot.occupation_code.nunique(),
        in_demand_occupations=hot.occupation_code.nunique(where=hot.in_demand.fill_null(False)),
    )
    frame = _run(agg.order_by([ibis.desc("occupations"), "skill"]).limit(top))
    return frame[cols].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=128)
def hot_among(key: str, codes: tuple[str, ...], prefix: str = TECH_SOC_PREFIX) -> pd.DataFrame:
    """Hot technologies of the chosen occupations: how many of them list it, and how many of the
    occupations whose code starts with `prefix` (computer & math by default) do."""
    t = _table(key, "skills")
    cols = ["skill", "chosen", "occupations"]
    if t is None or not codes:
        return pd.DataFrame(columns=cols)
    hot = t.filter(t.occupation_code.notnull() & t.hot_technology.fill_null(False))
    tech = hot.filter(hot.occupation_code.startswith(prefix))
    everywhere = tech.group_by("skill").aggregate(occupations=tech.occupation_code.nunique())
    mine = hot.filter(hot.occupation_code.isin(list(codes)))
    chosen = mine.group_by("skill").aggregate(chosen=mine.occupation_code.nunique())
    joined = chosen.left_join(everywhere, "skill").select(
        "skill", "chosen", occupations=ibis.coalesce(_.occupations, 0)
    )
    frame = _run(joined.order_by([ibis.desc("chosen"), ibis.desc("occupations"), "skill"]))
    return frame[cols].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=32)
def seed_rows(key: str, table: str) -> pd.DataFrame:
    """The rows of a table without an occupation code (the seed article's tables)."""
    t = _table(key, table)
    if t is None:
        return _empty(table)
    if "occupation_code" in t.columns:
        t = t.filter(t.occupation_code.isnull())
    return _run(t)


@st.cache_data(show_spinner=False, max_entries=128)
def education_for(key: str, codes: tuple[str, ...], exact: bool = False) -> pd.DataFrame:
    t = _table(key, "education")
    if t is None or not codes:
        return _empty("education")
    t = t.filter(t.occupation_code.isin(list(codes)))
    return _run(t.order_by(["occupation", "level_order", "education_level"]), exact)


def sector_titles(key: str) -> pd.DataFrame:
    """Example job titles per Indeed sector (table `sector_titles`, when the source provides it)."""
    frame = small_table(key, "sector_titles")
    if frame.empty:
        return pd.DataFrame(columns=["source", "sector", "job_titles"])
    return frame
