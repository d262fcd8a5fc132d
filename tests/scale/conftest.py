"""Scale fixtures: synthetic rows in two layouts, and a Spark standalone cluster on 127.0.0.1.

- `roots`: JOBMARKET_SCALE_ROWS (1,000,000) synthetic rows resampled from the real aijobs.net
  snapshot in ../shared/datasets (as `make bench` does), published once per session.
- `spark_cluster`: started on first use by `make test-scale`, stopped when the session ends,
  whether the tests pass, fail or are interrupted (tests/scale/spark_cluster.py). Skips with the
  reason when pyspark or Java is missing.
- `on_cluster`: the data layer's Spark engine pointed at the cluster for one module; the Spark
  session is stopped on the way in and out, because a process holds one session and would
  otherwise keep the previous master.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from bench import scale
from dashboard.data import core
from etl import config
from tests.scale import spark_cluster as standalone

MIRROR = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
ROWS = int(os.environ.get("JOBMARKET_SCALE_ROWS", "1000000"))


def _need_spark() -> None:
    pytest.importorskip("pyspark", reason="pyspark is not installed: `make test-scale` installs it")
    if shutil.which("java") is None:
        pytest.skip("no java on PATH: Spark needs Java 17 or later")


@pytest.fixture(scope="session")
def spark_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[standalone.Cluster]:
    _need_spark()
    with standalone.running(tmp_path_factory.mktemp("spark-cluster")) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def on_cluster(spark_cluster: standalone.Cluster) -> Iterator[str]:
    with pytest.MonkeyPatch.context() as patch:
        # The driver (this process) binds the loopback address, as the master and worker do.
        patch.setenv("SPARK_LOCAL_IP", standalone.HOST)
        patch.setenv(core.SPARK_MASTER_ENV, spark_cluster.master_url)
        core.stop_spark()
        try:
            yield spark_cluster.master_url
        finally:
            core.stop_spark()


@pytest.fixture(scope="session")
def roots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """SCALE_ROWS synthetic rows (`rows`, a DataFrame) published as one sorted file (`single`)
    and as the same version with salaries in a year-partitioned folder (`partitioned`)."""
    if not (MIRROR / config.load().aijobs_file).is_file():
        pytest.skip(f"no aijobs snapshot under {MIRROR}: the synthetic rows resample real ones")
    base = tmp_path_factory.mktemp("scale")
    frame = scale.synthetic(scale.real_salaries(MIRROR), ROWS)
    scale.publish(frame, base / "single")
    # The same version with salaries as a folder partitioned by year, as a cluster would hold it.
    shutil.copytree(base / "single", base / "partitioned", symlinks=True)
    version = (base / "partitioned" / "processed").resolve()
    rows = pq.read_table(version / "salaries.parquet")
    (version / "salaries.parquet").unlink()
    ds.write_dataset(
        rows,
        version / "salaries",
        format="parquet",
        partitioning=["work_year"],
        partitioning_flavor="hive",
    )
    manifest = json.loads((version / "manifest.json").read_text())
    manifest["tables"]["salaries"]["file"] = "salaries"
    (version / "manifest.json").write_text(json.dumps(manifest))
    return {"single": base / "single", "partitioned": base / "partitioned", "rows": frame}
