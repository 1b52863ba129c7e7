"""kccperf.budget.read: the tables as printed, page-number artefacts cleaned and logged, the edition's facts, bad input named."""

from __future__ import annotations

import pandas as pd
import pytest

from kccperf import budget, errors
from kccperf.errors import InputError, ParameterError

from .conftest import GOOD_ROWS

# --- the real tables ----------------------------------------------------------------------


def test_page_number_artefacts_are_cleaned_and_logged(tables):
    log = tables.cleaning.set_index(["line", "column"])
    assert log.loc[(2731, "directorate"), "cleaned"] == "CPE"
    assert log.loc[(2800, "directorate"), "cleaned"] == "GET"
    assert log.loc[(2608, "label"), "cleaned"] == "MEMORANDUM:"
    assert "dropped" in log.loc[(2814, ""), "message"]
    assert len(tables.cleaning) == 8
    assert not tables.figures["printed"].str.contains("Page").any()
    assert "r34" not in set(tables.risks["risk"])


def test_edition_facts_come_from_the_reference_file(tables):
    assert tables.edition["capital_years"][0] == "2025-26" and tables.edition["capital_years"][-1] == "2034-35"
    assert tables.edition["members"] == ["sue_chandler", "rory_love"]
    info = budget.edition_info("2025-26")
    assert info["publication_date"] == "2025-01-16 (Children's, Young People and Education Cabinet Committee)"
    assert info["title"].startswith("Draft Revenue Budget 2025-26") and info["edition_label"] == "2025-26"


# --- synthetic tables ---------------------------------------------------------------------


def test_planted_page_artefacts_are_removed_without_changing_figures(write_table1):
    rows = [r.split("\t") for r in GOOD_ROWS]
    rows[0][6] = "18.3 Page 88"
    extra = "13\tp\tPage 12\t\titem\t\t\t\t\t\t\t\t\t\t"
    _, figs, log = budget.read_budget_table(write_table1(["\t".join(r) for r in rows] + [extra]), "table1", unit="£m")
    assert figs.query("row == 'november' and column == 'education_spend'")["value"].item() == 18.3
    assert "p" not in set(figs["row"])
    assert list(log["line"]) == [10, 13, 13]
    assert log["message"].str.contains("page number").all()


# --- bad input ----------------------------------------------------------------------------


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


def test_missing_column_is_named(write_table1):
    path = write_table1(GOOD_ROWS)
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
def test_total_row_without_valid_parts(write_table1, parts, expected):
    rows = GOOD_ROWS[:2] + [GOOD_ROWS[2].replace("+latest -november", parts)]
    with pytest.raises(budget.BudgetFileError) as err:
        budget.read_budget_table(write_table1(rows), "table1", unit="£m")
    assert "line 12, row 'net_total_change', column 'parts'" in str(err.value) and expected in str(err.value)


def test_non_numeric_figure_is_named(write_table1):
    rows = [GOOD_ROWS[0].replace("18.3", "18.3m"), *GOOD_ROWS[1:]]
    with pytest.raises(budget.BudgetFileError, match=r"line 10, row 'november', column 'education_spend': found '18.3m'"):
        budget.read_budget_table(write_table1(rows), "table1", unit="£m")


@pytest.mark.parametrize(("directorate", "year"), [("GET", "2025-26"), ("CYPE", "2019-20"), (3, "2025-26")])
def test_bad_parameters(directorate, year):
    with pytest.raises(ParameterError):
        budget.check_budget_parameters(directorate=directorate, year=year)


def test_budget_file_error_is_an_input_error():
    assert budget.BudgetFileError is errors.BudgetFileError and issubclass(errors.BudgetFileError, InputError)


# --- bad reference data -------------------------------------------------------------------


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


# --- words for readers: column headings and directorates ----------------------------------


def test_every_printed_column_has_its_heading_in_words(tables):
    labels = tables.labels.set_index(["table", "column"])["label"]
    assert labels["appendix_d", "y2024_25_core"] == "2024-25 core budget"
    assert labels["table1", "cype_spend"] == "CYPE Directorate total: spend"
    assert labels["*", "label"] == "Row label"
    printed = set(zip(tables.figures["table"], tables.figures["column"]))
    assert printed <= set(labels.index)
    assert not labels.str.contains(r"\w_\w").any()


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda f: f[f["column"] != "y2024_25_core"], "no row for 'appendix_d:y2024_25_core'; expected a label for every column"),
        (lambda f: f.assign(label=f["label"].where(f["column"] != "cype_net", "")), "column 'label': found ''"),
        (lambda f: f.assign(column=f["column"].where(f["column"] != "cype_net", "cype_nett")), "found 'cype_nett'"),
        (lambda f: pd.concat([f, f.tail(1)]), "expected each table and column once"),
    ],
)
def test_malformed_column_labels_are_named(data_copy, edit, expected):
    path = data_copy / "reference" / "budget" / "2025-26" / "columns.csv"
    edit(pd.read_csv(path, dtype=str, keep_default_na=False)).to_csv(path, index=False)
    with pytest.raises(budget.BudgetFileError) as err:
        budget.load_budget("2025-26", data_dir=data_copy)
    assert "columns.csv" in str(err.value) and expected in str(err.value)


def test_the_whole_council_is_named_by_the_reference_data(tables, data_copy):
    assert dict(zip(tables.directorates["directorate"], tables.directorates["label"]))["ALL"] == "Whole council"
    path = data_copy / "reference" / "budget" / "2025-26" / "directorates.csv"
    path.write_text("directorate,label\nCYPE,CYPE\nALL,All of Kent County Council\n", encoding="utf-8")
    params = budget.check_budget_parameters(directorate="ALL", year="2025-26", data_dir=data_copy)
    assert params == {"directorate": "ALL", "year": "2025-26", "label": "All of Kent County Council"}
    path.write_text("directorate,label\nCYPE,CYPE\n", encoding="utf-8")
    with pytest.raises(budget.BudgetFileError, match="directorates.csv column 'directorate': no row for 'ALL'"):
        budget.load_directorates("2025-26", data_dir=data_copy)


@pytest.mark.parametrize(("given", "code"), [("ALL", "ALL"), ("all", "ALL"), ("Whole council", "ALL"), (" cype ", "CYPE")])
def test_a_view_is_named_by_its_code_or_its_words(given, code):
    params = budget.check_budget_parameters(directorate=given, year="2025-26")
    assert params["directorate"] == code
    # The name the page prints (its footer's parameters) builds the same view again.
    assert budget.check_budget_parameters(directorate=params["label"], year="2025-26") == params
