"""Filter state -> salary queries: the one place a `SalaryQuery` is built."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dashboard.data import Offer, SalaryQuery


def _years(value: tuple[int, int] | str | None) -> tuple[int | None, int | None]:
    """A work-year filter (a range, or the offer's one year as text) as (from, to)."""
    if value is None or value == "":
        return None, None
    if isinstance(value, str):
        return int(value), int(value)
    return int(value[0]), int(value[1])


def _one(value: Any) -> tuple:
    """A one-value pick as a filter tuple (None = any)."""
    return () if value is None else (value,)


def salary_query(state: Mapping[str, Any]) -> SalaryQuery:
    """The salary filters of the sidebar (Salaries, Overview)."""
    year_from, year_to = _years(state.get("years"))
    return SalaryQuery(
        countries=tuple(state.get("country") or ()),
        country_field=(
            "company_country" if state.get("country_of") == "company" else "employee_residence"
        ),
        year_from=year_from,
        year_to=year_to,
        levels=tuple(state.get("level") or ()),
        families=tuple(state.get("family") or ()),
        employment=tuple(state.get("employment") or ()),
        remote=tuple(int(v) for v in state.get("remote") or ()),
        sizes=tuple(state.get("size") or ()),
        dedupe=bool(state.get("dedupe")),
        money=state.get("money") or "usd",
    )


def segment_query(state: Mapping[str, Any], side: str) -> SalaryQuery:
    """The salary filters of segment `side` ("a" or "b") of the Compare page."""
    return salary_query(
        {
            "country": state.get(f"{side}_country"),
            "country_of": state.get("country_of"),
            "years": state.get(f"{side}_years"),
            "level": state.get(f"{side}_level"),
            "family": state.get(f"{side}_family"),
            "remote": state.get(f"{side}_remote"),
            "dedupe": state.get("dedupe"),
            "money": state.get("money"),
        }
    )


def offer(state: Mapping[str, Any]) -> Offer:
    """The offer check's group: one value of each salary filter (None = any)."""
    return Offer(
        salary_query(
            {
                "country": _one(state.get("residence")),
                "country_of": state.get("country_of"),
                "years": state.get("year"),
                "level": _one(state.get("seniority")),
                "family": _one(state.get("role")),
                "employment": _one(state.get("contract")),
                "remote": _one(state.get("work")),
                "size": _one(state.get("company")),
                "dedupe": state.get("dedupe"),
                "money": state.get("money"),
            }
        )
    )


def family_query(state: Mapping[str, Any]) -> SalaryQuery:
    """Demand & pay: the chosen job family's reports in the chosen country, every work year."""
    return salary_query(
        {
            "country": _one(state.get("residence")),
            "family": _one(state.get("role")),
            "dedupe": state.get("dedupe"),
            "money": state.get("money"),
        }
    )
