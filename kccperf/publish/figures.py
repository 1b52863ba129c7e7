"""Charts for the reports, each returned as an HTML figure with alt text and an embedded PNG.

Figures are drawn on ``matplotlib.figure.Figure`` objects (not pyplot), so nothing is
shown twice in a notebook and nothing depends on global state. Each chart says in its
alt text what it shows; RAG is printed as a letter as well as a colour.
"""

from __future__ import annotations

import base64
import html
import io
import math

import numpy as np
import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from ..judge.benchmark import Z_95, Z_998, funnel_limits
from ..schemas import Assessed as A
from ..schemas import Scorecard as S
from ..schemas import Suppression
from ..schemas import Target as T
from .suppress import MARKER

RAG_FILL = {"RED": "#b10e1e", "AMBER": "#ffbf47", "GREEN": "#00703c"}
RAG_TEXT = {"RED": "#ffffff", "AMBER": "#000000", "GREEN": "#ffffff"}
_LINE = "#1d70b8"


class Chart:
    """A matplotlib chart as a PNG, with alt text and a visible caption.

    In a notebook it shows as an HTML ``<figure>`` (the PNG inline, ``alt`` on the
    image, the caption beneath), and also carries ``image/png`` for other front ends.
    """

    def __init__(self, png: bytes, alt: str, caption: str) -> None:
        self.png, self.alt, self.caption = png, alt, caption

    def _repr_png_(self) -> bytes:
        return self.png

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        return (
            f'<figure class="kcc-figure" style="margin:0.5rem 0"><img src="data:image/png;base64,{data}" '
            f'alt="{html.escape(self.alt)}" style="max-width:100%;height:auto"/>'
            f'<figcaption style="font-family:Arial,Helvetica,sans-serif;font-size:0.9rem">{html.escape(self.caption)}</figcaption></figure>'
        )


def png_bytes(fig: Figure, dpi: int | None = None) -> bytes:
    """The figure as PNG bytes, with no software tag or timestamp so identical data gives identical files."""
    buf = io.BytesIO()
    kwargs = {"dpi": dpi} if dpi else {}
    fig.savefig(buf, format="png", metadata={"Software": None}, **kwargs)
    return buf.getvalue()


def figure_html(fig: Figure, *, alt: str, caption: str, dpi: int = 80, tight: bool = True) -> Chart:
    """A figure as a :class:`Chart`: an embedded PNG inside ``<figure>`` with alt text and a visible caption.

    Grids of many small charts set their spacing themselves (``tight=False``): measuring every
    label for a tight layout would double their drawing time.
    """
    if tight:
        fig.set_layout_engine("tight")
    return Chart(png_bytes(fig, dpi), alt, caption)


def _short(title: str, n: int = 48) -> str:
    """Shorten a title to ``n`` characters, keeping a distinguishing suffix such as " - FSM gap"."""
    if len(title) <= n:
        return title
    head, sep, tail = title.rpartition(" - ")
    if sep and len(tail) <= 20:
        return title[: n - len(tail) - 4].rstrip() + "… - " + tail
    return title[: n - 1].rstrip() + "…"


