"""A table file's cells: tab- or comma-separated text or an Excel workbook, read as rows of text cells.

Also how one cell reads: as stripped text, as a spreadsheet column letter in messages, and as a printed figure.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np

from ...errors import ScorecardFileError, read_failure, read_utf8
from .log import LogEntry

_THOUSANDS_RE = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")
MB = 1024 * 1024
# Parts of an Excel number format that print no digit: quoted text, escaped characters, [colour] or [$-809]
# locale codes, and the _x (space as wide as x) and *x (fill) instructions.
_FORMAT_LITERALS_RE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_DATE_TOKENS_RE = re.compile(r"yyyy|yy|mmmm|mmm|mm|m|dd|d", re.IGNORECASE)
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


def _decimal_text(value: Decimal, places: tuple[int, int], thousands: bool) -> str:
    """``value`` rounded half away from zero (as Excel shows it) to at most ``places[1]`` decimals, keeping
    at least ``places[0]``."""
    fewest, most = places
    text = format(value.quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_UP), ",f" if thousands else "f")
    while most > fewest and text.endswith("0"):
        text, most = text[:-1], most - 1
    return text.rstrip(".")


def _number_text(value: float | int, number_format: str) -> str:
    """A number as its cell's number format shows it; General shows every digit the number holds."""
    section = _FORMAT_LITERALS_RE.sub("", (number_format or "General").split(";")[0])
    # Excel keeps 15 significant digits: 0.1 + 0.2 shows as 0.3.
    exact = Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(value)
    if not re.search(r"[0#?]", section):
        return format(exact.normalize(), "f") if exact else "0"
    whole, _, fraction = section.partition(".")
    digits = re.match(r"[0#?]*", fraction).group(0)
    percent = "%" in section
    text = _decimal_text(exact * 100 if percent else exact, (digits.count("0"), len(digits)), "," in whole)
    return text + ("%" if percent else "")


def _date_text(value: dt.date, number_format: str) -> str:
    """A date as a date format shows it (``mmm-yy`` gives ``Oct-24``); ISO when the format prints no date."""
    fmt = _FORMAT_LITERALS_RE.sub(lambda m: m.group(0).strip('"') if m.group(0).startswith('"') else "", number_format)
    fmt = fmt.split(";")[0]
    if not _DATE_TOKENS_RE.search(fmt):
        return value.isoformat() if not isinstance(value, dt.datetime) else value.date().isoformat()
    parts = {"yyyy": f"{value.year}", "yy": f"{value.year % 100:02d}", "mmmm": value.strftime("%B")}
    parts |= {"mmm": value.strftime("%b"), "mm": f"{value.month:02d}", "m": str(value.month)}
    parts |= {"dd": f"{value.day:02d}", "d": str(value.day)}
    return _DATE_TOKENS_RE.sub(lambda m: parts[m.group(0).lower()], fmt)


def cell_text(value, number_format: str | None = "General") -> str:
    """A workbook cell as the text Excel shows, so that a number typed as text and a numeric cell read the same.

    Numbers follow their number format (decimals, thousands separator, percent); General shows every digit,
    never an exponent. Dates follow a date format. Text is kept as typed.

    Examples
    --------
    >>> cell_text(5499, "#,##0"), cell_text(23.0, "0.0"), cell_text(0.234, "0.0%"), cell_text(1234567.0)
    ('5,499', '23.0', '23.4%', '1234567')
    >>> cell_text(0.125, "0.##"), cell_text(0.1 + 0.2), cell_text(dt.datetime(2024, 10, 1), "mmm-yy"), cell_text(None)
    ('0.13', '0.3', 'Oct-24', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return _number_text(value, number_format or "General")
    if isinstance(value, (dt.date, dt.datetime)):
        return _date_text(value, number_format or "General")
    return str(value)


def formula_text(formula) -> str:
    """The formula a cell holds (openpyxl's text, or an array formula's), or "" for a cell without one."""
    text = getattr(formula, "text", formula)
    return text if isinstance(text, str) and text.startswith("=") else ""


def sheet_cells(values_sheet, formulas_sheet) -> tuple[list[list[str]], list[tuple[int, int, str, str]]]:
    """A sheet's rows of text cells (:func:`cell_text`) and its formulas: 0-based row, column, formula and the
    saved value as text ("" when the workbook holds none).

    ``values_sheet`` and ``formulas_sheet`` are the same sheet opened with and without ``data_only``.
    """
    rows, formulas = [], []
    for i, (cells, texts) in enumerate(zip(values_sheet.iter_rows(), formulas_sheet.iter_rows(values_only=True))):
        rows.append([cell_text(c.value, getattr(c, "number_format", None)) for c in cells])
        formulas += [(i, j, formula_text(t), rows[-1][j]) for j, t in enumerate(texts) if formula_text(t)]
    return rows, formulas


def _read_workbook(path: Path) -> Cells:
    """The first sheet of a workbook, each cell as Excel shows it (:func:`cell_text`).

    A workbook written by a program other than Excel may hold formulas without saved values, which read as
    empty: the workbook is read a second time for its formulas, so that those cells can be named.
    """
    values, formulas = _open_workbook(path, data_only=True), _open_workbook(path, data_only=False)
    try:
        rows, found = sheet_cells(values.worksheets[0], formulas.worksheets[0])
    finally:
        values.close()
        formulas.close()
    return Cells(rows, True, tuple((i, j, f) for i, j, f, saved in found if saved == ""))


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
