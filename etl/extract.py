"""Extraction: get a source's raw bytes (download, mirror or repo) and store them untouched."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import tempfile
import time
import urllib.parse
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

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


# Content types a data file may come as; a server answering with a web page says text/html.
DATA_TYPES = (
    "text/csv",
    "text/plain",
    "text/tab-separated-values",
    "application/csv",
    "application/octet-stream",
    "application/zip",
    "application/x-zip-compressed",
    "application/gzip",
    "application/x-gzip",
    "binary/octet-stream",
)
# Encodings httpx undoes itself; anything else would hand over bytes nobody can read.
ENCODINGS = ("", "identity", "gzip", "x-gzip", "deflate")


def _checked(resp: httpx.Response, url: str, cap: int) -> None:
    """Refuse, before reading the body, a response that cannot be the file: an error status, a
    web page, an encoding httpx cannot undo, or an announced size over the cap."""
    if resp.status_code >= 400:
        raise _HTTPStatus(resp.status_code, f"HTTP {resp.status_code} {resp.reason_phrase}")
    kind = resp.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind and kind not in DATA_TYPES:
        raise SourceError(f"{url}: the server sent {kind}, not a data file")
    encoding = resp.headers.get("content-encoding", "").strip().lower()
    if encoding not in ENCODINGS:
        raise SourceError(f"{url}: content encoded as {encoding!r}, which cannot be decoded")
    announced = resp.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > cap:
        raise _too_big(f"{url} ({int(announced):,} bytes announced)", cap)


class _HTTPStatus(SourceError):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def _body(resp: httpx.Response, url: str, cap: int, deadline: float) -> bytes:
    """The body as it arrives, decoded, spooled to a temporary file past 8 MB (so chunks and
    their joined copy never sit in memory together): past `cap` bytes or the `deadline` it
    stops (a server that sends a byte every few seconds never trips the per-read timeout)."""
    size = 0
    with tempfile.SpooledTemporaryFile(max_size=8 * MB, prefix="jobmarket-download-") as spool:
        for part in resp.iter_bytes():  # as it arrives, not in fixed chunks that wait to fill
            size += len(part)
            if size > cap:
                raise _too_big(url, cap)
            if time.monotonic() > deadline:
                raise SourceError(
                    f"{url}: the download took longer than its deadline ({size:,} bytes)"
                )
            spool.write(part)
        spool.seek(0)
        return spool.read()


def download(
    url: str,
    timeout: float,
    retries: int,
    log: Callable[[str], None],
    user_agent: str = USER_AGENT,
    cap: int = 100 * MB,
) -> bytes:
    """GET `url` with httpx: a timeout per read, an overall deadline (ten reads' worth), at most
    `cap` bytes, the content type and encoding checked; transient failures (5xx, 429, a cut or
    garbled response, a timeout) are retried with exponential backoff."""
    last: Exception | None = None
    headers = {"User-Agent": user_agent}
    with httpx.Client(timeout=timeout, follow_redirects=True, headers=headers) as client:
        for attempt in range(1, retries + 1):
            try:
                with client.stream("GET", url) as resp:
                    _checked(resp, url, cap)
                    return _body(resp, url, cap, time.monotonic() + 10 * timeout)
            except _HTTPStatus as exc:
                last = exc
                if exc.code < 500 and exc.code != 429:
                    break  # a 404 will not fix itself
            except SourceError as exc:
                last = exc
                if "cap for this source" in str(exc) or "not a data file" in str(exc):
                    break  # a bigger file will not shrink, nor a page turn into data, on a retry
            except httpx.HTTPError as exc:  # a cut body, a garbled status line, a timeout
                last = exc
            if attempt < retries:
                wait = 2 ** (attempt - 1)
                log(f"  retry {attempt}/{retries - 1} of {url} in {wait}s ({last})")
                time.sleep(wait)
    said = str(last) if isinstance(last, SourceError) else f"{type(last).__name__}: {last}"
    raise SourceError(f"download failed: {url}: {said}")


def rebase(url: str, base: str | None) -> str:
    """`url` with its scheme and host replaced by `base` (the path kept): a source's downloads
    pointed at another server, e.g. a local test server or an internal mirror over HTTP."""
    if not base:
        return url
    parts = urllib.parse.urlsplit(url)
    return base.rstrip("/") + urllib.parse.urlunsplit(("", "", parts.path, parts.query, ""))


def base_url(source: Source) -> str | None:
    """JOBMARKET_BASE_URL_<SOURCE> (e.g. JOBMARKET_BASE_URL_AIJOBS), when set."""
    return os.environ.get(f"JOBMARKET_BASE_URL_{source.name.upper()}") or None


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
        url = rebase(raw.url, base_url(source))
        if url not in cache:
            cache[url] = download(
                url,
                settings.http_timeout,
                settings.http_retries,
                log,
                settings.user_agent,
                cap,
            )
        origin = f"{url}#{raw.zip_member}"
        data = zip_member(cache[url], raw.zip_member, url)
    else:
        origin = rebase(raw.url, base_url(source))
        data = download(
            origin, settings.http_timeout, settings.http_retries, log, settings.user_agent, cap
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
