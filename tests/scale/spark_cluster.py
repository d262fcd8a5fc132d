"""A Spark standalone cluster on 127.0.0.1 (a master and a worker) from pyspark's own Spark.

    with spark_cluster.running(workdir) as cluster:
        os.environ["JOBMARKET_SPARK_MASTER"] = cluster.master_url

The master and the worker are `bin/spark-class` processes of the Spark that pyspark installs, each
in its own process group on free ports, with their logs and scratch space under `workdir`. They
are stopped on the way out of the `with` (a failure or Ctrl-C included), at interpreter exit if
that was skipped, and by the kernel if this process is killed outright (parent-death signal).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
START_TIMEOUT_S = 180.0  # two JVMs starting on a loaded 2-core machine
STOP_TIMEOUT_S = 15.0
HTTP_TIMEOUT_S = 60.0  # a status page answers in milliseconds, unless the machine is swamped
# Modest: the machine is shared. An application's executor asks 1 GiB by default.
WORKER_CORES = 2
WORKER_MEMORY = "1536m"
_PR_SET_PDEATHSIG = 1


class ClusterError(RuntimeError):
    """The cluster did not come up: what was awaited, and the tail of the process's log."""


def spark_home() -> Path:
    """The Spark distribution inside the installed pyspark package (bin/, jars/)."""
    import pyspark

    return Path(pyspark.__file__).resolve().parent


def free_ports(count: int) -> list[int]:
    """`count` distinct TCP ports nothing listens on now (the kernel's pick, all held until all
    are chosen; released before Spark binds them)."""
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind((HOST, 0))
        return [sock.getsockname()[1] for sock in socks]


def _die_with_parent() -> None:
    # Runs in the child before exec: if the test process is killed with SIGKILL (no cleanup
    # code runs), the kernel still sends the JVM a SIGTERM.
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Cluster:
    """A running master and worker: their addresses, logs and processes."""

    master_url: str
    ui_url: str
    worker_ui_url: str
    workdir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def status(self) -> dict[str, Any]:
        """The master's JSON status (workers, cores used, active and completed applications)."""
        return _json(f"{self.ui_url}/json/")

    def worker_status(self) -> dict[str, Any]:
        """The worker's JSON status (its executors, each with the application it runs for)."""
        return _json(f"{self.worker_ui_url}/json/")

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.workdir / f"{name}.log"
        text = path.read_text(errors="replace") if path.is_file() else "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM each process group (the worker first: it takes its executors down), then
        SIGKILL what is still there after STOP_TIMEOUT_S. Safe to call twice."""
        for name in ("worker", "master"):
            process = self.processes.pop(name, None)
            if process is None:
                continue
            _signal_group(process, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(STOP_TIMEOUT_S)
            _signal_group(process, signal.SIGKILL)  # executors the worker left behind, too
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(STOP_TIMEOUT_S)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)  # the process leads its own group (start_new_session)


def _environment(workdir: Path) -> dict[str, str]:
    conf = workdir / "conf"  # an empty conf dir: no spark-defaults.conf of the machine applies
    conf.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        SPARK_HOME=str(spark_home()),
        SPARK_CONF_DIR=str(conf),
        SPARK_LOCAL_IP=HOST,
        SPARK_LOCAL_DIRS=str(workdir / "local"),
        SPARK_WORKER_DIR=str(workdir / "work"),
        SPARK_LOG_DIR=str(workdir),
        SPARK_DAEMON_MEMORY="512m",
    )
    return env


def _launch(cluster: Cluster, name: str, args: list[str], env: dict[str, str]) -> None:
    log = (cluster.workdir / f"{name}.log").open("wb")
    with log:
        cluster.processes[name] = subprocess.Popen(
            [str(spark_home() / "bin" / "spark-class"), *args],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=cluster.workdir,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )


def _wait(cluster: Cluster, name: str, what: str, ready: Any, timeout: float) -> None:
    """Poll `ready()` until it is true; a process that exits or a timeout raises ClusterError
    with the log's tail."""
    deadline = time.monotonic() + timeout
    while True:
        process = cluster.processes[name]
        if process.poll() is not None:
            raise ClusterError(
                f"the Spark {name} exited with code {process.returncode} before {what}; "
                f"its log ({cluster.workdir / (name + '.log')}) ends:\n{cluster.log_tail(name)}"
            )
        with contextlib.suppress(OSError, ValueError):  # not listening yet, or half-written
            if ready():
                return
        if time.monotonic() > deadline:
            raise ClusterError(
                f"the Spark {name} was not {what} within {timeout:g} s; its log "
                f"({cluster.workdir / (name + '.log')}) ends:\n{cluster.log_tail(name)}"
            )
        time.sleep(0.5)


def start(workdir: Path, timeout: float = START_TIMEOUT_S) -> Cluster:
    """Start a master and a worker on free loopback ports; return once the worker has
    registered with the master. On any failure both are stopped before the error is raised."""
    workdir.mkdir(parents=True, exist_ok=True)
    master_port, ui_port, worker_port, worker_ui_port = free_ports(4)
    cluster = Cluster(
        master_url=f"spark://{HOST}:{master_port}",
        ui_url=f"http://{HOST}:{ui_port}",
        worker_ui_url=f"http://{HOST}:{worker_ui_port}",
        workdir=workdir,
    )
    atexit.register(cluster.stop)
    env = _environment(workdir)
    # The REST submission server would take a fixed port (6066); the tests submit nothing.
    (workdir / "master.properties").write_text("spark.master.rest.enabled false\n")
    try:
        _launch(
            cluster,
            "master",
            [
                "org.apache.spark.deploy.master.Master",
                *("--host", HOST, "--port", str(master_port), "--webui-port", str(ui_port)),
                *("--properties-file", str(workdir / "master.properties")),
            ],
            env,
        )
        _wait(cluster, "master", "ALIVE", lambda: cluster.status()["status"] == "ALIVE", timeout)
        _launch(
            cluster,
            "worker",
            [
                "org.apache.spark.deploy.worker.Worker",
                cluster.master_url,
                *("--host", HOST, "--port", str(worker_port)),
                *("--webui-port", str(worker_ui_port), "--work-dir", str(workdir / "work")),
                *("--cores", str(WORKER_CORES), "--memory", WORKER_MEMORY),
            ],
            env,
        )
        _wait(
            cluster,
            "worker",
            "registered with the master",
            lambda: any(w["port"] == worker_port for w in alive_workers(cluster.status())),
            timeout,
        )
    except BaseException:  # Ctrl-C while waiting included
        cluster.stop()
        raise
    return cluster


def alive_workers(status: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for w in status.get("workers", []) if w.get("state") == "ALIVE"]


@contextlib.contextmanager
def running(workdir: Path, timeout: float = START_TIMEOUT_S) -> Iterator[Cluster]:
    """A started cluster for the body of the `with`, stopped however the body ends."""
    cluster = start(workdir, timeout)
    try:
        yield cluster
    finally:
        cluster.stop()


def executors(ui_url: str, app_id: str) -> list[dict[str, Any]]:
    """The executors of application `app_id` from its driver's REST API (the driver included,
    with id "driver")."""
    url = f"{ui_url}/api/v1/applications/{app_id}/executors"
    try:
        return _json(url)
    except (urllib.error.URLError, TimeoutError) as exc:
        raise ClusterError(f"the driver's REST API at {url} did not answer: {exc}") from exc


def _json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT_S) as response:
        return json.load(response)
