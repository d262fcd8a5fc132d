"""Shared page blocks: page start, provenance captions, chart + numbers, tables, exports."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, data, export, fallback, filters, fmt, pages
from dashboard.data import manifest

md = fmt.md
SMALL_TABLE = 30  # rows; a table this short is shown whole, its text wrapped
EXPAND_ENV = "JOBMARKET_EXPAND"


def refresh_help() -> str:
    """How to load more data, as Markdown (the commands come from the data layer)."""
    lines = [f"{what[0].upper()}{what[1:]}: `{cmd}`" for cmd, what in data.REFRESH_COMMANDS[:3]]
    return "\n\n" + "\n\n".join(lines)


def refresh_commands() -> str:
    """The refresh commands as a shell snippet with a comment each."""
    width = max(len(cmd) for cmd, _ in data.REFRESH_COMMANDS) + 2
    return "\n".join(f"{cmd:<{width}}# {what}" for cmd, what in data.REFRESH_COMMANDS)


def plotly_config() -> dict[str, Any]:
    """Plotly options; maps read the world outline from the app's static folder when served."""
    config: dict[str, Any] = {"displaylogo": False, "responsive": True}
    # Plotly fetches world topojson from a CDN by default; serving our copy keeps maps working
    # offline and behind firewalls (static serving is switched on in .streamlit/config.toml).
    if st.get_option("server.enableStaticServing"):
        config["topojsonURL"] = "app/static/"
    return config


def require_snapshot() -> data.Snapshot:
    """The current data version; if there is none, build the seed data, or say how to. Data
    that cannot be read stops the page with what is wrong and the way out."""
    try:
        snap = data.current()
    except data.StorageError as exc:  # settings, not data: a refresh would not help
        st.error(f"The data cannot be read from object storage: {md(exc)}")
        st.stop()
    except data.DataError as exc:
        st.error(
            f"The published data cannot be read: {md(exc)}\n\nRebuild it by refreshing every "
            f"source, from the project root:\n\n```\n{data.REFRESH_COMMANDS[2][0]}\n"
            f"{data.REFRESH_COMMANDS[1][0]}   # or from a local mirror\n```"
        )
        st.stop()
    if snap is not None:
        try:
            data.check_engine(snap.key)
        except data.EngineError as exc:  # the engine's settings: a refresh would not help
            st.error(f"The query engine cannot be used: {md(exc)}")
            st.stop()
        return snap
    with st.spinner(f"No processed data in {data.processed_dir()}: building it from the seed…"):
        ok, output = data.build_seed()
    snap = data.current() if ok else None
    if snap is None:
        st.error(
            f"There is no processed data in `{data.processed_dir()}` and building it from the "
            f"seed tables failed. Run this from the project root:\n\n"
            f"```\n{data.SEED_COMMAND}\n```"
        )
        if output:
            with st.expander("Output of the seed refresh"):
                st.code(output[-4000:])
        st.stop()
    st.toast("Built the dashboard data from the embedded seed tables.")
    return snap


@dataclass(frozen=True)
class PageContext:
    """What every page starts from: the data version, the filter state and options."""

    snap: data.Snapshot
    state: dict[str, Any]
    options: filters.Options

    @property
    def key(self) -> str:
        return self.snap.key

    def describe(self, names: Iterable[str]) -> dict[str, str]:
        return filters.describe(self.state, self.options, names)


