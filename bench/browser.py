"""Browser benchmark: every page of the dashboard against a bare one-chart app, side by side.

    python -m bench.browser --data real|seed|DIR [--runs 3] [--pages salaries,offer] [--json F]

Both apps are served the same way (`streamlit run`, same options) and driven by the same
Chromium with the same waits: a load ends when the first script run has finished, nothing is
stale and every chart is drawn; a filter change ends when its chart is redrawn. Per page it
prints the cold load (the server's first visitor: the default page only), the warm load (a new
visitor once the page has been seen) and a filter change, each beside the bare app's figure and
the ratio, then the targets of issue 25. The machine's load hits both apps alike, so the ratios
are the figures to read; the seconds are for an idle machine only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError

from tests.browser import launch, open_context, settle
from tests.browser.actions import apply_change
from tests.browser.page import wait_idle, wait_runs_above
from tests.browser.server import StreamlitServer, resolve_data
from tests.browser.spec import PAGES, Change

ROOT = Path(__file__).resolve().parents[1]
BARE_APP = ROOT / "bench" / "bare_app.py"
RESULTS = ROOT / "bench" / "results" / "browser.json"
BARE_CHANGE = Change("double", "toggle", "Double the values", "double", "1")
# Issue 25's targets: ratios to the bare app in the same run, and one absolute figure.
TARGETS = {"cold_ratio": 1.5, "warm_ratio": 1.5, "change_ratio": 2.0, "change_s": 1.0}


async def _load(browser: Any, url: str) -> tuple[float, Any, Any]:
    """Seconds from navigation to the first run finished with every chart drawn; the context
    and page stay open for a filter change."""
    context = await open_context(browser)
    page = await context.new_page()
    started = time.monotonic()
    await page.goto(url, wait_until="domcontentloaded")
    await page.wait_for_selector('[data-testid="stApp"]', state="attached")
    await wait_runs_above(page, 0)
    await wait_idle(page)
    elapsed = time.monotonic() - started
    await settle(page)
    return elapsed, context, page


async def _warm_and_change(
    browser: Any, url: str, change: Change | None, runs: int
) -> tuple[list[float], list[float]]:
    """`runs` warm loads of `url` in new contexts, each followed by `change` (if any)."""
    loads, changes = [], []
    for _ in range(runs):
        seconds, context, page = await _load(browser, url)
        loads.append(seconds)
        try:
            if change is not None:
                changes.append(await apply_change(page, change))
        finally:
            await context.close()
    return loads, changes


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def _ratio(app: float | None, bare: float | None) -> float | None:
    return round(app / bare, 2) if app is not None and bare else None


async def _measure(
    app_url: str, bare_url: str, kind: str, pages: list[Any], runs: int
) -> dict[str, Any]:
    async with launch() as browser:
        # Cold: each server's very first visitor (the servers were started just before).
        cold_bare, context, _ = await _load(browser, f"{bare_url}/")
        await context.close()
        cold_app, context, _ = await _load(browser, f"{app_url}/")
        await context.close()
        bare_loads, bare_changes = await _warm_and_change(
            browser, f"{bare_url}/", BARE_CHANGE, runs + 1
        )
        bare = {
            "cold_s": round(cold_bare, 3),
            "warm_s": _median(bare_loads[1:]),
            "change_s": _median(bare_changes[1:]),
        }
        rows = []
        for spec in pages:
            change = next(iter(spec.changes.get(kind, ())), None)
            url = spec.url(app_url)
            # The first visit warms the page's caches (and times its first change); the rest
            # are what a later visitor waits for.
            try:
                loads, changes = await _warm_and_change(browser, url, change, runs + 1)
            except (PlaywrightError, TimeoutError) as exc:  # one broken page keeps the rest
                print(f"  {spec.path}: FAILED {str(exc).splitlines()[0]}", flush=True)
                rows.append({"page": spec.path, "error": str(exc).splitlines()[0]})
                continue
            row = {
                "page": spec.path,
                "first_s": round(loads[0], 3),
                "warm_s": _median(loads[1:]),
                "change": f"{change.filter} = {change.label}" if change else None,
                "first_change_s": round(changes[0], 3) if changes else None,
                "change_s": _median(changes[1:]),
            }
            row["warm_ratio"] = _ratio(row["warm_s"], bare["warm_s"])
            row["change_ratio"] = _ratio(row["change_s"], bare["change_s"])
            rows.append(row)
            print(f"  {spec.path}: measured", flush=True)
    return {
        "bare": bare,
        "cold": {"app_s": round(cold_app, 3), "ratio": _ratio(cold_app, cold_bare)},
        "pages": rows,
    }


def verdicts(result: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """(target, met, detail) for each of issue 25's browser targets."""
    pages = [r for r in result["pages"] if "error" not in r]
    failed = [r["page"] for r in result["pages"] if "error" in r]
    worst_warm = max(pages, key=lambda r: r["warm_ratio"] or 0)
    changed = [r for r in pages if r["change_ratio"] is not None]
    worst_ratio = max(changed, key=lambda r: r["change_ratio"]) if changed else None
    worst_secs = max(changed, key=lambda r: r["change_s"]) if changed else None
    out = [
        (
            f"cold first page <= {TARGETS['cold_ratio']} x",
            (result["cold"]["ratio"] or 0) <= TARGETS["cold_ratio"],
            f"{result['cold']['ratio']} x",
        ),
        (
            f"warm page load <= {TARGETS['warm_ratio']} x on every page",
            (worst_warm["warm_ratio"] or 0) <= TARGETS["warm_ratio"],
            f"worst {worst_warm['page']} {worst_warm['warm_ratio']} x",
        ),
    ]
    if worst_ratio is not None and worst_secs is not None:
        out += [
            (
                f"filter change <= {TARGETS['change_ratio']} x on every page",
                worst_ratio["change_ratio"] <= TARGETS["change_ratio"],
                f"worst {worst_ratio['page']} {worst_ratio['change_ratio']} x",
            ),
            (
                f"filter change <= {TARGETS['change_s']} s (idle machine)",
                worst_secs["change_s"] <= TARGETS["change_s"],
                f"worst {worst_secs['page']} {worst_secs['change_s']} s",
            ),
        ]
    if failed:
        out.append(("every page measured", False, "failed: " + ", ".join(failed)))
    return out


