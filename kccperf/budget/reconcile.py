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
from ..schemas import BudgetCheck, BudgetFigure, BudgetRelation
from .read import load_relations

_UNIT_SCALE = {"£m": 1_000_000.0, "£000s": 1_000.0}


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
    follows = checks["check"].isin(
        p.loc[p["part_diff"].notna() & ((p["total_diff"] + p["sign"] * p["part_diff"]).abs() < 1e-6), "check"]
    )
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


def _relations_of(relations: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The relations of one kind, numbered in file order (column totals within their table)."""
    rel = relations[relations[BudgetRelation.kind] == kind]
    stated = rel[BudgetRelation.stated].str.split(":", n=2, expand=True).reindex(columns=[0, 1, 2])
    out = pd.DataFrame(
        {"table": stated[0], "stated": rel[BudgetRelation.stated], "parts": rel[BudgetRelation.parts], "column": stated[2]}
    )
    group = out["table"] if kind == "column_total" else pd.Series(0, index=out.index)
    return out.assign(rel=out.groupby(group, sort=False).cumcount()).reset_index(drop=True)


def _column_total_checks(figures: pd.DataFrame, relations: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rel = _relations_of(relations, "column_total")
    # Parts are cells of the same row (``+table1:*:education_spend``): keep the signed column names.
    spec = pd.DataFrame(
        {
            "table": rel["table"],
            "column": rel["column"],
            "parts_cols": rel["parts"].str.replace(r"([+-])[^:\s]+:\*:", r"\1", regex=True),
            "rel": rel["rel"],
        }
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


def _cross_checks(figures: pd.DataFrame, relations: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rel = _relations_of(relations, "cross_table")
    spec = _cell_refs(pd.DataFrame({"ref": rel["stated"], "terms": rel["parts"], "rel": rel["rel"]}), "ref")
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


def _relations_for(figures: pd.DataFrame) -> pd.DataFrame:
    """The reference relations of the figures' budget year (the one file read :func:`reconcile` may make)."""
    years = figures[BudgetFigure.year].unique() if BudgetFigure.year in figures.columns else []
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
    return checks[checks[BudgetCheck.status] == "mismatch"].reset_index(drop=True)


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
    checks = pd.concat([f.reindex(columns=[*_CHECK_COLS, "value"]) for f in frames], ignore_index=True)
    checks = checks.drop(columns="value")
    checks = _judge(checks.assign(ok=False, status="", likely_cause="", difference=0.0), pd.concat(parts, ignore_index=True))
    checks = checks[_CHECK_COLS].drop_duplicates("check").reset_index(drop=True)
    return schemas.validate(checks, BudgetCheck, "budget reconciliation")
