"""Async Playwright helpers for one page: open, wait for Streamlit, inspect, screenshot."""

from __future__ import annotations

import hashlib
import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.browser import js
from tests.browser.chromium import context_options

# Read at call time, so the load test can raise them for a saturated machine. Milliseconds, and
# the rendered frames a page must stay idle (with no new run) to count as settled.
TIMEOUTS = {"load": 60_000, "rerun": 45_000, "settle_frames": 10}
MAX_SHOT_HEIGHT = 12_000
_tokens = itertools.count()


async def open_context(browser: Any, viewport: dict[str, int] | None = None) -> Any:
    """A new isolated context (one user) with the run counter installed in its pages."""
    context = await browser.new_context(**context_options(viewport))
    await context.add_init_script(js.INIT_SCRIPT)
    context.set_default_timeout(TIMEOUTS["load"])
    return context


async def wait_idle(page: Any, timeout_ms: int | None = None) -> None:
    """Wait until the script finished, nothing is stale and every visible chart is drawn."""
    await page.wait_for_function(js.IDLE_JS, timeout=timeout_ms or TIMEOUTS["load"], polling=100)


async def runs(page: Any) -> int:
    """How many script runs have finished in this page."""
    return int(await page.evaluate(js.RUNS_JS))


async def wait_runs_above(page: Any, runs_before: int, timeout_ms: int | None = None) -> None:
    """Wait until more than `runs_before` script runs have finished."""
    timeout = timeout_ms or TIMEOUTS["rerun"]
    await page.wait_for_function(js.RUNS_ABOVE_JS, arg=runs_before, timeout=timeout, polling=50)


async def settle(page: Any, timeout_ms: int | None = None) -> None:
    """Wait until the page is idle and no further run starts for a few rendered frames (a rerun
    that follows at once, e.g. st.rerun, is waited for too)."""
    try:
        await page.wait_for_function(
            js.SETTLED_JS,
            arg=[next(_tokens), TIMEOUTS["settle_frames"]],
            timeout=timeout_ms or TIMEOUTS["load"],
            polling="raf",
        )
    except Exception as exc:
        raise TimeoutError(f"the page did not settle: {await state(page)}") from exc


async def goto(page: Any, url: str) -> None:
    """Load `url` and wait for its first script run to finish and the page to settle."""
    await page.goto(url, wait_until="domcontentloaded")
    await page.wait_for_selector('[data-testid="stApp"]', state="attached")
    # The first run starts when the websocket is up; wait for at least one finished run.
    await wait_runs_above(page, 0, TIMEOUTS["load"])
    await settle(page)


async def state(page: Any) -> dict[str, Any]:
    """Script and connection state, run count, stale elements, URL: for timeout messages."""
    return await page.evaluate(js.STATE_JS)


async def errors(page: Any) -> list[str]:
    return list(await page.evaluate(js.ERRORS_JS))


async def nav_links(page: Any) -> list[tuple[str, str]]:
    """(URL path without the leading "/", title) of each link in the sidebar navigation."""
    return [(path, title) for path, title in await page.evaluate(js.NAV_JS)]


async def world_map_paths(page: Any) -> int:
    """How many country shapes the page's world maps draw."""
    return int(await page.evaluate(js.MAP_PATHS_JS))


@dataclass(frozen=True)
class Chart:
    """The main chart as drawn: `digest` changes exactly when its plotted data changes."""

    drawn: bool
    count: int
    traces: int
    points: int
    title: str
    digest: str
    raw: str = field(default="", repr=False, compare=False)

    @classmethod
    def from_js(cls, raw: dict[str, Any] | None) -> Chart | None:
        if raw is None:
            return None
        data = raw.get("data", "")
        return cls(
            drawn=bool(raw.get("drawn")),
            count=int(raw.get("count", 0)),
            traces=int(raw.get("traces", 0)),
            points=int(raw.get("points", 0)),
            title=str(raw.get("title", "")),
            digest=hashlib.sha1(data.encode()).hexdigest()[:16] if data else "",
            raw=data,
        )


async def main_chart(page: Any, key: str | None = None) -> Chart | None:
    """The chart drawn by `ui.chart(..., key=key)` (e.g. "salary_level"), or the page's first."""
    return Chart.from_js(await page.evaluate(js.CHART_JS, key))


@dataclass
class PageReport:
    """What the harness found on one page: empty `problems` means the page is healthy."""

    url: str
    title: str = ""
    chart: Chart | None = None
    problems: list[str] = field(default_factory=list)
    screenshot: Path | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


async def check_page(page: Any, url: str, **checks: Any) -> PageReport:
    """Open `url`, wait for the app, and report what `inspect` finds: errors, traceback text,
    a missing main element, a wrong navigation (`checks`: inspect's main, nav, screenshot)."""
    report = PageReport(url=url)
    start = time.monotonic()
    try:
        await goto(page, url)
    except Exception as exc:  # noqa: BLE001 - a timeout is a finding, reported with the rest
        report.problems.append(f"page did not finish rendering: {type(exc).__name__}: {exc}")
    report.seconds = time.monotonic() - start
    return await inspect(page, report, **checks)


