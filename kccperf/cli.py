"""The ``kccperf`` command: build reports, validate a table, list editions, export the quality log."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from ._jobs import DEFAULT_JOBS
from .errors import KccperfError, ParameterError
from .schemas import BudgetCheck, Scorecard

# Every --period defaults to the newest edition on disk, resolved by the library.
LATEST_HELP = "scorecard edition, e.g. 2024-10 (default: the newest on disk)"


def _cmd_report(args) -> int:
    from .publish.batch import Interrupted, build_backfill, build_reports, print_progress

    if args.periods is not None and args.period is not None:
        raise ParameterError(
            "parameter '--periods' cannot be given with '--period'; expected one edition with --period or a list with --periods."
        )
    options = {"out_dir": args.out, "jobs": args.jobs, "timeout": args.timeout, "progress": print_progress}
    try:
        if args.periods is not None:
            runs = build_backfill(args.periods, args.areas, scheduler=args.scheduler, **options)
        else:
            runs = [build_reports(args.period, args.areas, scheduler=args.scheduler, **options)]
    except Interrupted as stop:
        print(
            f"kccperf: interrupted by {stop}; reports that finished are in place and listed in the index, the others were not built",
            file=sys.stderr,
        )
        return 128 + stop.signum
    for run in runs:
        _report_summary(run, len(runs) > 1)
    return 1 if any(run.failed for run in runs) else 0


def _report_summary(run, name_edition: bool) -> None:
    """One line per edition on stdout; one line per failed report on stderr."""
    ok = len(run.results) - len(run.failed)
    print(f"{ok} of {len(run.results)} reports written to {run.out_dir}; index: {run.index}")
    for r in run.failed:
        print(
            f"kccperf: report for {r.area}{f' ({run.period})' if name_edition else ''} failed: {r.error}"
            + (f" (executed notebook kept at {r.notebook})" if r.notebook else ""),
            file=sys.stderr,
        )


def _cmd_validate(args) -> int:
    if Path(args.path).is_dir():
        return _validate_folder(args)
    if not Path(args.path).exists():
        raise ParameterError(
            f"{args.path}: no such file or folder; expected an edition folder such as data/raw/scorecard/2024-10 "
            "or one of its table files (.tsv, .csv or .xlsx)."
        )
    from .scorecard.editions import read_scorecard

    table = read_scorecard(args.path, area=args.area, edition=args.edition)
    periods = table.values[Scorecard.period_label].drop_duplicates().tolist()
    print(
        f"{args.path}: {table.kind} table '{table.title}', {len(table.published)} indicator rows, "
        f"periods {periods[0]} to {periods[-1]}, {len(table.anomalies)} anomalies."
    )
    for r in table.anomalies.itertuples(index=False):
        where = f"row {r.row}" if r.row == r.row and r.row is not None else "table"
        print(f"  {where}, column {r.column or '-'}: [{r.category}] {r.message}")
    return 1 if args.strict and len(table.anomalies) else 0


def _previous_edition(folder: Path, against: str | None) -> str | None:
    """The edition whose quality log counts as accepted: ``--against``, else the newest edition before the folder's."""
    from .scorecard.editions import available_periods

    if against:
        return against
    earlier = [p for p in available_periods() if p < folder.name and p != folder.name]
    return earlier[-1] if earlier else None


def _validate_folder(args) -> int:
    import time

    import pandas as pd

    from .scorecard.editions import available_periods, load_quality_log
    from .scorecard.importer import check_edition, edition_revisions, new_anomalies

    start = time.perf_counter()
    folder = Path(args.path)
    check = check_edition(folder)
    previous = _previous_edition(folder, args.against)
    accepted = load_quality_log(previous) if previous else check.anomalies.iloc[:0]
    # Figures printed differently from the editions up to the one compared with: logged as revisions.
    revised = edition_revisions(check, [p for p in available_periods() if previous and p <= previous])
    log = pd.concat([check.anomalies, revised.astype(check.anomalies.dtypes.to_dict())], ignore_index=True)
    new = new_anomalies(log, accepted)
    shown = new if args.strict else log
    for r in shown.itertuples(index=False):
        where = f"row {r.row}" if r.row == r.row and r.row is not None else "table"
        print(f"{r.source_file} {where}, column {r.column or '-'}: [{r.category}] {r.message}")
    against = f"against {previous}" if previous else "no earlier edition to compare with"
    print(
        f"{folder}: {check.files} files, {check.rows} rows, {len(log)} anomalies, "
        f"{len(new)} new ({against}); {time.perf_counter() - start:.1f} s"
    )
    if args.strict and len(new):
        from .schemas import Anomaly

        kinds = ", ".join(f"{n} {kind}" for kind, n in new[Anomaly.category].value_counts().items())
        print(
            f"strict check failed: {len(new)} {'anomaly is' if len(new) == 1 else 'anomalies are'} new ({kinds}), listed above. Look at each: correct a mistake in "
            "the catalogue or the import, never in the printed figures; once this edition is on disk, what it prints "
            "is accepted when the next edition is checked against it."
        )
    return 1 if args.strict and len(new) else 0


