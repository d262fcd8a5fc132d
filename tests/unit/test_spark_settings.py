"""A Spark master that does not answer ends in one line naming the setting and the address, fast:
in the data layer, on a dashboard page and in the scale bench's CLI. No Spark is needed."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from bench import scale
from dashboard.data import core

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (the kernel's pick, released at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def listening() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def _one_line_naming(message: str, setting: str, address: str) -> None:
    assert "\n" not in message and "Traceback" not in message, message
    assert setting in message and address in message, message


def test_an_unreachable_master_is_reported_at_once_with_the_setting_and_address(
    monkeypatch, closed_port
):
    master = f"spark://127.0.0.1:{closed_port}"
    monkeypatch.setenv(core.SPARK_MASTER_ENV, master)
    started = time.monotonic()
    with pytest.raises(core.EngineError) as caught:
        core.check_spark_master()
    assert time.monotonic() - started < 3
    _one_line_naming(str(caught.value), f"JOBMARKET_SPARK_MASTER={master}", "cannot be reached")
    assert "start Spark there or correct the setting" in str(caught.value)


def test_the_data_layer_stops_before_starting_spark(monkeypatch, closed_port, seed_root):
    # _connect checks the master before it imports pyspark: the same line with or without it.
    monkeypatch.setenv(core.SPARK_MASTER_ENV, f"spark://127.0.0.1:{closed_port}")
    monkeypatch.setenv(core.ENGINE_ENV, "spark")
    monkeypatch.setenv(core.DATA_ENV, str(seed_root))
    key = core.current().key
    with pytest.raises(core.EngineError, match=f"127.0.0.1:{closed_port}"):
        core.check_engine(key)
    assert (key, "spark") not in core._CATALOGS  # nothing half-open is kept: a reload retries


def test_a_master_that_answers_passes_and_local_needs_no_check(monkeypatch, listening):
    for master in (f"spark://127.0.0.1:{listening}", "local[*]", "local[2]", ""):
        monkeypatch.setenv(core.SPARK_MASTER_ENV, master)
        core.check_spark_master()  # raises nothing
    # Standby masters: one that answers is enough.
    monkeypatch.setenv(core.SPARK_MASTER_ENV, f"spark://127.0.0.1:1,127.0.0.1:{listening}")
    core.check_spark_master()


@pytest.mark.parametrize(
    ("master", "addresses"),
    [
        ("spark://10.0.0.5:7077", [("10.0.0.5", 7077)]),
        ("spark://spark-master", [("spark-master", 7077)]),
        ("spark://a:7077,b:7078", [("a", 7077), ("b", 7078)]),
        ("sc://connect.example:15002/;token=x", [("connect.example", 15002)]),
        ("sc://connect.example", [("connect.example", 15002)]),
        ("spark://[::1]:7077", [("::1", 7077)]),
        ("local[*]", []),
        ("yarn", []),
    ],
)
def test_master_urls_name_their_addresses(master, addresses):
    assert core.spark_addresses(master) == addresses


def test_a_master_url_with_a_bad_port_is_named(monkeypatch):
    monkeypatch.setenv(core.SPARK_MASTER_ENV, "spark://host:99999")
    with pytest.raises(core.EngineError) as caught:
        core.check_spark_master()
    _one_line_naming(str(caught.value), "JOBMARKET_SPARK_MASTER=spark://host:99999", "host:7077")


class _Builder:
    """Stands in for SparkSession.builder: records the master, returns `session` or raises."""

    def __init__(self, session=None, error: Exception | None = None) -> None:
        self.session, self.error, self.asked = session, error, {}

    @property
    def builder(self) -> _Builder:
        return self

    def appName(self, name: str) -> _Builder:  # noqa: N802 (Spark's spelling)
        self.asked["app"] = name
        return self

    def master(self, url: str) -> _Builder:
        self.asked["master"] = url
        return self

    def getOrCreate(self):  # noqa: N802
        if self.error:
            raise self.error
        return self.session


class _NoExecutors:
    """A session whose cluster never gives it an executor: the tracker lists the driver only."""

    def __init__(self) -> None:
        tracker = SimpleNamespace(getExecutorInfos=lambda: ["driver"])
        context = SimpleNamespace(sc=lambda: SimpleNamespace(statusTracker=lambda: tracker))
        self.sparkContext = SimpleNamespace(_jsc=context)
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


def test_a_cluster_that_gives_no_executor_is_reported_not_waited_on(monkeypatch):
    monkeypatch.setenv(core.SPARK_MASTER_ENV, "spark://127.0.0.1:7077")
    monkeypatch.setattr(core, "SPARK_EXECUTOR_WAIT_S", 0.3)
    session = _NoExecutors()
    with pytest.raises(core.EngineError) as caught:
        core.spark_session(_Builder(session))
    _one_line_naming(str(caught.value), "spark://127.0.0.1:7077", "no executor started")
    assert session.stopped  # the application is given back to the master


def test_spark_failing_to_start_is_one_line(monkeypatch):
    monkeypatch.setenv(core.SPARK_MASTER_ENV, "local[*]")
    error = RuntimeError("[JAVA_GATEWAY_EXITED] Java gateway process exited.\n\tat java...")
    with pytest.raises(core.EngineError) as caught:
        core.spark_session(_Builder(error=error))
    assert str(caught.value) == (
        "JOBMARKET_ENGINE=spark: Spark did not start on local[*]: "
        "[JAVA_GATEWAY_EXITED] Java gateway process exited."
    )


def test_the_page_says_so_in_one_line_instead_of_a_traceback(monkeypatch, closed_port, seed_root):
    master = f"spark://127.0.0.1:{closed_port}"
    monkeypatch.setenv(core.SPARK_MASTER_ENV, master)
    monkeypatch.setenv(core.ENGINE_ENV, "spark")
    monkeypatch.setenv(core.DATA_ENV, str(seed_root))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    [error] = at.error
    shown = error.value.replace("\\", "").replace("\u2060", "")  # md()'s escapes, invisible
    _one_line_naming(shown, f"JOBMARKET_SPARK_MASTER={master}", "cannot be reached")


def test_the_scale_bench_says_so_in_one_line_before_generating_rows(
    monkeypatch, closed_port, capsys
):
    master = f"spark://127.0.0.1:{closed_port}"
    monkeypatch.setenv(core.SPARK_MASTER_ENV, master)
    started = time.monotonic()
    assert scale.main(["--engine", "spark", "--rows", "1000"]) == 2
    assert time.monotonic() - started < 3
    out = capsys.readouterr()
    assert out.out == ""
    _one_line_naming(out.err.strip(), f"JOBMARKET_SPARK_MASTER={master}", "cannot be reached")


def test_a_jvm_error_is_named_by_its_java_exception_with_a_hint_for_a_master(monkeypatch):
    # What Spark says when something other than a Spark master answers at the port (measured:
    # about two minutes on a loaded machine, after Spark's own registration retries).
    monkeypatch.setenv(core.SPARK_MASTER_ENV, "spark://127.0.0.1:8080")
    error = RuntimeError("An error occurred while calling None.org.apache.spark.sql.SparkSession.")
    error.java_exception = (
        "java.lang.IllegalStateException: Cannot call methods on a stopped SparkContext.\n\tat …"
    )
    with pytest.raises(core.EngineError) as caught:
        core.spark_session(_Builder(error=error))
    message = str(caught.value)
    _one_line_naming(message, "spark://127.0.0.1:8080", "IllegalStateException")
    assert message.endswith(" master listening there?)") and "  " not in message


def test_an_unknown_engine_is_one_line_on_the_page(monkeypatch, seed_root):
    monkeypatch.setenv(core.ENGINE_ENV, "sparkk")
    monkeypatch.setenv(core.DATA_ENV, str(seed_root))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    [error] = at.error
    shown = error.value.replace("\\", "")  # md()'s escapes
    assert "JOBMARKET_ENGINE='sparkk' is not supported; use one of duckdb, spark" in shown
