"""Exports: exact rows, formula neutralization, numbers kept numeric, provenance metadata."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from dashboard import export

ABOUT = export.About(
    title="Salary reports",
    table="salaries",
    sources=(
        {
            "name": "aijobs",
            "title": "aijobs.net salaries",
            "url": "https://aijobs.net/salaries/download/salaries.csv",
            "licence": "CC0 1.0",
            "licence_url": "https://creativecommons.org/publicdomain/zero/1.0/",
            "attribution": "aijobs.net salaries",
            "as_of": "2025-01-19",
        },
        {"name": "seed", "title": "Seed", "licence": "facts", "as_of_note": "undated article"},
    ),
    filters={"experience_level": "Senior"},
    data_version="v1",
    refreshed_at="2026-01-01T00:00:00+00:00",
    exported_at="2026-01-02T00:00:00+00:00",
)


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "job_title": ["=1+1", "+cmd", "-2", "@SUM(A1)", "Data Scientist", None],
            "salary_usd": [1.5, -2.0, 3.0, 4.0, 5.0, 6.0],
            "work_year": pd.array([2024, 2024, None, 2023, 2023, 2022], dtype="Int64"),
            "hot": pd.array([True, None, False, True, True, False], dtype="boolean"),
            "date": pd.to_datetime(["2020-02-01"] * 6),
            "note": pd.array(["ok", "\tTAB", "x", "y", "z", "w"], dtype="string"),
        }
    )


def test_neutralize_text_only(frame):
    out = export.neutralize(frame)
    assert out["job_title"].tolist()[:5] == ["'=1+1", "'+cmd", "'-2", "'@SUM(A1)", "Data Scientist"]
    assert pd.isna(out["job_title"].iloc[5])
    assert out["note"].iloc[1] == "'\tTAB"
    assert out["salary_usd"].tolist() == frame["salary_usd"].tolist()  # -2.0 stays a number
    assert frame["job_title"].iloc[0] == "=1+1"  # the input is not modified


def test_csv_is_utf8_exact_rows(frame):
    data = export.to_csv(frame.assign(job_title=frame["job_title"].fillna("Zoë")))
    text = data.decode("utf-8")
    assert "Zoë" in text
    back = pd.read_csv(io.BytesIO(data))
    assert len(back) == len(frame)
    assert back["salary_usd"].tolist() == frame["salary_usd"].tolist()
    assert back["job_title"].iloc[0] == "'=1+1"
    assert text.splitlines()[1].split(",")[4] == "2020-02-01"


def test_xlsx_data_and_about(frame):
    book = load_workbook(io.BytesIO(export.to_xlsx(frame, ABOUT)))
    assert book.sheetnames == ["Data", "About"]
    data = book["Data"]
    rows = list(data.iter_rows(values_only=True))
    assert rows[0] == tuple(frame.columns)
    assert len(rows) - 1 == len(frame)
    assert rows[1][0] == "'=1+1" and data["A2"].data_type == "s"  # text, not a formula
    assert rows[2][1] == -2.0 and data["B3"].data_type == "n"  # numbers stay numbers
    assert rows[3][2] is None  # a missing integer is an empty cell
    assert rows[1][4].date() == date(2020, 2, 1)
    about = {r[0]: r[1] for r in book["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Title"] == "Salary reports" and about["Rows"] == "6"
    assert about["Filter: experience_level"] == "Senior"
    assert about["Source aijobs: licence"] == (
        "CC0 1.0 (https://creativecommons.org/publicdomain/zero/1.0/)"
    )
    assert about["Source aijobs: attribution"] == "aijobs.net salaries"
    assert about["Source aijobs: as of"] == "2025-01-19"
    assert about["Source seed: as of"] == "undated article"
    assert about["Data version"] == "v1"


def test_xlsx_drops_control_characters():
    frame = pd.DataFrame({"t": ["a\x00b\x1fc"]})
    book = load_workbook(io.BytesIO(export.to_xlsx(frame, ABOUT)))
    assert book["Data"]["A2"].value == "abc"


def test_parquet_rows_types_and_metadata(frame):
    blob = export.to_parquet(frame, ABOUT)
    table = pq.read_table(io.BytesIO(blob))
    assert table.num_rows == len(frame)
    assert table.column("job_title").to_pylist()[0] == "=1+1"  # not a spreadsheet: kept as is
    assert str(table.schema.field("salary_usd").type) == "double"
    meta = table.schema.metadata
    assert meta[b"row_count"] == b"6"
    assert b"CC0 1.0" in meta[b"licences"]
    assert b"aijobs.net salaries" in meta[b"attribution"]
    assert meta[b"as_of"] == b"aijobs: 2025-01-19; seed: undated article"
    about = export.read_about(blob)
    assert about["filters"] == {"experience_level": "Senior"}
    assert about["sources"][0]["url"].startswith("https://aijobs.net")
    assert b"pandas" in meta  # pandas' own metadata is kept
    # a calendar date stays a date, even from a datetime64 column
    assert str(table.schema.field("date").type) == "date32[day]"


def test_render_dispatch_and_unknown(frame):
    csv = export.render("csv", frame, ABOUT)
    assert csv.startswith(b"# jobmarket export: the first ")
    assert b"\njob_title," in csv
    with pytest.raises(ValueError, match="unknown export format"):
        export.render("xml", frame, ABOUT)


def test_csv_carries_its_provenance_and_reads_back(frame):
    """The CSV says what it holds in leading # lines; the first says how many to skip."""
    csv = export.render("csv", frame.assign(job_title="C# Developer"), ABOUT)
    lines = csv.decode().splitlines()
    skip = export.provenance_lines(csv)
    assert all(line.startswith("#") for line in lines[:skip])
    assert not lines[skip].startswith("#")
    head = "\n".join(lines[:skip])
    assert "Salary reports" in head and "CC0 1.0" in head and "experience_level: Senior" in head
    assert f"skiprows={skip}" in lines[1]
    back = pd.read_csv(io.BytesIO(csv), skiprows=skip)
    assert len(back) == len(frame) and set(back["job_title"]) == {"C# Developer"}
    assert export.read_csv(csv).equals(back)
    assert export.provenance_lines(export.to_csv(frame)) == 0  # a bare CSV reads as it is


