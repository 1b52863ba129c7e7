"""One history across editions: extending series with earlier editions, revisions, and the loaders on two editions."""

from __future__ import annotations

import pandas as pd
import pytest

import kccperf
from kccperf.judge.travel import direction
from kccperf.scorecard.history import extend_series, revision_anomalies, revisions

SERIES = {"area": "Kent", "block": "", "indicator": "x", "title": "X", "period_type": "MS", "decimals": 1.0}


def _edition(edition: str, periods: list[str], values: list[float], latest: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            **SERIES,
            "period": periods,
            "value": values,
            "numerator": 1.0,
            "is_latest": False,
            "period_label": periods,
            "source_file": f"raw/scorecard/{edition}/kent__t.tsv",
            "source_row": 4,
            "edition": edition,
        }
    )
    frame.loc[frame.index[-1], "is_latest"] = latest
    return frame


@pytest.mark.parametrize(
    ("old", "new", "decimals", "revised"),
    [
        (23.4, 23.9, 1.0, True),  # the Kent Sep-24 revision
        (23.4, 23.4, 1.0, False),
        (23.44, 23.41, 1.0, False),  # the same at the printed precision
        (23.44, 23.46, 1.0, True),
        (5.0, float("nan"), 0.0, True),  # a figure withdrawn (N/A)
        (float("nan"), 5.0, 0.0, True),
        (float("nan"), float("nan"), 0.0, False),
    ],
)
def test_a_figure_printed_differently_is_a_revision(old, new, decimals, revised):
    h = pd.concat([_edition("2024-10", ["2024-09"], [old]), _edition("2024-11", ["2024-09"], [new])]).assign(decimals=decimals)
    found = revisions(h)
    assert len(found) == revised
    if revised:
        r = found.iloc[0]
        assert (r.old_edition, r.new_edition, r.period_label) == ("2024-10", "2024-11", "2024-09")


def test_each_printing_is_compared_with_the_one_before_it():
    h = pd.concat(
        [_edition(e, ["2024-09"], [v]) for e, v in [("2024-10", 1.0), ("2024-11", 2.0), ("2024-12", 2.0), ("2025-01", 3.0)]]
    )
    found = revisions(h)
    assert found[["old", "new", "new_edition"]].values.tolist() == [[1.0, 2.0, "2024-11"], [2.0, 3.0, "2025-01"]]


def test_one_edition_has_no_revisions():
    assert revisions(_edition("2024-10", ["2024-08", "2024-09"], [1.0, 2.0])).empty


def test_extend_series_takes_the_newest_earlier_printing_of_periods_the_edition_lacks():
    older = _edition("2024-09", ["2024-07", "2024-08"], [1.0, 2.0])
    middle = _edition("2024-10", ["2024-08", "2024-09"], [2.5, 3.0])
    current = _edition("2024-11", ["2024-09", "2024-10", "2024-11"], [3.1, 4.0, 5.0]).drop(columns="edition")
    out = extend_series(current, pd.concat([older, middle]))
    assert out["period"].tolist() == ["2024-07", "2024-08", "2024-09", "2024-10", "2024-11"]
    assert out["value"].tolist() == [1.0, 2.5, 3.1, 4.0, 5.0]  # Aug-24 from the newer 2024-10 printing, Sep-24 kept
    assert out["is_latest"].tolist() == [False, False, False, False, True]
    assert out.loc[:1, "numerator"].isna().all() and list(out.columns) == list(current.columns)


def test_extend_series_adds_nothing_after_the_latest_nor_to_series_the_edition_lacks():
    current = _edition("2024-11", ["2024-11"], [5.0]).drop(columns="edition")
    later = _edition("2024-10", ["2024-12"], [9.0])  # a period after the series' latest
    other = _edition("2024-10", ["2024-09"], [1.0]).assign(indicator="dropped")
    out = extend_series(current, pd.concat([later, other]))
    assert out["period"].tolist() == ["2024-11"]


