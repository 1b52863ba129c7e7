"""The report charts: reproducible PNGs, escaped alt text and captions, and what is shown when there is nothing to chart."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from matplotlib.figure import Figure

from kccperf.publish import figures, svg
from kccperf.publish.summary import up_to_assessed_period
from kccperf.schemas import Assessed as A
from kccperf.schemas import CapitalProfile, Suppression
from kccperf.schemas import Scorecard as S


def _small_figure() -> Figure:
    fig = Figure(figsize=(2, 1))
    fig.subplots().plot([0, 1], [1, 0])
    return fig


def test_the_same_chart_gives_the_same_bytes():
    assert figures.png_bytes(_small_figure()) == figures.png_bytes(_small_figure())
    assert b"Software" not in figures.png_bytes(_small_figure())


def test_alt_text_and_caption_are_escaped():
    html = figures.figure_html(_small_figure(), alt='<b>"x"</b>', caption="a & b")._repr_html_()
    assert 'alt="&lt;b&gt;&quot;x&quot;&lt;/b&gt;"' in html and "<figcaption" in html and "a &amp; b</figcaption>" in html


@pytest.mark.parametrize(
    ("title", "n", "short"),
    [
        ("Short title", 48, "Short title"),
        ("A very long indicator title that goes on and on - FSM gap", 40, "A very long indicator title t… - FSM gap"),
        ("A very long indicator title that goes on and on without a suffix", 20, "A very long indicat…"),
    ],
)
def test_short_titles_keep_their_distinguishing_suffix(title, n, short):
    assert figures._short(title, n) == short
    assert len(figures._short(title, n)) <= n


def test_no_series_to_chart_says_so():
    series = pd.DataFrame({S.block: ["b"], S.indicator: ["i"], S.value: [float("nan")], S.period: ["2024-10"]})
    assessed = pd.DataFrame({A.block: ["b"], A.indicator: ["i"], A.period: ["2024-10"]})
    assert figures.trend_grid(series, assessed, area="Dover").data == "<p>No indicator has a series to chart.</p>"


def test_no_funnel_plot_names_the_area_escaped():
    assessed = pd.DataFrame(
        {A.area: ["<i>X</i>"], A.block: [""], A.indicator: ["i"], A.ci_low: [float("nan")], A.county_value: [1.0]}
    )
    html = figures.funnel_grid(assessed, area="<i>X</i>").data
    assert "for &lt;i&gt;X&lt;/i&gt;." in html


# --- every chart explains itself: nothing clipped, full titles, legends, units, data beside it ---

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import kccperf  # noqa: E402
from kccperf import budget  # noqa: E402
from kccperf.publish import budget_views  # noqa: E402


def _drawn_texts(fig: Figure) -> tuple[list[Text], object]:
    """The figure drawn, and every drawn, non-empty text artist in it, with the renderer to measure them.

    Tick labels count only for the ticks the axis draws (matplotlib keeps labels for ticks outside the view).
    """
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    tick_labels, drawn = set(), []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                tick_labels |= {id(tick.label1), id(tick.label2)}
            for tick in axis._update_ticks():
                drawn += [label for label in (tick.label1, tick.label2) if label.get_visible()]
    texts = [t for t in fig.findobj(Text) if id(t) not in tick_labels and t.get_visible()] + drawn
    return [t for t in texts if t.get_text().strip()], renderer


def clipped_texts(fig: Figure) -> list[str]:
    """Every drawn, non-empty text artist whose extent leaves the figure (by more than a pixel)."""
    texts, renderer = _drawn_texts(fig)
    width, height = fig.bbox.width, fig.bbox.height
    out = []
    for t in texts:
        box = t.get_window_extent(renderer)
        if box.x0 < -1 or box.y0 < -1 or box.x1 > width + 1 or box.y1 > height + 1:
            out.append(t.get_text())
    return out


def overlapping_texts(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose extents overlap (by more than a pixel each way), and texts over an axes.

    Each legend counts as one box (its entries are laid out by the legend); so does each axes' plotting area.
    """
    texts, renderer = _drawn_texts(fig)
    legend_texts = {id(t) for legend in fig.legends for t in legend.get_texts()}
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts if id(t) not in legend_texts]
    boxes += [("legend", legend.get_window_extent(renderer)) for legend in fig.legends]
    areas = [("axes", ax.bbox) for ax in fig.axes]
    out = []
    for i, (name, box) in enumerate(boxes):
        for other, other_box in boxes[i + 1 :] + areas:
            dx = min(box.x1, other_box.x1) - max(box.x0, other_box.x0)
            dy = min(box.y1, other_box.y1) - max(box.y0, other_box.y0)
            if dx > 1 and dy > 1:
                out.append((name, other))
    return out


