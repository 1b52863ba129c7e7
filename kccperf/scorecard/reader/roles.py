"""Row roles: which rows hold indicators, period labels, team-block headings and benchmark sub-labels.

An indicator row has a title in column B. Every other row after the header may
carry period labels (the header spills over several rows), a team-block heading
(``Ashford CSWT``) that applies to the indicator rows below it, or the
benchmark's sub-label (``SN``). District tables that print rows before any block
heading get the area's only block of the matching team type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ...errors import ScorecardFileError
from ...schemas import POLARITIES, Block, Indicator, Published, Scorecard
from .. import periods as P
from ..catalogue import Catalogue, normalise_title
from .cells import Cells, cell
from .geometry import Header
from .log import LogEntry
from .source import Source

_BLOCK_RE = re.compile(r"\b(CSWT|EHU)$")
_SUBLABEL_RE = re.compile(r"^(SN or SE|SE Region|SN|SE)$")
_POLARITIES = frozenset(POLARITIES)
_PERIOD_TYPES = frozenset(("MS", "R12M", "Q", "T", "A", "YTD"))


def find_indicator_rows(cells: Cells, header: Header, path: Path) -> tuple[int, ...]:
    """The 0-based indices of the rows after the header that print a title in column B.

    Raises
    ------
    ScorecardFileError
        There is none: the table ends after its header.

    Examples
    --------
    >>> from kccperf.scorecard.reader.geometry import TailColumn
    >>> header = Header(0, (), "T", "monthly", 11, ())
    >>> find_indicator_rows(Cells([["head"], ["", "", "Apr-24"], ["SCS03", "Re-referrals"]], True), header, Path("t.tsv"))
    (2,)
    """
    rows = cells.rows
    found = tuple(i for i in range(header.row + 1, len(rows)) if cell(rows[i], 1))
    if not found:
        raise ScorecardFileError(
            f"{path} row {len(rows)}: the table ends after its header; expected at least one indicator row "
            "(the file looks truncated)."
        )
    return found


@dataclass(frozen=True)
class LabelRows:
    """What the rows other than indicator rows print.

    Attributes
    ----------
    periods : tuple of (Period, int, int)
        Every period label of the table's kind, with its 0-based row and column (header row included).
    blocks : dict of int to str
        Team-block headings by 0-based row.
    sublabel : str
        The benchmark's sub-label (``SN``, ``SE Region``...), the last one printed; "" when none.
    """

    periods: tuple[tuple[P.Period, int, int], ...]
    blocks: dict[int, str]
    sublabel: str


def scan_label_rows(cells: Cells, header: Header, data_rows: tuple[int, ...], known_blocks: set[str]) -> LabelRows:
    """Read period labels, block headings and benchmark sub-labels from the header and the non-indicator rows.

    A cell that reads as a period label of the table's kind is one, wherever it is;
    after the header row, a cell naming a known block or ending in CSWT or EHU is a
    block heading.

    Examples
    --------
    >>> header = Header(0, (), "T", "monthly", 11, ())
    >>> rows = [["", "Apr-24"], ["SCS03", "Title"], ["Dover CSWT", "", "SN"]]
    >>> labels = scan_label_rows(Cells(rows, True), header, (1,), set())
    >>> [(p.label, i, j) for p, i, j in labels.periods], labels.blocks, labels.sublabel
    ([('Apr-24', 0, 1)], {2: 'Dover CSWT'}, 'SN')
    """
    found: list[tuple[P.Period, int, int]] = []
    blocks: dict[int, str] = {}
    sublabel = ""
    skip = set(data_rows)
    h, kind = header.row, header.kind
    for i in range(h, len(cells.rows)):
        if i in skip:
            continue
        for j, c in enumerate(cells.rows[i]):
            c = c.strip()
            if not c:
                continue
            p = P.parse(c, kind)
            if p is not None:
                found.append((p, i, j))
            elif i > h and (c in known_blocks or _BLOCK_RE.search(c)):
                blocks[i] = c
            elif i > h and _SUBLABEL_RE.match(c):
                sublabel = c
    return LabelRows(periods=tuple(found), blocks=blocks, sublabel=sublabel)


@dataclass(frozen=True)
class IndicatorRow:
    """The fixed cells of one indicator row, its team block and the catalogue indicator its title names.

    ``index`` is the 0-based row in the file (``index + 1`` in messages); ``indicator`` is "" for an unknown title.
    """

    index: int
    block: str
    code: str
    title: str
    polarity: str
    period_type: str
    indicator: str


@dataclass(frozen=True)
class RowRoles:
    """The indicator rows in file order, what was logged about them and their blocks, and rows that cannot be read.

    ``problems`` maps a 0-based row to the error that stops the read there (see ``read_scorecard``).
    """

    rows: tuple[IndicatorRow, ...]
    anomalies: tuple[LogEntry, ...]
    problems: dict[int, str]


def assign_roles(
    cells: Cells, header: Header, data_rows: tuple[int, ...], blocks: dict[int, str], source: Source, catalogue: Catalogue
) -> RowRoles:
    """Walk the rows after the header: each block heading sets the block of the indicator rows below it.

    Logs block headings that are unknown or do not cover the area, and titles the
    catalogue does not know; a polarity or data period the scorecard never prints
    is a problem of its row.

    Examples
    --------
    >>> from kccperf.scorecard.catalogue import load_catalogue
    >>> rows = [["head"], ["Dover CSWT"], ["SCS03", "No such indicator", "L", "MS"]]
    >>> source = Source(Path("t.tsv"), "Dover", "dover", "ics_monthly", None)
    >>> roles = assign_roles(Cells(rows, True), Header(0, (), "T", "monthly", 11, ()), (2,), {1: "Dover CSWT"}, source, load_catalogue())
    >>> [(r.index, r.block, r.indicator) for r in roles.rows], [e.category for e in roles.anomalies]
    ([(2, 'Dover CSWT', '')], ['unknown_title'])
    """
    titles = catalogue.titles
    block_areas = dict(zip(catalogue.blocks[Block.block], catalogue.blocks[Block.areas]))
    indicator_rows = set(data_rows)
    rows, entries, problems = [], [], {}
    block = ""
    for i in range(header.row + 1, len(cells.rows)):
        if i in blocks and i not in indicator_rows:
            block = blocks[i]
            entries += _check_block(block, i + 1, source, block_areas)
        elif i in indicator_rows:
            row = _indicator_row(cells.rows[i], i, block, titles)
            rows.append(row)
            problem = _fixed_cell_problem(row, source.path)
            if problem:
                problems[i] = problem
            if not row.indicator:
                entries.append(
                    LogEntry(
                        "unknown_title",
                        f"title '{row.title}' is not in the indicator catalogue (titles and aliases).",
                        row=i + 1,
                        column="B",
                        block=block,
                        found=row.title,
                        expected="a title or alias in indicators.csv",
                    )
                )
    return RowRoles(rows=tuple(rows), anomalies=tuple(entries), problems=problems)


def _indicator_row(cells: list[str], index: int, block: str, titles: dict[str, str]) -> IndicatorRow:
    title = cell(cells, 1)
    return IndicatorRow(
        index=index,
        block=block,
        code=cell(cells, 0),
        title=title,
        polarity=cell(cells, 2),
        period_type=cell(cells, 3),
        indicator=titles.get(normalise_title(title), ""),
    )


def _fixed_cell_problem(row: IndicatorRow, path: Path) -> str:
    """The error for a polarity or data period the scorecard never prints; "" when both are fine."""
    rn = row.index + 1
    if row.polarity not in _POLARITIES:
        return f"{path} row {rn}, column 'Polarity' (C): expected H, L or T, found '{row.polarity}'."
    if row.period_type not in _PERIOD_TYPES:
        return f"{path} row {rn}, column 'Data Period' (D): expected MS, R12M, YTD, Q, T or A, found '{row.period_type}'."
    return ""


def _check_block(block: str, rn: int, source: Source, block_areas: dict[str, str]) -> list[LogEntry]:
    """Log a block heading that is not in blocks.csv or does not cover the table's area."""
    if block not in block_areas:
        why, expected = f"team block '{block}' is not in data/reference/blocks.csv.", "a block listed in blocks.csv"
    elif source.slug and source.slug not in block_areas[block].split("|"):
        why, expected = f"team block '{block}' does not cover {source.area}.", f"a block covering {source.area}"
    else:
        return []
    return [LogEntry("unknown_block", why, row=rn, column="A", block=block, found=block, expected=expected)]


