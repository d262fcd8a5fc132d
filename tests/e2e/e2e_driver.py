"""Async Playwright helpers shared by the e2e tests and bench/loadtest.py: load a page, wait for
Streamlit to finish, read errors and the main chart, change a sidebar widget."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from e2e_harness import (
    CHART_CHANGED_JS,
    CHART_JS,
    ERRORS_JS,
    IDLE_JS,
    INIT_SCRIPT,
    RUNS_JS,
    TABLE_JS,
    Change,
    Chart,
    context_options,
)

# Milliseconds; read at call time, so the load test can raise them for a saturated machine.
TIMEOUTS = {"load": 60_000, "rerun": 45_000, "quiet": 400}


async def open_context(browser: Any) -> Any:
    """A new isolated context (one user) with the run counter installed in its pages."""
    context = await browser.new_context(**context_options())
    await context.add_init_script(INIT_SCRIPT)
    context.set_default_timeout(TIMEOUTS["load"])
    return context


async def wait_idle(page: Any, timeout_ms: int | None = None) -> None:
    """Wait until the script finished, nothing is stale and every visible chart is drawn."""
    await page.wait_for_function(IDLE_JS, timeout=timeout_ms or TIMEOUTS["load"], polling=100)


async def runs(page: Any) -> int:
    return int(await page.evaluate(RUNS_JS))


async def wait_rerun(page: Any, runs_before: int, timeout_ms: int | None = None) -> None:
    """Wait for a script run that finished after `runs_before` runs, then for the page to settle."""
    timeout_ms = timeout_ms or TIMEOUTS["rerun"]
    await page.wait_for_function(
        f"() => window.__st && window.__st.runs > {runs_before}", timeout=timeout_ms, polling=50
    )
    await wait_idle(page, timeout_ms)


async def settle(page: Any, quiet_ms: int | None = None, timeout_ms: int | None = None) -> None:
    """Wait for idle, then make sure no further run starts within `quiet_ms` (e.g. st.rerun)."""
    timeout_ms = timeout_ms or TIMEOUTS["load"]
    quiet_ms = quiet_ms or TIMEOUTS["quiet"]
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        await wait_idle(page, timeout_ms)
        before = await runs(page)
        await page.wait_for_timeout(quiet_ms)
        if await runs(page) == before and await page.evaluate(IDLE_JS):
            return
        if time.monotonic() > deadline:
            raise TimeoutError("the app kept rerunning")


async def goto(page: Any, url: str) -> None:
    await page.goto(url, wait_until="domcontentloaded")
    await page.wait_for_selector('[data-testid="stApp"]', state="attached")
    # The first run starts when the websocket is up; wait for at least one finished run.
    await page.wait_for_function(
        "() => window.__st && window.__st.runs > 0", timeout=TIMEOUTS["load"], polling=100
    )
    await settle(page)


async def errors(page: Any) -> list[str]:
    return list(await page.evaluate(ERRORS_JS))


async def main_chart(page: Any, key: str | None = None) -> Chart | None:
    """The chart drawn by `ui.chart(..., key=key)` (e.g. "salary_level"), or the page's first."""
    return Chart.from_js(await page.evaluate(CHART_JS, key))


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


async def nav_titles(page: Any) -> list[str]:
    """The page titles in the sidebar navigation (icon ligature names stripped)."""
    texts = await page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    return [t.strip().split("\n")[-1].strip() for t in texts]


async def check_page(
    page: Any,
    url: str,
    *,
    main: str | None = "chart",
    nav: list[str] | None = None,
    screenshot: Path | None = None,
) -> PageReport:
    """Open `url`, wait for the app, and report errors, traceback text, a missing main element
    (`main`: "chart" = a drawn Plotly chart with data, "table" = a dataframe, None) and, given
    `nav`, a sidebar navigation that is not the router's (a page run without the router)."""
    report = PageReport(url=url)
    start = time.monotonic()
    try:
        await goto(page, url)
    except Exception as exc:  # noqa: BLE001 - a timeout is a finding, reported with the rest
        report.problems.append(f"page did not finish rendering: {type(exc).__name__}: {exc}")
    report.seconds = time.monotonic() - start
    return await inspect(page, report, main=main, nav=nav, screenshot=screenshot)