def _cmd_import(args) -> int:
    from .scorecard.importer import import_pack

    check = import_pack(
        args.pack, args.period, replace=args.replace, printing=args.printing, source_document=args.source_document
    )
    for note in check.notes:
        print(f"note: {note}", file=sys.stderr)
    print(
        f"edition {args.period} written to {check.folder}: {check.files} files, {check.rows} rows, {len(check.anomalies)} anomalies"
    )
    return 0


def _cmd_periods(args) -> int:
    from .scorecard.editions import available_periods

    for p in available_periods():
        print(p)
    return 0


def _cmd_kernel(args) -> int:
    from .publish.batch import register_kernel

    where = register_kernel(args.prefix)
    print(f"registered the Jupyter kernel 'Python (kccperf)' for {sys.executable} in {where}")
    return 0


def _cmd_revisions(args) -> int:
    from .scorecard.editions import load_revisions

    revised = load_revisions(args.period, area=args.area)
    if args.out:
        print(f"{len(revised)} revisions written to {_write_table(revised, args.out)}")
        return 0
    for r in revised.itertuples(index=False):
        where = " / ".join(x for x in (r.area, r.block, r.indicator) if x)
        old, new = ("N/A" if v != v else f"{v:g}" for v in (r.old, r.new))
        print(
            f"{where}, {r.period_label}: {old} in {r.old_edition}, {new} in {r.new_edition} ({r.source_file} row {r.source_row})"
        )
    scope = f"edition {args.period}" if args.period else "every edition on disk"
    print(f"{len(revised)} revision{'' if len(revised) == 1 else 's'} ({scope})")
    return 0


def _cmd_since(args) -> int:
    from .judge.since import since_last_edition
    from .scorecard.catalogue import load_catalogue

    found = since_last_edition(args.period)
    if args.area:
        found = found.for_area(load_catalogue().area_name(args.area))  # a misspelt area is named
    if args.out:
        print(f"{len(found.changes)} changes written to {_write_table(found.changes, args.out)}")
        return 0
    if found.previous is None:
        print(f"{found.period} is the first edition on disk: there is no earlier edition to compare it with")
        return 0
    for r in found.changes.itertuples(index=False):
        where = " / ".join(x for x in (r.area, r.block) if x)
        print(f"{where}, {r.title}: {r.description}")
    n = len(found.changes)
    print(
        f"{n} change{'' if n == 1 else 's'} in {found.period} since {found.previous}" + (f" for {args.area}" if args.area else "")
    )
    return 0


def _cmd_quality(args) -> int:
    from .scorecard.editions import load_quality_log

    log = load_quality_log(args.period, area=args.area)
    if args.out:
        print(f"{len(log)} anomalies written to {_write_table(log, args.out)}")
    else:
        for r in log.itertuples(index=False):
            print(f"{r.source_file} row {r.row}, column {r.column or '-'}: [{r.category}] {r.message}")
        print(f"{len(log)} anomalies")
    return 0


def _write_table(frame, out: str) -> Path:
    """Write ``frame`` to ``out`` atomically and safe to open in a spreadsheet: Excel for ``.xlsx``, CSV otherwise."""
    path = Path(out)
    if path.is_dir():
        raise ParameterError(f"parameter '--out' names the folder {path}; expected a file name such as {path / 'findings.csv'}.")
    if not path.parent.is_dir():
        raise ParameterError(
            f"parameter '--out' names {path}, whose folder does not exist; expected a path in an existing folder."
        )
    from .publish.downloads import write_table

    try:
        write_table(frame, path)
    except OSError as exc:
        raise ParameterError(f"parameter '--out': cannot write {path} ({exc.strerror}); expected a writable file path.") from None
    return path


