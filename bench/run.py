"""Benchmark harness (`make bench`): ETL refresh times and peak memory, dashboard query latency."""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = ROOT.parent / "shared" / "datasets"
RESULTS = ROOT / "bench" / "results"


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Run a child process; return (wall seconds, peak RSS in MiB, exit code), measured by the
    small launcher `bench/child.py` (a child of this big process would inherit its peak)."""
    launcher = [sys.executable, str(ROOT / "bench" / "child.py"), "--", *args]
    out = subprocess.run(
        launcher, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True
    )
    # The command's own output goes to the terminal's stdout only if it writes any; the
    # launcher's JSON is the last line.
    report = json.loads(out.stdout.decode().strip().splitlines()[-1])
    return report["seconds"], report["peak_rss_mib"], report["code"]


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
            parse = bare_parse(mirror)
            full = next(r for r in rows if r["case"] == "etl: refresh all from mirror (cold)")
            parse["ratio"] = round(full["seconds"] / parse["seconds"], 1)
            rows.append(parse)
            # The OEWS part alone (a fresh data root, so nothing is skipped as unchanged),
            # against pyarrow parsing its decompressed data file.
            with tempfile.TemporaryDirectory(prefix="jobmarket-oews-") as alone:
                oews_env = {**env, "JOBMARKET_DATA_DIR": alone}
                args = [*etl, "bls_oews", "--mirror", str(mirror), "--quiet"]
                seconds, rss, code = run_child(args, oews_env)
            floor = parse["oews_data_seconds"]
            rows.append(
                {
                    "case": "etl: refresh bls_oews only (cold)",
                    "seconds": round(seconds, 3),
                    "peak_rss_mib": round(rss, 1),
                    "ok": code == 0,
                    "ratio": round(seconds / floor, 1) if floor else None,
                }
            )
            rows += bench_queries(Path(tmp))
            rows += bench_pages(Path(tmp))
    return rows


def bench_pages(data_dir: Path) -> list[dict]:
    """Every page's first run and rerun, and Salaries filter changes, via AppTest in a child."""
    env = {**os.environ, "JOBMARKET_DATA_DIR": str(data_dir)}
    out = subprocess.run(
        [sys.executable, "-m", "bench.pages", "--data", str(data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    pages = json.loads(out.stdout)
    for page in pages:
        page["seconds"] = page.pop("rerun_p50_s", page.get("p50_s"))
        page["warm_seconds"] = None
        page["ok"] = True
    return pages


def bare_parse(mirror: Path) -> dict:
    """The floor for a refresh: every file the sources read, fetched as a refresh fetches it and
    decompressed to a temporary file, then parsed by pyarrow.csv alone (each file's own
    separator) in a fresh process, as a refresh runs; only the parse is timed."""
    from etl import config, registry
    from etl.extract import fetch

    specs, archives = [], {}
    with tempfile.TemporaryDirectory(prefix="jobmarket-parse-") as tmp:
        settings = config.load(data_dir=Path(tmp) / "data", mirror=mirror)  # snapshots go there
        for source in registry.SOURCES.values():
            for raw in source.files(settings):
                data = fetch(source, raw, settings, lambda _m: None, archives).path.read_bytes()
                text = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
                path = Path(tmp) / f"{len(specs):02d}-{raw.name.replace('/', '_')}"
                path.write_bytes(text)
                specs.append({"name": raw.name, "path": str(path), "separator": raw.separator})
        del archives, text, data
        out = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "parse.py"), json.dumps(specs)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    files = json.loads(out.stdout)
    oews = [f["seconds"] for f in files if f["name"] == "oe.data.0.Current"]
    return {
        "case": "pyarrow.csv parse of the same files (decompressed)",
        "seconds": round(sum(f["seconds"] for f in files), 3),
        "files": len(files),
        "rows": sum(f["rows"] for f in files),
        "ok": True,
        "oews_data_seconds": round(oews[0], 3) if oews else 0.0,
    }


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
    print(
        f"{'case':<{width}}  {'p50 s':>8}  {'p95 s':>8}  {'warm s':>9}  {'peak MiB':>8}  ok"
        "  (pages: p50 of reruns; ratios: refresh / bare pyarrow parse of the same files)"
    )

    def cell(value: float | None, fmt: str, size: int) -> str:
        return f"{value:{fmt}}".rjust(size) if value is not None else "-".rjust(size)

    for r in rows:
        print(
            f"{r['case']:<{width}}  {cell(r['seconds'], '.3f', 8)}  "
            f"{cell(r.get('p95_seconds'), '.3f', 8)}  {cell(r.get('warm_seconds'), '.5f', 9)}  "
            f"{cell(r.get('peak_rss_mib'), '.0f', 8)}  {'yes' if r['ok'] else 'NO'}"
            + (f"  ratio {r['ratio']}x" if "ratio" in r else "")
            + (f"  first run {r['first_s']} s" if "first_s" in r else "")
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
        "mirror": str(mirror) if mirror else None,
        "results": rows,
    }
    (RESULTS / "bench.json").write_text(json.dumps(payload, indent=2) + "\n")
    print(json.dumps(payload))
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