def test_the_extent_check_finds_clipped_text():
    fig = Figure(figsize=(3, 2), layout="constrained")
    fig.subplots().plot([0, 1], [1, 0])
    assert clipped_texts(fig) == []
    fig.text(0.9, 0.5, "a label running off the edge")
    assert clipped_texts(fig) == ["a label running off the edge"]


def test_the_overlap_check_finds_text_on_text_and_on_the_axes():
    fig = Figure(figsize=(3, 2), layout="constrained")
    ax = fig.subplots()
    ax.plot([0, 1], [1, 0])
    ax.set_ylabel("cases per worker")
    assert overlapping_texts(fig) == []
    ax.yaxis.set_label_coords(-0.05, 0.5)  # the y label over the tick labels
    fig.text(0.5, 0.5, "over the plot")
    found = overlapping_texts(fig)
    assert ("over the plot", "axes") in found and any(label == "cases per worker" for label, _ in found), found


@pytest.fixture(scope="module")
def assessed():
    return kccperf.suppress(kccperf.assess(kccperf.load_scorecard("2024-10")), 5)


@pytest.fixture(scope="module")
def sevenoaks(assessed):
    view = kccperf.area_view(assessed, "Sevenoaks")
    series = kccperf.suppress(kccperf.load_scorecard("2024-10", area="Sevenoaks"), 5)
    return view, series


def _trend_panels(view, series):
    shown = series[series[S.value].notna()].sort_values(S.period)
    for (block, ind), s in shown.groupby([S.block, S.indicator], sort=False):
        rows = view[(view[A.block] == block) & (view[A.indicator] == ind)]
        if not rows.empty and not rows[Suppression.suppressed].iloc[0]:
            yield (block, ind), figures.trend_panel(s, rows.iloc[0], block)


def _texts(panel, role: str) -> list[str]:
    return [label.text for label in panel.drawing.labels if label.role == role]


def svg_problems(panel) -> list[str]:
    """Every text of an SVG panel (by its estimated extent) that leaves the image, lies on the plot or on another text."""
    labels, d = panel.drawing.labels, panel.drawing
    canvas = svg.Box(0, 0, d.width, d.height)
    out = [f"outside the image: {x.text}" for x in labels if not x.box.inside(canvas)]
    out += [f"on the plot: {x.text}" for x in labels if x.box.overlaps(panel.area)]
    out += [f"{x.text} on {y.text}" for i, x in enumerate(labels) for y in labels[i + 1 :] if x.box.overlaps(y.box)]
    return out


def test_the_svg_check_finds_text_outside_on_the_plot_and_on_other_text():
    d = svg.Drawing(100, 80)
    panel = svg.Plot(d, svg.Box(20, 20, 90, 60), (0, 1), (0, 1))
    d.text(5, 10, "title", size=7, role="title")
    assert svg_problems(panel) == []
    d.text(95, 10, "off the edge", size=7, role="title")
    d.text(30, 40, "in the plot", size=7, role="legend")
    d.text(6, 11, "over the title", size=7, role="axis")
    assert svg_problems(panel) == [
        "outside the image: off the edge",
        "on the plot: in the plot",
        "title on over the title",
    ]