def fill_missing_blocks(
    values: pd.DataFrame, published: pd.DataFrame, source: Source, catalogue: Catalogue, indicators: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, list[LogEntry]]:
    """Give rows printed before any block heading in a district table the area's only block of their team type.

    Parameters
    ----------
    values, published : DataFrame
        The table's tidy values and published judgements.
    source : Source
        The table's area; Kent-wide tables have no blocks.
    catalogue : Catalogue
        For the blocks covering the area.
    indicators : DataFrame
        The catalogue's indicators indexed by indicator, for each indicator's team type.

    Returns
    -------
    (DataFrame, DataFrame, list of LogEntry)
        Values and judgements with the blocks filled in (copies when anything changed), and what was logged:
        each run of rows per team type, assigned or, with several candidate blocks, left without one.
    """
    if not source.slug or source.area == "Kent":
        return values, published, []
    team = values[Scorecard.indicator].map(indicators[Indicator.team_block]).fillna("")
    orphan = (values[Scorecard.block] == "") & (team != "")
    if not orphan.any():
        return values, published, []
    values, published = values.copy(), published.copy()
    entries = []
    for t in sorted(set(team[orphan])):
        rows_t = orphan & (team == t)
        candidates = catalogue.blocks_for(source.slug, t)
        first, last = values.loc[rows_t, Scorecard.source_row].min(), values.loc[rows_t, Scorecard.source_row].max()
        if len(candidates) != 1:
            entries.append(
                LogEntry(
                    "missing_block_heading",
                    f"rows {first}-{last} carry no team-block heading and {source.area} has "
                    f"{len(candidates)} {t} blocks; left without a block.",
                    row=int(first),
                    column="A",
                )
            )
            continue
        values.loc[rows_t, Scorecard.block] = candidates[0]
        printed = published[Published.source_row].between(first, last) & (published[Published.block] == "")
        published.loc[printed, Published.block] = candidates[0]
        entries.append(
            LogEntry(
                "missing_block_heading",
                f"rows {first}-{last} carry no team-block heading; assigned to "
                f"{candidates[0]}, the only {t} block for {source.area}.",
                row=int(first),
                column="A",
                block=candidates[0],
                expected=candidates[0],
            )
        )
    return values, published, entries
