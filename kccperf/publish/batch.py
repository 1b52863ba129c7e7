"""Running the report notebooks with papermill and exporting them to HTML with nbconvert.

Every report is executed into a private work folder and moved into place only
when its HTML is complete, so a reader never opens a half-written file and a
failed area never leaves last month's report looking current.
"""

from __future__ import annotations

import fcntl
import gc
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .._format import generated_at
from .._jobs import DEFAULT_JOBS, cap_jobs
from .._paths import project_root
from ..errors import KernelSetupError, ParameterError
from ..judge.since import EditionChanges, since_last_edition
from ..schemas import Area
from ..scorecard.catalogue import load_catalogue
from ..scorecard.editions import (
    available_periods,
    latest_period,
    load_edition_info,
    load_scorecard,
    resolve_period,
)
from ..scorecard.metadata import load_indicator_info
from .downloads import Download, budget_download, report_download, write_csv, write_text, write_workbook
from .index import earlier_rows, index_html, result_rows
from .parameters import check_notebook_parameters

if TYPE_CHECKING:
    from .cluster import DaskPool

AREA_TEMPLATE = "district_report.ipynb"
COUNTY_TEMPLATE = "kent_scorecard.ipynb"
BUDGET_TEMPLATE = "budget_risk.ipynb"
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
    setup: bool = False  # the kernel or the worker's shell could not start: the report never ran


@dataclass
class ReportRun:
    """The outcome of a batch: one result per area, and the index written."""

    period: str
    out_dir: Path
    results: list[ReportResult] = field(default_factory=list)
    index: Path | None = None
    kernel: str | None = None  # the Jupyter kernel the reports run on (a cluster), or None (local workers)

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
        return list(cat.areas[Area.area])
    items = [a.strip() for a in areas.split(",")] if isinstance(areas, str) else list(areas)
    items = [a for a in items if a]
    if not items:
        raise ParameterError("parameter '--areas' is empty; expected 'all' or area names separated by commas.")
    return list(dict.fromkeys(cat.area_name(a) for a in items))


def _setup_message(kernel: str, why: str) -> str:
    return f"the Jupyter kernel '{kernel}' could not start ({why}); run `make setup`"


def _worker_message(why: str) -> str:
    return f"the report workers could not start ({why}); run `make setup`"


def check_kernel(kernel: str) -> None:
    """Stop before anything is written when the kernel's interpreter is missing."""
    from jupyter_client.kernelspec import NoSuchKernel, get_kernel_spec

    try:
        exe = get_kernel_spec(kernel).argv[0]
    except (NoSuchKernel, IndexError) as exc:
        raise KernelSetupError(_setup_message(kernel, f"no usable kernelspec: {exc}")) from None
    if shutil.which(exe) is None:
        raise KernelSetupError(_setup_message(kernel, f"its interpreter {exe} is missing"))


def register_kernel(prefix: str | os.PathLike | None = None) -> Path:
    """Register this interpreter as the Jupyter kernel ``kccperf`` ("Python (kccperf)") under ``prefix``.

    ``prefix`` defaults to ``sys.prefix``: the virtual or conda environment kccperf is installed in, so
    JupyterLab and the report batch of that environment find it. Returns the kernelspec folder.
    """
    from ipykernel.kernelspec import install

    where = install(kernel_name=KERNEL_NAME, display_name="Python (kccperf)", prefix=str(prefix or sys.prefix))
    return Path(where)


def kernel_name() -> str:
    """The Jupyter kernel to run reports with: the project's own ``kccperf`` kernel when registered."""
    from jupyter_client.kernelspec import find_kernel_specs

    return KERNEL_NAME if KERNEL_NAME in find_kernel_specs() else "python3"


def _export_html(notebook: Path, target: Path, title: str, generated: str) -> None:
    """Record the page title in the executed notebook's ``title`` metadata, then write its page with the kccperf template."""
    import nbformat

    from .page import report_html  # nbconvert: imported where pages are made, not by every process that runs a batch

    nb = nbformat.read(notebook, as_version=4)
    nb.metadata["title"] = title
    nbformat.write(nb, notebook)
    target.write_text(report_html(nb, generated=generated), encoding="utf-8")


@dataclass(frozen=True)
class ReportTask:
    """One report to build: a notebook template, its parameters, the output slug and the page title."""

    template: str
    parameters: dict
    slug: str
    title: str
    area: str


class KernelSlot:
    """A place for one warm kernel: started on first use, reused report after report, ended on request."""

    def __init__(self) -> None:
        self.km = None

    def get(self, kernel: str, cwd: str):
        """The slot's kernel manager, starting the kernel (in ``cwd``) if none is running."""
        if self.km is None:
            from jupyter_client.manager import KernelManager

            km = KernelManager(kernel_name=kernel)
            # The kernel's own stderr only repeats what reaches the notebook (and a transport warning).
            km.start_kernel(cwd=cwd, stderr=subprocess.DEVNULL)
            self.km = km
        return self.km

    def stop(self) -> None:
        """Shut the kernel down (the next report starts a fresh one)."""
        if self.km is not None:
            self.km.shutdown_kernel(now=True)
            self.km = None

    def kill(self) -> None:
        """End the kernel at once (its own process group, so anything it started ends too); safe in a signal handler."""
        km, self.km = self.km, None
        pid = getattr(getattr(km, "provisioner", None), "pid", None)
        if pid:
            try:
                os.killpg(pid, signal.SIGKILL)  # jupyter_client starts the kernel in a new session: pgid == pid
            except OSError:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        try:
            km.cleanup_connection_file()
        except Exception:  # noqa: S110 - a left connection file in the runtime folder is harmless
            pass


