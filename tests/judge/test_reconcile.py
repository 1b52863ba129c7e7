"""Reconciliation: one test per category on small synthetic tables, plus the real October 2024 data."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import kccperf
from kccperf.schemas import Finding, FindingSummary

from ..conftest import RAW, ROOT


@pytest.fixture(scope="module")
def rec():
    return kccperf.reconcile("2024-10")


def _edit(tmp_path, name, old, new):
    """A copy of the data folder with one published table edited."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    folder = data / "raw" / "scorecard" / "2024-10"
    shutil.copytree(RAW, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


def _findings(data, category):
    f = kccperf.reconcile("2024-10", data_dir=data).findings
    return f[f.category == category]


@pytest.mark.parametrize(
    ("category", "indicator", "needle"),
    [
        ("value_vs_fraction", "ks2_rwm", "numerator appears to have lost a digit"),
        ("rag", "ks5_tech_level_aps", "a RAG is published although no value is"),
        ("rag", "caseload_ehu", "AMBER although the value 12.9 meets the target 20"),
        ("dot_unchecked", "neet_16_17", "seasonally affected"),
        # Higher is plainly better for Progress 8: the reversed polarity does not explain its ratings, so it is no cause.
        ("dot", "ks4_progress8", "no explanation found in the printed figures"),
        ("dot", "yj_reoffending", "last year's outturn"),
        ("conflicting_figures", "eyfs_gld_fsm_gap", "vulnerable_primary prints 22.6"),
        ("impossible_value", "permanent_social_workers", "a percentage over 100"),
        ("code_contradicts_title", "free_early_education_2yo", "belongs to"),
        ("polarity", "caseload_ehu", "fit polarity H"),
    ],
)
def test_real_findings(rec, category, indicator, needle):
    hits = rec.findings[(rec.findings.category == category) & (rec.findings.indicator == indicator)]
    assert hits["explanation"].str.contains(needle, regex=False).any()


def test_findings_follow_their_schema(rec):
    Finding.validate(rec.findings, lazy=True)
    assert len(rec.findings) > 0
    FindingSummary.validate(rec.summary(), lazy=True)
    assert list(rec.summary().columns) == list(FindingSummary.to_schema().columns)


def test_agreements_are_counted(rec):
    s = rec.summary().set_index("category")
    # Figures printed under a later period are judged at the year they cover: the 37 whose year has no target cannot
    # be checked, and 6 of them disagree with their own year's target (427 agreed when judged at the printed period).
    assert s.loc["rag", "agree"] == 384 and s.loc["rag", "disagree"] == 20 and s.loc["rag_unchecked", "disagree"] == 37
    assert set(s.index) == {
        "value_vs_fraction",
        "rag",
        "dot",
        "dot_unchecked",
        "conflicting_figures",
        "impossible_value",
        "code_contradicts_title",
        "polarity",
        "true_period",
        "rag_unchecked",
        "floor_interval",
        "previous_year",
        "percent_vs_counts",
        "implausible_target",
    }


def test_nothing_is_corrected(rec):
    df = kccperf.load_scorecard("2024-10", area="Dartford")
    assert df.query("indicator == 'ks2_rwm' and is_latest")["numerator"].item() == 112


# One synthetic edit per category, each planting one new disagreement.
def test_planted_rag(tmp_path):
    data = _edit(tmp_path, "kent__ics_monthly.tsv", "85.0\tRED\t73.9", "85.0\tGREEN\t73.9")
    hits = _findings(data, "rag")
    row = hits[(hits.area == "Kent") & (hits.indicator == "cic_kcc_foster_care")]
    assert row["published"].item() == "GREEN" and row["computed"].item() == "RED"


def test_planted_dot(tmp_path):
    data = _edit(tmp_path, "kent__ics_monthly.tsv", "1,674\t102.1\t↓", "1,674\t102.1\t↑")
    hits = _findings(data, "dot")
    assert ((hits.area == "Kent") & (hits.indicator == "caseload_cic_teams")).any()


def test_planted_value_mismatch(tmp_path):
    data = _edit(tmp_path, "kent__ics_monthly.tsv", "\t73.1\t757\t1,036", "\t73.1\t557\t1,036")
    hits = _findings(data, "value_vs_fraction")
    assert ((hits.area == "Kent") & (hits.indicator == "cic_kcc_foster_care")).any()


def test_planted_shared_block_conflict(tmp_path):
    old = "24.0\t25.2\t23.5\t25.3\t25.0\t24.0\t22.6"
    data = _edit(tmp_path, "tonbridge-and-malling__ics_monthly.tsv", old, old.replace("23.5", "23.6"))
    hits = _findings(data, "conflicting_figures")
    assert hits["explanation"].str.contains("shared block").any()


def test_planted_impossible_value(tmp_path):
    data = _edit(tmp_path, "kent__ics_monthly.tsv", "\t86.3\t84.8\t84.8\t85.7", "\t86.3\t184.8\t84.8\t85.7")
    hits = _findings(data, "impossible_value")
    assert ((hits.area == "Kent") & (hits.indicator == "case_audits_good")).any()


def test_planted_wrong_code(tmp_path):
    data = _edit(tmp_path, "kent__ics_monthly.tsv", "SCS08\t", "SCS03\t")
    hits = _findings(data, "code_contradicts_title")
    assert ((hits.area == "Kent") & (hits.indicator == "returner_interviews")).any()


def test_agreement_counts_do_not_rest_on_inferred_floors(rec, tmp_path):
    """Deleting every inferred floor from targets.csv changes no count: a floor fitted to the ratings checks nothing."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    shutil.copytree(RAW, data / "raw" / "scorecard" / "2024-10")
    path = data / "reference" / "targets.csv"
    targets = pd.read_csv(path, dtype=str, keep_default_na=False)
    inferred = targets["floor_source"] == "inferred"
    assert inferred.sum() > 20
    targets.loc[inferred, ["floor", "floor_low", "floor_high"]] = ""
    targets.loc[inferred, "floor_source"] = "unknown"
    targets.to_csv(path, index=False)
    without = kccperf.reconcile("2024-10", data_dir=data)
    cols = ["category", "agree", "disagree"]
    pd.testing.assert_frame_equal(without.summary()[cols], rec.summary()[cols])


def test_no_cause_is_named_without_its_evidence(rec):
    """Progress 8 and KS2 are higher-is-better: their arrows are not put down to the opposite polarity."""
    f = rec.findings
    named = f[f["explanation"].str.contains("opposite polarity")]
    assert not named["indicator"].str.startswith(("ks4_progress8", "ks2")).any()
    unexplained = f[(f["category"] == "dot") & f["indicator"].str.startswith("ks4_progress8")]
    assert len(unexplained) and unexplained["explanation"].eq("no explanation found in the printed figures").all()


@pytest.mark.parametrize(("numerator", "found"), [(757, False), (756, False), (755, True)])
def test_the_value_check_allows_only_the_printed_precision(tmp_path, numerator, found):
    # 73.1% of 1,036: 757 gives 73.07, and 756 (72.97) still meets 73.05 once its own rounding (755.5 to 756.5) is allowed;
    # 755 cannot, and the gap of 0.22 points is not called a rounding difference.
    data = _edit(tmp_path, "kent__ics_monthly.tsv", "\t73.1\t757\t1,036", f"\t73.1\t{numerator}\t1,036")
    hits = _findings(data, "value_vs_fraction")
    hit = hits[(hits.area == "Kent") & (hits.indicator == "cic_kcc_foster_care")]
    assert len(hit) == int(found)
    if found:
        why = hit["explanation"].item()
        assert "the counts give 72.88, 0.22 from the printed 73.1: more than rounding to 1 decimal place allows" in why
        assert "rounding difference" not in why


def test_qa_and_the_pages_find_the_same_rating_disagreements(rec):
    """A figure printed under a later period is judged at the period it covers by both (the 2022-23 KS4 FSM gaps
    rated GREEN against 2023-24's looser target), so `kccperf qa` lists every RAG cell a page marks as disagreeing."""
    assessed = kccperf.load_assessed("2024-10", 5)
    keys = ["area", "block", "indicator"]
    page = set(map(tuple, assessed.loc[assessed["rating_check"] == "disagrees", keys].to_numpy()))
    f = rec.findings
    qa = set(map(tuple, f.loc[f["category"] == "rag", keys].to_numpy()))
    assert page == qa and ("Dover", "", "ks4_attainment8_fsm_gap") in qa
    moved = f[(f["category"] == "rag") & (f["indicator"] == "ks4_attainment8_fsm_gap")]["explanation"]
    assert (
        len(moved) == 6
        and moved.str.endswith("the scorecard rated it against the target printed with it, 17.5 for 2023-24").all()
    )
    ks5 = f[(f["category"] == "rag_unchecked") & (f["indicator"] == "ks5_a_level_aps")]["explanation"]
    assert not ks5.empty and ks5.str.startswith("no target is published for 2022-23, the year the figure covers").all()


def test_an_unexplained_rating_of_a_partly_reversed_indicator_says_why_the_reversal_is_not_its_cause():
    from kccperf.judge.reconcile import NO_EXPLANATION, PARTLY_REVERSED, _partly_reversed

    f = pd.DataFrame(
        {
            "indicator": ["a", "a", "b", "a"],
            "category": ["rag", "dot", "rag", "rag"],
            "explanation": [f"x; {NO_EXPLANATION}", f"y; {NO_EXPLANATION}", f"z; {NO_EXPLANATION}", "w; a cause found"],
        }
    )
    out = _partly_reversed(f, pd.Series(["a"]))
    assert out["explanation"].str.endswith(f"({PARTLY_REVERSED})").tolist() == [True, True, False, False]
    assert _partly_reversed(f, pd.Series([], dtype=str)).equals(f)  # no indicator flipped: nothing added
