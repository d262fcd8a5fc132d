"""Atomic publication of a complete dataset version: Parquet + manifest, then one symlink swap.

`data/processed` is a symlink to `data/.versions/<id>/`. A new version is written in full under a
temporary name, renamed, and only then the symlink is replaced (an atomic rename). A failure or a
kill at any point before that swap leaves the previous version, and so every byte a reader sees,
untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from etl import catalog
from etl.config import Settings
from etl.derived import SORT_KEYS
from etl.extract import write_atomic
from etl.schemas import TABLES

# Small enough that a filter on year or country skips most of a big table, large enough that a
# small table stays one group (DuckDB reads row groups in parallel).
ROW_GROUP_ROWS = 64 * 1024

_ARROW = {
    "str": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
}


Frame = pd.DataFrame | pa.Table  # a big source hands its table over as Arrow, never as pandas


def arrow_schema(table: str, frame: Frame) -> pa.Schema:
    """Contract columns with their declared Arrow types, then any extra columns as inferred."""
    fields = [pa.field(c.name, _ARROW[c.kind], nullable=True) for c in TABLES[table].columns]
    known = {f.name for f in fields}
    names = frame.column_names if isinstance(frame, pa.Table) else list(frame.columns)
    extra = [c for c in names if c not in known]
    if extra and isinstance(frame, pa.Table):
        fields.extend(frame.schema.field(name) for name in extra)
    elif extra:
        inferred = pa.Schema.from_pandas(frame[extra], preserve_index=False)
        fields.extend(inferred.field(name) for name in extra)
    return pa.schema(fields)


def to_arrow(table: str, frame: Frame) -> pa.Table:
    schema = arrow_schema(table, frame)
    if isinstance(frame, pa.Table):
        columns = {
            f.name: frame[f.name].cast(f.type)
            if f.name in frame.column_names
            else pa.nulls(frame.num_rows, f.type)
            for f in schema
        }
        return pa.table(columns, schema=schema)
    ordered = frame.reindex(columns=schema.names)
    return pa.Table.from_pandas(ordered, schema=schema, preserve_index=False)


def rows_and_sources(frame: Frame) -> tuple[int, list[str]]:
    """A table's row count and the sources its rows come from (for the manifest)."""
    if isinstance(frame, pa.Table):
        return frame.num_rows, sorted(pc.unique(frame["source"]).to_pylist())
    return len(frame), sorted(frame["source"].unique().tolist())


def current_version(settings: Settings) -> Path | None:
    """The directory `data/processed` points to, or None when nothing was published yet."""
    return catalog.current_version(settings.data_dir)


def read_failures(settings: Settings) -> dict[str, dict[str, str]]:
    """Per source, its last failure (`last_error`, `last_error_at`); {} when none is recorded."""
    return catalog.read_failures(settings.data_dir)


def record_failures(settings: Settings, failed: dict[str, dict[str, str]]) -> None:
    """Remember each failed source's error and time, even when no version is published; a
    source that later succeeds is cleared."""
    _write_failures(settings, {**read_failures(settings), **failed})


def clear_failures(settings: Settings, names: set[str]) -> None:
    record = read_failures(settings)
    if names & set(record):
        _write_failures(settings, {k: v for k, v in record.items() if k not in names})


def _write_failures(settings: Settings, record: dict[str, dict[str, str]]) -> None:
    write_atomic(catalog.failures_path(settings.data_dir), json.dumps(record, indent=2).encode())


def read_table(settings: Settings, table: str) -> pd.DataFrame | None:
    """A table of the current version as pandas, or None if it is not there."""
    version = current_version(settings)
    if version is None or not (version / f"{table}.parquet").exists():
        return None
    return pq.read_table(version / f"{table}.parquet").to_pandas()


def _slow_write_pause() -> None:
    # Test/benchmark knob: widens the window between table writes so kill tests can hit it.
    pause = float(os.environ.get("JOBMARKET_SLOW_WRITE_SECONDS", "0") or 0)
    if pause > 0:
        time.sleep(pause)


