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

from .._format import format_value
from .figures import Chart
from .figures import png_bytes as _png
from .summary import rag_counts
from .suppress import FOOTNOTE, MARKER

# Text/background pairs with a contrast ratio of at least 4.5:1 (WCAG 2.2 AA).
RAG_STYLE = {
    "RED": ("#ffffff", "#b10e1e"),
    "AMBER": ("#000000", "#ffbf47"),
    "GREEN": ("#ffffff", "#00703c"),
}
DOT_WORDS = {"↑": "improved", "↓": "worsened", "↔": "no change"}
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


WITHHELD_CELL = '<td class="kcc-rag">Withheld</td>'
NO_FIGURE_CELL = '<td class="kcc-rag">No figure</td>'
POLARITY_WORDS = {"H": "Higher is better", "L": "Lower is better", "T": "Closest to target is best"}
# Plain-English names for the reader's data-quality categories.
QUALITY_LABELS = {
    "wrong_code": "Code does not match the indicator",
    "missing_code": "No code printed",
    "reused_code": "One code on two indicators",
    "unknown_title": "Indicator title not recognised",
    "misaligned_header": "Column headings out of line with the figures",
    "missing_period_labels": "Period headings missing (inferred)",
    "garbled_period_label": "Unreadable period heading",
    "stale_header": "Heading names the wrong year",
    "unexpected_latest_period": "Latest period not the expected one",
    "merged_na": "Merged 'N/A' cells (figures re-aligned)",
    "misaligned_row": "Row missing a cell (re-aligned)",
    "missing_block_heading": "Team heading missing (assigned)",
    "unknown_block": "Team not recognised",
    "percent_over_100": "Percentage over 100",
    "value_mismatch": "Figure disagrees with its numerator and denominator",
    "conflicting_figures": "Same indicator printed with different figures",
    "area_mismatch": "Heading names another area",
    "polarity_mismatch": "Polarity differs from the catalogue",
    "period_type_mismatch": "Data period differs from the catalogue",
    "unknown_header": "Unrecognised column heading",
    "unexpected_text": "Unexpected text in a RAG or arrow cell",
}


def quality_table(log: pd.DataFrame, *, caption: str = "Data-quality log") -> HTML:
    """The reader's findings for directors: plain-English category, where (file name, row, column) and what."""
    shown = log.assign(
        category=log["category"].map(QUALITY_LABELS).fillna(log["category"]),
        file=log["source_file"].str.rsplit("/", n=1).str[-1],
    )
    return data_table(
        shown,
        caption=caption,
        columns={
            "category": "What",
            "block": "Team",
            "indicator": "Indicator",
            "message": "Detail",
            "file": "Table file",
            "row": "Row",
            "column": "Column",
        },
    )


def _cell_value(value, unit: str, suppressed: bool) -> str:
    return f'<abbr title="withheld: small numbers">{MARKER}</abbr>' if suppressed else _esc(format_value(value, unit))


def _versus(gap, judgement: str, sig: str, unit: str, suppressed: bool) -> str:
    if suppressed or gap is None or (isinstance(gap, float) and math.isnan(gap)):
        return "–"
    sign = "+" if gap > 0 else ""
    # A difference between two percentages is in percentage points.
    text = f"{sign}{gap:.1f} pp" if unit == "percent" else f"{sign}{format_value(gap, unit)}"
    words = judgement or ""
    if sig:
        words = sig
    return f"{_esc(text)} <span>{_esc(words)}</span>"


