"""The draft budget's calculators: risk views, revenue bridges and capital views.

Every function here is pure: frames in, new frames out, vectorised, no file
reads. Reading lives in :mod:`kccperf.budget.read`, reconciliation in
:mod:`kccperf.budget.reconcile`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import schemas
from ..errors import ParameterError
from ..schemas import BudgetFigure, CapitalProject, Risk

#: Exposure bands in £m for the heat map: a risk with exposure >= edge i is in band i + 2.
DEFAULT_EXPOSURE_BANDS: tuple[float, ...] = (10.0, 20.0, 50.0, 100.0)
# A capital year column, e.g. y2025_26 (Appendices A to C print one per year of the programme).
_CAPITAL_YEAR = r"y\d{4}_\d{2}"


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
    ranked = risks[risks[Risk.exposure_m].notna()].sort_values([Risk.exposure_m, Risk.likelihood], ascending=False, kind="stable")
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
    >>> from kccperf.budget import load_budget
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
    >>> from kccperf.budget import load_budget
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
    start = (
        ("revised_base", cells.at["revised_base", "label"], cells.at["revised_base", "value"])
        if has_base
        else (
            "start",
            "No base printed",
            0.0,
        )
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


def revenue_bridge_by_member(figures: pd.DataFrame, members: Sequence[str] | None = None) -> pd.DataFrame:
    """The CYPE bridge for each Cabinet Member (Appendix E), steps as in :func:`revenue_bridge`.

    ``members`` are Appendix E's Cabinet Member columns (``BudgetTables.edition["members"]``);
    by default every column Appendix E prints besides ``cype`` and ``total``, in printed order.

    Examples
    --------
    >>> from kccperf.budget import load_budget
    >>> b = load_budget()
    >>> br = revenue_bridge_by_member(b.figures)
    >>> br.query("kind == 'end'").set_index("column")["amount"].to_dict()
    {'sue_chandler': 18052.4, 'rory_love': 1098.1}
    """
    if members is None:
        cols = figures.loc[figures[BudgetFigure.table] == "appendix_e", BudgetFigure.column].unique()
        members = [c for c in cols if c not in (schemas.CypeRevenueRaw.cype, schemas.CypeRevenueRaw.total)]
    return pd.concat([revenue_bridge(figures, column=c) for c in members], ignore_index=True)


def november_bridge(figures: pd.DataFrame) -> pd.DataFrame:
    """Table 1 as a bridge: each portfolio's November net, the change in spend and in savings, the latest net (£m).

    Examples
    --------
    >>> from kccperf.budget import load_budget
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
    >>> from kccperf.budget import load_budget
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
    """Capital spend by year of the programme (£000s), in groups.

    For ``"ALL"`` the groups are Appendix A's funding sources; for ``"CYPE"`` they
    are Appendix B's projects split by whether they rely on unsecured funding
    (footnote [1]), which needs ``projects``.

    Examples
    --------
    >>> from kccperf.budget import load_budget
    >>> b = load_budget()
    >>> p = capital_profile(b.figures)
    >>> int(p.query("year == '2025-26'")["amount"].sum())
    273454
    """
    years = figures["column"].str.fullmatch(_CAPITAL_YEAR)
    if directorate.upper() == "ALL":
        rows = figures[
            (figures["table"] == "appendix_a") & (figures["section"] == "funding") & (figures["row_type"] == "item") & years
        ]
        group = rows["label"]
    else:
        if projects is None:
            raise ParameterError("capital_profile for CYPE needs 'projects' (BudgetTables.projects); expected a frame.")
        rows = figures[(figures["table"] == "appendix_b") & (figures["row_type"] == "item") & years]
        unsecured = rows["row"].map(projects.set_index(CapitalProject.row)[CapitalProject.unsecured_funding])
        group = pd.Series(np.where(unsecured, "relies on unsecured funding [1]", "other projects"), index=rows.index)
    out = pd.DataFrame({"year": _year_label(rows["column"]), "group": group, "amount": rows["value"].fillna(0.0)})
    return out.groupby(["year", "group"], sort=False, as_index=False)["amount"].sum()


def unsecured_capital_share(figures: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """How much of the CYPE capital programme relies on unsecured funding (Appendix B, footnote [1]).

    Two bases: the projects' total cost, and the programme's years (2025-26 to 2034-35 in
    the 2025-26 report). The denominator is the printed CYPE total: the total row that no
    other total sums (row 17 in 2025-26).

    Examples
    --------
    >>> from kccperf.budget import load_budget
    >>> b = load_budget()
    >>> s = unsecured_capital_share(b.figures, b.projects).set_index("basis")
    >>> round(float(s.loc["total_cost", "share"]), 3)
    0.667
    """
    b = figures[figures["table"] == "appendix_b"]
    flag = b["row"].map(projects.set_index(CapitalProject.row)[CapitalProject.unsecured_funding]).fillna(False).astype(bool)
    programme = b["column"].str.fullmatch(_CAPITAL_YEAR)
    items = b["row_type"] == "item"
    summed = b.loc[b["row_type"] == "total", "parts"].str.split().explode().str.lstrip("+-")
    total = (b["row_type"] == "total") & ~b["row"].isin(summed)
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
