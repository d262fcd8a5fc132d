"""The load test of `make loadtest` (bench/loadtest.py), with modest numbers for CI: a few
concurrent browser sessions open pages and change filters against one server; no errors."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench import loadtest
from bench.browser import MIRROR

pytestmark = pytest.mark.e2e
USERS = int(os.environ.get("LOADTEST_CI_USERS", 5))
DURATION = float(os.environ.get("LOADTEST_CI_DURATION", 20))
KIND = "real" if MIRROR.is_dir() else "seed"


@pytest.mark.parametrize("app_server", [KIND], indirect=True)
def test_concurrent_sessions_change_filters_without_errors(app_server, tmp_path) -> None:
    # In a thread of its own: the load test runs its own asyncio loop and Playwright instance.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(
            loadtest.run_loadtest,
            users=USERS,
            duration=DURATION,
            url=app_server.url,
            server_pid=app_server.pid,
            kind=app_server.kind,
            warm=False,  # the shared server has served the other tests' sessions already
            json_path=tmp_path / "loadtest.json",
        ).result()
    loadtest.print_table(result)
    assert result["errors"] == 0, result["error_messages"]
    changes = result["filter_change_to_chart"]
    assert changes["count"] >= USERS, "every session should have changed a filter"
    assert changes["p95_s"] < 30
    assert result["server_peak_rss_mib"] and result["server_peak_rss_mib"] > 50
