"""What a salary selection is made of: shares by country, currency, type, size, year, repeats."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from dashboard.data.core import cached, run
from dashboard.data.salaries import SalaryQuery, matching_salaries

# The columns a composition is given for, with what the panel calls them.
DIMENSIONS = {
    "employee_residence": "Country (residence)",
    "salary_currency": "Currency",
    "employment_type": "Employment type",
    "company_size": "Company size",
    "work_year": "Work year",
}
DOMINANT = 80.0  # % of the reports: above this, one value is said to dominate


@cached(max_entries=256)
def composition(key: str, q: SalaryQuery) -> dict[str, Any]:
    """For the reports matching `q` (counted as `q.dedupe` says): per dimension a frame of
    `value`, `n` and `share` (%), most reports first; `n` the reports counted; `rows` and
    `repeated` the matching rows with repeats and how many of them repeat an earlier row field
    for field (None when the data has no duplicate flag); `known`: the source's own lopsided
    values (`known_properties`)."""
    return _composition(key, q) | {"known": known_properties(key, unfiltered(q))}


def unfiltered(q: SalaryQuery) -> SalaryQuery:
    """`q` without any filter: every report, counted as `q` counts them (`dedupe`)."""
    kept = ("dedupe", "country_field")
    return dataclasses.replace(
        q, **{f.name: f.default for f in dataclasses.fields(q) if f.name not in kept}
    )


@cached(max_entries=4)
def known_properties(key: str, everything: SalaryQuery) -> list[tuple[str, str, float]]:
    """(dimension, value, share) where one value holds ≥ DOMINANT % of all the reports
    (`everything`: `unfiltered`), such as 99 % full-time and 96 % medium companies in
    aijobs.net: a property of the source, true of nearly every selection, not something a
    filter did."""
    whole = _composition(key, everything)
    return [
        (column, str(frame.iloc[0]["value"]), float(frame.iloc[0]["share"]))
        for column, frame in whole["shares"].items()
        if not frame.empty and float(frame.iloc[0]["share"]) >= DOMINANT
    ]


def _composition(key: str, q: SalaryQuery) -> dict[str, Any]:
    t = matching_salaries(key, q)
    if t is None:
        return {"n": 0, "rows": 0, "repeated": None, "shares": {}}
    shares = {}
    for column in DIMENSIONS:
        counts = run(t.group_by(column).aggregate(n=t.count()))
        counts = counts.rename(columns={column: "value"}).sort_values(
            ["n", "value"], ascending=[False, True], ignore_index=True
        )
        total = counts["n"].sum()
        counts["share"] = 100.0 * counts["n"] / total if total else 0.0
        counts["value"] = counts["value"].astype(str)
        shares[column] = counts
    n = int(shares["work_year"]["n"].sum())
    everything = matching_salaries(key, dataclasses.replace(q, dedupe=False))
    repeated = None
    rows = n
    if "exact_duplicate" in everything.columns:
        flags = run(
            everything.aggregate(
                rows=everything.count(),
                repeated=everything.exact_duplicate.fill_null(False).cast("int64").sum(),
            )
        )
        rows = int(flags["rows"].iloc[0])
        repeated = int(flags["repeated"].iloc[0] or 0) if rows else 0
    return {"n": n, "rows": rows, "repeated": repeated, "shares": shares}


def pinned(q: SalaryQuery) -> set[str]:
    """The dimensions the filter itself holds to one value (100 % there is no news), and the
    currency once the country is one."""
    out = set()
    if len(q.countries) == 1:
        # one country: the local currency is expected, not a bias
        out.add("salary_currency")
        if q.country_field == "employee_residence":
            out.add("employee_residence")
    if len(q.employment) == 1:
        out.add("employment_type")
    if len(q.sizes) == 1:
        out.add("company_size")
    if q.year_from is not None and q.year_from == q.year_to:
        out.add("work_year")
    return out


def dominant(info: dict[str, Any], q: SalaryQuery) -> list[tuple[str, str, float]]:
    """(dimension, value, share) for each dimension where one value holds ≥ DOMINANT % of the
    reports and the filter made it so: leaving out the dimensions the filter pins to that one
    value and the values the whole source is as lopsided on (`info["known"]`)."""
    known = {(column, value) for column, value, _share in info.get("known", ())}
    out = []
    for column, frame in info["shares"].items():
        if column in pinned(q) or frame.empty:
            continue
        top = frame.iloc[0]
        if float(top["share"]) >= DOMINANT and (column, str(top["value"])) not in known:
            out.append((column, str(top["value"]), float(top["share"])))
    return out


def top_shares(info: dict[str, Any], most: int = 5) -> pd.DataFrame:
    """A long table for display: dimension, value, reports, share (the `most` largest values of
    each dimension, the rest as one `other` row)."""
    parts = []
    for column, frame in info["shares"].items():
        head = frame.head(most)
        rest = frame.iloc[most:]
        if len(rest):
            other = {
                "value": f"{len(rest)} other",
                "n": rest["n"].sum(),
                "share": rest["share"].sum(),
            }
            head = pd.concat([head, pd.DataFrame([other])], ignore_index=True)
        parts.append(head.assign(dimension=DIMENSIONS[column]))
    if not parts:
        return pd.DataFrame(columns=["dimension", "value", "reports", "share"])
    out = pd.concat(parts, ignore_index=True).rename(columns={"n": "reports"})
    out["share"] = out["share"].round(1)
    return out[["dimension", "value", "reports", "share"]]
