"""Reading the draft budget: the report's tables, the risk register and the reference facts of each edition.

The reader (:func:`load_budget`, :func:`read_budget_table`) reads
``data/raw/budget/<year>/`` exactly as printed, removes page-number artefacts
from cells and logs each one, and refuses bad input with one sentence naming
the file, row and column. The facts about one edition's layout (which columns
and cells must add up, the years and Cabinet Members it covers, its title and
date) are reference data in ``data/reference/budget/<year>/``
(:func:`load_relations`, :func:`load_edition`). The calculators live in
:mod:`kccperf.budget`.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import schemas
from .._paths import data_root
from ..errors import BudgetFileError, ParameterError, read_utf8
from ..schemas import BudgetCellRef as Ref
from ..schemas import (
    BudgetClaim,
    BudgetCleaning,
    BudgetEdition,
    BudgetFigure,
    BudgetManifest,
    BudgetRelation,
    BudgetRows,
    CapitalFootnote,
    CapitalProject,
    CapitalSummaryRaw,
    CypeCapitalRaw,
    PotentialProjectsRaw,
    Risk,
    RiskRegisterRaw,
)
from ..schemas import BudgetRows as R
from ..schemas import BudgetTerm as Term

__all__ = [
    "BudgetTables",
    "RAW_MODELS",
    "available_budget_years",
    "check_budget_parameters",
    "clean_page_artefacts",
    "edition_info",
    "load_budget",
    "load_column_labels",
    "load_directorates",
    "load_edition",
    "load_relations",
    "read_budget_table",
]

RAW_MODELS: dict[str, type[BudgetRows]] = {
    "table1": schemas.Table1Raw,
    "appendix_a": schemas.CapitalSummaryRaw,
    "appendix_b": schemas.CypeCapitalRaw,
    "appendix_c": schemas.PotentialProjectsRaw,
    "appendix_d": schemas.RevenuePlanRaw,
    "appendix_d_funding": schemas.RevenueFundingRaw,
    "appendix_e": schemas.CypeRevenueRaw,
    "appendix_f": schemas.RiskRegisterRaw,
}
_ANNOTATION = list(BudgetRows.to_schema().columns)
_TEXT_COLUMNS = {
    "appendix_a": [CapitalSummaryRaw.dir],
    "appendix_b": [CypeCapitalRaw.footnotes, CypeCapitalRaw.description],
    "appendix_c": [PotentialProjectsRaw.directorate, PotentialProjectsRaw.description],
    "appendix_f": [RiskRegisterRaw.directorate, RiskRegisterRaw.likelihood, RiskRegisterRaw.summary],
}
_DIRECTORATE_CHOICES = ("CYPE", "ALL")

_PAGE_RE = re.compile(r"\s*\bPage\s+\d{1,4}\b\s*", re.I)
_NUMBER_RE = r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$"
_YEAR_RE = re.compile(r"^\d{4}-\d{2}$")
_LIST_KEYS = ("revenue_years", "capital_years", "members", "member_names")


@dataclass(frozen=True)
class BudgetTables:
    """One year's budget report, read and checked.

    Attributes
    ----------
    year : str
        The budget year, e.g. ``"2025-26"``.
    figures : DataFrame
        Every printed figure (schema :class:`kccperf.schemas.BudgetFigure`).
    risks : DataFrame
        The risk register, one row per risk (schema :class:`kccperf.schemas.Risk`).
    projects : DataFrame
        Appendix B projects with their footnote flags (schema :class:`kccperf.schemas.CapitalProject`).
    claims : DataFrame
        Amounts the text states about the tables (schema :class:`kccperf.schemas.BudgetClaim`).
    cleaning : DataFrame
        Page-number artefacts removed, one row per cell (schema :class:`kccperf.schemas.BudgetCleaning`).
    manifest : DataFrame
        The files, their titles, units and source lines.
    relations : DataFrame
        Which printed figures must add up to which (schema :class:`kccperf.schemas.BudgetRelation`),
        from ``data/reference/budget/<year>/relations.csv``.
    edition : dict
        Facts about the edition from ``data/reference/budget/<year>/edition.csv`` (see :func:`load_edition`).
    labels : DataFrame
        The printed heading of every column of the tables (``table``, ``column``, ``label``), from
        ``data/reference/budget/<year>/columns.csv`` (see :func:`load_column_labels`).
    directorates : DataFrame
        The register's directorate codes in words (``directorate``, ``label``), from
        ``data/reference/budget/<year>/directorates.csv`` (see :func:`load_directorates`).
    """

    year: str
    figures: pd.DataFrame
    risks: pd.DataFrame
    projects: pd.DataFrame
    claims: pd.DataFrame
    cleaning: pd.DataFrame
    manifest: pd.DataFrame
    relations: pd.DataFrame
    edition: dict
    labels: pd.DataFrame
    directorates: pd.DataFrame


def available_budget_years(data_dir=None) -> list[str]:
    """Budget years on disk: the ``YYYY-YY`` folders under ``data/raw/budget/``.

    Examples
    --------
    >>> "2025-26" in available_budget_years()
    True
    """
    root = data_root(data_dir) / "raw" / "budget"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and _YEAR_RE.match(p.name))


def check_budget_parameters(*, directorate: str, year: str, data_dir=None) -> dict[str, str]:
    """Validate the budget notebook's parameters; return them in canonical form, with the view's name in words.

    ``directorate`` is ``"CYPE"`` or ``"ALL"`` (the whole council), in any case, or the name
    ``data/reference/budget/<year>/directorates.csv`` gives it (``"Whole council"``), so that the name a page's
    footer prints builds the same page again. ``label`` is that name.

    Examples
    --------
    >>> check_budget_parameters(directorate="cype", year="2025-26")
    {'directorate': 'CYPE', 'year': '2025-26', 'label': 'Children, Young People & Education (CYPE)'}
    >>> check_budget_parameters(directorate="Whole council", year="2025-26")["directorate"]
    'ALL'
    """
    known = available_budget_years(data_dir)
    if not isinstance(year, str) or year not in known:
        raise ParameterError(
            f"parameter 'year' is {year!r}; expected one of: {', '.join(known) or 'none'} "
            f"(folders under {data_root(data_dir) / 'raw' / 'budget'})."
        )
    names = load_directorates(year, data_dir=data_dir).set_index(Risk.directorate)[BudgetFigure.label]
    names = names[list(_DIRECTORATE_CHOICES)]
    spelled = {**{n.casefold(): code for code, n in names.items()}, **{c.casefold(): c for c in _DIRECTORATE_CHOICES}}
    code = spelled.get(directorate.strip().casefold()) if isinstance(directorate, str) else None
    if code is None:
        raise ParameterError(
            f"parameter 'directorate' is {directorate!r}; expected 'CYPE' or 'ALL' (the whole council, also written {names['ALL']!r})."
        )
    return {"directorate": code, "year": year, "label": names[code]}


def _read_tsv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise BudgetFileError(f"{path}: file not found; expected a tab-separated budget table.")
    text = read_utf8(path, BudgetFileError, "a tab-separated budget table")
    try:
        return pd.read_csv(io.StringIO(text), sep="\t", dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise BudgetFileError(f"{path}: cannot be read as a tab-separated table ({str(exc).strip()}).") from None


def _require_columns(frame: pd.DataFrame, columns: list[str], source: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise BudgetFileError(
            f"{source} row 1 (header), column '{missing[0]}': the column is missing; expected columns {', '.join(columns)}."
        )


def _first_bad(frame: pd.DataFrame, mask: pd.Series, column: str, source: str, expected: str) -> None:
    if mask.any():
        bad = frame[mask].iloc[0]
        where = f"line {bad[R.line]}, row '{bad[R.row]}'" if R.row in frame.columns else f"line {bad[R.line]}"
        raise BudgetFileError(f"{source} {where}, column '{column}': found {bad[column]!r}; expected {expected}.")


def clean_page_artefacts(
    frame: pd.DataFrame, source_file: str, columns: list[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Remove page-number artefacts (``Page 87``) from cells; return the cleaned frame and a log.

    A cell such as ``"CPE Page 88"`` becomes ``"CPE"``; a cell holding only a page
    number becomes empty; a row left with nothing but its annotation columns
    (every printed cell empty) is dropped. Each change is one log row. Figures
    are never altered: only the artefact text is removed, and what remains must
    still read as the figure that was printed.

    Parameters
    ----------
    frame : DataFrame
        A raw budget table as strings, with ``line`` and ``row`` columns.
    source_file : str
        Named in the log.
    columns : list of str, optional
        The printed columns to clean; default every column except ``line``, ``row``, ``row_type`` and ``parts``.

    Returns
    -------
    (DataFrame, DataFrame)
        The cleaned frame and the log (schema :class:`kccperf.schemas.BudgetCleaning`).

    Examples
    --------
    >>> raw = pd.DataFrame({"line": [7], "row": ["r1"], "label": ["Waste"], "directorate": ["GET  Page 94"]})
    >>> clean, log = clean_page_artefacts(raw, "f.tsv")
    >>> clean["directorate"].item(), log["found"].item()
    ('GET', 'GET  Page 94')
    """
    cols = columns or [c for c in frame.columns if c not in (R.line, R.row, R.row_type, R.parts)]
    cells = frame[cols].astype(str)
    hit = cells.apply(lambda s: s.str.contains(_PAGE_RE))
    cleaned = cells.apply(lambda s: s.str.replace(_PAGE_RE, " ", regex=True).str.strip())
    out = frame.assign(**{c: cleaned[c].where(hit[c], frame[c]) for c in cols})

    stacked = hit.stack()
    where = stacked[stacked].index
    log = pd.DataFrame(
        {
            BudgetCleaning.source_file: source_file,
            BudgetCleaning.line: frame.loc[where.get_level_values(0), R.line].to_numpy(),
            BudgetCleaning.row: frame.loc[where.get_level_values(0), R.row].to_numpy(),
            BudgetCleaning.column: where.get_level_values(1).to_numpy(),
            BudgetCleaning.found: [cells.at[i, c] for i, c in where],
            BudgetCleaning.cleaned: [cleaned.at[i, c] for i, c in where],
        }
    )
    log[BudgetCleaning.message] = np.where(
        log[BudgetCleaning.cleaned] == "",
        "the cell held only a page number from the PDF; it is left empty (nothing else was printed there)",
        "a page number from the PDF was removed; the rest of the cell is kept as printed",
    )
    printed = [c for c in cols if c != R.section]
    empty_rows = out[printed].eq("").all(axis=1) & hit.any(axis=1)
    if empty_rows.any():
        dropped = pd.DataFrame(
            {
                BudgetCleaning.source_file: source_file,
                BudgetCleaning.line: frame.loc[empty_rows, R.line].to_numpy(),
                BudgetCleaning.row: frame.loc[empty_rows, R.row].to_numpy(),
                BudgetCleaning.column: "",
                BudgetCleaning.found: cells[empty_rows].apply(lambda r: " ".join(v for v in r if v), axis=1).to_numpy(),
                BudgetCleaning.cleaned: "",
                BudgetCleaning.message: "the row held only a page number from the PDF; it is dropped",
            }
        )
        log = pd.concat([log, dropped], ignore_index=True)
    return out[~empty_rows].reset_index(drop=True), log.reset_index(drop=True)