def table(result: dict[str, Any]) -> str:
    """The result as a fixed-width table, the bare app's figures on the first line."""

    def cell(value: Any, size: int = 8) -> str:
        return f"{'-' if value is None else value:>{size}}"

    bare = result["bare"]
    head = f"{'page':<14}{'warm s':>8}{'ratio':>8}{'change s':>10}{'ratio':>8}  change"
    lines = [
        f"cold first page: app {result['cold']['app_s']} s, bare {bare['cold_s']} s, "
        f"ratio {result['cold']['ratio']} x",
        head,
        f"{'(bare app)':<14}{cell(bare['warm_s'])}{cell(1.0)}{cell(bare['change_s'], 10)}"
        f"{cell(1.0)}  toggle",
    ]
    for r in result["pages"]:
        if "error" in r:
            lines.append(f"{r['page']:<14}FAILED: {r['error']}")
            continue
        lines.append(
            f"{r['page']:<14}{cell(r['warm_s'])}{cell(r['warm_ratio'])}"
            f"{cell(r['change_s'], 10)}{cell(r['change_ratio'])}  {r['change'] or '-'}"
        )
    for target, met, detail in verdicts(result):
        lines.append(f"{'met ' if met else 'MISS'} {target}: {detail}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="real", help="seed, real or a data directory")
    parser.add_argument("--runs", type=int, default=3, help="warm loads and changes per page")
    parser.add_argument("--pages", help="comma-separated page paths (default: every page)")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args(argv)
    wanted = set(args.pages.split(",")) if args.pages else None
    pages = [p for p in PAGES if wanted is None or p.path in wanted]
    with tempfile.TemporaryDirectory(prefix="jobmarket-browser-bench-") as tmp:
        data_dir, kind = resolve_data(args.data, Path(tmp))
        app = StreamlitServer(data_dir, Path(tmp) / "app.log", kind=kind)
        bare = StreamlitServer(data_dir, Path(tmp) / "bare.log", app=BARE_APP, kind="bare")
        with app, bare:
            result = asyncio.run(_measure(app.url, bare.url, kind, pages, args.runs))
    result.update(
        data=kind,
        runs=args.runs,
        cpus=os.cpu_count(),
        load_average=[round(x, 2) for x in os.getloadavg()],
    )
    print(table(result))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
