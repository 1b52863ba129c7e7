"""Downloads a director opens in a spreadsheet: no formula ever runs, numbers stay numbers, files appear whole."""

from __future__ import annotations

import csv
import re
import threading
import zipfile

import openpyxl
import pandas as pd
import pytest

import kccperf
from kccperf.cli import main
from kccperf.publish import downloads
from kccperf.publish.downloads import (
    MAX_WIDTH,
    NOTES_HEADINGS,
    NOTES_SHEET,
    REPORT_MODELS,
    Sheet,
    budget_download,
    column_notes,
    neutralise,
    report_download,
    write_csv,
    write_table,
    write_workbook,
    write_xlsx,
)

HOSTILE = ['=HYPERLINK("http://example.com","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "Plain", "a=b", ""]


def formula_cells(path) -> list[str]:
    book = openpyxl.load_workbook(path)
    return [c.coordinate for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.data_type == "f"]


@pytest.mark.parametrize(
    ("text", "csv_text"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1622", "'+44 1622"),
        ("-", "'-"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("x=1", "x=1"),
        (" =1", " =1"),
        ("", ""),
        ("Kent", "Kent"),
    ],
)
def test_text_cells_that_would_run_are_prefixed(text, csv_text):
    assert neutralise(pd.DataFrame({"t": [text]}))["t"].iloc[0] == csv_text


def test_numbers_and_missing_values_are_left_alone():
    frame = pd.DataFrame({"n": [-3.5, 0.0, None], "i": [-1, 2, 3], "t": ["-1", None, "ok"]})
    out = neutralise(frame)
    pd.testing.assert_series_equal(out["n"], frame["n"])
    pd.testing.assert_series_equal(out["i"], frame["i"])
    assert out["t"].tolist()[0] == "'-1" and pd.isna(out["t"].iloc[1])
    assert frame["t"].iloc[0] == "-1", "the input frame is not changed"


def test_a_formula_like_column_name_is_neutralised_too():
    assert list(neutralise(pd.DataFrame({"=cmd": [1], "ok": [2]})).columns) == ["'=cmd", "ok"]


def test_excel_keeps_the_text_and_stores_no_formula(tmp_path):
    frame = pd.DataFrame({"title": HOSTILE, "amount": [-1.5] * len(HOSTILE)})
    path = write_xlsx(frame, tmp_path / "d.xlsx")
    assert formula_cells(path) == []
    back = openpyxl.load_workbook(path).active
    # (a lone CR is stored as a line break by the XML format itself)
    assert [c.value for c in back["A"][1:]][:5] == HOSTILE[:5]
    assert all(isinstance(c.value, float) and c.value == -1.5 for c in back["B"][1:]), "negative numbers stay numbers"


def test_csv_prefixes_the_hostile_cells_only(tmp_path):
    path = write_csv(pd.DataFrame({"title": HOSTILE, "amount": range(len(HOSTILE))}), tmp_path / "d.csv")
    with path.open(newline="", encoding="utf-8") as fh:
        titles = [row[0] for row in csv.reader(fh)][1:]
    assert [t[:1] for t in titles[:6]] == ["'"] * 6 and titles[6:8] == ["Plain", "a=b"]


def test_write_table_chooses_by_suffix(tmp_path):
    frame = pd.DataFrame({"a": ["=x"]})
    assert zipfile.is_zipfile(write_table(frame, tmp_path / "t.XLSX"))
    assert write_table(frame, tmp_path / "t.csv").read_bytes() == b"a\r\n'=x\r\n"


def test_concurrent_writers_never_leave_a_broken_file(tmp_path):
    target = tmp_path / "dover.xlsx"
    frames = [pd.DataFrame({"n": range(2000), "t": [f"w{i}"] * 2000}) for i in range(6)]
    errors = []

    def write(frame):
        try:
            write_xlsx(frame, target)
        except Exception as exc:  # collected: the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f,)) for f in frames]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert zipfile.is_zipfile(target) and len(pd.read_excel(target)) == 2000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dover.xlsx"], "no temporary file is left behind"


def test_a_failed_write_leaves_no_temporary_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    target = tmp_path / "x.csv"
    target.write_text("old")

    def boom(self, path, **kwargs):
        open(path, "w").write("half")  # noqa: SIM115 - a partial write, then the disk fills
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", boom)
    with pytest.raises(OSError):
        write_csv(pd.DataFrame({"a": [1]}), target)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["x.csv"]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_every_out_export_is_safe(tmp_path, suffix, capsys):
    for command in (["quality"], ["qa"], ["budget-qa"]):
        out = tmp_path / f"{command[0]}{suffix}"
        assert main([*command, "--out", str(out)]) == 0
        if suffix == ".xlsx":
            assert formula_cells(out) == []
        else:
            frame = pd.read_csv(out, dtype=str, keep_default_na=False)
            cells = frame.to_numpy().ravel().tolist() + list(frame.columns)
            assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]


# --- The readers' workbook: plain headings from the schemas, the indicator first, every column explained ---------


@pytest.fixture(scope="module")
def sevenoaks():
    """Sevenoaks' report rows as its download holds them (small numbers withheld)."""
    from kccperf.publish.summary import area_view

    return area_view(kccperf.load_assessed("2024-10", 5), "Sevenoaks")


@pytest.fixture(scope="module")
def budget_cype():
    """What the CYPE budget page shows: its risks, the revenue bridge and the capital programme."""
    from kccperf import budget

    tables = budget.load_budget("2025-26")
    return budget_download(
        budget.risk_scores(budget.risks_for(tables.risks, "CYPE")),
        budget.revenue_bridge(tables.figures, "CYPE"),
        budget.capital_profile(tables.figures, tables.projects, directorate="CYPE"),
    )


def _rows(sheet) -> list[list]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_a_report_workbook_reads_as_a_director_would(tmp_path, sevenoaks):
    book = openpyxl.load_workbook(write_workbook(report_download(sevenoaks).sheets, tmp_path / "sevenoaks.xlsx"))
    assert book.sheetnames == ["Indicators", NOTES_SHEET]
    data = book["Indicators"]
    headings = [c.value for c in data[1]]
    # The indicator and its figures first, then the rating; the identifiers analysts join on last.
    assert headings[:13] == [
        "Indicator",
        "Service",
        "Area",
        "Team",
        "Period",
        "Period covered",
        "Value",
        "Unit",
        "Numerator",
        "Denominator",
        "Withheld",
        "RAG",
        "RAG (printed)",
    ]
    assert headings[-4:] == ["Indicator id", "Period (sortable)", "Compared with (sortable)", "Decimal places"]
    assert len(headings) == len(set(headings)) == sevenoaks.shape[1]
    assert not [h for h in headings if h in sevenoaks.columns or "_" in h], "no heading is a snake_case data name"
    assert (
        data.freeze_panes == "B2"
        and data.auto_filter.ref == f"A1:{data.cell(1, len(headings)).column_letter}{len(sevenoaks) + 1}"
    )
    widths = [data.column_dimensions[c.column_letter].width for c in data[1]]
    assert all(8 <= w <= MAX_WIDTH for w in widths) and widths[0] == MAX_WIDTH, "the long titles get the widest column"
    assert all(c.alignment.wrap_text for c in data["A"][1:]), "and wrap in it"
    assert all(c.font.bold for c in data[1])
    # The figures are the data's, row for row: Sevenoaks' EHCPs (7 of 8 on time) stay withheld.
    back = pd.read_excel(tmp_path / "sevenoaks.xlsx", sheet_name="Indicators")
    assert back["Indicator id"].tolist() == sevenoaks["indicator"].tolist()
    pd.testing.assert_series_equal(back["Value"], sevenoaks["value"], check_names=False)
    ehcp = back[back["Indicator id"] == "ehcp_issued_20wk"].iloc[0]
    assert bool(ehcp["Withheld"]) and pd.isna(ehcp["Value"]) and pd.isna(ehcp["Numerator"]) and pd.isna(ehcp["Denominator"])


def test_the_notes_sheet_explains_every_column_in_one_sentence(tmp_path, sevenoaks, budget_cype):
    for name, download in (("sevenoaks.xlsx", report_download(sevenoaks)), ("budget.xlsx", budget_cype)):
        book = openpyxl.load_workbook(write_workbook(download.sheets, tmp_path / name))
        notes = _rows(book[NOTES_SHEET])
        assert notes[0] == list(NOTES_HEADINGS)
        assert book[NOTES_SHEET].freeze_panes == "A2"
        explained = [(sheet, heading) for sheet, heading, _, _ in notes[1:]]
        shown = [(ws.title, c.value) for ws in book.worksheets[:-1] for c in ws[1]]
        assert explained == shown, "one line per column of every sheet, in the sheets' order"
        for sheet, heading, sentence, data_name in notes[1:]:
            assert sentence and sentence.endswith(".") and not re.search(r"\. [A-Z]", sentence), (sheet, heading)
            assert heading != data_name and " " not in data_name, (sheet, heading)


def test_the_csv_keeps_the_data_names_and_order(tmp_path, sevenoaks, budget_cype):
    path = write_csv(report_download(sevenoaks).csv, tmp_path / "sevenoaks.csv")
    assert path.read_text(encoding="utf-8").splitlines()[0].split(",") == list(sevenoaks.columns)
    # A budget view's CSV is its risk register as read, where each risk was read from included.
    risks = budget_cype.sheets[0].frame
    assert budget_cype.csv.columns.tolist() == risks.columns.tolist() and {"source_file", "line"} <= set(risks)
    assert budget_cype.csv["risk"].tolist() == risks["risk"].tolist()


def test_a_budget_workbook_holds_each_part_of_the_page(tmp_path, budget_cype):
    from kccperf import budget

    path = write_workbook(budget_cype.sheets, tmp_path / "budget.xlsx")
    assert openpyxl.load_workbook(path).sheetnames == ["Risks", "Revenue bridge", "Capital programme", NOTES_SHEET]
    tables = budget.load_budget("2025-26")
    risks = pd.read_excel(path, sheet_name="Risks")
    assert list(risks.columns[:4]) == ["Risk", "Risk ref", "Directorate", "Likelihood"]
    assert sorted(risks["Risk ref"]) == sorted(budget.risks_for(tables.risks, "CYPE")["risk"])
    bridge = pd.read_excel(path, sheet_name="Revenue bridge")
    assert list(bridge.columns[:3]) == ["Step", "Kind of step", "Amount"]
    assert bridge["Amount"].tolist() == budget.revenue_bridge(tables.figures, "CYPE")["amount"].tolist()
    capital = pd.read_excel(path, sheet_name="Capital programme")
    assert list(capital.columns) == ["Year", "Group", "Amount (£000s)"]
    expected = budget.capital_profile(tables.figures, tables.projects, directorate="CYPE")["amount"].sum()
    assert capital["Amount (£000s)"].sum() == pytest.approx(expected)


def test_every_sheet_of_a_readers_workbook_stores_no_formula(tmp_path):
    frame = pd.DataFrame({"title": HOSTILE, "value": [-1.5] * len(HOSTILE)})
    path = write_workbook(report_download(frame).sheets + (Sheet("=Other", frame, ()),), tmp_path / "d.xlsx")
    assert formula_cells(path) == []
    book = openpyxl.load_workbook(path)
    assert [c.value for c in book["Indicators"]["A"][1:6]] == HOSTILE[:5]
    assert all(c.value == -1.5 for c in book["Indicators"]["B"][1:]), "negative numbers stay numbers"


def test_a_failed_workbook_write_keeps_the_old_one_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "dover.xlsx"
    target.write_text("old")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(downloads, "notes_sheet", boom)  # the data sheet is written, then the disk fills
    with pytest.raises(OSError):
        write_workbook(report_download(pd.DataFrame({"value": [1.0]})).sheets, target)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["dover.xlsx"]


def test_a_column_no_schema_titles_keeps_its_name():
    notes = column_notes(["value", "brand_new"], REPORT_MODELS)
    assert notes["value"][0] == "Value" and notes["brand_new"] == ("brand_new", "")


def test_the_whole_council_workbook_names_the_directorates_as_the_page_does(tmp_path):
    from kccperf import budget

    tables = budget.load_budget("2025-26")
    risks = budget.risk_scores(budget.risks_for(tables.risks, "ALL"))
    download = budget_download(
        risks,
        budget.revenue_bridge(tables.figures, "ALL"),
        budget.capital_profile(tables.figures, tables.projects, directorate="ALL"),
        tables.directorates,
    )
    path = write_workbook(download.sheets, tmp_path / "all.xlsx")
    shown = pd.read_excel(path, sheet_name="Risks")["Directorate"]
    assert "Whole council" in set(shown) and "ALL" not in set(shown)
    assert (shown == "Whole council").sum() == (risks["directorate"] == "ALL").sum()
    assert "ALL" in set(download.csv["directorate"])  # the CSV keeps the register's code, for code


def test_a_budget_workbook_says_in_words_what_the_page_says_in_words(tmp_path, budget_cype):
    """Kind of step and Exposure basis held the codes start and lifetime; the steps' capitals read as on the page."""
    path = write_workbook(budget_cype.sheets, tmp_path / "budget.xlsx")
    bridge = pd.read_excel(path, sheet_name="Revenue bridge")
    assert bridge["Kind of step"].tolist() == ["Start", *["Change"] * (len(bridge) - 2), "End"]
    assert bridge["Step"].iloc[[0, -1]].tolist() == ["Revised Base", "Proposed net budget"]
    risks = pd.read_excel(path, sheet_name="Risks")
    assert set(risks["Exposure basis"]) <= {"Annual", "Lifetime", "No amount of its own"}
    assert {"Annual", "Lifetime"} <= set(risks["Exposure basis"])
    # The CSV keeps the codes, for code.
    assert {"annual", "lifetime"} <= set(budget_cype.csv["exposure_basis"])


def test_a_columns_width_is_its_texts_95th_percentile_length_and_an_empty_sheet_keeps_the_default():
    from kccperf.publish.downloads import _widths

    frame = pd.DataFrame(
        {
            "value": [1.23456, None, 3.0],  # shown as 1.235 and 3.0: lengths 5, 0, 3 -> 4.8 -> 5 characters
            "title": ["x", None, "a much longer text here"],  # 1, 0, 23 -> 20.8 -> 21
            "period covered": pd.array([2024, None, 1], dtype="Int64"),  # the heading's longest word: 7, under 8
        }
    )
    assert _widths(frame, widest=50) == [10.0, 23.0, 10.0]
    assert _widths(frame, widest=12) == [10.0, 12.0, 10.0]
    assert _widths(frame.iloc[:0], widest=50) == []