# The page at `path` shows its st.title `heading` (the previous page's title is gone).
ON_PAGE_JS = """
([path, heading]) => location.pathname.replace(/\\/+$/, '') === ('/' + path).replace(/\\/+$/, '')
  && [...document.querySelectorAll('[data-testid="stMain"] h1')]
       .some(h => h.innerText.trim() === heading)
"""


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
            ON_PAGE_JS, arg=[path, heading], timeout=TIMEOUTS["load"], polling=100
        )
        await settle(page)
    except Exception as exc:  # noqa: BLE001 - a timeout is a finding, reported with the rest
        state = await page.evaluate(STATE_JS)
        report.problems.append(
            f"page did not finish rendering: {type(exc).__name__}: {exc} (page {state})"
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
    """Add what is wrong with the page as shown now to `report.problems`."""
    report.problems += await errors(page)
    report.title = await page.title()
    if nav is not None and (shown := await nav_titles(page)) != nav:
        report.problems.append(f"navigation shows {shown}, expected {nav}")
    if main == "chart":
        report.chart = await main_chart(page)
        if report.chart is None:
            report.problems.append("no Plotly chart in the main area")
        elif not report.chart.drawn or report.chart.traces == 0:
            report.problems.append(f"the main chart is not drawn: {report.chart}")
        elif report.chart.points == 0:
            report.problems.append(f"the main chart has no data points: {report.chart}")
    elif main == "table" and not await page.evaluate(TABLE_JS):
        report.problems.append("no table drawn in the main area")
    if screenshot is not None:
        await full_screenshot(page, screenshot)
        report.screenshot = screenshot
    return report


async def full_screenshot(page: Any, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main container, so grow the viewport to the
    content height for the shot (capped), then restore it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = await page.evaluate(
        """() => {
          const main = document.querySelector('[data-testid="stMain"]');
          const side = document.querySelector('[data-testid="stSidebarContent"]');
          return Math.max(main ? main.scrollHeight : 0, side ? side.scrollHeight : 0);
        }"""
    )
    tall = min(max(int(height), size["height"]), 12_000)
    if tall > size["height"]:
        await page.set_viewport_size({"width": size["width"], "height": tall})
        await page.wait_for_timeout(300)
        await wait_idle(page)
    try:
        await page.screenshot(path=str(path), full_page=True)
    finally:
        if tall > size["height"]:
            await page.set_viewport_size(size)


STATE_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return {
    script: app && app.getAttribute('data-test-script-state'),
    connection: app && app.getAttribute('data-test-connection-state'),
    runs: window.__st ? window.__st.runs : null,
    stale: document.querySelectorAll('[data-stale="true"]').length,
    running_icon: !!document.querySelector('[data-testid="stStatusWidgetRunningIcon"]'),
    url: location.href,
  };
}
"""


async def _until_redrawn(
    page: Any, what: str, runs_before: int, chart: str | None, before: Chart | None, timeout_ms: int
) -> None:
    """Wait for the rerun an action caused, the page to be idle and `chart` to differ from
    `before`; a timeout says which of the three never came, and the page's state."""
    stage = "a finished script run"
    start = time.monotonic()
    try:
        # A finished run, or already the new chart (which proves the run happened).
        await page.wait_for_function(
            "([runs, key, old]) => (window.__st && window.__st.runs > runs)"
            f" || (old !== null && ({CHART_CHANGED_JS})([key, old]))",
            arg=[runs_before, chart, before.raw if before is not None else None],
            timeout=timeout_ms,
            polling=50,
        )
        stage = "the page to be idle"
        await wait_idle(page, timeout_ms)
        if before is not None:
            stage = f"chart {chart or '(first)'} to change"
            await page.wait_for_function(
                CHART_CHANGED_JS, arg=[chart, before.raw], timeout=timeout_ms
            )
    except Exception as exc:
        state = await page.evaluate(STATE_JS)
        waited = time.monotonic() - start
        raise TimeoutError(
            f"{what}: no {stage} after {waited:.0f} s (runs before {runs_before}; page {state})"
        ) from exc


async def apply_change(page: Any, change: Change, timeout_ms: int | None = None) -> float:
    """Set a sidebar filter through its widget; wait until the rerun it causes has redrawn the
    main chart. Returns the seconds from the committing click to the updated chart."""
    timeout_ms = timeout_ms or TIMEOUTS["rerun"]
    widget = page.locator(f".st-key-{change.key}")
    before = await main_chart(page, change.chart)
    if change.kind == "multi":
        box = widget.locator("[role=combobox]")
        await box.click()
        await box.fill(change.label)
        target = page.get_by_role("option", name=change.label, exact=True)
    elif change.kind == "segmented":
        target = widget.locator("button", has_text=change.label)
    elif change.kind == "radio":
        target = widget.locator("label", has_text=change.label)
    elif change.kind == "toggle":
        target = widget.locator("label")
    else:
        raise ValueError(f"unknown widget kind {change.kind!r}")
    await target.first.wait_for(state="visible", timeout=timeout_ms)
    runs_before = await runs(page)
    start = time.monotonic()
    await target.first.click()
    if change.kind == "multi":
        await page.keyboard.press("Escape")  # close the option list
    what = f"{change.filter} = {change.label}"
    await _until_redrawn(page, what, runs_before, change.chart, before, timeout_ms)
    elapsed = time.monotonic() - start
    await settle(page)
    try:  # the app writes the filter to the URL
        await page.wait_for_function(
            "([p, v]) => new URLSearchParams(location.search).getAll(p).includes(v)",
            arg=[change.param, change.value],
            timeout=timeout_ms,
        )
    except Exception as exc:
        state = await page.evaluate(STATE_JS)
        raise AssertionError(
            f"{what}: the URL does not say {change.param}={change.value}: {state}"
        ) from exc
    return elapsed


async def reset_filters(
    page: Any, chart: str | None = None, timeout_ms: int | None = None
) -> float:
    """Click "Reset filters"; returns the seconds until the chart `chart` was redrawn."""
    timeout_ms = timeout_ms or TIMEOUTS["rerun"]
    before = await main_chart(page, chart)
    runs_before = await runs(page)
    start = time.monotonic()
    await page.locator(".st-key-flt_reset button").click()
    await _until_redrawn(page, "reset filters", runs_before, chart, before, timeout_ms)
    elapsed = time.monotonic() - start
    await settle(page)
    return elapsed


async def download(page: Any, key: str, target_dir: Path, timeout_ms: int = 60_000) -> Path:
    """Click the download button with Streamlit key `key`; save the file; return its path.
    A server-side failure to build the file (Streamlit then shows an error on the button) is
    raised at once with its message instead of waiting for a download that never comes."""
    button = page.locator(f".st-key-{key}")
    failed = button.locator('[data-testid="stDownloadButtonError"]')
    downloaded = asyncio.ensure_future(page.wait_for_event("download", timeout=timeout_ms))
    try:
        await button.locator("button").click()
        error = asyncio.ensure_future(failed.wait_for(state="attached", timeout=timeout_ms))
        done, _ = await asyncio.wait({downloaded, error}, return_when=asyncio.FIRST_COMPLETED)
        if downloaded not in done:
            await error
            message = (await failed.inner_text(timeout=2_000)).strip()  # shown for 5 s
            raise AssertionError(f"download button {key} failed: {message}")
        error.cancel()
        file = downloaded.result()
    finally:
        if not downloaded.done():
            downloaded.cancel()
    failure = await file.failure()
    if failure:
        raise AssertionError(f"download from {key} failed: {failure}")
    target = target_dir / file.suggested_filename
    await file.save_as(target)
    return target
