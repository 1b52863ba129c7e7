"""Writing the CSV and Excel files readers download: safe to open in a spreadsheet, written atomically.

A spreadsheet evaluates a cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (and some also act on a
leading tab or carriage return), so a published title or code such as ``=HYPERLINK(...)`` would become a live
formula on the director's machine. Every text cell, and every column name, that begins so is written as text:

- in CSV, prefixed with an apostrophe (the usual guard: a spreadsheet shows the text and evaluates nothing);
- in Excel, stored as a string cell with its text unchanged, never as a formula.

Numbers are never touched, so negative amounts stay numbers. Files are written to a uniquely named temporary
file beside the target and moved into place, so a reader (or a second run) never sees half a file.

A report's two downloads have two readers. The CSV is for analysts' code: the data's own snake_case column names,
in the data's order. The workbook is for a director opening it in Excel: plain headings, the indicator and its
figures first, the header row frozen, columns sized to their contents, and a sheet that explains every column in
one sentence. The headings and sentences are the ``title`` and ``description`` of the columns' fields in
:mod:`kccperf.schemas`, the one home of column names (:func:`column_notes`).
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .._format import POLARITY_WORDS, covers_text, format_gap, format_value
from ..schemas import Assessed as A
from ..schemas import (
    BridgeStep,
    BudgetFigure,
    CapitalProfile,
    IndicatorInfo,
    PublishedRating,
    RatingCheck,
    Risk,
    RiskScore,
    SharedTeam,
    Suppression,
)
from ..schemas import Indicator as I
from ..schemas import Scorecard as S
from ..schemas import Target as T

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


def _no_formulas(sheet) -> None:
    # openpyxl stores any text beginning with "=" as a formula: keep the text, as a string cell.
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _write_book(frame: pd.DataFrame, tmp: Path, sheet_name: str) -> None:
    with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet_name)
        _no_formulas(writer.sheets[sheet_name])


def write_xlsx(frame: pd.DataFrame, path: str | os.PathLike, *, sheet_name: str = "data") -> Path:
    """Write ``frame`` as an Excel workbook at ``path``, atomically, with no cell stored as a formula."""
    return atomic_write(Path(path), lambda tmp: _write_book(frame, tmp, sheet_name))


def write_table(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``frame`` as Excel when ``path`` ends in ``.xlsx``, as CSV otherwise (both neutralised, atomic)."""
    path = Path(path)
    return write_xlsx(frame, path) if path.suffix.lower() == ".xlsx" else write_csv(frame, path)


# --- Workbooks for readers: plain headings from the schemas, a sensible order, a sheet explaining each column ----

#: The last sheet of every readers' workbook, and its headings.
NOTES_SHEET = "About the columns"
NOTES_HEADINGS = ("Sheet", "Column", "What it holds", "Name in the data")
#: The widest a data column is made, in characters; a column of longer text wraps.
MAX_WIDTH = 50


@dataclass(frozen=True)
class Sheet:
    """One sheet of a readers' workbook.

    ``models`` are the schema models whose fields give the columns' headings and descriptions (the first model
    that titles a column wins); ``first`` the columns that lead, in that order, before the rest in the frame's order;
    ``leave_out`` columns the frame keeps for code but a reader does not need (where a row was read from).
    ``formats`` gives a column's Excel number format, one for the column or one per row (:func:`number_formats`).
    """

    name: str
    frame: pd.DataFrame
    models: tuple[type, ...]
    first: tuple[str, ...] = ()
    leave_out: tuple[str, ...] = ()
    formats: Callable[[pd.DataFrame], Mapping[str, str | pd.Series]] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Download:
    """A report's downloads: the CSV's frame, for code, and the workbook's sheets, for reading."""

    csv: pd.DataFrame
    sheets: tuple[Sheet, ...]


