"""Charts for the reports, each returned as an HTML figure with alt text and an embedded image.

The trend panels, funnel plots and the county heat map are written as SVG (:mod:`.svg`): a page holds up to 60 panels,
and drawn with matplotlib they were most of a report's time. Other figures (:func:`figure_html`, and the budget
charts) are drawn on ``matplotlib.figure.Figure`` objects (not pyplot), so nothing is shown twice in a notebook and
nothing depends on global state, and embedded as PNG. Each chart says in its alt text what it shows; RAG is printed
as a letter as well as a colour.
"""

from __future__ import annotations

import base64
import html
import io
import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure
from PIL import Image

from .._format import format_value
from ..judge.benchmark import Z_95, Z_998, funnel_limits
from ..schemas import Assessed as A
from ..schemas import Indicator as I
from ..schemas import Scorecard as S
from ..schemas import Suppression
from ..schemas import Target as T
from . import svg
from .summary import up_to_assessed_period
from .suppress import MARKER

RAG_FILL = {"RED": "#b10e1e", "AMBER": "#ffbf47", "GREEN": "#00703c"}
RAG_TEXT = {"RED": "#ffffff", "AMBER": "#000000", "GREEN": "#ffffff"}
_LINE = "#1d70b8"
_RANGE = "#00703c"
_GREY, _GREY_EDGE = "#b1b4b6", "#505a5f"


class Chart:
    """A chart as an image (a PNG from matplotlib, or an SVG), with alt text, a visible caption and, optionally, its
    data as a small table.

    In a notebook it shows as an HTML ``<figure>`` (the PNG inline, ``alt`` on the image, the caption
    beneath, the table inside ``<details>``). It offers no separate ``image/png``: the executed notebook would
    then keep every image twice. ``mime`` is the image's type. The caption is plain text unless ``caption_html`` is given (already escaped).
    ``min_font_px``, when given, is the height of the chart's smallest text in the PNG's own pixels
    (:func:`smallest_font_px`; an SVG's CSS pixels at its own size); the image carries it as ``data-min-font-px``, so a page test can tell how large
    that text is once the browser has scaled the image to the screen. A ``scroll`` chart (one too wide to shrink
    to a phone's width and stay readable) keeps its own size inside a box that scrolls sideways by itself.
    """

    def __init__(
        self,
        image: bytes,
        alt: str,
        caption: str,
        table: str = "",
        *,
        caption_html: str = "",
        min_font_px: float | None = None,
        scroll: bool = False,
        mime: str = "image/png",
    ) -> None:
        self.image, self.mime, self.alt, self.caption, self.table = image, mime, alt, caption, table
        self.caption_html = caption_html or html.escape(caption)
        self.min_font_px, self.scroll = min_font_px, scroll

    def _figure(self, cls: str) -> str:
        data = base64.b64encode(self.image).decode("ascii")
        details = f"<details><summary>The figures</summary>{self.table}</details>" if self.table else ""
        font = f' data-min-font-px="{self.min_font_px:.2f}"' if self.min_font_px is not None else ""
        img = f'<img src="data:{self.mime};base64,{data}"{font} alt="{html.escape(self.alt)}"/>'
        if self.scroll:
            # Focusable and named, so a keyboard can scroll it and a screen reader says what it holds.
            label = html.escape(f"{self.caption.split('.')[0]} (scrolls sideways)")
            img = f'<div class="kcc-scroll" role="region" tabindex="0" aria-label="{label}">{img}</div>'
            # Seen on a narrow screen only (report.css), where the box shows the row labels and nothing else at first.
            hint = "Scroll the chart sideways to see every column"
            hint += ", or open “The figures” below for the same data as a list." if self.table else "."
            img = f'<p class="kcc-scroll-hint">{hint}</p>' + img
        return f'<figure class="{cls}">{img}<figcaption>{self.caption_html}</figcaption>{details}</figure>'

    def _repr_html_(self) -> str:
        return self._figure("kcc-figure")


