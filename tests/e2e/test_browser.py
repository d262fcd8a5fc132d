"""Every page in a real headless Chromium: no exception, charts drawn, the URL keeps the view."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.e2e import screenshots
from tests.fixtures.dashboard_fixture import build_full

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not Path(screenshots.CHROMIUM).exists() and not shutil.which("chromium"),
        reason=f"Chromium not found at {screenshots.CHROMIUM}",
    ),
]
playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = build_full(tmp_path_factory.mktemp("e2e-data"))
    port = screenshots.free_port()
    proc = screenshots.start_server(port, str(data_dir), dark=False)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def page(server):
    with playwright.sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=screenshots.CHROMIUM,
            args=screenshots.ARGS,
            headless=True,
            viewport={"width": 1400, "height": 1000},
        )
        yield context.new_page()
        context.close()


@pytest.mark.parametrize("path", screenshots.PAGES)
def test_page_renders_in_chromium(server, page, path):
    page.goto(f"{server}/{path}")
    screenshots.wait_rendered(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1").count() >= 1
    if path != "sources":
        assert page.locator(".js-plotly-plot .main-svg").count() >= 1
    if path in ("openings", "salaries"):
        # the world outline is served locally (no CDN): countries are drawn
        assert page.locator(".js-plotly-plot path.choroplethlocation").count() > 0


def test_url_reopens_view_and_survives_navigation(server, page):
    page.goto(f"{server}/salaries?country=US&level=Senior&foo=bar")
    screenshots.wait_rendered(page)
    assert page.url.endswith("/salaries?country=US&level=Senior")
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert values[-1] == "35"  # reports (n) of US senior reports in the fixture
    assert "foo" in page.locator('[data-testid="stAlert"]').first.inner_text()
    page.get_by_role("link", name="Job openings").click()
    page.wait_for_url("**/openings?country=US&level=Senior")
