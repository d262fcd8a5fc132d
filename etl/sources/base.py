"""What a source is: its raw files, licence and attribution, and a pure normalize function."""

from __future__ import annotations

import csv
import io
import os
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from etl.config import Settings

HEAD_BYTES = 1 << 16  # what the checks and the header readers look at of a file's start
MB = 1024 * 1024


class SourceError(Exception):
    """A source could not be extracted or normalized; its previous data stays in place."""


@dataclass(frozen=True)
class RawFile:
    """One input file of a source: where it is downloaded from and what it must look like."""

    name: str  # file name under data/raw/<source>/
    url: str  # canonical download URL (or the repo path for the seed)
    mirror_path: str  # path relative to a mirror directory
    required_columns: tuple[str, ...] = ()
    separator: str = ","
    min_rows: int = 1
    # When set, `url` is a zip archive and this file is the archive member of that name (matched
    # on its base name, in any folder); a mirror holds the member itself at `mirror_path`.
    zip_member: str | None = None
    # The file may come gzipped (a mirror keeps big files compressed); checks that need the
    # whole text (last newline, row count) then run when the source decompresses it.
    gzip_ok: bool = False


# A raw file as normalize gets it: the path of its snapshot on disk (a refresh), or its bytes
# (the hand-made fixtures of the unit tests). Readers take either and read a path from disk.
Raw = Path | bytes
RawFiles = Mapping[str, Raw]


def open_raw(item: Raw) -> BinaryIO:
    """A raw file opened for reading, from its path or its bytes."""
    return open(item, "rb") if isinstance(item, Path) else io.BytesIO(item)


def chunks(item: Raw, size: int = 1 << 20) -> Iterator[bytes]:
    """A raw file's bytes, a chunk at a time (a big file is never read whole)."""
    with open_raw(item) as handle:
        while chunk := handle.read(size):
            yield chunk


def head(item: Raw, size: int = HEAD_BYTES) -> bytes:
    """The first `size` bytes of a raw file."""
    if isinstance(item, bytes):
        return item[:size]
    with open(item, "rb") as handle:
        return handle.read(size)


@dataclass
class Normalized:
    """What normalize returns: contract tables, rows it rejected (with `reason`), and stats."""

    tables: dict[str, pd.DataFrame]
    rejected: dict[str, pd.DataFrame] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """A registered source. `normalize` is pure: raw files by file name (the snapshot's paths,
    or bytes) -> `Normalized`."""

    name: str
    title: str
    homepage: str
    licence: str
    licence_url: str
    attribution: str
    tables: tuple[str, ...]
    files: Callable[[Settings], list[RawFile]]
    normalize: Callable[[RawFiles, Settings], Normalized]
    # Bump when normalize changes, so unchanged raw files are re-normalized. A str may also carry
    # a digest of data files normalize depends on (e.g. a mapping kept as CSV in the repository).
    version: int | str = 1
    local: bool = False  # True when the files ship with the project (the seed)
    # The largest raw file taken, in MB (JOBMARKET_MAX_FILE_MB overrides it for every source):
    # a mirror path that is /dev/zero or a download that never ends must not fill the memory.
    max_mb: int = 100


def max_bytes(source: Source) -> int:
    """The size cap of `source`'s raw files, as stored and as inflated (a zip member, a gzip
    body): its own, or JOBMARKET_MAX_FILE_MB for every source."""
    override = os.environ.get("JOBMARKET_MAX_FILE_MB", "").strip()
    try:
        return int(float(override) * MB) if override else source.max_mb * MB
    except ValueError:
        raise SourceError(f"JOBMARKET_MAX_FILE_MB={override!r} is not a number") from None


def megabytes(size: int) -> str:
    """A cap in words: `300 MB`, or `2,097 bytes` under a megabyte."""
    return f"{size / MB:,.0f} MB" if size >= MB else f"{size:,} bytes"


