"""Small-number suppression: counts 1 to the threshold, and rates resting on them, are withheld everywhere."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import kccperf
from kccperf import ParameterError, commentary
from kccperf.publish.suppress import implied_small, suppress, withheld

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
        (87.5, 7, 8, "percent", 5, True),  # complement: 1 of 8 not on time
        (54.5, 6, 11, "percent", 5, True),  # complement 5, on the threshold
        (50.0, 6, 12, "percent", 5, False),  # complement 6, just above
        (74.4, 12.6, 17, "percent", 5, True),  # a complement of 4.4 full-time posts
        (99.4, 321, 323, "percent", 5, True),  # a large denominator with a small complement
        (62.5, NAN, 8, "percent", 5, True),  # a percentage with its denominator implies 5 of 8
        (100.0, NAN, 8, "percent", 5, False),  # 8 of 8: nothing small
        (87.5, 7, 8, "percent", 0, False),  # threshold 0: nothing withheld
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


def test_a_withheld_count_loses_its_share_of_the_county_total(scorecard):
    """The share times the county's printed total would give the withheld count back."""
    assessed = kccperf.assess(scorecard, published=kccperf.load_published("2024-10"))
    shown = suppress(assessed, 5)
    counts = shown[(shown.unit == "count") & (shown.area != "Kent")]
    hidden = counts[counts.suppressed]
    assert not hidden.empty and hidden.county_share.isna().all()
    assert (hidden.rating == "").all() and (hidden.published_rag == "").all() and (hidden.rating_check == "").all()
    assert counts.loc[~counts.suppressed & counts.value.notna(), "county_share"].notna().all()


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


def test_sevenoaks_ehcp_complement_is_withheld(scorecard):
    # Sevenoaks: 7 of 8 EHCPs issued within 20 weeks would tell the reader that 1 was late.
    shown = suppress(kccperf.assess(scorecard), 5)
    row = shown[(shown.area == "Sevenoaks") & (shown.indicator == "ehcp_issued_20wk")].iloc[0]
    assert row.suppressed and math.isnan(row.value) and math.isnan(row.denominator)


def test_no_shown_row_reveals_a_small_count_or_complement(scorecard):
    shown = suppress(kccperf.assess(scorecard), 5)
    kept = shown[~shown["suppressed"]]
    for figure in (kept.numerator, kept.denominator, kept.denominator - kept.numerator):
        assert not figure.between(1, 5).any()
    percent = kept[kept.unit.isin(["percent", "rate"])]
    assert not implied_small(percent.value, percent.denominator, 5).any()


@pytest.mark.parametrize(
    ("percent", "denominator", "expected"),
    [
        (62.5, 8, True),  # 5 of 8
        (75.0, 8, True),  # 6 of 8: the complement, 2, is small
        (50.0, 40, False),  # 20 of 40
        (12.5, 40, True),  # 5 of 40
        (15.0, 40, False),  # 6 of 40
        (0.0, 8, False),  # none: identifies no one
        (100.0, 8, False),  # all: identifies no one
        (33.3, 9, True),  # 3 of 9, printed to one decimal
        (33.0, 9, False),  # no whole count of 9 prints as 33.0
        (50.0, NAN, False),  # no denominator printed
    ],
)
def test_implied_counts(percent, denominator, expected):
    assert implied_small([percent], [denominator], 5).tolist() == [expected]


def _edition(**districts):
    """A county (Kent) and districts for one indicator at one period: name -> (numerator, denominator)."""
    rows = {"Kent": tuple(map(sum, zip(*districts.values()))), **districts}
    return pd.DataFrame(
        {
            "area": list(rows),
            "block": "",
            "indicator": "ehcp_issued_20wk",
            "period": "2024-10",
            "unit": "percent",
            "numerator": [float(n) for n, _ in rows.values()],
            "denominator": [float(d) for _, d in rows.values()],
            "value": [100 * n / d for n, d in rows.values()],
        }
    )


