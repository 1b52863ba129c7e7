"""Tidy values: one row per indicator row and trend period, with the latest period's numerator and denominator.

Figures are read as printed (thousands separators and '%' signs dropped) and
never altered; each value keeps the number of decimals it was printed with, so
that later checks can allow for rounding. The latest value also carries the
benchmarks its row prints, which the judgements step has read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ...schemas import Published, Scorecard
from .. import periods as P
from .align import AlignedRows
from .cells import column_letter, parse_number
from .geometry import N_FIXED
from .labels import TrendPeriods
from .roles import IndicatorRow, RowRoles
from .source import Source


@dataclass(frozen=True)
class TidyValues:
    """The tidy values and the printed decimals of their numerators and denominators.

    Attributes
    ----------
    frame : DataFrame
        Schema :class:`kccperf.schemas.Scorecard`.
    rounding : DataFrame
        Same index as ``frame``: ``numerator`` and ``denominator`` hold the decimals those
        figures were printed with (latest period only; NaN elsewhere).
    problems : dict of int to str
        0-based row to the error that stops the read there: a cell that is not a figure.
    """

    frame: pd.DataFrame
    rounding: pd.DataFrame
    problems: dict[int, str]


def tidy_values(
    aligned: AlignedRows, roles: RowRoles, periods: TrendPeriods, published: pd.DataFrame, source: Source
) -> TidyValues:
    """Read the trend values, numerator and denominator of every indicator row.

    A merged N/A block makes all of a row's figures N/A. The printed benchmarks
    apply to the latest period's value, so they and their labels are copied onto it.

    Parameters
    ----------
    aligned : AlignedRows
        The rows' cells in the table's columns.
    roles : RowRoles
        The rows' fixed cells, blocks and indicators.
    periods : TrendPeriods
        The period of each trend column.
    published : DataFrame
        The rows' published judgements (schema :class:`kccperf.schemas.Published`), for the benchmarks.
    source : Source
        Area, table and file, copied onto every row.

    Returns
    -------
    TidyValues
        One row per indicator row and period, in file order, oldest period first.

    Examples
    --------
    >>> from kccperf.scorecard.reader.roles import IndicatorRow
    >>> rows = RowRoles((IndicatorRow(3, "", "C1", "Title", "H", "A", "x"),), (), {})
    >>> cells = ["C1", "Title", "H", "A", "", "1.5", "2,000", "12", "30", "↑"]
    >>> trend = TrendPeriods((P.Period("annual", 2022), P.Period("annual", 2023)), ())
    >>> source = Source(Path("t.tsv"), "", "", "t", None)
    >>> t = tidy_values(AlignedRows((cells,), (False,), (), {}), rows, trend, pd.DataFrame(), source)
    >>> t.frame[[Scorecard.period_label, Scorecard.value, Scorecard.numerator, Scorecard.is_latest]].to_dict("records")
    [{'period_label': '2022-23', 'value': 1.5, 'numerator': nan, 'is_latest': False}, {'period_label': '2023-24', 'value': 2000.0, 'numerator': 12.0, 'is_latest': True}]
    """
    seq = periods.periods
    n = len(seq)
    names = [p.label for p in seq] + ["Numerator", "Denominator"]
    read, figures, problems = [], [], {}
    for row, cells, merged in zip(roles.rows, aligned.cells, aligned.merged):
        row_figures = []
        for k in range(n + 2):
            raw = "N/A" if merged else cells[N_FIXED + k]
            try:
                row_figures.append(parse_number(raw))
            except ValueError:
                problems[row.index] = _not_a_figure(source.path, row.index + 1, names[k], N_FIXED + k, raw)
                break
        else:
            read.append(row)
            figures.append(row_figures)
    frame, rounding = _frames(read, figures, seq, _benchmarks(published), source)
    return TidyValues(frame=frame, rounding=rounding, problems=problems)


def _not_a_figure(path: Path, rn: int, name: str, column: int, raw: str) -> str:
    """The error for a cell that is not a number, 'N/A' or a blank."""
    # A '?' usually stands for an arrow lost to a non-UTF-8 save.
    hint = (
        " (a '?' usually means the file was saved in a non-UTF-8 encoding and lost its arrows; save it as CSV UTF-8)"
        if raw.strip() == "?"
        else ""
    )
    return f"{path} row {rn}, column '{name}' ({column_letter(column)}): expected a number, 'N/A' or a blank, found '{raw.strip()}'{hint}."


_NO_BENCHMARKS = (np.nan, np.nan, "", "")


def _benchmarks(published: pd.DataFrame) -> dict[int, tuple[float, float, str, str]]:
    """Source row to (England, regional benchmark, England label, regional label) as printed."""
    if published.empty:
        return {}
    columns = (Published.england, Published.benchmark, Published.england_label, Published.benchmark_label)
    return dict(zip(published[Published.source_row].tolist(), zip(*(published[c].tolist() for c in columns))))


def _frames(
    rows: list[IndicatorRow],
    figures: list[list[tuple[float, float, str]]],
    seq: tuple[P.Period, ...],
    benchmarks: dict[int, tuple[float, float, str, str]],
    source: Source,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The values frame and its rounding frame, built column by column."""
    n = len(seq)
    size = len(rows) * n
    printed = [benchmarks.get(r.index + 1, _NO_BENCHMARKS) for r in rows]

    def each(values: list) -> list:
        # One entry per row and period.
        return [v for v in values for _ in range(n)]

    def latest_only(values: list, other: float | str = np.nan) -> list:
        return [v if k == n - 1 else other for v in values for k in range(n)]

    columns = {
        Scorecard.area: [source.area] * size,
        Scorecard.block: each([r.block for r in rows]),
        Scorecard.indicator: each([r.indicator for r in rows]),
        Scorecard.code_published: each([r.code for r in rows]),
        Scorecard.title: each([r.title for r in rows]),
        Scorecard.polarity: each([r.polarity for r in rows]),
        Scorecard.period_type: each([r.period_type for r in rows]),
        Scorecard.period: [p.key for _ in rows for p in seq],
        Scorecard.period_label: [p.label for _ in rows for p in seq],
        Scorecard.value: [f[k][0] for f in figures for k in range(n)],
        Scorecard.numerator: latest_only([f[n][0] for f in figures]),
        Scorecard.denominator: latest_only([f[n + 1][0] for f in figures]),
        Scorecard.decimals: [f[k][1] for f in figures for k in range(n)],
        Scorecard.england: latest_only([b[0] for b in printed]),
        Scorecard.regional: latest_only([b[1] for b in printed]),
        Scorecard.england_label: latest_only([b[2] for b in printed], ""),
        Scorecard.regional_label: latest_only([b[3] for b in printed], ""),
        Scorecard.is_latest: [k == n - 1 for _ in rows for k in range(n)],
        Scorecard.table: [source.table] * size,
        Scorecard.source_file: [str(source.path)] * size,
        Scorecard.source_row: each([r.index + 1 for r in rows]),
    }
    frame = pd.DataFrame(columns, columns=list(Scorecard.to_schema().columns))
    rounding = pd.DataFrame(
        {
            Scorecard.numerator: latest_only([f[n][1] for f in figures]),
            Scorecard.denominator: latest_only([f[n + 1][1] for f in figures]),
        }
    )
    return frame, rounding