def test_trend_charts_keep_their_text_inside_and_name_the_team(sevenoaks):
    view, series = sevenoaks
    titles = {}
    for (block, ind), (panel, alt) in _trend_panels(view, series):
        assert svg_problems(panel) == [], (block, ind)
        title = " ".join(_texts(panel, "title"))
        # Full titles: the whole indicator title, and the team for team blocks.
        row = view[(view[A.block] == block) & (view[A.indicator] == ind)].iloc[0]
        assert title == row[S.title] + (f" ({block})" if block else "")
        assert _texts(panel, "axis") == [figures.AXIS_UNITS[row["unit"]]]
        legend = _texts(panel, "legend")
        assert legend[0] == "value"
        assert ("target" in legend) == (row[A.polarity] != "T" and pd.notna(row[A.target]))
        assert ("floor" in legend) == (row[A.polarity] != "T" and pd.notna(row[A.floor]))
        assert alt.startswith("Line chart: ") and (" rose from " in alt or " fell from " in alt or " was the same" in alt)
        titles.setdefault(title, []).append(block)
    # Sevenoaks' two teams no longer share a chart title.
    assert all(len(blocks) == 1 for blocks in titles.values())


def test_trend_grid_states_each_trend_and_gives_its_data(sevenoaks):
    view, series = sevenoaks
    html = figures.trend_grid(series, view, area="Sevenoaks")._repr_html_()
    shown = view[~view[Suppression.suppressed] & view[A.value].notna()]
    assert html.count("<details>") == html.count("<img ") >= len(shown) - 5
    assert 'class="kcc-chart-grid"' in html and "<summary>The figures</summary>" in html


def test_a_withheld_series_is_not_charted(sevenoaks):
    view, series = sevenoaks
    withheld = view[view[Suppression.suppressed]]
    assert not withheld.empty
    html = figures.trend_grid(series, view, area="Sevenoaks")._repr_html_()
    for r in withheld.itertuples():
        assert f"Line chart: {r.title}{f' ({r.block})' if r.block else ''} " not in html


def test_funnel_charts_keep_their_text_inside_and_show_no_denominators(assessed):
    html = figures.funnel_grid(assessed, area="Dover")._repr_html_()
    assert "<details>" in html and "denominator" not in html.split("<details>")[1].split("</details>")[0].lower()
    d = assessed[(assessed[A.area] != "Kent") & assessed[A.ci_low].notna() & assessed[A.county_value].notna()]
    mine = d[d[A.area] == "Dover"].iloc[0]
    pts = d[d[A.indicator] == mine[A.indicator]].drop_duplicates([A.block, A.value, S.denominator])
    me = pts[(pts[A.area] == "Dover") & (pts[A.block] == mine[A.block])]
    panel = figures.funnel_panel(pts, me, area="Dover", title=figures._full_title(mine[S.title], mine[A.block]))
    assert svg_problems(panel) == []
    assert set(_texts(panel, "legend")) >= {"95% limits", "99.8% limits", "county", "Dover"}
    assert _texts(panel, "axis") == ["%", "size of the group counted (children or cases)"]  # not "the denominator"


def test_rag_heatmap_keeps_its_text_inside_and_apart(assessed):
    grid, titles = figures.rag_grid(assessed)
    d = figures.rag_heatmap_drawing(grid, titles)
    canvas = svg.Box(0, 0, d.width, d.height)
    assert [x.text for x in d.labels if not x.box.inside(canvas)] == []
    rows, columns = ([x for x in d.labels if x.role == role] for role in ("row", "column"))
    assert len(rows) == len(grid) and [x.text for x in columns] == list(grid.columns)
    # Turned labels have wide boxes, which overlap their neighbours' though the text does not: not compared.
    labels = [x for x in d.labels if x.role != "column"]
    clashes = [(a.text, b.text) for i, a in enumerate(labels) for b in labels[i + 1 :] if a.box.overlaps(b.box)]
    clashes += [(a.text, b.text) for a in rows for b in columns if a.box.overlaps(b.box)]
    assert clashes == []
    # Every rated cell carries its letter.
    assert len([x for x in d.labels if x.role == "cell"]) == int((grid != "").sum().sum())


