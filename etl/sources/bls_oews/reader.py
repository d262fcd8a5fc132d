"""The OEWS data file read as a stream: every value checked, then one row per series stem.

The file (its snapshot on disk, gzipped or plain; or bytes in a unit test) is opened once: its
head gives the header, then pyarrow streams the rest, inflating a gzip body as it goes."""

from __future__ import annotations

import contextlib
import queue
import re
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from etl.sources.base import HEAD_BYTES, Inflated, Raw, SourceError

GZIP_MAGIC = b"\x1f\x8b"
DATA_COLUMNS = ("series_id", "year", "period", "value", "footnote_codes")
SERIES_ID_LENGTH = 25
# Big blocks keep the per-batch overhead small; the reader parses the next block in its own
# thread while this one is checked, so inflating, parsing and checking overlap on two cores.
BLOCK_BYTES = 4 << 20
INFLATE_CHUNK = 1 << 20
MAX_PAD = 64  # '-' padded with up to this many spaces reads as null
# Why a value cannot be used, in order: the first failing rule names the row.
REASONS = (
    "series_id: not 25 characters",
    "series_id: does not start with OEU",
    "areatype: unknown code",
    "datatype: unknown code",
    "value: not a finite number and not '-'",
    "year/period: not the file's release (one release per table)",
    "series_id: repeated (every copy is set aside)",
)
REPEATED = len(REASONS)  # reason number of the last rule, checked once all rows are in
Progress = Callable[[int, int], None]


class _AsText(Exception):
    """The fast read met a value it cannot keep: read the file again as text."""


@dataclass
class Wide:
    """One row per series stem (areatype, area, industry, occupation), a column per datatype."""

    stems: np.ndarray  # 'S20' stems (areatype, area, industry, occupation), sorted
    values: np.ndarray  # float64 [datatype, stem] (a column per row), NaN where not published
    top_coded: np.ndarray  # bool per stem: a wage is at or above the top code
    footnotes: np.ndarray  # object per stem: '4;8' or None
    stamp: np.ndarray  # object per stem: year + period, '2025A01'
    rows_in: int
    rejected: pd.DataFrame
    reason_counts: dict[str, int]


def _code_table(datatypes: list[str]) -> np.ndarray:
    """[first byte, second byte] of a datatype code -> its column number, -1 for unknown codes."""
    table = np.full((256, 256), -1, np.int8)
    for number, code in enumerate(datatypes):
        first, second = code.encode()
        table[first, second] = number
    return table


SPACE = ord(" ")
AREATYPE_BYTES = np.zeros(256, bool)
AREATYPE_BYTES[[ord(c) for c in "NSM"]] = True


