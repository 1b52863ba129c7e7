"""A papermill engine that runs a notebook's cells in this process's IPython shell instead of a kernel.

The report batch's workers use it: a kernel is a second process per worker that imports pandas and matplotlib
again, boots for about a second, and passes every chart through a socket. Papermill still does everything else
(parameters, the ``papermill`` provenance metadata of the notebook and of each cell, the error cell markers, the
single save at the end), so the executed notebook, and the page made from it, are those a kernel gives.

The cells' outputs are recorded the way ipykernel sends them to nbclient: stream text (consecutive writes to one
stream joined), ``display_data`` and ``execute_result`` bundles with images base64-encoded, and ``error`` outputs
with IPython's traceback. Each notebook counts its cells from 1, as in a fresh kernel.

``--timeout`` is enforced with ``SIGALRM``, so the engine runs only in a process's main thread (a pool worker's
tasks run there). A cell that overruns fails with :class:`CellTimeout`, recorded as the cell's error.
"""

from __future__ import annotations

import base64
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import nbformat
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from papermill.engines import Engine, papermill_engines
from traitlets import Type
from traitlets.config import Config

ENGINE_NAME = "kccperf-in-process"
# Names in a new shell's namespace that ``InteractiveShell.reset`` removes.
FRESH_NAMES = ("_", "__", "___", "__doc__", "__loader__", "__package__", "__spec__")


class CellTimeout(BaseException):
    """A cell ran longer than ``--timeout`` (a BaseException, so that a notebook's ``except Exception`` cannot hide it)."""


class _Outputs:
    """The outputs of the cell being run, as nbformat output nodes."""

    def __init__(self) -> None:
        self.items: list = []

    def stream(self, name: str, text: str) -> None:
        last = self.items[-1] if self.items else None
        if last is not None and last.output_type == "stream" and last.name == name:
            last.text += text
        else:
            self.items.append(nbformat.v4.new_output("stream", name=name, text=text))

    def display(self, data: dict, metadata: dict | None, count: int | None = None) -> None:
        kind = "display_data" if count is None else "execute_result"
        extra = {} if count is None else {"execution_count": count}
        self.items.append(nbformat.v4.new_output(kind, data=_encoded(data), metadata=metadata or {}, **extra))


def _encoded(data: dict) -> dict:
    """Display data as a kernel sends it: binary values (PNG) base64-encoded text."""
    return {k: base64.b64encode(v).decode("ascii") if isinstance(v, bytes) else v for k, v in data.items()}


class _Stream:
    """``sys.stdout`` or ``sys.stderr`` while a cell runs: text becomes the cell's stream output."""

    encoding = "utf-8"

    def __init__(self, outputs: _Outputs, name: str) -> None:
        self.outputs, self.name = outputs, name

    def write(self, text: str) -> int:
        if text:
            self.outputs.stream(self.name, text)
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class _Publisher(DisplayPublisher):
    """``display(...)`` in a cell: a ``display_data`` output."""

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs) -> None:
        self.shell.outputs.display(data, metadata)

    def clear_output(self, wait: bool = False) -> None:
        self.shell.outputs.items.clear()


class _Hook(DisplayHook):
    """The value of a cell's last expression: an ``execute_result`` output numbered like the cell."""

    def write_output_prompt(self) -> None:
        pass

    def write_format_data(self, format_dict, md_dict=None) -> None:
        self.shell.outputs.display(format_dict, md_dict, count=self.prompt_count)


class _Shell(InteractiveShell):
    """An IPython shell whose output, displays and tracebacks become the current cell's outputs."""

    displayhook_class = Type(_Hook)
    display_pub_class = Type(_Publisher)

    def __init__(self, **kwargs) -> None:
        self.outputs = _Outputs()
        super().__init__(**kwargs)
        self.fresh = {k: self.user_ns[k] for k in FRESH_NAMES}

    def start_notebook(self) -> None:
        """Begin a notebook as a fresh kernel would: an empty namespace, a new history session, cells counted from 1.

        ``reset`` also drops names a new shell's namespace holds (the module's ``__spec__``, which multiprocessing
        reads from ``__main__`` when it starts a process, and the output variables ``_``): they are put back.
        """
        self.reset(new_session=True)  # also collects garbage: the last report's frames and figures go now
        self.user_ns.update(self.fresh)

    def _showtraceback(self, etype, evalue, stb) -> None:
        self.outputs.items.append(nbformat.v4.new_output("error", ename=etype.__name__, evalue=str(evalue), traceback=list(stb)))


def shell() -> _Shell:
    """This process's shell, created on first use (history kept in memory: nothing is written to the profile)."""
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    return _Shell.instance(config=config)


class InProcessEngine(Engine):
    """Papermill's engine interface over :func:`shell`; registered as ``kccperf-in-process``."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, execution_timeout=None, **kwargs) -> None:
        """Run each code cell in turn, recording its outputs and papermill's cell metadata; stop at the first error."""
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("in-process execution needs the main thread: it stops overlong cells with SIGALRM")
        sh = shell()
        sh.start_notebook()
        for index, cell in enumerate(nb_man.nb.cells):
            try:
                nb_man.cell_start(cell, index)
                if cell.cell_type == "code" and cell.source.strip() and not _run(sh, cell, execution_timeout):
                    nb_man.cell_exception(cell, cell_index=index)
                    break
            finally:
                nb_man.cell_complete(cell, cell_index=index)
        nb_man.nb.metadata["language_info"] = _language_info()


def _run(sh: _Shell, cell, timeout: float | None) -> bool:
    """Run one code cell and store its outputs and execution count; return whether it succeeded."""
    sh.outputs = _Outputs()
    cell.execution_count = sh.execution_count
    with _streams(sh.outputs), _time_limit(timeout):
        result = sh.run_cell(cell.source, store_history=True)
    cell.outputs = sh.outputs.items
    return result.success


@contextmanager
def _streams(outputs: _Outputs) -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Stream(outputs, "stdout"), _Stream(outputs, "stderr")
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`CellTimeout` in the running cell once ``seconds`` have passed (no limit when None or 0)."""
    if not seconds:
        yield
        return
    running = True

    def overrun(_signum, _frame) -> None:
        if running:
            raise CellTimeout(f"the cell ran longer than the {seconds:g} s allowed (--timeout)")

    previous = signal.signal(signal.SIGALRM, overrun)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        running = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _language_info() -> dict:
    """The ``language_info`` a Python kernel reports, which nbclient records in the notebook's metadata."""
    from ipykernel.ipkernel import IPythonKernel

    return dict(IPythonKernel.language_info)


def registered() -> str:
    """Register the engine with papermill (again is harmless); its name, for ``execute_notebook(engine_name=...)``."""
    papermill_engines.register(ENGINE_NAME, InProcessEngine)
    return ENGINE_NAME
