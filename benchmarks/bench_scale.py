"""How load, assess and one report grow with the number of areas and the length of the history.

Run from the repository: ``python -m benchmarks.bench_scale [--quick] [--grid] [--areas 12,50,150] [--editions 1,12,24]``

Each configuration is a data folder generated in a temporary folder (nothing touches ``data/``):

- **areas**: the October 2024 edition's 12 districts (and Kent), with synthetic districts added up to the count:
  each a copy of a real district's tables under a new name ("Synthetic 013"), with its teams, catalogue row and
  manifest rows, so the reader, the assessment and the reports treat it like any district;
- **editions**: that edition and the months after it, each the previous one shifted on a month by the procedure of
  the test edition (``tests/fixtures/edition_2024_11``), as ``benchmarks/bench_history.py`` does.

For each configuration it prints, for the newest edition, as the batch does them once per edition: *load*
(``load_scorecard`` and ``load_published`` from cold, every table parsed and the Parquet cache written, then warm from
that cache in this process) and *assess* (``assess`` and ``suppress`` of every area, best of two); then *per report*: one district
report (Dover) executed and exported on a warm kernel, as a batch worker does after its first report. By default the
areas vary at one edition (12, 50, 150) and the history at 12 districts (1, 12, 24 editions): a few minutes on two
cores. ``--grid`` runs every combination (much longer); ``--quick`` runs 12 and 50 areas and 1 and 12 editions.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.bench_history import next_period
from tests.fixtures.edition_2024_11.build import DATA, shift_edition

FIRST = "2024-10"
# Districts whose teams are their own (no team shared with a neighbour): the templates for synthetic districts.
SOURCES = ("ashford", "canterbury", "dartford", "dover", "gravesham", "maidstone")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t" if path.suffix == ".tsv" else ","))


def _append(path: Path, rows: list[dict[str, str]]) -> None:
    fields = list(_rows(path)[0])
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, fields, delimiter="\t" if path.suffix == ".tsv" else ",", lineterminator="\n").writerows(rows)


def add_districts(data: Path, total: int) -> None:
    """Add synthetic districts to the data folder's first edition until it has ``total`` districts."""
    areas = _rows(data / "reference" / "areas.csv")
    names = {a["slug"]: a["area"] for a in areas}
    have = sum(a["kind"] == "district" for a in areas)
    folder = data / "raw" / "scorecard" / FIRST
    manifest = _rows(folder / "MANIFEST.tsv")
    new_areas, new_blocks, new_manifest = [], [], []
    for n in range(have + 1, total + 1):
        source = SOURCES[n % len(SOURCES)]
        name, slug = f"Synthetic {n:03d}", f"synthetic-{n:03d}"
        rename = re.compile(rf"\b{re.escape(names[source])}\b")
        for path in folder.glob(f"{source}__*"):
            text = rename.sub(name, path.read_text(encoding="utf-8"))
            (folder / path.name.replace(source, slug, 1)).write_text(text, encoding="utf-8")
        new_areas.append(
            {"area": name, "slug": slug, "kind": "district", "page_heading": f"Directorate Scorecard - {name} District"}
        )
        new_blocks += [{"block": f"{name} {team}", "team_type": team, "areas": slug} for team in ("CSWT", "EHU")]
        for row in (r for r in manifest if r["area"] == source):
            new_manifest.append({**row, "file": row["file"].replace(source, slug, 1), "area": slug})
    if new_areas:
        _append(data / "reference" / "areas.csv", new_areas)
        _append(data / "reference" / "blocks.csv", new_blocks)
        _append(folder / "MANIFEST.tsv", new_manifest)


def make_data(dest: Path, districts: int, editions: int) -> tuple[Path, str]:
    """A data folder with ``districts`` districts and ``editions`` monthly editions from 2024-10; and the newest."""
    shutil.copytree(DATA / "reference", dest / "reference")
    folder = dest / "raw" / "scorecard" / FIRST
    shutil.copytree(DATA / "raw" / "scorecard" / FIRST, folder)
    add_districts(dest, districts)
    period = FIRST
    for _ in range(editions - 1):
        period = next_period(period)
        folder = shift_edition(folder, folder.parent / period)
    return dest, period


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def measure(data: Path, period: str, reports: int) -> dict[str, float]:
    """Load (cold, then warm), assess, and the median time of ``reports`` warm district reports, for ``period``."""
    from kccperf.judge.assess import assess
    from kccperf.publish import batch
    from kccperf.publish.suppress import suppress
    from kccperf.scorecard.editions import load_published, load_scorecard

    # assess finds the catalogue, and the report's kernel its data, through the environment.
    os.environ["KCCPERF_DATA"] = str(data)

    def load():
        return load_scorecard(period, data_dir=data), load_published(period, data_dir=data)

    cold, (scorecard, published) = _timed(load)
    warm, _ = _timed(load)
    # Best of two: the first call in a process also pays one-off costs (the catalogue, first-use imports).
    t_assess = min(_timed(lambda: suppress(assess(scorecard, published=published), 5))[0] for _ in range(2))
    template = str(batch.project_root() / "notebooks" / batch.AREA_TEMPLATE)
    task = batch.ReportTask(template, {"area": "Dover", "period": period, "suppress_threshold": 5}, "dover", "Dover", "Dover")
    times = []
    with tempfile.TemporaryDirectory() as work:
        for _ in range(reports + 1):  # the first report warms this process (imports, the edition's cache)
            r = batch._render(task, work, 600, "bench")
            if not r.ok:
                raise SystemExit(f"the Dover report failed: {r.error}")
            times.append(r.seconds)
    return {"rows": len(scorecard), "cold": cold, "warm": warm, "assess": t_assess, "report": statistics.median(times[1:])}


def configurations(args) -> list[tuple[int, int]]:
    """(districts, editions) pairs: the two series (areas at one edition, history at 12 districts), or the grid."""
    areas, editions = args.areas, args.editions
    if args.grid:
        return [(a, e) for a in areas for e in editions]
    pairs = [(a, editions[0]) for a in areas] + [(areas[0], e) for e in editions[1:]]
    return list(dict.fromkeys(pairs))


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--areas", type=_ints, default=[12, 50, 150], help="district counts (default 12,50,150)")
    ap.add_argument("--editions", type=_ints, default=[1, 12, 24], help="editions of history (default 1,12,24)")
    ap.add_argument("--reports", type=int, default=1, help="warm reports timed per configuration (median; default 1)")
    ap.add_argument("--grid", action="store_true", help="every combination of --areas and --editions")
    ap.add_argument("--quick", action="store_true", help="12 and 50 districts, 1 and 12 editions")
    args = ap.parse_args(argv)
    if args.quick:
        args.areas, args.editions = [12, 50], [1, 12]
    print(f"{'districts':>9} {'editions':>8} {'rows':>8} {'load cold s':>11} {'load warm s':>11} {'assess s':>8} {'report s':>8}")
    for districts, editions in configurations(args):
        with tempfile.TemporaryDirectory() as tmp:
            data, period = make_data(Path(tmp) / "data", districts, editions)
            m = measure(data, period, args.reports)
        print(
            f"{districts:>9} {editions:>8} {m['rows']:>8,} {m['cold']:>11.2f} {m['warm']:>11.3f} {m['assess']:>8.2f} {m['report']:>8.2f}",
            flush=True,
        )
    print(f"load average over 1 min: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times grow with it)")


if __name__ == "__main__":
    main()