def column_notes(columns: Sequence[str], models: Sequence[type]) -> dict[str, tuple[str, str]]:
    """Each column's heading and one-sentence description: the ``title`` and ``description`` of its schema field.

    Parameters
    ----------
    columns : sequence of str
        Column names, e.g. a frame's columns.
    models : sequence of pandera DataFrameModel classes
        Where to look, in order: the first model whose field of that name has a title gives it.

    Returns
    -------
    dict
        ``column: (heading, description)``; a column no model titles keeps its name, with no description.

    Examples
    --------
    >>> from kccperf.schemas import Assessed, Scorecard
    >>> column_notes(["title", "value", "mystery"], (Assessed, Scorecard))["title"][0]
    'Indicator'
    >>> column_notes(["mystery"], (Assessed,))
    {'mystery': ('mystery', '')}
    """
    found: dict[str, tuple[str, str]] = {}
    for model in reversed(list(models)):  # the first model wins
        for name, column in model.to_schema().columns.items():
            if column.title:
                found[name] = (column.title, column.description or "")
    return {c: found.get(c, (c, "")) for c in columns}


def _order(sheet: Sheet) -> list[str]:
    """The sheet's columns as a reader sees them: ``first`` leading, the rest in the frame's order, none left out."""
    shown = [c for c in sheet.frame.columns if c not in sheet.leave_out]
    return [c for c in sheet.first if c in shown] + [c for c in shown if c not in sheet.first]


def readable(sheet: Sheet) -> pd.DataFrame:
    """The sheet's frame as a reader sees it: the ``first`` columns leading, every column under its heading.

    Examples
    --------
    >>> from kccperf.schemas import CapitalProfile
    >>> f = pd.DataFrame({"amount": [1.0], "year": ["2025-26"]})
    >>> readable(Sheet("Capital", f, (CapitalProfile,), first=("year",))).columns.tolist()
    ['Year', 'Amount (£000s)']
    """
    order = _order(sheet)
    notes = column_notes(order, sheet.models)
    return sheet.frame[order].set_axis([notes[c][0] for c in order], axis=1)


def notes_sheet(sheets: Sequence[Sheet]) -> pd.DataFrame:
    """One row per column of every sheet: the sheet, the heading, what the column holds and its name in the data.

    Examples
    --------
    >>> from kccperf.schemas import CapitalProfile
    >>> n = notes_sheet([Sheet("Capital", pd.DataFrame({"year": ["2025-26"]}), (CapitalProfile,))])
    >>> n.iloc[0].tolist()
    ['Capital', 'Year', 'The financial year of the capital programme, for example 2025-26.', 'year']
    """
    parts = []
    for sheet in sheets:
        order = _order(sheet)
        notes = column_notes(order, sheet.models)
        values = ([sheet.name] * len(order), [notes[c][0] for c in order], [notes[c][1] for c in order], order)
        parts.append(pd.DataFrame(dict(zip(NOTES_HEADINGS, values))))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(NOTES_HEADINGS))


# --- Number formats: a figure shows as its page prints it, while the cell keeps every digit -----------------------

# A figure as a page prints 1000: the text before the digits, the thousands comma, the decimals and the text after.
_PRINTED = re.compile(r"(?P<lead>[^\d]*?)1(?P<comma>,?)000(?:\.(?P<places>\d+))?(?P<trail>[^\d]*)")
#: The format of a number no page prints: a whole number as one, others to at least one decimal.
WHOLE, FRACTION = "#,##0", "#,##0.0##"


def _quoted(text: str) -> str:
    return f'"{text}"' if text else ""


def _section(printed: Callable[[float], str], sign: float) -> tuple[str, str, str, str]:
    """(text before, digits, text after, Excel section) for how ``printed`` shows ``sign`` × 1000 and × 1000.25."""
    m, finer = _PRINTED.fullmatch(printed(sign * 1000.0)), _PRINTED.fullmatch(printed(sign * 1000.25))
    if m is None or finer is None:
        raise ValueError(f"cannot read a number format from {printed(sign * 1000.0)!r}")
    low, high = len(m["places"] or ""), len(finer["places"] or "")
    digits = ("#,##0" if m["comma"] else "0") + ("." + "0" * low + "#" * (high - low) if high else "")
    return m["lead"], digits, m["trail"], _quoted(m["lead"]) + digits + _quoted(m["trail"])


