"""More checks: last year's printed rating against its outturn and target; a percentage against its count rows."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import kccperf
from kccperf.judge.more_checks import percent_vs_counts_findings, previous_year_findings
from kccperf.judge.reconcile import load_fractions
from kccperf.schemas import Finding


@pytest.fixture(scope="module")
def cat():
    return kccperf.load_catalogue()


def test_last_year_s_green_that_missed_last_year_s_target_is_found(published, cat):
    rows, agree = previous_year_findings(published, cat.indicators, cat.targets)
    Finding.validate(rows)
    hit = rows[(rows["area"] == "Dartford") & (rows["indicator"] == "yj_reoffending")].iloc[0]
    assert (hit.published, hit.computed) == ("GREEN for 2023-24", "not GREEN")
    assert "outturn 31.4, target 28.7" in hit.explanation
    # The figures in the message are the printed ones.
    row = published[(published["area"] == "Dartford") & (published["indicator"] == "yj_reoffending")].iloc[0]
    assert (row.prev_outturn, row.prev_target, row.prev_rag) == (31.4, 28.7, "GREEN")
    assert agree > 200 and set(rows["indicator"]) == {"yj_reoffending"}


@pytest.mark.parametrize(
    ("outturn", "target", "rag", "found"),
    [(28.7, 28.7, "GREEN", False), (28.8, 28.7, "GREEN", True), (28.8, 28.7, "AMBER", False), (28.6, 28.7, "RED", True)],
)
def test_previous_year_boundaries(cat, outturn, target, rag, found):
    pub = pd.DataFrame(
        {
            "area": ["Dover"],
            "block": [""],
            "indicator": ["yj_reoffending"],
            "prev_outturn": [outturn],
            "prev_target": [target],
            "prev_rag": [rag],
            "prev_year": ["2023-24"],
            "source_file": ["f.tsv"],
            "source_row": [4],
        }
    )
    rows, _ = previous_year_findings(pub, cat.indicators, cat.targets)
    assert (len(rows) == 1) is found


def test_a_percentage_its_count_rows_do_not_give_is_found_for_every_period(scorecard):
    rows, agree = percent_vs_counts_findings(scorecard, load_fractions())
    Finding.validate(rows)
    assert rows[["area", "published", "computed"]].values.tolist() == [
        ["Kent", "19.9% (Apr-24)", "18.1%"],
        ["Kent", "13.7% (May-24)", "12.5%"],
        ["Kent", "30.8% (Jun-24)", "32.3%"],
    ]
    assert (
        rows["explanation"].iloc[0] == "the count rows printed with it give 45 of 248 = 18.1%, 1.8 points from the printed 19.9%"
    )
    assert agree == 4  # Jul-24 to Oct-24 agree at the printed precision
    assert math.isclose(45 / 248 * 100, 18.145, abs_tol=0.001)


@pytest.mark.parametrize(("printed", "found"), [(18.1, False), (18.2, True), (18.0, True)])
def test_the_tolerance_is_the_printed_precision(printed, found):
    base = {"area": "Kent", "block": "", "period": "2024-04", "period_label": "Apr-24", "source_file": "f.tsv", "decimals": 1.0}
    sc = pd.DataFrame(
        [
            {**base, "indicator": "ehcp_issued_20wk", "value": printed, "source_row": 4},
            {**base, "indicator": "ehcp_issued_20wk_count", "value": 45.0, "decimals": 0.0, "source_row": 5},
            {**base, "indicator": "ehcp_issued_count", "value": 248.0, "decimals": 0.0, "source_row": 6},
        ]
    )
    rows, agree = percent_vs_counts_findings(sc, load_fractions())
    assert (len(rows), agree) == ((1, 0) if found else (0, 1))
