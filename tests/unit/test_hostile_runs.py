"""Hostile inputs and fault runs that are not one bad file of the corpus (issue 22, part A):
archives and compressed streams that inflate past their cap, any exception from a source, a
`processed` link that dangles or loops, a mirror link that loops, Ctrl-C, stale half-written
versions and bad settings. Each ends in one clear line, nothing published wrong, no traceback."""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import filelock
import pandas as pd
import pytest

from etl import catalog, config, countries, registry
from etl.__main__ import main
from etl.extract import MB, download
from etl.pipeline import RefreshLocked, refresh
from etl.sources.base import Inflated, SourceError
from tests.conftest import REPO_ROOT, quiet
from tests.fixtures.archives import ARCHIVE, onet_zip
from tests.fixtures.sources import OEWS_DATA, fixture_names, fixture_raw, fixture_settings, oews_raw


def _version_bytes(settings: config.Settings) -> dict[str, bytes]:
    folder = settings.processed_dir.resolve()
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def mirrored(tmp_path: Path) -> config.Settings:
    """Every source's clean fixture in a mirror folder, published once."""
    settings = fixture_settings(
        "indeed", config.load(data_dir=tmp_path / "data", mirror=tmp_path / "m")
    )
    for name in fixture_names():
        if name == "seed":
            continue
        raw = fixture_raw(name)
        for item in registry.get(name).files(settings):
            target = settings.mirror / item.mirror_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(raw[item.name])
    assert not refresh(None, settings, log=quiet).failed
    return settings


