"""The periods of the trend columns, fitted to the period labels wherever the header printed them."""

from __future__ import annotations

import pytest

from kccperf.errors import ScorecardFileError
from kccperf.scorecard.reader.geometry import find_header, place_columns
from kccperf.scorecard.reader.labels import TrendPeriods, label_periods
from kccperf.scorecard.reader.roles import find_indicator_rows, scan_label_rows

from ...conftest import MONTHLY_HEADER, RE_REFERRALS
from .conftest import ANNUAL_HEADER, ANNUAL_LABELS, KS2_RWM, PATH, cells_of

MONTHS = ["Apr-24", "May-24", "Jun-24", "Jul-24", "Aug-24", "Sep-24", "Oct-24"]


def _periods(lines: list[str], edition: str | None = "2024-10") -> TrendPeriods:
    cells = cells_of(lines)
    header = find_header(cells, PATH)
    data_rows = find_indicator_rows(cells, header, PATH)
    geometry, _ = place_columns(cells, header, data_rows, PATH)
    labels = scan_label_rows(cells, header, data_rows, set())
    return label_periods(labels, header, geometry, data_rows, edition, PATH)


def _log(periods: TrendPeriods) -> list[tuple]:
    return [(e.category, e.row, e.column, e.found, e.expected) for e in periods.anomalies]


@pytest.mark.parametrize("edition", ["2024-10", None])
def test_labels_in_their_columns_give_the_periods(edition):
    periods = _periods([*MONTHLY_HEADER, RE_REFERRALS], edition)
    assert [p.label for p in periods.periods] == MONTHS and periods.latest.label == "Oct-24"
    assert periods.anomalies == ()


def test_a_label_outside_the_sequence_is_logged_and_unreadable_ones_inferred():
    labels = MONTHLY_HEADER[2].replace("Jun-24", "Jun-2X").replace("Sep-24", "Sep-23")
    periods = _periods([*MONTHLY_HEADER[:2], labels, RE_REFERRALS])
    assert [p.label for p in periods.periods] == MONTHS
    assert _log(periods) == [
        ("garbled_period_label", 3, "K", "Sep-23", "Apr-24..Oct-24"),
        ("missing_period_labels", 2, "F", "Sep-23, Apr-24, May-24, Jul-24, Aug-24, Oct-24", ", ".join(MONTHS)),
    ]
    assert (
        periods.anomalies[1].message == "the header prints 5 of 7 period labels; Jun-24, Sep-24 inferred as consecutive periods."
    )


def test_without_an_edition_the_sequence_starts_at_the_earliest_label():
    labels = MONTHLY_HEADER[2].replace("Jul-24", "Jul-23")
    periods = _periods([*MONTHLY_HEADER[:2], labels, RE_REFERRALS], None)
    assert periods.periods[0].label == "Jul-23" and periods.latest.label == "Jan-24"


def test_labels_on_another_row_or_column_still_name_the_periods():
    moved = "\t" + MONTHLY_HEADER[2]
    periods = _periods([MONTHLY_HEADER[0], moved, MONTHLY_HEADER[1], RE_REFERRALS])
    assert [p.label for p in periods.periods] == MONTHS
    assert _log(periods) == [("misaligned_header", 2, "G", "Apr-24", "column F")]
    assert "(e.g. 'Apr-24' in column G but its values are in column F)" in periods.anomalies[0].message


def test_no_labels_at_all_end_the_sequence_at_the_editions_latest_period():
    periods = _periods([*MONTHLY_HEADER[:2], RE_REFERRALS])
    assert [p.label for p in periods.periods] == MONTHS
    assert _log(periods) == [("missing_period_labels", 2, "F", "", ", ".join(MONTHS))]
    assert periods.anomalies[0].message == "the header prints no period labels; Apr-24 to Oct-24 inferred."


def test_an_annual_table_without_labels_or_edition_ends_at_its_targets_year():
    periods = _periods([ANNUAL_HEADER, KS2_RWM], None)
    assert [p.label for p in periods.periods] == ["2021-22", "2022-23", "2023-24"]
    assert [e.category for e in periods.anomalies] == ["missing_period_labels"]


@pytest.mark.parametrize(
    "lines", [[*MONTHLY_HEADER[:2], RE_REFERRALS], [ANNUAL_HEADER.replace("Target 2023-24", "Target"), KS2_RWM]]
)
def test_no_labels_and_nothing_to_infer_them_from_raises(lines):
    with pytest.raises(ScorecardFileError, match=r"rows 1-\d: no period labels in the header"):
        _periods(lines, None)


def test_annual_labels_are_read_like_the_others():
    periods = _periods([ANNUAL_HEADER, ANNUAL_LABELS, KS2_RWM], None)
    assert [p.label for p in periods.periods] == ["2021-22", "2022-23", "2023-24"] and periods.anomalies == ()


@pytest.mark.parametrize(("edition", "expected"), [("2024-11", "Nov-24"), ("2024-09", "Sep-24")])
def test_a_table_ending_elsewhere_than_its_edition_is_logged(edition, expected):
    periods = _periods([*MONTHLY_HEADER, RE_REFERRALS], edition)
    assert periods.latest.label == "Oct-24"
    assert _log(periods) == [("unexpected_latest_period", 1, "L", "Oct-24", expected)]


@pytest.mark.parametrize(
    ("old", "new", "found", "expected"),
    [
        ("Target 2024-25", "Target 2023-24", "Target 2023-24", "2024-25"),
        ("RAG 2024-25", "RAG 2025-26", "RAG 2025-26", "2024-25"),
        ("Kent Outturn 2023-24", "Kent Outturn 2024-25", "Kent Outturn 2024-25", "2023-24"),
        ("RAG 2023-24", "RAG 2022-23", "RAG 2022-23", "2023-24"),
        ("Target 2024-25", "Target", None, None),
        ("England 2023-24", "England 2021-22", None, None),
    ],
)
def test_tail_labels_naming_another_reporting_year_are_stale(old, new, found, expected):
    periods = _periods([MONTHLY_HEADER[0].replace(old, new), *MONTHLY_HEADER[1:], RE_REFERRALS])
    stale = [(e.found, e.expected) for e in periods.anomalies if e.category == "stale_header"]
    assert stale == ([(found, expected)] if found else [])


def test_entries_come_in_the_order_a_reader_meets_them():
    labels = "\t" + MONTHLY_HEADER[2].replace("Jun-24", "Jun-2X")
    first = MONTHLY_HEADER[0].replace("Target 2024-25", "Target 2023-24")
    periods = _periods([first, MONTHLY_HEADER[1] + "\tDec-24", labels, RE_REFERRALS], "2024-11")
    assert [e.category for e in periods.anomalies] == [
        "garbled_period_label",
        "missing_period_labels",
        "misaligned_header",
        "unexpected_latest_period",
        "stale_header",
    ]