def _parse_numbers(frame: pd.DataFrame, columns: list[str], source: str) -> pd.DataFrame:
    """Printed figures to floats; an empty cell is missing; anything else stops with file, line and column."""
    text = frame[columns].apply(lambda s: s.str.strip())
    for c in columns:
        _first_bad(
            frame, (text[c] != "") & ~text[c].str.match(_NUMBER_RE), c, source, "a number such as 1,234.5 or an empty cell"
        )
    return text.apply(lambda s: pd.to_numeric(s.str.replace(",", "", regex=False).str.lstrip("+"), errors="coerce"))


def _check_structure(frame: pd.DataFrame, source: str) -> None:
    _first_bad(frame, ~frame[R.line].str.fullmatch(r"\d+"), R.line, source, "the source line number")
    _first_bad(
        frame,
        ~frame[R.row_type].isin(schemas.BUDGET_ROW_TYPES),
        R.row_type,
        source,
        f"one of {', '.join(schemas.BUDGET_ROW_TYPES)}",
    )
    _first_bad(frame, frame[R.row].duplicated(keep="first"), R.row, source, "a row key used once in the file")
    total = frame[R.row_type] == "total"
    _first_bad(frame, total & (frame[R.parts].str.strip() == ""), R.parts, source, "the rows this total sums, e.g. '+1 +2 +3'")
    _first_bad(frame, ~total & (frame[R.parts].str.strip() != ""), R.parts, source, "an empty cell on a row that is not a total")
    terms = frame.loc[total, [R.line, R.row, R.parts]].assign(**{Term.term: lambda f: f[R.parts].str.split()}).explode(Term.term)
    _first_bad(terms, ~terms[Term.term].str.match(r"^[+-]\S+$"), R.parts, source, "signed row keys such as '+1 -2'")
    _first_bad(
        terms, ~terms[Term.term].str[1:].isin(frame[R.row]), R.parts, source, "row keys that exist in the file's 'row' column"
    )


