"""Sidebar filters kept in the URL query string: parse and validate, render widgets, write back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import streamlit as st

from dashboard import fmt
from dashboard.data import DEFAULT_SECTORS, SalaryQuery, Snapshot, filter_options

DEFAULT_OCCUPATIONS = ("15-2051.00", "15-1252.00", "15-1221.00", "15-2051.01")
DEFAULT_SOC = "15-2051"  # Data Scientists: the official occupation the Occupations page opens on
# The offer check opens on the most reported group of the salary data.
OFFER_DEFAULTS = {
    "role": "Data Scientist",
    "seniority": "Senior",
    "residence": "US",
    "contract": "Full-time",
    "currency": "USD",
}
# Compare two segments opens on one level in two countries that both have salary reports and
# a postings index (A and B each filter on their own; see `segment_specs`).
COMPARE_DEFAULTS = {
    "a_country": ("US",),
    "b_country": ("GB",),
    "a_level": ("Senior",),
    "b_level": ("Senior",),
}
SEGMENTS = ("a", "b")
MAX_AMOUNT = 1e9
# What an empty one-value pick means, where "All" would mislead.
EMPTY_PICK = {"official": "The job family's closest", "us_state": "National only"}
# Streamlit's own URL parameters, never ours to judge.
RESERVED = ("embed", "embed_options")
LABELS = fmt.LABELS


@dataclass(frozen=True)
class Spec:
    """One filter: its state name, URL parameter(s), widget kind and label."""

    name: str
    label: str
    kind: str  # multi | choice | pick | number | year_range | date_range | toggle
    params: tuple[str, ...]
    help: str = ""
    default: Any = None  # toggles only; other kinds take their default from the data
    most: int | None = None  # multi: at most this many values
    like: str | None = None  # takes the values and labels of this filter (a segment's copy)

    @property
    def values_of(self) -> str:
        return self.like or self.name


def segment_specs(side: str) -> tuple[Spec, ...]:
    """Segment `side`'s filters on the Compare page: its own copy of each salary filter
    (`a_country` takes the values of `residence`), so A and B are set independently."""
    return (
        Spec(
            f"{side}_country",
            "Country",
            "multi",
            (f"{side}_country",),
            "Where the employee lives. Empty = all countries.",
            like="residence",
        ),
        Spec(
            f"{side}_level",
            "Experience level",
            "multi",
            (f"{side}_level",),
            "Empty = all levels.",
            like="level",
        ),
        Spec(
            f"{side}_family",
            "Job family",
            "multi",
            (f"{side}_family",),
            "Derived from the job title. Empty = all families.",
            like="family",
        ),
        Spec(
            f"{side}_years",
            "Work year",
            "year_range",
            (f"{side}_year_from", f"{side}_year_to"),
            "Default: the latest work year the data covers completely.",
            like="years",
        ),
        Spec(
            f"{side}_remote",
            "Remote ratio",
            "multi",
            (f"{side}_remote",),
            "Empty = any remote ratio.",
            like="remote",
        ),
        Spec(
            f"{side}_sector",
            f"Sector of {side.upper()}'s openings line",
            "pick",
            (f"{side}_sector",),
            "Openings only: the sector's postings index in the segment's country. Empty = "
            "all postings.",
            like="sector",
        ),
    )


SPECS: dict[str, Spec] = {
    s.name: s
    for s in (
        Spec("country", "Country", "multi", ("country",), "Empty = all countries."),
        Spec(
            "country_of",
            "Salary country means",
            "choice",
            ("country_of",),
            "Which country of a salary report the country filter uses.",
        ),
        Spec(
            "years",
            "Work year",
            "year_range",
            ("year_from", "year_to"),
            "Default: the latest work year the data covers completely. Salaries rose over the "
            "years, so pooling them mixes old and new pay.",
        ),
        Spec("dates", "Dates", "date_range", ("start", "end")),
        Spec("level", "Experience level", "multi", ("level",), "Empty = all levels."),
        Spec("family", "Job family", "multi", ("family",), "Derived from the job title."),
        Spec("employment", "Employment type", "multi", ("employment",)),
        Spec("remote", "Remote ratio", "multi", ("remote",)),
        Spec("size", "Company size", "multi", ("size",), "Employees, as aijobs.net defines it."),
        Spec("sector", "Sector", "multi", ("sector",), "Indeed occupational sectors."),
        Spec("occupation", "Occupation", "multi", ("occupation",), "O*NET occupations."),
        Spec(
            "soc",
            "Occupation (official)",
            "pick",
            ("soc",),
            "The ~830 detailed occupations BLS OEWS publishes, grouped by major group: type "
            "part of a title to search.",
        ),
        Spec(
            "compare",
            "Compare with",
            "multi",
            ("compare",),
            "Up to three more occupations, drawn beside the chosen one.",
            most=3,
        ),
        Spec(
            "state",
            "US state",
            "pick",
            ("state",),
            "Adds the state's wages beside the national ones and limits the metro areas to "
            "those in the state. Empty = the whole US.",
        ),
        Spec("map_measure", "Map shows", "choice", ("map",)),
        # The offer check: one value each (None = any), and the amount itself.
        Spec("role", "Job family", "pick", ("role",), "Derived from the job title."),
        Spec("seniority", "Experience level", "pick", ("seniority",)),
        Spec(
            "residence",
            "Country you work in",
            "pick",
            ("residence",),
            "Where the employee lives, as aijobs.net reports it.",
        ),
        Spec("contract", "Employment type", "pick", ("contract",)),
        Spec("work", "Remote ratio", "pick", ("work",), "Empty = any remote ratio."),
        Spec("company", "Company size", "pick", ("company",), "Empty = any company size."),
        Spec("year", "Work year", "pick", ("year",), "The year the salary is paid."),
        Spec(
            "currency",
            "Currency",
            "pick",
            ("currency",),
            "Converted to USD at the rate the reports paid in that currency imply.",
        ),
        Spec(
            "official",
            "Occupation (official wages)",
            "pick",
            ("official",),
            "For a US offer: the BLS OEWS occupation to place the amount in. Empty = the job "
            "family's closest occupation (see the mapping on the Salaries page).",
            like="soc",
        ),
        Spec(
            "us_state",
            "US state (official wages)",
            "pick",
            ("us_state",),
            "For a US offer: adds the state's official wage percentiles (BLS OEWS) beside the "
            "national ones. Empty = national only.",
        ),
        Spec(
            "amount",
            "Annual amount",
            "number",
            ("amount",),
            "Gross annual pay in the chosen currency, e.g. 150000.",
        ),
        Spec("metro_rank", "Rank metro areas by", "choice", ("metros",)),
        Spec("posting", "Postings", "multi", ("posting",), "All postings or new ones only."),
        Spec("adjust", "Adjustment", "multi", ("adjust",), "Seasonal adjustment of the index."),
        Spec("hot_only", "Hot technologies only", "toggle", ("hot_only",)),
        Spec(
            "dedupe",
            "Count identical reports once",
            "toggle",
            ("dedupe",),
            "On by default. About half of the aijobs.net rows repeat another row field for "
            "field; the source has no report id, so a re-submitted report cannot be told from "
            "two people with the same pay. Counting them once keeps a repeated report from "
            "weighing double. Switch off to count every row as the source publishes it.",
            default=True,
        ),
        *(spec for side in SEGMENTS for spec in segment_specs(side)),
    )
}
PARAMS = {p: s.name for s in SPECS.values() for p in s.params}
# The filters of a salary figure, in sidebar order (Salaries and the Overview's salary card).
SALARY_FILTERS = (
    "country",
    "country_of",
    "years",
    "level",
    "family",
    "employment",
    "remote",
    "size",
    "dedupe",
)


@dataclass(frozen=True)
class Options:
    """What each filter may take on the current data version (ordered for display)."""

    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    years: tuple[int, int] | None = None
    dates: tuple[date, date] | None = None
    year_default: tuple[int, int] | None = None  # the latest complete work year
    partial_years: tuple[int, ...] = ()  # years the salary snapshot covers only in part
    snapshot: str | None = None  # the salary snapshot's date (ISO), when known

    def year_list(self) -> list[int]:
        """Every work year of the salary data, in order."""
        return list(range(self.years[0], self.years[1] + 1)) if self.years else []

    def of(self, name: str) -> tuple[str, ...]:
        return tuple(self.values.get(_values_of(name), ()))

    def label(self, name: str, value: str) -> str:
        name = _values_of(name)
        return self.labels.get(name, {}).get(value, LABELS.get(name, {}).get(value, str(value)))

    def available(self, name: str) -> bool:
        kind = SPECS[name].kind
        if kind == "year_range":
            return self.years is not None and self.years[0] < self.years[1]
        if kind == "number":  # the offer's amount: whenever there are salary reports
            return self.years is not None
        if kind == "date_range":
            return self.dates is not None and self.dates[0] < self.dates[1]
        if name == "dedupe":  # a salary switch: only when there are salary reports
            return self.years is not None
        if name == "hot_only":  # flags O*NET occupations: only when they are loaded
            return bool(self.of("occupation"))
        if name == "compare":  # picks from the official occupations
            return bool(self.of("soc"))
        return bool(self.of(name))

    def default(self, name: str) -> Any:
        kind = SPECS[name].kind
        if kind == "year_range" and self.year_default not in (None, self.years):
            return self.year_default
        if kind in ("year_range", "date_range"):
            return None  # the full range, whatever it is on the current data
        if kind == "toggle":
            return bool(SPECS[name].default)
        if kind == "number":
            return None
        if kind == "choice":
            return self.of(name)[0] if self.of(name) else None
        if kind == "pick":  # one value, or none (a state: the whole US)
            wanted_one = {"soc": DEFAULT_SOC, **OFFER_DEFAULTS}.get(name)
            if name == "year" and self.year_default:  # the latest complete work year
                wanted_one = str(self.year_default[1])
            return wanted_one if wanted_one in self.of(name) else None
        wanted = {
            "sector": DEFAULT_SECTORS,
            "occupation": DEFAULT_OCCUPATIONS,
            "posting": ("total",),
            "adjust": ("sa",),
            **COMPARE_DEFAULTS,
        }.get(name, ())
        return tuple(v for v in self.of(name) if v in wanted)

    def defaults(self) -> dict[str, Any]:
        return {name: self.default(name) for name in SPECS}


def _values_of(name: str) -> str:
    spec = SPECS.get(name)
    return spec.values_of if spec else name


def load_options(key: str) -> Options:
    """Filter options of the data version `key` (the data layer caches the queries)."""
    return Options(**filter_options(key))


# --------------------------------------------------------------------------------------------
# URL <-> state (pure)


def _match(raw: str, allowed: Sequence[str]) -> list[str] | None:
    """Map a URL value to options: exact, case-insensitive, or a comma-separated list of them."""
    lower = {a.lower(): a for a in allowed}
    if raw.strip().lower() in lower:
        return [lower[raw.strip().lower()]]
    parts = [p.strip().lower() for p in raw.split(",") if p.strip()]
    if parts and all(p in lower for p in parts):
        return [lower[p] for p in parts]
    return None


ECHO_CHARS = 40  # a URL value echoed in a notice is cut to this many characters


def echo(raw: object) -> str:
    """A value from the URL as inert Markdown code (never a link, never formatting), cut to
    ECHO_CHARS with its full length said: a notice must not be a way to put a link, or 100 KB of
    text, on the page."""
    text = " ".join(str(raw).split()).replace("`", "'")
    if len(text) > ECHO_CHARS:
        text = f"{text[:ECHO_CHARS]}…` ({len(str(raw)):,} characters)"
        return f"`{text}"
    return f"`{text}`" if text else "(empty)"


def _int(raw: str) -> int | None:
    try:
        return int(raw.strip())
    except ValueError:
        return None


def _amount(raw: str) -> float | None:
    """A non-negative amount of money from a URL (`150000`, `150,000`, `150000.50`)."""
    try:
        value = float(raw.replace(",", "").replace("_", "x"))
    except ValueError:
        return None
    return value if 0 <= value <= MAX_AMOUNT else None


def number_text(value: float) -> str:
    """An amount as the URL writes it: no decimals when whole."""
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def parse_params(
    params: Mapping[str, Sequence[str]], options: Options
) -> tuple[dict[str, Any], list[str]]:
    """State from URL parameters; anything invalid is dropped (default kept) with a notice."""
    state = options.defaults()
    notices: list[str] = []
    unknown = [p for p in params if p not in PARAMS and p not in RESERVED]
    if unknown:
        shown = ", ".join(echo(u) for u in sorted(unknown)[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        notices.append(f"Ignored unknown URL parameter(s): {shown}{more}.")
    for spec in SPECS.values():
        given = {p: [str(v) for v in params[p]] for p in spec.params if p in params}
        if not given:
            continue
        if not options.available(spec.name):
            notices.append(
                f"Ignored {', '.join(given)}: there is no data for the {spec.label.lower()} "
                "filter in the loaded data."
            )
            continue
        value, problem = _parse_one(spec, given, options)
        if problem:
            notices.append(problem)
        if value is not _INVALID:
            state[spec.name] = value
    return state, notices


_INVALID = object()


def _parse_one(spec: Spec, given: dict[str, list[str]], options: Options) -> tuple[Any, str]:
    name, label = spec.name, spec.label
    what = label.lower()
    if spec.like and spec.kind != "pick" and name[:2] in ("a_", "b_"):
        what += f" of segment {name[0].upper()}"  # a Compare segment's copy: say whose
    if spec.kind == "multi":
        raw = given[spec.params[0]]
        if all(v.strip() == "" for v in raw):
            return (), ""  # `?sector=` means "none chosen" (differs from a non-empty default)
        allowed = options.of(name)
        picked: list[str] = []
        bad: list[str] = []
        for value in raw:
            if value.strip() == "":
                continue
            matched = _match(value, allowed)
            if matched is None:  # a comma list with a bad part: keep the good parts
                parts = [part for part in value.split(",") if part.strip()]
                matched = [m for part in parts for m in (_match(part, allowed) or [])]
                bad += [part for part in parts if _match(part, allowed) is None]
            picked += [m for m in matched if m not in picked]
        shown = ", ".join(echo(b) for b in bad[:10]) + (
            f" and {len(bad) - 10} more" if len(bad) > 10 else ""
        )
        note = f"Ignored unknown {what} value(s): {shown}." if bad else ""
        if not picked:
            return _INVALID, note
        if spec.most is not None and len(picked) > spec.most:
            dropped = ", ".join(picked[spec.most :])
            note = (note + " " if note else "") + (
                f"{label} takes at most {spec.most} values: ignored {dropped}."
            )
            picked = picked[: spec.most]
        return tuple(v for v in allowed if v in picked), note
    if spec.kind == "pick":
        raw = given[spec.params[0]][-1]
        if raw.strip() == "":
            return None, ""
        matched = _match(raw, options.of(name))
        if matched is None or len(matched) != 1:
            # "US state" keeps its capitals; "Occupation (official)" reads in lower case
            said = label if label[:2].isupper() else label[0].lower() + label[1:]
            return _INVALID, f"Ignored unknown {said} {echo(raw)}."
        return matched[0], ""
    if spec.kind == "number":
        raw = given[spec.params[0]][-1].strip()
        if raw == "":
            return None, ""
        amount = _amount(raw)
        if amount is None:
            return _INVALID, f"Ignored {what} {echo(raw)} (a number such as 150000)."
        return amount, ""
    if spec.kind == "choice":
        matched = _match(given[spec.params[0]][-1], options.of(name))
        if matched is None or len(matched) != 1:
            return _INVALID, f"Ignored {what} {echo(given[spec.params[0]][-1])}."
        return matched[0], ""
    if spec.kind == "toggle":
        raw = given[spec.params[0]][-1].strip().lower()
        if raw in ("1", "true", "yes", "on"):
            return True, ""
        if raw in ("0", "false", "no", "off", ""):
            return False, ""
        return _INVALID, f"Ignored {what} {echo(raw)} (use 1 or 0)."
    parse = _int if spec.kind == "year_range" else _date
    bounds = options.years if spec.kind == "year_range" else options.dates
    assert bounds is not None
    lo_param, hi_param = spec.params
    lo = parse(given[lo_param][-1]) if lo_param in given else bounds[0]
    hi = parse(given[hi_param][-1]) if hi_param in given else bounds[1]
    if lo is None or hi is None or lo > hi:
        shown = ", ".join(echo(f"{p}={v[-1]}") for p, v in given.items())
        return _INVALID, f"Ignored {what} range {shown}: not a valid range."
    clamped = (max(lo, bounds[0]), min(hi, bounds[1]))
    if clamped[0] > clamped[1]:
        return (
            _INVALID,
            f"Ignored {what} range: outside the data ({bounds[0]}–{bounds[1]}).",
        )
    note = ""
    if clamped != (lo, hi):
        note = f"{label} range limited to the data: {clamped[0]}–{clamped[1]}."
    return (None if clamped == bounds else clamped), note


def to_params(state: Mapping[str, Any], options: Options) -> dict[str, list[str]]:
    """URL parameters for the state: only values that differ from the defaults."""
    out: dict[str, list[str]] = {}
    for spec in SPECS.values():
        value = state.get(spec.name)
        if value == options.default(spec.name) or not options.available(spec.name):
            continue
        if spec.kind == "multi":
            out[spec.params[0]] = [str(v) for v in value] if value else [""]
        elif spec.kind in ("choice", "pick"):
            out[spec.params[0]] = [str(value) if value is not None else ""]
        elif spec.kind == "number":
            out[spec.params[0]] = [number_text(value) if value is not None else ""]
        elif spec.kind == "toggle":
            out[spec.params[0]] = ["1" if value else "0"]
        else:  # a range; None is the full range, written out when the default is narrower
            lo, hi = value or (options.years if spec.kind == "year_range" else options.dates)
            out[spec.params[0]] = [str(lo)]
            out[spec.params[1]] = [str(hi)]
    return out


def link_params(
    state: Mapping[str, Any], options: Options, names: Iterable[str]
) -> dict[str, list[str]]:
    """URL parameters for `names`, defaults included: a link that reopens exactly this view
    even after a refresh moves a default (the latest complete year, say)."""
    full = to_params(state, options)
    for name in names:
        spec = SPECS[name]
        if not options.available(name) or spec.params[0] in full:
            continue
        value = state.get(name)
        if spec.kind in ("choice", "pick"):
            full[spec.params[0]] = [str(value) if value is not None else ""]
        elif spec.kind == "number":
            full[spec.params[0]] = [number_text(value) if value is not None else ""]
        elif spec.kind == "toggle":
            full[spec.params[0]] = ["1" if value else "0"]
        elif spec.kind == "multi":
            full[spec.params[0]] = [str(v) for v in value] if value else [""]
    return {k: v for k, v in full.items() if k in {p for n in names for p in SPECS[n].params}}


def years_text(years: tuple[int, int] | None, options: Options) -> str:
    """`2024`, `2020 to 2025 (2025 partly covered)`: the work years a salary figure covers."""
    lo, hi = years or options.years or (None, None)
    if lo is None:
        return "all years"
    text = str(lo) if lo == hi else f"{lo} to {hi}"
    partial = [y for y in options.partial_years if lo <= y <= hi]
    if partial:
        when = f" by the snapshot of {options.snapshot}" if options.snapshot else ""
        text += f" ({', '.join(map(str, partial))} covered only in part{when})"
    return text


def describe(state: Mapping[str, Any], options: Options, names: Iterable[str]) -> dict[str, str]:
    """Filters that differ from their default, as label -> readable value (for exports)."""
    out = {}
    for name in names:
        spec, value = SPECS[name], state.get(name)
        if (
            not options.available(name)
            or value is None
            and spec.kind in ("choice", "pick", "number")
        ):
            continue
        if spec.kind == "year_range":  # always said: a salary figure covers these years
            out[spec.label] = years_text(value, options)
            continue
        if value == options.default(name) and spec.kind in ("multi", "date_range"):
            if spec.kind == "multi" and value:  # a non-empty default is still a filter applied
                out[spec.label] = ", ".join(options.label(name, v) for v in value)
            continue
        if spec.kind == "multi":
            out[spec.label] = ", ".join(options.label(name, v) for v in value) or "(none)"
        elif spec.kind == "date_range":
            lo, hi = value or options.dates
            out[spec.label] = f"{lo} to {hi}"
        elif spec.kind in ("choice", "pick"):
            out[spec.label] = options.label(name, value)
        elif spec.kind == "number":
            out[spec.label] = f"{value:,.0f}"
        elif value or spec.default:  # a toggle that is on, or one switched off from on
            out[spec.label] = "yes" if value else "no"
    return out


# --------------------------------------------------------------------------------------------
# Streamlit side

_STATE = "_filters"
_NOTICES = "_filter_notices"
_NOTICE_STATE = "_filter_notice_state"


def _widget_key(name: str) -> str:
    return f"flt_{name}"


def _current_state(options: Options) -> dict[str, Any]:
    """The session's filter state; on its first run, read from the URL (with notices)."""
    if _STATE not in st.session_state:
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        state, notices = parse_params(params, options)
        st.session_state[_STATE] = state
        st.session_state[_NOTICES] = notices
        st.session_state[_NOTICE_STATE] = dict(state)
    state = dict(st.session_state[_STATE])
    for name, value in options.defaults().items():
        state.setdefault(name, value)
    return _sanitize(state, options)


