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

from ..errors import ParameterError
from ..schemas import BridgeStep as BS
from ..schemas import BudgetFigure as F
from ..schemas import CapitalProfile as CP
from ..schemas import CapitalProject, CypeCapitalRaw, CypeRevenueRaw, RevenuePlanRaw, Risk
from ..schemas import DirectorateExposure as DE
from ..schemas import ExposureShare as ES
from ..schemas import NovemberBridgeStep as NB
from ..schemas import RiskScore as RS
from ..schemas import UnresolvedBalance as UB
from ..schemas import UnsecuredShare as US

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
    return risks.assign(
        **{RS.band: band, RS.band_label: [band_labels(bands)[b - 1] for b in band], RS.score: risks[Risk.likelihood] * band}
    )


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
    counts = pd.crosstab(scores[RS.likelihood], scores[RS.band])
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
        risks.assign(**{Risk.directorate: d})
        .groupby(Risk.directorate, sort=False)
        .agg(
            **{
                DE.risks: (Risk.risk, "count"),
                DE.annual_exposure_m: (Risk.annual_exposure_m, "sum"),
                DE.lifetime_exposure_m: (Risk.lifetime_exposure_m, "sum"),
            }
        )
        .reset_index()
    )
    # A directorate none of whose risks has an amount (each under £10m) has no itemised exposure, not £0.
    sums = (
        risks.assign(**{Risk.directorate: d})
        .groupby(Risk.directorate, sort=False)[[Risk.annual_exposure_m, Risk.lifetime_exposure_m]]
        .count()
    )
    for col, src in ((DE.annual_exposure_m, Risk.annual_exposure_m), (DE.lifetime_exposure_m, Risk.lifetime_exposure_m)):
        out[col] = out[col].where(out[DE.directorate].map(sums[src]).to_numpy() > 0)
    order = [DE.annual_exposure_m, DE.lifetime_exposure_m]
    return out.sort_values(order, ascending=False, kind="stable", na_position="last").reset_index(drop=True)


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
    stated = figures[(figures[F.table] == "appendix_f") & (figures[F.row] == "total")].set_index(F.column)[F.value]
    cols = {"annual": Risk.annual_exposure_m, "lifetime": Risk.lifetime_exposure_m}
    out = pd.DataFrame(
        {
            ES.basis: list(cols),
            ES.sole_m: [mine.loc[sole, c].sum() for c in cols.values()],
            ES.joint_m: [mine[c].sum() for c in cols.values()],
            ES.itemised_m: [risks[c].sum() for c in cols.values()],
            ES.stated_total_m: [stated.get(c, np.nan) for c in cols.values()],
        }
    )
    return out.assign(
        **{
            ES.share_of_itemised: out[ES.joint_m] / out[ES.itemised_m],
            ES.share_of_stated_total: out[ES.joint_m] / out[ES.stated_total_m],
        }
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
    default = (
        ("appendix_d", RevenuePlanRaw.y2025_26_total) if directorate.upper() == "ALL" else ("appendix_e", CypeRevenueRaw.cype)
    )
    table, column = table or default[0], column or default[1]
    cells = figures[(figures[F.table] == table) & (figures[F.column] == column)].set_index(F.row)
    if cells.empty:
        raise ParameterError(f"no figures for table '{table}', column '{column}'; expected e.g. appendix_e and cype.")
    has_base = pd.notna(cells[F.value].get("revised_base", np.nan))
    start = (
        ("revised_base", cells.at["revised_base", F.label], cells.at["revised_base", F.value])
        if has_base
        else (
            "start",
            "No base printed",
            0.0,
        )
    )
    end_row = "net_budget" if has_base else "net_change"
    steps = cells.reindex(_BRIDGE_STEPS)
    steps = steps[steps[F.value].notna() & (steps[F.value] != 0)]
    amounts = np.concatenate([[start[2]], steps[F.value].to_numpy()])
    after = np.cumsum(amounts)
    out = pd.DataFrame(
        {
            BS.step: [start[0], *steps.index],
            BS.label: [start[1], *steps[F.label]],
            BS.kind: ["start", *["change"] * len(steps)],
            BS.amount: amounts,
            BS.before: np.concatenate([[0.0], after[:-1]]),
            BS.after: after,
        }
    )
    end = pd.DataFrame(
        {
            BS.step: [end_row],
            BS.label: [cells.at[end_row, F.label]],
            BS.kind: ["end"],
            BS.amount: [cells.at[end_row, F.value]],
            BS.before: [0.0],
            BS.after: [cells.at[end_row, F.value]],
        }
    )
    return pd.concat([out, end], ignore_index=True).assign(**{BS.column: column, BS.unit: cells[F.unit].iloc[0]})


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
        cols = figures.loc[figures[F.table] == "appendix_e", F.column].unique()
        members = [c for c in cols if c not in (CypeRevenueRaw.cype, CypeRevenueRaw.total)]
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
    t = figures[figures[F.table] == "table1"]
    wide = t.pivot(index=F.row, columns=F.column, values=F.value)
    frames = []
    for p in ("education", "ics", "cype"):
        frames.append(
            pd.DataFrame(
                {
                    NB.portfolio: p,
                    NB.step: ["november_net", "spend_change", "saving_change", "latest_net"],
                    NB.amount: [
                        wide.at["november", f"{p}_net"],
                        wide.at["net_total_change", f"{p}_spend"],
                        wide.at["net_total_change", f"{p}_saving"],
                        wide.at["latest", f"{p}_net"],
                    ],
                    NB.kind: ["start", "change", "change", "end"],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    check = out.groupby(NB.portfolio)[NB.amount].transform(lambda a: a.iloc[:3].sum() - a.iloc[3]).round(6)
    return out.assign(**{NB.check: check})


def unresolved_balances(figures: pd.DataFrame) -> pd.DataFrame:
    """The unresolved balances of the indicative years (Appendix D) and their share of the net budget.

    Examples
    --------
    >>> from kccperf.budget import load_budget
    >>> b = load_budget()
    >>> unresolved_balances(b.figures).groupby("year")["total"].sum().to_dict()
    {'2026-27': -19659.7, '2027-28': -15761.7}
    """
    d = figures[(figures[F.table] == "appendix_d") & figures[F.column].str.endswith("_total")]
    rows = d[d[F.row].isin(["unresolved_balance", "asc_unresolved_balance"]) & d[F.value].notna()]
    net = d[d[F.row] == "net_budget"].set_index(F.column)[F.value]
    year = rows[F.column].str.extract(r"^y(\d{4})_(\d{2})_total$").agg("-".join, axis=1)
    out = pd.DataFrame(
        {
            UB.year: year.to_numpy(),
            UB.row: rows[F.row].to_numpy(),
            UB.label: rows[F.label].to_numpy(),
            UB.total: rows[F.value].to_numpy(),
            UB.net_budget: rows[F.column].map(net).to_numpy(),
        }
    )
    out = out.assign(**{UB.share_of_net_budget: out[UB.total] / out[UB.net_budget]})
    return out.sort_values([UB.year, UB.row], ignore_index=True)


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
    years = figures[F.column].str.fullmatch(_CAPITAL_YEAR)
    if directorate.upper() == "ALL":
        rows = figures[
            (figures[F.table] == "appendix_a") & (figures[F.section] == "funding") & (figures[F.row_type] == "item") & years
        ]
        group = rows[F.label]
    else:
        if projects is None:
            raise ParameterError("capital_profile for CYPE needs 'projects' (BudgetTables.projects); expected a frame.")
        rows = figures[(figures[F.table] == "appendix_b") & (figures[F.row_type] == "item") & years]
        unsecured = rows[F.row].map(projects.set_index(CapitalProject.row)[CapitalProject.unsecured_funding])
        group = pd.Series(np.where(unsecured, "relies on unsecured funding [1]", "other projects"), index=rows.index)
    out = pd.DataFrame({CP.year: _year_label(rows[F.column]), CP.group: group, CP.amount: rows[F.value].fillna(0.0)})
    return out.groupby([CP.year, CP.group], sort=False, as_index=False)[CP.amount].sum()


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
    b = figures[figures[F.table] == "appendix_b"]
    flag = b[F.row].map(projects.set_index(CapitalProject.row)[CapitalProject.unsecured_funding]).fillna(False).astype(bool)
    programme = b[F.column].str.fullmatch(_CAPITAL_YEAR)
    items = b[F.row_type] == "item"
    summed = b.loc[b[F.row_type] == "total", F.parts].str.split().explode().str.lstrip("+-")
    total = (b[F.row_type] == "total") & ~b[F.row].isin(summed)
    out = pd.DataFrame(
        {
            US.basis: [CypeCapitalRaw.total_cost, "programme_2025_35"],
            US.unsecured: [
                b.loc[items & flag & (b[F.column] == CypeCapitalRaw.total_cost), F.value].sum(),
                b.loc[items & flag & programme, F.value].sum(),
            ],
            US.total: [
                b.loc[total & (b[F.column] == CypeCapitalRaw.total_cost), F.value].sum(),
                b.loc[total & programme, F.value].sum(),
            ],
        }
    )
    return out.assign(**{US.share: out[US.unsecured] / out[US.total], US.unit: "£000s"})
