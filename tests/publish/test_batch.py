"""The report batch end to end: papermill executes each notebook, nbconvert exports self-contained HTML."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

import kccperf
from kccperf import ParameterError
from kccperf.publish import scorecard_views
from kccperf.publish.batch import build_reports, resolve_areas
from kccperf.schemas import Finding

from ..conftest import ROOT

MAX_BYTES = 1_500_000
PREPARING = "preparing the 2024-10 edition (load, assess, reconcile) …"
WAITING = "waiting for the workers to be ready …"


def split_progress(lines: list[str]) -> tuple[list[str], list[str]]:
    """The lines said while the batch starts (all before the first report's; the wait said only when there is one),
    and the reports' own lines."""
    first = next((i for i, line in enumerate(lines) if line.startswith("[")), len(lines))
    assert all(not line.startswith("[") for line in lines[:first]) and all(line.startswith("[") for line in lines[first:])
    return [line for line in lines[:first] if line != WAITING], lines[first:]


def test_every_report_and_the_index(full_run):
    assert not full_run.failed, [(r.area, r.error) for r in full_run.failed]
    slugs = {r.slug for r in full_run.results}
    areas = {
        "kent",
        "ashford",
        "canterbury",
        "dartford",
        "dover",
        "folkestone-and-hythe",
        "gravesham",
        "maidstone",
        "sevenoaks",
        "swale",
        "thanet",
        "tonbridge-and-malling",
        "tunbridge-wells",
    }
    assert areas | {"kent-scorecard", "budget-2025-26-cype", "budget-2025-26-all"} == slugs
    index = (full_run.out_dir / "index.html").read_text(encoding="utf-8")
    for slug in slugs:
        assert f'href="{slug}.html"' in index and f'href="{slug}.csv"' in index and f'href="{slug}.xlsx"' in index
        assert (full_run.out_dir / f"{slug}.csv").exists() and (full_run.out_dir / f"{slug}.xlsx").exists()
    assert not list(full_run.out_dir.glob(".work-*")) and not list(full_run.out_dir.glob(".*.tmp*"))


@pytest.mark.parametrize("slug", ["kent", "ashford", "kent-scorecard", "budget-2025-26-cype", "index"])
def test_html_is_self_contained_small_and_codeless(full_run, slug):
    page = (full_run.out_dir / f"{slug}.html").read_text(encoding="utf-8")
    assert len(page.encode("utf-8")) <= MAX_BYTES
    assert "<script" not in page.lower()
    # No request to any other host: every src and href is a data URI or in-page/relative.
    for attr in re.findall(r'(?:src|href)="([^"]*)"', page):
        assert not re.match(r"^(https?:)?//", attr), attr
    assert "@media print" in page
    assert "load_scorecard(" not in page and "import kccperf" not in page
    assert not re.search(r"In\s*\[\d*\]", page)


def test_area_report_content(full_run):
    page = (full_run.out_dir / "ashford.html").read_text(encoding="utf-8")
    assert "Ashford: October 2024 scorecard" in page
    assert '<nav aria-label="Contents" class="kcc-toc">' in page and 'href="#Indicators"' in page
    assert "23.9%" in page and "Ashford CSWT" in page
    assert page.count('alt="') >= 2  # trend and funnel charts carry alt text
    assert "Produced with kccperf" in page and "area = Ashford" in page
    assert "Against Kent" in page
    # Notes tagged for analysts stay in the notebook, out of the directors' page.
    assert "assessed for every area at once" not in page
    assert "assessed for every area at once" in (ROOT / "notebooks" / "district_report.ipynb").read_text(encoding="utf-8")
    assert "Against Kent" not in (full_run.out_dir / "kent.html").read_text(encoding="utf-8")


def test_county_view_has_heatmap_league_and_appendix(full_run):
    page = (full_run.out_dir / "kent-scorecard.html").read_text(encoding="utf-8")
    for needle in (
        "County headline figures",
        "Vulnerable learners",
        "RAG by indicator and district",
        "District league table",
        "Reconciliation appendix",
        "numerator appears to have lost a digit",
    ):
        assert needle in page


def test_downloads_hold_the_data_shown_with_small_numbers_withheld(full_run):
    df = pd.read_csv(full_run.out_dir / "folkestone-and-hythe.csv")
    ehcp = df[df.indicator == "ehcp_issued_20wk"].iloc[0]  # 3 of 4 plans: a small number
    assert bool(ehcp.suppressed) and pd.isna(ehcp.value) and pd.isna(ehcp.numerator)
    xl = pd.read_excel(full_run.out_dir / "folkestone-and-hythe.xlsx")
    assert len(xl) == len(df)


def test_runs_are_deterministic_apart_from_the_generated_line(tmp_path):
    pages = []
    for n in (1, 2):
        run = build_reports("2024-10", "Dover", out_dir=tmp_path / str(n))
        pages.append(re.sub(r"Generated at [^<]*", "", (run.out_dir / "dover.html").read_text(encoding="utf-8")))
    assert pages[0] == pages[1]


def test_one_failure_does_not_stop_the_others(tmp_path, failing_template):
    out = tmp_path / "out"
    stale = out / "2024-10" / "dover.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("last month's report")
    (out / "2024-10" / "dover.csv").write_text("old")
    run = build_reports("2024-10", "Dover,Thanet", out_dir=out, jobs=2, template=failing_template)
    assert [r.area for r in run.failed] == ["Dover"]
    assert "planted failure" in run.failed[0].error
    assert not stale.exists() and not (out / "2024-10" / "dover.csv").exists(), "no stale report may look current"
    assert (out / "2024-10" / "thanet.html").exists()
    assert (out / "2024-10" / "failed" / "dover.ipynb").exists()
    index = (out / "2024-10" / "index.html").read_text(encoding="utf-8")
    assert "Failed: RuntimeError: planted failure" in index


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_report_that_ends_its_worker_fails_alone(tmp_path, crashing_template, jobs):
    # The reports run in the workers' own processes: a crash there breaks the pool, which is replaced.
    lines = []
    run = build_reports(
        "2024-10", "Dover,Thanet,Ashford", out_dir=tmp_path, jobs=jobs, template=crashing_template, progress=lines.append
    )
    assert [(r.area, r.error) for r in run.failed] == [("Dover", "its worker process ended abruptly while building it")]
    assert sorted(p.name for p in run.out_dir.glob("*.html")) == ["ashford.html", "index.html", "thanet.html"]
    start, reports = split_progress(lines)
    assert start == [f"starting {jobs} worker{'s' if jobs > 1 else ''} …", PREPARING, "building 3 reports …"]
    assert len(reports) == 3 and "[3/3]" in reports[-1] and sum("Dover: FAILED" in line for line in reports) == 1
    assert not list(run.out_dir.glob(".work-*")), "the work folder goes once the batch ends"


def test_partial_run_keeps_earlier_reports_in_the_index(tmp_path):
    build_reports("2024-10", "Thanet", out_dir=tmp_path)
    run = build_reports("2024-10", "Dover", out_dir=tmp_path)
    index = (run.out_dir / "index.html").read_text(encoding="utf-8")
    assert 'href="dover.html"' in index and 'href="thanet.html"' in index and "from an earlier run" in index


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"areas": "Atlantis"}, "area 'Atlantis'"),
        ({"areas": "Kent", "jobs": 0}, "--jobs"),
        ({"areas": "Kent", "suppress_threshold": -1}, "suppress_threshold"),
    ],
)
def test_bad_parameters_write_nothing(tmp_path, kwargs, message):
    with pytest.raises(ParameterError, match=message):
        build_reports("2024-10", out_dir=tmp_path / "o", **kwargs)
    assert not (tmp_path / "o").exists()


