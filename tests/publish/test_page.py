"""The kccperf nbconvert template: the report page from an executed notebook, in the batch and on the command line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kccperf.publish.batch import build_reports
from kccperf.publish.page import applies, report_html

JUPYTER = Path(sys.executable).parent / "jupyter"
GENERATED = re.compile(r"Generated at [^<]*")


def _notebook(*cells, title="Dover & Deal: <report>", end_time="2024-11-05T09:07:41.5+00:00"):
    nb = new_notebook(cells=list(cells))
    nb.metadata["title"] = title
    nb.metadata["papermill"] = {"end_time": end_time, "parameters": {"area": "Dover"}}
    return nb


def _report():
    """A small executed report: a title block, an analyst note, code with outputs, and two sections."""
    return _notebook(
        new_markdown_cell("# CYPE performance report\n\nOne area's page."),
        new_code_cell('area = "Dover"', metadata={"tags": ["parameters"]}, execution_count=1),
        new_markdown_cell("Assessed for every area at once, then withheld.", metadata={"tags": ["analyst-note"]}),
        new_code_cell(
            "views.report_heading(area)",
            execution_count=2,
            outputs=[
                new_output(
                    "execute_result", {"text/html": "<h2>Dover: October 2024</h2>", "text/plain": "<HTML>"}, execution_count=2
                ),
                new_output("stream", name="stdout", text="printed by the kernel\n"),
            ],
        ),
        new_markdown_cell("## Headline\n\nHow many are RED."),
        new_code_cell(
            "display_js()",
            execution_count=3,
            outputs=[new_output("display_data", {"application/javascript": "alert(1)", "text/plain": "js"})],
        ),
        new_markdown_cell("## Data quality: as published\n\nWhat the reader found.\n\n### Detail"),
    )


@pytest.fixture(scope="module")
def page() -> str:
    return report_html(_report())


def test_no_code_prompts_anchor_links_or_cell_ids(page):
    assert 'area = "Dover"' not in page and "views.report_heading" not in page and "display_js" not in page
    assert not re.search(r"In\s*\[|Out\s*\[", page)
    assert "anchor-link" not in page and "¶" not in page
    assert "cell-id" not in page
    # A code cell that displays nothing (the parameters, an assignment) leaves no empty block on the page.
    assert "celltag_parameters" not in page and not re.search(r'code_cell rendered[^"]*">\s*</div>', page)


def test_outputs_and_markdown_stay_with_heading_ids(page):
    assert "<h2>Dover: October 2024</h2>" in page and "printed by the kernel" in page
    assert '<h1 id="CYPE-performance-report">CYPE performance report</h1>' in page
    assert '<h2 id="Headline">Headline</h2>' in page and '<h3 id="Detail">Detail</h3>' in page


def test_analyst_notes_are_left_out(page):
    assert "Assessed for every area at once" not in page


def test_contents_list_from_the_section_headings_before_the_first(page):
    nav = '<nav aria-label="Contents" class="kcc-toc"><h2 id="contents">Contents</h2><ol>'
    items = (
        '<li><a href="#Headline">Headline</a></li><li><a href="#Data-quality:-as-published">Data quality: as published</a></li>'
        '<li><a href="#Abbreviations">Abbreviations</a></li>'
    )
    assert page.count("<nav") == 1 and nav + items + "</ol></nav>" + '<h2 id="Headline">' in page


def test_the_abbreviations_the_page_shows_are_spelled_out_at_its_end(page):
    # CYPE is in the title; RED (a rating, not in the key) and the JavaScript output's "js" are not abbreviations.
    glossary = page.split('<h2 id="Abbreviations">', 1)[1]
    assert re.findall(r"<dt>([^<]+)</dt>", glossary) == ["CYPE"] and "Children, Young People and Education" in glossary
    assert glossary.index("</dl>") < glossary.index("Generated at")


def test_a_page_with_no_abbreviation_has_no_abbreviations_section():
    quiet = report_html(_notebook(new_markdown_cell("# Budget\n\n## Risks\n\nNone of the key's words.")))
    assert "Abbreviations" not in quiet and "<dl" not in quiet
    assert '<li><a href="#Risks">Risks</a></li></ol></nav>' in quiet


def test_title_one_generated_line_styles_and_nothing_external(page):
    assert "<title>Dover &amp; Deal: &lt;report&gt;</title>" in page
    assert GENERATED.findall(page) == ["Generated at 2024-11-05 09:07 UTC"]
    assert "@media print" in page and page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<script" not in page.lower() and "alert(1)" not in page
    for attr in re.findall(r'(?:src|href)="([^"]*)"', page):
        assert not re.match(r"^(https?:)?//", attr), attr


def test_generated_at_given_by_the_caller():
    page = report_html(_report(), generated="2024-12-01 08:00 UTC")
    assert GENERATED.findall(page) == ["Generated at 2024-12-01 08:00 UTC"]


def test_no_contents_list_without_sections():
    page = report_html(_notebook(new_markdown_cell("# Title\n\nNo sections here.")))
    assert "<nav" not in page and '<h1 id="Title">Title</h1>' in page


def _nbconvert(notebook: Path) -> str:
    """The page from the real command line, with the template as ``make setup`` installs it."""
    subprocess.run(
        [str(JUPYTER), "nbconvert", "--to", "html", "--template", "kccperf", str(notebook)],
        check=True,
        capture_output=True,
    )
    return notebook.with_suffix(".html").read_text(encoding="utf-8")


def test_plain_nbconvert_gives_the_same_page(tmp_path):
    path = tmp_path / "dover.ipynb"
    nbformat.write(_report(), path)
    assert _nbconvert(path) == report_html(_report())


def test_plain_nbconvert_titles_an_untitled_notebook_by_its_file_name(tmp_path):
    nb = _report()
    del nb.metadata["title"]
    path = tmp_path / "dover.ipynb"
    nbformat.write(nb, path)
    assert "<title>dover</title>" in _nbconvert(path)


def test_plain_nbconvert_on_an_executed_report_gives_the_kccperf_report_page(tmp_path):
    run = build_reports("2024-10", "Dover", out_dir=tmp_path / "out", keep_notebooks=tmp_path / "nb")
    report = GENERATED.sub("", (run.out_dir / "dover.html").read_text(encoding="utf-8"))
    converted = GENERATED.sub("", _nbconvert(tmp_path / "nb" / "dover.ipynb"))
    assert "<title>Dover: CYPE performance report, October 2024</title>" in converted
    assert converted == report


@pytest.mark.parametrize(
    ("tags", "parameters", "kept"),
    [
        (["only-directorate-CYPE"], {"directorate": "CYPE"}, True),
        (["only-directorate-CYPE"], {"directorate": "ALL"}, False),
        (["only-directorate-CYPE"], {}, True),  # not run by papermill: nothing to decide by
        (["analyst-note"], {"directorate": "ALL"}, True),
        (["only-area-Kent"], {"area": "Dover"}, False),
        ([], {"directorate": "ALL"}, True),
    ],
)
def test_a_cell_for_one_parameter_value_is_left_out_of_other_pages(tags, parameters, kept):
    assert applies({"metadata": {"tags": tags}}, parameters) is kept
