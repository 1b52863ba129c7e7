"""kccperf.budget.reconcile: every printed total recomputed from its parts; the report's own mistakes and planted ones found."""

from __future__ import annotations

import pandas as pd
import pytest

from kccperf import budget

from .conftest import GOOD_ROWS, HEADER

# --- the real tables ----------------------------------------------------------------------


def test_every_table_is_read_and_every_total_is_checked(tables, checks):
    assert set(tables.figures["table"]) == set(budget.RAW_MODELS)
    totals = tables.figures[(tables.figures["row_type"] == "total") & tables.figures["value"].notna()]
    checked = checks.loc[checks["kind"] == "row_total", ["table", "row", "column"]]
    merged = totals.merge(checked, on=["table", "row", "column"], how="left", indicator=True)
    # Only totals whose parts are not printed at all (the 2024-25 base of Appendix D) go unchecked.
    unchecked = merged[merged["_merge"] == "left_only"]
    assert set(unchecked["row"]) == {"revised_base"}
    assert set(unchecked["column"]) == {"y2024_25_core", "y2024_25_total"}
    assert len(checks) > 600 and set(checks["kind"]) == {"row_total", "column_total", "cross_table", "claim"}


def test_the_mistakes_in_the_real_report_are_found(checks):
    bad = checks[checks["status"] == "mismatch"].set_index("check")
    assert set(bad.index) == {
        "row_total:appendix_d:total_spending:y2024_25_core",
        "row_total:appendix_d:net_change:y2024_25_core",
        "column_total:appendix_d:total_spending:y2024_25_total",
        "cross_table:table1:november:cype_spend:20",
        "cross_table:table1:latest:ics_net:28",
        "cross_table:table1:latest:cype_net:31",
        "claim:c04",
    }
    slip = bad.loc["row_total:appendix_d:total_spending:y2024_25_core"]
    assert (slip["stated"], slip["computed"], slip["difference"]) == (109578.3, 209578.3, -100000.0)
    assert slip["likely_cause"].startswith("a misprinted digit")
    assert bad.loc["row_total:appendix_d:net_change:y2024_25_core", "likely_cause"].startswith("follows from a misprinted part")
    assert bad.loc["claim:c04", "computed"] == pytest.approx(8.6)


@pytest.mark.parametrize(
    ("check", "stated"),
    [
        ("row_total:appendix_f:total:annual_exposure_m", 341.7),
        ("row_total:appendix_f:total:lifetime_exposure_m", 287.0),
        ("row_total:appendix_a:6:total_cost", 1997962.0),
        ("row_total:appendix_b:17:y2025_26", 97113.0),
        ("row_total:appendix_c:total:total_cost", 2166878.0),
        ("row_total:appendix_e:net_budget:cype", 448913.3),
        ("cross_table:appendix_a:2:total_cost:1", 565619.0),
    ],
)
def test_totals_that_add_up(checks, check, stated):
    row = checks.set_index("check").loc[check]
    assert row["stated"] == stated and bool(row["ok"]) and row["status"] == "ok"


def test_rounding_is_told_apart_from_a_mismatch(checks):
    row = checks.set_index("check").loc["column_total:table1:november:ics_net:1"]  # 17.2 - 8.1 = 9.1, printed 9.2
    assert row["status"] == "rounding" and not row["ok"] and row["difference"] == pytest.approx(0.1)


def test_reconcile_reads_the_relations_of_the_figures_year_only_when_not_given(tables, checks):
    pd.testing.assert_frame_equal(budget.reconcile(tables.figures, tables.claims), checks)
    assert set(tables.figures["year"]) == {"2025-26"}


def test_mismatches_are_the_checks_that_do_not_add_up(checks):
    bad = budget.mismatches(checks)
    assert len(bad) == 7 and bad["status"].eq("mismatch").all() and list(bad.index) == list(range(7))


def test_relations_come_from_the_reference_file(tables):
    rel = tables.relations
    assert list(rel.columns) == ["kind", "stated", "parts", "note"]
    assert rel["kind"].value_counts().to_dict() == {"cross_table": 41, "column_total": 15}
    assert rel["note"].str.len().gt(0).all()
    # Dropping a relation from the reference data drops its checks, and nothing else.
    fewer = rel[rel["stated"] != "appendix_a:6:*"]
    qa = budget.reconcile(tables.figures, tables.claims, fewer)
    assert not qa["check"].str.startswith("cross_table:appendix_a:6:").any()
    assert qa["check"].str.startswith("cross_table:appendix_a:2:").any()


# --- synthetic tables ---------------------------------------------------------------------


def test_synthetic_clean_table_adds_up(write_table1, relations):
    _, figs, log = budget.read_budget_table(write_table1(GOOD_ROWS), "table1", unit="£m")
    qa = budget.reconcile(figs, relations=relations)
    assert len(log) == 0 and qa["ok"].all() and len(qa) == 9 + 18


@pytest.mark.parametrize(
    ("row", "column", "printed", "cause"),
    [
        (2, "cype_net", "+6.8", "a part left out or counted twice"),  # 5.8 + 1.0 = 6.8, total of row, not rounding
        (2, "education_spend", "-30.2", "the stated figure or one of its parts is misprinted"),
        (1, "cype_spend", "140.3", "a misprinted digit"),
    ],
)
def test_planted_wrong_total_is_caught(write_table1, relations, row, column, printed, cause):
    rows = [r.split("\t") for r in GOOD_ROWS]
    cols = HEADER.split("\t")
    rows[row][cols.index(column)] = printed
    _, figs, _ = budget.read_budget_table(write_table1(["\t".join(r) for r in rows]), "table1", unit="£m")
    bad = budget.mismatches(budget.reconcile(figs, relations=relations))
    planted = bad[(bad["row"] == rows[row][1]) & (bad["column"] == column)]
    # The planted cell itself is flagged, with the expected cause ...
    assert len(planted) >= 1 and planted["likely_cause"].str.startswith(cause).any()
    # ... and every other mismatch is a total that shares its row or its column (it follows from the planted figure).
    assert ((bad["row"] == rows[row][1]) | (bad["column"] == column)).all()


def test_a_misprinted_digit_gives_the_difference_in_its_table_s_unit(checks):
    """Appendix D prints £000s: the cause says £100,000k, not a bare (100,000.0) a director cannot place."""
    slip = checks.set_index("check").loc["row_total:appendix_d:total_spending:y2024_25_core", "likely_cause"]
    assert slip.endswith("a single digit in one place (£100,000k)") and "100,000.0" not in slip


def test_a_misprinted_digit_in_a_table_in_millions_says_m(write_table1, relations):
    rows = [r.split("\t") for r in GOOD_ROWS]
    rows[1][HEADER.split("\t").index("cype_spend")] = "140.3"
    _, figs, _ = budget.read_budget_table(write_table1(["\t".join(r) for r in rows]), "table1", unit="£m")
    causes = budget.mismatches(budget.reconcile(figs, relations=relations))["likely_cause"]
    digit = causes[causes.str.startswith("a misprinted digit")]
    assert len(digit) and digit.str.fullmatch(r".*\(£[\d,]+\.\dm\)").all(), digit.tolist()