def _worker_init(parent: int) -> None:
    """Prepare a worker: the parent coordinates Ctrl-C; SIGTERM or the parent's death ends the worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda _signum, _frame: os._exit(128 + signal.SIGTERM))
    threading.Thread(target=_watch_parent, args=(parent,), name="kccperf-parent-watch", daemon=True).start()
    for name in UNUSED_IMPORTS:
        sys.modules.setdefault(name, None)  # importing it now fails, as if it were not installed


# Optional modules that libraries import whenever they are installed, for features no report uses:
# - rfc3987_syntax: nbformat imports jsonschema, which imports it and builds its 38 grammars (1.5 s of a worker's
#   start) for IRI format checks. Notebook validation checks no formats.
# - hypothesis (a test tool): pandera imports it at the first validation (0.12 s) for its example-data strategies.
UNUSED_IMPORTS = ("rfc3987_syntax", "hypothesis")


def _watch_parent(parent: int) -> None:
    """Exit when the parent dies, even by ``kill -9``: an orphaned worker would render on for minutes."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


_OFFERED: list[tuple[ProcessPoolExecutor, list[Future], int]] = []


def offer_workers(pool: ProcessPoolExecutor, warm: list[Future], workers: int) -> None:
    """Offer the next local batch the ``workers`` worker processes of ``pool``, already started, with their warm-up futures.

    The console command starts them before its own imports (``kccperf_launcher``); the batch adopts them when it
    needs exactly as many workers, and otherwise ends them. Whoever started them ends them if no batch runs.
    """
    _OFFERED[:] = [(pool, warm, workers)]


def _warm_up() -> None:
    """Make this worker ready for its first report while the batch's own process loads the editions; never raises.

    It imports the library, papermill and nbconvert, starts the worker's shell, runs a one-cell notebook
    through papermill into a page (which compiles the page templates) and draws a small figure (which loads the
    fonts): a first report would otherwise pay all of that. The edition's shared work is not done here: the
    batch's process does it once (:func:`_plan`) and each report reads it from the cache.

    Last, what it loaded (some 330,000 objects: modules, classes, compiled templates) is moved out of the garbage
    collector's sight with :func:`gc.freeze`: they live as long as the worker, and every full collection, one at
    each report's namespace reset among them, would otherwise walk them all (0.2 s a report).
    """
    try:
        _warm()
    except Exception:  # noqa: S110 - warming is an optimisation only
        pass
    gc.collect()
    gc.freeze()


def _warm() -> None:
    """The warm-up's work (:func:`_warm_up`)."""
    import nbformat
    import papermill
    from matplotlib.figure import Figure

    from . import figures, page, scorecard_views  # noqa: F401
    from .inprocess import registered

    with tempfile.TemporaryDirectory(prefix="kccperf-warm-up-") as tmp:
        source, executed = Path(tmp) / "warm-up.ipynb", Path(tmp) / "executed.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), source)
        nb = papermill.execute_notebook(
            str(source), str(executed), engine_name=registered(), kernel_name="python3", progress_bar=False
        )
        page.report_html(nb, generated="warm-up")
    fig = Figure(figsize=(1, 1))
    fig.text(0.5, 0.5, "warm-up")
    figures.png_bytes(fig)


def _drop(_message) -> None:
    """An output hook that keeps a kernel's output out of the command's (the reset prints nothing)."""


def _reset_namespace(km) -> None:
    """Clear the kernel's variables before the next report (a fresh client: papermill closes its own)."""
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        kc.execute_interactive("get_ipython().run_line_magic('reset', '-f')", timeout=60, silent=True, output_hook=_drop)
    finally:
        kc.stop_channels()


def _engine(kernel: str, cwd: str, slot: KernelSlot | None) -> dict:
    """Papermill's engine arguments: this process's shell (a local worker), or the slot's kernel, reset (a Dask worker)."""
    if slot is None:
        from .inprocess import registered

        # The cells run in this worker, in the notebook's folder, as a kernel started there would run them.
        return {"engine_name": registered(), "cwd": cwd}
    km = slot.get(kernel, cwd)
    _reset_namespace(km)
    # No cwd: the kernel runs already (in the notebook's folder), and a chdir would move every thread of a worker.
    return {"kernel_name": kernel, "km": km}


