"""Filter state <-> URL query parameters (pure): parse with notices, write back, share links."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dashboard.filters.kinds import INVALID, echo
from dashboard.filters.options import Options
from dashboard.filters.specs import PARAMS, RESERVED, SPECS


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
        if not spec.available(options):
            notices.append(
                f"Ignored {', '.join(given)}: there is no data for the {spec.label.lower()} "
                "filter in the loaded data."
            )
            continue
        value, problem = spec.parse(given, options)
        if problem:
            notices.append(problem)
        if value is not INVALID:
            state[spec.name] = value
    return state, notices


def to_params(state: Mapping[str, Any], options: Options) -> dict[str, list[str]]:
    """URL parameters for the state: only values that differ from the defaults."""
    out: dict[str, list[str]] = {}
    for spec in SPECS.values():
        value = state.get(spec.name)
        if value == spec.default(options) or not spec.available(options):
            continue
        out |= spec.url(value, options)
    return out


def link_params(
    state: Mapping[str, Any], options: Options, names: Iterable[str]
) -> dict[str, list[str]]:
    """URL parameters for `names`, defaults included: a link that reopens exactly this view
    even after a refresh moves a default (the latest complete year, say)."""
    names = list(names)
    full = to_params(state, options)
    for name in names:
        spec = SPECS[name]
        if spec.linked and spec.available(options) and spec.params[0] not in full:
            full |= spec.url(state.get(name), options)
    wanted = {p for n in names for p in SPECS[n].params}
    return {k: v for k, v in full.items() if k in wanted}


def sanitize(state: dict[str, Any], options: Options) -> dict[str, Any]:
    """The state with what no longer exists dropped: after a refresh, options can change
    under a running session."""
    for name, spec in SPECS.items():
        state[name] = spec.sanitize(state.get(name), options)
    return state
