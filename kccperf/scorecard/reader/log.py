"""The data-quality log: the entry each step records for a finding, and the log's frame.

No step alters a figure to make a table fit: what cannot be reconciled becomes a
:class:`LogEntry`. The steps record entries as they go; :func:`anomaly_frame`
turns them into the frame of schema :class:`kccperf.schemas.Anomaly`, and
:func:`in_row_order` merges the entries of the steps that walk the indicator rows
into the order a single pass over the rows would give.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

import pandas as pd

from ...schemas import Anomaly


@dataclass(frozen=True)
class LogEntry:
    """One finding: where it is, what was found and what was expected.

    ``row`` is the 1-based row of the file; ``column`` a spreadsheet letter or a
    period label. The file and the area are the same for every entry of a table,
    so :func:`anomaly_frame` adds them.
    """

    category: str
    message: str
    row: int
    column: str = ""
    block: str = ""
    indicator: str = ""
    found: str = ""
    expected: str = ""


def in_row_order(*steps: Iterable[LogEntry]) -> list[LogEntry]:
    """Merge the entries of steps that each walk the rows: by row, then in the order of the steps.

    Parameters
    ----------
    *steps : iterables of LogEntry
        Each step's entries, in row order.

    Returns
    -------
    list of LogEntry
        The entries as one pass over the rows, running the steps on each row in turn, would record them.

    Examples
    --------
    >>> a = [LogEntry("a", "", row=4), LogEntry("a", "", row=9)]
    >>> b = [LogEntry("b", "", row=4), LogEntry("b", "", row=5)]
    >>> [(e.category, e.row) for e in in_row_order(a, b)]
    [('a', 4), ('b', 4), ('b', 5), ('a', 9)]
    """
    # sorted() is stable, so entries of one row keep the order of the steps.
    return sorted(chain(*steps), key=lambda entry: entry.row)


def anomaly_frame(entries: Iterable[LogEntry], source_file: str, area: str) -> pd.DataFrame:
    """The data-quality log of one table as a frame.

    Parameters
    ----------
    entries : iterable of LogEntry
        The findings, in the order they are to be listed.
    source_file : str
        The table file, as given to the reader.
    area : str
        The table's area name ("" when unknown).

    Returns
    -------
    DataFrame
        One row per entry, columns of schema :class:`kccperf.schemas.Anomaly`; ``row`` is ``Int64``.

    Examples
    --------
    >>> frame = anomaly_frame([LogEntry("missing_code", "no code printed.", row=4, column="A")], "t.tsv", "Kent")
    >>> frame[[Anomaly.row, Anomaly.category, Anomaly.area]].to_dict("records")
    [{'row': 4, 'category': 'missing_code', 'area': 'Kent'}]
    """
    records = [
        {
            Anomaly.source_file: source_file,
            Anomaly.row: e.row,
            Anomaly.column: e.column,
            Anomaly.area: area,
            Anomaly.block: e.block,
            Anomaly.indicator: e.indicator,
            Anomaly.category: e.category,
            Anomaly.found: str(e.found),
            Anomaly.expected: str(e.expected),
            Anomaly.message: e.message,
        }
        for e in entries
    ]
    frame = pd.DataFrame(records, columns=list(Anomaly.to_schema().columns))
    frame[Anomaly.row] = frame[Anomaly.row].astype("Int64")
    return frame
