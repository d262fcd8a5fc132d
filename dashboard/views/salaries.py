"""Salaries: percentiles with n by level, country, job family, remote ratio, size and year."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, filters, fmt, stats, ui

NAMES = ("country", "country_of", "years", "level", "family", "employment", "remote", "size")
RULES = (
    "Every figure is a percentile of the reports matching **all** sidebar filters, with n (the "
    "number of reports) beside it. Groups with fewer than 30 reports are flagged ⚠ (grey, "
    "hatched); groups with fewer than 10 are hidden. Salaries are gross per year in **USD** as "
    "converted by the source. Boxes: p25–p75 with the median; whiskers: p10 and p90."
)

ctx = ui.start("salaries", NAMES)
snap, key, state = ctx.snap, ctx.key, ctx.state
query = filters.salary_query(state)
sources = snap.table_sources("salaries")
n = 0

if snap.has("salaries"):
    overall = data.salary_stats(key, query)
    n = int(overall["n"].iloc[0]) if len(overall) else 0
    st.markdown(RULES)
    cols = st.columns(4)
    if n >= stats.MIN_N:
        row = overall.iloc[0]
        cols[0].metric("Median salary (USD)", fmt.usd(row["p50"]))
        cols[1].metric(
            "Middle half (p25–p75)",
            f"{fmt.usd(row['p25'], short=True)}–{fmt.usd(row['p75'], short=True)}",
        )
        cols[2].metric(
            "p10–p90", f"{fmt.usd(row['p10'], short=True)}–{fmt.usd(row['p90'], short=True)}"
        )
        cols[3].metric("Reports (n)", fmt.count(n))
        if n < stats.LOW_N:
            st.warning(f"Only {n} reports match these filters: read the figures with care.")
    elif n == 0:
        st.warning("No salary report matches these filters. Widen them in the sidebar.")
    else:
        st.warning(f"Only {n} reports match these filters (under 10): no figures are shown.")

    if n > 0:
        ui.salary_section(
            ctx,
            query,
            "experience_level",
            "experience level",
            "Salary by experience level (USD per year)",
            "salary_level",
            order=stats.LEVEL_ORDER,
        )
        st.subheader("By country")
        by = query.country_field
        where = "company location" if by == "company_country" else "employee residence"
        shown, hidden = stats.sample_rules(data.salary_stats(key, query, by))
        labels = {c: fmt.country_name(c) for c in [*shown[by], *hidden[by]]}
        table = ui.stats_table(shown, hidden, by, "country")
        left, right = st.columns([3, 2])
        with left:
            ui.chart(
                ui.figure(charts.salary_map, shown, f"Median salary by {where} (USD)"),
                table,
                key="salary_country_map",
                snap=snap,
                sources=sources,
                note="Countries with fewer than 10 reports are left blank. "
                + ui.hidden_note(hidden, by, labels),
                column_config=ui.usd_columns(*ui.USD_STATS),
            )
        with right:
            ui.chart(
                charts.salary_ranked_bars(
                    shown.nlargest(25, "n"), by, "Median, top 25 countries by n", labels=labels
                ),
                table,
                key="salary_country_bars",
                snap=snap,
                sources=sources,
                note=f"Countries by {where}; bars: median, whiskers: p25–p75.",
                column_config=ui.usd_columns(*ui.USD_STATS),
            )
        ui.salary_section(
            ctx,
            query,
            "job_family",
            "job family",
            "Salary by job family (USD per year)",
            "salary_family",
        )
        left, right = st.columns(2)
        with left:
            ui.salary_section(
                ctx,
                query,
                "remote_ratio",
                "remote ratio (%)",
                "By remote ratio (% of work remote)",
                "salary_remote",
                order=(0, 50, 100),
                labels=fmt.LABELS["remote"],
            )
        with right:
            ui.salary_section(
                ctx,
                query,
                "company_size",
                "company size",
                "By company size (employees)",
                "salary_size",
                order=stats.SIZE_ORDER,
                labels=fmt.LABELS["size"],
            )
        shown, hidden = stats.sample_rules(data.salary_stats(key, query, "work_year"))
        ui.chart(
            charts.salary_trend(shown, "Salary trend by work year (USD per year)"),
            ui.stats_table(shown, hidden, "work_year", "year"),
            key="salary_trend",
            snap=snap,
            sources=sources,
            note="Line: median; bands: p25–p75 (dark) and p10–p90 (light). "
            + ui.hidden_note(hidden, "work_year"),
            column_config=ui.usd_columns(*ui.USD_STATS),
        )
else:
    st.info(
        "No individual salary reports are loaded (the aijobs.net source has not been "
        "refreshed), so medians and percentiles cannot be computed. " + ui.refresh_help()
    )

levels = data.small_table(key, "salary_levels")
if not levels.empty:
    st.subheader("Published salaries by level (seed article)")
    medians = None
    if snap.has("salaries"):
        level_query = filters.salary_query({**state, "level": ()})
        medians, _hidden = stats.sample_rules(
            data.salary_stats(key, level_query, "experience_level")
        )
    no_director = medians is not None and "Director" not in set(medians["experience_level"])
    ui.chart(
        charts.seed_levels(
            levels.loc[levels["statistic"] == "mean"],
            medians,
            "Seed article's average salary by level vs. reported medians",
        ),
        levels[["source", "experience_level", "level_label", "statistic", "salary_usd", "n"]],
        key="salary_seed_levels",
        snap=snap,
        sources=sorted(set(levels["source"]) | (set(sources) if medians is not None else set())),
        note=(
            "The seed figures are **means published in an article**, with no sample size or "
            "method: a mean is pulled up by a few high salaries, so it is not comparable with "
            "the medians of individual reports."
            + (
                " Medians use the sidebar filters except experience level."
                if medians is not None
                else ""
            )
            + (" aijobs.net has no Director level." if no_director else "")
        ),
        column_config=ui.usd_columns("salary_usd"),
    )

if n > 0:
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
