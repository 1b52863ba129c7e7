"""Reading an edition from an Excel workbook with one sheet per table, as a management-information team exports it.

Each table's sheet is named like the edition's file stem (``kent__ics_monthly``, ``sevenoaks__ics_monthly__2``),
or, since Excel allows only 31 characters, with the area slug cut to a start no other slug shares
(``tonbridge__education_monthly``);
optional sheets ``edition``, ``headline``, ``sources``, ``definitions`` and ``caveats`` hold the edition's other
files. Any other sheet name is refused, so that a misnamed table is never silently dropped.

Cells are read as Excel shows them (:func:`kccperf.scorecard.reader.cells.cell_text`): a figure typed as text
(``'1,234``, ``'45.2%``) and a numeric cell formatted to print the same read the same. A formula is never taken
silently: one saved without its value stops the import naming its sheet and cell; one with a saved value is
imported as that value and named in :attr:`WorkbookEdition.formulas`.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import read_failure
from ..schemas import Area, Manifest, ScorecardEdition, Table
from .metadata import FILES
from .pack import TITLE, PackError
from .reader.cells import column_letter, sheet_cells

OTHER_SHEETS = {"edition": "edition.csv", "headline": "headline.tsv"} | {k: name for k, (name, _) in FILES.items()}


@dataclass
class WorkbookEdition:
    """An edition read from a workbook: each table file's rows of text cells, the other files as frames, and one
    sentence per formula whose saved value was imported."""

    name: str
    tables: dict[str, list[list[str]]]
    others: dict[str, pd.DataFrame]
    formulas: tuple[str, ...] = ()


def _open(path: Path, data_only: bool):
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except PermissionError as exc:
        raise PackError(read_failure(path, exc, "an Excel workbook (.xlsx)")) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise PackError(f"{path}: cannot be opened as an Excel workbook ({exc}); expected a .xlsx file.") from None


def _sheets(path: Path) -> tuple[dict[str, list[list[str]]], tuple[str, ...]]:
    """Each sheet's rows of text cells, and a sentence per formula imported as its saved value.

    Raises PackError naming the sheet and cell of the first formula saved without its value (a program other
    than Excel wrote the workbook): its cell would read as empty.
    """
    values, formulas = _open(path, True), _open(path, False)
    sheets, notes = {}, []
    try:
        for ws, wf in zip(values.worksheets, formulas.worksheets):
            rows, found = sheet_cells(ws, wf)
            for i, j, formula, saved in found:
                where = f"{path}: sheet '{ws.title}', cell {column_letter(j)}{i + 1}"
                if saved == "":
                    raise PackError(
                        f"{where} holds the formula {formula} with no saved value; expected a value: open and save "
                        "the workbook in Excel, or paste the sheet as values."
                    )
                notes.append(f"{where} holds the formula {formula}; its saved value {saved} was imported.")
            sheets[ws.title] = rows
    finally:
        values.close()
        formulas.close()
    return sheets, tuple(notes)


def table_name_pattern(areas: pd.DataFrame, tables: pd.DataFrame) -> re.Pattern:
    """The file stems an edition may hold: ``<area-slug>__<table>`` with an optional ``__<n>``."""
    slugs = "|".join(map(re.escape, areas[Area.slug]))
    names = "|".join(map(re.escape, tables[Table.table]))
    return re.compile(rf"^({slugs})__({names})(__\d+)?$")


def sheet_stem(sheet: str, areas: pd.DataFrame, tables: pd.DataFrame) -> str:
    """The table file stem a sheet stands for, or "" when it stands for none.

    Excel allows 31 characters in a sheet name, too few for ``tonbridge-and-malling__education_monthly``: the
    area part may be cut to any start of its slug that no other slug shares (``tonbridge__education_monthly``).

    Examples
    --------
    >>> from kccperf.scorecard.catalogue import load_catalogue
    >>> cat = load_catalogue()
    >>> sheet_stem("folkestone__education_annual", cat.areas, cat.tables)
    'folkestone-and-hythe__education_annual'
    >>> sheet_stem("t__ics_monthly", cat.areas, cat.tables)  # Thanet, Tonbridge and Malling or Tunbridge Wells
    ''
    """
    names = "|".join(map(re.escape, tables[Table.table]))
    m = re.fullmatch(rf"([a-z0-9-]+)__({names})(__\d+)?", sheet)
    if not m:
        return ""
    slugs = [s for s in areas[Area.slug] if s == m.group(1)] or [s for s in areas[Area.slug] if s.startswith(m.group(1))]
    return f"{slugs[0]}__{m.group(2)}{m.group(3) or ''}" if len(slugs) == 1 else ""


def _frame(rows: list[list[str]], sheet: str, path: Path) -> pd.DataFrame:
    rows = [r for r in rows if any(c != "" for c in r)]
    if not rows:
        raise PackError(f"{path}: sheet '{sheet}' is empty; expected a header row and the rows of {OTHER_SHEETS[sheet]}.")
    width = max(i + 1 for i, c in enumerate(rows[0]) if c != "")
    return pd.DataFrame([(r + [""] * width)[:width] for r in rows[1:]], columns=rows[0][:width])


def read_workbook(path: str | Path, catalogue) -> WorkbookEdition:
    """Read a workbook with one sheet per table; PackError naming the workbook and sheet for an unknown sheet name.

    Examples
    --------
    >>> import openpyxl, tempfile, os
    >>> from kccperf.scorecard.catalogue import load_catalogue
    >>> wb = openpyxl.Workbook(); wb.active.title = "kent__budget"
    >>> p = os.path.join(tempfile.mkdtemp(), "book.xlsx"); wb.save(p)
    >>> read_workbook(p, load_catalogue())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kccperf.scorecard.pack.PackError: ...book.xlsx: sheet 'kent__budget' is not a table name; ...
    """
    path = Path(path)
    tables, others = {}, {}
    sheets, formulas = _sheets(path)
    for sheet, rows in sheets.items():
        stem = sheet_stem(sheet, catalogue.areas, catalogue.tables)
        if sheet in OTHER_SHEETS:
            others[sheet] = _frame(rows, sheet, path)
        elif stem:
            while rows and not any(rows[-1]):
                rows.pop()
            tables[stem] = rows
        else:
            raise PackError(
                f"{path}: sheet '{sheet}' is not a table name; expected <area-slug>__<table> with a slug (or the start "
                "of one) from data/reference/areas.csv and a table from data/reference/tables.csv (e.g. 'kent__ics_monthly'), "
                f"or one of: {', '.join(OTHER_SHEETS)}."
            )
    if not tables:
        raise PackError(f"{path}: holds no table sheets; expected sheets named <area-slug>__<table>, e.g. 'kent__ics_monthly'.")
    return WorkbookEdition(str(path), tables, others, formulas)


def workbook_manifest(book: WorkbookEdition, pattern: re.Pattern) -> pd.DataFrame:
    """MANIFEST.tsv for a workbook: each table's sheet rows stand in for source lines."""
    rows = []
    for stem, cells in book.tables.items():
        m = pattern.match(stem)
        rows.append((f"{stem}.tsv", m.group(1), m.group(2), 1, len(cells), cells[0][0] if cells and cells[0] else ""))
    return pd.DataFrame(rows, columns=list(Manifest.to_schema().columns))


