"""The published judgements: DOT, RAG ratings, targets, outturn and benchmarks from each row's tail."""

from __future__ import annotations

import math

import pytest

from kccperf.schemas import Published

from ...conftest import CASELOAD, MONTHLY_HEADER, RE_REFERRALS
from .conftest import ANNUAL_HEADER, ANNUAL_LABELS, KS2_RWM


def test_a_row_tail_becomes_one_row_of_published_judgements(steps):
    judged = steps([*MONTHLY_HEADER, RE_REFERRALS, CASELOAD]).judged
    Published.validate(judged.frame)
    assert judged.frame.iloc[0].to_dict() == {
        Published.area: "Kent",
        Published.block: "",
        Published.indicator: "cswt_re_referrals",
        Published.code_published: "SCS03",
        Published.title: RE_REFERRALS.split("\t")[1],
        Published.table: "ics_monthly",
        Published.latest_period: "2024-10",
        Published.direction: "↑",
        Published.rag: "GREEN",
        Published.rag_year: "2024-25",
        Published.target: 25.0,
        Published.target_year: "2024-25",
        Published.prev_outturn: 23.5,
        Published.prev_target: 25.0,
        Published.prev_rag: "GREEN",
        Published.prev_year: "2023-24",
        Published.next_target: pytest.approx(float("nan"), nan_ok=True),
        Published.next_target_year: "",
        Published.benchmark_label: "Benchmark Group 2023-24",
        Published.benchmark: 19.2,
        Published.england_label: "England 2023-24",
        Published.england: 22.4,
        Published.source_file: "2024-10/kent__ics_monthly.tsv",
        Published.source_row: 4,
    }
    assert judged.frame[Published.source_row].tolist() == [4, 5]
    assert math.isnan(judged.frame[Published.benchmark].iloc[1]) and judged.anomalies == () and judged.problems == {}


@pytest.mark.parametrize(
    ("dot", "rag", "prev_rag", "expected", "logged"),
    [
        ("↓", "AMBER", "RED", ("↓", "AMBER", "RED"), []),
        ("↔", "green", " Amber ", ("↔", "GREEN", "AMBER"), []),
        ("N/A", "n/a", "", ("N/A", "N/A", ""), []),
        ("", "", "", ("", "", ""), []),
        ("up", "GREEN", "GREEN", ("", "GREEN", "GREEN"), [("O", "up", "↑, ↓ or ↔")]),
        (
            "?",
            "G",
            "RED/AMBER",
            ("", "", ""),
            [("O", "?", "↑, ↓ or ↔"), ("Q", "G", "RED, AMBER or GREEN"), ("T", "RED/AMBER", "RED, AMBER or GREEN")],
        ),
    ],
)
def test_arrows_and_ratings_are_kept_and_other_text_logged_and_blanked(steps, dot, rag, prev_rag, expected, logged):
    cells = RE_REFERRALS.split("\t")
    cells[14], cells[16], cells[19] = dot, rag, prev_rag
    judged = steps([*MONTHLY_HEADER, "\t".join(cells)]).judged
    row = judged.frame.iloc[0]
    assert (row[Published.direction], row[Published.rag], row[Published.prev_rag]) == expected
    assert [(e.category, e.row, e.column, e.found, e.expected) for e in judged.anomalies] == [
        ("unexpected_text", 4, *x) for x in logged
    ]
    if len(logged) == 3:
        assert judged.anomalies[1].message == "RAG 2024-25 cell holds 'G'; expected RED, AMBER or GREEN."


@pytest.mark.parametrize(
    ("column", "text", "problem"),
    [
        (15, "25.O", "row 5, column 'Target 2024-25' (P): expected a number, 'N/A' or a blank, found '25.O'."),
        (21, "22,4", "row 5, column 'England 2023-24' (V): expected a number, 'N/A' or a blank, found '22,4'."),
        (17, "n/a", None),
        (20, " 1,019.5 ", None),
    ],
)
def test_a_target_or_benchmark_that_is_not_a_figure_is_a_problem_of_its_row(steps, column, text, problem):
    cells = RE_REFERRALS.split("\t")
    cells[column] = text
    judged = steps([*MONTHLY_HEADER, CASELOAD, "\t".join(cells)]).judged
    if problem:
        assert judged.problems == {4: f"2024-10/kent__ics_monthly.tsv {problem}"}
        assert judged.frame[Published.source_row].tolist() == [4]
    else:
        assert judged.problems == {} and len(judged.frame) == 2


def test_a_second_target_before_the_outturn_is_next_years_and_missing_columns_are_blank(steps):
    header = ANNUAL_HEADER + "\tTarget 2024-25\tNotes"
    judged = steps([header, ANNUAL_LABELS, KS2_RWM + "\t63.5\tsee text"]).judged
    row = judged.frame.iloc[0]
    assert (row[Published.target], row[Published.next_target], row[Published.next_target_year]) == (62.0, 63.5, "2024-25")
    assert (row[Published.rag_year], row[Published.prev_year], row[Published.latest_period]) == ("2023-24", "2022-23", "2023-24")
    assert math.isnan(row[Published.england]) and row[Published.england_label] == "" and row[Published.benchmark_label] == ""


def test_the_benchmark_label_carries_its_sublabel_and_a_repeated_column_the_last_label(steps):
    header = ANNUAL_HEADER + "\tSE Region 2022-23\tStatistical Neighbours 2023-24"
    judged = steps([header, ANNUAL_LABELS, "\t\t\t\t\t\t\t\t\t\t\t\t\tSN", KS2_RWM + "\t60.1\t61.2"]).judged
    row = judged.frame.iloc[0]
    assert (row[Published.benchmark], row[Published.benchmark_label]) == (61.2, "Statistical Neighbours 2023-24 (SN)")
