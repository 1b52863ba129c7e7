"""The budget risk report's HTML and charts: heat map, waterfall, capital profile, money tables and checks.

Charts are PNGs with alt text and a visible caption (:class:`.figures.Chart`), drawn narrow enough, and with
text large enough, to be read on a phone: each is :data:`CHART_WIDTH` inches wide with no text under
:data:`MIN_FONT` points, so scaled to a 390 px screen (about 370 px of image) its smallest text is still about
10 px tall; long series are stacked in rows instead of squeezed. Tables are escaped HTML with money printed with a
true minus sign before the pound sign, calculator keys put into words, and column keys, table files and directorate
codes shown as the edition's reference data name them (:attr:`kccperf.budget.BudgetTables.labels`,
:attr:`~kccperf.budget.BudgetTables.directorates`, the manifest's titles). Every table is formatted here and laid
out by the shared ``data_table.html.j2`` template (:func:`data_table`).

May import: ``kccperf.budget``, ``kccperf.publish`` (the shared HTML pieces, figures) and the private helpers at
the top of the package.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from .._format import long_dates
from ..budget import BudgetTables, band_labels, edition_info, load_directorates, mismatches
from ..schemas import (
    Abbreviation,
    BridgeStep,
    BudgetCheck,
    BudgetClaim,
    BudgetCleaning,
    BudgetFigure,
    BudgetManifest,
    CapitalProfile,
    DirectorateExposure,
    ExposureShare,
    NovemberBridgeStep,
    Risk,
    RiskScore,
    UnresolvedBalance,
    UnsecuredShare,
)
from ..scorecard.catalogue import load_abbreviations
from ._html import STYLESHEET, data_table, escape, provenance_footer
from .figures import Chart, _small_table, smallest_font_px
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


# A chart is drawn CHART_WIDTH inches wide at DPI and shown at most that wide. On a phone it is scaled to about
# 370 px, so text of f points is f * 370 / (72 * CHART_WIDTH) px tall: 11 pt gives 10.1 px, above the 9 px that
# stays readable. On a desktop the image keeps its own 560 px; printed, about 15 cm.
CHART_WIDTH = 5.6
DPI = 100
MIN_FONT = 11.0
TITLE_FONT = 12.0


def _figure(height: float, width: float = CHART_WIDTH) -> Figure:
    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def _chart(fig: Figure, alt: str, caption: str, table: str) -> Chart:
    """The figure as a :class:`Chart` that records its smallest text, in the PNG's pixels."""
    png = _png(fig)
    return Chart(png, alt, caption, table, min_font_px=smallest_font_px(fig, drawn=True))  # drawn by _png


def _rows(n: int, per_row: int) -> list[np.ndarray]:
    """Positions 0..n-1 in as few rows of at most ``per_row`` as will hold them, the rows as even as possible."""
    return np.array_split(np.arange(n), max(1, math.ceil(n / per_row)))


def _pounds_axis(ax) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"£{v:,.0f}m"))
    ax.tick_params(axis="both", labelsize=MIN_FONT)
    ax.set_ylabel("£m", fontsize=MIN_FONT)


