"""Speed of the report batch against the naive loop, measured in the same run on the same machine.

Run: .venv/bin/python benchmarks/bench_batch.py [--areas N] [--jobs 2]

(a) the naive loop: for each area, the `papermill` command line, then `jupyter nbconvert --to html --no-input`,
    one after the other;
(b) `kccperf report --jobs 2` for the same areas.
Prints both wall times, their ratio, the time per report and the peak memory of each approach's processes.
Targets: (b) at least 4x faster than (a); one district report under 10 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def peak_children_mb() -> float:
    # ru_maxrss of waited-for children is in kilobytes on Linux: the largest single process so far.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--areas", type=int, default=13, help="how many areas (county first), default all 13")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from kccperf import load_catalogue
    from kccperf.publish.batch import kernel_name

    areas = load_catalogue().areas.head(args.areas)
    kernel = kernel_name()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # (a) the naive loop
        start = time.perf_counter()
        for area, slug in zip(areas["area"], areas["slug"]):
            executed = tmp / "naive" / f"{slug}.ipynb"
            executed.parent.mkdir(exist_ok=True)
            run(
                [
                    str(BIN / "papermill"),
                    "-k",
                    kernel,
                    "--cwd",
                    str(ROOT / "notebooks"),
                    str(ROOT / "notebooks" / "district_report.ipynb"),
                    str(executed),
                    "-p",
                    "area",
                    area,
                    "-p",
                    "period",
                    "2024-10",
                ]
            )
            run(
                [
                    str(BIN / "jupyter"),
                    "nbconvert",
                    "--to",
                    "html",
                    "--no-input",
                    str(executed),
                    "--output-dir",
                    str(tmp / "naive"),
                ]
            )
        naive = time.perf_counter() - start
        naive_mb = peak_children_mb()

        # (b) the batch
        start = time.perf_counter()
        run(
            [
                str(BIN / "kccperf"),
                "report",
                "--areas",
                ",".join(areas["slug"]),
                "--jobs",
                str(args.jobs),
                "--out",
                str(tmp / "batch"),
            ]
        )
        batch = time.perf_counter() - start
        batch_mb = peak_children_mb()
        written = len(list((tmp / "batch" / "2024-10").glob("*.html"))) - 1

    n = len(areas)
    print(f"reports: {n} (written by the batch: {written})")
    print(f"(a) naive loop, papermill + nbconvert CLIs one after the other: {naive:7.1f} s  ({naive / n:.1f} s per report)")
    print(f"(b) kccperf report --jobs {args.jobs}:                               {batch:7.1f} s  ({batch / n:.1f} s per report)")
    print(f"speed-up (a) / (b): {naive / batch:.2f}x (target: at least 4x)")
    print(f"peak memory of one process: naive {naive_mb:.0f} MB; including the batch {batch_mb:.0f} MB")


if __name__ == "__main__":
    main()
