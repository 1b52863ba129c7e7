"""The chart benchmark: its smallest run prints the render time of each chart set of the area."""

from __future__ import annotations

import re

from .conftest import run_benchmark


def test_the_smallest_run_prints_each_chart_set_time():
    res = run_benchmark("bench_charts", "--areas", "Dover", "--repeat", "1")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["area", "chart", "panels", "wall", "s", "CPU", "s", "ms/panel", "img", "KB"]
    for line, chart in zip(lines[1:3], ("trend", "funnel")):
        figures = re.fullmatch(rf"Dover\s+{chart}\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)", line)
        assert figures, line
        assert int(figures.group(1)) > 0 and all(float(x) > 0 for x in figures.groups()[1:])
    assert lines[3].startswith("load average")
