"""The readers' workbooks as a director sees them in a spreadsheet: the page's words, its number formats, no keys.

Each test opens the workbook with openpyxl and reads what a user sees: the headings, the cell text and each cell's
number format (the stored value keeps every digit). The CSV, for code, keeps the data's codes and columns.
"""

from __future__ import annotations

import html
import re

import openpyxl
import pandas as pd
import pytest

import kccperf
from kccperf.publish.downloads import NOTES_SHEET, budget_download, report_download, write_workbook

PERIOD = "2024-10"
PERIOD_CODES = {"MS", "R12M", "YTD", "Q", "T", "A"}


def _sheet(path, name: str) -> tuple[list[str], list[dict[str, openpyxl.cell.Cell]]]:
    """A sheet's headings and its rows, each row's cells by heading."""
    ws = openpyxl.load_workbook(path)[name]
    headings = [c.value for c in ws[1]]
    return headings, [dict(zip(headings, row)) for row in ws.iter_rows(min_row=2)]


@pytest.fixture(scope="module")
def dover():
    """Dover's report rows, the edition's indicator notes and scorecard, and its printed series (for the page)."""
    from kccperf.publish.prepared import load_series
    from kccperf.publish.summary import area_view

    view = area_view(kccperf.load_assessed(PERIOD, 5), "Dover")
    return view, kccperf.load_indicator_info(PERIOD), kccperf.load_scorecard(PERIOD), load_series(PERIOD, area="dover")


@pytest.fixture(scope="module")
def dover_book(dover, tmp_path_factory):
    view, info, scorecard, _ = dover
    path = tmp_path_factory.mktemp("dover") / "dover.xlsx"
    return write_workbook(report_download(view, info, scorecard).sheets, path)


@pytest.fixture(scope="module")
def whole_council(tmp_path_factory):
    """The whole-council budget view's download, its workbook, and the tables it came from."""
    from kccperf import budget

    tables = budget.load_budget("2025-26")
    download = budget_download(
        budget.risk_scores(budget.risks_for(tables.risks, "ALL")),
        budget.revenue_bridge(tables.figures, "ALL"),
        budget.capital_profile(tables.figures, tables.projects, directorate="ALL"),
        tables.directorates,
    )
    path = write_workbook(download.sheets, tmp_path_factory.mktemp("budget") / "all.xlsx")
    return download, path, tables


# --- Period covered: the page's words, not the scorecard's code -----------------------------------------------


def _page_covers(view, series, info) -> list[tuple[str, str]]:
    """(indicator title, what its 'Latest figure:' line says) for each row of the page's indicator table."""
    from kccperf.publish.scorecard_views import assessment_table

    page = assessment_table(view, series, caption="Dover", info=info).data
    rows = re.findall(
        r'<tr><th scope="row">(.*?)(?:<sup>.*?</sup>)?<span class="kcc-block">.*?</span>'
        r'(?:<span class="kcc-block kcc-covers">Latest figure: (.*?)</span>)?</th>',
        page,
    )
    return [(html.unescape(title), html.unescape(covers)) for title, covers in rows]


def test_period_covered_says_in_words_what_the_page_says(dover, dover_book):
    view, info, _, series = dover
    headings, rows = _sheet(dover_book, "Indicators")
    assert headings.count("Period covered") == 1 and headings.index("Period covered") == headings.index("Period") + 1
    shown = {r["Indicator id"].value: r["Period covered"].value for r in rows}
    assert shown["cswt_re_referrals"] == "rolling 12 months to Oct 2024"
    assert shown["yj_reoffending"] == "quarter 2 of 2024-25"
    # A figure shown at the earlier period it repeats says where it was printed, as the page does.
    assert shown["case_audits_good"] == (
        "printed under Oct-24, where it repeats the Sep-24 figure (the sources page: rolling 12 months to Oct 2024)"
    )
    assert not set(shown.values()) & PERIOD_CODES, "no row shows a period code"
    # Row for row, the page's words: the page's table holds the rows with a figure (or one withheld).
    with_figure = [
        (r["Indicator"].value, r["Period covered"].value or "")
        for r in rows
        if r["Value"].value is not None or r["Withheld"].value
    ]
    page = _page_covers(view, series, info)
    assert len(page) > 30 and sorted(with_figure) == sorted(page)


def test_the_csv_keeps_the_period_codes(dover):
    view, info, scorecard, _ = dover
    download = report_download(view, info, scorecard)
    assert download.csv is view and "covers" not in download.csv
    assert set(download.csv["period_type"]) <= PERIOD_CODES and "R12M" in set(download.csv["period_type"])


def test_the_notes_sheet_explains_the_period_words(dover_book):
    _, notes = _sheet(dover_book, NOTES_SHEET)
    line = next(r for r in notes if r["Column"].value == "Period covered")
    assert "rolling 12 months to Oct 2024" in line["What it holds"].value and line["Name in the data"].value == "covers"


