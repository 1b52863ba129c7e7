"""Writing and validating an edition folder: ``kccperf import`` and ``kccperf validate FOLDER``.

An import is built in a temporary folder beside ``data/raw/scorecard/<period>/``, validated there
with the same reader the reports use, and only then renamed into place: a failure leaves nothing behind.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import schemas
from .._paths import data_root
from ..errors import KccperfError, ParameterError, ScorecardFileError, read_utf8
from ..schemas import Anomaly, Headline, HeadlineLayout, History, Manifest, Revision, Scorecard
from . import periods as PER
from .catalogue import _read_reference, load_catalogue
from .editions import load_history, settle_tables
from .history import REVISED, revision_anomalies, revisions
from .metadata import FILES, metadata_anomalies
from .pack import PackEdition, PackError, read_pack
from .reader import read_scorecard
from .workbook import (
    OTHER_SHEETS,
    WorkbookEdition,
    default_edition,
    missing_sheets,
    read_workbook,
    table_name_pattern,
    workbook_manifest,
)

__all__ = ["EditionCheck", "check_edition", "import_pack", "new_anomalies", "write_edition"]

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
TABLE_SUFFIXES = (".tsv", ".csv", ".xlsx")


@dataclass(frozen=True)
class EditionCheck:
    """The result of validating an edition folder: its table files, tidy rows and quality log, and for an
    imported workbook one sentence per formula whose saved value was taken (sheet and cell named)."""

    folder: Path
    files: int
    rows: int
    anomalies: pd.DataFrame
    notes: tuple[str, ...] = ()
    # The edition's figures, one per area, block, indicator and period (tables settled by precedence).
    figures: pd.DataFrame | None = None


def _manifest(edition: PackEdition) -> pd.DataFrame:
    rows = [(b.file, b.slug, b.table, b.first, b.last, b.heading) for b in edition.tables]
    return pd.DataFrame(rows, columns=list(Manifest.to_schema().columns))


def _write_tsv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, sep="\t", index=False, lineterminator="\n")


def write_edition(edition: PackEdition, folder: Path) -> None:
    """Write an edition's files into ``folder`` (which must exist): tables as printed, MANIFEST, facts, metadata."""
    for b in edition.tables:
        text = "\n".join(edition.lines[b.first - 1 : b.last]) + "\n"
        (folder / b.file).write_text(text, encoding="utf-8")
    _write_tsv(_manifest(edition), folder / "MANIFEST.tsv")
    edition.edition.to_csv(folder / "edition.csv", index=False, lineterminator="\n")
    _write_tsv(edition.headline, folder / "headline.tsv")
    for key, (name, _) in FILES.items():
        _write_tsv(edition.metadata[key], folder / name)


def write_workbook_edition(book: WorkbookEdition, folder: Path, period: str, catalogue) -> None:
    """Write an edition read from a workbook: each table sheet as a tab-separated file, the other sheets as theirs."""
    for stem, rows in book.tables.items():
        (folder / f"{stem}.tsv").write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    _write_tsv(workbook_manifest(book, table_name_pattern(catalogue.areas, catalogue.tables)), folder / "MANIFEST.tsv")
    edition = book.others.get("edition", default_edition(book, period))
    edition.to_csv(folder / "edition.csv", index=False, lineterminator="\n")
    for sheet, frame in book.others.items():
        if sheet != "edition":
            _write_tsv(frame, folder / OTHER_SHEETS[sheet])


def table_files(folder: Path) -> list[Path]:
    """The table files of an edition folder (``<area-slug>__<table>[__n].tsv``); the other files are not tables."""
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in TABLE_SUFFIXES and "__" in p.stem)
    if not files:
        raise ScorecardFileError(f"{folder}: holds no table files; expected files named <area-slug>__<table>.tsv.")
    return files


def _check_headline(path: Path) -> int:
    if not path.exists():
        return 0
    cols = list(Headline.to_schema().columns)
    text = read_utf8(path, ScorecardFileError, "a tab-separated table with the columns " + ", ".join(cols))
    frame = pd.read_csv(io.StringIO(text), sep="\t", dtype=str, keep_default_na=False)
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise ScorecardFileError(f"{path} row 1: column '{missing[0]}' is missing; expected columns {', '.join(cols)}.")
    for c in (Headline.value, Headline.national_average):
        frame[c] = frame[c].str.replace(",", "", regex=False).replace("", None)
    schemas.validate(frame, Headline, str(path))
    return len(frame)


