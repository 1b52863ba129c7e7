"""The budget tables: reading as printed, cleaning page-number artefacts, reconciliation, risk and revenue views."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys

import nbformat
import pandas as pd
import papermill as pm
import pytest

from kccperf import budget, errors
from kccperf.errors import InputError, ParameterError
from kccperf.publish.batch import kernel_name

from ..conftest import ROOT

RAW = ROOT / "data" / "raw" / "budget" / "2025-26"
REFERENCE = ROOT / "data" / "reference" / "budget" / "2025-26"
HEADER = "line\trow\tlabel\tsection\trow_type\tparts\teducation_spend\teducation_saving\teducation_net\tics_spend\tics_saving\tics_net\tcype_spend\tcype_saving\tcype_net"


@pytest.fixture(scope="module")
def tables():
    return budget.load_budget("2025-26")


@pytest.fixture(scope="module")
def checks(tables):
    return budget.reconcile(tables.figures, tables.claims, tables.relations)


@pytest.fixture(scope="module")
def relations():
    return budget.load_relations("2025-26")


@pytest.fixture
def data_copy(tmp_path):
    """A private copy of the budget tables and their reference facts, to plant bad input in."""
    shutil.copytree(RAW, tmp_path / "raw" / "budget" / "2025-26")
    shutil.copytree(REFERENCE, tmp_path / "reference" / "budget" / "2025-26")
    return tmp_path


def _table1(tmp_path, rows: list[str]):
    path = tmp_path / "table1_cype_changes.tsv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


GOOD_ROWS = [
    "10\tnovember\tNovember\t\titem\t\t18.3\t-14.1\t4.2\t17.2\t-8.1\t9.1\t35.5\t-22.2\t13.3",
    "11\tlatest\tLatest\t\titem\t\t15.1\t-14.0\t1.1\t25.2\t-7.2\t18.0\t40.3\t-21.2\t19.1",
    "12\tnet_total_change\tNET TOTAL CHANGE\t\ttotal\t+latest -november\t-3.2\t0.1\t-3.1\t+8.0\t+0.9\t+8.9\t+4.8\t+1.0\t+5.8",
]


# --- the real tables ------------------------------------------------------------------------


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


def test_page_number_artefacts_are_cleaned_and_logged(tables):
    log = tables.cleaning.set_index(["line", "column"])
    assert log.loc[(2731, "directorate"), "cleaned"] == "CPE"
    assert log.loc[(2800, "directorate"), "cleaned"] == "GET"
    assert log.loc[(2608, "label"), "cleaned"] == "MEMORANDUM:"
    assert "dropped" in log.loc[(2814, ""), "message"]
    assert len(tables.cleaning) == 8
    assert not tables.figures["printed"].str.contains("Page").any()
    assert "r34" not in set(tables.risks["risk"])


def test_capital_flags_and_unsecured_share(tables):
    flagged = tables.projects.loc[tables.projects["unsecured_funding"], "row"].tolist()
    assert flagged == ["1", "4", "6", "7", "8", "9", "10", "11"]
    share = budget.unsecured_capital_share(tables.figures, tables.projects).set_index("basis")
    assert share.loc["total_cost", "unsecured"] == 82116 + 29229 + 42717 + 103383 + 14104 + 13306 + 57483 + 35189
    assert share.loc["total_cost", "total"] == 565619


def test_revenue_bridge_steps_add_up_to_the_printed_net_budget(tables):
    for directorate in ("CYPE", "ALL"):
        bridge = budget.revenue_bridge(tables.figures, directorate)
        changes = bridge[bridge["kind"] != "end"]
        assert changes["after"].iloc[-1] == pytest.approx(bridge["amount"].iloc[-1])
    by_member = budget.revenue_bridge_by_member(tables.figures)
    assert set(by_member["column"]) == {"sue_chandler", "rory_love"}
    assert by_member.query("kind == 'start'")["amount"].eq(0).all()


def test_november_bridge_shows_table1_rounding(tables):
    nb = budget.november_bridge(tables.figures).groupby("portfolio")["check"].first()
    assert nb["education"] == 0 and nb["cype"] == 0 and nb["ics"] == pytest.approx(0.1)


def test_unresolved_balances_of_indicative_years(tables):
    ub = budget.unresolved_balances(tables.figures)
    assert sorted(ub["year"].unique()) == ["2026-27", "2027-28"]
    assert ub.set_index(["year", "row"]).loc[("2026-27", "asc_unresolved_balance"), "total"] == -15700.0


def test_cype_share_and_directorate_filter(tables):
    cype = budget.risks_for(tables.risks, "CYPE")
    assert set(cype["directorate"]) == {"CYPE", "ASCH / CYPE", "CYPE / DCED"}
    share = budget.cype_exposure_share(tables.risks, tables.figures).set_index("basis")
    assert share.loc["annual", "joint_m"] == 40.0 and share.loc["annual", "sole_m"] == 20.0
    assert share.loc["annual", "stated_total_m"] == 341.7


@pytest.mark.parametrize(
    ("likelihood", "exposure", "band", "score"),
    [(4, 165.0, 5, 20), (4, 100.0, 5, 20), (4, 99.9, 4, 16), (3, 10.0, 2, 6), (3, 9.99, 1, 3), (2, None, 1, 2), (1, 50.0, 4, 4)],
)
def test_risk_scores_bands(likelihood, exposure, band, score):
    frame = pd.DataFrame({"likelihood": [likelihood], "exposure_m": [exposure]}, dtype=float).astype({"likelihood": int})
    out = budget.risk_scores(frame)
    assert (out["band"].item(), out["score"].item()) == (band, score)


def test_risk_matrix_counts_every_risk(tables):
    matrix = budget.risk_matrix(budget.risk_scores(tables.risks))
    assert matrix.to_numpy().sum() == len(tables.risks) == 41
    assert matrix.loc[4, 5] == 2  # High Needs Spending and non-delivery of savings


# --- synthetic tables -----------------------------------------------------------------------


def test_synthetic_clean_table_adds_up(tmp_path, relations):
    _, figs, log = budget.read_budget_table(_table1(tmp_path, GOOD_ROWS), "table1", unit="£m")
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
def test_planted_wrong_total_is_caught(tmp_path, relations, row, column, printed, cause):
    rows = [r.split("\t") for r in GOOD_ROWS]
    cols = HEADER.split("\t")
    rows[row][cols.index(column)] = printed
    _, figs, _ = budget.read_budget_table(_table1(tmp_path, ["\t".join(r) for r in rows]), "table1", unit="£m")
    bad = budget.mismatches(budget.reconcile(figs, relations=relations))
    planted = bad[(bad["row"] == rows[row][1]) & (bad["column"] == column)]
    # The planted cell itself is flagged, with the expected cause ...
    assert len(planted) >= 1 and planted["likely_cause"].str.startswith(cause).any()
    # ... and every other mismatch is a total that shares its row or its column (it follows from the planted figure).
    assert ((bad["row"] == rows[row][1]) | (bad["column"] == column)).all()


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


def test_edition_facts_come_from_the_reference_file(tables):
    assert tables.edition["capital_years"][0] == "2025-26" and tables.edition["capital_years"][-1] == "2034-35"
    assert tables.edition["members"] == ["sue_chandler", "rory_love"]
    info = budget.edition_info("2025-26")
    assert info["publication_date"] == "2025-01-16 (CYPE Cabinet Committee)"
    assert info["title"].startswith("Draft Revenue Budget 2025-26") and info["edition_label"] == "2025-26"


def test_planted_page_artefacts_are_removed_without_changing_figures(tmp_path):
    rows = [r.split("\t") for r in GOOD_ROWS]
    rows[0][6] = "18.3 Page 88"
    extra = "13\tp\tPage 12\t\titem\t\t\t\t\t\t\t\t\t\t"
    _, figs, log = budget.read_budget_table(_table1(tmp_path, ["\t".join(r) for r in rows] + [extra]), "table1", unit="£m")
    assert figs.query("row == 'november' and column == 'education_spend'")["value"].item() == 18.3
    assert "p" not in set(figs["row"])
    assert list(log["line"]) == [10, 13, 13]
    assert log["message"].str.contains("page number").all()


# --- bad input ------------------------------------------------------------------------------


def _edit_register(data_dir, risk: str, column: str, value: str) -> None:
    path = data_dir / "raw" / "budget" / "2025-26" / "appendix_f_risk_register.tsv"
    frame = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    frame.loc[frame["row"] == risk, column] = value
    frame.to_csv(path, sep="\t", index=False)


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("likelihood", "6", "expected a whole number from 1 to 5"),
        ("likelihood", "0", "expected a whole number from 1 to 5"),
        ("likelihood", "high", "expected a whole number from 1 to 5"),
        ("annual_exposure_m", "-5.0", "expected an exposure of £0m or more"),
        ("annual_exposure_m", "twelve", "expected a number such as 1,234.5"),
    ],
)
def test_bad_risk_values_name_file_row_and_column(data_copy, column, value, expected):
    _edit_register(data_copy, "r05", column, value)
    with pytest.raises(budget.BudgetFileError) as err:
        budget.load_budget("2025-26", data_dir=data_copy)
    msg = str(err.value)
    assert "appendix_f_risk_register.tsv line 2729, row 'r05'" in msg and f"column '{column}'" in msg and expected in msg
    assert isinstance(err.value, InputError) and msg.count(". ") == 0


def test_missing_column_is_named(tmp_path):
    path = _table1(tmp_path, GOOD_ROWS)
    frame = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False).drop(columns="ics_net")
    frame.to_csv(path, sep="\t", index=False)
    with pytest.raises(
        budget.BudgetFileError, match=r"table1_cype_changes.tsv row 1 \(header\), column 'ics_net': the column is missing"
    ):
        budget.read_budget_table(path, "table1", unit="£m")


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ("", "expected the rows this total sums"),
        ("+latest -nowhere", "expected row keys that exist"),
        ("latest", "expected signed row keys"),
    ],
)
def test_total_row_without_valid_parts(tmp_path, parts, expected):
    rows = GOOD_ROWS[:2] + [GOOD_ROWS[2].replace("+latest -november", parts)]
    with pytest.raises(budget.BudgetFileError) as err:
        budget.read_budget_table(_table1(tmp_path, rows), "table1", unit="£m")
    assert "line 12, row 'net_total_change', column 'parts'" in str(err.value) and expected in str(err.value)


def test_non_numeric_figure_is_named(tmp_path):
    rows = [GOOD_ROWS[0].replace("18.3", "18.3m"), *GOOD_ROWS[1:]]
    with pytest.raises(budget.BudgetFileError, match=r"line 10, row 'november', column 'education_spend': found '18.3m'"):
        budget.read_budget_table(_table1(tmp_path, rows), "table1", unit="£m")


@pytest.mark.parametrize(("directorate", "year"), [("GET", "2025-26"), ("CYPE", "2019-20"), (3, "2025-26")])
def test_bad_parameters(directorate, year):
    with pytest.raises(ParameterError):
        budget.check_budget_parameters(directorate=directorate, year=year)


def test_budget_file_error_is_an_input_error():
    assert budget.BudgetFileError is errors.BudgetFileError and issubclass(errors.BudgetFileError, InputError)


# --- bad reference data ---------------------------------------------------------------------


def _edit_relations(data_dir, row: int, column: str, value: str) -> None:
    """Set one cell of relations.csv; ``row`` counts the header as row 1, as the error messages do."""
    path = data_dir / "reference" / "budget" / "2025-26" / "relations.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 2, column] = value
    frame.to_csv(path, index=False)


@pytest.mark.parametrize(
    ("row", "column", "value", "expected"),
    [
        (2, "kind", "column_sum", "expected one of column_total, cross_table"),
        (18, "stated", "appendix_a:6", "expected one printed cell written table:row:column"),
        (18, "parts", "appendix_a:15:*", "expected signed cells"),
        (18, "parts", "+appendix_a:15:* +appendix_a:15", "expected signed cells"),
        (18, "parts", "", "expected signed cells"),
        (19, "parts", "+appendix_z:17:*", "expected cells of the budget tables"),
        (2, "parts", "+table1:*:education_spend +table1:*:education_spending", "expected cells of the budget tables"),
        (2, "stated", "table1:november:education_net", "expected a column total to name every row of one table as '*'"),
        (2, "parts", "+table1:*:education_spend +appendix_e:*:total", "expected a column total to name every row of one table"),
        (18, "stated", "appendix_a:*:total_cost", "and a cross-table relation to name its rows"),
        (18, "stated", "appendix_a:66:*", "expected cells whose table is in MANIFEST.tsv and whose row is a row key"),
        (19, "parts", "+appendix_b:71:*", "expected cells whose table is in MANIFEST.tsv and whose row is a row key"),
        (5, "note", "", "expected a short note"),
    ],
)
def test_planted_malformed_relation_names_file_row_and_column(data_copy, row, column, value, expected):
    _edit_relations(data_copy, row, column, value)
    with pytest.raises(budget.BudgetFileError) as err:
        budget.load_budget("2025-26", data_dir=data_copy)
    msg = str(err.value)
    assert f"relations.csv row {row}, column '{column}'" in msg and expected in msg, msg
    assert isinstance(err.value, InputError) and msg.count(". ") == 0 and msg.endswith(".")


def test_planted_relation_row_is_found_by_its_position(data_copy):
    """The row named in the message is the row of the file (header = row 1) holding the bad relation."""
    path = data_copy / "reference" / "budget" / "2025-26" / "relations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(7, "cross_table,appendix_a:2:*,+appendix_b:17:* -appendix_b:99:*,planted: row 99 does not exist")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(budget.BudgetFileError, match=r"relations.csv row 8, column 'parts': found '-appendix_b:99:\*'"):
        budget.load_budget("2025-26", data_dir=data_copy)


@pytest.mark.parametrize("name", ["relations.csv", "edition.csv"])
def test_missing_reference_file_is_named(data_copy, name):
    path = data_copy / "reference" / "budget" / "2025-26" / name
    path.unlink()
    with pytest.raises(budget.BudgetFileError) as err:
        budget.load_budget("2025-26", data_dir=data_copy)
    msg = str(err.value)
    assert msg.startswith(f"{path}: file not found; expected ") and msg.count(". ") == 0


def test_relations_file_with_a_missing_column_is_named(data_copy):
    path = data_copy / "reference" / "budget" / "2025-26" / "relations.csv"
    pd.read_csv(path, dtype=str).drop(columns="note").to_csv(path, index=False)
    with pytest.raises(budget.BudgetFileError, match=r"relations.csv row 1 \(header\), column 'note': the column is missing"):
        budget.load_relations("2025-26", data_dir=data_copy)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        (
            "publication_date",
            "16 January 2025",
            "row 4, column 'value': found '16 January 2025'; expected a date written YYYY-MM-DD",
        ),
        ("capital_years", "2025-26|2026", "row 8, column 'value'"),
        ("members", "sue_chandler|roy_love", "edition.csv key 'members', column 'value': appendix_e has no column 'roy_love'"),
        ("capital_years", "2025-26|2035-36", "appendix_a has no column 'y2035_36'"),
    ],
)
def test_malformed_edition_is_named(data_copy, key, value, expected):
    path = data_copy / "reference" / "budget" / "2025-26" / "edition.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame["key"] == key, "value"] = value
    frame.to_csv(path, index=False)
    with pytest.raises(budget.BudgetFileError) as err:
        budget.load_budget("2025-26", data_dir=data_copy)
    assert expected in str(err.value)


def test_budget_notebook_is_one_call_a_cell_with_words_between():
    nb = nbformat.read(ROOT / "notebooks" / "budget_risk.ipynb", as_version=4)
    kinds = [c.cell_type for c in nb.cells]
    assert all(not (a == b == "code") for a, b in zip(kinds[2:], kinds[3:])), "a markdown cell between code cells"
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert "params = budget.check_budget_parameters(directorate=directorate, year=year, namespace=globals())" in code
    for source in code[2:]:
        body = ast.parse(source).body
        assert len(body) == 1 and isinstance(body[0], (ast.Expr, ast.Assign)), source
        assert "columns=" not in source and "money=" not in source and "percent=" not in source, source


# --- command line and notebook --------------------------------------------------------------


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


@pytest.mark.parametrize("directorate", ["CYPE", "ALL"])
def test_budget_notebook_executes(tmp_path, directorate):
    out = tmp_path / "budget_risk.ipynb"
    pm.execute_notebook(
        str(ROOT / "notebooks" / "budget_risk.ipynb"),
        str(out),
        parameters={"directorate": directorate},
        kernel_name=kernel_name(),
        cwd=str(ROOT / "notebooks"),
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    charts = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(charts) == 3
    assert all('alt="' in o["data"]["text/html"] and "<figcaption" in o["data"]["text/html"] for o in charts)
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert '<th scope="col">' in html and "do not add up" in html
    assert ("relies on unsecured funding" in html) == (directorate == "CYPE")
