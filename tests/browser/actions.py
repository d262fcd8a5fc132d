"""What a user does on a page: change a sidebar filter, reset the filters, download an export."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from tests.browser import js
from tests.browser.page import TIMEOUTS, Chart, main_chart, runs, settle, state, wait_idle
from tests.browser.spec import Change


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
            f"([runs, key, old]) => ({js.RUNS_ABOVE_JS})(runs)"
            f" || (old !== null && ({js.CHART_CHANGED_JS})([key, old]))",
            arg=[runs_before, chart, before.raw if before is not None else None],
            timeout=timeout_ms,
            polling=50,
        )
        stage = "the page to be idle"
        await wait_idle(page, timeout_ms)
        if before is not None:
            stage = f"chart {chart or '(first)'} to change"
            await page.wait_for_function(
                js.CHART_CHANGED_JS, arg=[chart, before.raw], timeout=timeout_ms
            )
    except Exception as exc:
        waited = time.monotonic() - start
        raise TimeoutError(
            f"{what}: no {stage} after {waited:.0f} s "
            f"(runs before {runs_before}; page {await state(page)})"
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
        raise AssertionError(
            f"{what}: the URL does not say {change.param}={change.value}: {await state(page)}"
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


async def open_section(page: Any, title: str, timeout_ms: int | None = None) -> None:
    """Open the on-demand section `title` (ui.on_demand) unless it is open already, and wait
    for the rerun that draws it."""
    box = page.locator('[data-testid="stExpander"]').filter(
        has=page.locator("summary", has_text=title)
    )
    details = box.first.locator("details").first  # its own, not the expanders inside it
    if await details.get_attribute("open") is not None:
        return
    runs_before = await runs(page)
    await box.first.locator("summary").first.click()
    await page.wait_for_function(
        js.RUNS_ABOVE_JS, arg=runs_before, timeout=timeout_ms or TIMEOUTS["rerun"], polling=50
    )
    await settle(page)


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