# What a report loses when a workbook leaves out one of its optional sheets, said when it is imported.
_WITHOUT = {
    "edition": "the pages will say the publication date and producer are 'not recorded'",
    "headline": "the county view will have no headline figures",
    "sources": "the pages cannot say what each latest figure covers, where it comes from or when it was released",
    "definitions": "the pages will give no indicator definitions",
    "caveats": "the pages will give none of the scorecard's notes on its indicators",
}


def missing_sheets(book: WorkbookEdition) -> tuple[str, ...]:
    """One sentence per optional sheet the workbook does not have, saying what the reports will lack without it.

    Examples
    --------
    >>> book = WorkbookEdition("book.xlsx", {}, {"edition": pd.DataFrame(), "headline": pd.DataFrame()})
    >>> missing_sheets(book)[0]
    "book.xlsx has no sheet 'sources' (sources.tsv): the pages cannot say what each latest figure covers, ..."
    """
    return tuple(
        f"{Path(book.name).name} has no sheet '{sheet}' ({OTHER_SHEETS[sheet]}): {loss}; add the sheet, in the layout of "
        f"data/raw/scorecard/2024-10/{OTHER_SHEETS[sheet]}, and import again with --replace."
        for sheet, loss in _WITHOUT.items()
        if sheet not in book.others
    )


def default_edition(book: WorkbookEdition, period: str) -> pd.DataFrame:
    """``edition.csv`` when the workbook has no ``edition`` sheet: what is known from the period and the file."""
    label = pd.Timestamp(f"{period}-01").strftime("%B %Y")
    facts = [("title", TITLE), ("edition_label", label), ("publication_date", "not recorded")]
    facts += [("producer", "not recorded"), ("source_document", f"workbook {Path(book.name).name}")]
    return pd.DataFrame(facts, columns=[ScorecardEdition.key, ScorecardEdition.value])
