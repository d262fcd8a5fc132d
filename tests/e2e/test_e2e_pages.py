"""Every registered page loads in Chromium, at desktop and at phone width, with no error element
or traceback, draws its main element (and its world map, with countries), and is screenshot."""

from __future__ import annotations

import pytest

from tests.browser import (
    APP_TITLE,
    DESKTOP,
    NAV_TITLES,
    PAGES,
    PHONE,
    check_page,
    goto,
    nav_links,
    page_spec,
    screenshot_path,
    switch_page,
    world_map_paths,
)

pytestmark = pytest.mark.e2e
IDS = [p.path for p in PAGES]


@pytest.mark.parametrize("spec", PAGES, ids=IDS)
def test_page_loads_without_errors_and_draws_its_main_element(
    app_server, page, run, spec, screenshots_dir
) -> None:
    kind = app_server.kind
    report = run(
        check_page(
            page,
            spec.url(app_server.url),
            main=spec.main[kind],
            nav=NAV_TITLES,
            screenshot=screenshot_path(screenshots_dir, kind, spec.path, DESKTOP),
        )
    )
    assert report.ok, f"{kind} data, {report.url}: {report.problems}\n{app_server.log()}"
    assert report.title == APP_TITLE
    heading = page.locator('[data-testid="stMain"] h1')
    assert run(heading.first.inner_text()).strip() == spec.heading
    assert report.screenshot is not None and report.screenshot.stat().st_size > 10_000
    if kind in spec.world_map:
        # The world outline is served by the app (dashboard/static), not a CDN: countries drawn.
        assert run(world_map_paths(page)) > 0, "the world map draws no country"


@pytest.mark.parametrize("spec", PAGES, ids=IDS)
def test_page_renders_at_phone_width(app_server, new_context, run, spec, screenshots_dir) -> None:
    kind = app_server.kind
    page = run(new_context(PHONE).new_page())
    shot = screenshot_path(screenshots_dir, kind, spec.path, PHONE)
    report = run(check_page(page, spec.url(app_server.url), main=spec.main[kind], screenshot=shot))
    assert report.ok, f"{kind} data, {report.url} at {PHONE}: {report.problems}"
    assert report.chart is None or report.chart.drawn
    assert shot.stat().st_size > 10_000


def test_navigation_lists_every_page_and_each_link_opens_it(app_server, page, run) -> None:
    run(goto(page, app_server.url + "/"))
    links = run(nav_links(page))
    assert [title for _path, title in links] == NAV_TITLES
    # The default (first) page is served at "/" only, the others at their registry path.
    assert [path for path, _title in links] == [p.url_path for p in PAGES]
    assert links[0][0] == ""
    assert run(page.locator('[data-testid="stMain"] h1').first.inner_text()) == PAGES[0].heading
    # Client-side navigation (no reload), as a person moves between pages, works too.
    salaries = page_spec("salaries")
    report = run(switch_page(page, salaries.url_path, salaries.heading, main="chart"))
    assert report.ok, report.problems
    assert page.url.split("?")[0].endswith("/salaries")
