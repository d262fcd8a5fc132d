"""Pure plotly figure builders: DataFrames in, figures out (no Streamlit, no queries)."""

from __future__ import annotations

import functools
import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from dashboard.fmt import (
    INDEX_AXIS,
    TOP_CODE,
    USD_AXIS,
    count,
    country_name,
    iso3,
    missing,
    usd,
    wage,
    wrap,
)
from dashboard.stats import LEVEL_ORDER, STAT_COLUMNS
from etl import catalog

# Okabe-Ito, reordered so the first colours are the most distinct on both light and dark
# backgrounds; black is replaced by grey so it stays visible in the dark theme.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#F0E442",
    "#999999",
)
FLAG_GREY = "#999999"
# Low-n bars: a light grey under black labels (contrast 10.9:1); full-n bars: blue under white
# labels (5.1:1). Both clear WCAG's 4.5:1 whatever the page theme, since the bar is the backdrop.
LOW_N_FILL = "#BBBBBB"
LOW_N_HATCH = "#666666"
BAR_TEXT = {PALETTE[0]: "#FFFFFF", LOW_N_FILL: "#000000"}
# Twelve distinct colours for series (countries, sectors): Okabe-Ito, then four from Tol's
# muted scheme; a value keeps its colour across views because the order is the data's.
SERIES_COLOURS = (*PALETTE[:6], "#882255", "#44AA99", "#999933", "#332288", "#AA4499", "#DDCC77")
WHISKERS = {
    "box": "Box: p25–p75 · line: median · whiskers: p10–p90",
    "bar": "Sorted by median, highest on top · bar: median · whiskers: p10–p90",
    "trend": "Line: median · bands: p25–p75 (dark) and p10–p90 (light)",
}
SEQUENTIAL = "Viridis"  # perceptually uniform and colour-blind safe
DIVERGING = "RdBu"  # for the postings index around its 100 baseline
DASHES = ("solid", "dash", "dot", "dashdot")


# Plotly draws `<a href>`, `<b>`, `<i>`, `<span style>` … in any label, tick or hover text. What a
# builder receives comes from the data: its `<` and `>` reach plotly as entities, so a value from
# a file reads as it is. The builders' own markup (`<br>`, hover templates) is added after.
TEMPLATES = ("hover",)  # keyword arguments that are our own plotly templates


def _inert_text(value: object) -> object:
    if isinstance(value, str) and ("<" in value or ">" in value):
        return value.replace("<", "&lt;").replace(">", "&gt;")
    return value


def _inert_column(column: pd.Series | pd.Index) -> pd.Series | pd.Index:
    if column.dtype.kind not in "OSU" and not pd.api.types.is_string_dtype(column.dtype):
        return column
    text = column.astype("string")
    if not text.str.contains("[<>]", regex=True, na=False).any():
        return column
    return column.map(_inert_text)


