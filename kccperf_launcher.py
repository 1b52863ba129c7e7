"""The ``kccperf`` console command's entry point: Ctrl-C or SIGTERM stops it quietly, even while it is importing.

Importing ``kccperf`` loads numpy, pandas and pandera, which takes about a second. A
KeyboardInterrupt raised then would escape ``kccperf.cli.main`` as a traceback, so this module sits outside the
package (importing anything inside it runs ``kccperf/__init__.py`` first) and imports nothing but ``sys`` and
``signal`` before it is ready to catch the interrupt. Only Python's own start-up, some 20 ms before this module
runs, is out of reach.

SIGTERM would otherwise kill the process outright (status -15, no message) whenever no part of the command is
handling it, for instance while a finished batch closes its workers. Here it is handled all the time, the way
Ctrl-C is: the command stops with one line and status 143. Once the command has returned, a signal changes nothing:
its exit status stands.

``kccperf report`` without ``--scheduler`` also starts its worker processes here, before the imports: a worker takes
about 2 s to import the library and warm up, and it does so while this process imports (about 1 s) and loads the
edition, so that a single report is ready that much sooner. The batch adopts them; they are ended here otherwise.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import signal
import sys


class Stopped(KeyboardInterrupt):
    """SIGINT or SIGTERM (``signum``) arrived; ``kccperf.cli`` turns it into status 128 + ``signum``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _Signals:
    """Raise :class:`Stopped` on SIGINT and SIGTERM until the command has returned, then ignore them.

    Each signal is also remembered: the exception can be lost when it is raised inside an extension module's
    start-up code that clears errors (numpy and pandas do, while they import), and the command must still stop.
    """

    def __init__(self) -> None:
        self.finished = False
        self.received = 0

    def install(self) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self.handle)

    def finish(self) -> None:
        """The command has returned: from now on SIGINT and SIGTERM are ignored.

        Ignored at the C level, not by a Python handler: Python puts its own handlers back to the default while it
        shuts down (after the atexit handlers, while it tears modules down), and a SIGTERM then would kill the
        process with status -15 however the command ended.
        """
        self.finished = True
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)

    def handle(self, signum: int, _frame) -> None:
        if not self.finished:
            self.received = self.received or signum
            raise Stopped(signum)

    def check(self) -> None:
        """Raise :class:`Stopped` for a signal whose exception was lost."""
        if self.received:
            raise Stopped(self.received)


class _Later:
    """A function of the batch named by its name: a worker process can be given it (pickled by name) before this
    process has imported the package. ``quiet`` first makes the worker ignore Ctrl-C, which a terminal sends to
    every process of the command while the worker may still be importing: the command's own process handles it."""

    def __init__(self, name: str, *, quiet: bool = False) -> None:
        self.name, self.quiet = name, quiet

    def __call__(self, *args):
        if self.quiet:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        return getattr(importlib.import_module("kccperf.publish.batch"), self.name)(*args)


def _jobs_rules():
    """``kccperf/_jobs.py``, the ``--jobs`` default and cap, run without ``kccperf/__init__.py`` (which imports pandas).

    The package is found, not imported, by the import system; the module imports nothing of the package.
    """
    package = importlib.util.find_spec("kccperf")
    path = os.path.join(package.submodule_search_locations[0], "_jobs.py")
    spec = importlib.util.spec_from_file_location("kccperf_launcher_jobs", path)
    rules = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rules)
    return rules


def _jobs(argv: list[str]) -> int | None:
    """The workers ``kccperf report`` on this machine will start (``--jobs``, capped as the batch caps it), else None."""
    if len(argv) < 2 or argv[1] != "report" or any(a in ("-h", "--help") or a.startswith("--scheduler") for a in argv):
        return None
    rules = _jobs_rules()
    jobs = str(rules.DEFAULT_JOBS)
    for i, a in enumerate(argv):
        if a == "--jobs" and i + 1 < len(argv):
            jobs = argv[i + 1]
        elif a.startswith("--jobs="):
            jobs = a.split("=", 1)[1]
    if not jobs.isdigit() or int(jobs) < 1:
        return None  # the command says what is wrong with it
    return rules.cap_jobs(int(jobs))


def _prestart(argv: list[str]):
    """For ``kccperf report`` without a cluster, start its worker processes now, while this process imports.

    A worker spends about 2 s starting (its own imports and a warm-up report); started here rather than after this
    process's imports (about 1 s), a single report is ready that much sooner. The batch adopts these workers when
    it needs as many (:func:`kccperf.publish.batch.offer_workers`); otherwise it ends them and starts its own.
    """
    jobs = _jobs(argv)
    if jobs is None:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_Later("_worker_init", quiet=True),
        initargs=(os.getpid(),),
    )
    # Each submission finds no idle worker and starts one, up to ``jobs``.
    warm = [pool.submit(_Later("_warm_up")) for _ in range(jobs)]
    return pool, warm, jobs


def _end(prestarted) -> None:
    """End the workers started by :func:`_prestart` unless the batch has (a run that stopped early, or other options)."""
    if prestarted is None:
        return
    pool = prestarted[0]
    for process in list((pool._processes or {}).values()):
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def main() -> int:
    """Run ``kccperf.cli.main``; a signal during its imports or its work ends with one line and status 128 + signum.

    Returns
    -------
    int
        The command's exit status.
    """
    signals = _Signals()
    signals.install()
    started = False
    prestarted = None
    # pandera imports hypothesis (a test tool) at the command's first validation, 0.12 s, for example-data strategies
    # the command never uses: importing it fails, as if it were not installed (the workers do the same).
    sys.modules.setdefault("hypothesis", None)
    try:
        prestarted = _prestart(sys.argv)
        from kccperf.cli import main as run_command

        signals.check()
        started = True
        if prestarted is not None:
            from kccperf.publish.batch import offer_workers

            offer_workers(*prestarted)
        code = run_command()
        if signals.received and code != 128 + signals.received:
            signals.check()  # the command ran on after the signal's exception was lost: its status says so
    except KeyboardInterrupt as stop:
        # The command handles signals while it works; this catches the moments around it, above all the imports.
        when = "" if started else " before it started; nothing was changed"
        print(f"kccperf: interrupted{when}", file=sys.stderr)
        code = 128 + getattr(stop, "signum", signal.SIGINT)
    finally:
        _end(prestarted)
    signals.finish()  # exiting: closing files and threads must not be cut short, nor the status changed
    return code


if __name__ == "__main__":
    sys.exit(main())