def png_bytes(fig: Figure, dpi: int | None = None) -> bytes:
    """The figure as PNG bytes, with no software tag or timestamp so identical data gives identical files.

    The image is reduced to a palette of 96 colours (no dithering): charts hold few colours, and a
    report of many charts stays well under its size limit. ``dpi`` (default the figure's own) becomes the
    figure's dpi.
    """
    buf = io.BytesIO()
    # The raw pixels, not a PNG: the image is encoded once, below, after quantising. At the figure's own
    # dpi, the canvas gives their size.
    fig.set_dpi(dpi or fig.dpi)
    fig.savefig(buf, format="raw", dpi=fig.dpi)
    size = fig.canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", size, buf.getbuffer(), "raw", "RGBA", 0, 1).convert("RGB")
    image = image.quantize(96, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def smallest_font_px(fig: Figure, dpi: float | None = None, *, drawn: bool = False) -> float:
    """The size of the figure's smallest visible text, in pixels of its image at ``dpi`` (default the figure's own).

    Every visible, non-empty text artist counts (titles, labels, tick labels, legend entries, annotations),
    measured after a draw (tick labels get their text when drawn): a font of ``pt`` points is ``pt * dpi / 72``
    pixels tall in the PNG. ``drawn`` says the figure has just been drawn (by :func:`png_bytes`), so it is not
    drawn again.

    Examples
    --------
    >>> fig = Figure(figsize=(2, 1), dpi=100)
    >>> ax = fig.subplots()
    >>> _ = ax.set_title("t", fontsize=12); _ = ax.tick_params(labelsize=9)
    >>> smallest_font_px(fig)
    12.5
    """
    from matplotlib.text import Text

    if not drawn:
        fig.draw_without_rendering()
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return min(sizes, default=0.0) * (dpi or fig.dpi) / 72


def figure_html(fig: Figure, *, alt: str, caption: str, dpi: int = 80, tight: bool = True) -> Chart:
    """A figure as a :class:`Chart`: an embedded PNG inside ``<figure>`` with alt text and a visible caption.

    Grids of many small charts set their spacing themselves (``tight=False``): measuring every
    label for a tight layout would double their drawing time.
    """
    if tight:
        fig.set_layout_engine("tight")
    return _chart(fig, dpi, alt, caption)


def _chart(fig: Figure, dpi: int, alt: str, caption: str, table: str = "", **kwargs) -> Chart:
    """The figure drawn once as a PNG, as a :class:`Chart` that records its smallest text."""
    png = png_bytes(fig, dpi)
    return Chart(png, alt, caption, table, min_font_px=smallest_font_px(fig, dpi, drawn=True), **kwargs)


def _svg_chart(panel: svg.Plot, alt: str, caption: str, table: str = "", **kwargs) -> Chart:
    """The panel as a :class:`Chart` (an SVG image) that records its smallest text, in CSS pixels at its own size."""
    return _drawing_chart(panel.drawing, alt, caption, table, image=panel.svg(), **kwargs)


def _drawing_chart(d: svg.Drawing, alt: str, caption: str, table: str = "", image: bytes = b"", **kwargs) -> Chart:
    """A drawing (or ``image``, its finished SVG) as a :class:`Chart` that records its smallest text, in CSS pixels."""
    smallest = min((label.size for label in d.labels), default=0.0) * d.dpi / 72
    return Chart(image or d.svg(), alt, caption, table, min_font_px=smallest, mime="image/svg+xml", **kwargs)


def _short(title: str, n: int = 48) -> str:
    """Shorten a title to ``n`` characters, keeping a distinguishing suffix such as " - FSM gap"."""
    if len(title) <= n:
        return title
    head, sep, tail = title.rpartition(" - ")
    if sep and len(tail) <= 20:
        return title[: n - len(tail) - 4].rstrip() + "… - " + tail
    return title[: n - 1].rstrip() + "…"


AXIS_UNITS = {
    "percent": "%",
    "pp": "percentage points",
    "days": "days",
    "caseload": "cases per worker (FTE)",
    "count": "number",
    "score": "points",
    "rate": "% of the cohort",
}


class ChartSet:
    """Several charts laid out as a grid that reflows: several across on a desktop, one on a phone, none split in print.

    Each chart is its own ``<figure>`` with alt text stating what it shows, a caption, and its data as a small
    table inside ``<details>``.
    """

    def __init__(self, charts: list[Chart], *, label: str, cls: str = "", note: str = "") -> None:
        self.charts, self.label, self.cls, self.note = charts, label, cls, note

    def _repr_html_(self) -> str:
        items = "".join(chart._figure("kcc-figure kcc-panel") for chart in self.charts)
        cls = " ".join(["kcc-chart-grid", self.cls]).strip()
        note = f'<p class="kcc-note">{html.escape(self.note)}</p>' if self.note else ""
        return f'<div class="{cls}" role="group" aria-label="{html.escape(self.label)}">{items}</div>{note}'


def _full_title(title: str, block: str, width: int = 38) -> str:
    """The whole title, with the team in brackets, wrapped to lines of ``width`` characters."""
    return textwrap.fill(title + (f" ({block})" if block else ""), width, break_on_hyphens=False)


def _small_table(caption: str, headers: list[str], rows: list[tuple]) -> str:
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers)
    cells = [[f'<td data-label="{html.escape(h)}">{html.escape(str(v))}</td>' for h, v in zip(headers, row)] for row in rows]
    body = "".join("<tr>" + "".join(row) + "</tr>" for row in cells)
    return f'<table class="kcc-table kcc-data"><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _rag_badge(rag: str) -> str:
    if rag not in RAG_FILL:
        return ""
    return f'<span class="kcc-badge" style="color:{RAG_TEXT[rag]};background:{RAG_FILL[rag]}">{rag}</span> '