def headline_panel(assessed: pd.DataFrame) -> HTML:
    """Headline tiles: computed RAG counts and directions of travel, and the RAGs that changed since the previous period."""
    withheld = int(assessed["suppressed"].sum()) if "suppressed" in assessed else 0
    shown = assessed[~assessed["suppressed"]] if "suppressed" in assessed else assessed
    # Rows with no figure (not reported for this area) are counted apart from figures with no target.
    no_figure = int(shown["value"].isna().sum())
    shown = shown[shown["value"].notna()]
    rag = rag_counts(shown, "rag")
    tiles = []
    for r in rag.itertuples(index=False):
        style = ""
        if r.rag in RAG_STYLE:
            fg, bg = RAG_STYLE[r.rag]
            style = f' style="color:{fg};background:{bg}"'
        tiles.append(f'<div role="listitem"{style}><strong>{r.count}</strong>{_esc(r.rag)}</div>')
    dots = shown["dot"].value_counts().reindex(["improved", "worsened", "same", "not comparable"], fill_value=0)
    travel = "".join(f'<div role="listitem"><strong>{n}</strong>{_esc(k)}</div>' for k, n in dots.items())
    moved = shown[(shown["previous_rag"] != "") & (shown["rag"] != "") & (shown["previous_rag"] != shown["rag"])]
    items = "".join(
        f"<li>{_esc(r.title)}{' (' + _esc(r.block) + ')' if r.block else ''}: {_esc(r.previous_rag)} in "
        f"{_esc(r.dot_compared_label)} → {_esc(r.rag)} in {_esc(r.period_label)}</li>"
        for r in moved.itertuples(index=False)
    )
    changes = f"<ul>{items}</ul>" if items else "<p>No indicator changed its RAG rating since the previous period.</p>"
    apart = []
    if no_figure:
        apart.append(f"{no_figure} indicator(s) have no figure for this area (not reported at this level)")
    if withheld:
        apart.append(f"{withheld} figure(s) are withheld because they rest on small numbers")
    if apart:
        changes += f"<p>Not counted above: {'; '.join(apart)}.</p>"
    return HTML(
        _CSS
        + '<h3>RAG ratings (computed)</h3><div class="kcc-headline" role="list" aria-label="RAG counts">'
        + "".join(tiles)
        + '</div><h3>Direction of travel</h3><div class="kcc-headline" role="list" aria-label="Direction counts">'
        + travel
        + "</div><h3>What changed since the previous period</h3>"
        + changes
    )


def assessment_table(assessed: pd.DataFrame, series: pd.DataFrame, *, caption: str, county: str = "Kent") -> HTML:
    """The full indicator table: grouped by service, with value, trend, target, floor, RAG, direction and comparisons.

    ``series`` is the long scorecard for the same area (for the trend sparklines); suppressed figures
    (``suppressed`` True) show the marker ``c`` instead of the figure.
    """
    trend = (
        series.sort_values("period").groupby(["block", "indicator"], sort=False).agg(v=("value", list), p=("period_label", list))
    )
    # The county's own report has no county to compare with: leave that column out.
    vs_county = bool((assessed["area"] != county).any())
    county_head = f'<th scope="col">Against {_esc(county)}</th>' if vs_county else ""
    head = (
        '<thead><tr><th scope="col">Indicator</th><th scope="col">Period</th><th scope="col">Value</th>'
        '<th scope="col">Trend</th><th scope="col">Target</th><th scope="col">Floor</th><th scope="col">RAG</th>'
        f'<th scope="col">Direction</th>{county_head}<th scope="col">Against England</th></tr></thead>'
    )
    body = []
    for service, rows in assessed.groupby("service", sort=False):
        body.append(f'<tr><th class="kcc-group" scope="colgroup" colspan="{10 if vs_county else 9}">{_esc(service)}</th></tr>')
        for r in rows.itertuples(index=False):
            sup = bool(getattr(r, "suppressed", False))
            block = f'<span class="kcc-block">{_esc(POLARITY_WORDS.get(r.polarity, ""))}{"; " + _esc(r.block) if r.block else ""}</span>'
            t = trend.loc[(r.block, r.indicator)] if (r.block, r.indicator) in trend.index else None
            spark = "–" if sup or t is None else sparkline(t["v"], t["p"], unit=r.unit, title=r.title)
            if r.polarity == "T" and pd.notna(r.range_low):
                target = f"{format_value(r.range_low, r.unit)} to {format_value(r.range_high, r.unit)}"
                floor = "–" if pd.isna(r.floor) else f"within {format_value(r.floor, r.unit)}"
            else:
                target, floor = format_value(r.target, r.unit), format_value(r.floor, r.unit)
            floor += " (inferred)" if r.floor_source == "inferred" and floor != "–" else ""
            body.append(
                "<tr>"
                f'<th scope="row">{_esc(r.title)}{block}</th><td>{_esc(r.period_label)}</td>'
                f'<td class="num">{_cell_value(r.value, r.unit, sup)}</td><td>{spark}</td>'
                f'<td class="num">{_esc(target)}</td><td class="num">{_esc(floor)}</td>'
                f"{WITHHELD_CELL if sup else NO_FIGURE_CELL if pd.isna(r.value) else rag_cell(r.rag)}{dot_cell(r.dot_arrow)}"
                + (f"<td>{_versus(r.county_gap, r.vs_county, r.sig_vs_county, r.unit, sup)}</td>" if vs_county else "")
                + f"<td>{_versus(r.england_gap, r.vs_england, r.sig_vs_england, r.unit, sup)}</td>"
                + "</tr>"
            )
    table = f'<table class="kcc-table"><caption>{_esc(caption)}</caption>{head}<tbody>{"".join(body)}</tbody></table>'
    return HTML(_CSS + table)


