"""``kccperf import`` and ``kccperf validate FOLDER``: an edition from the agenda pack or a workbook, atomically."""

from __future__ import annotations

import csv
import filecmp
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kccperf.cli import main
from kccperf.scorecard.editions import load_scorecard
from kccperf.scorecard.importer import check_edition, edition_date_anomalies, import_pack, new_anomalies

from .conftest import ROOT, SEED

EDITION = ROOT / "data" / "raw" / "scorecard" / "2024-10"
SOURCE = "Children's, Young People and Education Cabinet Committee agenda pack, 16 January 2025 (item 6, Performance Monitoring)"


def _run(data: Path, monkeypatch, capsys, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setenv("KCCPERF_DATA", str(data))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _leftovers(data: Path) -> list[str]:
    return sorted(p.name for p in (data / "raw" / "scorecard").iterdir())


@pytest.fixture(scope="module")
def reimported(tmp_path_factory) -> Path:
    """The seed pack imported again as 2024-10 into a copy of the data folder."""
    data = tmp_path_factory.mktemp("reimport") / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    import_pack(SEED, "2024-10", source_document=SOURCE, data_dir=data)
    return data


def test_importing_the_seed_reproduces_the_edition_cell_for_cell(reimported):
    folder = reimported / "raw" / "scorecard" / "2024-10"
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in EDITION.iterdir())
    for path in sorted(EDITION.iterdir()):
        assert filecmp.cmp(path, folder / path.name, shallow=False), path.name
    assert _leftovers(reimported) == ["2024-10"]


def test_the_manifest_names_each_table_by_its_source_lines(reimported):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    with open(reimported / "raw" / "scorecard" / "2024-10" / "MANIFEST.tsv", encoding="utf-8") as f:
        manifest = list(csv.DictReader(f, delimiter="\t"))
    assert len(manifest) == 71
    for row in manifest:
        first, last = int(row["source_first_line"]), int(row["source_last_line"])
        printed = (EDITION / row["file"]).read_text(encoding="utf-8").split("\n")[:-1]
        assert printed == lines[first - 1 : last], row["file"]
        assert lines[first - 1].split("\t")[0] == row["printed_heading"]


def test_the_second_printing_gives_the_same_tidy_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    import_pack(SEED, "2024-10", printing=2, data_dir=data)
    first, second = load_scorecard("2024-10"), load_scorecard("2024-10", data_dir=data)
    key = ["area", "block", "indicator", "period"]
    first, second = first.sort_values(key).reset_index(drop=True), second.sort_values(key).reset_index(drop=True)
    codes = first["code_published"] != second["code_published"]
    pairs = set(zip(first.loc[codes, "indicator"], first.loc[codes, "code_published"], second.loc[codes, "code_published"]))
    # The two documented code differences (data/raw/README.md), nothing else.
    assert pairs == {("ehu_re_referrals", "EH72-F", "EH17-F"), ("ehu_case_audits_good", "EH14", "EH53")}
    assert set(first.loc[codes, "area"]) == {"Kent"}
    same = [c for c in first.columns if c not in ("code_published", "source_row")]
    pd.testing.assert_frame_equal(first[same], second[same])


