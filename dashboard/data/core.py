"""The data layer's core: where the data is, one connection per data version, query helpers."""

from __future__ import annotations

import contextlib
import functools
import os
import socket
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import ibis
import pandas as pd

from etl import catalog
from etl.catalog import objectstore

ROOT = Path(__file__).resolve().parents[2]
DATA_ENV = "JOBMARKET_DATA_DIR"
ENGINE_ENV = "JOBMARKET_ENGINE"
ENGINES = ("duckdb", "spark")
# Where Spark runs: local threads by default; a `spark://host:7077` master or a Spark Connect
# `sc://host:15002` URL in production.
SPARK_MASTER_ENV = "JOBMARKET_SPARK_MASTER"
DEFAULT_SPARK_MASTER = "local[*]"
# A master that accepts no connection in this long is reported, not waited for; a standalone
# master's application gets this long to be given its first executor.
SPARK_CONNECT_TIMEOUT_S = 5.0
SPARK_EXECUTOR_WAIT_S = 120.0
# On DuckDB, tables up to this many rows are copied into memory on first use: filtered
# aggregates then run about twice as fast as over the Parquet view. Bigger tables stay views
# (the scale path); 0 turns copying off.
MEMORY_ROWS_ENV = "JOBMARKET_MEMORY_ROWS"
DEFAULT_MEMORY_ROWS = 2_000_000
# The ETL commands a person runs to (re)build the data: the one place they are written out.
REFRESH_COMMANDS = (
    ("python -m etl refresh seed", "seed tables only, no download"),
    ("python -m etl refresh --mirror ../shared/datasets", "every source from a local mirror"),
    ("python -m etl refresh", "every source from the internet (or `make refresh`)"),
    ("python -m etl status", "what is loaded, as-of dates"),
)
SEED_COMMAND = REFRESH_COMMANDS[0][0]

F = TypeVar("F", bound=Callable[..., Any])


def is_uri(location: str) -> bool:
    """`s3://…`, `gs://…`, `file://…`: a data root the engines read, not a local folder."""
    return "://" in location


def data_dir() -> Path | str:
    """The data root: $JOBMARKET_DATA_DIR (a folder or a URI such as s3://bucket/jobmarket)
    or <repo>/data."""
    setting = os.environ.get(DATA_ENV) or str(ROOT / "data")
    return setting.rstrip("/") if is_uri(setting) else Path(setting).resolve()


def processed_dir() -> Path | str:
    """The `processed` link that points at the published data version (under a URI root, a
    copy of one published version: object stores have no symlinks)."""
    return catalog.processed_dir(data_dir())


def engine() -> str:
    """The query engine named by $JOBMARKET_ENGINE (duckdb by default)."""
    name = (os.environ.get(ENGINE_ENV) or "duckdb").strip().lower()
    if name not in ENGINES:
        raise ValueError(f"{ENGINE_ENV}={name!r} is not supported; use one of {', '.join(ENGINES)}")
    return name


@dataclass(frozen=True)
class Snapshot:
    """One published data version: where it lives and its manifest (read once per rerun)."""

    directory: Path | str
    manifest: catalog.Manifest = field(hash=False, compare=False)

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def key(self) -> str:
        # The resolved version directory plus the version id: a refresh swaps the symlink to a
        # new directory, so every cache entry keyed on this is naturally invalidated.
        return f"{self.directory}#{self.version}"

    def has(self, table: str) -> bool:
        return self.manifest.has(table)

    def rows(self, table: str) -> int:
        return self.manifest.rows(table)

    def table_sources(self, table: str) -> list[str]:
        return self.manifest.table_sources(table)

    @property
    def sources(self) -> dict[str, dict[str, Any]]:
        return dict(self.manifest.sources)


# The published data cannot be read (a damaged manifest), said in one line.
DataError = catalog.ManifestError


class EngineError(RuntimeError):
    """The query engine cannot be used as set up (pyspark missing, a Spark master that does not
    answer), said in one line that names the setting: a refresh of the data would not help."""


