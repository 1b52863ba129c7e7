"""Shared fixtures: the real October 2024 edition and small synthetic tables in the published layout."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from matplotlib.figure import Figure

import kccperf

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw" / "scorecard" / "2024-10"
# prctl(2): the option that has Linux signal a process when the thread that started it ends.
PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def end_with_this_process() -> Callable[[], None] | None:
    """A ``preexec_fn`` that has the child sent SIGTERM when the test process ends, however it ends (even kill -9).

    A command started in its own session, or left behind by a killed pytest, would otherwise run on to its end.
    The signal follows the thread that starts the child: start it from pytest's main thread. None off Linux.
    """
    if _LIBC is None:
        return None
    parent = os.getpid()

    def request() -> None:
        if _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")
        if os.getppid() != parent:  # the test process ended before the request was in place
            os._exit(128 + signal.SIGTERM)

    return request


def run_benchmark(module: str, *args: str) -> subprocess.CompletedProcess:
    """Run ``python -m benchmarks.<module> ARGS`` from the repository (its smoke tests' smallest runs)."""
    return subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))},
        preexec_fn=end_with_this_process(),
    )


@pytest.fixture
def saved_figures(monkeypatch) -> list[Figure]:
    """The matplotlib figures saved while the test runs (every chart is saved once, as its PNG is made)."""
    saved: list[Figure] = []
    original = Figure.savefig

    def record(self, *args, **kwargs):
        saved.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", record)
    return saved


@pytest.fixture
def saved_panels(monkeypatch) -> list:
    """The SVG panels (:class:`kccperf.publish.svg.Plot`) finished while the test runs, each as its image is made."""
    from kccperf.publish import svg

    saved: list = []
    original = svg.Plot.svg

    def record(self):
        saved.append(self)
        return original(self)

    monkeypatch.setattr(svg.Plot, "svg", record)
    return saved


MONTHLY_HEADER = [
    "Integrated Children's Services Monthly Indicators\t\tPolarity\tData Period\tQPR\tMonthly Trends\t\t\t\t\t\t"
    "Latest Month\t\t\tDOT\tTarget 2024-25\tRAG 2024-25\tKent Outturn 2023-24\tTarget 2023-24\tRAG 2023-24\t"
    "Benchmark Group 2023-24\tEngland 2023-24",
    "\t\t\t\t\t\t\t\t\t\t\tMeasure\tNumerator\tDenominator\t\t\t\t\t\t\t\t",
    "\t\t\t\t\tApr-24\tMay-24\tJun-24\tJul-24\tAug-24\tSep-24\tOct-24\t\t\t\t\t\t\t\t\t\t",
]
RE_REFERRALS = (
    "SCS03\tPercentage re-referrals to Children's Social Work Services within 12 months of a previous referral (R12M)"
    "\tL\tR12M\t\t23.6\t23.4\t23.2\t23.1\t23.4\t23.4\t23.0\t5,499\t23,954\t↑\t25.0\tGREEN\t23.5\t25.0\tGREEN\t19.2\t22.4"
)
CASELOAD = (
    "SCS43\tAverage caseloads in the CSWT Teams\tL\tMS\t\t21.5\t22.1\t21.9\t22.2\t20.0\t20.0\t20.9\t5,560\t266.0\t↓\t18.0"
    "\tAMBER\t21.8\t18.0\tAMBER\tN/A\tN/A"
)


@pytest.fixture(scope="session")
def scorecard():
    return kccperf.load_scorecard("2024-10")


@pytest.fixture(scope="session")
def published():
    return kccperf.load_published("2024-10")


@pytest.fixture(scope="session")
def quality_log():
    return kccperf.load_quality_log("2024-10")


@pytest.fixture(scope="session")
def full_run(tmp_path_factory):
    """The whole batch, as `make report` runs it, into a temporary folder (shared by report and browser tests)."""
    from kccperf.publish.batch import build_reports

    out = tmp_path_factory.mktemp("outputs")
    return build_reports("2024-10", "all", out_dir=out, jobs=2)


@pytest.fixture
def write_table(tmp_path):
    """Write lines of a table to ``<tmp>/2024-10/<name>`` and return the path."""

    def _write(lines: list[str], name: str = "kent__ics_monthly.tsv", *, final_newline: bool = True) -> Path:
        folder = tmp_path / "2024-10"
        folder.mkdir(exist_ok=True)
        path = folder / name
        path.write_text("\n".join(lines) + ("\n" if final_newline else ""), encoding="utf-8")
        return path

    return _write


@pytest.fixture(scope="session")
def history_data(tmp_path_factory) -> Path:
    """A data folder holding the October 2024 edition and the November 2024 test edition (tests/fixtures/edition_2024_11)."""
    from tests.fixtures.edition_2024_11.build import build_history_data

    return build_history_data(tmp_path_factory.mktemp("history") / "data")