def write_table(directory: Path, table: str, frame: Frame) -> Path:
    """One table as zstd Parquet; big tables sorted by their filter columns in small row groups,
    so that an engine reads only the row groups a filter can match (their min/max statistics)."""
    path = directory / f"{table}.parquet"
    arrow = to_arrow(table, frame)
    keys = [k for k in SORT_KEYS.get(table, ()) if k in arrow.column_names]
    if keys:
        arrow = arrow.sort_by([(k, "ascending") for k in keys])
    pq.write_table(arrow, path, compression="zstd", row_group_size=ROW_GROUP_ROWS)
    return path


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_parts(folder: Path, table: str, frames: Iterable[pd.DataFrame]) -> int:
    """A table too big for memory, as `folder/part-00000.parquet`…, each part written (sorted,
    in row groups) like a whole table; returns the rows written."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = 0
    for i, frame in enumerate(frames):
        write_table(folder, table, frame).rename(folder / f"part-{i:05d}.parquet")
        rows += len(frame)
    return rows


def publish(
    settings: Settings,
    tables: dict[str, Frame],
    manifest: dict[str, Any],
    folders: dict[str, Path] | None = None,
    carried: Iterable[str] = (),
) -> Path:
    """Write every table and the manifest (last) as a new version, then swap it in atomically.
    `folders` are tables already written in parts (`write_parts`); they move into the version
    under their name before the manifest is written. `carried` tables did not change: their
    files are linked from the current version, byte for byte, not rewritten."""
    settings.versions_dir.mkdir(parents=True, exist_ok=True)
    version_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    building = settings.versions_dir / f".building-{version_id}-{os.getpid()}"
    building.mkdir()
    try:
        for name, folder in (folders or {}).items():
            shutil.move(str(folder), building / name)
        current = current_version(settings)
        for name in carried:
            _carry(current / f"{name}.parquet", building / f"{name}.parquet")
        for name in sorted(tables):
            write_table(building, name, tables[name])
            _slow_write_pause()
        manifest = {**manifest, "version": version_id}
        catalog.write_manifest(building, manifest)
        _fsync_dir(building)
        final = settings.versions_dir / version_id
        os.replace(building, final)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    _swap_link(settings, final)
    _prune(settings, keep=final)
    return final


def _carry(old: Path, new: Path) -> None:
    """A version never changes once published, so an unchanged table can share its file."""
    try:
        os.link(old, new)
    except OSError:  # a file system without hard links: a copy is as good
        shutil.copy2(old, new)


def _swap_link(settings: Settings, target: Path) -> None:
    link = settings.processed_dir
    if link.exists() and not link.is_symlink():
        # A plain directory (made by hand or an older layout) is kept as a version, not deleted.
        os.replace(link, settings.versions_dir / f"legacy-{int(time.time())}")
    tmp = link.with_name(f".processed.{os.getpid()}.tmp")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(os.path.relpath(target, link.parent))
    os.replace(tmp, link)
    _fsync_dir(link.parent)


def repair_link(settings: Settings) -> str | None:
    """A `processed` link that dangles or loops, pointed again at the newest complete version;
    says what it did. None when the link is fine, absent, or no complete version is left."""
    problem = catalog.link_problem(settings.data_dir)
    versions = catalog.complete_versions(settings.data_dir) if problem else []
    if not versions:
        return None
    _swap_link(settings, versions[0])
    return f"{problem}: repaired, it points at the newest complete version {versions[0].name}"


def clear_stale(settings: Settings) -> list[str]:
    """Remove what a killed refresh left half-written: `.building-*` version folders and the
    link's temporary. Called under the refresh lock, so no live refresh is writing any of them."""
    removed = []
    if settings.versions_dir.is_dir():
        for stale in settings.versions_dir.glob(".building-*"):
            shutil.rmtree(stale, ignore_errors=True)
            removed.append(stale.name)
    for tmp in settings.data_dir.glob(".processed.*.tmp"):
        tmp.unlink(missing_ok=True)
        removed.append(tmp.name)
    return removed


def _prune(settings: Settings, keep: Path) -> None:
    """Keep the newest few versions (a reader may still hold an older one open), drop the rest."""
    versions = sorted(
        (p for p in settings.versions_dir.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.name,
    )
    for old in versions[: -settings.keep_versions]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    for stale in settings.versions_dir.glob(".building-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
