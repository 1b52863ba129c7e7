"""Benchmarks: gaps by polarity, ranks with ties, quartile bands, Wilson intervals, significance, funnels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from kccperf.judge.benchmark import benchmark, better_or_worse, funnel_limits, wilson_interval


def latest(values, pol="H", num=None, den=None, county=50.0):
    n = len(values)
    rows = pd.DataFrame(
        {
            "area": [f"D{i}" for i in range(n)],
            "block": "",
            "indicator": "x",
            "period": "2024-10",
            "polarity": pol,
            "value": values,
            "numerator": num or [math.nan] * n,
            "denominator": den or [math.nan] * n,
            "england": 50.0,
            "regional": 55.0,
            "unit": "percent",
        }
    )
    kent = pd.DataFrame(
        {
            "area": ["Kent"],
            "block": [""],
            "indicator": ["x"],
            "period": ["2024-10"],
            "polarity": [pol],
            "value": [county],
            "numerator": [math.nan],
            "denominator": [math.nan],
            "england": [50.0],
            "regional": [55.0],
            "unit": ["percent"],
        }
    )
    return pd.concat([kent, rows], ignore_index=True)


@pytest.mark.parametrize(
    ("gap", "pol", "expected"),
    [
        (1.0, "H", "better"),
        (-1.0, "H", "worse"),
        (1.0, "L", "worse"),
        (-1.0, "L", "better"),
        (0.0, "H", "same"),
        (math.nan, "H", ""),
    ],
)
def test_better_or_worse_by_polarity(gap, pol, expected):
    assert better_or_worse([gap], [pol])[0] == expected


def test_ranks_ties_share_the_best_rank_and_county_is_excluded():
    out = benchmark(latest([60.0, 70.0, 70.0, 40.0]))
    districts = out[out.area != "Kent"]
    assert districts["rank"].tolist() == [3, 1, 1, 4]
    assert districts["rank_of"].tolist() == [4, 4, 4, 4]
    assert math.isnan(out.loc[out.area == "Kent", "rank"].item())
    assert districts["quartile"].tolist() == ["C", "A", "A", "D"]


def test_lower_is_better_ranks_ascending():
    out = benchmark(latest([60.0, 70.0, 40.0], pol="L"))
    assert out[out.area != "Kent"]["rank"].tolist() == [2, 3, 1]


def test_missing_values_are_not_ranked():
    out = benchmark(latest([60.0, math.nan, 40.0]))
    d = out[out.area != "Kent"]
    assert d["rank"].tolist()[0] == 1 and math.isnan(d["rank"].tolist()[1]) and d["rank_of"].tolist()[0] == 2


def test_gaps_to_england_region_and_county():
    out = benchmark(latest([60.0], pol="L")).iloc[1]
    assert (out.england_gap, out.vs_england, out.regional_gap, out.vs_regional, out.county_gap, out.vs_county) == (
        10.0,
        "worse",
        5.0,
        "worse",
        10.0,
        "worse",
    )


def test_wilson_interval_matches_statsmodels_and_skips_non_counts():
    lo, hi = wilson_interval([19, 15.6, 5], [99, 23.0, 0])
    ref = proportion_confint(19, 99, method="wilson")
    assert lo[0] == pytest.approx(ref[0] * 100) and hi[0] == pytest.approx(ref[1] * 100)
    assert np.isnan(lo[1:]).all()  # FTE figures and a zero denominator have no binomial interval


def test_wilson_interval_is_statsmodels_to_rounding():
    # Equal to the last bit with current versions; with the lowest versions allowed (numpy 2.0) 2% of the bounds
    # differ in their last bit (2.8e-16 relative), so the test allows a few units of rounding.
    den = np.repeat(np.arange(1.0, 60.0), 60)
    num = np.minimum(np.tile(np.arange(60.0), 59), den)
    for alpha in (0.05, 0.002):
        lo, hi = wilson_interval(num, den, alpha=alpha)
        ref_lo, ref_hi = proportion_confint(num, den, alpha=alpha, method="wilson")
        np.testing.assert_allclose(lo, ref_lo * 100, rtol=1e-14, atol=1e-12)
        np.testing.assert_allclose(hi, ref_hi * 100, rtol=1e-14, atol=1e-12)


@pytest.mark.parametrize(
    ("num", "den", "pol", "expected"),
    [
        (80, 100, "H", "significantly better"),
        (20, 100, "H", "significantly worse"),
        (52, 100, "H", "not significantly different"),
        (80, 100, "L", "significantly worse"),
    ],
)
def test_significance_against_the_county(num, den, pol, expected):
    out = benchmark(latest([num / den * 100], pol=pol, num=[num], den=[den])).iloc[1]
    assert out.sig_vs_county == expected


def test_funnel_limits_widen_for_small_areas():
    lo_small, hi_small = funnel_limits(50.0, [20])
    lo_big, hi_big = funnel_limits(50.0, [2000])
    assert hi_small[0] - lo_small[0] > hi_big[0] - lo_big[0]
    out = benchmark(latest([80.0, 52.0], num=[80, 52], den=[100, 100])).iloc[1:]
    assert out["funnel"].tolist() == ["outside 99.8% limits", "within 95% limits"]


def test_real_data_every_district_is_ranked_among_twelve(scorecard):
    import kccperf

    a = kccperf.assess(scorecard)
    ranked = a[(a.indicator == "ks2_rwm") & (a.area != "Kent")]
    assert ranked["rank_of"].unique().tolist() == [12]
    assert ranked["rank"].min() == 1 and set(ranked["quartile"]) == {"A", "B", "C", "D"}


def test_a_count_is_a_share_of_the_county_not_a_gap_to_it():
    """Sevenoaks' 10 secondary exclusions are 12.7% of Kent's 79, not "69 better" than Kent."""
    import kccperf

    a = kccperf.assess(kccperf.load_scorecard("2024-10"))
    row = a[(a["area"] == "Sevenoaks") & (a["indicator"] == "perm_exclusions_secondary")].iloc[0]
    assert (row.value, row.county_value) == (10.0, 79.0)
    assert np.isnan(row.county_gap) and row.vs_county == ""
    assert row.county_share == pytest.approx(100 * 10 / 79)
    counts = a[a["unit"] == "count"]
    assert counts["county_gap"].isna().all() and (counts["vs_county"] == "").all()
    # Rates, percentages and averages keep their gap; the county itself has no share of itself.
    rates = a[(a["unit"] != "count") & (a["area"] != "Kent") & a["county_value"].notna() & a["value"].notna()]
    assert rates["county_gap"].notna().all() and rates["county_share"].isna().all()
    assert a.loc[a["area"] == "Kent", "county_share"].isna().all()