def _sanitize(state: dict[str, Any], options: Options) -> dict[str, Any]:
    # After a refresh, options can change under a running session: drop what no longer exists.
    for name, spec in SPECS.items():
        value = state.get(name)
        if spec.kind == "multi":
            allowed = set(options.of(name))
            state[name] = tuple(v for v in (value or ()) if v in allowed)
        elif spec.kind in ("choice", "pick") and value not in options.of(name):
            if not (spec.kind == "pick" and value is None):
                state[name] = options.default(name)
        elif spec.kind in ("year_range", "date_range") and value is not None:
            bounds = options.years if spec.kind == "year_range" else options.dates
            if bounds is None or value[0] < bounds[0] or value[1] > bounds[1]:
                state[name] = None
    return state


def _reset(options: Options) -> None:
    st.session_state[_STATE] = options.defaults()
    st.session_state[_NOTICES] = []


def _from_widget(spec: Spec, raw: Any, options: Options) -> Any:
    """The state value for a widget's raw value (ranges equal to the bounds become None)."""
    if spec.kind == "multi":
        return tuple(v for v in options.of(spec.name) if v in (raw or []))
    if spec.kind == "toggle":
        return bool(raw)
    if spec.kind in ("choice", "pick"):
        return raw
    if spec.kind == "number":
        return None if raw is None else float(raw)
    bounds = options.years if spec.kind == "year_range" else options.dates
    lo, hi = raw
    if spec.kind == "year_range":
        lo, hi = int(lo), int(hi)
    return None if (lo, hi) == tuple(bounds) else (lo, hi)


