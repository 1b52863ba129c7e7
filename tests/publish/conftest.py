"""Real ``kccperf report`` runs for the batch tests, which never outlive their test, nor pytest itself."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
import psutil
import pytest

from ..conftest import ROOT, end_with_this_process

KCCPERF = Path(sys.executable).with_name("kccperf")
# The batch promises to stop its workers within 10 s of a signal; a loaded machine gets 5 s more.
STOP_SECONDS = 15


def descendants(proc: subprocess.Popen) -> list[psutil.Process]:
    try:
        return psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def alive(procs: list[psutil.Process]) -> list[psutil.Process]:
    """Processes still running (a zombie has ended; only its parent has not collected it yet)."""
    left = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                left.append(p)
        except psutil.NoSuchProcess:
            pass
    return left


def stop(proc: subprocess.Popen) -> None:
    """End a run that is still going: SIGTERM, which stops its workers; then SIGKILL whatever is left."""
    if proc.poll() is not None:
        return
    # Note them now, while they are still the batch's descendants.
    kids = descendants(proc)
    proc.terminate()
    try:
        proc.communicate(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
    for p in alive(kids):
        p.kill()


@pytest.fixture
def start_report() -> Iterator[Callable[[Path], subprocess.Popen]]:
    """``start_report(out)``: ``kccperf report`` for two areas on two workers, in its own session as a terminal runs it.

    A run still going when its test ends (a failed assertion) is stopped; one still going when pytest itself is
    killed gets SIGTERM from Linux (:func:`end_with_this_process`), so no batch renders on for minutes unwatched.
    """
    started: list[subprocess.Popen] = []

    def start(out: Path) -> subprocess.Popen:
        argv = [str(KCCPERF), "report", "--areas", "dover,thanet", "--jobs", "2", "--out", str(out)]
        proc = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            preexec_fn=end_with_this_process(),
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        stop(proc)


def _plant(folder: Path, name: str, dover_only: str) -> Path:
    """The district notebook with ``dover_only`` run for Dover's report alone (a cell inserted after the imports)."""
    nb = nbformat.read(ROOT / "notebooks" / "district_report.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell('if area == "Dover":\n    ' + dover_only))
    path = folder / name
    nbformat.write(nb, path)
    return path


@pytest.fixture
def failing_template(tmp_path) -> Path:
    """The district notebook with a planted failure for Dover only."""
    return _plant(tmp_path, "failing.ipynb", 'raise RuntimeError("planted failure")')


@pytest.fixture
def free_port() -> int:
    """A local TCP port nothing listens on (it was free a moment ago)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def crashing_template(tmp_path) -> Path:
    """The district notebook whose Dover report ends the process running it, as a crash or the OOM killer would."""
    return _plant(tmp_path, "crashing.ipynb", "import os; os._exit(9)")


@pytest.fixture(scope="module")
def browser():
    """A headless chromium for the page tests (shared by the test modules that open pages)."""
    from playwright.sync_api import sync_playwright

    from ._browser import ARGS, require_chromium

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=require_chromium(), args=ARGS)
        yield b
        b.close()
