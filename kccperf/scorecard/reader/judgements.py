"""Published judgements: the DOT arrow, RAG ratings, targets, outturn and benchmarks each row prints in its tail.

The published judgements are kept as printed, so that they can be compared with
the ones :mod:`kccperf.judge` computes; text that is not an arrow or a rating is
logged and left blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ...schemas import RAGS, Published
from .. import periods as P
from .align import AlignedRows
from .cells import column_letter, parse_number
from .geometry import ARROWS, Geometry
from .labels import TrendPeriods
from .log import LogEntry
from .roles import IndicatorRow, RowRoles
from .source import Source

_RATINGS = frozenset(("", *RAGS, "N/A"))
_NUMBERS = (
    Published.target,
    Published.prev_outturn,
    Published.prev_target,
    Published.next_target,
    Published.benchmark,
    Published.england,
)
# What a row prints in a tail column: (stripped text, header label, column).
_Tail = dict[str, tuple[str, str, int]]


@dataclass(frozen=True)
class Judgements:
    """The published judgements, what was logged about them and rows whose tail cannot be read.

    Attributes
    ----------
    frame : DataFrame
        Schema :class:`kccperf.schemas.Published`, one row per indicator row.
    anomalies : tuple of LogEntry
        Unexpected text in the DOT and RAG columns, in row order.
    problems : dict of int to str
        0-based row to the error that stops the read there: a target or benchmark that is not a figure.
    """

    frame: pd.DataFrame
    anomalies: tuple[LogEntry, ...]
    problems: dict[int, str]


def read_judgements(
    aligned: AlignedRows, roles: RowRoles, geometry: Geometry, periods: TrendPeriods, sublabel: str, source: Source
) -> Judgements:
    """Read each indicator row's tail: DOT, RAG ratings, targets, outturn and benchmarks.

    Parameters
    ----------
    aligned : AlignedRows
        The rows' cells in the table's columns.
    roles : RowRoles
        The rows' fixed cells, blocks and indicators.
    geometry : Geometry
        Where the tail starts and the role of each of its columns.
    periods : TrendPeriods
        The latest period gives the reporting year of the targets and ratings.
    sublabel : str
        The benchmark's sub-label (``SN``), added to the benchmark's label.
    source : Source
        Area, table and file, copied onto every row.

    Returns
    -------
    Judgements

    Examples
    --------
    >>> from kccperf.scorecard.reader.geometry import Geometry
    >>> from kccperf.scorecard.reader.roles import IndicatorRow
    >>> rows = RowRoles((IndicatorRow(3, "", "C1", "Title", "H", "A", "x"),), (), {})
    >>> cells = ["C1", "Title", "H", "A", "", "50", "60", "12", "20", "↑", "55.0", "Green"]
    >>> trend = TrendPeriods((P.Period("annual", 2022), P.Period("annual", 2023)), ())
    >>> geometry = Geometry(2, 9, ("direction", "target", "rag"), ("DOT", "Target 2023-24", "RAG 2023-24"))
    >>> j = read_judgements(AlignedRows((cells,), (False,), (), {}), rows, geometry, trend, "", Source(Path("t.tsv"), "", "", "t", None))
    >>> j.frame[[Published.direction, Published.target, Published.rag, Published.rag_year]].to_dict("records")
    [{'direction': '↑', 'target': 55.0, 'rag': 'GREEN', 'rag_year': '2023-24'}]
    """
    rep_year = periods.latest.reporting_year
    table = {
        Published.area: source.area,
        Published.table: source.table,
        Published.latest_period: periods.latest.key,
        Published.source_file: str(source.path),
        Published.rag_year: rep_year,
        Published.target_year: rep_year,
        Published.prev_year: P.previous_year(rep_year),
        **_tail_labels(geometry, sublabel),
    }
    records, entries, problems = [], [], {}
    for row, cells in zip(roles.rows, aligned.cells):
        tail = _tail(cells, geometry)
        texts, row_entries = _ratings(tail, row)
        entries += row_entries
        numbers, problem = _figures(tail, row, source.path)
        if problem:
            problems[row.index] = problem
            continue
        records.append(
            {
                **table,
                Published.block: row.block,
                Published.indicator: row.indicator,
                Published.code_published: row.code,
                Published.title: row.title,
                Published.source_row: row.index + 1,
                **texts,
                **numbers,
            }
        )
    frame = pd.DataFrame(records, columns=list(Published.to_schema().columns))
    return Judgements(frame=frame, anomalies=tuple(entries), problems=problems)


def _tail(cells: list[str], geometry: Geometry) -> _Tail:
    """The row's tail cells by role (a repeated role: the last such column)."""
    tail: _Tail = {}
    for t, (role, label) in enumerate(zip(geometry.roles, geometry.labels)):
        j = geometry.tail_start + t
        tail[role] = (cells[j].strip() if j < len(cells) else "", label, j)
    return tail


def _tail_labels(geometry: Geometry, sublabel: str) -> dict[str, str]:
    """The year of the next target and the benchmark and England labels, from the header."""
    labels = dict(zip(geometry.roles, geometry.labels))
    next_target, benchmark = labels.get(Published.next_target), labels.get(Published.benchmark)
    return {
        Published.next_target_year: "" if next_target is None else P.year_label(next_target) or "",
        Published.benchmark_label: "" if benchmark is None else benchmark + (f" ({sublabel})" if sublabel else ""),
        Published.england_label: labels.get(Published.england, ""),
    }


def _ratings(tail: _Tail, row: IndicatorRow) -> tuple[dict[str, str], list[LogEntry]]:
    """The DOT arrow and the two RAG ratings; other text is logged and left blank."""
    texts, entries = {}, []
    for role in (Published.direction, Published.rag, Published.prev_rag):
        text, label, j = tail.get(role, ("", "", 0))
        if role == Published.direction:
            ok, expected = (not text or text in ARROWS or text == "N/A"), "↑, ↓ or ↔"
            message = f"DOT cell holds '{text}'; expected an arrow."
        else:
            text = text.upper()
            ok, expected = text in _RATINGS, "RED, AMBER or GREEN"
            message = f"{label} cell holds '{text}'; expected RED, AMBER or GREEN."
        if not ok:
            entries.append(
                LogEntry(
                    "unexpected_text",
                    message,
                    row=row.index + 1,
                    column=column_letter(j),
                    block=row.block,
                    indicator=row.indicator,
                    found=text,
                    expected=expected,
                )
            )
            text = ""
        texts[role] = text
    return texts, entries


def _figures(tail: _Tail, row: IndicatorRow, path: Path) -> tuple[dict[str, float], str]:
    """Targets, outturn and benchmarks as numbers, or the error for the first that is not one."""
    numbers = {}
    for role in _NUMBERS:
        text, label, j = tail.get(role, ("", "", 0))
        try:
            numbers[role] = parse_number(text)[0]
        except ValueError:
            return numbers, (
                f"{path} row {row.index + 1}, column '{label}' ({column_letter(j)}): expected a number, 'N/A' or a blank, "
                f"found '{text}'."
            )
    return numbers, ""
