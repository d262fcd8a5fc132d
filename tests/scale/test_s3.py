"""Object storage both ways on a local S3 server (moto, started and stopped here): the ETL
publishes the seed and a real refresh to a bucket, the dashboard reads them back through DuckDB,
a publisher killed with SIGKILL or racing another never leaves readers on a half version, and bad
settings end in one line. Run by `make test-scale` (requirements-scale.txt)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from dashboard import data, fmt
from dashboard.data import core
from etl import catalog, objectstore
from tests.scale import s3_server

pytestmark = pytest.mark.scale
REPO = Path(__file__).resolve().parents[2]
APP = REPO / "dashboard" / "app.py"
BUCKET = "jobmarket"


@pytest.fixture(scope="module")
def s3() -> Iterator[s3_server.S3Server]:
    pytest.importorskip("moto", reason="moto is not installed: `make test-scale` installs it")
    pytest.importorskip("boto3", reason="boto3 is not installed: `make test-scale` installs it")
    with s3_server.running() as server, pytest.MonkeyPatch.context() as env:
        for name, value in server.env().items():
            env.setenv(name, value)
        env.delenv("AWS_ENDPOINT_URL_S3", raising=False)
        env.delenv("AWS_SESSION_TOKEN", raising=False)
        objectstore.client().create_bucket(Bucket=BUCKET)
        yield server


def etl(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """`python -m etl ARGS` in a subprocess, as a person runs it."""
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def publish(root: Path, uri: str, **env: str) -> subprocess.CompletedProcess:
    return etl("publish", "--to", uri, "--data-dir", str(root), env=env)


@pytest.fixture(scope="module")
def published(s3, seed_root: Path, real_data) -> dict[str, tuple[Path, str]]:
    """The seed and the session's real refresh, each published to its own prefix."""
    out = {}
    for kind, root in (("seed", seed_root), ("real", real_data.data_dir)):
        uri = f"s3://{BUCKET}/{kind}"
        done = publish(root, uri)
        assert done.returncode == 0, done.stderr
        assert (
            f"published version {catalog.read_manifest(root / 'processed').version}" in done.stdout
        )
        out[kind] = (root, uri)
    return out


def _every_table(root: Path | str, monkeypatch: pytest.MonkeyPatch) -> dict[str, pd.DataFrame]:
    """Each table of the current version as the data layer reads it, in a stable order."""
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(root))
    snap = data.current()
    out = {}
    for name in snap.manifest.tables:
        frame = core.run(core.table(snap.key, name), exact=True)
        out[name] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    return out


def test_the_seed_and_a_real_refresh_read_back_from_the_bucket_as_from_disk(published, monkeypatch):
    for kind, (root, uri) in published.items():
        local = _every_table(root, monkeypatch)
        remote = _every_table(uri, monkeypatch)
        assert data.current().key.startswith(f"{uri}/.versions/"), kind
        assert remote.keys() == local.keys() and len(local) > 5, kind
        for name in local:
            pd.testing.assert_frame_equal(remote[name], local[name], obj=f"{kind}.{name}")
    # The salary views on the bucket (the counts path too: nothing copied into memory).
    monkeypatch.setenv("JOBMARKET_MEMORY_ROWS", "0")
    query = data.SalaryQuery(countries=("US",), dedupe=False)
    answers = []
    for where in (published["real"][0], published["real"][1]):
        monkeypatch.setenv("JOBMARKET_DATA_DIR", str(where))
        key = data.current().key
        answers.append(data.salary_stats.uncached(key, query, "experience_level"))
    assert len(answers[0]) >= 4
    pd.testing.assert_frame_equal(answers[0], answers[1])