class Inflated(io.RawIOBase):
    """A decompressed stream (a gzip body, a zip member) read against a cap on its inflated
    size, counted as it inflates: what is held is what one read asks for, never the whole
    output, so a small archive that inflates to gigabytes stops at the cap."""

    def __init__(self, stream: Any, cap: int, what: str) -> None:
        super().__init__()
        self.stream, self.cap, self.what, self.size = stream, cap, what, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:  # the rest, a chunk at a time (stopped at the cap)
            return b"".join(iter(lambda: self.read(MB), b""))
        data = self.stream.read(size)
        self.size += len(data)
        if self.size > self.cap:
            raise SourceError(
                f"{self.what} inflates to more than the {megabytes(self.cap)} cap for this "
                "source (a decompression bomb?); JOBMARKET_MAX_FILE_MB raises it"
            )
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def read_table(
    raw: RawFiles,
    name: str,
    columns: tuple[str, ...],
    *,
    separator: str = ",",
    select: bool = False,
    strip: bool = True,
    multiline: bool = False,
    **kwargs: Any,
) -> pd.DataFrame:
    """The fetched file `name` as a table of strings ('' for an empty cell, never NaN).

    Raises SourceError when the file was not fetched, cannot be parsed or lacks `columns`.
    `select` keeps only `columns` (in that order); `strip` trims every value; `kwargs` go to
    `pandas.read_csv` (e.g. `encoding`, `quoting`). Unless the source declares that the file
    has fields spanning lines (`multiline`), every record is one line: a record that spans lines
    (a stray quote swallowing the rows up to the next one) or a row count that disagrees with
    the line count is refused with the line named, never published as fewer, merged rows.
    """
    if name not in raw:
        raise SourceError(f"{name}: not among the fetched files")
    item = raw[name]
    table = _arrow_parse(item, separator, kwargs)
    if table is None:  # pandas decides, and words the error, for anything pyarrow refuses
        try:
            frame = pd.read_csv(
                item if isinstance(item, Path) else io.BytesIO(item),
                sep=separator,
                dtype=str,
                keep_default_na=False,
                **kwargs,
            )
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise SourceError(f"{name}: cannot be parsed as a table ({exc})") from exc
        names = list(frame.columns)
    else:
        names = table.column_names
    missing = [c for c in columns if c not in names]
    if missing:
        raise SourceError(f"{name}: missing expected columns {missing}; found {names[:12]}")
    if not multiline:
        rows = len(frame) if table is None else table.num_rows
        one_line_records(item, name, rows, separator, kwargs.get("quoting", csv.QUOTE_MINIMAL))
    if table is not None:
        if select:
            table = table.select(list(columns))
        if strip:
            table = pa.table(
                [pc.utf8_trim_whitespace(col) for col in table.columns], names=table.column_names
            )
        return table.to_pandas()
    if select:
        frame = frame[list(columns)]
    return frame.apply(lambda col: col.str.strip()) if strip else frame


def one_line_records(
    item: Raw, name: str, rows: int, separator: str, quoting: int = csv.QUOTE_MINIMAL
) -> None:
    """Refuse a file whose `rows` parsed records (plus the header) are fewer than its lines: a
    quoted field ran over line ends. Counting line ends is the whole cost for a good file; only
    when they disagree is the file walked (as the csv module reads it) to name the lines."""
    lines, last = 0, b"\n"
    for chunk in chunks(item):
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    lines += last != b"\n"
    if rows + 1 >= lines:
        return
    records, end = 0, 0
    with open_raw(item) as handle:
        text = (line.decode("utf-8", "replace") for line in handle)  # split at \n only
        reader = csv.reader(text, delimiter=separator, quoting=quoting)
        while True:
            start = end + 1
            try:
                record = next(reader, None)
            except csv.Error as exc:  # e.g. a field over the csv module's size limit
                if reader.line_num <= start:
                    raise SourceError(f"{name}: line {start:,}: {exc}") from exc
                record = []
            end = reader.line_num
            if end > start:
                raise SourceError(
                    f"{name}: lines {start:,} to {end:,} read as one record: a quoted field "
                    "runs over line ends, and this file has none (a stray quote?)"
                )
            if record is None:
                break
            records += bool(record)
    if records - 1 != rows:  # blank lines are no records; anything else is
        raise SourceError(
            f"{name}: {rows:,} rows read from {records - 1:,} lines of records (from line 2 to "
            f"{end:,}): the parser merged or dropped lines"
        )


