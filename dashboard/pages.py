"""The page registry: each dashboard page once, read by the router, Overview, tests and docs."""

from __future__ import annotations

from dataclasses import dataclass

APP_TITLE = "Job market: salaries & skills"  # the browser tab title


@dataclass(frozen=True)
class Page:
    """One page: its view file (under dashboard/), navigation title, heading and URL path."""

    file: str  # e.g. "views/salaries.py", relative to dashboard/
    title: str  # as in the navigation
    heading: str  # the page's st.title
    icon: str
    path: str  # URL path; the first page is the default one, served at "/" (not at its path)
    blurb: str  # one line for the Overview links and docs/dashboard.md


PAGES: tuple[Page, ...] = (
    Page(
        "views/overview.py",
        "Overview",
        "Job market for ML, data & software roles",
        ":material/dashboard:",
        "overview",
        "Headline figures for the current filters, data freshness, links to every page.",
    ),
    Page(
        "views/openings.py",
        "Job openings",
        "Job openings",
        ":material/work:",
        "openings",
        "Postings index by country over time; seed counts.",
    ),
    Page(
        "views/salaries.py",
        "Salaries",
        "Salaries",
        ":material/payments:",
        "salaries",
        "Median and spread by level, country, family, year.",
    ),
    Page(
        "views/offer.py",
        "Offer check",
        "Where does my offer stand?",
        ":material/balance:",
        "offer",
        "An amount placed among matching salary reports and the official US wages.",
    ),
    Page(
        "views/compare.py",
        "Compare",
        "Compare two segments",
        ":material/compare_arrows:",
        "compare",
        "Two segments' pay side by side (median gap with its interval); two openings lines.",
    ),
    Page(
        "views/demand.py",
        "Demand & pay",
        "Demand beside pay",
        ":material/stacked_line_chart:",
        "demand",
        "A job family's sector postings index above its median salary, year by year.",
    ),
    Page(
        "views/growth.py",
        "Pay growth",
        "Pay growth: advertised pay, year on year",
        ":material/trending_up:",
        "growth",
        "Growth of the pay advertised in postings by country and US sector, beside the "
        "crowd reports' median change.",
    ),
    Page(
        "views/occupations.py",
        "Occupations (official)",
        "Occupations: official US wages and employment",
        ":material/badge:",
        "occupations",
        "BLS OEWS wages and jobs for every US occupation by state, metro area and industry.",
    ),
    Page(
        "views/skills.py",
        "Skills",
        "Skills",
        ":material/psychology:",
        "skills",
        "Technologies per occupation, hot and in-demand flags.",
    ),
    Page(
        "views/skill_pay.py",
        "Skills that pay",
        "Skills that pay: what the occupations that list a technology pay",
        ":material/paid:",
        "skill_pay",
        "Technologies side by side: the occupations that list each, their jobs and official "
        "US median pay.",
    ),
    Page(
        "views/industries.py",
        "Industries & sectors",
        "Industries & sectors",
        ":material/factory:",
        "industries",
        "Seed industry shares; sector postings index.",
    ),
    Page(
        "views/education.py",
        "Education & careers",
        "Education & careers",
        ":material/school:",
        "education",
        "Required education, certifications.",
    ),
    Page(
        "views/sources.py",
        "Data & sources",
        "Data & sources",
        ":material/database:",
        "sources",
        "Licences, as-of dates, quarantine, refresh.",
    ),
)
BY_PATH = {p.path: p for p in PAGES}


def page(path: str) -> Page:
    """The registered page whose URL path is `path` (KeyError naming the known ones)."""
    try:
        return BY_PATH[path]
    except KeyError:
        raise KeyError(f"no page {path!r}; known: {', '.join(BY_PATH)}") from None
