"""True periods: figures printed under a later period than they cover, on synthetic series and the real October 2024 data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kccperf
from kccperf.judge.true_periods import relabelled_latest, repeated_latest, true_periods, with_true_periods
from kccperf.schemas import TruePeriod


def _series(values: dict[str, list[float]], decimals: float = 1.0, labels=("2021-22", "2022-23", "2023-24")) -> pd.DataFrame:
    """One annual series per area, the last period latest."""
    rows = []
    for area, vals in values.items():
        for i, (label, v) in enumerate(zip(labels, vals, strict=True)):
            rows.append(
                {
                    "area": area,
                    "block": "",
                    "indicator": "x",
                    "polarity": "H",
                    "period_type": "A",
                    "period": label,
                    "period_label": label,
                    "value": v,
                    "decimals": decimals if not isinstance(decimals, list) else decimals[i],
                    "is_latest": i == len(vals) - 1,
                    "source_file": f"{area}.tsv",
                    "source_row": 4,
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("values", "flagged"),
    [
        # The column repeats in every area: each is a true-period case.
        ({"A": [49.3, 47.0, 47.0], "B": [50.0, 48.1, 48.1], "C": [40.0, 41.0, 41.0]}, {"A", "B", "C"}),
        # Two of three repeat (at least half): those two.
        ({"A": [49.3, 47.0, 47.0], "B": [50.0, 48.1, 48.1], "C": [40.0, 41.0, 42.0]}, {"A", "B"}),
        # One of three: chance, not a sign.
        ({"A": [49.3, 47.0, 47.0], "B": [50.0, 48.1, 48.2], "C": [40.0, 41.0, 42.0]}, set()),
        # Nothing repeats: quiet.
        ({"A": [49.3, 47.0, 46.9], "B": [50.0, 48.1, 48.2]}, set()),
    ],
)
def test_a_repeat_is_a_sign_when_it_is_the_column_s_habit(values, flagged):
    cases = repeated_latest(_series(values))
    assert set(cases["area"]) == flagged
    TruePeriod.validate(cases)


def test_more_decimals_are_a_sign_on_their_own():
    df = _series({"A": [30.1, 32.8, 32.83], "B": [31.0, 30.0, 29.0]}, decimals=[1.0, 1.0, 2.0])
    cases = repeated_latest(df)
    assert cases[["area", "true_label", "value", "compared_label", "compared_value"]].values.tolist() == [
        ["A", "2022-23", 32.83, "2021-22", 30.1]
    ]
    assert "32.8 with more decimals" in cases["evidence"].item()


def test_whole_numbers_printed_again_are_not_a_sign():
    df = _series({"A": [5, 3, 3], "B": [4, 2, 2], "C": [1, 0, 0]}, decimals=0.0)
    assert repeated_latest(df).empty


def test_the_figure_moves_to_its_true_period_and_is_compared_with_the_one_before():
    df = _series({"A": [49.3, 47.0, 47.0], "B": [50.0, 48.1, 48.1]})
    moved = with_true_periods(df, repeated_latest(df))
    assert "2023-24" not in set(moved["period"])
    assert moved.loc[moved["is_latest"], ["area", "period", "value"]].values.tolist() == [
        ["A", "2022-23", 47.0],
        ["B", "2022-23", 48.1],
    ]
    a = kccperf.assess(df.assign(numerator=np.nan, denominator=np.nan), targets=_no_targets(), indicators=_indicator())
    assert a[["area", "period_label", "dot_arrow", "dot_compared_label", "dot_compared_value"]].values.tolist() == [
        ["A", "2022-23", "↓", "2021-22", 49.3],
        ["B", "2022-23", "↓", "2021-22", 50.0],
    ]
    # Taken as printed, the repeated figure would be compared with itself.
    printed = kccperf.assess(df, targets=_no_targets(), indicators=_indicator(), true_periods=False)
    assert set(printed["dot_arrow"]) == {"↔"}


def _no_targets() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["indicator", "year", "target", "floor", "floor_source", "range_low", "range_high", "applies_to"]
    ).astype({"target": float, "floor": float, "range_low": float, "range_high": float})


def _indicator() -> pd.DataFrame:
    return pd.DataFrame({"indicator": ["x"], "seasonal": [False], "unit": ["score"], "service": ["Education"]})


def test_another_table_printing_the_figure_under_the_earlier_label_is_a_sign(scorecard, published):
    cases = relabelled_latest(scorecard, published)
    kent = cases[(cases["area"] == "Kent") & (cases["indicator"] == "ks4_attainment8")]
    assert kent[["period_label", "true_label", "value", "compared_value"]].values.tolist() == [["2023-24", "2022-23", 47.0, 49.3]]
    assert "kent__vulnerable_secondary.tsv line 4 prints 47 as 2022-23" in kent["evidence"].item()


def test_kent_attainment_8_is_the_2022_23_figure_and_worsened(scorecard, published):
    """The issue's example: "2023-24, 47.0, ↔" is the 2022-23 figure; the real movement is 49.3 -> 47.0."""
    cases = true_periods(scorecard, published)
    row = cases[(cases["area"] == "Kent") & (cases["indicator"] == "ks4_attainment8")].iloc[0]
    assert (row.period_label, row.true_label, row.value, row.compared_label, row.compared_value) == (
        "2023-24",
        "2022-23",
        47.0,
        "2021-22",
        49.3,
    )
    assert row.sign == "repeat; other_table"
    with_sources = true_periods(scorecard, published, info=kccperf.load_indicator_info("2024-10"))
    kent = with_sources[(with_sources["area"] == "Kent") & (with_sources["indicator"] == "ks4_attainment8")].iloc[0]
    assert kent.sign == "repeat; other_table; sources"
    assert "data-sources page (agenda pack line 701) says the latest figure is '2022-23 DfE Published" in kent.evidence
    a = kccperf.assess(scorecard)
    k = a[(a["area"] == "Kent") & (a["block"] == "") & (a["indicator"] == "ks4_attainment8")].iloc[0]
    assert (k.period_label, k.dot_arrow, k.dot_compared_value) == ("2022-23", "↓", 49.3)


