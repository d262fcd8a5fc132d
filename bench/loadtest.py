"""Load test (`make loadtest`): N concurrent browser sessions against one `streamlit run`.

Each session is its own Chromium context (no shared cookies or Streamlit session). After a
warm-up (every page opened once), the users arrive over a ramp-up and each opens the app on a
page. When all are connected, the timed phase starts: for `duration` seconds every session
changes a sidebar filter and waits for the chart to be redrawn, resets the filters and waits
again, and moves to another page through the sidebar navigation (no reload), with a random
think time between actions; every page is checked (no error element, no traceback, main chart
drawn) and every change must reach the URL. It reports the errors, the p50/p95 time from a
filter change to the updated chart, page open and switch times, the server's peak memory (RSS
of its process tree, sampled every 0.2 s) and where the CPU went: on one machine the browsers
compete with the server, and they use most of it. The run fails (exit 1) unless `verdict` finds
nothing wrong: no error, every session changed a filter, a p95 from a change to the redrawn
chart under 30 s, the server's memory measured. This is the load test's check; `make test`
leaves the run out (tests/unit/test_loadtest_verdict.py checks the rule itself).

    python -m bench.loadtest [--users 20] [--duration 60] [--think 1] [--data auto|seed|real|DIR]
                             [--ramp-up S] [--timeout S] [--no-warm-up]
                             [--url URL --server-pid PID --kind real] [--json FILE]

(`python bench/loadtest.py ...` works too.)

Defaults come from LOADTEST_USERS, LOADTEST_DURATION, LOADTEST_THINK, LOADTEST_TIMEOUT and
LOADTEST_DATA. With
--url the test drives an already running server (pass --server-pid to measure its memory).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Run as a file (`python bench/loadtest.py`), Python puts bench/ first on the path; put the
# repository root there instead, as `python -m bench.loadtest` does, so `bench` is importable.
if not __package__:
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from tests.browser import (  # noqa: E402
    PAGES,
    ROOT,
    TIMEOUTS,
    RssSampler,
    StreamlitServer,
    apply_change,
    check_page,
    chromium_unavailable,
    errors,
    launch,
    open_context,
    reset_filters,
    resolve_data,
    switch_page,
)

RESULTS = ROOT / "bench" / "results" / "loadtest.json"


@dataclass
class Stats:
    """What all sessions measured together."""

    first_loads: list[float] = field(default_factory=list)
    page_switches: list[float] = field(default_factory=list)
    filter_changes: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    per_page: dict[str, int] = field(default_factory=dict)
    warm_up_s: float = 0.0
    all_connected_s: float = 0.0
    cpu_server_s: float = 0.0
    cpu_browser_s: float = 0.0


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None without values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def scenarios(kind: str) -> list[tuple[Any, Any]]:
    """(page, change) pairs for this data: every page with a filter that redraws its chart."""
    out = [(spec, change) for spec in PAGES for change in spec.changes.get(kind, ())]
    if not out:
        raise SystemExit(f"no filter scenario for {kind} data")
    return out


@dataclass
class Clock:
    """The timed phase starts when every user has opened its first page, and lasts `duration`."""

    users: int
    duration: float
    arrived: int = 0
    deadline: float = math.inf
    started_at: float = 0.0
    started: asyncio.Event = field(default_factory=asyncio.Event)

    def arrive(self) -> None:
        self.arrived += 1
        if self.arrived == self.users:
            self.started_at = time.monotonic()
            self.deadline = self.started_at + self.duration
            self.started.set()

    def running(self) -> bool:
        return time.monotonic() < self.deadline


async def session(
    user: int,
    browser: Any,
    base_url: str,
    kind: str,
    clock: Clock,
    stats: Stats,
    *,
    think: float,
    ramp_up: float,
) -> None:
    """One simulated user: opens the app on a page and waits for the others; then, until the
    deadline, changes a filter, resets the filters and moves on to another page through the
    sidebar navigation (as a person does: no reload), pausing `think` seconds (uniform 0..2x)
    between actions. Every page is checked on arrival."""
    plan = scenarios(kind)
    rng = random.Random(user)
    step = user  # users start on different pages
    current = None
    await asyncio.sleep(ramp_up * user / clock.users)  # users arrive spread over the ramp-up
    context = await open_context(browser)
    try:
        page = await context.new_page()
        spec = plan[step % len(plan)][0]
        try:
            report = await check_page(page, spec.url(base_url), main=spec.main[kind])
            stats.first_loads.append(report.seconds)
            if report.ok:
                current = spec
            else:
                stats.errors.append(f"user {user}, first open of /{spec.path}: {report.problems}")
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            stats.errors.append(f"user {user}, first open: {type(exc).__name__}: {exc}")
        finally:
            clock.arrive()
        await clock.started.wait()

        async def pause() -> None:
            if think > 0:
                await asyncio.sleep(rng.uniform(0, 2 * think))

        while clock.running():
            spec, change = plan[step % len(plan)]
            step += 1
            where = f"user {user}, /{spec.path}"
            try:
                if current is not spec:
                    await pause()
                    if not clock.running():
                        break
                    if current is None:  # after a failure: start again from a fresh load
                        report = await check_page(page, spec.url(base_url), main=spec.main[kind])
                    else:
                        report = await switch_page(
                            page, spec.url_path, spec.heading, main=spec.main[kind]
                        )
                    stats.page_switches.append(report.seconds)
                    stats.per_page[spec.path] = stats.per_page.get(spec.path, 0) + 1
                    if not report.ok:
                        stats.errors.append(f"{where}: {report.problems}")
                        current = None
                        continue
                    current = spec
                for action in (apply_change, reset_filters):
                    await pause()
                    if not clock.running():
                        break
                    if action is apply_change:
                        seconds = await apply_change(page, change)
                    else:
                        seconds = await reset_filters(page, change.chart)
                    stats.filter_changes.append(seconds)
                    if found := await errors(page):
                        stats.errors.append(f"{where}, {change.filter}: {found}")
            except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
                stats.errors.append(f"{where}, {change.filter}: {type(exc).__name__}: {exc}")
                current = None
    finally:
        await context.close()


async def warm_up(browser: Any, base_url: str, kind: str) -> float:
    """Open every page once in one session (a server that has served nobody yet is not what
    users normally meet); returns the seconds it took. Errors here fail the run too."""
    start = time.monotonic()
    context = await open_context(browser)
    try:
        page = await context.new_page()
        for spec in PAGES:
            report = await check_page(page, spec.url(base_url), main=spec.main[kind])
            if not report.ok:
                raise RuntimeError(f"warm-up, /{spec.path}: {report.problems}")
    finally:
        await context.close()
    return time.monotonic() - start


async def drive(
    base_url: str,
    kind: str,
    users: int,
    duration: float,
    think: float,
    ramp_up: float,
    warm: bool,
    server_pid: int | None,
):
    stats = Stats()
    async with launch() as browser:
        cpu = {"browsers": os.getpid()} | ({"server": server_pid} if server_pid else {})
        sampler = RssSampler(server_pid or os.getpid(), cpu=cpu)
        try:
            if warm:
                stats.warm_up_s = await warm_up(browser, base_url, kind)
        except Exception as exc:  # noqa: BLE001 - reported as an error of the run
            stats.errors.append(f"warm-up: {type(exc).__name__}: {exc}")
        start = time.monotonic()
        clock = Clock(users=users, duration=duration)
        with sampler:
            await asyncio.gather(
                *(
                    session(i, browser, base_url, kind, clock, stats, think=think, ramp_up=ramp_up)
                    for i in range(users)
                )
            )
        wall = time.monotonic() - start
        stats.all_connected_s = clock.started_at - start if clock.started_at else math.nan
    # Where the CPU went during the run: the server, or Chromium + Playwright + this harness.
    stats.cpu_server_s = sampler.cpu_seconds.get("server", 0.0)
    stats.cpu_browser_s = sampler.cpu_seconds["browsers"]
    return stats, wall, (sampler.peak_mib if server_pid else None)


def summarize(
    stats: Stats,
    *,
    users: int,
    duration: float,
    think: float,
    ramp_up: float,
    timeout_s: float,
    wall: float,
    peak_mib: float | None,
    kind: str,
) -> dict[str, Any]:
    def timing(values: list[float]) -> dict[str, Any]:
        return {
            "count": len(values),
            "p50_s": round(percentile(values, 50), 3) if values else None,
            "p95_s": round(percentile(values, 95), 3) if values else None,
            "max_s": round(max(values), 3) if values else None,
            "mean_s": round(statistics.fmean(values), 3) if values else None,
        }

    return {
        "users": users,
        "duration_s": duration,
        "think_s": think,
        "ramp_up_s": ramp_up,
        "timeout_s": timeout_s,
        "wall_s": round(wall, 1),
        "warm_up_s": round(stats.warm_up_s, 1),
        "data": kind,
        "errors": len(stats.errors),
        "error_messages": stats.errors[:50],
        "all_connected_after_s": round(stats.all_connected_s, 1),
        "filter_change_to_chart": timing(stats.filter_changes),
        "first_page_open": timing(stats.first_loads),
        "page_switch": timing(stats.page_switches),
        "pages_opened": dict(sorted(stats.per_page.items())),
        "server_peak_rss_mib": round(peak_mib, 1) if peak_mib is not None else None,
        "cpu_seconds": {
            "server": round(stats.cpu_server_s, 1),
            "browsers_and_harness": round(stats.cpu_browser_s, 1),
        },
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }


def print_table(result: dict[str, Any]) -> None:
    change = result["filter_change_to_chart"]
    first, switch = result["first_page_open"], result["page_switch"]
    cpu = result["cpu_seconds"]

    def p50_p95(t: dict[str, Any]) -> str:
        return f"{t['p50_s']} / {t['p95_s']}  (n={t['count']}, max {t['max_s']})"

    rows = [
        ("concurrent sessions", result["users"]),
        ("data", result["data"]),
        ("warm-up, every page once (s)", result["warm_up_s"]),
        ("ramp-up (s)", f"{result['ramp_up_s']:g}"),
        ("all sessions connected after (s)", result["all_connected_after_s"]),
        ("timed phase (s)", f"{result['duration_s']:g}  (wall in total {result['wall_s']})"),
        ("think time between actions (s)", f"mean {result['think_s']:g} (uniform 0..2x)"),
        ("errors", result["errors"]),
        ("filter change -> chart p50 / p95 (s)", p50_p95(change)),
        ("first page open p50 / p95 (s)", p50_p95(first)),
        ("page switch p50 / p95 (s)", p50_p95(switch)),
        ("server peak RSS (MiB)", result["server_peak_rss_mib"]),
        ("CPU s: server / browsers", "{server} / {browsers_and_harness}".format(**cpu)),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    for message in result["error_messages"][:10]:
        print(f"error: {message}")


# What a passing run must show (the checks `make test` used to run on 5 users for 20 s).
MAX_CHANGE_P95_S = 30.0
MIN_SERVER_RSS_MIB = 50.0


def verdict(result: dict[str, Any]) -> list[str]:
    """What is wrong with a finished run; empty when it passes."""
    problems = []
    if result["errors"]:
        problems.append(f"{result['errors']} error(s): {result['error_messages'][:3]}")
    changes = result["filter_change_to_chart"]
    if changes["count"] < result["users"]:
        problems.append(
            f"{changes['count']} filter changes for {result['users']} sessions: "
            "every session should have changed a filter"
        )
    if changes["p95_s"] is not None and changes["p95_s"] >= MAX_CHANGE_P95_S:
        problems.append(f"filter change -> chart p95 {changes['p95_s']} s >= {MAX_CHANGE_P95_S} s")
    peak = result["server_peak_rss_mib"]
    if not peak or peak <= MIN_SERVER_RSS_MIB:
        problems.append(f"server peak RSS {peak} MiB: the sampler did not measure the server")
    return problems


@contextlib.contextmanager
def patient(timeout_s: float) -> Iterator[None]:
    """A saturated machine is slow, not broken: only a page or chart that never comes (within
    `timeout_s`) is an error; a page must stay quiet longer to count as settled."""
    saved = dict(TIMEOUTS)
    ms = int(timeout_s * 1000)
    TIMEOUTS.update(load=ms, rerun=ms, settle_frames=30)
    try:
        yield
    finally:
        TIMEOUTS.update(saved)


def run_loadtest(
    *,
    users: int,
    duration: float,
    think: float = 1.0,
    ramp_up: float | None = None,
    timeout_s: float = 120.0,
    warm: bool = True,
    url: str | None = None,
    server_pid: int | None = None,
    data: str = "auto",
    kind: str | None = None,
    json_path: Path | None = RESULTS,
) -> dict[str, Any]:
    """Run the load test (starting a server unless `url` is given); returns the summary."""
    reason = chromium_unavailable()
    if reason:
        raise SystemExit(reason)
    if ramp_up is None:
        ramp_up = min(10.0, duration / 4)
    with patient(timeout_s), tempfile.TemporaryDirectory(prefix="jobmarket-loadtest-") as tmp:
        server = None
        if url is None:
            data_dir, kind = resolve_data(data, Path(tmp))
            server = StreamlitServer(data_dir, Path(tmp) / "streamlit.log").start()
            url, server_pid = server.url, server.pid
        kind = kind or "real"
        try:
            stats, wall, peak = asyncio.run(
                drive(url, kind, users, duration, think, ramp_up, warm, server_pid)
            )
        finally:
            if server is not None:
                server.stop()
    result = summarize(
        stats,
        users=users,
        duration=duration,
        think=think,
        ramp_up=ramp_up,
        timeout_s=timeout_s,
        wall=wall,
        peak_mib=peak,
        kind=kind,
    )
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def main(argv: list[str] | None = None) -> int:
    env = os.environ
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    numbers = (
        ("--users", int, "LOADTEST_USERS", 20, "concurrent sessions (browser contexts)"),
        (
            "--duration",
            float,
            "LOADTEST_DURATION",
            60,
            "seconds of the timed phase, which starts when every session is connected",
        ),
        (
            "--think",
            float,
            "LOADTEST_THINK",
            1.0,
            "mean pause between a user's actions, seconds (uniform 0..2x; 0 = no pause)",
        ),
        (
            "--timeout",
            float,
            "LOADTEST_TIMEOUT",
            120,
            "seconds a page or an updated chart may take before it counts as an error",
        ),
    )
    for flag, kind, variable, default, text in numbers:
        parser.add_argument(flag, type=kind, default=kind(env.get(variable, default)), help=text)
    parser.add_argument(
        "--ramp-up",
        type=float,
        default=None,
        help="seconds over which the users arrive (default: a quarter of the duration, <= 10)",
    )
    parser.add_argument(
        "--no-warm-up",
        dest="warm",
        action="store_false",
        help="skip opening every page once before the users arrive",
    )
    parser.add_argument(
        "--data",
        default=env.get("LOADTEST_DATA", "auto"),
        help="auto (real data when ../shared/datasets is there, else seed), seed, real, or a "
        "data directory already built",
    )
    parser.add_argument("--url", help="drive this running server instead of starting one")
    parser.add_argument("--server-pid", type=int, help="with --url: the server's pid (memory)")
    parser.add_argument(
        "--kind", choices=("seed", "real"), help="with --url: which data the server has"
    )
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to write the results")
    args = parser.parse_args(argv)
    if args.users < 1 or args.duration <= 0 or args.think < 0:
        parser.error("--users must be >= 1, --duration > 0 and --think >= 0")
    result = run_loadtest(
        users=args.users,
        duration=args.duration,
        think=args.think,
        ramp_up=args.ramp_up,
        timeout_s=args.timeout,
        warm=args.warm,
        url=args.url,
        server_pid=args.server_pid,
        data=args.data,
        kind=args.kind,
        json_path=args.json,
    )
    print_table(result)
    print(f"results: {args.json}")
    problems = verdict(result)
    for problem in problems:
        print(f"FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
