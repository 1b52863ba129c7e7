"""The draft budget as data: the report's tables, the risk register, reconciliation and budget risk views.

Two halves, kept apart. The reader (:func:`load_budget`, :func:`read_budget_table`)
reads ``data/raw/budget/<year>/`` exactly as printed, removes page-number
artefacts from cells and logs each one, and refuses bad input with one sentence
naming the file, row and column. The calculators below it are pure: frames in,
new frames out, vectorised, no I/O.

Every total is recomputed from its parts (:func:`reconcile`). Three kinds of
relation are checked: a total row against the rows its ``parts`` column names,
a total column against its part columns (:data:`COLUMN_TOTALS`), and one
table's figure against another's (:data:`CROSS_CHECKS`); the amounts the
report's text states about its tables (``claims.tsv``) are checked the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import schemas
from ._paths import data_root
from .errors import InputError, ParameterError
from .schemas import (
    BudgetCheck,
    BudgetClaim,
    BudgetCleaning,
    BudgetFigure,
    BudgetManifest,
    BudgetRows,
    CapitalFootnote,
    CapitalProject,
    Risk,
    RiskRegisterRaw,
)

__all__ = [
    "BudgetFileError",
    "BudgetTables",
    "DEFAULT_EXPOSURE_BANDS",
    "available_budget_years",
    "capital_profile",
    "check_budget_parameters",
    "clean_page_artefacts",
    "exposure_by_directorate",
    "cype_exposure_share",
    "load_budget",
    "november_bridge",
    "read_budget_table",
    "reconcile",
    "revenue_bridge",
    "revenue_bridge_by_member",
    "risk_matrix",
    "risk_scores",
    "risks_for",
    "top_risks",
    "unresolved_balances",
    "unsecured_capital_share",
]


class BudgetFileError(InputError):
    """A budget table file, row or cell is not what kccperf expects."""


# ---------------------------------------------------------------------------------------------
# Facts about the printed layout: which columns sum to which, and which figures must agree.
# ---------------------------------------------------------------------------------------------

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
    "appendix_a": ["dir"],
    "appendix_b": ["footnotes", "description"],
    "appendix_c": ["directorate", "description"],
    "appendix_f": ["directorate", "likelihood", "summary"],
}
CAPITAL_YEARS = [f"y{y}_{(y + 1) % 100:02d}" for y in range(2025, 2035)]
REVENUE_YEARS = ["2024-25", "2025-26", "2026-27", "2027-28"]
_CAPITAL_TOTAL = "+prior_years " + " ".join(f"+{y}" for y in CAPITAL_YEARS)

#: table -> [(total column, signed part columns)]: relations across the columns of one row.
COLUMN_TOTALS: dict[str, list[tuple[str, str]]] = {
    "table1": [
        *[(f"{m}_net", f"+{m}_spend +{m}_saving") for m in ("education", "ics", "cype")],
        *[(f"cype_{k}", f"+education_{k} +ics_{k}") for k in ("spend", "saving", "net")],
    ],
    "appendix_a": [("total_cost", _CAPITAL_TOTAL)],
    "appendix_b": [("total_cost", _CAPITAL_TOTAL)],
    "appendix_c": [("total_cost", " ".join(f"+{y}" for y in CAPITAL_YEARS))],
    "appendix_d": [
        (f"y{y.replace('-', '_')}_total", f"+y{y.replace('-', '_')}_core +y{y.replace('-', '_')}_external")
        for y in REVENUE_YEARS
    ],
    "appendix_e": [("total", "+sue_chandler +rory_love"), ("total", "+cype")],
}


def _table1_against_appendix_e() -> list[tuple[str, str]]:
    rows = {"november": "initial", "latest": "", "net_total_change": "change"}
    member = {"education": "rory_love", "ics": "sue_chandler", "cype": "total"}
    measure = {"spend": ("growth", "total_spending"), "saving": ("sig", "total_sig"), "net": ("net_change", "net_change")}
    out = []
    for t1_row, prefix in rows.items():
        for m, e_col in member.items():
            for k, (short, latest) in measure.items():
                e_row = f"{prefix}_{short}" if prefix else latest
                out.append((f"table1:{t1_row}:{m}_{k}", f"+appendix_e:{e_row}:{e_col}"))
    return out


#: (stated cell, signed terms): one table's figure against another's. ``*`` matches every shared column.
CROSS_CHECKS: list[tuple[str, str]] = [
    ("appendix_a:6:*", "+appendix_a:15:*"),
    ("appendix_a:2:*", "+appendix_b:17:*"),
    ("appendix_d:memo_reserves_contributions:*", "+appendix_d:reserves_contributions:*"),
    ("appendix_d:memo_reserves_drawdowns:*", "+appendix_d:reserves_drawdowns:*"),
    *[
        (f"appendix_d_funding:total_funding:y{y.replace('-', '_')}", f"+appendix_d:net_budget:y{y.replace('-', '_')}_total")
        for y in REVENUE_YEARS
    ],
    *[
        (f"appendix_d:original_base:y{nxt.replace('-', '_')}_{k}", f"+appendix_d:net_budget:y{cur.replace('-', '_')}_{k}")
        for cur, nxt in zip(REVENUE_YEARS[1:], REVENUE_YEARS[2:])
        for k in ("core", "external", "total")
    ],
    *_table1_against_appendix_e(),
]

#: Exposure bands in £m for the heat map: a risk with exposure >= edge i is in band i + 2.
DEFAULT_EXPOSURE_BANDS: tuple[float, ...] = (10.0, 20.0, 50.0, 100.0)
_UNIT_SCALE = {"£m": 1_000_000.0, "£000s": 1_000.0}
_DIRECTORATE_CHOICES = ("CYPE", "ALL")

_PAGE_RE = re.compile(r"\s*\bPage\s+\d{1,4}\b\s*", re.I)
_NUMBER_RE = r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$"
_YEAR_RE = re.compile(r"^\d{4}-\d{2}$")


# ---------------------------------------------------------------------------------------------
# The reader: files to frames. Bad input raises BudgetFileError naming file, row and column.
# ---------------------------------------------------------------------------------------------


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
    """

    year: str
    figures: pd.DataFrame
    risks: pd.DataFrame
    projects: pd.DataFrame
    claims: pd.DataFrame
    cleaning: pd.DataFrame
    manifest: pd.DataFrame


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