def test_the_second_printing_has_its_own_metadata_pages(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    import_pack(SEED, "2024-10", printing=2, data_dir=data)
    sources = pd.read_csv(data / "raw/scorecard/2024-10/sources.tsv", sep="\t", dtype=str, keep_default_na=False)
    assert sources["line"].astype(int).between(2041, 2229).all()
    from kccperf.scorecard.metadata import metadata_anomalies

    log = metadata_anomalies(data / "raw/scorecard/2024-10", data)
    # CYPE6 is printed for CYPE1's title as well as for children missing education.
    assert ("independent_special_placements", "CYPE6") in set(zip(log["indicator"], log["found"]))


def _bad_pack(tmp_path: Path, edit) -> Path:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    path = tmp_path / "pack.txt"
    path.write_text("\n".join(edit(lines)), encoding="utf-8")
    return path


def _replace(old: str, new: str):
    def edit(lines):
        assert old in lines
        return [new if x == old else x for x in lines]

    return edit


BAD_PACKS = [
    ("no scorecard", lambda lines: lines[:260], "holds no scorecard"),
    ("truncated mid-table", lambda lines: lines[:500], "line 500: the pack ends inside the table that starts on line 491"),
    (
        "page break inside a table",
        lambda lines: [*lines[:499], "", "Page 9", "", *lines[499:]],
        "line 503: a table row outside any table (the table that starts on line 491 ended on line 499",
    ),
    (
        "unknown area heading",
        _replace("Directorate Scorecard - Dover District", "Directorate Scorecard - Dovre District"),
        "line 1397: unknown area heading 'Directorate Scorecard - Dovre District'",
    ),
    (
        "unknown table heading",
        lambda lines: [x.replace("Education Termly Indicators\t", "Education Weekly Indicators\t", 1) for x in lines],
        "line 527: unknown table heading 'Education Weekly Indicators' on the Kent pages",
    ),
]


@pytest.mark.parametrize(("case", "edit", "needle"), BAD_PACKS, ids=[c for c, _, _ in BAD_PACKS])
def test_a_bad_pack_is_one_sentence_exit_2_and_writes_nothing(tmp_path, data_copy, monkeypatch, capsys, case, edit, needle):
    pack = _bad_pack(tmp_path, edit)
    code, out, err = _run(data_copy, monkeypatch, capsys, "import", str(pack), "--period", "2024-11")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert f"{pack}" in err and needle in err
    assert _leftovers(data_copy) == ["2024-10"]


def test_an_area_missing_is_named(tmp_path, data_copy, monkeypatch, capsys):
    # The metadata pages of the last printing and the last district cut off: the areas left out are named.
    pack = _bad_pack(tmp_path, lambda lines: [*lines[:1973], *lines[2038:]])
    code, _, err = _run(data_copy, monkeypatch, capsys, "import", str(pack), "--period", "2024-11")
    assert (
        code == 2 and "no tables for area 'Tunbridge Wells'" in err and "Directorate Scorecard - Tunbridge Wells District" in err
    )


def test_an_existing_period_needs_replace(data_copy, monkeypatch, capsys):
    before = (data_copy / "raw/scorecard/2024-10/edition.csv").read_bytes()
    code, _, err = _run(data_copy, monkeypatch, capsys, "import", str(SEED), "--period", "2024-10")
    assert code == 2 and "edition 2024-10 is already on disk" in err and "--replace" in err
    assert (data_copy / "raw/scorecard/2024-10/edition.csv").read_bytes() == before


@pytest.mark.parametrize(("printing", "refused"), [(2, False), (3, True)])
def test_a_printing_the_pack_does_not_have_is_refused(data_copy, monkeypatch, capsys, printing, refused):
    # The October pack prints the Kent section twice: a third printing would quietly be the second.
    args = ["import", str(SEED), "--period", "2024-10", "--replace", "--printing", str(printing)]
    code, _, err = _run(data_copy, monkeypatch, capsys, *args)
    assert (code == 2) is refused
    if refused:
        assert "parameter '--printing' is 3, but no area is printed more than 2 time(s)" in err
        assert _leftovers(data_copy) == ["2024-10"]


@pytest.mark.parametrize("period", ["2024-11", "2024-09"])
def test_a_pack_of_another_month_is_refused(data_copy, monkeypatch, capsys, period):
    # The October pack's tables end at Oct-24: imported as another month it would become the newest edition by mistake.
    code, _, err = _run(data_copy, monkeypatch, capsys, "import", str(SEED), "--period", period)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "monthly tables end at Oct-24, not at " in err and f"a {period} edition prints" in err and "'--period'" in err
    assert _leftovers(data_copy) == ["2024-10"]


@pytest.mark.parametrize("period", ["2024-13", "24-11", "October"])
def test_a_malformed_period_is_refused(data_copy, monkeypatch, capsys, period):
    code, _, err = _run(data_copy, monkeypatch, capsys, "import", str(SEED), "--period", period)
    assert code == 2 and "parameter '--period'" in err and _leftovers(data_copy) == ["2024-10"]


def test_a_file_failing_validation_leaves_nothing_behind(tmp_path, data_copy, monkeypatch, capsys):
    # A polarity no table may print: the pack splits cleanly, the reader refuses the written file.
    old = "SCS08\tPercentage of Returner Interviews completed for those with SCS Involvement\tH\tR12M"
    pack = _bad_pack(tmp_path, lambda lines: [x.replace(old, old.replace("\tH\t", "\tZ\t"), 1) for x in lines])
    code, _, err = _run(data_copy, monkeypatch, capsys, "import", str(pack), "--period", "2024-11")
    assert code == 2 and str(data_copy / "raw/scorecard/2024-11/ashford__ics_monthly.tsv") + " row 5, column 'Polarity'" in err
    assert _leftovers(data_copy) == ["2024-10"]


def test_replace_swaps_the_edition_whole(data_copy, monkeypatch, capsys):
    (data_copy / "raw/scorecard/2024-10/stray.txt").write_text("left by hand")
    code, out, _ = _run(data_copy, monkeypatch, capsys, "import", str(SEED), "--period", "2024-10", "--replace")
    assert code == 0 and "edition 2024-10 written" in out
    assert not (data_copy / "raw/scorecard/2024-10/stray.txt").exists()
    assert _leftovers(data_copy) == ["2024-10"]


def _workbook(path: Path, extra: dict[str, list[list[str]]] | None = None) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table in sorted(EDITION.glob("*__*.tsv")):
        area, rest = table.stem.split("__", 1)
        ws = wb.create_sheet(table.stem if len(table.stem) <= 31 else f"{area.split('-')[0]}__{rest}")
        for row in table.read_text(encoding="utf-8").split("\n")[:-1]:
            ws.append(row.split("\t"))
    for name, sep, sheet in (("edition.csv", ",", "edition"), ("headline.tsv", "\t", "headline")):
        frame = pd.read_csv(EDITION / name, sep=sep, dtype=str, keep_default_na=False)
        ws = wb.create_sheet(sheet)
        for row in [list(frame.columns), *frame.to_numpy().tolist()]:
            ws.append(row)
    for name, rows in (extra or {}).items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_a_workbook_imports_to_the_same_tidy_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    import_pack(_workbook(tmp_path / "october.xlsx"), "2024-10", data_dir=data)
    pd.testing.assert_frame_equal(load_scorecard("2024-10", data_dir=data), load_scorecard("2024-10"))
    for name in ("edition.csv", "headline.tsv"):
        assert filecmp.cmp(EDITION / name, data / "raw/scorecard/2024-10" / name, shallow=False), name


def test_a_workbook_sheet_with_an_unknown_table_name_is_refused(tmp_path, data_copy, monkeypatch, capsys):
    book = _workbook(tmp_path / "november.xlsx", {"kent__ics_weekly": [["x"]]})
    code, _, err = _run(data_copy, monkeypatch, capsys, "import", str(book), "--period", "2024-11")
    assert code == 2 and f"{book}: sheet 'kent__ics_weekly' is not a table name" in err
    assert _leftovers(data_copy) == ["2024-10"]


def test_validate_a_folder_in_one_process(monkeypatch, capsys):
    code, out, err = _run(ROOT / "data", monkeypatch, capsys, "validate", str(EDITION))
    summary = out.strip().splitlines()[-1]
    assert code == 0 and err == ""
    assert f"{EDITION}: 77 files, " in summary and "no earlier edition to compare with" in summary
    log = check_edition(EDITION)
    assert f"{len(log.anomalies)} anomalies, {len(log.anomalies)} new" in summary
    # Every anomaly names its file relative to the data folder, the metadata pages' too, wherever it is run from.
    files = set(log.anomalies["source_file"])
    assert "raw/scorecard/2024-10/definitions.tsv" in files
    assert all(f.startswith("raw/scorecard/2024-10/") for f in files), sorted(files)[:3]
    assert not any(line.startswith("/") for line in out.strip().splitlines()[:-1])


def test_strict_fails_only_on_anomalies_new_against_the_accepted_log(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "2024-10"
    shutil.copytree(EDITION, folder)
    code, out, _ = _run(ROOT / "data", monkeypatch, capsys, "validate", str(folder), "--strict", "--against", "2024-10")
    assert code == 0 and ", 0 new (against 2024-10)" in out
    # One new kind of anomaly: a share over 100% in Swale's EH assessments.
    path = folder / "swale__ics_monthly__2.tsv"
    text = path.read_text(encoding="utf-8")
    row = next(x for x in text.split("\n") if x.startswith("EH52-F"))
    cells = row.split("\t")
    cells[5] = "103.0"
    path.write_text(text.replace(row, "\t".join(cells)), encoding="utf-8")
    code, out, _ = _run(ROOT / "data", monkeypatch, capsys, "validate", str(folder), "--strict", "--against", "2024-10")
    lines = out.strip().splitlines()
    # Over 100%, and a figure printed differently from the accepted edition: a revision of it.
    assert code == 1 and ", 2 new (against 2024-10)" in lines[-2]
    assert lines[-1].startswith("strict check failed: 2 anomalies are new (1 percent_over_100, 1 revised_figure), listed above")
    assert len(lines) == 4 and all("swale__ics_monthly__2.tsv" in x for x in lines[:2])
    assert [x.split("[")[1].split("]")[0] for x in lines[:2]] == ["percent_over_100", "revised_figure"]


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2024-12-09", None),  # the real one: published after October
        ("not recorded", None),
        ("2024-10-31", "publication date 2024-10-31 is not after October 2024, the month the edition reports"),
        ("2024-09-30", "publication date 2024-09-30 is not after October 2024, the month the edition reports"),
        ("9 December 2024", "publication date 9 December 2024 is not a date"),
    ],
)
def test_a_publication_date_the_month_could_not_have_is_logged(tmp_path, date, message):
    folder = tmp_path / "2024-10"
    shutil.copytree(EDITION, folder)
    path = folder / "edition.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("publication_date,2024-12-09", f"publication_date,{date}"), encoding="utf-8"
    )
    found = edition_date_anomalies(folder)
    assert list(found.columns) == list(check_edition(EDITION).anomalies.columns)
    if message is None:
        assert found.empty
        return
    assert found[["row", "column", "category", "found"]].values.tolist() == [[4, "value", "edition_date", date]]
    assert found["message"].item().startswith(message)