# Contrast (WCAG AA: 4.5:1 for text this small), one set of rules for both themes. Streamlit
# fades a whole caption to 60 % opacity: its text #828180 on white, 3.88:1, and the code in it
# (a command) as much. Instead the text alone is 75 % of the text colour: lighter than body
# text, 6.1:1 on white (5.7:1 on the lightest grey box), over 8:1 on the dark background; code
# keeps its colour. The chosen segment of a segmented control and a slider's value are in the
# accent colour, 4.2:1 on the segment's tint (3.3:1 in the dark theme) and 3.5:1 on the dark
# sidebar: in the text colour they read like the labels around them (the chosen segment keeps
# its tint and accent border).
# As specific as Streamlit's own rule for a chosen segment that is hovered (four classes).
SEGMENT = (
    "div[role='toolbar'] button[data-variant='segmented_control'][data-selected][aria-pressed]"
)
PAGE_STYLE = (
    "<style>div[data-testid='stCaptionContainer']"
    "{opacity: 1; color: color-mix(in srgb, currentColor 75%, transparent);}"
    "div[data-testid='stCaptionContainer'] :is(p, li){color: inherit;}"
    f"div[data-testid='stSliderThumbValue'], {SEGMENT}, {SEGMENT} *{{color: inherit;}}</style>"
)


def start(path: str, names: Sequence[str] = (), inline: Sequence[str] = ()) -> PageContext:
    """Open a registered page: data check, its heading, its sidebar filters and their summary.
    `inline` filters (a chart's view switch) are kept in the URL but drawn by the page, and
    left out of the summary."""
    st.html(PAGE_STYLE)
    snap = require_snapshot()
    fallback.banner(snap)  # above the heading: public sources missing, the seed in their place
    st.title(pages.page(path).heading)
    state = filters.sidebar(snap, names, inline)
    options = filters.options_for(snap)
    summarized = [n for n in names if n not in inline]
    if summarized:
        st.caption(filters.summary(state, options, summarized))
    return PageContext(snap, state, options)


def inline_filter(ctx: PageContext, name: str) -> Any:
    """Draw filter `name` here, beside what it steers (kept in the URL like the sidebar's)."""
    return filters.inline_widget(name, ctx.state, ctx.options)


def headline(label: str, value: str) -> None:
    """A metric whose value is words (a technology's name): wrapped, never cut off."""
    st.markdown(
        f"<div style='font-size:0.875rem'>{fmt.html_text(label)}</div>"
        f"<div style='font-size:1.75rem;line-height:1.25'>{fmt.html_text(value)}</div>",
        unsafe_allow_html=True,
    )


def sources_of(frame: pd.DataFrame, fallback: Iterable[str] = ()) -> list[str]:
    """The sources of the rows actually shown (a chart of Indeed rows does not cite the seed)."""
    if "source" in frame and len(frame):
        return sorted(frame["source"].dropna().unique().tolist())
    return list(fallback)


def source_entries(snap: data.Snapshot, names: Iterable[str]) -> list[dict[str, Any]]:
    """The manifest entries of the named sources, each with its `name`."""
    out = []
    for name in names:
        info = dict(snap.sources.get(name, {}))
        info["name"] = name
        out.append(info)
    return out


AsOf = str | Mapping[str, str] | None


def provenance(snap: data.Snapshot, names: Iterable[str], as_of: AsOf = None) -> str:
    """`Source: … · licence … · as of …` for a caption (CC BY needs the attribution shown).
    `as_of` overrides the source's own date with the last date actually drawn: one for every
    source, or per source name (the others keep their own)."""
    parts = []
    for info in source_entries(snap, names):
        refreshed = str(info.get("refreshed_at") or "")[:10]
        drawn = as_of.get(info["name"]) if isinstance(as_of, Mapping) else as_of
        when = drawn or manifest.as_of(info)
        parts.append(
            md(
                f"Source: {info.get('title', info['name'])} · Licence: {info.get('licence', '?')}"
                f" · As of: {when} · Refreshed: {refreshed or '?'} · "
                f"Attribution: {info.get('attribution', '')}"
            )
        )
    return "  \n".join(parts) if parts else "Source: none loaded"


