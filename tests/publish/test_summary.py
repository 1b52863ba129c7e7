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


@pytest.mark.parametrize(
    ("areas", "blocks", "expected"),
    [
        (["A", "B"], ["T", "T"], ["B", "A"]),
        (["A", "B", "C"], ["T", "T", "T"], ["B and C", "A and C", "A and B"]),
        (["A", "A"], ["T", "T"], ["", ""]),  # one district printing a team on two rows is not sharing it
        (["A", "B"], ["", ""], ["", ""]),  # rows of no team
        (["A", "B"], ["S", "T"], ["", ""]),
        ([], [], []),
    ],
)
def test_shared_with(areas, blocks, expected):
    frame = pd.DataFrame({"area": areas, "block": blocks}, dtype=object)
    assert kccperf.publish.summary.shared_with(frame).tolist() == expected


def test_each_page_sharing_a_team_names_the_other_district(scorecard):
    assessed = kccperf.assess(scorecard)
    sevenoaks = kccperf.area_view(assessed, "Sevenoaks")
    north = sevenoaks[sevenoaks["block"].str.startswith("Sevenoaks North")]
    assert len(north) > 5 and (north["shared_with"] == "Tonbridge and Malling").all()
    tm = kccperf.area_view(assessed, "Tonbridge and Malling")
    assert set(tm.loc[tm["block"] != "", "shared_with"]) == {"Sevenoaks"}
    assert (kccperf.area_view(assessed, "Dover")["shared_with"] == "").all()


def test_the_league_table_s_last_row_counts_a_shared_team_once(scorecard):
    assessed = kccperf.assess(scorecard)
    table = kccperf.league_table(assessed)
    districts, total = table.iloc[:-1], table.iloc[-1]
    assert total["area"] == "All districts (each team once)" and len(districts) == 12
    # The shared teams' rated rows, counted by hand: each appears on two districts' pages.
    d = assessed[(assessed["area"] != "Kent") & (assessed["rag"] != "")]
    shared = d[d["block"].str.startswith("Sevenoaks ")]
    twice = len(shared) - len(shared.drop_duplicates(["block", "indicator"]))
    assert twice == len(shared) / 2 > 10
    for col in ("RED", "AMBER", "GREEN", "rated"):
        assert total[col] == districts[col].sum() - (len(shared[shared["rag"] == col]) / 2 if col != "rated" else twice)


def test_the_league_table_counts_each_district_as_its_page_does():
    """The county view's league table and each district's page (and the index, which reads the pages) agree:
    Sevenoaks' A-level Tech rating is printed GREEN with no figure, which its page does not count among its figures."""
    from kccperf.publish import scorecard_views

    assessed = kccperf.load_assessed("2024-10", 5)
    table = kccperf.league_table(assessed).set_index("area")
    for area in table.index[:-1]:
        tiles = scorecard_views.headline_panel(kccperf.area_view(assessed, area)).data
        for rag in ("RED", "AMBER", "GREEN"):
            assert f"<strong>{table.loc[area, rag]}</strong>{rag}</div>" in tiles, (area, rag)
    assert table.loc["Sevenoaks", ["RED", "AMBER", "GREEN", "rated"]].tolist() == [13, 8, 17, 38]
