"""The load test's pass/fail rule (bench/loadtest.py `verdict`), without a browser.

The load test itself runs in `make loadtest` (20 users for 60 s by default), out of `make test`:
it fails (exit 1) on any error, a session that never changed a filter, a p95 from a change to
the redrawn chart of 30 s or more, or a server whose memory was not measured.
"""

from __future__ import annotations

from typing import Any

from bench import loadtest


def result(**changes: Any) -> dict[str, Any]:
    base = {
        "users": 5,
        "errors": 0,
        "error_messages": [],
        "filter_change_to_chart": {"count": 12, "p50_s": 0.8, "p95_s": 2.5},
        "server_peak_rss_mib": 310.0,
    }
    return {**base, **changes}


def test_a_clean_run_passes() -> None:
    assert loadtest.verdict(result()) == []


def test_errors_fail_the_run_and_are_quoted() -> None:
    problems = loadtest.verdict(result(errors=2, error_messages=["user 1: boom", "user 2: x"]))
    assert len(problems) == 1 and "2 error(s)" in problems[0] and "boom" in problems[0]


def test_every_session_must_change_a_filter() -> None:
    few = {"count": 4, "p50_s": 0.8, "p95_s": 2.5}
    assert "every session should have changed a filter" in " ".join(
        loadtest.verdict(result(filter_change_to_chart=few))
    )
    none = {"count": 0, "p50_s": None, "p95_s": None}
    assert len(loadtest.verdict(result(filter_change_to_chart=none))) == 1


def test_a_slow_p95_fails_at_30_seconds() -> None:
    slow = {"count": 12, "p50_s": 3.0, "p95_s": 30.0}
    assert "p95 30.0 s" in " ".join(loadtest.verdict(result(filter_change_to_chart=slow)))
    fast = {"count": 12, "p50_s": 3.0, "p95_s": 29.9}
    assert loadtest.verdict(result(filter_change_to_chart=fast)) == []


def test_the_server_memory_must_be_measured() -> None:
    assert loadtest.verdict(result(server_peak_rss_mib=None))
    assert loadtest.verdict(result(server_peak_rss_mib=50.0))
    assert loadtest.verdict(result(server_peak_rss_mib=50.1)) == []
