"""The chart benchmark: its smallest run prints the render time of each chart set of the area."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from .conftest import ROOT, end_with_this_process


def test_the_smallest_run_prints_each_chart_set_time():
    res = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_charts", "--areas", "Dover", "--repeat", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))},
        preexec_fn=end_with_this_process(),
    )
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["area", "chart", "panels", "wall", "s", "CPU", "s", "ms/panel", "PNG", "KB"]
    for line, chart in zip(lines[1:3], ("trend", "funnel")):
        figures = re.fullmatch(rf"Dover\s+{chart}\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s+(\d+)", line)
        assert figures, line
        assert int(figures.group(1)) > 0 and all(float(x) > 0 for x in figures.groups()[1:])
    assert lines[3].startswith("load average")