def _trend_words(values: np.ndarray, labels: list[str], unit: str) -> str:
    """The trend in words: ``rose from 20.0% in Apr-24 to 23.0% in Oct-24``, ``fell from ...``."""
    first, last = values[0], values[-1]
    verb = "rose" if last > first else "fell" if last < first else "was the same,"
    return f"{verb} from {format_value(first, unit)} in {labels[0]} to {format_value(last, unit)} in {labels[-1]}"


def trend_panel(s: pd.DataFrame, row: pd.Series, block: str = "", *, dpi: int = 110) -> tuple[svg.Plot, str]:
    """One indicator's printed series with its target (dashed), floor (dotted) or target range (shaded), and a legend.

    ``s`` is the series (rows of one block and indicator, in period order, with a value); ``row`` is its
    assessed row and ``block`` its team, if any. Returns the panel, drawn as SVG (:mod:`.svg`) for an image at
    ``dpi``, and the chart's alt text, which states the trend.
    """
    unit = row.get(I.unit, "") or ""
    y = s[S.value].to_numpy(float)
    keys, refs, lines, band = [svg.Key("value", "line", _LINE, dot=True)], [], [], None
    for col, dash, label in ((A.target, svg.DASHED, "target"), (A.floor, svg.DOTTED, "floor")):
        if row[A.polarity] != "T" and pd.notna(row[col]):
            refs.append((row[col], dash))
            keys.append(svg.Key(label, "line", svg.INK, dash=dash))
            lines.append(f"{label} {format_value(row[col], unit)}")
    if row[A.polarity] == "T" and pd.notna(row[T.range_low]):
        band = (row[T.range_low], row[T.range_high])
        keys.append(svg.Key("target range", "band", _RANGE, opacity=0.15))
        lines.append(f"target range {format_value(band[0], unit)} to {format_value(band[1], unit)}")
    labels = list(s[S.period_label])
    ends = [(0, labels[0]), (len(y) - 1, labels[-1])] if len(y) > 1 else [(0, labels[0])]
    p = svg.plot(
        2.8 * 72,
        2.1 * 72,
        title=_full_title(row[S.title], block),
        xlim=(-0.4, max(len(y) - 0.6, 0.4)),
        ylim=svg.padded([*y, *(v for v, _ in refs), *(band or ())]),
        keys=keys,
        y_label=AXIS_UNITS.get(unit, ""),
        x_ticks=ends,
        dpi=dpi,
    )
    if band:
        p.band(*band, color=_RANGE, opacity=0.15)
    for value, dash in refs:
        p.hline(value, dash=dash)
    xs, ys = [p.x(i) for i in range(len(y))], [p.y(v) for v in y]
    p.drawing.polyline(xs, ys, color=_LINE, width=1.5)
    p.drawing.dots(xs, ys, r=1.5, color=_LINE)
    alt = f"Line chart: {row[S.title]}{f' ({block})' if block else ''} {_trend_words(y, labels, unit)}"
    alt += (", against a " + " and a ".join(lines) if lines else "") + "."
    return p, alt