def _render(
    task: ReportTask, work: str, timeout: int, generated: str, slot: KernelSlot | None = None, kernel: str = KERNEL_NAME
) -> ReportResult:
    """Execute and export one report in a worker; never raises.

    In a local worker (no ``slot``) papermill runs the cells in the worker's own IPython shell
    (:mod:`.inprocess`), whose namespace is emptied first: every report starts clean, but not from a cold import
    of pandas and matplotlib. A Dask worker runs tasks in threads, so there each report runs on ``slot``'s warm
    ``kernel`` instead, reset first.
    """
    import papermill as pm

    start = time.perf_counter()
    work_dir = Path(work)
    executed = work_dir / f"{task.slug}.ipynb"
    page = work_dir / f"{task.slug}.html"
    try:
        _started_marker(task, work).touch()
        engine = _engine(kernel, str(Path(task.template).parent), slot)
    except Exception as exc:
        if slot is not None:
            slot.stop()
        why = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return ReportResult(task.area, task.slug, False, time.perf_counter() - start, error=why, setup=True)
    try:
        pm.execute_notebook(
            task.template,
            str(executed),
            parameters=task.parameters,
            request_save_on_cell_execute=False,  # written once at the end (or on error), not twice per cell
            progress_bar=False,
            log_output=False,
            execution_timeout=timeout,
            **engine,
        )
        _export_html(executed, page, task.title, generated)
    except Exception as exc:  # a report's failure is recorded, the batch goes on
        ename = getattr(exc, "ename", type(exc).__name__)
        evalue = getattr(exc, "evalue", str(exc))
        expected = ("ParameterError", "ScorecardFileError", "InputError", "ValidationError", "BudgetFileError", "CellTimeout")
        message = evalue if ename in expected else f"{ename}: {evalue}"
        first = str(message).strip().splitlines()[0] if str(message).strip() else ename
        if slot is not None:
            slot.stop()  # a failed or timed-out notebook may leave the kernel busy: the next report gets a fresh one
        return ReportResult(
            task.area,
            task.slug,
            False,
            time.perf_counter() - start,
            error=first,
            notebook=executed if executed.exists() else None,
        )
    return ReportResult(task.area, task.slug, True, time.perf_counter() - start, html=page, notebook=executed)


def build_reports(
    period: str | None = None,
    areas: str | list[str] | None = "all",
    *,
    out_dir: str | os.PathLike | None = None,
    jobs: int = DEFAULT_JOBS,
    timeout: int = 600,
    suppress_threshold: int = 5,
    progress: Callable[[str], None] | None = None,
    template: str | os.PathLike | None = None,
    data_dir=None,
    keep_notebooks: str | os.PathLike | None = None,
    scheduler: str | None = None,
) -> ReportRun:
    """Execute the report notebooks and write ``<out>/<period>/<slug>.html`` (with ``.csv`` and ``.xlsx``) and ``index.html``.

    Parameters
    ----------
    period : str, optional
        Scorecard edition, e.g. ``"2024-10"``; ``None`` or ``""`` (the default) builds the newest edition on disk.
    areas : str or list of str
        ``"all"`` (every area report, the county scorecard and the budget views) or area names/slugs
        (comma-separated string or list; area reports only).
    out_dir : path, optional
        Output root; defaults to the repository's ``outputs/``.
    jobs : int
        Worker processes executing notebooks in parallel (the local pool; ignored with ``scheduler``).
    timeout : int
        Seconds any one notebook cell may run.
    suppress_threshold : int
        Counts of 1 to this many children are withheld in the reports and downloads (0: none withheld).
    progress : callable, optional
        Called with one line of progress text per finished report.
    template : path, optional
        The notebook to execute per area; defaults to ``notebooks/district_report.ipynb``.
    keep_notebooks : path, optional
        A folder to keep each built report's executed notebook in, as ``<slug>.ipynb`` (its ``title`` metadata
        holds the page title), for example to export it again with ``jupyter nbconvert --template kccperf``.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://HOST:PORT``) whose workers execute the notebooks instead
        of the local pool; its workers need kccperf and the same data (``KCCPERF_DATA``).

    Returns
    -------
    ReportRun
        Results per report; ``failed`` lists reports that did not complete.
    """
    return _build(
        [resolve_period(period, data_dir)],
        areas,
        _Options(jobs, timeout, suppress_threshold, progress, template, data_dir, keep_notebooks, scheduler),
        out_dir,
    )[0]


def build_backfill(
    periods: str | list[str] = "all",
    areas: str | list[str] | None = "all",
    *,
    out_dir: str | os.PathLike | None = None,
    scheduler: str | None = None,
    **options,
) -> list[ReportRun]:
    """Build the reports of several editions, each into ``<out>/<period>/`` with its own index, as one batch.

    Every report of every edition is an independent task for the same workers (the local pool, or the Dask
    cluster at ``scheduler``); everything is checked and every edition loaded before anything is written.

    Parameters
    ----------
    periods : str or list of str
        ``"all"`` (every edition on disk) or editions, comma-separated or a list, e.g. ``"2024-10,2024-11"``.
    areas, out_dir, scheduler
        As for :func:`build_reports`.
    **options
        ``jobs``, ``timeout``, ``suppress_threshold``, ``progress``, ``template``, ``data_dir`` and
        ``keep_notebooks`` as for :func:`build_reports` (kept notebooks go to ``<keep_notebooks>/<period>/``).

    Returns
    -------
    list of ReportRun
        One per edition, oldest first.

    Examples
    --------
    >>> build_backfill("2031-01", "Dover")
    Traceback (most recent call last):
    ...
    kccperf.errors.ParameterError: parameter '--periods' names '2031-01', which is not an edition on disk; ...
    """
    periods = resolve_periods(periods, options.get("data_dir"))
    return _build(periods, areas, _Options(scheduler=scheduler, **options), out_dir)


