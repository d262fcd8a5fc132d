"""Salary page blocks: the stats tables, the too-few message and its wider selection, sections."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import charts, data, filters, fmt, pages, stats, ui
from dashboard.data import manifest
from dashboard.ui import PageContext, chart

USD_STATS = ("p10", "p25", "median", "p75", "p90")


def stats_table(
    shown: pd.DataFrame,
    hidden: pd.DataFrame,
    group: str,
    label: str,
    *,
    order: Sequence[object] | None = None,
    countries: bool = False,
    partial: Sequence[int] = (),
) -> pd.DataFrame:
    """Per-group stats for a 'numbers' table: whole dollars, n and a flag, groups in their
    natural order (`order`) or by n; countries by name with the code beside. Groups with
    n < 10 keep their n but no percentiles (hidden means hidden in the table too)."""
    pcts = stats.PCT_COLUMNS
    out = pd.concat(
        [
            shown.assign(flag=shown["low_n"].map({True: "n < 30", False: ""})),
            hidden.assign(flag="hidden: n < 10", **{p: float("nan") for p in pcts}),
        ],
        ignore_index=True,
    ).drop(columns=["low_n"])
    out[pcts] = out[pcts].astype(float).round(0).astype("Int64")
    out["n"] = out["n"].astype("int64")
    if order is not None:
        out = stats.order_by(out, group, order)
    else:
        out = out.sort_values(["n", group], ascending=[False, True]).reset_index(drop=True)
    if partial:  # years the snapshot covers only in part say so in the table too
        out[group] = [f"{v} (partial)" if v in set(partial) else str(v) for v in out[group]]
    if countries:
        out.insert(0, "code", out[group])
        out[group] = out[group].map(fmt.country_name)
        out = out[[group, "code", *[c for c in out.columns if c not in (group, "code")]]]
    return out.rename(columns={group: label, "p50": "median"})


def stats_columns() -> dict[str, Any]:
    """Column settings of a stats table: whole dollars and n with thousands separators."""
    money = {name: st.column_config.NumberColumn(name, format="$%,d") for name in USD_STATS}
    return money | {"n": st.column_config.NumberColumn("n (reports)", format="%,d")}


def salary_n(ctx: PageContext, query: data.SalaryQuery) -> int:
    """How many salary reports match `query`."""
    overall = data.salary_stats(ctx.key, query)
    return int(overall["n"].iloc[0]) if len(overall) else 0


def dedupe_note(ctx: PageContext, query: data.SalaryQuery) -> str:
    """What the "count identical reports once" switch does to this selection, in numbers."""
    every = salary_n(ctx, dataclasses.replace(query, dedupe=False))
    once = salary_n(ctx, dataclasses.replace(query, dedupe=True))
    if query.dedupe:
        return (
            f"Identical reports counted once: {every - once:,} of the {every:,} matching rows "
            "repeat another row field for field and are left out (switch in the sidebar)."
        )
    return (
        f"Every row counted: {every - once:,} of these {every:,} rows repeat another row field "
        "for field (switch on *Count identical reports once* to leave them out)."
    )


WIDEN_ORDER = ("size", "remote", "employment", "family", "level", "years", "country")


def wider_selection(ctx: PageContext) -> tuple[str, dict[str, Any], int] | None:
    """The nearest wider salary selection with enough reports: drop one filter at a time (the
    narrowest first) and keep the candidate with the fewest reports that still has n ≥ 30
    (else n ≥ 10); None when even all reports are too few."""

    def n_of(state: Mapping[str, Any]) -> int:
        return salary_n(ctx, filters.salary_query(state))

    candidates = []
    for name in WIDEN_ORDER:
        value = ctx.state.get(name)
        if name == "years" and value != ctx.options.years and ctx.options.years:
            wider = {**ctx.state, "years": None}
            label = "all work years"
        elif name != "years" and value:
            wider = {**ctx.state, name: ()}
            label = f"any {filters.SPECS[name].label.lower()}"
        else:
            continue
        candidates.append((label, wider, n_of(wider)))
    for floor in (stats.LOW_N, stats.MIN_N):
        enough = [c for c in candidates if c[2] >= floor]
        if enough:
            return min(enough, key=lambda c: c[2])
    everything = {**ctx.state, **{n: () for n in WIDEN_ORDER if n != "years"}, "years": None}
    n = n_of(everything)
    return ("all salary reports", everything, n) if n >= stats.MIN_N else None


def too_few(ctx: PageContext, n: int, page_path: str) -> None:
    """One clear message instead of empty charts, and a link to the nearest wider selection."""
    st.warning(
        f"Only {fmt.plural(n, 'salary report')} match{'es' if n == 1 else ''} these filters: "
        f"too few to show a median or a chart (the threshold is {stats.MIN_N} reports)."
    )
    wider = wider_selection(ctx)
    if wider is None:
        st.info("Even without filters there are too few reports; refresh the salary source.")
        return
    label, state, wider_n = wider
    st.page_link(
        pages.page(page_path).file,
        label=f"Nearest wider selection with enough data: {label} "
        f"({fmt.plural(wider_n, 'report')})",
        icon=":material/zoom_out_map:",
        query_params=filters.to_params(state, ctx.options),
    )


def hidden_note(hidden: pd.DataFrame, group: str, labels: Mapping[str, str] | None = None) -> str:
    """`Hidden, fewer than 10 reports: …` naming the groups left out (at most 12)."""
    if hidden.empty:
        return ""
    shown = [
        f"{labels.get(g, g) if labels else g} (n={n})"
        for g, n in zip(hidden[group], hidden["n"], strict=True)
    ]
    more = f" and {len(shown) - 12} more" if len(shown) > 12 else ""
    return f"Hidden, fewer than 10 reports: {', '.join(shown[:12])}{more}."


def unit(ctx: PageContext, query: data.SalaryQuery, *, short: bool = False) -> str:
    """What the query's figures are in: `USD`, `2024 US dollars`, `international dollars`
    (short: `USD`, `2024 USD`, `Int$`)."""
    return fmt.pay_unit(query.money, data.money_basis(ctx.key), short=short)


def money_note(ctx: PageContext, query: data.SalaryQuery) -> None:
    """Say what a converted unit is and what it leaves out (nothing when as reported)."""
    basis = data.money_basis(ctx.key)
    if query.money == "real":
        year = basis["real_year"]
        st.info(
            f"Pay in **{year} US dollars**: each report scaled by the US consumer price index "
            f"(CPI-U, the annual average of {year} ÷ that of its work year). CPI-U is a US "
            "price index: for a report from another country it says how US prices moved, not "
            "local ones.",
            icon=":material/currency_exchange:",
        )
    elif query.money == "ppp":
        gone = data.left_out(ctx.key, query)
        missing = (
            f" {fmt.plural(gone, 'matching report')} {'has' if gone == 1 else 'have'} no PPP "
            "factor for the country of residence and "
            f"{'is' if gone == 1 else 'are'} left out."
            if gone
            else ""
        )
        st.info(
            "Pay in **international dollars**: what it buys where the person lives (World Bank "
            f"PPP factors; work years after {basis['ppp_year']} use the {basis['ppp_year']} "
            "factor). A report paid in a currency other than its country's is first brought to "
            "that currency at the rate the salary file's own reports imply for that year."
            + missing,
            icon=":material/currency_exchange:",
        )


def export_filters(ctx: PageContext, query: data.SalaryQuery, said: Mapping[str, str]) -> dict:
    """An export's filters in the page's words, with the unit and the factors it used."""
    if query.money == "usd":
        return dict(said)
    factors = data.conversion_words(ctx.key, query.money, query.countries)
    return {**said, "Unit": unit(ctx, query), "Conversion": factors}


def salary_section(
    ctx: PageContext,
    query: data.SalaryQuery,
    by: str,
    label: str,
    title: str,
    key: str,
    *,
    order: Sequence[object] | None = None,
    labels: Mapping[str, str] | None = None,
    horizontal: bool | None = None,
) -> None:
    """Salary percentiles by one column as a box chart, with its numbers and hidden groups."""
    groups = data.salary_stats(ctx.key, query, by)
    if groups.empty:
        st.info(f"No salary reports match the filters, so there is nothing to show by {label}.")
        return
    if labels:  # readable group names ("Remote (100%)") in the chart and its table
        groups = groups.assign(**{by: groups[by].map(lambda v: labels.get(str(v), str(v)))})
        order = tuple(labels.get(str(o), str(o)) for o in order or ())
    shown, hidden = stats.sample_rules(groups)
    chart(
        charts.salary_box(shown, by, title, order=order, horizontal=horizontal),
        lambda: stats_table(shown, hidden, by, label, order=order),
        key=key,
        snap=ctx.snap,
        sources=ctx.snap.table_sources("salaries"),
        alt=fmt.extremes(shown[by], shown["p50"], what="the median salary", show=fmt.usd),
        note=hidden_note(hidden, by),
        column_config=stats_columns(),
        unit=unit(ctx, query),
    )


CROWD_RULES = (
    "**Two kinds of figure.** *aijobs.net*: salaries people and job posts report, US residents, "
    "the sidebar's filters (work year, level, …); whether a figure is base pay or total pay is "
    "not known; n = reports. *BLS OEWS*: an employer survey's estimate for every employee in "
    "the occupation nationally, all levels and industries together, {month}; pay includes "
    "commissions but not bonuses, overtime or stock; n = estimated jobs. A job family maps to "
    "the official occupation that covers most of it (the mapping is data: "
    "`etl/sources/aijobs/family_soc.csv`)."
)


def crowd_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The crowd-vs-official numbers: one row per family and side, whole dollars, and each
    median's gap to the family's nearest official median."""
    official = frame.loc[(frame["side"] == "official") & (frame["fit"] == "closest")]
    base = official.set_index("job_family")["p50"]
    out = pd.DataFrame(
        {
            "job family": frame["job_family"],
            "figure": frame["side"].map({"crowd": "aijobs reports", "official": "BLS OEWS"}),
            "occupation": frame["occupation"] + " (" + frame["occupation_code"] + ")",
            "n": frame["n"].round(0).astype("int64"),
            "n is": frame["side"].map({"crowd": "reports", "official": "jobs (estimate)"}),
        }
    )
    for p in stats.PCT_COLUMNS:
        out["median" if p == "p50" else p] = frame[p].astype(float).round(0)
    gap = 100 * (frame["p50"] / frame["job_family"].map(base) - 1)
    out["median vs nearest official"] = [
        "" if side == "official" and fit == "closest" or fmt.missing(g) else f"{g:+.0f}%"
        for side, fit, g in zip(frame["side"], frame["fit"], gap, strict=True)
    ]
    out["source"] = frame["source"]
    return out.reset_index(drop=True)


