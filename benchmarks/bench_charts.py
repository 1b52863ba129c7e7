"""Render time of the report charts: the trend small multiples and the funnel plots of a few areas, per panel and in all.

Run from the repository: ``python -m benchmarks.bench_charts [--areas Sevenoaks,Dover,Kent] [--repeat 3] [--period 2024-10]``

For each area it builds the district report's inputs once (the assessed edition, suppressed at 5, and the area's
series), then times :func:`kccperf.publish.figures.trend_grid` and :func:`~kccperf.publish.figures.funnel_grid` as
the report calls them: every trend panel written as SVG, every funnel plot drawn and saved as a quantised PNG. Each is called once to warm up (imports,
fonts, caches), then timed ``--repeat`` times in this process; the best wall time is printed, with its CPU time
(steadier on a busy machine), the time per panel and the size of the images. Sevenoaks has the most panels (two
teams) and the longest titles; the county (Kent) has the most trend panels, and its row adds the county view's heat
map (every area's ratings).
"""

from __future__ import annotations

import argparse
import os
import time
from functools import partial

AREAS = ("Sevenoaks", "Dover", "Kent")


def inputs(period: str, areas: list[str]) -> tuple[object, dict[str, tuple[object, object]]]:
    """The assessed edition (suppressed at 5, as the reports print it) and each area's ``(view, series)``."""
    import kccperf

    scorecard = kccperf.load_scorecard(period)
    assessed = kccperf.suppress(kccperf.assess(scorecard, published=kccperf.load_published(period)), 5)
    return assessed, {a: (kccperf.area_view(assessed, a), kccperf.suppress(scorecard, 5, area=a)) for a in areas}


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """The best wall time of ``repeat`` calls after one to warm up, the CPU time of that call, and its result."""
    out, best = fn(), None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        out = fn()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if best is None or wall < best[0]:
            best = (wall, cpu)
    return *best, out


def _image_kb(result) -> float:
    """The size of a chart set's images, in KB (0 for the message shown when there is nothing to chart)."""
    return sum(len(c.image) for c in getattr(result, "charts", [result] if hasattr(result, "image") else [])) / 1024


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--areas", default=",".join(AREAS), help="areas, comma-separated (default Sevenoaks,Dover,Kent)")
    ap.add_argument("--repeat", type=int, default=3, help="timed calls per chart set, after one to warm up (default 3)")
    ap.add_argument("--period", default="2024-10", help="scorecard edition (default 2024-10)")
    args = ap.parse_args(argv)
    from kccperf.publish import figures

    areas = [a.strip() for a in args.areas.split(",") if a.strip()]
    assessed, views = inputs(args.period, areas)
    print(f"{'area':<12} {'chart':<7} {'panels':>6} {'wall s':>7} {'CPU s':>7} {'ms/panel':>8} {'img KB':>7}")
    for area in areas:
        view, series = views[area]
        charts = {
            "trend": partial(figures.trend_grid, series, view, area=area),
            "funnel": partial(figures.funnel_grid, assessed, area=area),
        }
        if area == "Kent":  # the county view's heat map of every area's ratings
            charts["heat"] = partial(figures.rag_heatmap, assessed)
        for name, fn in charts.items():
            wall, cpu, result = timed(fn, args.repeat)
            panels = len(getattr(result, "charts", [result] if hasattr(result, "image") else []))
            per = f"{1000 * wall / panels:>8.1f}" if panels else f"{'-':>8}"
            print(f"{area:<12} {name:<7} {panels:>6} {wall:>7.2f} {cpu:>7.2f} {per} {_image_kb(result):>7.0f}", flush=True)
    print(f"load average over 1 min: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times grow with it)")


if __name__ == "__main__":
    main()
