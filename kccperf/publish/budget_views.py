"""The budget risk report's HTML and charts: heat map, waterfall, capital profile, money tables and checks.

Charts are PNGs with alt text and a visible caption (:class:`.figures.Chart`); tables are escaped HTML with
money printed with a true minus sign before the pound sign, and calculator keys put into words. Every table is
formatted here and laid out by the shared ``data_table.html.j2`` template (:func:`data_table`).

May import: ``kccperf.budget``, ``kccperf.publish`` (the shared HTML pieces, figures) and the private helpers at
the top of the package.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..budget import band_labels, edition_info, mismatches
from ..schemas import (
    BridgeStep,
    BudgetCheck,
    BudgetCleaning,
    CapitalProfile,
    DirectorateExposure,
    ExposureShare,
    NovemberBridgeStep,
    Risk,
    RiskScore,
    UnresolvedBalance,
    UnsecuredShare,
)
from ._html import STYLESHEET, data_table, escape, provenance_footer
from .figures import Chart, _small_table
from .figures import png_bytes as _png

__all__ = [
    "budget_checks_table",
    "budget_heading",
    "capital_chart",
    "cleaning_table",
    "data_table",
    "exposure_share_table",
    "exposure_table",
    "member_bridge_table",
    "member_names",
    "money_table",
    "november_table",
    "provenance_footer",
    "qa_summary",
    "risk_heatmap",
    "top_risks_table",
    "unresolved_table",
    "unsecured_table",
    "waterfall_chart",
]


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _money(value: float, unit: str, *, signed: bool = False) -> str:
    """Money as printed: ``£12.3m``, ``−£4.5m``, ``£1,234k``; ``signed`` adds ``+`` to increases."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sign = "−" if value < 0 else "+" if signed and value > 0 else ""
    return f"{sign}£{abs(value):,.1f}m" if unit == "£m" else f"{sign}£{abs(value):,.0f}k"


def risk_heatmap_figure(scores: pd.DataFrame, *, title: str) -> Figure:
    """The risk heat map as a figure: likelihood (1-5) against exposure band, each cell with its score and risk refs."""
    labels = band_labels()
    fig = _figure(10, 5.6)
    ax = fig.add_subplot()
    grid = [[lik * band for band in range(1, 6)] for lik in range(1, 6)]
    ax.imshow(grid, origin="lower", cmap="Greys", vmin=0, vmax=40, aspect="auto")
    for (lik, band), cell in scores.groupby([RiskScore.likelihood, RiskScore.band]):
        refs = textwrap.fill(", ".join(cell[RiskScore.risk].astype(str)), 24)
        ax.text(band - 1, lik - 1, f"score {lik * band}\n{refs}", ha="center", va="center", fontsize=8, color="#0b0c0c")
    ax.set_xticks(range(5), [textwrap.fill(lbl, 18) for lbl in labels], fontsize=8)
    ax.set_yticks(range(5), [f"{i}" for i in range(1, 6)])
    ax.set_xlabel("Estimated exposure band (annual, else lifetime), £m")
    ax.set_ylabel("Current likelihood\n(1 very unlikely to 5 very likely)")
    ax.set_title(textwrap.fill(title, 90))
    return fig


def risk_heatmap(scores: pd.DataFrame, *, title: str = "Budget risks: likelihood against exposure") -> Chart:
    """The risk heat map: likelihood (1-5) against exposure band, each cell labelled with its score and risk refs.

    ``scores`` is the output of :func:`kccperf.budget.risk_scores`. Shading follows the score, and every cell
    also prints the score and its risks, so colour is never the only carrier of meaning. The risks' full
    titles are in the chart's table.
    """
    fig = risk_heatmap_figure(scores, title=title)
    top = scores.sort_values([RiskScore.score, RiskScore.exposure_m], ascending=False).head(3)
    alt = (
        f"Heat map of {len(scores)} budget risks by likelihood and exposure band. Highest scores: "
        + "; ".join(
            f"{r.risk} {r.title} (likelihood {r.likelihood}, £{r.exposure_m:,.1f}m, score {r.score})" for r in top.itertuples()
        )
        + "."
    )
    ordered = scores.sort_values([RiskScore.score, RiskScore.risk], ascending=[False, True])
    rows = [
        (r.risk, r.title, r.likelihood, f"£{r.exposure_m:,.1f}m" if r.exposure_m == r.exposure_m else "–", r.score)
        for r in ordered.itertuples()
    ]
    table = _small_table("The risks in the heat map", ["Ref", "Risk", "Likelihood", "Exposure", "Score"], rows)
    caption = f"{title}. Score = likelihood × exposure band (1-25); each cell lists its risks by reference. {alt}"
    return Chart(_png(fig), alt, caption, table)


