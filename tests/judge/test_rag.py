"""RAG boundaries for every polarity: on, just above and just below floor and target; T range edges; gaps."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kccperf import ValidationError
from kccperf.judge.rag import rag, rag_arrays
from kccperf.schemas import RAG

NAN = math.nan

# (polarity, value, target, floor, range_low, range_high, expected RAG)
BOUNDARIES = [
    ("H", 85.0, 85.0, 75.0, NAN, NAN, "GREEN"),  # on target
    ("H", 85.1, 85.0, 75.0, NAN, NAN, "GREEN"),  # just above target
    ("H", 84.9, 85.0, 75.0, NAN, NAN, "AMBER"),  # just below target
    ("H", 75.0, 85.0, 75.0, NAN, NAN, "AMBER"),  # on floor
    ("H", 74.9, 85.0, 75.0, NAN, NAN, "RED"),  # just below floor
    ("H", 75.1, 85.0, 75.0, NAN, NAN, "AMBER"),  # just above floor
    ("L", 18.0, 18.0, 22.0, NAN, NAN, "GREEN"),  # on target
    ("L", 17.9, 18.0, 22.0, NAN, NAN, "GREEN"),  # just below target (better)
    ("L", 18.1, 18.0, 22.0, NAN, NAN, "AMBER"),  # just above target
    ("L", 22.0, 18.0, 22.0, NAN, NAN, "AMBER"),  # on floor
    ("L", 22.1, 18.0, 22.0, NAN, NAN, "RED"),  # just above floor
    ("T", 17.5, 20.0, 8.0, 17.5, 22.5, "GREEN"),  # lower edge of range
    ("T", 22.5, 20.0, 8.0, 17.5, 22.5, "GREEN"),  # upper edge of range
    ("T", 17.4, 20.0, 8.0, 17.5, 22.5, "AMBER"),  # just outside below
    ("T", 22.6, 20.0, 8.0, 17.5, 22.5, "AMBER"),  # just outside above
    ("T", 28.0, 20.0, 8.0, 17.5, 22.5, "AMBER"),  # on the upper floor (distance 8)
    ("T", 12.0, 20.0, 8.0, 17.5, 22.5, "AMBER"),  # on the lower floor
    ("T", 28.1, 20.0, 8.0, 17.5, 22.5, "RED"),  # beyond the upper floor
    ("T", 11.9, 20.0, 8.0, 17.5, 22.5, "RED"),  # beyond the lower floor
    ("T", 20.0, 20.0, 8.0, NAN, NAN, "GREEN"),  # no range: on target
    ("H", NAN, 85.0, 75.0, NAN, NAN, ""),  # no value
    ("H", 80.0, NAN, 75.0, NAN, NAN, ""),  # no target
    ("H", 80.0, 85.0, NAN, NAN, NAN, ""),  # below target, floor unknown
    ("H", 90.0, 85.0, NAN, NAN, NAN, "GREEN"),  # target met needs no floor
]


@pytest.mark.parametrize(("pol", "value", "target", "floor", "lo", "hi", "expected"), BOUNDARIES)
def test_rag_boundaries(pol, value, target, floor, lo, hi, expected):
    got, reason = rag_arrays([value], [pol], [target], [floor], [lo], [hi])
    assert got[0] == expected
    assert reason[0]


@pytest.mark.parametrize(
    ("pol", "value", "target", "floor", "reason"),
    [
        ("H", 73.1, 85.0, 75.0, "below floor 75.0"),
        ("L", 30.4, 25.0, 30.0, "above floor 30.0"),
        ("H", 80.0, 85.0, NAN, "below target 85.0; floor not known"),
        ("H", NAN, 85.0, 75.0, "no value"),
        ("L", 12.0, NAN, NAN, "no target set"),
        ("H", 34.16, 34.4, 31.5, "below target 34.4, meets floor 31.5"),
    ],
)
def test_reasons_say_why(pol, value, target, floor, reason):
    assert rag_arrays([value], [pol], [target], [floor], [NAN], [NAN])[1][0] == reason


def test_rag_returns_a_new_frame_and_keeps_the_input():
    df = pd.DataFrame({"value": [1.0], "polarity": ["H"], "target": [2.0], "floor": [0.5], "range_low": NAN, "range_high": NAN})
    out = rag(df)
    assert "rag" not in df.columns and out["rag"].tolist() == ["AMBER"]


def test_unknown_polarity_and_missing_columns_are_refused():
    df = pd.DataFrame({"value": [1.0], "polarity": ["X"], "target": 1.0, "floor": 1.0, "range_low": NAN, "range_high": NAN})
    with pytest.raises(ValidationError, match="rows 0, column 'polarity': expected H, L or T, found 'X'"):
        rag(df)
    with pytest.raises(ValidationError, match="column 'floor' is missing"):
        rag(df.drop(columns="floor"))


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(value=finite, target=finite, gap=st.floats(min_value=0, max_value=1e5))
def test_mirroring_polarity_and_values_keeps_the_rag(value, target, gap):
    # H with floor = target - gap is the mirror image of L on negated values.
    h = rag_arrays([value], ["H"], [target], [target - gap], [NAN], [NAN])[0][0]
    low = rag_arrays([-value], ["L"], [-target], [-(target - gap)], [NAN], [NAN])[0][0]
    assert h == low


@given(value=finite, target=finite, floor=st.floats(min_value=0, max_value=1e5), shift=finite)
def test_t_is_symmetric_around_its_target(value, target, floor, shift):
    up = rag_arrays([target + abs(shift)], ["T"], [target], [floor], [NAN], [NAN])[0][0]
    down = rag_arrays([target - abs(shift)], ["T"], [target], [floor], [NAN], [NAN])[0][0]
    assert up == down


def test_ratings_are_the_ordered_categorical_and_sort_by_severity():
    df = pd.DataFrame(
        {
            "value": [90.0, 73.0, 80.0, math.nan],
            "polarity": "H",
            "target": 85.0,
            "floor": 75.0,
            "range_low": NAN,
            "range_high": NAN,
        }
    )
    out = rag(df)
    assert out["rag"].dtype == RAG
    assert out.sort_values("rag")["rag"].tolist() == ["RED", "AMBER", "GREEN", ""]
    assert out.loc[out["rag"] < "GREEN", "value"].tolist() == [73.0, 80.0]
