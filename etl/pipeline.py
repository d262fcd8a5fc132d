"""The refresh: extract -> normalize -> validate -> quarantine -> publish, under one lock."""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import filelock
import pandas as pd
import pyarrow as pa

from etl import catalog, derived, partitions, registry, writer
from etl.arrow_rules import validate_table
from etl.config import Settings
from etl.extract import Fetched, discard, fetch, keep, write_atomic
from etl.progress import Progress, active
from etl.schemas import reason_counts
from etl.sources.base import Source, SourceError

Log = Callable[[str], None]


class RefreshLocked(Exception):
    """Another refresh holds the lock on this data directory."""


class RefreshRefused(Exception):
    """The refresh cannot start from the data as it is (said in one line, with the way out)."""


SHRINK = 0.5  # a table falling below this share of its published rows is refused without --force
SHRINK_MIN_ROWS = 100  # smaller tables may change a lot legitimately (a seed table, a mapping)


@dataclass
class SourceResult:
    """How one source fared in a refresh: ok, unchanged or failed (with the error)."""

    name: str
    status: str
    error: str | None = None
    entry: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    rejected: dict[str, pd.DataFrame] = field(default_factory=dict)
    seconds: float = 0.0
    fetched: list[Fetched] = field(default_factory=list)  # staged; kept in raw/ once published


@dataclass
class RefreshReport:
    """The outcome of `refresh`: per-source results and the version published (if any)."""

    results: list[SourceResult]
    version: str | None

    @property
    def failed(self) -> list[SourceResult]:
        return [r for r in self.results if r.status == "failed"]


def stderr_log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _lock(settings: Settings, wait: float) -> filelock.BaseFileLock:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(str(settings.lock_path), timeout=wait)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise RefreshLocked(
            f"another refresh is running on {settings.data_dir} (lock {settings.lock_path}); "
            "wait for it to finish, or pass --wait SECONDS to queue behind it"
        ) from None
    return lock


def _unchanged(source: Source, fetched: list[Fetched], previous: dict[str, Any] | None) -> bool:
    if (
        not previous
        or previous.get("status") == "failed"
        or previous.get("version") != source.version
    ):
        return False
    old = {name: f["sha256"] for name, f in previous.get("files", {}).items()}
    return old == {f.raw.name: f.sha256 for f in fetched}