def trend_grid(series: pd.DataFrame, assessed: pd.DataFrame, *, area: str, dpi: int = 110) -> HTML | ChartSet:
    """Small multiples: each indicator's printed series for one area, one chart each, in the indicator table's order.

    ``series`` is the long scorecard for the area (suppressed figures already removed);
    ``assessed`` gives each series' target, floor and rating. Series without any value, and series whose
    latest figure is withheld (an earlier point could reveal it), are left out. A figure printed under a later
    period than it covers (a repeat of the period before) is not drawn: each series ends at its assessed period.
    """
    a = assessed.set_index([A.block, A.indicator])
    if Suppression.suppressed in a:
        a = a[~a[Suppression.suppressed].astype(bool)]
    shown = up_to_assessed_period(series[series[S.value].notna()], assessed).sort_values(S.period)
    has_values = shown.groupby([S.block, S.indicator])[S.value].count()
    keys = [k for k in a.index if has_values.get(k, 0) > 0]
    note = _not_charted(series, a, [k for k in a.index if has_values.get(k, 0) == 0])
    if not keys:
        return HTML(
            "<p>No indicator has a series to chart.</p>" + (f'<p class="kcc-note">{html.escape(note)}</p>' if note else "")
        )
    groups = dict(list(shown.groupby([S.block, S.indicator], sort=False)))
    panels = []
    for key in keys:
        s, row = groups[key], a.loc[key]
        panel, alt = trend_panel(s, row, key[0], dpi=dpi)
        unit = row.get(I.unit, "") or ""
        table = _small_table(
            f"{row[S.title]}: {area}",
            ["Period", "Value"],
            [(p, format_value(v, unit)) for p, v in zip(s[S.period_label], s[S.value])],
        )
        name = row[S.title] + (f" ({key[0]})" if key[0] else "")
        caption = _rag_badge(row[A.rating]) + f'<span class="kcc-caption-title">{html.escape(name)}</span>'
        panels.append(_svg_chart(panel, alt, name, table, caption_html=caption))
    return ChartSet(panels, label=f"Trends for {area}", note=note)


def _not_charted(series: pd.DataFrame, shown: pd.DataFrame, keys: list) -> str:
    """Sentences naming the figures the page shows that get no chart, and why (a reader would look for them)."""
    rows = shown.loc[keys] if keys else shown.iloc[:0]
    rows = rows[rows[A.value].notna()] if A.value in rows else rows.iloc[:0]
    if rows.empty:
        return ""
    hidden = series[series[Suppression.suppressed].astype(bool)] if Suppression.suppressed in series else series.iloc[:0]
    withheld = rows.index.isin(list(zip(hidden[S.block], hidden[S.indicator])))
    names = pd.Series([t + (f" ({b})" if b else "") for (b, _), t in zip(rows.index, rows[S.title])])
    parts = [
        (withheld, "Not charted, because their earlier figures are withheld for small numbers (a chart would reveal them)"),
        (~withheld, "Not charted, because the scorecard prints no earlier figure"),
    ]
    return " ".join(f"{lead}: {'; '.join(names[hit])}." for hit, lead in parts if hit.any())


