"""Each check on generated frames with zero, one and many planted faults: it finds exactly what was planted.

The frames start from the clean edition (every printed anomaly corrected, so every check finds nothing), then
hypothesis plants 0 to 8 faults at random places. A check that only ever ran on real data, which always has
findings, could not show that it finds nothing when nothing is wrong, or one thing when one thing is.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import kccperf
from kccperf import budget
from kccperf.judge.more_checks import percent_vs_counts_findings, previous_year_findings
from kccperf.judge.reconcile import load_fractions, reconcile_frames
from kccperf.judge.true_periods import true_periods
from kccperf.schemas import BudgetCheck, Finding, TruePeriod, validate
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
        "fractions": load_fractions(data),
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


# True periods, last year's ratings, percentages against their counts and the floor interval: each planted on the
# clean frames as one unambiguous fault, with k = 0 always among the examples (the quiet case).
SERIES = ["area", "block", "indicator"]


def _series(frame: pd.DataFrame) -> list[tuple]:
    return list(zip(*(frame[c] for c in SERIES)))


def _with_previous_figure(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Every row with its series' previous period, figure and decimals (periods sort as text within a series)."""
    df = scorecard.sort_values([*SERIES, "period"], kind="stable")
    g = df.groupby(SERIES, sort=False)
    return df.assign(prev_period=g["period"].shift(1), prev_value=g["value"].shift(1), prev_decimals=g["decimals"].shift(1))


def _same_at_precision(value: pd.Series, previous: pd.Series, decimals: pd.Series) -> pd.Series:
    scale = 10.0 ** decimals.fillna(6)
    return ((value * scale).round() / scale - previous).abs() < 1e-9


@SETTINGS
@given(k=HOW_MANY, seed=st.integers(0, 10_000))
@example(k=0, seed=0)
@example(k=8, seed=1)
def test_true_periods_find_each_planted_repeat_with_more_decimals(frames, k, seed):
    """A latest figure that is the previous column's, printed with one more decimal, is that period's figure.

    68.6 then 68.63 rounds back to 68.6: the sign that needs no company (one series repeating its previous figure
    at the same precision is not a sign on its own). Indicators whose latest column already repeats a figure
    somewhere are left alone: a planted repeat there could make repeating the column's habit and name more rows.
    """
    scorecard, published = frames["scorecard"], frames["published"]
    df = _with_previous_figure(scorecard)
    latest = df[df["is_latest"] & df["value"].notna() & df["prev_value"].notna() & df["prev_decimals"].notna()]
    repeats = _same_at_precision(latest["value"], latest["prev_value"], latest["prev_decimals"])
    habit = latest.loc[repeats, "indicator"].unique()
    eligible = latest[~latest["indicator"].isin(habit)]
    assert len(eligible) >= 100  # enough series to plant in: the property is not vacuous
    chosen = eligible.sample(n=k, random_state=seed)
    planted = scorecard.copy()
    planted.loc[chosen.index, "value"] = chosen["prev_value"] + 0.3 * 10.0 ** -chosen["prev_decimals"]
    planted.loc[chosen.index, "decimals"] = chosen["prev_decimals"] + 1

    cases = validate(true_periods(planted, published), TruePeriod, "true periods")
    assert len(cases) == k and set(_series(cases)) == set(_series(chosen))
    assert cases["sign"].str.split("; ").map(lambda signs: "repeat" in signs).all()
    # Printed under the latest period, the figure is the previous period's.
    assert dict(zip(_series(cases), zip(cases["period"], cases["true_period"]))) == dict(
        zip(_series(chosen), zip(chosen["period"], chosen["prev_period"]))
    )

    found = _reconcile(frames, scorecard=planted)
    hits = found[found["category"] == "true_period"]
    assert len(hits) == k and set(_series(hits)) == set(_series(chosen))