def _cmd_qa(args) -> int:
    from .judge.reconcile import FLAGS, reconcile

    rec = reconcile(args.period)
    summary = rec.summary()
    for r in summary.itertuples(index=False):
        if r.category in FLAGS:
            print(f"{r.category}: {r.disagree} flag(s) for checking, {r.agree} check(s) raise no flag ({r.meaning})")
        else:
            print(f"{r.category}: {r.disagree} disagreement(s), {r.agree} check(s) agree ({r.meaning})")
    if args.out:
        print(f"{len(rec.findings)} findings written to {_write_table(rec.findings, args.out)}")
    else:
        for r in rec.findings.itertuples(index=False):
            where = " / ".join(x for x in (r.area, r.block, r.indicator) if x)
            print(f"[{r.category}] {where}: published {r.published}; computed {r.computed}. {r.explanation}")
    return 0


def _cmd_floors(args) -> int:
    from ._paths import data_root
    from .judge.floors import with_inferred_floors
    from .judge.reconcile import floor_inference
    from .scorecard.catalogue import load_catalogue

    floors, unexplained = floor_inference(args.period)
    for r in floors.itertuples(index=False):
        print(
            f"{r.indicator} {r.year} ({r.polarity}): floor {r.floor:g} [{r.floor_source}], interval "
            f"{r.floor_low:g} to {r.floor_high:g}, {r.n_explained} of {r.n_rags} RAGs explained"
        )
    for r in unexplained.itertuples(index=False):
        print(
            f"unexplained: {r.area} / {r.block or '-'} / {r.indicator}: {r.rag} at {r.value:g} (target {r.target:g}): {r.reason}"
        )
    if args.write:
        path = data_root() / "reference" / "targets.csv"
        updated = with_inferred_floors(load_catalogue().targets, floors, args.period)
        from .publish.downloads import atomic_write

        atomic_write(path, lambda tmp: updated.to_csv(tmp, index=False, float_format="%g"))
        print(f"inferred floors written to {path}")
    return 0


