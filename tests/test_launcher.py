"""The ``kccperf`` console command, started as pip installs it, stopped by a real Ctrl-C while it is still importing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from .conftest import ROOT

# Shared libraries the command maps while it imports: numpy's first, pandas's a few tenths of a second later, and
# half a second or more of imports (pandera, the library) still to come.
NUMPY = "_multiarray_umath"
PANDAS = "pandas/_libs"


def console_script(folder: Path) -> Path:
    """The script pip writes for the ``kccperf`` entry point in pyproject.toml (pip's template, run by this Python).

    The installed script may come from another checkout, so the test writes its own from this one's entry point.
    """
    entry = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["kccperf"]
    module, func = entry.split(":")
    script = folder / "kccperf"
    script.write_text(
        f"import re\nimport sys\nfrom {module} import {func}\n"
        "if __name__ == '__main__':\n"
        "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
        f"    sys.exit({func}())\n",
        encoding="utf-8",
    )
    return script


def start(script: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    argv = [sys.executable, str(script), *args]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def wait_until_mapped(proc: subprocess.Popen, library: str, limit: float = 60) -> None:
    """Return once ``proc`` has loaded ``library``: it is past Python's own start-up and inside kccperf's imports."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the command ended before loading {library}: {proc.communicate()}"
        if library in Path(f"/proc/{proc.pid}/maps").read_text():
            return
        time.sleep(0.002)
    raise AssertionError(f"{library} not loaded within {limit} s")


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc to see how far the imports are")
@pytest.mark.parametrize(
    ("library", "then", "sig"),
    [(NUMPY, 0.0, signal.SIGINT), (PANDAS, 0.0, signal.SIGINT), (PANDAS, 0.2, signal.SIGINT), (PANDAS, 0.0, signal.SIGTERM)],
)
def test_a_signal_during_the_imports_gives_one_line_and_its_status(tmp_path, library, then, sig):
    proc = start(console_script(tmp_path), "periods")
    wait_until_mapped(proc, library)
    time.sleep(then)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert err.splitlines() == ["kccperf: interrupted before it started; nothing was changed"], err
    assert (proc.returncode, out) == (128 + sig, "")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signals_stop_the_command_until_it_returns_then_change_nothing(sig):
    assert kccperf_launcher_clean().check() is None
    # A SIGTERM while a finished batch closed its workers used to kill the process (status -15).
    import kccperf_launcher

    signals = kccperf_launcher._Signals()
    with pytest.raises(kccperf_launcher.Stopped) as stopped:
        signals.handle(sig, None)
    assert stopped.value.signum == sig and isinstance(stopped.value, KeyboardInterrupt)
    # Extension modules that clear errors while they import can lose the exception: the signal is remembered.
    with pytest.raises(kccperf_launcher.Stopped):
        signals.check()
    signals.finished = True
    assert signals.handle(sig, None) is None


def kccperf_launcher_clean():
    import kccperf_launcher

    return kccperf_launcher._Signals()


def test_sigterm_while_the_command_works_gives_status_143(monkeypatch, capsys):
    # The command's own handler sees the launcher's exception and keeps the signal's number in the status.
    import kccperf.cli
    import kccperf_launcher

    def stopped(_args):
        raise kccperf_launcher.Stopped(signal.SIGTERM)

    monkeypatch.setattr(kccperf.cli, "_cmd_periods", stopped)
    assert kccperf.cli.main(["periods"]) == 143
    assert capsys.readouterr().err == "kccperf: interrupted\n"


def test_the_command_runs_and_keeps_its_exit_status(tmp_path):
    script = console_script(tmp_path)
    done = start(script, "periods")
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0 and "2024-10" in out, err
    refused = start(script, "report", "--areas", "Narnia")
    _, err = refused.communicate(timeout=120)
    assert refused.returncode == 2 and "area 'Narnia' is not known" in err


# Run as the console script runs it: the launcher's main, then Python's shutdown, during which an object's finaliser
# sends the signal (the soak test saw this as status -15 after a batch had finished and returned 0).
LATE_SIGNAL = """
import os, signal, sys, time
import kccperf_launcher

class SignalDuringShutdown:
    def __del__(self):
        os.kill(os.getpid(), signal.{sig})
        time.sleep(0.2)
        print("shutdown finished", file=sys.stderr)

late = SignalDuringShutdown()
sys.argv = ["kccperf", "periods"]
sys.exit(kccperf_launcher.main())
"""


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_a_signal_during_python_shutdown_changes_nothing(tmp_path, sig):
    script = tmp_path / "late.py"
    script.write_text(LATE_SIGNAL.format(sig=sig), encoding="utf-8")
    done = start(script)
    out, err = done.communicate(timeout=120)
    assert (done.returncode, err) == (0, "shutdown finished\n")
    assert "2024-10" in out


@pytest.mark.parametrize(
    ("argv", "jobs"),
    [
        (["kccperf", "report"], 1),
        (["kccperf", "report", "--areas", "dover", "--jobs", "2"], min(2, os.cpu_count() or 1)),
        (["kccperf", "report", "--jobs=2"], min(2, os.cpu_count() or 1)),
        (["kccperf", "report", "--jobs", "999"], os.cpu_count() or 1),
        (["kccperf", "report", "--scheduler", "tcp://host:8786"], None),  # a cluster's workers, not local ones
        (["kccperf", "report", "--scheduler=tcp://host:8786"], None),
        (["kccperf", "report", "--help"], None),
        (["kccperf", "report", "--jobs", "0"], None),  # the command says what is wrong
        (["kccperf", "report", "--jobs", "two"], None),
        (["kccperf", "qa"], None),
        (["kccperf"], None),
    ],
)
def test_workers_are_started_before_the_imports_only_for_a_local_report(argv, jobs):
    import kccperf_launcher

    assert kccperf_launcher._jobs(argv) == jobs


def test_the_launcher_reads_the_jobs_default_and_cap_without_importing_pandas():
    # The launcher starts the workers before the package imports: reading --jobs must not import it.
    code = (
        "import sys, kccperf_launcher\n"
        "jobs = kccperf_launcher._jobs(['kccperf', 'report'])\n"
        "print(jobs, 'pandas' in sys.modules, 'kccperf' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert (done.returncode, done.stdout) == (0, "1 False False\n"), done.stderr


def test_the_launcher_starts_as_many_workers_as_the_batch_wants(monkeypatch):
    """The default and the cap are the shared ones of kccperf._jobs, as the command and the batch use them."""
    import kccperf_launcher
    from kccperf import _jobs, cli
    from kccperf.publish import batch

    assert kccperf_launcher._jobs_rules().__file__ == _jobs.__file__
    assert kccperf_launcher._jobs(["kccperf", "report"]) == _jobs.DEFAULT_JOBS == cli.build_parser().parse_args(["report"]).jobs
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    said: list[str] = []
    assert kccperf_launcher._jobs(["kccperf", "report", "--jobs", "7"]) == 3 == batch._cap_jobs(7, said.append)
    assert said == ["kccperf: --jobs 7 capped at 3, the number of CPUs"]


def _offered(jobs: int):
    import kccperf_launcher

    return kccperf_launcher._prestart(["kccperf", "report", "--jobs", str(jobs)])


def test_the_batch_adopts_the_workers_started_for_it():
    from kccperf.publish import batch

    pool, warm, workers = _offered(1)
    batch.offer_workers(pool, warm, workers)
    local = batch._LocalPool(1)
    try:
        assert local._pool is pool and local.warm_up(None) == warm
        assert all(f.result(timeout=120) is None for f in warm)  # the warm-up ran in the worker
    finally:
        local.shutdown()
    assert not batch._OFFERED


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two CPUs to start two workers")
def test_workers_started_for_another_number_are_ended_and_the_right_number_started():
    import psutil

    from kccperf.publish import batch

    pool, warm, workers = _offered(2)
    started = [psutil.Process(p.pid) for p in pool._processes.values()]
    batch.offer_workers(pool, warm, workers)
    local = batch._LocalPool(1)  # a single report needs one
    try:
        assert local._pool is not pool and local.jobs == 1
        gone, alive = psutil.wait_procs(started, timeout=15)
        assert started and not alive
    finally:
        local.shutdown()


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc to see how far the imports are")
def test_ctrl_c_while_a_report_is_starting_ends_its_early_workers_quietly(tmp_path):
    """The workers start while the command imports; Ctrl-C from a terminal reaches them too, then."""
    import psutil

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    argv = [sys.executable, str(console_script(tmp_path)), "report", "--areas", "dover", "--out", str(tmp_path)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    wait_until_mapped(proc, PANDAS)
    workers = psutil.Process(proc.pid).children()
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends: to every process of the command
    out, err = proc.communicate(timeout=60)
    assert err.splitlines() == ["kccperf: interrupted before it started; nothing was changed"], err
    assert (proc.returncode, out) == (130, "")
    gone, alive = psutil.wait_procs(workers, timeout=15)
    assert workers and not alive
    assert not (tmp_path / "2024-10").exists()
