"""Every page loads in Chromium with no error element or traceback and draws its main chart."""

from __future__ import annotations

import pytest
from e2e_driver import check_page, goto, switch_page
from e2e_harness import APP_TITLE, NAV_TITLES, PAGES

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("spec", PAGES, ids=[p.slug for p in PAGES])
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
            screenshot=screenshots_dir / f"{kind}-{spec.slug}.png",
        )
    )
    assert report.ok, f"{kind} data, {report.url}: {report.problems}\n{app_server.log()}"
    assert report.title == APP_TITLE
    heading = page.locator('[data-testid="stMain"] h1')
    assert run(heading.first.inner_text()).strip() == spec.heading
    assert report.screenshot is not None and report.screenshot.stat().st_size > 10_000


def test_navigation_lists_every_page_and_each_link_opens_it(app_server, page, run) -> None:
    run(goto(page, app_server.url + "/"))
    links = run(
        page.eval_on_selector_all(
            '[data-testid="stSidebarNav"] a',
            "els => els.map(e => [new URL(e.href).pathname, e.innerText.split('\\n').pop()])",
        )
    )
    assert [title for _path, title in links] == NAV_TITLES
    assert [path.strip("/") for path, _title in links] == [p.path for p in PAGES]
    # Client-side navigation (no reload), as a person moves between pages, works too.
    report = run(switch_page(page, "salaries", "Salaries", main="chart"))
    assert report.ok, report.problems
    assert page.url.split("?")[0].endswith("/salaries")
    assert run(page.locator('[data-testid="stMain"] h1').first.inner_text()).strip() == "Salaries"
