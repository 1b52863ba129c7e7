"""SVG panels: text extents, ticks and their labels, the layout of a panel, and (in a real browser) the text as drawn."""

from __future__ import annotations

import pytest

from kccperf.publish import svg


@pytest.mark.parametrize(
    ("a", "b", "overlaps"),
    [
        ((0, 0, 10, 10), (5, 5, 15, 15), True),
        ((0, 0, 10, 10), (9.6, 0, 20, 10), False),  # touching within half a point
        ((0, 0, 10, 10), (0, 10, 10, 20), False),
        ((0, 0, 10, 10), (2, 2, 3, 3), True),
    ],
)
def test_boxes_overlap_by_more_than_half_a_point(a, b, overlaps):
    assert svg.Box(*a).overlaps(svg.Box(*b)) is overlaps
    assert svg.Box(*b).overlaps(svg.Box(*a)) is overlaps


@pytest.mark.parametrize(
    ("values", "labels"),
    [
        ([24.0, 26.0, 28.0], ["24", "26", "28"]),
        ([17.5, 20.0, 22.5], ["17.5", "20.0", "22.5"]),
        ([0.25, 0.5, 0.75], ["0.25", "0.50", "0.75"]),
        ([-1000.0, 0.0, 12500.0], ["−1,000", "0", "12,500"]),
        ([-0.0, 1.0], ["0", "1"]),
        ([], []),
    ],
)
def test_tick_labels_show_each_value_exactly_with_the_fewest_decimals(values, labels):
    assert svg.tick_labels(values) == labels


@pytest.mark.parametrize(
    ("lo", "hi", "length", "ticks"),
    [
        (23.1, 33.9, 80, [25.0, 27.5, 30.0, 32.5]),  # five bins at most on 80 points
        (23.1, 33.9, 120, [24.0, 26.0, 28.0, 30.0, 32.0]),
        (0.0, 100.0, 28, [0.0, 50.0, 100.0]),  # a short axis: two label heights per tick at most
        (17.0, 23.0, 60, [18.0, 20.0, 22.0]),
    ],
)
def test_ticks_fall_inside_the_axis_on_round_steps(lo, hi, length, ticks):
    assert svg.nice_ticks(lo, hi, length) == ticks


@pytest.mark.parametrize(
    ("values", "span"),
    [
        ([10.0, 20.0], (9.5, 20.5)),
        ([20.0], (19.0, 21.0)),  # one value: 5% of it each way
        ([0.0, 0.0], (-1.0, 1.0)),
    ],
)
def test_the_axis_leaves_a_margin_around_the_data(values, span):
    assert svg.padded(values) == pytest.approx(span)


@pytest.mark.parametrize(
    ("anchor", "angle", "box"),
    [
        ("start", 0, (10, 20 - 0.93 * 7, 10 + svg.text_width("ab"), 20 + 0.24 * 7)),
        ("end", 0, (10 - svg.text_width("ab"), 20 - 0.93 * 7, 10, 20 + 0.24 * 7)),
        ("middle", 90, (10 - 0.93 * 7, 20 - svg.text_width("ab") / 2, 10 + 0.24 * 7, 20 + svg.text_width("ab") / 2)),
        # Turned 45 degrees, ending at the point: the text runs down to the left of it.
        (
            "end",
            45,
            (
                10 - (svg.text_width("ab") + 0.93 * 7) / 2**0.5,
                20 - 0.93 * 7 / 2**0.5,
                10 + 0.24 * 7 / 2**0.5,
                20 + (svg.text_width("ab") + 0.24 * 7) / 2**0.5,
            ),
        ),
    ],
)
def test_each_text_records_where_it_is_drawn(anchor, angle, box):
    d = svg.Drawing(100, 50)
    d.text(10, 20, "ab", size=7, role="title", anchor=anchor, angle=angle)
    got = d.labels[0].box
    assert (got.x0, got.y0, got.x1, got.y1) == pytest.approx(box)


def test_the_same_drawing_gives_the_same_bytes_and_text_is_escaped():
    def draw() -> bytes:
        d = svg.Drawing(201.6, 151.2)
        d.text(3, 10, "Tonbridge & Malling <CSWT>", size=7, role="title")
        d.polyline([1, 2], [3, 4], color="#1d70b8", width=1.5)
        return d.svg()

    assert draw() == draw()
    assert b"Tonbridge &amp; Malling &lt;CSWT&gt;" in draw()
    assert b'width="308" height="231" viewBox="0 0 201.6 151.2"' in draw()