def resolve_periods(periods: str | list[str], data_dir=None) -> list[str]:
    """``"all"`` to every edition on disk; otherwise the editions named (comma-separated or a list), oldest first.

    Examples
    --------
    >>> resolve_periods("2024-10, 2024-10")
    ['2024-10']
    """
    known = available_periods(data_dir)
    if isinstance(periods, str) and periods.strip().casefold() == "all":
        return known or [latest_period(data_dir)]  # none on disk: latest_period says where it looked
    items = [p.strip() for p in periods.split(",")] if isinstance(periods, str) else [str(p).strip() for p in periods]
    items = [p for p in items if p]
    if not items:
        raise ParameterError(
            "parameter '--periods' is empty; expected 'all' or editions separated by commas, e.g. 2024-10,2024-11."
        )
    for p in items:
        if p not in known:
            raise ParameterError(
                f"parameter '--periods' names '{p}', which is not an edition on disk; expected 'all' or some of: {', '.join(known)}."
            )
    return sorted(set(items))


@dataclass(frozen=True)
class _Options:
    """How a run builds: the keyword parameters of :func:`build_reports` besides the editions, areas and output."""

    jobs: int = DEFAULT_JOBS
    timeout: int = 600
    suppress_threshold: int = 5
    progress: Callable[[str], None] | None = None
    template: str | os.PathLike | None = None
    data_dir: object = None
    keep_notebooks: str | os.PathLike | None = None
    scheduler: str | None = None


def _build(periods: list[str], areas, opt: _Options, out_dir) -> list[ReportRun]:
    """Check everything, lock each edition's folder, then build every edition's reports as one batch."""
    from .suppress import check_threshold

    if not isinstance(opt.jobs, int) or opt.jobs < 1:
        raise ParameterError(f"parameter '--jobs' is {opt.jobs!r}; expected a whole number of 1 or more.")
    if not isinstance(opt.timeout, int) or opt.timeout < 1:
        raise ParameterError(f"parameter '--timeout' is {opt.timeout!r}; expected a whole number of seconds, 1 or more.")
    threshold = check_threshold(opt.suppress_threshold)
    say = opt.progress or (lambda _line: None)
    every = areas is None or (isinstance(areas, str) and areas.strip().casefold() == "all")
    names = resolve_areas(areas, opt.data_dir)
    area_template = Path(opt.template) if opt.template is not None else project_root() / "notebooks" / AREA_TEMPLATE
    if not area_template.is_file():
        raise ParameterError(f"report template {area_template} does not exist; expected a notebook file.")
    root = _output_root(out_dir)
    kernel = None  # local workers run the cells themselves; only a cluster's workers run kernels
    if opt.scheduler:
        kernel = kernel_name()
        check_kernel(kernel)
    keep = Path(opt.keep_notebooks).resolve() if opt.keep_notebooks is not None else None
    runs = [ReportRun(period=p, out_dir=root / p, kernel=kernel) for p in periods]
    plans = [partial(_plan, p, names, every, area_template, threshold, opt.data_dir) for p in periods]
    # No more workers than reports (at least one per area and edition; the county and budget views come with every
    # area): an idle worker would only cost its start-up. Each worker warms up while this process loads.
    reports = (len(names) + every) * len(periods)
    pool = _open_pool(opt.scheduler, opt.jobs, say, reports)  # an unreachable scheduler stops the run here
    settings = _Settings(pool.jobs, kernel, opt.timeout, str(area_template.parent), keep, opt.data_dir, len(periods) > 1)
    try:
        with _locked([run.out_dir for run in runs]), _StopRequest() as stop:
            return _run_batch(runs, plans, settings, say, stop, pool)
    finally:
        pool.shutdown()


@contextmanager
def _locked(dests: list[Path]) -> Iterator[None]:
    """Hold the lock on every edition's folder (taken in order, so two backfills cannot deadlock) and sweep each."""
    locks: list[int] = []
    created: list[Path] = []
    try:
        for dest in dests:
            fresh = not dest.exists()
            locks.append(_lock_folder(dest))
            created += [dest] if fresh else []
        for dest in dests:
            _sweep(dest)
        yield
    except BaseException:
        for dest in created:
            _remove_if_only_lock(dest)  # a run stopped by bad data or a signal before writing leaves no empty folder
        raise
    finally:
        for fd in locks:
            os.close(fd)  # releases the lock; the file stays, so that no second run can lock a different inode