def _changed(name: str, options: Options) -> None:
    # Runs before the script on a user's change: the session state is the single truth, so
    # the same filter keeps its value on every page that shows it.
    state = dict(st.session_state.get(_STATE) or options.defaults())
    state[name] = _from_widget(SPECS[name], st.session_state[_widget_key(name)], options)
    st.session_state[_STATE] = state


def _widget(spec: Spec, state: dict[str, Any], options: Options, horizontal: bool = False) -> Any:
    key = _widget_key(spec.name)
    value = state[spec.name]
    if spec.kind in ("year_range", "date_range"):
        bounds = options.years if spec.kind == "year_range" else options.dates
        assert bounds is not None
        value = tuple(value or bounds)
    # A widget with the same key on another page is another widget to Streamlit: set its value
    # from the state on every run rather than trusting a leftover.
    st.session_state[key] = list(value) if spec.kind == "multi" else value
    common = {
        "key": key,
        "help": spec.help or None,
        "on_change": _changed,
        "args": (spec.name, options),
    }
    fmt = {"format_func": lambda v, n=spec.name: options.label(n, v)}
    if spec.kind == "multi" and spec.name in ("posting", "adjust"):
        raw = st.segmented_control(
            spec.label, options.of(spec.name), selection_mode="multi", **common, **fmt
        )
    elif spec.kind == "multi":
        raw = st.multiselect(
            spec.label,
            options.of(spec.name),
            placeholder="All" if spec.most is None else f"Up to {spec.most}",
            max_selections=spec.most,
            **common,
            **fmt,
        )
    elif spec.kind == "pick":
        # The picker's own labels may say more than the filter summary (the occupation's group).
        picker = options.labels.get(f"{spec.values_of}_picker", {})
        raw = st.selectbox(
            spec.label,
            options.of(spec.name),
            placeholder=EMPTY_PICK.get(spec.name)
            or ("All" if options.default(spec.name) is None else "Choose one"),
            **common,
            format_func=lambda v, n=spec.name: picker.get(v) or options.label(n, v),
        )
    elif spec.kind == "choice":
        raw = st.radio(spec.label, options.of(spec.name), horizontal=horizontal, **common, **fmt)
    elif spec.kind == "toggle":
        raw = st.toggle(spec.label, **common)
    elif spec.kind == "number":
        raw = st.number_input(
            spec.label,
            min_value=0.0,
            max_value=MAX_AMOUNT,
            step=1000.0,
            format="%.0f",
            placeholder="e.g. 150000",
            **common,
        )
    elif spec.kind == "year_range":
        raw = st.slider(spec.label, options.years[0], options.years[1], step=1, **common)
    else:
        raw = st.slider(
            spec.label, options.dates[0], options.dates[1], format="YYYY-MM-DD", **common
        )
    return _from_widget(spec, raw, options)