def funnel_panel(pts: pd.DataFrame, me: pd.DataFrame, *, area: str, title: str, dpi: int = 110) -> svg.Plot:
    """One funnel plot: the districts' values against their denominators, the county line and the 95% and 99.8% limits.

    ``pts`` holds every district's point and ``me`` the chosen area's (none on the county's page, where every
    district is drawn alike); ``title`` is already wrapped. Drawn as SVG (:mod:`.svg`) for an image at ``dpi``.
    """
    p0 = pts[A.county_value].iloc[0]
    n = np.linspace(max(pts[S.denominator].min() * 0.8, 1), pts[S.denominator].max() * 1.1, 120)
    limits = [(funnel_limits(p0, n, z), dash) for z, dash in ((Z_95, svg.DASHED), (Z_998, svg.DOTTED))]
    others = pts.drop(index=me.index)
    x, y = pts[S.denominator].to_numpy(float), pts[A.value].to_numpy(float)
    curves = np.concatenate([np.concatenate(pair) for pair, _ in limits])
    keys = [svg.Key("other districts" if len(me) else "districts", "dot", _GREY, edge=_GREY_EDGE)]
    if len(me):
        keys.insert(0, svg.Key(area, "diamond", _LINE, edge=svg.INK))
    keys += [
        svg.Key("95% limits", "line", _GREY_EDGE, dash=svg.DASHED),
        svg.Key("99.8% limits", "line", _GREY_EDGE, dash=svg.DOTTED),
    ]
    keys.append(svg.Key("county", "line", svg.INK))
    p = svg.plot(
        3.4 * 72,
        2.6 * 72,
        title=title,
        xlim=svg.padded([n[0], n[-1], *x]),
        # Room above and below the outermost point, so the area's diamond never sits on the frame.
        ylim=svg.padded([*curves, *y, p0], 0.12),
        keys=keys,
        y_label="%",
        x_label="size of the group counted (children or cases)",
        legend_columns=3,
        dpi=dpi,
    )
    xs = [p.x(v) for v in n]
    for (lo, hi), dash in limits:
        for curve in (lo, hi):
            p.drawing.polyline(xs, [p.y(v) for v in curve], color=_GREY_EDGE, width=1.0, dash=dash)
    p.hline(p0)
    p.drawing.dots(
        [p.x(v) for v in others[S.denominator]], [p.y(v) for v in others[A.value]], r=1.9, color=_GREY, edge=_GREY_EDGE
    )
    if len(me):
        p.drawing.dots(
            [p.x(v) for v in me[S.denominator]], [p.y(v) for v in me[A.value]], r=3.9, color=_LINE, edge=svg.INK, shape="diamond"
        )
    return p


_WHERE = {"": "no limits"}


def _outside(pts: pd.DataFrame) -> int:
    """How many districts lie outside the 95% limits (those outside the 99.8% limits included)."""
    return int(pts[A.funnel].str.startswith("outside").sum())


def _funnel_finding(pts: pd.DataFrame, me: pd.DataFrame, *, area: str, county: str) -> str:
    """What a funnel plot finds, in a few words for its caption: where the area lies, or how many districts lie
    outside the limits on the county's page."""
    if me.empty:
        return f"{_outside(pts)} of {len(pts)} districts outside the 95% limits around {county}"
    value, where = format_value(me[A.value].iloc[0], "percent"), _WHERE.get(me[A.funnel].iloc[0], me[A.funnel].iloc[0])
    return f"{area}: {value}, {where}"


def _funnel_alt(pts: pd.DataFrame, me: pd.DataFrame, *, area: str, county: str) -> str:
    """What a funnel plot shows, in words: the area against the county, or on the county's page how many districts lie
    outside the limits."""
    name, county_value = pts[S.title].iloc[0], format_value(pts[A.county_value].iloc[0], "percent")
    if me.empty:
        return f"Funnel plot of {name}: {len(pts)} districts against {county} {county_value}; {_outside(pts)} outside the 95% limits."
    return (
        f"Funnel plot of {name}: {area} at {format_value(me[A.value].iloc[0], 'percent')} against {county} {county_value}, "
        f"{_WHERE.get(me[A.funnel].iloc[0], me[A.funnel].iloc[0])}; {len(pts) - len(me)} other districts in grey."
    )


