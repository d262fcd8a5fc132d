"""The cluster launcher fails in one clear message with the process's log when a daemon does not
come up, and stops what it started (shell stand-ins: no Spark needed)."""

from __future__ import annotations

import subprocess

import pytest

from tests.scale import spark_cluster as standalone

pytestmark = pytest.mark.scale


def _cluster(tmp_path, command: str) -> standalone.Cluster:
    cluster = standalone.Cluster("spark://127.0.0.1:1", "http://127.0.0.1:1", "", tmp_path)
    with (tmp_path / "master.log").open("wb") as log:
        cluster.processes["master"] = subprocess.Popen(
            ["sh", "-c", command], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    return cluster


def test_a_daemon_that_exits_is_reported_with_its_code_and_log_tail(tmp_path):
    cluster = _cluster(tmp_path, "echo 'Address already in use: bind' ; exit 7")
    with pytest.raises(standalone.ClusterError) as caught:
        standalone._wait(cluster, "master", "ALIVE", lambda: False, timeout=30)
    message = str(caught.value)
    assert message.startswith("the Spark master exited with code 7 before ALIVE")
    assert message.endswith("Address already in use: bind")


def test_a_daemon_that_never_gets_ready_times_out_and_is_stopped(tmp_path):
    cluster = _cluster(tmp_path, "echo starting; exec sleep 60")
    with pytest.raises(standalone.ClusterError) as caught:
        standalone._wait(cluster, "master", "ALIVE", lambda: False, timeout=1)
    assert "was not ALIVE within 1 s" in str(caught.value)
    assert str(caught.value).endswith("starting")
    process = cluster.processes["master"]
    cluster.stop()
    assert process.poll() is not None and not cluster.processes
