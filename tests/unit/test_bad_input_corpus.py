"""The malformed-input corpus (tests/data/bad/): each hand-made bad file, put in place of one
source file, gives exactly the outcome `cases.csv` states (the source refused with that error,
or published with those rows quarantined), and every other table stays byte for byte."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from etl import config, registry
from etl.pipeline import refresh
from tests.conftest import quiet
from tests.fixtures.sources import fixture_names, fixture_raw, fixture_settings

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
CASES = list(csv.DictReader((BAD / "cases.csv").open(encoding="utf-8")))


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> config.Settings:
    """Every source refreshed from its clean hand-made fixture, through a mirror directory."""
    root = tmp_path_factory.mktemp("corpus-base")
    settings = fixture_settings("indeed", config.load(data_dir=root / "data", mirror=root / "m"))
    for name in fixture_names():
        if name == "seed":  # the seed reads the repository's own tables
            continue
        raw = fixture_raw(name)
        for item in registry.get(name).files(settings):
            target = settings.mirror / item.mirror_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(raw[item.name])
    report = refresh(None, settings, log=quiet)
    assert not report.failed, [(r.name, r.error) for r in report.failed]
    return settings


def _files(settings: config.Settings) -> dict[str, bytes]:
    folder = settings.processed_dir.resolve()
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _owned(settings: config.Settings, source: str) -> set[str]:
    """The files of tables `source` contributes to (and their derived tables)."""
    manifest = json.loads(settings.manifest_path.read_text(encoding="utf-8"))
    mine = {n for n, e in manifest["tables"].items() if source in e["sources"]}
    if "salaries" in mine:
        mine.add("salary_counts")
    return {f"{n}.parquet" for n in mine} | {"manifest.json"}


def test_the_corpus_is_wide_enough() -> None:
    assert len(CASES) >= 40
    sources = {c["file"].split("/")[0] for c in CASES}
    assert sources == set(registry.SOURCES)
    assert {c["outcome"] for c in CASES} == {"refused", "published"}
    on_disk = {str(p.relative_to(BAD)) for p in BAD.rglob("*") if p.is_file()}
    assert on_disk - {"cases.csv"} == {c["file"] for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_a_bad_file_gets_its_exact_outcome_and_touches_nothing_else(
    published: config.Settings,
    tmp_path: Path,
    case: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = case["file"].split("/")[0]
    shutil.copytree(published.data_dir, tmp_path / "data", symlinks=True)
    # The bad file goes into the same mirror path the published version was read from (put back
    # afterwards): a source that reads the same files as last time is shrink-guarded.
    settings = dataclasses.replace(published, data_dir=tmp_path / "data")
    bad = (BAD / case["file"]).read_bytes()
    if source == "seed":
        shutil.copytree(config.SEED_DIR, tmp_path / "seed")
        settings = dataclasses.replace(settings, seed_dir=tmp_path / "seed")
        (tmp_path / "seed" / case["replaces"]).write_bytes(bad)
        swapped = contextlib.nullcontext()
    elif case["file"].endswith(".zip"):  # the archive the source downloads: served locally
        settings = dataclasses.replace(settings, mirror=None)
        swapped = _served(source, case["replaces"], bad, monkeypatch)
    else:
        item = next(f for f in registry.get(source).files(settings) if f.name == case["replaces"])
        swapped = _swapped(settings.mirror / item.mirror_path, bad, case["file"].endswith(".gz"))
    before, raw_before = _files(settings), _raw(settings, source)

    # the seed ships with the project: its files never look changed to a plain refresh
    with swapped as base:
        result = refresh([source], settings, force=source == "seed", log=quiet).results[0]

    if case["outcome"] == "refused":  # {base}: the local server a served archive came from
        expect = case["expect"].replace("{base}", base or "")
        assert (result.status, result.error) == ("failed", expect)
        assert _files(settings) == before  # nothing published
        assert _raw(settings, source) == raw_before  # the kept raw copy is not replaced
        return
    assert result.status == "ok", result.error
    reasons = sorted(r for frame in result.rejected.values() for r in frame["reason"])
    assert reasons == (case["expect"].split(" | ") if case["expect"] else [])
    after, mine = _files(settings), _owned(settings, source)
    assert {n: b for n, b in after.items() if n not in mine} == {
        n: b for n, b in before.items() if n not in mine
    }


@contextlib.contextmanager
def _swapped(target: Path, bad: bytes, gzipped: bool) -> Iterator[None]:
    """`bad` in place of the mirror file `target` (a compressed copy is read in place of the
    plain one), the good file put back afterwards."""
    good = target.read_bytes()
    if gzipped:
        target.unlink()
        target = target.with_name(target.name + ".gz")
    target.write_bytes(bad)
    try:
        yield
    finally:
        target.unlink()
        target.with_name(target.name.removesuffix(".gz") if gzipped else target.name).write_bytes(
            good
        )


@contextlib.contextmanager
def _served(
    source: str, archive: str, bad: bytes, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """`bad` served as the archive `source` downloads (JOBMARKET_BASE_URL_<SOURCE> pointed at a
    local server); yields the server's base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            found = self.path.endswith(f"/{archive}")
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(len(bad) if found else 0))
            self.end_headers()
            if found:
                self.wfile.write(bad)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv(f"JOBMARKET_BASE_URL_{source.upper()}", base)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _raw(settings: config.Settings, source: str) -> dict[str, bytes]:
    folder = settings.raw_dir / source
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*"))} if folder.is_dir() else {}