@pytest.mark.parametrize("directorate", ["CYPE", "ALL"])
def test_budget_charts_keep_their_text_inside_and_print_money_in_pounds_millions(directorate):
    tables = budget.load_budget("2025-26")
    scores = budget.risk_scores(budget.risks_for(tables.risks, directorate))
    bridge = budget.revenue_bridge(tables.figures, directorate)
    profile = budget.capital_profile(tables.figures, tables.projects, directorate=directorate)
    wide = profile.pivot_table(
        index=CapitalProfile.year, columns=CapitalProfile.group, values=CapitalProfile.amount, aggfunc="sum", sort=False
    ).fillna(0.0)
    charts = {
        "heat map": budget_views.risk_heatmap_figure(scores, title="Budget risks"),
        "waterfall": budget_views.waterfall_figure(bridge, title="Revenue bridge"),
        "capital": budget_views.capital_figure(wide, title="Capital programme"),
    }
    for name, fig in charts.items():
        assert clipped_texts(fig) == [], name
    for name in ("waterfall", "capital"):
        ax = charts[name].axes[0]
        # No offset text such as "1e6", and every tick says £m.
        assert ax.yaxis.get_offset_text().get_text() == ""
        labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
        assert labels and all(lbl.startswith("£") and lbl.endswith("m") for lbl in labels), labels


def test_a_repeated_figure_is_not_drawn_at_the_later_period(scorecard):
    """Kent's Attainment 8 printed under 2023-24 repeats 2022-23's figure: the trend ends at its true period."""
    kent = scorecard[scorecard[S.area] == "Kent"]
    view = kccperf.area_view(kccperf.assess(scorecard), "Kent")
    row = view[view[S.indicator] == "ks4_attainment8"].iloc[0]
    drawn = up_to_assessed_period(kent, view)
    points = drawn[(drawn[S.indicator] == row[A.indicator]) & (drawn[S.block] == row[A.block])]
    printed = kent[(kent[S.indicator] == row[A.indicator]) & (kent[S.block] == row[A.block])]
    assert row[A.period] < printed[S.period].max()
    assert points[S.period].max() == row[A.period] and len(points) == len(printed) - 1


@pytest.mark.parametrize("area", ["Sevenoaks", "Kent"])
def test_no_trend_panel_clips_or_overlaps_its_text(area, assessed):
    """Every panel of the trend grids with the most panels and the longest titles (Sevenoaks' teams, up to 5 lines)."""
    series = kccperf.suppress(kccperf.load_scorecard("2024-10", area=area), 5)
    panels = list(_trend_panels(kccperf.area_view(assessed, area), series))
    assert len(panels) > 20
    for key, (panel, _alt) in panels:
        assert svg_problems(panel) == [], key


@pytest.mark.parametrize("area", ["Folkestone and Hythe", "Tunbridge Wells", "Sevenoaks"])
def test_no_funnel_plot_clips_or_overlaps_its_text(area, assessed, saved_panels):
    """The longest district names in the legend, and titles of up to three lines."""
    figures.funnel_grid(assessed, area=area)
    assert saved_panels
    for panel in saved_panels:
        assert svg_problems(panel) == [], _texts(panel, "title")
        assert _texts(panel, "legend") == [area, "other districts", "95% limits", "99.8% limits", "county"]


_LONG = (
    "Percentage of children and young people with an Education, Health and Care Plan issued within 20 weeks "
    "excluding exceptions, of all plans issued in the rolling twelve months"
)


