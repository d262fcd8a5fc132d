"""The snapshot step: each raw file of a source (download, mirror or repo) is copied as it comes
into a staging folder, its sha256 computed and its shape checked on the way; the copies replace
the kept ones under data/raw/<source>/ only once the source is published (`keep`)."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import tempfile
import time
import urllib.parse
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import httpx

from etl.config import Settings
from etl.sources.base import (
    MB,
    Inflated,
    RawFile,
    Shape,
    Source,
    SourceError,
    check_raw,
    max_bytes,
    megabytes,
)

USER_AGENT = "jobmarket-dashboard-etl/1.0 (+open data refresh)"


@dataclass(frozen=True)
class Fetched:
    """One raw file's snapshot: the staged copy on disk, where it came from, its checksum."""

    raw: RawFile
    path: Path
    origin: str
    sha256: str
    size: int


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


CHUNK = MB  # what a copy holds in memory at once


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


@dataclass
class Copy:
    """A raw file being written: hashed, sized, capped at `cap` bytes and its `Shape` gathered
    as the chunks pass, so nothing is read twice or held whole."""

    handle: BinaryIO
    cap: int
    what: str
    size: int = 0
    digest: hashlib._Hash = field(default_factory=hashlib.sha256)
    shape: Shape = field(default_factory=Shape)

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.cap:
            raise _too_big(self.what, self.cap)
        self.digest.update(chunk)
        self.shape.feed(chunk)
        self.handle.write(chunk)

    def restart(self) -> None:
        """Back to an empty file (a download retried from the start)."""
        self.handle.seek(0)
        self.handle.truncate()
        self.size, self.digest, self.shape = 0, hashlib.sha256(), Shape()


def _decoded(resp: httpx.Response, url: str) -> Iterator[bytes]:
    """The body as it arrives, a gzip or deflate Content-Encoding undone here a chunk of output
    at a time (httpx would inflate each network read whole: a few KB can inflate to many MB),
    so the copy's cap counts the inflated bytes as they inflate."""
    encoding = resp.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        yield from resp.iter_raw()
        return
    gzipped = encoding in ("gzip", "x-gzip")
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS if gzipped else zlib.MAX_WBITS)
    first = True
    try:
        for part in resp.iter_raw():
            data = part
            while data:
                try:
                    out = inflate.decompress(data, CHUNK)
                except zlib.error:
                    if gzipped or not first:
                        raise
                    # "deflate" sent as a raw stream, without its zlib header (as httpx accepts)
                    inflate, first = zlib.decompressobj(-zlib.MAX_WBITS), False
                    continue
                first = False
                data = inflate.unconsumed_tail
                if inflate.eof and inflate.unused_data and gzipped:  # another gzip member
                    data, inflate = inflate.unused_data + data, zlib.decompressobj(31)
                if out:
                    yield out
        if tail := inflate.flush():
            yield tail
    except zlib.error as exc:
        raise SourceError(f"{url}: the {encoding}-encoded body is corrupt ({exc})") from exc


def _body(resp: httpx.Response, url: str, copy: Copy, deadline: float) -> None:
    """The body, decoded, written to `copy` as it arrives: past its cap or the `deadline` it
    stops (a server that sends a byte every few seconds never trips the per-read timeout)."""
    for part in _decoded(resp, url):  # as it arrives, not in fixed chunks that wait to fill
        copy.write(part)
        if time.monotonic() > deadline:
            raise SourceError(
                f"{url}: the download took longer than its deadline ({copy.size:,} bytes)"
            )


