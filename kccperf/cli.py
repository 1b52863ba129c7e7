"""The ``kccperf`` command: build reports, validate a table, list editions, export the quality log."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import KccperfError, ParameterError

DEFAULT_PERIOD = "2024-10"


def _cmd_report(args) -> int:
    from .report import build_reports, print_progress

    run = build_reports(args.period, args.areas, out_dir=args.out, jobs=args.jobs, timeout=args.timeout, progress=print_progress)
    ok = len(run.results) - len(run.failed)
    print(f"{ok} of {len(run.results)} reports written to {run.out_dir}; index: {run.index}")
    for r in run.failed:
        print(
            f"kccperf: report for {r.area} failed: {r.error}"
            + (f" (executed notebook kept at {r.notebook})" if r.notebook else ""),
            file=sys.stderr,
        )
    return 1 if run.failed else 0


def _cmd_validate(args) -> int:
    from .io import read_scorecard

    table = read_scorecard(args.path, area=args.area, edition=args.edition)
    periods = table.values["period_label"].drop_duplicates().tolist()
    print(
        f"{args.path}: {table.kind} table '{table.title}', {len(table.published)} indicator rows, "
        f"periods {periods[0]} to {periods[-1]}, {len(table.anomalies)} anomalies."
    )
    for r in table.anomalies.itertuples(index=False):
        where = f"row {r.row}" if r.row == r.row and r.row is not None else "table"
        print(f"  {where}, column {r.column or '-'}: [{r.category}] {r.message}")
    return 1 if args.strict and len(table.anomalies) else 0


def _cmd_periods(args) -> int:
    from .io import available_periods

    for p in available_periods():
        print(p)
    return 0


def _cmd_quality(args) -> int:
    from .io import load_quality_log

    log = load_quality_log(args.period, area=args.area)
    if args.out:
        out = Path(args.out)
        if not out.parent.is_dir():
            raise ParameterError(
                f"parameter '--out' names {out}, whose folder does not exist; expected a path in an existing folder."
            )
        tmp = out.with_name(f".{out.name}.tmp")
        log.to_csv(tmp, index=False)
        tmp.replace(out)
        print(f"{len(log)} anomalies written to {out}")
    else:
        for r in log.itertuples(index=False):
            print(f"{r.source_file} row {r.row}, column {r.column or '-'}: [{r.category}] {r.message}")
        print(f"{len(log)} anomalies")
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

    rep = sub.add_parser("report", help="execute the report notebooks and export HTML with an index")
    rep.add_argument("--period", default=DEFAULT_PERIOD, help="scorecard edition, e.g. 2024-10 (default %(default)s)")
    rep.add_argument("--areas", default="all", help="'all' or area names/slugs separated by commas")
    rep.add_argument("--jobs", type=_positive_int, default=1, help="notebooks executed in parallel (default 1)")
    rep.add_argument("--out", default=None, help="output folder (default: the repository's outputs/)")
    rep.add_argument("--timeout", type=_positive_int, default=600, help="seconds any one notebook cell may run")
    rep.set_defaults(func=_cmd_report)

    val = sub.add_parser("validate", help="read one table file and list its anomalies")
    val.add_argument("path", help="a table file in the published wide layout (.tsv, .csv or .xlsx)")
    val.add_argument("--area", default=None, help="area name or slug (default: from the file name)")
    val.add_argument("--edition", default=None, help="edition the table belongs to, e.g. 2024-10")
    val.add_argument("--strict", action="store_true", help="exit with status 1 when any anomaly is found")
    val.set_defaults(func=_cmd_validate)

    per = sub.add_parser("periods", help="list the scorecard editions on disk")
    per.set_defaults(func=_cmd_periods)

    qua = sub.add_parser("quality", help="print or export the data-quality log of an edition")
    qua.add_argument("--period", default=DEFAULT_PERIOD)
    qua.add_argument("--area", default=None)
    qua.add_argument("--out", default=None, help="write CSV here instead of printing")
    qua.set_defaults(func=_cmd_quality)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kccperf`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KccperfError as exc:
        print(f"kccperf: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kccperf: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
