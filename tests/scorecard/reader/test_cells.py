"""Reading a table file into cells, and reading one cell as text, a column letter or a figure."""

from __future__ import annotations

import csv
import datetime as dt
import math

import openpyxl
import pytest

from kccperf.errors import ScorecardFileError
from kccperf.scorecard.reader.cells import Cells, cell, cell_text, column_letter, parse_number, read_cells

ROWS = [["Title", "", "Polarity", "Data Period"], ["SCS03", "Re-referrals", "L", "R12M", "5,499", "↑"]]


def test_tsv_rows_split_on_tabs_keep_their_length_and_lose_the_byte_order_mark(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_bytes(("\ufeff" + "\r\n".join("\t".join(r) for r in ROWS) + "\r\n").encode("utf-8"))
    assert read_cells(path) == Cells(ROWS, True)


@pytest.mark.parametrize(("ending", "complete"), [("\n", True), ("\r", True), ("", False)])
def test_a_file_without_a_final_line_break_is_marked_incomplete(tmp_path, ending, complete):
    path = tmp_path / "t.tsv"
    path.write_text("\n".join("\t".join(r) for r in ROWS) + ending, encoding="utf-8")
    assert read_cells(path).complete is complete


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_in_either_delimiter_reads_like_tsv(tmp_path, delimiter):
    rows = [
        ["Title", "", "Polarity", "Data Period", "Oct-24"],
        ["SCS03", "Re-referrals", "L", "R12M", "5,499"],
        ["SCS43", "Caseload", "L", "MS", "21.5"],
    ]
    path = tmp_path / "t.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    assert read_cells(path).rows == rows


def test_workbook_cells_are_text_with_numbers_in_their_shortest_form(tmp_path):
    path = tmp_path / "t.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["SCS03", None, 23.5, 5499.0, 12])
    book.save(path)
    assert read_cells(path) == Cells([["SCS03", "", "23.5", "5499", "12"]], True)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("nope.tsv", None, "file not found"),
        ("t.pdf", b"x", "unsupported file type '.pdf'"),
        ("t.xlsx", b"not a zip", "cannot be opened as an Excel workbook"),
        ("t.tsv", b"\t\t\n \t\n", "the file is empty"),
        ("t.tsv", b"", "the file is empty"),
        ("t.csv", "Title,x\nRate \u2019of,1\n".encode("cp1252"), "row 2: byte 13 is not UTF-8 text"),
    ],
)
def test_unreadable_files_raise_one_sentence_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ScorecardFileError, match=message) as err:
        read_cells(path)
    assert str(err.value).startswith(str(path))


def test_a_folder_is_not_a_table(tmp_path):
    with pytest.raises(ScorecardFileError, match="is a folder"):
        read_cells(tmp_path)


@pytest.mark.parametrize(
    ("row", "column", "expected"), [([" a ", "b"], 0, "a"), (["a", "b"], 1, "b"), (["a"], 1, ""), ([], 0, "")]
)
def test_cell_is_stripped_and_blank_beyond_the_row(row, column, expected):
    assert cell(row, column) == expected


@pytest.mark.parametrize(
    ("column", "letter"),
    [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA")],
)
def test_column_letter(column, letter):
    assert column_letter(column) == letter


@pytest.mark.parametrize(
    ("text", "value", "decimals"),
    [
        ("23.6", 23.6, 1),
        ("5,499", 5499.0, 0),
        ("23,954.50", 23954.5, 2),
        ("-0.82", -0.82, 2),
        ("64", 64.0, 0),
        ("23.40%", 23.4, 2),
        ("7 %", 7.0, 0),
        (" 12\u00a0", 12.0, 0),
        ("1\u00a0000", 1000.0, 0),
    ],
)
def test_figures_keep_their_printed_decimals(text, value, decimals):
    assert parse_number(text) == (value, decimals, "value")


@pytest.mark.parametrize(("text", "status"), [("", "blank"), ("  ", "blank"), ("N/A", "N/A"), ("na", "N/A"), ("N/ A", "N/A")])
def test_blank_and_not_applicable_cells_have_no_value(text, status):
    value, decimals, got = parse_number(text)
    assert got == status and math.isnan(value) and math.isnan(decimals)


@pytest.mark.parametrize("text", ["23.O", "?", "1.2.3", "1,23", "12,3456", "↑", "RED", "£5", "1e3"])
def test_anything_else_is_not_a_figure(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_bytes(b"x\t" * 600_000)
    with pytest.raises(ScorecardFileError, match=r"the file is 1\.1 MB; expected a scorecard table of at most 1 MB") as err:
        read_cells(path, max_bytes=1024 * 1024)
    assert str(err.value).startswith(str(path))
    assert len(read_cells(path, max_bytes=None).rows) == 1


def test_the_default_limit_refuses_a_50_mb_table_at_once(tmp_path):
    path = tmp_path / "t.tsv"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    with pytest.raises(ScorecardFileError, match="at most 16 MB"):
        read_cells(path)


def test_workbook_formulas_without_saved_values_are_listed_and_read_as_empty(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["SCS03", 1.5, "=B1*2", "=not a formula"])
    book.active["D1"].data_type = "s"
    book.save(tmp_path / "t.xlsx")
    cells = read_cells(tmp_path / "t.xlsx")
    assert cells.rows == [["SCS03", "1.5", "", "=not a formula"]]
    assert cells.formulas == ((0, 2, "=B1*2"),)


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (5499, "#,##0", "5,499"),
        (5499, "0", "5499"),
        (1234567.0, "General", "1234567"),  # never an exponent
        (0.1 + 0.2, "General", "0.3"),  # Excel's 15 significant digits
        (45.2, "General", "45.2"),
        (23.0, "0.0", "23.0"),  # the printed decimals, not the shortest text
        (7, "0.00", "7.00"),
        (1.25, "0.0", "1.3"),  # half away from zero, as Excel shows it
        (-1.25, "0.0", "-1.3"),
        (1.24999, "0.0", "1.2"),
        (0.234, "0.0%", "23.4%"),
        (0.2345, "0.0%", "23.5%"),
        (1, "0%", "100%"),
        (0.125, "0.##", "0.13"),
        (0.5, "0.##", "0.5"),
        (1234.5, '#,##0.0;[Red]-#,##0.0;"-"', "1,234.5"),
        (dt.datetime(2024, 10, 1), "mmm-yy", "Oct-24"),
        (dt.datetime(2024, 10, 1), "mmmm yyyy", "October 2024"),
        (dt.datetime(2024, 10, 1), "General", "2024-10-01"),
        ("1,234", "@", "1,234"),
        (None, None, ""),
        (True, "General", "TRUE"),
    ],
)
def test_a_workbook_cell_reads_as_excel_shows_it(value, number_format, text):
    assert cell_text(value, number_format) == text


@pytest.mark.parametrize(
    ("typed", "value", "number_format"),
    [
        ("1,234", 1234, "#,##0"),
        ("45.2%", 0.452, "0.0%"),
        ("23.40", 23.4, "0.00"),
        ("23.4", 23.4, "General"),
        ("0", 0, "General"),
        ("-3.0", -3.0, "0.0"),
    ],
)
def test_a_number_typed_as_text_reads_as_the_numeric_cell(typed, value, number_format):
    assert parse_number(typed) == parse_number(cell_text(value, number_format))