def _open_pool(scheduler: str | None, jobs: int, say, reports: int) -> _LocalPool | DaskPool:
    """The workers: a Dask cluster's when ``scheduler`` is given (dask is imported only then), else local processes."""
    if scheduler is None:
        return _LocalPool(min(_cap_jobs(jobs, say), reports))
    try:
        from .cluster import DaskPool
    except ImportError:
        raise ParameterError(
            "parameter '--scheduler' needs the Dask distributed client, which is not installed; "
            "expected it installed with pip install 'kccperf[cluster]'."
        ) from None
    return DaskPool(scheduler)


def _remove_if_only_lock(dest: Path) -> None:
    """Remove ``dest`` when it holds nothing but this run's lock file (it was created by this run)."""
    if [p.name for p in dest.iterdir()] == [LOCK_NAME]:
        (dest / LOCK_NAME).unlink(missing_ok=True)
        dest.rmdir()


class Interrupted(KeyboardInterrupt):
    """The batch was stopped by SIGINT or SIGTERM (``signum``); finished reports are in place and in the index."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _StopRequest:
    """Note SIGINT and SIGTERM for the parent to act on between results, so no signal lands in the middle of a write."""

    def __init__(self) -> None:
        self.signum = 0
        self.at_once = False  # True while nothing is being written: a signal then stops the run straight away
        self._previous: dict = {}

    def __enter__(self) -> _StopRequest:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._note)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _note(self, signum: int, _frame) -> None:
        self.signum = self.signum or signum  # one signal is enough; more change nothing
        if self.at_once:
            self.at_once = False
            raise Interrupted(signum)

    def check(self) -> None:
        if self.signum:
            raise Interrupted(self.signum)


@dataclass(frozen=True)
class _Settings:
    jobs: int
    kernel: str | None
    timeout: int
    cwd: str
    keep: Path | None
    data_dir: object
    many_editions: bool = False


class _LocalPool:
    """Worker processes on this machine, each running report after report in its own shell (no cluster needed).

    A report that ends its worker process (a crash, or the out-of-memory killer) breaks the whole process pool.
    The pool is then replaced: the reports that had not started run again as before, and each that had started
    runs again alone, so that only a report that ends its worker again fails ("failure isolation", as a kernel
    that died would give).
    """

    def __init__(self, jobs: int) -> None:
        # Even with --jobs 1 the reports run in a worker: its imports overlap this process's loading.
        self.jobs = jobs
        self._warm: list[Future] = []
        offered = _OFFERED.pop() if _OFFERED else None
        if offered is not None and offered[2] == jobs:
            self._pool, self._warm, _ = offered
        else:
            if offered is not None:  # started for another number of workers: end them, start the right number
                _stop_workers(offered[0])
                offered[0].shutdown(wait=True, cancel_futures=True)
            self._pool = self._open()
        self._calls: dict[Future, tuple] = {}

    def _open(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_init,
            initargs=(os.getpid(),),
        )

    def warm_up(self, st: _Settings) -> list[Future]:
        return self._warm or [self._pool.submit(_warm_up) for _ in range(self.jobs)]

    def render(self, task: ReportTask, work: Path, st: _Settings, generated: str) -> Future:
        return self._submit((task, str(work), st.timeout, generated))

    def _submit(self, call: tuple) -> Future:
        future = self._pool.submit(_render, *call)
        self._calls[future] = call
        return future

    def completed(self, futures: list[Future], stop: _StopRequest) -> Iterator[tuple[Future, object]]:
        """Each future with its result as it finishes, checking between them for a stop request."""
        pending, broken = set(futures), []
        while pending:
            stop.check()
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for f in done:
                if isinstance(f.exception(), BrokenProcessPool):
                    broken.append(f)
                else:
                    yield f, f.result()
            if broken and all(f.done() for f in pending):  # a broken pool fails every future it holds at once
                pending, rerun = set(), broken + [f for f in pending if isinstance(f.exception(), BrokenProcessPool)]
                yield from self._recover([f for f in rerun if f in self._calls], stop)

    def _recover(self, broken: list[Future], stop: _StopRequest) -> Iterator[tuple[Future, object]]:
        """Replace the broken pool; run again what had not started, then each report that had started, alone."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._open()
        started = [f for f in broken if _started_marker(*self._calls[f][:2]).exists()]
        again = {self._submit(self._calls[f]): f for f in broken if f not in started}
        for new, r in self.completed(list(again), stop):
            yield again[new], r
        for f in started:
            task = self._calls[f][0]
            alone = self._pool.submit(_render, *self._calls[f])
            while not alone.done():
                stop.check()
                wait([alone], timeout=0.2)
            if isinstance(alone.exception(), BrokenProcessPool):
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._open()
                r = ReportResult(task.area, task.slug, False, 0.0, error="its worker process ended abruptly while building it")
            else:
                r = alone.result()
            yield f, r

    def stop(self) -> None:
        _stop_workers(self._pool)

    def shutdown(self) -> None:
        # Every result is in (or the run is stopping): end the workers at once rather than wait for each to wind
        # down its libraries (0.7 s, paid by every single-report run).
        _stop_workers(self._pool)
        self._pool.shutdown(wait=True, cancel_futures=True)