class StorageError(DataError):
    """Object storage cannot be used as set up (no credentials, no such bucket, no answer), in
    one line. A DataError, so every place that stops on unreadable data stops on it too."""


def current() -> Snapshot | None:
    """The version data/processed points to now, or None when nothing was published; a
    manifest that cannot be read raises DataError, storage that cannot be read StorageError.
    Under an s3:// root the pointer `processed/manifest.json` is read once and names the
    version folder every table of this rerun is read from."""
    root, link = data_dir(), processed_dir()
    try:
        manifest = catalog.read_manifest(link)
    except objectstore.StorageError as exc:
        raise StorageError(str(exc)) from None
    if manifest is None:
        return None
    if objectstore.is_s3(root):
        return Snapshot(
            directory=objectstore.version_location(str(root), manifest), manifest=manifest
        )
    directory = link if isinstance(link, str) else link.resolve()
    return Snapshot(directory=directory, manifest=manifest)


def build_seed(timeout: float = 300) -> tuple[bool, str]:
    """Run the ETL's seed refresh in a subprocess (the dashboard itself never writes data)."""
    if isinstance(data_dir(), str):  # the app never writes to a URI root; the ETL publishes
        return False, (
            f"{DATA_ENV}={data_dir()} is a URI: build the data locally with the ETL, then "
            f"`python -m etl publish --to {data_dir()}` (see docs/scaling.md)"
        )
    cmd = [sys.executable, "-m", "etl", "refresh", "seed", "--data-dir", str(data_dir())]
    try:
        done = subprocess.run(
            cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"{' '.join(cmd)} failed: {exc}"
    output = (done.stdout + done.stderr).strip()
    return done.returncode == 0, output


def cached(max_entries: int) -> Callable[[F], F]:
    """Streamlit's cache_data inside a Streamlit run; the plain function elsewhere (bench), so
    queries run there without the "no runtime" warnings, and for exports (`exact=True`).
    `.uncached` is the plain function."""

    def wrap(fn: F) -> F:
        made: list[Callable[..., Any]] = []

        def in_app() -> Callable[..., Any]:
            # Made on first use inside Streamlit: cache_data warns when made outside it.
            if not made:
                import streamlit as st

                made.append(st.cache_data(show_spinner=False, max_entries=max_entries)(fn))
            return made[0]

        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            from streamlit import runtime

            # exact=True is an export: built once per click, so it is not pickled into the
            # cache (at 10 M rows that copy costs more than the query).
            if kwargs.get("exact") or not runtime.exists():
                return fn(*args, **kwargs)
            return in_app()(*args, **kwargs)

        call.clear = lambda: in_app().clear()  # type: ignore[attr-defined]
        call.uncached = fn  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]

    return wrap


# --------------------------------------------------------------------------------------------
# Connection and tables


def _connect(engine_name: str) -> Any:
    if engine_name == "spark":
        check_spark_master()  # a master that does not answer says so before Spark starts
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:  # Spark is an optional extra, never needed for `make run`
            raise EngineError(
                f"{ENGINE_ENV}=spark needs pyspark (pip install pyspark); it is not installed"
            ) from exc
        return _memoize_compile(ibis.pyspark.connect(spark_session(SparkSession)))
    # Nothing is ever downloaded at query time: every extension the app needs is built in,
    # and object storage is read through pyarrow's S3 client (etl.objectstore).
    return _memoize_compile(
        ibis.duckdb.connect(autoinstall_known_extensions=False, autoload_known_extensions=False)
    )


def _memoize_compile(con: Any, size: int = 1024) -> Any:
    """Compile each distinct query once per connection. Ibis expressions compare and hash by
    structure, and compiling a percentile query takes longer (~40 ms) than running it on the
    real data, so a page that asks the same shape again skips straight to the engine."""
    compile_sql = con.compile

    @functools.lru_cache(maxsize=size)
    def remembered(expr: Any, limit: Any = None) -> Any:
        return compile_sql(expr, limit=limit)

    def compile_once(expr: Any, limit: Any = None, params: Any = None, **kwargs: Any) -> Any:
        if params or kwargs:
            return compile_sql(expr, limit=limit, params=params, **kwargs)
        return remembered(expr, limit)

    con.compile = compile_once
    return con


