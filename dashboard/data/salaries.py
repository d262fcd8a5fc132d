"""Salary queries: per-group percentiles with n, the matching reports, the years covered."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import ibis
import numpy as np
import pandas as pd

from dashboard.data.core import cached, empty, in_memory, isin, manifest_of, run, table
from dashboard.data.money import convert
from dashboard.stats import PCT_COLUMNS, PERCENTILES, STAT_COLUMNS

COUNTRY_FIELDS = ("employee_residence", "company_country")
# An export's column for the converted pay, beside salary_usd.
PAY_COLUMNS = {"real": "salary_usd_cpi_adjusted", "ppp": "salary_intl_dollars_ppp"}
# Count a report that repeats another one field for field once: the salary views' default.
DEDUPE_DEFAULT = True


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
    dedupe: bool = DEDUPE_DEFAULT  # count rows that repeat another row field for field once
    money: str = "usd"  # the unit of `pay`: usd (as reported), real (CPI-U) or ppp

    def file_parts(self) -> list[str]:
        """What an export file name says about this selection: `US`, `Senior`, `2024`."""

        def few(values: tuple, what: str, most: int = 3) -> list[str]:
            if not values:
                return []
            return ["-".join(map(str, values))] if len(values) <= most else [f"{len(values)}{what}"]

        parts = few(self.countries, "countries") + few(self.levels, "levels")
        parts += few(self.families, "families", 2) + few(self.employment, "types", 2)
        parts += [f"remote{'-'.join(map(str, self.remote))}"] if self.remote else []
        parts += [f"size{'-'.join(self.sizes)}"] if self.sizes else []
        if self.year_from is not None or self.year_to is not None:
            years = (self.year_from, self.year_to)
            parts.append(str(years[0]) if years[0] == years[1] else f"{years[0]}-{years[1]}")
        return parts


def _restrict(t: Any, q: SalaryQuery) -> Any:
    """`t` (salaries or salary_counts) restricted to the filters of `q`, except `dedupe`."""
    if q.country_field not in COUNTRY_FIELDS:
        raise ValueError(f"unknown country field {q.country_field!r}")
    t = isin(t, q.country_field, q.countries)
    if q.year_from is not None:
        t = t.filter(t.work_year >= q.year_from)
    if q.year_to is not None:
        t = t.filter(t.work_year <= q.year_to)
    t = isin(t, "experience_level", q.levels)
    t = isin(t, "job_family", q.families)
    t = isin(t, "employment_type", q.employment)
    t = isin(t, "remote_ratio", q.remote)
    return isin(t, "company_size", q.sizes)


def matching_salaries(key: str, q: SalaryQuery) -> Any | None:
    """The salaries table (an Ibis expression) restricted to `q`, with `pay`, the salary in
    `q.money`'s unit (rows that unit cannot convert left out); None without salaries."""
    t = table(key, "salaries")
    if t is None:
        return None
    t = _restrict(t, q)
    if q.dedupe and "exact_duplicate" in t.columns:
        t = t.filter(~t.exact_duplicate.fill_null(False))
    return convert(key, t, q.money)


@cached(max_entries=256)
def left_out(key: str, q: SalaryQuery) -> int:
    """How many reports matching `q` its unit cannot convert (no PPP factor or rate)."""
    if q.money == "usd":
        return 0
    every = matching_salaries(key, replace(q, money="usd"))
    kept = matching_salaries(key, q)
    if every is None or kept is None:
        return 0
    count = run(every.aggregate(n=every.count()))["n"].iloc[0]
    return int(count) - int(run(kept.aggregate(n=kept.count()))["n"].iloc[0])


def _counts(key: str, q: SalaryQuery) -> Any | None:
    """Rows per distinct salary (`w`) under the filters: the published salary_counts table, or
    the same counts from the salary rows of a data version written before it existed."""
    t = table(key, "salary_counts")
    if t is None:
        rows = table(key, "salaries")
        if rows is None:
            return None
        repeat = (
            rows.exact_duplicate.fill_null(False) if "exact_duplicate" in rows.columns else None
        )
        t = rows.mutate(
            n=ibis.literal(1, "int64"),
            n_first=ibis.literal(1, "int64") if repeat is None else repeat.ifelse(0, 1),
        )
    t = convert(key, _restrict(t, q), q.money)
    return t.mutate(w=t.n_first if q.dedupe else t.n)


