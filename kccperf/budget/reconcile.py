"""Reconciling the draft budget: every printed total recomputed from its parts.

Three kinds of relation are checked: a total row against the rows its ``parts``
column names, a total column against its part columns, and one table's figure
against another's; the last two are the edition's ``relations.csv``
(:func:`kccperf.budget.read.load_relations`). The amounts the report's text
states about its tables (``claims.tsv``) are checked the same way. Pure: frames
in, a new frame out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schemas
from ..errors import BudgetFileError, ParameterError
from ..schemas import BudgetCellRef as Ref
from ..schemas import BudgetCheck as C
from ..schemas import BudgetCheckWork as W
from ..schemas import BudgetClaim as Cl
from ..schemas import BudgetFigure as F
from ..schemas import BudgetPart as Part
from ..schemas import BudgetRelation as Rel
from ..schemas import BudgetTerm as Term
from .read import load_relations

_UNIT_SCALE = {"£m": 1_000_000.0, "£000s": 1_000.0}


_CHECK_COLS = list(C.to_schema().columns)
_PART_COLS = list(Part.to_schema().columns)
# A printed figure with what reconciliation needs of it; as a referenced part, its cell and unit are renamed.
_CELL = [F.table, F.row, F.column, F.value, F.printed]
_REF = {F.table: W.ref_table, F.row: W.ref_row, F.column: W.ref_column, F.unit: W.part_unit}


def _half_unit(printed: pd.Series) -> pd.Series:
    """Half a unit of the last printed decimal place: the most a rounded figure can be off."""
    decimals = printed.str.extract(r"\.(\d+)$")[0].str.len().fillna(0)
    return 0.5 * 10.0 ** (-decimals)


def _terms(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Explode a column of signed terms (``+a -b``) into one row per term with ``sign`` and ``term``."""
    out = frame.assign(**{Term.term: frame[column].str.split()}).explode(Term.term)
    out = out[out[Term.term].notna()]
    return out.assign(
        **{
            Term.sign: np.where(out[Term.term].str.startswith("-"), -1.0, 1.0),
            Term.term: out[Term.term].str.lstrip("+-"),
        }
    )


def _judge(checks: pd.DataFrame, parts: pd.DataFrame) -> pd.DataFrame:
    """Add difference, ok, status and likely cause; ``parts`` holds (check, value, sign, part_check) of every part."""
    checks = checks.astype({C.stated: float, C.computed: float, C.tolerance: float})
    diff = (checks[C.stated] - checks[C.computed]).round(6)
    absdiff = diff.abs()
    ok = absdiff < 1e-6
    rounding = ~ok & (absdiff <= checks[C.tolerance] + 1e-9)
    # One figure against one other, off by under a printed unit: rounded the wrong way.
    single = checks[C.check].map(parts.groupby(Part.check).size()).eq(1)
    near = ~ok & ~rounding & single & (absdiff <= 2 * checks[C.tolerance] + 1e-9)
    # A misprinted digit shifts a figure by d x 10^k: the difference has one significant digit.
    mag = np.floor(np.log10(absdiff.where(absdiff > 0, 1.0)))
    lead = (absdiff / 10.0**mag).round(6)
    digit = (lead == lead.round()) & (absdiff >= 10 * checks[C.tolerance].clip(lower=0.05))
    by_check = pd.Series(np.where(ok | rounding, np.nan, diff), index=checks[C.check].to_numpy())
    p = parts.assign(
        **{
            W.total_diff: parts[Part.check].map(by_check),
            W.part_diff: parts[Part.part_check].map(by_check),
            W.absval: parts[Part.value].abs().round(6),
        }
    )
    # The total would add up if a misprinted part were corrected: total diff = -sign x part diff.
    follows = checks[C.check].isin(
        p.loc[p[W.part_diff].notna() & ((p[W.total_diff] + p[Part.sign] * p[W.part_diff]).abs() < 1e-6), Part.check]
    )
    part_hit = checks[C.check].isin(p.loc[(p[W.absval] == p[W.total_diff].abs()) & (p[W.absval] > 0), Part.check])
    cause = np.select(
        [ok, rounding, follows, near, digit, part_hit],
        [
            "",
            "rounding: each printed figure is rounded, so the parts need not add exactly",
            "follows from a misprinted part: the figure adds up once that part is corrected",
            "rounded the wrong way, or added up from already-rounded figures: off by less than one printed unit",
            "a misprinted digit: the difference is a single digit in one place (" + _in_unit(absdiff, checks[F.unit]) + ")",
            "a part left out or counted twice: the difference equals one of the parts",
        ],
        np.where(
            checks[C.kind] == "claim",
            "the text's amount disagrees with the figures it is computed from",
            "the stated figure or one of its parts is misprinted",
        ),
    )
    status = np.select([ok, rounding], ["ok", "rounding"], "mismatch")
    return checks.assign(
        **{
            C.computed: checks[C.computed].round(6),
            C.difference: diff,
            C.ok: ok,
            C.status: status,
            C.likely_cause: cause,
        }
    )