def _bridge_in_m(bridge: pd.DataFrame) -> pd.DataFrame:
    """A bridge's amounts in £m (the tables print £000s)."""
    unit = str(bridge[BridgeStep.unit].iloc[0]) if BridgeStep.unit in bridge else "£000s"
    scale = 1000.0 if unit == "£000s" else 1.0
    cols = [BridgeStep.amount, BridgeStep.before, BridgeStep.after]
    return bridge.assign(**{c: bridge[c] / scale for c in cols})


def waterfall_figure(bridge: pd.DataFrame, *, title: str) -> Figure:
    """The bridge as a waterfall in £m: start and end solid, increases hatched ``//``, decreases ``..``, each bar labelled."""
    b = _bridge_in_m(bridge)
    fig = _figure(10, 5.8)
    ax = fig.add_subplot()
    styles = {"start": ("#1d70b8", ""), "end": ("#1d70b8", ""), "up": ("#b10e1e", "//"), "down": ("#00703c", "..")}
    changes = b[b[BridgeStep.kind] == "change"]
    span = changes[BridgeStep.amount].abs().sum() or 1.0
    base_min = min(changes[BridgeStep.before].min(), changes[BridgeStep.after].min())
    starts_at_zero = b[BridgeStep.kind].eq("start").any() and b[BridgeStep.amount].iloc[0] == 0
    floor = 0.0 if starts_at_zero else max(base_min - 0.15 * span, 0.0)
    for i, r in enumerate(b.itertuples(index=False)):
        kind = r.kind if r.kind != "change" else ("up" if r.amount >= 0 else "down")
        colour, hatch = styles[kind]
        bottom = floor if r.kind in ("start", "end") else min(r.before, r.after)
        height = (r.after - floor) if r.kind in ("start", "end") else abs(r.amount)
        ax.bar(i, height, bottom=bottom, color=colour, hatch=hatch, edgecolor="#0b0c0c", linewidth=0.6)
        ax.text(
            i,
            max(r.before, r.after) if r.kind == "change" else r.after,
            _money(r.amount, "£m", signed=r.kind == "change"),
            ha="center",
            va="bottom",
            fontsize=7,
        )
    ax.set_xticks(
        range(len(b)),
        [textwrap.fill(str(lbl), 22) for lbl in b[BridgeStep.label]],
        rotation=60,
        ha="right",
        rotation_mode="anchor",
        fontsize=7,
    )
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"£{v:,.0f}m"))
    ax.set_ylabel("£m")
    top = max(b[BridgeStep.after].max(), b[BridgeStep.before].max())
    ax.set_ylim(floor, top + 0.08 * (top - floor))
    ax.set_title(title)
    return fig


