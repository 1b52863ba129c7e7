"""The wide scorecard reader: one published table file in, tidy frames and a data-quality log out.

The published tables are converted from PDF, so their header rows cannot be
trusted: period labels drift onto the wrong row or column, header cells shift
by one, and merged "N/A" cells collapse. The reader therefore takes the column
geometry from the data rows (the direction-of-travel arrows anchor the tail
columns) and uses the header only for labels, logging every disagreement.
Figures are never altered: what cannot be reconciled is logged, not fixed.

:func:`read_scorecard` is a pipeline of small steps, one module each:

- ``source``: which area, table and edition the file holds;
- ``cells``: the file read into rows of text cells (.tsv, .csv, .xlsx);
- ``geometry``: the header row, and where the trend, latest and tail columns are;
- ``roles``: indicator rows, period-label rows, team-block headings and sub-labels;
- ``labels``: the period of each trend column, fitted to the labels wherever they are;
- ``align``: each indicator row's cells placed in the table's columns;
- ``judgements``: the published DOT, RAG ratings, targets and benchmarks;
- ``values``: the tidy values, the latest carrying its row's printed benchmarks;
- ``checks`` and ``log``: what only reports, and the data-quality log.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ...errors import ScorecardFileError
from ...schemas import Block, Indicator
from ..catalogue import Catalogue, load_catalogue
from .align import align_rows
from .cells import MAX_BYTES, formula_anomalies, read_cells
from .checks import check_rows, check_values, repeated_headers, reused_codes
from .geometry import check_header, find_header, place_columns
from .judgements import read_judgements
from .labels import label_periods
from .log import anomaly_frame, in_row_order
from .roles import assign_roles, fill_missing_blocks, find_indicator_rows, scan_label_rows
from .source import identify_source
from .values import tidy_values

__all__ = ["ScorecardTable", "read_scorecard"]


@dataclass(frozen=True)
class ScorecardTable:
    """One published table, read.

    Attributes
    ----------
    values : DataFrame
        Tidy values (schema :class:`kccperf.schemas.Scorecard`).
    published : DataFrame
        Printed judgements and benchmarks (schema :class:`kccperf.schemas.Published`).
    anomalies : DataFrame
        The data-quality log (schema :class:`kccperf.schemas.Anomaly`).
    """

    path: Path
    area: str
    table: str
    kind: str
    title: str
    values: pd.DataFrame
    published: pd.DataFrame
    anomalies: pd.DataFrame


def _without_cyclic_gc(read):
    """Run ``read`` with Python's cycle collector paused.

    Reading builds millions of small objects that are all still alive, and each full collection walks
    every one of them, so with the collector on a 16 MB table took 1.3 times as long per MB as a 1 MB
    one (process CPU time; paused: 0.94). The reader makes no reference cycles worth collecting early.
    """

    @functools.wraps(read)
    def paused(*args, **kwargs):
        was_on = gc.isenabled()
        gc.disable()
        try:
            return read(*args, **kwargs)
        finally:
            if was_on:
                gc.enable()

    return paused


@_without_cyclic_gc
def read_scorecard(
    path,
    *,
    area: str | None = None,
    edition: str | None = None,
    catalogue: Catalogue | None = None,
    max_bytes: int | None = MAX_BYTES,
) -> ScorecardTable:
    """Read one scorecard table in its published wide layout.

    Parameters
    ----------
    path : str or Path
        A ``.tsv``, ``.csv`` or ``.xlsx`` file holding one printed table. Files in
        ``data/raw/scorecard/<edition>/`` are named ``<area-slug>__<table>.tsv``,
        from which the area is taken.
    area : str, optional
        Area name or slug; overrides the file name.
    edition : str, optional
        The scorecard edition (``"2024-10"``); defaults to the name of the file's
        folder when it looks like one. Used to check the latest period and to
        infer period labels the header leaves out.
    catalogue : Catalogue, optional
        Reference data; defaults to :func:`kccperf.load_catalogue`.
    max_bytes : int or None
        The largest file read, 16 MB by default: published tables are a few kB, and reading takes
        about 2 s and 60 MB of memory per MB, so a larger file is refused at once. None reads any size.

    Returns
    -------
    ScorecardTable
        ``values`` (tidy, one row per indicator row and period), ``published``
        (printed judgements) and ``anomalies`` (the data-quality log).

    Raises
    ------
    ScorecardFileError
        The file is missing, unreadable, larger than ``max_bytes``, empty, truncated or not a scorecard table; the
        message names the file, row and column.

    Examples
    --------
    >>> t = read_scorecard("data/raw/scorecard/2024-10/kent__ics_quarterly.tsv")
    >>> t.values[["indicator", "period", "value"]].tail(1).to_dict("records")
    [{'indicator': 'yj_reoffending', 'period': '2024-25 Q2', 'value': 33.2}]
    """
    cat = catalogue or load_catalogue()
    source = identify_source(path, area, edition, cat)
    cells = read_cells(source.path, max_bytes)
    header = find_header(cells, source.path)
    header_log = check_header(header, source, cat)
    data_rows = find_indicator_rows(cells, header, source.path)
    geometry, geometry_log = place_columns(cells, header, data_rows, source.path)
    labels = scan_label_rows(cells, header, data_rows, set(cat.blocks[Block.block]))
    periods = label_periods(labels, header, geometry, data_rows, source.edition, source.path)
    roles = assign_roles(cells, header, data_rows, labels.blocks, source, cat)
    aligned = align_rows(cells, roles, geometry, periods, source.path)
    judged = read_judgements(aligned, roles, geometry, periods, labels.sublabel, source)
    values = tidy_values(aligned, roles, periods, judged.frame, source)
    _raise_first_problem(roles.problems, aligned.problems, values.problems, judged.problems)

    indicators = cat.indicators.set_index(Indicator.indicator)
    frame, published, block_log = fill_missing_blocks(values.frame, judged.frame, source, cat, indicators)
    row_log = in_row_order(roles.anomalies, aligned.anomalies, check_rows(roles.rows, indicators, cat.codes), judged.anomalies)
    log = [
        *formula_anomalies(cells),
        *header_log,
        *repeated_headers(cells, header),
        *geometry_log,
        *periods.anomalies,
        *row_log,
        *block_log,
        *reused_codes(published),
        *check_values(frame, values.rounding, indicators),
    ]
    return ScorecardTable(
        path=source.path,
        area=source.area,
        table=source.table,
        kind=header.kind,
        title=header.title,
        values=frame,
        published=published,
        anomalies=anomaly_frame(log, str(source.path), source.area),
    )


def _raise_first_problem(*steps: Mapping[int, str]) -> None:
    """Raise the error that reading row by row meets first: in the earliest row, from the earliest step.

    ``steps`` are the problems of the row steps in the order they handle a row.
    """
    rows = [row for problems in steps for row in problems]
    if rows:
        first = min(rows)
        raise ScorecardFileError(next(problems[first] for problems in steps if first in problems))
