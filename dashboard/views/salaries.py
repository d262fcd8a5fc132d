"""Salaries: percentiles with n by level, country, job family, remote ratio, size and year."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, filters, fmt, salary_blocks, stats, ui

NAMES = filters.SALARY_FILTERS
RULES = (
    "Every figure is a percentile of the reports matching **all** sidebar filters, with n (the "
    "number of reports) beside it. Groups with fewer than 30 reports are flagged ⚠ (grey, "
    "hatched); groups with fewer than 10 are hidden. Salaries are gross per year in **{unit}**"
    "{how}. On every chart, whiskers run from p10 to p90."
)

ctx = ui.start("salaries", NAMES)
snap, key, state = ctx.snap, ctx.key, ctx.state
query = filters.salary_query(state)
sources = snap.table_sources("salaries")
years = filters.years_text(state["years"], ctx.options)
unit = salary_blocks.unit(ctx, query)
n = 0


def remote_and_size() -> None:
    """Percentiles by remote ratio and by company size, side by side."""
    left, right = st.columns(2)
    with left:
        salary_blocks.salary_section(
            ctx,
            query,
            "remote_ratio",
            "remote ratio (%)",
            "By remote ratio (% of work remote)",
            "salary_remote",
            order=(0, 50, 100),
            labels=fmt.LABELS["remote"],
            horizontal=False,
        )
    with right:
        salary_blocks.salary_section(
            ctx,
            query,
            "company_size",
            "company size",
            "By company size (employees)",
            "salary_size",
            order=stats.SIZE_ORDER,
            labels=fmt.LABELS["size"],
            horizontal=False,
        )


def trend() -> None:
    """Percentiles by work year, every year, with the other filters applied."""
    trend_query = filters.salary_query({**state, "years": None})
    shown, hidden = stats.sample_rules(data.salary_stats(key, trend_query, "work_year"))
    partial = ctx.options.partial_years
    ui.chart(
        charts.salary_trend(shown, "Salary trend by work year (all years)", partial=partial),
        salary_blocks.stats_table(
            shown,
            hidden,
            "work_year",
            "year",
            order=sorted(shown["work_year"]),
            partial=partial,
        ),
        key="salary_trend",
        snap=snap,
        sources=sources,
        alt=fmt.extremes(shown["work_year"], shown["p50"], what="the median", show=fmt.usd),
        note="Every work year, whatever the year filter, with the other filters applied. "
        + (
            f"{', '.join(map(str, partial))}: covered only in part by the snapshot of "
            f"{ctx.options.snapshot}. "
            if partial
            else ""
        )
        + salary_blocks.hidden_note(hidden, "work_year"),
        column_config=salary_blocks.stats_columns(),
        unit=unit,
    )


if snap.has("salaries"):
    overall = data.salary_stats(key, query)
    n = int(overall["n"].iloc[0]) if len(overall) else 0
    how = " as converted by the source" if query.money == "usd" else ""
    st.markdown(RULES.format(unit=unit, how=how))
    salary_blocks.money_note(ctx, query)
    if n >= stats.MIN_N:
        row = overall.iloc[0]
        cols = st.columns(4)
        per_year = salary_blocks.unit(ctx, query, short=True)
        cols[0].metric(f"Median salary, {years} ({per_year}/year)", fmt.usd(row["p50"]))
        cols[1].metric(
            "Middle half (p25–p75)",
            f"{fmt.usd(row['p25'], short=True)}–{fmt.usd(row['p75'], short=True)}",
        )
        cols[2].metric(
            "p10–p90", f"{fmt.usd(row['p10'], short=True)}–{fmt.usd(row['p90'], short=True)}"
        )
        cols[3].metric("Reports (n)", fmt.count(n))
        st.caption(f"Work year {years}. " + salary_blocks.dedupe_note(ctx, query))
        if n < stats.LOW_N:
            st.warning(f"Only {n} reports match these filters: read the figures with care.")
        salary_blocks.composition_panel(ctx, query)
    else:
        salary_blocks.too_few(ctx, n, "salaries")

    if n >= stats.MIN_N:
        salary_blocks.salary_section(
            ctx,
            query,
            "experience_level",
            "experience level",
            f"Salary by experience level, {years}",
            "salary_level",
            order=stats.LEVEL_ORDER,
            horizontal=False,
        )
        st.subheader("By country")
        by = query.country_field
        where = "company location" if by == "company_country" else "employee residence"
        shown, hidden = stats.sample_rules(data.salary_stats(key, query, by))
        labels = {c: fmt.country_name(c) for c in [*shown[by], *hidden[by]]}
        table = salary_blocks.stats_table(shown, hidden, by, "country", countries=True)
        left, right = st.columns([3, 2])
        names = [labels[c] for c in shown[by]]
        with left:
            ui.chart(
                ui.figure(charts.salary_map, shown, f"Median salary by {where}, {years}"),
                table,
                key="salary_country_map",
                snap=snap,
                sources=sources,
                alt=fmt.extremes(names, shown["p50"], what="the median salary", show=fmt.usd),
                note="Countries with fewer than 10 reports are left blank. "
                + salary_blocks.hidden_note(hidden, by, labels),
                column_config=salary_blocks.stats_columns(),
                unit=unit,
            )
        with right:
            top = stats.most_reports(shown, 25)
            ui.chart(
                charts.salary_ranked_bars(
                    top,
                    by,
                    f"The {len(top)} countries with the most reports",
                    labels=labels,
                ),
                table,
                key="salary_country_bars",
                snap=snap,
                sources=sources,
                alt=fmt.extremes(
                    [labels[c] for c in top[by]], top["p50"], what="the median salary", show=fmt.usd
                ),
                note=f"Countries by {where}, the {len(top)} with the most reports, sorted by "
                "median; bars: median, whiskers: p10–p90.",
                column_config=salary_blocks.stats_columns(),
                unit=unit,
            )
        salary_blocks.salary_section(
            ctx,
            query,
            "job_family",
            "job family",
            f"Salary by job family, {years}",
            "salary_family",
            horizontal=True,
        )
        # Secondary breakdowns open on demand: the page draws four charts up front, not nine.
        st.subheader("More breakdowns")
        with ui.on_demand("Crowd reports vs official US wages (BLS OEWS)", "crowd") as box:
            if box.open:
                salary_blocks.crowd_section(ctx, query, years)
        with ui.on_demand("By remote ratio and company size", "remote_size") as box:
            if box.open:
                remote_and_size()
        with ui.on_demand("Salary trend by work year", "trend") as box:
            if box.open:
                trend()
else:
    st.info(
        "No individual salary reports are loaded (the aijobs.net source has not been "
        "refreshed), so medians and percentiles cannot be computed. " + ui.refresh_help()
    )

levels = data.small_table(key, "salary_levels")


def seed_levels() -> None:
    """The seed article's published means by level beside the reports' medians."""
    medians = None
    if snap.has("salaries"):
        level_query = filters.salary_query({**state, "level": ()})
        medians, _hidden = stats.sample_rules(
            data.salary_stats(key, level_query, "experience_level")
        )
    no_director = medians is not None and "Director" not in set(medians["experience_level"])
    means = data.seed_means(levels)
    ui.chart(
        charts.seed_levels(
            means, medians, "Seed article's average salary by level vs. reported medians"
        ),
        levels[["source", "experience_level", "level_label", "statistic", "salary_usd", "n"]],
        key="salary_seed_levels",
        snap=snap,
        sources=sorted(set(levels["source"]) | (set(sources) if medians is not None else set())),
        alt=fmt.extremes(
            means["experience_level"], means["salary_usd"], what="the published mean", show=fmt.usd
        ),
        note=(
            "The seed figures are **means published in an article**, with no sample size or "
            "method: a mean is pulled up by a few high salaries, so it is not comparable with "
            "the medians of individual reports."
            + (
                f" Medians: work year {years}, the sidebar filters except experience level."
                if medians is not None
                else ""
            )
            + (" aijobs.net has no Director level." if no_director else "")
        ),
        column_config=ui.usd_columns("salary_usd"),
    )


if not levels.empty:
    # open by itself when it is all the page has (no individual reports loaded)
    with ui.on_demand(
        "Published salaries by level (seed article)", "seed_levels", expanded=n < stats.MIN_N
    ) as box:
        if box.open:
            seed_levels()

if n >= stats.MIN_N:
    ui.export_buttons(
        lambda: data.salary_rows(key, query),
        key="salaries",
        title="Salary reports matching the filters",
        table="salaries",
        snap=snap,
        sources=sources,
        filters=salary_blocks.export_filters(ctx, query, ctx.describe(NAMES)),
        count=n,
        name_parts=query.file_parts(),
        grain="one row per salary report",
    )