def _cmd_budget_qa(args) -> int:
    from .budget import load_budget, mismatches, reconcile

    budget = load_budget(args.year)
    checks = reconcile(budget.figures, budget.claims, relations=budget.relations)
    bad = mismatches(checks)
    if args.out:
        print(f"{len(checks)} checks written to {_write_table(checks, args.out)}")
    for r in bad.itertuples(index=False):
        num = [f"{v:,.4f}".rstrip("0").rstrip(".") for v in (r.stated, r.computed, r.difference)]
        print(
            f"{r.table} row {r.row} ({r.label}), column {r.column}: stated {num[0]}, computed {num[1]}, "
            f"difference {num[2]}: {r.likely_cause} [{r.source_file} line {r.line}]"
        )
    n_ok = int((checks[BudgetCheck.status] == "ok").sum())
    n_round = int((checks[BudgetCheck.status] == "rounding").sum())
    print(f"{len(checks)} checks: {n_ok} add up, {n_round} agree within rounding, {len(bad)} do not add up")
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' must be 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kccperf", description="CYPE scorecard and budget reporting.")
    sub = parser.add_subparsers(dest="command", required=True)

    rep = sub.add_parser(
        "report",
        help="execute the report notebooks and export HTML with an index",
        description="Execute the report notebooks with papermill and write self-contained HTML, CSV and "
        "Excel files and an index into OUT/PERIOD/.",
    )
    rep.add_argument("--period", default=None, help=LATEST_HELP)
    rep.add_argument(
        "--periods",
        default=None,
        help="build several editions, each into OUT/PERIOD/: 'all' (every edition on disk) or editions separated by commas",
    )
    rep.add_argument(
        "--areas",
        default="all",
        help="'all' (every area, the county view and budget views) or area names/slugs separated by commas (default %(default)s)",
    )
    rep.add_argument(
        "--jobs", type=_positive_int, default=DEFAULT_JOBS, help="notebooks executed in parallel (default %(default)s)"
    )
    rep.add_argument("--out", default=None, help="output folder (default: the repository's outputs/)")
    rep.add_argument(
        "--timeout", type=_positive_int, default=600, help="seconds any one notebook cell may run (default %(default)s)"
    )
    rep.add_argument(
        "--scheduler",
        default=None,
        help="run the reports on the Dask cluster whose scheduler is at this address, e.g. tcp://10.0.0.5:8786 "
        "(default: local worker processes, --jobs of them)",
    )
    rep.set_defaults(func=_cmd_report)

    val = sub.add_parser("validate", help="read one table file, or every file of an edition folder, and list its anomalies")
    val.add_argument("path", help="a table file in the published wide layout (.tsv, .csv or .xlsx), or an edition folder")
    val.add_argument("--area", default=None, help="area name or slug (default: from the file name)")
    val.add_argument("--edition", default=None, help="edition the table belongs to, e.g. 2024-10")
    val.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 on any anomaly (a file) or on any anomaly new against the previous edition's log (a folder)",
    )
    val.add_argument(
        "--against", default=None, help="for a folder: the edition whose anomalies are accepted (default: the one before)"
    )
    val.set_defaults(func=_cmd_validate)

    imp = sub.add_parser("import", help="import an edition from a committee agenda pack (text) or an Excel workbook")
    imp.add_argument("pack", help="the agenda pack in text form (.txt/.md) or a workbook with one sheet per table (.xlsx)")
    imp.add_argument("--period", required=True, help="the edition, YYYY-MM")
    imp.add_argument("--replace", action="store_true", help="overwrite the edition if it is already on disk")
    imp.add_argument(
        "--printing",
        type=_positive_int,
        default=1,
        help="for a section printed more than once, which printing to take (default 1)",
    )
    imp.add_argument("--source-document", default=None, help="how edition.csv names the pack (default: its file name)")
    imp.set_defaults(func=_cmd_import)

    per = sub.add_parser("periods", help="list the scorecard editions on disk")
    per.set_defaults(func=_cmd_periods)

    ker = sub.add_parser("kernel", help="register this environment's Python as the Jupyter kernel 'Python (kccperf)'")
    ker.add_argument("--prefix", default=None, help="environment prefix to register in (default: this environment)")
    ker.set_defaults(func=_cmd_kernel)

    rev = sub.add_parser("revisions", help="list figures printed differently by two editions")
    rev.add_argument("--period", default=None, help="only the revisions this edition printed (default: every edition on disk)")
    rev.add_argument("--area", default=None, help="one area's revisions only (default: every area)")
    rev.add_argument("--out", default=None, help="write them here (.csv, or .xlsx for Excel) instead of printing")
    rev.set_defaults(func=_cmd_revisions)

    since = sub.add_parser(
        "since", help="list what changed since the edition before: ratings, revised figures, indicators and targets"
    )
    since.add_argument("--period", default=None, help=LATEST_HELP)
    since.add_argument("--area", default=None, help="one area's changes only (default: every area)")
    since.add_argument("--out", default=None, help="write them here (.csv, or .xlsx for Excel) instead of printing")
    since.set_defaults(func=_cmd_since)

    qua = sub.add_parser("quality", help="print or export the data-quality log of an edition")
    qua.add_argument("--period", default=None, help=LATEST_HELP)
    qua.add_argument("--area", default=None, help="one area's anomalies only (default: every area)")
    qua.add_argument("--out", default=None, help="write the log here (.csv, or .xlsx for Excel) instead of printing")
    qua.set_defaults(func=_cmd_quality)

    qa = sub.add_parser("qa", help="reconcile every published figure and judgement with the computed one")
    qa.add_argument("--period", default=None, help=LATEST_HELP)
    qa.add_argument("--out", default=None, help="write the findings here (.csv, or .xlsx for Excel)")
    qa.set_defaults(func=_cmd_qa)

    flo = sub.add_parser("floors", help="infer floor standards from the published RAGs")
    flo.add_argument("--period", default=None, help=LATEST_HELP)
    flo.add_argument("--write", action="store_true", help="store the inferred floors in data/reference/targets.csv")
    flo.set_defaults(func=_cmd_floors)
    bqa = sub.add_parser("budget-qa", help="recompute every total and text claim of the draft budget report")
    bqa.add_argument("--year", default="2025-26", help="budget year, a folder under data/raw/budget/ (default %(default)s)")
    bqa.add_argument("--out", default=None, help="also write every check as CSV here")
    bqa.set_defaults(func=_cmd_budget_qa)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kccperf`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KccperfError as exc:
        print(f"kccperf: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as stop:
        # The console script (kccperf_launcher) raises a KeyboardInterrupt carrying the signal's number.
        print("kccperf: interrupted", file=sys.stderr)
        return 128 + getattr(stop, "signum", signal.SIGINT)
    except BrokenPipeError:
        # The reader of our output went away (e.g. `kccperf qa | head`): stop quietly.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0


if __name__ == "__main__":
    sys.exit(main())