def _relative(files: pd.Series, data_dir) -> pd.Series:
    """File names relative to the data folder, each distinct file resolved once (a row at a time took seconds)."""
    prefix = str(data_root(data_dir).resolve()) + "/"
    # A name already relative (the metadata pages log theirs so) is relative to the data folder, not to the working one.
    names = {f: str(Path(f).resolve()).removeprefix(prefix) if Path(f).is_absolute() else f for f in files.unique()}
    return files.map(names)


def check_edition(folder: str | Path, *, data_dir=None) -> EditionCheck:
    """Validate every file of an edition folder in one pass: tables, front page and metadata pages.

    Parameters
    ----------
    folder : path
        An edition folder (``data/raw/scorecard/2024-10`` or one about to be added).
    data_dir : path, optional
        The data folder whose ``reference/`` catalogue is used.

    Returns
    -------
    EditionCheck
        The number of files and tidy rows, and the quality log (schema :class:`kccperf.schemas.Anomaly`): each
        table's anomalies and the metadata pages' codes. Figures one area prints differently in two tables
        (``conflicting_figures``) are settled, and logged, when the edition is loaded (:func:`kccperf.load_quality_log`).

    Raises
    ------
    ScorecardFileError
        The first file that cannot be read or fails its schema, naming the file, row and column.

    Examples
    --------
    >>> check = check_edition("data/raw/scorecard/2024-10")
    >>> check.files > 70
    True
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ParameterError(f"{folder}: is not a folder; expected an edition folder such as data/raw/scorecard/2024-10.")
    cat = load_catalogue(data_dir)
    edition = folder.name if _PERIOD.match(folder.name) else None
    logs, values, files = [], [], table_files(folder)
    for path in files:
        table = read_scorecard(path, catalogue=cat, edition=edition)
        values.append(table.values)
        logs.append(table.anomalies)
    # One validation for the whole edition (a failing row is named by its file and row). An indicator printed in
    # two tables of an area is settled by table precedence when the edition is loaded, so uniqueness waits till then.
    schema = Scorecard.to_schema()
    schema.unique = None
    checked = schemas.validate(pd.concat(values, ignore_index=True), schema, str(folder))
    rows = len(checked) + _check_headline(folder / "headline.tsv")
    logs.append(metadata_anomalies(folder, data_dir))
    dates = edition_date_anomalies(folder)
    if len(dates):  # an empty frame in the concat would blur the log's dtypes (a pandas FutureWarning)
        logs.append(dates)
    log = pd.concat(logs, ignore_index=True)
    log[Anomaly.row] = log[Anomaly.row].astype("Int64")
    log[Anomaly.source_file] = _relative(log[Anomaly.source_file], data_dir)
    figures, _ = settle_tables(checked[checked[Scorecard.indicator] != ""], cat.tables)
    figures[Scorecard.source_file] = _relative(figures[Scorecard.source_file], data_dir)
    extra = sum(1 for p in folder.iterdir() if p.is_file() and p not in files)
    return EditionCheck(folder, len(files) + extra, rows, log, figures=figures)


def edition_date_anomalies(folder: Path) -> pd.DataFrame:
    """A quality-log row when ``edition.csv`` gives a publication date that is not a date, or one before the end of
    the month the edition reports (a scorecard is published after its month, so the date or the folder is wrong).

    Examples
    --------
    >>> edition_date_anomalies(Path("data/raw/scorecard/2024-10")).empty
    True
    """
    path = folder / "edition.csv"
    columns = list(Anomaly.to_schema().columns)
    if not path.is_file() or not _PERIOD.match(folder.name):
        return pd.DataFrame(columns=columns)
    facts = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = facts.index[facts.iloc[:, 0] == "publication_date"]
    if not len(rows) or facts.iloc[rows[0], 1] == "not recorded":
        return pd.DataFrame(columns=columns)
    text = facts.iloc[rows[0], 1]
    date = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    month_end = pd.Period(folder.name, freq="M").end_time.normalize()
    if pd.notna(date) and date > month_end:
        return pd.DataFrame(columns=columns)
    label = pd.Period(folder.name, freq="M").strftime("%B %Y")
    why = "is not a date" if pd.isna(date) else f"is not after {label}, the month the edition reports"
    row = {
        Anomaly.source_file: str(path),
        Anomaly.row: int(rows[0]) + 2,  # the file's line: the header is line 1
        Anomaly.column: "value",
        Anomaly.area: "",
        Anomaly.block: "",
        Anomaly.indicator: "",
        Anomaly.category: "edition_date",
        Anomaly.found: text,
        Anomaly.expected: f"a date (YYYY-MM-DD) after {label}",
        Anomaly.message: f"publication date {text} {why}; expected a date (YYYY-MM-DD) after {label}.",
    }
    return pd.DataFrame([row], columns=columns)


def edition_revisions(check: EditionCheck, earlier: list[str], data_dir=None) -> pd.DataFrame:
    """The figures of a checked folder printed differently by the editions ``earlier`` (on disk), as rows of the
    quality log (``revised_figure``), just as :func:`kccperf.load_quality_log` logs them once the folder is on disk.

    Each figure is compared with its newest printing in ``earlier``, so a revision an earlier edition already
    printed is not found again; only a figure this folder prints differently is.
    """
    if not earlier or check.figures is None:
        return revision_anomalies(pd.DataFrame(columns=list(Revision.to_schema().columns)))
    name = check.folder.name
    # The folder's edition, or one after every edition on disk when its name is not a period.
    edition = name if _PERIOD.match(name) and name > max(earlier) else "9999-12"
    history = load_history(data_dir=data_dir, editions=earlier)
    both = pd.concat([history, check.figures.assign(**{History.edition: edition})], ignore_index=True)
    revised = revisions(both)
    return revision_anomalies(revised[revised[Revision.new_edition] == edition])


def _key(log: pd.DataFrame) -> pd.Series:
    """What makes an anomaly the same one from month to month: area, table, block, indicator and kind.

    A revision is a fact about one figure: the same one only for the same period (its column) printed as the
    same new figure (``found``). Another period revised, or the same period revised again, is a new one.
    """
    table = log[Anomaly.source_file].map(lambda f: Path(f).stem.split("__")[1] if "__" in Path(f).stem else Path(f).stem)
    key = log[Anomaly.area] + "|" + table + "|" + log[Anomaly.block] + "|" + log[Anomaly.indicator] + "|" + log[Anomaly.category]
    revised = (log[Anomaly.category] == REVISED).to_numpy()
    if not revised.any():
        return key
    return key.where(~revised, key + "|" + log[Anomaly.column].astype(str) + "|" + log[Anomaly.found].astype(str))


def new_anomalies(log: pd.DataFrame, accepted: pd.DataFrame) -> pd.DataFrame:
    """The anomalies of ``log`` not already in ``accepted`` (a previous edition's quality log), matched by
    area, table, block, indicator and category, never by row number.

    Examples
    --------
    >>> a = pd.DataFrame({"source_file": ["x/kent__ics_monthly.tsv"], "area": ["Kent"], "block": [""],
    ...                   "indicator": ["caseload_ehu"], "category": ["missing_code"]})
    >>> len(new_anomalies(a, a.assign(source_file="y/kent__ics_monthly.tsv")))
    0
    """
    return log[~_key(log).isin(set(_key(accepted)))].reset_index(drop=True)


def _target(period: str, replace: bool, data_dir) -> Path:
    if not isinstance(period, str) or not _PERIOD.match(period):
        raise ParameterError(f"parameter '--period' is {period!r}; expected a month as YYYY-MM, e.g. 2024-11.")
    target = data_root(data_dir) / "raw" / "scorecard" / period
    if target.exists() and not replace:
        raise ParameterError(
            f"{target}: edition {period} is already on disk; expected a new period, or --replace to overwrite it."
        )
    return target


def _move_into_place(tmp: Path, target: Path) -> None:
    """Rename the finished folder into place; an edition being replaced is moved aside first, then removed."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
        os.rename(target, old / target.name)
    os.rename(tmp, target)
    if old is not None:
        shutil.rmtree(old)


def _check_period(figures: pd.DataFrame | None, period: str, source: str) -> None:
    """Refuse an edition whose monthly tables mostly end at another month than ``period``: the pack is another month's.

    One table ending elsewhere is an anomaly of that table (logged); as many ending elsewhere as at the edition's
    month means ``--period`` names the wrong month, and importing would make it the newest edition by mistake.
    """
    want = PER.edition_latest(period, "monthly")
    if figures is None or figures.empty or want is None:
        return
    latest = figures[figures[Scorecard.is_latest] & figures[Scorecard.period_type].map(PER.KIND_OF_PERIOD_TYPE).eq("monthly")]
    ends = latest.drop_duplicates(Scorecard.source_file)[Scorecard.period_label].value_counts()
    on_time = int(ends.get(want.label, 0))
    if ends.sum() - on_time >= max(on_time, 1):
        raise PackError(
            f"{source}: {int(ends.sum()) - on_time} of its {int(ends.sum())} monthly tables end at {ends.drop(want.label, errors='ignore').index[0]}, "
            f"not at {want.label}, the month a {period} edition prints; check parameter '--period'."
        )


def build_atomically(target: Path, write, data_dir, source: str = "the pack") -> EditionCheck:
    """Run ``write(folder)`` on a temporary sibling of ``target``, validate it, then rename it into place.

    Nothing is left behind when writing or validating fails, nor when most tables end at another month than the
    edition's (``source`` names the pack in that message).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.import-"))
    try:
        folder = tmp / target.name
        folder.mkdir()
        write(folder)
        try:
            check = check_edition(folder, data_dir=data_dir)
        except KccperfError as exc:
            # Name the file where it would have been written, not the temporary folder.
            raise type(exc)(str(exc).replace(str(folder), str(target))) from None
        _check_period(check.figures, target.name, source)
        os.rename(folder, tmp.with_name(tmp.name + ".done"))
        _move_into_place(tmp.with_name(tmp.name + ".done"), target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return EditionCheck(target, check.files, check.rows, check.anomalies)


def import_pack(
    pack: str | os.PathLike,
    period: str,
    *,
    replace: bool = False,
    printing: int = 1,
    source_document: str | None = None,
    data_dir=None,
) -> EditionCheck:
    """Import an edition from a committee agenda pack in text form (or an Excel workbook with one sheet per
    table, see :mod:`kccperf.scorecard.workbook`) into ``data/raw/scorecard/<period>/``.

    Parameters
    ----------
    pack : path
        The agenda pack's text (UTF-8), or a ``.xlsx`` workbook.
    period : str
        The edition, ``YYYY-MM``.
    replace : bool
        Overwrite an edition already on disk.
    printing : int
        Where the pack prints an area's section more than once, which printing to take (1 = the first).
    source_document : str, optional
        How ``edition.csv`` names the pack; defaults to the pack's file name.
    data_dir : path, optional
        The data folder; defaults to the repository's ``data/``.

    Returns
    -------
    EditionCheck
        The folder written, its file and row counts and its quality log.

    Raises
    ------
    ParameterError
        A malformed period, or a period already on disk without ``replace``.
    PackError
        No scorecard in the pack, a table cut short or broken by a page break, an unknown area or table heading;
        in a workbook, an unknown sheet name or a formula saved without its value (sheet and cell named).
    ScorecardFileError
        A written file fails validation (nothing is left on disk).
    """
    target = _target(period, replace, data_dir)
    cat = load_catalogue(data_dir)
    if Path(pack).suffix.lower() == ".xlsx":
        book = read_workbook(pack, cat)
        check = build_atomically(target, lambda folder: write_workbook_edition(book, folder, period, cat), data_dir, str(pack))
        return dataclasses.replace(check, notes=book.formulas + missing_sheets(book))
    layout = _read_reference("headline.csv", HeadlineLayout, data_dir)
    text = read_utf8(pack, PackError, "an agenda pack in text form (UTF-8)")
    name = str(pack)
    edition = read_pack(
        text, name, cat, printing=printing, layout=layout, source_document=source_document or f"agenda pack {Path(pack).name}"
    )
    return build_atomically(target, lambda folder: write_edition(edition, folder), data_dir, name)
