"""Read time of :func:`kccperf.read_scorecard` against file size: tables of 1, 4 and 16 MB in the published layout.

Each table keeps the header rows of ``data/raw/scorecard/2024-10/kent__ics_monthly.tsv`` and repeats its
indicator rows until the file reaches the size. Run with ``python benchmarks/bench_reader.py [MB ...]``.
The last line gives the time per MB of the largest table over that of the smallest: near 1 when reading
is linear in file size.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from kccperf.scorecard.reader import read_scorecard

SOURCE = Path(__file__).resolve().parent.parent / "data" / "raw" / "scorecard" / "2024-10" / "kent__ics_monthly.tsv"
HEADER_ROWS = 3
MB = 1024 * 1024


def make_table(folder: Path, megabytes: float) -> Path:
    """Write ``kent__ics_monthly.tsv`` of about ``megabytes`` MB into ``folder``/2024-10 and return its path."""
    lines = SOURCE.read_text(encoding="utf-8").splitlines(keepends=True)
    header, rows = "".join(lines[:HEADER_ROWS]), "".join(lines[HEADER_ROWS:])
    repeats = max(1, round((megabytes * MB - len(header.encode())) / len(rows.encode())))
    path = folder / "2024-10" / SOURCE.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + rows * repeats, encoding="utf-8")
    return path


def time_read(path: Path) -> tuple[float, float]:
    """Wall-clock and process CPU seconds to read ``path`` once (CPU time is steadier on a busy machine)."""
    start, cpu = time.perf_counter(), time.process_time()
    read_scorecard(path, max_bytes=None)
    return time.perf_counter() - start, time.process_time() - cpu


def main(sizes: list[float]) -> None:
    per_mb = {}
    with tempfile.TemporaryDirectory() as tmp:
        read_scorecard(SOURCE)  # load the catalogue and imports before timing
        for size in sizes:
            path = make_table(Path(tmp) / f"{size:g}", size)
            actual = path.stat().st_size / MB
            seconds, cpu = time_read(path)
            per_mb[size] = (seconds / actual, cpu / actual)
            print(
                f"read {actual:.0f} MB: {seconds:.2f} s wall, {cpu:.2f} s CPU ({per_mb[size][0]:.3f} s wall, "
                f"{per_mb[size][1]:.3f} s CPU per MB)",
                flush=True,
            )
    small, large = min(sizes), max(sizes)
    wall, cpu = (per_mb[large][k] / per_mb[small][k] for k in (0, 1))
    print(f"time per MB at {large:g} MB / at {small:g} MB: {wall:.2f} wall, {cpu:.2f} CPU (near 1 when linear)")


if __name__ == "__main__":
    main([float(a) for a in sys.argv[1:]] or [1.0, 4.0, 16.0])
