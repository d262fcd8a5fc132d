"""Extraction: get a source's raw bytes (download, mirror or repo) and store them untouched."""

from __future__ import annotations

import hashlib
import http.client
import io
import os
import stat
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from etl.config import Settings
from etl.sources.base import RawFile, Source, SourceError, check_raw

USER_AGENT = "jobmarket-dashboard-etl/1.0 (+open data refresh)"


@dataclass(frozen=True)
class Fetched:
    """Raw bytes of one file, with where they came from and their checksum."""

    raw: RawFile
    data: bytes
    origin: str
    sha256: str


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


MB = 1024 * 1024
CHUNK = 1 << 20


def max_bytes(source: Source) -> int:
    """The size cap of `source`'s raw files: its own, or JOBMARKET_MAX_FILE_MB for every source."""
    override = os.environ.get("JOBMARKET_MAX_FILE_MB", "").strip()
    try:
        return int(float(override) * MB) if override else source.max_mb * MB
    except ValueError:
        raise SourceError(f"JOBMARKET_MAX_FILE_MB={override!r} is not a number") from None


def _too_big(what: str, cap: int) -> SourceError:
    return SourceError(
        f"{what} is larger than the {cap // MB:,} MB cap for this source "
        "(JOBMARKET_MAX_FILE_MB raises it)"
    )


def _body(resp: object, url: str, cap: int, deadline: float) -> bytes:
    """The response body, read as it arrives: past `cap` bytes or the `deadline` it stops (a
    server that sends a byte every few seconds never trips a per-read timeout)."""
    parts, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise SourceError(f"{url}: the download took longer than its deadline ({size:,} bytes)")
        part = resp.read1(CHUNK)  # type: ignore[attr-defined]
        if not part:
            return b"".join(parts)
        size += len(part)
        if size > cap:
            raise _too_big(url, cap)
        parts.append(part)


def download(
    url: str,
    timeout: float,
    retries: int,
    log: Callable[[str], None],
    user_agent: str = USER_AGENT,
    cap: int = 100 * MB,
) -> bytes:
    """GET `url` with a timeout per read and an overall deadline (ten reads' worth), at most
    `cap` bytes, retrying transient failures with exponential backoff."""
    last: Exception | None = None
    for attempt in range(1, retries + 1):
        try:
            req = urllib.request.Request(url, headers={"User-Agent": user_agent})
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                expected = resp.headers.get("Content-Length")
                if expected is not None and expected.isdigit() and int(expected) > cap:
                    raise _too_big(f"{url} ({int(expected):,} bytes announced)", cap)
                body = _body(resp, url, cap, time.monotonic() + 10 * timeout)
            if expected is not None and len(body) != int(expected):
                raise SourceError(f"{url}: truncated body ({len(body)} of {expected} bytes)")
            return body
        except urllib.error.HTTPError as exc:
            last = exc
            if exc.code < 500 and exc.code != 429:
                break  # a 404 will not fix itself
        except (
            urllib.error.URLError,
            TimeoutError,
            ConnectionError,
            SourceError,
            http.client.HTTPException,  # IncompleteRead, a garbage status line
        ) as exc:
            last = exc
            if isinstance(exc, SourceError) and "cap for this source" in str(exc):
                break  # a bigger file will not shrink on a retry
        if attempt < retries:
            wait = 2 ** (attempt - 1)
            log(f"  retry {attempt}/{retries - 1} of {url} in {wait}s ({last})")
            time.sleep(wait)
    raise SourceError(f"download failed: {url}: {last}")


def fetch(
    source: Source,
    raw: RawFile,
    settings: Settings,
    log: Callable[[str], None],
    archives: dict[str, bytes] | None = None,
) -> Fetched:
    """Read one raw file from the repo (seed), the mirror, or the network, and check it.

    `archives` caches downloaded zip archives by URL for one refresh, so several members of the
    same archive cost one download.
    """
    cap = max_bytes(source)
    if source.local:
        path = settings.seed_dir / raw.mirror_path
        origin = str(path)
        data = _read_local(path, cap)
    elif settings.mirror is not None:
        path = settings.mirror / raw.mirror_path
        gzipped = path.with_name(path.name + ".gz")
        if raw.gzip_ok and not path.exists() and gzipped.exists():
            path = gzipped  # kept as it came: compressed bytes, their own sha256
        origin = str(path)
        data = _read_local(path, cap)
    elif raw.zip_member is not None:
        cache = archives if archives is not None else {}
        if raw.url not in cache:
            cache[raw.url] = download(
                raw.url,
                settings.http_timeout,
                settings.http_retries,
                log,
                settings.user_agent,
                cap,
            )
        origin = f"{raw.url}#{raw.zip_member}"
        data = zip_member(cache[raw.url], raw.zip_member, raw.url)
    else:
        origin = raw.url
        data = download(
            raw.url, settings.http_timeout, settings.http_retries, log, settings.user_agent, cap
        )
    check_raw(data, raw)
    return Fetched(raw=raw, data=data, origin=origin, sha256=sha256(data))


def zip_member(archive: bytes, member: str, url: str) -> bytes:
    """The bytes of `member` (matched on its base name, in any folder) inside a zip archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as zf:
            matches = [n for n in zf.namelist() if n == member or n.rsplit("/", 1)[-1] == member]
            if len(matches) != 1:
                found = "no member" if not matches else f"{len(matches)} members"
                raise SourceError(f"{url}: {found} named {member!r} in the zip archive")
            return zf.read(matches[0])
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        head = archive[:64].lstrip().lower()
        what = "an HTML page" if head.startswith((b"<!doctype", b"<html")) else "not a zip archive"
        raise SourceError(f"{url}: got {what} ({exc})") from exc


def _read_local(path: Path, cap: int) -> bytes:
    """A regular file's bytes, at most `cap` of them: a FIFO would block forever and a device
    such as /dev/zero never ends, so anything but a regular file is refused unread."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(f"{path} is not a regular file (a pipe, device or directory?)")
        if info.st_size > cap:
            raise _too_big(f"{path} ({info.st_size:,} bytes)", cap)
        with open(path, "rb") as handle:
            data = handle.read(cap + 1)  # a file growing while read is cut at the cap
    except FileNotFoundError as exc:
        raise SourceError(f"missing input file {path}") from exc
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc}") from exc
    if len(data) > cap:
        raise _too_big(str(path), cap)
    return data


def store_raw(source: Source, fetched: list[Fetched], settings: Settings) -> Path:
    """Keep the bytes as they came under data/raw/<source>/ (atomic per file), with SHA256SUMS."""
    folder = settings.raw_dir / source.name
    folder.mkdir(parents=True, exist_ok=True)
    for item in fetched:
        write_atomic(folder / item.raw.name, item.data)
    sums = "".join(f"{f.sha256}  {f.raw.name}\n" for f in fetched)
    write_atomic(folder / "SHA256SUMS", sums.encode())
    return folder


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same directory, fsync, then rename over `path`."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
