"""The report batch against the naive loop and against its floor, measured in one run on the same machine and pack.

Run: .venv/bin/python benchmarks/bench_batch.py [--jobs 2] [--growth 50] [--period 2024-10]

The pack is what ``kccperf report --areas all`` builds: every area report, the county view and the budget views
(16 reports for October 2024). Each side executes the same notebooks with the same parameters:

(a) the naive loop: for each report the ``papermill`` command line, then
    ``jupyter nbconvert --to html --no-input --template basic``, ``--jobs`` reports at a time (the batch's parallelism);
(b) ``kccperf report --areas all --jobs N``;
(c) the floor: the same notebooks executed one after another in this one process, with no kernel, no papermill and
    no worker (an IPython shell runs the cells; the kccperf exporter writes the pages), what is loaded before the first
    kept out of the garbage collector's sight as a warm worker keeps it, so only the work itself counts;
(d) one report from cold, ``kccperf report --areas dover --jobs 1``, beside ``python -c "import kccperf"``; then the
    same command again: a new process, but with the edition's shared work in the cache (any report after the first);
(e) the peak memory (PSS, falling back to RSS) of the batch's whole process tree, sampled every 0.1 s;
(f) the memory growth of one worker over ``--growth`` reports built one after another.

Every side starts from the same cache (``KCCPERF_CACHE``, a copy made for it): the editions already parsed, none of
the work the reports share (the assessed edition, the series, the reconciliation) done yet, as after a new edition.
Whoever does that work first pays for it inside its own time: the first naive report, the batch's own process, the
floor's first notebook.

The lines starting "speed-up vs the naive loop" and "batch / floor" are printed in a fixed form so that runs can be
compared over time. Targets (issue 13): speed-up at least 5x, batch / floor at most 1.2x, one report from cold under
6 s on a quiet machine, process tree under 1 GB, worker growth under 1 MB per report.
"""

from __future__ import annotations

import argparse
import base64
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def tree_memory_mb(root: psutil.Process) -> float:
    """PSS (or RSS where PSS is not available) of ``root`` and all its descendants, in MB."""
    total = 0
    for p in [root, *root.children(recursive=True)]:
        try:
            info = p.memory_full_info()
            total += getattr(info, "pss", info.rss)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total / 2**20


def fresh_cache(tmp: Path, name: str) -> dict[str, str]:
    """An environment whose cache holds the parsed editions but no shared work (see the module's docstring)."""
    from kccperf._paths import cache_root

    dest = tmp / f"cache-{name}"
    shutil.copytree(cache_root() / "scorecard", dest / "scorecard")
    return {**os.environ, "KCCPERF_CACHE": str(dest)}


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run ``cmd``; return its wall time and the peak memory of its process tree (MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, text=True, env=env)
    peak, ps = 0.0, psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            peak = max(peak, tree_memory_mb(ps))
        except psutil.NoSuchProcess:
            break
        time.sleep(0.1)
    err = proc.stderr.read()
    if proc.wait() != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {err.strip().splitlines()[-1] if err.strip() else proc.returncode}")
    return time.perf_counter() - start, peak


def plan(period: str):
    """The batch's own list of reports (templates and parameters) for ``--areas all``."""
    from kccperf.publish.batch import _plan, resolve_areas

    return _plan(period, resolve_areas("all"), True, ROOT / "notebooks" / "district_report.ipynb", 5, None).tasks


def naive_one(task, kernel: str, folder: Path, env: dict[str, str]) -> None:
    """papermill then nbconvert's basic template, as command lines."""
    executed = folder / f"{task.slug}.ipynb"
    params = [x for k, v in task.parameters.items() for x in ("-p", k, str(v))]
    nb_dir = str(Path(task.template).parent)
    for cmd in (
        [str(BIN / "papermill"), "-k", kernel, "--cwd", nb_dir, task.template, str(executed), *params],
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", "--template", "basic", str(executed)],
    ):
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)


def _json(data: dict) -> dict:
    """Display data as a kernel sends it: binary (PNG) base64-encoded."""
    return {k: base64.b64encode(v).decode("ascii") if isinstance(v, bytes) else v for k, v in data.items()}