def waterfall_chart(bridge: pd.DataFrame, *, title: str) -> Chart:
    """A revenue bridge (:func:`kccperf.budget.revenue_bridge`) as a waterfall chart in £m.

    Start and end bars are solid, increases hatched ``//`` and decreases hatched ``..``,
    and each bar is labelled with its signed amount, so colour is never needed to read it.
    """
    fig = waterfall_figure(bridge, title=title)
    b = _bridge_in_m(bridge)
    changes = b[b[BridgeStep.kind] == "change"]
    first, last = b.iloc[0], b.iloc[-1]
    ups = changes[changes[BridgeStep.amount] > 0].nlargest(2, BridgeStep.amount)
    downs = changes[changes[BridgeStep.amount] < 0].nsmallest(2, BridgeStep.amount)
    ups_text = ", ".join(f"{r.label} {_money(r.amount, '£m', signed=True)}" for r in ups.itertuples()) or "none"
    downs_text = ", ".join(f"{r.label} {_money(r.amount, '£m', signed=True)}" for r in downs.itertuples()) or "none"
    alt = (
        f"Waterfall from {first[BridgeStep.label]} {_money(first[BridgeStep.amount], '£m')} to {last[BridgeStep.label]} "
        f"{_money(last[BridgeStep.amount], '£m')}. Largest increases: {ups_text}. Largest decreases: {downs_text}."
    )
    rows = [(r.label, _money(r.amount, "£m", signed=r.kind == "change"), _money(r.after, "£m")) for r in b.itertuples()]
    table = _small_table(title, ["Step", "Amount", "Running total"], rows)
    return Chart(_png(fig), alt, f"{title}. Increases hatched //, decreases hatched dots. {alt}", table)


def capital_figure(wide: pd.DataFrame, *, title: str) -> Figure:
    """Capital spend by year (rows) and group (columns, £000s) as stacked bars in £m, each group hatched, legend below."""
    fig = _figure(10, 5.6)
    ax = fig.add_subplot()
    hatches = ["", "//", "..", "xx", "\\\\", "++", "oo", "--"]
    colours = ["#1d70b8", "#f47738", "#00703c", "#912b88", "#b58840", "#5694ca", "#d4351c", "#505a5f"]
    bottom = pd.Series(0.0, index=wide.index)
    for i, group in enumerate(wide.columns):
        ax.bar(
            wide.index,
            wide[group] / 1000,
            bottom=bottom / 1000,
            label=textwrap.fill(str(group), 40),
            color=colours[i % 8],
            hatch=hatches[i % 8],
            edgecolor="#0b0c0c",
            linewidth=0.5,
        )
        bottom = bottom + wide[group]
    for x, total in bottom.items():
        ax.text(x, total / 1000, f"£{total / 1000:,.1f}m", ha="center", va="bottom", fontsize=7)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"£{v:,.0f}m"))
    ax.set_ylabel("£m")
    ax.set_ylim(0, bottom.max() / 1000 * 1.1 if len(bottom) else 1)
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    fig.legend(fontsize=7, loc="outside lower center", ncol=min(4, len(wide.columns)), frameon=False)
    ax.set_title(title)
    return fig


def capital_chart(profile: pd.DataFrame, *, title: str) -> Chart:
    """The capital profile (:func:`kccperf.budget.capital_profile`) as stacked bars by year, each group hatched."""
    wide = profile.pivot_table(
        index=CapitalProfile.year, columns=CapitalProfile.group, values=CapitalProfile.amount, aggfunc="sum", sort=False
    ).fillna(0.0)
    fig = capital_figure(wide, title=title)
    totals = wide.sum(axis=1)
    alt = (
        f"Stacked bars of capital spend by year, {wide.index[0]} to {wide.index[-1]}, in {len(wide.columns)} groups "
        f"({', '.join(map(str, wide.columns))}). Totals by year: "
        + ", ".join(f"{y} £{v / 1000:,.1f}m" for y, v in totals.items())
        + "."
    )
    rows = [(y, *(f"£{v / 1000:,.1f}m" for v in wide.loc[y]), f"£{totals[y] / 1000:,.1f}m") for y in wide.index]
    table = _small_table(title, ["Year", *map(str, wide.columns), "Total"], rows)
    return Chart(_png(fig), alt, f"{title}. {alt}", table)


def money_table(
    frame: pd.DataFrame,
    *,
    caption: str,
    columns: dict[str, str],
    money: dict[str, str] | None = None,
    percent: Sequence[str] = (),
    max_rows: int | None = None,
) -> HTML:
    """:func:`data_table` with money columns (``money`` maps column -> unit ``£m`` or ``£000s``) and percentages formatted."""
    shown = frame.copy()
    for col, unit in (money or {}).items():
        shown[col] = shown[col].map(lambda v, u=unit: _money(v, u))
    for col in percent:
        shown[col] = shown[col].map(lambda v: "–" if v != v else f"{'−' if v < 0 else ''}{abs(v) * 100:.1f}%")
    return data_table(shown, caption=caption, columns=columns, max_rows=max_rows)


