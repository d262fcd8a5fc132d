"""What each sidebar filter may take on a data version (one cached query per version)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from dashboard import fmt
from dashboard.data.core import cached, date_bounds, distinct
from dashboard.data.growth import growth_filter_options
from dashboard.data.money import money_basis
from dashboard.data.offers import currencies
from dashboard.data.openings import INDEX_MEASURES
from dashboard.data.regions import regions_filter_options
from dashboard.data.salaries import coverage, year_bounds
from dashboard.data.skill_pay import skill_pay_filter_options
from dashboard.data.skills import occupations
from dashboard.data.wages import wage_filter_options
from dashboard.stats import EMPLOYMENT_ORDER, LEVEL_ORDER, POSTING_ORDER, SIZE_ORDER

REMOTE_ORDER = ("0", "50", "100")
ADJUSTMENTS = ("sa", "nsa")
COUNTRY_OF = ("residence", "company")


def _ordered(present: Iterable[Any], order: Sequence[str]) -> tuple[str, ...]:
    have = {str(v) for v in present}
    known = [v for v in order if v in have]
    return tuple(known + sorted(have - set(order)))


@cached(max_entries=8)
def filter_options(key: str) -> dict[str, Any]:
    """`values` (filter name -> allowed values, display order), `labels` (filter name -> value
    -> label), `years` and `dates` (the bounds of the range filters, or None), `year_default`
    (the latest complete work year), `partial_years` and the salary `snapshot` date."""
    countries: set[str] = set()
    for name, column in (
        ("openings", "country"),
        ("sector_openings", "country"),
        ("salaries", "employee_residence"),
        ("salaries", "company_country"),
    ):
        countries.update(distinct(key, name, column))
    country_labels = {c: fmt.country_label(c) for c in countries}
    occ_labels = {
        code: f"{name} ({code})"
        for frame in (occupations(key, "education"), occupations(key, "skills"))
        for code, name in zip(frame["occupation_code"], frame["occupation"], strict=True)
    }
    measures = set(distinct(key, "openings", "measure"))
    has_index = bool(measures & set(INDEX_MEASURES))
    posting_types = set(distinct(key, "openings", "posting_type")) if has_index else set()
    bounds = [b for b in (date_bounds(key, t) for t in ("openings", "sector_openings")) if b]
    values = {
        "country": tuple(sorted(countries, key=lambda c: country_labels[c])),
        "country_of": COUNTRY_OF if distinct(key, "salaries", "work_year") else (),
        "level": _ordered(distinct(key, "salaries", "experience_level"), LEVEL_ORDER),
        "family": tuple(distinct(key, "salaries", "job_family")),
        "employment": _ordered(distinct(key, "salaries", "employment_type"), EMPLOYMENT_ORDER),
        "remote": _ordered(distinct(key, "salaries", "remote_ratio"), REMOTE_ORDER),
        "size": _ordered(distinct(key, "salaries", "company_size"), SIZE_ORDER),
        "sector": tuple(distinct(key, "sector_openings", "sector")),
        "occupation": tuple(sorted(occ_labels, key=lambda c: occ_labels[c])),
        "posting": _ordered(posting_types, POSTING_ORDER),
        "adjust": tuple(a for a in ADJUSTMENTS if f"postings_index_{a}" in measures),
    }
    wage_values, wage_labels = wage_filter_options(key)
    values |= wage_values
    growth_values, growth_labels = growth_filter_options(key)  # the Pay growth page
    values |= growth_values
    region_values, region_labels = regions_filter_options(key)  # regions and AI share
    values |= region_values
    pay_values, pay_labels = skill_pay_filter_options(key)  # Skills that pay
    values |= pay_values
    wage_labels = wage_labels | growth_labels | region_labels | pay_labels
    salary_years = year_bounds(key)
    residences = distinct(key, "salaries", "employee_residence")
    # The offer check picks one value of each salary filter (same values, other names).
    values |= {
        "role": values["family"],
        "seniority": values["level"],
        "residence": tuple(sorted(residences, key=lambda c: country_labels.get(c, c))),
        "contract": values["employment"],
        "work": values["remote"],
        "company": values["size"],
        "year": tuple(map(str, range(salary_years[0], salary_years[1] + 1)))
        if salary_years
        else (),
        "currency": tuple(currencies(key)) if salary_years else (),
        "us_state": values.get("state", ()),
    }
    offer_labels = {
        "residence": country_labels,
        "work": fmt.LABELS["remote"],
        "company": fmt.LABELS["size"],
        "us_state": wage_labels.get("state", {}),
    }
    basis = money_basis(key)
    money = ("usd",) + ("real",) * bool(basis["real_year"]) + ("ppp",) * bool(basis["ppp_year"])
    # A choice of one (prices not loaded) is no choice: the switch then stays hidden.
    values["money"] = money if salary_years and len(money) > 1 else ()
    money_labels = {
        "usd": "As reported (US dollars)",
        "real": f"US dollars of {basis['real_year']} (CPI-U)",
        "ppp": "International dollars (PPP)",
    }
    years = coverage(key)
    latest = years["latest_complete"]
    return {
        "values": values,
        "labels": {"country": country_labels, "occupation": occ_labels}
        | wage_labels
        | offer_labels
        | {"money": money_labels},
        "years": salary_years,
        "year_default": (latest, latest) if latest is not None else None,
        "partial_years": tuple(years["partial"]),
        "snapshot": years["snapshot"],
        "dates": (min(b[0] for b in bounds), max(b[1] for b in bounds)) if bounds else None,
    }