def test_strict_validation_fails_on_an_impossible_publication_date(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "2024-10"
    shutil.copytree(EDITION, folder)
    path = folder / "edition.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2024-12-09", "2024-09-30"), encoding="utf-8")
    code, out, _ = _run(ROOT / "data", monkeypatch, capsys, "validate", str(folder), "--strict", "--against", "2024-10")
    assert code == 1 and "row 4, column value: [edition_date] publication date 2024-09-30" in out
    assert out.strip().splitlines()[-1].startswith("strict check failed: 1 anomaly is new (1 edition_date)")


def test_a_single_file_is_still_validated_alone(monkeypatch, capsys):
    code, out, _ = _run(ROOT / "data", monkeypatch, capsys, "validate", str(EDITION / "kent__ics_quarterly.tsv"))
    assert code == 0 and "kent__ics_quarterly.tsv: quarterly table" in out


@pytest.mark.parametrize(
    ("row", "accepted", "new"),
    [
        # Same area, table, block, indicator and kind on another row: accepted.
        (("a/kent__ics_monthly.tsv", "Kent", "", "x", "dot"), ("b/kent__ics_monthly.tsv", "Kent", "", "x", "dot"), 0),
        (("a/kent__ics_monthly.tsv", "Kent", "", "x", "dot"), ("b/kent__ics_monthly.tsv", "Kent", "", "x", "rag"), 1),
        (("a/kent__ics_monthly.tsv", "Kent", "", "x", "dot"), ("b/dover__ics_monthly.tsv", "Dover", "", "x", "dot"), 1),
        (("a/kent__ics_monthly.tsv", "Kent", "", "x", "dot"), ("b/kent__ics_quarterly.tsv", "Kent", "", "x", "dot"), 1),
        (("a/kent__ics_monthly.tsv", "Kent", "A", "x", "dot"), ("b/kent__ics_monthly.tsv", "Kent", "B", "x", "dot"), 1),
        (("a/kent__ics_monthly.tsv", "Kent", "", "x", "dot"), ("b/kent__ics_monthly.tsv", "Kent", "", "y", "dot"), 1),
    ],
)
def test_new_anomalies_match_on_what_not_where(row, accepted, new):
    cols = ["source_file", "area", "block", "indicator", "category"]
    log, ok = pd.DataFrame([row], columns=cols).assign(row=3), pd.DataFrame([accepted], columns=cols).assign(row=40)
    assert len(new_anomalies(log, ok)) == new
    assert len(new_anomalies(log.iloc[:0], ok)) == 0  # quiet case: nothing found, nothing new