def _inert(value: object) -> object:
    if isinstance(value, pd.DataFrame):
        out = value.copy()
        for name in out.columns:
            out[name] = _inert_column(out[name])
        out.index = _inert_column(out.index)
        return out
    if isinstance(value, pd.Series):
        out = _inert_column(value)
        out.index = _inert_column(value.index)
        return out
    if isinstance(value, Mapping):
        return {_inert(k): _inert(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_inert(v) for v in value)
    return _inert_text(value)


# Built figures, shared by every session: building one costs more than the cached query
# behind it (issue 25's profile: about half of a warm rerun), and a page's figures repeat for
# every visitor with the same filters. Callers never change a returned figure in place.
MEMO_SIZE = 256
_MEMO: OrderedDict[bytes, go.Figure] = OrderedDict()
_MEMO_LOCK = threading.Lock()


class _Unhashable(Exception):
    """An argument the memo cannot fingerprint: the figure is built, not remembered."""


def _feed(digest: Any, value: object) -> None:
    """Add `value` to the fingerprint: frames by their content, names and types."""
    if isinstance(value, pd.DataFrame | pd.Series):
        digest.update(repr((type(value).__name__, value.shape)).encode())
        if isinstance(value, pd.DataFrame):
            names, types = list(value.columns), list(value.dtypes)
        else:
            names, types = [value.name], [value.dtype]
        digest.update(repr((names, types)).encode())
        try:
            digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        except TypeError as exc:  # unhashable cells (lists): build without the memo
            raise _Unhashable from exc
    elif isinstance(value, Mapping):
        digest.update(b"{")
        for key, item in value.items():
            _feed(digest, key)
            _feed(digest, item)
        digest.update(b"}")
    elif isinstance(value, list | tuple):
        digest.update(b"[")
        for item in value:
            _feed(digest, item)
        digest.update(b"]")
    elif value is None or isinstance(value, str | int | float | bool | pd.Timestamp):
        digest.update(repr((type(value).__name__, value)).encode())
    else:
        raise _Unhashable


def _fingerprint(name: str, args: tuple, kwargs: dict) -> bytes | None:
    digest = hashlib.blake2b(name.encode(), digest_size=20)
    try:
        _feed(digest, args)
        _feed(digest, sorted(kwargs.items()))
    except _Unhashable:
        return None
    return digest.digest()


def inert(builder: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
    """A figure builder whose text arguments (frames, labels, titles) are escaped for plotly,
    and whose figures are remembered per argument content (see MEMO_SIZE): the same arguments
    return the same figure object, which callers copy before changing."""

    @functools.wraps(builder)
    def build(*args: Any, **kwargs: Any) -> go.Figure:
        key = _fingerprint(builder.__qualname__, args, kwargs)
        if key is not None:
            with _MEMO_LOCK:
                if key in _MEMO:
                    _MEMO.move_to_end(key)
                    return _MEMO[key]
        kwargs = {k: v if k in TEMPLATES else _inert(v) for k, v in kwargs.items()}
        fig = builder(*(_inert(a) for a in args), **kwargs)
        if key is not None:
            with _MEMO_LOCK:
                _MEMO[key] = fig
                while len(_MEMO) > MEMO_SIZE:
                    _MEMO.popitem(last=False)
        return fig

    return build


def colour_map(values: Sequence[object]) -> dict[object, str]:
    """A colour per value, by its position in `values` (pass every value the data has, in a
    fixed order, so a country keeps its colour whatever the filters pick)."""
    return {v: SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, v in enumerate(values)}


def group_label(name: object, n: int, low: bool) -> str:
    flag = " ⚠" if low else ""
    return f"{name}<br>n={n:,}{flag}"


def _salary_hover(label: str) -> str:
    return (
        f"<b>{label}</b><br>n = %{{customdata[0]:,}}<br>p10 %{{customdata[1]:$,.0f}}"
        "<br>p25 %{customdata[2]:$,.0f}<br><b>median %{customdata[3]:$,.0f}</b>"
        "<br>p75 %{customdata[4]:$,.0f}<br>p90 %{customdata[5]:$,.0f}<extra></extra>"
    )


def _base_layout(fig: go.Figure, title: str, height: int = 420, subtitle: str = "") -> go.Figure:
    heading: dict[str, object] = {"text": title, "x": 0, "xanchor": "left"}
    if subtitle:  # what the marks mean (whiskers, bands), said on the chart itself
        heading["subtitle"] = {"text": subtitle}
    fig.update_layout(
        title=heading,
        height=height,
        margin={"l": 10, "r": 10, "t": 70 if subtitle else 50, "b": 10},
        # Below the plot: a legend above it collides with the title once it wraps.
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "xanchor": "left",
            "x": 0,
        },
        hoverlabel={"namelength": -1},
        separators=".,",
    )
    return fig


def empty_figure(message: str, title: str = "") -> go.Figure:
    """A figure that says why it is empty, instead of blank axes."""
    fig = go.Figure()
    fig.add_annotation(
        text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 15}
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _base_layout(fig, title, height=260)


@inert
def salary_box(
    stats: pd.DataFrame,
    group: str,
    title: str,
    *,
    order: Sequence[str] | None = None,
    horizontal: bool | None = None,
) -> go.Figure:
    """Box per group from precomputed percentiles: box p25–p75, line = median, whiskers p10–p90.
    `horizontal` fixes the orientation (None: rows when there are more than six groups)."""
    if stats.empty:
        return empty_figure("No group has 10 or more salary reports for these filters.", title)
    frame = stats.copy()
    if order is not None:
        rank = {v: i for i, v in enumerate(order)}
        frame = frame.sort_values(group, key=lambda s: s.map(lambda v: rank.get(v, len(rank))))
    if horizontal is None:
        horizontal = len(frame) > 6
    if horizontal:  # many groups read better as rows, highest median on top
        frame = frame.sort_values("p50")
    low = frame.get("low_n", pd.Series(False, index=frame.index))
    fig = go.Figure()
    for flagged in (False, True):
        part = frame.loc[low == flagged]
        if part.empty:
            continue
        labels = [
            group_label(g, int(n), flagged) for g, n in zip(part[group], part["n"], strict=True)
        ]
        pos = "y" if horizontal else "x"
        fig.add_trace(
            go.Box(
                **{pos: labels},
                q1=part["p25"],
                median=part["p50"],
                q3=part["p75"],
                lowerfence=part["p10"],
                upperfence=part["p90"],
                orientation="h" if horizontal else "v",
                name="n < 30: read with care" if flagged else "n ≥ 30",
                marker_color=FLAG_GREY if flagged else PALETTE[0],
                fillcolor="rgba(153,153,153,0.25)" if flagged else "rgba(0,114,178,0.35)",
                line={"width": 2},
                customdata=part[STAT_COLUMNS].to_numpy(),
                hovertemplate=_salary_hover("%{" + pos + "}"),
                showlegend=bool(low.any()),
            )
        )
    category_order = [
        group_label(g, int(n), bool(f))
        for g, n, f in zip(frame[group], frame["n"], low, strict=True)
    ]
    value_axis = {"title": USD_AXIS, "tickprefix": "$", "tickformat": "~s", "rangemode": "tozero"}
    category_axis = {"categoryorder": "array", "categoryarray": category_order, "title": None}
    if horizontal:
        fig.update_xaxes(**value_axis)
        fig.update_yaxes(**category_axis)
    else:
        fig.update_yaxes(**value_axis)
        fig.update_xaxes(**category_axis)
    height = max(420, 34 * len(frame) + 140) if horizontal else 460
    return _base_layout(fig, title, height=height, subtitle=WHISKERS["box"])


@inert
def salary_ranked_bars(
    stats: pd.DataFrame, group: str, title: str, *, labels: dict[str, str] | None = None
) -> go.Figure:
    """Median per group, ranked, with p10–p90 whiskers (as on the box charts) and n on each
    bar; groups with n < 30 light grey and hatched, every label legible on its bar."""
    if stats.empty:
        return empty_figure("No group has 10 or more salary reports for these filters.", title)
    frame = stats.sort_values("p50").reset_index(drop=True)
    low = frame.get("low_n", pd.Series(False, index=frame.index)).astype(bool)
    names = [labels.get(g, g) if labels else str(g) for g in frame[group]]
    fills = [LOW_N_FILL if f else PALETTE[0] for f in low]
    fig = go.Figure(
        go.Bar(
            y=names,
            x=frame["p50"],
            orientation="h",
            marker={
                "color": fills,
                "pattern": {"shape": ["/" if f else "" for f in low], "fgcolor": LOW_N_HATCH},
            },
            error_x={
                "type": "data",
                "symmetric": False,
                "array": frame["p90"] - frame["p50"],
                "arrayminus": frame["p50"] - frame["p10"],
                "color": "rgba(128,128,128,0.8)",
                "thickness": 1.2,
            },
            text=[f"n={n:,}{' ⚠' if f else ''}" for n, f in zip(frame["n"], low, strict=True)],
            textposition="inside",
            insidetextanchor="start",
            insidetextfont={"color": [BAR_TEXT[c] for c in fills]},
            customdata=frame[STAT_COLUMNS].to_numpy(),
            hovertemplate=_salary_hover("%{y}"),
            showlegend=False,
        )
    )
    fig.update_xaxes(title="Median salary (USD per year)", tickprefix="$")
    fig.update_xaxes(tickformat="~s")
    fig.update_yaxes(title=None, automargin=True)
    height = max(340, 28 * len(frame) + 140)
    return _base_layout(fig, title, height=height, subtitle=WHISKERS["bar"])


def _geo(fig: go.Figure, countries: Sequence[str]) -> go.Figure:
    # Zoom to what is drawn: Europe-only data on a map of Europe, a few countries fitted to
    # their outlines, anything wider on the whole world (fitting a world-wide set would
    # centre the map on the date line).
    codes = set(countries)
    view: dict[str, object] = {"projection_type": "natural earth", "lataxis_range": [-58, 85]}
    if codes and codes <= catalog.countries.EUROPE and len(codes) > 3:
        view = {"scope": "europe", "projection_type": "mercator"}
    elif 0 < len(codes) <= 3:
        view = {"projection_type": "natural earth", "fitbounds": "locations"}
    fig.update_geos(**view)
    fig.update_geos(
        showframe=False,
        showcoastlines=False,
        showland=True,
        landcolor="rgba(128,128,128,0.18)",
        showcountries=True,
        countrycolor="rgba(128,128,128,0.5)",
        bgcolor="rgba(0,0,0,0)",
    )
    return fig


@inert
def choropleth(
    frame: pd.DataFrame,
    value: str,
    title: str,
    colorbar_title: str,
    *,
    hover: str,
    midpoint: float | None = None,
    customdata: Sequence[str] = (),
    subtitle: str = "",
) -> go.Figure:
    """Map by ISO2 `country`, zoomed to the countries drawn (Europe, a few countries, or the
    world); aggregates without an ISO3 code (EA)
    are left off. One value gets no colour scale: a legend spanning 96.5996k–96.6004k says
    nothing a label cannot."""
    if frame.empty:
        return empty_figure("No country matches these filters.", title)
    data = frame.assign(iso3=frame["country"].map(iso3)).dropna(subset=["iso3"])
    if data.empty:
        return empty_figure("None of the selected areas can be drawn on a world map.", title)
    scale: dict[str, object] = {"colorscale": SEQUENTIAL}
    if midpoint is not None:
        spread = max(abs(data[value].max() - midpoint), abs(midpoint - data[value].min()), 1)
        scale = {"colorscale": DIVERGING, "zmid": midpoint}
        scale["zmin"], scale["zmax"] = midpoint - spread, midpoint + spread
    fig = go.Figure(
        go.Choropleth(
            locations=data["iso3"],
            locationmode="ISO-3",
            z=data[value],
            colorbar={"title": {"text": colorbar_title}, "thickness": 14},
            showscale=data[value].nunique() > 1,
            marker_line_color="rgba(128,128,128,0.6)",
            customdata=data[list(customdata)].to_numpy() if customdata else None,
            hovertemplate=hover + "<extra></extra>",
            **scale,
        )
    )
    return _base_layout(_geo(fig, list(data["country"])), title, height=440, subtitle=subtitle)


@inert
def salary_map(stats: pd.DataFrame, title: str) -> go.Figure:
    """Median salary per country on a world map; hover gives p25–p75 and n."""
    frame = stats.rename(columns={stats.columns[0]: "country"}).copy()
    frame["name"] = [country_name(c) for c in frame["country"]]
    hover = (
        "<b>%{customdata[0]}</b><br>median %{z:$,.0f}<br>p25 %{customdata[1]:$,.0f} – "
        "p75 %{customdata[2]:$,.0f}<br>n = %{customdata[3]:,}"
    )
    return choropleth(
        frame,
        "p50",
        title,
        "Median (USD)",
        hover=hover,
        customdata=("name", "p25", "p75", "n"),
    )


@inert
def salary_trend(stats: pd.DataFrame, title: str, *, partial: Sequence[int] = ()) -> go.Figure:
    """Median by year with p25–p75 and p10–p90 bands; n written at each point; years the
    snapshot covers only in part are labelled "(partial)" on the axis."""
    if stats.empty:
        return empty_figure("No year has 10 or more salary reports for these filters.", title)
    frame = stats.sort_values(stats.columns[0]).reset_index(drop=True)
    x = frame.iloc[:, 0].astype(int)
    fig = go.Figure()
    for lo, hi, name, alpha in (("p10", "p90", "p10–p90", 0.18), ("p25", "p75", "p25–p75", 0.38)):
        fig.add_trace(go.Scatter(x=x, y=frame[hi], mode="lines", line_width=0, showlegend=False))
        fig.add_trace(
            go.Scatter(
                x=x,
                y=frame[lo],
                mode="lines",
                line_width=0,
                fill="tonexty",
                fillcolor=f"rgba(86,180,233,{alpha})",
                name=name,
                hoverinfo="skip",
            )
        )
    low = frame.get("low_n", pd.Series(False, index=frame.index)).astype(bool)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=frame["p50"],
            mode="lines+markers+text",
            name="median",
            line={"color": PALETTE[0], "width": 3},
            marker={"size": 9, "symbol": ["circle-open" if f else "circle" for f in low]},
            text=[f"n={n:,}{' ⚠' if f else ''}" for n, f in zip(frame["n"], low, strict=True)],
            textposition="top center",
            customdata=frame[STAT_COLUMNS].to_numpy(),
            hovertemplate=_salary_hover("%{x}"),
        )
    )
    ticks = [f"{y}<br>(partial)" if y in set(partial) else str(y) for y in x]
    fig.update_xaxes(title="Work year", tickmode="array", tickvals=list(x), ticktext=ticks)
    fig.update_yaxes(title=USD_AXIS, tickprefix="$", tickformat="~s", rangemode="tozero")
    return _base_layout(fig, title, height=440, subtitle=WHISKERS["trend"])