def test_the_salaries_page_renders_from_the_bucket(published, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from dashboard.pages import PAGES

    root, uri = published["real"]
    monkeypatch.setenv("JOBMARKET_DATA_DIR", uri)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["country"] = "GB"
    at.query_params["level"] = "Senior"
    at.run()
    at.switch_page(next(p.file for p in PAGES if p.path == "salaries")).run()
    assert not at.exception and not at.error
    frame = pd.read_parquet(root / "processed" / "salaries.parquet")
    rows = frame.loc[
        (frame["employee_residence"] == "GB")
        & (frame["experience_level"] == "Senior")
        & (frame["work_year"] == 2024)
        & ~frame["exact_duplicate"]
    ]
    shown = {m.label: m.value for m in at.metric}
    assert shown["Reports (n)"] == f"{len(rows):,}"
    assert shown["Median salary, 2024 (USD/year)"] == fmt.usd(rows["salary_usd"].median())


def complete(uri: str) -> str | None:
    """The version `uri` serves, checked whole: its pointer names a folder whose manifest lists
    the same tables, each present with the listed rows. Returns its data version (None before
    anything is published); raises AssertionError on a half version."""
    pointer = objectstore.read_pointer(uri)
    if pointer is None:
        return None
    folder = objectstore.version_location(uri, pointer)
    own = catalog.read_manifest(folder)
    assert own is not None, f"{folder} has no manifest"
    assert own.tables == catalog.Manifest(pointer).tables, folder
    for name in own.tables:
        rows = objectstore.dataset(f"{folder}/{own.file(name)}", False).count_rows()
        assert rows == own.rows(name), f"{folder}/{own.file(name)}: {rows} rows"
    return own.version


def test_a_publisher_killed_at_random_points_leaves_a_complete_old_or_new_version(
    s3, seed_root, tmp_path
):
    # Two local versions to publish in turn, so old and new are told apart.
    other = tmp_path / "other"
    done = etl("refresh", "seed", "--data-dir", str(other), "--quiet")
    assert done.returncode == 0, done.stderr
    roots = [seed_root, other]
    versions = {catalog.read_manifest(r / "processed").version for r in roots}
    uri = f"s3://{BUCKET}/killed"
    assert publish(seed_root, uri).returncode == 0
    seen: list[str] = []
    broken: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                seen.append(complete(uri))
            except AssertionError as exc:
                broken.append(str(exc))

    watcher = threading.Thread(target=reader)
    watcher.start()
    rng = random.Random(26)
    slow = {"JOBMARKET_SLOW_WRITE_SECONDS": "0.05"}  # ~0.6 s of uploads, then the pointer
    s3c, prefix = objectstore.client(), objectstore.split(uri)[1]

    def folders() -> set[str]:
        listed = s3c.list_objects_v2(Bucket=BUCKET, Prefix=f"{prefix}/.versions/")
        return {o["Key"].split("/")[2] for o in listed.get("Contents", [])}

    outcomes = []
    try:
        for attempt in range(12):
            before, pointer = folders(), objectstore.read_pointer(uri)["path"]
            proc = subprocess.Popen(
                [sys.executable, "-m", "etl", "publish", "--to", uri, "--data-dir"]
                + [str(roots[attempt % 2])],
                cwd=REPO,
                env={**os.environ, **slow},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 60
            while folders() <= before and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)  # until its first object lands: the uploads have begun
            time.sleep(rng.uniform(0.0, 0.8))  # anywhere in the uploads, the pointer, just after
            proc.kill()
            proc.wait()
            assert complete(uri) in versions
            swapped = objectstore.read_pointer(uri)["path"] != pointer
            outcomes.append((proc.returncode == -9, swapped))
        done = publish(roots[1], uri)  # a later publish still works after all those kills
        assert done.returncode == 0, done.stderr
    finally:
        stop.set()
        watcher.join()
    killed = [swapped for was_killed, swapped in outcomes if was_killed]
    assert len(killed) >= 10, outcomes
    assert killed.count(False) >= 5, outcomes  # most kills land before the pointer is written
    assert not broken, broken[:3]
    assert len(seen) > 50 and set(seen) <= versions
    assert complete(uri) == catalog.read_manifest(roots[1] / "processed").version


def test_two_publishers_at_once_cannot_interleave(s3, seed_root, tmp_path):
    other = tmp_path / "other"
    assert etl("refresh", "seed", "--data-dir", str(other), "--quiet").returncode == 0
    # 0.3 s per file: each upload takes ~3 s, far longer than the two start-ups differ.
    slow = {**os.environ, "JOBMARKET_SLOW_WRITE_SECONDS": "0.3"}
    for uri in (f"s3://{BUCKET}/race-fresh", f"s3://{BUCKET}/race-existing"):
        if uri.endswith("existing"):
            assert publish(seed_root, uri).returncode == 0
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "etl", "publish", "--to", uri, "--data-dir", str(root)],
                cwd=REPO,
                env=slow,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for root in (seed_root, other)
        ]
        results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
        codes = sorted(code for code, _, _ in results)
        assert codes == [0, 3], results
        loser = next(err for code, _, err in results if code == 3)
        assert loser.startswith("error: another publisher made a new version current")
        assert loser.count("\n") == 1
        winner = next(out for code, out, _ in results if code == 0)
        folder = winner.split(f"{uri}/", 1)[1].split(":", 1)[0]
        pointer = objectstore.read_pointer(uri)
        assert pointer["path"] == folder and complete(uri) == pointer["version"]
        prefix = objectstore.split(uri)[1]
        listed = objectstore.client().list_objects_v2(Bucket=BUCKET, Prefix=f"{prefix}/.versions/")
        folders = {o["Key"].split("/")[2] for o in listed.get("Contents", [])}
        assert folder.split("/")[1] in folders
        assert len(folders) == (2 if uri.endswith("existing") else 1)  # the loser's is removed