def memory_rows() -> int:
    """Tables up to this many rows are copied into DuckDB's memory on first use."""
    return int(os.environ.get(MEMORY_ROWS_ENV, DEFAULT_MEMORY_ROWS))


def in_memory(key: str, name: str) -> bool:
    """Whether table `name` of version `key` is (or will be) a DuckDB in-memory copy: small
    enough that scanning its rows beats any precomputed summary."""
    return engine() == "duckdb" and manifest_of(key).rows(name) <= memory_rows()


def spark_master() -> str:
    """$JOBMARKET_SPARK_MASTER, or `local[*]` when it is unset."""
    return (os.environ.get(SPARK_MASTER_ENV) or DEFAULT_SPARK_MASTER).strip()


def spark_addresses(master: str) -> list[tuple[str, int]]:
    """The (host, port) pairs a `spark://` or `sc://` master URL names (a standalone master
    with standby masters lists several: spark://h1:7077,h2:7077); none for local[*] and
    others."""
    scheme, sep, rest = master.partition("://")
    default = {"spark": 7077, "sc": 15002}.get(scheme.lower())
    if not sep or default is None:
        return []
    addresses = []
    for part in rest.split("/", 1)[0].split(","):
        host, colon, port = part.strip().rpartition(":")
        if not colon or not port.isdigit():  # no port (or an IPv6 address alone): the default
            host, port = part.strip(), str(default)
        host = host.strip("[]")
        if not host or not 0 < int(port) < 65536:
            raise EngineError(
                f"{SPARK_MASTER_ENV}={master} is not a master URL: use {scheme}://host:{default}"
            )
        addresses.append((host, int(port)))
    return addresses


def check_spark_master(timeout: float = SPARK_CONNECT_TIMEOUT_S) -> None:
    """Raise EngineError, in one line naming the setting and the address, unless something
    accepts a TCP connection at the master $JOBMARKET_SPARK_MASTER names. Spark itself would
    retry for minutes and then fail with a Java stack trace."""
    master = spark_master()
    addresses = spark_addresses(master)
    problems = []
    for host, port in addresses:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                return
        except TimeoutError:
            problems.append(f"{host}:{port} did not answer within {timeout:g} s")
        except socket.gaierror:
            problems.append(f"{host} is not a known host name")
        except OSError as exc:
            problems.append(f"{host}:{port}: {exc.strerror or exc}")
    if problems:
        raise EngineError(
            f"{SPARK_MASTER_ENV}={master} cannot be reached ({'; '.join(problems)}): start Spark "
            "there or correct the setting"
        )


def spark_session(builder_class: Any) -> Any:
    """A Spark session on $JOBMARKET_SPARK_MASTER: `local[*]` by default, `spark://…` for a
    standalone cluster, `sc://…` for Spark Connect (which takes `remote`, not `master`).
    On a standalone cluster it waits for the first executor: a master with no worker (or none
    with the cores and memory the application asks) would leave every query waiting."""
    master = spark_master()
    builder = builder_class.builder.appName("jobmarket")
    builder = builder.remote(master) if master.startswith("sc://") else builder.master(master)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # Java missing, a refused application: Spark's first line says why
        # Something else at a master's port, or another Spark version, fails only after Spark's
        # registration retries (about a minute), with a message about a stopped context.
        spark = " ".join(["Spark", getattr(sys.modules.get("pyspark"), "__version__", "")]).strip()
        hint = f" (is a {spark} master listening there?)" if "spark://" in master else ""
        raise EngineError(
            f"{ENGINE_ENV}=spark: Spark did not start on {master}: {_first_line(exc)}{hint}"
        ) from exc
    if master.startswith("spark://") and not _executors_within(session, SPARK_EXECUTOR_WAIT_S):
        session.stop()
        raise EngineError(
            f"{SPARK_MASTER_ENV}={master}: no executor started for the application within "
            f"{SPARK_EXECUTOR_WAIT_S:g} s (no worker alive, none with the cores and memory it "
            "asks, or no Spark master at that port: see the master's web UI)"
        )
    return session


