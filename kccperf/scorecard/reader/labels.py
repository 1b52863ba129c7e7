"""The periods of the trend columns: read from the period labels wherever the header put them.

The trend columns hold consecutive periods. Their labels drift onto other rows
and columns, lose characters or are left out, so the sequence is fitted to the
labels that read as periods (and to the edition's latest period) and every label
that does not fit is logged. The tail labels' years are checked against the
reporting year of the latest period.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...errors import ScorecardFileError
from ...schemas import Published
from .. import periods as P
from .cells import column_letter
from .geometry import N_FIXED, Geometry, Header
from .log import LogEntry
from .roles import LabelRows

# The reporting year a tail column's label should name: the latest period's, or the one before.
_PREVIOUS = {Published.prev_outturn, Published.prev_target, Published.prev_rag}
_CURRENT = {Published.target, Published.rag}


@dataclass(frozen=True)
class TrendPeriods:
    """The period of each trend column, oldest first, and what was logged about the labels."""

    periods: tuple[P.Period, ...]
    anomalies: tuple[LogEntry, ...]

    @property
    def latest(self) -> P.Period:
        return self.periods[-1]


def label_periods(
    labels: LabelRows, header: Header, geometry: Geometry, data_rows: tuple[int, ...], edition: str | None, path: Path
) -> TrendPeriods:
    """Fit consecutive periods to the trend columns.

    The sequence starts at the earliest label, or ends at the latest label when
    only that fits the edition. Without labels it ends at the edition's latest period
    (or, for annual tables, at the first target's year).

    Parameters
    ----------
    labels : LabelRows
        The period labels found, with their rows and columns.
    header : Header
        The header row (kind, tail labels).
    geometry : Geometry
        The number of trend columns and where the tail starts.
    data_rows : tuple of int
        The indicator rows, for messages.
    edition : str, optional
        The edition, whose latest period the table should end at.
    path : Path
        The file, for messages.

    Returns
    -------
    TrendPeriods

    Raises
    ------
    ScorecardFileError
        No label reads as a period and neither the edition nor a target year gives the latest.

    Examples
    --------
    >>> from kccperf.scorecard.reader.geometry import Geometry, Header
    >>> found = ((P.parse("Sep-24", "monthly"), 2, 5), (P.parse("Oct-24", "monthly"), 2, 6))
    >>> t = label_periods(LabelRows(found, {}, ""), Header(0, (), "T", "monthly", 6, ()), Geometry(2, 9, (), ()), (3,), "2024-10", Path("t.tsv"))
    >>> [p.label for p in t.periods], t.anomalies
    (['Sep-24', 'Oct-24'], ())
    """
    n = geometry.n
    want = P.edition_latest(edition, header.kind) if edition else None
    if labels.periods:
        seq, entries = _fit_labels(labels.periods, n, want, header)
    else:
        seq, entries = _infer_periods(n, want, header, data_rows, path)
    entries += _misplaced_labels(labels.periods, seq)
    if want is not None and seq[-1] != want:
        entries.append(
            LogEntry(
                "unexpected_latest_period",
                f"the latest period is {seq[-1].label}, but a {edition} {header.kind} table should end at {want.label}.",
                row=header.row + 1,
                column=column_letter(geometry.tail_start - 3),
                found=seq[-1].label,
                expected=want.label,
            )
        )
    entries += _stale_years(header, seq[-1])
    return TrendPeriods(periods=tuple(seq), anomalies=tuple(entries))


def _fit_labels(
    found: tuple[tuple[P.Period, int, int], ...], n: int, want: P.Period | None, header: Header
) -> tuple[list[P.Period], list[LogEntry]]:
    """The n periods from the earliest label (or to the latest, when that ends at the edition); labels outside are logged."""
    distinct = sorted({p for p, _, _ in found})
    seq = [distinct[0].shift(k) for k in range(n)]
    end_seq = [distinct[-1].shift(k - n + 1) for k in range(n)]
    if want is not None and seq[-1] != want and end_seq[-1] == want:
        seq = end_seq
    in_seq, printed = set(seq), set(distinct)
    first_at: dict[P.Period, tuple[int, int]] = {}
    for p, i, j in found:
        first_at.setdefault(p, (i, j))
    entries = []
    outside = [p for p in distinct if p not in in_seq]
    for p in outside:
        i, j = first_at[p]
        entries.append(
            LogEntry(
                "garbled_period_label",
                f"period label '{p.label}' does not fit the {n} consecutive periods {seq[0].label} to {seq[-1].label}.",
                row=i + 1,
                column=column_letter(j),
                found=p.label,
                expected=f"{seq[0].label}..{seq[-1].label}",
            )
        )
    if len(distinct) - len(outside) < n:
        missing = [p.label for p in seq if p not in printed]
        entries.append(
            LogEntry(
                "missing_period_labels",
                f"the header prints {len(distinct) - len(outside)} of {n} period labels; "
                f"{', '.join(missing)} inferred as consecutive periods.",
                row=header.row + 2,
                column=column_letter(N_FIXED),
                found=", ".join(p.label for p in distinct),
                expected=", ".join(p.label for p in seq),
            )
        )
    return seq, entries


def _infer_periods(
    n: int, want: P.Period | None, header: Header, data_rows: tuple[int, ...], path: Path
) -> tuple[list[P.Period], list[LogEntry]]:
    """The n periods ending at the edition's latest (annual tables: at the first target's year), when no label reads."""
    latest = want
    if latest is None:
        years = [P.year_label(t.label) for t in header.tail if t.role == Published.target]
        latest = P.Period("annual", int(years[0][:4])) if header.kind == "annual" and years and years[0] else None
    if latest is None:
        raise ScorecardFileError(
            f"{path} rows {header.row + 1}-{data_rows[0]}: no period labels in the header; expected labels such as "
            "'Apr-24', 'Q2 24-25', 'Summer 23-24' or '2023-24'."
        )
    seq = [latest.shift(k - n + 1) for k in range(n)]
    entry = LogEntry(
        "missing_period_labels",
        f"the header prints no period labels; {seq[0].label} to {seq[-1].label} inferred.",
        row=header.row + 2,
        column=column_letter(N_FIXED),
        expected=", ".join(p.label for p in seq),
    )
    return seq, [entry]


def _misplaced_labels(found: tuple[tuple[P.Period, int, int], ...], seq: list[P.Period]) -> list[LogEntry]:
    """One entry for labels printed over other columns than their values (the first such label as the example)."""
    column_of = {p: N_FIXED + k for k, p in enumerate(seq)}
    misplaced = [(p, i, j) for p, i, j in found if p in column_of and j != column_of[p]]
    if not misplaced:
        return []
    p, i, j = misplaced[0]
    return [
        LogEntry(
            "misaligned_header",
            f"period labels sit in the wrong columns (e.g. '{p.label}' in column "
            f"{column_letter(j)} but its values are in column {column_letter(column_of[p])}).",
            row=i + 1,
            column=column_letter(j),
            found=p.label,
            expected=f"column {column_letter(column_of[p])}",
        )
    ]


def _stale_years(header: Header, latest: P.Period) -> list[LogEntry]:
    """Tail labels naming another year than the one the latest period reports for (or, for previous-year columns, before)."""
    year = latest.reporting_year
    entries = []
    for t in header.tail:
        expected = year if t.role in _CURRENT else P.previous_year(year) if t.role in _PREVIOUS else None
        printed = P.year_label(t.label)
        if printed and expected and printed != expected:
            entries.append(
                LogEntry(
                    "stale_header",
                    f"header '{t.label}' names {printed}, but the latest period {latest.label} reports for {expected}.",
                    row=header.row + 1,
                    column=column_letter(t.column),
                    found=t.label,
                    expected=expected,
                )
            )
    return entries