def qa_summary(checks: pd.DataFrame) -> HTML:
    """One sentence: how many totals and claims were checked, how many add up, within rounding, or not."""
    n = len(checks)
    ok = int((checks[BudgetCheck.status] == "ok").sum())
    rnd = int((checks[BudgetCheck.status] == "rounding").sum())
    bad = n - ok - rnd
    return HTML(
        STYLESHEET + f'<p class="kcc-footer" style="border:0">{n} totals, cross-table figures and text claims recomputed: '
        f"<strong>{ok}</strong> add up exactly, <strong>{rnd}</strong> agree within rounding, "
        f"<strong>{bad}</strong> do not add up.</p>"
    )


def budget_heading(params: dict[str, str], info: dict[str, str] | None = None) -> HTML:
    """The budget report's visible heading: the directorate view, the budget year and the report it comes from."""
    who = "the whole council" if params.get("directorate") == "ALL" else params.get("directorate", "")
    if info is None:
        info = edition_info(params.get("year", ""))
    return HTML(
        f"<h2>Budget risk view {escape(params.get('year', ''))}: {escape(who)}</h2>"
        # publication_date already carries the committee in brackets, so it follows a comma, not another bracket.
        f"<p>Figures as printed in the {escape(info.get('title', 'budget report'))}, published "
        f"{escape(info.get('publication_date', ''))}, with every total recomputed.</p>"
    )


# Words for the step and basis keys the budget calculators return (their labels are not printed in the report).
_BUDGET_WORDS = {
    "start": "Start",
    "change": "Change",
    "end": "End",
    "november_net": "November draft net",
    "spend_change": "Change in spending",
    "saving_change": "Change in savings",
    "latest_net": "Latest net",
    "annual": "Annual",
    "lifetime": "Lifetime",
    "total_cost": "Projects' total cost",
    "claims": "Text of the report",
}
# Table 1's portfolio keys: its column headings are not kept with the figures.
_PORTFOLIOS = {"education": "Education", "ics": "Integrated Children's Services", "cype": "CYPE (both portfolios)"}


def _words(values: pd.Series, words: dict[str, str] = _BUDGET_WORDS) -> pd.Series:
    """Plain words for calculator keys; a programme key ``programme_2025_35`` reads "Programme 2025-35"; others stay."""
    shown = values.map(words).fillna(values.astype(str))
    return shown.str.replace(r"^programme_(\d{4})_(\d{2})$", r"Programme \1-\2", regex=True)


def _figure_text(value: float) -> str:
    """A figure with thousands separators, up to four decimals and a true minus sign."""
    if value is None or value != value:
        return "–"
    text = f"{abs(value):,.4f}".rstrip("0").rstrip(".")
    return f"−{text}" if value < 0 and text != "0" else text


def member_names(edition: dict) -> dict[str, str]:
    """Appendix E's Cabinet Member columns and their printed names, from the edition facts.

    ``edition`` is :attr:`kccperf.budget.BudgetTables.edition` (or :func:`kccperf.budget.load_edition`).

    Examples
    --------
    >>> member_names({"members": ["a_b"], "member_names": ["A B (Roads)"]})
    {'a_b': 'A B (Roads)'}
    """
    return dict(zip(edition.get("members", []), edition.get("member_names", [])))


def top_risks_table(frame: pd.DataFrame) -> HTML:
    """The largest exposures (:func:`kccperf.budget.top_risks`), in £m."""
    shown = frame.assign(**{Risk.directorate: frame[Risk.directorate].replace("", NOT_PRINTED)})
    table = money_table(
        shown,
        caption="Largest estimated exposures",
        columns={
            Risk.risk: "Ref",
            Risk.directorate: "Directorate",
            Risk.title: "Risk",
            Risk.summary: "In short",
            Risk.likelihood: "Likelihood (1-5)",
            Risk.annual_exposure_m: "Annual exposure",
            Risk.lifetime_exposure_m: "Lifetime exposure",
        },
        money={Risk.annual_exposure_m: "£m", Risk.lifetime_exposure_m: "£m"},
    )
    unknown = (shown[Risk.directorate] == NOT_PRINTED).any()
    return HTML(table.data + (f'<p class="kcc-note">{escape(NOT_PRINTED_NOTE)}</p>' if unknown else ""))