def test_a_ytd_data_period_is_read_validated_and_loaded(data_copy):
    # YTD is a data period the guidance notes define: the reader, the schemas and the loader all accept it.
    path = data_copy / "raw/scorecard/2024-10/kent__education_monthly.tsv"
    text = path.read_text(encoding="utf-8")
    old = "closed within 30 school days\tH\tR12M\t"
    assert old in text
    path.write_text(text.replace(old, "closed within 30 school days\tH\tYTD\t"), encoding="utf-8")
    check = check_edition(path.parent, data_dir=data_copy)
    df = load_scorecard("2024-10", area="Kent", data_dir=data_copy)
    assert set(df.loc[df["indicator"] == "cme_closed_30days", "period_type"]) == {"YTD"}
    mismatch = check.anomalies[
        (check.anomalies["category"] == "period_type_mismatch") & (check.anomalies["indicator"] == "cme_closed_30days")
    ]
    assert mismatch["area"].tolist() == ["Kent"]


def test_a_schema_error_names_the_file_and_row():
    from kccperf.errors import ValidationError
    from kccperf.schemas import Scorecard, validate

    df = load_scorecard("2024-10")
    bad = df.assign(polarity=df["polarity"].where(df.index != 1472, "X"))
    file, row = df.loc[1472, ["source_file", "source_row"]]
    with pytest.raises(ValidationError, match=f"^{file}: row {row}, column 'polarity' failed check isin"):
        validate(bad, Scorecard, "scorecard edition 2024-10")