def _one_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert s3_server.SECRET not in done.stdout + done.stderr
    return done.stderr.strip()


def test_bad_settings_end_in_one_clear_line_on_the_cli_and_in_the_dashboard(
    s3, published, seed_root, monkeypatch
):
    nowhere = f"http://127.0.0.1:{s3_server.free_port()}"
    cases = {
        "wrong bucket": (
            "s3://no-such-bucket-26/x",
            {},
            "bucket 'no-such-bucket-26' does not exist",
        ),
        "no credentials": (
            f"s3://{BUCKET}/seed",
            {"AWS_SECRET_ACCESS_KEY": ""},
            "no S3 credentials: set AWS_SECRET_ACCESS_KEY",
        ),
        "unreachable": (
            f"s3://{BUCKET}/seed",
            {"AWS_ENDPOINT_URL": nowhere},
            f"cannot reach the S3 endpoint {nowhere}",
        ),
    }
    for case, (uri, env, words) in cases.items():
        started = time.monotonic()
        line = _one_line(publish(seed_root, uri, **env))
        assert line.startswith("error: ") and words in line, (case, line)
        assert time.monotonic() - started < 30, case
        # The dashboard says the same in one line, on its page and from its data layer.
        with monkeypatch.context() as m:
            for name, value in {**env, "JOBMARKET_DATA_DIR": uri}.items():
                m.setenv(name, value)
            started = time.monotonic()
            with pytest.raises(data.StorageError) as caught:
                data.current()
            assert words in str(caught.value) and "\n" not in str(caught.value), case
            assert time.monotonic() - started < 30, case
            from streamlit.testing.v1 import AppTest

            at = AppTest.from_file(str(APP), default_timeout=60).run()
            # md() escapes Markdown and keeps URLs from turning into links: undo both to compare.
            shown = [e.value.replace("\\", "").replace("\u2060", "") for e in at.error]
            assert len(shown) == 1 and words in shown[0], (case, shown)
            assert s3_server.SECRET not in shown[0] and not at.exception


def test_no_credential_reaches_the_bucket_or_the_cli_output(published, s3):
    s3c = objectstore.client()
    listed = s3c.list_objects_v2(Bucket=BUCKET, Prefix="seed/")
    texts = [
        s3c.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read()
        for o in listed["Contents"]
        if o["Key"].endswith(".json")
    ]
    assert len(texts) >= 2  # the pointer and the version's manifest
    for text in texts:
        assert s3_server.SECRET.encode() not in text and s3_server.KEY_ID.encode() not in text
        assert b"AWS_" not in text
    shown = json.loads(texts[-1]) if texts else {}
    assert "tables" in shown
    assert s3_server.SECRET not in repr(objectstore.settings())
    # `etl status` on the bucket names the version its pointer serves, and no credential.
    root, uri = published["seed"]
    shown = etl("status", "--data-dir", uri)
    version = catalog.read_manifest(root / "processed").version
    assert shown.returncode == 0 and f"data: {uri} -> version {version}" in shown.stdout
    assert s3_server.SECRET not in shown.stdout + shown.stderr


OFFLINE = """
import json, os, socket, sys
from pathlib import Path
from tests.scale import s3_server
try:
    socket.create_connection(("192.0.2.1", 443), timeout=2)
    sys.exit("the network is reachable: this check needs a namespace without it")
except OSError:
    pass
with s3_server.running() as server:
    os.environ.update(server.env(), JOBMARKET_DATA_DIR="s3://offline/seed")
    from etl import objectstore
    objectstore.client().create_bucket(Bucket="offline")
    objectstore.publish(Path(sys.argv[1]).resolve(), "s3://offline/seed", log=lambda _: None)
    from dashboard import data
    from dashboard.data import core
    snap = data.current()
    rows = {n: len(core.run(core.table(snap.key, n))) for n in snap.manifest.tables}
    con = core._catalog(snap.key, "duckdb")["con"].con
    found = con.sql("SELECT extension_name FROM duckdb_extensions() WHERE loaded").fetchall()
    loaded = [r[0] for r in found]
    print(json.dumps({"rows": rows, "loaded": loaded}))
"""


def test_the_bucket_is_read_with_no_network_but_the_local_server(s3, seed_root):
    # A network namespace with only loopback up: nothing can be fetched from anywhere else.
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("cannot make a network namespace here (unshare -n needs root)")
    script = f'ip link set lo up && {sys.executable} -c "$0" {seed_root / "processed"}'
    done = subprocess.run(
        ["unshare", "-n", "sh", "-c", script, OFFLINE],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    manifest = catalog.read_manifest(seed_root / "processed")
    assert got["rows"] == {name: manifest.rows(name) for name in manifest.tables}
    assert "httpfs" not in got["loaded"]