NOT_PRINTED = "not printed"
NOT_PRINTED_NOTE = (
    "“not printed”: the register's directorate cell held only a page number in the published PDF, so the risk's "
    "directorate is not known."
)


def exposure_table(frame: pd.DataFrame) -> HTML:
    """Itemised exposure by directorate (:func:`kccperf.budget.exposure_by_directorate`), in £m.

    Risks whose directorate was not printed come last, with the reason beneath the table.
    """
    unknown = frame[DirectorateExposure.directorate] == NOT_PRINTED
    table = money_table(
        pd.concat([frame[~unknown], frame[unknown]]),
        caption="Itemised exposure by directorate (all risks)",
        columns={
            DirectorateExposure.directorate: "Directorate",
            DirectorateExposure.risks: "Risks",
            DirectorateExposure.annual_exposure_m: "Annual exposure",
            DirectorateExposure.lifetime_exposure_m: "Lifetime exposure",
        },
        money={DirectorateExposure.annual_exposure_m: "£m", DirectorateExposure.lifetime_exposure_m: "£m"},
    )
    return HTML(table.data + (f'<p class="kcc-note">{escape(NOT_PRINTED_NOTE)}</p>' if unknown.any() else ""))


def exposure_share_table(frame: pd.DataFrame) -> HTML:
    """A directorate's share of the register's exposure (:func:`kccperf.budget.cype_exposure_share`)."""
    return money_table(
        frame.assign(**{ExposureShare.basis: _words(frame[ExposureShare.basis])}),
        caption="CYPE share of the register's exposure",
        columns={
            ExposureShare.basis: "Basis",
            ExposureShare.sole_m: "CYPE alone",
            ExposureShare.joint_m: "CYPE alone or jointly",
            ExposureShare.itemised_m: "All itemised risks",
            ExposureShare.stated_total_m: "Register total",
            ExposureShare.share_of_itemised: "Share of itemised",
            ExposureShare.share_of_stated_total: "Share of register total",
        },
        money={
            ExposureShare.sole_m: "£m",
            ExposureShare.joint_m: "£m",
            ExposureShare.itemised_m: "£m",
            ExposureShare.stated_total_m: "£m",
        },
        percent=[ExposureShare.share_of_itemised, ExposureShare.share_of_stated_total],
    )


def bridge_table(frame: pd.DataFrame) -> HTML:
    """The steps of a revenue bridge (:func:`kccperf.budget.revenue_bridge`), in the table's unit."""
    unit = str(frame[BridgeStep.unit].iloc[0]) if BridgeStep.unit in frame and len(frame) else "£000s"
    return money_table(
        frame.assign(**{BridgeStep.kind: _words(frame[BridgeStep.kind])}),
        caption="Revenue bridge steps",
        columns={
            BridgeStep.label: "Step",
            BridgeStep.kind: "Kind",
            BridgeStep.amount: "Amount",
            BridgeStep.after: "Running total",
        },
        money={BridgeStep.amount: unit, BridgeStep.after: unit},
    )


def member_bridge_table(frame: pd.DataFrame, edition: dict) -> HTML:
    """The CYPE change for each Cabinet Member (:func:`kccperf.budget.revenue_bridge_by_member`).

    Members are named as the edition facts print them (``edition`` is
    :attr:`kccperf.budget.BudgetTables.edition`); a column they do not list keeps its key.
    """
    return money_table(
        frame.assign(**{BridgeStep.column: _words(frame[BridgeStep.column], member_names(edition))}),
        caption=f"CYPE {edition['edition_label']} change by Cabinet Member",
        columns={
            BridgeStep.column: "Cabinet Member",
            BridgeStep.label: "Step",
            BridgeStep.amount: "Amount",
            BridgeStep.after: "Running total",
        },
        money={BridgeStep.amount: "£000s", BridgeStep.after: "£000s"},
    )


