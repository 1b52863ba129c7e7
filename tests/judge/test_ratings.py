"""Published ratings checked only where the target or a stated floor decides them."""

from __future__ import annotations

import math

import pytest

from kccperf.judge.ratings import check_ratings
from kccperf.schemas import RatingCheck

NAN = math.nan


@pytest.mark.parametrize(
    ("rag", "value", "polarity", "target", "floor", "source", "check", "reason"),
    [
        # The target decides GREEN against not-GREEN; on the target meets it.
        ("GREEN", 85.0, "H", 85.0, NAN, "", "agrees", "the value 85 meets the target 85"),
        ("GREEN", 84.9, "H", 85.0, NAN, "", "disagrees", "GREEN although the value 84.9 misses the target 85"),
        ("AMBER", 85.0, "H", 85.0, 75.0, "stated", "disagrees", "AMBER although the value 85 meets the target 85"),
        ("GREEN", 20.0, "L", 20.0, NAN, "", "agrees", "the value 20 meets the target 20"),
        ("AMBER", 12.9, "L", 20.0, NAN, "unknown", "disagrees", "AMBER although the value 12.9 meets the target 20"),
        # A stated floor decides AMBER against RED; on the floor meets it.
        ("AMBER", 75.0, "H", 85.0, 75.0, "stated", "agrees", "and meets the stated floor 75"),
        ("RED", 74.9, "H", 85.0, 75.0, "stated", "agrees", "and misses the stated floor 75"),
        ("RED", 75.0, "H", 85.0, 75.0, "stated", "disagrees", "RED although the value 75 meets the stated floor 75"),
        ("AMBER", 21.0, "L", 20.0, 21.0, "stated", "agrees", "meets the stated floor 21"),
        # An inferred or unknown floor decides nothing.
        ("RED", 60.0, "H", 85.0, 75.0, "inferred", "cannot be checked", "floor not published"),
        ("AMBER", 60.0, "H", 85.0, NAN, "unknown", "cannot be checked", "floor not published"),
        # No target, no value.
        ("GREEN", 3.0, "L", NAN, NAN, "", "cannot be checked", "no target is published"),
        ("GREEN", NAN, "H", 85.0, NAN, "", "disagrees", "a RAG is published although no value is"),
        # Close to the target: only a published range decides it.
        ("GREEN", 19.7, "T", 20.0, NAN, "", "cannot be checked", "no target range is published"),
    ],
)
def test_a_rating_is_checked_only_as_far_as_the_published_figures_reach(
    rag, value, polarity, target, floor, source, check, reason
):
    out = check_ratings([rag], [value], [polarity], [target], [NAN], [NAN], [floor], [source])
    RatingCheck.validate(out)
    assert out["rating_check"].item() == check
    assert reason in out["rating_check_reason"].item()


def test_the_target_part_agrees_even_when_the_floor_cannot_be_checked():
    out = check_ratings(["RED", "GREEN"], [60.0, 90.0], ["H", "H"], [85.0, 85.0], [NAN] * 2, [NAN] * 2, [NAN] * 2, ["", ""])
    assert out["target_agrees"].tolist() == [True, True]
    assert out["rating_check"].tolist() == ["cannot be checked", "agrees"]


def test_t_indicators_use_their_target_range():
    out = check_ratings(["GREEN", "GREEN"], [18.0, 23.0], "T", 20.0, [17.5] * 2, [22.5] * 2, NAN, "")
    assert out["rating_check"].tolist() == ["agrees", "disagrees"]