@st.cache_data(show_spinner=False, max_entries=128)
def _figure(name: str, _builder: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> go.Figure:
    return _builder(*args, **kwargs)


def figure(builder: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> go.Figure:
    """`builder(*args, **kwargs)`, cached: building a figure of thousands of points costs more
    than the cached query behind it, and reruns should feel instant."""
    return _figure(f"{builder.__module__}.{builder.__qualname__}", builder, *args, **kwargs)


def expand_all() -> bool:
    """$JOBMARKET_EXPAND=all: every "Numbers behind this chart" table drawn open (a page to
    print or read with a screen reader in one go); by default they open on demand."""
    return os.environ.get(EXPAND_ENV, "").strip().lower() == "all"


def on_demand(title: str, key: str, *, expanded: bool = False) -> Any:
    """A part of a page drawn only when a visitor opens it (`with on_demand(...) as box:` then
    `if box.open:`): a page with fewer charts up front loads and redraws faster, and opening
    one reruns the page from cache. JOBMARKET_EXPAND=all opens every one."""
    return st.expander(
        title, expanded=expanded or expand_all(), key=f"section_{key}", on_change="rerun"
    )


def chart(
    fig: go.Figure,
    table: pd.DataFrame | Callable[[], pd.DataFrame],
    *,
    key: str,
    snap: data.Snapshot,
    sources: Iterable[str],
    alt: str,
    note: str = "",
    as_of: AsOf = None,
    column_config: Mapping[str, Any] | None = None,
    unit: str = "USD",
) -> None:
    """A figure, a one-sentence summary of it in words (its text alternative), its provenance
    caption, and the numbers behind it as a table. `as_of`: the last date drawn. `unit`: what
    its money is in, when not the USD the figure builders say (its titles and axes say so).
    `table` may be a function that builds it, called only when the table is opened."""
    if unit != "USD":
        fig = in_unit(fig, unit)
    st.plotly_chart(fig, key=f"chart_{key}", config=plotly_config(), width="stretch")
    st.markdown(f"**In words:** {alt}", help=None)
    caption = provenance(snap, sources, as_of)
    st.caption(f"{note}  \n{caption}" if note else caption)
    numbers = st.expander(
        "Numbers behind this chart",
        expanded=expand_all(),
        key=f"numbers_{key}",
        on_change="rerun",
    )
    # Drawn only when opened: a page's hidden tables cost the browser about as much as its
    # charts (issue 25's profile), and opening one reruns the page from cache in a blink.
    if numbers.open:
        numbers.dataframe(
            readable(table() if callable(table) else table),
            hide_index=True,
            key=f"table_{key}",
            column_config=dict(column_config or {}),
            placeholder=DASH,
        )


def in_unit(fig: go.Figure, unit: str) -> go.Figure:
    """A copy of a salary figure whose titles and axes name `unit` instead of USD (the figure
    itself may be a cached one, shared by other sessions: never changed in place)."""
    out = go.Figure(fig)

    def named(text: Any) -> Any:
        return text.replace("USD", unit) if isinstance(text, str) else text

    out.update_layout(title_text=named(out.layout.title.text))
    out.for_each_xaxis(lambda axis: axis.update(title_text=named(axis.title.text)))
    out.for_each_yaxis(lambda axis: axis.update(title_text=named(axis.title.text)))
    for note in out.layout.annotations or ():
        note.text = named(note.text)
    return out


def table_block(
    frame: pd.DataFrame,
    *,
    key: str,
    snap: data.Snapshot,
    title: str = "",
    note: str = "",
    sources: Iterable[str] = (),
    column_config: Mapping[str, Any] | None = None,
    as_of: AsOf = None,
    credit: str = "",
) -> None:
    """A titled table with its provenance caption (sources read from its `source` column,
    else `sources`; `credit`, Markdown, instead for a table that is the project's own). Up to
    SMALL_TABLE rows it is a static table whose text wraps, so no column is cut off; longer
    ones scroll in a data grid."""
    if title:
        st.markdown(f"**{fmt.md(title)}**")
    shown = readable(frame.drop(columns=["source"], errors="ignore"))
    if len(shown) <= SMALL_TABLE and not column_config:
        with st.container(key=key):
            st.table(markdown_cells(shown), hide_index=True)
    else:
        st.dataframe(shown, hide_index=True, key=key, column_config=dict(column_config or {}))
    caption = credit or provenance(snap, sources_of(frame, sources), as_of)
    st.caption(f"{note}  \n{caption}" if note else caption)


DASH = "–"  # a value that is not there, in a table; its column's help says why


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame as a table shows it: calendar dates (midnight timestamps) as dates, not
    `2026-08-14 00:00:00`."""
    return export.calendar_dates(frame)


def dashed(values: pd.Series, show: Callable[[float], str]) -> pd.Series:
    """Numbers as text written by `show`, a missing one as DASH (not `None`); give the column
    a help text saying what a dash means."""
    return pd.Series(
        [DASH if pd.isna(v) else show(float(v)) for v in values], index=values.index, dtype=object
    )


def markdown_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame for st.table, which draws its cells and headers as Markdown: text from the data
    escaped (a job title that is a link stays text)."""

    def cell(value: Any) -> Any:
        return fmt.md(value) if isinstance(value, str) else value

    out = frame.rename(columns=cell)
    for name in out.columns:
        if out[name].dtype.kind == "O" or pd.api.types.is_string_dtype(out[name].dtype):
            out[name] = out[name].map(cell)
    return out


def technology_columns(occupations: Sequence[str], width: int = 900) -> dict[str, Any]:
    """Column widths for the technologies table that fit `width` px (a 1400 px window less
    the sidebar): the occupation columns share what category and technology leave."""
    fixed = {"category": 190, "technology": 160, "hot for": 60, "occupations": 65}
    each = max(95, (width - sum(fixed.values())) // max(len(occupations), 1))
    return {
        "category": st.column_config.TextColumn(width=fixed["category"]),
        "technology": st.column_config.TextColumn(width=fixed["technology"]),
        "hot for": st.column_config.NumberColumn(
            "hot for", help="How many of the chosen occupations list it as hot", width=60
        ),
        "occupations": st.column_config.NumberColumn(
            "listed by", help="How many of the chosen occupations list it at all", width=65
        ),
    } | {name: st.column_config.TextColumn(name, width=each) for name in occupations}


def section(title: str, columns: int = 2) -> list[Any]:
    """A subheader with `columns` columns under it."""
    st.subheader(title)
    return list(st.columns(columns))


def table_pair(title: str, tables: Sequence[tuple[pd.DataFrame, str]], snap: data.Snapshot) -> None:
    """Up to two tables side by side under one subheader (empty ones left out)."""
    present = [(frame, key) for frame, key in tables if not frame.empty]
    if not present:
        return
    for col, (frame, key) in zip(section(title), present, strict=False):
        with col:
            table_block(frame, key=key, snap=snap)


def country_bars(
    frame: pd.DataFrame,
    *,
    title: str,
    axis: str,
    key: str,
    snap: data.Snapshot,
    columns: Sequence[str],
    what: str,
    show: Callable[[float], str] = fmt.count,
    note: str = "",
    as_of: str | None = None,
    **bars: Any,
) -> None:
    """Ranked bars of `value` per country name, with provenance and the numbers behind them."""
    chart(
        charts.ranked_bars(frame, "name", "value", title, axis, **bars),
        frame[list(columns)],
        key=key,
        snap=snap,
        sources=sources_of(frame),
        alt=fmt.extremes(frame["name"], frame["value"], what=what, show=show),
        note=note,
        as_of=as_of,
    )


def seed_openings_bars(
    seed: pd.DataFrame, *, title: str, key: str, snap: data.Snapshot, note: str = ""
) -> None:
    """The seed article's undated openings counts as ranked bars per country."""
    country_bars(
        seed,
        title=title,
        axis="Job openings (count)",
        key=key,
        snap=snap,
        columns=("country", "name", "value"),
        what="the seed article's count of job openings",
        note=note,
        color=charts.PALETTE[1],
    )


def missing_occupations(ctx: PageContext, codes: Sequence[str], frame: pd.DataFrame) -> list[str]:
    """The chosen occupation codes with no row in `frame`, as labels (`Name (code)`)."""
    present = set(frame["occupation_code"])
    return [ctx.options.label("occupation", c) for c in codes if c not in present]


def percent_bars(
    frame: pd.DataFrame,
    label: str,
    value: str,
    *,
    title: str,
    axis: str,
    key: str,
    snap: data.Snapshot,
    note: str,
    color: str = charts.PALETTE[1],
    rest_last: bool = False,
) -> None:
    """Ranked bars of a percentage per `label`, with provenance and the numbers behind them.
    `rest_last`: the frame's last row adds up the others (`All other sectors (12)`) and is drawn
    at the bottom, below the ranking, whatever its size."""
    # a copy: the builder's figure is shared (charts.inert remembers it), this one is changed
    fig = go.Figure(
        charts.ranked_bars(
            frame.assign(text=[fmt.pct(v) for v in frame[value]]),
            label,
            value,
            title,
            axis,
            text="text",
            color=color,
        )
    )
    fig.update_xaxes(ticksuffix="%")
    if rest_last and len(frame) > 1:
        rest = str(frame[label].iloc[-1])
        ranked = frame.iloc[:-1].sort_values(value, kind="stable")[label].astype(str).tolist()
        # plotly draws the first category at the bottom of a horizontal bar chart
        fig.update_yaxes(categoryorder="array", categoryarray=[rest, *ranked])
    chart(
        fig,
        frame[["source", label, value]],
        key=key,
        snap=snap,
        sources=sources_of(frame),
        alt=fmt.extremes(
            frame[label], frame[value], what=axis.split(" (")[0].lower(), show=fmt.pct
        ),
        note=note,
    )


def export_buttons(
    rows: Callable[[], pd.DataFrame],
    *,
    key: str,
    title: str,
    table: str,
    snap: data.Snapshot,
    sources: Iterable[str],
    filters: Mapping[str, str],
    count: int | None = None,
    name_parts: Sequence[object] = (),
    grain: str = "",
) -> None:
    """CSV / Excel / Parquet of exactly the filtered rows; files are built only when clicked.
    File names say what they hold (`salaries_US_Senior_2024.csv`); `grain` says what a row is."""
    about = export.About(
        title=title,
        table=table,
        sources=tuple(source_entries(snap, sources)),
        filters=dict(filters),
        data_version=snap.version,
        refreshed_at=str(snap.manifest.get("refreshed_at", "")),
    )
    label = f" ({fmt.plural(count, 'row')})" if count is not None else ""
    st.markdown(f"**Export the filtered rows{label}**" + (f": {grain}" if grain else ""))
    stem = export.file_stem(key, name_parts)
    cols = st.columns(len(export.FORMATS))
    for col, (kind, (name, mime)) in zip(cols, export.FORMATS.items(), strict=True):
        with col:
            st.download_button(
                name,
                data=lambda kind=kind: export.render(kind, rows(), about),
                file_name=f"{stem}.{kind}",
                mime=mime,
                key=f"export_{key}_{kind}",
                icon=":material/download:",
                on_click="ignore",
                width="stretch",
            )
    st.caption(
        "CSV is UTF-8 and starts with a few `#` lines saying what it holds (its first line "
        "says how many to skip); Excel adds an *About* sheet and Parquet carries the same "
        "sources, licences, filters and as-of dates in its metadata."
    )


def page_link(ctx: PageContext, names: Sequence[str]) -> str:
    """This page's address with every one of its filters written out (defaults included), so
    the link reopens exactly this view."""
    base = (st.context.url or "").split("?")[0]
    params = filters.link_params(ctx.state, ctx.options, names)
    query = urlencode([(k, v) for k, values in params.items() for v in values])
    return f"{base}?{query}" if query else base


def usd_columns(*names: str) -> dict[str, Any]:
    """Column settings that show the named columns as whole dollars."""
    return {n: st.column_config.NumberColumn(n, format="$%,d") for n in names}