@SETTINGS
@given(k=HOW_MANY, seed=st.integers(0, 10_000))
@example(k=0, seed=0)
@example(k=8, seed=1)
def test_previous_year_finds_each_planted_outturn_across_its_target(frames, k, seed):
    """Last year's printed outturn moved to the other side of last year's target contradicts last year's rating."""
    published, cat = frames["published"], frames["catalogue"]
    _, agreed_clean = previous_year_findings(published, cat.indicators, cat.targets)
    polarity = published["indicator"].map(cat.indicators.set_index("indicator")["polarity"])
    eligible = published[
        published["prev_rag"].isin(["RED", "AMBER", "GREEN"])
        & published["prev_outturn"].notna()
        & published["prev_target"].notna()
        & polarity.isin(["H", "L"])
    ]
    assert len(eligible) >= 100
    chosen = eligible.sample(n=k, random_state=seed)
    green = chosen["prev_rag"].eq("GREEN")
    # H: a GREEN goes below the target, an AMBER or RED above it; L the other way round.
    direction = np.where(polarity[chosen.index].eq("H"), 1, -1) * np.where(green, -1, 1)
    planted = published.copy()
    target = chosen["prev_target"]
    planted.loc[chosen.index, "prev_outturn"] = target + direction * (target.abs() / 10 + 1)

    rows, agreed = previous_year_findings(planted, cat.indicators, cat.targets)
    validate(rows, Finding, "previous-year findings")
    assert len(rows) == k and (rows["category"] == "previous_year").all()
    by_row = rows.set_index(["source_file", "source_row"])
    expected = chosen.set_index(["source_file", "source_row"])
    assert set(by_row.index) == set(expected.index)
    assert by_row["published"].to_dict() == (expected["prev_rag"].astype(str) + " for " + expected["prev_year"]).to_dict()
    assert by_row["computed"].to_dict() == dict(zip(expected.index, np.where(green, "not GREEN", "GREEN")))
    assert agreed == agreed_clean - k  # each planted rating moves from agreeing to disagreeing, nothing else


@SETTINGS
@given(k=HOW_MANY, seed=st.integers(0, 10_000), in_counts=st.booleans())
@example(k=0, seed=0, in_counts=False)
@example(k=2, seed=1, in_counts=False)
@example(k=8, seed=1, in_counts=True)
def test_percent_vs_counts_finds_each_planted_disagreement(frames, k, seed, in_counts):
    """A percentage moved 5 points, or its numerator count row moved by 10, no longer follows from its counts."""
    scorecard, fractions = frames["scorecard"], frames["fractions"]
    _, agreed_clean = percent_vs_counts_findings(scorecard, fractions)
    # Each percentage row with the count rows printed with it: same table, area, block and period.
    keys = ["area", "block", "period", "source_file"]
    row_of = pd.Series(scorecard.index, index=pd.MultiIndex.from_frame(scorecard[[*keys, "indicator"]]))
    parts = fractions.set_index("indicator")
    pct = scorecard[scorecard["indicator"].isin(parts.index)]

    def count_row(part: str) -> np.ndarray:
        key = pct[keys].assign(indicator=pct["indicator"].map(parts[part]))
        return row_of.reindex(pd.MultiIndex.from_frame(key)).to_numpy()

    num_row, den_row = count_row("numerator_indicator"), count_row("denominator_indicator")
    pct = pct.assign(
        num_row=num_row,
        num=scorecard["value"].reindex(num_row).to_numpy(),
        den=scorecard["value"].reindex(den_row).to_numpy(),
    )
    eligible = pct[pct["value"].notna() & pct["num"].notna() & pct["den"].gt(0)]
    assert len(eligible) >= 5  # Kent prints the counts for every month; k = 8 plants in all of them
    chosen = eligible.sample(n=min(k, len(eligible)), random_state=seed)
    planted = scorecard.copy()
    if in_counts:
        planted.loc[chosen["num_row"].astype(int), "value"] = chosen["num"].to_numpy() + 10
    else:
        planted.loc[chosen.index, "value"] = chosen["value"] + np.where(chosen["value"] > 50, -5, 5)

    rows, agreed = percent_vs_counts_findings(planted, fractions)
    validate(rows, Finding, "percent-vs-counts findings")
    assert len(rows) == len(chosen) and (rows["category"] == "percent_vs_counts").all()
    shown = planted.loc[chosen.index]
    expected = [
        (f, r, f"{v:g}% ({label})") for f, r, v, label in shown[["source_file", "source_row", "value", "period_label"]].values
    ]
    assert sorted(zip(rows["source_file"], rows["source_row"], rows["published"])) == sorted(expected)
    assert agreed == agreed_clean - len(chosen)


