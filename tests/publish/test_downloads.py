"""Downloads a director opens in a spreadsheet: no formula ever runs, numbers stay numbers, files appear whole."""

from __future__ import annotations

import csv
import threading
import zipfile

import openpyxl
import pandas as pd
import pytest

from kccperf.cli import main
from kccperf.publish.downloads import neutralise, write_csv, write_table, write_xlsx

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
