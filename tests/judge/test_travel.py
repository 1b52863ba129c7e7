"""Direction of travel: polarity, precision, gaps in the series and seasonality."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kccperf.judge.travel import direction
from kccperf.schemas import Direction


def series(values, *, pol="H", periods=None, ptype="MS", decimals=1.0, seasonal=False, target=math.nan, lo=math.nan, hi=math.nan):
    periods = periods or [f"2024-{m:02d}" for m in range(11 - len(values), 11)]
    return pd.DataFrame(
        {
            "area": "A",
            "block": "",
            "indicator": "x",
            "polarity": pol,
            "period_type": ptype,
            "period": periods,
            "value": values,
            "decimals": decimals,
            "seasonal": seasonal,
            "target": target,
            "range_low": lo,
            "range_high": hi,
        }
    )


@pytest.mark.parametrize(
    ("values", "pol", "dot", "arrow"),
    [
        ([20.0, 20.9], "L", "worsened", "↓"),
        ([20.0, 20.9], "H", "improved", "↑"),
        ([20.9, 20.0], "L", "improved", "↑"),
        ([78.9, 78.9], "H", "same", "↔"),
        ([math.nan, 5.0], "H", "not comparable", ""),
        ([5.0, math.nan], "H", "not comparable", ""),
    ],
)
def test_polarity_decides_the_arrow(values, pol, dot, arrow):
    out = direction(series(values, pol=pol)).iloc[0]
    assert (out["direction"], out.dot_arrow) == (dot, arrow)


def test_equal_at_published_precision_is_same():
    df = series([59.0, 59.3], decimals=1.0)
    df.loc[0, "decimals"] = 0.0  # printed as "59"
    assert direction(df).iloc[0]["direction"] == "same"


def test_missing_previous_period_is_not_comparable():
    out = direction(series([10.0, 12.0], periods=["2024-07", "2024-10"])).iloc[0]
    assert out["direction"] == "not comparable" and out.dot_reason == "no Sep-24 in the series"


def test_seasonal_indicators_compare_with_a_year_earlier():
    terms = ["2022-23 T3", "2023-24 T1", "2023-24 T2", "2023-24 T3"]
    out = direction(series([65.2, 79.0, 72.6, 67.8], ptype="T", periods=terms, seasonal=True)).iloc[0]
    assert (out["direction"], out.dot_compared_label) == ("improved", "Summer 22-23")
    assert "same period a year earlier" in out.dot_reason
    monthly = direction(series([3.5, 2.4, 2.5], pol="L", seasonal=True)).iloc[0]
    assert monthly["direction"] == "not comparable" and "Oct-23 is not in the series" in monthly.dot_reason


@pytest.mark.parametrize(
    ("values", "dot"),
    [
        ([21.0, 22.1], "worsened"),
        ([22.1, 21.0], "improved"),
        ([25.0, 22.4], "improved"),
        ([18.0, 23.0], "worsened"),
        ([23.0, 18.0], "improved"),
        ([17.0, 23.0], "same"),
    ],
)
def test_t_closer_to_target_or_inside_the_range_is_better(values, dot):
    assert direction(series(values, pol="T", target=20.0, lo=17.5, hi=22.5)).iloc[0]["direction"] == dot


finite = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 1))


@given(a=finite, b=finite)
def test_mirrored_values_and_polarity_give_the_same_direction(a, b):
    h = direction(series([a, b], pol="H")).iloc[0]["direction"]
    low = direction(series([-a, -b], pol="L")).iloc[0]["direction"]
    assert h == low


def test_the_real_series_follow_the_schema(scorecard):
    out = direction(scorecard)
    Direction.validate(out, lazy=True)
    assert out["row"].is_unique and len(out) == len(scorecard.groupby(["area", "block", "indicator"]))