def test_seasonal_series_compares_with_the_same_month_a_year_earlier_held_by_an_older_edition():
    year_ago = _edition("2023-11", ["2023-10", "2023-11"], [2.0, 2.4])
    current = _edition("2024-11", ["2024-10", "2024-11"], [2.5, 2.6]).drop(columns="edition")
    lone = direction(current.assign(polarity="L", seasonal=True))
    joined = direction(extend_series(current, year_ago).assign(polarity="L", seasonal=True))
    assert lone["direction"].item() == "not comparable"
    assert (joined["dot_compared_label"].item(), joined["direction"].item()) == ("Nov-23", "worsened")


def test_revisions_become_quality_log_rows():
    h = pd.concat([_edition("2024-10", ["2024-09"], [23.4]), _edition("2024-11", ["2024-09"], [23.9])])
    row = revision_anomalies(revisions(h)).iloc[0]
    assert (row.category, row.found, row.expected, row.column) == ("revised_figure", "23.9", "23.4", "2024-09")
    assert row.message == "2024-09 is printed as 23.9; the 2024-10 edition printed 23.4."


# --- The loaders on the real October edition and the November 2024 test edition ---------------------


def test_history_holds_every_edition_with_the_edition_that_printed_it(history_data):
    h = kccperf.load_history(data_dir=history_data)
    assert sorted(set(h["edition"])) == ["2024-10", "2024-11"]
    kent = h[(h.area == "Kent") & (h.indicator == "cswt_re_referrals") & (h.period == "2024-09")]
    assert kent.set_index("edition")["value"].to_dict() == {"2024-10": 23.4, "2024-11": 23.9}
    assert "assessments_45_days" in set(h[h.edition == "2024-11"].indicator) - set(h[h.edition == "2024-10"].indicator)


def test_revisions_of_the_test_edition(history_data):
    rev = kccperf.load_revisions(data_dir=history_data)
    assert rev[["area", "indicator", "period_label", "old", "new", "old_edition", "new_edition"]].values.tolist() == [
        ["Kent", "cswt_re_referrals", "Sep-24", 23.4, 23.9, "2024-10", "2024-11"]
    ]
    assert rev.source_file.item() == "raw/scorecard/2024-11/kent__ics_monthly.tsv" and rev.source_row.item() == 4
    assert kccperf.load_revisions("2024-10", data_dir=history_data).empty
    assert kccperf.load_revisions("2024-11", data_dir=history_data, area="Dover").empty


def test_quality_log_lists_the_revisions_its_edition_printed(history_data):
    log = kccperf.load_quality_log("2024-11", data_dir=history_data)
    revised = log[log.category == "revised_figure"]
    assert revised[["area", "indicator", "column", "found", "expected"]].values.tolist() == [
        ["Kent", "cswt_re_referrals", "Sep-24", "23.9", "23.4"]
    ]
    assert "revised_figure" not in set(kccperf.load_quality_log("2024-10", data_dir=history_data).category)


def test_load_scorecard_extends_series_with_the_earlier_edition(history_data):
    df = kccperf.load_scorecard("2024-11", area="Kent", data_dir=history_data)
    s = df[df.indicator == "cswt_re_referrals"]
    assert s.period_label.tolist() == ["Apr-24", "May-24", "Jun-24", "Jul-24", "Aug-24", "Sep-24", "Oct-24", "Nov-24"]
    assert s.value.tolist() == [23.6, 23.4, 23.2, 23.1, 23.4, 23.9, 23.0, 22.8]  # Sep-24 as revised
    assert s.source_file.iloc[0].startswith("raw/scorecard/2024-10/") and s.is_latest.tolist()[-1]
    october = kccperf.load_scorecard("2024-10", data_dir=history_data)
    assert "2024-11" not in set(october.period)  # nothing from a later edition
    assert not october.duplicated(["area", "block", "indicator", "period"]).any()


def test_each_edition_keeps_its_printed_targets(history_data):
    p = kccperf.load_published_history(data_dir=history_data)
    ehe = p[(p.area == "Kent") & (p.indicator == "ehe_contact_10days")]
    assert ehe.set_index("edition")["target"].to_dict() == {"2024-10": 60.0, "2024-11": 75.0}
