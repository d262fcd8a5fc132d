"""etl.objectstore: settings from the AWS variables, the pointer and its conditional write, pruning,
and the one-line errors; moto in-process (`mock_aws`) where it is installed (requirements-scale)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from etl import objectstore
from etl.__main__ import main

SECRET = "unit-secret-never-shown-51c2"


def test_settings_come_from_the_standard_aws_variables_and_hide_the_secret():
    env = {
        "AWS_ACCESS_KEY_ID": "AKIAUNIT",
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_SESSION_TOKEN": "token-" + SECRET,
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_ENDPOINT_URL": "http://general:1",
        "AWS_ENDPOINT_URL_S3": "minio.local:9000/",
    }
    got = objectstore.settings(env)
    assert (got.key_id, got.region) == ("AKIAUNIT", "eu-west-1")
    assert got.endpoint == "https://minio.local:9000"  # the S3-specific one wins; https assumed
    assert SECRET not in repr(got)
    assert objectstore.settings({"AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "x"}).region == (
        "us-west-2"
    )
    bare = objectstore.settings({})
    assert (bare.region, bare.endpoint, bare.where) == ("us-east-1", None, "AWS S3 (us-east-1)")


def test_an_s3_address_splits_into_bucket_and_prefix_and_anything_else_is_refused():
    assert objectstore.split("s3://bucket/a/b/") == ("bucket", "a/b")
    assert objectstore.split("s3://bucket") == ("bucket", "")
    for bad in ("gs://bucket/x", "s3:///x", "/tmp/data"):
        with pytest.raises(objectstore.StorageError):
            objectstore.split(bad)


def test_the_pointer_names_a_version_folder_and_nothing_outside_versions():
    root = "s3://b/p"
    assert objectstore.version_location(root, {"path": ".versions/20260101T0Z-abc"}) == (
        "s3://b/p/.versions/20260101T0Z-abc"
    )
    # a copied version (aws s3 sync into processed/) has no path; a path that climbs is ignored
    assert objectstore.version_location(root, {}) == "s3://b/p/processed"
    assert objectstore.version_location(root, {"path": ".versions/../../x"}) == "s3://b/p/processed"


def test_sdk_errors_become_one_line_without_the_secret(monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    down = OSError("AWS Error NETWORK_CONNECTION during HeadObject operation: curlCode: 7")
    assert str(objectstore.arrow_error(down, "s3://b/x")) == (
        "cannot reach the S3 endpoint http://127.0.0.1:9 (reading s3://b/x); "
        "is AWS_ENDPOINT_URL(_S3) right?"
    )
    odd = OSError(f"weird failure\nquoting {SECRET}")
    line = str(objectstore.arrow_error(odd, "s3://b/x"))
    assert SECRET not in line and "\n" not in line and "weird failure" in line


def test_the_data_layer_never_fetches_a_duckdb_extension():
    from dashboard.data import core

    con = core._connect("duckdb").con
    settings = con.sql(
        "SELECT current_setting('autoinstall_known_extensions'), "
        "current_setting('autoload_known_extensions')"
    ).fetchall()[0]
    assert settings == (False, False)
    loaded = {
        row[0]
        for row in con.sql("SELECT extension_name FROM duckdb_extensions() WHERE loaded").fetchall()
    }
    assert "httpfs" not in loaded


def test_publish_refuses_bad_settings_in_one_line_before_any_request(
    seed_root, monkeypatch, capsys
):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    args = ["publish", "--data-dir", str(seed_root), "--to"]
    assert main([*args, "s3://bucket/x"]) == 2
    err = capsys.readouterr().err
    assert err == "error: no S3 credentials: set AWS_ACCESS_KEY_ID (see docs/scaling.md)\n"
    assert main([*args, "gs://bucket/x"]) == 2
    assert "is not an s3:// address" in capsys.readouterr().err
    monkeypatch.setenv("JOBMARKET_DATA_DIR", "s3://bucket/x")
    assert main(["publish", "--to", "s3://bucket/x"]) == 2
    assert "pass --data-dir DIR" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# With moto in-process


@pytest.fixture
def bucket(monkeypatch):
    moto = pytest.importorskip("moto", reason="moto is not installed (requirements-scale.txt)")
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUNIT")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    with moto.mock_aws():
        s3c = objectstore.client()
        s3c.create_bucket(Bucket="unit")
        yield s3c


def _version(folder: Path, version: str) -> Path:
    folder.mkdir(parents=True)
    pq.write_table(pa.table({"x": [1, 2, 3]}), folder / "a.parquet")
    manifest = {"version": version, "tables": {"a": {"rows": 3, "file": "a.parquet"}}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def _folders(s3c) -> list[str]:
    listed = s3c.list_objects_v2(Bucket="unit", Prefix="p/.versions/").get("Contents", [])
    return sorted({o["Key"].split("/")[2] for o in listed})


def _pointer(s3c) -> dict:
    return json.loads(s3c.get_object(Bucket="unit", Key="p/processed/manifest.json")["Body"].read())


def test_publish_uploads_the_version_then_points_at_it(bucket, tmp_path):
    done = objectstore.publish(_version(tmp_path / "v1", "v1"), "s3://unit/p", log=lambda _: None)
    pointer = _pointer(bucket)
    assert pointer["path"] == done.folder and pointer["version"] == "v1"
    assert pointer["tables"] == {"a": {"rows": 3, "file": "a.parquet"}}
    keys = {o["Key"] for o in bucket.list_objects_v2(Bucket="unit")["Contents"]}
    assert keys == {
        "p/processed/manifest.json",
        f"p/{done.folder}/a.parquet",
        f"p/{done.folder}/manifest.json",
    }
    assert SECRET not in json.dumps(pointer)


def test_a_stale_pointer_read_loses_and_leaves_nothing_behind(bucket, tmp_path, monkeypatch):
    first = objectstore.publish(_version(tmp_path / "v1", "v1"), "s3://unit/p", log=lambda _: None)
    # Another publisher swapped the pointer after this one read it: its ETag is stale (If-Match),
    # or it saw no pointer at all (If-None-Match: *). Either way its write is refused.
    for stale in ('"0123456789abcdef0123456789abcdef"', None):
        monkeypatch.setattr(objectstore, "_read_pointer", lambda *a, s=stale: (None, s))
        with pytest.raises(objectstore.PublishConflict, match="another publisher"):
            objectstore.publish(_version(tmp_path / f"v-{stale}", "v2"), "s3://unit/p")
        assert _pointer(bucket)["path"] == first.folder
        assert _folders(bucket) == [first.folder.split("/")[1]]  # its upload is removed


def test_pruning_keeps_the_newest_and_anything_newer_than_the_current(
    bucket, tmp_path, monkeypatch
):
    root = _version(tmp_path / "v", "v")
    for _ in range(4):  # too young to prune by default
        objectstore.publish(root, "s3://unit/p", log=lambda _: None)
    assert len(_folders(bucket)) == 4
    in_flight = "99991231T000000000000Z-ffffff"  # newer than any: a publish still uploading
    bucket.put_object(Bucket="unit", Key=f"p/.versions/{in_flight}/a.parquet", Body=b"x")
    monkeypatch.setattr(objectstore, "PRUNE_MIN_AGE_S", 0)
    done = objectstore.publish(root, "s3://unit/p", keep=2, log=lambda _: None)
    current = done.folder.split("/")[1]
    left = _folders(bucket)
    assert current in left and in_flight in left and len(left) == 3  # current + 1 older + in flight
    assert len(done.pruned) == 3 and all(name < current for name in done.pruned)


def test_an_upload_that_fails_midway_is_one_line_and_leaves_the_pointer(
    bucket, tmp_path, monkeypatch
):
    from boto3.exceptions import S3UploadFailedError

    first = objectstore.publish(_version(tmp_path / "v1", "v1"), "s3://unit/p", log=lambda _: None)

    def cut(*_args, **_kwargs):
        raise S3UploadFailedError(
            "Failed to upload a.parquet to unit/p/x: An error occurred (RequestTimeout) when "
            "calling the PutObject operation: the socket was not read from in time"
        )

    monkeypatch.setattr(bucket, "upload_file", cut)
    monkeypatch.setattr(objectstore, "client", lambda s3=None: bucket)
    with pytest.raises(objectstore.StorageError) as caught:
        objectstore.publish(_version(tmp_path / "v2", "v2"), "s3://unit/p")
    assert str(caught.value).startswith("an upload to s3://unit/p at AWS S3 (us-east-1) failed: ")
    assert "RequestTimeout" in str(caught.value) and "\n" not in str(caught.value)
    assert _pointer(bucket)["path"] == first.folder