def download_to(
    url: str,
    copy: Copy,
    timeout: float,
    retries: int,
    log: Callable[[str], None],
    user_agent: str = USER_AGENT,
) -> None:
    """GET `url` into `copy` with httpx: a timeout per read, an overall deadline (ten reads'
    worth), at most the copy's cap, the content type and encoding checked; transient failures
    (5xx, 429, a cut or garbled response, a timeout) are retried with exponential backoff."""
    last: Exception | None = None
    headers = {"User-Agent": user_agent}
    with httpx.Client(timeout=timeout, follow_redirects=True, headers=headers) as client:
        for attempt in range(1, retries + 1):
            copy.restart()
            try:
                with client.stream("GET", url) as resp:
                    _checked(resp, url, copy.cap)
                    _body(resp, url, copy, time.monotonic() + 10 * timeout)
                    return
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


def download(
    url: str,
    timeout: float,
    retries: int,
    log: Callable[[str], None],
    user_agent: str = USER_AGENT,
    cap: int = 100 * MB,
) -> bytes:
    """`download_to` a temporary file, and its bytes (a small file, or a test)."""
    with tempfile.TemporaryFile(prefix="jobmarket-download-") as handle:
        download_to(url, Copy(handle, cap, url), timeout, retries, log, user_agent)
        handle.seek(0)
        return handle.read()


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


def staging_dir(settings: Settings, source: Source) -> Path:
    """Where a source's snapshot is written before it is published: beside the kept copies (the
    same file system, so keeping them is a rename), never in their place."""
    return settings.raw_dir / STAGING / source.name


STAGING = ".incoming"


def fetch(
    source: Source,
    raw: RawFile,
    settings: Settings,
    log: Callable[[str], None],
    archives: dict[str, Path] | None = None,
) -> Fetched:
    """Snapshot one raw file from the repo (seed), the mirror, or the network into the source's
    staging folder, hashing and checking it as it is copied.

    `archives` caches downloaded zip archives by URL for one refresh (in the staging folder), so
    several members of the same archive cost one download.
    """
    cap = max_bytes(source)
    folder = staging_dir(settings, source)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / raw.name
    with open(target, "wb") as handle:
        if source.local or settings.mirror is not None:
            base = settings.seed_dir if source.local else settings.mirror
            path = base / raw.mirror_path
            gzipped = path.with_name(path.name + ".gz")
            # lexists: a .gz that is a broken link or a link loop is named as such, not missing
            if (
                not source.local
                and raw.gzip_ok
                and not os.path.lexists(path)
                and os.path.lexists(gzipped)
            ):
                path = gzipped  # kept as it came: compressed bytes, their own sha256
            origin = str(path)
            copy = Copy(handle, cap, str(path))
            _copy_local(path, copy)
        elif raw.zip_member is not None:
            cache = archives if archives is not None else {}
            url = rebase(raw.url, base_url(source))
            if url not in cache:
                archive = folder / f".archive-{len(cache)}.zip"
                with open(archive, "wb") as zipped:
                    download_to(
                        url,
                        Copy(zipped, cap, url),
                        settings.http_timeout,
                        settings.http_retries,
                        log,
                        settings.user_agent,
                    )
                cache[url] = archive
            origin = f"{url}#{raw.zip_member}"
            copy = Copy(handle, cap, origin)
            zip_member(cache[url], raw.zip_member, url, copy)
        else:
            origin = rebase(raw.url, base_url(source))
            copy = Copy(handle, cap, origin)
            download_to(
                origin,
                copy,
                settings.http_timeout,
                settings.http_retries,
                log,
                settings.user_agent,
            )
    check_raw(copy.shape, raw)
    return Fetched(
        raw=raw, path=target, origin=origin, sha256=copy.digest.hexdigest(), size=copy.size
    )


# Zip compression methods Python's zipfile cannot read, named for the error.
ZIP_METHODS = {9: "Deflate64", 10: "PKWARE DCL Implode", 93: "Zstandard", 95: "xz", 98: "PPMd"}