def _started_marker(task: ReportTask, work: str) -> Path:
    """A file a worker writes as it starts a report: after a crash, the reports that were running have one."""
    return Path(work) / f"{task.slug}.started"


def _run_batch(runs: list[ReportRun], plan_fns: list, st: _Settings, say, stop: _StopRequest, pool) -> list[ReportRun]:
    """Render every planned report of every edition on the pool and write each index; on any stop, end the workers first."""
    works: list[Path] = []
    plans: list[_Plan] = []
    generated = generated_at()
    writer = _DownloadWriter()
    try:
        # The workers import the library while this process loads the editions and does their shared
        # work (assessment, suppression, reconciliation) once, into the cache every report reads.
        # The start takes seconds before the first report is done: each slow step is said as it begins.
        if isinstance(pool, _LocalPool):
            say(f"starting {_many(pool.jobs, 'worker')} …")
        warm = pool.warm_up(st)
        # Load (and validate) every edition before writing anything, so bad data stops the run cleanly;
        # a signal during the load (seconds on a busy machine) stops it at once, as nothing is written yet.
        stop.at_once = True
        for run, fn in zip(runs, plan_fns):
            say(f"preparing the {run.period} edition (load, assess, reconcile) …")
            plans.append(fn())
        stop.at_once = False
        stop.check()
        works.extend(_work_folder(run.out_dir) for run in runs)
        placers = [writer.start(plan.downloads, work) for plan, work in zip(plans, works)]
        if not all(f.done() for f in warm):
            say("waiting for the workers to be ready …")
        for _ in pool.completed(warm, stop):
            pass  # a warm-up failure is only a missed head start; the reports still run
        say(f"building {_many(sum(len(plan.tasks) for plan in plans), 'report')} …")
        queue = [(t, work, run, placer) for run, plan, work, placer in zip(runs, plans, works, placers) for t in plan.tasks]
        owner = {pool.render(t, work, st, generated): (run, placer) for t, work, run, placer in _longest_first(queue)}
        for done, (future, r) in enumerate(pool.completed(list(owner), stop), start=1):
            run, placer = owner[future]
            # A backfill names the edition: the same area appears once per edition.
            step = f"[{done}/{len(owner)}]" + (f" {run.period}" if st.many_editions else "")
            _place(r, run, step, say, placer, _keep_for(st, run))
        for run, plan in zip(runs, plans):
            _write_index(run, plan, generated, st.data_dir)
    except BaseException:
        pool.stop()
        for run, plan in zip(runs, plans):
            if run.results:
                _write_index(run, plan, generated, st.data_dir)  # what finished is in place: list it
        raise
    finally:
        pool.shutdown()
        writer.close()  # before the work folders go: the download being written is finished, the others dropped
        for work in works:
            shutil.rmtree(work, ignore_errors=True)
    stop.check()  # a signal after the last report still says the run was interrupted
    return runs


# The notebooks that take longest, first: a budget view reads the budget and draws matplotlib charts, and the county
# view reads every area. Started last, one of them would keep a worker busy while the others sit idle at the end.
_LONGEST = (BUDGET_TEMPLATE, COUNTY_TEMPLATE)


def _longest_first(queue: list[tuple]) -> list[tuple]:
    """The queue of ``(task, ...)`` with the longest notebooks first, otherwise in the plan's order (progress lines
    follow completion anyway, and the index keeps the plan's order)."""
    rank = {name: i for i, name in enumerate(_LONGEST)}
    return sorted(queue, key=lambda item: rank.get(Path(item[0].template).name, len(rank)))


def _many(n: int, thing: str) -> str:
    """``1 worker``, ``2 workers``."""
    return f"{n} {thing}{'' if n == 1 else 's'}"


def _keep_for(st: _Settings, run: ReportRun) -> Path | None:
    """Where a run keeps its executed notebooks: per edition when a backfill builds several."""
    if st.keep is None:
        return None
    return st.keep / run.period if st.many_editions else st.keep


def _stop_workers(pool: ProcessPoolExecutor, grace: float = 5.0) -> None:
    """SIGTERM every worker, then SIGKILL any still alive after ``grace`` seconds."""
    procs = list((pool._processes or {}).values())
    for p in procs:
        if p.is_alive():
            p.terminate()
    deadline = time.monotonic() + grace
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            p.kill()
            p.join(1)


def _write_index(run: ReportRun, plan: _Plan, generated: str, data_dir) -> None:
    order = {t.slug: i for i, t in enumerate(plan.tasks)}
    run.results.sort(key=lambda r: order[r.slug])
    run.index = run.out_dir / "index.html"
    write_text(run.index, _index(run, plan, generated, data_dir))