def _money(value: float, unit: str, *, signed: bool = False) -> str:
    """Money as printed: ``£12.3m``, ``−£4.5m``, ``£1,234k``; ``signed`` adds ``+`` to increases."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sign = "−" if value < 0 else "+" if signed and value > 0 else ""
    return f"{sign}£{abs(value):,.1f}m" if unit == "£m" else f"{sign}£{abs(value):,.0f}k"


@lru_cache
def _abbreviations() -> frozenset[str]:
    """The abbreviations a label keeps in capitals: ``data/reference/abbreviations.csv`` (CYPE, MTFP, DSG, ...)."""
    return frozenset(load_abbreviations()[Abbreviation.abbreviation])


def sentence_case(labels: pd.Series, keep: frozenset[str] | None = None) -> pd.Series:
    """Labels the report prints in capitals, in sentence case, keeping abbreviations: ``Proposed net budget``.

    Only a label with no lower-case letter (its unit, ``£m`` or ``£000s``, aside) is changed; a label printed in
    mixed case ("Revised Base", "High Needs (DSG)") is left as printed. In a changed label a word stays in capitals
    if it is in ``keep`` (by default the abbreviations of ``data/reference/abbreviations.csv``, which the pages
    spell out) or holds a digit (``IFRS9``). A rule rather than a table of labels, so that a new edition's
    capitals need no new reference rows; the abbreviations are already reference data.

    Examples
    --------
    >>> sentence_case(pd.Series(["PROPOSED NET BUDGET", "CYPE NET CHANGE", "Revised Base", "IFRS9"]), frozenset({"CYPE"})).tolist()
    ['Proposed net budget', 'CYPE net change', 'Revised Base', 'IFRS9']
    """
    keep = _abbreviations() if keep is None else keep
    text = labels.fillna("").astype(str)
    shouted = ~text.str.replace(r"£\w+", "", regex=True).str.contains(r"[a-z]") & text.str.contains(r"[A-Z]{2}")

    def word(m: re.Match) -> str:
        w = m.group()
        return w if w in keep or any(c.isdigit() for c in w) else w.lower()

    lowered = text[shouted].str.replace(r"[A-Za-z][A-Za-z0-9]*", word, regex=True)
    first = lowered.str.replace(r"^([^A-Za-z]*)([a-z])", lambda m: m.group(1) + m.group(2).upper(), regex=True)
    return labels.where(~shouted, first)


def _ref_ranges(refs: pd.Series) -> str:
    """Risk references with runs written as ranges: ``r24–r33, r35, r36``; others listed as they are."""
    number = pd.to_numeric(refs.str.extract(r"^r(\d+)$")[0], errors="coerce")
    if number.isna().any():
        return ", ".join(refs)
    number = number.sort_values().astype(int)
    run = number.diff().ne(1).cumsum()
    ends = number.groupby(run).agg(["first", "last"])
    width = refs.str.len().max() - 1
    first = "r" + ends["first"].astype(str).str.zfill(width)
    last = "r" + ends["last"].astype(str).str.zfill(width)
    # A run of two is listed, not written as a range.
    text = first.where(ends["first"] == ends["last"], first + np.where(ends["last"] - ends["first"] > 1, "–", ", ") + last)
    return ", ".join(text)


# The heat map's height in inches: its five rows hold up to four lines of 11 pt text each. At 5.0 inches it prints
# about 13 cm tall, so that it follows the page's heading on the first A4 page (at 6.2 it began a second page,
# leaving the first nearly empty).
HEATMAP_HEIGHT = 4.5


def risk_heatmap_figure(scores: pd.DataFrame, *, title: str) -> Figure:
    """The risk heat map as a figure: likelihood (1-5) against exposure band, each cell with its score and risk refs.

    Runs of consecutive references are written as ranges (``r24–r33``), so that a crowded cell stays readable.
    """
    labels = band_labels()
    fig = _figure(HEATMAP_HEIGHT)
    ax = fig.add_subplot()
    grid = [[lik * band for band in range(1, 6)] for lik in range(1, 6)]
    ax.imshow(grid, origin="lower", cmap="Greys", vmin=0, vmax=40, aspect="auto")
    for (lik, band), cell in scores.groupby([RiskScore.likelihood, RiskScore.band]):
        refs = textwrap.fill(_ref_ranges(cell[RiskScore.risk].astype(str)), 10)
        ax.text(band - 1, lik - 1, f"score {lik * band}\n{refs}", ha="center", va="center", fontsize=MIN_FONT, color="#0b0c0c")
    ax.set_xticks(range(5), [textwrap.fill(lbl, 10) for lbl in labels], fontsize=MIN_FONT)
    ax.set_yticks(range(5), [f"{i}" for i in range(1, 6)], fontsize=MIN_FONT)
    ax.set_xlabel("Estimated exposure band\n(annual, else lifetime)", fontsize=MIN_FONT)
    ax.set_ylabel("Current likelihood\n(1 very unlikely to 5 very likely)", fontsize=MIN_FONT)
    ax.set_title(textwrap.fill(title, 44), fontsize=TITLE_FONT)
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
    caption = f"{title}. Score = likelihood × exposure band (1-25); each cell lists its risks by reference. {REF_NOTE} {alt}"
    return _chart(fig, alt, caption, table)


# The register prints no reference numbers: the reader numbers its rows (r01, r02, ...) in printed order.
REF_NOTE = (
    "References r01, r02 and so on number the register's risks in the order it prints them (Appendix F); the "
    "register gives them no numbers of its own."
)


def _bridge_in_m(bridge: pd.DataFrame) -> pd.DataFrame:
    """A bridge's amounts in £m (the tables print £000s), its labels in sentence case (:func:`sentence_case`)."""
    unit = str(bridge[BridgeStep.unit].iloc[0]) if BridgeStep.unit in bridge else "£000s"
    scale = 1000.0 if unit == "£000s" else 1.0
    cols = [BridgeStep.amount, BridgeStep.before, BridgeStep.after]
    return bridge.assign(**{c: bridge[c] / scale for c in cols}, **{BridgeStep.label: sentence_case(bridge[BridgeStep.label])})