def sidebar(snap: Snapshot, names: Sequence[str], inline: Sequence[str] = ()) -> dict[str, Any]:
    """Render the page's filters in the sidebar, sync them with the URL, return the state.
    `inline` names are in the state and the URL too, but the page draws them (`inline_widget`)
    beside the chart they steer."""
    options = load_options(snap.key)
    state = _current_state(options)
    with st.sidebar:
        st.header("Filters")
        shown = [n for n in names if options.available(n) and n not in inline]
        for name in shown:
            state[name] = _widget(SPECS[name], state, options)
        if not shown:
            st.caption("No filters apply to this page.")
        st.button(
            "Reset filters", key="flt_reset", on_click=_reset, args=(options,), type="tertiary"
        )
    st.session_state[_STATE] = dict(state)
    wanted = to_params(state, options)
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    if wanted != {k: v for k, v in current.items() if k not in RESERVED}:
        st.query_params.from_dict(wanted)
    notices = st.session_state.get(_NOTICES) or []
    if notices and st.session_state.get(_NOTICE_STATE) == state:
        st.warning(
            "Some URL parameters were not understood and were ignored; showing the default "
            "for those filters.\n\n" + "\n".join(f"- {n}" for n in notices),
            icon="⚠️",
        )
    elif notices:
        st.session_state[_NOTICES] = []  # the user has moved on; the notice no longer applies
    return state