# How an amount of each unit is written, as the pages write it: £100,000k (£000s), £0.3m.
_UNIT_TEXT = {"£000s": ("£", "k"), "£m": ("£", "m")}


def _in_unit(amounts: pd.Series, units: pd.Series) -> pd.Series:
    """Amounts with their unit: ``£100,000k`` (£000s), ``£0.3m``; a tenth shown where there is one; bare if unknown.

    Examples
    --------
    >>> _in_unit(pd.Series([100000.0, 0.3, 2.5]), pd.Series(["£000s", "£m", "£000s"])).tolist()
    ['£100,000k', '£0.3m', '£2.5k']
    """
    whole = (amounts.round(6) % 1 == 0) & (units != "£m")
    number = amounts.map("{:,.0f}".format).where(whole, amounts.map("{:,.1f}".format))
    lead = units.map({u: t[0] for u, t in _UNIT_TEXT.items()}).fillna("")
    tail = units.map({u: t[1] for u, t in _UNIT_TEXT.items()}).fillna("")
    return lead + number + tail


def _part_check(table: pd.Series, row: pd.Series, column: pd.Series) -> pd.Series:
    """The name of the row-total check of a part's cell, were that cell a total."""
    return "row_total:" + table + ":" + row + ":" + column


def _row_total_checks(figures: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    totals = figures[(figures[F.row_type] == "total") & figures[F.value].notna()]
    terms = _terms(totals[[F.table, F.row, F.column, F.parts]], F.parts)
    parts = terms.merge(figures[_CELL].rename(columns={F.row: Term.term}), on=[F.table, Term.term, F.column])
    parts = parts.assign(**{Part.part_check: _part_check(parts[F.table], parts[Term.term], parts[F.column])})
    return _assemble(totals, parts, "row_total", [F.table, F.row, F.column])


def _relations_of(relations: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The relations of one kind, numbered in file order (column totals within their table)."""
    rel = relations[relations[Rel.kind] == kind]
    stated = rel[Rel.stated].str.split(":", n=2, expand=True).reindex(columns=[0, 1, 2])
    out = pd.DataFrame({F.table: stated[0], Rel.stated: rel[Rel.stated], Rel.parts: rel[Rel.parts], F.column: stated[2]})
    group = out[F.table] if kind == "column_total" else pd.Series(0, index=out.index)
    return out.assign(**{W.rel: out.groupby(group, sort=False).cumcount()}).reset_index(drop=True)


def _column_total_checks(figures: pd.DataFrame, relations: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rel = _relations_of(relations, "column_total")
    # Parts are cells of the same row (``+table1:*:education_spend``): keep the signed column names.
    spec = pd.DataFrame(
        {
            F.table: rel[F.table],
            F.column: rel[F.column],
            W.parts_cols: rel[Rel.parts].str.replace(r"([+-])[^:\s]+:\*:", r"\1", regex=True),
            W.rel: rel[W.rel],
        }
    )
    totals = figures.drop(columns=F.parts).merge(spec, on=[F.table, F.column])
    totals = totals[totals[F.value].notna() & (totals[F.row_type] != "heading")]
    terms = _terms(totals[[F.table, F.row, F.column, W.rel, W.parts_cols]], W.parts_cols)
    parts = terms.merge(figures[_CELL].rename(columns={F.column: Term.term}), on=[F.table, F.row, Term.term])
    parts = parts.assign(**{Part.part_check: _part_check(parts[F.table], parts[F.row], parts[Term.term])})
    return _assemble(totals, parts, "column_total", [F.table, F.row, F.column, W.rel])


def _cell_refs(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    parts = frame[column].str.split(":", n=2, expand=True)
    return frame.assign(**{W.ref_table: parts[0], W.ref_row: parts[1], W.ref_column: parts[2]})


def _scaled_parts(parts: pd.DataFrame) -> pd.DataFrame:
    """Referenced parts in the unit of what they add up to, with their half units and row-total check names."""
    scale = parts[W.part_unit].map(_UNIT_SCALE) / parts[F.unit].map(_UNIT_SCALE)
    return parts.assign(
        **{
            Part.value: parts[Part.value] * scale,
            W.half: _half_unit(parts[F.printed]) * scale,
            Part.part_check: _part_check(parts[W.ref_table], parts[W.ref_row], parts[W.ref_column]),
        }
    )


def _cross_checks(figures: pd.DataFrame, relations: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rel = _relations_of(relations, "cross_table")
    spec = _cell_refs(pd.DataFrame({Ref.ref: rel[Rel.stated], Cl.terms: rel[Rel.parts], W.rel: rel[W.rel]}), Ref.ref)
    cells = figures[figures[F.value].notna()]
    key = {W.ref_table: F.table, W.ref_row: F.row}
    wild = spec[W.ref_column] == "*"
    stated = pd.concat(
        [
            spec[wild].drop(columns=W.ref_column).merge(cells, left_on=list(key), right_on=list(key.values())),
            spec[~wild].merge(cells, left_on=[*key, W.ref_column], right_on=[*key.values(), F.column]),
        ],
        ignore_index=True,
    )
    terms = _cell_refs(_terms(stated[[F.table, F.row, F.column, W.rel, F.unit, Cl.terms]], Cl.terms), Term.term)
    terms = terms.assign(**{W.ref_column: np.where(terms[W.ref_column] == "*", terms[F.column], terms[W.ref_column])})
    parts = terms.merge(
        cells[[*_CELL, F.unit]].rename(columns=_REF),
        on=[W.ref_table, W.ref_row, W.ref_column],
    )
    return _assemble(stated, _scaled_parts(parts), "cross_table", [F.table, F.row, F.column, W.rel], half_scaled=True)


def _assemble(stated: pd.DataFrame, parts: pd.DataFrame, kind: str, keys: list[str], *, half_scaled: bool = False):
    parts = parts[parts[Part.value].notna()]
    parts = parts.assign(**{W.signed: parts[Part.sign] * parts[Part.value]})
    if not half_scaled:
        parts = parts.assign(**{W.half: _half_unit(parts[F.printed])})
    agg = parts.groupby(keys, sort=False).agg(**{C.computed: (W.signed, "sum"), W.tol: (W.half, "sum")}).reset_index()
    out = stated.merge(agg, on=keys)
    check = (kind + ":" + out[F.table] + ":" + out[F.row] + ":" + out[F.column]).to_numpy()
    if W.rel in out.columns:
        check = check + np.where(out[W.rel] > 0, ":" + out[W.rel].astype(str), "")
    out = out.assign(
        **{
            C.check: check,
            C.kind: kind,
            C.stated: out[F.value],
            C.tolerance: out[W.tol] + _half_unit(out[F.printed]),
        }
    )
    parts = parts.merge(out[[*keys, C.check]], on=keys)[_PART_COLS]
    return out, parts


def _claim_checks(claims: pd.DataFrame, figures: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    terms = _terms(claims[[Cl.claim, Cl.unit, Cl.terms]], Cl.terms)
    is_ref = terms[Term.term].str.contains(":")
    lit = terms[~is_ref].assign(
        **{
            Part.value: lambda f: pd.to_numeric(f[Term.term], errors="coerce"),
            F.printed: lambda f: f[Term.term],
        }
    )
    refs = _cell_refs(terms[is_ref], Term.term).merge(
        figures[[*_CELL, F.unit]].rename(columns=_REF),
        on=[W.ref_table, W.ref_row, W.ref_column],
        how="left",
    )
    missing = refs[Part.value].isna()
    if missing.any():
        bad = refs[missing].iloc[0]
        raise BudgetFileError(
            f"claims.tsv claim '{bad[Cl.claim]}', column 'terms': cell '{bad[Term.term]}' has no printed figure; "
            "expected table:row:column naming a printed figure."
        )
    refs = _scaled_parts(refs)
    lit = lit.assign(**{W.half: _half_unit(lit[F.printed]), Part.part_check: ""})
    parts = pd.concat([lit, refs], ignore_index=True)
    parts = parts.assign(**{Part.check: "claim:" + parts[Cl.claim], W.signed: parts[Part.sign] * parts[Part.value]})
    agg = parts.groupby(Part.check, sort=False).agg(**{C.computed: (W.signed, "sum"), W.tol: (W.half, "sum")}).reset_index()
    stated_text = claims[Cl.stated].str.strip()
    out = claims.assign(
        **{
            C.check: "claim:" + claims[Cl.claim],
            C.kind: "claim",
            C.table: "claims",
            C.row: claims[Cl.claim],
            C.label: claims[Cl.paragraph] + ": " + claims[Cl.quote],
            C.column: Cl.stated,
            C.stated: pd.to_numeric(stated_text.str.replace(",", "", regex=False)),
            C.source_file: "claims.tsv",
            F.printed: stated_text,
        }
    ).merge(agg, on=C.check)
    out = out.assign(**{C.tolerance: out[W.tol] + _half_unit(out[F.printed])})
    return out, parts[_PART_COLS]


def _relations_for(figures: pd.DataFrame) -> pd.DataFrame:
    """The reference relations of the figures' budget year (the one file read :func:`reconcile` may make)."""
    years = figures[F.year].unique() if F.year in figures.columns else []
    if len(years) != 1 or not years[0]:
        raise ParameterError(
            "parameter 'relations' is missing and the figures do not name one budget year; "
            "expected relations=load_relations(year) or figures read by load_budget(year)."
        )
    return load_relations(years[0])


def mismatches(checks: pd.DataFrame) -> pd.DataFrame:
    """The checks of :func:`reconcile` that do not add up, not even within rounding.

    Examples
    --------
    >>> qa = pd.DataFrame({"check": ["a", "b", "c"], "status": ["ok", "mismatch", "rounding"]})
    >>> mismatches(qa)["check"].tolist()
    ['b']
    """
    return checks[checks[C.status] == "mismatch"].reset_index(drop=True)


def reconcile(figures: pd.DataFrame, claims: pd.DataFrame | None = None, relations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Recompute every stated total and claim from its parts: one row per check.

    Parameters
    ----------
    figures : DataFrame
        :attr:`BudgetTables.figures` (schema :class:`kccperf.schemas.BudgetFigure`).
    claims : DataFrame, optional
        :attr:`BudgetTables.claims`; when given, each claim is checked too.
    relations : DataFrame, optional
        :attr:`BudgetTables.relations`: the column totals and cross-table relations of the
        edition (schema :class:`kccperf.schemas.BudgetRelation`). Pass them to keep this
        call free of file reads; when omitted they are read with :func:`load_relations`
        for the budget year in the figures' ``year`` column.

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
    >>> from kccperf.budget import load_budget
    >>> b = load_budget("2025-26")
    >>> qa = reconcile(b.figures, b.claims, b.relations)
    >>> qa.query("table == 'appendix_d' and row == 'total_spending' and column == 'y2024_25_core'")["difference"].item()
    -100000.0
    """
    if relations is None:
        relations = _relations_for(figures)
    frames, parts = [], []
    for f, p in (
        _row_total_checks(figures),
        _column_total_checks(figures, relations),
        _cross_checks(figures, relations),
    ):
        frames.append(f)
        parts.append(p)
    if claims is not None and len(claims):
        f, p = _claim_checks(claims, figures)
        frames.append(f)
        parts.append(p)
    checks = pd.concat([f.reindex(columns=[*_CHECK_COLS, F.value, F.unit]) for f in frames], ignore_index=True)
    checks = checks.drop(columns=F.value)
    blank = {C.ok: False, C.status: "", C.likely_cause: "", C.difference: 0.0}
    checks = _judge(checks.assign(**blank), pd.concat(parts, ignore_index=True))
    checks = checks[_CHECK_COLS].drop_duplicates(C.check).reset_index(drop=True)
    return schemas.validate(checks, C, "budget reconciliation")