def _run_source(
    source: Source,
    settings: Settings,
    previous: dict[str, Any] | None,
    force: bool,
    log: Log,
    progress: Progress,
) -> SourceResult:
    started = time.monotonic()
    fetched, archives = [], {}
    files = list(source.files(settings))
    progress.start(source.name, len(files) + 2)
    discard(settings, source)  # a snapshot left by a killed refresh
    for raw in files:
        progress.advance(source.name, f"fetching {raw.name}", steps=0)
        item = fetch(source, raw, settings, log, archives)
        log(f"[{source.name}] got {raw.name} ({item.size:,} bytes, sha256 {item.sha256[:12]})")
        fetched.append(item)
        progress.advance(source.name, f"got {raw.name}")
    for archive in archives.values():  # its members are staged: the archive is not kept
        archive.unlink()
    if not force and _unchanged(source, fetched, previous):
        log(f"[{source.name}] unchanged (same sha256 for all {len(fetched)} files); skipped")
        discard(settings, source)
        return SourceResult(source.name, "unchanged", entry=dict(previous or {}))
    retrieved = now_iso()
    log(f"[{source.name}] normalizing {len(fetched)} file(s)")
    # normalized from the snapshot on disk: the raw bytes are never held by the refresh
    norm = source.normalize({f.raw.name: f.path for f in fetched}, settings)
    progress.advance(source.name, "validating")
    tables, rejected = {}, {}
    for table, frame in norm.tables.items():
        good, bad = validate_table(table, frame)
        earlier = norm.rejected.get(table)
        bad = pd.concat([earlier, bad], ignore_index=True) if earlier is not None else bad
        if len(good) == 0:
            raise SourceError(
                f"table {table!r} would be empty after validation ({len(bad)} rows rejected: "
                f"{reason_counts([bad]) if len(bad) else 'no input rows'})"
            )
        tables[table], rejected[table] = good, bad
        note = f", {len(bad):,} quarantined" if len(bad) else ""
        log(f"[{source.name}] {table}: {len(good):,} rows valid{note}")
    for table, frame in norm.rejected.items():
        rejected.setdefault(table, frame)
    progress.advance(source.name, "validated")
    quarantined = sum(len(f) for f in rejected.values())
    entry = {
        "title": source.title,
        "url": source.homepage,
        "licence": source.licence,
        "licence_url": source.licence_url,
        "attribution": source.attribution,
        "status": "ok",
        "version": source.version,
        "retrieved_at": retrieved,
        "refreshed_at": retrieved,
        "origin": "mirror"
        if settings.mirror and not source.local
        else ("repository" if source.local else "download"),
        "files": {
            f.raw.name: {
                "url": f.raw.url,
                "from": f.origin,
                "sha256": f.sha256,
                "bytes": f.size,
            }
            for f in fetched
        },
        # A download is a snapshot of the day it was taken when the file carries no date.
        "as_of": norm.stats.get("as_of")
        or (retrieved[:10] if norm.stats.get("as_of_is_retrieval_date") else None),
        "rows_in": norm.stats.get("rows_in"),
        "rows_out": {t: len(f) for t, f in tables.items()},
        "quarantined": {"rows": quarantined, "reasons": reason_counts(rejected.values())},
        "seconds": round(time.monotonic() - started, 2),
    }
    skip = ("as_of", "rows_in", "as_of_is_retrieval_date")
    entry.update({k: v for k, v in norm.stats.items() if k not in skip})
    return SourceResult(
        source.name, "ok", entry=entry, tables=tables, rejected=rejected, fetched=fetched
    )


def _write_quarantine(settings: Settings, result: SourceResult) -> None:
    folder = settings.quarantine_dir / result.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.csv"):
        if old.stem not in result.rejected or result.rejected[old.stem].empty:
            old.unlink()
    for table, frame in result.rejected.items():
        if len(frame):
            write_atomic(folder / f"{table}.csv", frame.to_csv(index=False).encode("utf-8"))


def _assemble(
    settings: Settings, changed: list[SourceResult], previous: dict[str, Any]
) -> tuple[dict[str, writer.Frame], dict[str, dict[str, Any]]]:
    """Each table = its rows from unchanged sources (current version) + the changed sources'.
    A table no changed source touches is carried over as it is (returned apart, with its
    manifest entry): it is neither read nor rewritten."""
    replaced = {r.name for r in changed}
    old_tables = previous.get("tables", {})
    fresh_names = {t for r in changed for t in r.tables}
    carried = {
        name: entry
        for name, entry in old_tables.items()
        if name not in fresh_names
        and name not in derived.DERIVED
        and not replaced & set(entry.get("sources", []))
    }
    # A derived table goes with its base table: carried when it is, recomputed otherwise.
    carried.update(
        {
            n: old_tables[n]
            for n, base in derived.DERIVED.items()
            if n in old_tables and base in carried
        }
    )
    # Derived tables are recomputed from the assembled rows, never merged.
    names = (set(old_tables) | fresh_names) - set(derived.DERIVED) - set(carried)
    out: dict[str, writer.Frame] = {}
    for table in sorted(names):
        fresh = [r.tables[table] for r in changed if table in r.tables]
        kept = set(old_tables.get(table, {}).get("sources", [])) - replaced
        if len(fresh) == 1 and not kept:  # the usual case: one source owns the table
            out[table] = fresh[0]
            continue
        parts = []
        old = writer.read_table(settings, table) if kept else None
        if old is not None:
            parts.append(old.loc[~old["source"].isin(replaced)])
        parts.extend(f.to_pandas() if isinstance(f, pa.Table) else f for f in fresh)
        parts = [p for p in parts if len(p)]
        if parts:
            out[table] = pd.concat(parts, ignore_index=True)
    return out, carried