def test_file_stem_says_what_the_export_holds():
    assert export.file_stem("salaries", ["US", "Senior", "2024"]) == "salaries_US_Senior_2024"
    assert export.file_stem("skills", ["15-2051.00", "hot"]) == "skills_15-2051.00_hot"
    assert export.file_stem("x", ["a/b c", ""]) == "x_a-b-c"
    assert len(export.file_stem("t", ["y" * 300])) <= 100


def test_one_row_reads_one_row():
    from dashboard import fmt

    assert fmt.plural(1, "row") == "1 row" and fmt.plural(3, "row") == "3 rows"


def test_empty_export_still_has_header_and_about():
    empty = pd.DataFrame({"a": pd.Series(dtype="float64")})
    assert export.to_csv(empty) == b"a\n"
    book = load_workbook(io.BytesIO(export.to_xlsx(empty, ABOUT)))
    about = {r[0]: r[1] for r in book["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Rows"] == "0"
    assert export.read_about(export.to_parquet(empty, ABOUT))["row_count"] == 0


def test_no_filters_is_said():
    about = export.About(title="t", table="x")
    assert about.as_dict(0)["filters"] == {"(none)": "all rows"}


def test_arrow_typed_rows_keep_their_types_everywhere():
    """Rows as the data layer gives them for export (Arrow dtypes: date32, nullable bool)."""
    import pyarrow as pa

    table = pa.table(
        {
            "date": pa.array([date(2024, 1, 1), None], type=pa.date32()),
            "hot": pa.array([True, None], type=pa.bool_()),
            "n": pa.array([3, None], type=pa.int64()),
            "empty_text": pa.array([None, None], type=pa.string()),
            "title": pa.array(["=cmd", "ok"], type=pa.string()),
        }
    )
    frame = table.to_pandas(types_mapper=pd.ArrowDtype)
    back = pq.read_table(io.BytesIO(export.to_parquet(frame, ABOUT)))
    assert back.schema.field("date").type == pa.date32()
    assert back.schema.field("hot").type == pa.bool_()
    assert back.column("n").to_pylist() == [3, None]
    assert b"pandas" not in back.schema.metadata  # readers map Arrow types the usual way
    assert pd.read_parquet(io.BytesIO(export.to_parquet(frame, ABOUT)))["hot"].dtype == object
    csv = export.to_csv(frame).decode().splitlines()
    assert csv[1] == "2024-01-01,True,3,,'=cmd"
    book = load_workbook(io.BytesIO(export.to_xlsx(frame, ABOUT)))
    first = [c.value for c in book["Data"][2]]
    assert first[0].date() == date(2024, 1, 1) and first[1] is True and first[2] == 3
    assert first[3] is None and first[4] == "'=cmd"


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Engineer\r=1+1", '"Engineer\n=1+1"'),  # a lone CR would split the record
        ("Lead\r\n@SUM(A1)", '"Lead\n@SUM(A1)"'),
        ("  =cmd|' /C calc'!A0", "'  =cmd|' /C calc'!A0"),  # spaces before the formula
        ("\u200b+1", "'\u200b+1"),  # a zero-width space before it
        ("\u3000-1", "'\u3000-1"),  # an ideographic space
        ("\uff1dSUM(A1)", "'\uff1dSUM(A1)"),  # a full-width equals sign
        ("\uff20x", "'\uff20x"),
        ("Data = Science", "Data = Science"),  # an equals sign later on is text
    ],
)
def test_csv_keeps_each_record_whole_and_no_cell_a_formula(text, written) -> None:
    frame = pd.DataFrame({"job_title": [text, "next"], "n": [1, 2]})
    data = export.to_csv(frame).decode("utf-8")
    assert data == f"job_title,n\n{written},1\nnext,2\n"
    back = pd.read_csv(io.StringIO(data))
    assert len(back) == 2 and back["n"].tolist() == [1, 2]


