"""Each indicator row's cells placed in the table's columns.

Conversion from PDF loses cells: a merged "N/A" block over the trend columns
collapses into one cell, and some rows lose (or gain) a trend cell. A merged
block's remaining cells are right-aligned to the table's last column; any other
row is aligned on its DOT arrow so that the latest value, numerator and
denominator stay in their columns. Each repair is logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .cells import Cells, cell, column_letter
from .geometry import ARROWS, N_FIXED, Geometry
from .labels import TrendPeriods
from .log import LogEntry
from .roles import IndicatorRow, RowRoles


@dataclass(frozen=True)
class AlignedRows:
    """The cells of each indicator row (in the order of ``RowRoles.rows``), placed in the table's columns.

    Attributes
    ----------
    cells : tuple of list of str
        At least ``Geometry.width`` cells per row unless the row is cut off.
    merged : tuple of bool
        Whether the row prints one merged 'N/A' over its trend columns (its figures are all N/A).
    anomalies : tuple of LogEntry
        The repairs, in row order.
    problems : dict of int to str
        0-based row to the error that stops the read there: a row cut off, or too many trend cells.
    """

    cells: tuple[list[str], ...]
    merged: tuple[bool, ...]
    anomalies: tuple[LogEntry, ...]
    problems: dict[int, str]


def align_rows(cells: Cells, roles: RowRoles, geometry: Geometry, periods: TrendPeriods, path: Path) -> AlignedRows:
    """Place every indicator row's cells in the table's columns.

    Spreadsheets drop empty cells at the end of a row, so short rows are padded;
    only the file's last row, when the file stops mid-line, is cut off.

    Examples
    --------
    >>> from kccperf.scorecard.reader.roles import IndicatorRow, RowRoles
    >>> from kccperf.scorecard.reader.geometry import Geometry
    >>> from kccperf.scorecard import periods as P
    >>> row = ["C1", "Title", "H", "A", "", "1", "2", "3", "4", "↑"]  # one trend cell short of the arrow column
    >>> roles = RowRoles((IndicatorRow(1, "", "C1", "Title", "H", "A", "x"),), (), {})
    >>> trend = TrendPeriods(tuple(P.Period("annual", y) for y in (2021, 2022, 2023)), ())
    >>> aligned = align_rows(Cells([[], row], True), roles, Geometry(3, 10, ("direction",), ("DOT",)), trend, Path("t.tsv"))
    >>> aligned.cells[0][5:11], [e.category for e in aligned.anomalies]
    (['', '1', '2', '3', '4', '↑'], ['misaligned_row'])
    """
    placed, merged, entries, problems = [], [], [], {}
    last = len(cells.rows) - 1
    for row in roles.rows:
        raw = cells.rows[row.index]
        is_merged = _is_merged(raw, geometry.n)
        if is_merged:
            row_cells, entry, problem = _align_merged(raw, row, geometry)
        elif len(raw) < geometry.width and not cells.complete and row.index == last:
            # The file stops in the middle of this row: nothing to align.
            row_cells, entry, problem = _padded(raw, geometry), None, _cut_off(raw, row, geometry, periods, path)
        else:
            row_cells, entry, problem = _align_on_arrow(raw, row, geometry, periods, path)
        placed.append(row_cells)
        merged.append(is_merged)
        if entry is not None:
            entries.append(entry)
        if problem:
            problems[row.index] = problem
    return AlignedRows(cells=tuple(placed), merged=tuple(merged), anomalies=tuple(entries), problems=problems)


def _is_merged(raw: list[str], n: int) -> bool:
    """A merged N/A block: 'N/A' in the first trend column and nothing up to the latest."""
    return cell(raw, N_FIXED) == "N/A" and n > 1 and all(not cell(raw, j) for j in range(N_FIXED + 1, N_FIXED + n - 1))


def _align_merged(raw: list[str], row: IndicatorRow, geometry: Geometry) -> tuple[list[str], LogEntry | None, str]:
    """Right-align what follows a merged N/A block to the table's last column."""
    n, width = geometry.n, geometry.width
    stripped = list(raw)
    while stripped and not stripped[-1].strip():
        stripped.pop()
    rest = stripped[N_FIXED + n - 1 :]
    aligned = [""] * (width - (N_FIXED + n - 1) - len(rest)) + rest
    row_cells = list(raw[:N_FIXED]) + ["N/A"] + [""] * (n - 2) + aligned
    if len(stripped) == width:
        return row_cells, None, ""
    entry = LogEntry(
        "merged_na",
        f"a merged N/A block leaves {len(stripped)} cells where the table has {width}; "
        "the remaining cells were right-aligned to the last column.",
        row=row.index + 1,
        column=column_letter(N_FIXED),
        block=row.block,
        indicator=row.indicator,
        found=f"{len(stripped)} cells",
        expected=f"{width} cells",
    )
    return row_cells, entry, ""


