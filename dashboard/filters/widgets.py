"""The filters on screen: sidebar and inline widgets, session state, the URL kept in step."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from dashboard.data import Snapshot
from dashboard.filters.kinds import Spec
from dashboard.filters.options import Options, load_options
from dashboard.filters.specs import RESERVED, SPECS
from dashboard.filters.url import parse_params, sanitize, to_params

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
    return sanitize(state, options)


def _reset(options: Options) -> None:
    st.session_state[_STATE] = options.defaults()
    st.session_state[_NOTICES] = []


def _changed(name: str, options: Options) -> None:
    # Runs before the script on a user's change: the session state is the single truth, so
    # the same filter keeps its value on every page that shows it.
    state = dict(st.session_state.get(_STATE) or options.defaults())
    state[name] = SPECS[name].from_widget(st.session_state[_widget_key(name)], options)
    st.session_state[_STATE] = state


def _widget(spec: Spec, state: dict[str, Any], options: Options, horizontal: bool = False) -> Any:
    key = _widget_key(spec.name)
    # A widget with the same key on another page is another widget to Streamlit: set its value
    # from the state on every run rather than trusting a leftover.
    st.session_state[key] = spec.widget_value(state[spec.name], options)
    function, args, kwargs = spec.widget(options, horizontal)
    raw = getattr(st, function)(
        spec.label,
        *args,
        key=key,
        help=spec.help or None,
        on_change=_changed,
        args=(spec.name, options),
        **kwargs,
    )
    return spec.from_widget(raw, options)


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
