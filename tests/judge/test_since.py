"""Since the last edition: the pure calculator on small frames, then the November 2024 test edition against October."""

from __future__ import annotations

import pandas as pd
import pytest

import kccperf
from kccperf.judge.since import edition_changes, since_last_edition

KEY = {"area": "Kent", "block": "", "title": "X"}
NO_REVISIONS = pd.DataFrame(columns=["area", "block", "indicator", "title", "period", "period_label", "old", "new"])


def _assessed(rows: list[tuple[str, str]], label: str) -> pd.DataFrame:
    return pd.DataFrame(
        [{**KEY, "indicator": i, "rag": rag, "period_label": label} for i, rag in rows],
        columns=["area", "block", "title", "indicator", "rag", "period_label"],
    )


def _published(rows: list[tuple[str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{**KEY, "indicator": i, "target": t, "target_year": "2024-25", "latest_period": "x"} for i, t in rows],
        columns=["area", "block", "indicator", "title", "target", "target_year", "latest_period"],
    )


@pytest.mark.parametrize(
    ("before", "now", "expected"),
    [
        ("AMBER", "GREEN", [("rating", "AMBER", "GREEN")]),
        ("GREEN", "RED", [("rating", "GREEN", "RED")]),
        ("GREEN", "GREEN", []),
        ("", "GREEN", []),  # not rated before: no rating to change
        ("RED", "", []),
    ],
)
def test_ratings_that_changed(before, now, expected):
    out = edition_changes(
        _assessed([("x", now)], "Nov-24"), _assessed([("x", before)], "Oct-24"), NO_REVISIONS, _published([]), _published([])
    )
    assert [tuple(r) for r in out[["change", "before", "after"]].values] == expected


@pytest.mark.parametrize(
    ("before", "now", "expected"),
    [
        (60.0, 75.0, [("target", "60", "75")]),
        (float("nan"), 75.0, [("target", "none", "75")]),  # a new target where none was printed
        (60.0, float("nan"), [("target", "60", "none")]),
        (60.0, 60.0, []),
        (float("nan"), float("nan"), []),
    ],
)
def test_targets_that_changed(before, now, expected):
    out = edition_changes(
        _assessed([], "Nov-24"), _assessed([], "Oct-24"), NO_REVISIONS, _published([("x", now)]), _published([("x", before)])
    )
    assert [tuple(r) for r in out[["change", "before", "after"]].values] == expected


def test_indicators_added_and_dropped_and_revisions():
    revised = pd.DataFrame([{**KEY, "indicator": "a", "period": "2024-09", "period_label": "Sep-24", "old": 23.4, "new": 23.9}])
    out = edition_changes(
        _assessed([("a", "RED"), ("new", "")], "Nov-24"),
        _assessed([("a", "RED"), ("gone", "GREEN")], "Oct-24"),
        revised,
        _published([]),
        _published([]),
    )
    assert out[["change", "indicator", "before", "after"]].values.tolist() == [
        ["revised", "a", "23.4", "23.9"],
        ["added", "new", "", "Nov-24"],
        ["dropped", "gone", "Oct-24", ""],
    ]
    assert out.description.iloc[0] == "Sep-24 revised from 23.4 to 23.9"


def test_nothing_changed_is_an_empty_frame_with_the_columns():
    same = _assessed([("x", "RED")], "Nov-24")
    out = edition_changes(same, same, NO_REVISIONS, _published([("x", 1.0)]), _published([("x", 1.0)]))
    assert out.empty and list(out.columns) == [
        "area",
        "block",
        "indicator",
        "title",
        "change",
        "period_label",
        "before",
        "after",
        "description",
    ]


def test_one_edition_on_disk_has_no_earlier_edition():
    only = kccperf.available_periods()[0]
    changes = since_last_edition(only)
    assert changes.previous is None and changes.changes.empty and set(changes.counts().values()) == {0}


@pytest.fixture(scope="module")
def november(history_data):
    return since_last_edition(data_dir=history_data)


def test_the_test_edition_against_october(november, history_data):
    november_data = history_data
    assert (november.period, november.previous) == ("2024-11", "2024-10")
    kent = november.for_area("Kent").changes
    picked = lambda kind: kent[kent.change == kind][["indicator", "before", "after"]].values.tolist()  # noqa: E731
    assert picked("revised") == [["cswt_re_referrals", "23.4", "23.9"]]
    assert picked("target") == [["ehe_contact_10days", "60", "75"]]
    assert picked("added") == [["assessments_45_days", "", "Nov-24"]]
    # The dropped row's last figure repeats September's, so its true period is Sep-24 (see judge.true_periods).
    assert picked("dropped") == [["ehu_case_audits_good", "Sep-24", ""]]
    october = kccperf.load_scorecard("2024-10", data_dir=november_data)
    audits = october[(october.indicator == "ehu_case_audits_good") & october.is_latest]
    counts = november.counts()
    assert counts["dropped"] == len(audits) and counts["added"] == 1 and counts["revised"] == 1 and counts["target"] == 1


def test_a_figure_falling_below_its_target_changes_the_printed_rating(november):
    kent = november.for_area("Kent").changes
    audits = kent[(kent.change == "rating") & (kent.indicator == "case_audits_good")]
    # October printed September's 86.7 again, so October's rating is for its true period, Sep-24. November prints
    # 82.3 and AMBER against the target of 85.0: the change is between the ratings the two editions printed.
    assert audits[["before", "after", "description"]].values.tolist() == [
        ["GREEN", "AMBER", "rated AMBER in Nov-24, GREEN in Sep-24"]
    ]


def test_only_printed_ratings_that_changed_are_listed(november, history_data):
    # Every other rating November reprints as October printed it: none is listed, although some computed standings
    # differ (a printed AMBER with no stated floor was shown as "target missed (floor not published)" before).
    key = ["area", "block", "indicator"]
    printed = {}
    for p in ("2024-10", "2024-11"):
        published = kccperf.load_published(p, data_dir=history_data)
        printed[p] = published[~published.duplicated(key, keep=False)].set_index(key)["rag"]  # once-printed rows
    both = pd.concat(printed, axis=1, join="inner").dropna()
    differ = both[(both["2024-10"] != both["2024-11"]) & (both["2024-10"] != "") & (both["2024-11"] != "")]
    listed = november.changes[november.changes.change == "rating"]
    assert len(listed) == len(differ) == 1
    assert set(listed[["before", "after"]].stack()) <= {"RED", "AMBER", "GREEN"}


@pytest.mark.parametrize(
    ("printed", "computed", "expected"),
    [
        (("AMBER", "GREEN"), ("", "GREEN"), [("rating", "AMBER", "GREEN")]),  # the printed AMBER, not "target missed"
        (("GREEN", "GREEN"), ("GREEN", "RED"), []),  # the figures disagree with a printed GREEN: not a change
        ((None, "RED"), ("GREEN", "RED"), [("rating", "GREEN", "RED")]),  # nothing printed before: the computed one
    ],
)
def test_the_rating_compared_is_the_one_each_report_showed(printed, computed, expected):
    def rows(i: int, label: str) -> pd.DataFrame:
        frame = _assessed([("x", computed[i])], label).assign(value=80.0, target=85.0)
        return frame.assign(rating=pd.Categorical([printed[i] or computed[i]], categories=["RED", "AMBER", "GREEN"]))

    out = edition_changes(rows(1, "Nov-24"), rows(0, "Oct-24"), NO_REVISIONS, _published([]), _published([]))
    assert [tuple(r) for r in out[["change", "before", "after"]].values] == expected