def _padded(raw: list[str], geometry: Geometry) -> list[str]:
    """The row with blanks for the empty cells a spreadsheet dropped at its end."""
    return list(raw) + [""] * max(0, geometry.width - len(raw))


def _cut_off(raw: list[str], row: IndicatorRow, geometry: Geometry, periods: TrendPeriods, path: Path) -> str:
    """The error for a last row the file stops in the middle of, naming the first missing column."""
    names = [p.label for p in periods.periods] + ["Numerator", "Denominator"] + list(geometry.labels)
    missing = len(raw) - N_FIXED
    return (
        f"{path} row {row.index + 1}, column '{names[missing] if 0 <= missing < len(names) else 'Polarity'}' "
        f"({column_letter(len(raw))}): the row ends after {len(raw)} cells; expected {geometry.width} "
        "(the file looks truncated)."
    )


def _align_on_arrow(
    raw: list[str], row: IndicatorRow, geometry: Geometry, periods: TrendPeriods, path: Path
) -> tuple[list[str], LogEntry | None, str]:
    """Pad the row to the table's width; shift its trend cells so that its DOT arrow sits in the DOT column.

    A row with too few trend cells gets blanks before its earliest period; one with
    too many loses leading blanks, or is a problem when the extra cells hold figures.
    """
    row_cells = _padded(raw, geometry)
    arrow = next((j for j, c in enumerate(raw) if c.strip() in ARROWS and j >= N_FIXED), None)
    dot = geometry.dot
    if arrow is None and len(raw) <= (geometry.tail_start if dot is None else dot):
        return row_cells, _short_row(raw, row, geometry), ""
    if dot is None or arrow is None or arrow == dot:
        return row_cells, None, ""
    shift = dot - arrow
    if shift > 0:
        row_cells = row_cells[:N_FIXED] + [""] * shift + row_cells[N_FIXED:]
    elif not any(c.strip() for c in row_cells[N_FIXED : N_FIXED - shift]):
        row_cells = row_cells[:N_FIXED] + row_cells[N_FIXED - shift :]
    else:
        return row_cells, None, _too_many_cells(row, -shift, geometry, periods, path)
    entry = LogEntry(
        "misaligned_row",
        f"the DOT arrow is in column {column_letter(arrow)}, not {column_letter(dot)}: the row has {abs(shift)} trend "
        f"cell(s) {'too few' if shift > 0 else 'too many'}; values were aligned on the arrow, so "
        f"{'the earliest period is blank' if shift > 0 else 'leading blanks were dropped'}.",
        row=row.index + 1,
        column=column_letter(arrow),
        block=row.block,
        indicator=row.indicator,
        found=f"arrow in {column_letter(arrow)}",
        expected=f"arrow in {column_letter(dot)}",
    )
    return row_cells, entry, ""


def _short_row(raw: list[str], row: IndicatorRow, geometry: Geometry) -> LogEntry:
    """The entry for a row that stops before the DOT column: its missing cells read as blank."""
    end = geometry.tail_start if geometry.dot is None else geometry.dot
    return LogEntry(
        "short_row",
        f"the row has {len(raw)} cells and stops before column {column_letter(end)}; the table has {geometry.width}, "
        "so its missing cells were read as blank.",
        row=row.index + 1,
        column=column_letter(len(raw)),
        block=row.block,
        indicator=row.indicator,
        found=f"{len(raw)} cells",
        expected=f"{geometry.width} cells",
    )


def _too_many_cells(row: IndicatorRow, extra: int, geometry: Geometry, periods: TrendPeriods, path: Path) -> str:
    """The error for a row with figures in more trend cells than the table has."""
    return (
        f"{path} row {row.index + 1}, column '{periods.periods[0].label}' ({column_letter(N_FIXED)}): the row has {extra} more "
        f"cell(s) than the header before its DOT arrow; expected {geometry.n} period values, a numerator and a denominator."
    )