def _id_bytes(raw: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The series ids as an [n, 25] byte matrix and their trimmed lengths. BLS pads every id to
    the same width with spaces: then the matrix is a view of pyarrow's buffer. Otherwise the ids
    are trimmed and gathered, with ids of another length left blank."""
    n = len(raw)
    offsets = np.frombuffer(raw.buffers()[1], np.int32)[raw.offset : raw.offset + n + 1]
    data = np.frombuffer(raw.buffers()[2], np.uint8)
    width = int(offsets[1] - offsets[0]) if n else 0
    if n and width >= SERIES_ID_LENGTH and offsets[-1] - offsets[0] == n * width:
        padded = data[offsets[0] : offsets[-1]].reshape(n, width)
        if (padded[:, SERIES_ID_LENGTH:] == SPACE).all() and (padded[:, 0] != SPACE).all():
            return padded[:, :SERIES_ID_LENGTH], np.full(n, SERIES_ID_LENGTH, np.int32)
    ids = pc.ascii_trim(raw, " ")
    lengths = pc.binary_length(ids).to_numpy(zero_copy_only=False)
    offsets = np.frombuffer(ids.buffers()[1], np.int32)[ids.offset : ids.offset + n + 1]
    data = np.frombuffer(ids.buffers()[2], np.uint8) if ids.buffers()[2] else np.zeros(1, np.uint8)
    where = np.minimum(offsets[:-1, None] + np.arange(SERIES_ID_LENGTH), len(data) - 1)
    matrix = data[where]
    matrix[lengths != SERIES_ID_LENGTH] = 0
    return matrix, lengths


def _constant(column: pa.Array) -> str | None:
    """The one text every row of a string column holds, or None when they differ: read off the
    buffers, no per-row work."""
    n = len(column)
    offsets = np.frombuffer(column.buffers()[1], np.int32)[column.offset : column.offset + n + 1]
    width = int(offsets[1] - offsets[0]) if n else 0
    if not n or offsets[-1] - offsets[0] != n * width or (np.diff(offsets) != width).any():
        return None
    data = memoryview(column.buffers()[2])[offsets[0] : offsets[-1]]
    first = bytes(data[:width])
    return first.decode() if bytes(data) == first * n else None


def _numbers(value: pa.Array, dash: np.ndarray) -> np.ndarray:
    """Each value as a float, NaN for '-' and for text that is not a number."""
    # '-' becomes null by a validity bitmap over the same text buffers (no copy of the text).
    valid = pc.invert(pa.array(dash)).buffers()[1]
    offsets, data = value.buffers()[1], value.buffers()[2]
    blank = pa.Array.from_buffers(pa.string(), len(value), [valid, offsets, data], offset=0)
    if value.offset:  # a sliced array: fall back to a copy rather than shift the bitmap
        blank = pc.if_else(pa.array(dash), pa.scalar(None, pa.string()), value)
    try:
        return pc.cast(blank, pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:  # some value is not a number: read them one by one (a bad file only)
        return np.fromiter((_float(v) for v in blank.to_pylist()), float, len(value))


def _float(text: str | None) -> float:
    if text is None or "_" in text:
        return np.nan
    try:
        return float(text)
    except ValueError:
        return np.nan


@dataclass
class _Runs:
    """What is kept as the values stream past: one row per run of values of one stem (a sorted
    file has one run per stem), a column per datatype, never the values' text. Only a few
    hundred thousand rows are ever held, so memory stays small (on a VM fresh pages are dear)."""

    datatypes: list[str]
    top_code: str
    floors: dict[int, float]
    rows: int = 0
    runs: int = 0
    release: str | None = None
    stems: list[np.ndarray] = field(default_factory=list)  # 'S20' per run
    values: list[np.ndarray] = field(default_factory=list)  # [datatype, run], NaN: absent, '-'
    counts: list[np.ndarray] = field(default_factory=list)  # [datatype, run] values seen
    top: list[np.ndarray] = field(default_factory=list)  # per run: a wage is top-coded
    note_runs: list[np.ndarray] = field(default_factory=list)  # run of each footnote
    notes: list[pa.Array] = field(default_factory=list)
    bad: list[pd.DataFrame] = field(default_factory=list)
    last_stem: bytes | None = None

    def __post_init__(self) -> None:
        self.code_table = _code_table(self.datatypes)
        self.floor = np.full(len(self.datatypes), np.nan)
        for code, amount in self.floors.items():
            self.floor[code] = amount
        self.is_top: dict[str, bool] = {}

    def add(self, batch: pa.RecordBatch) -> None:
        ids, lengths = _id_bytes(batch.column("series_id"))
        datatype = self.code_table[ids[:, 23], ids[:, 24]]
        value = batch.column("value")
        if pa.types.is_floating(value.type):  # converted by the parser, '-' as null
            dash = value.is_null().to_numpy(zero_copy_only=False)
            numbers = value.to_numpy(zero_copy_only=False)
            if not np.isfinite(numbers[~dash]).all():
                raise _AsText("a value is not a finite number")  # its own text is quoted
        else:
            value = pc.ascii_trim(value, " ")
            dash = pc.equal(value, "-").to_numpy(zero_copy_only=False)
            numbers = _numbers(value, dash)
        failed = (  # the rules in REASONS' order; the first failing one names the value
            lengths != SERIES_ID_LENGTH,
            (ids[:, 0] != ord("O")) | (ids[:, 1] != ord("E")) | (ids[:, 2] != ord("U")),
            ~AREATYPE_BYTES[ids[:, 3]],
            datatype < 0,
            ~dash & ~np.isfinite(numbers),
            self._other_release(batch.column("year"), batch.column("period")),
        )
        size = len(ids)
        reason = np.zeros(size, np.int8)
        for number in range(len(failed), 0, -1):
            reason[failed[number - 1]] = number
        notes = batch.column("footnote_codes")
        if reason.any():
            ok = reason == 0
            self._reject(batch, reason)
            ids, datatype, numbers = ids[ok], datatype[ok], numbers[ok]
            notes = pc.filter(notes, pa.array(ok))
        self.rows += size
        if len(ids):
            self._runs(ids, datatype, numbers, notes)

    def _runs(
        self, ids: np.ndarray, datatype: np.ndarray, numbers: np.ndarray, notes: pa.Array
    ) -> None:
        """The batch's values into one row per run; a run the last batch left open goes on."""
        width = len(self.datatypes)
        words = np.ascontiguousarray(ids[:, 3:23]).view(np.uint32)  # a stem is 5 words
        stem = words.view("S20").ravel()
        starts = np.empty(len(stem), bool)
        starts[0] = True
        np.not_equal(words[1:, 0], words[:-1, 0], out=starts[1:])
        for word in range(1, 5):
            starts[1:] |= words[1:, word] != words[:-1, word]
        run = np.cumsum(starts) - 1
        count = int(run[-1]) + 1
        # Column-major ([datatype, run]): each output column is one contiguous block later.
        cells = datatype.astype(np.int64) * count + run
        seen = np.bincount(cells, minlength=count * width)
        values = np.full(count * width, np.nan)
        values[cells] = numbers
        top = np.zeros(count, bool)
        continues = stem[0] == self.last_stem  # the first run goes on from the last batch's
        offset = self.runs - 1 if continues else self.runs  # global number of local run 0
        has_note = pc.not_equal(notes, "")
        if pc.any(has_note).as_py():
            text = pc.ascii_trim(pc.filter(notes, has_note), " ")
            at = np.flatnonzero(has_note.to_numpy(zero_copy_only=False))
            real = pc.not_equal(text, "")
            at, text = at[real.to_numpy(zero_copy_only=False)], pc.filter(text, real)
            for note in pc.unique(text).to_pylist():
                self.is_top.setdefault(note, self.top_code in re.split(r"[^0-9A-Za-z]+", note))
            tops = [note for note, top in self.is_top.items() if top]
            pick = pc.is_in(text, value_set=pa.array(tops, pa.string()))
            pick = pick.to_numpy(zero_copy_only=False)
            # A top-coded wage is published as '-' with the footnote: keep the floor it is at
            # or above (the top_coded flag says so), never a made-up figure.
            capped = at[pick]
            capped = capped[np.isnan(numbers[capped]) & ~np.isnan(self.floor[datatype[capped]])]
            values[cells[capped]] = self.floor[datatype[capped]]
            top[run[capped]] = True
            self.note_runs.append(run[at] + offset)
            self.notes.append(text)
        values = values.reshape(width, count)
        seen = np.minimum(seen, 255).astype(np.uint8).reshape(width, count)
        first = stem[starts]
        if continues:  # (empty chunks are never kept, so [-1] holds that run)
            self.values[-1][:, -1] = np.fmax(self.values[-1][:, -1], values[:, 0])
            self.counts[-1][:, -1] += seen[:, 0]
            self.top[-1][-1] |= top[0]
            values, seen, top, first = values[:, 1:], seen[:, 1:], top[1:], first[1:]
        self.runs = offset + count
        self.last_stem = stem[-1]
        if not len(first):
            return
        self.stems.append(first)
        self.values.append(values)
        self.counts.append(seen)
        self.top.append(top)

    def _other_release(self, year: pa.Array, period: pa.Array) -> np.ndarray:
        """Values of another release than the file's first: one table holds one release."""
        years, periods = _constant(year), _constant(period)
        if years is not None and periods is not None:
            stamp = f"{years.strip()}{periods.strip()}"
            self.release = self.release or stamp
            return np.full(len(year), stamp != self.release)
        joined = pc.binary_join_element_wise(
            pc.ascii_trim(year, " "), pc.ascii_trim(period, " "), ""
        )
        self.release = self.release or joined[0].as_py()
        return pc.not_equal(joined, self.release).to_numpy(zero_copy_only=False)

    def _reject(self, batch: pa.RecordBatch, reason: np.ndarray) -> None:
        failed = np.flatnonzero(reason)
        frame = pd.DataFrame(
            {
                name: pc.ascii_trim(batch.column(name).take(failed).cast(pa.string()), " ")
                .fill_null("-")
                .to_pylist()
                for name in DATA_COLUMNS
            }
        )
        frame["reason"] = [REASONS[r - 1] for r in reason[failed]]
        frame["line"] = failed + self.rows + 2  # the header is line 1
        self.bad.append(frame)

    def finish(self) -> Wide:
        """Runs -> one row per stem (a file out of order only makes more runs to merge); values
        whose series id came more than once are set aside, every copy."""
        width = len(self.datatypes)
        if not self.stems:
            return _empty(width, self.rows, self.bad)
        runs = np.concatenate(self.stems)
        values = np.concatenate(self.values, axis=1)
        seen = np.concatenate(self.counts, axis=1)
        top = np.concatenate(self.top)
        if (runs[1:] > runs[:-1]).all():  # in order (BLS's file is): one run per stem
            stems, stem, wide, count, flag = runs, np.arange(len(runs)), values, seen, top
        else:
            stems, stem = np.unique(runs, return_inverse=True)
            wide = np.full((width, len(stems)), np.nan)
            np.fmax.at(wide.T, stem, values.T)
            count = np.zeros((width, len(stems)), np.uint16)
            np.add.at(count.T, stem, seen.T)
            flag = np.zeros(len(stems), bool)
            np.logical_or.at(flag, stem, top)
        repeated = count > 1
        if repeated.any():
            wide[repeated] = np.nan
        present = (count == 1).any(axis=0)
        note_runs = np.concatenate(self.note_runs) if self.note_runs else np.zeros(0, np.int64)
        notes = pa.chunked_array(self.notes, pa.string()).to_numpy()
        footnotes = _join_notes(stem[note_runs], notes, len(stems))
        repeats = self._repeats(stems, count, repeated)
        rejected = [*self.bad, repeats] if len(repeats) else self.bad
        counts = {text: 0 for text in REASONS}
        for frame in self.bad:
            for text, n in frame["reason"].value_counts().items():
                counts[text] += int(n)
        counts[REASONS[REPEATED - 1]] = int(count[repeated].sum())
        if not present.all():
            stems, wide, flag = stems[present], wide[:, present], flag[present]
            footnotes = footnotes[present]
        return Wide(
            stems=stems,
            values=wide,
            top_coded=flag,
            footnotes=footnotes,
            stamp=np.full(len(stems), self.release, dtype=object),
            rows_in=self.rows,
            rejected=pd.concat(rejected, ignore_index=True) if rejected else _no_rows(),
            reason_counts=counts,
        )

    def _repeats(self, stems: np.ndarray, count: np.ndarray, repeated: np.ndarray) -> pd.DataFrame:
        """One row per series id that came more than once (its values are all set aside)."""
        datatype, stem = np.nonzero(repeated)
        release = self.release or ""
        return pd.DataFrame(
            {
                "series_id": [
                    f"OEU{stems[s].decode()}{self.datatypes[d]}"
                    for s, d in zip(stem, datatype, strict=True)
                ],
                "year": release[:4],
                "period": release[4:],
                "value": [f"{n} values" for n in count[datatype, stem]],
                "footnote_codes": "",
                "reason": REASONS[REPEATED - 1],
                "line": None,
            }
        )


def _no_rows() -> pd.DataFrame:
    return pd.DataFrame(columns=[*DATA_COLUMNS, "reason", "line"])


def _empty(width: int, rows: int, bad: list[pd.DataFrame]) -> Wide:
    counts = {text: 0 for text in REASONS}
    for frame in bad:
        for text, n in frame["reason"].value_counts().items():
            counts[text] += int(n)
    return Wide(
        stems=np.zeros(0, "S20"),
        values=np.zeros((width, 0)),
        top_coded=np.zeros(0, bool),
        footnotes=np.zeros(0, object),
        stamp=np.zeros(0, object),
        rows_in=rows,
        rejected=pd.concat(bad, ignore_index=True) if bad else _no_rows(),
        reason_counts=counts,
    )


def _join_notes(stem: np.ndarray, notes: np.ndarray, size: int) -> np.ndarray:
    """Each stem's distinct footnote codes, sorted and joined: '4;8'; None without any."""
    out = np.full(size, None, dtype=object)
    if not len(stem):
        return out
    pairs = pd.DataFrame({"stem": stem, "note": notes}).drop_duplicates()
    pairs = pairs.sort_values(["stem", "note"], kind="stable")
    order = pairs.groupby("stem").cumcount().to_numpy()
    stems, texts = pairs["stem"].to_numpy(), pairs["note"].to_numpy()
    for k in range(int(order.max()) + 1 if len(order) else 0):
        pick = order == k
        if k == 0:
            out[stems[pick]] = texts[pick]
        else:
            out[stems[pick]] = out[stems[pick]] + ";" + texts[pick]
    return out


def _ahead(reader: pacsv.CSVStreamingReader) -> Iterator[pa.RecordBatch]:
    """The reader's batches, the next one parsed in a thread while this one is checked (the
    streaming reader itself parses only when asked)."""
    ready: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def pull() -> None:
        try:
            for batch in reader:
                if stop.is_set():
                    return
                ready.put(batch)
            ready.put(None)
        except BaseException as exc:  # noqa: BLE001 (handed to the consumer, raised there)
            ready.put(exc)

    worker = threading.Thread(target=pull, name="oews-reader", daemon=True)
    worker.start()
    try:
        while (item := ready.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # unblock a producer waiting on a full queue
            with contextlib.suppress(queue.Empty):
                ready.get(timeout=0.05)
        worker.join()


def header(head: bytes, name: str) -> list[str]:
    """The data file's column names (BLS pads them with spaces), from the first line of its
    (inflated) head; a SourceError when they are not the expected ones."""
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r")
    names = [h.strip() for h in first.split("\t")]
    if names[: len(DATA_COLUMNS)] != list(DATA_COLUMNS):
        raise SourceError(
            f"{name}: line 1 is not the expected header {list(DATA_COLUMNS)}: {names[:8]}"
        )
    return names


@contextlib.contextmanager
def _opened(
    item: Raw, name: str, cap: int | None = None
) -> Iterator[tuple[pa.NativeFile, pa.NativeFile, list[str]]]:
    """The file opened once: (the file as stored, for progress; the text stream, inflated when
    it is gzipped, and then read against `cap` on its inflated size; its header). A plain file
    must end with a newline (pyarrow's ArrowInvalid otherwise, which the caller turns into the
    line number)."""
    body = pa.OSFile(str(item)) if isinstance(item, Path) else pa.BufferReader(item)
    try:
        start = body.read(HEAD_BYTES)
        gzipped = start.startswith(GZIP_MAGIC)
        if gzipped:
            try:
                start = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(start, 4096)
            except zlib.error as exc:
                raise SourceError(f"{name}: the gzip body is corrupt ({exc})") from exc
        names = header(start, name)
        size = body.size()
        if not gzipped and size and body.read_at(1, size - 1) not in (b"\n", b"\r"):
            raise pa.ArrowInvalid("no final newline")
        body.seek(0)
        # Arrow inflates in its own thread, without the GIL; a gzip body's CRC proves it whole.
        stream = pa.CompressedInputStream(body, "gzip") if gzipped else body
        # counted as it inflates: a gzip bomb stops at the cap, whatever its compressed size
        text = (
            pa.PythonFile(Inflated(stream, cap, f"{name} (gzip)"), mode="r")
            if gzipped and cap is not None
            else stream
        )
        try:
            yield body, text, names
        finally:
            stream.close()
    finally:
        body.close()


def read(
    item: Raw,
    name: str,
    datatypes: list[str],
    top_code: str,
    floors: dict[int, float],
    on_progress: Progress,
    cap: int | None = None,
) -> Wide:
    """The data file (gzipped or plain) parsed block by block by pyarrow, each value checked and
    reduced to a few bytes as it streams past, then pivoted to one row per stem. A malformed
    table raises pyarrow's `ArrowInvalid` (the caller finds the line); a bad gzip body or header,
    or a gzip body inflating past `cap` bytes, a `SourceError`."""
    try:
        return _read(item, name, datatypes, top_code, floors, on_progress, cap, typed=True)
    except _AsText:
        pass
    except pa.ArrowInvalid as exc:
        if "conversion error" not in str(exc):
            raise
    # A value the parser cannot read as a number: read again as text, to name each bad value.
    return _read(item, name, datatypes, top_code, floors, on_progress, cap, typed=False)


def _read(
    item: Raw,
    name: str,
    datatypes: list[str],
    top_code: str,
    floors: dict[int, float],
    on_progress: Progress,
    cap: int | None,
    *,
    typed: bool,
) -> Wide:
    rows = _Runs(datatypes=datatypes, top_code=top_code, floors=floors)
    with _opened(item, name, cap) as (body, stream, names):
        total = body.size()  # where it is in the file as stored is the progress
        types = {c: pa.string() for c in names}
        if typed:
            # The parser reads the (space-padded) numbers itself, in its own threads; '-' at any
            # padding is null.
            types["value"] = pa.float64()
        on_progress(0, total)
        try:
            reader = pacsv.open_csv(
                stream,
                read_options=pacsv.ReadOptions(
                    column_names=names, skip_rows=1, block_size=BLOCK_BYTES
                ),
                parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
                convert_options=pacsv.ConvertOptions(
                    column_types=types,
                    include_columns=list(DATA_COLUMNS),
                    strings_can_be_null=False,
                    null_values=[" " * pad + "-" for pad in range(MAX_PAD)],
                ),
            )
            for batch in _ahead(reader):
                rows.add(batch)
                on_progress(body.tell(), total)
        except OSError as exc:  # Arrow's words for a bad gzip body, in ours
            if "Truncated" in str(exc):
                raise SourceError(
                    f"{name}: the gzip body is cut short (truncated download?)"
                ) from exc
            raise SourceError(f"{name}: the gzip body is corrupt ({exc})") from exc
    on_progress(total, total)
    return rows.finish()
