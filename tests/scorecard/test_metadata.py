"""The scorecard's metadata pages as data: sources, definitions and caveats joined to the catalogue."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from kccperf import load_indicator_info
from kccperf.cli import main
from kccperf.errors import ScorecardFileError
from kccperf.schemas import IndicatorInfo
from kccperf.scorecard.catalogue import load_catalogue
from kccperf.scorecard.metadata import coverage, metadata_anomalies, month_of, read_metadata

from .conftest import ROOT, SEED

EDITION = ROOT / "data" / "raw" / "scorecard" / "2024-10"


def _page_rows(first: int, last: int, heading: str) -> int:
    """Rows of one kind of metadata page in the pack, counted from the text alone: tab lines with a title cell."""
    lines = SEED.read_text(encoding="utf-8").split("\n")[first - 1 : last]
    count, inside = 0, False
    for line in lines:
        bare = line.strip().lstrip("#").strip()
        if bare in ("Data Sources for Current Report", "Indicator Definitions"):
            inside = bare == heading
        elif inside and "\t" in line and not line.startswith(("Code\t", "<b>")):
            count += 1
    return count


@pytest.mark.parametrize(
    ("name", "heading", "expected"),
    [("sources.tsv", "Data Sources for Current Report", 77), ("definitions.tsv", "Indicator Definitions", 76)],
)
def test_metadata_rows_counted_independently(name, heading, expected):
    with open(EDITION / name, encoding="utf-8", newline="") as f:
        raw_rows = sum(1 for _ in csv.DictReader(f, delimiter="\t"))
    assert _page_rows(269, 817, heading) == raw_rows == expected
    assert len(read_metadata(EDITION)[name.removesuffix(".tsv")]) == expected


def test_indicator_info_is_one_row_per_catalogue_indicator():
    info = load_indicator_info("2024-10")
    IndicatorInfo.validate(info)
    assert list(info["indicator"]) == list(load_catalogue().indicators["indicator"])
    assert load_indicator_info().equals(info)  # the newest edition by default


def test_indicator_info_read_back_from_the_cache_is_the_computed_one(tmp_path, monkeypatch):
    from kccperf.scorecard.metadata import _indicator_info

    monkeypatch.setenv("KCCPERF_CACHE", str(tmp_path))
    cold = load_indicator_info("2024-10")
    stored = sorted(p.name for p in (tmp_path / "derived").glob("2024-10-indicator-info-*.parquet"))
    warm = load_indicator_info("2024-10")
    assert len(stored) == 1
    for frame in (cold, warm):
        pd.testing.assert_frame_equal(frame, _indicator_info(EDITION, None), check_exact=True)


@pytest.mark.parametrize(
    ("indicator", "covers", "period", "release"),
    [
        ("ks4_attainment8", "2022-23 DfE published", "2022-23", "2024-02-01"),
        ("cswt_re_referrals", "rolling 12 months to Oct 2024", "Oct-24", "2024-11-01"),
        ("cic_kcc_foster_care", "snapshot as at Oct 2024", "Oct-24", "2024-11-01"),
        ("yj_reoffending", "quarter 2 of 2024-25", "Q2 24-25", "2024-11-01"),
        ("free_early_education_2yo", "snapshot as at Aug 2024", "Summer 23-24", "2024-08-01"),
        ("pupils_with_ehcp", "snapshot as at Jan 2024", "2023-24", "2024-06-01"),
        ("ks5_applied_general_aps", "2022-23 DfE published (districts: 2022-23 NPD)", "2022-23", "2024-02-01"),
    ],
)
def test_what_the_latest_figure_covers(indicator, covers, period, release):
    row = load_indicator_info("2024-10").set_index("indicator").loc[indicator]
    assert (row["covers"], row["period_covered"], row["release_date"]) == (covers, period, pd.Timestamp(release))


def test_districts_period_where_the_page_names_another():
    row = load_indicator_info("2024-10").set_index("indicator").loc["ks5_a_level_aps"]
    assert (row["period_covered"], row["period_covered_districts"]) == ("2023-24", "2022-23")


def test_definition_and_source_come_from_their_pages():
    info = load_indicator_info("2024-10").set_index("indicator")
    assert info.loc["caseload_cswt", "source"] == "Liberi / Area Staffing Spreadsheets"
    assert info.loc["caseload_cswt", "definition"].startswith("The average caseload of social workers")
    assert info.loc["caseload_ehu", "definition"] == "Definition to be confirmed."
    # Joined by title: the page prints EH10-F and the catalogue knows EH16-F, and the definition still arrives.
    assert info.loc["eh_closed_return_3m", "definition"].startswith("The percentage of EH cases that have been closed")
    # The vulnerable-learner gaps are on neither page: nothing is invented for them.
    assert (info.loc["ks4_progress8", ["covers", "source", "definition"]] == "").all()


@pytest.mark.parametrize(
    ("indicator", "phrase"),
    [
        ("eyfs_gld", "no 2019-20 or 2020-21 Education attainment data"),
        ("ks5_a_level_aps", "no 2019-20 or 2020-21 Education attainment data"),
        ("yj_reoffending", "not been published by the Ministry of Justice"),
        ("caseload_cswt", "not the child's geographical residence"),
        ("ehu_re_referrals", "not the child's geographical residence"),
        ("ks4_attainment8", "postponed the publication of provisional 2023-24 KS4 results"),
        ("ks4_progress8_cic", "postponed the publication of provisional 2023-24 KS4 results"),
    ],
)
def test_caveats_reach_the_indicators_they_concern(indicator, phrase):
    assert phrase in load_indicator_info("2024-10").set_index("indicator").loc[indicator, "caveats"]


@pytest.mark.parametrize("indicator", ["neet_16_17", "ehcp_issued_20wk", "cme_closed_30days"])
def test_caveats_stay_off_indicators_they_do_not_concern(indicator):
    assert load_indicator_info("2024-10").set_index("indicator").loc[indicator, "caveats"] == ""


@pytest.mark.parametrize(
    ("file", "row", "category", "found"),
    [
        ("sources.tsv", 59, "code_used_twice", "CYPE10"),
        ("sources.tsv", 58, "code_differs", "SISE7"),
        ("definitions.tsv", 39, "page_number_in_cell", "Page 22"),
    ],
)
def test_untrustworthy_codes_are_logged(file, row, category, found):
    log = metadata_anomalies(EDITION)
    hit = log[(log["source_file"].str.endswith(file)) & (log["row"] == row) & (log["category"] == category)]
    assert hit["found"].tolist() == [found]


def test_a_code_used_by_two_indicators_is_logged(data_copy):
    folder = data_copy / "raw" / "scorecard" / "2024-10"
    path = folder / "sources.tsv"
    path.write_text(path.read_text(encoding="utf-8").replace("\tCYPE10\tPercentage of pupils", "\tCYPE6\tPercentage of pupils"))
    log = metadata_anomalies(folder, data_copy)
    hit = log[log["category"] == "code_of_other_indicator"]
    assert hit[["row", "indicator", "found"]].to_dict("records") == [
        {"row": 59, "indicator": "independent_special_placements", "found": "CYPE6"}
    ]


def test_quiet_case_an_edition_without_metadata_pages(data_copy):
    folder = data_copy / "raw" / "scorecard" / "2024-10"
    for name in ("sources.tsv", "definitions.tsv", "caveats.tsv"):
        (folder / name).unlink()
    info = load_indicator_info("2024-10", data_dir=data_copy)
    assert len(info) == len(load_catalogue().indicators)
    assert (info["covers"] == "").all() and info["release_date"].isna().all()
    assert metadata_anomalies(folder, data_copy).empty


def _edit(folder, name, old, new):
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new", "needle"),
    [
        ("sources.tsv", "\tlatest_data\t", "\tlatest\t", "sources.tsv row 1: column 'latest_data' is missing"),
        ("definitions.tsv", "\tdefinition\n", "\twording\n", "definitions.tsv row 1: column 'definition' is missing"),
        ("sources.tsv", "Nov 2024\n", "soon\n", "sources.tsv row 15, column 'release_date': 'soon' is not a date"),
        (
            "definitions.tsv",
            "APP17-D\tTotal number of EHCPs issued\t",
            "APP17-X\tTotal number of widgets\t",
            "definitions.tsv row 35, column 'code': code 'APP17-X' with title 'Total number of widgets' matches no indicator",
        ),
        (
            "definitions.tsv",
            "APP17-D\tTotal number of EHCPs issued\t",
            "APP17\tPercentage of Education, Health and Care Plans (EHCPs) issued within 20 weeks\t",
            "definitions.tsv rows 33 and 35, column 'title': two rows for indicator 'ehcp_issued_20wk'",
        ),
    ],
)
def test_bad_metadata_is_one_sentence_naming_file_row_and_column(data_copy, name, old, new, needle, capsys):
    folder = data_copy / "raw" / "scorecard" / "2024-10"
    _edit(folder, name, old, new)
    with pytest.raises(ScorecardFileError, match="^" + str(folder / needle).replace("(", r"\(").replace(")", r"\)")):
        load_indicator_info("2024-10", data_dir=data_copy)


def test_bad_metadata_exits_2_from_the_cli(data_copy, capsys, monkeypatch):
    monkeypatch.setenv("KCCPERF_DATA", str(data_copy))
    folder = data_copy / "raw" / "scorecard" / "2024-10"
    _edit(folder, "sources.tsv", "Nov 2024\n", "soon\n")
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "sources.tsv row 15, column 'release_date'" in err[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Nov 2024", (2024, 11)), ("Sept 2024", (2024, 9)), ("August 2024", (2024, 8)), ("N/A", None), ("Smarch 2024", None)],
)
def test_month_of(text, expected):
    assert month_of(text) == expected


RULES = pd.read_csv(ROOT / "data" / "reference" / "coverage.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize(
    ("text", "ptype", "expected"),
    [
        ("Snapshot as at Oct 2024", "MS", ("snapshot as at Oct 2024", "Oct-24", "Oct-24")),
        ("Snapshot as at Mar 2025", "Q", ("snapshot as at Mar 2025", "Q4 24-25", "Q4 24-25")),
        ("Snapshot as at Apr 2025", "Q", ("snapshot as at Apr 2025", "Q1 25-26", "Q1 25-26")),
        ("Snapshot as at Aug 2024", "A", ("snapshot as at Aug 2024", "2023-24", "2023-24")),
        ("Snapshot as at Sep 2024", "A", ("snapshot as at Sep 2024", "2024-25", "2024-25")),
        ("Snapshot as at Dec 2024", "T", ("snapshot as at Dec 2024", "Autumn 24-25", "Autumn 24-25")),
        ("Snapshot as at Jan 2025", "T", ("snapshot as at Jan 2025", "Spring 24-25", "Spring 24-25")),
        ("Rolling 12 months up to end of Oct 2024", "YTD", ("rolling 12 months to Oct 2024", "Oct-24", "Oct-24")),
        ("Quarter 2 reporting for 2024-25", "Q", ("quarter 2 of 2024-25", "Q2 24-25", "Q2 24-25")),
        ("Snapshot data as at end of month - N/A", "MS", ("not available", "", "")),
        ("Something new", "MS", ("Something new", "", "")),
    ],
)
def test_coverage_boundaries(text, ptype, expected):
    assert coverage(text, ptype, RULES) == expected
