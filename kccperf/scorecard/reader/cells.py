"""A table file's cells: tab- or comma-separated text or an Excel workbook, read as rows of text cells.

Also how one cell reads: as stripped text, as a spreadsheet column letter in messages, and as a printed figure.
"""

from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...errors import ScorecardFileError, read_failure, read_utf8
from .log import LogEntry

_THOUSANDS_RE = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")
MB = 1024 * 1024
# Published tables are a few kB. Reading takes about 2 s and 60 MB of memory per MB of table, so a
# file far beyond any printed table is refused before it is read rather than read for minutes.
MAX_BYTES = 16 * MB


@dataclass(frozen=True)
class Cells:
    """The rows of a table file as printed.

    Attributes
    ----------
    rows : list of list of str
        One list of cell texts per line; lines have as many cells as the file gives them.
    complete : bool
        Whether the file ends with a line break: a file cut off mid-row does not.
    formulas : tuple of (int, int, str)
        0-based row, column and text of each workbook formula saved without its value (read as "").
    """

    rows: list[list[str]]
    complete: bool
    formulas: tuple[tuple[int, int, str], ...] = ()


def read_cells(path: Path, max_bytes: int | None = MAX_BYTES) -> Cells:
    """Read a ``.tsv``, ``.csv`` or ``.xlsx`` table file into cells.

    Parameters
    ----------
    path : Path
        The file. A ``.csv`` may use ',' or ';' (as Excel writes in many locales).
    max_bytes : int or None
        Refuse a larger file (default 16 MB, thousands of times a published table); None reads any size.

    Returns
    -------
    Cells

    Raises
    ------
    ScorecardFileError
        The file is missing, a folder, larger than ``max_bytes``, unreadable, of another type, not UTF-8 text,
        not a workbook, or empty.

    Examples
    --------
    >>> cells = read_cells(Path("data/raw/scorecard/2024-10/kent__ics_quarterly.tsv"))
    >>> cells.rows[0][2:4], cells.complete
    (['Polarity', 'Data Period'], True)
    """
    if not path.exists():
        raise ScorecardFileError(f"{path}: file not found; expected a scorecard table (.tsv, .csv or .xlsx).")
    if path.is_dir():
        raise ScorecardFileError(f"{path}: is a folder; expected a scorecard table file (.tsv, .csv or .xlsx).")
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise ScorecardFileError(
            f"{path}: the file is {size / MB:.1f} MB; expected a scorecard table of at most {max_bytes / MB:g} MB "
            "(published tables are a few kB; read_scorecard(path, max_bytes=None) reads a larger file)."
        )
    suffix = path.suffix.lower()
    if suffix in (".tsv", ".txt", ".csv"):
        cells = _read_text(path, delimited=suffix == ".csv")
    elif suffix == ".xlsx":
        cells = _read_workbook(path)
    else:
        raise ScorecardFileError(f"{path}: unsupported file type '{suffix}'; expected .tsv, .csv or .xlsx.")
    if not any(c.strip() for r in cells.rows for c in r):
        raise ScorecardFileError(
            f"{path}: the file is empty; expected a scorecard table with a header row naming 'Polarity' and 'Data Period'."
        )
    return cells


def _read_text(path: Path, *, delimited: bool) -> Cells:
    """Tab-separated lines, or CSV in whichever delimiter the header uses."""
    text = read_utf8(path, ScorecardFileError, "a table")
    complete = text == "" or text.endswith(("\n", "\r"))
    lines = text.splitlines()
    if not delimited:
        return Cells([line.split("\t") for line in lines], complete)
    # Excel writes ';' in many European locales: take whichever delimiter the header uses.
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines[:5]), delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return Cells([list(r) for r in csv.reader(lines, dialect)], complete)


def _read_workbook(path: Path) -> Cells:
    """The first sheet of a workbook; numbers as the shortest text that gives them back.

    A workbook written by a program other than Excel may hold formulas without saved values, which read as
    empty: the workbook is read a second time for its formulas, so that those cells can be named.
    """
    values, formulas = _open_workbook(path, data_only=True), _open_workbook(path, data_only=False)
    rows, unsaved = [], []
    for i, (r, f) in enumerate(
        zip(values.worksheets[0].iter_rows(values_only=True), formulas.worksheets[0].iter_rows(values_only=True))
    ):
        rows.append(["" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)) for v in r])
        unsaved += [(i, j, t) for j, (v, t) in enumerate(zip(r, f)) if v is None and isinstance(t, str) and t.startswith("=")]
    values.close()
    formulas.close()
    return Cells(rows, True, tuple(unsaved))


def _open_workbook(path: Path, *, data_only: bool):
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except PermissionError as exc:
        raise ScorecardFileError(read_failure(path, exc, "an Excel workbook (.xlsx)")) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ScorecardFileError(f"{path}: cannot be opened as an Excel workbook ({exc}); expected a .xlsx file.") from None


def formula_anomalies(cells: Cells) -> list[LogEntry]:
    """One ``formula_without_value`` entry per workbook formula saved without its value: the cell reads as empty."""
    return [
        LogEntry(
            "formula_without_value",
            f"cell {column_letter(j)}{i + 1} holds a formula with no saved value; open and save the workbook in Excel, "
            "or export values.",
            row=i + 1,
            column=column_letter(j),
            found=text,
            expected="a saved value",
        )
        for i, j, text in cells.formulas
    ]


def cell(row: list[str], column: int) -> str:
    """The stripped text of ``row[column]``; "" beyond the row's end.

    Examples
    --------
    >>> cell(["SCS03", " Title "], 1), cell(["SCS03"], 4)
    ('Title', '')
    """
    return row[column].strip() if column < len(row) else ""


def column_letter(column: int) -> str:
    """The spreadsheet letter of a 0-based column, for messages.

    Examples
    --------
    >>> column_letter(0), column_letter(25), column_letter(26)
    ('A', 'Z', 'AA')
    """
    name = ""
    column += 1
    while column:
        column, r = divmod(column - 1, 26)
        name = chr(65 + r) + name
    return name


def parse_number(text: str) -> tuple[float, float, str]:
    """Read one printed figure.

    Parameters
    ----------
    text : str
        The cell, e.g. ``"5,499"``, ``"23.4%"``, ``"N/A"`` or ``""``.

    Returns
    -------
    (float, float, str)
        The value, its number of decimals and its status: ``"value"``, ``"N/A"`` or
        ``"blank"`` (value and decimals are NaN for the last two).

    Raises
    ------
    ValueError
        The cell is not a number, 'N/A' or blank.

    Examples
    --------
    >>> parse_number("5,499"), parse_number("23.40%")
    ((5499.0, 0.0, 'value'), (23.4, 2.0, 'value'))
    >>> parse_number(" n/a ")
    (nan, nan, 'N/A')
    """
    t = text.strip().replace("\u00a0", "")
    if t == "":
        return np.nan, np.nan, "blank"
    if t.upper() in ("N/A", "NA", "N/ A"):
        return np.nan, np.nan, "N/A"
    if t.endswith("%"):
        t = t[:-1].strip()
    if _THOUSANDS_RE.match(t):
        t = t.replace(",", "")
    if not _NUMBER_RE.match(t):
        raise ValueError(text)
    decimals = len(t.split(".")[1]) if "." in t else 0
    return float(t), float(decimals), "value"
