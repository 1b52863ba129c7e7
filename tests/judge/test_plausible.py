"""Targets flagged for checking: a large change between years' printed targets, or a target on the easy side of everything."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

import kccperf
from kccperf import cli
from kccperf.errors import InputError
from kccperf.judge.plausible import implausible_targets
from kccperf.judge.reconcile import load_target_checks
from kccperf.schemas import Finding

from ..conftest import ROOT

POLARITY = pd.Series({"h": "H", "l": "L", "t": "T"})
CHECKS = pd.DataFrame({"check": ["year_change", "outside_range"], "threshold": [0.25, 2.0], "meaning": ["", ""]})


def _published(**cols) -> pd.DataFrame:
    """One printed row (Kent's unless ``area`` says otherwise) with the given targets and comparisons."""
    row = {
        "area": "Kent",
        "indicator": "h",
        "prev_year": "2023-24",
        "prev_target": np.nan,
        "target_year": "2024-25",
        "target": np.nan,
        "next_target_year": "2025-26",
        "next_target": np.nan,
        "prev_outturn": np.nan,
        "benchmark": np.nan,
        "england": np.nan,
        "source_file": "raw/kent.tsv",
        "source_row": 7,
    }
    return pd.DataFrame([{**row, **cols}])


def _flags(pub: pd.DataFrame, value: float = np.nan, checks: pd.DataFrame = CHECKS):
    flags, passed = implausible_targets(pub, np.full(len(pub), value), POLARITY, checks, ["Kent"])
    Finding.validate(flags)
    return flags, passed


def _assert_nothing_checked(result) -> None:
    flags, passed = result
    assert flags.empty and passed == 0


@pytest.mark.parametrize(
    ("before", "after", "flagged"),
    [(100, 125, False), (100, 125.1, True), (100, 75, False), (100, 74.9, True), (-1.0, -0.75, False), (-1.0, -0.03, True)],
)
def test_a_year_s_change_in_the_target(before, after, flagged):
    flags, passed = _flags(_published(prev_target=before, target=after))
    assert (len(flags), passed) == ((1, 0) if flagged else (0, 1))
    if flagged:
        assert flags["published"].item() == f"{after:g} for 2024-25"
        assert f"from {before:g} in 2023-24 to {after:g} in 2024-25" in flags["explanation"].item()


def test_the_next_year_s_target_is_compared_too():
    flags, passed = _flags(_published(prev_target=20, target=20, next_target=40))
    assert passed == 1 and flags["published"].item() == "40 for 2025-26"


@pytest.mark.parametrize(("before", "after"), [(0, 5), (np.nan, 5), (5, np.nan)])
def test_no_change_is_measured_from_zero_or_a_missing_target(before, after):
    _assert_nothing_checked(_flags(_published(prev_target=before, target=after)))


@pytest.mark.parametrize(
    ("indicator", "target", "flagged"),
    [("h", 6.0, False), ("h", 5.9, True), ("h", 13.0, False), ("l", 16.0, False), ("l", 16.1, True), ("l", 5.0, False)],
)
def test_a_target_on_the_easy_side_of_every_comparison(indicator, target, flagged):
    # The county's figure 10, last year's outturn 11, the benchmark 12: spread 2, so 2 spreads is 4 beyond.
    pub = _published(indicator=indicator, target=target, prev_outturn=11.0, benchmark=12.0)
    flags, passed = _flags(pub, value=10.0)
    assert (len(flags), passed) == ((1, 0) if flagged else (0, 1))
    if flagged:
        assert flags["computed"].item() == "between 10 and 12"
        assert ("below the lowest" if indicator == "h" else "above the highest") in flags["explanation"].item()


@pytest.mark.parametrize(
    "cols",
    [
        {"benchmark": np.nan, "england": np.nan},  # no benchmark: nothing to say the target is out of line with
        {"indicator": "t"},  # a T indicator's target is a point to stay near, not a side
        {"area": "Dover"},  # a district's figure is not what a county target is set against
        {"prev_outturn": 10.0, "benchmark": 10.0},  # no spread to measure against
    ],
)
def test_the_range_check_is_made_only_where_it_means_something(cols):
    pub = _published(**{"target": -50.0, "prev_outturn": 11.0, "benchmark": 12.0, **cols})
    _assert_nothing_checked(_flags(pub, value=10.0))


def test_a_target_printed_in_every_area_is_flagged_once_for_the_indicator():
    pub = pd.concat([_published(area=a, prev_target=24, target=79) for a in ("Dover", "Kent", "Thanet")])
    flags, _ = _flags(pub)
    assert len(flags) == 1 and (flags["area"].item(), flags["source_file"].item()) == ("Kent", "raw/kent.tsv")


def test_the_thresholds_are_data():
    pub = _published(prev_target=100, target=130)
    assert len(_flags(pub)[0]) == 1
    looser = CHECKS.assign(threshold=[0.5, 2.0])
    assert len(_flags(pub, checks=looser)[0]) == 0
    _assert_nothing_checked(_flags(pub, checks=CHECKS.iloc[:0]))


def test_clean_targets_raise_no_flag_and_keep_the_schema():
    pub = pd.concat([_published(prev_target=20, target=21, next_target=22), _published(indicator="l", target=3)])
    flags, passed = _flags(pub, value=4.0)
    assert flags.empty and passed == 2
    assert list(flags.columns) == list(Finding.to_schema().columns)


def test_october_2024_flags(tmp_path):
    rec = kccperf.reconcile("2024-10")
    f = rec.findings[rec.findings["category"] == "implausible_target"]
    assert len(f) == 8 and set(f["area"]) == {"Kent"}
    assert not rec.for_area("Dover")["category"].eq("implausible_target").any()
    row = f[f["indicator"] == "perm_exclusions_secondary"].iloc[0]
    assert "from 24 in 2023-24 to 79 in 2024-25" in row["explanation"]
    published = kccperf.load_published("2024-10")
    kent = published[(published["area"] == "Kent") & (published["indicator"] == "perm_exclusions_secondary")].iloc[0]
    assert (kent.prev_target, kent.target) == (24, 79)
    p8 = f[(f["indicator"] == "ks4_progress8") & f["explanation"].str.contains("easier to meet")]
    assert p8["published"].tolist() == ["-1 for 2022-23"]
    summary = rec.summary().set_index("category")
    assert summary.loc["implausible_target", "disagree"] == 8 and summary.loc["implausible_target", "agree"] > 30


def test_the_qa_command_lists_flags_as_flags(capsys):
    assert cli.main(["qa", "--period", "2024-10"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("implausible_target:"))
    assert line.startswith("implausible_target: 8 flag(s) for checking,")


def test_a_bad_threshold_file_is_named(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    path = data / "reference" / "target_checks.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("year_change,0.25", "year_change,-1"), encoding="utf-8")
    with pytest.raises(InputError, match=r"target_checks\.csv: row 2, column 'threshold'"):
        load_target_checks(data)
