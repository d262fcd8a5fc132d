"""Extraction: downloads with retries, and rejection of files that are not what was expected."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from etl.extract import download
from etl.sources.base import RawFile, SourceError, check_raw

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
            body = b"a,b\n1,2\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
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
    with pytest.raises(SourceError, match="download failed: .*/missing: HTTP Error 404"):
        download(f"{base}/missing", timeout=5, retries=3, log=lambda _: None)
    assert len(hits) == 1