def test_csv_writes_whole_numbers_as_integers():
    """A count stored as a float (`1687890.0`) is written as a person writes it; a blank stays
    blank and a fraction keeps its digits, in the same column too."""
    frame = pd.DataFrame(
        {
            "employment": [1687890.0, float("nan"), 3.0],
            "mixed": [1.5, -2.0, float("inf")],
            "year": pd.array([2024, None, 2023], dtype="Int64"),
        }
    )
    lines = export.to_csv(frame).decode().splitlines()
    assert lines == ["employment,mixed,year", "1687890,1.5,2024", ",-2,", "3,inf,2023"]
    # the data layer's Arrow-backed floats too
    arrow = frame[["employment"]].astype(pd.ArrowDtype(pa.float64()))
    assert export.to_csv(arrow).decode().splitlines()[1::2] == ["1687890", "3"]
    assert frame["employment"].dtype.kind == "f"  # the frame itself is not changed
    back = export.read_csv(export.render("csv", frame, ABOUT))
    assert back["employment"].tolist()[::2] == [1687890, 3]


def test_read_csv_takes_the_path_its_header_names(frame, tmp_path):
    """The CSV's second line says `dashboard.export.read_csv(path)`: a path (str or Path)
    reads the same rows as the bytes."""
    csv = export.render("csv", frame, ABOUT)
    assert "export.read_csv(path)" in csv.decode().splitlines()[1]
    path = tmp_path / "salaries.csv"
    path.write_bytes(csv)
    expected = export.read_csv(csv)
    assert export.read_csv(path).equals(expected)
    assert export.read_csv(str(path)).equals(expected)
    assert len(expected) == len(frame)
