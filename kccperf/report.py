"""Running the report notebooks with papermill and exporting them to HTML with nbconvert.

Every report is executed into a private work folder and moved into place only
when its HTML is complete, so a reader never opens a half-written file and a
failed area never leaves last month's report looking current.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ._paths import project_root
from .catalogue import load_catalogue
from .errors import ParameterError
from .io import load_edition_info, load_published, load_scorecard, scorecard_dir
from .summary import indicator_summary, rag_counts

AREA_TEMPLATE = "district_report.ipynb"
KERNEL_NAME = "kccperf"


@dataclass(frozen=True)
class ReportResult:
    """The outcome of one report."""

    area: str
    slug: str
    ok: bool
    seconds: float
    html: Path | None = None
    error: str = ""
    notebook: Path | None = None


@dataclass
class ReportRun:
    """The outcome of a batch: one result per area, and the index written."""

    period: str
    out_dir: Path
    results: list[ReportResult] = field(default_factory=list)
    index: Path | None = None

    @property
    def failed(self) -> list[ReportResult]:
        return [r for r in self.results if not r.ok]


def resolve_areas(areas: str | list[str] | None, data_dir=None) -> list[str]:
    """``"all"`` (or ``None``) to every area, county first; otherwise names or slugs, comma-separated or a list.

    Examples
    --------
    >>> resolve_areas("ashford, Tunbridge Wells")
    ['Ashford', 'Tunbridge Wells']
    """
    cat = load_catalogue(data_dir)
    if areas is None or (isinstance(areas, str) and areas.strip().casefold() == "all"):
        return list(cat.areas["area"])
    items = [a.strip() for a in areas.split(",")] if isinstance(areas, str) else list(areas)
    items = [a for a in items if a]
    if not items:
        raise ParameterError("parameter '--areas' is empty; expected 'all' or area names separated by commas.")
    return list(dict.fromkeys(cat.area_name(a) for a in items))


def kernel_name() -> str:
    """The Jupyter kernel to run reports with: the project's own ``kccperf`` kernel when registered."""
    from jupyter_client.kernelspec import find_kernel_specs

    return KERNEL_NAME if KERNEL_NAME in find_kernel_specs() else "python3"


def _export_html(notebook: Path, target: Path, title: str) -> None:
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook, as_version=4)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    target.write_text(body, encoding="utf-8")


def _render(template: str, area: str, slug: str, period: str, work: str, kernel: str, timeout: int) -> ReportResult:
    """Execute and export one report in a worker process; never raises."""
    import papermill as pm

    start = time.perf_counter()
    work_dir = Path(work)
    executed = work_dir / f"{slug}.ipynb"
    page = work_dir / f"{slug}.html"
    try:
        pm.execute_notebook(
            str(template),
            str(executed),
            parameters={"area": area, "period": period},
            kernel_name=kernel,
            cwd=str(Path(template).parent),
            progress_bar=False,
            log_output=False,
            execution_timeout=timeout,
        )
        _export_html(executed, page, f"{area}: CYPE performance report")
    except Exception as exc:  # a report's failure is recorded, the batch goes on
        ename = getattr(exc, "ename", type(exc).__name__)
        evalue = getattr(exc, "evalue", str(exc))
        message = (
            evalue if ename in ("ParameterError", "ScorecardFileError", "InputError", "ValidationError") else f"{ename}: {evalue}"
        )
        return ReportResult(
            area,
            slug,
            False,
            time.perf_counter() - start,
            error=str(message).strip().splitlines()[0] if str(message).strip() else ename,
            notebook=executed if executed.exists() else None,
        )
    return ReportResult(area, slug, True, time.perf_counter() - start, html=page, notebook=executed)


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def build_reports(
    period: str = "2024-10",
    areas: str | list[str] | None = "all",
    *,
    out_dir: str | os.PathLike | None = None,
    jobs: int = 1,
    timeout: int = 600,
    progress: Callable[[str], None] | None = None,
    template: str | os.PathLike | None = None,
    data_dir=None,
) -> ReportRun:
    """Execute the area report for each area and write ``<out>/<period>/<slug>.html`` and ``index.html``.

    Parameters
    ----------
    period : str
        Scorecard edition, e.g. ``"2024-10"``.
    areas : str or list of str
        ``"all"`` or area names/slugs (comma-separated string or list).
    out_dir : path, optional
        Output root; defaults to the repository's ``outputs/``.
    jobs : int
        Worker processes executing notebooks in parallel.
    timeout : int
        Seconds any one notebook cell may run.
    progress : callable, optional
        Called with one line of progress text per finished report.
    template : path, optional
        The notebook to execute per area; defaults to ``notebooks/district_report.ipynb``.

    Returns
    -------
    ReportRun
        Results per area; ``failed`` lists reports that did not complete.
    """
    if not isinstance(jobs, int) or jobs < 1:
        raise ParameterError(f"parameter '--jobs' is {jobs!r}; expected a whole number of 1 or more.")
    if not isinstance(timeout, int) or timeout < 1:
        raise ParameterError(f"parameter '--timeout' is {timeout!r}; expected a whole number of seconds, 1 or more.")
    scorecard_dir(period, data_dir)
    names = resolve_areas(areas, data_dir)
    cat = load_catalogue(data_dir)
    # Load (and validate) the edition before writing anything, so bad data stops the run cleanly.
    scorecard = load_scorecard(period, data_dir=data_dir)
    published = load_published(period, data_dir=data_dir)
    info = load_edition_info(period, data_dir=data_dir)

    root = Path(out_dir) if out_dir is not None else project_root() / "outputs"
    dest = root / period
    dest.mkdir(parents=True, exist_ok=True)
    template = Path(template) if template is not None else project_root() / "notebooks" / AREA_TEMPLATE
    if not template.is_file():
        raise ParameterError(f"report template {template} does not exist; expected a notebook file.")
    kernel = kernel_name()
    work = Path(tempfile.mkdtemp(prefix=".work-", dir=dest))
    run = ReportRun(period=period, out_dir=dest)
    tasks = [(str(template), a, cat.area_slug(a), period, str(work), kernel, timeout) for a in names]
    say = progress or (lambda _line: None)
    try:
        if jobs == 1:
            results = (_render(*t) for t in tasks)
            _collect(results, run, dest, len(tasks), say)
        else:
            ctx = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
                futures = [pool.submit(_render, *t) for t in tasks]
                _collect((f.result() for f in as_completed(futures)), run, dest, len(tasks), say)
        order = {a: i for i, a in enumerate(names)}
        run.results.sort(key=lambda r: order[r.area])
        run.index = dest / "index.html"
        _atomic_write(run.index, _index_html(run, scorecard, published, info))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return run


