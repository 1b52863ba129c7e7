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
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..schemas import Assessed as A
from ..schemas import (
    BridgeStep,
    BudgetFigure,
    CapitalProfile,
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
    that titles a column wins); ``first`` the columns that lead, in that order, before the rest in the frame's order.
    """

    name: str
    frame: pd.DataFrame
    models: tuple[type, ...]
    first: tuple[str, ...] = ()


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


def readable(sheet: Sheet) -> pd.DataFrame:
    """The sheet's frame as a reader sees it: the ``first`` columns leading, every column under its heading.

    Examples
    --------
    >>> from kccperf.schemas import CapitalProfile
    >>> f = pd.DataFrame({"amount": [1.0], "year": ["2025-26"]})
    >>> readable(Sheet("Capital", f, (CapitalProfile,), first=("year",))).columns.tolist()
    ['Year', 'Amount (£000s)']
    """
    order = [c for c in sheet.first if c in sheet.frame.columns]
    order += [c for c in sheet.frame.columns if c not in order]
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
        order = [c for c in sheet.first if c in sheet.frame.columns]
        order += [c for c in sheet.frame.columns if c not in order]
        notes = column_notes(order, sheet.models)
        values = ([sheet.name] * len(order), [notes[c][0] for c in order], [notes[c][1] for c in order], order)
        parts.append(pd.DataFrame(dict(zip(NOTES_HEADINGS, values))))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(NOTES_HEADINGS))


def _widths(frame: pd.DataFrame, widest: int) -> list[float]:
    """Each column's width in characters: its text's 95th-percentile length, at least its heading's longest word."""
    numbers = frame.select_dtypes("number").columns
    # Excel shows a float to at most 15 significant digits: 6.800000000000001 is seen as -6.8.
    shown = frame.assign(**{str(c): frame[c].round(3) for c in numbers}) if len(numbers) else frame
    text = shown.astype(object).where(shown.notna(), "").astype(str)
    lengths = text.apply(lambda s: s.str.len().quantile(0.95)).fillna(0).to_numpy()
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
REPORT_MODELS: tuple[type, ...] = (A, S, I, T, PublishedRating, RatingCheck, Suppression, SharedTeam)
#: A report workbook's column order: the indicator and its figures, its rating and target, the direction of
#: travel, the comparisons, then the computed judgements and the identifiers analysts join on.
REPORT_FIRST: tuple[str, ...] = (
    S.title,
    I.service,
    A.area,
    A.block,
    A.period_label,
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
    T.range_low,
    T.range_high,
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
    Risk.source_file,
    Risk.line,
)
REVENUE_FIRST: tuple[str, ...] = (
    BridgeStep.label,
    BridgeStep.kind,
    BridgeStep.amount,
    BridgeStep.unit,
    BridgeStep.before,
    BridgeStep.after,
    BridgeStep.step,
    BridgeStep.column,
)
CAPITAL_FIRST: tuple[str, ...] = (CapitalProfile.year, CapitalProfile.group, CapitalProfile.amount)


def report_download(view: pd.DataFrame) -> Download:
    """The downloads of an area report or the county view: its assessed rows as CSV and as one readable sheet.

    Examples
    --------
    >>> d = report_download(pd.DataFrame({"indicator": ["x"], "title": ["Children in care"], "value": [1.0]}))
    >>> readable(d.sheets[0]).columns.tolist(), d.csv.columns.tolist()
    (['Indicator', 'Value', 'Indicator id'], ['indicator', 'title', 'value'])
    """
    return Download(view, (Sheet("Indicators", view, REPORT_MODELS, REPORT_FIRST),))


def budget_download(
    risks: pd.DataFrame, revenue: pd.DataFrame, capital: pd.DataFrame, directorates: pd.DataFrame | None = None
) -> Download:
    """The downloads of a budget view: the risk register as CSV; a workbook with the risks, revenue bridge and capital.

    The CSV keeps the register's directorate codes (``ALL``) for code; the workbook names them as the page does
    ("Whole council"), from ``directorates`` (:attr:`kccperf.budget.BudgetTables.directorates`) where given.

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
    shown = risks
    if directorates is not None and RiskScore.directorate in risks:
        words = directorates.set_index(RiskScore.directorate)[BudgetFigure.label]
        shown = risks.assign(
            **{RiskScore.directorate: risks[RiskScore.directorate].map(words).fillna(risks[RiskScore.directorate])}
        )
    return Download(
        risks,
        (
            Sheet("Risks", shown, (RiskScore,), RISK_FIRST),
            Sheet("Revenue bridge", revenue, (BridgeStep,), REVENUE_FIRST),
            Sheet("Capital programme", capital, (CapitalProfile,), CAPITAL_FIRST),
        ),
    )
