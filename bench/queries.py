"""Times the dashboard's data-layer queries on the current data (run by bench/run.py)."""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard import data  # noqa: E402

RUNS = 10


def _time(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(name: str, cached: Any, call: Callable[[], Any]) -> dict[str, Any]:
    """Uncached p50/p95 and the warm p50. Outside Streamlit the data layer's functions run
    uncached (no runtime, no cache, no warnings); the warm figure is a dictionary lookup of
    the stored result, what st.cache_data costs before its copy of the frame."""
    uncached = [_time(call) for _ in range(RUNS)]
    memo = {name: call()}
    warm = [_time(lambda: memo[name].copy()) for _ in range(RUNS)]
    uncached.sort()
    return {
        "case": f"query: {name}",
        "seconds": round(statistics.median(uncached), 4),
        "p95_seconds": round(uncached[int(0.95 * (RUNS - 1))], 4),
        "warm_seconds": round(statistics.median(warm), 6),
        "ok": True,
    }


def main() -> int:
    snap = data.current()
    if snap is None:
        print("[]")
        return 1
    key = snap.key
    everything = data.SalaryQuery(dedupe=False)
    us_senior = data.SalaryQuery(
        countries=("US",), levels=("Senior",), year_from=2024, dedupe=False
    )
    cases = [
        (
            "salary p10-p90 by level (all rows)",
            data.salary_stats,
            lambda: data.salary_stats(key, everything, "experience_level"),
        ),
        (
            "salary p10-p90 by job family (US, Senior, 2024+)",
            data.salary_stats,
            lambda: data.salary_stats(key, us_senior, "job_family"),
        ),
        (
            "salary rows for export (US, Senior, 2024+)",
            data.salary_rows,
            lambda: data.salary_rows(key, us_senior),
        ),
        (
            "postings index series (3 countries, SA, total)",
            data.openings_series,
            lambda: data.openings_series(
                key, ("postings_index_sa",), ("total",), ("US", "GB", "DE")
            ),
        ),
        (
            "latest postings index per country",
            data.openings_latest,
            lambda: data.openings_latest(key, "postings_index_sa", "total"),
        ),
        (
            "sector index series (US, 2 sectors)",
            data.sector_series,
            lambda: data.sector_series(key, ("US",), ("Software Development", "Mathematics")),
        ),
        ("hot technologies ranking", data.hot_ranking, lambda: data.hot_ranking(key)),
    ]
    start = time.perf_counter()
    data.salary_stats(key, everything)  # first query opens the catalog: report it on its own
    first = {
        "case": "query: first query (opens catalog)",
        "seconds": round(time.perf_counter() - start, 4),
        "ok": True,
    }
    print(json.dumps([first] + [measure(n, c, f) for n, c, f in cases]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