BUCKET_USD = 1000  # width of the coarse salary bands the percentile search narrows down with


# The ranks each group needs: for every percentile the value below it and the one above it.
# One table for the module's life, so an engine registers it once, not on every query.
_WANTED = ibis.memtable(
    {
        "pct": [name for name in PCT_COLUMNS for _ in (0, 1)],
        "side": ["lo", "hi"] * len(PCT_COLUMNS),
        "p": [p for p in PERCENTILES for _ in (0, 1)],
    }
)


def _ranked(t: Any, keys: list[str], order: str) -> Any:
    """`t` with `run` (running weight by `order` within `keys`) and `total` (weight of `keys`)."""
    return t.mutate(
        run=t.w.sum().over(ibis.cumulative_window(group_by=keys, order_by=t[order])),
        total=t.w.sum().over(ibis.window(group_by=keys)),
    )


def _percentile_query(t: Any, keys: list[str]) -> Any:
    """n and, per percentile, the two salaries it falls between, from counts per salary.

    Exact: with N reports sorted by salary, quantile_cont(p) sits at 0-based rank h = (N-1)p,
    between the values at ranks floor(h) and ceil(h). The search is in two steps so that no step
    sorts all distinct salaries: running counts per $1,000 band say which band holds each rank
    and where in it, then only those bands' salaries are ranked. Joins and windows only, so the
    same query runs on DuckDB and Spark."""
    bands = t.mutate(band=(t.pay / BUCKET_USD).floor().cast("int64"))
    coarse = bands.group_by([*keys, "band"]).aggregate(w=bands.w.sum())
    coarse = _ranked(coarse.filter(coarse.w > 0), keys, "band")
    targets = coarse.cross_join(_WANTED)
    h = (targets.total - 1) * targets.p
    targets = targets.mutate(rank=(targets.side == "lo").ifelse(h.floor(), h.ceil()).cast("int64"))
    before = targets.run - targets.w
    targets = targets.filter((before <= targets.rank) & (targets.rank < targets.run))
    targets = targets.select(
        *keys, "band", "pct", "side", n_all=targets.total, offset=targets.rank - before
    )
    needed = targets.select(*keys, "band").distinct()
    fine = bands.semi_join(needed, [*keys, "band"])
    fine = fine.group_by([*keys, "band", "pay"]).aggregate(w=fine.w.sum())
    fine = _ranked(fine.filter(fine.w > 0), [*keys, "band"], "pay")
    hits = fine.join(targets, [*keys, "band"])
    hits = hits.filter(hits.run > hits.offset)
    values = hits.group_by([*keys, "pct", "side"]).aggregate(
        value=hits.pay.min(), n=hits.n_all.max()
    )
    aggs: dict[str, Any] = {"n": values.n.max()}
    for name in PCT_COLUMNS:
        for side in ("lo", "hi"):
            pick = (values.pct == name) & (values.side == side)
            aggs[f"{name}_{side}"] = values.value.max(where=pick)
    return values.group_by(keys).aggregate(**aggs)


def _interpolate(frame: pd.DataFrame) -> pd.DataFrame:
    """p10 … p90 from the two neighbouring salaries of each percentile (linear, as numpy)."""
    n = frame["n"].astype("float64")
    out = frame.drop(columns=[c for c in frame.columns if c.endswith(("_lo", "_hi"))])
    for p, name in zip(PERCENTILES, PCT_COLUMNS, strict=True):
        h = (n - 1) * p
        frac = h - np.floor(h)
        lo = frame[f"{name}_lo"].astype("float64")
        hi = frame[f"{name}_hi"].astype("float64")
        out[name] = lo + (hi - lo) * frac
    return out


def _rows_query(t: Any, keys: list[str]) -> Any:
    """n and the percentiles as one list, by one QUANTILE_CONT call over the rows (DuckDB)."""
    aggs = {"n": t.count(), "q": t.pay.quantile(list(PERCENTILES))}
    return t.group_by(keys).aggregate(**aggs)


def _spread(frame: pd.DataFrame) -> pd.DataFrame:
    """The list of percentiles from one quantile call, as p10 … p90 columns."""
    values = [list(q) if q is not None else [float("nan")] * len(PCT_COLUMNS) for q in frame["q"]]
    spread = pd.DataFrame(values, columns=PCT_COLUMNS, index=frame.index, dtype="float64")
    return pd.concat([frame.drop(columns=["q"]), spread], axis=1)


