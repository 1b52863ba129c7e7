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
"""

from __future__ import annotations

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
    try:
        from kccperf.cli import main as run_command

        signals.check()
        started = True
        code = run_command()
        if signals.received and code != 128 + signals.received:
            signals.check()  # the command ran on after the signal's exception was lost: its status says so
    except KeyboardInterrupt as stop:
        # The command handles signals while it works; this catches the moments around it, above all the imports.
        when = "" if started else " before it started; nothing was changed"
        print(f"kccperf: interrupted{when}", file=sys.stderr)
        code = 128 + getattr(stop, "signum", signal.SIGINT)
    signals.finish()  # exiting: closing files and threads must not be cut short, nor the status changed
    return code


if __name__ == "__main__":
    sys.exit(main())