@SETTINGS
@given(k=HOW_MANY, seed=st.integers(0, 10_000))
@example(k=0, seed=0)
@example(k=8, seed=1)
def test_floor_interval_finds_each_planted_rating_on_the_wrong_side(frames, k, seed):
    """One rating per indicator and year moved across the floor that explains all the others is floor_interval.

    In each chosen indicator and year the best AMBER becomes RED, or the worst RED becomes AMBER. With at least
    three AMBERs (or REDs) the old floor still explains every rating but the planted one, and explains more
    than any other floor, so the planted rating, and only it, is on the wrong side.
    """
    scorecard, published = frames["scorecard"], frames["published"]
    rated = published[published["rag"].isin(["AMBER", "RED"])]
    printed = scorecard.set_index([*SERIES, "period"])["value"]
    value = printed.reindex(pd.MultiIndex.from_frame(rated[[*SERIES, "latest_period"]])).to_numpy()
    polarity = scorecard.drop_duplicates(SERIES).set_index(SERIES)["polarity"]
    pol = polarity.reindex(pd.MultiIndex.from_frame(rated[SERIES])).to_numpy()
    target = rated["target"].to_numpy(float)
    # Larger is better: H the figure, L minus the figure. Only plain H and L ratings that miss their target.
    rated = rated.assign(x=np.where(pol == "H", value, -value), plain=np.isin(pol, ["H", "L"]) & np.isfinite(value))
    rated = rated.assign(plain=rated["plain"] & np.where(pol == "H", value < target, value > target))
    group = ["indicator", "rag_year"]
    rated = rated[rated.groupby(group)["plain"].transform("all")]
    amber = rated["rag"].eq("AMBER")
    n_amber = amber.groupby([rated[c] for c in group]).transform("sum")
    n_red = (~amber).groupby([rated[c] for c in group]).transform("sum")
    best_amber = rated[amber & (n_amber >= 3)].sort_values("x").drop_duplicates(group, keep="last")
    worst_red = rated[~amber & (n_red >= 3)].sort_values("x").drop_duplicates(group, keep="first")
    candidates = pd.concat([best_amber.assign(new="RED"), worst_red.assign(new="AMBER")])
    assert candidates[group].drop_duplicates().shape[0] >= 8
    chosen = candidates.sample(frac=1, random_state=seed).drop_duplicates(group).head(k)
    planted = published.copy()
    planted.loc[chosen.index, "rag"] = chosen["new"]

    found = _reconcile(frames, published=planted)
    hits = found[found["category"] == "floor_interval"]
    assert len(hits) == k
    by_row = hits.set_index(["source_file", "source_row"])
    expected = chosen.set_index(["source_file", "source_row"])
    assert set(by_row.index) == set(expected.index)
    assert by_row["published"].to_dict() == expected["new"].to_dict()
    assert by_row["computed"].to_dict() == expected["rag"].to_dict()


@SETTINGS
@given(k=HOW_MANY, seed=st.integers(0, 10_000))
@example(k=0, seed=0)
@example(k=8, seed=1)
def test_implausible_targets_flag_each_planted_jump(frames, k, seed):
    """The county's printed targets, each next year's moved by 0-20%, except k moved by 30-300%: exactly those k are flagged."""
    from kccperf.judge.plausible import implausible_targets
    from kccperf.judge.reconcile import load_target_checks

    published, cat = frames["published"], frames["catalogue"]
    rng = np.random.default_rng(seed)
    kent = published[(published["area"] == "Kent") & published["target"].gt(0)].drop_duplicates("indicator")
    assert len(kent) >= 20
    chosen = kent.sample(n=k, random_state=seed).index
    change = np.where(kent.index.isin(chosen), rng.uniform(0.3, 3.0, len(kent)), rng.uniform(0, 0.2, len(kent)))
    planted = kent.assign(
        prev_target=np.nan,
        next_target=kent["target"] * (1 + change * rng.choice([-1, 1], len(kent))),
        next_target_year="2025-26",
        benchmark=np.nan,
        england=np.nan,
    )
    # A planted fall of more than 100% would cross zero: make it a 90% fall, still far beyond the threshold.
    planted["next_target"] = planted["next_target"].where(planted["next_target"] > 0, kent["target"] * 0.1)
    polarity = cat.indicators.drop_duplicates("indicator").set_index("indicator")["polarity"]
    flags, passed = implausible_targets(planted, np.full(len(planted), np.nan), polarity, load_target_checks(), ["Kent"])
    validate(flags, Finding, "target flags")
    assert set(flags["indicator"]) == set(kent.loc[chosen, "indicator"]) and len(flags) == k
    assert passed == len(kent) - k
