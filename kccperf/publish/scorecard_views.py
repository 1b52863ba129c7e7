"""The scorecard reports' HTML: headline tiles, the indicator and assessment tables, trends, findings and notes.

Everything returns an ``IPython.display.HTML`` (or a string) built from escaped text, so a title holding markup
is shown, never run. Colour is never the only carrier of meaning: each RAG cell also prints its word, each arrow
carries its meaning for screen readers, and a withheld figure shows the marker ``c``.

The tables come from the templates in ``templates/tables/`` (the assessment and indicator tables, and every
smaller table through :func:`data_table`). The sparkline, the headline tiles, the lists and the notes are not
tables and stay short f-strings.

May import: ``kccperf.publish`` (summaries, suppression, the shared HTML pieces) and the private helpers at the
top of the package.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from IPython.display import HTML
from markupsafe import Markup

from .._format import POLARITY_WORDS, counted, covers_text, format_gap, format_value, long_dates
from ..judge.ratings import MISSED, rating_changes
from ..schemas import (
    RAGS,
    Anomaly,
    Commentary,
    Finding,
    FindingSummary,
    Headline,
    IndicatorInfo,
    MainPoint,
    SharedTeam,
    Suppression,
)
from ..schemas import Assessed as A
from ..schemas import Indicator as I
from ..schemas import IndicatorSummary as IS
from ..schemas import LeagueTable as LT
from ..schemas import QualitySummary as QS
from ..schemas import RatingCheck as RC
from ..schemas import Scorecard as S
from ..schemas import Target as T
from ._html import STYLESHEET, data_table, escape, provenance_footer, render_table
from .figures import AXIS_UNITS
from .summary import rag_counts, up_to_assessed_period
from .suppress import FOOTNOTE, MARKER

__all__ = [
    "assessment_table",
    "checks_table",
    "commentary_list",
    "data_table",
    "findings_appendix",
    "findings_table",
    "headline_panel",
    "headline_table",
    "indicator_notes",
    "indicator_table",
    "finding_list",
    "league",
    "main_points_list",
    "provenance_footer",
    "quality_table",
    "rag_headline",
    "report_heading",
    "sparkline",
    "suppression_note",
    "vulnerable_table",
]

# Text/background pairs with a contrast ratio of at least 4.5:1 (WCAG 2.2 AA).
RAG_STYLE = {
    "RED": ("#ffffff", "#b10e1e"),
    "AMBER": ("#000000", "#ffbf47"),
    "GREEN": ("#ffffff", "#00703c"),
}
DOT_WORDS = {"↑": "improved", "↓": "worsened", "↔": "no change"}


def sparkline(values: Sequence[float], periods: Sequence[str], *, unit: str = "", title: str = "") -> Markup:
    """An inline SVG line of a short series, labelled for screen readers with its first and last values."""
    # Hand-written: the SVG is geometry computed from the figures; a template would only hold the four tags.
    pts = [(i, v) for i, v in enumerate(values) if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not pts:
        return Markup('<span aria-label="no trend data">–</span>')
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
    return Markup(
        f'<svg width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>"
        f'<polyline points="{path}" fill="none" stroke="#1d70b8" stroke-width="1.5"/>'
        f'<circle cx="{dot[0]:.1f}" cy="{dot[1]:.1f}" r="2.2" fill="#0b0c0c"/></svg>'
    )


def _by_service(rows: list[dict], services: pd.Series) -> list[tuple[str, list[dict]]]:
    """Rows grouped by service, services in order of first appearance (Jinja's groupby would sort them)."""
    groups: dict[str, list[dict]] = {}
    for row, service in zip(rows, services):
        groups.setdefault(service, []).append(row)
    return list(groups.items())


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
    rows = [
        {
            "title": r.title,
            "block": r.block,
            "period": r.latest_period,
            "value": format_value(r.value, r.unit),
            "trend": sparkline(r.trend, r.trend_periods, unit=r.unit, title=r.title),
            "target": format_value(r.target, r.unit),
            "rating": r.rag_published,
            "arrow": r.dot_published,
        }
        for r in summary.itertuples(index=False)
    ]
    table = render_table(
        "indicator_table.html.j2",
        caption=caption,
        services=_by_service(rows, summary[I.service]),
        colours=RAG_STYLE,
        meanings=DOT_WORDS,
    )
    return HTML(STYLESHEET + table)


def rag_headline(summary: pd.DataFrame, column: str = IS.rag_published) -> HTML:
    """Headline tiles: how many indicators are RED, AMBER, GREEN and not rated."""
    tiles = []
    for r in rag_counts(summary, column).itertuples(index=False):
        style = ""
        if r.rag in RAG_STYLE:
            fg, bg = RAG_STYLE[r.rag]
            style = f' style="color:{fg};background:{bg}"'
        tiles.append(f"<div{style}><strong>{r.count}</strong>{escape(r.rag)}</div>")
    return HTML(STYLESHEET + f'<div class="kcc-headline" role="list" aria-label="RAG counts">{"".join(tiles)}</div>')


def report_heading(area: str, info: dict[str, str]) -> HTML:
    """The report's visible heading: the area and the scorecard edition."""
    return HTML(
        f"<h2>{escape(area)}: {escape(info.get('edition_label', ''))} scorecard</h2>"
        f"<p>Figures as published in the {escape(info.get('title', 'scorecard'))} "
        f"(published {escape(long_dates(info.get('publication_date', '')))}).</p>"
    )


# Plain-English names for the reader's data-quality categories.
QUALITY_LABELS = {
    "wrong_code": "Code does not match the indicator",
    "edition_date": "Publication date impossible for the month reported",
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
    "revised_figure": "Figure revised since an earlier edition",
}


def quality_table(log: pd.DataFrame, view: pd.DataFrame, *, caption: str = "What the reader found") -> HTML:
    """The reader's findings for directors: one row per kind of finding, in plain words, with the indicators it
    touched by their titles and how many places it was found.

    Internal indicator ids, category ids and the table files, rows and columns are for analysts: they are in the
    log itself (:func:`kccperf.load_quality_log`, ``kccperf validate``), never on a director's page.

    Parameters
    ----------
    log : DataFrame
        :func:`kccperf.load_quality_log` for the area.
    view : DataFrame
        The area's assessed rows (:func:`kccperf.area_view`): their titles name the indicators.
    """
    titles = view.drop_duplicates(A.indicator).set_index(A.indicator)[S.title]
    named = log[Anomaly.indicator].map(titles)
    team = log[Anomaly.block].fillna("")
    # An indicator by its title (and team); a finding about a team's heading by the team.
    name = (named.fillna("") + team.map(lambda b: f" ({b})" if b else "")).where(named.notna(), team)
    what = log[Anomaly.category].map(QUALITY_LABELS).fillna("Other finding")
    by_kind = name.groupby(what, sort=False)
    places = by_kind.agg(lambda n: "; ".join(dict.fromkeys(x for x in n if x)) or "the table layout")
    grouped = pd.DataFrame({QS.what: places.index, QS.where: places.to_numpy(), QS.found: by_kind.size().to_numpy()})
    table = data_table(
        grouped, caption=caption, columns={QS.what: "What", QS.where: "Indicators affected", QS.found: "Places found"}
    )
    return HTML(f'<div class="kcc-quality">{table.data}</div>')


def _versus(
    gap, judgement: str, sig: str, unit: str, suppressed: bool, context: str = "", polarity: str = ""
) -> tuple[str, str, str] | None:
    """The signed gap to a comparator, its judgement (significance where known) and the comparator's own figure
    and period (``context``), or None if there is none. For a closest-to-target indicator (polarity T) the judgement
    says why: a lower figure can be better against one comparator and worse against another."""
    if suppressed or gap is None or (isinstance(gap, float) and math.isnan(gap)):
        return None
    words = sig or judgement or ""
    if polarity == "T":
        words = words.replace("better", "better: nearer the target").replace("worse", "worse: further from the target")
    return format_gap(gap, unit), words, context


def _england_context(r) -> str:
    """England's figure with the period it covers, e.g. "England 2023-24: 22.4%" (the label as printed)."""
    label = getattr(r, S.england_label, "") or "England"
    return f"{label}: {format_value(r.england, r.unit)}"


def _target_and_floor(r) -> tuple[str, str]:
    """The target and floor as printed; a closest-to-target indicator has a range and a distance from it."""
    if r.polarity == "T" and pd.notna(r.range_low):
        target = f"{format_value(r.range_low, r.unit)} to {format_value(r.range_high, r.unit)}"
        floor = "–" if pd.isna(r.floor) else f"within {format_value(r.floor, r.unit)}"
    else:
        target, floor = format_value(r.target, r.unit), format_value(r.floor, r.unit)
    floor += " (inferred)" if r.floor_source == "inferred" and floor != "–" else ""
    return target, floor


def _titled(r) -> str:
    """A row's title with its team where it has one, escaped."""
    return escape(r.title) + (f" ({escape(r.block)})" if r.block else "")


# What a rating's check found, short enough for the RAG cell; the cell's title attribute holds the full reason.
CHECK_CELL_WORDS = {"agrees": "confirmed", "cannot be checked": "floor not published", "disagrees": "figures disagree"}


def check_words(check: str, reason: str) -> str:
    """The few words a RAG cell gives its check: why a rating cannot be checked, when it is for want of a target.

    Examples
    --------
    >>> check_words("cannot be checked", "no target is published, so the rating cannot be checked")
    'no target published'
    >>> check_words("cannot be checked", "floor not published: the value 42 misses the target 51"), check_words("", "")
    ('floor not published', '')
    """
    if check == "cannot be checked" and str(reason).startswith("no target range"):
        return "no target range published"
    if check == "cannot be checked" and str(reason).startswith("no target"):
        return "no target published"
    return CHECK_CELL_WORDS.get(check, "")


def _check_summary(shown: pd.DataFrame) -> str:
    """One paragraph: how many printed ratings the figures confirm, cannot check or contradict (named)."""
    if RC.rating_check not in shown or not (shown[RC.rating_check] != "").any():
        return ""
    found = shown[RC.rating_check].value_counts()
    # Each phrase reads after its count.
    phrases = {
        "agrees": "{} confirmed by the figures",
        "cannot be checked": "{} cannot be checked because no floor standard is published",
        "disagrees": "{} contradicted by the figures",
    }
    parts = [phrases[k].format(int(found.get(k, 0))) for k in phrases if found.get(k, 0)]
    wrong = shown[shown[RC.rating_check] == "disagrees"]
    items = "".join(f"<li>{_titled(r)}: {escape(r.rating_check_reason)}</li>" for r in wrong.itertuples(index=False))
    computed = int((shown[A.rating_basis] == "computed").sum())
    extra = (
        f" {counted(computed, 'rating not printed by the scorecard is', 'ratings not printed by the scorecard are')}"
        " computed from the figures."
        if computed
        else ""
    )
    return f'<p class="kcc-checks">Ratings as published, checked against the printed figures: {"; ".join(parts)}.{extra}</p>' + (
        f"<ul>{items}</ul>" if items else ""
    )


def headline_panel(assessed: pd.DataFrame) -> HTML:
    """Headline tiles: the ratings (as published where printed, each checked), directions of travel, and the
    ratings computed from the figures that changed since the previous period."""
    withheld = int(assessed[Suppression.suppressed].sum()) if Suppression.suppressed in assessed else 0
    shown = assessed[~assessed[Suppression.suppressed]] if Suppression.suppressed in assessed else assessed
    # Rows with no figure (not reported for this area) are counted apart from figures with no target.
    no_figure = int(shown[A.value].isna().sum())
    shown = shown[shown[A.value].notna()]
    rag = rag_counts(shown, A.rating)
    tiles = []
    for r in rag.itertuples(index=False):
        style = ""
        if r.rag in RAG_STYLE:
            fg, bg = RAG_STYLE[r.rag]
            style = f' style="color:{fg};background:{bg}"'
        tiles.append(f'<div role="listitem"{style}><strong>{r.count}</strong>{escape(r.rag)}</div>')
    dots = shown[A.direction].value_counts().reindex(["improved", "worsened", "same", "not comparable"], fill_value=0)
    travel = "".join(f'<div role="listitem"><strong>{n}</strong>{escape(k)}</div>' for k, n in dots.items())
    moved = rating_changes(shown)
    items = "".join(
        f"<li>{_titled(r)}: {escape(r.standing_before)} in "
        f"{escape(r.dot_compared_label)} → {escape(r.standing_now)} in {escape(r.period_label)}</li>"
        for r in moved.itertuples(index=False)
    )
    changes = (
        "<p>Computed from the figures for both periods against the same target and floor. "
        f"“{MISSED.capitalize()}” means the figure missed its target and no floor is published to tell AMBER from RED.</p>"
        + f"<ul>{items}</ul>"
        if items
        else "<p>No rating computed from the figures changed since the previous period.</p>"
    )
    changes += _shared_note(shown)
    apart = []
    if no_figure:
        apart.append(
            f"{counted(no_figure, 'indicator has', 'indicators have')} no figure for this area (not reported at this level)"
        )
    if withheld:
        apart.append(
            counted(withheld, "figure is withheld because it rests", "figures are withheld because they rest")
            + " on small numbers"
        )
    if apart:
        changes += f"<p>Not counted above: {'; '.join(apart)}.</p>"
    basis = "as published" if (shown[A.rating_basis] == "published").any() else "computed"
    return HTML(
        STYLESHEET
        + f'<h3>RAG ratings ({basis})</h3><div class="kcc-headline" role="list" aria-label="RAG counts">'
        + "".join(tiles)
        + "</div>"
        + _check_summary(shown)
        + '<h3>Direction of travel</h3><div class="kcc-headline" role="list" aria-label="Direction counts">'
        + travel
        + "</div><h3>What changed since the previous period</h3>"
        + changes
    )


def _shared_note(shown: pd.DataFrame) -> str:
    """One sentence per district this area shares teams with: which teams, and how many of the ratings are theirs."""
    if SharedTeam.shared_with not in shown:
        return ""
    shared = shown[(shown[SharedTeam.shared_with] != "") & (shown[A.rating] != "")]
    notes = [
        f"{len(rows)} of the ratings above are for teams shared with {escape(other)} "
        f"({'; '.join(escape(b) for b in rows[S.block].unique())}): {escape(other)}'s page shows and counts them too, "
        "and the county's league table counts them once."
        for other, rows in shared.groupby(SharedTeam.shared_with, sort=False)
    ]
    return "".join(f'<p class="kcc-shared">{n}</p>' for n in notes)


def _comparison(r, county: str, withheld: bool) -> tuple | None:
    """The second comparison column: a district against the county, the county against its benchmark group."""
    if r.area == county:
        label = getattr(r, S.regional_label, "") or "Benchmark group"
        context = f"{label}: {format_value(r.regional, r.unit)}"
        return _versus(r.regional_gap, r.vs_regional, "", r.unit, withheld, context, r.polarity)
    context = f"{county}: {format_value(r.county_value, r.unit)}"
    share = getattr(r, A.county_share, float("nan"))
    if r.unit == "count" and not withheld and pd.notna(share):
        # A district's count against the county's total is a share of it, not a gap.
        return f"{share:.1f}%", f"of {county}'s total", context
    return _versus(r.county_gap, r.vs_county, r.sig_vs_county, r.unit, withheld, context, r.polarity)


def _assessment_row(r, trend: pd.Series | None, covers: str, printed: str, county: str) -> tuple[dict, str]:
    """One row of the indicator table, as its template shows it, and its floor's text. ``printed`` is the period the
    figure was printed under: a figure moved to the earlier period it repeats is rated against that period's target,
    which says so."""
    withheld = bool(getattr(r, Suppression.suppressed, False))
    target, floor = _target_and_floor(r)
    if printed != r.period_label and target != "–":
        # The scorecard printed the next year's target beside it: a reader comparing the two needs the year.
        target += f" for {r.target_year}"
    return {
        "title": r.title,
        "polarity": POLARITY_WORDS.get(r.polarity, ""),
        "block": r.block + (f", a team shared with {r.shared_with}" if getattr(r, SharedTeam.shared_with, "") else ""),
        "period": r.period_label,
        "covers": covers_text(covers, printed, r.period_label),
        "value": format_value(r.value, r.unit),
        "withheld": withheld,
        "trend": "–" if withheld or trend is None else sparkline(trend["values"], trend["periods"], unit=r.unit, title=r.title),
        "target": target,
        "floor": floor,
        "rating": "Withheld" if withheld else r.rating,
        "check": "" if withheld else check_words(r.rating_check, r.rating_check_reason),
        "check_reason": "" if withheld else r.rating_check_reason,
        "arrow": r.dot_arrow,
        "versus": [
            _comparison(r, county, withheld),
            _versus(r.england_gap, r.vs_england, r.sig_vs_england, r.unit, withheld, _england_context(r), r.polarity),
        ],
    }, floor


def assessment_table(
    assessed: pd.DataFrame, series: pd.DataFrame, *, caption: str, county: str = "Kent", info: pd.DataFrame | None = None
) -> HTML:
    """The full indicator table: grouped by service, with value, trend, target, floor, RAG, direction and comparisons.

    ``series`` is the long scorecard for the same area (for the trend sparklines); suppressed figures
    (``suppressed`` True) show the marker ``c`` instead of the figure. A district is compared with the county
    and England, the county with its comparison (benchmark) group and England; each comparison cell names the
    comparator's figure and the period it covers. Rows with no figure are folded into one line per service.
    With ``info`` (:func:`kccperf.load_indicator_info`) the period cell also says what the latest figure covers
    and each indicator links to its caveats, numbered as :func:`indicator_notes` numbers them.
    """
    covers = info.set_index(IndicatorInfo.indicator)[IndicatorInfo.covers] if info is not None else pd.Series(dtype=str)
    numbers = _caveat_numbers(assessed, info)[1] if info is not None else {}
    trend = (
        up_to_assessed_period(series, assessed)
        .sort_values(S.period)
        .groupby([S.block, S.indicator], sort=False)
        .agg(values=(S.value, list), periods=(S.period_label, list))
    )
    # Where each figure was printed: a figure moved to the earlier period it repeats is shown there, and its
    # sources-page note (which dates the printed column) says so rather than contradict the period cell.
    latest = series[series[S.is_latest]] if S.is_latest in series else series.iloc[0:0]
    printed = latest.drop_duplicates([S.block, S.indicator]).set_index([S.block, S.indicator])[S.period_label]
    rows, floors = [], set()
    withheld_rows = assessed[Suppression.suppressed] if Suppression.suppressed in assessed else pd.Series(False, assessed.index)
    has_figure = assessed[A.value].notna() | withheld_rows.astype(bool)
    for r in assessed[has_figure].itertuples(index=False):
        t = trend.loc[(r.block, r.indicator)] if (r.block, r.indicator) in trend.index else None
        row, floor = _assessment_row(
            r, t, covers.get(r.indicator, ""), printed.get((r.block, r.indicator), r.period_label), county
        )
        rows.append(row | {"notes": numbers.get(r.indicator, [])})
        floors.add(floor)
    missing = assessed[~has_figure]
    names = missing[S.title] + missing[S.block].map(lambda b: f" ({b})" if b else "")
    folded = names.groupby(missing[I.service], sort=False).agg(list)
    grouped = _by_service(rows, assessed.loc[has_figure, I.service])
    services = [(service, group, folded.get(service, [])) for service, group in grouped]
    services += [(service, [], titles) for service, titles in folded.items() if service not in dict(grouped)]
    is_county = bool((assessed[A.area] == county).all())
    table = render_table(
        "assessment_table.html.j2",
        caption=caption,
        # A column of dashes on every row says nothing (the district pages: floors are published for none of theirs).
        show_floor=bool(floors - {"–"}),
        comparators=["Against benchmark group" if is_county else f"Against {county}", "Against England"],
        services=services,
        missing_label=f"No figure for {county}" if is_county else "Not reported for districts",
        colours=RAG_STYLE,
        meanings=DOT_WORDS,
        marker=MARKER,
    )
    return HTML(STYLESHEET + table)


def _caveat_numbers(view: pd.DataFrame, info: pd.DataFrame) -> tuple[list[str], dict[str, list[int]]]:
    """The distinct caveats of the indicators in ``view`` (in the view's order) and each indicator's note numbers."""
    lines = info.set_index(IndicatorInfo.indicator)[IndicatorInfo.caveats].str.split("\n")
    notes: list[str] = []
    numbers: dict[str, list[int]] = {}
    for ind in dict.fromkeys(view[A.indicator]):
        for note in (n.strip() for n in lines.get(ind, [])):
            if note:
                if note not in notes:
                    notes.append(note)
                numbers.setdefault(ind, []).append(notes.index(note) + 1)
    return notes, numbers


def indicator_notes(view: pd.DataFrame, info: pd.DataFrame) -> HTML:
    """What each indicator of a report measures: what its latest figure covers, its source and release date and its
    definition (one ``<details>`` each), then the scorecard's caveats as numbered notes.

    ``info`` is :func:`kccperf.load_indicator_info`; the note numbers match the marks in :func:`assessment_table`.
    """
    by_id = info.set_index(IndicatorInfo.indicator)
    notes, numbers = _caveat_numbers(view, info)
    items = []
    for ind, title in dict(zip(view[A.indicator], view[S.title])).items():
        if ind not in by_id.index:
            continue
        r = by_id.loc[ind]
        released = "" if pd.isna(r[IndicatorInfo.release_date]) else f", released {r[IndicatorInfo.release_date]:%d %B %Y}"
        covers = r[IndicatorInfo.covers] or "not stated on the scorecard's data-sources page"
        marks = "".join(f' <a href="#kcc-note-{n}">note {n}</a>' for n in numbers.get(ind, []))
        items.append(
            f"<details><summary>{escape(title)}</summary><dl>"
            f"<dt>Latest figure</dt><dd>{escape(covers)}</dd>"
            f"<dt>Source</dt><dd>{escape(r[IndicatorInfo.source] or 'not stated')}{escape(released)}</dd>"
            f"<dt>Definition</dt><dd>{escape(r[IndicatorInfo.definition] or 'not printed in the scorecard')}</dd>"
            + (f"<dt>Notes</dt><dd>{marks}</dd>" if marks else "")
            + "</dl></details>"
        )
    listed = "".join(f'<li id="kcc-note-{i}">{escape(n)}</li>' for i, n in enumerate(notes, 1))
    return HTML(
        STYLESHEET
        + f'<div class="kcc-glossary">{"".join(items)}</div>'
        + (f'<h3>Notes</h3><ol class="kcc-notes">{listed}</ol>' if notes else "")
    )


def main_points_list(points: pd.DataFrame) -> HTML:
    """The main points (:func:`kccperf.main_points`) as a short list (escaped)."""
    items = "".join(f"<li>{escape(s)}</li>" for s in points[MainPoint.sentence])
    return HTML(STYLESHEET + f'<ul class="kcc-main-points">{items}</ul>')


def commentary_list(comments: pd.DataFrame, *, rags: tuple[str, ...] = ("RED", "AMBER")) -> HTML:
    """Commentary drafts as a list, RED first, then AMBER (escaped)."""
    order = {r: i for i, r in enumerate(rags)}
    picked = comments[comments[Commentary.rag].isin(rags)]
    picked = picked.sort_values(Commentary.rag, key=lambda rag: rag.map(order), kind="stable")
    if picked.empty:
        return HTML("<p>No indicator is rated " + " or ".join(rags) + ".</p>")
    items = "".join(f"<li><strong>{escape(r.rag)}:</strong> {escape(r.sentence)}</li>" for r in picked.itertuples(index=False))
    return HTML(STYLESHEET + f'<ul class="kcc-commentary">{items}</ul>')


def suppression_note(threshold: int, withheld: int) -> HTML:
    """The footnote explaining the small-number marker."""
    if threshold == 0:
        return HTML("<p><strong>Not for circulation:</strong> small-number suppression is switched off in this run.</p>")
    return HTML(
        f'<p class="kcc-note">{escape(FOOTNOTE.format(threshold=threshold))} {counted(withheld, "figure", "figures")} withheld in this report.</p>'
    )


def headline_table(headline: pd.DataFrame) -> HTML:
    """The county's front-page figures, formatted by unit, with national averages where printed."""
    shown = headline.assign(
        **{
            Headline.value: [format_value(v, u) for v, u in zip(headline[Headline.value], headline[Headline.unit])],
            Headline.national_average: [format_value(v, "percent") for v in headline[Headline.national_average]],
        }
    )
    return data_table(
        shown,
        caption="Headline figures",
        columns={
            Headline.section: "Section",
            Headline.measure: "Measure",
            Headline.value: "Value",
            Headline.national_average: "National average",
            Headline.as_at: "As at",
        },
    )


def vulnerable_table(gaps: pd.DataFrame) -> HTML:
    """Vulnerable learners' gaps and Progress 8, formatted by unit."""
    fmt = {
        c: [format_value(v, u) for v, u in zip(gaps[c], gaps[I.unit])]
        for c in (S.value, A.dot_compared_value, T.target, S.england, S.regional)
    }
    if A.rating in gaps:  # the printed rating and whether the figures confirm it, as in the indicator tables
        words = [check_words(c, why) for c, why in zip(gaps[RC.rating_check].fillna(""), gaps[RC.rating_check_reason].fillna(""))]
        checks = pd.Series([f" ({w})" if w else "" for w in words], index=gaps.index)
        fmt[A.rating] = gaps[A.rating].astype(object).fillna("").astype(str) + checks
    rating = A.rating if A.rating in gaps else A.rag
    # A gap is in percentage points or Attainment 8 points, Progress 8 in points: the unit beside the figures.
    fmt[I.unit] = gaps[I.unit].map(AXIS_UNITS).fillna(gaps[I.unit])
    return data_table(
        gaps.assign(**fmt),
        caption="Vulnerable learners: gaps and Progress 8",
        columns={
            S.title: "Indicator",
            S.period_label: "Year",
            S.value: "Value",
            I.unit: "Unit",
            A.dot_compared_value: "Previous year",
            A.direction: "Direction",
            T.target: "Target",
            rating: "RAG",
            S.england: "England",
            S.regional: "Benchmark group",
        },
    )


def league(table: pd.DataFrame) -> HTML:
    """The district league table."""
    shares = table[LT.green_share].map(lambda v: "–" if pd.isna(v) else f"{v:.0f}%")
    return data_table(
        table.assign(**{LT.green_share: shares}),
        caption=(
            "District league table: a team two districts share counts in each district's row, and once in the last row. "
            "Best and worst quarter: how many of its indicators rank in the top or bottom quarter of the districts; "
            "median rank: its middle rank across its indicators (1 is best)"
        ),
        columns={
            A.area: "District",
            **{rag: rag for rag in RAGS},
            LT.rated: "Rated",
            LT.green_share: "Share GREEN",
            LT.best_quarter: "Best quarter",
            LT.worst_quarter: "Worst quarter",
            LT.median_rank: "Median rank",
        },
    )


def findings_table(findings: pd.DataFrame, *, caption: str = "Published against computed") -> HTML:
    """Reconciliation findings: what was published, what was computed, and the likely cause."""
    return data_table(
        findings,
        caption=caption,
        columns={
            Finding.category: "Category",
            Finding.area: "Area",
            Finding.block: "Team",
            Finding.indicator: "Indicator",
            Finding.published: "Published",
            Finding.computed: "Computed",
            Finding.explanation: "Likely cause",
        },
    )


def findings_appendix(findings: pd.DataFrame, summary: pd.DataFrame, titles: pd.Series) -> HTML:
    """Every disagreement, folded into one entry per category: the analysts' appendix of the county page.

    Each entry's summary names the category, what it means and how many disagree; opened, it lists each finding
    with the indicator's title, what was published and computed, what the printed figures show, and the file and
    line it was read from. Printed, only the summaries show (closed entries print as one line each).

    Parameters
    ----------
    findings, summary : DataFrame
        :attr:`kccperf.Reconciliation.findings` and :meth:`kccperf.Reconciliation.summary`.
    titles : Series
        Indicator titles indexed by indicator id (:attr:`kccperf.Reconciliation.titles`).
    """
    if findings.empty:
        return HTML("<p>No disagreements: every check agreed.</p>")
    meaning = summary.set_index(FindingSummary.category)[FindingSummary.meaning]
    shown = findings.assign(**{Finding.indicator: findings[Finding.indicator].map(titles).fillna(findings[Finding.indicator])})
    headers = {
        Finding.area: "Area",
        Finding.block: "Team",
        Finding.indicator: "Indicator",
        Finding.published: "Published",
        Finding.computed: "Computed",
        Finding.explanation: "What the printed figures show",
        Finding.source_file: "File",
        Finding.source_row: "Line",
    }
    entries = []
    for category, group in shown.groupby(Finding.category, sort=True):
        n = len(group)
        says = str(meaning.get(category, category))
        label = f"{says[:1].upper()}{says[1:]} ({category}): {n} disagreement{'s' if n != 1 else ''}"
        rows = group[list(headers)].itertuples(index=False, name=None)
        table = render_table("data_table.html.j2", caption=label, headers=list(headers.values()), rows=rows)
        entries.append(f"<details><summary>{escape(label)}</summary>{table}</details>")
    return HTML(STYLESHEET + '<div class="kcc-appendix">' + "".join(entries) + "</div>")


def _with_team(sentence: str, title: str, block: str) -> str:
    """The team beside the title it qualifies, as in the indicator table ("… (Dover EHU): …"), not after the full stop."""
    if block and sentence.startswith(title + ":"):
        return f"{title} ({block}):{sentence[len(title) + 1 :]}"
    return sentence


def finding_list(sentences: pd.DataFrame, *, empty: str = "The checks found nothing to report for this area.") -> HTML:
    """Findings for directors: one plain sentence each (:meth:`kccperf.judge.reconcile.Reconciliation.in_words`),
    with the team where the finding is about one; no category, internal id, file or row number."""
    if sentences.empty:
        return HTML(f"<p>{escape(empty)}</p>")
    items = "".join(f"<li>{escape(_with_team(r.sentence, r.title, r.block))}</li>" for r in sentences.itertuples(index=False))
    return HTML(STYLESHEET + f'<ul class="kcc-findings">{items}</ul>')


def checks_table(summary: pd.DataFrame) -> HTML:
    """Reconciliation checks by category: what each checks, how many agree and disagree, and its name in
    ``kccperf qa`` (last: analysts look it up, directors read the words)."""
    return data_table(
        summary.assign(
            **{
                FindingSummary.meaning: summary[FindingSummary.meaning].str[:1].str.upper()
                + summary[FindingSummary.meaning].str[1:]
            }
        ),
        caption="Checks by category",
        columns={
            FindingSummary.meaning: "Check",
            FindingSummary.agree: "Agree",
            FindingSummary.disagree: "Disagree",
            FindingSummary.category: "Name in kccperf qa",
        },
    )
