"""The ``kccperf`` console command's entry point: Ctrl-C stops it quietly, even while it is still importing.

Importing ``kccperf`` loads numpy, pandas and pandera, which takes about a second. A
KeyboardInterrupt raised then would escape ``kccperf.cli.main`` as a traceback, so this module sits outside the
package (importing anything inside it runs ``kccperf/__init__.py`` first) and imports nothing but ``sys`` before
it is ready to catch the interrupt. Only Python's own start-up, some 20 ms before this module runs, is out of reach.
"""

from __future__ import annotations

import sys

# A shell's exit status for a command stopped by SIGINT: 128 + 2.
INTERRUPTED = 130


def main() -> int:
    """Run ``kccperf.cli.main``; a Ctrl-C during its imports or its work ends with one line and status 130.

    Returns
    -------
    int
        The command's exit status.
    """
    started = False
    try:
        from kccperf.cli import main as run_command

        started = True
        return run_command()
    except KeyboardInterrupt:
        # The command handles Ctrl-C while it works; this catches the moments around it, above all the imports.
        when = "" if started else " before it started; nothing was changed"
        print(f"kccperf: interrupted{when}", file=sys.stderr)
        return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