def crowd_section(ctx: PageContext, query: data.SalaryQuery, years: str) -> None:
    """aijobs US percentiles beside the official OEWS national ones, per mapped job family."""
    if not ctx.snap.has("occupation_wages") or not ctx.snap.has("family_occupations"):
        return
    frame = data.crowd_vs_official(ctx.key, query)
    crowd = frame.loc[frame["side"] == "crowd"]
    thin = crowd.loc[crowd["n"] < stats.MIN_N, "job_family"]
    frame = frame.loc[~frame["job_family"].isin(thin)]
    st.subheader("Crowd reports vs official wages (US)")
    month = fmt.month(manifest.as_of(ctx.snap.sources.get("bls_oews", {})))
    st.markdown(CROWD_RULES.format(month=month))
    if frame.loc[frame["side"] == "crowd"].empty:
        st.info(
            "No job family with an official occupation has 10 or more US reports for these filters."
        )
        return
    table = crowd_table(frame)
    crowd_rows = table.loc[table["figure"] == "aijobs reports"]
    chart(
        ui.figure(
            charts.crowd_official, frame, f"aijobs US reports ({years}) vs BLS OEWS ({month})"
        ),
        table,
        key="salary_crowd_official",
        snap=ctx.snap,
        sources=sorted(set(frame["source"])),
        alt=fmt.md(
            "The crowd's median vs the nearest official median: "
            + "; ".join(
                f"{f} {g}"
                for f, g in zip(
                    crowd_rows["job family"], crowd_rows["median vs nearest official"], strict=True
                )
            )
            + "."
        ),
        note=(
            "Families with fewer than 10 US reports are left out"
            + (f" ({', '.join(thin)})" if len(thin) else "")
            + ". The sidebar's country and job family filters do not apply to the crowd side "
            "here (US residents, the mapped families or the chosen ones)."
        ),
        column_config=stats_columns() | {"n": st.column_config.NumberColumn("n", format="%,d")},
    )


