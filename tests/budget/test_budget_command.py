"""The budget-qa command: the report's mistakes listed, the checks written out, a bad year refused in one line."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd


def test_budget_qa_command(tmp_path):
    out = tmp_path / "qa.csv"
    res = subprocess.run(
        [sys.executable, "-m", "kccperf.cli", "budget-qa", "--out", str(out)], capture_output=True, text=True, timeout=300
    )
    assert res.returncode == 0, res.stderr
    assert "7 do not add up" in res.stdout and "stated 109,578.3, computed 209,578.3" in res.stdout
    assert pd.read_csv(out)["status"].eq("mismatch").sum() == 7
    bad = subprocess.run(
        [sys.executable, "-m", "kccperf.cli", "budget-qa", "--year", "1999-00"], capture_output=True, text=True, timeout=300
    )
    assert bad.returncode == 2 and "parameter 'year'" in bad.stderr and "Traceback" not in bad.stderr