@cached(max_entries=512)
def salary_stats(key: str, q: SalaryQuery, by: str | None = None) -> pd.DataFrame:
    """n and p10/p25/p50/p75/p90 of the pay in `q.money`'s unit, overall or per group of `by`
    (combined filter), exactly as pandas' or DuckDB's linear quantile on the matching rows."""
    # Small tables live in DuckDB's memory, where one sort of the matching rows is quickest;
    # big ones (or Spark) search the published counts per distinct salary instead. A PPP figure
    # depends on each report's own currency and amount, which the counts do not keep.
    rows = table(key, "salaries") is not None and (in_memory(key, "salaries") or q.money == "ppp")
    t = matching_salaries(key, q) if rows else _counts(key, q)
    cols = ([by] if by else []) + STAT_COLUMNS
    if t is None:
        return pd.DataFrame(columns=cols)
    if by:
        t = t.filter(t[by].notnull())
        keys = [by]
    else:  # one group: a constant key keeps the query the same shape
        t, keys = t.mutate(all_rows=ibis.literal(1)), ["all_rows"]
    if rows:
        frame = _spread(run(_rows_query(t, keys)))
    else:
        frame = _interpolate(run(_percentile_query(t, keys)))
    frame["n"] = frame["n"].fillna(0).astype("int64")
    frame = frame.loc[frame["n"] > 0]
    if by:
        frame = frame.sort_values(by)
    return frame[cols].reset_index(drop=True)


def salary_rows(key: str, q: SalaryQuery, exact: bool = True) -> pd.DataFrame:
    """Exactly the salary reports that match the filters (what an export holds). Not cached:
    an export runs once per click, and pickling millions of rows into the cache costs more
    than the query."""
    t = matching_salaries(key, q)
    if t is None:
        return empty("salaries")
    frame = run(t, exact)
    if q.money == "usd":
        return frame.drop(columns=["pay"])
    # the converted pay beside the reported one, named with its unit
    pay = frame.pop("pay")
    frame.insert(frame.columns.get_loc("salary_usd") + 1, PAY_COLUMNS[q.money], pay)
    return frame


@cached(max_entries=16)
def coverage(key: str) -> dict[str, Any]:
    """Which work years the salary snapshot covers completely: `snapshot` (ISO date or None),
    `partial` (years after the snapshot's last complete year) and `latest_complete`."""
    bounds = year_bounds(key)
    if bounds is None:
        return {"snapshot": None, "partial": (), "latest_complete": None}
    sources = manifest_of(key).get("sources", {})
    dates = []
    for name in manifest_of(key).get("tables", {}).get("salaries", {}).get("sources", []):
        info = sources.get(name, {})
        # Data published before the ETL dated snapshots says only a year: the refresh day is
        # then the latest the snapshot can be.
        for stamp in (info.get("as_of"), info.get("refreshed_at")):
            try:
                dates.append(date.fromisoformat(str(stamp)[:10]))
                break
            except ValueError:
                continue
    if not dates:  # an undated snapshot: nothing can be called partial
        return {"snapshot": None, "partial": (), "latest_complete": bounds[1]}
    snapshot = max(dates)
    partial = tuple(y for y in range(bounds[0], bounds[1] + 1) if date(y, 12, 31) > snapshot)
    complete = [y for y in range(bounds[0], bounds[1] + 1) if y not in partial]
    return {
        "snapshot": snapshot.isoformat(),
        "partial": partial,
        "latest_complete": complete[-1] if complete else bounds[1],
    }


@cached(max_entries=16)
def year_bounds(key: str) -> tuple[int, int] | None:
    """First and last work year of the salary reports, or None when there are none."""
    t = table(key, "salaries")
    if t is None:
        return None
    frame = run(t.aggregate(lo=t.work_year.min(), hi=t.work_year.max()))
    if frame.empty or pd.isna(frame.loc[0, "lo"]):
        return None
    return int(frame.loc[0, "lo"]), int(frame.loc[0, "hi"])


def seed_means(levels: pd.DataFrame) -> pd.DataFrame:
    """The seed article's published means by level (its `salary_levels` rows of mean)."""
    return levels.loc[levels["statistic"] == "mean"].reset_index(drop=True)