def commentary_list(comments: pd.DataFrame, *, rags: tuple[str, ...] = ("RED", "AMBER")) -> HTML:
    """Commentary drafts as a list, RED first, then AMBER (escaped)."""
    order = {r: i for i, r in enumerate(rags)}
    picked = comments[comments["rag"].isin(rags)].assign(_o=lambda d: d["rag"].map(order)).sort_values("_o", kind="stable")
    if picked.empty:
        return HTML("<p>No indicator is rated " + " or ".join(rags) + ".</p>")
    items = "".join(f"<li><strong>{_esc(r.rag)}:</strong> {_esc(r.sentence)}</li>" for r in picked.itertuples(index=False))
    return HTML(_CSS + f'<ul class="kcc-commentary">{items}</ul>')


def suppression_note(threshold: int, withheld: int) -> HTML:
    """The footnote explaining the small-number marker."""
    if threshold == 0:
        return HTML("<p><strong>Not for circulation:</strong> small-number suppression is switched off in this run.</p>")
    return HTML(
        f'<p class="kcc-note">{_esc(FOOTNOTE.format(threshold=threshold))} {withheld} figure(s) withheld in this report.</p>'
    )


def headline_table(headline: pd.DataFrame) -> HTML:
    """The county's front-page figures, formatted by unit, with national averages where printed."""
    shown = headline.assign(
        value=[format_value(v, u) for v, u in zip(headline["value"], headline["unit"])],
        national_average=[format_value(v, "percent") for v in headline["national_average"]],
    )
    return data_table(
        shown,
        caption="Headline figures",
        columns={
            "section": "Section",
            "measure": "Measure",
            "value": "Value",
            "national_average": "National average",
            "as_at": "As at",
        },
    )


def vulnerable_table(gaps: pd.DataFrame) -> HTML:
    """Vulnerable learners' gaps and Progress 8, formatted by unit."""
    fmt = {
        c: [format_value(v, u) for v, u in zip(gaps[c], gaps["unit"])]
        for c in ("value", "dot_compared_value", "target", "england", "regional")
    }
    return data_table(
        gaps.assign(**fmt),
        caption="Vulnerable learners: gaps and Progress 8",
        columns={
            "title": "Indicator",
            "period_label": "Year",
            "value": "Value",
            "dot_compared_value": "Previous year",
            "dot": "Direction",
            "target": "Target",
            "rag": "RAG",
            "england": "England",
            "regional": "Benchmark group",
        },
    )