def november_table(frame: pd.DataFrame) -> HTML:
    """Table 1 as a bridge from the November draft to the latest (:func:`kccperf.budget.november_bridge`), in £m."""
    return money_table(
        frame.assign(
            **{
                NovemberBridgeStep.portfolio: _words(frame[NovemberBridgeStep.portfolio], _PORTFOLIOS),
                NovemberBridgeStep.step: _words(frame[NovemberBridgeStep.step]),
            }
        ),
        caption="From the November draft to the latest (Table 1)",
        columns={
            NovemberBridgeStep.portfolio: "Portfolio",
            NovemberBridgeStep.step: "Step",
            NovemberBridgeStep.amount: "Amount",
            NovemberBridgeStep.check: "Steps minus latest",
        },
        money={NovemberBridgeStep.amount: "£m", NovemberBridgeStep.check: "£m"},
    )


def unsecured_table(frame: pd.DataFrame) -> HTML:
    """How much CYPE capital relies on unsecured funding (:func:`kccperf.budget.unsecured_capital_share`)."""
    return money_table(
        frame.assign(**{UnsecuredShare.basis: _words(frame[UnsecuredShare.basis])}),
        caption="CYPE capital relying on unsecured funding",
        columns={
            UnsecuredShare.basis: "Basis",
            UnsecuredShare.unsecured: "Relies on unsecured funding",
            UnsecuredShare.total: "CYPE total",
            UnsecuredShare.share: "Share",
        },
        money={UnsecuredShare.unsecured: "£000s", UnsecuredShare.total: "£000s"},
        percent=[UnsecuredShare.share],
    )


def unresolved_table(frame: pd.DataFrame) -> HTML:
    """The unresolved balances of the indicative years (:func:`kccperf.budget.unresolved_balances`), in £000s."""
    return money_table(
        frame,
        caption="Unresolved balances of the indicative years",
        columns={
            UnresolvedBalance.year: "Year",
            UnresolvedBalance.label: "Balance",
            UnresolvedBalance.total: "Amount",
            UnresolvedBalance.net_budget: "Net budget",
            UnresolvedBalance.share_of_net_budget: "Share of net budget",
        },
        money={UnresolvedBalance.total: "£000s", UnresolvedBalance.net_budget: "£000s"},
        percent=[UnresolvedBalance.share_of_net_budget],
    )


def budget_checks_table(checks: pd.DataFrame) -> HTML:
    """The totals and claims of :func:`kccperf.budget.reconcile` that do not add up, not even within rounding."""
    bad = mismatches(checks)
    table = _words(bad[BudgetCheck.table]).str.replace(r"^appendix_([a-z])$", lambda m: f"Appendix {m[1].upper()}", regex=True)
    shown = bad.assign(
        **{BudgetCheck.table: table.str.replace(r"^table(\d+)$", r"Table \1", regex=True)},
        **{c: bad[c].map(_figure_text) for c in (BudgetCheck.stated, BudgetCheck.computed, BudgetCheck.difference)},
    )
    return data_table(
        shown,
        caption="Totals and claims that do not add up",
        columns={
            BudgetCheck.table: "Table",
            BudgetCheck.label: "Row",
            BudgetCheck.column: "Column",
            BudgetCheck.stated: "Stated",
            BudgetCheck.computed: "Computed",
            BudgetCheck.difference: "Difference",
            BudgetCheck.likely_cause: "Likely cause",
            BudgetCheck.line: "Source line",
        },
    )


def cleaning_table(log: pd.DataFrame) -> HTML:
    """The page-number artefacts the reader removed (:attr:`kccperf.budget.BudgetTables.cleaning`)."""
    return data_table(
        log,
        caption="Cells cleaned by the reader",
        columns={
            BudgetCleaning.source_file: "File",
            BudgetCleaning.line: "Source line",
            BudgetCleaning.row: "Row",
            BudgetCleaning.column: "Column",
            BudgetCleaning.found: "Printed",
            BudgetCleaning.cleaned: "Kept",
            BudgetCleaning.message: "What was done",
        },
    )
