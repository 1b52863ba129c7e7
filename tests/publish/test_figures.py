"""The report charts: reproducible PNGs, escaped alt text and captions, and what is shown when there is nothing to chart."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from kccperf.publish import figures
from kccperf.schemas import Assessed as A
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
    assessed = pd.DataFrame({A.block: ["b"], A.indicator: ["i"]})
    assert figures.trend_grid(series, assessed, area="Dover").data == "<p>No indicator has a series to chart.</p>"


def test_no_funnel_plot_names_the_area_escaped():
    assessed = pd.DataFrame(
        {A.area: ["<i>X</i>"], A.block: [""], A.indicator: ["i"], A.ci_low: [float("nan")], A.county_value: [1.0]}
    )
    html = figures.funnel_grid(assessed, area="<i>X</i>").data
    assert "for &lt;i&gt;X&lt;/i&gt;." in html