def _set_cell(folder: Path, line: int, column: int, printed: str, new: str) -> None:
    """Change one printed figure of Kent's monthly table (1-based line, 0-based column), checking what it printed."""
    path = folder / "kent__ics_monthly.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[line - 1].split("\t")
    assert cells[column] == printed
    cells[column] = new
    lines[line - 1] = "\t".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")


def _revised_lines(out: str) -> list[str]:
    return [x.split(": ", 1)[1] for x in out.splitlines() if "[revised_figure]" in x]


def test_strict_fails_on_the_revision_an_edition_prints(history_data, monkeypatch, capsys):
    code, out, _ = _run(history_data, monkeypatch, capsys, "validate", str(history_data / "raw/scorecard/2024-11"), "--strict")
    assert code == 1 and "(against 2024-10)" in out
    assert _revised_lines(out) == ["[revised_figure] Sep-24 is printed as 23.9; the 2024-10 edition printed 23.4."]


@pytest.mark.parametrize(
    ("column", "printed", "new", "revised"),
    [
        (None, None, None, []),  # November printed again: its revision of Sep-24 is accepted
        (9, "23.9", "24.2", ["[revised_figure] Sep-24 is printed as 24.2; the 2024-11 edition printed 23.9."]),
        (9, "23.9", "23.4", ["[revised_figure] Sep-24 is printed as 23.4; the 2024-11 edition printed 23.9."]),
        (8, "23.4", "23.6", ["[revised_figure] Aug-24 is printed as 23.6; the 2024-11 edition printed 23.4."]),
    ],
)
def test_an_accepted_revision_stays_accepted_and_a_new_one_fails(
    history_data, tmp_path, monkeypatch, capsys, column, printed, new, revised
):
    folder = tmp_path / "2024-11"
    shutil.copytree(history_data / "raw/scorecard/2024-11", folder)
    if column is not None:
        _set_cell(folder, 4, column, printed, new)
    code, out, _ = _run(history_data, monkeypatch, capsys, "validate", str(folder), "--strict", "--against", "2024-11")
    assert _revised_lines(out) == revised
    assert code == (1 if revised else 0) and f", {len(revised)} new (against 2024-11)" in out


def test_the_next_edition_does_not_report_an_accepted_revision_again(history_data, tmp_path, monkeypatch, capsys):
    from tests.fixtures.edition_2024_11.build import shift_edition

    december = shift_edition(history_data / "raw/scorecard/2024-11", tmp_path / "2024-12")
    code, out, _ = _run(history_data, monkeypatch, capsys, "validate", str(december), "--strict")
    assert "(against 2024-11)" in out and _revised_lines(out) == []
    # Sep-24 is column 8 once the months move on; printing it differently again is a new revision.
    _set_cell(december, 4, 8, "23.9", "24.2")
    code, out, _ = _run(history_data, monkeypatch, capsys, "validate", str(december), "--strict")
    assert code == 1
    assert _revised_lines(out) == ["[revised_figure] Sep-24 is printed as 24.2; the 2024-11 edition printed 23.9."]


def test_a_workbook_without_the_metadata_sheets_is_imported_with_a_note_for_each(tmp_path, data_copy, monkeypatch, capsys):
    # The helper's workbook has the tables, edition and headline sheets, but no sources, definitions or caveats.
    book = _workbook(tmp_path / "november.xlsx")
    code, _, err = _run(data_copy, monkeypatch, capsys, "import", str(book), "--period", "2024-10", "--replace")
    notes = [line for line in err.splitlines() if line.startswith("note: november.xlsx has no sheet")]
    assert code == 0 and len(notes) == 3
    assert "'sources' (sources.tsv): the pages cannot say what each latest figure covers" in notes[0]
    assert all(n.endswith("and import again with --replace.") for n in notes)


def test_a_workbook_with_every_sheet_has_no_missing_sheet_note():
    from kccperf.scorecard.workbook import OTHER_SHEETS, WorkbookEdition, missing_sheets

    assert missing_sheets(WorkbookEdition("b.xlsx", {}, {k: pd.DataFrame() for k in OTHER_SHEETS})) == ()
    assert len(missing_sheets(WorkbookEdition("b.xlsx", {}, {}))) == len(OTHER_SHEETS) == 5
