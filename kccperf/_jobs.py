"""How many local worker processes ``kccperf report`` runs: the ``--jobs`` default and the one-per-CPU cap.

It imports nothing but :mod:`os`, so that the console command's launcher (``kccperf_launcher``) can read it before
the package, whose ``__init__`` imports pandas: the launcher starts the workers while the package imports.
"""

from __future__ import annotations

import os

DEFAULT_JOBS = 1


def cap_jobs(jobs: int) -> int:
    """At most one worker per CPU: more only compete for the same cores and memory.

    Examples
    --------
    >>> cap_jobs(1), cap_jobs(10_000) == (os.cpu_count() or 1)
    (1, True)
    """
    return min(jobs, os.cpu_count() or 1)
