"""Display only: accessible HTML tables, inline trend sparklines, the RAG palette and report footers.

Everything here returns an ``IPython.display.HTML`` (or a string) built from
escaped text, so a title holding markup is shown, never run. Colour is never
the only carrier of meaning: each RAG cell also prints its word, each arrow
carries its meaning for screen readers.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import pandas as pd
from IPython.display import HTML

from .summary import rag_counts

# Text/background pairs with a contrast ratio of at least 4.5:1 (WCAG 2.2 AA).
RAG_STYLE = {
    "RED": ("#ffffff", "#b10e1e"),
    "AMBER": ("#000000", "#ffbf47"),
    "GREEN": ("#ffffff", "#00703c"),
}
DOT_WORDS = {"↑": "improved", "↓": "worsened", "↔": "no change"}
_UNIT_DECIMALS = {"percent": 1, "rate": 1, "days": 1, "caseload": 1, "count": 0}
_CSS = """
<style>
.kcc-table{border-collapse:collapse;font-family:Arial,Helvetica,sans-serif;font-size:0.9rem;width:100%;color:#0b0c0c;table-layout:auto !important}
.kcc-table caption{text-align:left;font-weight:bold;padding:0.4rem 0;color:#0b0c0c}
.kcc-table th,.kcc-table td{border:1px solid #b1b4b6;padding:0.3rem 0.45rem;vertical-align:top;text-align:left !important}
.kcc-table tbody th{font-weight:normal;max-width:28rem}
.kcc-table thead th{background:#f3f2f1;text-align:left}
.kcc-table th.kcc-group{background:#dee0e2;text-align:left}
.kcc-table td.num{text-align:right !important;white-space:nowrap}
.kcc-table .kcc-block{display:block;color:#505a5f;font-size:0.8rem}
.kcc-table td.kcc-rag{font-weight:bold;text-align:center !important;white-space:nowrap}
.kcc-headline{display:flex;gap:0.6rem;flex-wrap:wrap;margin:0.4rem 0}
.kcc-headline div{padding:0.5rem 0.8rem;border:1px solid #b1b4b6;min-width:6rem;font-family:Arial,Helvetica,sans-serif}
.kcc-headline strong{display:block;font-size:1.5rem}
.kcc-footer{font-family:Arial,Helvetica,sans-serif;font-size:0.85rem;color:#0b0c0c;border-top:1px solid #b1b4b6;margin-top:1rem;padding-top:0.5rem}
@media print{.kcc-table{font-size:9pt}.kcc-table tr{page-break-inside:avoid}}
</style>
"""


def _esc(text) -> str:
    return html.escape("" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text))


def format_value(value: float, unit: str) -> str:
    """A value as the reports print it: ``73.1%``, ``1,674``, ``368.6 days``, ``-0.12``; a dash when missing.

    Examples
    --------
    >>> format_value(73.1, "percent"), format_value(1674, "count"), format_value(float("nan"), "percent")
    ('73.1%', '1,674', '–')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "score":
        return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"
    text = f"{value:,.{_UNIT_DECIMALS.get(unit, 1)}f}"
    return {"percent": f"{text}%", "days": f"{text} days"}.get(unit, text)


def sparkline(values: Sequence[float], periods: Sequence[str], *, unit: str = "", title: str = "") -> str:
    """An inline SVG line of a short series, labelled for screen readers with its first and last values."""
    pts = [(i, v) for i, v in enumerate(values) if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not pts:
        return '<span aria-label="no trend data">–</span>'
    w, h, pad = 96, 24, 3
    lo, hi = min(v for _, v in pts), max(v for _, v in pts)
    span = (hi - lo) or 1.0
    n = max(len(values) - 1, 1)
    xy = [(pad + (w - 2 * pad) * i / n, h - pad - (h - 2 * pad) * (v - lo) / span) for i, v in pts]
    first, last = pts[0], pts[-1]
    label = (f"Trend of {title}: " if title else "Trend: ") + (
        f"{format_value(first[1], unit)} in {periods[first[0]]} to {format_value(last[1], unit)} in {periods[last[0]]}"
    )
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    dot = xy[-1]
    return (
        f'<svg width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{_esc(label)}">'
        f"<title>{_esc(label)}</title>"
        f'<polyline points="{path}" fill="none" stroke="#1d70b8" stroke-width="1.5"/>'
        f'<circle cx="{dot[0]:.1f}" cy="{dot[1]:.1f}" r="2.2" fill="#0b0c0c"/></svg>'
    )


def rag_cell(rag: str) -> str:
    """A table cell showing the RAG word on its colour; an empty rating says 'Not rated'."""
    if rag in RAG_STYLE:
        fg, bg = RAG_STYLE[rag]
        return f'<td class="kcc-rag" style="color:{fg};background:{bg}">{rag}</td>'
    return '<td class="kcc-rag">Not rated</td>'


def dot_cell(dot: str) -> str:
    """A table cell with the arrow and its meaning as text."""
    if dot in DOT_WORDS:
        return f"<td>{dot} <span>{DOT_WORDS[dot]}</span></td>"
    return "<td>–</td>"


def indicator_table(summary: pd.DataFrame, *, caption: str = "Indicators") -> HTML:
    """The indicator table of a report: grouped by service, with trend, target and published RAG.

    Parameters
    ----------
    summary : DataFrame
        The output of :func:`kccperf.indicator_summary`.
    caption : str
        The table caption (escaped).

    Returns
    -------
    IPython.display.HTML
        A self-contained table with header cells, a caption and inline SVG trends.
    """
    head = (
        '<thead><tr><th scope="col">Indicator</th><th scope="col">Latest period</th>'
        '<th scope="col">Value</th><th scope="col">Trend</th><th scope="col">Target</th>'
        '<th scope="col">Published RAG</th><th scope="col">Published direction</th></tr></thead>'
    )
    body = []
    for service, rows in summary.groupby("service", sort=False):
        body.append(f'<tr><th class="kcc-group" scope="colgroup" colspan="7">{_esc(service)}</th></tr>')
        for r in rows.itertuples(index=False):
            block = f'<span class="kcc-block">{_esc(r.block)}</span>' if r.block else ""
            body.append(
                "<tr>"
                f'<th scope="row">{_esc(r.title)}{block}</th>'
                f"<td>{_esc(r.latest_period)}</td>"
                f'<td class="num">{_esc(format_value(r.value, r.unit))}</td>'
                f"<td>{sparkline(r.trend, r.trend_periods, unit=r.unit, title=r.title)}</td>"
                f'<td class="num">{_esc(format_value(r.target, r.unit))}</td>'
                f"{rag_cell(r.rag_published)}{dot_cell(r.dot_published)}"
                "</tr>"
            )
    table = f'<table class="kcc-table"><caption>{_esc(caption)}</caption>{head}<tbody>{"".join(body)}</tbody></table>'
    return HTML(_CSS + table)


def rag_headline(summary: pd.DataFrame, column: str = "rag_published") -> HTML:
    """Headline tiles: how many indicators are RED, AMBER, GREEN and not rated."""
    tiles = []
    for r in rag_counts(summary, column).itertuples(index=False):
        style = ""
        if r.rag in RAG_STYLE:
            fg, bg = RAG_STYLE[r.rag]
            style = f' style="color:{fg};background:{bg}"'
        tiles.append(f"<div{style}><strong>{r.count}</strong>{_esc(r.rag)}</div>")
    return HTML(_CSS + f'<div class="kcc-headline" role="list" aria-label="RAG counts">{"".join(tiles)}</div>')


def data_table(frame: pd.DataFrame, *, caption: str, columns: dict[str, str] | None = None, max_rows: int | None = None) -> HTML:
    """Any small frame as an accessible, escaped HTML table (``columns`` maps column -> header text)."""
    cols = columns or {c: c for c in frame.columns}
    shown = frame if max_rows is None else frame.head(max_rows)
    head = "".join(f'<th scope="col">{_esc(h)}</th>' for h in cols.values())
    rows = []
    for rec in shown[list(cols)].itertuples(index=False):
        rows.append("<tr>" + "".join(f"<td>{_esc(v)}</td>" for v in rec) + "</tr>")
    if not rows:
        rows.append(f'<tr><td colspan="{len(cols)}">None.</td></tr>')
    return HTML(
        _CSS + f'<table class="kcc-table"><caption>{_esc(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def provenance_footer(info: dict[str, str], parameters: dict[str, object], version: str) -> HTML:
    """The report footer: source edition and publication date, kccperf version and run parameters."""
    params = ", ".join(f"{_esc(k)} = {_esc(v)}" for k, v in parameters.items())
    return HTML(
        _CSS + '<footer class="kcc-footer">'
        f"<p>Source: {_esc(info.get('title', ''))}, {_esc(info.get('edition_label', ''))}, published "
        f"{_esc(info.get('publication_date', ''))} by {_esc(info.get('producer', ''))}.</p>"
        f"<p>Produced with kccperf {_esc(version)}; parameters: {params}.</p></footer>"
    )


def report_heading(area: str, info: dict[str, str]) -> HTML:
    """The report's visible heading: the area and the scorecard edition."""
    return HTML(
        f"<h2>{_esc(area)}: {_esc(info.get('edition_label', ''))} scorecard</h2>"
        f"<p>Figures as published in the {_esc(info.get('title', 'scorecard'))} "
        f"(published {_esc(info.get('publication_date', ''))}).</p>"
    )