def _collect(results, run: ReportRun, dest: Path, total: int, say) -> None:
    for done, r in enumerate(results, start=1):
        final = dest / f"{r.slug}.html"
        failed_nb = dest / "failed" / f"{r.slug}.ipynb"
        if r.ok:
            os.replace(r.html, final)
            if failed_nb.exists():
                failed_nb.unlink()
            r = ReportResult(r.area, r.slug, True, r.seconds, html=final)
            say(f"[{done}/{total}] {r.area}: written {final} ({r.seconds:.1f} s)")
        else:
            # No stale report may look current: remove last run's page for this area.
            if final.exists():
                final.unlink()
            kept = None
            if r.notebook is not None and r.notebook.exists():
                failed_nb.parent.mkdir(exist_ok=True)
                os.replace(r.notebook, failed_nb)
                kept = failed_nb
            r = ReportResult(r.area, r.slug, False, r.seconds, error=r.error, notebook=kept)
            say(f"[{done}/{total}] {r.area}: FAILED: {r.error}")
        run.results.append(r)


def _index_html(run: ReportRun, scorecard, published, info: dict[str, str]) -> str:
    rows = []
    for r in run.results:
        if r.ok:
            summary = indicator_summary(scorecard[scorecard["area"] == r.area], published[published["area"] == r.area])
            counts = dict(rag_counts(summary).itertuples(index=False))
            status = f'<a href="{html.escape(r.slug)}.html">{html.escape(r.area)} report</a>'
            cells = "".join(f'<td class="num">{counts[k]}</td>' for k in ("RED", "AMBER", "GREEN", "Not rated"))
        else:
            status = f"Failed: {html.escape(r.error)}"
            cells = '<td colspan="4">No report: the run failed, see the message.</td>'
        rows.append(f'<tr><th scope="row">{html.escape(r.area)}</th><td>{status}</td>{cells}</tr>')
    title = f"CYPE performance reports: {info.get('edition_label', run.period)}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body{{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;margin:2rem;max-width:60rem}}
table{{border-collapse:collapse;width:100%}} th,td{{border:1px solid #b1b4b6;padding:0.35rem 0.5rem;text-align:left}}
thead th{{background:#f3f2f1}} td.num{{text-align:right}} a{{color:#1d70b8}}
@media print{{a{{color:#0b0c0c}}}}
</style></head>
<body><main>
<h1>{html.escape(title)}</h1>
<p>One report per area from the {html.escape(info.get("title", "scorecard"))}, published {html.escape(info.get("publication_date", ""))}.
The counts are the RAG ratings the scorecard published for each area's indicators.</p>
<table><caption>Reports and published RAG counts</caption>
<thead><tr><th scope="col">Area</th><th scope="col">Report</th><th scope="col">RED</th><th scope="col">AMBER</th>
<th scope="col">GREEN</th><th scope="col">Not rated</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
</main></body></html>
"""


def print_progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
