"""The clean edition: every printed anomaly corrected, so each check runs on data where it finds nothing.

Every check must work when it finds nothing: the reader's quality log, ``kccperf qa`` (each reconciliation
builder), ``kccperf budget-qa``, the floors, the ``--out`` exports and the whole report batch.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

import kccperf
from kccperf import cli
from kccperf.budget import load_budget, mismatches
from kccperf.budget import reconcile as reconcile_budget
from kccperf.judge.reconcile import CATEGORIES as CATEGORY_MEANINGS
from kccperf.judge.reconcile import FLAGS
from kccperf.publish.batch import build_reports
from kccperf.schemas import Finding, validate
from tests.disclosure.checker import check_folder
from tests.fixtures.clean_edition import (
    COLUMNS,
    DATA,
    CorrectionError,
    build_clean_data,
    column_index,
    load_corrections,
    split_fields,
)

PERIOD = "2024-10"
BUDGET_YEAR = "2025-26"
# Every correction's reason starts with the anomaly categories it removes, then a colon: the reader's log,
# `kccperf qa`, or `budget` and the kinds of check of `kccperf budget-qa`.
CATEGORIES = {
    "budget",
    "claim",
    "column_total",
    "cross_table",
    "row_total",
    "code_contradicts_title",
    "code_differs",
    "code_of_other_indicator",
    "code_used_twice",
    "page_number_in_cell",
    "conflicting_figures",
    "dot",
    "dot_unchecked",
    "impossible_value",
    "merged_na",
    "misaligned_header",
    "misaligned_row",
    "missing_block_heading",
    "missing_code",
    "missing_period_labels",
    "percent_over_100",
    "polarity",
    "rag",
    "reused_code",
    "stale_header",
    "true_period",
    "previous_year",
    "percent_vs_counts",
    "value_mismatch",
    "value_vs_fraction",
    "wrong_code",
}
DOVER = "raw/scorecard/2024-10/dover__ics_monthly.tsv"


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    return build_clean_data(tmp_path_factory.mktemp("clean") / "data")


def _lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8").split("\n")


def _write_corrections(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(["\t".join(COLUMNS), *rows]) + "\n", encoding="utf-8")
    return path


def test_each_correction_changes_a_cell_and_names_its_category():
    fixes = load_corrections()
    assert fixes
    for fix in fixes:
        where = f"corrections row {fix.source_row}"
        assert fix.printed != fix.corrected, where
        named = set(fix.why.split(":", 1)[0].replace(",", " ").split())
        assert named and named <= CATEGORIES, f"{where}: the reason should start with its anomaly categories ({fix.why})"
        assert (DATA / fix.file).is_file(), where


def test_every_correction_is_applied(clean):
    by_line = defaultdict(list)
    for fix in load_corrections():
        by_line[fix.file, fix.line].append(fix)
    for (rel, number), group in by_line.items():
        is_csv = rel.endswith(".csv")
        header = split_fields(_lines(DATA / rel)[0], is_csv)
        got = split_fields(_lines(clean / rel)[number - 1], is_csv)
        # Columns count the printed line: earlier corrections on the line shift the later ones.
        offset = 0
        for fix in sorted(group, key=lambda f: column_index(f, header, is_csv)):
            start = column_index(fix, header, is_csv) + offset
            new = fix.corrected.split("\t")
            assert got[start : start + len(new)] == new, f"{rel} line {number}, column {fix.column}"
            offset += len(new) - fix.width


def test_nothing_but_the_corrected_lines_changes(clean):
    touched = {(fix.file, fix.line) for fix in load_corrections()}
    copied = 0
    for part in ("raw", "reference"):
        for src in sorted((DATA / part).rglob("*")):
            if not src.is_file():
                continue
            rel = src.relative_to(DATA).as_posix()
            before, after = _lines(src), _lines(clean / rel)
            assert len(before) == len(after), rel
            changed = {n for n, (a, b) in enumerate(zip(before, after), start=1) if a != b}
            assert changed <= {n for f, n in touched if f == rel}, rel
            copied += 1
    assert copied > 70


def test_a_correction_file_can_be_given(tmp_path):
    path = _write_corrections(tmp_path / "one.tsv", [f"{DOVER}\t12\t6\t120.8\t100.0\tpercent_over_100: a test"])
    dest = build_clean_data(tmp_path / "data", corrections=path)
    assert _lines(dest / DOVER)[11].split("\t")[5:8] == ["100.0", "100.0", "100.0"]
    assert _lines(dest / "raw/scorecard/2024-10/ashford__ics_monthly.tsv") == _lines(
        DATA / "raw/scorecard/2024-10/ashford__ics_monthly.tsv"
    )


def test_a_csv_field_is_named_by_its_header(tmp_path):
    targets = "reference/targets.csv"
    path = _write_corrections(tmp_path / "csv.tsv", [f"{targets}\t2\ttarget\t426\t425\trag: a test"])
    dest = build_clean_data(tmp_path / "data", corrections=path)
    before, after = _lines(DATA / targets), _lines(dest / targets)
    assert after[1] == before[1].replace(",426,", ",425,", 1)
    assert after[2:] == before[2:]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"{DOVER}\t12\t6\t99.9\t100.0\tplanted", f"{DOVER} line 12, column 6: expected the printed text '99.9', found '120.8'"),
        (
            f"{DOVER}\t12\t40\t120.8\t100.0\tplanted",
            f"{DOVER} line 12, column 40: expected the printed text '120.8', found nothing",
        ),
        (f"{DOVER}\t99\t6\t120.8\t100.0\tplanted", f"{DOVER} line 99: the file has 20 lines"),
        ("raw/scorecard/2024-10/nowhere__ics_monthly.tsv\t1\t0\tx\ty\tplanted", "nowhere__ics_monthly.tsv: no such file"),
        (f"{DOVER}\t12\t6\t120.8\t100.0\t", "row 2, column 'why': every correction needs a reason"),
    ],
)
def test_a_correction_that_does_not_fit_the_data_is_refused(tmp_path, row, message):
    path = _write_corrections(tmp_path / "planted.tsv", [row])
    with pytest.raises(CorrectionError) as err:
        build_clean_data(tmp_path / "data", corrections=path)
    assert message in str(err.value)


def test_overlapping_corrections_are_refused(tmp_path):
    rows = [f"{DOVER}\t12\t6\t120.8\t100.0\tfirst", f"{DOVER}\t12\t5\t100.0\\t120.8\t100.0\\t100.0\tsecond"]
    with pytest.raises(CorrectionError, match="corrections rows 3 and 2 overlap"):
        build_clean_data(tmp_path / "data", corrections=_write_corrections(tmp_path / "overlap.tsv", rows))


def test_the_quality_log_is_empty(clean):
    log = kccperf.load_quality_log(PERIOD, data_dir=clean)
    assert log.empty, log[["source_file", "row", "column", "category"]].to_string()
    assert list(log.columns) == list(kccperf.load_quality_log(PERIOD).columns)


def test_every_budget_check_adds_up(clean):
    budget = load_budget(BUDGET_YEAR, data_dir=clean)
    checks = reconcile_budget(budget.figures, budget.claims, relations=budget.relations)
    assert len(checks) > 600
    bad = mismatches(checks)
    assert bad.empty, bad[["check", "stated", "computed"]].to_string()


def test_every_published_rag_is_explained_by_a_floor(clean):
    floors, unexplained = kccperf.floor_inference(PERIOD, data_dir=clean)
    assert len(floors) > 0
    assert unexplained.empty, unexplained.to_string()


@pytest.mark.parametrize(
    ("argv", "last_line"),
    [
        (["quality", "--period", PERIOD], "0 anomalies"),
        (["budget-qa", "--year", BUDGET_YEAR], "0 do not add up"),
    ],
)
def test_the_commands_find_nothing(clean, monkeypatch, capsys, argv, last_line):
    monkeypatch.setenv("KCCPERF_DATA", str(clean))
    assert cli.main(argv) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].endswith(last_line)


def test_the_floors_command_finds_no_unexplained_rag(clean, monkeypatch, capsys):
    monkeypatch.setenv("KCCPERF_DATA", str(clean))
    assert cli.main(["floors", "--period", PERIOD]) == 0
    out = capsys.readouterr().out
    assert "floor" in out
    assert "unexplained:" not in out


def test_reconciliation_finds_nothing_and_lists_every_category(clean):
    rec = kccperf.reconcile(PERIOD, data_dir=clean)
    # Targets flagged for checking are not printing mistakes: the clean edition keeps the printed targets.
    flags = rec.findings["category"].isin(FLAGS)
    assert rec.findings[~flags].empty, rec.findings[~flags].to_string()
    validate(rec.findings[~flags], Finding, "clean findings")
    assert list(rec.findings.columns) == list(kccperf.reconcile(PERIOD).findings.columns)
    summary = rec.summary()
    assert set(summary["category"]) == set(CATEGORY_MEANINGS)
    disagreements = summary[~summary["category"].isin(FLAGS)]
    assert (disagreements["disagree"] == 0).all() and summary.loc[summary["category"] == "rag", "agree"].item() > 300
    assert set(rec.for_area("Dover")["category"]) <= FLAGS


def test_the_qa_command_prints_no_finding(clean, monkeypatch, capsys):
    monkeypatch.setenv("KCCPERF_DATA", str(clean))
    assert cli.main(["qa", "--period", PERIOD]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    summary = [line for line in lines if not line.startswith("[")]
    assert len(summary) == len(CATEGORY_MEANINGS)
    for line in summary:
        is_flag = line.split(":", 1)[0] in FLAGS
        assert ("flag(s) for checking," if is_flag else ": 0 disagreement(s),") in line, line
    # What is listed below the summary are the flags alone.
    assert all(line.split("]", 1)[0].strip("[") in FLAGS for line in lines[len(summary) :])


@pytest.mark.parametrize("command", ["qa", "quality", "budget-qa"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_empty_exports_are_written_with_their_header(clean, monkeypatch, capsys, tmp_path, command, suffix):
    monkeypatch.setenv("KCCPERF_DATA", str(clean))
    out = tmp_path / f"{command}{suffix}"
    assert cli.main([command, "--out", str(out)]) == 0
    frame = pd.read_excel(out) if suffix == ".xlsx" else pd.read_csv(out)
    assert len(frame.columns) > 3
    if command == "qa":  # only targets flagged for checking remain
        assert frame["category"].isin(FLAGS).all()
    elif command != "budget-qa":  # budget-qa exports every check, each of which now adds up
        assert frame.empty


def test_the_report_batch_runs_on_a_clean_month(clean, monkeypatch, tmp_path):
    # The kernels inherit the data folder from the environment, as an analyst's own run would.
    monkeypatch.setenv("KCCPERF_DATA", str(clean))
    run = build_reports(PERIOD, "all", out_dir=tmp_path / "out", jobs=2, data_dir=clean)
    assert not run.failed, [(r.area, r.error) for r in run.failed]
    county = (run.out_dir / "kent-scorecard.html").read_text(encoding="utf-8")
    assert "Reconciliation appendix" in county and "numerator appears to have lost a digit" not in county
    dover = (run.out_dir / "dover.html").read_text(encoding="utf-8")
    assert "120.8" not in dover
    # Disclosure control holds on a clean month too: no page or download reveals a count of 1 to 5.
    leaks = check_folder(run.out_dir)
    assert leaks == [], "\n".join(map(str, leaks[:30]))
