"""Every registered page loads in Chromium, at desktop and at phone width, with no error element
or traceback, draws its main element (and its world map, with countries), and is screenshot; a
sidebar filter change redraws the main chart and is written to the URL, and opening that URL in
a new browser context (another user, no shared session) restores the same filters and figure.

Each page is loaded once per data kind at desktop width (`loaded`, tests/e2e/conftest.py): the
checks that only read it share that load (the phone-width check narrows its window, then
restores it), and the tests that change a page come last and take it over.
"""

from __future__ import annotations

import pytest

from tests.browser import (
    APP_TITLE,
    NAV_TITLES,
    PAGES,
    PHONE,
    apply_change,
    check_at_width,
    errors,
    goto,
    main_chart,
    nav_links,
    page_spec,
    query_params,
    screenshot_path,
    switch_page,
    world_map_paths,
)

pytestmark = pytest.mark.e2e
IDS = [p.path for p in PAGES]


@pytest.mark.parametrize("spec", PAGES, ids=IDS)
def test_page_loads_without_errors_and_draws_its_main_element(
    app_server, loaded, run, spec
) -> None:
    kind = app_server.kind
    page, report = loaded.get(spec)
    assert report.ok, f"{kind} data, {report.url}: {report.problems}\n{app_server.log()}"
    assert report.title == APP_TITLE
    heading = page.locator('[data-testid="stMain"] h1')
    assert run(heading.first.inner_text()).strip() == spec.heading
    assert report.screenshot is not None and report.screenshot.stat().st_size > 10_000
    if kind in spec.world_map:
        # The world outline is served by the app (dashboard/static), not a CDN: countries drawn.
        assert run(world_map_paths(page)) > 0, "the world map draws no country"


@pytest.mark.parametrize("spec", PAGES, ids=IDS)
def test_page_renders_at_phone_width(app_server, loaded, run, spec, screenshots_dir) -> None:
    # The shared load, its window narrowed to a phone's and then restored: Streamlit lays the
    # page out for the window it has (sidebar collapsed, charts refit), as on a first load there.
    kind = app_server.kind
    page, _report = loaded.get(spec)
    shot = screenshot_path(screenshots_dir, kind, spec.path, PHONE)
    report = run(check_at_width(page, PHONE, main=spec.main[kind], screenshot=shot))
    assert report.ok, f"{kind} data, {report.url} at {PHONE}: {report.problems}"
    assert report.chart is None or report.chart.drawn
    assert shot.stat().st_size > 10_000
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert run(sidebar.bounding_box())["width"] > 0, "the window's width was not restored"


CASES = [
    pytest.param(kind, spec, change, id=f"{kind}-{spec.path}-{change.filter}")
    for spec in PAGES
    for kind, changes in spec.changes.items()
    for change in changes
]


# After the tests that read the pages: this one changes the page, so it takes the shared load.
@pytest.mark.parametrize(("app_server", "spec", "change"), CASES, indirect=["app_server"])
def test_filter_change_updates_chart_and_url_and_the_url_restores_it(
    app_server, loaded, new_context, run, spec, change
) -> None:
    page, _report = loaded.take(spec)  # the page at its default URL, as a person opens it
    before = run(main_chart(page, change.chart))
    assert before is not None and before.drawn, (
        f"no main chart before the change: {before} {change}"
    )
    assert change.value not in query_params(page.url).get(change.param, [])

    seconds = run(apply_change(page, change))

    after = run(main_chart(page, change.chart))
    assert after is not None and after.drawn and after.points > 0
    assert after.digest != before.digest, "the main chart did not change"
    assert run(errors(page)) == []
    url = page.url
    assert change.value in query_params(url).get(change.param, []), url
    assert seconds < 30

    # The same URL in a fresh context: same filters in the widget, same URL, same figure.
    other = run(new_context().new_page())
    run(goto(other, url))
    assert run(errors(other)) == []
    restored = run(main_chart(other, change.chart))
    assert restored is not None and restored.digest == after.digest, "figure not restored"
    assert query_params(other.url) == query_params(url)
    widget = other.locator(f".st-key-{change.key}")
    if change.kind == "multi":
        chosen = run(widget.locator('[data-testid="stMultiSelectTagsContainer"]').inner_text())
        assert change.label in chosen, chosen
    elif change.kind == "segmented":
        pressed = widget.locator("button[aria-pressed=true], button[aria-checked=true]")
        assert change.label in " ".join(run(pressed.all_inner_texts()))
    elif change.kind == "radio":
        assert run(widget.locator("input:checked").count()) >= 1
    elif change.kind == "toggle":  # switched on (`1`) or off (`0`, a default-on switch)
        checked = run(widget.locator("input:checked").count()) >= 1
        assert checked == (change.value == "1"), (change.value, checked)


# Last: it navigates away from the default page, so it takes that page's shared load.
def test_navigation_lists_every_page_and_each_link_opens_it(app_server, loaded, run) -> None:
    page, report = loaded.take(PAGES[0])  # the default page, served at "/"
    assert report.url == app_server.url + "/"
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