def _cap_jobs(jobs: int, say: Callable[[str], None]) -> int:
    """``jobs`` capped by :func:`kccperf._jobs.cap_jobs`, saying so when it is."""
    capped = cap_jobs(jobs)
    if capped < jobs:
        say(f"kccperf: --jobs {jobs} capped at {capped}, the number of CPUs")
    return capped


LOCK_NAME = ".kccperf.lock"


def _lock_folder(dest: Path) -> int:
    """Take the exclusive lock on ``dest`` for this run (released when the returned descriptor is closed, or the process ends).

    A second run into the same folder stops at once with the holder's pid, before writing anything.
    """
    try:
        dest.mkdir(parents=True, exist_ok=True)
        fd = os.open(dest / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise ParameterError(f"parameter '--out': cannot create {dest} ({exc.strerror}); expected a writable folder.") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
        os.close(fd)
        raise ParameterError(
            f"another kccperf report (pid {holder}) is writing to {dest}; wait for it to finish or choose another --out."
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    return fd


def _sweep(dest: Path) -> None:
    """Remove what runs that were killed left behind: work folders and half-written temporary files (the lock is held)."""
    for stale in dest.glob(".work-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in dest.glob(".*.tmp*"):
        if stale.is_file():
            stale.unlink(missing_ok=True)


def _output_root(out_dir: str | os.PathLike | None) -> Path:
    """The output root, checked before anything runs (absolute: workers and kernels have their own working folders)."""
    root = (Path(out_dir) if out_dir is not None else project_root() / "outputs").resolve()
    if not root.parent.is_dir():
        raise ParameterError(
            f"parameter '--out' names {root}, whose parent folder does not exist; expected a folder in an existing place."
        )
    if root.exists() and not root.is_dir():
        raise ParameterError(f"parameter '--out' names {root}, which is a file; expected a folder.")
    if not os.access(root if root.exists() else root.parent, os.W_OK):
        raise ParameterError(f"parameter '--out' names {root}, which cannot be written; expected a writable folder.")
    return root


def _work_folder(dest: Path) -> Path:
    """A private folder inside ``dest`` where reports are built before they are moved into place."""
    try:
        dest.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".work-", dir=dest))
    except OSError as exc:
        raise ParameterError(f"parameter '--out': cannot create {dest} ({exc.strerror}); expected a writable folder.") from None


@dataclass(frozen=True)
class _Plan:
    """What a run builds: the reports, the data each one's downloads hold, and what the index needs."""

    tasks: list[ReportTask]
    downloads: dict[str, Callable[[], Download]]  # each report's downloads, made as they are written
    assessed: pd.DataFrame
    info: dict[str, str]
    changes: EditionChanges | None = None


def _plan(period: str, names: list[str], every: bool, area_template: Path, threshold: int, data_dir) -> _Plan:
    """The reports to build: one per area, and with ``every`` the county view and the budget views."""
    from .prepared import prepare_edition
    from .summary import area_view

    cat = load_catalogue(data_dir)
    nb_dir = project_root() / "notebooks"
    # Once per edition, for every report: the assessed edition, its series and its reconciliation, kept in the
    # cache of derived results that each report reads back (the work no longer grows with areas times reports).
    assessed = prepare_edition(period, threshold, data_dir=data_dir)
    info = load_edition_info(period, data_dir=data_dir)
    label = info.get("edition_label", period)
    tasks = [
        ReportTask(
            str(area_template),
            {"area": a, "period": period, "suppress_threshold": threshold},
            cat.area_slug(a),
            f"{a}: CYPE performance report, {label}",
            a,
        )
        for a in names
    ]
    # The workbooks say in words what each figure covers, as the pages do: from the sources page and the printed figures.
    covers = (load_indicator_info(period, data_dir=data_dir), load_scorecard(period, data_dir=data_dir))
    # What each download holds is worked out here (bad data stops the run before anything is written); laying it out
    # for reading is left to the thread that writes it (:class:`_DownloadWriter`), while the first reports render.
    downloads = {t.slug: partial(report_download, area_view(assessed, t.area), *covers) for t in tasks}
    if every:
        tasks.append(
            ReportTask(
                str(nb_dir / COUNTY_TEMPLATE),
                {"period": period, "suppress_threshold": threshold},
                "kent-scorecard",
                f"Kent CYPE scorecard: county view, {label}",
                "Kent and districts",
            )
        )
        downloads["kent-scorecard"] = partial(report_download, assessed, *covers)
        tasks.extend(_budget_tasks(nb_dir, downloads, data_dir))
    for t in tasks:
        if not Path(t.template).is_file():
            raise ParameterError(
                f"report template {t.template} does not exist; restore the repository's notebooks/ folder (git checkout notebooks)."
            )
        check_notebook_parameters(t.template, t.parameters)
    return _Plan(tasks, downloads, assessed, info, since_last_edition(period, data_dir=data_dir))


def _budget_tasks(nb_dir: Path, downloads: dict, data_dir) -> list[ReportTask]:
    """The budget risk views (CYPE and the whole council) for every budget year on disk.

    Each view's downloads: its risks as CSV, and a workbook of what the page shows (risks, revenue bridge, capital).
    """
    from ..budget import available_budget_years, capital_profile, load_budget, revenue_bridge, risk_scores, risks_for

    tasks = []
    for year in available_budget_years(data_dir):
        tables = load_budget(year, data_dir=data_dir)
        for directorate in ("CYPE", "ALL"):
            slug = f"budget-{year}-{directorate.lower()}"
            who = "CYPE" if directorate == "CYPE" else "the whole council"
            tasks.append(
                ReportTask(
                    str(nb_dir / BUDGET_TEMPLATE),
                    {"directorate": directorate, "year": year},
                    slug,
                    f"Budget risk view {year}: {who}",
                    f"Budget {year}: {who}",
                )
            )
            downloads[slug] = partial(
                budget_download,
                risk_scores(risks_for(tables.risks, directorate)),
                revenue_bridge(tables.figures, directorate),
                capital_profile(tables.figures, tables.projects, directorate=directorate),
                tables.directorates,
            )
    return tasks


def _write_downloads(download: Download, dest: Path, slug: str) -> None:
    """The data a report shows, beside it: CSV for code, a readable XLSX; atomic, uniquely named while written, formula-safe."""
    write_csv(download.csv, dest / f"{slug}.csv")
    write_workbook(download.sheets, dest / f"{slug}.xlsx")


DOWNLOAD_SUFFIXES = (".csv", ".xlsx")


class _DownloadWriter:
    """Writes every report's downloads into its run's work folder on a thread of this process while the workers
    render, so that each is ready when its page is: this process would otherwise write them after each page (a
    single report waited 0.3 s for its workbook). A download is moved beside its page only once the page is."""

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="kccperf-downloads")

    def start(self, downloads: Mapping[str, Callable[[], Download]], work: Path) -> dict[str, Callable[[Path], None]]:
        """Begin making and writing ``downloads`` (in the order of the reports) into ``work``; for each report, what
        moves its files into a folder once they are written (raising as making or writing them did, if it failed)."""
        return {
            slug: partial(_move_downloads, self._thread.submit(_make_downloads, make, work, slug), work, slug)
            for slug, make in downloads.items()
        }

    def close(self) -> None:
        """Finish the download being written; drop those not begun."""
        self._thread.shutdown(wait=True, cancel_futures=True)


