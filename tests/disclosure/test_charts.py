"""What the charts draw: no trend point and no funnel point lets a reader work out a count of 1 to 5.

An image hides its numbers from a text checker, so what each chart draws is read back: the lines of the trend
panels (SVG) through their y axis' ticks, as a reader would, matched to the printed series they show and read with
the denominator the scorecard prints for it; and the funnel plots' points, whose x is the denominator, caught as
each figure is saved (every matplotlib chart becomes a PNG through ``Figure.savefig``). Written apart from the suppression code: it takes the unsuppressed scorecard as the
truth and uses the checker's own arithmetic.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

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


_TICK = re.compile(r'<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"')
_Y_LABEL = re.compile(r'<text x="[\d.]+" y="([\d.]+)" font-size="[\d.]+" text-anchor="end">([^<]+)</text>')


def svg_lines(image: bytes) -> list[np.ndarray]:
    """The values each line of an SVG trend panel shows, read back as a reader reads them: through the y axis'
    tick marks and their labels."""
    text = image.decode("utf-8")
    # The y ticks are the short horizontal lines left of the plot, their labels the right-aligned texts.
    marks = sorted(float(y0) for x0, y0, x1, y1 in _TICK.findall(text) if y0 == y1 and abs(float(x1) - float(x0) - 3.5) < 0.02)
    labels = sorted((float(y), float(v.replace("−", "-").replace(",", ""))) for y, v in _Y_LABEL.findall(text))
    slope, intercept = np.polyfit(marks, [v for _, v in labels], 1)
    lines = re.findall(r'<polyline points="([^"]+)"', text)
    return [np.array([float(xy.split(",")[1]) for xy in line.split()]) * slope + intercept for line in lines]


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


def _funnel_leaks(fig: Figure) -> list[str]:
    """Small counts a funnel plot reveals: every point is a percentage at its denominator."""
    leaks = []
    for ax in fig.axes:
        for points in (c for c in ax.collections if isinstance(c, PathCollection)):
            xy = np.asarray(points.get_offsets(), dtype=float).reshape(-1, 2)
            small_den = np.where((xy[:, 0] >= 1) & (xy[:, 0] <= 5), xy[:, 0], np.nan)
            for c in np.concatenate([small_den, implied(xy[:, 1], xy[:, 0], 5)]):
                if np.isfinite(c):
                    leaks.append(f"{ax.get_title()}: {c:g}")
    return leaks


def _draw(area: str, threshold: int) -> list[tuple[bytes, str]]:
    """The area's trend panels (SVG images, with their titles); its funnel plots are caught as they are saved."""
    assessed = kccperf.suppress(kccperf.assess(kccperf.load_scorecard(PERIOD)), threshold)
    view = kccperf.area_view(assessed, area)
    series = kccperf.suppress(kccperf.load_scorecard(PERIOD), threshold, area=area)
    trends = _trends(figures.trend_grid(series, view, area=area))
    figures.funnel_grid(assessed, area=area)
    return trends


@pytest.mark.parametrize("area", AREAS)
def test_charts_draw_nothing_that_reveals_a_small_count(area, raw, saved_figures):
    trends = _draw(area, 5)
    assert len(trends) > 10 and len(saved_figures) >= 1
    mine = raw[raw.area == area]
    leaks = [leak for image, title in trends for leak in _trend_leaks(image, title, mine)]
    assert leaks + [leak for fig in saved_figures for leak in _funnel_leaks(fig)] == []


def test_the_chart_check_finds_the_leaks_of_unsuppressed_charts(raw, saved_figures):
    assessed = kccperf.assess(kccperf.load_scorecard(PERIOD))
    trends = _trends(
        figures.trend_grid(
            kccperf.load_scorecard(PERIOD, area="Sevenoaks"), kccperf.area_view(assessed, "Sevenoaks"), area="Sevenoaks"
        )
    )
    figures.funnel_grid(assessed, area="Sevenoaks")
    funnels = list(saved_figures)
    # Sevenoaks' EHCP trend ends at 87.5% of 8 (1 late); its funnel diamond sits at 87.5% and 8 cases.
    mine = raw[raw.area == "Sevenoaks"]
    assert any("ehcp_issued_20wk): 1" in leak for image, title in trends for leak in _trend_leaks(image, title, mine))
    assert funnels and any(leak.endswith(": 1") for fig in funnels for leak in _funnel_leaks(fig))