def inline_widget(name: str, state: dict[str, Any], options: Options) -> Any:
    """Draw filter `name` where the page is (a chart's view switch), horizontally; its value
    is already in `state` (a change reruns the page with the new state and URL)."""
    if not options.available(name):
        return state.get(name)
    state[name] = _widget(SPECS[name], state, options, horizontal=True)
    return state[name]


def options_for(snap: Snapshot) -> Options:
    return load_options(snap.key)


def salary_query(state: Mapping[str, Any]) -> SalaryQuery:
    years = state.get("years") or (None, None)
    return SalaryQuery(
        countries=tuple(state.get("country") or ()),
        country_field=(
            "company_country" if state.get("country_of") == "company" else "employee_residence"
        ),
        year_from=years[0],
        year_to=years[1],
        levels=tuple(state.get("level") or ()),
        families=tuple(state.get("family") or ()),
        employment=tuple(state.get("employment") or ()),
        remote=tuple(int(v) for v in state.get("remote") or ()),
        sizes=tuple(state.get("size") or ()),
        distinct=bool(state.get("dedupe")),
    )


def summary(state: Mapping[str, Any], options: Options, names: Iterable[str]) -> str:
    """One line naming the active filters of a page, e.g. for the top of the page."""
    parts = [f"**{k}**: {fmt.md(v)}" for k, v in describe(state, options, names).items()]
    return "Filters: " + (" · ".join(parts) if parts else "none (all data)")


def segment_query(state: Mapping[str, Any], side: str) -> SalaryQuery:
    """The salary filters of segment `side` ("a" or "b") of the Compare page."""
    years = state.get(f"{side}_years") or (None, None)
    return SalaryQuery(
        countries=tuple(state.get(f"{side}_country") or ()),
        year_from=years[0],
        year_to=years[1],
        levels=tuple(state.get(f"{side}_level") or ()),
        families=tuple(state.get(f"{side}_family") or ()),
        remote=tuple(int(v) for v in state.get(f"{side}_remote") or ()),
        distinct=bool(state.get("dedupe")),
    )


def segment_names(side: str) -> tuple[str, ...]:
    """The filter names of segment `side`, in the order the page draws them."""
    return tuple(spec.name for spec in segment_specs(side))
