"""Tidy values: one row per indicator row and period, figures as printed, benchmarks on the latest value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from kccperf.schemas import Published, Scorecard
from kccperf.scorecard.reader.values import tidy_values

from ...conftest import CASELOAD, MONTHLY_HEADER, RE_REFERRALS

MONTH_KEYS = [f"2024-{m:02d}" for m in range(4, 11)]
NAN = np.nan


def test_each_row_gives_one_value_per_period_with_numerator_and_denominator_on_the_latest(steps):
    values = steps([*MONTHLY_HEADER, RE_REFERRALS, CASELOAD]).values
    frame = values.frame
    Scorecard.validate(frame)
    assert list(frame.columns) == list(Scorecard.to_schema().columns)
    first = frame[frame[Scorecard.source_row] == 4]
    assert first[Scorecard.period].tolist() == MONTH_KEYS
    assert first[Scorecard.period_label].tolist() == ["Apr-24", "May-24", "Jun-24", "Jul-24", "Aug-24", "Sep-24", "Oct-24"]
    assert first[Scorecard.value].tolist() == [23.6, 23.4, 23.2, 23.1, 23.4, 23.4, 23.0]
    assert first[Scorecard.is_latest].tolist() == [False] * 6 + [True]
    assert first[Scorecard.numerator].tolist()[-1] == 5499 and first[Scorecard.denominator].tolist()[-1] == 23954
    assert first[[Scorecard.numerator, Scorecard.denominator, Scorecard.england]].iloc[:-1].isna().all().all()
    assert frame[Scorecard.source_row].tolist() == [4] * 7 + [5] * 7
    assert set(frame[Scorecard.indicator]) == {"cswt_re_referrals", "caseload_cswt"} and set(frame[Scorecard.polarity]) == {"L"}


def test_the_latest_value_carries_its_rows_printed_benchmarks(steps):
    frame = steps([*MONTHLY_HEADER, RE_REFERRALS, CASELOAD]).values.frame
    latest = frame[frame[Scorecard.is_latest]]
    assert latest[Scorecard.england].tolist()[0] == 22.4 and latest[Scorecard.regional].tolist()[0] == 19.2
    assert latest[Scorecard.england].isna().tolist() == [False, True]
    assert latest[Scorecard.england_label].tolist() == ["England 2023-24"] * 2
    assert latest[Scorecard.regional_label].tolist() == ["Benchmark Group 2023-24"] * 2
    assert set(frame.loc[~frame[Scorecard.is_latest], Scorecard.england_label]) == {""}


def test_without_judgements_for_a_row_its_benchmarks_stay_empty(steps):
    s = steps([*MONTHLY_HEADER, RE_REFERRALS])
    other = s.judged.frame.assign(**{Published.source_row: 99})
    for published in (other, pd.DataFrame()):
        frame = tidy_values(s.aligned, s.roles, s.periods, published, s.source).frame
        assert frame[Scorecard.england].isna().all() and set(frame[Scorecard.regional_label]) == {""}


@pytest.mark.parametrize(
    ("numerator", "denominator", "decimals"),
    [("5,499", "23,954", (0.0, 0.0)), ("5,560", "266.0", (0.0, 1.0)), ("12.25", "N/A", (2.0, NAN)), ("", "", (NAN, NAN))],
)
def test_values_keep_their_printed_decimals_and_the_rounding_of_numerator_and_denominator(
    steps, numerator, denominator, decimals
):
    cells = RE_REFERRALS.split("\t")
    cells[12], cells[13] = numerator, denominator
    values = steps([*MONTHLY_HEADER, "\t".join(cells)]).values
    assert values.frame[Scorecard.decimals].tolist() == [1.0] * 7
    expected = pd.DataFrame(
        {Scorecard.numerator: [NAN] * 6 + [decimals[0]], Scorecard.denominator: [NAN] * 6 + [decimals[1]]},
        index=values.frame.index,
    )
    assert_frame_equal(values.rounding, expected)


def test_a_merged_na_block_makes_every_figure_of_its_row_na(steps):
    merged = "\t".join([*RE_REFERRALS.split("\t")[:5], "N/A", "", "", "", "", "", "N/A", "5", "10", "↑", "25.0"])
    frame = steps([*MONTHLY_HEADER, merged]).values.frame
    assert frame[[Scorecard.value, Scorecard.numerator, Scorecard.denominator, Scorecard.decimals]].isna().all().all()
    assert len(frame) == 7


@pytest.mark.parametrize(
    ("column", "text", "problem"),
    [
        (11, "23.O", "column 'Oct-24' (L): expected a number, 'N/A' or a blank, found '23.O'."),
        (5, "x", "column 'Apr-24' (F): expected a number, 'N/A' or a blank, found 'x'."),
        (12, "5.499,0", "column 'Numerator' (M)"),
        (
            13,
            "?",
            "column 'Denominator' (N): expected a number, 'N/A' or a blank, found '?' (a '?' usually means the file was saved",
        ),
    ],
)
def test_a_cell_that_is_not_a_figure_is_a_problem_and_its_row_left_out(steps, column, text, problem):
    cells = RE_REFERRALS.split("\t")
    cells[column] = text
    values = steps([*MONTHLY_HEADER, "\t".join(cells), CASELOAD]).values
    assert list(values.problems) == [3]
    assert values.problems[3].startswith(f"2024-10/kent__ics_monthly.tsv row 4, {problem}")
    assert set(values.frame[Scorecard.source_row]) == {5} and len(values.rounding) == 7
