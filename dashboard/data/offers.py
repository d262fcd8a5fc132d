"""Where an offer stands: the matching salary reports (widened step by step when few), the
exchange rate the data's own reports imply, and the official OEWS band of the mapped occupation."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from dashboard.data.core import cached, run, table
from dashboard.data.salaries import SalaryQuery, matching_salaries
from dashboard.data.wages import family_occupations, wages_for
from etl.catalog import countries

MIN_REPORTS = 30  # below this a group is widened one step at a time


@dataclass(frozen=True)
class Offer:
    """The group an offer is compared with: `base` holds one value of each salary filter
    (empty = any), as the filters' query builder made it."""

    base: SalaryQuery

    @property
    def family(self) -> str | None:
        return self.base.families[0] if self.base.families else None

    @property
    def country(self) -> str | None:
        return self.base.countries[0] if self.base.countries else None

    @property
    def year(self) -> int | None:
        return self.base.year_from

    def query(self, widened: tuple[str, ...] = ()) -> SalaryQuery:
        """The salary filters of this group, with the `widened` dimensions let go."""
        changes: dict[str, Any] = {}
        if self.year is not None and "years" in widened:
            changes |= {"year_from": self.year - 1, "year_to": self.year + 1}
        if self.country and "region" in widened:
            members = countries.region_members(countries.region(self.country) or "")
            changes["countries"] = members or self.base.countries
        for name, field in (("remote", "remote"), ("size", "sizes")):
            if name in widened:
                changes[field] = ()
        return replace(self.base, **changes)

    def widenings(self) -> list[tuple[str, str]]:
        """The steps that would widen this group, in order, each with what it now takes in."""
        steps = []
        if self.base.remote:
            steps.append(("remote", "any remote ratio"))
        if self.base.sizes:
            steps.append(("size", "any company size"))
        if self.year is not None:
            steps.append(("years", f"work years {self.year - 1}–{self.year + 1}"))
        place = countries.region(self.country) if self.country else None
        if place and len(countries.region_members(place)) > 1:
            steps.append(("region", f"all of {place}"))
        return steps


@cached(max_entries=512)
def salary_values(key: str, q: SalaryQuery) -> np.ndarray:
    """The pay of the reports matching `q`, in its unit (sorted)."""
    t = matching_salaries(key, q)
    if t is None:
        return np.zeros(0)
    values = run(t.select("pay"))["pay"].to_numpy(dtype=float)
    return np.sort(values[np.isfinite(values)])


@cached(max_entries=256)
def offer_group(key: str, offer: Offer) -> dict[str, Any]:
    """The reports an offer is compared with. `steps` lists the exact group and each widening
    used, with its n; the group stops widening once it has `MIN_REPORTS` reports (or when no
    step is left). `values` are the final group's USD salaries, `query` its filters."""
    widened: tuple[str, ...] = ()
    values = salary_values(key, offer.query())
    steps = [{"step": "exact match", "n": len(values)}]
    for name, label in offer.widenings():
        if len(values) >= MIN_REPORTS:
            break
        widened += (name,)
        values = salary_values(key, offer.query(widened))
        steps.append({"step": label, "n": len(values)})
    return {"steps": pd.DataFrame(steps), "values": values, "query": offer.query(widened)}


def other_settings(q: SalaryQuery) -> list[tuple[str, SalaryQuery]]:
    """The group `q` under the other choice of each setting its defaults fix, each with what it
    then takes in: every employment type (when one is chosen), and identical reports counted
    each time (or once, when the switch is off)."""
    out = []
    if q.employment:
        out.append(
            (f"any employment type, not only {', '.join(q.employment)}", replace(q, employment=()))
        )
    counted = (
        "every row counted, identical reports each time"
        if q.dedupe
        else "identical reports counted once"
    )
    out.append((counted, replace(q, dedupe=not q.dedupe)))
    return out


@cached(max_entries=128)
def implied_rate(key: str, currency: str, year: int | None) -> dict[str, Any]:
    """USD per unit of `currency`, as the data's own reports convert it: the median of
    salary_usd / salary over the reports paid in that currency in `year` (or the nearest year
    that has such reports). `n` is how many reports the rate rests on; None when there are none."""
    if currency == "USD":
        return {"rate": 1.0, "n": None, "year": year}
    t = table(key, "salaries")
    if t is None:
        return {"rate": None, "n": 0, "year": year}
    paid = t.filter((t.salary_currency == currency) & (t.salary > 0))
    ratio = (paid.salary_usd / paid.salary).name("ratio")
    by_year = run(
        paid.mutate(ratio=ratio)
        .group_by("work_year")
        .aggregate(rate=lambda s: s.ratio.median(), n=lambda s: s.count())
        .order_by("work_year")
    )
    if by_year.empty:
        return {"rate": None, "n": 0, "year": year}
    target = year if year is not None else int(by_year["work_year"].max())
    distance = (by_year["work_year"] - target).abs()
    row = by_year.loc[distance.idxmin()]  # the year itself, else the nearest (earlier on a tie)
    return {"rate": float(row["rate"]), "n": int(row["n"]), "year": int(row["work_year"])}


@cached(max_entries=128)
def currencies(key: str) -> list[str]:
    """Currencies salary reports were paid in, the most used first (USD first)."""
    t = table(key, "salaries")
    if t is None:
        return ["USD"]
    counts = run(t.group_by("salary_currency").aggregate(n=lambda s: s.count()))
    ordered = counts.sort_values(["n", "salary_currency"], ascending=[False, True])
    names = [c for c in ordered["salary_currency"] if c != "USD"]
    return ["USD", *names]


def official_band(
    key: str, family: str | None, state: str | None, soc: str | None = None
) -> pd.DataFrame:
    """The OEWS national wages (and the `state`'s, when given) of occupation `soc`, or when
    none is given of the occupation a job family maps to (its closest fit), with a note on how
    it was chosen; empty when there is neither or OEWS is not loaded."""
    links = family_occupations(key)
    closest = links[(links["job_family"] == family) & (links["fit"] == "closest")]
    if soc:
        note = "the occupation you chose"
    elif family and not closest.empty:
        soc, note = str(closest["occupation_code"].iloc[0]), str(closest["note"].iloc[0])
    else:
        return pd.DataFrame()
    codes = (soc,)
    parts = [wages_for(key, codes, "national")]
    if state:
        states = wages_for(key, codes, "state")
        parts.append(states[states["state"] == state])
    wages = (
        pd.concat([p for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else pd.DataFrame()
    )
    if wages.empty:
        return wages
    return wages.assign(mapping_note=note)