def funnel_grid(assessed: pd.DataFrame, *, area: str, county: str = "Kent", limit: int = 6, dpi: int = 110) -> HTML | ChartSet:
    """Funnel plots placing an area among the districts, for percentage indicators with counts.

    Each panel plots every district's value against its denominator, with the county value and
    the 95% and 99.8% control limits around it; the chosen area is drawn as a diamond. On the county's own
    page (``area`` is ``county``) the districts are drawn alike, one panel per indicator. The data table
    beside each lists the values and whether each lies inside the limits, not the denominators.
    """
    d = assessed[(assessed[A.area] != county) & assessed[A.ci_low].notna() & assessed[A.county_value].notna()]
    if Suppression.suppressed in d:
        d = d[~d[Suppression.suppressed].astype(bool)]
    if area == county:
        keys = [("", ind) for ind in dict.fromkeys(d[A.indicator])][:limit]
    else:
        mine = d[d[A.area] == area]
        keys = list(dict.fromkeys(zip(mine[A.block], mine[A.indicator])))[:limit]
    if not keys:
        return HTML(
            f"<p>No percentage indicator with published counts can be placed on a funnel plot for {html.escape(area)}.</p>"
        )
    panels = []
    for block, ind in keys:
        # Shared team blocks appear under two districts: keep one point per block, the chosen area's own.
        pts = d[d[A.indicator] == ind]
        pts = pts.sort_values(A.area, key=lambda a: a != area, kind="stable").drop_duplicates([A.block, A.value, S.denominator])
        me = pts[(pts[A.area] == area) & (pts[A.block] == block)]
        name = pts[S.title].iloc[0]
        title = _full_title(name, block, 54)
        panel = funnel_panel(pts, me, area=area, title=title, dpi=dpi)
        rows = [
            (r.area + (f" ({r.block})" if r.block else ""), format_value(r.value, "percent"), _WHERE.get(r.funnel, r.funnel))
            for r in pts.itertuples(index=False)
        ]
        table = _small_table(f"{name}: the districts", ["District", "Value", "Against the limits"], rows)
        alt = _funnel_alt(pts, me, area=area, county=county)
        line = title.replace("\n", " ")
        # The title is drawn in the image (the hidden copy is for screen readers); the words say what it finds.
        finding = _funnel_finding(pts, me, area=area, county=county)
        caption = f'<span class="kcc-caption-title">{html.escape(line)}</span>{html.escape(finding)}'
        panels.append(_svg_chart(panel, alt, line, table, caption_html=caption))
    # Wider columns than the trends': a funnel plot's legend stays at its own size (9 px and more) on a desktop.
    return ChartSet(panels, label=f"Funnel plots for {area}", cls="kcc-funnels")


