"""Extraction: downloads with retries, and rejection of files that are not what was expected."""

from __future__ import annotations

import gzip
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from etl import config, registry
from etl.extract import MB, Copy, download, download_to, fetch, sha256
from etl.extract import staging_dir as extract_staging
from etl.pipeline import refresh
from etl.registry import get as source_of
from etl.sources.base import RawFile, SourceError, check_raw
from tests.fixtures.sources import AIJOBS_ROWS, aijobs_csv

CSV = RawFile(name="x.csv", url="", mirror_path="x.csv", required_columns=("a", "b"))


def test_check_raw_accepts_the_expected_table() -> None:
    check_raw(b"a,b\n1,2\n", CSV)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "the file is empty"),
        (b"<!DOCTYPE html><html>Not found</html>\n", "HTML/XML/JSON page"),
        (b"a,b\n1,2\n3,", "does not end with a newline"),
        (b"a,c\n1,2\n", "header lacks expected columns ['b']"),
        (b"a,b\n", "0 data rows"),
        ("a,b\n1,2\n".encode("utf-16"), "got UTF-16 text \\(little-endian"),
        ("a,b\n1,2\n".encode("utf-16-be"), "got binary data \\(NUL bytes"),
        (b"PK\x03\x04\x14\x00rest-of-an-xlsx", "got a zip archive \\(an Excel .xlsx renamed"),
        (b"\x1f\x8b\x08\x00gzip", "got gzip-compressed bytes"),
    ],
)
def test_check_raw_rejects_what_is_not_the_file(body: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message.replace("[", r"\[").replace("]", r"\]")):
        check_raw(body, CSV)


@pytest.fixture
def server() -> Iterator[tuple[str, list[int]]]:
    """A loopback HTTP server that fails the first GET of /flaky with 503, then serves CSV."""
    hits: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            hits.append(1)
            if self.path == "/flaky" and len(hits) == 1:
                self.send_response(503)
                self.end_headers()
                return
            if self.path == "/missing":
                self.send_response(404)
                self.end_headers()
                return
            if self.path == "/short":  # says 100 bytes, sends 8 and hangs up
                self.send_response(200)
                self.send_header("Content-Length", "100")
                self.end_headers()
                self.wfile.write(b"a,b\n1,2\n")
                return
            if self.path == "/announced-huge":
                self.send_response(200)
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
                return
            if self.path == "/endless":  # no length, 3 MB of rows
                self.send_response(200)
                self.end_headers()
                for _ in range(3 * 16):
                    self.wfile.write(b"1,2\n" * 16384)
                return
            if self.path == "/drip":  # a byte every 0.2 s: no single read ever times out
                self.send_response(200)
                self.end_headers()
                try:
                    for _ in range(200):
                        self.wfile.write(b"x")
                        self.wfile.flush()
                        time.sleep(0.2)
                except OSError:
                    pass
                return
            if self.path == "/page":  # a login or error page served with 200
                body = b"a,b\n1,2\n"
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            if self.path in ("/gzipped", "/brotli"):
                body = gzip.compress(b"a,b\n1,2\n")
                self.send_response(200)
                self.send_header("Content-Type", "text/csv")
                self.send_header("Content-Encoding", "gzip" if self.path == "/gzipped" else "br")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            if self.path == "/salaries/download/salaries.csv":  # the aijobs file, rebased
                body = aijobs_csv(AIJOBS_ROWS)
                self.send_response(200)
                self.send_header("Content-Type", "text/csv")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            if self.path == "/big":  # 10 MB with its length
                self.send_response(200)
                self.send_header("Content-Type", "text/csv")
                self.send_header("Content-Length", str(10 * 1024 * 1024))
                self.end_headers()
                for _ in range(10 * 16):
                    self.wfile.write(b"1,2\n" * 16384)
                return
            if self.path == "/garbage":
                self.wfile.write(b"HELLO THERE\r\n\r\n")
                return
            body = b"a,b\n1,2\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # polls for shutdown every 50 ms: the default 0.5 s was paid at every test's teardown
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", hits
    httpd.shutdown()


def test_download_retries_a_transient_failure(server: tuple[str, list[int]]) -> None:
    base, hits = server
    logs: list[str] = []
    assert download(f"{base}/flaky", timeout=5, retries=3, log=logs.append) == b"a,b\n1,2\n"
    assert len(hits) == 2
    assert "retry 1/2" in logs[0]


