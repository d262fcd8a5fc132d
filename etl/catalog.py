"""The catalog: what the ETL publishes and how to read it, for the ETL and the dashboard alike.

It owns the published layout under a data root (a folder, or a URI such as `s3://bucket/x` for
the dashboard):

    <root>/processed            symlink to the current version (an s3:// root: `manifest.json`,
                                the pointer naming the current version folder, etl.objectstore)
    <root>/.versions/<id>/      one version: <table>.parquet (or a folder of parts), manifest.json
    <root>/last_errors.json     failed refreshes, recorded even when nothing is published

and it is the one place that parses `manifest.json` (`read_manifest`, a `Manifest`). Its public
face is also the data contract (`TABLES` and the fixed vocabularies, from etl.schemas) and the
country names and codes (`countries`) and object storage (`objectstore`: s3:// roots): the
dashboard imports nothing else from the ETL.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from etl import countries, objectstore
from etl.schemas import COMPANY_SIZES, EMPLOYMENT_TYPES, EXPERIENCE_LEVELS, POSTING_TYPES, TABLES

__all__ = [
    "COMPANY_SIZES",
    "EMPLOYMENT_TYPES",
    "EXPERIENCE_LEVELS",
    "MANIFEST",
    "POSTING_TYPES",
    "TABLES",
    "Manifest",
    "ManifestError",
    "complete_versions",
    "countries",
    "current_version",
    "failures_path",
    "link_problem",
    "manifest_path",
    "missing_files",
    "objectstore",
    "processed_dir",
    "read_failures",
    "read_manifest",
    "read_text",
    "versions_dir",
    "write_manifest",
]

PROCESSED = "processed"
VERSIONS = ".versions"
MANIFEST = "manifest.json"
FAILURES = "last_errors.json"
SCHEMA = 1  # the manifest's own format

Location = Path | str  # a local path, or a URI pyarrow reads (s3://, gs://, file://)


def _join(base: Location, name: str) -> Location:
    return f"{base}/{name}" if isinstance(base, str) else base / name


def processed_dir(root: Location) -> Location:
    """The `processed` link under data root `root`, which points at the published version."""
    return _join(root, PROCESSED)


def versions_dir(root: Path) -> Path:
    """Where every published version lives, one folder each."""
    return root / VERSIONS


def manifest_path(version: Location) -> Location:
    """The manifest of a version folder (or of the `processed` link)."""
    return _join(version, MANIFEST)


def failures_path(root: Path) -> Path:
    """Where failed refreshes are recorded, beside (not inside) the published versions."""
    return root / FAILURES


def current_version(root: Path) -> Path | None:
    """The folder `processed` points to, or None when nothing was published yet."""
    link = processed_dir(root)
    if link.is_symlink() or link.is_dir():
        try:
            target = link.resolve(strict=True)
        except (OSError, RuntimeError):  # dangling, or a loop (RuntimeError before Python 3.13)
            return None
        return target if target.is_dir() else None
    return None


def link_problem(root: Path) -> str | None:
    """What is wrong with the `processed` link, in words; None when it is fine or absent."""
    link = processed_dir(root)
    if not link.is_symlink():
        return None
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        return f"{link} points at a missing version ({os.readlink(link)})"
    except (OSError, RuntimeError):  # ELOOP (a RuntimeError before Python 3.13)
        return f"{link} is a symlink loop ({os.readlink(link)})"
    if not target.is_dir():
        return f"{link} points at {target}, which is not a version folder"
    return None


def complete_versions(root: Path) -> list[Path]:
    """The version folders whose manifest reads and lists no missing file, newest first (a
    `legacy-*` folder, kept from an older layout, after the dated ones)."""
    folder = versions_dir(root)
    if not folder.is_dir():
        return []
    found = []
    for version in folder.iterdir():
        if version.name.startswith(".") or version.is_symlink() or not version.is_dir():
            continue
        try:
            manifest = read_manifest(version)
        except ManifestError:
            continue
        if manifest is not None and not missing_files(version, manifest):
            found.append(version)
    return sorted(found, key=lambda p: (not p.name.startswith("legacy-"), p.name), reverse=True)


def read_text(location: Location) -> str | None:
    """A small file's text from a local path or any URI pyarrow reads; None when missing."""
    if isinstance(location, Path):
        return location.read_text(encoding="utf-8") if location.is_file() else None
    if objectstore.is_s3(location):  # configured from the AWS variables, endpoint included
        return objectstore.read_text(location)
    from pyarrow import fs

    filesystem, path = fs.FileSystem.from_uri(location)
    if filesystem.get_file_info(path).type != fs.FileType.File:
        return None
    with filesystem.open_input_stream(path) as stream:
        return stream.read().decode("utf-8")


class ManifestError(ValueError):
    """A version's manifest cannot be read (truncated, not JSON, not a manifest), in one line."""


class Manifest(dict):
    """A parsed manifest: the JSON object itself (so `.get` works), with named accessors."""

    @property
    def tables(self) -> dict[str, dict[str, Any]]:
        return self.get("tables", {})

    @property
    def sources(self) -> dict[str, dict[str, Any]]:
        return self.get("sources", {})

    @property
    def version(self) -> str:
        return str(self.get("version", "unversioned"))

    @property
    def refreshed_at(self) -> str:
        return str(self.get("refreshed_at", ""))

    def has(self, table: str) -> bool:
        return table in self.tables

    def rows(self, table: str) -> int:
        return int(self.tables.get(table, {}).get("rows", 0))

    def table_sources(self, table: str) -> list[str]:
        return list(self.tables.get(table, {}).get("sources", []))

    def file(self, table: str) -> str:
        """The table's file (or folder of parts) inside its version."""
        return str(self.tables.get(table, {}).get("file", f"{table}.parquet"))


def read_manifest(version: Location) -> Manifest | None:
    """The manifest of a version folder (or of the `processed` link); None when there is none.
    One that cannot be read raises ManifestError saying which file and why."""
    where = manifest_path(version)
    try:
        text = read_text(where)
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{where} is not valid JSON (truncated or damaged?): {exc}") from None
    if text is None:
        return None
    try:
        parsed = json.loads(text)
    except ValueError as exc:
        raise ManifestError(f"{where} is not valid JSON (truncated or damaged?): {exc}") from None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("tables"), dict):
        raise ManifestError(f"{where} is not a manifest: it has no `tables` object")
    return Manifest(parsed)


def write_manifest(version: Path, manifest: dict[str, Any]) -> None:
    """Write a version's manifest (the ETL does, last, before the version is swapped in)."""
    text = json.dumps(manifest, indent=2, sort_keys=False, default=str) + "\n"
    manifest_path(version).write_text(text, encoding="utf-8")


def missing_files(version: Path, manifest: Manifest) -> list[str]:
    """The table files a manifest lists that its version folder does not hold."""
    return sorted(
        manifest.file(name)
        for name in manifest.tables
        if not os.path.isfile(version / manifest.file(name))
    )


def read_failures(root: Path) -> dict[str, dict[str, str]]:
    """Per source, its last failed refresh (`last_error`, `last_error_at`); {} when none is
    recorded or the record cannot be read (it is bookkeeping, never data)."""
    try:
        record = json.loads(failures_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}
