"""The scale benchmark: its synthetic districts read like real ones, and its smallest run prints its figures."""

from __future__ import annotations

import argparse
import re

import kccperf
from benchmarks.bench_scale import configurations, make_data

from .conftest import run_benchmark


def test_synthetic_districts_load_like_the_district_they_copy(tmp_path):
    data, newest = make_data(tmp_path / "data", 14, 2)
    assert newest == "2024-11"
    areas = kccperf.load_catalogue(data).areas
    assert len(areas) == 15 and list(areas["area"].iloc[-2:]) == ["Synthetic 013", "Synthetic 014"]
    rows = kccperf.load_scorecard(newest, data_dir=data).groupby("area").size()
    # District 13 is a copy of Canterbury's tables (the templates are taken in turn), district 14 of Dartford's.
    assert rows["Synthetic 013"] == rows["Canterbury"] and rows["Synthetic 014"] == rows["Dartford"]


def test_configurations_are_two_series_or_the_grid():
    args = argparse.Namespace(areas=[12, 50], editions=[1, 24], grid=False)
    assert configurations(args) == [(12, 1), (50, 1), (12, 24)]
    args.grid = True
    assert configurations(args) == [(12, 1), (12, 24), (50, 1), (50, 24)]


def test_the_smallest_run_prints_load_assess_and_report_times():
    res = run_benchmark("bench_scale", "--areas", "12", "--editions", "1")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].split() == [
        "districts",
        "editions",
        "rows",
        "load",
        "cold",
        "s",
        "load",
        "warm",
        "s",
        "assess",
        "s",
        "report",
        "s",
    ]
    figures = re.fullmatch(r"\s*12\s+1\s+([\d,]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", lines[1])
    assert figures, lines[1]
    assert int(figures.group(1).replace(",", "")) > 1000 and all(float(x) > 0 for x in figures.groups()[1:])
