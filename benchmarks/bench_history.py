"""Load time of :func:`kccperf.load_history` over 24 editions: cold (every table parsed) and warm (Parquet cache).

The editions are generated in a temporary folder from the October 2024 tables by the procedure of the test
edition (``tests/fixtures/edition_2024_11``): each month is the one before shifted on a month, so the history
runs from 2024-10 to 2026-09. Run from the repository with ``python -m benchmarks.bench_history [N]`` (N
editions, default 24). Prints the cold load, then the warm load in a fresh process (the cache on disk only)
and again in the same process; the target is under 1 s warm.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.fixtures.edition_2024_11.build import DATA, shift_edition

WARM = (
    "import time, kccperf; t, c = time.perf_counter(), time.process_time(); h = kccperf.load_history(data_dir={!r}); "
    "print(time.perf_counter() - t, time.process_time() - c, len(h))"
)


def next_period(period: str) -> str:
    """The month after ``YYYY-MM``."""
    year, month = map(int, period.split("-"))
    return f"{year + month // 12}-{month % 12 + 1:02d}"


def make_history(dest: Path, editions: int) -> Path:
    """A data folder in ``dest`` with ``editions`` monthly editions from 2024-10, each the previous one shifted on."""
    shutil.copytree(DATA / "reference", dest / "reference")
    folder = dest / "raw" / "scorecard" / "2024-10"
    shutil.copytree(DATA / "raw" / "scorecard" / "2024-10", folder)
    period = "2024-10"
    for _ in range(editions - 1):
        period = next_period(period)
        folder = shift_edition(folder, folder.parent / period)
    return dest


def main(editions: int = 24) -> None:
    import kccperf

    with tempfile.TemporaryDirectory() as tmp:
        data = make_history(Path(tmp) / "data", editions)
        start, cpu = time.perf_counter(), time.process_time()
        rows = len(kccperf.load_history(data_dir=data))
        cold, cold_cpu = time.perf_counter() - start, time.process_time() - cpu
        print(
            f"{editions} editions, {rows} rows: cold load {cold:.2f} s wall, {cold_cpu:.2f} s CPU (every table parsed, cache written)"
        )
        out = subprocess.run([sys.executable, "-c", WARM.format(str(data))], capture_output=True, text=True, check=True)
        warm, warm_cpu = (float(x) for x in out.stdout.split()[:2])
        print(f"warm load in a new process (Parquet cache): {warm:.3f} s wall, {warm_cpu:.3f} s CPU")
        start, cpu = time.perf_counter(), time.process_time()
        kccperf.load_history(data_dir=data)
        print(f"warm load again in this process: {time.perf_counter() - start:.3f} s wall, {time.process_time() - cpu:.3f} s CPU")
        print(f"load average over 1 min: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall time grows with it)")
        print(f"target under 1 s warm (new process, wall): {'met' if warm < 1 else 'NOT met'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 24)
