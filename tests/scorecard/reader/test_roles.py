"""Row roles: indicator rows, label rows, block headings, and the blocks of rows printed before any heading."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from kccperf.errors import ScorecardFileError
from kccperf.schemas import Block, Indicator, Published, Scorecard
from kccperf.scorecard.reader.geometry import find_header
from kccperf.scorecard.reader.roles import (
    IndicatorRow,
    assign_roles,
    fill_missing_blocks,
    find_indicator_rows,
    scan_label_rows,
)
from kccperf.scorecard.reader.source import Source

from ...conftest import CASELOAD, MONTHLY_HEADER, RE_REFERRALS
from .conftest import ASHFORD, KENT, PATH, cells_of

EHCP_TITLE = "Percentage of Education, Health and Care Plans (EHCPs) issued within 20 weeks"
# A monthly indicator that belongs to no team block.
EHCP = RE_REFERRALS.replace("SCS03", "APP17").replace("\tL\tR12M\t", "\tH\tMS\t").split("\t", 2)
EHCP = "\t".join([EHCP[0], EHCP_TITLE, EHCP[2]])
SWALE = Source(PATH.with_name("swale__ics_monthly.tsv"), "Swale", "swale", "ics_monthly", "2024-10")


def _roles(lines: list[str], source: Source, catalogue, known_blocks=frozenset()):
    cells = cells_of(lines)
    header = find_header(cells, source.path)
    data_rows = find_indicator_rows(cells, header, source.path)
    labels = scan_label_rows(cells, header, data_rows, set(known_blocks) | set(catalogue.blocks[Block.block]))
    return assign_roles(cells, header, data_rows, labels.blocks, source, catalogue)


def test_indicator_rows_are_those_with_a_title_after_the_header():
    lines = ["Title\tnot a row", *MONTHLY_HEADER, "Ashford CSWT", RE_REFERRALS, "\t\t\t\t\tAshford EHU", "", CASELOAD]
    cells = cells_of(lines)
    assert find_indicator_rows(cells, find_header(cells, PATH), PATH) == (5, 8)


def test_a_table_that_ends_after_its_header_raises():
    cells = cells_of([*MONTHLY_HEADER, "Ashford CSWT"])
    with pytest.raises(ScorecardFileError, match="row 4: the table ends after its header"):
        find_indicator_rows(cells, find_header(cells, PATH), PATH)


def test_period_labels_are_read_from_the_header_and_every_row_but_indicator_rows():
    first = MONTHLY_HEADER[0].replace("Monthly Trends", "Monthly Trends\tSep-23", 1)
    lines = [first, MONTHLY_HEADER[2], RE_REFERRALS.replace("23.6", "Mar-24"), "\t\t\t\t\t\t\t\t\t\t\tOct-24"]
    cells = cells_of(lines)
    header = find_header(cells, PATH)
    labels = scan_label_rows(cells, header, (2,), set())
    found = [(p.label, i, j) for p, i, j in labels.periods]
    assert found == [("Sep-23", 0, 6)] + [
        (m, 1, 5 + k) for k, m in enumerate(["Apr-24", "May-24", "Jun-24", "Jul-24", "Aug-24", "Sep-24", "Oct-24"])
    ] + [("Oct-24", 3, 11)]


@pytest.mark.parametrize(
    ("text", "block", "sublabel"),
    [
        ("Ashford CSWT", "Ashford CSWT", ""),
        ("Somewhere EHU", "Somewhere EHU", ""),
        ("Made-up block", "Made-up block", ""),
        ("CSWT teams", None, ""),
        ("SN", None, "SN"),
        ("SE Region", None, "SE Region"),
        ("SN or SE", None, "SN or SE"),
        ("Statistical neighbours", None, ""),
    ],
)
def test_block_headings_and_benchmark_sublabels(text, block, sublabel):
    lines = [*MONTHLY_HEADER, f"\t\t\t\t\t{text}", RE_REFERRALS]
    cells = cells_of(lines)
    labels = scan_label_rows(cells, find_header(cells, PATH), (4,), {"Made-up block"})
    assert (labels.blocks, labels.sublabel) == ({3: block} if block else {}, sublabel)


def test_the_header_row_holds_no_block_heading_and_the_last_sublabel_wins():
    lines = [MONTHLY_HEADER[0] + "\tAshford CSWT", "\t\t\tSN", "\t\t\tSE", RE_REFERRALS]
    cells = cells_of(lines)
    labels = scan_label_rows(cells, find_header(cells, PATH), (3,), set())
    assert (labels.blocks, labels.sublabel) == ({}, "SE")


def test_each_heading_sets_the_block_of_the_rows_below_it(catalogue):
    lines = [*MONTHLY_HEADER, RE_REFERRALS, "Ashford CSWT", RE_REFERRALS, "\t\t\t\t\tAshford EHU", CASELOAD]
    roles = _roles(lines, ASHFORD, catalogue)
    assert [(r.index, r.block, r.indicator) for r in roles.rows] == [
        (3, "", "cswt_re_referrals"),
        (5, "Ashford CSWT", "cswt_re_referrals"),
        (7, "Ashford EHU", "caseload_cswt"),
    ]
    assert roles.anomalies == () and roles.problems == {}


def test_fixed_cells_are_stripped_and_titles_matched_as_normalised(catalogue):
    row = " SCS03 \t percentage  RE-REFERRALS" + RE_REFERRALS.split("\t")[1][len("Percentage re-referrals") :] + " \t L \tR12M\t"
    roles = _roles([*MONTHLY_HEADER, row + RE_REFERRALS.split("\t", 4)[4]], KENT, catalogue)
    title = row.split("\t")[1].strip()
    assert roles.rows == (IndicatorRow(3, "", "SCS03", title, "L", "R12M", "cswt_re_referrals"),)


@pytest.mark.parametrize(
    ("heading", "source", "message"),
    [
        ("Narnia CSWT", ASHFORD, "team block 'Narnia CSWT' is not in data/reference/blocks.csv."),
        ("Dover CSWT", ASHFORD, "team block 'Dover CSWT' does not cover Ashford."),
        ("Dover CSWT", KENT, "team block 'Dover CSWT' does not cover Kent."),
        ("Dover CSWT", Source(PATH, "", "", "ics_monthly", None), None),
        ("Sevenoaks North & Tonbridge and Malling CSWT", SWALE, "does not cover Swale"),
        ("Swale Central CSWT", SWALE, None),
    ],
)
def test_unknown_blocks_and_blocks_of_other_areas_are_logged(catalogue, heading, source, message):
    roles = _roles([*MONTHLY_HEADER, heading, RE_REFERRALS], source, catalogue)
    assert roles.rows[0].block == heading
    if message is None:
        assert roles.anomalies == ()
    else:
        (entry,) = roles.anomalies
        assert (entry.category, entry.row, entry.column, entry.block, entry.found) == ("unknown_block", 4, "A", heading, heading)
        assert message in entry.message


def test_an_unknown_title_is_logged_and_the_row_kept(catalogue):
    roles = _roles([*MONTHLY_HEADER, "Ashford EHU", RE_REFERRALS.replace("re-referrals", "referrals")], ASHFORD, catalogue)
    (entry,) = roles.anomalies
    assert roles.rows[0].indicator == ""
    assert (entry.category, entry.row, entry.column, entry.block) == ("unknown_title", 5, "B", "Ashford EHU")
    assert entry.found.startswith("Percentage referrals")


@pytest.mark.parametrize(
    ("polarity", "period_type", "problem"),
    [
        ("L", "R12M", None),
        ("T", "YTD", None),
        ("H", "A", None),
        ("X", "R12M", "row 4, column 'Polarity' (C): expected H, L or T, found 'X'."),
        ("", "R12M", "row 4, column 'Polarity' (C): expected H, L or T, found ''."),
        ("l", "R12M", "found 'l'"),
        ("L", "Monthly", "row 4, column 'Data Period' (D): expected MS, R12M, YTD, Q, T or A, found 'Monthly'."),
        ("X", "Monthly", "column 'Polarity'"),
    ],
)
def test_a_polarity_or_data_period_never_printed_is_a_problem_of_its_row(catalogue, polarity, period_type, problem):
    row = RE_REFERRALS.replace("\tL\tR12M\t", f"\t{polarity}\t{period_type}\t")
    roles = _roles([*MONTHLY_HEADER, row, CASELOAD], KENT, catalogue)
    assert set(roles.problems) == ({3} if problem else set())
    if problem:
        assert roles.problems[3].startswith(str(PATH)) and problem in roles.problems[3]


def _blocks(steps, catalogue, lines, source):
    s = steps(lines, source)
    indicators = catalogue.indicators.set_index(Indicator.indicator)
    return s, fill_missing_blocks(s.values.frame, s.judged.frame, source, catalogue, indicators)


def test_rows_before_any_heading_get_the_only_block_of_their_team_type(steps, catalogue):
    s, (values, published, log) = _blocks(
        steps, catalogue, [*MONTHLY_HEADER, RE_REFERRALS, CASELOAD, "Ashford EHU", RE_REFERRALS], ASHFORD
    )
    assert values.groupby(Scorecard.source_row)[Scorecard.block].unique().map(list).to_dict() == {
        4: ["Ashford CSWT"],
        5: ["Ashford CSWT"],
        7: ["Ashford EHU"],
    }
    assert published[Published.block].tolist() == ["Ashford CSWT", "Ashford CSWT", "Ashford EHU"]
    assert [(e.category, e.row, e.block, e.expected) for e in log] == [
        ("missing_block_heading", 4, "Ashford CSWT", "Ashford CSWT")
    ]
    assert log[0].message == "rows 4-5 carry no team-block heading; assigned to Ashford CSWT, the only CSWT block for Ashford."
    # The steps' own frames are left as they were.
    assert (s.values.frame[Scorecard.block].iloc[0], s.judged.frame[Published.block].iloc[0]) == ("", "")


def test_judgements_between_the_first_and_last_such_row_share_the_block(steps, catalogue):
    _, (values, published, _) = _blocks(steps, catalogue, [*MONTHLY_HEADER, RE_REFERRALS, EHCP, CASELOAD], ASHFORD)
    assert published[Published.block].tolist() == ["Ashford CSWT"] * 3
    # The values of a row without a team type keep no block.
    assert values.groupby(Scorecard.source_row)[Scorecard.block].first().tolist() == ["Ashford CSWT", "", "Ashford CSWT"]


def test_with_several_candidate_blocks_the_rows_are_left_without_one(steps, catalogue):
    s, (values, published, log) = _blocks(steps, catalogue, [*MONTHLY_HEADER, RE_REFERRALS, CASELOAD], SWALE)
    assert_frame_equal(values, s.values.frame)
    assert_frame_equal(published, s.judged.frame)
    assert [(e.category, e.row, e.block) for e in log] == [("missing_block_heading", 4, "")]
    assert "Swale has 2 CSWT blocks; left without a block" in log[0].message


@pytest.mark.parametrize("source", [KENT, Source(PATH, "", "", "ics_monthly", None)])
def test_county_and_unknown_area_tables_have_no_blocks_to_fill(steps, catalogue, source):
    s, (values, published, log) = _blocks(steps, catalogue, [*MONTHLY_HEADER, RE_REFERRALS], source)
    assert values is s.values.frame and published is s.judged.frame and log == []


def test_rows_of_indicators_without_a_team_type_need_no_block(steps, catalogue):
    s, (values, _, log) = _blocks(steps, catalogue, [*MONTHLY_HEADER, EHCP], ASHFORD)
    assert values is s.values.frame and log == []


def test_fill_missing_blocks_on_a_small_frame(catalogue):
    values = pd.DataFrame(
        {
            Scorecard.indicator: ["caseload_ehu", "caseload_ehu", "unknown"],
            Scorecard.block: ["", "", ""],
            Scorecard.source_row: [4, 4, 6],
        }
    )
    published = pd.DataFrame({Published.source_row: [4, 6], Published.block: ["", ""]})
    source = Source(PATH, "Dover", "dover", "ics_monthly", None)
    indicators = catalogue.indicators.set_index(Indicator.indicator)
    values, published, log = fill_missing_blocks(values, published, source, catalogue, indicators)
    assert values[Scorecard.block].tolist() == ["Dover EHU", "Dover EHU", ""]
    assert published[Published.block].tolist() == ["Dover EHU", ""]
    assert "rows 4-4" in log[0].message