def check_budget_parameters(*, directorate: str, year: str, namespace: dict | None = None, data_dir=None) -> dict[str, str]:
    """Validate the budget notebook's parameters; return them in canonical form.

    Pass the notebook's ``globals()`` as ``namespace`` to refuse misspelt parameter names.

    Examples
    --------
    >>> check_budget_parameters(directorate="cype", year="2025-26")
    {'directorate': 'CYPE', 'year': '2025-26'}
    """
    from .io import check_parameter_names

    check_parameter_names(namespace, ["directorate", "year"])
    known = available_budget_years(data_dir)
    if not isinstance(year, str) or year not in known:
        raise ParameterError(
            f"parameter 'year' is {year!r}; expected one of: {', '.join(known) or 'none'} "
            f"(folders under {data_root(data_dir) / 'raw' / 'budget'})."
        )
    if not isinstance(directorate, str) or directorate.strip().upper() not in _DIRECTORATE_CHOICES:
        raise ParameterError(f"parameter 'directorate' is {directorate!r}; expected 'CYPE' or 'ALL'.")
    return {"directorate": directorate.strip().upper(), "year": year}


def _read_tsv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise BudgetFileError(f"{path}: file not found; expected a tab-separated budget table.")
    try:
        return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BudgetFileError(f"{path}: byte {exc.start} is not UTF-8 text; expected a tab-separated table saved as UTF-8.") from None
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
        where = f"line {bad['line']}, row '{bad['row']}'" if "row" in frame.columns else f"line {bad['line']}"
        raise BudgetFileError(f"{source} {where}, column '{column}': found {bad[column]!r}; expected {expected}.")


