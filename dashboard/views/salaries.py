"""Salaries: percentiles with n by level, country, job family, remote ratio, size and year."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, filters, ui

NAMES = ("country", "country_of", "years", "level", "family", "employment", "remote", "size")

snap = ui.require_snapshot()
key = snap.key
st.title("Salaries")
state = filters.sidebar(snap, NAMES)
options = filters.options_for(snap)
st.caption(filters.summary(state, options, NAMES))
query = filters.salary_query(state)
names = data.country_names(key)
sources = snap.table_sources("salaries")
RULES = (
    "Every figure is a percentile of the reports matching **all** sidebar filters, with n (the "
    "number of reports) beside it. Groups with fewer than 30 reports are flagged ⚠ (grey, "
    "hatched); groups with fewer than 10 are hidden. Salaries are gross per year in **USD** as "
    "converted by the source. Boxes: p25–p75 with the median; whiskers: p10 and p90."
)


def hidden_note(hidden: pd.DataFrame, group: str, labels: dict[str, str] | None = None) -> str:
    if hidden.empty:
        return ""
    shown = [
        f"{labels.get(g, g) if labels else g} (n={n})"
        for g, n in zip(hidden[group], hidden["n"], strict=True)
    ]
    more = f" and {len(shown) - 12} more" if len(shown) > 12 else ""
    return f"Hidden, fewer than 10 reports: {', '.join(shown[:12])}{more}."


def section(
    by: str,
    label: str,
    title: str,
    chart_key: str,
    *,
    order: tuple | None = None,
    labels: dict | None = None,
) -> None:
    stats = data.salary_stats(key, query, by)
    if stats.empty:
        st.info(f"No salary reports match the filters, so there is nothing to show by {label}.")
        return
    if labels:  # readable group names ("Remote (100%)") in the chart and its table
        stats = stats.assign(**{by: stats[by].map(lambda v: labels.get(str(v), str(v)))})
        order = tuple(labels.get(str(o), str(o)) for o in order or ())
    shown, hidden = charts.sample_rules(stats)
    fig = charts.salary_box(shown, by, title, order=order)
    ui.chart(
        fig,
        ui.stats_table(shown, hidden, by, label),
        key=chart_key,
        snap=snap,
        sources=sources,
        note=hidden_note(hidden, by),
        column_config=ui.usd_columns("p10", "p25", "median", "p75", "p90"),
    )


if snap.has("salaries"):
    overall = data.salary_stats(key, query)
    n = int(overall["n"].iloc[0]) if len(overall) else 0
    st.markdown(RULES)
    cols = st.columns(4)
    if n >= charts.MIN_N:
        row = overall.iloc[0]
        cols[0].metric("Median salary (USD)", charts.usd(row["p50"]))
        cols[1].metric(
            "Middle half (p25–p75)",
            f"{charts.usd(row['p25'], short=True)}–{charts.usd(row['p75'], short=True)}",
        )
        cols[2].metric(
            "p10–p90", f"{charts.usd(row['p10'], short=True)}–{charts.usd(row['p90'], short=True)}"
        )
        cols[3].metric("Reports (n)", charts.count(n))
        if n < charts.LOW_N:
            st.warning(f"Only {n} reports match these filters: read the figures with care.")
    elif n == 0:
        st.warning("No salary report matches these filters. Widen them in the sidebar.")
    else:
        st.warning(f"Only {n} reports match these filters (under 10): no figures are shown.")

    if n > 0:
        section(
            "experience_level",
            "experience level",
            "Salary by experience level (USD per year)",
            "salary_level",
            order=charts.LEVEL_ORDER,
        )
        st.subheader("By country")
        by = query.country_field
        where = "company location" if by == "company_country" else "employee residence"
        stats = data.salary_stats(key, query, by)
        shown, hidden = charts.sample_rules(stats)
        labels = {c: charts.country_name(c, names) for c in stats[by]}
        left, right = st.columns([3, 2])
        table = ui.stats_table(shown, hidden, by, "country")
        with left:
            fig = ui.figure("salary_map", shown, f"Median salary by {where} (USD)", names)
            ui.chart(
                fig,
                table,
                key="salary_country_map",
                snap=snap,
                sources=sources,
                note="Countries with fewer than 10 reports are left blank. "
                + hidden_note(hidden, by, labels),
                column_config=ui.usd_columns("p10", "p25", "median", "p75", "p90"),
            )
        with right:
            top = shown.nlargest(25, "n")
            fig = charts.salary_ranked_bars(top, by, "Median, top 25 countries by n", labels=labels)
            ui.chart(
                fig,
                table,
                key="salary_country_bars",
                snap=snap,
                sources=sources,
                note=f"Countries by {where}; bars: median, whiskers: p25–p75.",
                column_config=ui.usd_columns("p10", "p25", "median", "p75", "p90"),
            )
        section("job_family", "job family", "Salary by job family (USD per year)", "salary_family")
        left, right = st.columns(2)
        with left:
            section(
                "remote_ratio",
                "remote ratio (%)",
                "By remote ratio (% of work remote)",
                "salary_remote",
                order=(0, 50, 100),
                labels=filters.LABELS["remote"],
            )
        with right:
            section(
                "company_size",
                "company size",
                "By company size (employees)",
                "salary_size",
                order=("S", "M", "L"),
                labels=filters.LABELS["size"],
            )
        stats = data.salary_stats(key, query, "work_year")
        shown, hidden = charts.sample_rules(stats)
        fig = charts.salary_trend(shown, "Salary trend by work year (USD per year)")
        ui.chart(
            fig,
            ui.stats_table(shown, hidden, "work_year", "year"),
            key="salary_trend",
            snap=snap,
            sources=sources,
            note="Line: median; bands: p25–p75 (dark) and p10–p90 (light). "
            + hidden_note(hidden, "work_year"),
            column_config=ui.usd_columns("p10", "p25", "median", "p75", "p90"),
        )
else:
    st.info(
        "No individual salary reports are loaded (the aijobs.net source has not been "
        "refreshed), so medians and percentiles cannot be computed. " + ui.REFRESH_HELP
    )

levels = data.small_table(key, "salary_levels")
if not levels.empty:
    st.subheader("Published salaries by level (seed article)")
    means = levels.loc[levels["statistic"] == "mean"]
    medians = None
    if snap.has("salaries"):
        level_query = filters.salary_query({**state, "level": ()})
        medians, _hidden = charts.sample_rules(
            data.salary_stats(key, level_query, "experience_level")
        )
    fig = charts.seed_levels(
        means, medians, "Seed article's average salary by level vs. reported medians"
    )
    level_sources = sorted(set(levels["source"]) | (set(sources) if medians is not None else set()))
    ui.chart(
        fig,
        levels[["source", "experience_level", "level_label", "statistic", "salary_usd", "n"]],
        key="salary_seed_levels",
        snap=snap,
        sources=level_sources,
        note=(
            "The seed figures are **means published in an article**, with no sample size or "
            "method: a mean is pulled up by a few high salaries, so it is not comparable with "
            "the medians of individual reports."
            + (
                " Medians use the sidebar filters except experience level."
                if medians is not None
                else ""
            )
            + (
                " aijobs.net has no Director level."
                if medians is not None and "Director" not in set(medians["experience_level"])
                else ""
            )
        ),
        column_config=ui.usd_columns("salary_usd"),
    )

if snap.has("salaries") and n > 0:
    ui.export_buttons(
        lambda: data.salary_rows(key, query),
        key="salaries",
        title="Salary reports matching the filters",
        table="salaries",
        snap=snap,
        sources=sources,
        filters=query.describe(),
        count=n,
    )