def league(table: pd.DataFrame) -> HTML:
    """The district league table."""
    return data_table(
        table,
        caption="District league table (districts sharing a team count its indicators in each)",
        columns={
            "area": "District",
            "RED": "RED",
            "AMBER": "AMBER",
            "GREEN": "GREEN",
            "rated": "Rated",
            "green share": "Share GREEN",
            "best quarter": "Best quarter",
            "worst quarter": "Worst quarter",
            "median rank": "Median rank",
        },
    )


def findings_table(findings: pd.DataFrame, *, caption: str = "Published against computed") -> HTML:
    """Reconciliation findings: what was published, what was computed, and the likely cause."""
    return data_table(
        findings,
        caption=caption,
        columns={
            "category": "Category",
            "area": "Area",
            "block": "Team",
            "indicator": "Indicator",
            "published": "Published",
            "computed": "Computed",
            "explanation": "Likely cause",
        },
    )


def checks_table(summary: pd.DataFrame) -> HTML:
    """Reconciliation checks by category: how many agree and disagree."""
    return data_table(
        summary,
        caption="Checks by category",
        columns={"category": "Category", "agree": "Agree", "disagree": "Disagree", "meaning": "Meaning"},
    )


# --- Budget risk views: charts (PNG with alt text and caption) and tables ---------------------------


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _money(value: float, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sign = "−" if value < 0 else ""
    return f"{sign}£{abs(value):,.1f}m" if unit == "£m" else f"{sign}£{abs(value):,.0f}k"


def risk_heatmap(scores: pd.DataFrame, *, title: str = "Budget risks: likelihood against exposure") -> Chart:
    """The risk heat map: likelihood (1-5) against exposure band, each cell labelled with its risks and score.

    ``scores`` is the output of :func:`kccperf.budget.risk_scores`. Shading follows the
    score, and every cell also prints the score and its risks, so colour is never the
    only carrier of meaning.
    """
    from ..budget import band_labels

    labels = band_labels()
    fig = _figure(11, 6.5)
    ax = fig.add_subplot()
    grid = [[0.0] * 5 for _ in range(5)]
    for lik in range(1, 6):
        for band in range(1, 6):
            grid[lik - 1][band - 1] = lik * band
    ax.imshow(grid, origin="lower", cmap="Greys", vmin=0, vmax=40, aspect="auto")
    for (lik, band), cell in scores.groupby(["likelihood", "band"]):
        if band == 1:
            text = f"{len(cell)} risks\n(no individual amount\nor under £10m)"
        else:
            text = "\n".join(f"{r.risk} {str(r.title)[:28]}" for r in cell.itertuples())
        ax.text(band - 1, lik - 1, f"score {lik * band}\n{text}", ha="center", va="center", fontsize=7, color="#0b0c0c")
    ax.set_xticks(range(5), [lbl.replace(" or ", "\nor ") for lbl in labels], fontsize=8)
    ax.set_yticks(range(5), [f"{i}" for i in range(1, 6)])
    ax.set_xlabel("Estimated exposure (annual, else lifetime), £m")
    ax.set_ylabel("Current likelihood (1 very unlikely to 5 very likely)")
    ax.set_title(title)
    top = scores.sort_values(["score", "exposure_m"], ascending=False).head(3)
    alt = (
        f"Heat map of {len(scores)} budget risks by likelihood and exposure band. Highest scores: "
        + "; ".join(f"{r.title} (likelihood {r.likelihood}, £{r.exposure_m:,.1f}m, score {r.score})" for r in top.itertuples())
        + "."
    )
    caption = f"{title}. Score = likelihood × exposure band (1-25). {alt}"
    return Chart(_png(fig), alt, caption)


def waterfall_chart(bridge: pd.DataFrame, *, title: str) -> Chart:
    """A revenue bridge (:func:`kccperf.budget.revenue_bridge`) as a waterfall chart.

    Start and end bars are solid, increases hatched ``//`` and decreases hatched ``..``,
    and each bar is labelled with its signed amount, so colour is never needed to read it.
    """
    unit = str(bridge["unit"].iloc[0]) if "unit" in bridge else "£000s"
    fig = _figure(11, 5.5)
    ax = fig.add_subplot()
    styles = {"start": ("#1d70b8", ""), "end": ("#1d70b8", ""), "up": ("#b10e1e", "//"), "down": ("#00703c", "..")}
    changes = bridge[bridge["kind"] == "change"]
    span = changes["amount"].abs().sum() or 1.0
    base_min = min(
        bridge["before"].where(bridge["kind"] == "change").min(), bridge["after"].where(bridge["kind"] == "change").min()
    )
    floor = 0.0 if bridge["kind"].eq("start").any() and bridge["amount"].iloc[0] == 0 else max(base_min - 0.15 * span, 0.0)
    for i, r in enumerate(bridge.itertuples(index=False)):
        kind = r.kind if r.kind != "change" else ("up" if r.amount >= 0 else "down")
        colour, hatch = styles[kind]
        bottom = floor if r.kind in ("start", "end") else min(r.before, r.after)
        height = (r.after - floor) if r.kind in ("start", "end") else abs(r.amount)
        ax.bar(i, height, bottom=bottom, color=colour, hatch=hatch, edgecolor="#0b0c0c", linewidth=0.6)
        sign = "" if r.kind in ("start", "end") else ("+" if r.amount >= 0 else "−")
        ax.text(
            i,
            max(r.before, r.after) if r.kind == "change" else r.after,
            f"{sign}{abs(r.amount):,.0f}",
            ha="center",
            va="bottom",
            fontsize=7,
        )
    ax.set_xticks(range(len(bridge)), [str(lbl)[:34] for lbl in bridge["label"]], rotation=55, ha="right", fontsize=7)
    ax.set_ylabel(f"{unit}")
    ax.set_ylim(bottom=floor)
    ax.set_title(title)
    first, last = bridge.iloc[0], bridge.iloc[-1]
    ups = changes[changes["amount"] > 0].nlargest(2, "amount")
    downs = changes[changes["amount"] < 0].nsmallest(2, "amount")
    alt = (
        f"Waterfall from {first['label']} {first['amount']:,.1f} to {last['label']} {last['amount']:,.1f} ({unit}). "
        f"Largest increases: {', '.join(f'{r.label} +{r.amount:,.1f}' for r in ups.itertuples()) or 'none'}. "
        f"Largest decreases: {', '.join(f'{r.label} {r.amount:,.1f}' for r in downs.itertuples()) or 'none'}."
    )
    return Chart(_png(fig), alt, f"{title}. Increases hatched //, decreases hatched dots. {alt}")


def capital_chart(profile: pd.DataFrame, *, title: str) -> Chart:
    """The capital profile (:func:`kccperf.budget.capital_profile`) as stacked bars by year, each group hatched."""
    wide = profile.pivot_table(index="year", columns="group", values="amount", aggfunc="sum", sort=False).fillna(0.0)
    fig = _figure(11, 5)
    ax = fig.add_subplot()
    hatches = ["", "//", "..", "xx", "\\\\", "++", "oo", "--"]
    colours = ["#1d70b8", "#f47738", "#00703c", "#912b88", "#b58840", "#5694ca", "#d4351c", "#505a5f"]
    bottom = pd.Series(0.0, index=wide.index)
    for i, group in enumerate(wide.columns):
        ax.bar(
            wide.index,
            wide[group] / 1000,
            bottom=bottom / 1000,
            label=str(group)[:45],
            color=colours[i % 8],
            hatch=hatches[i % 8],
            edgecolor="#0b0c0c",
            linewidth=0.5,
        )
        bottom = bottom + wide[group]
    for x, total in bottom.items():
        ax.text(x, total / 1000, f"{total / 1000:,.1f}", ha="center", va="bottom", fontsize=7)
    ax.set_ylabel("£m")
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    ax.legend(fontsize=7, loc="upper right")
    ax.set_title(title)
    alt = (
        f"Stacked bars of capital spend by year, {wide.index[0]} to {wide.index[-1]}, in {len(wide.columns)} groups "
        f"({', '.join(map(str, wide.columns))}). Totals by year in £m: "
        + ", ".join(f"{y} {v / 1000:,.1f}" for y, v in bottom.items())
        + "."
    )
    return Chart(_png(fig), alt, f"{title}. {alt}")


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
    ok = int((checks["status"] == "ok").sum())
    rnd = int((checks["status"] == "rounding").sum())
    bad = n - ok - rnd
    return HTML(
        _CSS + f'<p class="kcc-footer" style="border:0">{n} totals, cross-table figures and text claims recomputed: '
        f"<strong>{ok}</strong> add up exactly, <strong>{rnd}</strong> agree within rounding, "
        f"<strong>{bad}</strong> do not add up.</p>"
    )


def budget_heading(params: dict[str, str], info: dict[str, str] | None = None) -> HTML:
    """The budget report's visible heading: the directorate view, the budget year and the report it comes from."""
    who = "the whole council" if params.get("directorate") == "ALL" else params.get("directorate", "")
    if info is None:
        from ..budget import edition_info

        info = edition_info(params.get("year", ""))
    return HTML(
        f"<h2>Budget risk view {_esc(params.get('year', ''))}: {_esc(who)}</h2>"
        # publication_date already carries the committee in brackets, so it follows a comma, not another bracket.
        f"<p>Figures as printed in the {_esc(info.get('title', 'budget report'))}, published "
        f"{_esc(info.get('publication_date', ''))}, with every total recomputed.</p>"
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
    return money_table(
        frame.assign(directorate=frame["directorate"].replace("", "not printed")),
        caption="Largest estimated exposures",
        columns={
            "risk": "Ref",
            "directorate": "Directorate",
            "title": "Risk",
            "summary": "In short",
            "likelihood": "Likelihood (1-5)",
            "annual_exposure_m": "Annual exposure",
            "lifetime_exposure_m": "Lifetime exposure",
        },
        money={"annual_exposure_m": "£m", "lifetime_exposure_m": "£m"},
    )


def exposure_table(frame: pd.DataFrame) -> HTML:
    """Itemised exposure by directorate (:func:`kccperf.budget.exposure_by_directorate`), in £m."""
    return money_table(
        frame,
        caption="Itemised exposure by directorate (all risks)",
        columns={
            "directorate": "Directorate",
            "risks": "Risks",
            "annual_exposure_m": "Annual exposure",
            "lifetime_exposure_m": "Lifetime exposure",
        },
        money={"annual_exposure_m": "£m", "lifetime_exposure_m": "£m"},
    )


def exposure_share_table(frame: pd.DataFrame) -> HTML:
    """A directorate's share of the register's exposure (:func:`kccperf.budget.cype_exposure_share`)."""
    return money_table(
        frame.assign(basis=_words(frame["basis"])),
        caption="CYPE share of the register's exposure",
        columns={
            "basis": "Basis",
            "sole_m": "CYPE alone",
            "joint_m": "CYPE alone or jointly",
            "itemised_m": "All itemised risks",
            "stated_total_m": "Register total",
            "share_of_itemised": "Share of itemised",
            "share_of_stated_total": "Share of register total",
        },
        money={"sole_m": "£m", "joint_m": "£m", "itemised_m": "£m", "stated_total_m": "£m"},
        percent=["share_of_itemised", "share_of_stated_total"],
    )


def bridge_table(frame: pd.DataFrame) -> HTML:
    """The steps of a revenue bridge (:func:`kccperf.budget.revenue_bridge`), in the table's unit."""
    unit = str(frame["unit"].iloc[0]) if "unit" in frame and len(frame) else "£000s"
    return money_table(
        frame.assign(kind=_words(frame["kind"])),
        caption="Revenue bridge steps",
        columns={"label": "Step", "kind": "Kind", "amount": "Amount", "after": "Running total"},
        money={"amount": unit, "after": unit},
    )


def member_bridge_table(frame: pd.DataFrame, edition: dict) -> HTML:
    """The CYPE change for each Cabinet Member (:func:`kccperf.budget.revenue_bridge_by_member`).

    Members are named as the edition facts print them (``edition`` is
    :attr:`kccperf.budget.BudgetTables.edition`); a column they do not list keeps its key.
    """
    return money_table(
        frame.assign(column=_words(frame["column"], member_names(edition))),
        caption=f"CYPE {edition['edition_label']} change by Cabinet Member",
        columns={"column": "Cabinet Member", "label": "Step", "amount": "Amount", "after": "Running total"},
        money={"amount": "£000s", "after": "£000s"},
    )


def november_table(frame: pd.DataFrame) -> HTML:
    """Table 1 as a bridge from the November draft to the latest (:func:`kccperf.budget.november_bridge`), in £m."""
    return money_table(
        frame.assign(portfolio=_words(frame["portfolio"], _PORTFOLIOS), step=_words(frame["step"])),
        caption="From the November draft to the latest (Table 1)",
        columns={"portfolio": "Portfolio", "step": "Step", "amount": "Amount", "check": "Steps minus latest"},
        money={"amount": "£m", "check": "£m"},
    )


def unsecured_table(frame: pd.DataFrame) -> HTML:
    """How much CYPE capital relies on unsecured funding (:func:`kccperf.budget.unsecured_capital_share`)."""
    return money_table(
        frame.assign(basis=_words(frame["basis"])),
        caption="CYPE capital relying on unsecured funding",
        columns={"basis": "Basis", "unsecured": "Relies on unsecured funding", "total": "CYPE total", "share": "Share"},
        money={"unsecured": "£000s", "total": "£000s"},
        percent=["share"],
    )


def unresolved_table(frame: pd.DataFrame) -> HTML:
    """The unresolved balances of the indicative years (:func:`kccperf.budget.unresolved_balances`), in £000s."""
    return money_table(
        frame,
        caption="Unresolved balances of the indicative years",
        columns={
            "year": "Year",
            "label": "Balance",
            "total": "Amount",
            "net_budget": "Net budget",
            "share_of_net_budget": "Share of net budget",
        },
        money={"total": "£000s", "net_budget": "£000s"},
        percent=["share_of_net_budget"],
    )


def budget_checks_table(checks: pd.DataFrame) -> HTML:
    """The totals and claims of :func:`kccperf.budget.reconcile` that do not add up, not even within rounding."""
    from ..budget import mismatches

    bad = mismatches(checks)
    table = _words(bad["table"]).str.replace(r"^appendix_([a-z])$", lambda m: f"Appendix {m[1].upper()}", regex=True)
    shown = bad.assign(
        table=table.str.replace(r"^table(\d+)$", r"Table \1", regex=True),
        **{c: bad[c].map(_figure_text) for c in ("stated", "computed", "difference")},
    )
    return data_table(
        shown,
        caption="Totals and claims that do not add up",
        columns={
            "table": "Table",
            "label": "Row",
            "column": "Column",
            "stated": "Stated",
            "computed": "Computed",
            "difference": "Difference",
            "likely_cause": "Likely cause",
            "line": "Source line",
        },
    )


def cleaning_table(log: pd.DataFrame) -> HTML:
    """The page-number artefacts the reader removed (:attr:`kccperf.budget.BudgetTables.cleaning`)."""
    return data_table(
        log,
        caption="Cells cleaned by the reader",
        columns={
            "source_file": "File",
            "line": "Source line",
            "row": "Row",
            "column": "Column",
            "found": "Printed",
            "cleaned": "Kept",
            "message": "What was done",
        },
    )