# --- Numbers: formatted as the page prints them, never a float's 14 decimals ----------------------------------


def test_every_number_a_reader_sees_has_a_number_format(dover_book, whole_council):
    _, budget_book, _ = whole_council
    for path in (dover_book, budget_book):
        book = openpyxl.load_workbook(path)
        for ws in book.worksheets[:-1]:
            unformatted = [
                c.coordinate
                for row in ws.iter_rows(min_row=2)
                for c in row
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool) and c.number_format == "General"
            ]
            assert unformatted == [], (path.name, ws.title)


def test_figures_are_formatted_as_the_page_prints_their_unit(dover, dover_book):
    view = dover[0]
    _, rows = _sheet(dover_book, "Indicators")
    by_id = {r["Indicator id"].value: r for r in rows}
    re_referrals = by_id["cswt_re_referrals"]  # a percentage: 28.6%, its interval and funnel limits to one decimal
    for heading in ("Value", "Target", "England", "95% interval: from", "95% interval: to", "Funnel 99.8% limit: to"):
        assert re_referrals[heading].number_format == '#,##0.0"%"', heading
    # A gap between two percentages is signed, in percentage points (+6.2 pp), and zero has no sign.
    assert re_referrals["Gap to England"].number_format == '"+"0.0" pp";"-"0.0" pp";0.0" pp"'
    assert by_id["ks4_attainment8"]["Value"].number_format == "0.0#"  # a score: 42.0, 34.16
    assert by_id["caseload_cswt"]["Value"].number_format == "#,##0.0"  # caseload 21.8
    assert re_referrals["Numerator"].number_format == re_referrals["Rank"].number_format == "#,##0"
    # The cells keep every digit: only what is shown is rounded.
    ci_low = view.set_index("indicator").loc["cswt_re_referrals", "ci_low"]
    assert re_referrals["95% interval: from"].value == pytest.approx(ci_low, abs=1e-12) and ci_low != round(ci_low, 1)


@pytest.mark.parametrize(
    ("unit", "value", "gap"),
    [
        ("percent", '#,##0.0"%"', '"+"0.0" pp";"-"0.0" pp";0.0" pp"'),
        ("rate", '#,##0.0"%"', '"+"0.0" pp";"-"0.0" pp";0.0" pp"'),
        ("pp", '#,##0.0" pp"', '"+"#,##0.0" pp";"-"#,##0.0" pp";#,##0.0" pp"'),
        ("count", "#,##0", '"+"#,##0;"-"#,##0;#,##0'),
        ("days", '#,##0.0" days"', '"+"#,##0.0" days";"-"#,##0.0" days";#,##0.0" days"'),
        ("score", "0.0#", '"+"0.0#;"-"0.0#;0.0#'),
    ],
)
def test_each_unit_has_the_pages_format(tmp_path, unit, value, gap):
    frame = pd.DataFrame({"title": ["x"], "unit": [unit], "value": [1.23456], "england_gap": [-0.04321]})
    _, (row,) = _sheet(write_workbook(report_download(frame).sheets, tmp_path / "u.xlsx"), "Indicators")
    assert (row["Value"].number_format, row["Gap to England"].number_format) == (value, gap)
    assert row["Value"].value == 1.23456


def test_money_is_shown_as_the_budget_page_prints_it(whole_council):
    _, path, _ = whole_council
    _, risks = _sheet(path, "Risks")
    r01 = next(r for r in risks if r["Risk ref"].value == "r01")
    for heading in ("Exposure (£m)", "Lifetime exposure (£m)"):
        assert r01[heading].number_format == '"£"#,##0.0"m";"−£"#,##0.0"m"', heading  # £165.0m, −£4.5m
    assert r01["Likelihood"].number_format == "#,##0"
    _, capital = _sheet(path, "Capital programme")
    assert {r["Amount (£000s)"].number_format for r in capital} == {'"£"#,##0"k";"−£"#,##0"k"'}  # £45,168k
    _, bridge = _sheet(path, "Revenue bridge")
    assert bridge[0]["Unit"].value == "£000s" and bridge[0]["Amount"].number_format == '"£"#,##0"k";"−£"#,##0"k"'


# --- The budget workbook: what a director needs, in the page's words ------------------------------------------


def test_the_budget_workbook_leaves_out_where_rows_were_read_from(whole_council):
    download, path, _ = whole_council
    book = openpyxl.load_workbook(path)
    seen = {c.value for ws in book.worksheets[:-1] for c in ws[1]}
    gone = {"Source file", "Source line", "Step id", "Column bridged"}
    assert not seen & gone, seen & gone
    explained = {r[1].value for r in book[NOTES_SHEET].iter_rows(min_row=2)}
    assert not explained & gone, "nor does the notes sheet explain them"
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert not [c for c in cells if c.endswith(".tsv")]
    assert {"source_file", "line"} <= set(download.csv.columns), "the CSV keeps them, for code"


