"""Placing each indicator row's cells in the table's columns: padding, merged N/A blocks, rows off their arrow."""

from __future__ import annotations

import pytest

from ...conftest import CASELOAD, MONTHLY_HEADER, RE_REFERRALS

FIXED = RE_REFERRALS.split("\t")[:5]
TAIL = ["25.0", "GREEN", "23.5", "25.0", "GREEN", "19.2", "22.4"]


def _log(aligned) -> list[tuple]:
    return [(e.category, e.row, e.column, e.indicator, e.found, e.expected) for e in aligned.anomalies]


def test_a_complete_row_keeps_its_cells(steps):
    aligned = steps([*MONTHLY_HEADER, RE_REFERRALS]).aligned
    assert aligned.cells == (RE_REFERRALS.split("\t"),) and aligned.merged == (False,)
    assert aligned.anomalies == () and aligned.problems == {}


def test_a_row_whose_trailing_blanks_were_dropped_is_padded(steps):
    short = CASELOAD.replace("\tN/A\tN/A", "")
    aligned = steps([*MONTHLY_HEADER, short]).aligned
    assert aligned.cells[0] == short.split("\t") + ["", ""]
    assert aligned.anomalies == () and aligned.problems == {}


@pytest.mark.parametrize(
    ("rest", "found"),
    [
        (["69.7", "68.0"], "13 cells"),
        (["N/A"] * 5 + ["", "", "69.7", "68.0", "", ""], "20 cells"),
        (["N/A"] * 9 + ["69.7", "68.0"], None),
    ],
    ids=["collapsed", "collapsed-with-blanks", "full-width"],
)
def test_a_merged_na_block_right_aligns_what_follows_it(steps, rest, found):
    row = "\t".join([*FIXED, "N/A", "", "", "", "", "", *rest])
    aligned = steps([*MONTHLY_HEADER, row]).aligned
    cells = aligned.cells[0]
    assert aligned.merged == (True,) and len(cells) == 22
    assert cells[:6] == [*FIXED, "N/A"] and cells[6:11] == [""] * 5 and cells[20:] == ["69.7", "68.0"]
    expected = [("merged_na", 4, "F", "cswt_re_referrals", found, "22 cells")] if found else []
    assert _log(aligned) == expected


def test_an_na_in_the_first_trend_column_alone_is_no_merged_block(steps):
    row = RE_REFERRALS.replace("\t23.6\t", "\tN/A\t", 1)
    aligned = steps([*MONTHLY_HEADER, row]).aligned
    assert aligned.merged == (False,) and aligned.cells[0] == row.split("\t")


def test_a_row_short_of_a_trend_cell_is_aligned_on_its_arrow(steps):
    # The other rows place the columns.
    row = RE_REFERRALS.replace("\t23.6\t", "\t", 1)
    aligned = steps([*MONTHLY_HEADER, RE_REFERRALS, row, RE_REFERRALS]).aligned
    # Padded to the table's width before the shift, so one blank more at the end.
    assert aligned.cells[1] == [*FIXED, ""] + RE_REFERRALS.split("\t")[6:] + [""]
    assert _log(aligned) == [("misaligned_row", 5, "N", "cswt_re_referrals", "arrow in N", "arrow in O")]
    assert (
        "1 trend cell(s) too few; values were aligned on the arrow, so the earliest period is blank"
        in aligned.anomalies[0].message
    )


def test_leading_blanks_before_the_trend_values_are_dropped(steps):
    row = RE_REFERRALS.replace("\t\t23.6\t", "\t\t\t\t23.6\t", 1)
    aligned = steps([*MONTHLY_HEADER, row, RE_REFERRALS, RE_REFERRALS]).aligned
    assert aligned.cells[0] == RE_REFERRALS.split("\t")
    assert _log(aligned) == [("misaligned_row", 4, "Q", "cswt_re_referrals", "arrow in Q", "arrow in O")]
    assert (
        "2 trend cell(s) too many; values were aligned on the arrow, so leading blanks were dropped"
        in aligned.anomalies[0].message
    )


def test_an_extra_figure_before_the_arrow_is_a_problem(steps):
    row = RE_REFERRALS.replace("\t\t23.6\t", "\t\t99.9\t23.6\t", 1)
    aligned = steps([*MONTHLY_HEADER, RE_REFERRALS, row]).aligned
    assert aligned.problems == {
        4: "2024-10/kent__ics_monthly.tsv row 5, column 'Apr-24' (F): the row has 1 more cell(s) than the header before its "
        "DOT arrow; expected 7 period values, a numerator and a denominator."
    }
    assert aligned.anomalies == ()


@pytest.mark.parametrize(
    ("complete", "last", "problem"),
    [
        (False, True, "row 4, column 'Denominator' (N): the row ends after 13 cells; expected 22 (the file looks truncated)."),
        (True, True, None),
        (False, False, None),
    ],
)
def test_only_the_last_row_of_a_file_cut_off_mid_line_is_truncated(steps, complete, last, problem):
    cut = RE_REFERRALS[:160]
    lines = [*MONTHLY_HEADER, cut] if last else [*MONTHLY_HEADER, cut, RE_REFERRALS]
    aligned = steps(lines, complete=complete).aligned
    assert len(aligned.cells[0]) == 22
    assert aligned.problems == ({3: f"2024-10/kent__ics_monthly.tsv {problem}"} if problem else {})


def test_without_a_dot_column_rows_are_not_moved(steps):
    header = [MONTHLY_HEADER[0].replace("\tDOT\t", "\tTrend\t"), *MONTHLY_HEADER[1:]]
    row = RE_REFERRALS.replace("\t23.6\t", "\t", 1)
    aligned = steps([*header, row]).aligned
    assert aligned.cells[0] == row.split("\t") + [""] and aligned.anomalies == ()


def test_every_row_is_placed_in_file_order(steps):
    rows = [RE_REFERRALS, CASELOAD.replace("\t21.5\t", "\t", 1), RE_REFERRALS]
    aligned = steps([*MONTHLY_HEADER, *rows]).aligned
    assert [c[:2] for c in aligned.cells] == [r.split("\t")[:2] for r in rows]
    assert [e.row for e in aligned.anomalies] == [5]
    assert TAIL == aligned.cells[2][15:]
