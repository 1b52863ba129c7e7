"""The command line, run as a user would: one sentence on stderr for bad input, never a traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pandas as pd
import pytest

from .conftest import RAW, end_with_this_process

KCCPERF = [sys.executable, "-m", "kccperf.cli"]


def run(*args, cwd=None):
    # A killed pytest takes the command with it (a report run would otherwise render on for a minute).
    return subprocess.run(
        [*KCCPERF, *args], capture_output=True, text=True, cwd=cwd, timeout=300, preexec_fn=end_with_this_process()
    )


def test_validate_lists_anomalies_with_row_and_column():
    res = run("validate", str(RAW / "canterbury__education_termly.tsv"))
    assert res.returncode == 0, res.stderr
    assert "termly table" in res.stdout
    assert "row 4, column A: [wrong_code] code EY14 belongs to" in res.stdout


def test_validate_strict_fails_on_anomalies():
    assert run("validate", "--strict", str(RAW / "canterbury__education_termly.tsv")).returncode == 1
    assert run("validate", "--strict", str(RAW / "kent__education_termly.tsv")).returncode == 0


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["validate", "missing.tsv"], "missing.tsv: no such file or folder; expected an edition folder"),
        (["validate", "data/raw/scorecard/2024-1"], "2024-1: no such file or folder; expected an edition folder"),
        (["report", "--period", "2031-01"], "period '2031-01' is not available"),
        (["report", "--areas", "Narnia"], "area 'Narnia' is not known"),
        (["quality", "--period", "nope"], "period 'nope' is not available"),
        (["report", "--periods", "2024-10,2031-01"], "parameter '--periods' names '2031-01', which is not an edition on disk"),
        (["report", "--periods", "all", "--period", "2024-10"], "parameter '--periods' cannot be given with '--period'"),
        (
            ["report", "--areas", "dover", "--scheduler", "tcp://127.0.0.1:1"],
            "parameter '--scheduler': no Dask scheduler answers",
        ),
    ],
)
def test_bad_input_is_one_line_without_traceback(tmp_path, args, needle):
    res = run(*args, "--out", str(tmp_path / "out")) if args[0] == "report" else run(*args)
    assert res.returncode == 2
    assert needle in res.stderr
    assert "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_bad_table_file_via_validate(tmp_path):
    bad = tmp_path / "kent__ics_monthly.tsv"
    bad.write_text("", encoding="utf-8")
    res = run("validate", str(bad))
    assert res.returncode == 2 and "is empty" in res.stderr and "Traceback" not in res.stderr


def test_quality_export_and_periods(tmp_path):
    out = tmp_path / "log.csv"
    res = run("quality", "--out", str(out))
    assert res.returncode == 0 and out.read_text().startswith("source_file,row,column")
    listed = run("periods").stdout.split()
    assert "2024-10" in listed and listed == sorted(listed)


def run_on(data, *args):
    env = {**os.environ, "KCCPERF_DATA": str(data)}
    return subprocess.run([*KCCPERF, *args], capture_output=True, text=True, env=env, timeout=300)


def test_commands_default_to_the_newest_edition_on_disk(history_data):
    assert run_on(history_data, "periods").stdout.split() == ["2024-10", "2024-11"]
    res = run_on(history_data, "quality", "--area", "Kent")
    assert res.returncode == 0, res.stderr
    assert "raw/scorecard/2024-11/kent__ics_monthly.tsv row 4, column Sep-24: [revised_figure]" in res.stdout
    assert "raw/scorecard/2024-10/" not in res.stdout


def test_revisions_lists_each_revised_figure(history_data, tmp_path):
    res = run_on(history_data, "revisions")
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == [
        "Kent / cswt_re_referrals, Sep-24: 23.4 in 2024-10, 23.9 in 2024-11 (raw/scorecard/2024-11/kent__ics_monthly.tsv row 4)",
        "1 revision (every edition on disk)",
    ]
    assert run_on(history_data, "revisions", "--period", "2024-10").stdout.splitlines() == ["0 revisions (edition 2024-10)"]
    res = run_on(history_data, "revisions", "--out", str(tmp_path / "rev.csv"))
    assert res.returncode == 0 and (tmp_path / "rev.csv").read_text().startswith("area,block,indicator,title,period")
    bad = run_on(history_data, "revisions", "--period", "2023-01")
    assert bad.returncode == 2 and "period '2023-01' is not available" in bad.stderr and "Traceback" not in bad.stderr


def test_since_lists_what_changed_since_the_edition_before(history_data, tmp_path):
    res = run_on(history_data, "since", "--area", "kent")
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == [
        "Kent, Percentage of Case File Audits graded good or outstanding: rated AMBER in Nov-24, GREEN in Sep-24",
        "Kent, Percentage re-referrals to Children's Social Work Services within 12 months of a previous referral (R12M): "
        "Sep-24 revised from 23.4 to 23.9",
        "Kent, Percentage of CYP registered to EHE who receive contact and additional information within 10 school days "
        "of them being brought to our attention: target 2024-25 60 → 75",
        "Kent, Percentage of Child and Family Assessments completed within 45 working days: first printed in this edition",
        "Kent, Percentage of EH Unit Case Audits rated good or outstanding: no longer printed",
        "5 changes in 2024-11 since 2024-10 for kent",
    ]
    first = run_on(history_data, "since", "--period", "2024-10")
    assert first.stdout == "2024-10 is the first edition on disk: there is no earlier edition to compare it with\n"
    res = run_on(history_data, "since", "--out", str(tmp_path / "since.xlsx"))
    assert res.returncode == 0 and res.stdout.endswith(f"written to {tmp_path / 'since.xlsx'}\n")
    changes = pd.read_excel(tmp_path / "since.xlsx")
    assert changes["change"].eq("rating").sum() == 1 and len(changes) > 5
    bad = run_on(history_data, "since", "--area", "Narnia")
    assert bad.returncode == 2 and "area 'Narnia' is not known" in bad.stderr and "Traceback" not in bad.stderr


def test_bad_jobs_value_is_rejected_by_argparse():
    res = run("report", "--jobs", "0")
    assert res.returncode == 2 and "must be 1 or more" in res.stderr and "Traceback" not in res.stderr


def test_qa_floors_and_budget_qa(tmp_path):
    res = run("qa", "--out", str(tmp_path / "qa.csv"))
    assert res.returncode == 0 and "rag:" in res.stdout and (tmp_path / "qa.csv").read_text().startswith("area,block,indicator")
    res = run("floors")
    assert res.returncode == 0 and "cic_kcc_foster_care 2024-25 (H): floor 75 [stated]" in res.stdout
    res = run("budget-qa")
    assert res.returncode == 0 and "TOTAL SPENDING" in res.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["validate", "--edition", "2024-13", str(RAW / "kent__ics_quarterly.tsv")], "parameter 'edition' is '2024-13'"),
        (["validate", "--edition", "nonsense", str(RAW / "kent__ics_quarterly.tsv")], "parameter 'edition' is 'nonsense'"),
        (["report", "--areas", "Kent", "--out", "/nonexistent-kccperf/x"], "parent folder does not exist"),
        (["qa", "--period", "2030-01"], "period '2030-01' is not available"),
        (["qa", "--out", "/nonexistent-kccperf/qa.csv"], "whose folder does not exist"),
        (["qa", "--out", "/tmp"], "names the folder /tmp"),
        (["quality", "--out", "/tmp"], "names the folder /tmp"),
        (["report", "--areas", "Kent", "--out", "/etc/hostname"], "which is a file"),
        (["budget-qa", "--year", "2031-32"], "parameter 'year' is '2031-32'"),
    ],
)
def test_more_bad_parameters(args, needle):
    res = run(*args)
    assert res.returncode == 2 and needle in res.stderr and "Traceback" not in res.stderr


def test_qa_writes_excel_when_asked(tmp_path):
    out = tmp_path / "qa.xlsx"
    assert run("qa", "--out", str(out)).returncode == 0
    assert out.read_bytes()[:2] == b"PK"  # an xlsx is a zip archive


def test_kernel_registers_this_interpreter_in_the_prefix(tmp_path):
    import json

    res = run("kernel", "--prefix", str(tmp_path))
    assert res.returncode == 0, res.stderr
    spec = json.loads((tmp_path / "share" / "jupyter" / "kernels" / "kccperf" / "kernel.json").read_text())
    assert spec["argv"][0] == sys.executable and spec["display_name"] == "Python (kccperf)"
    assert "registered the Jupyter kernel 'Python (kccperf)'" in res.stdout


# What the batch says while it starts, before any report is done (the wait only when the workers are still starting).
START = (
    "starting {workers} …",
    "preparing the {period} edition (load, assess, reconcile) …",
    "waiting for the workers to be ready …",
    "building {reports} …",
)


def start_lines(stderr: str, workers: str, periods: list[str], reports: str) -> tuple[list[str], list[str]]:
    """The start's lines as said, checked against :data:`START`, and the reports' lines after them."""
    lines = stderr.strip().splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("["))
    expected = [START[0].format(workers=workers), *(START[1].format(period=p) for p in periods)]
    said = [line for line in lines[:first] if line != START[2]]
    assert said == [*expected, START[3].format(reports=reports)], stderr
    return said, lines[first:]


def test_report_output_is_progress_lines_only(tmp_path):
    """Two areas on one worker: the worker warms its kernel first, and nothing the kernel prints reaches the output."""
    res = run("report", "--areas", "dover,thanet", "--jobs", "1", "--out", str(tmp_path))
    assert res.returncode == 0, res.stderr
    assert "Reconciliation(" not in res.stdout + res.stderr
    assert res.stdout.strip().splitlines() == [
        f"2 of 2 reports written to {tmp_path / '2024-10'}; index: {tmp_path / '2024-10' / 'index.html'}"
    ]
    # The seconds of the start are said step by step on stderr, then one line per report.
    _, reports = start_lines(res.stderr, "1 worker", ["2024-10"], "2 reports")
    assert [re.sub(r"^\[(\d)/2\] (\w+): written .*", r"\1 \2", line) for line in reports] in (
        ["1 Dover", "2 Thanet"],
        ["1 Thanet", "2 Dover"],
    )


BACKFILL = """
import sys
from kccperf.cli import main
code = main(["report", "--periods", "all", "--areas", "dover", "--jobs", "2", "--out", sys.argv[1]])
print("cluster imported:", sorted({"distributed", "kccperf.publish.cluster"} & set(sys.modules)))
sys.exit(code)
"""


def test_report_periods_all_builds_every_edition_locally_without_a_cluster(history_data, tmp_path):
    # pandera imports dask.dataframe when dask is installed; the cluster client (distributed) is kccperf's own choice.
    env = {**os.environ, "KCCPERF_DATA": str(history_data)}
    res = subprocess.run(
        [sys.executable, "-c", BACKFILL, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        preexec_fn=end_with_this_process(),
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().splitlines() == [
        *(f"1 of 1 reports written to {tmp_path / p}; index: {tmp_path / p / 'index.html'}" for p in ("2024-10", "2024-11")),
        "cluster imported: []",
    ]
    # Each edition's preparation said in turn, then one progress line per report, counted over the whole backfill
    # and naming the edition.
    _, reports = start_lines(res.stderr, "2 workers", ["2024-10", "2024-11"], "2 reports")
    line = re.compile(r"^\[([12])/2\] (2024-1[01]) Dover: written .*/\2/dover\.html \(\d+\.\d s\)$")
    found = [line.match(text) for text in reports]
    assert all(found) and len(found) == 2, res.stderr
    assert sorted(m.group(1) for m in found) == ["1", "2"] and sorted(m.group(2) for m in found) == ["2024-10", "2024-11"]
    assert (tmp_path / "2024-11" / "dover.html").exists() and (tmp_path / "2024-10" / "dover.html").exists()
