"""Object storage (S3 or an S3-compatible server): settings from the AWS variables, reading, and
publishing a local version to a bucket with a pointer written last and conditionally.

Layout under a root `s3://bucket/prefix`:

    <root>/.versions/<publish-id>/   one version's tables and its manifest.json, uploaded first
    <root>/processed/manifest.json   the pointer: that manifest plus `path` (the version folder);
                                     written last, in one PUT that is conditional on the pointer
                                     being the one read when the publish began

A reader resolves the pointer once and reads only the folder it names, so a publish killed at any
point leaves readers on a complete version, and of two publishers that overlap only the first to
write the pointer wins: the other's write fails on its stale ETag and it says so.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

POINTER = "processed/manifest.json"
VERSIONS = ".versions"
KEEP_VERSIONS = 3
# A version younger than this is never pruned, whatever its place: a reader that resolved the
# pointer a moment ago may still be reading it.
PRUNE_MIN_AGE_S = 15 * 60
CONNECT_TIMEOUT_S = 5.0
REQUEST_TIMEOUT_S = 60.0
ATTEMPTS = 2  # a refused connection is said after two tries, not after the SDK's default ten


class StorageError(ValueError):
    """Object storage cannot be used as set up (no credentials, no such bucket, no answer), in
    one line that names no secret."""


class PublishConflict(StorageError):
    """Another publisher made its version current while this one uploaded."""


@dataclass(frozen=True)
class S3Settings:
    """What the standard AWS variables say; the secret and token never appear in a repr."""

    key_id: str | None
    secret: str | None = field(repr=False)
    token: str | None = field(repr=False)
    region: str
    endpoint: str | None  # a full URL (http://127.0.0.1:9000) or None for AWS itself

    @property
    def where(self) -> str:
        return self.endpoint or f"AWS S3 ({self.region})"


def settings(env: Mapping[str, str] | None = None) -> S3Settings:
    """The S3 settings from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
    AWS_REGION / AWS_DEFAULT_REGION and AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL."""
    env = os.environ if env is None else env
    endpoint = (env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL") or "").strip()
    if endpoint and "://" not in endpoint:
        endpoint = f"https://{endpoint}"
    return S3Settings(
        key_id=env.get("AWS_ACCESS_KEY_ID") or None,
        secret=env.get("AWS_SECRET_ACCESS_KEY") or None,
        token=env.get("AWS_SESSION_TOKEN") or None,
        region=(env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1").strip(),
        endpoint=endpoint.rstrip("/") or None,
    )


def is_s3(location: object) -> bool:
    """`s3://…` (or Spark's `s3a://…`): a root this module reads and writes."""
    return isinstance(location, str) and location.split("://", 1)[0] in ("s3", "s3a")


def split(uri: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix` as ("bucket", "some/prefix")."""
    if not is_s3(uri):
        raise StorageError(f"{uri} is not an s3:// address (s3://bucket/prefix)")
    rest = uri.split("://", 1)[1]
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise StorageError(f"{uri} names no bucket (s3://bucket/prefix)")
    return bucket, prefix.strip("/")


def _key(prefix: str, name: str) -> str:
    return f"{prefix}/{name}" if prefix else name


def _hint(s3: S3Settings) -> str:
    """Which setting names the endpoint that did not answer."""
    return "; is AWS_ENDPOINT_URL(_S3) right?" if s3.endpoint else "; check the network"


def _require_credentials(s3: S3Settings) -> None:
    if not (s3.key_id and s3.secret):
        missing = [
            n
            for n, v in (("AWS_ACCESS_KEY_ID", s3.key_id), ("AWS_SECRET_ACCESS_KEY", s3.secret))
            if not v
        ]
        raise StorageError(f"no S3 credentials: set {' and '.join(missing)} (see docs/scaling.md)")


# --------------------------------------------------------------------------------------------
# Reading (pyarrow's own S3 client: part of the pyarrow wheel, nothing fetched at query time)


def arrow_filesystem(s3: S3Settings | None = None) -> Any:
    """A pyarrow S3 filesystem on these settings, with short timeouts and two attempts."""
    from pyarrow import fs

    s3 = s3 or settings()
    _require_credentials(s3)
    options: dict[str, Any] = {}
    if s3.endpoint:
        scheme, _, host = s3.endpoint.partition("://")
        options = {"endpoint_override": host, "scheme": scheme, "force_virtual_addressing": False}
    return fs.S3FileSystem(
        access_key=s3.key_id,
        secret_key=s3.secret,
        session_token=s3.token,
        region=s3.region,
        connect_timeout=CONNECT_TIMEOUT_S,
        request_timeout=REQUEST_TIMEOUT_S,
        retry_strategy=fs.AwsStandardS3RetryStrategy(max_attempts=ATTEMPTS),
        **options,
    )


def arrow_error(exc: BaseException, uri: str, s3: S3Settings | None = None) -> StorageError:
    """A pyarrow S3 error as one line: what failed and where, never a secret or a traceback."""
    s3 = s3 or settings()
    text = " ".join(str(exc).split())
    bucket = split(uri)[0] if is_s3(uri) else uri
    lowered = text.lower()
    if "nosuchbucket" in lowered or "bucket does not exist" in lowered:
        return StorageError(f"bucket {bucket!r} does not exist at {s3.where}")
    unreachable = ("network_connection", "curl", "connect to server", "timed out", "resolve host")
    if any(words in lowered for words in unreachable):
        return StorageError(f"cannot reach the S3 endpoint {s3.where} (reading {uri}){_hint(s3)}")
    if "access denied" in lowered or "invalidaccesskeyid" in lowered or "signature" in lowered:
        return StorageError(
            f"S3 refused the credentials for bucket {bucket!r} at {s3.where}: check "
            "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY"
        )
    for secret in (s3.secret, s3.token):  # never echo a secret, whatever the SDK put in
        if secret:
            text = text.replace(secret, "***")
    return StorageError(f"S3 read of {uri} at {s3.where} failed: {text[:300]}")


def read_text(uri: str) -> str | None:
    """A small object's text (a manifest); None when it is missing and its bucket exists."""
    from pyarrow import fs

    s3 = settings()
    filesystem = arrow_filesystem(s3)
    bucket, key = split(uri)
    try:
        info = filesystem.get_file_info(f"{bucket}/{key}")
        if info.type != fs.FileType.File:
            if filesystem.get_file_info(bucket).type == fs.FileType.NotFound:
                raise StorageError(f"bucket {bucket!r} does not exist at {s3.where}")
            return None
        with filesystem.open_input_stream(f"{bucket}/{key}") as stream:
            return stream.read().decode("utf-8")
    except OSError as exc:
        raise arrow_error(exc, uri, s3) from None


def dataset(uri: str, partitioned: bool) -> Any:
    """A pyarrow dataset over one table's object (or folder of parts, hive-partitioned)."""
    import pyarrow.dataset as ds

    s3 = settings()
    filesystem = arrow_filesystem(s3)
    bucket, key = split(uri)
    try:
        return ds.dataset(
            f"{bucket}/{key}",
            filesystem=filesystem,
            format="parquet",
            partitioning="hive" if partitioned else None,
        )
    except OSError as exc:
        raise arrow_error(exc, uri, s3) from None


def version_location(root: str, pointer: Mapping[str, Any]) -> str:
    """The folder a pointer names (`path`); a pointer without one is a version copied whole into
    `processed/` (the layout `aws s3 sync` makes), read in place."""
    path = pointer.get("path")
    if isinstance(path, str) and path.startswith(f"{VERSIONS}/") and ".." not in path:
        return f"{root.rstrip('/')}/{path}"
    return f"{root.rstrip('/')}/processed"


# --------------------------------------------------------------------------------------------
# Publishing (boto3: conditional PUTs; an optional extra, requirements-scale.txt)


def client(s3: S3Settings | None = None) -> Any:
    """A boto3 S3 client on these settings, with short timeouts and two attempts."""
    s3 = s3 or settings()
    _require_credentials(s3)
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise StorageError(
            "publishing to S3 needs boto3: pip install -r requirements-scale.txt"
        ) from None
    config = Config(
        connect_timeout=CONNECT_TIMEOUT_S,
        read_timeout=REQUEST_TIMEOUT_S,
        retries={"total_max_attempts": ATTEMPTS, "mode": "standard"},
        s3={"addressing_style": "path"},
    )
    return boto3.client(
        "s3",
        aws_access_key_id=s3.key_id,
        aws_secret_access_key=s3.secret,
        aws_session_token=s3.token,
        region_name=s3.region,
        endpoint_url=s3.endpoint,
        config=config,
    )


def boto_error(exc: BaseException, uri: str, s3: S3Settings) -> StorageError:
    """A botocore error as one line (no secret: botocore never puts one in its messages)."""
    from botocore import exceptions as bx

    bucket = split(uri)[0]
    if isinstance(exc, bx.ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code == "NoSuchBucket" or (code == "404" and "HeadBucket" in str(exc)):
            return StorageError(f"bucket {bucket!r} does not exist at {s3.where}")
        if code in ("403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
            return StorageError(
                f"S3 refused the credentials for bucket {bucket!r} at {s3.where} ({code}): "
                "check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY"
            )
        return StorageError(f"S3 said {code or 'an error'} for {uri} at {s3.where}")
    if isinstance(exc, bx.EndpointConnectionError | bx.ConnectTimeoutError | bx.ReadTimeoutError):
        return StorageError(
            f"cannot reach the S3 endpoint {s3.where} (publishing to {uri}){_hint(s3)}"
        )
    if type(exc).__name__ == "S3UploadFailedError":  # boto3's, wrapping the one underneath
        cause = " ".join(str(exc).split(": ", 1)[-1].split())
        return StorageError(f"an upload to {uri} at {s3.where} failed: {cause[:300]}")
    if isinstance(exc, bx.NoCredentialsError | bx.PartialCredentialsError):
        return StorageError("no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
    return StorageError(f"S3 request for {uri} at {s3.where} failed: {type(exc).__name__}")


@dataclass(frozen=True)
class Published:
    """What a publish did: the folder it uploaded and made current, and what it pruned."""

    uri: str
    folder: str
    version: str
    files: int
    bytes: int
    pruned: tuple[str, ...]


def new_publish_id() -> str:
    """Sortable by time, and unique between two publishers in the same microsecond."""
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}-{secrets.token_hex(3)}"


def _slow_pause() -> None:
    # Test knob (as the local writer's): widens the window between uploads so kill tests hit it.
    pause = float(os.environ.get("JOBMARKET_SLOW_WRITE_SECONDS", "0") or 0)
    if pause > 0:
        time.sleep(pause)


def _read_pointer(s3c: Any, bucket: str, key: str) -> tuple[dict[str, Any] | None, str | None]:
    from botocore import exceptions as bx

    try:
        got = s3c.get_object(Bucket=bucket, Key=key)
    except bx.ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            return None, None
        raise
    try:
        return json.loads(got["Body"].read().decode("utf-8")), got["ETag"]
    except ValueError:  # a damaged pointer is replaced, conditionally on its ETag all the same
        return None, got["ETag"]


def publish(
    version: Path,
    uri: str,
    keep: int = KEEP_VERSIONS,
    log: Callable[[str], None] = print,
) -> Published:
    """Upload local version folder `version` under `uri`/.versions/<id>/, then make it current by
    a conditional PUT of the pointer; prune old versions (never the current one, never one
    younger than PRUNE_MIN_AGE_S). Raises StorageError (one line) or PublishConflict."""
    s3 = settings()
    bucket, prefix = split(uri)
    s3c = client(s3)
    from boto3.exceptions import Boto3Error
    from botocore import exceptions as bx

    manifest_file = version / "manifest.json"
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StorageError(f"{manifest_file} cannot be read: {exc}") from None
    pointer_key = _key(prefix, POINTER)
    try:
        s3c.head_bucket(Bucket=bucket)
        _, etag = _read_pointer(s3c, bucket, pointer_key)
        # The id is made after the pointer is read: a version older than the current one can
        # then never become current (its ETag is stale), which is what makes pruning safe.
        publish_id = new_publish_id()
        folder = f"{VERSIONS}/{publish_id}"
        files = sorted(p for p in version.rglob("*") if p.is_file() and p.name != "manifest.json")
        size = 0
        for path in [*files, manifest_file]:  # the version's own manifest last
            rel = path.relative_to(version).as_posix()
            s3c.upload_file(str(path), bucket, _key(prefix, f"{folder}/{rel}"))
            size += path.stat().st_size
            _slow_pause()
        pointer = {**manifest, "path": folder, "published_at": datetime.now(UTC).isoformat()}
        body = (json.dumps(pointer, indent=2, default=str) + "\n").encode("utf-8")
        condition = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
        try:
            s3c.put_object(
                Bucket=bucket,
                Key=pointer_key,
                Body=body,
                ContentType="application/json",
                **condition,
            )
        except bx.ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code not in ("PreconditionFailed", "412", "ConditionalRequestConflict"):
                raise
            _delete_prefix(s3c, bucket, _key(prefix, folder))  # never current: nobody reads it
            raise PublishConflict(
                f"another publisher made a new version current at {uri} while this one "
                "uploaded; nothing was changed (run the publish again)"
            ) from None
        log(f"{uri}: version {manifest.get('version')} is current ({folder})")
        pruned = prune(s3c, bucket, prefix, folder, keep)
    except StorageError:
        raise
    except (bx.BotoCoreError, bx.ClientError, Boto3Error) as exc:
        raise boto_error(exc, uri, s3) from None
    return Published(
        uri=uri,
        folder=folder,
        version=str(manifest.get("version")),
        files=len(files) + 1,
        bytes=size,
        pruned=tuple(pruned),
    )


def _delete_prefix(s3c: Any, bucket: str, prefix: str) -> None:
    pages = s3c.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{prefix}/")
    for page in pages:
        keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
        if keys:
            s3c.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})


def prune(s3c: Any, bucket: str, prefix: str, current: str, keep: int) -> list[str]:
    """Delete version folders older than the current one beyond the `keep` newest in all, and
    only those untouched for PRUNE_MIN_AGE_S. A folder newer than the current one may be a
    publish in flight and is left alone."""
    base = _key(prefix, f"{VERSIONS}/")
    newest: dict[str, float] = {}
    for page in s3c.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=base):
        for obj in page.get("Contents", []):
            name = obj["Key"][len(base) :].split("/", 1)[0]
            stamp = obj["LastModified"].timestamp()
            newest[name] = max(newest.get(name, 0.0), stamp)
    current_id = current.rsplit("/", 1)[-1]
    older = sorted((n for n in newest if n < current_id), reverse=True)
    now = time.time()
    gone = []
    for name in older[max(keep - 1, 0) :]:
        if now - newest[name] >= PRUNE_MIN_AGE_S:
            _delete_prefix(s3c, bucket, f"{base}{name}")
            gone.append(name)
    return gone


def read_pointer(uri: str) -> dict[str, Any] | None:
    """The pointer object under root `uri` as JSON (None when nothing was published there)."""
    text = read_text(f"{uri.rstrip('/')}/{POINTER}")
    return None if text is None else json.loads(text)