def _waterfall_ticks(b: pd.DataFrame) -> np.ndarray:
    """The £m ticks above a waterfall's axis break, the first where the axis resumes; none where it needs no break.

    A bridge from zero, or one whose steps reach down near zero, needs no break. Otherwise the start and end
    bars, hundreds of £m tall, would flatten the steps to slivers; the axis is broken instead, and says so.
    """
    changes = b[b[BridgeStep.kind] == "change"]
    if b[BridgeStep.kind].eq("start").any() and b[BridgeStep.amount].iloc[0] == 0:
        return np.array([])
    span = changes[BridgeStep.amount].abs().sum() or 1.0
    lowest = min(changes[BridgeStep.before].min(), changes[BridgeStep.after].min())
    top = max(b[BridgeStep.after].max(), b[BridgeStep.before].max())
    if lowest - 0.15 * span <= 0.25 * top:
        return np.array([])
    ticks = MaxNLocator(nbins=4, steps=[1, 2, 5, 10]).tick_values(lowest - 0.15 * span, top)
    return ticks[ticks <= top * 1.001]


def _waterfall_floor(b: pd.DataFrame) -> float:
    """Where a waterfall's £m axis resumes above its break (:func:`_waterfall_ticks`), or 0 for no break."""
    ticks = _waterfall_ticks(b)
    return float(ticks[0]) if len(ticks) else 0.0


def _axis_break(ax, low: float, floor: float) -> None:
    """A zigzag gap across the axis and its bars between ``low`` (drawn as £0m) and ``floor``, spines included."""
    x0, x1 = ax.get_xlim()
    pad = 0.015 * (x1 - x0)
    x = np.linspace(x0 - pad, x1 + pad, 41)
    tooth = np.resize([0.0, 1.0], len(x))
    gap = floor - low
    lower = low + gap * (0.3 + 0.12 * tooth)
    upper = low + gap * (0.58 + 0.12 * tooth)
    band = ax.fill_between(x, lower, upper, color="white", zorder=4, clip_on=False, linewidth=0)
    band.set_gid(AXIS_BREAK)
    for edge in (lower, upper):
        (line,) = ax.plot(x, edge, color="#0b0c0c", linewidth=0.9, zorder=5, clip_on=False)
        line.set_gid(AXIS_BREAK)
    ax.set_xlim(x0, x1)


# The gid of the artists that draw a broken axis, so that a test can find them in the figure.
AXIS_BREAK = "axis-break"


def waterfall_figure(bridge: pd.DataFrame, *, title: str, per_row: int = 5) -> Figure:
    """The bridge as a waterfall in £m: start and end solid, increases hatched ``//``, decreases ``..``, each bar labelled.

    The steps run in rows of at most ``per_row`` bars, one below the other on the same £m scale, so that each
    bar's amount and name keep a readable size on a phone. Where the axis cannot start at zero without
    flattening the steps (:func:`_waterfall_floor`), it starts at £0m, breaks with a zigzag across the axis and
    the start and end bars, and resumes at a round value below the lowest step; the caption says so.
    """
    b = _bridge_in_m(bridge)
    rows = _rows(len(b), per_row)
    fig = _figure(0.5 + 3.1 * len(rows))
    axes = fig.subplots(len(rows), 1, sharey=True, squeeze=False)[:, 0]
    styles = {"start": ("#1d70b8", ""), "end": ("#1d70b8", ""), "up": ("#b10e1e", "//"), "down": ("#00703c", "..")}
    floor = _waterfall_floor(b)
    top = max(b[BridgeStep.after].max(), b[BridgeStep.before].max())
    # Below a broken axis, room for the £0m tick and the zigzag: a fifth of the axis. Unbroken, it starts at zero,
    # or lower for a running total that goes below zero.
    bottom_total = min(b[BridgeStep.after].min(), b[BridgeStep.before].min(), 0.0)
    low = floor - 0.25 * (top - floor) if floor else bottom_total * 1.16
    base = low if floor else 0.0  # where the start and end bars stand
    for ax, row in zip(axes, rows):
        for x, r in enumerate(b.iloc[row].itertuples(index=False)):
            kind = r.kind if r.kind != "change" else ("up" if r.amount >= 0 else "down")
            colour, hatch = styles[kind]
            bottom = base if r.kind in ("start", "end") else min(r.before, r.after)
            height = (r.after - base) if r.kind in ("start", "end") else abs(r.amount)
            ax.bar(x, height, bottom=bottom, color=colour, hatch=hatch, edgecolor="#0b0c0c", linewidth=0.6)
            label_at = max(r.before, r.after) if r.kind == "change" else r.after
            ax.text(x, label_at, _money(r.amount, "£m", signed=r.kind == "change"), ha="center", va="bottom", fontsize=MIN_FONT)
        names = [textwrap.fill(str(lbl), 22) for lbl in b[BridgeStep.label].iloc[row]]
        ax.set_xticks(range(len(row)), names, rotation=45, ha="right", rotation_mode="anchor")
        ax.set_xlim(-0.6, per_row - 0.4)
        _pounds_axis(ax)
        ax.yaxis.set_tick_params(labelleft=True)
    axes[0].set_ylim(low, top + 0.16 * (top - low))
    if floor:
        ticks = _waterfall_ticks(b)
        for ax in axes:
            ax.yaxis.set_major_locator(FixedLocator([low, *ticks]))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: "£0m" if v == low else f"£{v:,.0f}m"))
            _axis_break(ax, low, floor)
    fig.suptitle(textwrap.fill(title, 44), fontsize=TITLE_FONT)
    return fig