@pytest.mark.parametrize(
    ("districts", "expected"),
    [
        # Nothing small anywhere: nothing withheld (the quiet case).
        ({"A": (20, 40), "B": (30, 60), "C": (50, 90)}, []),
        # One district withheld (complement 1): the next smallest goes too, so Kent minus the rest hides it.
        ({"A": (7, 8), "B": (30, 60), "C": (50, 90)}, ["A", "B"]),
        # Two withheld already whose total is not small: nothing more.
        ({"A": (7, 8), "B": (3, 20), "C": (50, 90), "D": (40, 70)}, ["A", "B"]),
        # Two withheld whose total would still reveal a small complement (9 of 10): a third goes.
        ({"A": (4, 4), "B": (5, 6), "C": (50, 90), "D": (40, 70)}, ["A", "B", "D"]),
    ],
)
def test_secondary_suppression(districts, expected):
    out = suppress(_edition(**districts), 5)
    assert sorted(out.loc[out.suppressed, "area"]) == expected
    kept = out[~out.suppressed & (out.area != "Kent")]
    county = out[out.area == "Kent"].iloc[0]
    rest_num, rest_den = county.numerator - kept.numerator.sum(), county.denominator - kept.denominator.sum()
    for figure in (rest_num, rest_den, rest_den - rest_num):
        assert not 1 <= figure <= 5


def test_secondary_suppression_on_the_edition_hides_kent_minus_districts(scorecard):
    shown = suppress(kccperf.assess(scorecard), 5)
    kent = shown[shown.area == "Kent"].set_index("indicator")
    districts = shown[(shown.area != "Kent") & ~shown.suppressed]
    member = districts.block.where(districts.block != "", districts.area)
    sums = (
        districts.assign(member=member)
        .drop_duplicates(["indicator", "member"])
        .groupby("indicator")[["numerator", "denominator"]]
        .sum()
    )
    rest = kent[["numerator", "denominator"]].loc[sums.index] - sums
    for figure in (rest.numerator, rest.denominator, rest.denominator - rest.numerator):
        assert not figure.between(1, 5).any()


def test_a_withheld_latest_figure_hides_its_whole_trend():
    # Folkestone and Hythe EHCPs: 3 of 4 in the latest month, so no earlier month is drawn either.
    s = suppress(kccperf.load_scorecard(), 5, area="Folkestone and Hythe")
    ehcp = s[s.indicator == "ehcp_issued_20wk"]
    assert len(ehcp) > 1 and ehcp["suppressed"].all() and ehcp["value"].isna().all()


def test_every_period_of_a_trend_is_read_with_the_printed_denominator():
    # Folkestone and Hythe printed 62.5% in an earlier month beside a latest denominator of 8: 5 of 8.
    s = suppress(kccperf.load_scorecard(), 5)
    den = s.groupby(["area", "block", "indicator"]).denominator.transform("max")
    unit = s.indicator.map(kccperf.load_catalogue().indicators.set_index("indicator").unit)
    percent = unit.isin(["percent", "rate"])
    assert percent.sum() > 1000 and (den[percent] <= 12).any()
    shown = ~s.suppressed & percent
    assert not implied_small(s.value[shown], den[shown], 5).any()
    # An earlier point that reveals nothing stays: the withheld periods are not every period of every series.
    assert (~s.suppressed & percent & den.notna()).sum() > 500


@pytest.mark.parametrize("area", ["Tunbridge Wells", "tunbridge-wells"])
def test_one_area_is_suppressed_with_the_whole_edition(area):
    alone = suppress(kccperf.load_scorecard(), 5, area=area)
    assert set(alone.area) == {"Tunbridge Wells"}
    # Tunbridge Wells' independent placements are withheld only because of the other districts.
    assert alone[alone.indicator == "independent_special_placements"].suppressed.all()


def test_an_unknown_area_is_named():
    with pytest.raises(ParameterError, match="Tunbridge Welles"):
        suppress(kccperf.load_scorecard(), 5, area="Tunbridge Welles")


def test_nothing_to_suppress_withholds_nothing():
    frame = _edition(A=(20, 40), B=(30, 60))
    assert not withheld(frame, 5).any()
    pd.testing.assert_frame_equal(suppress(frame, 5).drop(columns="suppressed"), frame)
