"""Published ratings checked only where the target or a stated floor decides them."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kccperf.judge.ratings import (
    MISSED,
    check_ratings,
    moved_reason,
    rating_changes,
    says_covered_year_unset,
    standing,
    with_published_ratings,
)
from kccperf.schemas import Assessed as A
from kccperf.schemas import Published, PublishedRating, RatingChange, RatingCheck

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


# standing: a missed target with no stated floor is a standing of its own, so a fall from GREEN is not hidden.
@pytest.mark.parametrize(
    "rag, value, target, expected",
    [
        ("GREEN", 70.0, 65.0, "GREEN"),
        ("AMBER", 60.0, 65.0, "AMBER"),
        ("", 60.0, 65.0, MISSED),
        ("", math.nan, 65.0, ""),  # no figure: nothing to stand on
        ("", 60.0, math.nan, ""),  # no target: not rated
    ],
)
def test_standing(rag, value, target, expected):
    assert standing([rag], [value], [target]).tolist() == [expected]


def _view(**cols) -> pd.DataFrame:
    base = {
        A.area: ["X"] * 3,
        A.block: [""] * 3,
        A.indicator: ["a", "b", "c"],
        A.value: [60.0, 70.0, 60.0],
        A.target: [65.0, 65.0, 65.0],
        A.rag: ["", "GREEN", ""],
        A.previous_rag: ["GREEN", "GREEN", ""],
        A.dot_compared_value: [70.0, 71.0, 61.0],
    }
    return pd.DataFrame({**base, **cols})


def test_rating_changes_finds_a_fall_from_green_and_nothing_else():
    changed = rating_changes(_view())
    assert changed[A.indicator].tolist() == ["a"]
    assert changed[[RatingChange.standing_before, RatingChange.standing_now]].values.tolist() == [["GREEN", MISSED]]
    RatingChange.validate(changed)


def test_rating_changes_quiet_case():
    changed = rating_changes(_view(**{A.rag: ["GREEN"] * 3, A.previous_rag: ["GREEN"] * 3, A.value: [70.0] * 3}))
    assert changed.empty
    RatingChange.validate(changed)


def _assessed() -> pd.DataFrame:
    return _view(
        **{
            A.period: ["2024-10"] * 3,
            A.polarity: ["H"] * 3,
            A.floor: [math.nan, math.nan, 55.0],
            A.floor_source: ["inferred", "", "stated"],
            A.rag: ["", "GREEN", "AMBER"],
        }
    )


def test_without_published_ratings_the_report_shows_the_computed_ones():
    out = with_published_ratings(_assessed(), None)
    assert out[A.rating].tolist() == ["", "GREEN", "AMBER"]
    assert out[A.rating_basis].tolist() == ["", "computed", "computed"]
    assert (out[RatingCheck.rating_check] == "").all()


def test_a_printed_rating_is_shown_with_its_check():
    published = pd.DataFrame(
        {
            Published.area: ["X", "X"],
            Published.block: ["", ""],
            Published.indicator: ["a", "b"],
            Published.latest_period: ["2024-10", "2024-10"],
            Published.rag: ["AMBER", "AMBER"],
            Published.target: [65.0, 65.0],
        }
    )
    out = with_published_ratings(_assessed(), published)
    # a: printed AMBER, no stated floor; b: printed AMBER although 70 meets 65; c: not printed, computed.
    assert out[A.rating].tolist() == ["AMBER", "AMBER", "AMBER"]
    assert out[A.rating_basis].tolist() == ["published", "published", "computed"]
    assert out[RatingCheck.rating_check].tolist() == ["cannot be checked", "disagrees", ""]
    assert out[PublishedRating.published_rag].tolist() == ["AMBER", "AMBER", ""]


RATED_AGAINST = "the scorecard rated it against the target printed with it, 72 for 2023-24"


@pytest.mark.parametrize(
    ("value", "printed_target", "check", "reason"),
    [
        # Shown for 2022-23, the year it covers (target 65, lower is better); printed GREEN beside 2023-24's 72.
        (66.0, 72.0, "disagrees", "GREEN although the value 66 misses the target 65; " + RATED_AGAINST),
        (64.0, 72.0, "agrees", "the value 64 meets the target 65; " + RATED_AGAINST),
        (66.0, 65.0, "disagrees", "GREEN although the value 66 misses the target 65"),
        # No target for the year it covers: nothing to check it against.
        (
            66.0,
            72.0,
            "cannot be checked",
            "no target is published for 2022-23, the year the figure covers, so it cannot be checked; " + RATED_AGAINST,
        ),
    ],
)
def test_a_figure_printed_under_a_later_period_is_checked_against_its_own_years_target(value, printed_target, check, reason):
    assessed = _view(**{A.period: ["2022-23"] * 3, A.polarity: ["L"] * 3, A.floor: [math.nan] * 3, A.floor_source: [""] * 3})
    published = pd.DataFrame(
        {
            Published.area: ["X"],
            Published.block: [""],
            Published.indicator: ["b"],
            Published.latest_period: ["2023-24"],
            Published.rag: ["GREEN"],
            Published.target: [printed_target],
            Published.target_year: ["2023-24"],
        }
    )
    shown = math.nan if check == "cannot be checked" else 65.0
    row = assessed.iloc[[1]].assign(**{A.value: [value], A.target: [shown], A.target_year: ["2022-23"]})
    out = with_published_ratings(row, published)
    assert out[RatingCheck.rating_check].tolist() == [check]
    assert out[RatingCheck.rating_check_reason].tolist() == [reason]


@pytest.mark.parametrize(
    ("printed_year", "unset", "reason"),
    [
        ("2023-24", False, RATED_AGAINST),
        ("", False, "the scorecard rated it against the target printed with it, 72"),
        (
            "2023-24",
            True,
            "no target is published for 2022-23, the year the figure covers, so it cannot be checked; " + RATED_AGAINST,
        ),
    ],
)
def test_one_function_says_why_a_moved_figure_is_judged_as_it_is(printed_year, unset, reason):
    said = moved_reason([72.0], [printed_year], ["2022-23"], [unset])
    assert said.tolist() == [reason]
    assert says_covered_year_unset(said).tolist() == [unset]


@pytest.mark.parametrize(
    "reason",
    [
        "no target is published, so the rating cannot be checked",
        "no target range is published, so the rating cannot be checked",
        "GREEN although the value 66 misses the target 65; " + RATED_AGAINST,
        "",
    ],
)
def test_other_reasons_do_not_say_the_covered_year_has_no_target(reason):
    assert says_covered_year_unset([reason]).tolist() == [False]