SIZE_WORDS = {"S": "small companies", "M": "medium companies", "L": "large companies"}


def _share_words(column: str, value: str, share: float) -> str:
    """`89 % United States`, `95 % paid in USD`: one dimension's largest value."""
    amount = fmt.pct(share)
    if column == "employee_residence":
        return f"{amount} {fmt.country_name(value)}"
    if column == "salary_currency":
        return f"{amount} paid in {value}"
    if column == "employment_type":
        return f"{amount} {value.lower()}"
    if column == "company_size":
        return f"{amount} {SIZE_WORDS.get(value, value)}"
    if column == "work_year":
        return f"{amount} from {value}"
    return f"{amount} {value}"


def composition_words(info: dict[str, Any], dedupe: bool) -> str:
    """ "89 % United States · 95 % paid in USD · … · 53 % repeated rows (counted once)": each
    dimension's largest value and the share of rows that repeat another."""
    parts = [
        _share_words(column, str(frame.iloc[0]["value"]), float(frame.iloc[0]["share"]))
        for column, frame in info["shares"].items()
        if not frame.empty
    ]
    if info["repeated"] is not None and info["rows"]:
        how = "counted once here" if dedupe else "each counted here"
        parts.append(f"{fmt.pct(100 * info['repeated'] / info['rows'])} repeated rows ({how})")
    return " · ".join(parts)


