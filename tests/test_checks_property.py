"""Each check on generated frames with zero, one and many planted faults: it finds exactly what was planted.

The frames start from the clean edition (every printed anomaly corrected, so every check finds nothing), then
hypothesis plants 0 to 8 faults at random places. A check that only ever ran on real data, which always has
findings, could not show that it finds nothing when nothing is wrong, or one thing when one thing is.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kccperf
from kccperf import budget
from kccperf.judge.reconcile import reconcile_frames
from kccperf.schemas import BudgetCheck, Finding, validate
from kccperf.scorecard.catalogue import load_catalogue
from tests.fixtures.clean_edition import build_clean_data

PERIOD = "2024-10"
SETTINGS = settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
HOW_MANY = st.sampled_from([0, 1, 2, 5, 8])


@pytest.fixture(scope="module")
def frames(tmp_path_factory):
    data = build_clean_data(tmp_path_factory.mktemp("clean") / "data")
    cat = load_catalogue(data)
    scorecard = kccperf.load_scorecard(PERIOD, data_dir=data)
    assessed = kccperf.assess(scorecard, targets=cat.targets, indicators=cat.indicators)
    tables = budget.load_budget("2025-26", data_dir=data)
    return {
        "catalogue": cat,
        "scorecard": scorecard,
        "published": kccperf.load_published(PERIOD, data_dir=data),
        "log": kccperf.load_quality_log(PERIOD, data_dir=data),
        "assessed": assessed,
        "budget": tables,
    }


def _reconcile(frames, scorecard=None, published=None):
    rec = reconcile_frames(
        frames["scorecard"] if scorecard is None else scorecard,
        frames["published"] if published is None else published,
        frames["log"],
        frames["assessed"],
        frames["catalogue"],
    )
    validate(rec.findings, Finding, "findings")
    return rec.findings


@SETTINGS
@given(k=HOW_MANY, seed=st.integers(0, 10_000))
def test_reconcile_finds_each_planted_rating(frames, k, seed):
    published = frames["published"]
    green = published[published["rag"] == "GREEN"].sample(n=k, random_state=seed)
    planted = published.copy()
    planted.loc[green.index, "rag"] = "RED"
    found = _reconcile(frames, published=planted)
    rag = found[found["category"] == "rag"]
    assert len(rag) == k
    assert set(zip(rag["source_file"], rag["source_row"])) == set(zip(green["source_file"], green["source_row"]))
    assert (rag["published"] == "RED").all()


@SETTINGS
@given(k=HOW_MANY, seed=st.integers(0, 10_000))
def test_reconcile_finds_each_planted_impossible_value(frames, k, seed):
    scorecard = frames["scorecard"]
    units = frames["catalogue"].indicators.set_index("indicator")["unit"]
    percent = scorecard[scorecard["indicator"].map(units).eq("percent") & scorecard["value"].notna()]
    bad = percent.sample(n=k, random_state=seed)
    planted = scorecard.copy()
    planted.loc[bad.index, "value"] = 130.0
    found = _reconcile(frames, scorecard=planted)
    impossible = found[found["category"] == "impossible_value"]
    assert len(impossible) == k
    assert impossible["explanation"].eq("a percentage over 100").all()


@SETTINGS
@given(k=HOW_MANY, seed=st.integers(0, 10_000))
def test_budget_reconciliation_finds_each_planted_total(frames, k, seed):
    tables = frames["budget"]
    figures = tables.figures
    totals = figures[(figures["row_type"] == "total") & figures["value"].notna() & (figures["table"] == "table1")]
    wrong = totals.sample(n=min(k, len(totals)), random_state=seed)
    planted = figures.copy()
    planted.loc[wrong.index, "value"] = planted.loc[wrong.index, "value"] + 1000
    checks = validate(budget.reconcile(planted, tables.claims, tables.relations), BudgetCheck, "checks")
    bad = budget.mismatches(checks)
    named = set(zip(bad["table"], bad["row"], bad["column"]))
    assert set(zip(wrong["table"], wrong["row"], wrong["column"])) <= named
    assert bad.empty == wrong.empty


@SETTINGS
@given(k=HOW_MANY, seed=st.integers(0, 10_000))
def test_reconcile_finds_each_planted_arrow(frames, k, seed):
    published = frames["published"]
    arrows = published[published["direction"].isin(["↑", "↓"])].sample(n=k, random_state=seed)
    planted = published.copy()
    planted.loc[arrows.index, "direction"] = arrows["direction"].map({"↑": "↓", "↓": "↑"})
    found = _reconcile(frames, published=planted)
    dot = found[found["category"].isin(["dot", "dot_unchecked"])]
    assert len(dot) == k
    assert set(zip(dot["source_file"], dot["source_row"])) == set(zip(arrows["source_file"], arrows["source_row"]))


@SETTINGS
@given(k=HOW_MANY, seed=st.integers(0, 10_000))
def test_reconcile_finds_each_planted_conflict_in_a_shared_block(frames, k, seed):
    scorecard, blocks = frames["scorecard"], frames["catalogue"].blocks
    shared = set(blocks.loc[blocks["areas"].str.contains("|", regex=False), "block"])
    printed = scorecard[scorecard["block"].isin(shared) & scorecard["value"].notna()]
    changed = printed.drop_duplicates(["block", "indicator", "period"]).sample(n=k, random_state=seed)
    planted = scorecard.copy()
    planted.loc[changed.index, "value"] = planted.loc[changed.index, "value"] + 1
    found = _reconcile(frames, scorecard=planted)
    conflicts = found[found["category"] == "conflicting_figures"]
    assert len(conflicts) == k
    assert set(conflicts["block"]) == set(changed["block"])