async def switch_page(
    page: Any, path: str, heading: str, *, main: str | None = "chart"
) -> PageReport:
    """Go to another page the way a user does, with the sidebar navigation (no reload), wait
    for it to render and check it like `check_page`. (A finished run is recognized by the new
    page's title, not by counting runs: a busy browser may render a whole run in one frame.)"""
    link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]')
    report = PageReport(url=path)
    start = time.monotonic()
    try:
        await link.first.click()
        await page.wait_for_function(
            js.ON_PAGE_JS, arg=[path, heading], timeout=TIMEOUTS["load"], polling=100
        )
        await settle(page)
    except Exception as exc:  # noqa: BLE001 - a timeout is a finding, reported with the rest
        report.problems.append(
            f"page did not finish rendering: {type(exc).__name__}: {exc} (page {await state(page)})"
        )
    report.seconds = time.monotonic() - start
    report.url = page.url
    return await inspect(page, report, main=main)


async def inspect(
    page: Any,
    report: PageReport,
    *,
    main: str | None = "chart",
    nav: list[str] | None = None,
    screenshot: Path | None = None,
) -> PageReport:
    """Add what is wrong with the page as shown now to `report.problems`: error elements,
    traceback text, JavaScript errors; a missing main element (`main`: "chart" = a drawn Plotly
    chart with data, "table" = a dataframe, None); given `nav`, a sidebar navigation that is not
    the router's (a page run without it). Given `screenshot`, the whole page is saved there."""
    report.problems += await errors(page)
    report.title = await page.title()
    if nav is not None and (shown := [t for _, t in await nav_links(page)]) != nav:
        report.problems.append(f"navigation shows {shown}, expected {nav}")
    if main == "chart":
        report.chart = await main_chart(page)
        if report.chart is None:
            report.problems.append("no Plotly chart in the main area")
        elif not report.chart.drawn or report.chart.traces == 0:
            report.problems.append(f"the main chart is not drawn: {report.chart}")
        elif report.chart.points == 0:
            report.problems.append(f"the main chart has no data points: {report.chart}")
    elif main == "table" and not await page.evaluate(js.TABLE_JS):
        report.problems.append("no table drawn in the main area")
    if screenshot is not None:
        try:
            await full_screenshot(page, screenshot)
            report.screenshot = screenshot
        except Exception as exc:  # noqa: BLE001 - reported with the rest
            report.problems.append(f"no screenshot: {type(exc).__name__}: {exc}")
    return report


async def check_at_width(page: Any, viewport: dict[str, int], **checks: Any) -> PageReport:
    """Check a loaded page at another width without loading it again: resize the window to
    `viewport`, wait until the page is settled and every chart has reflowed to its new width,
    `inspect` it (`checks`: main, nav, screenshot), then restore the window's size the same way.
    Streamlit lays a page out for the window it has (the sidebar collapses under a phone's
    width, charts refit), so this is what a first load at that width shows."""
    before = page.viewport_size
    report = PageReport(url=page.url)
    start = time.monotonic()
    try:
        await _resize(page, viewport)
    except Exception as exc:  # noqa: BLE001 - a timeout is a finding, reported with the rest
        report.problems.append(f"page did not settle at {viewport}: {type(exc).__name__}: {exc}")
    report.seconds = time.monotonic() - start
    try:
        return await inspect(page, report, **checks)
    finally:
        await _resize(page, before)


async def _resize(page: Any, viewport: dict[str, int]) -> None:
    await page.set_viewport_size(viewport)
    await page.wait_for_function(js.REFLOWED_JS, timeout=TIMEOUTS["load"], polling="raf")
    await settle(page)


def screenshot_path(out: Path, label: str, path: str, viewport: dict[str, int]) -> Path:
    """Where the screenshot of page `path` on `label` data at this width goes."""
    return out / f"{label}-{path}-{viewport['width']}.png"


async def full_screenshot(page: Any, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main container, so grow the viewport to the
    content height for the shot (capped), wait until it is laid out for it, then restore it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = int(await page.evaluate(js.CONTENT_HEIGHT_JS))
    tall = min(max(height, size["height"]), MAX_SHOT_HEIGHT)
    if tall > size["height"]:
        await page.set_viewport_size({"width": size["width"], "height": tall})
    try:
        await page.wait_for_function(
            js.SHOT_READY_JS, arg=MAX_SHOT_HEIGHT, timeout=TIMEOUTS["load"], polling="raf"
        )
        await page.screenshot(path=str(path), full_page=True)
    finally:
        if tall > size["height"]:
            await page.set_viewport_size(size)