def _page_directorate(risks, directorates, ref: str) -> str:
    """The Directorate cell the budget page's largest-exposures table prints for risk ``ref``."""
    from kccperf import budget
    from kccperf.publish.budget_views import top_risks_table

    page = top_risks_table(budget.top_risks(risks, len(risks)), directorates).data
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", page, flags=re.S) if re.search(rf">{ref}<", r))
    return html.unescape(re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)[1])


def test_a_directorate_the_register_did_not_print_reads_as_on_the_page(whole_council):
    download, path, tables = whole_council
    _, risks = _sheet(path, "Risks")
    r02 = next(r for r in risks if r["Risk ref"].value == "r02")
    assert r02["Directorate"].value == "not printed"
    assert r02["Directorate"].value == _page_directorate(download.csv, tables.directorates, "r02")
    assert download.csv.set_index("risk").loc["r02", "directorate"] == "", "the CSV keeps the register's blank"
    assert not [r for r in risks if not r["Directorate"].value], "no risk's directorate is left blank"


def test_without_the_directorate_words_a_blank_still_reads_not_printed(tmp_path):
    risks = pd.DataFrame({"risk": ["r01", "r02"], "directorate": ["CYPE", ""], "exposure_m": [165.0, None]})
    path = write_workbook(budget_download(risks, pd.DataFrame(), pd.DataFrame()).sheets, tmp_path / "b.xlsx")
    _, rows = _sheet(path, "Risks")
    assert [r["Directorate"].value for r in rows] == ["CYPE", "not printed"]


# --- The quiet cases: nothing to show is written without a fuss ------------------------------------------------


def test_empty_frames_and_frames_without_limits_are_written(tmp_path, dover):
    view, info, scorecard, _ = dover
    empty = report_download(view.iloc[0:0], info, scorecard)
    headings, rows = _sheet(write_workbook(empty.sheets, tmp_path / "empty.xlsx"), "Indicators")
    assert rows == [] and "Period covered" in headings
    bare = pd.DataFrame({"indicator": ["x"], "title": ["A title"], "value": [float("nan")], "rank": [None]})
    headings, (row,) = _sheet(write_workbook(report_download(bare, info).sheets, tmp_path / "bare.xlsx"), "Indicators")
    assert headings == ["Indicator", "Value", "Rank", "Indicator id"] and row["Value"].value is None
    nothing = budget_download(pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    book = openpyxl.load_workbook(write_workbook(nothing.sheets, tmp_path / "budget.xlsx"))
    assert book.sheetnames == ["Risks", "Revenue bridge", "Capital programme", NOTES_SHEET]
    no_rows = budget_download(
        pd.DataFrame({"risk": pd.Series(dtype=str), "directorate": pd.Series(dtype=str), "exposure_m": pd.Series(dtype=float)}),
        pd.DataFrame({"label": pd.Series(dtype=str), "amount": pd.Series(dtype=float), "unit": pd.Series(dtype=str)}),
        pd.DataFrame({"year": pd.Series(dtype=str), "amount": pd.Series(dtype=float)}),
    )
    headings, rows = _sheet(write_workbook(no_rows.sheets, tmp_path / "no_rows.xlsx"), "Risks")
    assert rows == [] and headings == ["Risk ref", "Directorate", "Exposure (£m)"]


def test_the_batch_writes_workbooks_that_say_what_each_figure_covers(full_run):
    # kccperf report gives the workbooks the sources page, so no area's sheet shows the code R12M.
    for slug in ("dover", "kent", "kent-scorecard"):
        headers, rows = _sheet(full_run.out_dir / f"{slug}.xlsx", "Indicators")
        covered = [r["Period covered"].value for r in rows]
        assert "R12M" not in covered and any(str(v).startswith("rolling 12 months to ") for v in covered), slug


def test_a_range_sits_beside_the_target_and_polarity_is_in_words(full_run):
    headers, rows = _sheet(full_run.out_dir / "dover.xlsx", "Indicators")
    at = headers.index("Target")
    assert headers[at + 1 : at + 3] == ["Target range: from", "Target range: to"]
    repeat = next(r for r in rows if r["Indicator id"].value == "cp_plan_repeat")
    assert (repeat["Target range: from"].value, repeat["Target range: to"].value) == (17.5, 22.5)
    assert {r["Polarity"].value for r in rows} <= {"Higher is better", "Lower is better", "Closest to target is best"}
    assert repeat["Polarity"].value == "Closest to target is best"


def test_whole_counts_show_no_decimals_beside_fractional_ones(full_run):
    # Most numerators are counts (1,514); a few are posts in full-time equivalents (20.6).
    _, rows = _sheet(full_run.out_dir / "kent-scorecard.xlsx", "Indicators")
    cells = [r["Numerator"] for r in rows if isinstance(r["Numerator"].value, (int, float))]
    whole = {c.number_format for c in cells if float(c.value).is_integer()}
    part = {c.number_format for c in cells if not float(c.value).is_integer()}
    assert whole == {"#,##0"} and part == {"#,##0.0##"}