def test_resolve_areas():
    assert resolve_areas("all")[0] == "Kent" and len(resolve_areas(None)) == 13
    with pytest.raises(ParameterError):
        resolve_areas(" , ")


def test_a_report_notebook_is_written_once_not_after_every_cell(tmp_path, monkeypatch):
    """Papermill would save the executed notebook twice per cell; the batch asks it to save once, at the end."""
    import papermill.execute

    from kccperf.publish import batch

    writes = []
    real = papermill.execute.write_ipynb
    monkeypatch.setattr(papermill.execute, "write_ipynb", lambda nb, path, **kw: (writes.append(path), real(nb, path, **kw)))
    template = str(ROOT / "notebooks" / "district_report.ipynb")
    task = batch.ReportTask(template, {"area": "Dover", "period": "2024-10"}, "dover", "Dover", "Dover")
    result = batch._render(task, str(tmp_path), 600, "2024-12-01 09:00")
    assert result.ok, result.error
    assert writes == [str(tmp_path / "dover.ipynb")]


def test_the_whole_council_budget_page_leaves_out_what_concerns_cype_alone(full_run):
    council = (full_run.out_dir / "budget-2025-26-all.html").read_text(encoding="utf-8")
    cype = (full_run.out_dir / "budget-2025-26-cype.html").read_text(encoding="utf-8")
    for heading in ("By Cabinet Member", "CYPE&#x27;s share of the register", "CYPE capital programme relies on unsecured"):
        assert heading in cype.replace("'", "&#x27;")
        assert heading not in council.replace("'", "&#x27;")
    assert "Since November" in council and "Since November" in cype