def test_download_does_not_retry_a_404(server: tuple[str, list[int]]) -> None:
    base, hits = server
    with pytest.raises(SourceError, match="download failed: .*/missing: HTTP 404 Not Found"):
        download(f"{base}/missing", timeout=5, retries=3, log=lambda _: None)
    assert len(hits) == 1


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/short", "RemoteProtocolError: peer closed connection without sending complete"),
        ("/garbage", "RemoteProtocolError"),
    ],
)
def test_a_broken_response_is_a_source_error_after_retries(server, path, message) -> None:
    base, hits = server
    with pytest.raises(SourceError, match=f"download failed: .*{path}: .*({message})"):
        download(f"{base}{path}", timeout=2, retries=2, log=lambda _: None)
    assert len(hits) == 2  # retried once


def test_a_download_past_its_cap_stops_without_retrying(server) -> None:
    base, hits = server
    with pytest.raises(SourceError, match="announced.*larger than the 1 MB cap"):
        download(f"{base}/announced-huge", timeout=2, retries=3, log=lambda _: None, cap=MB)
    with pytest.raises(SourceError, match="/endless is larger than the 1 MB cap"):
        download(f"{base}/endless", timeout=2, retries=3, log=lambda _: None, cap=MB)
    assert len(hits) == 2  # one request each: a bigger file will not shrink on a retry


def test_a_dripping_server_meets_the_overall_deadline(server) -> None:
    base, _ = server
    started = time.monotonic()
    with pytest.raises(SourceError, match="took longer than its deadline"):
        download(f"{base}/drip", timeout=0.3, retries=1, log=lambda _: None)
    # the deadline is ten reads' worth (3 s here), not the 40 s the server would drip for
    assert time.monotonic() - started < 20


def _mirror_settings(tmp_path):
    source = source_of("aijobs")
    target = tmp_path / config.DEFAULT_AIJOBS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    return source, source.files(config.load(data_dir=tmp_path / "d", mirror=tmp_path))[0], target


def test_a_mirror_path_that_is_no_regular_file_is_refused_unread(tmp_path) -> None:
    source, raw, target = _mirror_settings(tmp_path)
    settings = config.load(data_dir=tmp_path / "d", mirror=tmp_path)
    os.symlink("/dev/zero", target)
    with pytest.raises(SourceError, match="is not a regular file"):
        fetch(source, raw, settings, lambda _: None)
    target.unlink()
    os.mkfifo(target)  # reading a FIFO nobody writes would block for ever
    with pytest.raises(SourceError, match="is not a regular file"):
        fetch(source, raw, settings, lambda _: None)


def test_a_mirror_file_over_the_cap_is_refused(tmp_path, monkeypatch) -> None:
    source, raw, target = _mirror_settings(tmp_path)
    settings = config.load(data_dir=tmp_path / "d", mirror=tmp_path)
    target.write_bytes(b"x" * (2 * MB))
    monkeypatch.setenv("JOBMARKET_MAX_FILE_MB", "1")
    with pytest.raises(SourceError, match=r"\(2,097,152 bytes\) is larger than the 1 MB cap"):
        fetch(source, raw, settings, lambda _: None)


def test_a_web_page_is_refused_by_its_content_type_without_retrying(server) -> None:
    base, hits = server
    with pytest.raises(SourceError, match="the server sent text/html, not a data file"):
        download(f"{base}/page", timeout=2, retries=3, log=lambda _: None)
    assert len(hits) == 1


def test_a_gzip_encoded_body_is_decoded_and_an_unknown_encoding_refused(server) -> None:
    base, _ = server
    assert download(f"{base}/gzipped", timeout=2, retries=1, log=lambda _: None) == b"a,b\n1,2\n"
    with pytest.raises(SourceError, match="content encoded as 'br', which cannot be decoded"):
        download(f"{base}/brotli", timeout=2, retries=1, log=lambda _: None)


def test_a_source_pointed_at_a_local_server_downloads_through_it(server, tmp_path, monkeypatch):
    base, _ = server
    settings = config.load(data_dir=tmp_path / "data")  # no mirror: a real download
    monkeypatch.setenv("JOBMARKET_BASE_URL_AIJOBS", base)
    report = refresh(["aijobs"], settings, log=lambda _: None)
    assert not report.failed
    files = report.results[0].entry["files"]
    assert files["salaries.csv"]["from"] == f"{base}/salaries/download/salaries.csv"
    before = settings.manifest_path.read_bytes()
    monkeypatch.setenv("JOBMARKET_BASE_URL_AIJOBS", f"{base}/elsewhere")  # serves another CSV
    report = refresh(["aijobs"], settings, log=lambda _: None)
    assert report.failed[0].error.startswith("salaries.csv: header lacks expected columns")
    assert settings.manifest_path.read_bytes() == before  # the good download stays published