def _previous(settings: Settings, sources: list[Source], log: Log) -> dict[str, Any]:
    """The current version's manifest, which a refresh builds on (its tables are carried over or
    merged). Refreshing every source can start afresh from nothing; refreshing some needs a
    complete, readable current version, else it is refused rather than publish the rest lost."""
    every = {s.name for s in sources} >= set(registry.SOURCES)
    link = settings.processed_dir
    if repaired := writer.repair_link(settings):  # a dangling or looping link, before any work
        log(repaired)
    problem = catalog.link_problem(settings.data_dir)
    if problem is None:
        try:
            previous = catalog.read_manifest(link) or {}
        except catalog.ManifestError as exc:
            problem = str(exc)
        else:
            lost = catalog.missing_files(link, previous) if previous else []
            if not lost:
                return previous
            problem = f"the current version lacks {len(lost)} of its files ({', '.join(lost[:5])})"
    if every:
        log(f"{problem}; refreshing every source, so the new version starts from nothing")
        return {}
    raise RefreshRefused(
        f"{problem}: refreshing only some sources would publish a version without the others' "
        "tables. Refresh every source (python -m etl refresh) to rebuild it."
    )


def failure_line(exc: Exception) -> str:
    """A source's failure in one line: a SourceError in its own words; anything else (an
    encrypted archive member, a bug) with its type and the ETL line that met it."""
    if isinstance(exc, SourceError):
        return str(exc)
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if f"{os.sep}etl{os.sep}" in f.filename]
    where = (ours or frames)[-1:] if frames else []
    place = "".join(
        f" at {f.filename[f.filename.rfind(os.sep + 'etl' + os.sep) + 1 :]}:{f.lineno}"
        for f in where
    )
    text = " ".join(str(exc).split()) or "no message"
    return f"unexpected {type(exc).__name__}{place}: {text}"


def _shrunk(assembled: dict[str, writer.Frame], previous: dict[str, Any]) -> dict[str, str]:
    """Tables whose new row count fell below SHRINK of the published one, with the reason."""
    out = {}
    for name, frame in assembled.items():
        before = int(previous.get("tables", {}).get(name, {}).get("rows", 0))
        after = writer.rows_and_sources(frame)[0]
        if before >= SHRINK_MIN_ROWS and after < SHRINK * before:
            out[name] = (
                f"{name} would have {after:,} rows against {before:,} in the current version "
                f"(under {SHRINK:.0%})"
            )
    return out


def _same_origin(r: SourceResult, previous: dict[str, Any] | None) -> bool:
    """True when the source read its files from where it did last time: a table that shrank
    is then a shorter copy of the same input (a cut download), not another snapshot chosen."""
    before = {name: f.get("from") for name, f in (previous or {}).get("files", {}).items()}
    return before == {f.raw.name: f.origin for f in r.fetched}


def _refuse(r: SourceResult, why: str, prev_sources: dict[str, Any], progress: Progress) -> None:
    """Turn an ok result into a failed one: its previous data stays published."""
    progress.log(f"[{r.name}] REFUSED: {why}; its previous data (if any) is kept", important=True)
    entry = dict(prev_sources.get(r.name, {}))
    entry.update({"last_error": why, "last_error_at": now_iso(), "status": "failed"})
    r.status, r.error, r.entry, r.tables, r.rejected = "failed", why, entry, {}, {}
    r.fetched = []


def refresh(
    names: list[str] | None,
    settings: Settings,
    *,
    force: bool = False,
    wait: float = 0,
    log: Log = stderr_log,
    progress: Progress | None = None,
) -> RefreshReport:
    """Refresh the named sources (all when None) and publish one new version if anything changed.
    `progress` shows bars per source on a terminal; by default events go to `log` as lines."""
    progress = progress or Progress(fancy=False, log=log)
    with active(progress):
        return _refresh(sources_of(names), settings, force, wait, log, progress)


def sources_of(names: list[str] | None) -> list[Source]:
    return [registry.get(n) for n in names] if names else list(registry.SOURCES.values())