def rag_grid(assessed: pd.DataFrame, *, county: str = "Kent", order: list[str] | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """The RAG each report shows (``rating``: as published where printed) of each indicator (rows, in the county
    report's order) in each area (columns), and the titles."""
    # Team blocks: one cell per area, the worst rating of its blocks.
    worst = {"RED": 0, "AMBER": 1, "GREEN": 2, MARKER: 3, "": 4}
    # Plain text: the withheld marker is not a rating.
    rags = assessed[A.rating].astype(object)
    if Suppression.suppressed in assessed:
        rags = rags.where(~assessed[Suppression.suppressed], MARKER)
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
    return grid[areas], titles


def short_title(title: str, width: int = 64) -> str:
    """A title cut to ``width`` characters in the middle, keeping its end: related indicators differ at the end.

    Examples
    --------
    >>> short_title("Percentage of pupils at KS2 achieving age-related expectations in Reading, writing & mathematics - FSM gap")
    'Percentage of pupils at KS2 achieving… & mathematics - FSM gap'
    >>> short_title("Average caseloads in the CIC Teams")
    'Average caseloads in the CIC Teams'
    """
    if len(title) <= width:
        return title
    head, tail = title[: width * 3 // 5], title[-(width * 2 // 5) :]
    return head[: head.rfind(" ")].rstrip(" ,-") + "… " + tail[tail.find(" ") + 1 :].lstrip()


def short_titles(titles: Sequence[str], width: int = 64) -> list[str]:
    """Each title cut by :func:`short_title`; where two would read alike, the words that tell them apart are kept.

    Examples
    --------
    >>> a = "Percentage of pupils who are persistently absent from primary schools - all pupils based on 10% threshold"
    >>> short_titles([a, a.replace("primary", "secondary")])
    ['Percentage of pupils… absent from primary schools… based on 10% threshold', 'Percentage of pupils… absent from secondary schools… based on 10% threshold']
    """
    cut = [short_title(t, width) for t in titles]
    short = list(cut)
    for i, title in enumerate(titles):
        alike = [titles[j] for j, other in enumerate(cut) if other == cut[i] and titles[j] != title]
        if alike:
            words = title.split()
            differ = min(next((n for n, (a, b) in enumerate(zip(words, o.split())) if a != b), len(words)) for o in alike)
            head, middle = " ".join(words[:3]), " ".join(words[max(3, differ - 2) : differ + 2])
            tail = " ".join(words[-4:]) if differ + 2 < len(words) - 4 else ""
            short[i] = f"{head}… {middle}" + (f"… {tail}" if tail else "")
    return short


_NOT_RATED = "#f3f2f1"
_CELL_W, _CELL_H, _HEAT_PT = 39.6, 21.6, 8.5  # a cell 0.55 by 0.3 inches; labels and letters 8.5 pt


def rag_heatmap_drawing(grid: pd.DataFrame, titles: pd.Series, *, dpi: int = 80) -> svg.Drawing:
    """The RAG grid (:func:`rag_grid`) drawn as SVG: coloured cells lettered R, A or G (c where withheld), each row
    labelled by its indicator's title (shortened where long, the full titles in the table beside the chart) and
    each column by its area, turned 45 degrees beneath the grid."""
    areas, rows = list(grid.columns), short_titles([titles[i] for i in grid.index])
    pad, edge, turn = 4.0, 3.0, 2**-0.5
    # A column's label runs down and to the left of its column's centre, at 45 degrees.
    reach = [(svg.text_width(a, _HEAT_PT) + 0.93 * _HEAT_PT) * turn for a in areas]
    left = edge + max(
        max(svg.text_width(r, _HEAT_PT) for r in rows) + pad, *(r - (j + 0.5) * _CELL_W for j, r in enumerate(reach))
    )
    top, bottom = edge, edge + len(rows) * _CELL_H
    d = svg.Drawing(left + len(areas) * _CELL_W + edge, bottom + pad + max(reach) + edge, dpi)
    for i, (label, values) in enumerate(zip(rows, grid.to_numpy())):
        y = top + i * _CELL_H
        d.text(left - pad, y + _CELL_H / 2 + 0.35 * _HEAT_PT, label, size=_HEAT_PT, role="row", anchor="end")
        for j, v in enumerate(values):
            x = left + j * _CELL_W
            # White gaps between the cells, as a grid's lines.
            d.rect(x + 0.5, y + 0.5, _CELL_W - 1, _CELL_H - 1, fill=RAG_FILL.get(v, _NOT_RATED))
            if v:
                centre = (x + _CELL_W / 2, y + _CELL_H / 2 + 0.35 * _HEAT_PT)
                d.text(*centre, v[0], size=_HEAT_PT, role="cell", anchor="middle", bold=True, color=RAG_TEXT.get(v, svg.INK))
    for j, area in enumerate(areas):
        d.text(left + (j + 0.5) * _CELL_W, bottom + pad, area, size=_HEAT_PT, role="column", anchor="end", angle=45)
    return d


def rag_heatmap(assessed: pd.DataFrame, *, county: str = "Kent", order: list[str] | None = None) -> HTML | Chart:
    """A grid of the RAG each report shows by indicator (rows) and area (columns), each cell coloured and lettered R, A or G."""
    grid, titles = rag_grid(assessed, county=county, order=order)
    drawing = rag_heatmap_drawing(grid, titles)
    areas = list(grid.columns)
    alt = (
        f"A grid of RAG ratings (as published where printed): {len(grid)} indicators down the side, {len(areas)} areas across the top. "
        "Each cell is red, amber or green and carries the letter R, A or G; grey cells are not rated, and a grey cell "
        "marked c is withheld (small numbers). Where a district has several team blocks the cell shows the worst of them."
    )
    chart = _drawing_chart(
        drawing,
        alt,
        "RAG by indicator and area, as the scorecard printed it (computed from the figures where it printed none). Letters R, A, G "
        "repeat the colour; a grey cell is not rated (no figure, or no target to rate it against); c marks a figure "
        "withheld for small numbers; a district with several teams shows its worst.",
    )
    rows = [(titles[i], *grid.loc[i]) for i in grid.index]
    chart.table = _small_table("RAG by indicator and area", ["Indicator", *areas], rows)
    # Shrunk to a phone's width its labels would be 3 px tall: it keeps its own size and scrolls sideways instead.
    chart.scroll = True
    return chart