def _first_line(exc: Exception) -> str:
    """The first line of what went wrong: the Java exception's own, when the error came from the
    JVM (py4j's first line only says which call failed)."""
    text = str(exc)
    with contextlib.suppress(Exception):  # the JVM may be gone already
        text = str(getattr(exc, "java_exception", None) or text)
    lines = text.strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _executors_within(session: Any, seconds: float) -> bool:
    """Whether an executor (not the driver, which the tracker lists too) registered in time."""
    # pyspark's own StatusTracker has no executor list; the JVM's (same object) does.
    tracker = session.sparkContext._jsc.sc().statusTracker()
    deadline = time.monotonic() + seconds
    while len(tracker.getExecutorInfos()) < 2:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.25)
    return True


def check_engine(key: str) -> None:
    """Start the query engine for data version `key` now when it is Spark (once per version):
    settings that reach no cluster (or name no engine) then raise EngineError before a page's
    first block asks."""
    try:
        name = engine()
    except ValueError as exc:
        raise EngineError(str(exc)) from exc
    if name == "spark":
        _catalog(key, "spark")


def stop_spark() -> None:
    """Close the Spark connections and stop their session: the next Spark query starts one on
    $JOBMARKET_SPARK_MASTER as it is then (a process holds one session, and getOrCreate hands
    back the running one whatever master is asked)."""
    with _LOCK:
        for wanted in [w for w in _CATALOGS if w[1] == "spark"]:
            _CATALOGS.pop(wanted)["con"].disconnect()


# Streamlit sessions are threads sharing one cached connection; a DuckDB connection must not
# run two statements at once, so queries take turns (each is tens of milliseconds).
_LOCK = threading.RLock()
_CATALOGS: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
MAX_CATALOGS = 4


def _open_catalog(key: str, engine_name: str) -> dict[str, Any]:
    """One connection per (data version, engine), with a view per processed table."""
    location = key.split("#", 1)[0]
    uri = is_uri(location)
    directory = Path(location)
    manifest = catalog.read_manifest(location if uri else directory)
    if manifest is None:
        raise DataError(
            f"{catalog.manifest_path(location)}: no manifest (the version was removed?)"
        )
    con = _connect(engine_name)
    tables: dict[str, Any] = {}
    limit = memory_rows()
    small = {
        name for name in manifest.tables if engine_name == "duckdb" and manifest.rows(name) <= limit
    }
    for name in manifest.tables:
        file = manifest.file(name)
        if objectstore.is_s3(location) and engine_name == "duckdb":
            # DuckDB's httpfs has no build for this DuckDB on PyPI, so pyarrow reads the objects
            # and DuckDB scans the dataset (projection and filters pushed down to row groups).
            where = objectstore.dataset(f"{location}/{file}", not file.endswith(".parquet"))
            con.con.register(f"t_{name}", where)
            tables[name] = con.table(f"t_{name}")
            continue
        if uri:  # a folder is a table written in parts; DuckDB needs a glob, Spark the folder
            where = f"{location}/{file}"
            folder = not file.endswith(".parquet")
            if folder and engine_name == "duckdb":
                where, extra = f"{where}/**/*.parquet", {"hive_partitioning": True}
            else:
                extra = {}
            tables[name] = con.read_parquet(where, table_name=f"t_{name}", **extra)
            continue
        path = directory / file
        if path.is_dir() and engine_name == "spark":
            # Spark finds the partition columns (work_year=2024/...) from the folder itself;
            # given a glob of the files it would drop them.
            tables[name] = con.read_parquet(str(path), table_name=f"t_{name}")
        elif path.is_dir():  # partitioned table (e.g. salaries/work_year=2024/part-0.parquet)
            tables[name] = con.read_parquet(
                str(path / "**" / "*.parquet"), table_name=f"t_{name}", hive_partitioning=True
            )
        elif path.is_file():
            tables[name] = con.read_parquet(str(path), table_name=f"t_{name}")
    return {"con": con, "tables": tables, "small": small & set(tables), "manifest": manifest}


