"""A real `kccperf report` stopped by real signals: no process left, no work folder left, the index consistent."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import zipfile
from pathlib import Path

import psutil
import pytest

from .conftest import STOP_SECONDS, alive, descendants


def wait_for_reports(proc: subprocess.Popen, dest: Path, count: int = 2, limit: float = 180) -> list[psutil.Process]:
    """The parent's descendants once its workers are building ``count`` reports (each report's start marker exists)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if len(list(dest.glob(".work-*/*.started"))) >= count:
            return descendants(proc)
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    raise AssertionError(f"no {count} reports started within {limit} s")


def wait_gone(procs: list[psutil.Process], limit: float = STOP_SECONDS) -> float:
    """Seconds until every process in ``procs`` has ended; fails after ``limit``."""
    start = time.monotonic()
    while alive(procs):
        assert time.monotonic() - start < limit, f"still alive after {limit} s: {alive(procs)}"
        time.sleep(0.1)
    return time.monotonic() - start


def assert_consistent(folder: Path, *, work_allowed: bool = False) -> None:
    """No temporary file; every page and workbook whole; the index, if any, lists only pages that exist."""
    if not folder.exists():
        return
    assert work_allowed or not list(folder.glob(".work-*"))
    assert not list(folder.glob(".*.tmp*"))
    for page in folder.glob("*.html"):
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), page
    for book in folder.glob("*.xlsx"):
        with zipfile.ZipFile(book) as z:
            assert z.testzip() is None, book
    index = folder / "index.html"
    if index.exists():
        for href in re.findall(r'href="([^"/#]+\.(?:html|csv|xlsx))"', index.read_text(encoding="utf-8")):
            assert (folder / href).exists(), href


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_workers(tmp_path, sig, code, start_report):
    proc = start_report(tmp_path)
    kids = wait_for_reports(proc, tmp_path / "2024-10")
    os.kill(proc.pid, sig)
    out, err = proc.communicate(timeout=STOP_SECONDS)
    assert proc.returncode == code
    assert err.strip().splitlines()[-1].startswith("kccperf: interrupted by "), err
    assert "Traceback" not in err
    wait_gone(kids)
    assert_consistent(tmp_path / "2024-10")


def test_ctrl_c_to_the_whole_process_group_is_enough(tmp_path, start_report):
    proc = start_report(tmp_path)
    kids = wait_for_reports(proc, tmp_path / "2024-10")
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends: the workers ignore it, the parent coordinates
    proc.communicate(timeout=STOP_SECONDS)
    assert proc.returncode == 130
    wait_gone(kids)
    assert_consistent(tmp_path / "2024-10")


def test_the_workers_end_when_the_parent_is_killed_and_the_next_run_sweeps(tmp_path, start_report):
    proc = start_report(tmp_path)
    kids = wait_for_reports(proc, tmp_path / "2024-10")
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=STOP_SECONDS)
    wait_gone(kids)
    dest = tmp_path / "2024-10"
    left = {p.name for p in dest.glob(".work-*")}
    assert_consistent(dest, work_allowed=True)
    # The next run takes the lock, then sweeps what the killed one left, before building anything.
    nxt = start_report(tmp_path)
    deadline = time.monotonic() + 120
    while any((dest / name).exists() for name in left):
        assert time.monotonic() < deadline and nxt.poll() is None
        time.sleep(0.1)
    os.kill(nxt.pid, signal.SIGINT)
    nxt.communicate(timeout=STOP_SECONDS)
    assert nxt.returncode == 130
    assert_consistent(dest)