def waterfall_chart(bridge: pd.DataFrame, *, title: str) -> Chart:
    """A revenue bridge (:func:`kccperf.budget.revenue_bridge`) as a waterfall chart in £m.

    Start and end bars are solid, increases hatched ``//`` and decreases hatched ``..``,
    and each bar is labelled with its signed amount, so colour is never needed to read it. Where the £m axis is
    broken (:func:`waterfall_figure`), the caption and the alt text say from where to where.
    """
    fig = waterfall_figure(bridge, title=title)
    b = _bridge_in_m(bridge)
    changes = b[b[BridgeStep.kind] == "change"]
    first, last = b.iloc[0], b.iloc[-1]
    ups = changes[changes[BridgeStep.amount] > 0].nlargest(2, BridgeStep.amount)
    downs = changes[changes[BridgeStep.amount] < 0].nsmallest(2, BridgeStep.amount)
    ups_text = ", ".join(f"{r.label} {_money(r.amount, '£m', signed=True)}" for r in ups.itertuples()) or "none"
    downs_text = ", ".join(f"{r.label} {_money(r.amount, '£m', signed=True)}" for r in downs.itertuples()) or "none"
    floor = _waterfall_floor(b)
    broken = (
        f"The £m axis is broken at the zigzag: it jumps from £0m to £{floor:,.0f}m, so the first and last bars are "
        "cut short; the steps between them are drawn to scale. "
        if floor
        else ""
    )
    alt = (
        f"{broken}Waterfall from {first[BridgeStep.label]} {_money(first[BridgeStep.amount], '£m')} to "
        f"{last[BridgeStep.label]} {_money(last[BridgeStep.amount], '£m')}. Largest increases: {ups_text}. "
        f"Largest decreases: {downs_text}."
    )
    rows = [(r.label, _money(r.amount, "£m", signed=r.kind == "change"), _money(r.after, "£m")) for r in b.itertuples()]
    table = _small_table(title, ["Step", "Amount", "Running total"], rows)
    return _chart(fig, alt, f"{title}. Increases hatched //, decreases hatched dots. {alt}", table)