def _make_downloads(make: Callable[[], Download], work: Path, slug: str) -> None:
    _write_downloads(make(), work, slug)


def _move_downloads(written: Future, work: Path, slug: str, dest: Path) -> None:
    written.result()
    for suffix in DOWNLOAD_SUFFIXES:
        os.replace(work / f"{slug}{suffix}", dest / f"{slug}{suffix}")


def _place(
    r: ReportResult, run: ReportRun, step: str, say, downloads: Mapping[str, Callable[[Path], None]], keep: Path | None
) -> None:
    """Move one finished report into place (or clear its stale page), record it in ``run`` and say so after ``step``.

    ``downloads`` gives, for each report with downloads, what moves them into a folder (:meth:`_DownloadWriter.start`).
    """
    if r.setup:  # the environment, not the report: keep its published page and stop
        raise KernelSetupError(_setup_message(run.kernel, r.error) if run.kernel else _worker_message(r.error))
    dest = run.out_dir
    final = dest / f"{r.slug}.html"
    failed_nb = dest / "failed" / f"{r.slug}.ipynb"
    if r.ok:
        if r.slug in downloads:
            downloads[r.slug](dest)
        os.replace(r.html, final)
        if failed_nb.exists():
            failed_nb.unlink()
        kept = None
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            kept = Path(shutil.move(r.notebook, keep / f"{r.slug}.ipynb"))
        r = ReportResult(r.area, r.slug, True, r.seconds, html=final, notebook=kept)
        say(f"{step} {r.area}: written {final} ({r.seconds:.1f} s)")
    else:
        # No stale report may look current: remove last run's page and downloads for this report.
        for stale in (final, *(dest / f"{r.slug}{suffix}" for suffix in DOWNLOAD_SUFFIXES)):
            if stale.exists():
                stale.unlink()
        kept = None
        if r.notebook is not None and r.notebook.exists():
            failed_nb.parent.mkdir(exist_ok=True)
            os.replace(r.notebook, failed_nb)
            kept = failed_nb
        r = ReportResult(r.area, r.slug, False, r.seconds, error=r.error, notebook=kept)
        say(f"{step} {r.area}: FAILED: {r.error}")
    run.results.append(r)


def _index(run: ReportRun, plan: _Plan, generated: str, data_dir) -> str:
    """The index page: this run's reports, then the pages earlier runs left that this one did not rebuild."""
    titles = {t.slug: t.title for t in plan.tasks}
    built = {r.slug for r in run.results}
    rows = result_rows(run.results, titles, plan.assessed, plan.changes)
    rows += earlier_rows(run.out_dir, built, load_catalogue(data_dir).areas, plan.assessed)
    return index_html(rows, period=run.period, info=plan.info, generated=generated)


def print_progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