def excel_format(printed: Callable[[float], str]) -> str:
    """The Excel number format that shows a number as ``printed`` (a page's formatter) prints it.

    Read off how ``printed`` shows ±1000 and ±1000.25 (the thousands comma, the fewest and most decimals, the text
    around the digits); a ``+`` it puts before increases is left off zero, as the pages print a zero gap.

    Examples
    --------
    >>> excel_format(lambda v: format_value(v, "percent")), excel_format(lambda v: format_value(v, "count"))
    ('#,##0.0"%"', '#,##0')
    >>> excel_format(lambda v: format_value(v, "score"))  # two decimals unless the second is a zero
    '0.0#'
    >>> excel_format(lambda v: f"{'+' if v > 0 else ''}{v:.1f} pp")
    '"+"0.0" pp";"-"0.0" pp";0.0" pp"'
    """
    before, digits, after, positive = _section(printed, 1)
    neg_before, neg_digits, neg_after, negative = _section(printed, -1)
    if "+" in before:  # a third section for zero, which Excel would otherwise show as an increase
        return f"{positive};{negative};{_quoted(before.replace('+', '')) + digits + _quoted(after)}"
    if (neg_before, neg_digits, neg_after) == ("-" + before, digits, after):
        return positive  # Excel puts the minus sign before a negative number itself
    return f"{positive};{negative}"


#: Columns in the row's unit (the Unit column): shown as the page prints a figure in it (73.1%, 1,674, 368.6 days).
IN_UNIT: tuple[str, ...] = (
    A.value,
    A.target,
    A.floor,
    T.floor_low,
    T.floor_high,
    T.range_low,
    T.range_high,
    A.dot_compared_value,
    S.england,
    S.regional,
    A.county_value,
    A.ci_low,
    A.ci_high,
    A.funnel_95_low,
    A.funnel_95_high,
    A.funnel_998_low,
    A.funnel_998_high,
)
#: Gaps to a comparator: signed, as the page prints them (+6.2 pp between two percentages).
GAPS: tuple[str, ...] = (A.england_gap, A.regional_gap, A.county_gap)
#: Percentages whatever the row's unit: a district's count as a share of the county's total (12.5%).
SHARES: tuple[str, ...] = (A.county_share,)


@lru_cache
def _unit_format(unit: str, gap: bool) -> str:
    if gap:
        return excel_format(lambda v: format_gap(v, unit))
    return excel_format(lambda v: format_value(v, unit))


@lru_cache
def _money_format(unit: str) -> str:
    from .budget_views import _money

    return excel_format(lambda v: _money(v, unit))


def _per_unit(units: pd.Series, fmt: Callable[[str], str]) -> pd.Series:
    """Each row's format from its unit, worked out once per distinct unit."""
    units = units.fillna("").astype(str)
    return units.map({u: fmt(u) for u in units.unique()})


