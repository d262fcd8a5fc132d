"""Benchmark harness (`make bench`): ETL refresh times and peak memory, dashboard query latency."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = ROOT.parent / "shared" / "datasets"
RESULTS = ROOT / "bench" / "results"


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Run a child process; return (wall seconds, peak RSS in MiB, exit code) via wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, proc.returncode


def bench_etl(mirror: Path | None) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="jobmarket-bench-") as tmp:
        env = {**os.environ, "JOBMARKET_DATA_DIR": tmp}
        env.pop("JOBMARKET_MIRROR", None)
        etl = [sys.executable, "-m", "etl", "refresh"]
        cases = [("etl: refresh seed (cold)", [*etl, "seed"])]
        if mirror is not None:
            cases += [
                ("etl: refresh all from mirror (cold)", [*etl, "--mirror", str(mirror)]),
                ("etl: refresh all, nothing changed", [*etl, "--mirror", str(mirror)]),
            ]
        for name, args in cases:
            seconds, rss, code = run_child(args, env)
            rows.append(
                {
                    "case": name,
                    "seconds": round(seconds, 3),
                    "peak_rss_mib": round(rss, 1),
                    "ok": code == 0,
                }
            )
        if mirror is not None:
            rows += bench_queries(Path(tmp))
    return rows


def bench_queries(data_dir: Path) -> list[dict]:
    """Time the dashboard's data-layer queries in a child (cold = first call, warm = cached)."""
    script = ROOT / "bench" / "queries.py"
    if not script.exists():
        return []
    env = {**os.environ, "JOBMARKET_DATA_DIR": str(data_dir)}
    out = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mirror", default=os.environ.get("JOBMARKET_MIRROR") or DEFAULT_MIRROR)
    args = parser.parse_args()
    mirror = Path(args.mirror) if args.mirror and Path(args.mirror).is_dir() else None
    rows = bench_etl(mirror)
    width = max(len(r["case"]) for r in rows)
    print(f"{'case':<{width}}  {'p50 s':>8}  {'p95 s':>8}  {'warm s':>9}  {'peak MiB':>8}  ok")

    def cell(value: float | None, fmt: str, size: int) -> str:
        return f"{value:{fmt}}".rjust(size) if value is not None else "-".rjust(size)

    for r in rows:
        print(
            f"{r['case']:<{width}}  {cell(r['seconds'], '.3f', 8)}  "
            f"{cell(r.get('p95_seconds'), '.3f', 8)}  {cell(r.get('warm_seconds'), '.5f', 9)}  "
            f"{cell(r.get('peak_rss_mib'), '.0f', 8)}  {'yes' if r['ok'] else 'NO'}"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "mirror": str(mirror) if mirror else None,
        "results": rows,
    }
    (RESULTS / "bench.json").write_text(json.dumps(payload, indent=2) + "\n")
    print(json.dumps(payload))
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
