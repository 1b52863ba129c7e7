"""What the charts draw: no trend point and no funnel point lets a reader work out a count of 1 to 5.

The PNG hides its numbers from a text checker, so the figures are caught as they are saved (every chart
becomes a PNG through ``Figure.savefig``) and what each axes draws is read back: the marked lines of the trend
grid, read with the denominator the scorecard prints for the matching series, and the funnel plots' points,
whose x is the denominator. Written apart from the suppression code: it takes the unsuppressed scorecard as the
truth and uses the checker's own arithmetic.
"""

from __future__ import annotations

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


def _trend_leaks(fig: Figure, series: pd.DataFrame) -> list[str]:
    """Small counts a trend panel reveals: each marked line matched to the printed series it draws."""
    groups = {k: g for k, g in series.groupby(["block", "indicator"])}
    leaks = []
    for ax in fig.axes:
        for line in ax.get_lines():
            if line.get_marker() in (None, "None", ""):
                continue  # target, floor and range lines
            y = np.asarray(line.get_ydata(), dtype=float)
            for (block, indicator), g in groups.items():
                v = g.value.to_numpy(float)
                shown = np.isfinite(y)
                if len(v) != len(y) or not shown.any() or not np.allclose(v[shown], y[shown]):
                    continue
                den, unit = g.series_den.iloc[0], g.unit.iloc[0]
                counts = (
                    implied(y, np.full(len(y), den), 5)
                    if unit in ("percent", "rate")
                    else np.where((unit == "count") & (y >= 1) & (y <= 5), y, np.nan)
                )
                leaks += [f"{ax.get_title()} ({block} {indicator}): {c:g}" for c in counts[np.isfinite(counts)]]
    return leaks


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


def _draw(area: str, threshold: int):
    assessed = kccperf.suppress(kccperf.assess(kccperf.load_scorecard(PERIOD)), threshold)
    view = kccperf.area_view(assessed, area)
    series = kccperf.suppress(kccperf.load_scorecard(PERIOD), threshold, area=area)
    figures.trend_grid(series, view, area=area)
    figures.funnel_grid(assessed, area=area)


@pytest.mark.parametrize("area", AREAS)
def test_charts_draw_nothing_that_reveals_a_small_count(area, raw, saved_figures):
    _draw(area, 5)
    assert len(saved_figures) >= 1
    mine = raw[raw.area == area]
    leaks = [leak for fig in saved_figures for leak in _trend_leaks(fig, mine) + _funnel_leaks(fig)]
    assert leaks == []


def test_the_chart_check_finds_the_leaks_of_unsuppressed_charts(raw, saved_figures):
    assessed = kccperf.assess(kccperf.load_scorecard(PERIOD))
    figures.trend_grid(
        kccperf.load_scorecard(PERIOD, area="Sevenoaks"), kccperf.area_view(assessed, "Sevenoaks"), area="Sevenoaks"
    )
    trends = list(saved_figures)  # the trend charts (one figure per indicator, or one grid)
    figures.funnel_grid(assessed, area="Sevenoaks")
    funnels = saved_figures[len(trends) :]
    # Sevenoaks' EHCP trend ends at 87.5% of 8 (1 late); its funnel diamond sits at 87.5% and 8 cases.
    mine = raw[raw.area == "Sevenoaks"]
    assert any("ehcp_issued_20wk): 1" in leak for fig in trends for leak in _trend_leaks(fig, mine))
    assert funnels and any(leak.endswith(": 1") for fig in funnels for leak in _funnel_leaks(fig))
