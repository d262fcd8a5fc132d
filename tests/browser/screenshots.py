"""Screenshots of every page at desktop and phone width, for a person to look at (a CLI).

    python -m tests.browser.screenshots --data seed|real|DIR --out DIR [--dark] [--label NAME]

Builds the data (seed, or a full refresh from ../shared/datasets) or uses a data directory
already built, serves it with `streamlit run`, opens each page of the registry in Debian's
Chromium at 1400 and at 390 px width, waits until it is rendered and writes
<out>/<label>-<page>-<width>.png (label: the data kind, plus -dark). The e2e suite writes the same
files into tests/e2e/screenshots/. Exits 1 when a page shows an error or misses its main element.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from tests.browser.chromium import DESKTOP, PHONE, launch
from tests.browser.page import PageReport, check_page, open_context, screenshot_path
from tests.browser.server import StreamlitServer, resolve_data
from tests.browser.spec import PAGES

VIEWPORTS = (DESKTOP, PHONE)


async def shoot(base_url: str, kind: str, out: Path, label: str) -> list[PageReport]:
    """Every page at every width; returns what was found on each."""
    reports = []
    async with launch() as browser:
        for viewport in VIEWPORTS:
            context = await open_context(browser, viewport)
            try:
                page = await context.new_page()
                for spec in PAGES:
                    shot = screenshot_path(out, label, spec.path, viewport)
                    report = await check_page(
                        page, spec.url(base_url), main=spec.main.get(kind), screenshot=shot
                    )
                    print(shot, "ok" if report.ok else f"PROBLEMS: {report.problems}", flush=True)
                    reports.append(report)
            finally:
                await context.close()
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="seed", help="seed, real or a data directory")
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNG files")
    parser.add_argument("--dark", action="store_true", help="Streamlit's dark theme")
    parser.add_argument("--label", help="file name prefix (default: the data kind)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jobmarket-screenshots-") as tmp:
        data_dir, kind = resolve_data(args.data, Path(tmp))
        label = (args.label or kind) + ("-dark" if args.dark else "")
        theme = {"theme.base": "dark"} if args.dark else {}
        server = StreamlitServer(data_dir, Path(tmp) / "streamlit.log", options=theme, kind=kind)
        with server:
            reports = asyncio.run(shoot(server.url, kind, args.out.resolve(), label))
    return 0 if all(r.ok for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