def indicator_formats(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Each figure's number format in a report sheet: in its row's unit as the page prints it, gaps signed.

    Examples
    --------
    >>> f = pd.DataFrame({"unit": ["percent", "count"], "value": [73.14, 1674.0], "england_gap": [6.2, -3.0]})
    >>> {c: s.tolist() for c, s in indicator_formats(f).items()}["value"]
    ['#,##0.0"%"', '#,##0']
    """
    units = frame[I.unit] if I.unit in frame else pd.Series("", index=frame.index)
    out = {c: _per_unit(units, lambda u: _unit_format(u, False)) for c in IN_UNIT if c in frame}
    out |= {c: _per_unit(units, lambda u: _unit_format(u, True)) for c in GAPS if c in frame}
    return out | {c: pd.Series(_unit_format("percent", False), index=frame.index) for c in SHARES if c in frame}


def _risk_formats(frame: pd.DataFrame) -> dict[str, str]:
    money = (RiskScore.exposure_m, RiskScore.annual_exposure_m, RiskScore.lifetime_exposure_m)
    return {c: _money_format("£m") for c in money if c in frame}


def _bridge_formats(frame: pd.DataFrame) -> dict[str, pd.Series]:
    if BridgeStep.unit not in frame:
        return {}
    money = (BridgeStep.amount, BridgeStep.before, BridgeStep.after)
    return {c: _per_unit(frame[BridgeStep.unit], _money_format) for c in money if c in frame}


def _capital_formats(frame: pd.DataFrame) -> dict[str, str]:
    return {CapitalProfile.amount: _money_format("£000s")} if CapitalProfile.amount in frame else {}


def number_formats(sheet: Sheet) -> dict[str, str | pd.Series]:
    """Each shown numeric column's Excel number format, one for the column or one per row.

    The sheet's ``formats`` decide where given; any other number column is shown whole when every value is whole
    (counts, ranks), else each value whole or to at least one decimal as it is (a count of 1,514 beside 20.6
    posts). Only the display changes: each cell keeps its value.

    Examples
    --------
    >>> f = number_formats(Sheet("x", pd.DataFrame({"rank": [1.0, None], "share": [12.34, 5.0], "t": ["a", "b"]}), ()))
    >>> f["rank"], f["share"].tolist()
    ('#,##0', ['#,##0.0##', '#,##0'])
    """
    frame, shown = sheet.frame, _order(sheet)
    numbers = [c for c in frame.select_dtypes("number").columns if c in shown]
    whole = {c: frame[c] % 1 == 0 for c in numbers}
    out: dict[str, str | pd.Series] = {
        c: WHOLE if whole[c][frame[c].notna()].all() else pd.Series(np.where(whole[c], WHOLE, FRACTION), index=frame.index)
        for c in numbers
    }
    given = sheet.formats(frame) if sheet.formats is not None else {}
    return out | {c: f for c, f in given.items() if c in shown}


def _apply_formats(ws, frame: pd.DataFrame, formats: Mapping[str, str | pd.Series]) -> None:
    """Set each formatted column's cells' number format (the header row keeps its own)."""
    for i, column in enumerate(frame.columns, start=1):
        if column not in formats:
            continue
        fmt = formats[column]
        per_row = fmt.tolist() if isinstance(fmt, pd.Series) else [fmt] * len(frame)
        for (cell,), f in zip(ws.iter_rows(min_row=2, max_row=len(frame) + 1, min_col=i, max_col=i), per_row):
            cell.number_format = f


_text_length = np.frompyfunc(lambda value: len(str(value)), 1, 1)


def _widths(frame: pd.DataFrame, widest: int) -> list[float]:
    """Each column's width in characters: its text's 95th-percentile length, at least its heading's longest word.

    None for a sheet with no rows: its columns keep the spreadsheet's own width.
    """
    if frame.empty:
        return []
    numbers = frame.select_dtypes("number").columns
    # Excel shows a float to at most 15 significant digits: 6.800000000000001 is seen as -6.8.
    shown = frame.assign(**{str(c): frame[c].round(3) for c in numbers}) if len(numbers) else frame
    # Each cell's length as text (a blank is empty), all at once, then every column's 95th percentile at once
    # (column by column through pandas' string methods took 40 ms a workbook).
    cells = np.where(shown.isna().to_numpy(), 0, _text_length(shown.to_numpy(dtype=object)))
    lengths = pd.DataFrame(cells.astype("int64")).quantile(0.95).fillna(0).to_numpy()
    words = [max(len(w) for w in str(h).split()) if str(h).split() else 4 for h in frame.columns]
    return [float(min(widest, math.ceil(max(8, w, n)) + 2)) for w, n in zip(words, lengths)]


def _lay_out(ws, frame: pd.DataFrame, *, freeze: str, widest: int) -> None:
    """Bold wrapped headings, the header row (and ``freeze``'s columns) frozen, a filter, widths to fit; long text wraps."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = freeze
    if len(frame.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        cell.border = None
    for i, width in enumerate(_widths(frame, widest), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        if width >= widest:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _write_readable(sheets: Sequence[Sheet], tmp: Path) -> None:
    with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for sheet in sheets:
            frame = readable(sheet)
            frame.to_excel(writer, index=False, sheet_name=sheet.name)
            _lay_out(writer.sheets[sheet.name], frame, freeze="B2", widest=MAX_WIDTH)
            headings = column_notes(_order(sheet), sheet.models)
            formats = {headings[c][0]: f for c, f in number_formats(sheet).items()}
            _apply_formats(writer.sheets[sheet.name], frame, formats)
        notes = notes_sheet(sheets)
        notes.to_excel(writer, index=False, sheet_name=NOTES_SHEET)
        _lay_out(writer.sheets[NOTES_SHEET], notes, freeze="A2", widest=2 * MAX_WIDTH)
        for ws in writer.sheets.values():
            _no_formulas(ws)


def write_workbook(sheets: Sequence[Sheet], path: str | os.PathLike) -> Path:
    """Write ``sheets`` as a workbook for readers at ``path``, atomically, with no cell stored as a formula.

    Each sheet has plain headings (:func:`readable`), its header row and first column frozen, a filter and
    columns sized to their contents; a last sheet, :data:`NOTES_SHEET`, explains every column in one sentence.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> from kccperf.schemas import CapitalProfile
    >>> f = pd.DataFrame({"year": ["2025-26"], "group": ["Grants"], "amount": [143509.0]})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     book = openpyxl.load_workbook(write_workbook([Sheet("Capital", f, (CapitalProfile,))], Path(d) / "c.xlsx"))
    >>> book.sheetnames, [c.value for c in book["Capital"][1]]
    (['Capital', 'About the columns'], ['Year', 'Group', 'Amount (£000s)'])
    """
    return atomic_write(Path(path), lambda tmp: _write_readable(sheets, tmp))


#: Where a report workbook's headings come from: the assessed rows, then the columns they carry from the
#: scorecard, the catalogue, the targets, the rating check, the suppression and the team sharing.
REPORT_MODELS: tuple[type, ...] = (A, S, I, T, PublishedRating, RatingCheck, Suppression, SharedTeam, IndicatorInfo)
#: A report workbook's column order: the indicator and its figures, its rating and target, the direction of
#: travel, the comparisons, then the computed judgements and the identifiers analysts join on.
REPORT_FIRST: tuple[str, ...] = (
    S.title,
    I.service,
    A.area,
    A.block,
    A.period_label,
    IndicatorInfo.covers,
    S.period_type,
    A.value,
    I.unit,
    S.numerator,
    S.denominator,
    Suppression.suppressed,
    A.rating,
    PublishedRating.published_rag,
    RatingCheck.rating_check,
    RatingCheck.rating_check_reason,
    A.target,
    # A closest-to-target indicator is rated against its range: beside the target, as the page shows it.
    T.range_low,
    T.range_high,
    A.target_year,
    A.floor,
    A.direction,
    A.dot_arrow,
    A.dot_compared_label,
    A.dot_compared_value,
    A.dot_reason,
    S.england,
    S.england_label,
    A.vs_england,
    A.england_gap,
    A.sig_vs_england,
    S.regional,
    S.regional_label,
    A.vs_regional,
    A.regional_gap,
    A.county_value,
    A.vs_county,
    A.county_gap,
    A.county_share,
    A.sig_vs_county,
    A.rank,
    A.rank_of,
    A.quartile,
    A.ci_low,
    A.ci_high,
    A.funnel,
    A.funnel_95_low,
    A.funnel_95_high,
    A.funnel_998_low,
    A.funnel_998_high,
    A.rag,
    A.rag_reason,
    A.previous_rag,
    A.rating_basis,
    A.floor_source,
    T.floor_low,
    T.floor_high,
    A.polarity,
    SharedTeam.shared_with,
    A.indicator,
    A.period,
    A.dot_compared_period,
    S.decimals,
)
RISK_FIRST: tuple[str, ...] = (
    Risk.title,
    Risk.risk,
    Risk.directorate,
    Risk.likelihood,
    RiskScore.band,
    RiskScore.score,
    Risk.exposure_m,
    Risk.exposure_basis,
    RiskScore.band_label,
    Risk.annual_exposure_m,
    Risk.lifetime_exposure_m,
    Risk.summary,
    Risk.section,
)
#: Where a risk was read from, and the revenue bridge's keys: kept in the CSV for code, left out of the workbook.
RISK_LEAVE_OUT: tuple[str, ...] = (Risk.source_file, Risk.line)
REVENUE_LEAVE_OUT: tuple[str, ...] = (BridgeStep.step, BridgeStep.column)
REVENUE_FIRST: tuple[str, ...] = (
    BridgeStep.label,
    BridgeStep.kind,
    BridgeStep.amount,
    BridgeStep.unit,
    BridgeStep.before,
    BridgeStep.after,
)
CAPITAL_FIRST: tuple[str, ...] = (CapitalProfile.year, CapitalProfile.group, CapitalProfile.amount)


def period_words(view: pd.DataFrame, info: pd.DataFrame, scorecard: pd.DataFrame | None = None) -> pd.Series:
    """What each row's figure covers, in the words its page prints after "Latest figure:".

    The sources page's note (``info``'s ``covers``, "rolling 12 months to Oct 2024"); for a figure shown at an
    earlier period than the column it was printed in (``scorecard``'s latest rows say where), that it repeats that
    period's figure, worded by the page's own helper.

    Parameters
    ----------
    view : DataFrame
        Assessed rows (``area, block, indicator, period_label``).
    info : DataFrame
        :func:`kccperf.load_indicator_info` of the edition.
    scorecard : DataFrame, optional
        The edition's :func:`kccperf.load_scorecard` (its ``is_latest`` rows); without it no figure is taken as moved.

    Examples
    --------
    >>> v = pd.DataFrame({"area": ["Dover"], "block": [""], "indicator": ["x"], "period_label": ["Sep-24"]})
    >>> info = pd.DataFrame({"indicator": ["x"], "covers": ["rolling 12 months to Oct 2024"]})
    >>> period_words(v, info).tolist()
    ['rolling 12 months to Oct 2024']
    >>> s = v.assign(period_label="Oct-24", is_latest=True)
    >>> period_words(v, info, s).tolist()
    ['printed under Oct-24, where it repeats the Sep-24 figure (the sources page: rolling 12 months to Oct 2024)']
    """
    notes = info.drop_duplicates(IndicatorInfo.indicator).set_index(IndicatorInfo.indicator)[IndicatorInfo.covers]
    note = view[A.indicator].map(notes).fillna("")
    shown = view[A.period_label].fillna("")
    printed = shown
    keys = [S.area, S.block, S.indicator]
    if scorecard is not None and S.is_latest in scorecard and set(keys) <= set(view.columns):
        latest = scorecard[scorecard[S.is_latest].astype(bool)].drop_duplicates(keys).set_index(keys)[S.period_label]
        found = latest.reindex(pd.MultiIndex.from_frame(view[keys])).to_numpy(object)
        printed = pd.Series(found, index=view.index).fillna(shown)
    triples = pd.Series(list(zip(note, printed, shown)), index=view.index, dtype=object)
    return triples.map({t: covers_text(*t) for t in triples.unique()}).rename(IndicatorInfo.covers)


def report_download(view: pd.DataFrame, info: pd.DataFrame | None = None, scorecard: pd.DataFrame | None = None) -> Download:
    """The downloads of an area report or the county view: its assessed rows as CSV and as one readable sheet.

    With ``info`` (:func:`kccperf.load_indicator_info`, and ``scorecard`` for the figures moved to the period they
    repeat) the sheet's "Period covered" says in words what each figure covers, as the page does
    (:func:`period_words`); the CSV keeps the scorecard's code (``R12M``) for code. Figures are shown as the page
    prints them in their unit (:func:`indicator_formats`).

    Examples
    --------
    >>> d = report_download(pd.DataFrame({"indicator": ["x"], "title": ["Children in care"], "value": [1.0]}))
    >>> readable(d.sheets[0]).columns.tolist(), d.csv.columns.tolist()
    (['Indicator', 'Value', 'Indicator id'], ['indicator', 'title', 'value'])
    """
    shown, leave_out = view, ()
    if A.polarity in view:  # the page's words, not the scorecard's code (the CSV keeps H, L and T)
        shown = view.assign(**{A.polarity: view[A.polarity].map(POLARITY_WORDS).fillna(view[A.polarity])})
    if info is not None and {A.indicator, A.period_label} <= set(view.columns):
        shown = shown.assign(**{IndicatorInfo.covers: period_words(view, info, scorecard)})
        leave_out = (S.period_type,)
    return Download(view, (Sheet("Indicators", shown, REPORT_MODELS, REPORT_FIRST, leave_out, indicator_formats),))


def budget_download(
    risks: pd.DataFrame, revenue: pd.DataFrame, capital: pd.DataFrame, directorates: pd.DataFrame | None = None
) -> Download:
    """The downloads of a budget view: the risk register as CSV; a workbook with the risks, revenue bridge and capital.

    The CSV keeps the register's directorate codes (``ALL``, a blank), the exposure basis as a code (``lifetime``)
    and where each risk was read from, for code. The workbook names the directorates as the page does ("Whole
    council" from ``directorates``, :attr:`kccperf.budget.BudgetTables.directorates`, where given; "not printed" for
    a blank), gives the exposure basis and the kind of each step in the page's words ("Lifetime", "Start") and the
    steps' capitals in sentence case ("Proposed net budget"), leaves out the source file and line and the bridge's
    keys, and shows money as the page prints it (``£120.7m``, ``£9,682k``).

    Parameters
    ----------
    risks : DataFrame
        :func:`kccperf.budget.risk_scores` of the view's risks.
    revenue : DataFrame
        :func:`kccperf.budget.revenue_bridge` the view shows.
    capital : DataFrame
        :func:`kccperf.budget.capital_profile` the view shows.

    Examples
    --------
    >>> d = budget_download(pd.DataFrame({"risk": ["r01"]}), pd.DataFrame({"label": ["Pay"]}), pd.DataFrame({"year": ["2025-26"]}))
    >>> [s.name for s in d.sheets], d.csv.columns.tolist()
    (['Risks', 'Revenue bridge', 'Capital programme'], ['risk'])
    """
    from .budget_views import _directorates, _words, sentence_case  # the page's words

    shown = risks
    if RiskScore.directorate in risks:
        codes = risks[RiskScore.directorate]
        if directorates is None:  # no words for the codes: each names itself (an empty lookup would give floats)
            directorates = pd.DataFrame({Risk.directorate: codes.unique(), BudgetFigure.label: codes.unique()})
        shown = risks.assign(**{RiskScore.directorate: _directorates(codes, directorates)})
    if RiskScore.exposure_basis in shown:
        shown = shown.assign(**{RiskScore.exposure_basis: _words(shown[RiskScore.exposure_basis])})
    steps = revenue
    if BridgeStep.kind in revenue:
        steps = steps.assign(**{BridgeStep.kind: _words(revenue[BridgeStep.kind])})
    if BridgeStep.label in revenue:
        steps = steps.assign(**{BridgeStep.label: sentence_case(revenue[BridgeStep.label])})
    return Download(
        risks,
        (
            Sheet("Risks", shown, (RiskScore,), RISK_FIRST, RISK_LEAVE_OUT, _risk_formats),
            Sheet("Revenue bridge", steps, (BridgeStep,), REVENUE_FIRST, REVENUE_LEAVE_OUT, _bridge_formats),
            Sheet("Capital programme", capital, (CapitalProfile,), CAPITAL_FIRST, (), _capital_formats),
        ),
    )