def test_a_large_body_comes_back_whole_written_to_disk_as_it_arrives(server, tmp_path) -> None:
    base, _ = server
    target = tmp_path / "big.csv"
    with open(target, "wb") as handle:
        copy = Copy(handle, 20 * MB, f"{base}/big")
        download_to(f"{base}/big", copy, timeout=5, retries=1, log=lambda _: None)
        assert handle.tell() == 10 * MB  # every chunk went to the file as it came
    assert target.read_bytes() == b"1,2\n" * (10 * MB // 4)
    assert copy.size == 10 * MB and copy.digest.hexdigest() == sha256(target.read_bytes())
    assert copy.shape.newlines == 10 * MB // 4 and copy.shape.last == b"\n"
    body = download(f"{base}/big", timeout=5, retries=1, log=lambda _: None, cap=20 * MB)
    assert body == target.read_bytes()  # the convenience that hands over bytes


def _mirror_oews(root, data: bytes) -> config.Settings:
    """A mirror holding the OEWS fixture, its data file gzipped as the real mirror keeps it."""
    from tests.fixtures.sources import oews_raw

    settings = config.load(data_dir=root / "data", mirror=root / "m")
    (root / "m" / "bls-oews").mkdir(parents=True)
    for name, body in oews_raw(data).items():
        if name == "oe.data.0.Current":
            (root / "m" / "bls-oews" / f"{name}.gz").write_bytes(gzip.compress(body))
        else:
            (root / "m" / "bls-oews" / name).write_bytes(body)
    return settings


def test_the_snapshot_is_normalized_from_disk_and_kept_only_once_published(
    tmp_path, monkeypatch
) -> None:
    from etl.sources.bls_oews import reader
    from tests.fixtures.sources import OEWS_DATA

    settings = _mirror_oews(tmp_path, OEWS_DATA)
    source = source_of("bls_oews")
    staged = extract_staging(settings, source)
    opened: list[str] = []
    real_osfile, real_normalize = reader.pa.OSFile, source.normalize

    def osfile(path, *args, **kwargs):
        opened.append(str(path))
        return real_osfile(path, *args, **kwargs)

    def normalize(raw, settings_):
        # a path per file, in the staging folder; the kept copy is not there yet
        assert all(p.parent == staged and p.is_file() for p in raw.values()), raw
        assert not (settings.raw_dir / "bls_oews").exists()
        return real_normalize(raw, settings_)

    monkeypatch.setattr(reader.pa, "OSFile", osfile)
    monkeypatch.setitem(registry.SOURCES, "bls_oews", replace(source, normalize=normalize))
    report = refresh(["bls_oews"], settings, log=lambda _: None)
    assert not report.failed, report.failed[0].error
    assert opened == [str(staged / "oe.data.0.Current")]  # the gzip is opened once, to read it
    kept = settings.raw_dir / "bls_oews"
    assert (kept / "oe.data.0.Current").read_bytes()[:2] == b"\x1f\x8b"  # kept as it came
    sums = dict(line.split("  ")[::-1] for line in (kept / "SHA256SUMS").read_text().splitlines())
    assert sums["oe.data.0.Current"] == sha256((kept / "oe.data.0.Current").read_bytes())
    assert not (settings.raw_dir / ".incoming").exists()  # the staging folder is cleared


def test_a_refused_snapshot_never_replaces_the_kept_copy(tmp_path) -> None:
    from tests.fixtures.sources import OEWS_DATA

    settings = _mirror_oews(tmp_path, OEWS_DATA)
    assert not refresh(["bls_oews"], settings, log=lambda _: None).failed
    kept = settings.raw_dir / "bls_oews"
    before = {p.name: p.read_bytes() for p in kept.iterdir()}
    cut = gzip.compress(OEWS_DATA)[:-40]  # a cut download: refused when it is read
    (tmp_path / "m" / "bls-oews" / "oe.data.0.Current.gz").write_bytes(cut)
    result = refresh(["bls_oews"], settings, log=lambda _: None).results[0]
    assert result.status == "failed" and "gzip body is cut short" in str(result.error)
    assert {p.name: p.read_bytes() for p in kept.iterdir()} == before
    assert not (settings.raw_dir / ".incoming").exists()
