"""The helpers every source shares: the table reader and the per-row reasons accumulator."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from etl.sources.base import Reasons, SourceError, read_table

RAW = {"a.csv": b"x,y,extra\n 1 ,b,\n2,,z\n", "t.txt": b'k\tv\r\n"q\tw\r\n'}


def test_read_table_gives_strings_with_empty_cells_as_empty_strings() -> None:
    frame = read_table(RAW, "a.csv", ("y", "x"))
    assert frame.to_dict("list") == {"x": ["1", "2"], "y": ["b", ""], "extra": ["", "z"]}
    assert list(read_table(RAW, "a.csv", ("y", "x"), select=True).columns) == ["y", "x"]
    assert read_table(RAW, "a.csv", ("x",), strip=False)["x"].tolist() == [" 1 ", "2"]


def test_read_table_passes_separator_and_read_csv_options() -> None:
    frame = read_table(RAW, "t.txt", ("k", "v"), separator="\t", quoting=csv.QUOTE_NONE)
    assert frame.to_dict("list") == {"k": ['"q'], "v": ["w"]}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "a.csv: not among the fetched files"),
        ({"a.csv": b"x,y\n1,2\n"}, r"a.csv: missing expected columns \['z'\]"),
        ({"a.csv": b"\xff\xfe\x00x"}, "a.csv: cannot be parsed as a table"),
    ],
)
def test_read_table_errors_name_the_file(raw: dict[str, bytes], message: str) -> None:
    with pytest.raises(SourceError, match=message):
        read_table(raw, "a.csv", ("x", "z"))


def test_reasons_join_several_per_row_and_split_the_frame() -> None:
    frame = pd.DataFrame({"code": ["ok", "X", "Y", "X"]}, index=[10, 11, 12, 13])
    reasons = Reasons(frame.index)
    reasons.add(frame["code"] != "ok", "code: bad " + frame["code"].map(repr))
    reasons.add(frame.index.to_series() > 12, "late")
    assert reasons.text.tolist() == ["", "code: bad 'X'", "code: bad 'Y'", "code: bad 'X'; late"]
    assert reasons.bad.tolist() == [False, True, True, True]
    good, rejected = reasons.split(frame)
    assert good.index.tolist() == [10]
    assert rejected.to_dict("index") == {
        11: {"code": "X", "reason": "code: bad 'X'"},
        12: {"code": "Y", "reason": "code: bad 'Y'"},
        13: {"code": "X", "reason": "code: bad 'X'; late"},
    }


def test_reasons_on_an_empty_frame() -> None:
    frame = pd.DataFrame({"code": pd.Series([], dtype=str)})
    reasons = Reasons(frame.index)
    reasons.add(frame["code"] != "ok", "code: bad")
    good, rejected = reasons.split(frame)
    assert good.empty and rejected.empty and "reason" in rejected.columns
