"""An MI team's workbook: sheet names (the table file stem, or its area slug cut to fit Excel's 31 characters),
numeric and text cells read alike, and formulas never taken silently."""

from __future__ import annotations

import filecmp
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kccperf.cli import main
from kccperf.scorecard.catalogue import load_catalogue
from kccperf.scorecard.editions import load_scorecard
from kccperf.scorecard.importer import import_pack
from kccperf.scorecard.workbook import sheet_stem

from .conftest import ROOT

CAT = load_catalogue()


@pytest.mark.parametrize(
    ("sheet", "stem"),
    [
        ("kent__ics_monthly", "kent__ics_monthly"),
        ("sevenoaks__ics_monthly__2", "sevenoaks__ics_monthly__2"),
        ("tonbridge__education_monthly", "tonbridge-and-malling__education_monthly"),
        ("tunbridge__education_annual", "tunbridge-wells__education_annual"),
        ("folkestone__ics_quarterly", "folkestone-and-hythe__ics_quarterly"),
        ("t__ics_monthly", ""),  # Thanet, Tonbridge and Malling, Tunbridge Wells
        ("kent__ics_weekly", ""),
        ("atlantis__ics_monthly", ""),
        ("Sheet1", ""),
        ("kent__ics_monthly__x", ""),
    ],
)
def test_sheet_stem(sheet, stem):
    assert sheet_stem(sheet, CAT.areas, CAT.tables) == stem


EDITION = ROOT / "data" / "raw" / "scorecard" / "2024-10"
_FIGURE = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?$|^-?\d+(\.\d+)?$")


def _number_cell(ws, row: int, column: int, text: str, percent: bool) -> None:
    """Write ``text`` as the numeric cell an MI team would type: the number, formatted to print as ``text``."""
    places = len(text.split(".")[1]) if "." in text else 0
    digits = "0" + ("." + "0" * places if places else "")
    cell = ws.cell(row, column, float(text.replace(",", "")) / (100 if percent else 1))
    cell.number_format = digits + "%" if percent else ("#,##" + digits if "," in text else digits)


def _edition_workbook(path: Path, *, numeric: bool, percent_rows: int = 0) -> Path:
    """October 2024 as a workbook, one sheet per table; figures as numeric cells when ``numeric``, and on the first
    ``percent_rows`` indicator rows of each sheet the figures with a decimal point as percent cells."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table in sorted(EDITION.glob("*__*.tsv")):
        area, rest = table.stem.split("__", 1)
        ws = wb.create_sheet(table.stem if len(table.stem) <= 31 else f"{area.split('-')[0]}__{rest}")
        for i, line in enumerate(table.read_text(encoding="utf-8").split("\n")[:-1], start=1):
            for j, text in enumerate(line.split("\t"), start=1):
                if numeric and _FIGURE.match(text) and j > 2:
                    _number_cell(ws, i, j, text, percent="." in text and 3 < i <= 3 + percent_rows)
                else:
                    ws.cell(i, j, text)
    wb.save(path)
    return path


def _data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    return data


def test_numeric_cells_import_as_the_printed_text(tmp_path):
    data = _data(tmp_path)
    import_pack(_edition_workbook(tmp_path / "october.xlsx", numeric=True), "2024-10", data_dir=data)
    for path in sorted(EDITION.glob("*__*.tsv")):
        assert filecmp.cmp(path, data / "raw/scorecard/2024-10" / path.name, shallow=False), path.name


def test_percent_cells_read_the_same_figures_as_text(tmp_path):
    data = _data(tmp_path)
    import_pack(_edition_workbook(tmp_path / "october.xlsx", numeric=True, percent_rows=2), "2024-10", data_dir=data)
    kent = (data / "raw/scorecard/2024-10/kent__ics_monthly.tsv").read_text(encoding="utf-8").split("\n")
    assert "\t23.0%\t5,499\t" in kent[3]  # as Excel shows the cell
    pd.testing.assert_frame_equal(load_scorecard("2024-10", data_dir=data), load_scorecard("2024-10"))


def _one_sheet_with(path: Path, cell: str, formula: str, saved: str | None) -> Path:
    """The Kent monthly table as the only sheet, ``cell`` holding ``formula`` (with ``saved`` as its saved value)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "kent__ics_monthly"
    for line in (EDITION / "kent__ics_monthly.tsv").read_text(encoding="utf-8").split("\n")[:-1]:
        ws.append(line.split("\t"))
    ws[cell] = formula
    wb.save(path)
    if saved is not None:
        # openpyxl never computes formulas: add the value Excel would have saved beside it.
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        sheet = "xl/worksheets/sheet1.xml"
        xml = parts[sheet].decode()
        parts[sheet] = re.sub(
            rf'(<c r="{cell}"[^>]*>)<f>(.*?)</f><v\s*/>|(<c r="{cell}"[^>]*>)<f>(.*?)</f>(<v></v>)?',
            lambda m: (m.group(1) or m.group(3)) + f"<f>{m.group(2) or m.group(4)}</f><v>{saved}</v>",
            xml,
        ).encode()
        with zipfile.ZipFile(path, "w") as z:
            for name, data in parts.items():
                z.writestr(name, data)
    return path


@pytest.mark.parametrize(("cell", "formula"), [("L4", "=K4-0.4"), ("B5", '=CONCAT("Percentage ", "of Returner")')])
def test_a_formula_without_a_saved_value_stops_the_import_naming_sheet_and_cell(
    tmp_path, data_copy, monkeypatch, capsys, cell, formula
):
    book = _one_sheet_with(tmp_path / "november.xlsx", cell, formula, None)
    monkeypatch.setenv("KCCPERF_DATA", str(data_copy))
    code = main(["import", str(book), "--period", "2024-11"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert f"{book}: sheet 'kent__ics_monthly', cell {cell} holds the formula {formula} with no saved value" in err
    assert sorted(p.name for p in (data_copy / "raw" / "scorecard").iterdir()) == ["2024-10"]


def test_a_formula_with_a_saved_value_is_imported_and_named(tmp_path, data_copy, monkeypatch, capsys):
    # October's tables, so imported as October (in place of the copy's October).
    book = _one_sheet_with(tmp_path / "october.xlsx", "L4", "=K4-0.4", "23")
    monkeypatch.setenv("KCCPERF_DATA", str(data_copy))
    code = main(["import", str(book), "--period", "2024-10", "--replace"])
    out, err = capsys.readouterr()
    assert code == 0 and "edition 2024-10 written" in out
    # The formula's note first; then one for each optional sheet this one-table workbook leaves out.
    notes = err.strip().splitlines()
    assert notes[0] == (
        f"note: {book}: sheet 'kent__ics_monthly', cell L4 holds the formula =K4-0.4; its saved value 23 was imported."
    )
    assert [n.split("'")[1] for n in notes[1:]] == ["edition", "headline", "sources", "definitions", "caveats"]
    row = (data_copy / "raw/scorecard/2024-10/kent__ics_monthly.tsv").read_text(encoding="utf-8").split("\n")[3]
    assert row.split("\t")[11] == "23"