@pytest.mark.parametrize(
    ("title", "block", "polarity", "unit", "values"),
    [
        (_LONG, "Sevenoaks South & Tunbridge Wells CSWT", "T", "percent", [18.0, 21.5, 22.4]),
        (_LONG, "", "H", "count", [12500.0, 14250.0, 13900.0]),
        ("Net change", "", "L", "count", [-1250.0, -40.0, 310.0]),
        ("One point", "A team", "L", "caseload", [21.5]),
    ],
)
def test_worst_case_trend_panels_keep_their_text_inside_and_apart(title, block, polarity, unit, values):
    """Titles of five and six lines, a team, a target range, wide and negative tick labels, a single point."""
    s = pd.DataFrame({S.value: values, S.period_label: [f"P{i}" for i in range(len(values))]})
    low, high = (17.5, 22.5) if polarity == "T" else (float("nan"), float("nan"))
    target, floor = (float("nan"), float("nan")) if polarity == "T" else (values[0] * 1.1, values[0] * 0.8)
    row = pd.Series(
        {S.title: title, "unit": unit, A.polarity: polarity, A.target: target, A.floor: floor}
        | {"range_low": low, "range_high": high}
    )
    panel, _alt = figures.trend_panel(s, row, block)
    assert len(_texts(panel, "title")) >= (5 if title == _LONG else 1)
    assert svg_problems(panel) == []
    legend = _texts(panel, "legend")
    assert legend == (["value", "target range"] if polarity == "T" else ["value", "target", "floor"])


def test_the_heat_map_s_row_labels_tell_every_indicator_apart():
    # Cut in the middle, the primary and secondary persistent-absence titles read alike (found by a new-user check).
    grid, titles = figures.rag_grid(kccperf.load_assessed("2024-10", 5))
    labels = figures.short_titles([titles[i] for i in grid.index])
    assert len(set(labels)) == len(labels) == len(grid)
    assert all(len(label) <= 80 for label in labels)


def test_a_chart_records_its_smallest_text_without_drawing_twice(monkeypatch):
    fig = _small_figure()
    fig.axes[0].tick_params(labelsize=9)
    draws = []
    monkeypatch.setattr(Figure, "draw_without_rendering", lambda self: draws.append(1))
    chart = figures.figure_html(fig, alt="a", caption="c", dpi=80)
    assert chart.min_font_px == pytest.approx(9 * 80 / 72) and draws == []
    assert 'data-min-font-px="10.00"' in chart._repr_html_()


def test_every_trend_and_funnel_panel_records_its_smallest_text(sevenoaks, assessed):
    view, series = sevenoaks
    for charts in (figures.trend_grid(series, view, area="Sevenoaks"), figures.funnel_grid(assessed, area="Dover")):
        assert charts.charts and all(c.min_font_px and c.min_font_px >= 9 for c in charts.charts)
    assert 'class="kcc-chart-grid kcc-funnels"' in figures.funnel_grid(assessed, area="Dover")._repr_html_()


def test_the_heat_map_scrolls_in_a_named_focusable_box_and_other_charts_do_not(assessed):
    html = figures.rag_heatmap(assessed)._repr_html_()
    box = html.split('<div class="kcc-scroll"', 1)[1].split(">", 1)[0]
    assert 'role="region"' in box and 'tabindex="0"' in box and 'aria-label="RAG by indicator and area' in box
    assert html.index("kcc-scroll") < html.index("<img") < html.index("</div>") < html.index("<figcaption")
    assert "kcc-scroll" not in figures.figure_html(_small_figure(), alt="a", caption="c")._repr_html_()
    assert '<p class="kcc-scroll-hint">Scroll the chart sideways to see every column, or open “The figures”' in html


