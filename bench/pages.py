"""Server-side page timings with Streamlit's AppTest: first run, rerun, and filter changes.

    python -m bench.pages --data DIR [--runs 5]

AppTest runs the page script in this process the way the server does for a browser session, so
the time is what a person waits for the server (drawing in the browser comes on top)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"
# Level choices a person might click through, each new to the cache when it is first chosen.
LEVEL_CHOICES = (["Senior"], ["Mid"], ["Entry"], ["Executive"], ["Mid", "Senior"], ["Entry", "Mid"])
# Official occupations a person might switch between on the Occupations page (each uncached).
OCCUPATION_CHOICES = ("15-1252", "15-1221", "15-2041", "13-2011", "29-1141", "11-1021")


def _app(data_dir: Path, page_file: str | None) -> Any:
    from streamlit.testing.v1 import AppTest

    os.environ["JOBMARKET_DATA_DIR"] = str(data_dir)
    at = AppTest.from_file(str(APP), default_timeout=300)
    if page_file:
        at.run()  # registers the st.navigation pages, which switch_page needs
        at.switch_page(page_file)
    return at


def _timed(at: Any) -> float:
    started = time.perf_counter()
    at.run()
    if at.exception:
        raise RuntimeError(f"the page raised: {at.exception[0].message}")
    return time.perf_counter() - started


def page_reruns(data_dir: Path, runs: int = 5) -> list[dict[str, Any]]:
    """Per page: the first run (cold queries) and the p50 of `runs` reruns (what each widget
    interaction costs when the view is already cached)."""
    from dashboard.pages import PAGES

    out = []
    for i, page in enumerate(PAGES):
        at = _app(data_dir, None if i == 0 else page.file)
        first = _timed(at)
        reruns = [_timed(at) for _ in range(runs)]
        out.append(
            {
                "case": f"page: {page.title}",
                "first_s": round(first, 3),
                "rerun_p50_s": round(statistics.median(reruns), 4),
            }
        )
    return out


def salary_filter_changes(data_dir: Path, runs: int = 5) -> dict[str, Any]:
    """The Salaries page after a change of the level filter to a choice not seen before (so every
    query behind the page runs): p50 and max over `runs` changes."""
    at = _app(data_dir, "views/salaries.py")
    first = _timed(at)
    times = []
    for choice in LEVEL_CHOICES[: max(runs, 1)]:
        at.get_by_key("flt_level").set_value(choice)
        times.append(_timed(at))
    return {
        "case": "page: Salaries, filter change (uncached)",
        "first_s": round(first, 3),
        "p50_s": round(statistics.median(times), 4),
        "max_s": round(max(times), 4),
        "changes": len(times),
    }


def occupation_switches(data_dir: Path, runs: int = 5) -> dict[str, Any] | None:
    """The Occupations page after switching to an occupation not seen before (every query
    behind the page runs): p50 and max over `runs` switches; None without OEWS data."""
    at = _app(data_dir, "views/occupations.py")
    first = _timed(at)
    picker = [s for s in at.selectbox if s.key == "flt_soc"]
    if not picker:
        return None
    options = set(picker[0].options)
    choices = [
        c for c in OCCUPATION_CHOICES if any(o.endswith(f"({c})") or c in o for o in options)
    ]
    times = []
    for code in choices[: max(runs, 1)]:
        at.selectbox(key="flt_soc").set_value(code)
        times.append(_timed(at))
    if not times:
        return None
    return {
        "case": "page: Occupations, occupation switch (uncached)",
        "first_s": round(first, 3),
        "p50_s": round(statistics.median(times), 4),
        "max_s": round(max(times), 4),
        "changes": len(times),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="data root to read")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    rows = page_reruns(args.data, args.runs) + [salary_filter_changes(args.data, args.runs)]
    switches = occupation_switches(args.data, args.runs)
    rows += [switches] if switches else []
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
