"""The disclosure checker over the real reports: nothing circulated reveals a count of 1 to 5, and it can fail.

The full batch (``full_run``, shared with the report and browser tests) is checked page by page and download
by download. To prove the checker is not blind, it is also run on a report built with suppression switched
off and on the unsuppressed edition, where it must find the leaks known from the October 2024 figures.
"""

from __future__ import annotations

import pytest

import kccperf
from kccperf.publish.batch import build_reports
from kccperf.publish.downloads import report_download, write_csv, write_workbook, write_xlsx
from tests.disclosure.checker import check_folder

PERIOD = "2024-10"


def test_no_circulated_output_reveals_a_small_count(full_run):
    assert not full_run.failed, [(r.area, r.error) for r in full_run.failed]
    files = {p.suffix for p in full_run.out_dir.iterdir()}
    assert {".html", ".csv", ".xlsx"} <= files
    leaks = check_folder(full_run.out_dir)
    assert leaks == [], "\n".join(map(str, leaks[:30]))


@pytest.fixture(scope="module")
def unsuppressed(tmp_path_factory):
    """Sevenoaks' report as an analyst's own run builds it: suppression switched off (not for circulation)."""
    out = tmp_path_factory.mktemp("unsuppressed")
    return build_reports(PERIOD, "Sevenoaks", out_dir=out, jobs=1, suppress_threshold=0)


def test_the_checker_finds_the_leaks_of_an_unsuppressed_report(unsuppressed):
    assert not unsuppressed.failed
    leaks = check_folder(unsuppressed.out_dir)
    ehcp = {(leak.file, leak.kind, leak.count) for leak in leaks if "ehcp_issued_20wk" in leak.where}
    # Sevenoaks: 7 of 8 EHCPs issued within 20 weeks, so 1 was late; in the CSV and the workbook alike.
    for download in ("sevenoaks.csv", "sevenoaks.xlsx"):
        assert (download, "denominator minus numerator", 1) in ehcp
        assert (download, "a percentage with its denominator", 1) in ehcp
    # The page's trend label prints 87.5%, and the download prints the denominator 8.
    page = [leak for leak in leaks if leak.file == "sevenoaks.html" and "Education, Health and Care" in leak.where]
    assert page and page[0].count == 1


@pytest.mark.parametrize(("writer", "suffix"), [(write_csv, ".csv"), (write_xlsx, ".xlsx")])
def test_the_checker_finds_county_minus_districts_in_the_unsuppressed_edition(tmp_path, writer, suffix):
    writer(kccperf.assess(kccperf.load_scorecard(PERIOD)), tmp_path / f"kent-scorecard{suffix}")
    kinds = {(leak.kind, leak.where, leak.count) for leak in check_folder(tmp_path)}
    # Kent prints 2,103 children in independent special placements; the twelve districts print 2,101 between them.
    where = "Kent minus the districts shown, independent_special_placements 2024-10"
    assert ("county minus districts: numerator", where, 2) in kinds
    assert any(kind == "denominator minus numerator" and "Sevenoaks" in where for kind, where, _ in kinds)


def test_the_checker_reads_the_readers_workbook_of_the_unsuppressed_edition(tmp_path):
    # The workbook a director opens: word headings ("Indicator id", "Period" as printed), a sheet explaining them.
    download = report_download(kccperf.assess(kccperf.load_scorecard(PERIOD)))
    write_workbook(download.sheets, tmp_path / "kent-scorecard.xlsx")
    kinds = {(leak.kind, leak.where, leak.count) for leak in check_folder(tmp_path)}
    where = "Kent minus the districts shown, independent_special_placements Oct-24"
    assert ("county minus districts: numerator", where, 2) in kinds
    sevenoaks = {(kind, count) for kind, where, count in kinds if "Sevenoaks ehcp_issued_20wk" in where}
    assert ("denominator minus numerator", 1) in sevenoaks


def test_the_suppressed_edition_has_no_leak(tmp_path):
    write_csv(kccperf.suppress(kccperf.assess(kccperf.load_scorecard(PERIOD)), 5), tmp_path / "kent-scorecard.csv")
    leaks = check_folder(tmp_path)
    assert leaks == [], "\n".join(map(str, leaks[:30]))