def zip_member(archive: Path, member: str, url: str, copy: Copy) -> None:
    """Copy `member` (matched on its base name, in any folder) out of a zip archive, inflated a
    chunk at a time against the copy's cap (its declared size is checked first, then what it
    really inflates to). A member that cannot be read (encrypted, a compression method zipfile
    lacks, a corrupt stream) fails the source in one line."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        with open(archive, "rb") as handle:
            start = handle.read(64).lstrip().lower()
        what = "an HTML page" if start.startswith((b"<!doctype", b"<html")) else "not a zip archive"
        raise SourceError(f"{url}: got {what} ({exc})") from exc
    with zf:
        matches = [i for i in zf.infolist() if member in (i.filename, i.filename.rsplit("/")[-1])]
        if len(matches) != 1:
            found = "no member" if not matches else f"{len(matches)} members"
            raise SourceError(f"{url}: {found} named {member!r} in the zip archive")
        info = matches[0]
        what = f"{url}: the zip member {info.filename!r}"
        if info.file_size > copy.cap:
            raise SourceError(
                f"{what} declares {info.file_size:,} bytes inflated, over the "
                f"{megabytes(copy.cap)} cap for this source; JOBMARKET_MAX_FILE_MB raises it"
            )
        try:
            with zf.open(info) as inside:
                stream = Inflated(inside, copy.cap, what)
                while chunk := stream.read(CHUNK):
                    copy.write(chunk)
        except NotImplementedError as exc:  # (a RuntimeError too: caught first)
            method = ZIP_METHODS.get(info.compress_type, f"method {info.compress_type}")
            raise SourceError(
                f"{what} is compressed with {method}, which cannot be read here ({exc})"
            ) from exc
        except RuntimeError as exc:  # zipfile's words for a password-protected member
            raise SourceError(f"{what} is encrypted (password-protected): cannot read it") from exc
        except zlib.error as exc:
            raise SourceError(
                f"{what} is corrupt (invalid deflate stream: {exc}); download it again"
            ) from exc
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
            raise SourceError(
                f"{what} is corrupt ({type(exc).__name__}: {exc}); download it again"
            ) from exc


def _copy_local(path: Path, copy: Copy) -> None:
    """Copy a regular file, at most the cap: a FIFO would block forever and a device such as
    /dev/zero never ends, so anything but a regular file is refused unread."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(f"{path} is not a regular file (a pipe, device or directory?)")
        if info.st_size > copy.cap:
            raise _too_big(f"{path} ({info.st_size:,} bytes)", copy.cap)
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):  # a file growing while read is cut at the cap
                copy.write(chunk)
    except FileNotFoundError as exc:
        if path.is_symlink():
            raise SourceError(f"{path} is a link to a missing file ({os.readlink(path)})") from exc
        raise SourceError(f"missing input file {path}") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SourceError(
                f"{path} is a symlink loop (its links point back at each other); "
                "fix or remove the link"
            ) from exc
        raise SourceError(f"cannot read {path}: {exc}") from exc


def keep(source: Source, fetched: Iterable[Fetched], settings: Settings) -> Path:
    """Move a published source's snapshot over the kept copies under data/raw/<source>/ (an
    atomic rename per file), with SHA256SUMS; a refused snapshot is never kept (`discard`)."""
    folder = settings.raw_dir / source.name
    folder.mkdir(parents=True, exist_ok=True)
    fetched = list(fetched)
    for item in fetched:
        os.replace(item.path, folder / item.raw.name)
    sums = "".join(f"{f.sha256}  {f.raw.name}\n" for f in fetched)
    write_atomic(folder / "SHA256SUMS", sums.encode())
    discard(settings, source)
    return folder


def discard(settings: Settings, source: Source | None = None) -> None:
    """Drop a source's staged snapshot (or every source's, and the staging folder)."""
    folder = staging_dir(settings, source) if source else settings.raw_dir / STAGING
    shutil.rmtree(folder, ignore_errors=True)
    if source and folder.parent.is_dir() and not any(folder.parent.iterdir()):
        folder.parent.rmdir()


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same directory, fsync, then rename over `path`."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
