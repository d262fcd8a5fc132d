"""A local S3-compatible server for the tests: moto's server mode on 127.0.0.1, in its own process.

Nothing is downloaded: moto is a PyPI package (requirements-scale.txt). `running()` starts it on a
free port, waits until it answers, and stops it on the way out, failure or not.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

# Test credentials: moto accepts any; the tests check that these never reach a log or a page.
KEY_ID = "AKIATESTJOBMARKET0001"
SECRET = "jobmarket-test-secret-do-not-print-9f3b"
REGION = "us-east-1"


@dataclass(frozen=True)
class S3Server:
    """A running server: its endpoint and the AWS variables that point a client at it."""

    endpoint: str
    pid: int

    def env(self, **extra: str) -> dict[str, str]:
        return {
            "AWS_ACCESS_KEY_ID": KEY_ID,
            "AWS_SECRET_ACCESS_KEY": SECRET,
            "AWS_REGION": REGION,
            "AWS_ENDPOINT_URL": self.endpoint,
            # Never ask the EC2 metadata service for credentials (it would wait on a timeout).
            "AWS_EC2_METADATA_DISABLED": "true",
            **extra,
        }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


@contextlib.contextmanager
def running(timeout: float = 30) -> Iterator[S3Server]:
    """moto's server on 127.0.0.1 for the duration of the block."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group: stopped whole, never by name
    )
    try:
        deadline = time.monotonic() + timeout
        while not _answers(port):
            if proc.poll() is not None:
                raise RuntimeError(f"moto's server exited with {proc.returncode} on start")
            if time.monotonic() > deadline:
                raise RuntimeError(f"moto's server did not answer on port {port} in {timeout} s")
            time.sleep(0.05)
        yield S3Server(endpoint=f"http://127.0.0.1:{port}", pid=proc.pid)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
