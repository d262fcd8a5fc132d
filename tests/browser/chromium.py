"""The one Chromium launcher: Debian's browser (never a downloaded one), flags, fresh profile."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

# The one setting for the browser's path.
CHROMIUM = Path(os.environ.get("JOBMARKET_CHROMIUM", "/usr/bin/chromium"))
# Headless flags from the issue; the profile directory is a fresh temporary one per browser.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}


def chromium_unavailable() -> str | None:
    """Why no browser can run here, or None when it can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (`apt-get install chromium`; .ci/run does it)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (requirements-dev.txt)"
    return None


def launch_options() -> dict[str, Any]:
    """Keyword arguments for `chromium.launch_persistent_context(user_data_dir, **options)`."""
    return {
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
        "viewport": DESKTOP,
        "accept_downloads": True,
    }


def context_options(viewport: dict[str, int] | None = None) -> dict[str, Any]:
    """Keyword arguments for `browser.new_context(**options)`: one isolated user."""
    return {"viewport": viewport or DESKTOP, "accept_downloads": True}


@contextlib.contextmanager
def user_data_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="jobmarket-chromium-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextlib.asynccontextmanager
async def launch() -> AsyncIterator[Any]:
    """Start Chromium with a fresh profile directory; yields the Playwright `Browser`, on which
    each user gets an isolated context (page.open_context)."""
    reason = chromium_unavailable()
    if reason:
        raise RuntimeError(reason)
    from playwright.async_api import async_playwright

    with user_data_dir() as profile:
        async with async_playwright() as pw:
            # The persistent context holds the fresh profile; users get contexts of their own.
            persistent = await pw.chromium.launch_persistent_context(
                str(profile), **launch_options()
            )
            try:
                yield persistent.browser
            finally:
                await persistent.close()
