"""Scale benchmark: the salary queries on N synthetic rows against pandas on the same rows.

    python -m bench --rows 10000000 [--rows 1000000 ...] [--runs 5] [--mirror DIR] [--s3]

The synthetic table resamples real aijobs.net rows from the mirror (whole rows, so the joint
distribution of level, country, family, year, size and remote ratio is kept) and jitters each
salary by a few percent so values are not mere copies. It is written by the project's own writer
into a temporary data root (never into data/) and read by the dashboard's data layer with no
Streamlit cache (every run is a cold query). The baseline is what a person would do with pandas:
`read_csv` once (timed apart), then boolean mask + groupby quantile on the loaded frame. Each
case is the p50 of `--runs` runs; the ratio is baseline / data layer, measured side by side.
With `--s3` the same version is also published to a local S3 server (moto, requirements-scale.txt)
and DuckDB is timed on it (`duckdb-s3`) and on the local files (`duckdb-local`) in one process,
run after run in alternating order, so that the two are compared under the same load.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard import data
from etl import config, derived, writer
from etl.sources.aijobs import source as aijobs

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DEFAULT_MIRROR = ROOT.parent / "shared" / "datasets"
PCTS = [0.10, 0.25, 0.50, 0.75, 0.90]


def real_salaries(mirror: Path) -> pd.DataFrame:
    """The real salary table, normalized by the ETL from the mirror's aijobs snapshot."""
    settings = dataclasses.replace(config.load(), mirror=mirror)
    raw = {aijobs.FILE: (mirror / settings.aijobs_file).read_bytes()}
    return aijobs.normalize(raw, settings).tables["salaries"]


def synthetic(real: pd.DataFrame, rows: int, seed: int = 7) -> pd.DataFrame:
    """`rows` whole rows resampled from `real`, each salary jittered by a lognormal factor (~3%).

    The jitter applies to the salary as reported, at the precision it was reported in (a
    multiple of 1,000 stays one, as does a multiple of 100), and the USD figure follows at the
    row's own exchange rate: people report round numbers in their currency, and how many
    distinct salaries there are is part of the distribution being kept."""
    rng = np.random.default_rng(seed)
    frame = real.iloc[rng.integers(0, len(real), size=rows)].reset_index(drop=True)
    local = frame["salary"].to_numpy(dtype=float)
    usd = frame["salary_usd"].to_numpy(dtype=float)
    rate = np.divide(usd, local, out=np.ones_like(usd), where=local > 0)
    step = np.where(local % 1000 == 0, 1000.0, np.where(local % 100 == 0, 100.0, 1.0))
    factor = np.exp(rng.normal(0.0, 0.03, size=rows))
    jittered = np.maximum(np.round(local * factor / step) * step, step)
    frame["salary"] = jittered
    frame["salary_usd"] = np.round(jittered * rate)
    frame["exact_duplicate"] = False
    return frame


def publish(frame: pd.DataFrame, root: Path) -> None:
    """Write `frame` as the salaries table of a new data version under `root` (project writer)."""
    settings = config.load(data_dir=root)
    manifest = {
        "schema": 1,
        "refreshed_at": "synthetic",
        "tables": {"salaries": {"rows": len(frame), "file": "salaries.parquet", "sources": []}},
        "sources": {},
    }
    tables = derived.add({"salaries": frame})
    manifest["tables"]["salary_counts"] = {
        "rows": len(tables["salary_counts"]),
        "file": "salary_counts.parquet",
        "sources": [],
    }
    writer.publish(settings, tables, manifest)


CHUNK_ROWS = 10_000_000  # above this, rows are generated and written in parts of this size
BASELINE_MAX_ROWS = 20_000_000  # pandas would need more memory than the machine has


def publish_in_parts(real: pd.DataFrame, rows: int, root: Path) -> None:
    """`rows` synthetic rows generated and written CHUNK_ROWS at a time (never all in memory):
    salaries as a folder of parts, salary_counts computed by DuckDB over those parts."""
    settings = config.load(data_dir=root)
    staging = root / ".staging-salaries"
    sizes = [min(CHUNK_ROWS, rows - start) for start in range(0, rows, CHUNK_ROWS)]
    chunks = (synthetic(real, size, seed=7 + i) for i, size in enumerate(sizes))
    written = writer.write_parts(staging, "salaries", chunks)
    counts = derived.salary_counts(str(staging / "*.parquet"))
    manifest = {
        "schema": 1,
        "refreshed_at": "synthetic",
        "tables": {
            "salaries": {"rows": written, "file": "salaries", "sources": []},
            "salary_counts": {
                "rows": len(counts),
                "file": "salary_counts.parquet",
                "sources": [],
            },
        },
        "sources": {},
    }
    writer.publish(settings, {"salary_counts": counts}, manifest, folders={"salaries": staging})