def _refresh(
    sources: list[Source],
    settings: Settings,
    force: bool,
    wait: float,
    log: Log,
    progress: Progress,
) -> RefreshReport:
    lock = _lock(settings, wait)
    try:
        if stale := writer.clear_stale(settings):  # under the lock: no live refresh owns them
            log(f"removed {len(stale)} half-written folder(s) a stopped refresh left behind")
        previous = _previous(settings, sources, log)
        prev_sources = previous.get("sources", {})
        results = []
        for source in sources:
            try:
                result = _run_source(
                    source, settings, prev_sources.get(source.name), force, log, progress
                )
            except Exception as exc:  # noqa: BLE001 (whatever it is, it is this source's failure)
                error = failure_line(exc)
                progress.log(
                    f"[{source.name}] FAILED: {error}; its previous data (if any) is kept",
                    important=True,
                )
                entry = dict(prev_sources.get(source.name, {}))
                entry.update({"last_error": error, "last_error_at": now_iso()})
                # Its rows from the last good refresh stay published; status says they are stale.
                entry["status"] = "failed"
                result = SourceResult(source.name, "failed", error=error, entry=entry)
            result.seconds = progress.finish(source.name, result.status)
            results.append(result)
        changed = [r for r in results if r.status == "ok"]
        assembled, carried = _assemble(settings, changed, previous) if changed else ({}, {})
        shrunk = {} if force else _shrunk(assembled, previous)
        parts = (
            {}
            if force
            else partitions.shrunk(settings, assembled, previous, SHRINK, SHRINK_MIN_ROWS)
        )
        # refuse the sources behind a table, or a partition (a country, a state), that lost most
        # of its rows
        if shrunk or parts:
            for r in changed:
                why = "; ".join(
                    [*(shrunk[t] for t in r.tables if t in shrunk), *parts.get(r.name, [])]
                )
                if not why:
                    continue
                if _same_origin(r, prev_sources.get(r.name)):
                    _refuse(
                        r,
                        f"{why}: a cut download? Refresh with --force to publish it",
                        prev_sources,
                        progress,
                    )
                else:  # another file than last time: a snapshot chosen on purpose
                    log(f"[{r.name}] {why}, read from other files than last time: published")
            changed = [r for r in results if r.status == "ok"]
            assembled, carried = _assemble(settings, changed, previous) if changed else ({}, {})
        failed = {r.name: r.entry for r in results if r.status == "failed"}
        if failed:
            writer.record_failures(
                settings,
                {n: {k: e[k] for k in ("last_error", "last_error_at")} for n, e in failed.items()},
            )
        if not changed:
            # Nothing new to publish: the current version (if any) stays exactly as it is.
            if not failed:
                log("nothing changed; the current data stays as it is")
            return RefreshReport(results, previous.get("version"))
        tables = derived.add(assembled)
        sources_entry = dict(prev_sources)
        for r in results:
            sources_entry[r.name] = r.entry
        entries = dict(carried)
        for name, frame in tables.items():
            rows, sources = writer.rows_and_sources(frame)
            entries[name] = {
                "rows": rows,
                "file": f"{name}.parquet",
                "sources": sources,
                "columns": writer.arrow_schema(name, frame).names,
            }
        manifest = {
            "schema": catalog.SCHEMA,
            "refreshed_at": now_iso(),
            "tables": dict(sorted(entries.items())),
            "sources": sources_entry,
        }
        version = writer.publish(settings, tables, manifest, carried=carried)
        writer.clear_failures(settings, {r.name for r in changed})
        for r in changed:
            # raw/ and its SHA256SUMS follow the published version: the snapshot replaces the
            # kept copy only now, so a file that was refused never replaces it
            keep(registry.get(r.name), r.fetched, settings)
            _write_quarantine(settings, r)
        log(
            f"published version {version.name}: "
            + ", ".join(f"{n} {e['rows']:,}" for n, e in manifest["tables"].items())
        )
        return RefreshReport(results, version.name)
    finally:
        discard(settings)  # the snapshots of failed, refused or unchanged sources
        lock.release()