def capital_figure(wide: pd.DataFrame, *, title: str, per_row: int = 5) -> Figure:
    """Capital spend by year (rows) and group (columns, £000s) as stacked bars in £m, each group hatched, legend below.

    The years run in rows of at most ``per_row`` bars on the same £m scale, each bar labelled with its total;
    the legend lists the groups one a line beneath.
    """
    hatches = ["", "//", "..", "xx", "\\\\", "++", "oo", "--"]
    colours = ["#1d70b8", "#f47738", "#00703c", "#912b88", "#b58840", "#5694ca", "#d4351c", "#505a5f"]
    rows = _rows(len(wide), per_row)
    names = [textwrap.fill(str(group), 44) for group in wide.columns]
    legend_lines = sum(n.count("\n") + 1 for n in names)
    fig = _figure(0.5 + 2.6 * len(rows) + 0.24 * legend_lines)
    axes = fig.subplots(len(rows), 1, sharey=True, squeeze=False)[:, 0]
    totals = wide.sum(axis=1) / 1000
    for ax, row in zip(axes, rows):
        part = wide.iloc[row] / 1000
        years = [str(y) for y in part.index]
        bottom = np.zeros(len(part))
        for i, group in enumerate(wide.columns):
            ax.bar(
                years,
                part[group],
                bottom=bottom,
                label=names[i],
                color=colours[i % 8],
                hatch=hatches[i % 8],
                edgecolor="#0b0c0c",
                linewidth=0.5,
            )
            bottom = bottom + part[group].to_numpy()
        for x, total in enumerate(totals.iloc[row]):
            ax.text(x, total, f"£{total:,.1f}m", ha="center", va="bottom", fontsize=MIN_FONT)
        ax.set_xlim(-0.6, per_row - 0.4)
        _pounds_axis(ax)
    axes[0].set_ylim(0, totals.max() * 1.15 if len(totals) else 1)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=MIN_FONT, loc="outside lower center", ncol=1, frameon=False)
    fig.suptitle(textwrap.fill(title, 44), fontsize=TITLE_FONT)
    return fig


def capital_chart(profile: pd.DataFrame, *, title: str, directorate: str = "") -> Chart:
    """The capital profile (:func:`kccperf.budget.capital_profile`) as stacked bars by year, each group hatched.

    With the view's ``directorate`` (``CYPE`` or ``ALL``) the caption says how that view's bars are split.
    """
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
    split = _CAPITAL_SPLIT.get(directorate, "")
    return _chart(fig, alt, f"{title}. {split + ' ' if split else ''}{alt}", table)


# How each view's capital profile is split (kccperf.budget.capital_profile groups them so).
_CAPITAL_SPLIT = {
    "CYPE": "The bars are split by whether a project relies on unsecured funding (Appendix B, footnote [1]).",
    "ALL": "The bars are split by funding source (Appendix A).",
}


def money_table(
    frame: pd.DataFrame,
    *,
    caption: str,
    columns: dict[str, str],
    money: dict[str, str] | None = None,
    percent: Sequence[str] = (),
    max_rows: int | None = None,
    signed: Mapping[str, pd.Series] | None = None,
) -> HTML:
    """:func:`data_table` with money columns (``money`` maps column -> unit ``£m`` or ``£000s``) and percentages formatted.

    ``signed`` maps a money column to the rows whose amount is a change (a boolean Series): those print a ``+``
    before an increase, as the waterfall's table does (``+£9.1m``, ``+£9,148k``).
    """
    shown = frame.copy()
    for col, unit in (money or {}).items():
        changes = (signed or {}).get(col, pd.Series(False, index=frame.index)).to_numpy(bool)
        shown[col] = [_money(v, unit, signed=bool(c)) for v, c in zip(shown[col], changes)]
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


def budget_heading(params: dict[str, str], info: dict[str, str] | None = None, directorates: pd.DataFrame | None = None) -> HTML:
    """The budget report's visible heading: the directorate view, the budget year and the report it comes from.

    ``params`` is :func:`kccperf.budget.check_budget_parameters`'s answer: the view is named by its ``label``.
    ``info`` is :func:`kccperf.budget.edition_info` and ``directorates``
    :attr:`kccperf.budget.BudgetTables.directorates` (both read for ``params["year"]`` if not given): what the
    view covers names CYPE in full the first time (the whole council's heading does not).
    """
    who = params.get("label", params.get("directorate", ""))
    if info is None:
        info = edition_info(params.get("year", ""))
    if directorates is None:
        directorates = load_directorates(params.get("year", ""))
    cype = _directorates(pd.Series(["CYPE"]), directorates).iloc[0]
    covers = _VIEW_COVERS.get(params.get("directorate", ""), "").format(cype=cype)
    return HTML(
        f"<h2>Budget risk view {escape(params.get('year', ''))}: {escape(who)}</h2>"
        # publication_date already carries the committee in brackets, so it follows a comma, not another bracket.
        f"<p>Figures as printed in the {escape(info.get('title', 'budget report'))}, published "
        f"{escape(long_dates(info.get('publication_date', '')))}, with every total recomputed.</p>"
        f"<p>{escape(covers)}</p>"
    )