def clean_page_artefacts(frame: pd.DataFrame, source_file: str, columns: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
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
    cols = columns or [c for c in frame.columns if c not in ("line", "row", "row_type", "parts")]
    cells = frame[cols].astype(str)
    hit = cells.apply(lambda s: s.str.contains(_PAGE_RE))
    cleaned = cells.apply(lambda s: s.str.replace(_PAGE_RE, " ", regex=True).str.strip())
    out = frame.assign(**{c: cleaned[c].where(hit[c], frame[c]) for c in cols})

    stacked = hit.stack()
    where = stacked[stacked].index
    log = pd.DataFrame(
        {
            BudgetCleaning.source_file: source_file,
            BudgetCleaning.line: frame.loc[where.get_level_values(0), "line"].to_numpy(),
            BudgetCleaning.row: frame.loc[where.get_level_values(0), "row"].to_numpy(),
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
    printed = [c for c in cols if c != "section"]
    empty_rows = out[printed].eq("").all(axis=1) & hit.any(axis=1)
    if empty_rows.any():
        dropped = pd.DataFrame(
            {
                BudgetCleaning.source_file: source_file,
                BudgetCleaning.line: frame.loc[empty_rows, "line"].to_numpy(),
                BudgetCleaning.row: frame.loc[empty_rows, "row"].to_numpy(),
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
        _first_bad(frame, (text[c] != "") & ~text[c].str.match(_NUMBER_RE), c, source, "a number such as 1,234.5 or an empty cell")
    return text.apply(lambda s: pd.to_numeric(s.str.replace(",", "", regex=False).str.lstrip("+"), errors="coerce"))


def _check_structure(frame: pd.DataFrame, source: str) -> None:
    _first_bad(frame, ~frame["line"].str.fullmatch(r"\d+"), "line", source, "the source line number")
    _first_bad(frame, ~frame["row_type"].isin(schemas.BUDGET_ROW_TYPES), "row_type", source, f"one of {', '.join(schemas.BUDGET_ROW_TYPES)}")
    _first_bad(frame, frame["row"].duplicated(keep="first"), "row", source, "a row key used once in the file")
    total = frame["row_type"] == "total"
    _first_bad(frame, total & (frame["parts"].str.strip() == ""), "parts", source, "the rows this total sums, e.g. '+1 +2 +3'")
    _first_bad(frame, ~total & (frame["parts"].str.strip() != ""), "parts", source, "an empty cell on a row that is not a total")
    terms = frame.loc[total, ["line", "row", "parts"]].assign(term=lambda f: f["parts"].str.split()).explode("term")
    _first_bad(terms, ~terms["term"].str.match(r"^[+-]\S+$"), "parts", source, "signed row keys such as '+1 -2'")
    _first_bad(
        terms, ~terms["term"].str[1:].isin(frame["row"]), "parts", source, "row keys that exist in the file's 'row' column"
    )


def read_budget_table(path: str | Path, table: str, *, unit: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read one raw budget table: the cleaned printed rows, its figures in long form, and the cleaning log.

    Parameters
    ----------
    path : path
        A tab-separated file in ``data/raw/budget/<year>/``.
    table : str
        Its table name in ``MANIFEST.tsv`` (``"table1"``, ``"appendix_a"``, ... ``"appendix_f"``).
    unit : str
        ``"£m"`` or ``"£000s"``.

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
    if table not in RAW_MODELS:
        raise BudgetFileError(f"{source}: table name '{table}' is unknown; expected one of {', '.join(RAW_MODELS)}.")
    model = RAW_MODELS[table]
    frame = _read_tsv(path)
    columns = list(model.to_schema().columns)
    _require_columns(frame, columns, source)
    _check_structure(frame, source)
    rows, log = clean_page_artefacts(frame, path.name)
    text_cols = _TEXT_COLUMNS.get(table, [])
    figure_cols = [c for c in columns if c not in _ANNOTATION and c not in text_cols]
    values = _parse_numbers(rows, figure_cols, source)
    long = rows[_ANNOTATION].assign(line=rows["line"].astype(int)).join(values).melt(
        id_vars=_ANNOTATION, value_vars=figure_cols, var_name=BudgetFigure.column, value_name=BudgetFigure.value
    )
    printed = rows[figure_cols].melt(value_vars=figure_cols, value_name=BudgetFigure.printed)[BudgetFigure.printed]
    long = long.assign(
        **{
            BudgetFigure.printed: printed.to_numpy(),
            BudgetFigure.table: table,
            BudgetFigure.source_file: path.name,
            BudgetFigure.unit: unit,
        }
    )
    long = long[list(BudgetFigure.to_schema().columns)]
    return rows, schemas.validate(long, BudgetFigure, source), schemas.validate(log, BudgetCleaning, source)


def _risks(rows: pd.DataFrame, source: str, source_file: str) -> pd.DataFrame:
    items = rows[rows["row_type"] == "item"]
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
            Risk.line: items["line"].astype(int),
            Risk.risk: items["row"],
            Risk.section: items["section"],
            Risk.directorate: items[RiskRegisterRaw.directorate].str.strip(),
            Risk.title: items["label"],
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
    items = rows[rows["row_type"] == "item"]
    markers = items["footnotes"].str.findall(r"\[\d+\]")
    known = set(footnotes[CapitalFootnote.marker])
    unknown = markers.map(lambda m: bool(set(m) - known))
    _first_bad(items, unknown, "footnotes", source, f"markers listed in appendix_b_footnotes.tsv ({', '.join(sorted(known))})")
    flags = {
        flag: markers.map(lambda m, mk=mk: mk in m)
        for mk, flag in zip(footnotes[CapitalFootnote.marker], footnotes[CapitalFootnote.flag])
    }
    frame = pd.DataFrame(
        {
            CapitalProject.row: items["row"],
            CapitalProject.project: items["label"],
            CapitalProject.section: items["section"],
            CapitalProject.footnotes: items["footnotes"],
        }
    )
    for flag in (CapitalProject.unsecured_funding, CapitalProject.estimated_allocation, CapitalProject.rolling_programme):
        frame[flag] = flags.get(flag, pd.Series(False, index=items.index))
    return schemas.validate(frame.reset_index(drop=True), CapitalProject, source)


def _signature(folder: Path) -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.iterdir()) if p.is_file())


@lru_cache(maxsize=4)
def _load(folder: str, year: str, _sig: tuple) -> BudgetTables:
    root = Path(folder)
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
        rows, figs, log = read_budget_table(path, spec.table, unit=spec.unit)
        figures.append(figs)
        logs.append(log)
        if spec.table == "appendix_f":
            risks = _risks(rows, str(path), spec.file)
        if spec.table == "appendix_b":
            projects = _projects(rows, footnotes, str(path))
    if risks is None or projects is None:
        raise BudgetFileError(f"{manifest_path}: must list the tables appendix_b and appendix_f; expected one row for each.")

    claims_path = root / "claims.tsv"
    claims = _read_tsv(claims_path)
    _require_columns(claims, list(BudgetClaim.to_schema().columns), str(claims_path))
    claims = schemas.validate(claims, BudgetClaim, str(claims_path))
    _first_bad(claims, ~claims["stated"].str.strip().str.match(_NUMBER_RE), "stated", str(claims_path), "a number")

    cleaning = schemas.validate(pd.concat(logs, ignore_index=True), BudgetCleaning, str(root))
    return BudgetTables(year, pd.concat(figures, ignore_index=True), risks, projects, claims, cleaning, manifest)


def load_budget(year: str = "2025-26", *, data_dir=None) -> BudgetTables:
    """Load and validate one year's budget report tables.

    Parameters
    ----------
    year : str
        A folder under ``data/raw/budget/``, e.g. ``"2025-26"``.
    data_dir : path, optional
        The data folder; defaults to the repository's ``data/``.

    Returns
    -------
    BudgetTables
        Figures, risks, projects, claims, the cleaning log and the manifest; new frames on every call.

    Examples
    --------
    >>> b = load_budget("2025-26")
    >>> len(b.risks), sorted(b.cleaning["cleaned"])[:2]
    (41, ['', ''])
    """
    check_budget_parameters(directorate="ALL", year=year, data_dir=data_dir)
    folder = data_root(data_dir) / "raw" / "budget" / year
    t = _load(str(folder.resolve()), year, _signature(folder))
    return BudgetTables(
        t.year, t.figures.copy(), t.risks.copy(), t.projects.copy(), t.claims.copy(), t.cleaning.copy(), t.manifest.copy()
    )


# ---------------------------------------------------------------------------------------------
# Reconciliation.
# ---------------------------------------------------------------------------------------------

_CHECK_COLS = list(BudgetCheck.to_schema().columns)


def _half_unit(printed: pd.Series) -> pd.Series:
    """Half a unit of the last printed decimal place: the most a rounded figure can be off."""
    decimals = printed.str.extract(r"\.(\d+)$")[0].str.len().fillna(0)
    return 0.5 * 10.0 ** (-decimals)


def _terms(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Explode a column of signed terms (``+a -b``) into one row per term with ``sign`` and ``term``."""
    out = frame.assign(term=frame[column].str.split()).explode("term")
    out = out[out["term"].notna()]
    return out.assign(sign=np.where(out["term"].str.startswith("-"), -1.0, 1.0), term=out["term"].str.lstrip("+-"))


def _judge(checks: pd.DataFrame, parts: pd.DataFrame) -> pd.DataFrame:
    """Add difference, ok, status and likely cause; ``parts`` holds (check, value, sign, part_check) of every part."""
    checks = checks.astype({"stated": float, "computed": float, "tolerance": float})
    diff = (checks["stated"] - checks["computed"]).round(6)
    absdiff = diff.abs()
    ok = absdiff < 1e-6
    rounding = ~ok & (absdiff <= checks["tolerance"] + 1e-9)
    # One figure against one other, off by under a printed unit: rounded the wrong way.
    single = checks["check"].map(parts.groupby("check").size()).eq(1)
    near = ~ok & ~rounding & single & (absdiff <= 2 * checks["tolerance"] + 1e-9)
    # A misprinted digit shifts a figure by d x 10^k: the difference has one significant digit.
    mag = np.floor(np.log10(absdiff.where(absdiff > 0, 1.0)))
    lead = (absdiff / 10.0**mag).round(6)
    digit = (lead == lead.round()) & (absdiff >= 10 * checks["tolerance"].clip(lower=0.05))
    by_check = pd.Series(np.where(ok | rounding, np.nan, diff), index=checks["check"].to_numpy())
    p = parts.assign(
        total_diff=parts["check"].map(by_check),
        part_diff=parts["part_check"].map(by_check),
        absval=parts["value"].abs().round(6),
    )
    # The total would add up if a misprinted part were corrected: total diff = -sign x part diff.
    follows = checks["check"].isin(p.loc[p["part_diff"].notna() & ((p["total_diff"] + p["sign"] * p["part_diff"]).abs() < 1e-6), "check"])
    part_hit = checks["check"].isin(p.loc[(p["absval"] == p["total_diff"].abs()) & (p["absval"] > 0), "check"])
    cause = np.select(
        [ok, rounding, follows, near, digit, part_hit],
        [
            "",
            "rounding: each printed figure is rounded, so the parts need not add exactly",
            "follows from a misprinted part: the figure adds up once that part is corrected",
            "rounded the wrong way, or added up from already-rounded figures: off by less than one printed unit",
            "a misprinted digit: the difference is a single digit in one place (" + absdiff.map("{:,.1f}".format) + ")",
            "a part left out or counted twice: the difference equals one of the parts",
        ],
        np.where(
            checks["kind"] == "claim",
            "the text's amount disagrees with the figures it is computed from",
            "the stated figure or one of its parts is misprinted",
        ),
    )
    status = np.select([ok, rounding], ["ok", "rounding"], "mismatch")
    return checks.assign(computed=checks["computed"].round(6), difference=diff, ok=ok, status=status, likely_cause=cause)


def _row_total_checks(figures: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    totals = figures[(figures["row_type"] == "total") & figures["value"].notna()]
    terms = _terms(totals[["table", "row", "column", "parts"]], "parts")
    parts = terms.merge(
        figures[["table", "row", "column", "value", "printed"]].rename(columns={"row": "term"}), on=["table", "term", "column"]
    )
    parts = parts.assign(part_check="row_total:" + parts["table"] + ":" + parts["term"] + ":" + parts["column"])
    return _assemble(totals, parts, "row_total", ["table", "row", "column"])


def _column_total_checks(figures: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    spec = pd.DataFrame(
        [(t, total, parts, i) for t, rels in COLUMN_TOTALS.items() for i, (total, parts) in enumerate(rels)],
        columns=["table", "column", "parts_cols", "rel"],
    )
    totals = figures.drop(columns="parts").merge(spec, on=["table", "column"])
    totals = totals[totals["value"].notna() & (totals["row_type"] != "heading")]
    terms = _terms(totals[["table", "row", "column", "rel", "parts_cols"]], "parts_cols")
    parts = terms.merge(
        figures[["table", "row", "column", "value", "printed"]].rename(columns={"column": "term"}), on=["table", "row", "term"]
    )
    parts = parts.assign(part_check="row_total:" + parts["table"] + ":" + parts["row"] + ":" + parts["term"])
    return _assemble(totals, parts, "column_total", ["table", "row", "column", "rel"])


def _cell_refs(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    parts = frame[column].str.split(":", n=2, expand=True)
    return frame.assign(ref_table=parts[0], ref_row=parts[1], ref_column=parts[2])


def _cross_checks(figures: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    spec = _cell_refs(pd.DataFrame(CROSS_CHECKS, columns=["ref", "terms"]).assign(rel=lambda f: f.index), "ref")
    cells = figures[figures["value"].notna()]
    key = {"ref_table": "table", "ref_row": "row"}
    wild = spec["ref_column"] == "*"
    stated = pd.concat(
        [
            spec[wild].drop(columns="ref_column").merge(cells, left_on=list(key), right_on=list(key.values())),
            spec[~wild].merge(cells, left_on=[*key, "ref_column"], right_on=[*key.values(), "column"]),
        ],
        ignore_index=True,
    )
    terms = _cell_refs(_terms(stated[["table", "row", "column", "rel", "unit", "terms"]], "terms"), "term")
    terms = terms.assign(ref_column=np.where(terms["ref_column"] == "*", terms["column"], terms["ref_column"]))
    parts = terms.merge(
        cells[["table", "row", "column", "value", "printed", "unit"]].rename(
            columns={"table": "ref_table", "row": "ref_row", "column": "ref_column", "unit": "part_unit"}
        ),
        on=["ref_table", "ref_row", "ref_column"],
    )
    scale = parts["part_unit"].map(_UNIT_SCALE) / parts["unit"].map(_UNIT_SCALE)
    parts = parts.assign(
        value=parts["value"] * scale,
        half=_half_unit(parts["printed"]) * scale,
        part_check="row_total:" + parts["ref_table"] + ":" + parts["ref_row"] + ":" + parts["ref_column"],
    )
    return _assemble(stated, parts, "cross_table", ["table", "row", "column", "rel"], half_scaled=True)


def _assemble(stated: pd.DataFrame, parts: pd.DataFrame, kind: str, keys: list[str], *, half_scaled: bool = False):
    parts = parts[parts["value"].notna()]
    parts = parts.assign(signed=parts["sign"] * parts["value"])
    if not half_scaled:
        parts = parts.assign(half=_half_unit(parts["printed"]))
    agg = parts.groupby(keys, sort=False).agg(computed=("signed", "sum"), tol=("half", "sum")).reset_index()
    out = stated.merge(agg, on=keys)
    check = (kind + ":" + out["table"] + ":" + out["row"] + ":" + out["column"]).to_numpy()
    if "rel" in out.columns:
        check = check + np.where(out["rel"] > 0, ":" + out["rel"].astype(str), "")
    out = out.assign(
        check=check,
        kind=kind,
        stated=out["value"],
        tolerance=out["tol"] + _half_unit(out["printed"]),
    )
    parts = parts.merge(out[[*keys, "check"]], on=keys)[["check", "value", "sign", "part_check"]]
    return out, parts


def _claim_checks(claims: pd.DataFrame, figures: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    terms = _terms(claims[["claim", "unit", "terms"]], "terms")
    is_ref = terms["term"].str.contains(":")
    lit = terms[~is_ref].assign(value=lambda f: pd.to_numeric(f["term"], errors="coerce"), printed=lambda f: f["term"])
    refs = _cell_refs(terms[is_ref], "term").merge(
        figures[["table", "row", "column", "value", "printed", "unit"]].rename(
            columns={"table": "ref_table", "row": "ref_row", "column": "ref_column", "unit": "part_unit"}
        ),
        on=["ref_table", "ref_row", "ref_column"],
        how="left",
    )
    missing = refs["value"].isna()
    if missing.any():
        bad = refs[missing].iloc[0]
        raise BudgetFileError(
            f"claims.tsv claim '{bad['claim']}', column 'terms': cell '{bad['term']}' has no printed figure; "
            "expected table:row:column naming a printed figure."
        )
    scale = refs["part_unit"].map(_UNIT_SCALE) / refs["unit"].map(_UNIT_SCALE)
    refs = refs.assign(
        value=refs["value"] * scale,
        half=_half_unit(refs["printed"]) * scale,
        part_check="row_total:" + refs["ref_table"] + ":" + refs["ref_row"] + ":" + refs["ref_column"],
    )
    lit = lit.assign(half=_half_unit(lit["printed"]), part_check="")
    parts = pd.concat([lit, refs], ignore_index=True)
    parts = parts.assign(check="claim:" + parts["claim"], signed=parts["sign"] * parts["value"])
    agg = parts.groupby("check", sort=False).agg(computed=("signed", "sum"), tol=("half", "sum")).reset_index()
    stated_text = claims["stated"].str.strip()
    out = claims.assign(
        check="claim:" + claims["claim"],
        kind="claim",
        table="claims",
        row=claims["claim"],
        label=claims["paragraph"] + ": " + claims["quote"],
        column="stated",
        stated=pd.to_numeric(stated_text.str.replace(",", "", regex=False)),
        source_file="claims.tsv",
        printed=stated_text,
    ).merge(agg, on="check")
    out = out.assign(tolerance=out["tol"] + _half_unit(out["printed"]))
    return out, parts[["check", "value", "sign", "part_check"]]


def reconcile(figures: pd.DataFrame, claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Recompute every stated total and claim from its parts: one row per check.

    Parameters
    ----------
    figures : DataFrame
        :attr:`BudgetTables.figures` (schema :class:`kccperf.schemas.BudgetFigure`).
    claims : DataFrame, optional
        :attr:`BudgetTables.claims`; when given, each claim is checked too.

    Returns
    -------
    DataFrame
        Schema :class:`kccperf.schemas.BudgetCheck`: ``stated`` against ``computed``,
        ``difference = stated - computed``, ``tolerance`` (half a printed unit per figure
        involved), ``ok`` (adds up exactly), ``status`` (``ok``, ``rounding`` within the
        tolerance, or ``mismatch``) and the likely cause. A check is made only where the
        total and at least one of its parts are printed.

    Examples
    --------
    >>> b = load_budget("2025-26")
    >>> qa = reconcile(b.figures, b.claims)
    >>> qa.query("table == 'appendix_d' and row == 'total_spending' and column == 'y2024_25_core'")["difference"].item()
    -100000.0
    """
    frames, parts = [], []
    for fn in (_row_total_checks, _column_total_checks, _cross_checks):
        f, p = fn(figures)
        frames.append(f)
        parts.append(p)
    if claims is not None and len(claims):
        f, p = _claim_checks(claims, figures)
        frames.append(f)
        parts.append(p)
    checks = pd.concat([f.reindex(columns=[*_CHECK_COLS, "value"]) for f in frames], ignore_index=True)
    checks = checks.drop(columns="value")
    checks = _judge(checks.assign(ok=False, status="", likely_cause="", difference=0.0), pd.concat(parts, ignore_index=True))
    checks = checks[_CHECK_COLS].drop_duplicates("check").reset_index(drop=True)
    return schemas.validate(checks, BudgetCheck, "budget reconciliation")


# ---------------------------------------------------------------------------------------------
# Risk views.
# ---------------------------------------------------------------------------------------------


def risks_for(risks: pd.DataFrame, directorate: str = "ALL") -> pd.DataFrame:
    """The risks of one directorate (named alone or jointly, e.g. ``ASCH / CYPE``), or all for ``"ALL"``.

    Examples
    --------
    >>> r = pd.DataFrame({"directorate": ["CYPE", "ASCH / CYPE", "GET", "ALL"]})
    >>> risks_for(r, "CYPE")["directorate"].tolist()
    ['CYPE', 'ASCH / CYPE']
    """
    if directorate.upper() == "ALL":
        return risks.copy()
    mask = risks[Risk.directorate].str.contains(rf"(?<![A-Za-z]){re.escape(directorate)}(?![A-Za-z])", case=False, regex=True)
    return risks[mask].reset_index(drop=True)


def risk_scores(risks: pd.DataFrame, bands: tuple[float, ...] = DEFAULT_EXPOSURE_BANDS) -> pd.DataFrame:
    """Each risk with its exposure band (1-5) and score = likelihood x band.

    Band 1 holds risks under the first edge and risks with no individual amount
    (the register groups those in one aggregate line). Edges are in £m.

    Examples
    --------
    >>> r = pd.DataFrame({"likelihood": [4, 3, 2], "exposure_m": [165.0, 10.0, float("nan")]})
    >>> risk_scores(r)[["band", "score"]].values.tolist()
    [[5, 20], [2, 6], [1, 2]]
    """
    if len(bands) != 4 or list(bands) != sorted(bands):
        raise ParameterError(f"parameter 'bands' is {bands!r}; expected four rising £m edges such as (10, 20, 50, 100).")
    exposure = risks[Risk.exposure_m].fillna(0.0).to_numpy()
    band = np.searchsorted(np.asarray(bands, dtype=float), exposure, side="right") + 1
    return risks.assign(band=band, band_label=[band_labels(bands)[b - 1] for b in band], score=risks[Risk.likelihood] * band)


def band_labels(bands: tuple[float, ...] = DEFAULT_EXPOSURE_BANDS) -> list[str]:
    """Labels of the five exposure bands, lowest first."""
    e = [f"£{b:g}m" for b in bands]
    return [f"under {e[0]} or not itemised", f"{e[0]} to {e[1]}", f"{e[1]} to {e[2]}", f"{e[2]} to {e[3]}", f"{e[3]} or more"]


def risk_matrix(scores: pd.DataFrame) -> pd.DataFrame:
    """Likelihood (rows, 5 at the top) against exposure band (columns): how many risks sit in each cell.

    Examples
    --------
    >>> s = pd.DataFrame({"likelihood": [4, 4, 1], "band": [5, 5, 1]})
    >>> int(risk_matrix(s).loc[4, 5]), int(risk_matrix(s).loc[1, 1])
    (2, 1)
    """
    counts = pd.crosstab(scores[Risk.likelihood], scores["band"])
    return counts.reindex(index=[5, 4, 3, 2, 1], columns=[1, 2, 3, 4, 5], fill_value=0)


def top_risks(risks: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` risks with the largest exposure (annual, else lifetime), then the highest likelihood.

    Examples
    --------
    >>> r = pd.DataFrame({"risk": ["a", "b"], "exposure_m": [12.0, 165.0], "likelihood": [4, 4]})
    >>> top_risks(r, 1)["risk"].tolist()
    ['b']
    """
    ranked = risks[risks[Risk.exposure_m].notna()].sort_values(
        [Risk.exposure_m, Risk.likelihood], ascending=False, kind="stable"
    )
    return ranked.head(n).reset_index(drop=True)


def exposure_by_directorate(risks: pd.DataFrame) -> pd.DataFrame:
    """Itemised exposure per directorate as printed (joint risks under their printed joint name).

    A directorate cell the PDF left empty (it held only a page number) is shown as ``"not printed"``.

    Examples
    --------
    >>> r = pd.DataFrame({"directorate": ["CYPE", "CYPE", ""], "annual_exposure_m": [10.0, None, 5.0],
    ...                   "lifetime_exposure_m": [None, 165.0, None], "risk": ["a", "b", "c"]})
    >>> exposure_by_directorate(r)["annual_exposure_m"].tolist()
    [10.0, 5.0]
    """
    d = risks[Risk.directorate].replace("", "not printed")
    out = (
        risks.assign(directorate=d)
        .groupby(Risk.directorate, sort=False)
        .agg(
            risks=(Risk.risk, "count"),
            annual_exposure_m=(Risk.annual_exposure_m, "sum"),
            lifetime_exposure_m=(Risk.lifetime_exposure_m, "sum"),
        )
        .reset_index()
    )
    return out.sort_values(["annual_exposure_m", "lifetime_exposure_m"], ascending=False, kind="stable").reset_index(drop=True)


def cype_exposure_share(risks: pd.DataFrame, figures: pd.DataFrame, directorate: str = "CYPE") -> pd.DataFrame:
    """A directorate's share of the register's exposure, annual and lifetime.

    ``sole`` counts risks naming only the directorate, ``joint`` adds those it
    shares (e.g. ``ASCH / CYPE``); shares are of the itemised exposure and of the
    register's stated total (which includes the aggregate line for risks under £10m).

    Examples
    --------
    >>> b = load_budget()
    >>> float(cype_exposure_share(b.risks, b.figures).set_index("basis").loc["lifetime", "joint_m"])
    165.0
    """
    mine = risks_for(risks, directorate)
    sole = mine[Risk.directorate].str.strip().str.upper() == directorate.upper()
    stated = figures[(figures["table"] == "appendix_f") & (figures["row"] == "total")].set_index("column")["value"]
    cols = {"annual": Risk.annual_exposure_m, "lifetime": Risk.lifetime_exposure_m}
    out = pd.DataFrame(
        {
            "basis": list(cols),
            "sole_m": [mine.loc[sole, c].sum() for c in cols.values()],
            "joint_m": [mine[c].sum() for c in cols.values()],
            "itemised_m": [risks[c].sum() for c in cols.values()],
            "stated_total_m": [stated.get(c, np.nan) for c in cols.values()],
        }
    )
    return out.assign(
        share_of_itemised=out["joint_m"] / out["itemised_m"], share_of_stated_total=out["joint_m"] / out["stated_total_m"]
    )


# ---------------------------------------------------------------------------------------------
# Revenue views.
# ---------------------------------------------------------------------------------------------

_BRIDGE_STEPS = [
    "base_budget_changes",
    "reduction_in_grant_income",
    "pay",
    "prices",
    "demand_cost",
    "demand_demand",
    "government_legislative",
    "service_strategies",
    "transformation_cost_avoidance",
    "transformation_service",
    "efficiency",
    "income",
    "financing",
    "policy",
    "grants_increase",
    "total_reserves",
    "unresolved_balance",
    "asc_unresolved_balance",
]


def revenue_bridge(
    figures: pd.DataFrame, directorate: str = "CYPE", *, table: str | None = None, column: str | None = None
) -> pd.DataFrame:
    """From the revised base to the net budget: each spending and savings category as one step.

    Parameters
    ----------
    figures : DataFrame
        :attr:`BudgetTables.figures`.
    directorate : str
        ``"CYPE"`` (Appendix E, CYPE column) or ``"ALL"`` (Appendix D, 2025-26 total).
    table, column : str, optional
        Override the choice: ``appendix_e`` with ``cype``, ``sue_chandler``, ``rory_love`` or
        ``total``; ``appendix_d`` with e.g. ``y2026_27_total``.

    Returns
    -------
    DataFrame
        One row per step: ``step`` (row key), ``label``, ``kind`` (``start``, ``change``, ``end``),
        ``amount``, ``before`` and ``after`` (running total), in the table's unit. Where no
        base is printed (a Cabinet Member's column) the bridge starts at 0 and ends at the net change.

    Examples
    --------
    >>> b = load_budget()
    >>> br = revenue_bridge(b.figures)
    >>> br["label"].iloc[[0, -1]].tolist(), br["amount"].iloc[[0, -1]].tolist()
    (['Revised Base', 'PROPOSED NET BUDGET'], [429762.8, 448913.3])
    """
    default = ("appendix_d", "y2025_26_total") if directorate.upper() == "ALL" else ("appendix_e", "cype")
    table, column = table or default[0], column or default[1]
    cells = figures[(figures["table"] == table) & (figures["column"] == column)].set_index("row")
    if cells.empty:
        raise ParameterError(f"no figures for table '{table}', column '{column}'; expected e.g. appendix_e and cype.")
    has_base = pd.notna(cells["value"].get("revised_base", np.nan))
    start = ("revised_base", cells.at["revised_base", "label"], cells.at["revised_base", "value"]) if has_base else (
        "start",
        "No base printed",
        0.0,
    )
    end_row = "net_budget" if has_base else "net_change"
    steps = cells.reindex(_BRIDGE_STEPS)
    steps = steps[steps["value"].notna() & (steps["value"] != 0)]
    amounts = np.concatenate([[start[2]], steps["value"].to_numpy()])
    after = np.cumsum(amounts)
    out = pd.DataFrame(
        {
            "step": [start[0], *steps.index],
            "label": [start[1], *steps["label"]],
            "kind": ["start", *["change"] * len(steps)],
            "amount": amounts,
            "before": np.concatenate([[0.0], after[:-1]]),
            "after": after,
        }
    )
    end = pd.DataFrame(
        {
            "step": [end_row],
            "label": [cells.at[end_row, "label"]],
            "kind": ["end"],
            "amount": [cells.at[end_row, "value"]],
            "before": [0.0],
            "after": [cells.at[end_row, "value"]],
        }
    )
    return pd.concat([out, end], ignore_index=True).assign(column=column, unit=cells["unit"].iloc[0])


def revenue_bridge_by_member(figures: pd.DataFrame) -> pd.DataFrame:
    """The CYPE bridge for each Cabinet Member (Appendix E), steps as in :func:`revenue_bridge`.

    Examples
    --------
    >>> b = load_budget()
    >>> br = revenue_bridge_by_member(b.figures)
    >>> br.query("kind == 'end'").set_index("column")["amount"].to_dict()
    {'sue_chandler': 18052.4, 'rory_love': 1098.1}
    """
    return pd.concat([revenue_bridge(figures, column=c) for c in ("sue_chandler", "rory_love")], ignore_index=True)


def november_bridge(figures: pd.DataFrame) -> pd.DataFrame:
    """Table 1 as a bridge: each portfolio's November net, the change in spend and in savings, the latest net (£m).

    Examples
    --------
    >>> b = load_budget()
    >>> nb = november_bridge(b.figures)
    >>> nb.query("portfolio == 'cype'")[["step", "amount"]].values.tolist()
    [['november_net', 13.4], ['spend_change', 4.8], ['saving_change', 0.9], ['latest_net', 19.1]]
    """
    t = figures[figures["table"] == "table1"]
    wide = t.pivot(index="row", columns="column", values="value")
    frames = []
    for p in ("education", "ics", "cype"):
        frames.append(
            pd.DataFrame(
                {
                    "portfolio": p,
                    "step": ["november_net", "spend_change", "saving_change", "latest_net"],
                    "amount": [
                        wide.at["november", f"{p}_net"],
                        wide.at["net_total_change", f"{p}_spend"],
                        wide.at["net_total_change", f"{p}_saving"],
                        wide.at["latest", f"{p}_net"],
                    ],
                    "kind": ["start", "change", "change", "end"],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    return out.assign(check=out.groupby("portfolio")["amount"].transform(lambda a: a.iloc[:3].sum() - a.iloc[3]).round(6))


def unresolved_balances(figures: pd.DataFrame) -> pd.DataFrame:
    """The unresolved balances of the indicative years (Appendix D) and their share of the net budget.

    Examples
    --------
    >>> b = load_budget()
    >>> unresolved_balances(b.figures).groupby("year")["total"].sum().to_dict()
    {'2026-27': -19659.7, '2027-28': -15761.7}
    """
    d = figures[(figures["table"] == "appendix_d") & figures["column"].str.endswith("_total")]
    rows = d[d["row"].isin(["unresolved_balance", "asc_unresolved_balance"]) & d["value"].notna()]
    net = d[d["row"] == "net_budget"].set_index("column")["value"]
    year = rows["column"].str.extract(r"^y(\d{4})_(\d{2})_total$").agg("-".join, axis=1)
    out = pd.DataFrame(
        {
            "year": year.to_numpy(),
            "row": rows["row"].to_numpy(),
            "label": rows["label"].to_numpy(),
            "total": rows["value"].to_numpy(),
            "net_budget": rows["column"].map(net).to_numpy(),
        }
    )
    return out.assign(share_of_net_budget=out["total"] / out["net_budget"]).sort_values(["year", "row"], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Capital views.
# ---------------------------------------------------------------------------------------------


def _year_label(column: pd.Series) -> pd.Series:
    return column.str.replace(r"^y(\d{4})_(\d{2})$", r"\1-\2", regex=True)


def capital_profile(figures: pd.DataFrame, projects: pd.DataFrame | None = None, *, directorate: str = "ALL") -> pd.DataFrame:
    """Capital spend by year 2025-26 to 2034-35 (£000s), in groups.

    For ``"ALL"`` the groups are Appendix A's funding sources; for ``"CYPE"`` they
    are Appendix B's projects split by whether they rely on unsecured funding
    (footnote [1]), which needs ``projects``.

    Examples
    --------
    >>> b = load_budget()
    >>> p = capital_profile(b.figures)
    >>> int(p.query("year == '2025-26'")["amount"].sum())
    273454
    """
    years = figures["column"].isin(CAPITAL_YEARS)
    if directorate.upper() == "ALL":
        rows = figures[(figures["table"] == "appendix_a") & (figures["section"] == "funding") & (figures["row_type"] == "item") & years]
        group = rows["label"]
    else:
        if projects is None:
            raise ParameterError("capital_profile for CYPE needs 'projects' (BudgetTables.projects); expected a frame.")
        rows = figures[(figures["table"] == "appendix_b") & (figures["row_type"] == "item") & years]
        unsecured = rows["row"].map(projects.set_index(CapitalProject.row)[CapitalProject.unsecured_funding])
        group = pd.Series(
            np.where(unsecured, "relies on unsecured funding [1]", "other projects"), index=rows.index
        )
    out = pd.DataFrame({"year": _year_label(rows["column"]), "group": group, "amount": rows["value"].fillna(0.0)})
    return out.groupby(["year", "group"], sort=False, as_index=False)["amount"].sum()


def unsecured_capital_share(figures: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """How much of the CYPE capital programme relies on unsecured funding (Appendix B, footnote [1]).

    Two bases: the projects' total cost, and the ten-year programme 2025-26 to 2034-35.
    The denominator is the printed CYPE total (row 17).

    Examples
    --------
    >>> b = load_budget()
    >>> s = unsecured_capital_share(b.figures, b.projects).set_index("basis")
    >>> round(float(s.loc["total_cost", "share"]), 3)
    0.667
    """
    b = figures[figures["table"] == "appendix_b"]
    flag = b["row"].map(projects.set_index(CapitalProject.row)[CapitalProject.unsecured_funding]).fillna(False).astype(bool)
    programme = b["column"].isin(CAPITAL_YEARS)
    items = b["row_type"] == "item"
    total = b["row"] == "17"
    out = pd.DataFrame(
        {
            "basis": ["total_cost", "programme_2025_35"],
            "unsecured": [
                b.loc[items & flag & (b["column"] == "total_cost"), "value"].sum(),
                b.loc[items & flag & programme, "value"].sum(),
            ],
            "total": [
                b.loc[total & (b["column"] == "total_cost"), "value"].sum(),
                b.loc[total & programme, "value"].sum(),
            ],
        }
    )
    return out.assign(share=out["unsecured"] / out["total"], unit="£000s")