@dataclasses.dataclass(frozen=True)
class Case:
    """One salary view: the data layer's call and the pandas baseline for the same answer."""

    name: str
    engine: Callable[[str], pd.DataFrame]
    baseline: Callable[[pd.DataFrame], pd.DataFrame]


def _quantiles(frame: pd.DataFrame, by: str | None) -> pd.DataFrame:
    if by is None:
        return frame["salary_usd"].quantile(PCTS).to_frame().T
    return frame.groupby(by)["salary_usd"].quantile(PCTS).unstack()


def cases() -> list[Case]:
    """The queries behind each salary view, for five filter sets."""
    us_senior = data.SalaryQuery(countries=("US",), levels=("Senior",), dedupe=False)
    family = data.SalaryQuery(families=("Data Scientist",), dedupe=False)
    export = data.SalaryQuery(
        countries=("DE",), levels=("Mid", "Senior"), year_from=2024, dedupe=False
    )

    def mask(frame: pd.DataFrame, **eq: Any) -> pd.DataFrame:
        keep = np.ones(len(frame), dtype=bool)
        for column, values in eq.items():
            keep &= frame[column].isin(values).to_numpy()
        return frame.loc[keep]

    return [
        Case(
            "all rows by level",
            lambda key: data.salary_stats.uncached(
                key, data.SalaryQuery(dedupe=False), "experience_level"
            ),
            lambda f: _quantiles(f, "experience_level"),
        ),
        Case(
            "US + Senior by family",
            lambda key: data.salary_stats.uncached(key, us_senior, "job_family"),
            lambda f: _quantiles(
                mask(f, employee_residence=["US"], experience_level=["Senior"]), "job_family"
            ),
        ),
        Case(
            "Data Scientist over years",
            lambda key: data.salary_stats.uncached(key, family, "work_year"),
            lambda f: _quantiles(mask(f, job_family=["Data Scientist"]), "work_year"),
        ),
        Case(
            "top countries by median",
            lambda key: data.salary_stats.uncached(
                key, data.SalaryQuery(dedupe=False), "employee_residence"
            ),
            lambda f: _quantiles(f, "employee_residence"),
        ),
        Case(
            "export DE Mid+Senior 2024+",
            lambda key: data.salary_rows(key, export),
            lambda f: mask(
                f.loc[f["work_year"] >= 2024],
                employee_residence=["DE"],
                experience_level=["Mid", "Senior"],
            ),
        ),
    ]


def p50(call: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_rss_mib() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss over
    a fork + exec, so a spawned child would report its parent's peak (e.g. the generator's)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(rows: int, mirror: Path, folder: Path) -> float:
    """Generate and publish `rows` synthetic rows under `folder` (data root + CSV), unless a
    previous run with `--keep` left exactly that there; returns the seconds it took."""
    started = time.perf_counter()
    marker = folder / f"synthetic-v2-rows-{rows}"  # v2: jitter at the reported precision
    if marker.is_file():
        return 0.0
    if rows > CHUNK_ROWS:
        publish_in_parts(real_salaries(mirror), rows, folder / "data")
    else:
        frame = synthetic(real_salaries(mirror), rows)
        publish(frame, folder / "data")
        if rows <= BASELINE_MAX_ROWS:
            frame.to_csv(folder / "salaries.csv", index=False)
    marker.touch()
    return time.perf_counter() - started


def _engine_side(root: str, runs: int, engine: str) -> dict[str, Any]:
    """In a child process: the data layer's answers on `engine`, cold, p50 of `runs`."""
    os.environ["JOBMARKET_DATA_DIR"] = root
    os.environ["JOBMARKET_ENGINE"] = engine
    key = data.current().key
    first = p50(lambda: data.salary_stats.uncached(key, data.SalaryQuery(dedupe=False)), 1)
    timed = {c.name: p50(lambda c=c: c.engine(key), runs) for c in cases()}
    return {"first_query_s": first, "cases": timed, "peak_rss_mib": peak_rss_mib()}