def manifest_of(key: str) -> catalog.Manifest:
    """The manifest of data version `key` (read with its catalog, once per version)."""
    return _catalog(key, engine())["manifest"]


def _catalog(key: str, engine_name: str) -> dict[str, Any]:
    with _LOCK:
        wanted = (key, engine_name)
        if wanted not in _CATALOGS:
            try:
                _CATALOGS[wanted] = _open_catalog(key, engine_name)
            except objectstore.StorageError as exc:
                raise StorageError(str(exc)) from None
            while len(_CATALOGS) > MAX_CATALOGS:  # old data versions: drop their connections
                _CATALOGS.popitem(last=False)
        _CATALOGS.move_to_end(wanted)
        return _CATALOGS[wanted]


def table(key: str, name: str) -> Any | None:
    """The Ibis table `name` of data version `key`, or None when that version lacks it."""
    catalog = _catalog(key, engine())
    if name in catalog["small"]:
        with _LOCK:
            if name in catalog["small"]:  # copy each table once, on first use
                view = catalog["tables"][name]
                catalog["tables"][name] = catalog["con"].create_table(f"m_{name}", view)
                catalog["small"].discard(name)
    return catalog["tables"].get(name)


def empty(name: str, extra: list[str] | None = None) -> pd.DataFrame:
    """An empty frame with the contract columns of table `name`."""
    columns = catalog.TABLES[name].column_names if name in catalog.TABLES else []
    return pd.DataFrame(columns=columns + (extra or []))


def run(expr: Any, exact: bool = False) -> pd.DataFrame:
    """Run a query. `exact` keeps the stored Arrow types (date32, nullable bool, int64) as
    pandas Arrow dtypes: exports must carry the data as it is, not as a chart wants it."""
    with _LOCK:
        if exact:
            return expr.to_pyarrow().to_pandas(types_mapper=pd.ArrowDtype)
        return expr.to_pandas()


def isin(expr: Any, column: str, values: tuple) -> Any:
    """`expr` restricted to rows whose `column` is one of `values` (no restriction if empty)."""
    return expr.filter(expr[column].isin(list(values))) if values else expr


# --------------------------------------------------------------------------------------------
# Generic


@cached(max_entries=64)
def small_table(key: str, name: str, limit: int = 20_000) -> pd.DataFrame:
    """A whole (small) table, e.g. the seed's certifications; capped so a big one never loads."""
    t = table(key, name)
    if t is None:
        return empty(name)
    return run(t.limit(limit))


@cached(max_entries=128)
def distinct(key: str, name: str, column: str) -> list[Any]:
    """Sorted distinct non-null values of one column (filter options)."""
    t = table(key, name)
    if t is None or column not in t.columns:
        return []
    values = run(t.select(column).filter(t[column].notnull()).distinct())[column]
    return sorted(values.tolist())


@cached(max_entries=32)
def date_bounds(key: str, name: str) -> tuple[date, date] | None:
    """First and last `date` of a table, or None when it has no dated rows."""
    t = table(key, name)
    if t is None:
        return None
    frame = run(t.filter(t.date.notnull()).aggregate(lo=t.date.min(), hi=t.date.max()))
    if frame.empty or pd.isna(frame.loc[0, "lo"]):
        return None
    return pd.Timestamp(frame.loc[0, "lo"]).date(), pd.Timestamp(frame.loc[0, "hi"]).date()