# What each view's sections cover, said once at its top (the sections' own introductions apply to both views).
_VIEW_COVERS = {
    "CYPE": "The risk sections show CYPE's risks, including those it shares with another directorate; the revenue "
    "bridge and the capital profile are CYPE's.",
    "ALL": "The risk sections show every risk in the register; the revenue bridge and the capital profile are the "
    "whole council's. The sections about {cype} alone (its share of the exposure, the Cabinet Members' changes, "
    "Table 1 since November and its unsecured capital) say so.",
}


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
    "none": "No amount of its own",
    "total_cost": "Projects' total cost",
    "claims": "Text of the report",
}


def _words(values: pd.Series, words: dict[str, str] = _BUDGET_WORDS) -> pd.Series:
    """Plain words for calculator keys; a programme key ``programme_2025_35`` reads "Programme 2025-35"; others stay."""
    shown = values.map(words).fillna(values.astype(str))
    return shown.str.replace(r"^programme_(\d{4})_(\d{2})$", r"Programme \1-\2", regex=True)


def _figure_text(value: float, least: int = 0) -> str:
    """A figure with thousands separators, at least ``least`` and up to four decimals and a true minus sign."""
    if value is None or value != value:
        return "–"
    whole, _, decimals = f"{abs(value):,.4f}".partition(".")
    decimals = decimals.rstrip("0").ljust(least, "0")
    text = f"{whole}.{decimals}" if decimals else whole
    return f"−{text}" if value < 0 and text.strip("0.,") else text


def _amounts(values: pd.Series, units: pd.Series, *, signed: bool = False) -> pd.Series:
    """Figures with their unit, up to four decimals: ``£109,578.3k`` (£000s), ``−£0.0526m``; ``–`` for none.

    Each keeps at least the decimals the other budget tables print in its unit (:data:`_LEAST_DECIMALS`: £18.0m,
    £1,234k); ``signed`` puts a ``+`` before an increase, as the tables print a change.
    """
    least = units.map(_LEAST_DECIMALS).fillna(0).astype(int)
    text = pd.Series([_figure_text(abs(v), n) for v, n in zip(values, least)], index=values.index)
    suffix = units.map(_UNIT_SUFFIX).fillna("")
    nonzero = text.str.strip("0.,") != ""
    sign = np.where((values < 0) & nonzero, "−", np.where(signed & (values > 0) & nonzero, "+", ""))
    return (pd.Series(sign, index=values.index) + "£" + text + suffix).where(values.notna(), "–")


# How a unit is written after an amount, as the other budget tables write it (£12.3m, £1,234k), and the fewest
# decimals each is printed with there (money_table: £m to one decimal, £000s whole).
_UNIT_SUFFIX = {"£m": "m", "£000s": "k"}
_LEAST_DECIMALS = {"£m": 1, "£000s": 0}


def _check_units(checks: pd.DataFrame, tables: BudgetTables) -> pd.Series:
    """Each check's unit: its table's (the manifest), or for a claim of the report's text, the claim's own."""
    by_table = tables.manifest.set_index(BudgetManifest.table)[BudgetManifest.unit]
    by_claim = tables.claims.set_index(BudgetClaim.claim)[BudgetClaim.unit]
    claim = checks[BudgetCheck.kind] == "claim"
    return checks[BudgetCheck.table].map(by_table).where(~claim, checks[BudgetCheck.row].map(by_claim))


def member_names(edition: dict) -> dict[str, str]:
    """Appendix E's Cabinet Member columns and their printed names, from the edition facts.

    ``edition`` is :attr:`kccperf.budget.BudgetTables.edition` (or :func:`kccperf.budget.load_edition`).

    Examples
    --------
    >>> member_names({"members": ["a_b"], "member_names": ["A B (Roads)"]})
    {'a_b': 'A B (Roads)'}
    """
    return dict(zip(edition.get("members", []), edition.get("member_names", [])))


def _directorates(codes: pd.Series, directorates: pd.DataFrame) -> pd.Series:
    """Directorate codes as readers should see them, from ``directorates`` (the edition's ``directorates.csv``).

    ``ALL`` reads "Whole council", ``GET`` "Growth, Environment & Transport (GET)"; a shared risk's codes
    (``ASCH / CYPE``, ``GET/DCED``) each in words, joined by "and"; a code not listed as printed; an empty cell
    "not printed".
    """
    words = directorates.set_index(Risk.directorate)[BudgetFigure.label]
    plain = codes.reset_index(drop=True)
    parts = plain.str.split(r"\s*/\s*").explode()
    joined = parts.map(words).fillna(parts).groupby(level=0).agg(" and ".join)
    shown = plain.map(words).fillna(joined).fillna(plain).replace("", NOT_PRINTED)
    return pd.Series(shown.to_numpy(), index=codes.index)


