"""The report batch end to end: papermill executes the notebook per area, nbconvert exports HTML."""

from __future__ import annotations

import re

import nbformat
import pytest

from kccperf import ParameterError
from kccperf.report import build_reports, resolve_areas

from .conftest import ROOT


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    return build_reports("2024-10", "all", out_dir=out, jobs=2)


def test_all_thirteen_reports_and_the_index(full_run):
    assert not full_run.failed
    slugs = sorted(p.stem for p in full_run.out_dir.glob("*.html") if p.name != "index.html")
    assert len(slugs) == 13 and "kent" in slugs and "tunbridge-wells" in slugs
    index = (full_run.out_dir / "index.html").read_text(encoding="utf-8")
    for slug in slugs:
        assert f'href="{slug}.html"' in index
    assert not list(full_run.out_dir.glob(".work-*")), "work folders must not be left behind"


def test_reports_show_figures_but_no_code(full_run):
    page = (full_run.out_dir / "ashford.html").read_text(encoding="utf-8")
    assert "Ashford: October 2024 scorecard" in page
    assert "23.9%" in page and "Ashford CSWT" in page and "GREEN" in page
    assert "load_scorecard(" not in page and "check_parameters(" not in page
    assert not re.search(r"In\s*\[\d*\]", page)
    assert "Produced with kccperf" in page and "area = Ashford" in page


def test_index_counts_match_the_published_rags(full_run, published):
    index = (full_run.out_dir / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<th scope="row">Canterbury</th>(.*?)</tr>', index).group(1)
    counts = [int(x) for x in re.findall(r'<td class="num">(\d+)</td>', row)]
    pub = published[published.area == "Canterbury"].drop_duplicates(["block", "indicator"])
    assert counts[0] == (pub.rag == "RED").sum() and counts[2] == (pub.rag == "GREEN").sum()


def _failing_template(tmp_path):
    nb = nbformat.read(ROOT / "notebooks" / "district_report.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell('if area == "Dover":\n    raise RuntimeError("planted failure")'))
    path = tmp_path / "failing.ipynb"
    nbformat.write(nb, path)
    return path


def test_one_failure_does_not_stop_the_others(tmp_path):
    out = tmp_path / "out"
    stale = out / "2024-10" / "dover.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("last month's report")
    run = build_reports("2024-10", "Dover,Thanet", out_dir=out, jobs=2, template=_failing_template(tmp_path))
    assert [r.area for r in run.failed] == ["Dover"]
    assert "planted failure" in run.failed[0].error
    assert not stale.exists(), "a failed area must not leave an old report looking current"
    assert (out / "2024-10" / "thanet.html").exists()
    assert (out / "2024-10" / "failed" / "dover.ipynb").exists()
    index = (out / "2024-10" / "index.html").read_text(encoding="utf-8")
    assert "Failed: RuntimeError: planted failure" in index


def test_bad_parameters_write_nothing(tmp_path):
    with pytest.raises(ParameterError):
        build_reports("2024-10", "Atlantis", out_dir=tmp_path / "o")
    with pytest.raises(ParameterError):
        build_reports("2024-10", "Kent", out_dir=tmp_path / "o", jobs=0)
    assert not (tmp_path / "o").exists()


def test_resolve_areas():
    assert resolve_areas("all")[0] == "Kent" and len(resolve_areas(None)) == 13
    with pytest.raises(ParameterError):
        resolve_areas(" , ")
