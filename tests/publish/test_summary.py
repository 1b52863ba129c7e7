from __future__ import annotations

import pandas as pd
import pytest

import kccperf
from kccperf import indicator_summary, rag_counts


def test_summary_has_one_row_per_block_and_indicator(scorecard, published):
    s = indicator_summary(scorecard[scorecard.area == "Swale"], published[published.area == "Swale"])
    assert not s.duplicated(["block", "indicator"]).any()
    assert len(s) == scorecard[(scorecard.area == "Swale") & scorecard.is_latest].shape[0]
    row = s[(s.block == "Swale Central CSWT") & (s.indicator == "caseload_cswt")].iloc[0]
    assert (row.value, row.rag_published, row.dot_published, row.target) == (22.8, "RED", "↓", 18.0)
    assert row.trend == [19.2, 21.7, 31.5, 30.1, 22.2, 21.0, 22.8]


def test_summary_groups_services_in_report_order():
    s = indicator_summary(kccperf.load_scorecard(area="Kent"), kccperf.load_published(area="Kent"))
    assert s["service"].iloc[0] == "Children's social care"
    assert s["service"].drop_duplicates().tolist()[-1] == "Vulnerable learners"


@pytest.mark.parametrize(
    ("rags", "expected"),
    [(["RED", "RED"], [2, 0, 0, 0]), (["", "N/A", "GREEN"], [0, 0, 1, 2]), ([], [0, 0, 0, 0])],
)
def test_rag_counts(rags, expected):
    assert rag_counts(pd.DataFrame({"rag_published": rags}))["count"].tolist() == expected


def test_rag_counts_counts_an_assess_result_by_default_and_names_a_missing_column(scorecard):
    assessed = kccperf.assess(scorecard[scorecard.area == "Dover"])
    counts = rag_counts(assessed).set_index("rag")["count"]
    assert counts.sum() == len(assessed)
    assert counts["RED"] == (assessed.rag == "RED").sum() and counts["GREEN"] == (assessed.rag == "GREEN").sum()
    with pytest.raises(kccperf.ParameterError, match="parameter 'column' is 'colour', which the frame does not have"):
        rag_counts(assessed, column="colour")


@pytest.mark.parametrize(
    ("area", "message"),
    [
        ("Atlantis", "area 'Atlantis' is not known; expected one of: Kent, Ashford"),
        ("thanet", "parameter 'area' is 'thanet', which has no rows in this frame; its areas are: Dover."),
    ],
)
def test_area_view_takes_slugs_and_refuses_areas_it_cannot_show(scorecard, area, message):
    assessed = kccperf.assess(scorecard[scorecard.area == "Dover"])
    assert kccperf.area_view(assessed, "dover").equals(kccperf.area_view(assessed, "Dover"))
    with pytest.raises(kccperf.ParameterError, match=message.replace("(", r"\(").replace(".", r"\.")):
        kccperf.area_view(assessed, area)


def test_league_table_names_a_missing_column(scorecard):
    with pytest.raises(kccperf.ParameterError, match="league_table needs the column 'rag'.*kccperf.assess"):
        kccperf.league_table(scorecard)