def floor(tasks, folder: Path, env: dict[str, str]) -> float:
    """Execute every notebook's cells in one IPython shell in this process and export each page; return seconds."""
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from kccperf.publish.page import report_html

    shell = InteractiveShell.instance()
    os.environ["KCCPERF_CACHE"] = env["KCCPERF_CACHE"]  # read at each call: this process now uses the side's cache
    # As a warm report worker does (batch._warm_up): what is loaded so far is kept out of the collector's sight, so the
    # namespace reset between notebooks does not walk it; a floor that paid for that would flatter the batch.
    gc.collect()
    gc.freeze()
    start = time.perf_counter()
    for task in tasks:
        nb = parameterize_notebook(load_notebook_node(task.template), task.parameters)
        shell.run_line_magic("reset", "-f")
        os.chdir(Path(task.template).parent)
        for cell in (c for c in nb.cells if c.cell_type == "code"):
            with capture_output() as cap:
                result = shell.run_cell(cell.source)
            result.raise_error()
            cell.outputs = [nbformat.v4.new_output("display_data", data=_json(o.data), metadata=o.metadata) for o in cap.outputs]
            if result.result is not None:
                data, meta = shell.display_formatter.format(result.result)
                cell.outputs.append(nbformat.v4.new_output("execute_result", data=_json(data), metadata=meta, execution_count=1))
        nb.metadata["title"] = task.title
        (folder / f"{task.slug}.html").write_text(report_html(nb, generated="floor"), encoding="utf-8")
    return time.perf_counter() - start


def growth(reports: int, period: str) -> tuple[float, float, float]:
    """Build ``reports`` reports (cycling through the areas) on one worker; its tree's memory after the 5th and last."""
    code = f"""
import sys, tempfile, psutil
from kccperf.publish import batch
from kccperf import load_catalogue
sys.path.insert(0, {str(ROOT / "benchmarks")!r})
from bench_batch import tree_memory_mb
areas = list(load_catalogue().areas["area"])
seen = []
with tempfile.TemporaryDirectory() as tmp:
    for i in range({reports}):
        area = areas[i % len(areas)]
        task = batch.ReportTask({str(ROOT / "notebooks" / "district_report.ipynb")!r}, {{"area": area, "period": {period!r}}}, f"r{{i}}", area, area)
        r = batch._render(task, tmp, 600, "growth")
        assert r.ok, r.error
        seen.append(tree_memory_mb(psutil.Process()))
print(seen[4], seen[-1])
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT).stdout.split()
    first, last = float(out[-2]), float(out[-1])
    return first, last, (last - first) / max(1, reports - 5)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--growth", type=int, default=50, help="reports built on one worker to measure its growth")
    ap.add_argument("--period", default="2024-10")
    args = ap.parse_args()
    from kccperf.publish.batch import kernel_name

    tasks, kernel = plan(args.period), kernel_name()
    n = len(tasks)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "naive").mkdir()
        env = fresh_cache(tmp, "naive")
        start = time.perf_counter()
        with ThreadPoolExecutor(args.jobs) as pool:
            list(pool.map(lambda t: naive_one(t, kernel, tmp / "naive", env), tasks))
        naive = time.perf_counter() - start
        batch, batch_mb = timed(
            [str(BIN / "kccperf"), "report", "--areas", "all", "--jobs", str(args.jobs), "--out", str(tmp / "batch")],
            fresh_cache(tmp, "batch"),
        )
        cold_env = fresh_cache(tmp, "cold")
        cold, cold_mb = timed(
            [str(BIN / "kccperf"), "report", "--areas", "dover", "--jobs", "1", "--out", str(tmp / "cold")], cold_env
        )
        # Again, a new process but with the edition's shared work now in the cache, as for any report after the first.
        again, _ = timed(
            [str(BIN / "kccperf"), "report", "--areas", "dover", "--jobs", "1", "--out", str(tmp / "again")], cold_env
        )
        imp, _ = timed([sys.executable, "-c", "import kccperf"], cold_env)
        (tmp / "floor").mkdir()
        least = floor(tasks, tmp / "floor", fresh_cache(tmp, "floor"))
    first, last, per = growth(args.growth, args.period)

    print(f"reports in the pack: {n}; jobs: {args.jobs}")
    print(
        f"(a) naive loop, papermill + nbconvert --template basic, {args.jobs} at a time: {naive:7.1f} s ({naive / n:.2f} s per report)"
    )
    print(f"(b) kccperf report --jobs {args.jobs}: {batch:7.1f} s ({batch / n:.2f} s per report)")
    print(f"(c) floor, the same notebooks in one process with no kernel: {least:7.1f} s ({least / n:.2f} s per report)")
    print(f"speed-up vs the naive loop run {args.jobs} at a time: {naive / batch:.2f}x")
    print(f"batch / floor: {batch / least:.2f}x")
    print(f"one report from cold: {cold:.2f} s; python -c 'import kccperf': {imp:.2f} s")
    print(f"one report from cold, the edition's shared work already cached: {again:.2f} s")
    print(f"peak memory of the batch's process tree: {batch_mb:.0f} MB (one report from cold: {cold_mb:.0f} MB)")
    print(
        f"worker memory over {args.growth} reports: {first:.0f} MB after 5, {last:.0f} MB after {args.growth}: {per:.2f} MB per report"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
