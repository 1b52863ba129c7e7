"""Writing the CSV and Excel files readers download: safe to open in a spreadsheet, written atomically.

A spreadsheet evaluates a cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (and some also act on a
leading tab or carriage return), so a published title or code such as ``=HYPERLINK(...)`` would become a live
formula on the director's machine. Every text cell, and every column name, that begins so is written as text:

- in CSV, prefixed with an apostrophe (the usual guard: a spreadsheet shows the text and evaluates nothing);
- in Excel, stored as a string cell with its text unchanged, never as a formula.

Numbers are never touched, so negative amounts stay numbers. Files are written to a uniquely named temporary
file beside the target and moved into place, so a reader (or a second run) never sees half a file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

#: Leading characters that make a spreadsheet treat a cell as a formula or act on it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _unsafe(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names cannot run as spreadsheet formulas.

    Examples
    --------
    >>> neutralise(pd.DataFrame({"title": ["=HYPERLINK(1)", "Ok", "-3"], "amount": [-3.5, 2.0, None]}))
                title  amount
    0  '=HYPERLINK(1)    -3.5
    1              Ok     2.0
    2             '-3     NaN
    """
    out = frame.rename(columns=lambda c: f"'{c}" if _unsafe(c) else c)
    for column in out.select_dtypes(include=["object", "string"]).columns:
        texts = out[column]
        mask = texts.map(_unsafe).astype(bool)
        if mask.any():
            out[column] = texts.where(~mask, "'" + texts.astype(str))
    return out


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Run ``write`` on a unique temporary file beside ``path``, then move it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=f".tmp{path.suffix}")
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 ``text`` at ``path`` atomically (a page or the index)."""
    return atomic_write(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_csv(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``frame`` as CSV at ``path``, atomically, with every formula-like text cell neutralised.

    Lines end in CRLF (RFC 4180), so a text cell holding a carriage return is quoted and cannot split its row.
    """
    return atomic_write(Path(path), lambda tmp: neutralise(frame).to_csv(tmp, index=False, lineterminator="\r\n"))


def _write_book(frame: pd.DataFrame, tmp: Path, sheet_name: str) -> None:
    with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet_name)
        sheet = writer.sheets[sheet_name]
        # openpyxl stores any text beginning with "=" as a formula: keep the text, as a string cell.
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def write_xlsx(frame: pd.DataFrame, path: str | os.PathLike, *, sheet_name: str = "data") -> Path:
    """Write ``frame`` as an Excel workbook at ``path``, atomically, with no cell stored as a formula."""
    return atomic_write(Path(path), lambda tmp: _write_book(frame, tmp, sheet_name))


def write_table(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``frame`` as Excel when ``path`` ends in ``.xlsx``, as CSV otherwise (both neutralised, atomic)."""
    path = Path(path)
    return write_xlsx(frame, path) if path.suffix.lower() == ".xlsx" else write_csv(frame, path)
