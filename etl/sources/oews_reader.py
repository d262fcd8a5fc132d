"""The OEWS data file read as a stream: every value checked, then one row per series stem."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from etl.sources.base import SourceError

GZIP_MAGIC = b"\x1f\x8b"
DATA_COLUMNS = ("series_id", "year", "period", "value", "footnote_codes")
SERIES_ID_LENGTH = 25
# Big blocks keep the per-batch overhead small; the reader parses the next block in its own
# thread while this one is checked, so inflating, parsing and checking overlap on two cores.
BLOCK_BYTES = 4 << 20
INFLATE_CHUNK = 1 << 20
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


class Inflater:
    """A read-only file over gzip bytes that pyarrow pulls from: it inflates as asked, knows how
    much of the compressed body it used (progress) and its last byte (a final newline), and names
    a body that is cut short or corrupt instead of ending early."""

    closed = False

    def __init__(self, data: bytes, name: str) -> None:
        self._data = memoryview(data)
        self._name = name
        self._pos = 0
        self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self.last = b""

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.closed = True

    @property
    def used(self) -> int:
        return self._pos - len(self._z.unconsumed_tail)

    def read(self, size: int = -1) -> bytes:
        limit = size if size and size > 0 else 0
        while True:
            if self._z.eof:
                rest = self._z.unused_data
                if not rest.strip(b"\0"):
                    return b""
                # A gzip file may hold several members (pigz, concatenated parts): go on.
                self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
                chunk = rest
            elif self._z.unconsumed_tail:
                chunk = self._z.unconsumed_tail
            elif self._pos < len(self._data):
                chunk = self._data[self._pos : self._pos + INFLATE_CHUNK]
                self._pos += len(chunk)
            else:
                raise SourceError(f"{self._name}: the gzip body is cut short (truncated download?)")
            try:
                out = self._z.decompress(chunk, limit)
            except zlib.error as exc:
                raise SourceError(f"{self._name}: the gzip body is corrupt ({exc})") from exc
            if out:
                self.last = out[-1:]
                return out


@dataclass
class Wide:
    """One row per series stem (areatype, area, industry, occupation), a column per datatype."""

    stems: np.ndarray  # 'S20' stems (areatype, area, industry, occupation), sorted
    values: np.ndarray  # float64 [stem, datatype], NaN where not published
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


AREATYPE_BYTES = np.zeros(256, bool)
AREATYPE_BYTES[[ord(c) for c in "NSM"]] = True
PREFIX = np.frombuffer(b"OEU", np.uint8)


def _id_bytes(ids: pa.Array, lengths: np.ndarray) -> np.ndarray:
    """The trimmed series ids as an [n, 25] byte matrix: a view of pyarrow's buffer when every id
    is 25 bytes long (the usual case), else gathered, with the other ids left blank."""
    n = len(ids)
    offsets = np.frombuffer(ids.buffers()[1], np.int32)[ids.offset : ids.offset + n + 1]
    data = np.frombuffer(ids.buffers()[2], np.uint8)
    if n and (lengths == SERIES_ID_LENGTH).all():
        return data[offsets[0] : offsets[-1]].reshape(n, SERIES_ID_LENGTH)
    where = offsets[:-1, None] + np.arange(SERIES_ID_LENGTH)
    matrix = data[np.minimum(where, max(len(data) - 1, 0))] if len(data) else np.zeros(where.shape)
    matrix = matrix.astype(np.uint8)
    matrix[lengths != SERIES_ID_LENGTH] = 0
    return matrix


def _numbers(value: pa.Array, dash: np.ndarray) -> np.ndarray:
    """Each value as a float, NaN for '-' and for text that is not a number."""
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
    values: list[np.ndarray] = field(default_factory=list)  # [run, datatype], NaN: absent, '-'
    counts: list[np.ndarray] = field(default_factory=list)  # [run, datatype] values seen
    top: list[np.ndarray] = field(default_factory=list)  # per run: a wage is top-coded
    note_runs: list[np.ndarray] = field(default_factory=list)  # run of each footnote
    notes: list[str] = field(default_factory=list)
    bad_at: list[np.ndarray] = field(default_factory=list)  # row number of each rejected value
    bad: list[pd.DataFrame] = field(default_factory=list)
    last_stem: bytes | None = None

    def __post_init__(self) -> None:
        self.code_table = _code_table(self.datatypes)
        self.floor = np.full(len(self.datatypes), np.nan)
        for code, amount in self.floors.items():
            self.floor[code] = amount
        self.is_top: dict[str, bool] = {}

    def add(self, batch: pa.RecordBatch) -> None:
        sid = pc.ascii_trim(batch.column("series_id"), " ")
        value = pc.ascii_trim(batch.column("value"), " ")
        lengths = pc.binary_length(sid).to_numpy(zero_copy_only=False)
        ids = _id_bytes(sid, lengths)
        datatype = self.code_table[ids[:, 23], ids[:, 24]]
        dash = pc.equal(value, "-").to_numpy(zero_copy_only=False)
        numbers = _numbers(value, dash)
        failed = (  # the rules in REASONS' order; the first failing one names the value
            lengths != SERIES_ID_LENGTH,
            (ids[:, :3] != PREFIX).any(axis=1),
            ~AREATYPE_BYTES[ids[:, 3]],
            datatype < 0,
            ~dash & ~np.isfinite(numbers),
            self._other_release(batch.column("year"), batch.column("period")),
        )
        reason = np.zeros(len(sid), np.int8)
        for number in range(len(failed), 0, -1):
            reason[failed[number - 1]] = number
        notes = batch.column("footnote_codes")
        if reason.any():
            ok = reason == 0
            self._reject(batch, sid, value, reason)
            ids, datatype, numbers = ids[ok], datatype[ok], numbers[ok]
            notes = pc.filter(notes, pa.array(ok))
        self.rows += len(sid)
        if len(ids):
            self._runs(ids, datatype, numbers, notes)

    def _runs(
        self, ids: np.ndarray, datatype: np.ndarray, numbers: np.ndarray, notes: pa.Array
    ) -> None:
        """The batch's values into one row per run; a run the last batch left open goes on."""
        width = len(self.datatypes)
        stem = np.ascontiguousarray(ids[:, 3:23]).view("S20").ravel()
        starts = np.empty(len(stem), bool)
        starts[0] = True
        np.not_equal(stem[1:], stem[:-1], out=starts[1:])
        run = np.cumsum(starts) - 1
        cells = run * width + datatype
        count = int(run[-1]) + 1
        seen = np.bincount(cells, minlength=count * width)
        values = np.full(count * width, np.nan)
        values[cells] = numbers
        top = np.zeros(count, bool)
        continues = stem[0] == self.last_stem  # the first run goes on from the last batch's
        offset = self.runs - 1 if continues else self.runs  # global number of local run 0
        has_note = pc.not_equal(notes, "")
        if pc.any(has_note).as_py():
            text = pc.ascii_trim(pc.filter(notes, has_note), " ").to_pylist()
            at = np.flatnonzero(has_note.to_numpy(zero_copy_only=False))
            real = np.fromiter((bool(t) for t in text), bool, len(text))
            at, text = at[real], [t for t in text if t]
            for note in set(text).difference(self.is_top):
                self.is_top[note] = self.top_code in re.split(r"[^0-9A-Za-z]+", note)
            pick = np.fromiter((self.is_top[t] for t in text), bool, len(text))
            # A top-coded wage is published as '-' with the footnote: keep the floor it is at
            # or above (the top_coded flag says so), never a made-up figure.
            capped = at[pick]
            capped = capped[np.isnan(numbers[capped]) & ~np.isnan(self.floor[datatype[capped]])]
            values[cells[capped]] = self.floor[datatype[capped]]
            top[run[capped]] = True
            self.note_runs.append(run[at] + offset)
            self.notes.extend(text)
        values = values.reshape(count, width)
        seen = np.minimum(seen, 255).astype(np.uint8).reshape(count, width)
        first = stem[starts]
        if continues:
            self.values[-1][-1] = np.fmax(self.values[-1][-1], values[0])
            self.counts[-1][-1] += seen[0]
            self.top[-1][-1] |= top[0]
            values, seen, top, first = values[1:], seen[1:], top[1:], first[1:]
        self.stems.append(first)
        self.values.append(values)
        self.counts.append(seen)
        self.top.append(top)
        self.runs = offset + count
        self.last_stem = stem[-1]

    def _other_release(self, year: pa.Array, period: pa.Array) -> np.ndarray:
        """Values of another release than the file's first: one table holds one release."""
        years, periods = pc.unique(year), pc.unique(period)
        if len(years) == 1 and len(periods) == 1:
            stamp = f"{years[0].as_py().strip()}{periods[0].as_py().strip()}"
            self.release = self.release or stamp
            return np.full(len(year), stamp != self.release)
        joined = pc.binary_join_element_wise(
            pc.ascii_trim(year, " "), pc.ascii_trim(period, " "), ""
        )
        self.release = self.release or joined[0].as_py()
        return pc.not_equal(joined, self.release).to_numpy(zero_copy_only=False)

    def _reject(
        self, batch: pa.RecordBatch, sid: pa.Array, value: pa.Array, reason: np.ndarray
    ) -> None:
        failed = np.flatnonzero(reason)
        columns = {"series_id": sid, "value": value}
        frame = pd.DataFrame(
            {
                name: pc.ascii_trim(columns.get(name, batch.column(name)), " ")
                .take(failed)
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
        values, seen = np.concatenate(self.values), np.concatenate(self.counts)
        top = np.concatenate(self.top)
        stems, stem = np.unique(runs, return_inverse=True)
        if len(stems) == len(runs):  # one run per stem: the file is in order
            wide, count, flag = np.empty_like(values), np.empty_like(seen), np.empty_like(top)
            wide[stem], count[stem], flag[stem] = values, seen, top
        else:
            wide = np.full((len(stems), width), np.nan)
            np.fmax.at(wide, stem, values)
            count = np.zeros((len(stems), width), np.uint16)
            np.add.at(count, stem, seen)
            flag = np.zeros(len(stems), bool)
            np.logical_or.at(flag, stem, top)
        repeated = count > 1
        wide[repeated] = np.nan
        present = (count == 1).any(axis=1)
        note_runs = np.concatenate(self.note_runs) if self.note_runs else np.zeros(0, np.int64)
        footnotes = _join_notes(stem[note_runs], np.asarray(self.notes, object), len(stems))
        repeats = self._repeats(stems, count, repeated)
        rejected = [*self.bad, repeats] if len(repeats) else self.bad
        counts = {text: 0 for text in REASONS}
        for frame in self.bad:
            for text, n in frame["reason"].value_counts().items():
                counts[text] += int(n)
        counts[REASONS[REPEATED - 1]] = int(count[repeated].sum())
        return Wide(
            stems=stems[present],
            values=wide[present],
            top_coded=flag[present],
            footnotes=footnotes[present],
            stamp=np.full(int(present.sum()), self.release, dtype=object),
            rows_in=self.rows,
            rejected=pd.concat(rejected, ignore_index=True) if rejected else _no_rows(),
            reason_counts=counts,
        )

    def _repeats(self, stems: np.ndarray, count: np.ndarray, repeated: np.ndarray) -> pd.DataFrame:
        """One row per series id that came more than once (its values are all set aside)."""
        stem, datatype = np.nonzero(repeated)
        release = self.release or ""
        return pd.DataFrame(
            {
                "series_id": [
                    f"OEU{stems[s].decode()}{self.datatypes[d]}"
                    for s, d in zip(stem, datatype, strict=True)
                ],
                "year": release[:4],
                "period": release[4:],
                "value": [f"{n} values" for n in count[stem, datatype]],
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
        values=np.zeros((0, width)),
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


def read(
    data: bytes,
    name: str,
    header: list[str],
    datatypes: list[str],
    top_code: str,
    floors: dict[int, float],
    on_progress: Progress,
) -> Wide:
    """The data file (gzipped or plain) parsed block by block by pyarrow, each value checked and
    reduced to a few bytes as it streams past, then pivoted to one row per stem. A malformed
    table raises pyarrow's `ArrowInvalid` (the caller finds the line); a bad gzip body, a
    `SourceError`."""
    packed = data.startswith(GZIP_MAGIC)
    inflater = Inflater(data, name) if packed else None
    plain = None if packed else pa.BufferReader(data)
    stream = pa.PythonFile(inflater, mode="r") if inflater else plain
    rows = _Runs(datatypes=datatypes, top_code=top_code, floors=floors)
    total = len(data)
    on_progress(0, total)
    try:
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(
                column_names=header, skip_rows=1, block_size=BLOCK_BYTES
            ),
            parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header},
                include_columns=list(DATA_COLUMNS),
                strings_can_be_null=False,
            ),
        )
        for batch in reader:
            rows.add(batch)
            on_progress(inflater.used if inflater else plain.tell(), total)
    finally:
        stream.close()
    if inflater and inflater.last not in (b"\n", b"\r"):
        raise SourceError(f"{name}: the file does not end with a newline at line {rows.rows + 1:,}")
    on_progress(total, total)
    return rows.finish()
