"""The wide-table reader on the real October 2024 tables and on small synthetic ones."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import openpyxl
import pytest

import kccperf
from kccperf import ScorecardFileError, read_scorecard
from kccperf.scorecard.catalogue import load_catalogue

from ...conftest import CASELOAD, MONTHLY_HEADER, RAW, RE_REFERRALS

# Values copied by hand from the agenda-pack text: (file, area, block, indicator, period label, value).
SOURCE_VALUES = [
    ("kent__send_monthly", "Kent", "", "ehcp_issued_20wk", "Oct-24", 76.9),
    ("kent__send_monthly", "Kent", "", "ehcp_issued_20wk", "Apr-24", 19.9),
    ("kent__ics_monthly", "Kent", "", "cic_kcc_foster_care", "Oct-24", 73.1),
    ("kent__ics_monthly", "Kent", "", "adoption_days", "Oct-24", 368.6),
    ("kent__ics_monthly", "Kent", "", "caseload_ehu", "Jul-24", 13.6),
    ("kent__ics_quarterly", "Kent", "", "yj_reoffending", "Q2 24-25", 33.2),
    ("kent__education_monthly", "Kent", "", "perm_exclusions_secondary", "Oct-24", 79),
    ("kent__education_termly", "Kent", "", "free_early_education_2yo", "Summer 23-24", 67.8),
    ("kent__education_annual", "Kent", "", "ks5_a_level_aps", "2023-24", 34.16),
    ("kent__education_annual", "Kent", "", "persistent_absence_primary", "2020-21", 9.7),
    ("kent__vulnerable_primary", "Kent", "", "ks2_rwm_ehcp_gap", "2023-24", 64),
    ("kent__vulnerable_secondary", "Kent", "", "ks4_progress8_fsm", "2022-23", -0.82),
    ("ashford__ics_monthly", "Ashford", "Ashford CSWT", "cswt_re_referrals", "Oct-24", 23.9),
    ("ashford__ics_monthly", "Ashford", "Ashford EHU", "caseload_ehu", "Oct-24", 12.9),
    ("ashford__ics_quarterly", "Ashford", "", "yj_reoffending", "Q2 24-25", 37.5),
    ("canterbury__ics_monthly", "Canterbury", "Canterbury CSWT", "caseload_cswt", "Oct-24", 30.9),
    ("canterbury__ics_quarterly", "Canterbury", "", "yj_reoffending", "Q2 24-25", 50.0),
    ("canterbury__education_termly", "Canterbury", "", "free_early_education_2yo", "Summer 22-23", 57.5),
    ("dartford__ics_monthly", "Dartford", "Dartford CSWT", "cswt_re_referrals", "Apr-24", 20.1),
    ("dartford__ics_monthly", "Dartford", "Dartford EHU", "caseload_ehu", "Oct-24", 10.6),
    ("dover__ics_quarterly", "Dover", "", "yj_reoffending", "Q2 24-25", 18.8),
    ("dover__education_monthly", "Dover", "", "independent_special_placements", "Oct-24", 12.0),
    ("folkestone-and-hythe__education_monthly", "Folkestone and Hythe", "", "ehcp_issued_20wk", "Aug-24", 62.5),
    (
        "folkestone-and-hythe__ics_monthly",
        "Folkestone and Hythe",
        "Folkestone and Hythe CSWT",
        "case_audits_good",
        "Apr-24",
        66.7,
    ),
    ("gravesham__education_annual", "Gravesham", "", "eyfs_gld", "2023-24", 65.0),
    ("gravesham__ics_monthly", "Gravesham", "Gravesham CSWT", "returner_interviews", "Oct-24", 79.5),
    ("maidstone__education_monthly", "Maidstone", "", "perm_exclusions_primary", "Oct-24", 5),
    ("maidstone__education_annual", "Maidstone", "", "pupils_with_ehcp", "2023-24", 6.0),
    ("sevenoaks__ics_monthly", "Sevenoaks", "Sevenoaks North & Tonbridge and Malling CSWT", "cswt_re_referrals", "Oct-24", 24.2),
    ("sevenoaks__ics_monthly__2", "Sevenoaks", "Sevenoaks South & Tunbridge Wells EHU", "caseload_ehu", "Oct-24", 12.3),
    ("swale__ics_monthly", "Swale", "Swale Island & Rural CSWT", "caseload_cswt", "Oct-24", 17.0),
    ("swale__education_monthly", "Swale", "", "ehe_contact_10days", "Oct-24", 35.9),
    ("swale__education_annual", "Swale", "", "persistent_absence_secondary", "2020-21", 24.2),
    ("thanet__education_annual", "Thanet", "", "eyfs_gld", "2021-22", 60.1),
    ("thanet__ics_monthly__2", "Thanet", "Thanet EHU", "caseload_ehu", "Oct-24", 12.1),
    ("tonbridge-and-malling__ics_quarterly", "Tonbridge and Malling", "", "yj_reoffending", "Q1 24-25", 26.1),
    ("tunbridge-wells__education_termly", "Tunbridge Wells", "", "free_early_education_2yo", "Summer 23-24", 68.8),
    ("tunbridge-wells__education_monthly", "Tunbridge Wells", "", "perm_exclusions_secondary", "Oct-24", 10),
]


@pytest.mark.parametrize(("stem", "area", "block", "indicator", "label", "expected"), SOURCE_VALUES)
def test_values_match_the_source(stem, area, block, indicator, label, expected):
    table = read_scorecard(RAW / f"{stem}.tsv")
    v = table.values
    hit = v[(v.block == block) & (v.indicator == indicator) & (v.period_label == label)]
    assert table.area == area
    assert hit["value"].tolist() == [pytest.approx(expected)]


# Rows printed per team block, counted by hand on the district pages.
BLOCK_ROWS = [
    ("ashford__ics_monthly", {"Ashford CSWT": 11, "Ashford EHU": 5}),
    ("dover__ics_monthly", {"Dover CSWT": 11, "Dover EHU": 5}),
    (
        "sevenoaks__ics_monthly",
        {"Sevenoaks North & Tonbridge and Malling CSWT": 11, "Sevenoaks South & Tunbridge Wells CSWT": 11},
    ),
    ("sevenoaks__ics_monthly__2", {"Sevenoaks North & Tonbridge and Malling EHU": 5, "Sevenoaks South & Tunbridge Wells EHU": 5}),
    ("swale__ics_monthly", {"Swale Central CSWT": 11, "Swale Island & Rural CSWT": 11}),
    ("thanet__ics_monthly", {"Thanet Margate CSWT": 11, "Thanet Ramsgate CSWT": 11}),
    (
        "tonbridge-and-malling__ics_monthly",
        {"Sevenoaks North & Tonbridge and Malling CSWT": 11, "Sevenoaks North & Tonbridge and Malling EHU": 5},
    ),
    ("kent__ics_monthly", {"": 16}),
]


@pytest.mark.parametrize(("stem", "expected"), BLOCK_ROWS)
def test_rows_per_team_block(stem, expected):
    pub = read_scorecard(RAW / f"{stem}.tsv").published
    assert pub.groupby("block").size().to_dict() == expected


@pytest.mark.parametrize("path", sorted(RAW.glob("*__*.tsv")), ids=lambda p: p.stem)
def test_every_printed_indicator_row_is_read_once_per_period(path):
    # Independent count: a data line has a title and a polarity in the third cell.
    with path.open(encoding="utf-8") as fh:
        printed = sum(1 for line in fh if len(line.split("\t")) > 3 and line.split("\t")[2].strip() in ("H", "L", "T"))
    table = read_scorecard(path)
    assert len(table.published) == printed
    assert len(table.values) == printed * table.values["period"].nunique()
    assert (table.values.groupby(["block", "indicator", "title"]).size() == table.values["period"].nunique()).all()


def test_all_thirteen_areas_and_every_table_kind_are_loaded(scorecard):
    assert scorecard["area"].nunique() == 13
    assert set(scorecard["period_type"]) == {"MS", "R12M", "Q", "T", "A"}
    assert not scorecard.duplicated(["area", "block", "indicator", "period"]).any()


@pytest.mark.parametrize(
    ("category", "stem", "row", "found"),
    [
        ("wrong_code", "canterbury__education_termly", 4, "EY14"),
        ("wrong_code", "folkestone-and-hythe__education_termly", 4, "Page 45"),
        ("missing_code", "ashford__ics_monthly", 18, ""),
        ("reused_code", "ashford__ics_monthly", 16, "EH12-F"),
        ("misaligned_header", "folkestone-and-hythe__ics_monthly", 1, None),
        ("missing_period_labels", "canterbury__ics_quarterly", 2, None),
        ("stale_header", "sevenoaks__ics_monthly__2", 1, "Target 2023-24"),
        ("percent_over_100", "dover__ics_monthly", 12, "120.8"),
        ("value_mismatch", "dartford__education_annual", 6, "67.1"),
        ("misaligned_row", "tunbridge-wells__education_monthly", 7, None),
        ("merged_na", "gravesham__ics_monthly", 7, None),
        ("missing_block_heading", "dover__ics_monthly", 4, None),
        ("conflicting_figures", "kent__vulnerable_primary", 5, "22.6"),
    ],
)
def test_anomaly_classes_are_logged_on_the_real_data(quality_log, category, stem, row, found):
    hits = quality_log[
        (quality_log.category == category) & quality_log.source_file.str.endswith(f"/{stem}.tsv") & (quality_log.row == row)
    ]
    assert len(hits) >= 1
    if found is not None:
        assert found in set(hits["found"])


def test_unknown_title_is_logged_on_real_data_when_the_catalogue_lacks_it():
    cat = load_catalogue()
    ind = cat.indicators.copy()
    ind.loc[ind.indicator == "perm_exclusions_secondary", "aliases"] = ""
    reduced = type(cat)(indicators=ind, targets=cat.targets, areas=cat.areas, blocks=cat.blocks, tables=cat.tables)
    table = read_scorecard(RAW / "dover__education_monthly.tsv", catalogue=reduced)
    hit = table.anomalies[table.anomalies.category == "unknown_title"]
    assert hit[["row", "column"]].values.tolist() == [[8, "B"]]
    assert "Number of permanent exclusions" in hit["found"].item()


def test_figures_are_never_changed_only_logged():
    table = read_scorecard(RAW / "dartford__education_annual.tsv")
    row = table.values[(table.values.indicator == "ks2_rwm") & table.values.is_latest].iloc[0]
    assert (row.value, row.numerator, row.denominator) == (67.1, 112, 1671)


def test_merged_na_block_keeps_benchmarks_in_their_columns():
    pub = read_scorecard(RAW / "ashford__ics_monthly.tsv").published.set_index("indicator")
    assert (pub.at["cic_placement_stability", "benchmark"], pub.at["cic_placement_stability", "england"]) == (69.7, 68.0)
    assert math.isnan(pub.at["cic_placement_stability", "target"])


def test_annual_tail_order_and_next_target():
    pub = read_scorecard(RAW / "kent__education_annual.tsv").published.set_index("indicator")
    r = pub.loc["eyfs_gld"]
    assert (r.target, r.rag, r["direction"], r.next_target, r.next_target_year, r.benchmark, r.england) == (
        69.0,
        "AMBER",
        "↓",
        69.0,
        "2024-25",
        69.8,
        67.7,
    )


def test_stale_header_years_do_not_change_the_reporting_year():
    pub = read_scorecard(RAW / "swale__ics_monthly__2.tsv").published
    assert set(pub.rag_year) == {"2024-25"} and set(pub.prev_year) == {"2023-24"}


def test_thousands_separators_and_decimals(write_table):
    table = read_scorecard(write_table([*MONTHLY_HEADER, RE_REFERRALS]))
    latest = table.values[table.values.is_latest].iloc[0]
    assert (latest.numerator, latest.denominator, latest.decimals) == (5499, 23954, 1)


def test_block_sub_header_rows_name_the_block(write_table):
    lines = [*MONTHLY_HEADER, "Ashford CSWT" + "\t" * 21, RE_REFERRALS, "\t\t\t\t\tAshford EHU\t\t\t\t\t\t\t\t", CASELOAD]
    table = read_scorecard(write_table(lines, "ashford__ics_monthly.tsv"))
    assert table.published.block.tolist() == ["Ashford CSWT", "Ashford EHU"]


def test_blank_code_is_logged_as_missing(write_table):
    table = read_scorecard(write_table([*MONTHLY_HEADER, RE_REFERRALS.replace("SCS03", "", 1)]))
    assert table.anomalies.category.tolist() == ["missing_code"]


def test_garbled_period_label_is_logged_and_sequence_kept(write_table):
    header = [MONTHLY_HEADER[0], MONTHLY_HEADER[1], MONTHLY_HEADER[2].replace("Jun-24", "Jun-2X").replace("Sep-24", "Sep-23")]
    table = read_scorecard(write_table([*header, RE_REFERRALS]))
    assert table.values.period_label.tolist() == ["Apr-24", "May-24", "Jun-24", "Jul-24", "Aug-24", "Sep-24", "Oct-24"]
    assert "garbled_period_label" in set(table.anomalies.category)


def test_labels_missing_entirely_are_inferred_from_the_edition(write_table):
    header = [MONTHLY_HEADER[0], MONTHLY_HEADER[1], "\t" * 21]
    table = read_scorecard(write_table([*header, RE_REFERRALS]))
    assert table.values.period_label.iloc[-1] == "Oct-24"
    assert "missing_period_labels" in set(table.anomalies.category)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_csv_and_xlsx_read_like_tsv(tmp_path, suffix):
    source = RAW / "kent__ics_monthly.tsv"
    rows = [line.split("\t") for line in source.read_text(encoding="utf-8").splitlines()]
    target = tmp_path / "2024-10" / f"kent__ics_monthly{suffix}"
    target.parent.mkdir()
    if suffix == ".csv":
        with target.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
    else:
        book = openpyxl.Workbook()
        for r in rows:
            book.active.append(r)
        book.save(target)
    want = read_scorecard(source).values
    got = read_scorecard(target).values
    assert got["value"].fillna(-1).tolist() == want["value"].fillna(-1).tolist()
    assert got["indicator"].tolist() == want["indicator"].tolist()


# Bad input: one sentence naming the file, the row and the column, and what was expected.
@pytest.mark.parametrize(
    ("lines", "name", "pieces"),
    [
        ([], "kent__ics_monthly.tsv", ["is empty", "expected"]),
        (["just some text", "and more"], "kent__ics_monthly.tsv", ["row 1", "Polarity", "expected"]),
        (MONTHLY_HEADER, "kent__ics_monthly.tsv", ["ends after its header", "truncated"]),
        (
            [*MONTHLY_HEADER, RE_REFERRALS.replace("23.0", "23.O")],
            "kent__ics_monthly.tsv",
            ["row 4", "column 'Oct-24'", "expected a number"],
        ),
        (
            [*MONTHLY_HEADER, RE_REFERRALS.replace("\tL\t", "\tX\t")],
            "kent__ics_monthly.tsv",
            ["row 4", "column 'Polarity'", "expected H, L or T"],
        ),
        (
            [MONTHLY_HEADER[0].replace("Monthly Trends", "Trends"), RE_REFERRALS],
            "kent__ics_monthly.tsv",
            ["row 1", "Trends", "expected"],
        ),
    ],
    ids=["empty", "not-a-table", "header-only", "non-numeric", "bad-polarity", "no-trends-header"],
)
def test_bad_table_files_raise_one_clear_sentence(write_table, lines, name, pieces):
    path = write_table(lines, name)
    with pytest.raises(ScorecardFileError) as err:
        read_scorecard(path)
    message = str(err.value)
    assert message.startswith(str(path))
    assert "\n" not in message
    for piece in pieces:
        assert piece in message


def test_file_cut_off_mid_row_is_truncated(write_table):
    path = write_table([*MONTHLY_HEADER, RE_REFERRALS[:160]], final_newline=False)
    with pytest.raises(
        ScorecardFileError,
        match=r"row 4, column '.*' \(.\): the row ends after 13 cells; expected 22 \(the file looks truncated\)",
    ):
        read_scorecard(path)


def test_rows_whose_empty_trailing_cells_were_dropped_are_read(write_table):
    # Spreadsheets drop trailing empty cells; the row is complete up to its last figure.
    table = read_scorecard(write_table([*MONTHLY_HEADER, CASELOAD.replace("\tN/A\tN/A", "")]))
    assert table.published["england"].isna().all() and table.values["value"].iloc[-1] == 20.9


def test_semicolon_csv_from_excel(tmp_path):
    rows = [line.split("\t") for line in (RAW / "kent__ics_quarterly.tsv").read_text(encoding="utf-8").splitlines()]
    path = tmp_path / "kent__ics_quarterly.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    assert read_scorecard(path).values["value"].iloc[-1] == 33.2


def test_non_utf8_file_names_the_row(tmp_path):
    path = tmp_path / "kent__ics_quarterly.csv"
    text = (RAW / "kent__ics_quarterly.tsv").read_text(encoding="utf-8").replace("\t", ",").replace("Rate of", "Rate \u2019of")
    path.write_bytes(text.replace("↓", "?").encode("cp1252"))
    with pytest.raises(ScorecardFileError, match=r"row 4: byte \d+ is not UTF-8 text; expected a table saved as UTF-8"):
        read_scorecard(path)


def test_missing_file(tmp_path):
    with pytest.raises(ScorecardFileError, match="file not found"):
        read_scorecard(tmp_path / "nope.tsv")


def test_unsupported_and_corrupt_files(tmp_path):
    (tmp_path / "t.pdf").write_text("x")
    with pytest.raises(ScorecardFileError, match="unsupported file type"):
        read_scorecard(tmp_path / "t.pdf")
    (tmp_path / "t.xlsx").write_bytes(b"not a zip")
    with pytest.raises(ScorecardFileError, match="Excel workbook"):
        read_scorecard(tmp_path / "t.xlsx")


def test_unknown_area_parameter():
    with pytest.raises(kccperf.ParameterError, match="area 'Narnia' is not known"):
        read_scorecard(RAW / "kent__ics_monthly.tsv", area="Narnia")


# The pipeline as a whole: the steps' problems and log entries come out as one pass over the rows gives them.
def _cells(line: str, **changes: str) -> str:
    cells = line.split("\t")
    for column, text in changes.items():
        cells[int(column[1:])] = text
    return "\t".join(cells)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # A bad target in row 4 is met before a bad polarity in row 5.
        ([_cells(RE_REFERRALS, c15="25.O"), _cells(CASELOAD, c2="X")], "row 4, column 'Target 2024-25' (P)"),
        # Within a row: the polarity, then the trend cells, then the tail.
        ([_cells(RE_REFERRALS, c2="X", c6="2x", c15="25.O")], "row 4, column 'Polarity' (C)"),
        ([_cells(RE_REFERRALS, c6="2x", c15="25.O")], "row 4, column 'May-24' (G)"),
        ([RE_REFERRALS, _cells(CASELOAD, c3="Weekly", c21="?")], "row 5, column 'Data Period' (D)"),
        (
            [RE_REFERRALS, RE_REFERRALS.replace("\t\t23.6\t", "\t\t9\t23.6\t", 1), _cells(CASELOAD, c2="X")],
            "row 5, column 'Apr-24' (F)",
        ),
        ([_cells(RE_REFERRALS, c13="?"), RE_REFERRALS[:160]], "row 4, column 'Denominator' (N)"),
    ],
)
def test_a_file_with_several_faults_fails_at_the_first_a_reader_meets(write_table, rows, expected):
    path = write_table([*MONTHLY_HEADER, *rows], final_newline=False)
    with pytest.raises(ScorecardFileError) as err:
        read_scorecard(path)
    assert str(err.value).startswith(f"{path} {expected}")


def test_the_log_lists_header_then_rows_then_table_checks(write_table):
    header = [MONTHLY_HEADER[0].replace("Target 2024-25", "Target 2023-24"), *MONTHLY_HEADER[1:]]
    rows = [
        _cells(RE_REFERRALS, c0="", c16="G"),
        _cells(CASELOAD.replace("\t21.5\t", "\t", 1), c0="SCS03", c2="H"),
        _cells(RE_REFERRALS, c11="123.0"),
    ]
    table = read_scorecard(write_table([*header, *rows], "ashford__ics_monthly.tsv"))
    assert table.anomalies[["row", "category"]].values.tolist() == [
        [1, "stale_header"],
        [4, "missing_code"],
        [4, "unexpected_text"],
        [5, "misaligned_row"],
        [5, "wrong_code"],
        [5, "polarity_mismatch"],
        [4, "missing_block_heading"],
        [5, "reused_code"],
        [6, "reused_code"],
        [6, "percent_over_100"],
        [6, "value_mismatch"],
    ]
    assert set(table.values.block) == set(table.published.block) == {"Ashford CSWT"}


def test_the_reader_keeps_its_public_names():
    from kccperf.scorecard import editions, reader

    assert kccperf.read_scorecard is reader.read_scorecard is editions.read_scorecard
    assert kccperf.ScorecardTable is reader.ScorecardTable


def test_read_scorecard_passes_its_size_limit_to_the_reader(tmp_path):
    path = tmp_path / "kent__ics_monthly.tsv"
    path.write_text("\n".join([*MONTHLY_HEADER, RE_REFERRALS]) + "\n", encoding="utf-8")
    with pytest.raises(ScorecardFileError, match="at most"):
        read_scorecard(path, max_bytes=100)
    assert len(read_scorecard(path, max_bytes=None).values) == 7


def _workbook_with_formula(tmp_path, cell: str, formula: str):
    """The real Kent monthly table as a workbook, with one formula that openpyxl saves without a value."""
    source = RAW / "kent__ics_monthly.tsv"
    target = tmp_path / "2024-10" / "kent__ics_monthly.xlsx"
    target.parent.mkdir()
    book = openpyxl.Workbook()
    for line in source.read_text(encoding="utf-8").splitlines():
        book.active.append(line.split("\t"))
    book.active[cell] = formula
    book.save(target)
    return target


@pytest.mark.parametrize(("cell", "formula"), [("L4", "=K4"), ("B5", '=CONCAT("Percentage ", "of Returner")')])
def test_a_formula_without_a_saved_value_is_logged_naming_its_cell(tmp_path, cell, formula):
    table = read_scorecard(_workbook_with_formula(tmp_path, cell, formula))
    hits = table.anomalies[table.anomalies["category"] == "formula_without_value"]
    assert hits[["row", "column", "found"]].values.tolist() == [[int(cell[1:]), cell[0], formula]]
    assert hits["message"].item().startswith(f"cell {cell} holds a formula with no saved value; open and save")


def test_a_formula_with_no_value_reads_as_blank_not_as_a_figure(tmp_path):
    table = read_scorecard(_workbook_with_formula(tmp_path, "L4", "=K4"))
    latest = table.values.query("indicator == 'cswt_re_referrals' and is_latest")
    assert latest["value"].isna().all()


def _edited_table(tmp_path, edit) -> Path:
    """The real Kent monthly table with its lines changed by ``edit``, in an edition folder."""
    lines = (RAW / "kent__ics_monthly.tsv").read_text(encoding="utf-8").splitlines()
    target = tmp_path / "2024-10" / "kent__ics_monthly.tsv"
    target.parent.mkdir()
    target.write_text(edit(lines), encoding="utf-8")
    return target


def test_a_repeated_header_row_is_logged(tmp_path):
    path = _edited_table(tmp_path, lambda lines: "\n".join([*lines[:10], lines[0], *lines[10:]]) + "\n")
    hits = read_scorecard(path).anomalies.query("category == 'repeated_header'")
    assert hits["row"].tolist() == [11]


def test_a_row_with_too_few_cells_is_logged(tmp_path):
    def cut(lines):
        lines[10] = "\t".join(lines[10].split("\t")[:9])
        return "\n".join(lines) + "\n"

    hits = read_scorecard(_edited_table(tmp_path, cut)).anomalies.query("category == 'short_row'")
    assert hits[["row", "found"]].values.tolist() == [[11, "9 cells"]]


@pytest.mark.parametrize("strict", [False, True])
def test_validate_exits_non_zero_on_a_table_cut_mid_row(tmp_path, strict, capsys):
    from kccperf.cli import main

    path = _edited_table(tmp_path, lambda lines: "\n".join(lines)[:-40])
    assert main(["validate", str(path), *(["--strict"] if strict else [])]) != 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and str(path) in err[0]