def test_a_panel_keeps_its_text_apart_and_fills_the_legend_down_its_columns():
    keys = [svg.Key(label, "line", svg.INK) for label in ("one", "two", "three", "four", "five")]
    p = svg.plot(
        240,
        180,
        title="A title\nover two lines",
        xlim=(0, 10),
        ylim=(0, 1),
        keys=keys,
        y_label="%",
        x_label="size",
        legend_columns=3,
    )
    legend = {x.text: x.box for x in p.drawing.labels if x.role == "legend"}
    # Five entries in three columns: two rows, filled down each column.
    assert legend["one"].x0 == legend["two"].x0 < legend["three"].x0 == legend["four"].x0 < legend["five"].x0
    assert legend["one"].y0 < legend["two"].y0 and legend["three"].y0 == legend["one"].y0
    labels = p.drawing.labels
    assert not [(a.text, b.text) for i, a in enumerate(labels) for b in labels[i + 1 :] if a.box.overlaps(b.box)]
    assert not [x.text for x in labels if x.box.overlaps(p.area)]
    assert [x.text for x in labels if x.role == "axis"] == ["%", "size"]
    # Numeric x ticks are chosen for the plot's width and lie on it.
    ticks = [x for x in labels if x.role == "tick" and x.box.y0 > p.area.y1]
    assert len(ticks) >= 3 and all(p.area.x0 - 1 <= (t.box.x0 + t.box.x1) / 2 <= p.area.x1 + 1 for t in ticks)


# Each text's box as the browser draws it, in the SVG's own units, with the image's size and the plot's frame.
MEASURE = """() => [...document.querySelectorAll('svg')].map(s => ({
  width: s.viewBox.baseVal.width, height: s.viewBox.baseVal.height,
  frame: (r => r ? {x: r.x.baseVal.value, y: r.y.baseVal.value, w: r.width.baseVal.value, h: r.height.baseVal.value} : null)(
    [...s.querySelectorAll('rect[stroke]')].pop()),
  texts: [...s.querySelectorAll('text')].map(t => {
    const b = t.getBBox(), m = t.getCTM(), p = s.createSVGPoint();
    const corners = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]].map(
      ([x, y]) => { p.x = x; p.y = y; const q = p.matrixTransform(m); return [q.x, q.y]; });
    const xs = corners.map(c => c[0]), ys = corners.map(c => c[1]);
    return {text: t.textContent, turned: t.hasAttribute('transform'), inCell: t.hasAttribute('font-weight'),
            x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys)};
  }),
}))"""


def test_in_a_browser_no_panel_text_leaves_the_image_or_lies_on_the_plot_or_on_other_text(browser):
    """The estimate that lays the panels out, checked against the fonts a browser draws with: Kent's and Sevenoaks'
    trends (long titles, teams, target ranges), funnel plots with the longest district names, and the county heat map."""
    import kccperf
    from kccperf.publish import figures

    assessed = kccperf.load_assessed("2024-10", 5)
    images = []
    for area in ("Kent", "Sevenoaks"):
        grid = figures.trend_grid(kccperf.load_series("2024-10", 5, area=area), kccperf.area_view(assessed, area), area=area)
        images += [c.image.decode("utf-8") for c in grid.charts]
    for area in ("Kent", "Folkestone and Hythe", "Tunbridge Wells"):  # funnel plots: the longest names in the legend
        images += [c.image.decode("utf-8") for c in figures.funnel_grid(assessed, area=area).charts]
    heat_map = figures.rag_heatmap(assessed)
    images.append(heat_map.image.decode("utf-8"))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_content("<!doctype html><html><body>" + "".join(images) + "</body></html>")
    found = page.evaluate(MEASURE)
    page.close()
    assert len(found) == len(images) > 80
    problems = []
    for n, panel in enumerate(found):
        scale = (80 if n == len(found) - 1 else 110) / 72  # CSS pixels per point: panels at 110 dpi, the heat map at 80
        # The browser gives CSS pixels from the image's corner: back to points.
        texts = panel["texts"]
        boxes = [(t["text"], svg.Box(t["x0"] / scale, t["y0"] / scale, t["x1"] / scale, t["y1"] / scale)) for t in texts]
        canvas = svg.Box(0, 0, panel["width"], panel["height"])
        problems += [(n, name, "outside") for name, b in boxes if not b.inside(canvas)]
        if f := panel["frame"]:
            frame = svg.Box(f["x"], f["y"], f["x"] + f["w"], f["y"] + f["h"])
            problems += [(n, name, "on the plot") for name, b in boxes if b.overlaps(frame)]
        # Two turned labels' boxes overlap though their text does not; a heat map's letters sit in their cells.
        apart = [(t["turned"], t["inCell"]) for t in texts]
        problems += [
            (n, a, b)
            for i, (a, x) in enumerate(boxes)
            for j, (b, y) in enumerate(boxes[i + 1 :], start=i + 1)
            if x.overlaps(y) and not (apart[i][0] and apart[j][0]) and not (apart[i][1] or apart[j][1])
        ]
    assert problems == []
