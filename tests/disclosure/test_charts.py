"""What the charts draw: no trend point and no funnel point lets a reader work out a count of 1 to 5.

An image hides its numbers from a text checker, so what each chart draws is read back: the lines of the trend
panels (SVG) through their y axis' ticks, as a reader would, matched to the printed series they show and read with
the denominator the scorecard prints for it; and the funnel plots' points, read back through both axes, whose x is
the denominator. Written apart from the suppression code: it takes the unsuppressed scorecard as the
truth and uses the checker's own arithmetic.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import kccperf
from kccperf.publish import figures
from tests.disclosure.checker import implied

PERIOD = "2024-10"
AREAS = ["Sevenoaks", "Folkestone and Hythe", "Tunbridge Wells", "Kent"]


@pytest.fixture(scope="module")
def raw():
    """Every printed series, unsuppressed, with the denominator printed for it and its unit."""
    s = kccperf.load_scorecard(PERIOD)
    unit = s.indicator.map(kccperf.load_catalogue().indicators.set_index("indicator").unit)
    den = s.groupby(["area", "block", "indicator"]).denominator.transform("max")
    return s.assign(unit=unit, series_den=den).sort_values("period")


_LINE = re.compile(r'<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"')
_TEXT = re.compile(r'<text x="([\d.]+)" y="([\d.]+)" font-size="[\d.]+" text-anchor="(end|middle)">([^<]+)</text>')


def _number(text: str) -> float:
    try:
        return float(text.replace("−", "-").replace(",", ""))
    except ValueError:
        return float("nan")


def _axes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Each axis of an SVG panel as a straight line through (position, value): the y axis' tick marks (short
    horizontal lines) against their right-aligned labels, the x axis' (short vertical lines) against the numbers
    centred below them."""
    lines = [tuple(map(float, m)) for m in _LINE.findall(text)]
    y_marks = sorted(y0 for x0, y0, x1, y1 in lines if y0 == y1 and abs(x1 - x0 - 3.5) < 0.02)
    x_marks = sorted(x0 for x0, y0, x1, y1 in lines if x0 == x1 and abs(y1 - y0 - 3.5) < 0.02)
    texts = [(float(x), float(y), anchor, _number(v)) for x, y, anchor, v in _TEXT.findall(text)]
    y_values = [v for _, _, v in sorted((y, x, v) for x, y, anchor, v in texts if anchor == "end")]
    x_values = [v for _, v in sorted((x, v) for x, _, anchor, v in texts if anchor == "middle" and np.isfinite(v))]
    y_fit = np.polyfit(y_marks, y_values, 1)
    x_fit = np.polyfit(x_marks, x_values, 1) if len(x_marks) >= 2 and len(x_values) == len(x_marks) else None
    return x_fit, y_fit


def svg_lines(image: bytes) -> list[np.ndarray]:
    """The values each line of an SVG trend panel shows, read back as a reader reads them: through the y axis."""
    text = image.decode("utf-8")
    _, (slope, intercept) = _axes(text)
    lines = re.findall(r'<polyline points="([^"]+)"', text)
    return [np.array([float(xy.split(",")[1]) for xy in line.split()]) * slope + intercept for line in lines]