def top_risks_table(frame: pd.DataFrame, directorates: pd.DataFrame) -> HTML:
    """The largest exposures (:func:`kccperf.budget.top_risks`), in £m.

    ``directorates`` (:attr:`kccperf.budget.BudgetTables.directorates`) puts the register's codes into words.
    """
    shown = frame.assign(**{Risk.directorate: _directorates(frame[Risk.directorate], directorates)})
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


def exposure_table(frame: pd.DataFrame, directorates: pd.DataFrame) -> HTML:
    """Itemised exposure by directorate (:func:`kccperf.budget.exposure_by_directorate`), in £m.

    Codes are put into words with ``directorates`` (:attr:`kccperf.budget.BudgetTables.directorates`). Risks
    whose directorate was not printed come last, with the reason beneath the table.
    """
    frame = frame.assign(**{DirectorateExposure.directorate: _directorates(frame[DirectorateExposure.directorate], directorates)})
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
    amounts = frame[[DirectorateExposure.annual_exposure_m, DirectorateExposure.lifetime_exposure_m]]
    notes = [NOT_PRINTED_NOTE] * bool(unknown.any()) + [UNITEMISED_NOTE] * bool(amounts.isna().to_numpy().any())
    return HTML(table.data + "".join(f'<p class="kcc-note">{escape(n)}</p>' for n in notes))


UNITEMISED_NOTE = "“–”: none of these risks has an amount of its own in the register (each is under £10m)."


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
        frame.assign(
            **{BridgeStep.kind: _words(frame[BridgeStep.kind]), BridgeStep.label: sentence_case(frame[BridgeStep.label])}
        ),
        caption="Revenue bridge steps",
        columns={
            BridgeStep.label: "Step",
            BridgeStep.kind: "Kind",
            BridgeStep.amount: "Amount",
            BridgeStep.after: "Running total",
        },
        money={BridgeStep.amount: unit, BridgeStep.after: unit},
        signed={BridgeStep.amount: frame[BridgeStep.kind] == "change"},
    )


def member_bridge_table(frame: pd.DataFrame, edition: dict) -> HTML:
    """The CYPE change for each Cabinet Member (:func:`kccperf.budget.revenue_bridge_by_member`).

    Members are named as the edition facts print them (``edition`` is
    :attr:`kccperf.budget.BudgetTables.edition`); a column they do not list keeps its key.
    """
    return money_table(
        frame.assign(
            **{
                BridgeStep.column: _words(frame[BridgeStep.column], member_names(edition)),
                BridgeStep.label: sentence_case(frame[BridgeStep.label]),
            }
        ),
        caption=f"CYPE {edition['edition_label']} change by Cabinet Member",
        columns={
            BridgeStep.column: "Cabinet Member",
            BridgeStep.label: "Step",
            BridgeStep.amount: "Amount",
            BridgeStep.after: "Running total",
        },
        money={BridgeStep.amount: "£000s", BridgeStep.after: "£000s"},
        signed={BridgeStep.amount: frame[BridgeStep.kind] == "change"},
    )


def _portfolios(tables: BudgetTables) -> dict[str, str]:
    """Table 1's portfolios in words: the printed heading of each ``<portfolio>_net`` column, up to its colon."""
    labels = tables.labels[tables.labels[BudgetFigure.table] == "table1"]
    nets = labels[labels[BudgetFigure.column].str.endswith("_net")]
    return dict(zip(nets[BudgetFigure.column].str.removesuffix("_net"), nets[BudgetFigure.label].str.split(":").str[0]))


