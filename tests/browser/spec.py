"""What the browser tests expect of each registered page (dashboard/pages.py), keyed by its path."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from dashboard import pages as registry

APP_TITLE = registry.APP_TITLE
NAV_TITLES = [p.title for p in registry.PAGES]
# Widget keys are `flt_<filter>` (Streamlit adds the CSS class `st-key-<key>`), export buttons
# `export_<name>_<csv|xlsx|parquet>` (docs/dashboard.md).
EXPORT_FORMATS = ("csv", "xlsx", "parquet")


@dataclass(frozen=True)
class Change:
    """Set one sidebar filter through its widget; the URL then carries `param=value`."""

    filter: str  # filters.SPECS name; the widget key is flt_<filter>
    kind: str  # multi | radio | segmented | toggle
    label: str  # the option as the widget shows it
    param: str
    value: str
    chart: str | None = None  # ui.chart key of the chart that must change (None: the first)

    @property
    def key(self) -> str:
        return f"flt_{self.filter}"


@dataclass(frozen=True)
class PageSpec:
    """The test-specific part of a page; title, heading and path come from the registry."""

    path: str  # the registry's URL path
    main: dict[str, str | None]  # data kind -> "chart" | "table" | None: what it draws first
    changes: dict[str, tuple[Change, ...]] = field(default_factory=dict)  # per data kind
    world_map: tuple[str, ...] = ()  # the data kinds on which the page draws a world map

    @property
    def page(self) -> registry.Page:
        return registry.page(self.path)

    @property
    def title(self) -> str:
        return self.page.title

    @property
    def heading(self) -> str:
        return self.page.heading

    @property
    def url_path(self) -> str:
        """Where Streamlit serves the page: the default (first registered) one only at "/"."""
        return "" if self.path == registry.PAGES[0].path else self.path

    def url(self, base: str, query: str = "") -> str:
        return f"{base}/{self.url_path}" + (f"?{query}" if query else "")


GERMANY = Change("country", "multi", "Germany (DE)", "country", "DE")
STATISTICIANS = Change(
    "occupation", "multi", "Statisticians (15-2041.00)", "occupation", "15-2041.00"
)
NEW_POSTINGS = Change("posting", "segmented", "New postings", "posting", "new", "openings_series")
SENIOR = Change("level", "multi", "Senior", "level", "Senior")
# A radio beside the map (an inline filter, in the URL like the sidebar's). The compare
# multiselect is covered by AppTest instead: in one CI load test, a reset right after choosing
# from its 830-option list never reran the page (the open list may have taken the click).
EMPLOYMENT_MAP = Change(
    "map_measure", "radio", "Employment", "map", "employment", "occupation_states"
)
# The offer check's switch (its other inputs are dropdowns and a number, covered by AppTest).
OFFER_DEDUPE = Change(
    "dedupe", "toggle", "Count identical reports once", "dedupe", "0", "offer_distribution"
)
# Compare: a segment's inline filter (B takes Germany beside the United Kingdom).
COMPARE_B_GERMANY = Change(
    "b_country", "multi", "Germany (DE)", "b_country", "DE", "compare_distributions"
)
DEMAND_DEDUPE = Change(
    "dedupe", "toggle", "Count identical reports once", "dedupe", "0", "demand_pay"
)
# Pay growth: a country added to the wage growth lines.
GROWTH_FRANCE = Change("wage_country", "multi", "France (FR)", "wage_country", "FR", "wage_growth")
# Job openings below the country: the state map's switch (an inline radio beside it).
REGION_CHANGE = Change(
    "region_measure", "radio", "12-month change", "region_map", "change", "openings_regions_map"
)
# Skills: a country added to the AI share lines (an inline multiselect above them).
AI_FRANCE = Change("ai_country", "multi", "France (FR)", "ai_country", "FR", "skills_ai_share")
BOTH = {"seed": "chart", "real": "chart"}
SPECS: tuple[PageSpec, ...] = (
    PageSpec("overview", BOTH, {"real": (GERMANY,)}),
    PageSpec(
        "openings",
        BOTH,
        {"seed": (GERMANY,), "real": (GERMANY, NEW_POSTINGS, REGION_CHANGE)},
        world_map=("seed", "real", "fixture"),
    ),
    PageSpec("salaries", BOTH, {"real": (SENIOR,)}, world_map=("real", "fixture")),
    # seed data has no salary reports: the page says what it needs
    PageSpec("offer", {"seed": None, "real": "chart"}, {"real": (OFFER_DEDUPE,)}),
    PageSpec("compare", {"seed": None, "real": "chart"}, {"real": (COMPARE_B_GERMANY,)}),
    PageSpec("demand", {"seed": None, "real": "chart"}, {"real": (DEMAND_DEDUPE,)}),
    # seed data has no wage growth: the page says what a refresh adds
    PageSpec("growth", {"seed": None, "real": "chart"}, {"real": (GROWTH_FRANCE,)}),
    PageSpec(
        "occupations",
        {"seed": None, "real": "chart"},  # seed data has no OEWS: the page says how to load it
        {"real": (EMPLOYMENT_MAP,)},
        world_map=("real", "fixture"),  # the US state map, from the bundled state outlines
    ),
    PageSpec("skills", {"seed": "table", "real": "chart"}, {"real": (STATISTICIANS, AI_FRANCE)}),
    # seed data has no O*NET or OEWS: the page says what it needs
    # Its switches are covered by AppTest: on the default technologies "hot only" changes no
    # figure (each occupation lists them as hot under some category), and the group is a pick.
    PageSpec("skill_pay", {"seed": None, "real": "chart"}),
    PageSpec("industries", BOTH, {"real": (GERMANY,)}),
    PageSpec("education", BOTH, {"real": (STATISTICIANS,)}),
    PageSpec("sources", {"seed": "table", "real": "table"}),
)
_BY_PATH = {s.path: s for s in SPECS}
# The registered pages that have a spec, in the registry's (= the navigation's) order.
PAGES: tuple[PageSpec, ...] = tuple(_BY_PATH[p.path] for p in registry.PAGES if p.path in _BY_PATH)


def page_spec(path: str) -> PageSpec:
    """The spec of the registered page at `path` (KeyError naming the known ones)."""
    if path not in _BY_PATH:
        raise KeyError(f"no page spec {path!r}; known: {', '.join(_BY_PATH)}")
    return _BY_PATH[path]


def unmatched() -> tuple[list[str], list[str]]:
    """(registered pages without a spec, specs of no registered page), by path."""
    registered = [p.path for p in registry.PAGES]
    missing = [p for p in registered if p not in _BY_PATH]
    return missing, [p for p in _BY_PATH if p not in registered]


def query_params(url: str) -> dict[str, list[str]]:
    return dict(parse_qs(urlsplit(url).query, keep_blank_values=True))