class _Server:
    """A local HTTP server answering every GET with `body` and `headers`."""

    def __init__(self) -> None:
        self.body, self.headers = b"", {}
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                self.send_response(200)
                for key, value in {"Content-Length": str(len(owner.body)), **owner.headers}.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(owner.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()
    thread.join()


# --- every archive member and decompressed stream against a cap on its inflated size ---------


def test_inflated_stops_at_its_cap_as_it_inflates_holding_one_read_at_a_time() -> None:
    body = b" " * (8 * MB)
    stream = Inflated(gzip.GzipFile(fileobj=_bytes(gzip.compress(body))), 3 * MB, "x.gz")
    sizes = []
    with pytest.raises(SourceError, match=r"^x.gz inflates to more than the 3 MB cap"):
        while chunk := stream.read(MB):
            sizes.append(len(chunk))
    assert sizes == [MB, MB, MB]  # three reads of a megabyte each, then the fourth is refused
    small = Inflated(gzip.GzipFile(fileobj=_bytes(gzip.compress(b"a\n"))), 1000, "y.gz")
    assert small.read() == b"a\n"


def _bytes(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def _serve_onet(server: _Server, archive: bytes, monkeypatch, tmp_path: Path) -> config.Settings:
    server.body, server.headers = archive, {"Content-Type": "application/zip"}
    monkeypatch.setenv("JOBMARKET_BASE_URL_ONET", server.base)
    return config.load(data_dir=tmp_path / "data")  # no mirror: the zip is downloaded


def test_a_zip_bomb_is_refused_by_the_size_its_member_declares(
    server, monkeypatch, tmp_path
) -> None:
    settings = _serve_onet(server, onet_zip(bomb_bytes=3 * MB), monkeypatch, tmp_path)
    monkeypatch.setenv("JOBMARKET_MAX_FILE_MB", "1")
    result = refresh(["onet"], settings, log=quiet).results[0]
    assert result.error == (
        f"{server.base}/dl_files/database/{ARCHIVE}: the zip member "
        "'db_29_2_text/Technology Skills.txt' declares 3,145,728 bytes inflated, over the 1 MB "
        "cap for this source; JOBMARKET_MAX_FILE_MB raises it"
    )
    assert json.loads(catalog.failures_path(settings.data_dir).read_text())["onet"]


def test_a_zip_member_that_lies_about_its_size_is_refused_not_inflated(
    server, monkeypatch, tmp_path
) -> None:
    archive = onet_zip(bomb_bytes=40 * MB, declared=1000)  # 40 MB of spaces, "1,000 bytes"
    assert len(archive) < MB
    settings = _serve_onet(server, archive, monkeypatch, tmp_path)
    result = refresh(["onet"], settings, log=quiet).results[0]
    assert result.status == "failed"
    assert result.error.endswith(
        "the zip member 'db_29_2_text/Technology Skills.txt' is corrupt (BadZipFile: Bad CRC-32 "
        "for file 'db_29_2_text/Technology Skills.txt'); download it again"
    )
    staged = settings.raw_dir / ".incoming"
    assert not staged.exists()  # nothing of it left on disk


def test_a_clean_archive_still_downloads_and_publishes(server, monkeypatch, tmp_path) -> None:
    settings = _serve_onet(server, onet_zip(), monkeypatch, tmp_path)
    report = refresh(["onet"], settings, log=quiet)
    assert not report.failed, report.failed[0].error
    assert set(json.loads(settings.manifest_path.read_text())["tables"]) >= {"skills"}


def test_an_oews_gzip_inflating_past_the_cap_is_refused_as_it_inflates(
    tmp_path, monkeypatch
) -> None:
    settings = config.load(data_dir=tmp_path / "data", mirror=tmp_path / "m")
    folder = tmp_path / "m" / "bls-oews"
    folder.mkdir(parents=True)
    for name, body in oews_raw(OEWS_DATA).items():
        if name == "oe.data.0.Current":
            (folder / f"{name}.gz").write_bytes(gzip.compress(body))
        else:
            (folder / name).write_bytes(body)
    packed = len(gzip.compress(OEWS_DATA))
    assert packed < 2000 < len(OEWS_DATA)
    monkeypatch.setenv("JOBMARKET_MAX_FILE_MB", str(2000 / MB))  # the gzip fits, its text not
    result = refresh(["bls_oews"], settings, log=quiet).results[0]
    assert result.error == (
        "oe.data.0.Current (gzip) inflates to more than the 2,000 bytes cap for this source "
        "(a decompression bomb?); JOBMARKET_MAX_FILE_MB raises it"
    )
    monkeypatch.delenv("JOBMARKET_MAX_FILE_MB")
    assert not refresh(["bls_oews"], settings, log=quiet).failed  # the same file under 800 MB


def test_a_gzip_content_encoding_is_inflated_against_the_cap(server) -> None:
    server.body = gzip.compress(b" " * (12 * MB))
    server.headers = {"Content-Type": "text/csv", "Content-Encoding": "gzip"}
    assert len(server.body) < 100_000
    with pytest.raises(SourceError, match=r"is larger than the 5 MB cap"):
        download(f"{server.base}/x.csv", timeout=5, retries=1, log=quiet, cap=5 * MB)
    server.body = gzip.compress(b"a,b\n") + gzip.compress(b"1,2\n")  # two gzip members
    assert download(f"{server.base}/x.csv", timeout=5, retries=1, log=quiet) == b"a,b\n1,2\n"
    for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):  # deflate: zlib-wrapped, or raw
        packer = zlib.compressobj(wbits=wbits)
        server.body = packer.compress(b"a,b\n1,2\n") + packer.flush()
        server.headers = {"Content-Type": "text/csv", "Content-Encoding": "deflate"}
        assert download(f"{server.base}/x.csv", timeout=5, retries=1, log=quiet) == b"a,b\n1,2\n"
    server.body, server.headers["Content-Encoding"] = b"\x1f\x8bnot gzip at all", "gzip"
    with pytest.raises(SourceError, match=r"the gzip-encoded body is corrupt"):
        download(f"{server.base}/x.csv", timeout=5, retries=1, log=quiet)


# --- any exception from a source is that source's one-line failure -----------------------------


def test_an_unexpected_error_fails_its_source_in_one_line_and_keeps_the_others_work(
    mirrored: config.Settings, monkeypatch, capsys
) -> None:
    before = _version_bytes(mirrored)
    indeed = registry.get("indeed")

    def broken(raw, settings):
        raise RuntimeError("File 'x' is encrypted,\npassword required")

    monkeypatch.setitem(
        registry.SOURCES, "indeed", dataclasses.replace(indeed, normalize=broken, version=99)
    )
    for name in ("aijobs", "seed"):  # the others have new work to publish
        monkeypatch.setitem(
            registry.SOURCES, name, dataclasses.replace(registry.get(name), version=99)
        )
    args = ["--data-dir", str(mirrored.data_dir)]
    monkeypatch.setenv("JOBMARKET_MIRROR", str(mirrored.mirror))
    monkeypatch.setenv("JOBMARKET_INDEED_COUNTRIES", ",".join(mirrored.indeed_countries))
    monkeypatch.setenv(
        "JOBMARKET_INDEED_SECTOR_COUNTRIES", ",".join(mirrored.indeed_sector_countries)
    )
    assert main(["refresh", "--quiet", *args]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    line = next(x for x in out.splitlines() if x.startswith("indeed: failed"))
    assert line.startswith("indeed: failed (unexpected RuntimeError at etl/pipeline.py:")
    assert ": File 'x' is encrypted, password required) in " in line  # one line
    manifest = json.loads(mirrored.manifest_path.read_text())
    assert manifest["sources"]["aijobs"]["version"] == 99  # the others' work is published
    assert manifest["sources"]["indeed"]["status"] == "failed"
    after = _version_bytes(mirrored)
    for table in ("sector_openings.parquet", "sector_titles.parquet"):
        assert after[table] == before[table]  # indeed's own tables kept byte for byte
    old, new = (
        pd.read_parquet(_bytes(files["openings.parquet"])).query("source == 'indeed'")
        for files in (before, after)
    )
    pd.testing.assert_frame_equal(old.reset_index(drop=True), new.reset_index(drop=True))
    failures = json.loads(catalog.failures_path(mirrored.data_dir).read_text())
    assert failures["indeed"]["last_error"].startswith("unexpected RuntimeError at etl/")
    assert main(["status", *args]) == 0
    assert "password required" in capsys.readouterr().out


# --- a processed link that dangles or loops ---------------------------------------------------


def _loop(link: Path) -> None:
    link.unlink()
    link.symlink_to(link.name)  # processed -> processed


def test_a_looping_link_is_repaired_to_the_newest_complete_version(
    seeded: config.Settings, capsys
) -> None:
    version = seeded.processed_dir.resolve()
    before = _version_bytes(seeded)
    _loop(seeded.processed_dir)
    args = ["--data-dir", str(seeded.data_dir)]
    assert main(["status", *args]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: {seeded.processed_dir} is a symlink loop (processed); run: python -m etl "
        f"refresh (it points it back at {version.name}, the newest complete version)\n"
    )
    lines: list[str] = []
    report = refresh(["seed"], seeded, log=lines.append)
    assert not report.failed
    assert any("is a symlink loop (processed): repaired" in line for line in lines)
    assert seeded.processed_dir.resolve().parent == seeded.versions_dir
    assert report.version == version.name and _version_bytes(seeded) == before  # unchanged
    assert main(["status", *args]) == 0


def test_a_dangling_link_with_nothing_to_point_at_is_refused_before_any_work(
    seeded: config.Settings, capsys, monkeypatch
) -> None:
    version = seeded.processed_dir.resolve()
    for path in seeded.versions_dir.iterdir():
        if path.is_dir():
            shutil.rmtree(path)
    assert not version.exists()
    seed = registry.get("seed")

    def never(raw, settings):  # refused before normalizing: this is never called
        raise AssertionError("normalized")

    monkeypatch.setitem(registry.SOURCES, "seed", dataclasses.replace(seed, normalize=never))
    args = ["--data-dir", str(seeded.data_dir)]
    assert main(["refresh", "seed", "--quiet", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Refresh every source (python -m etl refresh)" in err
    assert main(["status", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {seeded.processed_dir} points at a missing version")
    assert "run: python -m etl refresh (it publishes a new version from every source)" in err


def test_a_full_refresh_over_a_looping_link_with_no_version_left_rebuilds(
    mirrored: config.Settings,
) -> None:
    shutil.rmtree(mirrored.versions_dir)
    _loop(mirrored.processed_dir)
    report = refresh(None, mirrored, force=True, log=quiet)
    assert not report.failed and report.version
    assert catalog.link_problem(mirrored.data_dir) is None
    assert catalog.read_manifest(mirrored.processed_dir).version == report.version


# --- a mirror link that loops or dangles --------------------------------------------------------


def test_a_gz_that_is_a_symlink_loop_is_named_as_one(tmp_path) -> None:
    settings = config.load(data_dir=tmp_path / "data", mirror=tmp_path / "m")
    folder = tmp_path / "m" / "bls-oews"
    folder.mkdir(parents=True)
    for name, body in oews_raw(OEWS_DATA).items():
        if name != "oe.data.0.Current":
            (folder / name).write_bytes(body)
    gz = folder / "oe.data.0.Current.gz"
    gz.symlink_to(gz.name)
    result = refresh(["bls_oews"], settings, log=quiet).results[0]
    assert result.error == (
        f"{gz} is a symlink loop (its links point back at each other); fix or remove the link"
    )
    gz.unlink()
    gz.symlink_to("gone.gz")
    result = refresh(["bls_oews"], settings, log=quiet).results[0]
    assert result.error == f"{gz} is a link to a missing file (gone.gz)"


# --- Ctrl-C ---------------------------------------------------------------------------------


def test_ctrl_c_says_in_one_line_that_the_published_data_is_intact(
    seeded: config.Settings, monkeypatch, capsys
) -> None:
    before = _version_bytes(seeded)
    seed = registry.get("seed")

    def interrupted(raw, settings):
        raise KeyboardInterrupt

    monkeypatch.setitem(registry.SOURCES, "seed", dataclasses.replace(seed, normalize=interrupted))
    args = ["refresh", "seed", "--force", "--quiet", "--data-dir", str(seeded.data_dir)]
    assert main(args) == 130
    err = capsys.readouterr().err
    assert err == (
        "interrupted: the refresh stopped; the published data is intact (version "
        f"{seeded.processed_dir.resolve().name}): a version is swapped in whole or not at all\n"
    )
    assert _version_bytes(seeded) == before
    assert not (seeded.raw_dir / ".incoming").exists()
    monkeypatch.setitem(registry.SOURCES, "seed", seed)
    assert main(args) == 0  # the lock was released


def test_ctrl_c_in_a_real_process_leaves_no_traceback_and_no_half_version(
    seeded: config.Settings,
) -> None:
    before = _version_bytes(seeded)
    env = {**os.environ, "JOBMARKET_SLOW_WRITE_SECONDS": "1"}
    cmd = [sys.executable, "-m", "etl", "refresh", "seed", "--force", "--quiet"]
    proc = subprocess.Popen(
        [*cmd, "--data-dir", str(seeded.data_dir)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(seeded.versions_dir.glob(".building-*")) and time.monotonic() < deadline:
        time.sleep(0.05)  # until it is writing the new version
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in out + err
    assert (
        err.strip()
        .splitlines()[-1]
        .startswith("interrupted: the refresh stopped; the published data is intact")
    )
    assert _version_bytes(seeded) == before
    assert not list(seeded.versions_dir.glob(".building-*"))


# --- stale half-written versions --------------------------------------------------------------


def test_stale_building_folders_go_at_the_next_refresh_unless_a_live_refresh_holds_the_lock(
    seeded: config.Settings,
) -> None:
    stale = seeded.versions_dir / ".building-20200101T000000000000Z-999999"
    (stale / "sub").mkdir(parents=True)
    (stale / "sub" / "x.parquet").write_bytes(b"half")
    link_tmp = seeded.data_dir / ".processed.999999.tmp"
    link_tmp.symlink_to("nowhere")
    with filelock.FileLock(str(seeded.lock_path)):  # a live refresh: its folders are its own
        with pytest.raises(RefreshLocked):
            refresh(["seed"], seeded, log=quiet)
        assert stale.is_dir()
    lines: list[str] = []
    assert not refresh(["seed"], seeded, log=lines.append).failed
    assert not stale.exists() and not os.path.lexists(link_tmp)
    assert "removed 2 half-written folder(s) a stopped refresh left behind" in lines


# --- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "JOBMARKET_INDEED_SECTOR_COUNTRIES",
            "US,U\u0405",
            "error: JOBMARKET_INDEED_SECTOR_COUNTRIES='US,U\u0405': 'U\u0405' (U+0055 U+0405) "
            "is not an ISO 3166-1 alpha-2 code (or EA)",
        ),
        (
            "JOBMARKET_INDEED_COUNTRIES",
            "US,XQ,ZZ",
            "error: JOBMARKET_INDEED_COUNTRIES='US,XQ,ZZ': 'XQ', 'ZZ' are not ISO 3166-1 alpha-2 "
            "codes (or EA)",
        ),
        (
            "JOBMARKET_INDEED_COUNTRIES",
            "US,us",
            "error: JOBMARKET_INDEED_COUNTRIES='US,us' lists ['US'] twice",
        ),
        ("JOBMARKET_MAX_FILE_MB", "lots", "error: JOBMARKET_MAX_FILE_MB='lots' is not a number"),
        ("JOBMARKET_MAX_FILE_MB", "0", "error: JOBMARKET_MAX_FILE_MB='0' is out of range"),
    ],
)
def test_a_bad_list_or_cap_setting_exits_2_in_one_line(
    name, value, message, monkeypatch, tmp_path, capsys
) -> None:
    monkeypatch.setenv(name, value)
    assert main(["refresh", "indeed", "--data-dir", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1
    assert not (tmp_path / "d").exists()  # refused before anything is done


def test_a_rejected_code_shows_the_code_points_of_look_alike_letters() -> None:
    assert countries.shown("U\u0405") == "'U\u0405' (U+0055 U+0405)"
    assert countries.shown("ZZ") == "'ZZ'"
