"""The dashboard on the hand-made fixture (tests/fixtures/dashboard_fixture.py), whose figures
are known: world maps draw countries, and a URL reopens the view it names."""

from __future__ import annotations

import pytest

from tests.browser import PAGES, check_page, page_spec, query_params, switch_page, world_map_paths

pytestmark = pytest.mark.e2e
MAP_PAGES = [p.path for p in PAGES if "fixture" in p.world_map]  # Job openings, Salaries


@pytest.mark.parametrize("path", MAP_PAGES)
def test_world_map_draws_countries_from_the_local_outline(fixture_server, page, run, path):
    # The outline comes from dashboard/static (no CDN): without it no country would be drawn.
    report = run(check_page(page, page_spec(path).url(fixture_server.url), main="chart"))
    assert report.ok, f"{report.url}: {report.problems}\n{fixture_server.log()}"
    assert run(world_map_paths(page)) > 0


def test_url_reopens_the_view_and_survives_navigation(fixture_server, page, run) -> None:
    salaries, openings = page_spec("salaries"), page_spec("openings")
    url = salaries.url(fixture_server.url, "country=US&level=Senior&foo=bar")
    report = run(check_page(page, url, main="chart"))
    # The unknown parameter is dropped from the address and named in a warning.
    run(page.wait_for_url("**/salaries?country=US&level=Senior", timeout=10_000))
    assert report.ok, report.problems
    warnings = run(page.locator('[data-testid="stAlert"]').all_inner_texts())
    assert any("foo" in w for w in warnings), warnings
    reports = page.locator('[data-testid="stMetric"]', has_text="Reports (n)")
    value = reports.locator('[data-testid="stMetricValue"]')
    assert run(value.inner_text()).strip() == "35"  # the fixture's US senior reports
    # The filters go along to another page through the navigation.
    moved = run(switch_page(page, openings.url_path, openings.heading, main="chart"))
    assert moved.ok, moved.problems
    run(page.wait_for_url("**/openings?country=US&level=Senior", timeout=10_000))
    assert query_params(page.url) == {"country": ["US"], "level": ["Senior"]}
