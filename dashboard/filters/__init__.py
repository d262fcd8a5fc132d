"""Sidebar filters kept in the URL: specs, options, URL, words, widgets and the salary query.

`kinds` and `specs` say what each filter is; `options` what it may take on the loaded data;
`url` reads and writes the query string (pure); `words` says filters in one wording; `query`
turns state into a `SalaryQuery` (built nowhere else); `widgets` is the only file that imports
Streamlit."""

from dashboard.data import Snapshot
from dashboard.filters.kinds import MAX_AMOUNT, Spec, echo, number_text, years_text
from dashboard.filters.kinds import amount as _amount
from dashboard.filters.options import Options, load_options
from dashboard.filters.query import family_query, offer, salary_query, segment_query
from dashboard.filters.specs import (
    OFFER_FILTERS,
    PARAMS,
    RESERVED,
    SALARY_FILTERS,
    SEGMENTS,
    SPECS,
    segment_names,
    segment_specs,
)
from dashboard.filters.url import link_params, parse_params, to_params
from dashboard.filters.widgets import inline_widget, sidebar
from dashboard.filters.words import describe, describe_query, summary

__all__ = [
    "MAX_AMOUNT",
    "OFFER_FILTERS",
    "PARAMS",
    "RESERVED",
    "SALARY_FILTERS",
    "SEGMENTS",
    "SPECS",
    "Options",
    "Spec",
    "_amount",
    "describe",
    "describe_query",
    "echo",
    "family_query",
    "inline_widget",
    "link_params",
    "load_options",
    "number_text",
    "offer",
    "options_for",
    "parse_params",
    "salary_query",
    "segment_names",
    "segment_query",
    "segment_specs",
    "sidebar",
    "summary",
    "to_params",
    "years_text",
]


def options_for(snap: Snapshot) -> Options:
    """The filter options of a data version."""
    return load_options(snap.key)
