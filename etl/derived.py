"""Tables derived at publish time from the published rows (today: salary counts for percentiles)."""

from __future__ import annotations

import pandas as pd

# The salary filters and groupings of the dashboard; a count per distinct salary within each
# combination of them is enough to give exact percentiles for any filter set (issue 11).
SALARY_DIMS = (
    "source",
    "work_year",
    "employee_residence",
    "company_country",
    "experience_level",
    "job_family",
    "employment_type",
    "remote_ratio",
    "company_size",
)
# Sort order of the published files: the most selective filters first, so that a filter on year
# or country reads a few row groups, not the whole file.
SORT_KEYS = {
    "salaries": ("work_year", "employee_residence", "experience_level", "job_family", "salary_usd"),
    "salary_counts": (
        "work_year",
        "employee_residence",
        "experience_level",
        "job_family",
        "salary_usd",
    ),
}
SORT_KEYS["occupation_wages"] = ("areatype", "state", "area_code", "occupation_code")
DERIVED = {"salary_counts": "salaries"}  # derived table -> the table it is computed from


def salary_counts(salaries: pd.DataFrame | str) -> pd.DataFrame:
    """Rows per distinct salary_usd in each combination of SALARY_DIMS: `n` counts every report,
    `n_first` counts a report that repeats another one field for field once. `salaries` is the
    rows, or a glob of Parquet files holding them (a table written in parts)."""
    import duckdb  # only a publish needs it; an unchanged refresh should not pay the import

    dims = ", ".join(SALARY_DIMS)
    con = duckdb.connect()
    try:
        if isinstance(salaries, str):
            con.sql(f"CREATE VIEW salaries AS SELECT * FROM read_parquet('{salaries}')")
            columns = con.sql("SELECT * FROM salaries LIMIT 0").columns
        else:
            con.register("salaries", salaries)
            columns = list(salaries.columns)
        flag = "exact_duplicate" if "exact_duplicate" in columns else "NULL::BOOLEAN"
        return con.sql(
            f"SELECT {dims}, salary_usd, COUNT(*) AS n,"
            f" COUNT(*) FILTER (WHERE NOT COALESCE({flag}, FALSE)) AS n_first"
            f" FROM salaries WHERE salary_usd IS NOT NULL GROUP BY ALL"
            f" ORDER BY {', '.join(SORT_KEYS['salary_counts'])}"
        ).df()
    finally:
        con.close()


def add(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """`tables` plus every derived table whose base table is there (recomputed, never merged)."""
    out = {name: frame for name, frame in tables.items() if name not in DERIVED}
    if "salaries" in out and len(out["salaries"]):
        out["salary_counts"] = salary_counts(out["salaries"])
    return out
