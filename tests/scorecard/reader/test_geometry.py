"""Column geometry: the header row, its tail labels, and the columns placed by the data rows."""

from __future__ import annotations

import pytest

from kccperf.errors import ScorecardFileError
from kccperf.schemas import Published
from kccperf.scorecard.reader.geometry import (
    UNKNOWN,
    Geometry,
    Header,
    TailColumn,
    check_header,
    find_header,
    place_columns,
    tail_roles,
)
from kccperf.scorecard.reader.source import Source

from ...conftest import CASELOAD, MONTHLY_HEADER, RE_REFERRALS
from .conftest import ASHFORD, KENT, PATH, cells_of

TAIL = [
    (14, "DOT", Published.direction),
    (15, "Target 2024-25", Published.target),
    (16, "RAG 2024-25", Published.rag),
    (17, "Kent Outturn 2023-24", Published.prev_outturn),
    (18, "Target 2023-24", Published.prev_target),
    (19, "RAG 2023-24", Published.prev_rag),
    (20, "Benchmark Group 2023-24", Published.benchmark),
    (21, "England 2023-24", Published.england),
]


def test_the_header_row_gives_title_kind_latest_column_and_tail():
    header = find_header(cells_of(["Page 3", *MONTHLY_HEADER, RE_REFERRALS]), PATH)
    assert (header.row, header.title, header.kind, header.latest) == (
        1,
        "Integrated Children's Services Monthly Indicators",
        "monthly",
        11,
    )
    assert header.tail == tuple(TailColumn(*t) for t in TAIL)


@pytest.mark.parametrize(
    ("trends", "latest", "kind"),
    [
        ("Monthly Trends", "Latest Month", "monthly"),
        ("Quarterly Trends", "Latest Quarter", "quarterly"),
        ("termly trends", "Latest Term", "termly"),
        ("ANNUAL TRENDS", "latest year", "annual"),
    ],
)
def test_the_kind_comes_from_the_trends_cell_in_any_case(trends, latest, kind):
    line = MONTHLY_HEADER[0].replace("Monthly Trends", trends).replace("Latest Month", latest)
    assert find_header(cells_of([line]), PATH).kind == kind


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["just text", RE_REFERRALS], "row 1: no header row names 'Polarity' and 'Data Period'"),
        (["Notes", MONTHLY_HEADER[0].replace("Monthly Trends", "Trends")], "row 2: no '... Trends' column"),
        ([MONTHLY_HEADER[0].replace("Latest Month", "Latest")], "row 1: no 'Latest ...' column"),
    ],
)
def test_a_missing_header_or_header_cell_raises(lines, message):
    with pytest.raises(ScorecardFileError, match=message):
        find_header(cells_of(lines), PATH)


@pytest.mark.parametrize(
    ("labels", "roles"),
    [
        (["DOT", "Target 2024-25", "RAG 2024-25"], [Published.direction, Published.target, Published.rag]),
        (["Dot", "dot "], [Published.direction, UNKNOWN]),
        # A second target before any outturn is next year's; after an outturn, last year's.
        (["Target 2023-24", "Target 2024-25"], [Published.target, Published.next_target]),
        (["Target", "Kent Outturn", "Target"], [Published.target, Published.prev_outturn, Published.prev_target]),
        (
            ["Target", "Target", "Outturn", "Target"],
            [Published.target, Published.next_target, Published.prev_outturn, Published.prev_target],
        ),
        (["RAG 2024-25", "RAG 2023-24", "RAG"], [Published.rag, Published.prev_rag, Published.prev_rag]),
        (["England 2023-24", "Benchmark Group"], [Published.england, Published.benchmark]),
        (["South East 2023-24", "SE Region", "Statistical Neighbours", "Regional"], [Published.benchmark] * 4),
        (["SE", "Notes", "Kent"], [UNKNOWN] * 3),
    ],
)
def test_tail_roles_follow_the_printed_labels_in_order(labels, roles):
    assert tail_roles(labels) == roles


def _header(title: str, tail: tuple[TailColumn, ...] = ()) -> Header:
    return Header(0, (title,), title, "monthly", 11, tail)