def test_the_county_page_places_its_districts_on_funnel_plots(assessed):
    # The Kent page said only that no indicator could be placed: it is the county every district is compared with.
    charts = figures.funnel_grid(assessed, area="Kent").charts
    assert len(charts) == 6
    for chart in charts:
        assert "Kent at" not in chart.alt and " districts against Kent " in chart.alt
        rows = chart.table.count("<tr>") - 1
        assert f": {rows} districts against Kent" in chart.alt
        assert re.search(r"; \d+ outside the 95% limits\.$", chart.alt)
    pts = assessed[(assessed[A.indicator] == "eyfs_gld") & (assessed[A.area] != "Kent")].dropna(subset=[A.ci_low])
    panel = figures.funnel_panel(pts, pts.iloc[:0], area="Kent", title="EYFS")
    assert _texts(panel, "legend") == ["districts", "95% limits", "99.8% limits", "county"]
    assert svg_problems(panel) == []


def test_a_panel_s_title_is_seen_once_in_its_image_and_read_once_from_its_caption(sevenoaks, assessed):
    view, series = sevenoaks
    for charts in (figures.trend_grid(series, view, area="Sevenoaks"), figures.funnel_grid(assessed, area="Dover")):
        for chart in charts.charts:
            # The caption's title is the screen reader's (visually hidden by report.css), the image's the eye's.
            assert (
                chart.caption_html.count('<span class="kcc-caption-title">') == 1
                and html.escape(chart.caption) in chart.caption_html
            )


def test_a_figure_without_a_chart_is_named_with_the_reason(assessed):
    view = kccperf.area_view(assessed, "Dover")
    series = kccperf.load_series("2024-10", 5, area="Dover")
    grid = figures.trend_grid(series, view, area="Dover")
    assert grid.note.startswith("Not charted, because their earlier figures are withheld for small numbers")
    assert "Percentage of EH Unit Case Audits rated good or outstanding (Dover EHU)" in grid.note
    assert '<p class="kcc-note">Not charted' in grid._repr_html_()
    # Kent's series are all charted: no note (the quiet case).
    kent = figures.trend_grid(kccperf.load_series("2024-10", 5, area="Kent"), kccperf.area_view(assessed, "Kent"), area="Kent")
    assert kent.note == "" and "kcc-note" not in kent._repr_html_()
    # A figure with no series printed at all is named for that reason.
    key = view[view[A.value].notna() & ~view[Suppression.suppressed]].iloc[0]
    unprinted = series[~((series[S.block] == key[A.block]) & (series[S.indicator] == key[A.indicator]))]
    note = figures.trend_grid(unprinted, view, area="Dover").note
    assert f"Not charted, because the scorecard prints no earlier figure: {key[S.title]}" in note


@pytest.mark.parametrize("area", ["Dover", "Thanet"])
def test_no_funnel_point_sits_on_the_frame(assessed, area, saved_panels):
    figures.funnel_grid(assessed, area=area)
    assert saved_panels
    for panel in list(saved_panels):  # (making an image records it again)
        a = panel.area
        image = panel.svg().decode("utf-8")
        # The districts' circles and the area's diamond (its corners listed top, right, bottom, left) in the plot;
        # the legend's samples lie below it.
        ys = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', image)]
        ys += [
            (float(top) + float(bottom)) / 2
            for top, bottom in re.findall(r'<polygon points="[\d.]+,([\d.]+) [\d.,]+ [\d.]+,([\d.]+)', image)
        ]
        ys = [y for y in ys if y <= a.y1 + 1]
        assert len(ys) >= 10
        height = a.y1 - a.y0
        assert all(y - a.y0 >= 0.08 * height and a.y1 - y >= 0.08 * height for y in ys), _texts(panel, "title")


def test_a_funnel_plot_s_caption_says_what_it_finds(assessed):
    dover = figures.funnel_grid(assessed, area="Dover").charts
    assert all(re.search(r"</span>Dover: [\d.]+%, (within|outside) (95|99\.8)% limits$", c.caption_html) for c in dover)
    kent = figures.funnel_grid(assessed, area="Kent").charts
    assert all(re.search(r"</span>\d+ of \d+ districts outside the 95% limits around Kent$", c.caption_html) for c in kent)