def _arrow_parse(item: Raw, separator: str, options: dict[str, Any]) -> pa.Table | None:
    """The file parsed by pyarrow (a path memory-mapped, not read into memory) as all-string
    columns ('' for an empty cell), or None when the file needs pandas: options pyarrow does not
    take, an unusual header (duplicate or blank names), ragged rows, undecodable bytes. pyarrow
    is several times quicker on big files."""
    encoding = options.get("encoding") or "utf-8"
    quote_none = options.get("quoting") == csv.QUOTE_NONE
    if set(options) - {"encoding", "quoting"} or (
        options.get("quoting") not in (None, csv.QUOTE_NONE)
    ):
        return None
    start = head(item)
    bom = 3 if start.startswith(b"\xef\xbb\xbf") else 0
    try:
        first = start[bom:].split(b"\n", 1)[0].decode(encoding).rstrip("\r")
    except (UnicodeDecodeError, LookupError):
        return None
    if quote_none:
        header = first.split(separator)
    else:
        header = next(csv.reader([first], delimiter=separator), [])
    if not header or len(set(header)) != len(header) or any(not h.strip() for h in header):
        return None
    body = pa.memory_map(str(item)) if isinstance(item, Path) else pa.BufferReader(item)
    try:
        body.seek(bom)
        return pacsv.read_csv(
            body,
            read_options=pacsv.ReadOptions(encoding=encoding),
            parse_options=pacsv.ParseOptions(
                delimiter=separator,
                quote_char=False if quote_none else '"',
                newlines_in_values=not quote_none,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError):
        return None
    finally:
        body.close()


class Reasons:
    """Why each row of a frame is rejected: '' for a good row, several reasons joined by '; '."""

    def __init__(self, index: pd.Index) -> None:
        self.text = pd.Series("", index=index, dtype="object")

    def add(self, mask: pd.Series, reason: str | pd.Series) -> None:
        """Append `reason` (one text, or one per row) to the rows where `mask` is true."""
        if not mask.fillna(False).to_numpy(dtype=bool).any():  # the usual case: nothing to add
            return
        joined = self.text.where(self.text == "", self.text + "; ")
        self.text = self.text.where(~mask, joined + reason)

    def add_each(
        self,
        mask: pd.Series,
        before: str,
        values: pd.Series,
        after: str = "",
        show: Callable[[Any], str] = repr,
    ) -> None:
        """Append `before + show(value) + after` to the rows where `mask` is true; the text is
        built for those rows only, so a file with nothing wrong costs no string work."""
        rows = mask.fillna(False).to_numpy(dtype=bool)
        if rows.any():
            self.add(mask, before + values[rows].map(show) + after)

    @property
    def bad(self) -> pd.Series:
        """True for every row with at least one reason."""
        return self.text != ""

    def split(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(good rows, rejected rows with their values plus a `reason` column) of `frame`."""
        bad = self.bad
        return frame.loc[~bad], frame.loc[bad].assign(reason=self.text[bad])


# File signatures of what a mirror or a server hands over by mistake, named so the error says
# what the bytes are rather than "truncated".
SIGNATURES = (
    (b"\xff\xfe", "UTF-16 text (little-endian; save it as UTF-8)"),
    (b"\xfe\xff", "UTF-16 text (big-endian; save it as UTF-8)"),
    (b"PK\x03\x04", "a zip archive (an Excel .xlsx renamed, or a zipped file?)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls / OLE file"),
    (b"\x1f\x8b", "gzip-compressed bytes (unpack it, or name it .gz)"),
    (b"%PDF", "a PDF document"),
)


def _binary_kind(data: bytes) -> str:
    """What binary or non-UTF-8 bytes are, from their signature ('' for plain text)."""
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            return kind
    if b"\x00" in data[:4096]:
        return "binary data (NUL bytes; UTF-16 without a byte order mark?)"
    return ""


@dataclass
class Shape:
    """What the checks need of a raw file, gathered as its chunks stream past (the snapshot
    copy), so no check reads the file again: its head, its last byte, its line count and
    whether it holds anything but white space."""

    head: bytes = b""
    last: bytes = b""
    newlines: int = 0
    blank: bool = True

    def feed(self, chunk: bytes) -> None:
        if not chunk:
            return
        if len(self.head) < HEAD_BYTES:
            self.head += chunk[: HEAD_BYTES - len(self.head)]
        self.last = chunk[-1:]
        self.newlines += chunk.count(b"\n")
        self.blank = self.blank and not chunk.strip()

    @classmethod
    def of(cls, data: bytes) -> Shape:
        shape = cls()
        shape.feed(data)
        return shape


def check_raw(data: bytes | Shape, raw: RawFile) -> None:
    """Reject a file that is not the expected one: empty, HTML, truncated, wrong header. Takes
    the file's bytes, or the `Shape` its snapshot copy gathered."""
    shape = data if isinstance(data, Shape) else Shape.of(data)
    if shape.blank:
        raise SourceError(f"{raw.name}: the file is empty")
    text = shape.head
    gzipped = raw.gzip_ok and text.startswith(b"\x1f\x8b")
    kind = _binary_kind(text) if not gzipped else ""
    if kind:
        raise SourceError(f"{raw.name}: got {kind}, not the plain UTF-8 text file expected")
    if gzipped:
        try:  # only the head: the whole body is inflated (and checked) by the source's reader
            text = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(text, HEAD_BYTES)
        except zlib.error as exc:
            raise SourceError(f"{raw.name}: the gzip body is corrupt ({exc})") from exc
    start = text[:512].lstrip().lower()
    if start.startswith((b"<!doctype", b"<html", b"<?xml", b"{")):
        raise SourceError(f"{raw.name}: got an HTML/XML/JSON page instead of a data file")
    if not gzipped and shape.last not in (b"\n", b"\r"):
        raise SourceError(f"{raw.name}: the file does not end with a newline (truncated body?)")
    if b"\n" not in text and b"\r" in text.rstrip(b"\r"):
        raise SourceError(
            f"{raw.name}: its lines end with CR alone (old Mac line endings), not LF or CRLF; "
            "convert them (e.g. tr '\\r' '\\n')"
        )
    first_line = text.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").strip("\r")
    header = [h.strip().strip('"') for h in first_line.split(raw.separator)]
    missing = [c for c in raw.required_columns if c not in header]
    if missing:
        raise SourceError(f"{raw.name}: header lacks expected columns {missing}: {header[:12]}")
    rows = shape.newlines - 1
    if not gzipped and rows < raw.min_rows:
        raise SourceError(f"{raw.name}: {rows} data rows, expected at least {raw.min_rows}")