def read_budget_table(
    path: str | Path, table: str, *, unit: str, year: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read one raw budget table: the cleaned printed rows, its figures in long form, and the cleaning log.

    Parameters
    ----------
    path : path
        A tab-separated file in ``data/raw/budget/<year>/``.
    table : str
        Its table name in ``MANIFEST.tsv`` (``"table1"``, ``"appendix_a"``, ... ``"appendix_f"``).
    unit : str
        ``"£m"`` or ``"£000s"``.
    year : str, optional
        The budget year the figures belong to (their ``year`` column, which tells
        :func:`kccperf.budget.reconcile` whose relations apply); default the name of the
        file's folder when it is a year such as ``2025-26``, else empty.

    Returns
    -------
    (DataFrame, DataFrame, DataFrame)
        The cleaned rows as text; the figures (schema :class:`kccperf.schemas.BudgetFigure`); the log.

    Raises
    ------
    BudgetFileError
        A missing column, a non-numeric figure, a total row with no parts, a malformed row.

    Examples
    --------
    >>> from kccperf._paths import data_root
    >>> rows, figs, log = read_budget_table(data_root() / "raw/budget/2025-26/table1_cype_changes.tsv", "table1", unit="£m")
    >>> figs.query("row == 'latest' and column == 'cype_net'")["value"].item()
    19.1
    """
    path = Path(path)
    source = str(path)
    if year is None:
        year = path.parent.name if _YEAR_RE.match(path.parent.name) else ""
    if table not in RAW_MODELS:
        raise BudgetFileError(f"{source}: table name '{table}' is unknown; expected one of {', '.join(RAW_MODELS)}.")
    model = RAW_MODELS[table]
    frame = _read_tsv(path)
    columns = list(model.to_schema().columns)
    _require_columns(frame, columns, source)
    _check_structure(frame, source)
    rows, log = clean_page_artefacts(frame, path.name)
    figure_cols = _figure_columns(table)
    values = _parse_numbers(rows, figure_cols, source)
    long = (
        rows[_ANNOTATION]
        .assign(**{R.line: rows[R.line].astype(int)})
        .join(values)
        .melt(id_vars=_ANNOTATION, value_vars=figure_cols, var_name=BudgetFigure.column, value_name=BudgetFigure.value)
    )
    printed = rows[figure_cols].melt(value_vars=figure_cols, value_name=BudgetFigure.printed)[BudgetFigure.printed]
    long = long.assign(
        **{
            BudgetFigure.printed: printed.to_numpy(),
            BudgetFigure.table: table,
            BudgetFigure.source_file: path.name,
            BudgetFigure.unit: unit,
            BudgetFigure.year: year,
        }
    )
    long = long[list(BudgetFigure.to_schema().columns)]
    return rows, schemas.validate(long, BudgetFigure, source), schemas.validate(log, BudgetCleaning, source)


def _risks(rows: pd.DataFrame, source: str, source_file: str) -> pd.DataFrame:
    items = rows[rows[R.row_type] == "item"]
    lik = items[RiskRegisterRaw.likelihood].str.strip()
    _first_bad(items, ~lik.isin(list("12345")), RiskRegisterRaw.likelihood, source, "a whole number from 1 to 5")
    money = [RiskRegisterRaw.annual_exposure_m, RiskRegisterRaw.lifetime_exposure_m]
    values = _parse_numbers(rows, money, source)
    for c in money:
        _first_bad(rows, values[c] < 0, c, source, "an exposure of £0m or more")
    values = values.loc[items.index]
    annual, lifetime = values[money[0]], values[money[1]]
    exposure = annual.fillna(lifetime)
    basis = np.select([annual.notna(), lifetime.notna()], ["annual", "lifetime"], "none")
    frame = pd.DataFrame(
        {
            Risk.source_file: source_file,
            Risk.line: items[R.line].astype(int),
            Risk.risk: items[R.row],
            Risk.section: items[R.section],
            Risk.directorate: items[RiskRegisterRaw.directorate].str.strip(),
            Risk.title: items[R.label],
            Risk.summary: items[RiskRegisterRaw.summary],
            Risk.likelihood: lik.astype(int),
            Risk.annual_exposure_m: annual,
            Risk.lifetime_exposure_m: lifetime,
            Risk.exposure_m: exposure,
            Risk.exposure_basis: basis,
        }
    )
    return schemas.validate(frame.reset_index(drop=True), Risk, source)


def _projects(rows: pd.DataFrame, footnotes: pd.DataFrame, source: str) -> pd.DataFrame:
    items = rows[rows[R.row_type] == "item"]
    markers = items[CypeCapitalRaw.footnotes].str.findall(r"\[\d+\]")
    known = set(footnotes[CapitalFootnote.marker])
    unknown = markers.map(lambda m: bool(set(m) - known))
    _first_bad(
        items,
        unknown,
        CypeCapitalRaw.footnotes,
        source,
        f"markers listed in appendix_b_footnotes.tsv ({', '.join(sorted(known))})",
    )
    flags = {
        flag: markers.map(lambda m, mk=mk: mk in m)
        for mk, flag in zip(footnotes[CapitalFootnote.marker], footnotes[CapitalFootnote.flag])
    }
    frame = pd.DataFrame(
        {
            CapitalProject.row: items[R.row],
            CapitalProject.project: items[R.label],
            CapitalProject.section: items[R.section],
            CapitalProject.footnotes: items[CypeCapitalRaw.footnotes],
        }
    )
    for flag in (CapitalProject.unsecured_funding, CapitalProject.estimated_allocation, CapitalProject.rolling_programme):
        frame[flag] = flags.get(flag, pd.Series(False, index=items.index))
    return schemas.validate(frame.reset_index(drop=True), CapitalProject, source)


def _reference_dir(year: str, data_dir) -> Path:
    return data_root(data_dir) / "reference" / "budget" / year


def _read_csv(path: Path, expected: str) -> pd.DataFrame:
    if not path.is_file():
        raise BudgetFileError(f"{path}: file not found; expected {expected}.")
    text = read_utf8(path, BudgetFileError, expected)
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise BudgetFileError(f"{path}: cannot be read as CSV ({str(exc).strip()}); expected {expected}.") from None


def _require_only(frame: pd.DataFrame, columns: list[str], source: str) -> None:
    _require_columns(frame, columns, source)
    extra = [c for c in frame.columns if c not in columns]
    if extra:
        raise BudgetFileError(
            f"{source} row 1 (header), column '{extra[0]}': the column is not expected; expected only {', '.join(columns)}."
        )


def _bad_row(frame: pd.DataFrame, mask, column: str, source: str, expected: str, found: pd.Series | None = None) -> None:
    """Refuse the first flagged row of a reference CSV; rows are counted from the header (row 1)."""
    mask = np.asarray(mask, dtype=bool)
    if mask.any():
        i = int(np.flatnonzero(mask)[0])
        value = (frame[column] if found is None else found).iloc[i]
        raise BudgetFileError(f"{source} row {i + 2}, column '{column}': found {value!r}; expected {expected}.")


def _figure_columns(table: str) -> list[str]:
    text = _TEXT_COLUMNS.get(table, [])
    return [c for c in RAW_MODELS[table].to_schema().columns if c not in _ANNOTATION and c not in text]


def _cells(series: pd.Series) -> pd.DataFrame:
    """Signed cell references (``+table:row:column ...``) to one row per reference, keeping the frame's position."""
    refs = series.str.split().explode().dropna()
    parts = refs.str.lstrip("+-").str.split(":", n=2, expand=True).reindex(columns=[0, 1, 2])
    frame = pd.DataFrame({Ref.pos: refs.index, Ref.ref: refs, Ref.table: parts[0], Ref.row: parts[1], Ref.column: parts[2]})
    return frame.reset_index(drop=True)


_RELATION_COLUMNS = list(BudgetRelation.to_schema().columns)
_RELATIONS_EXPECTED = "one relation a row with the columns " + ", ".join(_RELATION_COLUMNS)


def load_relations(year: str = "2025-26", *, data_dir=None) -> pd.DataFrame:
    """The relations one edition's tables must satisfy, from ``data/reference/budget/<year>/relations.csv``.

    Each row is a ``column_total`` (in every row of a table, one column is the signed
    sum of others) or a ``cross_table`` relation (a printed cell equals the signed sum
    of other cells, ``*`` matching every shared column), with a short note on what it
    checks. The file is checked against the table layouts: kinds, cell references,
    table and column names; a bad row stops with its file, row and column.

    Parameters
    ----------
    year : str
        A budget year, e.g. ``"2025-26"``.
    data_dir : path, optional
        The data folder; defaults to the repository's ``data/``.

    Returns
    -------
    DataFrame
        Schema :class:`kccperf.schemas.BudgetRelation`, in file order.

    Examples
    --------
    >>> rel = load_relations("2025-26")
    >>> rel.query("stated == 'appendix_a:6:*'")["parts"].item()
    '+appendix_a:15:*'
    """
    frame, source = _reference_table(
        year, data_dir, "relations.csv", f"the relations of the {year} budget tables, {_RELATIONS_EXPECTED}", _RELATION_COLUMNS
    )
    kinds = schemas.BUDGET_RELATION_KINDS
    _bad_row(frame, ~frame[BudgetRelation.kind].isin(kinds), BudgetRelation.kind, source, f"one of {', '.join(kinds)}")
    cell = rf"^{schemas.BUDGET_CELL_PATTERN}$"
    _bad_row(
        frame,
        ~frame[BudgetRelation.stated].str.match(cell),
        BudgetRelation.stated,
        source,
        "one printed cell written table:row:column",
    )
    term = rf"[+-]{schemas.BUDGET_CELL_PATTERN}"
    bad_parts = ~frame[BudgetRelation.parts].str.fullmatch(rf"{term}(\s+{term})*")
    _bad_row(frame, bad_parts, BudgetRelation.parts, source, "signed cells such as '+appendix_a:15:* -table1:latest:cype_net'")
    _bad_row(frame, frame[BudgetRelation.note] == "", BudgetRelation.note, source, "a short note on what the relation checks")

    column_total = frame[BudgetRelation.kind] == "column_total"
    printed = [f"{t}:{c}" for t in RAW_MODELS for c in _figure_columns(t)]
    stated = _cells(frame[BudgetRelation.stated]).set_index(Ref.pos)
    for name in (BudgetRelation.stated, BudgetRelation.parts):
        refs = _cells(frame[name])
        known = refs[Ref.table].isin(list(RAW_MODELS)) & (
            (refs[Ref.column] == "*") | (refs[Ref.table] + ":" + refs[Ref.column]).isin(printed)
        )
        tables = ", ".join(RAW_MODELS)
        _refuse_refs(frame, refs, ~known, name, source, f"cells of the budget tables ({tables}) naming their printed columns")
        is_total = refs[Ref.pos].map(column_total)
        # A column total relates columns of one row: every cell is table:*:column of the stated table.
        shape = is_total & ((refs[Ref.row] != "*") | (refs[Ref.column] == "*"))
        if name == BudgetRelation.parts:
            shape |= is_total & (refs[Ref.table] != refs[Ref.pos].map(stated[Ref.table]))
        shape |= ~is_total & (refs[Ref.row] == "*")
        _refuse_refs(
            frame,
            refs,
            shape,
            name,
            source,
            "a column total to name every row of one table as '*' and one column per cell, "
            "and a cross-table relation to name its rows",
        )
    return schemas.validate(frame, BudgetRelation, source)


def _refuse_refs(frame: pd.DataFrame, refs: pd.DataFrame, wrong: pd.Series, column: str, source: str, expected: str) -> None:
    """Refuse the first relation holding a flagged cell reference, quoting that reference."""
    rows = np.zeros(len(frame), dtype=bool)
    rows[refs.loc[wrong, Ref.pos].to_numpy()] = True
    first = refs.loc[wrong].groupby(Ref.pos)[Ref.ref].first().reindex(range(len(frame)))
    _bad_row(frame, rows, column, source, expected, found=first)


def _check_relation_cells(relations: pd.DataFrame, figures: pd.DataFrame, source: str) -> None:
    """Every row a relation names must be a row of its table, so that no check is silently skipped."""
    present = figures[BudgetFigure.table] + ":" + figures[BudgetFigure.row]
    for name in (BudgetRelation.stated, BudgetRelation.parts):
        refs = _cells(relations[name])
        named = refs[Ref.row] != "*"
        missing = named & ~(refs[Ref.table] + ":" + refs[Ref.row]).isin(present)
        missing |= ~refs[Ref.table].isin(figures[BudgetFigure.table])
        expected = "cells whose table is in MANIFEST.tsv and whose row is a row key of that table"
        _refuse_refs(relations, refs, missing, name, source, expected)


def load_edition(year: str = "2025-26", *, data_dir=None) -> dict[str, object]:
    """Facts about one edition of the budget report, from ``data/reference/budget/<year>/edition.csv``.

    The file has one ``key``, ``value`` row per fact: ``title``, ``edition_label``,
    ``publication_date`` (``YYYY-MM-DD``), ``committee``, ``producer``, and the lists
    ``revenue_years``, ``capital_years``, ``members`` (Appendix E's Cabinet Member
    columns) and ``member_names``, separated by ``|``; lists are returned as lists.

    Examples
    --------
    >>> e = load_edition("2025-26")
    >>> e["publication_date"], e["members"]
    ('2025-01-16', ['sue_chandler', 'rory_love'])
    """
    path = _reference_dir(year, data_dir) / "edition.csv"
    source = str(path)
    frame = _read_csv(path, f"facts about the {year} budget report, one key and value a row")
    _require_only(frame, [BudgetEdition.key, BudgetEdition.value], source)
    frame = frame.apply(lambda s: s.str.strip())
    keys = schemas.BUDGET_EDITION_KEYS
    _bad_row(frame, ~frame[BudgetEdition.key].isin(keys), BudgetEdition.key, source, f"one of {', '.join(keys)}")
    _bad_row(frame, frame[BudgetEdition.key].duplicated(), BudgetEdition.key, source, "each key once")
    _bad_row(frame, frame[BudgetEdition.value] == "", BudgetEdition.value, source, "a value")
    missing = [k for k in keys if k not in set(frame[BudgetEdition.key])]
    if missing:
        raise BudgetFileError(
            f"{source} column 'key': no row for '{missing[0]}'; expected one row for each of {', '.join(keys)}."
        )
    values = dict(zip(frame[BudgetEdition.key], frame[BudgetEdition.value]))
    years = frame[BudgetEdition.key].isin(["revenue_years", "capital_years"])
    _bad_row(
        frame,
        years & ~frame[BudgetEdition.value].str.fullmatch(r"\d{4}-\d{2}(\|\d{4}-\d{2})*"),
        BudgetEdition.value,
        source,
        "budget years such as 2025-26 separated by '|'",
    )
    _bad_row(
        frame,
        (frame[BudgetEdition.key] == "publication_date") & ~frame[BudgetEdition.value].str.fullmatch(r"\d{4}-\d{2}-\d{2}"),
        BudgetEdition.value,
        source,
        "a date written YYYY-MM-DD",
    )
    n_members = len(values["members"].split("|"))
    _bad_row(
        frame,
        (frame[BudgetEdition.key] == "member_names") & (frame[BudgetEdition.value].str.count(r"\|") + 1 != n_members),
        BudgetEdition.value,
        source,
        f"one name for each of the {n_members} members",
    )
    schemas.validate(frame, BudgetEdition, source)
    return {k: v.split("|") if k in _LIST_KEYS else v for k, v in values.items()}


_LABEL_COLUMNS = [BudgetFigure.table, BudgetFigure.column, BudgetFigure.label]
_DIRECTORATE_COLUMNS = [Risk.directorate, BudgetFigure.label]


def load_column_labels(year: str = "2025-26", *, data_dir=None) -> pd.DataFrame:
    """The printed heading of every column of one edition's tables, from ``data/reference/budget/<year>/columns.csv``.

    One row per ``table`` and ``column`` (the column names of the raw files) with its ``label`` as a reader
    should see it (``2024-25 core budget`` for Appendix D's ``y2024_25_core``). Table ``*`` gives a label for a
    column every table has (the row ``label``); table ``claims`` the columns of the report's text claims. Every
    printed column of every table must have one label, so that no column key reaches a page.

    Examples
    --------
    >>> labels = load_column_labels("2025-26")
    >>> labels.query("table == 'appendix_d' and column == 'y2024_25_core'")["label"].item()
    '2024-25 core budget'
    """
    expected = f"the printed heading of each column of the {year} budget tables: table, column, label"
    frame, source = _reference_table(year, data_dir, "columns.csv", expected, _LABEL_COLUMNS)
    table, column, label = (frame[c] for c in _LABEL_COLUMNS)
    known = {f"{t}:{c}" for t, model in RAW_MODELS.items() for c in model.to_schema().columns if c not in _ANNOTATION}
    known |= {f"*:{R.label}", f"claims:{BudgetClaim.stated}"}
    _bad_row(frame, ~(table + ":" + column).isin(known), BudgetFigure.column, source, "a column of that table's raw file")
    _bad_row(frame, (table + ":" + column).duplicated(), BudgetFigure.column, source, "each table and column once")
    _bad_row(frame, label == "", BudgetFigure.label, source, "the column's heading in words")
    missing = sorted(known - set(table + ":" + column))
    if missing:
        raise BudgetFileError(f"{source} column 'column': no row for '{missing[0]}'; expected a label for every column.")
    return frame.reset_index(drop=True)


def load_directorates(year: str = "2025-26", *, data_dir=None) -> pd.DataFrame:
    """The risk register's directorate codes that readers need in words, from ``data/reference/budget/<year>/directorates.csv``.

    One row per ``directorate`` code as printed (``ALL``, ``GET``) and its ``label`` (``Whole council``,
    ``Growth, Environment & Transport (GET)``: the name Appendix A prints, with the code); the budget views show
    the label wherever the code would appear, each code of a shared risk (``ASCH / CYPE``) in words, and a code
    not listed as printed. The two views' codes (``CYPE``, ``ALL``) must be listed.

    Examples
    --------
    >>> load_directorates("2025-26").set_index("directorate")["label"]["ALL"]
    'Whole council'
    """
    expected = f"the {year} risk register's directorate codes in words: directorate, label"
    frame, source = _reference_table(year, data_dir, "directorates.csv", expected, _DIRECTORATE_COLUMNS)
    code, label = (frame[c] for c in _DIRECTORATE_COLUMNS)
    _bad_row(frame, (code == "") | code.duplicated(), Risk.directorate, source, "a directorate code, each once")
    _bad_row(frame, (label == "") | label.str.casefold().duplicated(), BudgetFigure.label, source, "a name in words, each once")
    missing = [c for c in _DIRECTORATE_CHOICES if c not in set(code)]
    if missing:
        raise BudgetFileError(
            f"{source} column 'directorate': no row for '{missing[0]}'; expected a row for each view ({', '.join(_DIRECTORATE_CHOICES)})."
        )
    return frame.reset_index(drop=True)


def _reference_table(year: str, data_dir, name: str, expected: str, columns) -> tuple[pd.DataFrame, str]:
    """One reference file of a budget edition (``name``), read as text, its columns checked, every cell stripped."""
    path = _reference_dir(year, data_dir) / name
    frame = _read_csv(path, expected)
    _require_only(frame, columns, str(path))
    return frame.apply(lambda s: s.str.strip()), str(path)


def _check_edition(edition: dict, figures: pd.DataFrame, source: str) -> None:
    """The tables must cover the years and members the edition names."""
    columns = figures.groupby(BudgetFigure.table)[BudgetFigure.column].agg(set)
    wanted = {
        "capital_years": ("appendix_a", [f"y{y.replace('-', '_')}" for y in edition["capital_years"]]),
        "revenue_years": ("appendix_d", [f"y{y.replace('-', '_')}_total" for y in edition["revenue_years"]]),
        "members": ("appendix_e", list(edition["members"])),
    }
    for key, (table, cols) in wanted.items():
        have = columns.get(table, set())
        missing = [c for c in cols if c not in have]
        if missing:
            raise BudgetFileError(
                f"{source} key '{key}', column 'value': {table} has no column '{missing[0]}'; "
                f"expected only {key.replace('_', ' ')} the tables print."
            )


def edition_info(year: str = "2025-26", *, data_dir=None) -> dict[str, str]:
    """The budget report's provenance for a report footer: title, edition label, publication date, producer.

    Examples
    --------
    >>> edition_info("2025-26")["publication_date"]
    "2025-01-16 (Children's, Young People and Education Cabinet Committee)"
    """
    e = load_edition(year, data_dir=data_dir)
    return {
        "title": e["title"],
        "edition_label": e["edition_label"],
        "publication_date": f"{e['publication_date']} ({e['committee']})",
        "producer": e["producer"],
    }


def _signature(*folders: Path) -> tuple:
    return tuple(
        (str(p), p.stat().st_mtime_ns, p.stat().st_size)
        for folder in folders
        if folder.is_dir()
        for p in sorted(folder.iterdir())
        if p.is_file()
    )


@lru_cache(maxsize=4)
def _load(data: str, year: str, _sig: tuple) -> BudgetTables:
    root = Path(data) / "raw" / "budget" / year
    manifest_path = root / "MANIFEST.tsv"
    manifest = _read_tsv(manifest_path)
    _require_columns(manifest, list(BudgetManifest.to_schema().columns), str(manifest_path))
    manifest = schemas.validate(manifest, BudgetManifest, str(manifest_path))
    footnotes_path = root / "appendix_b_footnotes.tsv"
    footnotes = _read_tsv(footnotes_path)
    _require_columns(footnotes, list(CapitalFootnote.to_schema().columns), str(footnotes_path))
    footnotes = schemas.validate(footnotes, CapitalFootnote, str(footnotes_path))

    figures, logs, risks, projects = [], [], None, None
    for spec in manifest.itertuples(index=False):
        path = root / spec.file
        rows, figs, log = read_budget_table(path, spec.table, unit=spec.unit, year=year)
        figures.append(figs)
        logs.append(log)
        if spec.table == "appendix_f":
            risks = _risks(rows, str(path), spec.file)
        if spec.table == "appendix_b":
            projects = _projects(rows, footnotes, str(path))
    if risks is None or projects is None:
        raise BudgetFileError(f"{manifest_path}: must list the tables appendix_b and appendix_f; expected one row for each.")
    figures = pd.concat(figures, ignore_index=True)

    claims_path = root / "claims.tsv"
    claims = _read_tsv(claims_path)
    _require_columns(claims, list(BudgetClaim.to_schema().columns), str(claims_path))
    claims = schemas.validate(claims, BudgetClaim, str(claims_path))
    _first_bad(
        claims, ~claims[BudgetClaim.stated].str.strip().str.match(_NUMBER_RE), BudgetClaim.stated, str(claims_path), "a number"
    )

    reference = _reference_dir(year, data)
    relations = load_relations(year, data_dir=data)
    _check_relation_cells(relations, figures, str(reference / "relations.csv"))
    edition = load_edition(year, data_dir=data)
    _check_edition(edition, figures, str(reference / "edition.csv"))
    labels = load_column_labels(year, data_dir=data)
    directorates = load_directorates(year, data_dir=data)

    cleaning = schemas.validate(pd.concat(logs, ignore_index=True), BudgetCleaning, str(root))
    return BudgetTables(year, figures, risks, projects, claims, cleaning, manifest, relations, edition, labels, directorates)


def load_budget(year: str = "2025-26", *, data_dir=None) -> BudgetTables:
    """Load and validate one year's budget report tables and the reference facts of that edition.

    Parameters
    ----------
    year : str
        A folder under ``data/raw/budget/`` (and ``data/reference/budget/``), e.g. ``"2025-26"``.
    data_dir : path, optional
        The data folder; defaults to the repository's ``data/``.

    Returns
    -------
    BudgetTables
        Figures, risks, projects, claims, the cleaning log, the manifest, the relations, the
        edition's facts, the columns' printed headings and the directorates in words; new frames on every call.

    Raises
    ------
    BudgetFileError
        A table or reference file is missing or malformed (named with its row and column).

    Examples
    --------
    >>> b = load_budget("2025-26")
    >>> len(b.risks), sorted(b.cleaning["cleaned"])[:2], len(b.relations)
    (41, ['', ''], 56)
    """
    check_budget_parameters(directorate="ALL", year=year, data_dir=data_dir)
    data = data_root(data_dir).resolve()
    t = _load(str(data), year, _signature(data / "raw" / "budget" / year, _reference_dir(year, data)))
    return BudgetTables(
        t.year,
        t.figures.copy(),
        t.risks.copy(),
        t.projects.copy(),
        t.claims.copy(),
        t.cleaning.copy(),
        t.manifest.copy(),
        t.relations.copy(),
        {k: list(v) if isinstance(v, list) else v for k, v in t.edition.items()},
        t.labels.copy(),
        t.directorates.copy(),
    )
