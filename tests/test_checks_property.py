"""Each check on generated frames with zero, one and many planted faults: it finds exactly what was planted.

The frames start from the clean edition (every printed anomaly corrected, so every check finds nothing), then
hypothesis plants 0 to 8 faults at random places. A check that only ever ran on real data, which always has
findings, could not show that it finds nothing when nothing is wrong, or one thing when one thing is.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd
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


# Reader-level checks: faults planted in the clean edition's raw table files, read back through the whole edition
# (a few examples only: each reads all 71 tables).
READ_SETTINGS = settings(SETTINGS, max_examples=3)
READ_HOW_MANY = st.sampled_from([0, 1, 5])


@pytest.fixture(scope="module")
def clean_data(tmp_path_factory):
    return build_clean_data(tmp_path_factory.mktemp("clean-raw") / "data")


def _planted_copy(clean_data, edits: dict[tuple[str, int], tuple[int, str]]):
    """A copy of the clean data folder with ``edits[(file, line)] = (field, text)`` applied to the raw tables."""
    dest = Path(tempfile.mkdtemp(prefix="planted-"))
    shutil.copytree(clean_data, dest / "data")
    for (name, line), (field, text) in edits.items():
        path = dest / "data" / name
        lines = path.read_text(encoding="utf-8").split("\n")
        cells = lines[line - 1].split("\t")
        cells[field] = text
        lines[line - 1] = "\t".join(cells)
        path.write_text("\n".join(lines), encoding="utf-8")
    return dest


def _numerator_field(path: Path) -> int:
    """Where the printed numerator of a table's latest period sits: the header row under 'Numerator'."""
    second = path.read_text(encoding="utf-8").split("\n")[1].split("\t")
    return second.index("Numerator")


@READ_SETTINGS
@given(k=READ_HOW_MANY, seed=st.integers(0, 10_000))
def test_reconcile_finds_each_planted_lost_digit(frames, clean_data, k, seed):
    """A numerator that lost its last digit no longer gives the printed percentage: value_vs_fraction, row by row."""
    s, units = frames["scorecard"], frames["catalogue"].indicators.set_index("indicator")["unit"]
    rows = s[s["is_latest"] & s["numerator"].ge(20) & s["indicator"].map(units).eq("percent")]
    rows = rows.drop_duplicates(["source_file", "source_row"]).sample(n=k, random_state=seed)
    edits = {}
    for r in rows.itertuples(index=False):
        field = _numerator_field(clean_data / r.source_file)
        cells = (clean_data / r.source_file).read_text(encoding="utf-8").split("\n")[r.source_row - 1].split("\t")
        assert float(cells[field].replace(",", "")) == r.numerator  # the fixture points at the printed numerator
        edits[(r.source_file, r.source_row)] = (field, f"{int(r.numerator) // 10}")
    planted = _planted_copy(clean_data, edits)
    try:
        found = kccperf.reconcile(PERIOD, data_dir=planted / "data").findings
    finally:
        shutil.rmtree(planted)
    hits = found[found["category"] == "value_vs_fraction"]
    assert set(zip(hits["source_file"], hits["source_row"])) == set(edits)
    assert len(hits) == k and (found["category"] == "value_vs_fraction").sum() == k


@READ_SETTINGS
@given(k=READ_HOW_MANY, seed=st.integers(0, 10_000))
def test_reconcile_finds_each_planted_code_of_another_indicator(frames, clean_data, k, seed):
    """A row printing another indicator's code is code_contradicts_title, naming the code and the right one."""
    published, indicators = frames["published"], frames["catalogue"].indicators
    codes = indicators.assign(code=indicators["codes"].str.split("|").str[0]).set_index("indicator")["code"]
    rows = published[published["code_published"].ne("")].drop_duplicates(["source_file", "source_row"])
    rows = rows.sample(n=k, random_state=seed)
    others = codes.sample(frac=1, random_state=seed)
    edits, expected = {}, {}
    for r in rows.itertuples(index=False):
        other = next(c for ind, c in others.items() if ind != r.indicator and c and c not in r.code_published)
        edits[(r.source_file, r.source_row)] = (0, other)
        expected[(r.source_file, r.source_row)] = other
    planted = _planted_copy(clean_data, edits)
    try:
        found = kccperf.reconcile(PERIOD, data_dir=planted / "data").findings
    finally:
        shutil.rmtree(planted)
    hits = found[found["category"] == "code_contradicts_title"]
    assert dict(zip(zip(hits["source_file"], hits["source_row"]), hits["published"])) == expected


@SETTINGS
@given(k=HOW_MANY, seed=st.integers(0, 10_000))
def test_reconcile_finds_each_planted_polarity(frames, k, seed):
    """Printing the opposite polarity for an indicator whose judgements clearly fit its own is a polarity finding."""
    from kccperf.judge.floors import judged_rows, polarity_check

    scorecard, published, assessed = frames["scorecard"], frames["published"], frames["assessed"]
    flip = {"H": "L", "L": "H"}
    # Indicators whose published ratings and arrows fit the printed polarity strictly better than its opposite:
    # the check run with every polarity reversed names exactly them.
    reversed_all = scorecard.assign(polarity=scorecard["polarity"].map(flip).fillna(scorecard["polarity"]))
    latest = reversed_all[reversed_all["is_latest"]]
    prev = assessed[["area", "block", "indicator", "dot_compared_value"]].rename(columns={"dot_compared_value": "previous_value"})
    clear = sorted(polarity_check(judged_rows(published, latest, frames["catalogue"].targets), prev)["indicator"])
    chosen = pd.Series(clear).sample(n=min(k, len(clear)), random_state=seed).tolist()
    planted = scorecard.copy()
    rows = planted["indicator"].isin(chosen)
    planted.loc[rows, "polarity"] = planted.loc[rows, "polarity"].map(flip)
    found = _reconcile(frames, scorecard=planted)
    polarity = found[found["category"] == "polarity"]
    assert sorted(polarity["indicator"]) == sorted(chosen)
    assert len(clear) >= 5  # enough indicators to plant in: the property is not vacuous