def november_table(frame: pd.DataFrame, tables: BudgetTables) -> HTML:
    """Table 1 as a bridge from the November draft to the latest (:func:`kccperf.budget.november_bridge`), in £m.

    Portfolios are named as Table 1 heads its columns (:attr:`kccperf.budget.BudgetTables.labels`).
    """
    return money_table(
        frame.assign(
            **{
                NovemberBridgeStep.portfolio: _words(frame[NovemberBridgeStep.portfolio], _portfolios(tables)),
                NovemberBridgeStep.step: _words(frame[NovemberBridgeStep.step]),
            }
        ),
        caption="CYPE's portfolios from the November draft to the latest (Table 1)",
        columns={
            NovemberBridgeStep.portfolio: "Portfolio",
            NovemberBridgeStep.step: "Step",
            NovemberBridgeStep.amount: "Amount",
            NovemberBridgeStep.check: "Steps minus latest",
        },
        money={NovemberBridgeStep.amount: "£m", NovemberBridgeStep.check: "£m"},
        signed={NovemberBridgeStep.amount: frame[NovemberBridgeStep.kind] == "change"},
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
        frame.assign(**{UnresolvedBalance.label: sentence_case(frame[UnresolvedBalance.label])}),
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


def _table_names(tables: BudgetTables) -> pd.Series:
    """Each table's name as the report prints it, by table and by file: the manifest title up to its colon."""
    names = tables.manifest[BudgetManifest.title].str.split(":").str[0].str.strip()
    by_table = pd.Series(names.to_numpy(), index=tables.manifest[BudgetManifest.table])
    by_file = pd.Series(names.to_numpy(), index=tables.manifest[BudgetManifest.file])
    return pd.concat([by_table, by_file, pd.Series({"claims": _BUDGET_WORDS["claims"]})])


def _column_words(table: pd.Series, column: pd.Series, tables: BudgetTables) -> pd.Series:
    """Columns by their printed headings (:attr:`kccperf.budget.BudgetTables.labels`): a table's own, else every table's."""
    labels = tables.labels
    words = pd.Series(labels[BudgetFigure.label].to_numpy(), index=labels[BudgetFigure.table] + ":" + labels[BudgetFigure.column])
    return (table + ":" + column).map(words).fillna(("*:" + column).map(words)).fillna(column)


def budget_checks_table(checks: pd.DataFrame, tables: BudgetTables) -> HTML:
    """The totals and claims of :func:`kccperf.budget.reconcile` that do not add up, not even within rounding.

    Tables are named as the report names them and columns by their printed headings, from ``tables``
    (:func:`kccperf.budget.load_budget`): the manifest's titles and the edition's column labels.
    """
    bad = mismatches(checks)
    names = _table_names(tables)
    units = _check_units(bad, tables)
    shown = bad.assign(
        **{
            BudgetCheck.table: bad[BudgetCheck.table].map(names).fillna(bad[BudgetCheck.table]),
            BudgetCheck.label: sentence_case(bad[BudgetCheck.label]),
            BudgetCheck.column: sentence_case(_column_words(bad[BudgetCheck.table], bad[BudgetCheck.column], tables)),
            BudgetCheck.difference: _amounts(bad[BudgetCheck.difference], units, signed=True),
        },
        **{c: _amounts(bad[c], units) for c in (BudgetCheck.stated, BudgetCheck.computed)},
    )
    return data_table(
        shown,
        caption="Totals and claims that do not add up (each in its table's unit: £m, or £000s written £…k)",
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


def cleaning_table(log: pd.DataFrame, tables: BudgetTables) -> HTML:
    """The page-number artefacts the reader removed (:attr:`kccperf.budget.BudgetTables.cleaning`).

    Each file is named by its table as the report prints it, each row by its printed label (its key where it
    has none, as a row dropped whole) and each column by its printed heading, from ``tables``.
    """
    figures = tables.figures.drop_duplicates([BudgetFigure.source_file, BudgetFigure.row])
    row_labels = figures.set_index([BudgetFigure.source_file, BudgetFigure.row])[BudgetFigure.label]
    where = pd.MultiIndex.from_arrays([log[BudgetCleaning.source_file], log[BudgetCleaning.row]])
    row = pd.Series(row_labels.reindex(where).to_numpy(), index=log.index).replace("", np.nan)
    file_table = tables.manifest.set_index(BudgetManifest.file)[BudgetManifest.table]
    table = log[BudgetCleaning.source_file].map(file_table).fillna("")
    column = _column_words(table, log[BudgetCleaning.column], tables).replace("", "the whole row")
    shown = log.assign(
        **{
            BudgetCleaning.source_file: log[BudgetCleaning.source_file].map(_table_names(tables)),
            BudgetCleaning.row: sentence_case(row.fillna(log[BudgetCleaning.row])),
            BudgetCleaning.column: column,
        }
    )
    return data_table(
        shown,
        caption="Cells cleaned when the tables were read",
        columns={
            BudgetCleaning.source_file: "Table",
            BudgetCleaning.line: "Source line",
            BudgetCleaning.row: "Row",
            BudgetCleaning.column: "Column",
            BudgetCleaning.found: "Printed",
            BudgetCleaning.cleaned: "Kept",
            BudgetCleaning.message: "What was done",
        },
    )