def test_every_area_and_indicator_is_read_not_only_ks4(scorecard, published):
    cases = true_periods(scorecard, published)
    assert {"ks4_attainment8", "ks5_applied_general_aps", "case_audits_good"} <= set(cases["indicator"])
    assert cases.groupby("indicator")["area"].nunique()["ks4_attainment8"] == 13
    # Each case's figures are the data's: the printed figure, and the true period's own figure equal to it.
    key = scorecard.set_index(["area", "block", "indicator", "period"])["value"]
    printed = key.reindex(pd.MultiIndex.from_frame(cases[["area", "block", "indicator", "period"]])).to_numpy()
    true = key.reindex(pd.MultiIndex.from_frame(cases[["area", "block", "indicator", "true_period"]])).to_numpy()
    assert np.allclose(printed, cases["value"]) and np.allclose(true, cases["true_value"])


def test_qa_lists_each_case_with_its_evidence_and_checks_the_arrow():
    rec = kccperf.reconcile("2024-10")
    f = rec.findings[rec.findings["category"] == "true_period"]
    kent = f[(f["area"] == "Kent") & (f["indicator"] == "ks4_attainment8")].iloc[0]
    assert kent.published == "47 for 2023-24 with the arrow ↔"
    assert kent.computed == "47 is the 2022-23 figure; against 2021-22 (49.3) ↓ worsened"
    assert "kent__education_annual.tsv line 8" in kent.explanation
    assert kent.explanation.endswith("the published arrow ↔ does not match that comparison")
    dot = rec.findings[(rec.findings["category"] == "dot") & (rec.findings["area"] == "Kent")]
    a8 = dot[dot["indicator"] == "ks4_attainment8"].iloc[0]
    assert (a8.published, a8.computed) == ("↔", "↓ worsened")
    assert "compares the figure with itself" in a8.explanation


def test_the_sources_page_dates_every_ks4_and_ks5_column(scorecard):
    from kccperf.judge.true_periods import sourced_latest

    cases = sourced_latest(scorecard, kccperf.load_indicator_info("2024-10"))
    assert set(cases["indicator"]) == {
        "ks4_attainment8",
        "ks4_attainment8_fsm_gap",
        "ks5_a_level_aps",
        "ks5_applied_general_aps",
        "ks5_tech_level_aps",
    }
    # Kent's A level figure is 2023-24 by the page (only the districts' are 2022-23): not moved.
    assert not ((cases["area"] == "Kent") & (cases["indicator"] == "ks5_a_level_aps")).any()
    assert (cases["true_label"] == "2022-23").all() and (cases["period_label"] == "2023-24").all()


def test_a_repeat_the_sources_page_contradicts_says_it_rests_on_the_repeat_alone(scorecard, published):
    info = kccperf.load_indicator_info("2024-10")
    cases = true_periods(scorecard, published, info=info)
    alone = cases[cases["evidence"].str.contains("rests on the repeat alone", regex=False)]
    # The monthly case-audit and staffing rows: the page dates them Oct 2024, the column they are printed in.
    assert set(alone["indicator"]) == {"case_audits_good", "ehu_case_audits_good", "permanent_social_workers"}
    assert (alone["sign"] == "repeat").all() and (alone["period_label"] == "Oct-24").all()
    covers = info.set_index("indicator")["latest_data"]
    for r in alone.itertuples(index=False):
        assert f"the data-sources page gives '{covers[r.indicator]}', the column's own period" in r.evidence
    # Where the page itself dates the figure earlier, the page is evidence and nothing is said about the repeat alone.
    a8 = cases[(cases["area"] == "Kent") & (cases["indicator"] == "ks4_attainment8")]
    assert "sources" in a8["sign"].item() and "repeat alone" not in a8["evidence"].item()
    # Without the metadata pages nothing can be said about them.
    assert not true_periods(scorecard, published)["evidence"].str.contains("repeat alone").any()