@pytest.mark.parametrize(
    ("title", "source", "mismatch"),
    [
        ("ICS Monthly Indicators - Dover", ASHFORD, True),
        ("ICS Monthly Indicators - dover ", ASHFORD, True),
        ("ICS Monthly Indicators - Ashford", ASHFORD, False),
        ("ICS Monthly Indicators - Narnia", ASHFORD, False),
        ("ICS Monthly Indicators", ASHFORD, False),
        ("ICS Monthly Indicators - Dover", Source(PATH, "", "", "ics_monthly", None), False),
    ],
)
def test_a_heading_naming_another_area_is_logged(catalogue, title, source, mismatch):
    entries = check_header(_header(title), source, catalogue)
    assert [(e.category, e.row, e.column, e.found, e.expected) for e in entries] == (
        [("area_mismatch", 1, "A", title, source.area)] if mismatch else []
    )


def test_unknown_tail_labels_are_logged_with_their_column(catalogue):
    tail = (TailColumn(14, "DOT", Published.direction), TailColumn(15, "Notes", UNKNOWN), TailColumn(27, "Kent", UNKNOWN))
    entries = check_header(_header("T", tail), KENT, catalogue)
    assert [(e.category, e.column, e.found) for e in entries] == [
        ("unknown_header", "P", "Notes"),
        ("unknown_header", "AB", "Kent"),
    ]


def _place(lines: list[str]) -> tuple[Geometry, list]:
    cells = cells_of(lines)
    header = find_header(cells, PATH)
    data_rows = tuple(i for i, r in enumerate(cells.rows) if i > header.row and len(r) > 1 and r[1])
    return place_columns(cells, header, data_rows, PATH)


def test_a_header_in_line_with_the_data_places_the_tail_after_latest_numerator_and_denominator():
    geometry, log = _place([*MONTHLY_HEADER, RE_REFERRALS, CASELOAD])
    assert (geometry.n, geometry.tail_start, geometry.width, geometry.dot) == (7, 14, 22, 14)
    assert geometry.roles == tuple(t[2] for t in TAIL) and log == []


@pytest.mark.parametrize("offset", [-1, 1, 2])
def test_a_header_offset_from_the_data_is_logged_and_the_data_wins(offset):
    first = MONTHLY_HEADER[0].replace("\t\tLatest Month", "\t" * (2 + offset) + "Latest Month")
    geometry, log = _place([first, *MONTHLY_HEADER[1:], RE_REFERRALS, CASELOAD])
    assert geometry.tail_start == 14
    assert [(e.category, e.row, e.column, e.expected) for e in log] == [("misaligned_header", 1, "KLMN"[offset + 1], "column L")]
    assert log[0].message.startswith(f"the header row is offset by {offset:+d} column(s)")


def test_most_rows_place_the_arrows_when_one_row_is_off():
    shifted = CASELOAD.replace("\t21.5\t", "\t\t21.5\t", 1)
    geometry, _ = _place([*MONTHLY_HEADER, shifted, RE_REFERRALS, RE_REFERRALS])
    assert geometry.tail_start == 14


def test_without_a_dot_column_the_header_places_the_columns():
    first = MONTHLY_HEADER[0].replace("\tDOT\t", "\tTrend\t")
    geometry, log = _place([first, *MONTHLY_HEADER[1:], RE_REFERRALS.replace("\t↑\t", "\t\t")])
    assert (geometry.tail_start, geometry.dot, geometry.roles[0], log) == (14, None, UNKNOWN, [])


def test_no_room_for_a_trend_column_raises():
    first = "T\t\tPolarity\tData Period\tQPR\tLatest Month\tMonthly Trends\t\t\tDOT"
    with pytest.raises(ScorecardFileError, match="row 1: cannot place the trend columns"):
        _place([first, "C\tTitle\tL\tMS\t\t1\t2\t3\t↑"])


def test_geometry_counts_its_columns():
    geometry = Geometry(n=3, tail_start=10, roles=(Published.target, Published.direction), labels=("Target", "DOT"))
    assert (geometry.width, geometry.dot) == (12, 11)
