"""The report batch on an existing Dask distributed cluster (``kccperf report --scheduler tcp://HOST:PORT``).

Only imported when a scheduler is named: the local pool needs no dask. Each report is one task. A worker
plugin gives every Dask worker its warm kernels (one per task it runs at a time), kept from report to report
for the run and ended when the run unregisters the plugin. Workers write nothing into the output folder: a
task returns the page (and the executed notebook) as bytes, and this process moves them into place exactly
as the local batch does, so atomic writes, failure isolation, the progress lines and the index are the same.
Workers need kccperf installed and the same data (``KCCPERF_DATA``); the notebooks travel with the tasks.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from distributed import Client, Future, WorkerPlugin, get_worker

from ..errors import ParameterError
from .batch import KernelSlot, ReportResult, ReportTask, _render

PLUGIN = "kccperf-warm-kernels"
# Seconds to wait for the scheduler to answer before saying it cannot be reached.
CONNECT_SECONDS = 10


class WarmKernels(WorkerPlugin):
    """A Dask worker's warm kernels and its copy of the report notebooks, kept for the whole run."""

    def __init__(self) -> None:
        self.folder: Path | None = None

    def setup(self, worker) -> None:
        self._lock = threading.Lock()
        self._free: list[KernelSlot] = []
        self._slots: list[KernelSlot] = []
        self.folder = Path(tempfile.mkdtemp(prefix="kccperf-", dir=worker.local_directory))

    def teardown(self, worker) -> None:
        for slot in self._slots:
            slot.kill()  # a kill needs no event loop: teardown runs on the worker's own
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    @contextmanager
    def kernel(self) -> Iterator[KernelSlot]:
        """A kernel slot no other task of this worker is using; a worker running two tasks at once keeps two."""
        with self._lock:
            slot = self._free.pop() if self._free else None
            if slot is None:
                slot = KernelSlot()
                self._slots.append(slot)
        try:
            yield slot
        finally:
            with self._lock:
                self._free.append(slot)

    def notebook(self, name: str, text: str) -> Path:
        """The worker's copy of a report notebook, in a folder named by its content (never rewritten in use)."""
        folder = self.folder / hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        path = folder / name
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".{name}.{uuid.uuid4().hex}.tmp"
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        return path


def render_on_worker(
    task: ReportTask, notebook: str, kernel: str, timeout: int, generated: str
) -> tuple[ReportResult, bytes | None, bytes | None]:
    """Execute and export one report on a Dask worker; returns the result, the page and the executed notebook."""
    plugin = get_worker().plugins[PLUGIN]
    template = plugin.notebook(Path(task.template).name, notebook)
    with plugin.kernel() as slot, tempfile.TemporaryDirectory(prefix="kccperf-report-") as work:
        r = _render(replace(task, template=str(template)), work, timeout, generated, slot=slot, kernel=kernel)
        page = r.html.read_bytes() if r.html is not None and r.html.exists() else None
        executed = r.notebook.read_bytes() if r.notebook is not None and r.notebook.exists() else None
    return replace(r, html=None, notebook=None), page, executed


def connect(address: str) -> Client:
    """A client of the scheduler at ``address``; a ParameterError naming ``--scheduler`` when it does not answer."""
    try:
        return Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        why = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ParameterError(
            f"parameter '--scheduler': no Dask scheduler answers at {address!r} ({why}); "
            "expected the address of a running scheduler, e.g. tcp://10.0.0.5:8786."
        ) from None


class DaskPool:
    """The batch's workers on a Dask cluster: the same calls as the local pool."""

    jobs = 1  # the cluster decides how many reports run at once; the batch warms no kernel ahead

    def __init__(self, address: str) -> None:
        self.client = connect(address)
        # Registering anew replaces a plugin an earlier run left: each run starts its own kernels, as locally.
        self.client.register_plugin(WarmKernels(), name=PLUGIN)
        self._jobs: dict[str, tuple[ReportTask, Path]] = {}
        self._futures: list[Future] = []
        self._closed = False

    def warm_up(self, st) -> list[Future]:
        return []  # each worker warms its kernel on its first report and keeps it

    def render(self, task: ReportTask, work: Path, st, generated: str) -> Future:
        notebook = Path(task.template).read_text(encoding="utf-8")
        key = f"kccperf-{task.slug}-{uuid.uuid4().hex}"
        future = self.client.submit(render_on_worker, task, notebook, st.kernel, st.timeout, generated, key=key, pure=False)
        self._jobs[key] = (task, work)
        self._futures.append(future)
        return future

    def completed(self, futures: list[Future], stop) -> Iterator[tuple[Future, object]]:
        """Each future with its result as it finishes, checking between them for a stop request."""
        pending = list(futures)
        while pending:
            stop.check()
            done = [f for f in pending if f.done()]
            if not done:
                time.sleep(0.2)  # distributed.wait would look for a default client, which this run does not set
                continue
            for f in done:
                pending.remove(f)
                yield f, self._land(f)

    def _land(self, future: Future) -> ReportResult:
        """Write a task's page and notebook into the run's work folder; a lost worker is that report's failure."""
        task, work = self._jobs.pop(future.key)
        if future.status != "finished":
            exc = future.exception()
            return ReportResult(task.area, task.slug, False, 0.0, error=f"the Dask task failed ({type(exc).__name__}: {exc})")
        r, page, executed = future.result()
        html = notebook = None
        if page is not None:
            html = work / f"{task.slug}.html"
            html.write_bytes(page)
        if executed is not None:
            notebook = work / f"{task.slug}.ipynb"
            notebook.write_bytes(executed)
        return replace(r, html=html, notebook=notebook)

    def stop(self) -> None:
        """Cancel what has not finished; a report already running ends on its worker, and nothing of it is written."""
        self.client.cancel([f for f in self._futures if not f.done()])

    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.client.unregister_worker_plugin(PLUGIN)  # the workers end their kernels
        except Exception:  # noqa: S110 - a cluster that went away has no kernels of ours left to end
            pass
        self.client.close()