def dominance_words(found: list[tuple[str, str, float]]) -> str:
    """The warning for values that make up ≥ 80 % of a selection."""
    said = [_share_words(column, value, share) for column, value, share in found]
    return (
        "One value dominates (80 % or more): "
        + "; ".join(said)
        + ". The figures describe mostly that group, not the market as a whole."
    )


def known_words(known: list[tuple[str, str, float]]) -> str:
    """The source's own lopsided values, said once: "Of all aijobs.net reports, 99% are
    full-time and 96% at medium companies: …" (empty when there are none)."""
    if not known:
        return ""
    said = [_share_words(column, value, share) for column, value, share in known]
    return (
        "Known properties of the source, true of nearly every choice (so no warning for them): "
        f"of all aijobs.net reports, {', '.join(said)}."
    )


def composition_panel(
    ctx: PageContext, query: data.SalaryQuery, label: str = "", known: bool = True
) -> None:
    """What the reports behind a salary figure are made of, in one line (with a table of the
    shares on demand), the source's own lopsided values said once (`known`), and a warning
    when the filter makes one value dominate a dimension it leaves open."""
    info = data.composition(ctx.key, query)
    if not info["n"]:
        return
    lead = f"{fmt.md(label)}: what" if label else "What"
    source = known_words(info["known"]) if known else ""
    st.caption(
        f"**{lead} these {fmt.plural(info['n'], 'report')} are made of:** "
        + fmt.md(composition_words(info, query.dedupe))
        + (f"  \n{fmt.md(source)}" if source else "")
    )
    found = data.dominant_values(info, query)
    if found:
        st.warning(fmt.md(dominance_words(found)), icon=":material/balance:")
    title = "Shares by country, currency, type, size and year"
    # one box per selection (Compare draws two); a table built only when opened
    with ui.on_demand(title, f"shares_{label or 'selection'}") as box:
        if box.open:
            st.dataframe(
                data.top_shares(info),
                hide_index=True,
                column_config={
                    "reports": st.column_config.NumberColumn("reports", format="%,d"),
                    "share": st.column_config.NumberColumn("share", format="%.1f %%"),
                },
            )


def composition_panels(ctx: PageContext, queries: Mapping[str, data.SalaryQuery]) -> None:
    """A composition panel per labelled selection, side by side (the Compare page's two
    segments; on a phone they stack)."""
    for col, (label, query) in zip(st.columns(len(queries)), queries.items(), strict=True):
        with col:
            composition_panel(ctx, query, label, known=False)
    first = next(iter(queries.values()), None)
    source = known_words(data.composition(ctx.key, first)["known"]) if first else ""
    if source:
        st.caption(fmt.md(source))
