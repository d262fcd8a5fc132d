"""Each export button downloads a file (CSV, Excel, Parquet) whose rows are exactly the filtered
rows: the file is parsed and compared with the same filter computed with pandas on the Parquet
tables the server reads."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.browser import EXPORT_FORMATS, download, errors, goto, page_spec
from tests.browser.actions import open_section

pytestmark = pytest.mark.e2e

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]00:00:00)?$")
NUMBER_TEXT = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")


def table(data_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(data_dir / "processed" / f"{name}.parquet")


def salaries_de_mid_senior(data_dir: Path) -> pd.DataFrame:
    # The defaults: the latest complete work year (2024 in the 2025-01-19 snapshot) and
    # identical reports counted once.
    t = table(data_dir, "salaries")
    return t[
        (t["employee_residence"] == "DE")
        & t["experience_level"].isin(["Mid", "Senior"])
        & (t["work_year"] == 2024)
        & ~t["exact_duplicate"]
    ]


def openings_index_de_fr_new_2024(data_dir: Path) -> pd.DataFrame:
    t = table(data_dir, "openings")
    day = pd.to_datetime(t["date"])
    return t[
        (t["measure"] == "postings_index_sa")
        & t["country"].isin(["DE", "FR"])
        & (t["posting_type"].isna() | (t["posting_type"] == "new"))
        & (day.isna() | ((day >= "2024-01-01") & (day <= "2024-06-30")))
    ]


def sectors_gb(data_dir: Path) -> pd.DataFrame:
    t = table(data_dir, "sector_openings")
    return t[(t["country"] == "GB") & t["sector"].isin(["Nursing", "Software Development"])]


def skills_statisticians_hot(data_dir: Path) -> pd.DataFrame:
    """The table the Skills page shows, one row per technology (its export has that grain),
    built by hand for one occupation: every technology is hot for it."""
    t = table(data_dir, "skills")
    hot = t[(t["occupation_code"] == "15-2041.00") & t["hot_technology"].fillna(False)]
    marks = hot["in_demand"].fillna(False).map({True: "hot, in demand", False: "hot"})
    return pd.DataFrame(
        {
            "category": hot["category"].to_numpy(),
            "technology": hot["skill"].to_numpy(),
            "hot for": 1,
            "occupations": 1,
            "Statisticians": marks.to_numpy(),
        }
    )


def education_two_occupations(data_dir: Path) -> pd.DataFrame:
    t = table(data_dir, "education")
    return t[t["occupation_code"].isin(["15-2041.00", "15-1221.00"])]


def seed_openings_de_us(data_dir: Path) -> pd.DataFrame:
    t = table(data_dir, "openings")
    return t[(t["measure"] == "job_openings") & t["country"].isin(["DE", "US"])]


@dataclass(frozen=True)
class ExportCase:
    kinds: tuple[str, ...]  # data sets the case runs on
    path: str  # the page's registry path
    query: list[tuple[str, str]]  # URL parameters = the filters
    key: str  # export_<key>_<fmt> buttons
    table: str | None  # the processed table the rows come from (None: a derived table)
    expected: Callable[[Path], pd.DataFrame]  # the filtered rows, computed with pandas
    stem: str  # the file name without its extension: it says what the file holds
    section: str | None = None  # the on-demand section (ui.on_demand) the buttons are in


CASES = [
    ExportCase(
        ("real",),
        "salaries",
        [("country", "DE"), ("level", "Mid"), ("level", "Senior")],
        "salaries",
        "salaries",
        salaries_de_mid_senior,
        "salaries_DE_Mid-Senior_2024",
    ),
    ExportCase(
        ("real",),
        "openings",
        [
            ("country", "DE"),
            ("country", "FR"),
            ("posting", "new"),
            ("start", "2024-01-01"),
            ("end", "2024-06-30"),
        ],
        "openings_index",
        "openings",
        openings_index_de_fr_new_2024,
        "openings_index_FR-DE_sa_new",
    ),
    ExportCase(
        ("real",),
        "industries",
        [("country", "GB"), ("sector", "Nursing"), ("sector", "Software Development")],
        "sector_openings",
        "sector_openings",
        sectors_gb,
        "sector_openings_GB",
    ),
    ExportCase(
        ("real",),
        "skills",
        [("occupation", "15-2041.00"), ("hot_only", "1")],
        "skills",
        None,
        skills_statisticians_hot,
        "skills_15-2041.00_hot",
    ),
    ExportCase(
        ("real",),
        "education",
        [("occupation", "15-2041.00"), ("occupation", "15-1221.00")],
        "education",
        "education",
        education_two_occupations,
        "education_15-1221.00-15-2041.00",
    ),
    ExportCase(
        ("seed", "real"),
        "openings",
        [("country", "DE"), ("country", "US")],
        "openings_seed",
        "openings",
        seed_openings_de_us,
        "openings_seed_DE-US",
        section="Job openings by country (seed article, undated counts)",
    ),
]
PARAMS = [
    pytest.param(kind, case, id=f"{kind}-{case.key}") for case in CASES for kind in case.kinds
]


def canonical(value: object) -> str:
    """One text form per value, whatever the file format made of it (CSV text, Excel cells,
    Parquet types): empty for missing, ISO dates, booleans as 0/1, numbers to 10 significant
    digits. (Parquet types are checked separately.)"""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "1" if value else "0"  # Excel readers may give booleans back as 0/1
    if isinstance(value, datetime | pd.Timestamp):
        return value.isoformat()[:10] if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) or hasattr(value, "dtype"):
        return format(float(value), ".10g")
    text = str(value)
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        text = text[1:]  # the export's formula neutralization
    if text.lower() in ("true", "false"):
        return "1" if text.lower() == "true" else "0"
    if DATE_TEXT.match(text):
        return text[:10]
    if NUMBER_TEXT.match(text):
        return format(float(text), ".10g")
    return text


def arrow_kind(dtype: pa.DataType) -> str:
    """A coarse logical type: string and large_string are text, date32 and timestamp a date."""
    if pa.types.is_boolean(dtype):
        return "bool"
    if pa.types.is_integer(dtype):
        return "int"
    if pa.types.is_floating(dtype) or pa.types.is_decimal(dtype):
        return "float"
    if pa.types.is_date(dtype) or pa.types.is_timestamp(dtype):
        return "date"
    if pa.types.is_string(dtype) or pa.types.is_large_string(dtype):
        return "text"
    return str(dtype)


def rows(frame: pd.DataFrame, columns: list[str]) -> Counter:
    cols = [frame[c].astype(object).tolist() for c in columns]
    return Counter(tuple(canonical(v) for v in row) for row in zip(*cols, strict=True))


def read_export(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        data = path.read_bytes()
        lines = data.decode("utf-8").splitlines()
        skip = int(re.match(r"# jobmarket export: the first (\d+) lines", lines[0]).group(1))
        assert all(line.startswith("# ") for line in lines[:skip]), "provenance lines"
        assert any("licence" in line for line in lines[:skip]), "the CSV names its licence"
        # keep_default_na=False: "NA" (Namibia) is a country code, not a missing value.
        return pd.read_csv(path, skiprows=skip, dtype=str, keep_default_na=False, na_values=[""])
    if path.suffix == ".xlsx":
        sheets = pd.read_excel(path, sheet_name=None, keep_default_na=False, na_values=[""])
        assert set(sheets) == {"Data", "About"}, list(sheets)
        return sheets["Data"]
    return pd.read_parquet(path)


@pytest.mark.parametrize(("app_server", "case"), PARAMS, indirect=["app_server"])
def test_each_export_downloads_exactly_the_filtered_rows(
    app_server, page, run, tmp_path, case: ExportCase
) -> None:
    run(goto(page, page_spec(case.path).url(app_server.url, urlencode(case.query))))
    assert run(errors(page)) == []
    if case.section:
        run(open_section(page, case.section))
    key = case.key
    want = case.expected(app_server.data_dir).reset_index(drop=True)
    assert len(want) > 0, "the case must select some rows"
    for fmt in EXPORT_FORMATS:
        try:
            target = run(download(page, f"export_{key}_{fmt}", tmp_path))
        except AssertionError as exc:  # the server log has the traceback
            raise AssertionError(f"{exc}\n--- server log ---\n{app_server.log(3000)}") from None
        assert target.name == f"{case.stem}.{fmt}", target.name
        got = read_export(target)
        assert set(got.columns) == set(want.columns), (fmt, sorted(got.columns))
        assert len(got) == len(want), f"{fmt}: {len(got)} rows, expected {len(want)}"
        columns = list(want.columns)
        missing = rows(want, columns) - rows(got, columns)
        extra = rows(got, columns) - rows(want, columns)
        assert not missing and not extra, (
            f"{fmt}: rows differ; missing {list(missing)[:3]}, unexpected {list(extra)[:3]}"
        )
        if fmt == "parquet" and case.table is not None:
            schema = pq.read_schema(target)
            assert schema.metadata[b"row_count"].decode() == str(len(want))
            source = pq.read_schema(app_server.data_dir / "processed" / f"{case.table}.parquet")
            for column in want.columns:  # Parquet keeps the types of the table
                got_kind = arrow_kind(schema.field(column).type)
                assert got_kind == arrow_kind(source.field(column).type), (column, got_kind)
    assert run(errors(page)) == []