def svg_points(image: bytes) -> np.ndarray:
    """The (x, y) of every marker in the plot of an SVG panel (circles, and diamonds by their centre), read back
    through both axes; the legend's samples, below the plot, are left out."""
    text = image.decode("utf-8")
    (xs, xi), (ys, yi) = _axes(text)
    frame_foot = max(
        float(y) + float(h)
        for y, h in re.findall(r'<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="none" stroke=', text)
    )
    centres = [(float(x), float(y)) for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', text)]
    centres += [
        (float(x), (float(top) + float(bottom)) / 2)
        for x, top, bottom in re.findall(r'<polygon points="([\d.]+),([\d.]+) [\d.,]+ [\d.]+,([\d.]+)', text)
    ]
    xy = np.array([(x * xs + xi, y * ys + yi) for x, y in centres if y <= frame_foot + 1]).reshape(-1, 2)
    return xy


def _trend_leaks(image: bytes, title: str, series: pd.DataFrame) -> list[str]:
    """Small counts a trend panel reveals: each line it draws matched to the printed series it shows."""
    groups = {k: g for k, g in series.groupby(["block", "indicator"])}
    leaks = []
    for y in svg_lines(image):
        span = max(np.ptp(y), 1e-9)
        for (block, indicator), g in groups.items():
            v = g.value.to_numpy(float)
            shown = np.isfinite(v)
            # Read back to within a thousandth of the line's own range (coordinates are kept to 0.01 pt).
            if shown.sum() != len(y) or not np.allclose(v[shown], y, rtol=0, atol=1e-3 * span + 1e-6):
                continue
            den, unit = g.series_den.iloc[0], g.unit.iloc[0]
            drawn = v[shown]
            counts = (
                implied(drawn, np.full(len(drawn), den), 5)
                if unit in ("percent", "rate")
                else np.where((unit == "count") & (drawn >= 1) & (drawn <= 5), drawn, np.nan)
            )
            leaks += [f"{title} ({block} {indicator}): {c:g}" for c in counts[np.isfinite(counts)]]
    return leaks


def _trends(charts) -> list[tuple[bytes, str]]:
    return [(c.image, c.caption) for c in getattr(charts, "charts", [])]


def _funnel_leaks(image: bytes, title: str) -> list[str]:
    """Small counts a funnel plot reveals: every point is a percentage at its denominator (a whole number, so the
    position read back is rounded to one)."""
    xy = svg_points(image)
    den = np.round(xy[:, 0])
    small_den = np.where((den >= 1) & (den <= 5), den, np.nan)
    return [f"{title}: {c:g}" for c in np.concatenate([small_den, implied(xy[:, 1], den, 5)]) if np.isfinite(c)]


def _draw(area: str, threshold: int) -> tuple[list[tuple[bytes, str]], list[tuple[bytes, str]]]:
    """The area's trend panels and funnel plots (SVG images, with their titles)."""
    assessed = kccperf.suppress(kccperf.assess(kccperf.load_scorecard(PERIOD)), threshold)
    view = kccperf.area_view(assessed, area)
    series = kccperf.suppress(kccperf.load_scorecard(PERIOD), threshold, area=area)
    return _trends(figures.trend_grid(series, view, area=area)), _trends(figures.funnel_grid(assessed, area=area))


@pytest.mark.parametrize("area", AREAS)
def test_charts_draw_nothing_that_reveals_a_small_count(area, raw):
    trends, funnels = _draw(area, 5)
    assert len(trends) > 10 and len(funnels) >= 1
    mine = raw[raw.area == area]
    leaks = [leak for image, title in trends for leak in _trend_leaks(image, title, mine)]
    assert leaks + [leak for image, title in funnels for leak in _funnel_leaks(image, title)] == []


def test_the_chart_check_finds_the_leaks_of_unsuppressed_charts(raw):
    assessed = kccperf.assess(kccperf.load_scorecard(PERIOD))
    trends = _trends(
        figures.trend_grid(
            kccperf.load_scorecard(PERIOD, area="Sevenoaks"), kccperf.area_view(assessed, "Sevenoaks"), area="Sevenoaks"
        )
    )
    funnels = _trends(figures.funnel_grid(assessed, area="Sevenoaks"))
    # Sevenoaks' EHCP trend ends at 87.5% of 8 (1 late); its funnel diamond sits at 87.5% and 8 cases.
    mine = raw[raw.area == "Sevenoaks"]
    assert any("ehcp_issued_20wk): 1" in leak for image, title in trends for leak in _trend_leaks(image, title, mine))
    assert funnels and any(leak.endswith(": 1") for image, title in funnels for leak in _funnel_leaks(image, title))