def _grid(n: int, columns: int, panel: tuple[float, float], *, left: float, bottom_in: float, wspace: float):
    """A figure of ``n`` small panels in rows of ``columns`` (unused cells hidden), spaced by hand.

    Measuring every label for a tight layout would double the drawing time of many-panel grids.
    """
    rows = math.ceil(n / columns)
    width, height = panel
    fig = Figure(figsize=(width * columns, height * rows))
    axes = fig.subplots(rows, columns, squeeze=False)
    fig.subplots_adjust(
        left=left, right=0.98, top=1 - 0.35 / (height * rows), bottom=bottom_in / (height * rows), hspace=0.55, wspace=wspace
    )
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def trend_grid(series: pd.DataFrame, assessed: pd.DataFrame, *, area: str, columns: int = 4) -> HTML:
    """Small multiples: each indicator's printed series for one area with its target (dashed) and floor (dotted).

    ``series`` is the long scorecard for the area (suppressed figures already removed);
    ``assessed`` gives each series' target and floor. Series without any value are left out.
    """
    a = assessed.set_index([A.block, A.indicator])
    # Panels in the order of the indicator table; series with no value at all are left out.
    has_values = series.groupby([S.block, S.indicator])[S.value].count()
    keys = [k for k in a.index if has_values.get(k, 0) > 0]
    if not keys:
        return HTML("<p>No indicator has a series to chart.</p>")
    fig, axes = _grid(len(keys), columns, (3.4, 2.3), left=0.05, bottom_in=0.3, wspace=0.28)
    for ax, key in zip(axes, keys):
        s = series[(series[S.block] == key[0]) & (series[S.indicator] == key[1])].sort_values(S.period)
        row = a.loc[key]
        x = np.arange(len(s))
        ax.plot(x, s[S.value].to_numpy(float), color=_LINE, marker="o", markersize=3, linewidth=1.5)
        for col, style, label in ((A.target, "--", "target"), (A.floor, ":", "floor")):
            val = row[col]
            if row[A.polarity] != "T" and pd.notna(val):
                ax.axhline(val, color="#0b0c0c", linestyle=style, linewidth=1, label=label)
        if row[A.polarity] == "T" and pd.notna(row[T.range_low]):
            ax.axhspan(row[T.range_low], row[T.range_high], color="#00703c", alpha=0.12, label="target range")
        ax.set_xticks([x[0], x[-1]], [s[S.period_label].iloc[0], s[S.period_label].iloc[-1]], fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
        block = f" ({key[0]})" if key[0] else ""
        ax.set_title(_short(row[S.title] + block, 44), fontsize=8, loc="left")
        rag = row[A.rag]
        if rag in RAG_FILL:
            ax.text(
                0.99,
                0.95,
                rag,
                transform=ax.transAxes,
                ha="right",
                va="top",
                fontsize=7,
                fontweight="bold",
                color=RAG_TEXT[rag],
                bbox={"facecolor": RAG_FILL[rag], "edgecolor": "none", "pad": 1.5},
            )
    alt = (
        f"{len(keys)} small line charts, one per indicator for {area}, each showing the printed values over time "
        "with the target as a dashed line and the floor standard as a dotted line (a shaded band for indicators "
        "with a target range), and the computed RAG rating written in the corner. The indicator table gives the figures."
    )
    return figure_html(
        fig, alt=alt, caption=f"Trends for {area}: values over the printed periods, with target and floor.", tight=False
    )


def funnel_grid(assessed: pd.DataFrame, *, area: str, county: str = "Kent", limit: int = 6, columns: int = 3) -> HTML:
    """Funnel plots placing an area among the districts, for percentage indicators with counts.

    Each panel plots every district's value against its denominator, with the county value and
    the 95% and 99.8% control limits around it; the chosen area is drawn as a labelled diamond.
    """
    d = assessed[(assessed[A.area] != county) & assessed[A.ci_low].notna() & assessed[A.county_value].notna()]
    mine = d[d[A.area] == area]
    keys = list(dict.fromkeys(zip(mine[A.block], mine[A.indicator])))[:limit]
    if not keys:
        return HTML(
            f"<p>No percentage indicator with published counts can be placed on a funnel plot for {html.escape(area)}.</p>"
        )
    fig, axes = _grid(len(keys), columns, (4.2, 3.4), left=0.06, bottom_in=0.55, wspace=0.25)
    for ax, (block, ind) in zip(axes, keys):
        # Shared team blocks appear under two districts: keep one point per block, the chosen area's own.
        pts = d[d[A.indicator] == ind]
        pts = pts.sort_values(A.area, key=lambda a: a != area, kind="stable").drop_duplicates([A.block, A.value, S.denominator])
        p0 = pts[A.county_value].iloc[0]
        n = np.linspace(max(pts[S.denominator].min() * 0.8, 1), pts[S.denominator].max() * 1.1, 120)
        for z, style in ((Z_95, "--"), (Z_998, ":")):
            lo, hi = funnel_limits(p0, n, z)
            ax.plot(n, lo, color="#505a5f", linestyle=style, linewidth=1)
            ax.plot(n, hi, color="#505a5f", linestyle=style, linewidth=1)
        ax.axhline(p0, color="#0b0c0c", linewidth=1)
        others = pts[~((pts[A.area] == area) & (pts[A.block] == block))]
        ax.scatter(others[S.denominator], others[A.value], s=14, color="#b1b4b6", edgecolor="#505a5f", zorder=3)
        me = pts[(pts[A.area] == area) & (pts[A.block] == block)]
        ax.scatter(me[S.denominator], me[A.value], s=60, marker="D", color=_LINE, edgecolor="#0b0c0c", zorder=4)
        for r in me.itertuples(index=False):
            ax.annotate(area, (r.denominator, r.value), textcoords="offset points", xytext=(5, 5), fontsize=7)
        title = me[S.title].iloc[0]
        ax.set_title(_short(title + (f" ({block})" if block else ""), 64), fontsize=8, loc="left")
        ax.set_xlabel("denominator (cases)", fontsize=7)
        ax.set_ylabel("%", fontsize=7)
        ax.tick_params(labelsize=7)
    alt = (
        f"{len(keys)} funnel plots. Each places {area} (a labelled blue diamond) among the districts (grey dots) by "
        f"percentage and number of cases, with the {county} value as a solid line and 95% (dashed) and 99.8% (dotted) "
        "control limits; a point outside the limits differs from the county by more than chance would explain."
    )
    return figure_html(fig, alt=alt, caption=f"Funnel plots: {area} among the districts, against {county}.", tight=False)


def rag_heatmap(assessed: pd.DataFrame, *, county: str = "Kent", order: list[str] | None = None) -> HTML:
    """A grid of computed RAG by indicator (rows) and area (columns), each cell coloured and lettered R, A or G."""
    # Team blocks: one cell per area, the worst rating of its blocks.
    worst = {"RED": 0, "AMBER": 1, "GREEN": 2, MARKER: 3, "": 4}
    if Suppression.suppressed in assessed:
        rags = assessed[A.rag].where(~assessed[Suppression.suppressed], MARKER)
    else:
        rags = assessed[A.rag]
    d = assessed.assign(**{A.rag: rags}).sort_values(A.rag, key=lambda rag: rag.map(worst).fillna(4), kind="stable")
    d = d.drop_duplicates([A.area, A.indicator])
    grid = d.pivot(index=A.indicator, columns=A.area, values=A.rag).fillna("")
    # Rows in the order of the county's report (by service), not alphabetically by id.
    from .summary import area_view

    row_order = list(dict.fromkeys(area_view(assessed, county)[A.indicator])) if (assessed[A.area] == county).any() else []
    grid = grid.reindex([i for i in row_order if i in grid.index] + [i for i in grid.index if i not in row_order])
    titles = d.drop_duplicates(A.indicator).set_index(A.indicator)[S.title]
    areas = order or [county, *sorted(a for a in grid.columns if a != county)]
    areas = [a for a in areas if a in grid.columns]
    grid = grid[areas]
    codes = {"RED": 0, "AMBER": 1, "GREEN": 2}
    fig = Figure(figsize=(1.0 + 0.62 * len(areas) + 4.5, 0.26 * len(grid) + 1.8))
    ax = fig.subplots()
    colours = np.array([[0.69, 0.05, 0.12], [1.0, 0.75, 0.28], [0.0, 0.44, 0.24], [0.95, 0.95, 0.94]])
    img = np.array([[colours[codes.get(v, 3)] for v in row] for row in grid.to_numpy()])
    ax.imshow(img, aspect="auto")
    for i, row in enumerate(grid.to_numpy()):
        for j, v in enumerate(row):
            if v:
                ax.text(j, i, v[0], ha="center", va="center", fontsize=7, fontweight="bold", color=RAG_TEXT.get(v, "#0b0c0c"))
    ax.set_xticks(range(len(areas)), areas, rotation=45, ha="right", fontsize=7)
    ax.set_yticks(range(len(grid)), [_short(titles[i], 60) for i in grid.index], fontsize=7)
    ax.set_xticks(np.arange(-0.5, len(areas)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(grid)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.tick_params(which="minor", length=0)
    alt = (
        f"A grid of computed RAG ratings: {len(grid)} indicators down the side, {len(areas)} areas across the top. "
        "Each cell is red, amber or green and carries the letter R, A or G; grey cells are not rated, and a grey cell "
        "marked c is withheld (small numbers). Where a district has several team blocks the cell shows the worst of them."
    )
    return figure_html(
        fig,
        alt=alt,
        caption="RAG by indicator and area, computed from the published figures. Letters R, A, G "
        "repeat the colour; c marks a figure withheld for small numbers; a district with several teams shows its worst.",
    )
