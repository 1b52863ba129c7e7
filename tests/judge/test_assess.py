"""assess() on the real edition and on small synthetic frames, including every bad-input case."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import kccperf
from kccperf import ValidationError, assess
from kccperf.schemas import RAG, Assessed


def small():
    return pd.DataFrame(
        {
            "area": "Kent",
            "block": "",
            "indicator": "cic_kcc_foster_care",
            "polarity": "H",
            "period_type": "MS",
            "period": ["2024-09", "2024-10"],
            "value": [72.7, 73.1],
            "numerator": [math.nan, 757],
            "denominator": [math.nan, 1036],
        }
    )


def test_one_row_per_series_at_its_latest_period(scorecard):
    a = assess(scorecard)
    Assessed.validate(a, lazy=True)
    assert not a.duplicated(["area", "block", "indicator"]).any()
    assert len(a) == scorecard[scorecard.is_latest][["area", "block", "indicator"]].drop_duplicates().shape[0]


def test_every_rating_column_is_the_ordered_categorical(scorecard):
    a = assess(scorecard, published=kccperf.load_published())
    for column in ("rag", "previous_rag", "rating", "published_rag"):
        assert a[column].dtype == RAG, column
    worst_first = a.sort_values("rating")["rating"].drop_duplicates().tolist()
    assert worst_first == [r for r in ("RED", "AMBER", "GREEN", "") if r in set(a["rating"])]


@pytest.mark.parametrize(
    ("area", "block", "indicator", "rag", "dot"),
    [
        ("Kent", "", "cic_kcc_foster_care", "RED", "improved"),
        ("Kent", "", "cswt_re_referrals", "GREEN", "improved"),
        ("Kent", "", "cp_plan_repeat", "GREEN", "worsened"),
        # Above its target and no floor published: not rated AMBER or RED (provisional ratings are asked for apart).
        ("Ashford", "Ashford CSWT", "caseload_cswt", "", "worsened"),
        ("Kent", "", "primary_first_preference", "", "improved"),
    ],
)
def test_real_judgements(scorecard, area, block, indicator, rag, dot):
    a = assess(scorecard).set_index(["area", "block", "indicator"])
    row = a.loc[(area, block, indicator)]
    assert (row.rag, row["direction"]) == (rag, dot)


def test_targets_come_from_the_reporting_year():
    a = assess(small()).iloc[0]
    assert (a.target_year, a.target, a.floor, a.floor_source) == ("2024-25", 85.0, 75.0, "stated")
    assert a.rag_reason == "below floor 75.0"


def test_input_frame_is_not_changed():
    df = small()
    before = df.copy()
    assess(df)
    pd.testing.assert_frame_equal(df, before)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.assign(polarity=["H", "Q"]), "rows 1, column 'polarity': expected H, L or T, found 'Q'"),
        (lambda d: d.assign(value=["72.7", "lots"]), "rows 1, column 'value': expected a number, found 'lots'"),
        (lambda d: d.assign(period=["2024-10", "2024-10"]), "rows 0, 1 repeat one area, block, indicator and period"),
        (lambda d: d.drop(columns="period_type"), "column 'period_type' is missing"),
        (lambda d: d.assign(period_type=["MS", "Weekly"]), "rows 1, column 'period_type'"),
    ],
)
def test_bad_input_names_the_rows(change, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        assess(change(small()))


def test_missing_target_columns():
    targets = kccperf.load_catalogue().targets.drop(columns="floor")
    with pytest.raises(ValidationError, match="targets frame lacks column 'floor'"):
        assess(small(), targets=targets)


def test_county_only_targets_do_not_rate_districts(scorecard):
    a = assess(scorecard).set_index(["area", "block", "indicator"])
    assert a.loc[("Kent", "", "perm_exclusions_secondary"), "rag"] == "GREEN"
    district = a.loc[("Maidstone", "", "perm_exclusions_secondary")]
    assert district.rag == "" and district.rag_reason == "no target set"


def test_inferred_floors_rate_only_when_provisional_ratings_are_asked_for(scorecard):
    plain = assess(scorecard)
    provisional = assess(scorecard, provisional=True)
    key = (plain["area"] == "Ashford") & (plain["block"] == "Ashford CSWT") & (plain["indicator"] == "caseload_cswt")
    row, prov = plain[key].iloc[0], provisional[key.to_numpy()].iloc[0]
    assert row.rag == "" and row.floor_source == "inferred" and math.isnan(row.floor)
    assert "floor not published; the published ratings imply a floor between" in row.rag_reason
    assert f"{row.floor_low:g} and {row.floor_high:g}" in row.rag_reason
    assert prov.rag == "RED" and "provisional" in prov.rag_reason
    # A stated floor rates with or without the parameter.
    stated = (plain["area"] == "Kent") & (plain["indicator"] == "cic_kcc_foster_care")
    assert plain.loc[stated, "rag"].item() == provisional.loc[stated.to_numpy(), "rag"].item() == "RED"


def test_a_closest_to_target_floor_is_said_as_a_distance_from_the_target(scorecard):
    # Repeat child protection plans (target 20, range 17.5-22.5): the inferred floor is a distance, not a level of 7%.
    a = assess(scorecard)
    row = a[(a["area"] == "Dover") & (a["indicator"] == "cp_plan_repeat")].iloc[0]
    assert row.polarity == "T" and row.floor_source == "inferred"
    assert row.rag_reason.endswith(f"imply a floor of within {row.floor_low:g} to {row.floor_high:g} of the target")
    assert "floor between" not in row.rag_reason
