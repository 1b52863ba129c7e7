"""Small-number suppression: counts 1 to the threshold, and rates resting on them, are withheld everywhere."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import kccperf
from kccperf import ParameterError, commentary
from kccperf.publish.suppress import suppress

NAN = math.nan


@pytest.mark.parametrize(
    ("value", "num", "den", "unit", "threshold", "withheld"),
    [
        (0.0, NAN, NAN, "count", 5, False),  # zero identifies no one
        (1.0, NAN, NAN, "count", 5, True),
        (5.0, NAN, NAN, "count", 5, True),  # on the threshold
        (6.0, NAN, NAN, "count", 5, False),  # just above
        (75.0, 3, 4, "percent", 5, True),  # small numerator and denominator
        (50.0, 3, 6, "percent", 5, True),  # small numerator only
        (100.0, 6, 6, "percent", 5, False),
        (37.5, 6, 16, "rate", 5, False),
        (12.9, 142, 11.0, "caseload", 5, False),
        (5.0, NAN, NAN, "count", 0, False),  # threshold 0: nothing withheld
        (8.0, NAN, NAN, "count", 10, True),  # a stricter threshold
    ],
)
def test_boundaries(value, num, den, unit, threshold, withheld):
    df = pd.DataFrame({"value": [value], "numerator": [num], "denominator": [den], "unit": [unit]})
    out = suppress(df, threshold)
    assert out["suppressed"].item() is withheld
    assert math.isnan(out["value"].item()) is withheld


@pytest.mark.parametrize("bad", [-1, 2.5, "5", True, None])
def test_bad_thresholds(bad):
    with pytest.raises(ParameterError, match="suppress_threshold"):
        suppress(pd.DataFrame({"value": [1.0], "unit": ["count"]}), bad)


def test_derived_figures_go_with_the_value(scorecard):
    shown = suppress(kccperf.assess(scorecard), 5)
    row = shown[(shown.area == "Folkestone and Hythe") & (shown.indicator == "ehcp_issued_20wk")].iloc[0]
    assert row.suppressed and math.isnan(row.ci_low) and row.rag == "" and math.isnan(row.county_gap)


def test_commentary_does_not_repeat_a_withheld_figure(scorecard):
    shown = suppress(kccperf.assess(scorecard), 5)
    sentences = commentary(shown[shown.area == "Folkestone and Hythe"])
    s = sentences[sentences.indicator == "ehcp_issued_20wk"]["sentence"].item()
    assert "withheld" in s and "75.0" not in s


def test_suppression_keeps_the_input(scorecard):
    before = scorecard.copy()
    suppress(scorecard, 5)
    pd.testing.assert_frame_equal(scorecard, before)


def test_report_shows_the_marker_and_footnote(full_run):
    page = (full_run.out_dir / "folkestone-and-hythe.html").read_text(encoding="utf-8")
    assert '<abbr title="withheld: small numbers">c</abbr>' in page
    assert "withheld because it is based on 5 or fewer children" in page


def test_a_count_series_with_a_withheld_period_is_withheld_whole():
    # Folkestone and Hythe: 0, 0, 0, 1, 0, 0, 0 primary exclusions; a gap among zeros would betray the 1.
    s = suppress(kccperf.load_scorecard(area="Folkestone and Hythe"), 5)
    ex = s[s.indicator == "perm_exclusions_primary"]
    assert ex["suppressed"].all() and ex["value"].isna().all()
    # A series of larger counts keeps its figures.
    big = s[s.indicator == "perm_exclusions_secondary"]
    assert big["value"].notna().all() or big["suppressed"].any()


def test_downloads_do_not_keep_derived_text_for_withheld_rows(scorecard):
    shown = suppress(kccperf.assess(scorecard), 5)
    hidden = shown[shown["suppressed"]]
    assert len(hidden) and (hidden["rag_reason"] == "").all() and (hidden["dot_reason"] == "").all()
    assert hidden[["funnel_95_low", "funnel_95_high", "ci_low", "county_gap"]].isna().all().all()