def _visible_text(page: str) -> str:
    soup = BeautifulSoup(page, "html.parser")
    for hidden in soup(["style", "script"]):
        hidden.decompose()
    return soup.get_text(" ") + " ".join(f"{t.get('alt', '')} {t.get('title', '')}" for t in soup.find_all(True))


def test_no_director_page_shows_an_internal_id_or_a_table_file(full_run):
    """Directors read titles and plain words; ids, category names and table files are the analysts' (the county
    view's appendix and the CSV exports keep them)."""
    ids = set(kccperf.load_catalogue().indicators["indicator"])
    categories = set(Finding.to_schema().columns["category"].checks[0].statistics["allowed_values"])
    categories |= set(scorecard_views.QUALITY_LABELS)
    files = {p.name for p in (ROOT / "data" / "raw" / "scorecard" / "2024-10").rglob("*") if p.is_file()}
    internal = {n for n in ids | categories if "_" in n} | files
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, sorted(internal, key=len, reverse=True))) + r")(?!\w)")
    areas = [p for p in full_run.out_dir.glob("*.html") if p.stem != "kent-scorecard"]
    assert len(areas) == 16
    for page in areas:
        found = sorted(set(pattern.findall(_visible_text(page.read_text(encoding="utf-8")))))
        assert not found, f"{page.name}: {found}"


@pytest.mark.parametrize("quiet", [False, True])
def test_the_start_is_said_before_each_slow_step(tmp_path, monkeypatch, capfd, quiet):
    """Loading, assessing and reconciling the edition and starting the workers take seconds before the first report
    is done: each step is said as it begins, through the progress lines (none when no one listens)."""
    from kccperf.publish import batch

    lines: list[str] = []
    said_before: list[str] = []

    def prepare(*args, **kwargs):
        said_before.extend(lines)  # what had been said when the edition's preparation began
        raise ParameterError("stopped by the test once the preparation began.")

    monkeypatch.setattr(batch, "_plan", prepare)
    with pytest.raises(ParameterError, match="stopped by the test"):
        build_reports("2024-10", "Dover", out_dir=tmp_path, jobs=1, progress=None if quiet else lines.append)
    out, err = capfd.readouterr()
    assert out + err == ""
    assert said_before == ([] if quiet else ["starting 1 worker …", PREPARING])


@pytest.mark.parametrize(("offered", "needed", "adopted"), [(2, 2, True), (2, 1, False)])
def test_offered_workers_are_adopted_by_the_count_they_come_with(monkeypatch, offered, needed, adopted):
    """The count is given with the workers: nothing reads the pool's private worker count."""
    from kccperf.publish import batch

    class Pool:  # has no _max_workers
        ended = False

        def shutdown(self, wait, cancel_futures):
            self.ended = True

    pool, warm, opened = Pool(), ["warm"], object()
    monkeypatch.setattr(batch, "_stop_workers", lambda _pool: None)
    monkeypatch.setattr(batch._LocalPool, "_open", lambda self: opened)
    batch.offer_workers(pool, warm, offered)
    local = batch._LocalPool(needed)
    assert (local._pool is pool, local._warm == warm, pool.ended) == (adopted, adopted, not adopted)
    assert local._pool is (pool if adopted else opened) and not batch._OFFERED


def test_a_warmed_worker_keeps_what_it_loaded_out_of_the_collectors_sight(monkeypatch):
    """Each report's namespace reset collects garbage: it must not walk the worker's modules and templates again."""
    import gc

    from kccperf.publish import batch

    monkeypatch.setattr(batch, "_warm", lambda: 1 / 0)  # a failed warm-up is only a missed head start: frozen all the same
    try:
        batch._warm_up()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(
    ("templates", "first"),
    [
        (["district_report.ipynb", "kent_scorecard.ipynb", "budget_risk.ipynb"], ["budget_risk.ipynb", "kent_scorecard.ipynb"]),
        (["district_report.ipynb", "district_report.ipynb"], ["district_report.ipynb"]),  # only areas: the plan's order
    ],
)
def test_the_longest_notebooks_are_started_first_and_the_rest_keep_the_plan_s_order(templates, first):
    from kccperf.publish import batch

    queue = [(batch.ReportTask(f"/nb/{name}", {}, f"r{i}", f"R{i}", f"R{i}"), i) for i, name in enumerate(templates)]
    ordered = batch._longest_first(queue)
    assert [t.template.rsplit("/", 1)[1] for t, _ in ordered][: len(first)] == first
    areas = [i for t, i in ordered if t.template.endswith("district_report.ipynb")]
    assert areas == sorted(areas) and len(ordered) == len(queue)
