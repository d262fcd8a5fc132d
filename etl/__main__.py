"""Command line: `python -m etl refresh|publish|status|sources` (exit codes: 0 ok, 1 a source
failed, 2 usage error or storage settings that do not work, 3 another refresh holds the lock or
another publisher won, 130 interrupted by Ctrl-C)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

from etl import catalog, config, contract_doc, objectstore, registry, writer
from etl.pipeline import RefreshLocked, RefreshRefused, SourceResult, refresh
from etl.progress import Progress

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    parser.add_argument(
        "--data-dir", help="data root (default: $JOBMARKET_DATA_DIR or ./data)", default=None
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ref = sub.add_parser("refresh", help="fetch, validate and publish sources (all by default)")
    ref.add_argument("sources", nargs="*", metavar="SOURCE", help="registry names, e.g. seed")
    ref.add_argument("--mirror", help="read files from this directory ($JOBMARKET_MIRROR)")
    ref.add_argument("--data-dir", dest="data_dir_sub", default=None, help=argparse.SUPPRESS)
    ref.add_argument(
        "--force",
        action="store_true",
        help="re-normalize even if inputs are unchanged, and publish a table even when it lost "
        "more than half of its rows",
    )
    ref.add_argument(
        "--quiet",
        action="store_true",
        help="no progress bars or step lines: failures and the final summary only",
    )
    ref.add_argument(
        "--wait",
        type=float,
        default=0,
        metavar="SECONDS",
        help="wait this long for a running refresh to finish (default: refuse at once)",
    )
    pub = sub.add_parser(
        "publish",
        help="upload the current version to object storage (s3://bucket/prefix), pointer last",
    )
    pub.add_argument(
        "--to",
        required=True,
        metavar="URI",
        help="s3://bucket/prefix; credentials and endpoint from the standard AWS variables",
    )
    pub.add_argument("--data-dir", dest="data_dir_sub", default=None, help=argparse.SUPPRESS)
    pub.add_argument(
        "--keep",
        type=int,
        default=objectstore.KEEP_VERSIONS,
        metavar="N",
        help=f"versions kept in the bucket, the current one included "
        f"(default {objectstore.KEEP_VERSIONS})",
    )
    st = sub.add_parser("status", help="tables, rows, sources, as-of dates, last refresh")
    st.add_argument("--data-dir", dest="data_dir_sub", default=None, help=argparse.SUPPRESS)
    sub.add_parser("sources", help="the source registry: URL, licence, attribution")
    sub.add_parser("contract", help="print the data contract as Markdown (docs/data-contract.md)")
    return parser


def _failures(settings: config.Settings, manifest: dict | None) -> None:
    """Failed refreshes the published manifest does not tell (nothing was published since)."""
    shown = (manifest or {}).get("sources", {})
    for name, fail in sorted(writer.read_failures(settings).items()):
        if shown.get(name, {}).get("last_error_at") == fail.get("last_error_at"):
            continue  # already printed under the source
        print(
            f"{name}: last refresh failed ({fail.get('last_error_at')}): {fail.get('last_error')}"
        )


def _status(settings: config.Settings) -> int:
    problem = catalog.link_problem(settings.data_dir)
    if problem:  # a refresh repairs the link, or rebuilds the data when no version is left
        versions = catalog.complete_versions(settings.data_dir)
        fix = (
            f"points it back at {versions[0].name}, the newest complete version"
            if versions
            else "publishes a new version from every source"
        )
        print(f"error: {problem}; run: python -m etl refresh (it {fix})", file=sys.stderr)
        _failures(settings, None)
        return EXIT_USAGE
    try:
        manifest = catalog.read_manifest(settings.processed_dir)
    except catalog.ManifestError as exc:
        print(f"error: {exc}; refresh every source to publish a new version", file=sys.stderr)
        _failures(settings, None)
        return EXIT_USAGE
    if manifest is None:
        print(f"no processed data in {settings.processed_dir}; run: python -m etl refresh seed")
        _failures(settings, None)
        return EXIT_FAILED
    print(f"data: {settings.processed_dir} -> version {manifest.get('version')}")
    print(f"last refresh: {manifest.get('refreshed_at')}\n")
    print(f"{'table':<16} {'rows':>10}  sources")
    for name, info in sorted(manifest["tables"].items()):
        print(f"{name:<16} {info['rows']:>10,}  {', '.join(info['sources'])}")
    print(f"\n{'source':<8} {'status':<10} {'as of':<16} {'refreshed':<26} {'quarantined':>11}")
    for name, src in manifest["sources"].items():
        q = src.get("quarantined", {}).get("rows", 0)
        print(
            f"{name:<8} {src.get('status', '?'):<10} {str(src.get('as_of') or 'undated'):<16} "
            f"{str(src.get('refreshed_at')):<26} {q:>11,}"
        )
        if src.get("last_error"):
            print(f"         last error ({src.get('last_error_at')}): {src['last_error']}")
    print()
    _failures(settings, manifest)
    return EXIT_OK


def _status_s3(uri: str) -> int:
    """What a bucket serves: the version its pointer names, when, and its tables."""
    try:
        pointer = catalog.read_manifest(catalog.processed_dir(uri))
    except (objectstore.StorageError, catalog.ManifestError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if pointer is None:
        print(f"nothing published at {uri}; run: python -m etl publish --to {uri}")
        return EXIT_FAILED
    folder = objectstore.version_location(uri, pointer)
    print(f"data: {uri} -> version {pointer.version} ({folder})")
    print(f"published: {pointer.get('published_at', '?')}; last refresh: {pointer.refreshed_at}\n")
    print(f"{'table':<16} {'rows':>10}  sources")
    for name in sorted(pointer.tables):
        print(f"{name:<16} {pointer.rows(name):>10,}  {', '.join(pointer.table_sources(name))}")
    return EXIT_OK


def _sources() -> int:
    for src in registry.SOURCES.values():
        print(f"{src.name}: {src.title}")
        print(f"  url:         {src.homepage}")
        print(f"  licence:     {src.licence} ({src.licence_url})")
        print(f"  attribution: {src.attribution}")
        print(f"  tables:      {', '.join(src.tables)}")
    return EXIT_OK


def _summary_line(r: SourceResult) -> str:
    """`aijobs: ok in 1.2 s (salaries 74,301 rows; 0 quarantined)`: one line per source."""
    line = f"{r.name}: {r.status}" + (f" ({r.error})" if r.error else "")
    line += f" in {r.seconds:.1f} s"
    if r.status == "ok":
        rows = "; ".join(f"{t} {len(f):,} rows" for t, f in sorted(r.tables.items()))
        quarantined = sum(len(f) for f in r.rejected.values())
        line += f" ({rows}; {quarantined:,} quarantined)"
    return line


def _publish(settings: config.Settings, uri: str, keep: int) -> int:
    """Upload the current local version under `uri`, then make it current there."""
    if keep < 1:
        print(
            "error: --keep must be 1 or more (the current version is always kept)", file=sys.stderr
        )
        return EXIT_USAGE
    version = catalog.current_version(settings.data_dir)
    if version is None:
        print(
            f"error: no published version in {settings.data_dir}; run: python -m etl refresh",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        objectstore.split(uri)
        manifest = catalog.read_manifest(version)
        missing = catalog.missing_files(version, manifest) if manifest else [catalog.MANIFEST]
        if missing:
            print(f"error: {version} lacks {', '.join(missing)}; refresh first", file=sys.stderr)
            return EXIT_USAGE
        started = time.monotonic()
        done = objectstore.publish(version, uri, keep=keep, log=lambda line: None)
    except objectstore.PublishConflict as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except (objectstore.StorageError, catalog.ManifestError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(
            f"interrupted: {uri} still serves the version it served before (the pointer is "
            "written last)",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    print(
        f"published version {done.version} to {uri}/{done.folder}: {done.files} files, "
        f"{done.bytes / 1e6:,.1f} MB in {time.monotonic() - started:.1f} s; it is current"
        + (f"; pruned {len(done.pruned)} old version(s)" if done.pruned else "")
    )
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data_dir = getattr(args, "data_dir_sub", None) or args.data_dir
    if args.command == "sources":
        return _sources()
    if args.command == "contract":
        print(contract_doc.render(), end="")
        return EXIT_OK
    local = data_dir or os.environ.get("JOBMARKET_DATA_DIR") or ""
    if args.command == "publish" and "://" in local:
        print(
            f"error: publish uploads a local data root, and {local} is a URI; pass --data-dir DIR",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.command == "status" and objectstore.is_s3(local):
        return _status_s3(local.rstrip("/"))
    try:
        settings = config.load(data_dir=data_dir, mirror=getattr(args, "mirror", None))
    except config.ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "status":
        return _status(settings)
    if args.command == "publish":
        return _publish(settings, args.to, args.keep)
    unknown = [n for n in args.sources if n not in registry.SOURCES]
    if unknown:
        print(
            f"error: unknown source(s) {', '.join(unknown)}; known: {', '.join(registry.SOURCES)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if settings.mirror is not None and not settings.mirror.is_dir():
        print(f"error: mirror directory {settings.mirror} does not exist", file=sys.stderr)
        return EXIT_USAGE
    progress = Progress(quiet=args.quiet)
    started = time.monotonic()
    try:
        report = refresh(
            args.sources or None,
            settings,
            force=args.force,
            wait=args.wait,
            log=progress.log,
            progress=progress,
        )
    except RefreshLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except RefreshRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        progress.close()
        version = catalog.current_version(settings.data_dir)
        now = f"version {version.name}" if version else "none published yet"
        print(
            f"interrupted: the refresh stopped; the published data is intact ({now}): a version "
            "is swapped in whole or not at all",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    finally:
        progress.close()
    for r in report.results:
        print(_summary_line(r))
    print(
        f"total: {time.monotonic() - started:.1f} s"
        + (f", published version {report.version}" if report.version else "")
    )
    if report.failed:
        print(f"error: {len(report.failed)} source(s) failed; previous data kept", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
