"""Filters in words: one wording for the page caption, the exports and a query's group."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dashboard import fmt
from dashboard.data import SalaryQuery
from dashboard.filters.options import Options
from dashboard.filters.specs import SALARY_FILTERS, SPECS


def describe(state: Mapping[str, Any], options: Options, names: Iterable[str]) -> dict[str, str]:
    """The filters of `names` that say something, as label -> readable value (the caption and
    the exports): a filter off its default, a non-empty default, and always the work years."""
    out = {}
    for name in names:
        spec = SPECS[name]
        if not spec.available(options):
            continue
        text = spec.words(state.get(name), options)
        if text is not None:
            out[spec.label] = text
    return out


def summary(state: Mapping[str, Any], options: Options, names: Iterable[str]) -> str:
    """One line naming the active filters of a page, e.g. for the top of the page."""
    parts = [f"**{k}**: {fmt.md(v)}" for k, v in describe(state, options, names).items()]
    return "Filters: " + (" · ".join(parts) if parts else "none (all data)")


def query_state(query: SalaryQuery) -> dict[str, Any]:
    """The salary filters' state that a query stands for (the inverse of `salary_query`)."""
    years = (query.year_from, query.year_to)
    return {
        "country": query.countries,
        "country_of": "company" if query.country_field == "company_country" else "residence",
        "years": None if years == (None, None) else years,
        "level": query.levels,
        "family": query.families,
        "employment": query.employment,
        "remote": tuple(str(v) for v in query.remote),
        "size": query.sizes,
        "dedupe": query.dedupe,
        "money": query.money,
    }


def describe_query(query: SalaryQuery, options: Options) -> dict[str, str]:
    """A salary query in the filters' own words (an export of a widened or segment group)."""
    return describe(query_state(query), options, SALARY_FILTERS)
