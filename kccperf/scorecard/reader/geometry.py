"""Column geometry: the header row and its labels, and where the trend, latest and tail columns are.

Every table prints five fixed columns (code, title, polarity, data period, QPR),
then one column per trend period ending with the latest, the latest period's
numerator and denominator, and a tail of DOT, target, RAG, outturn and benchmark
columns. The header names the table kind and labels the tail; the data rows place
it: the DOT arrows, which only data rows hold, anchor the tail.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ...errors import ScorecardFileError
from ...schemas import Area, Published
from ..catalogue import Catalogue
from .cells import Cells, column_letter
from .log import LogEntry
from .source import Source

ARROWS = {"↑": "improved", "↓": "worsened", "↔": "same"}
FIXED = ("Code", "Indicator", "Polarity", "Data Period", "QPR")
N_FIXED = len(FIXED)
# A tail column whose label the reader does not know; it is ignored.
UNKNOWN = "unknown"
_KIND_RE = re.compile(r"^(Monthly|Quarterly|Termly|Annual) Trends$", re.I)
_LATEST_RE = re.compile(r"^Latest (Month|Quarter|Term|Year)$", re.I)


@dataclass(frozen=True)
class TailColumn:
    """One labelled header cell after 'Latest ...', and the published column it fills (or ``UNKNOWN``)."""

    column: int
    label: str
    role: str


@dataclass(frozen=True)
class Header:
    """The header row: the first naming both 'Polarity' and 'Data Period'.

    Attributes
    ----------
    row : int
        0-based index of the header row in the file's rows.
    cells : tuple of str
        Its cells, stripped.
    title : str
        The table heading (its first cell).
    kind : str
        ``monthly``, ``quarterly``, ``termly`` or ``annual``, from the '... Trends' cell.
    latest : int
        The column the header prints 'Latest ...' in.
    tail : tuple of TailColumn
        The labelled cells after 'Latest ...', in order.
    """

    row: int
    cells: tuple[str, ...]
    title: str
    kind: str
    latest: int
    tail: tuple[TailColumn, ...]


def find_header(cells: Cells, path: Path) -> Header:
    """Find the header row and read the table kind and the tail labels from it.

    Parameters
    ----------
    cells : Cells
        The file's cells.
    path : Path
        The file, for messages.

    Returns
    -------
    Header

    Raises
    ------
    ScorecardFileError
        No row names 'Polarity' and 'Data Period', or the header has no '... Trends' or 'Latest ...' cell.

    Examples
    --------
    >>> head = ["Title", "", "Polarity", "Data Period", "QPR", "Annual Trends", "Latest Year", "", "", "DOT"]
    >>> h = find_header(Cells([["Notes"], head], True), Path("t.tsv"))
    >>> (h.row, h.kind, h.latest, h.tail)
    (1, 'annual', 6, (TailColumn(column=9, label='DOT', role='direction'),))
    """
    h = next((i for i, r in enumerate(cells.rows) if {"Polarity", "Data Period"} <= {c.strip() for c in r}), None)
    if h is None:
        raise ScorecardFileError(
            f"{path} row 1: no header row names 'Polarity' and 'Data Period'; expected the published header "
            "(title, Polarity, Data Period, QPR, trends, latest value, DOT, targets, RAG, benchmarks)."
        )
    header = tuple(c.strip() for c in cells.rows[h])
    kind_cell = next((c for c in header if _KIND_RE.match(c)), None)
    if kind_cell is None:
        raise ScorecardFileError(
            f"{path} row {h + 1}: no '... Trends' column in the header; expected 'Monthly Trends', "
            "'Quarterly Trends', 'Termly Trends' or 'Annual Trends'."
        )
    latest = next((j for j, c in enumerate(header) if _LATEST_RE.match(c)), None)
    if latest is None:
        raise ScorecardFileError(f"{path} row {h + 1}: no 'Latest ...' column in the header; expected e.g. 'Latest Month'.")
    labelled = [(j, c) for j, c in enumerate(header) if j > latest and c]
    roles = tail_roles([c for _, c in labelled])
    tail = tuple(TailColumn(j, c, role) for (j, c), role in zip(labelled, roles))
    return Header(row=h, cells=header, title=header[0], kind=kind_cell.split()[0].lower(), latest=latest, tail=tail)


def tail_roles(labels: list[str]) -> list[str]:
    """The published column each printed tail label fills, in order.

    The first target and RAG are the reporting year's; a later target is the next
    year's, or the previous year's once an outturn column has been passed.

    Parameters
    ----------
    labels : list of str
        The labelled header cells after 'Latest ...'.

    Returns
    -------
    list of str
        A :class:`kccperf.schemas.Published` column name per label, or ``UNKNOWN``.

    Examples
    --------
    >>> tail_roles(["DOT", "Target 2024-25", "RAG 2024-25", "Kent Outturn 2023-24", "Target 2023-24", "Notes"])
    ['direction', 'target', 'rag', 'prev_outturn', 'prev_target', 'unknown']
    """
    roles: list[str] = []
    seen_outturn = False
    n_target = n_rag = 0
    for lab in labels:
        low = lab.casefold()
        if low == "dot":
            roles.append(Published.direction)
        elif low.startswith("target"):
            roles.append(Published.target if n_target == 0 else Published.prev_target if seen_outturn else Published.next_target)
            n_target += 1
        elif low.startswith("rag"):
            roles.append(Published.rag if n_rag == 0 else Published.prev_rag)
            n_rag += 1
        elif "outturn" in low:
            roles.append(Published.prev_outturn)
            seen_outturn = True
        elif low.startswith("england"):
            roles.append(Published.england)
        elif low.startswith(("benchmark", "south east", "se ", "statistical", "regional")):
            roles.append(Published.benchmark)
        else:
            roles.append(UNKNOWN)
    return roles


def check_header(header: Header, source: Source, catalogue: Catalogue) -> list[LogEntry]:
    """Log a heading that names another area than the file's, and tail labels the reader does not know.

    Examples
    --------
    >>> from kccperf.scorecard.catalogue import load_catalogue
    >>> h = Header(0, (), "ICS Monthly Indicators - Dover", "monthly", 11, (TailColumn(14, "Notes", UNKNOWN),))
    >>> s = Source(Path("t.tsv"), "Thanet", "thanet", "ics_monthly", None)
    >>> [e.category for e in check_header(h, s, load_catalogue())]
    ['area_mismatch', 'unknown_header']
    """
    entries = []
    title, area = header.title, source.area
    named = title.rsplit(" - ", 1)[1].strip() if " - " in title else ""
    if (
        named
        and area
        and named.casefold() in set(catalogue.areas[Area.area].str.casefold())
        and named.casefold() != area.casefold()
    ):
        entries.append(
            LogEntry(
                "area_mismatch",
                f"the table heading names '{title.rsplit(' - ', 1)[1]}' but the file is for {area}.",
                row=header.row + 1,
                column="A",
                found=title,
                expected=area,
            )
        )
    for t in header.tail:
        if t.role == UNKNOWN:
            entries.append(
                LogEntry(
                    "unknown_header",
                    f"header label '{t.label}' is not one the reader knows; its column is ignored.",
                    row=header.row + 1,
                    column=column_letter(t.column),
                    found=t.label,
                    expected="DOT, Target, RAG, Outturn, Benchmark or England",
                )
            )
    return entries


@dataclass(frozen=True)
class Geometry:
    """Where the data rows hold each column.

    Columns ``N_FIXED`` to ``N_FIXED + n - 1`` hold the trend periods (the last is
    the latest), then come the numerator and denominator, then the tail columns
    from ``tail_start``, one per label of ``roles``.
    """

    n: int
    tail_start: int
    roles: tuple[str, ...]
    labels: tuple[str, ...]

    @property
    def width(self) -> int:
        """The number of cells a complete row has."""
        return self.tail_start + len(self.roles)

    @property
    def dot(self) -> int | None:
        """The column of the DOT arrows, when the table has one."""
        return self.tail_start + self.roles.index(Published.direction) if Published.direction in self.roles else None


def place_columns(cells: Cells, header: Header, data_rows: list[int], path: Path) -> tuple[Geometry, list[LogEntry]]:
    """Place the columns by the data rows: the arrow column minus the DOT's place in the tail.

    Without arrows the header's 'Latest ...' cell places them. A header offset from
    the data is logged.

    Parameters
    ----------
    cells : Cells
        The file's cells.
    header : Header
        The header row.
    data_rows : list of int
        0-based indices of the indicator rows.
    path : Path
        The file, for messages.

    Returns
    -------
    (Geometry, list of LogEntry)

    Raises
    ------
    ScorecardFileError
        No trend column is left before the latest value.

    Examples
    --------
    >>> head = ["T", "", "Polarity", "Data Period", "QPR", "Annual Trends", "Latest Year", "", "", "DOT"]
    >>> row = ["C1", "Title", "H", "A", "", "1", "2", "3", "4", "", "↑"]
    >>> cells = Cells([head, row], True)
    >>> geometry, log = place_columns(cells, find_header(cells, Path("t.tsv")), [1], Path("t.tsv"))
    >>> (geometry.n, geometry.tail_start, [e.category for e in log])
    (3, 10, ['misaligned_header'])
    """
    roles = tuple(t.role for t in header.tail)
    tail_start_header = header.latest + 3
    tail_start = tail_start_header
    if Published.direction in roles:
        k = roles.index(Published.direction)
        rows = cells.rows
        starts = Counter(j - k for i in data_rows for j, c in enumerate(rows[i]) if c.strip() in ARROWS and j >= N_FIXED)
        if starts:
            tail_start = starts.most_common(1)[0][0]
    n = tail_start - 2 - N_FIXED
    if n < 1:
        raise ScorecardFileError(
            f"{path} row {header.row + 1}: cannot place the trend columns; expected at least one period column before 'Latest'."
        )
    entries = []
    if tail_start != tail_start_header:
        latest = header.latest
        entries.append(
            LogEntry(
                "misaligned_header",
                f"the header row is offset by {tail_start_header - tail_start:+d} column(s) from the data rows; "
                "columns were placed by the data.",
                row=header.row + 1,
                column=column_letter(latest),
                found=f"'{header.cells[latest]}' in column {column_letter(latest)}",
                expected=f"column {column_letter(tail_start - 3)}",
            )
        )
    return Geometry(n=n, tail_start=tail_start, roles=roles, labels=tuple(t.label for t in header.tail)), entries