@inert
def seed_levels(levels: pd.DataFrame, medians: pd.DataFrame | None, title: str) -> go.Figure:
    """The seed's published mean by level, next to the aijobs median (with n) where there is one."""
    if levels.empty:
        return empty_figure("The seed table of salaries by level is not loaded.", title)
    order = [lv for lv in LEVEL_ORDER if lv in set(levels["experience_level"])]
    frame = levels.set_index("experience_level").reindex(order).reset_index()
    fig = go.Figure(
        go.Bar(
            x=frame["experience_level"],
            y=frame["salary_usd"],
            name="Seed article: published mean (n unknown)",
            marker={"color": PALETTE[1], "pattern": {"shape": "."}},
            text=[usd(v, short=True) for v in frame["salary_usd"]],
            textposition="outside",
            hovertemplate="%{x}: mean %{y:$,.0f} (as published; n unknown)<extra></extra>",
        )
    )
    if medians is not None and not medians.empty:
        med = medians.set_index("experience_level").reindex(order).reset_index()
        fig.add_trace(
            go.Bar(
                x=med["experience_level"],
                y=med["p50"],
                name="aijobs.net: median of reports",
                marker_color=PALETTE[0],
                text=[
                    "" if missing(v) else f"{usd(v, short=True)}<br>n={int(n):,}"
                    for v, n in zip(med["p50"], med["n"].fillna(0), strict=True)
                ],
                textposition="outside",
                hovertemplate="%{x}: median %{y:$,.0f}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    top = max(frame["salary_usd"].max(), medians["p50"].max() if medians is not None else 0)
    fig.update_yaxes(title=USD_AXIS, tickprefix="$", tickformat="~s", range=[0, top * 1.18])
    fig.update_xaxes(title="Experience level")
    return _base_layout(fig, title, height=440)


# --------------------------------------------------------------------------------------------
# Openings


# A daily line longer than this is drawn one point a week: Indeed's series are already
# seven-day averages, so the weekly points draw the same line, and a page of six years of
# daily lines sent (and the browser drew) seven times the points (issue 25's profile).
DAILY_POINTS_MAX = 400


def weekly(part: pd.DataFrame, date: str = "date") -> pd.DataFrame:
    """Every seventh day of a long daily series, counted back from its last date (which is
    always kept, so the line ends where the data ends); shorter or non-daily series as given."""
    if len(part) <= DAILY_POINTS_MAX:
        return part
    dates = pd.to_datetime(part[date])
    steps = dates.diff().dropna()
    if steps.empty or steps.median() > pd.Timedelta(days=1):
        return part
    days_back = (dates.max() - dates).dt.days
    return part.loc[(days_back % 7 == 0).to_numpy()]


def _index_line(
    part: pd.DataFrame, name: str, group: str, line: dict[str, object], legend: bool = True
) -> go.Scatter:
    """One postings-index line (date, value) with its hover text; long daily series weekly."""
    part = weekly(part)
    return go.Scatter(
        x=part["date"],
        y=part["value"],
        mode="lines",
        name=name,
        legendgroup=group,
        showlegend=legend,
        line=line,
        hovertemplate=f"{name}<br>%{{x|%d %b %Y}}: %{{y:.1f}}<extra></extra>",
    )


def _index_axes(fig: go.Figure, title: str) -> go.Figure:
    """The postings index lines' frame: the 1 Feb 2020 = 100 line, the index axis, hover."""
    fig.add_hline(
        y=100,
        line={"color": FLAG_GREY, "dash": "dot", "width": 1},
        annotation_text="1 Feb 2020 = 100",
        annotation_position="top left",
    )
    fig.update_yaxes(title=INDEX_AXIS, rangemode="tozero")
    fig.update_xaxes(title=None)
    fig.update_layout(hovermode="x unified" if len(fig.data) <= 8 else "closest")
    return _base_layout(fig, title, height=460)


@inert
def index_lines(
    series: pd.DataFrame,
    title: str,
    variants: Sequence[str] | None = None,
    colours: Mapping[object, str] | None = None,
) -> go.Figure:
    """Postings index over time: colour = country (from `colours`, stable across views), dash =
    variant (SA/NSA, total/new), the first variant solid."""
    if series.empty:
        return empty_figure("No postings index for these countries and dates.", title)
    fig = go.Figure()
    # unique() keeps first-seen order and is far faster than iterating Arrow strings
    countries = series["country"].unique().tolist()
    present = series["variant"].unique().tolist()
    variants = [v for v in variants or present if v in present]
    parts = dict(list(series.groupby(["country", "variant"], sort=False)))
    colours = colours or colour_map(sorted(countries))
    for code in countries:
        for vi, variant in enumerate(variants):
            part = parts.get((code, variant))
            if part is None:
                continue
            label = country_name(code)
            name = f"{label} · {variant}" if len(variants) > 1 else label
            line = {"color": colours.get(code, FLAG_GREY), "dash": DASHES[vi % len(DASHES)]}
            fig.add_trace(_index_line(part, name, code, line | {"width": 2}))
    return _index_axes(fig, title)


@inert
def ranked_bars(
    frame: pd.DataFrame,
    label: str,
    value: str,
    title: str,
    axis_title: str,
    *,
    text: str | None = None,
    reference: float | None = None,
    color: str = PALETTE[0],
    hover_format: str = ",.0f",
) -> go.Figure:
    """Horizontal bars, largest on top (country counts, industry shares, rankings); equal
    values keep their order in `frame`, the first at the bottom."""
    if frame.empty:
        return empty_figure("Nothing matches these filters.", title)
    data = frame.sort_values(value, kind="stable").reset_index(drop=True)  # ties: as given
    fig = go.Figure(
        go.Bar(
            y=data[label].astype(str),
            x=data[value],
            orientation="h",
            marker_color=color,
            text=data[text] if text else None,
            textposition="auto",
            hovertemplate=f"%{{y}}: %{{x:{hover_format}}}<extra></extra>",
        )
    )
    if reference is not None:
        fig.add_vline(x=reference, line={"color": FLAG_GREY, "dash": "dot", "width": 1})
    fig.update_xaxes(title=axis_title, separatethousands=True)
    fig.update_yaxes(title=None, automargin=True)
    return _base_layout(fig, title, height=max(300, 26 * len(data) + 130))


def _panel_title(code: str, missing: Sequence[str]) -> str:
    if not missing:
        return country_name(code)
    # Short lines: on a phone a panel is ~180 px wide, and a long subtitle runs into the next.
    lines = wrap(f"missing: {', '.join(missing)}", 28)
    return f"{country_name(code)}<br><sub>{lines.replace('<br>', '<br>')}</sub>"


@inert
def sector_lines(
    series: pd.DataFrame,
    title: str,
    *,
    columns: int = 2,
    colours: Mapping[object, str] | None = None,
    missing: Mapping[str, Sequence[str]] | None = None,
) -> go.Figure:
    """Sector postings index, one small panel per country, colour = sector (from `colours`,
    stable across views); `missing` (country -> sectors its file lacks) is written in the
    panel, so an absent series reads as missing, not as nothing."""
    if series.empty:
        return empty_figure(
            "No sector postings index for these countries, sectors and dates.", title
        )
    countries = series["country"].unique().tolist()
    sectors = series["sector"].unique().tolist()
    parts = dict(list(series.groupby(["country", "sector"], sort=False)))
    cols = min(columns, len(countries))
    rows = math.ceil(len(countries) / cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        shared_yaxes=True,
        shared_xaxes=True,
        subplot_titles=[_panel_title(c, (missing or {}).get(c, ())) for c in countries],
        vertical_spacing=0.12 / max(rows, 1) + 0.04,
        horizontal_spacing=0.05,
    )
    colours = colours or colour_map(sorted(sectors))
    in_legend: set[str] = set()
    for i, code in enumerate(countries):
        r, c = divmod(i, cols)
        for sector in sectors:
            part = parts.get((code, sector))
            if part is None:
                continue
            line = {"color": colours.get(sector, FLAG_GREY), "width": 1.8}
            trace = _index_line(part, sector, sector, line, sector not in in_legend)
            fig.add_trace(trace, row=r + 1, col=c + 1)
            in_legend.add(sector)
        fig.add_hline(
            y=100, line={"color": FLAG_GREY, "dash": "dot", "width": 1}, row=r + 1, col=c + 1
        )
    fig.update_yaxes(rangemode="tozero")
    for r in range(rows):
        fig.update_yaxes(title_text="Index (1 Feb 2020 = 100)", row=r + 1, col=1)
    fig = _base_layout(fig, title, height=260 * rows + 160)
    fig.update_layout(margin={"t": 90})  # room for the title above the first panels' titles
    return fig


# --------------------------------------------------------------------------------------------
# Skills, education, seed tables


@inert
def category_heatmap(cells: pd.DataFrame, title: str) -> go.Figure:
    """Hot technologies per category (rows, in the order given, the first on top) and
    occupation (columns), from the long-form cells `data.hot_counts` gives (`category`,
    `occupation`, `hot technologies`): every cell given is drawn, and only those."""
    if cells.empty:
        return empty_figure("None of the chosen occupations lists a hot technology.", title)
    rows = list(dict.fromkeys(cells["category"]))[::-1]  # plotly draws y from the bottom up
    grid = cells.pivot_table(
        index="category",
        columns="occupation",
        values="hot technologies",
        aggfunc="sum",
        fill_value=0,
    ).loc[rows]
    # Lines of at most 24 characters (O*NET's longest category takes 3): on a phone, ~350 px
    # for the whole chart, the category labels then leave room for the cells.
    labels = [wrap(c, 24) for c in grid.index]
    lines = max(label.count("<br>") + 1 for label in labels)
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[wrap(c, 24) for c in grid.columns],
            y=labels,
            colorscale=SEQUENTIAL,
            text=grid.to_numpy(),
            texttemplate="%{text}",
            showscale=False,  # every cell is written out: a colour bar would only take room
            customdata=[[[c, o] for o in grid.columns] for c in grid.index],
            hovertemplate="%{customdata[1]}<br>%{customdata[0]}: %{z} hot technologies"
            "<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    # Occupation labels turn upright, read from the bottom, when they no longer fit side by
    # side (a phone); a row is as tall as its label's lines.
    fig.update_xaxes(title=None, autotickangles=[0, -90], automargin=True)
    fig.update_yaxes(title=None, automargin=True, tickfont={"size": 11})
    row = max(30, 14 * lines)
    return _base_layout(fig, title, height=max(360, row * len(grid) + 190))


@inert
def education_stacked(frame: pd.DataFrame, title: str) -> go.Figure:
    """Required education per occupation as 100% stacked bars, levels in their natural order."""
    if frame.empty:
        return empty_figure("No education data for the chosen occupations.", title)
    data = frame.copy()
    if "level_order" not in data or data["level_order"].isna().all():
        data["level_order"] = data.groupby("occupation").cumcount() + 1
    levels = data.groupby("education_level")["level_order"].min().sort_values().index.tolist()
    colours = sample_colorscale(
        "Viridis", [i / max(len(levels) - 1, 1) for i in range(len(levels))]
    )
    fig = go.Figure()
    for level, colour in zip(levels, colours, strict=True):
        part = data.loc[data["education_level"] == level]
        fig.add_trace(
            go.Bar(
                y=part["occupation"],
                x=part["share_pct"],
                orientation="h",
                name=level,
                marker_color=colour,
                hovertemplate=f"%{{y}}<br>{level}: %{{x:.1f}}%<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_xaxes(title="Share of respondents (%)", range=[0, 100.5], ticksuffix="%")
    fig.update_yaxes(title=None, automargin=True)
    occupations = data["occupation"].nunique()
    return _base_layout(fig, title, height=max(300, 60 * occupations + 220))


def _wage_hover() -> str:
    return (
        "<b>%{customdata[0]}</b><br>employment %{customdata[1]}<br>p10 %{customdata[2]}"
        "<br>p25 %{customdata[3]}<br><b>median %{customdata[4]}</b><br>p75 %{customdata[5]}"
        "<br>p90 %{customdata[6]}<extra></extra>"
    )


def wage_hover_data(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The hover columns of OEWS rows: name, employment and the five annual percentiles as
    text, a top-coded one as `≥ $239,200`."""
    out = pd.DataFrame({"name": frame[name].astype(str)}, index=frame.index)
    out["employment"] = [count(v) for v in frame["employment"]]
    for stat in ("annual_p10", "annual_p25", "annual_median", "annual_p75", "annual_p90"):
        out[stat] = [
            wage(v, bool(top)) for v, top in zip(frame[stat], frame["top_coded"], strict=True)
        ]
    return out


@inert
def wage_bands(frame: pd.DataFrame, label: str, title: str) -> go.Figure:
    """OEWS annual wage bands, one row per `label` (occupations, areas), in the order given
    (first on top): box p25–p75, line at the median, whiskers p10–p90. A percentile BLS
    top-codes sits at the floor and is written `≥ $239,200` at the end of its row."""
    rows = frame.dropna(subset=["annual_median"])
    if rows.empty:
        return empty_figure("BLS publishes no wages for this choice.", title)
    names = [wrap(str(v), 38) for v in rows[label]]
    fig = go.Figure(
        go.Box(
            y=names,
            q1=rows["annual_p25"],
            median=rows["annual_median"],
            q3=rows["annual_p75"],
            lowerfence=rows["annual_p10"].fillna(rows["annual_p25"]),
            upperfence=rows["annual_p90"].fillna(rows["annual_p75"]),
            orientation="h",
            marker_color=PALETTE[0],
            fillcolor="rgba(0,114,178,0.35)",
            line={"width": 2},
            customdata=wage_hover_data(rows, label).to_numpy(),
            hovertemplate=_wage_hover(),
            showlegend=False,
        )
    )
    for name, p90, top in zip(names, rows["annual_p90"], rows["top_coded"], strict=True):
        if bool(top) and p90 == TOP_CODE:
            fig.add_annotation(
                x=p90, y=name, text="≥ $239,200", showarrow=False, xanchor="left", xshift=6
            )
    fig.update_xaxes(title="Annual wage (USD)", tickprefix="$", tickformat="~s", rangemode="tozero")
    fig.update_yaxes(title=None, automargin=True, categoryorder="array", categoryarray=names[::-1])
    height = max(260, 60 * len(rows) + 130)
    return _base_layout(fig, title, height=height, subtitle=WHISKERS["box"])


def _bar_below(title: str) -> dict[str, object]:
    """A map's colour bar below the map, across it: at phone width a side colour bar leaves the
    map tiny."""
    return {
        "title": {"text": title, "side": "top"},
        "thickness": 12,
        "orientation": "h",
        "y": -0.02,
        "yanchor": "top",
        "len": 0.6,
    }


def _us_map(fig: go.Figure, title: str, subtitle: str) -> go.Figure:
    """A US state map's frame (the bundled state outlines, no lakes)."""
    fig.update_geos(scope="usa", bgcolor="rgba(0,0,0,0)", showlakes=False)
    return _base_layout(fig, title, height=440, subtitle=subtitle)


@inert
def state_map(
    frame: pd.DataFrame, value: str, title: str, colorbar_title: str, subtitle: str = ""
) -> go.Figure:
    """A US state choropleth of `value` (rows keyed by ISO 3166-2:US `state`, e.g. US-CA),
    drawn from the bundled state outlines; hover gives employment and the percentiles.
    Territories have no outline on this map (their rows stay in the table)."""
    data = frame.dropna(subset=[value])
    data = data.loc[data["state"].str.len() == 5]
    if data.empty:
        return empty_figure("BLS publishes no state figure for this choice.", title)
    hover = wage_hover_data(data, "area_name")
    shown = {
        "annual_median": "%{customdata[4]}",
        "employment": "%{customdata[1]}",
        "employment_per_1000": "%{z:.2f} per 1,000 jobs",
        "location_quotient": "location quotient %{z:.2f}",
        "change": "postings %{z:+.1f} points in 12 months",
    }.get(value, "%{z}")
    fig = go.Figure(
        go.Choropleth(
            locations=data["state"].str[3:],
            locationmode="USA-states",
            z=data[value],
            colorscale=SEQUENTIAL,
            colorbar=_bar_below(colorbar_title),
            showscale=data[value].nunique() > 1,
            marker_line_color="rgba(255,255,255,0.8)",
            customdata=hover.to_numpy(),
            hovertemplate=_wage_hover().replace("<extra>", f"<br>{shown}<extra>", 1),
        )
    )
    return _us_map(fig, title, subtitle)


SIDES = {
    ("crowd", "closest"): ("aijobs reports (US residents)", PALETTE[0]),
    ("official", "closest"): ("BLS OEWS, nearest occupation", PALETTE[1]),
    ("official", "alternative"): ("BLS OEWS, alternative occupation", PALETTE[2]),
}


@inert
def crowd_official(frame: pd.DataFrame, title: str) -> go.Figure:
    """Per job family, the crowd's percentiles beside the official ones: grouped horizontal
    boxes (p25–p75, median line, p10–p90 whiskers), families in the order given, top first."""
    if frame.empty:
        return empty_figure("No job family has both crowd reports and official wages.", title)
    reports = frame.loc[frame["side"] == "crowd"].set_index("job_family")["n"]
    labels = {
        f: f"{f}<br>n={count(reports.get(f))} reports" if f in reports else f
        for f in dict.fromkeys(frame["job_family"])
    }
    families = list(labels.values())
    fig = go.Figure()
    # Horizontal grouped boxes stack the first trace lowest: add the crowd last, so it is on top.
    for (side, fit), (name, colour) in reversed(SIDES.items()):
        part = frame.loc[(frame["side"] == side) & (frame["fit"] == fit)]
        if part.empty:
            continue
        what = "reports" if side == "crowd" else "jobs (estimate)"
        hover = part.assign(
            what=[
                f"{o} ({c})"
                for o, c in zip(part["occupation"], part["occupation_code"], strict=True)
            ],
            count=[f"{count(v)} {what}" for v in part["n"]],
        )
        fig.add_trace(
            go.Box(
                y=part["job_family"].map(labels),
                q1=part["p25"],
                median=part["p50"],
                q3=part["p75"],
                lowerfence=part["p10"],
                upperfence=part["p90"],
                orientation="h",
                name=name,
                marker_color=colour,
                line={"width": 2},
                customdata=hover[["what", "count", *STAT_COLUMNS[1:]]].to_numpy(),
                hovertemplate=(
                    f"<b>{name}</b><br>%{{customdata[0]}}<br>%{{customdata[1]}}"
                    "<br>p10 %{customdata[2]:$,.0f}<br>p25 %{customdata[3]:$,.0f}"
                    "<br><b>median %{customdata[4]:$,.0f}</b><br>p75 %{customdata[5]:$,.0f}"
                    "<br>p90 %{customdata[6]:$,.0f}<extra></extra>"
                ),
            )
        )
    fig.update_layout(boxmode="group", boxgroupgap=0.25, boxgap=0.15, legend_traceorder="reversed")
    fig.update_xaxes(title=USD_AXIS, tickprefix="$", tickformat="~s", rangemode="tozero")
    fig.update_yaxes(
        title=None, automargin=True, categoryorder="array", categoryarray=families[::-1]
    )
    return _base_layout(
        fig, title, height=max(420, 70 * len(families) + 160), subtitle=WHISKERS["box"]
    )


@inert
def offer_distribution(
    values: Sequence[float], offer: float | None, title: str, subtitle: str = ""
) -> go.Figure:
    """The group's salaries as a histogram, its p25/p50/p75 as dotted lines and the offer as a
    solid one, labelled above the plot. The x axis spans the middle 99 % of the reports (and
    the offer): a few extreme reports would otherwise squeeze the rest into a few bars."""
    if not len(values):
        return empty_figure("No matching salary reports", title)
    series = pd.Series(values, dtype=float)
    lo, hi = series.quantile([0.005, 0.995]).tolist()
    if offer is not None:
        lo, hi = min(lo, offer), max(hi, offer)
    pad = (hi - lo) * 0.03 or 1.0
    shown = series[(series >= lo) & (series <= hi)]
    fig = go.Figure(
        go.Histogram(
            x=shown.tolist(),
            nbinsx=int(min(40, max(10, len(shown) // 4))),  # few reports: fewer, wider bars
            marker={"color": PALETTE[4]},
            name="reports",
            hovertemplate="%{x}<br>%{y} reports<extra></extra>",
        )
    )
    quartiles = series.quantile([0.25, 0.5, 0.75]).tolist()
    for name, value in zip(("p25", "median", "p75"), quartiles, strict=True):
        fig.add_vline(
            x=value,
            line={"color": FLAG_GREY, "dash": "dot", "width": 1.5},
            annotation={"text": name, "font": {"size": 11}},
            annotation_position="top",
        )
    if offer is not None:
        fig.add_vline(x=offer, line={"color": PALETTE[3], "width": 3})
        right = offer > (lo + hi) / 2
        fig.add_annotation(
            x=offer,
            y=1.18,
            yref="paper",
            text=f"<b>your offer {usd(offer)}</b>",
            showarrow=False,
            xanchor="right" if right else "left",
            font={"color": PALETTE[3], "size": 13},
        )
    fig.update_xaxes(title=USD_AXIS, tickformat="$,.0f", range=[lo - pad, hi + pad])
    fig.update_yaxes(title="Reports")
    fig.update_layout(showlegend=False, bargap=0.05)
    fig = _base_layout(fig, title, height=400, subtitle=subtitle)
    fig.update_layout(margin={"t": 110})
    return fig


# --------------------------------------------------------------------------------------------
# Compare two segments


@inert
def compare_distributions(
    groups: Mapping[str, tuple[str, Sequence[float], str]], title: str, subtitle: str = ""
) -> go.Figure:
    """Two (or more) groups' salaries as overlaid histograms in % of each group's reports (so
    groups of different size compare), on shared bins over the middle 99 % of all reports; each
    group's median as a dashed line in its colour. `groups`: key -> (name, values, colour)."""
    present = {k: g for k, g in groups.items() if len(g[1])}
    if not present:
        return empty_figure("No matching salary reports", title)
    pooled = pd.Series([v for _, values, _ in present.values() for v in values], dtype=float)
    lo, hi = pooled.quantile([0.005, 0.995]).tolist()
    smallest = min(len(values) for _, values, _ in present.values())
    bins = int(min(40, max(8, smallest // 4)))
    size = (hi - lo) / bins or 1.0
    fig = go.Figure()
    for name, values, colour in present.values():
        series = pd.Series(values, dtype=float)
        fig.add_trace(
            go.Histogram(
                x=series[(series >= lo) & (series <= hi)].tolist(),
                xbins={"start": lo, "end": hi + size, "size": size},
                histnorm="percent",
                name=f"{name} (n = {len(series):,})",
                marker={"color": colour},
                opacity=0.55,
                hovertemplate=f"{name}<br>%{{x}}<br>%{{y:.1f}} % of its reports<extra></extra>",
            )
        )
        fig.add_vline(x=float(series.median()), line={"color": colour, "dash": "dash", "width": 3})
    fig.update_xaxes(title=USD_AXIS, tickformat="$,.0f", range=[lo - size, hi + size])
    fig.update_yaxes(title="% of the segment's reports")
    fig.update_layout(barmode="overlay", bargap=0.05)
    fig = _base_layout(fig, title, height=440, subtitle=subtitle)
    fig.update_layout(margin={"b": 90})
    return fig


@inert
def index_gap_lines(
    gaps: pd.DataFrame, names: Mapping[str, str], colours: Mapping[str, str], title: str
) -> go.Figure:
    """Two postings index lines (top) and the gap between them, A − B in index points (bottom),
    on one shared time axis. `gaps`: date, a, b, gap (the common dates)."""
    if gaps.empty:
        return empty_figure("The two index lines share no date.", title)
    gaps = weekly(gaps)
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.65, 0.35], vertical_spacing=0.08
    )
    for side in ("a", "b"):
        fig.add_trace(
            _index_line(
                gaps.rename(columns={side: "value"}),
                f"{side.upper()}: {names[side]}",
                side,
                {"color": colours[side], "width": 2},
            ),
            row=1,
            col=1,
        )
    fig.add_trace(
        go.Scatter(
            x=gaps["date"],
            y=gaps["gap"],
            mode="lines",
            name="gap A − B",
            line={"color": FLAG_GREY, "width": 2},
            fill="tozeroy",
            hovertemplate="A − B<br>%{x|%d %b %Y}: %{y:+.1f} points<extra></extra>",
        ),
        row=2,
        col=1,
    )
    fig.add_hline(y=100, line={"color": FLAG_GREY, "dash": "dot", "width": 1}, row=1, col=1)
    fig.add_hline(y=0, line={"color": FLAG_GREY, "width": 1}, row=2, col=1)
    fig.update_yaxes(title="Index (1 Feb 2020 = 100)", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title="A − B (points)", row=2, col=1)
    fig.update_layout(hovermode="x unified")
    return _base_layout(fig, title, height=560)


@inert
def demand_and_pay(
    index: pd.DataFrame,
    pay: pd.DataFrame,
    names: Mapping[str, str],
    title: str,
    *,
    partial: Sequence[int] = (),
) -> go.Figure:
    """A sector's postings index (top, daily) above a job family's median salary per work year
    (bottom, drawn across the year it covers: 1 Jan to 31 Dec, with its p25–p75 as a band), on
    one shared time axis. `pay`: work_year, n, p25, p50, p75, low_n; `names`: index, pay."""
    if index.empty and pay.empty:
        return empty_figure("Neither a postings index nor salary reports to show.", title)
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        row_heights=[0.5, 0.5],
        vertical_spacing=0.1,
        subplot_titles=(names["index"], names["pay"]),
    )
    fig.add_trace(
        _index_line(index, "postings index", "index", {"color": PALETTE[2], "width": 2}),
        row=1,
        col=1,
    )
    fig.add_hline(y=100, line={"color": FLAG_GREY, "dash": "dot", "width": 1}, row=1, col=1)
    for i, row in enumerate(pay.sort_values("work_year").itertuples(index=False)):
        year = int(row.work_year)
        span = [pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)]
        faint = bool(row.low_n) or year in set(partial)
        fig.add_trace(
            go.Scatter(
                x=span + span[::-1],
                y=[row.p25, row.p25, row.p75, row.p75],
                mode="lines",
                fill="toself",
                fillcolor="rgba(0,114,178,0.15)",
                line_width=0,
                name="p25–p75",
                legendgroup="band",
                showlegend=i == 0,
                hoverinfo="skip",
            ),
            row=2,
            col=1,
        )
        flag = " (partial year)" if year in set(partial) else " ⚠ n < 30" if row.low_n else ""
        fig.add_trace(
            go.Scatter(
                x=span,
                y=[row.p50, row.p50],
                mode="lines",
                line={"color": PALETTE[0], "width": 4, "dash": "dot" if faint else "solid"},
                name="median salary",
                legendgroup="median",
                showlegend=False,
                hovertemplate=f"<b>{year}</b>{flag}<br>median {usd(row.p50)}<br>"
                f"p25–p75 {usd(row.p25)}–{usd(row.p75)}<br>n = {int(row.n):,}<extra></extra>",
            ),
            row=2,
            col=1,
        )
    # the legend's key: a solid median (a year's own line is dotted when it is thin)
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="lines",
            name="median salary",
            legendgroup="median",
            line={"color": PALETTE[0], "width": 4},
        ),
        row=2,
        col=1,
    )
    fig.update_yaxes(title="Index (1 Feb 2020 = 100)", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title="USD per year", tickprefix="$", tickformat="~s", row=2, col=1)
    fig.update_layout(hovermode="closest")
    fig = _base_layout(fig, title, height=620)
    fig.update_annotations(font={"size": 13}, xanchor="left", x=0)
    return fig


# --------------------------------------------------------------------------------------------
# Pay growth (Indeed Wage Tracker)

GROWTH_AXIS = "Advertised pay, year on year (%)"


def _growth_name(row: Any) -> tuple[str, str]:
    """(legend name, colour key) of a wage growth series: its sector, else its country."""
    sector = row.sector
    if sector is None or (isinstance(sector, float) and math.isnan(sector)):
        return country_name(row.country), row.country
    return str(sector), str(sector)


@inert
def wage_growth_lines(
    series: pd.DataFrame,
    title: str,
    colours: Mapping[object, str] | None = None,
    *,
    reference: pd.DataFrame | None = None,
) -> go.Figure:
    """Posted wage growth over time: one line per country (or sector) of the 3-month average
    of year-on-year growth, in %, the month's own value and its postings on hover; a zero line.
    `reference` (a whole country's series) is drawn grey and dashed beside sector lines."""
    if series.empty:
        return empty_figure("No posted wage growth for this choice.", title)
    fig = go.Figure()
    colours = colours or {}
    parts = [(reference, True)] if reference is not None and len(reference) else []
    parts += [(part, False) for _, part in series.groupby(["country", "sector"], dropna=False)]
    for part, is_reference in parts:
        part = part.sort_values("month")
        name, colour_key = _growth_name(next(part.itertuples()))
        if is_reference:
            name = f"{name}, all postings"
        line = (
            {"color": FLAG_GREY, "dash": "dash", "width": 2}
            if is_reference
            else {"color": colours.get(colour_key, FLAG_GREY), "width": 2.5}
        )
        fig.add_trace(
            go.Scatter(
                x=part["month"],
                y=100.0 * part["growth_yoy_3mo"],
                customdata=list(
                    zip(100.0 * part["growth_yoy"], part["postings"].fillna(0), strict=True)
                ),
                mode="lines",
                name=name,
                line=line,
                hovertemplate=f"<b>{name}</b> · %{{x|%b %Y}}<br>3-month average: %{{y:.1f}}%"
                "<br>this month: %{customdata[0]:.1f}%<br>postings: %{customdata[1]:,.0f}"
                "<extra></extra>",
            )
        )
    fig.add_hline(y=0, line={"color": FLAG_GREY, "width": 1})
    fig.update_yaxes(title=GROWTH_AXIS, ticksuffix="%", zeroline=False)
    fig.update_xaxes(title=None)
    fig.update_layout(hovermode="x unified" if len(fig.data) <= 6 else "closest")
    return _base_layout(
        fig, title, height=460, subtitle="Line: 3-month average · hover: the month's own value"
    )


@inert
def crowd_and_posted(
    changes: pd.DataFrame, title: str, colours: Mapping[object, str] | None = None
) -> go.Figure:
    """Two measures side by side, one panel per country: the crowd reports' median change on
    the year before per work year (bars, the country's colour) and posted wage growth of the
    same calendar year, the mean of its 12 monthly values (black diamonds on the bar's year),
    both in %. `changes`: country, year, n, year before n, crowd change, posted growth."""
    if changes.empty:
        return empty_figure("No country has 30 reports in two years running.", title)
    countries = changes["country"].unique().tolist()
    fig = make_subplots(
        rows=len(countries),
        cols=1,
        shared_xaxes=True,
        subplot_titles=[country_name(c) for c in countries],
        vertical_spacing=0.12 / max(len(countries), 1) + 0.04,
    )
    colours = colours or {}
    for i, code in enumerate(countries):
        part = changes.loc[changes["country"] == code]
        name = country_name(code)
        fig.add_trace(
            go.Bar(
                x=part["year"],
                y=100.0 * part["crowd change"],
                customdata=list(zip(part["n"], part["year before n"], strict=True)),
                name="median of crowd reports (aijobs.net)",
                legendgroup="crowd",
                showlegend=False,
                marker_color=colours.get(code, PALETTE[0]),
                width=0.5,
                hovertemplate=f"<b>{name}</b> %{{x}}: median of reports %{{y:+.1f}}% on the "
                "year before<br>n = %{customdata[0]:,} and %{customdata[1]:,}<extra></extra>",
            ),
            row=i + 1,
            col=1,
        )
        posted = part.loc[part["posted growth"].notna()]
        fig.add_trace(
            go.Scatter(
                x=posted["year"],
                y=100.0 * posted["posted growth"].astype(float),
                mode="markers",
                name="advertised pay (Indeed)",
                legendgroup="posted",
                showlegend=i == 0,
                marker={"symbol": "diamond", "size": 13, "color": "#000000"},
                hovertemplate=f"<b>{name}</b> %{{x}}: advertised pay %{{y:+.1f}}% (mean of the "
                "year's 12 monthly values)<extra></extra>",
            ),
            row=i + 1,
            col=1,
        )
        fig.add_hline(y=0, line={"color": FLAG_GREY, "width": 1}, row=i + 1, col=1)
    # the legend's key for the bars, in a neutral colour (each panel's bars are its country's)
    fig.add_trace(
        go.Bar(
            x=[None], y=[None], name="median of crowd reports (aijobs.net)", marker_color=FLAG_GREY
        ),
        row=1,
        col=1,
    )
    fig.update_yaxes(ticksuffix="%", zeroline=False, title="% on a year before")
    fig.update_xaxes(dtick=1)
    fig.update_layout(hovermode="closest", bargap=0.3)
    fig = _base_layout(
        fig, title, height=200 * len(countries) + 180, subtitle="Bars: crowd reports · ◆: Indeed"
    )
    fig.update_layout(margin={"t": 105})  # room for the subtitle above the first panel's title
    fig.update_annotations(font={"size": 13}, xanchor="left", x=0)
    return fig


# --------------------------------------------------------------------------------------------
# Below the country: regions, where to work, AI in postings

REGION_AXIS = {
    "value": "Postings index (1 Feb 2020 = 100)",
    "change": "12-month change (index points)",
}


def _centred(values: pd.Series, midpoint: float) -> dict[str, object]:
    """A diverging colour scale centred on `midpoint` (100 for an index, 0 for a change)."""
    spread = max(abs(values.max() - midpoint), abs(midpoint - values.min()), 1)
    return {
        "colorscale": DIVERGING,
        "zmid": midpoint,
        "zmin": midpoint - spread,
        "zmax": midpoint + spread,
    }


@inert
def region_state_map(
    frame: pd.DataFrame, value: str, title: str, colorbar_title: str, subtitle: str = ""
) -> go.Figure:
    """US states coloured by `value` (the latest index around 100, or its 12-month change
    around 0), drawn from the bundled state outlines; rows keyed by ISO 3166-2:US `region`."""
    data = frame.dropna(subset=[value])
    data = data.loc[data["region"].str.match(r"^US-[A-Z]{2}$")]
    if data.empty:
        return empty_figure("No state has a postings index for this choice.", title)
    scale = _centred(data[value], 100.0 if value == "value" else 0.0)
    fig = go.Figure(
        go.Choropleth(
            locations=data["region"].str[3:],
            locationmode="USA-states",
            z=data[value],
            colorbar=_bar_below(colorbar_title),
            showscale=data[value].nunique() > 1,
            marker_line_color="rgba(128,128,128,0.8)",
            customdata=data[["region_name", "value", "change", "date_text"]].to_numpy(),
            hovertemplate="<b>%{customdata[0]}</b><br>index %{customdata[1]:.1f} on "
            "%{customdata[3]}<br>12-month change %{customdata[2]:+.1f} points<extra></extra>",
            **scale,
        )
    )
    return _us_map(fig, title, subtitle)


@inert
def region_lines(
    series: pd.DataFrame,
    reference: pd.DataFrame,
    title: str,
    colours: Mapping[object, str] | None = None,
) -> go.Figure:
    """The postings index of chosen regions (colour = region, stable across views) with the
    whole country's own index grey and dashed for reference."""
    if series.empty and reference.empty:
        return empty_figure("No postings index for these regions and dates.", title)
    fig = go.Figure()
    colours = colours or colour_map(sorted(series["region"].unique()))
    if len(reference):
        name = str(reference["region_name"].iloc[0])
        line = {"color": FLAG_GREY, "dash": "dash", "width": 2}
        fig.add_trace(_index_line(reference, name, "reference", line))
    for code, part in series.groupby("region", sort=False):
        name = str(part["region_name"].iloc[0])
        line = {"color": colours.get(code, FLAG_GREY), "width": 2}
        fig.add_trace(_index_line(part, name, str(code), line))
    return _index_axes(fig, title)


@inert
def pay_and_demand(frame: pd.DataFrame, title: str, subtitle: str = "") -> go.Figure:
    """Per US state: the occupation's median annual wage (y) against the 12-month change of
    the state's postings index (x), marker area by the occupation's employment, each state
    labelled with its postal code. States lacking either figure are not drawn."""
    data = frame.dropna(subset=["annual_median", "change"])
    if data.empty:
        return empty_figure(
            "No state has both a published median wage and a postings index.", title
        )
    jobs = data["employment"].fillna(0).astype(float)
    biggest = max(float(jobs.max()), 1.0)
    sizes = [7 + 23 * math.sqrt(j / biggest) for j in jobs]
    wages = [
        wage(w, bool(t), short=True)
        for w, t in zip(data["annual_median"], data["top_coded"].fillna(False), strict=True)
    ]
    fig = go.Figure(
        go.Scatter(
            x=data["change"],
            y=data["annual_median"],
            mode="markers+text",
            text=data["state"].str[3:],
            textposition="top center",
            textfont={"size": 10},
            marker={
                "size": sizes,
                "color": PALETTE[0],
                "opacity": 0.55,
                "line": {"color": PALETTE[0], "width": 1},
            },
            customdata=list(
                zip(
                    data["area_name"],
                    wages,
                    [count(j) for j in data["employment"]],
                    data["index"],
                    strict=True,
                )
            ),
            hovertemplate="<b>%{customdata[0]}</b><br>median wage %{customdata[1]}"
            "<br>employment %{customdata[2]}<br>postings index %{customdata[3]:.1f}, "
            "%{x:+.1f} points in 12 months<extra></extra>",
        )
    )
    fig.add_vline(x=0, line={"color": FLAG_GREY, "dash": "dot", "width": 1})
    fig.update_xaxes(title="State's postings index, 12-month change (points)")
    fig.update_yaxes(title="Median annual wage (USD)", tickprefix="$", tickformat="~s")
    fig.update_layout(hovermode="closest", showlegend=False)
    return _base_layout(fig, title, height=520, subtitle=subtitle)


AI_AXIS = "Postings mentioning AI (% of all)"


@inert
def share_lines(
    series: pd.DataFrame,
    title: str,
    colours: Mapping[object, str] | None = None,
    *,
    x_range: Sequence[object] | None = None,
    height: int = 420,
) -> go.Figure:
    """The share of postings that mention AI (`share_pct`, %) over time, one line per country
    (colour stable across views); `x_range` to line it up with another chart's time axis."""
    if series.empty:
        return empty_figure("No AI share for these countries.", title)
    fig = go.Figure()
    colours = colours or colour_map(sorted(series["country"].unique()))
    for code, whole in series.groupby("country", sort=False):
        name = country_name(str(code))
        part = weekly(whole)
        fig.add_trace(
            go.Scatter(
                x=part["date"],
                y=part["share_pct"],
                mode="lines",
                name=name,
                line={"color": colours.get(code, FLAG_GREY), "width": 2},
                hovertemplate=f"{name}<br>%{{x|%d %b %Y}}: %{{y:.2f}}%<extra></extra>",
            )
        )
    fig.update_yaxes(title=AI_AXIS, ticksuffix="%", rangemode="tozero")
    fig.update_xaxes(title=None)
    if x_range is not None:
        fig.update_xaxes(range=list(x_range))
    fig.update_layout(hovermode="x unified" if len(fig.data) <= 8 else "closest")
    return _base_layout(fig, title, height=height, subtitle="Seven-day average, drawn weekly")


def _jobs_short(value: float) -> str:
    """`13.7M`, `632k`: a number of jobs on a tick label."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    return f"{value / 1_000:.0f}k" if value >= 1_000 else f"{value:.0f}"


def _spread(code: str) -> float:
    """A stable vertical offset in [-0.3, 0.3) for a dot, from its code (no random state)."""
    return (sum(ord(c) * (i + 1) for i, c in enumerate(code)) % 97) / 97 * 0.6 - 0.3


@inert
def skill_pay_strip(occupations: pd.DataFrame, summary: pd.DataFrame, title: str) -> go.Figure:
    """One row per technology (in `summary`'s order, first on top): a dot per occupation that
    lists it at the occupation's median annual wage, its area proportional to the
    occupation's jobs; a bar at the employment-weighted median and a dashed one at the median
    occupation. A median BLS top-codes sits at its floor, marked `≥ $239,200`."""
    rows = occupations.loc[occupations["annual_median"].notna() & (occupations["employment"] > 0)]
    if rows.empty:
        return empty_figure("No occupation that lists them has a published median wage.", title)
    skills = list(summary["skill"])
    place = {s: len(skills) - 1 - i for i, s in enumerate(skills)}
    sizeref = 2 * float(rows["employment"].max()) / 36**2
    fig = go.Figure()
    for skill in skills:
        dots = rows.loc[rows["skill"] == skill]
        if dots.empty:
            continue
        top = dots["median_top_coded"].astype(bool)
        fig.add_trace(
            go.Scatter(
                x=dots["annual_median"],
                y=[place[skill] + _spread(c) for c in dots["soc"]],
                mode="markers",
                marker={
                    "size": dots["employment"],
                    "sizemode": "area",
                    "sizeref": sizeref,
                    "sizemin": 3,
                    "color": PALETTE[0],  # one colour: the rows say which technology
                    "opacity": 0.5,
                    "line": {"width": 0.5, "color": "#FFFFFF"},
                },
                customdata=list(
                    zip(
                        dots["occupation"],
                        dots["soc"],
                        [count(v) for v in dots["employment"]],
                        [wage(v, bool(t)) for v, t in zip(dots["annual_median"], top, strict=True)],
                        strict=True,
                    )
                ),
                hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>median "
                "%{customdata[3]}<br>%{customdata[2]} jobs<extra></extra>",
                name=skill,
                showlegend=False,
            )
        )
    marks = (
        ("weighted_median", "Employment-weighted median", PALETTE[3], "solid", 4),
        ("unweighted_median", "Median occupation", FLAG_GREY, "dash", 2),
    )
    for column, name, colour, dash, width in marks:
        shown = summary.loc[summary[column].notna()]
        for j, (skill, value) in enumerate(zip(shown["skill"], shown[column], strict=True)):
            fig.add_trace(
                go.Scatter(
                    x=[value, value],
                    y=[place[skill] - 0.42, place[skill] + 0.42],
                    mode="lines",
                    line={"color": colour, "dash": dash, "width": width},
                    name=name,
                    legendgroup=column,
                    showlegend=j == 0,
                    hovertemplate=f"{name}: {usd(value)}<extra></extra>",
                )
            )
    ticks = [
        f"<b>{wrap(s, 18)}</b><br>{int(n):,} occupations<br>{_jobs_short(e)} jobs"
        for s, n, e in zip(
            summary["skill"], summary["occupations"], summary["employment"], strict=True
        )
    ]
    fig.update_yaxes(
        tickvals=[place[s] for s in skills],
        ticktext=ticks,
        range=[-0.6, len(skills) - 0.4],
        showgrid=False,
        zeroline=False,
        automargin=True,
    )
    fig.update_xaxes(
        title="Median annual wage of each occupation (USD)", tickprefix="$", tickformat="~s"
    )
    if rows["median_top_coded"].astype(bool).any():
        fig.add_annotation(
            x=TOP_CODE, y=1, yref="paper", text="≥ $239,200", showarrow=False, yanchor="bottom"
        )
    subtitle = "Dot: an occupation at its median wage, area ∝ its jobs"
    return _base_layout(fig, title, height=150 * len(skills) + 170, subtitle=subtitle)