def _pandas_side(csv: str, runs: int) -> dict[str, Any]:
    """In a child process: `read_csv` once, then each baseline on the loaded frame."""
    started = time.perf_counter()
    loaded = pd.read_csv(csv)
    load = time.perf_counter() - started
    timed = {c.name: p50(lambda c=c: c.baseline(loaded), runs) for c in cases()}
    return {"read_csv_s": load, "cases": timed, "peak_rss_mib": peak_rss_mib()}


def _page_side(root: str, runs: int) -> dict[str, Any]:
    """In a child process: the Salaries page's filter changes through AppTest (server side)."""
    from bench import pages

    return pages.salary_filter_changes(Path(root), runs) | {"peak_rss_mib": round(peak_rss_mib())}


def in_child(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """`fn(*args)` in a fresh process, so that its peak RSS is its own and nothing is warm."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, args)


def _side_by_side(root: str, uri: str, runs: int) -> dict[str, dict[str, Any]]:
    """In a child process: DuckDB on the local files and on the bucket, run after run in
    alternating order, so that a change of load on the machine falls on both alike."""
    keys = {}
    first = {}
    query = data.SalaryQuery(dedupe=False)
    for side, where in (("duckdb-local", root), ("duckdb-s3", uri)):
        os.environ["JOBMARKET_DATA_DIR"] = where
        keys[side] = data.current().key
        first[side] = p50(lambda k=keys[side]: data.salary_stats.uncached(k, query), 1)
    timed: dict[str, dict[str, float]] = {side: {} for side in keys}
    for case in cases():
        times: dict[str, list[float]] = {side: [] for side in keys}
        for run in range(runs):
            order = list(keys) if run % 2 == 0 else list(reversed(keys))
            for side in order:
                times[side].append(p50(lambda c=case, k=keys[side]: c.engine(k), 1))
        for side in keys:
            timed[side][case.name] = statistics.median(times[side])
    rss = peak_rss_mib()  # one process holds both: its peak is the pair's
    return {
        side: {"first_query_s": first[side], "cases": timed[side], "peak_rss_mib": rss}
        for side in keys
    }


def _s3_sides(root: str, runs: int) -> dict[str, dict[str, Any]]:
    """The version under `root` published to a local S3 server started for this run, then
    DuckDB timed on it and on the local files side by side (`_side_by_side`)."""
    from etl import catalog, objectstore
    from tests.scale import s3_server

    with s3_server.running() as server:
        os.environ.update(server.env())
        objectstore.client().create_bucket(Bucket="bench")
        started = time.perf_counter()
        version = catalog.current_version(Path(root))
        objectstore.publish(version, "s3://bench/scale", log=lambda _: None)
        upload = time.perf_counter() - started
        sides = in_child(_side_by_side, root, "s3://bench/scale", runs)
    sides["duckdb-s3"]["upload_s"] = upload
    return sides


def run_scale(
    rows: int,
    mirror: Path,
    runs: int,
    keep: Path | None = None,
    engines: tuple[str, ...] = ("duckdb",),
    page: bool = True,
    s3: bool = False,
) -> dict[str, Any]:
    """Generate, publish and time one size: each engine, the pandas baseline and the Salaries
    page each in their own process. With `keep`, the generated data stays in keep/<rows>."""
    with tempfile.TemporaryDirectory(prefix="jobmarket-scale-") as scratch:
        tmp = keep / str(rows) if keep else Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        prepared = prepare(rows, mirror, tmp)
        root = str(tmp / "data")
        sides = {e: in_child(_engine_side, root, runs, e) for e in engines}
        if s3:
            sides.update(_s3_sides(root, runs))
        csv = tmp / "salaries.csv"
        base = in_child(_pandas_side, str(csv), runs) if rows <= BASELINE_MAX_ROWS else None
        page_result = in_child(_page_side, root, runs) if page else None
    results = []
    for name in next(iter(sides.values()))["cases"]:
        base_s = base["cases"][name] if base else None
        row: dict[str, Any] = {"case": name, "pandas_p50_s": base_s and round(base_s, 4)}
        for engine, side in sides.items():
            engine_s = side["cases"][name]
            row[f"{engine}_p50_s"] = round(engine_s, 4)
            row[f"{engine}_ratio"] = round(base_s / engine_s, 2) if base_s and engine_s else None
        results.append(row)
    return {
        "rows": rows,
        "prepare_s": round(prepared, 1),
        "pandas_read_csv_s": base and round(base["read_csv_s"], 2),
        "pandas_peak_rss_mib": base and round(base["peak_rss_mib"]),
        "baseline_note": None
        if base
        else f"no pandas baseline above {BASELINE_MAX_ROWS:,} "
        "rows: loading them needs more memory than this machine has",
        "engines": {
            e: {
                "first_query_s": round(s["first_query_s"], 3),
                "peak_rss_mib": round(s["peak_rss_mib"]),
                **({"upload_s": round(s["upload_s"], 2)} if "upload_s" in s else {}),
            }
            for e, s in sides.items()
        },
        "salaries_page": page_result,
        "cases": results,
    }


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def print_table(result: dict[str, Any]) -> None:
    engines = list(result["engines"])
    print(
        f"\n{result['rows']:,} rows (prepared in {result['prepare_s']} s; pandas read_csv "
        f"{result['pandas_read_csv_s']} s, peak {result['pandas_peak_rss_mib']} MiB)"
    )
    if result.get("baseline_note"):
        print(f"  {result['baseline_note']}")
    for engine, info in result["engines"].items():
        first, rss = info["first_query_s"], info["peak_rss_mib"]
        print(f"  {engine}: first query {first} s, peak RSS {rss} MiB")
    header = f"{'case':<28} {'pandas s':>9}" + "".join(
        f" {e + ' s':>10} {'ratio':>7}" for e in engines
    )
    print(header)
    for r in result["cases"]:
        base_s = r["pandas_p50_s"]
        line = f"{r['case']:<28} " + (f"{base_s:>9.4f}" if base_s else f"{'-':>9}")
        for e in engines:
            ratio = r[f"{e}_ratio"]
            line += f" {r[f'{e}_p50_s']:>10.4f} " + (f"{ratio:>6}x" if ratio else f"{'-':>7}")
        print(line)
    page = result.get("salaries_page")
    if page:
        print(
            f"Salaries page, filter change (AppTest, server side): p50 {page['p50_s']} s, "
            f"max {page['max_s']} s over {page['changes']} changes; peak RSS "
            f"{page['peak_rss_mib']} MiB"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, action="append", help="rows per run (repeatable)")
    parser.add_argument("--runs", type=int, default=5, help="runs per case (p50 is reported)")
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument(
        "--keep", type=Path, help="keep the generated data here and reuse it on the next run"
    )
    parser.add_argument(
        "--engine",
        action="append",
        choices=("duckdb", "spark"),
        help="engine(s) to time (repeatable; default duckdb; spark needs requirements-scale.txt)",
    )
    parser.add_argument("--no-page", action="store_true", help="skip the AppTest page timing")
    parser.add_argument(
        "--s3",
        action="store_true",
        help="also time DuckDB over a local S3 server (moto; needs requirements-scale.txt)",
    )
    args = parser.parse_args(argv)
    engines = tuple(args.engine or ["duckdb"])
    try:
        if "spark" in engines:  # before minutes of generating rows: a master that is not there
            data.core.check_spark_master()
    except data.EngineError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not (args.mirror / config.load().aijobs_file).is_file():
        print(f"no aijobs snapshot under {args.mirror}: the scale bench resamples real rows")
        return 2
    sizes = args.rows or [1_000_000]
    try:
        results = [
            run_scale(
                rows, args.mirror, max(args.runs, 1), args.keep, engines, not args.no_page, args.s3
            )
            for rows in sizes
        ]
    except data.EngineError as exc:  # raised in the engine's child process, said in one line
        print(exc, file=sys.stderr)
        return 2
    for result in results:
        print_table(result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {"machine": machine(), "runs": args.runs, "results": results}
    (RESULTS / "scale.json").write_text(json.dumps(payload, indent=2) + "\n")
    print(json.dumps(payload))
    return 0


if __name__ == "__main__":
    sys.exit(main())
