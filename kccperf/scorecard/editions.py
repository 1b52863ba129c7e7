"""Reading the scorecard: editions on disk, the validated long frame, published judgements and the quality log."""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import schemas
from .._paths import data_root
from ..errors import ParameterError, ScorecardFileError, read_utf8
from ..schemas import Anomaly, Headline, History, Published, PublishedHistory, Revision, Scorecard, ScorecardEdition, Table
from .cache import (
    derived_key,
    edition_key,
    history_key,
    read_cached,
    read_derived,
    read_history,
    write_cached,
    write_derived,
    write_history,
)
from .catalogue import load_catalogue
from .history import extend_series, revision_anomalies, revisions
from .reader import ScorecardTable, read_scorecard

__all__ = [
    "ScorecardTable",
    "available_periods",
    "latest_period",
    "load_edition_info",
    "load_headline",
    "load_history",
    "load_published",
    "load_published_history",
    "load_quality_log",
    "load_revisions",
    "load_scorecard",
    "previous_period",
    "read_scorecard",
    "resolve_period",
    "scorecard_dir",
]

_PERIOD_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_KEY = [Scorecard.area, Scorecard.block, Scorecard.indicator, Scorecard.period]


def available_periods(data_dir=None) -> list[str]:
    """Scorecard editions on disk, oldest first: the ``YYYY-MM`` folders under ``data/raw/scorecard/``.

    Examples
    --------
    >>> "2024-10" in available_periods()
    True
    """
    root = data_root(data_dir) / "raw" / "scorecard"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and _PERIOD_RE.match(p.name))


def latest_period(data_dir=None) -> str:
    """The newest scorecard edition on disk (``YYYY-MM``); ParameterError when there is none.

    Examples
    --------
    >>> latest_period() == available_periods()[-1]
    True
    """
    known = available_periods(data_dir)
    if not known:
        raise ParameterError(
            f"no scorecard edition is on disk; expected a YYYY-MM folder under {data_root(data_dir) / 'raw' / 'scorecard'} "
            "(set KCCPERF_DATA to the data folder, or install with pip install -e .)."
        )
    return known[-1]


def resolve_period(period: str | None, data_dir=None) -> str:
    """``period`` itself, or the newest edition on disk when it is ``None`` or empty (the default everywhere).

    Examples
    --------
    >>> resolve_period("") == latest_period()
    True
    """
    if period is None or period == "":
        return latest_period(data_dir)
    scorecard_dir(period, data_dir)
    return period


def results_key(period: str, *extra: object, data_dir=None) -> str:
    """The cache key of a result computed for ``period`` (with ``extra`` settings) from the editions on disk.

    It hashes every edition's files (an edition extends the series of the ones after it), the reference
    files and the library's source, so any change to them gives a new key.
    """
    root = data_root(data_dir).resolve()
    keys = tuple(p + ":" + edition_key(root / "raw" / "scorecard" / p, root / "reference") for p in available_periods(data_dir))
    return derived_key(keys, period, *extra)


def previous_period(period: str | None = None, data_dir=None) -> str | None:
    """The edition on disk before ``period`` (default: the newest), or ``None`` when it is the first.

    Examples
    --------
    >>> previous_period(available_periods()[0]) is None
    True
    """
    known = available_periods(data_dir)
    i = known.index(resolve_period(period, data_dir))
    return known[i - 1] if i else None


def scorecard_dir(period: str, data_dir=None) -> Path:
    """The folder of one edition; raises ParameterError naming the editions on disk when it is unknown."""
    known = available_periods(data_dir)
    if not isinstance(period, str) or period not in known:
        # An installed (not editable) copy has no data folder beside it: say how to point at one.
        listed = ", ".join(known) if known else "none (set KCCPERF_DATA to the data folder, or install with pip install -e .)"
        raise ParameterError(
            f"period '{period}' is not available; expected one of: {listed} "
            f"(folders under {data_root(data_dir) / 'raw' / 'scorecard'})."
        )
    return data_root(data_dir) / "raw" / "scorecard" / period


def _table_files(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".tsv", ".csv", ".xlsx") and "__" in p.stem)
    if not files:
        raise ScorecardFileError(f"{folder}: holds no table files; expected files named <area-slug>__<table>.tsv.")
    return files


@lru_cache(maxsize=32)
def _cached_edition(folder: str, root: str, key: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    # In memory per process, on disk (Parquet, see .cache) across processes; ``key`` hashes the raw files.
    period = Path(folder).name
    frames = read_cached(period, key, root)
    if frames is None:
        frames = _load_edition(folder, root)
        write_cached(period, key, frames, root)
    return frames


def _load_edition(folder: str, root: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    cat = load_catalogue(root)
    tables: list[ScorecardTable] = []
    for path in _table_files(Path(folder)):
        stem_area = path.stem.split("__", 1)[0]
        try:
            cat.area_name(stem_area)
        except ParameterError:
            raise ScorecardFileError(
                f"{path}: the file name names area '{stem_area}', which is not in data/reference/areas.csv; "
                "expected <area-slug>__<table>.tsv."
            ) from None
        tables.append(read_scorecard(path, catalogue=cat, edition=Path(folder).name))
    values = pd.concat([t.values for t in tables], ignore_index=True)
    published = pd.concat([t.published for t in tables], ignore_index=True)
    anomalies = pd.concat([t.anomalies for t in tables], ignore_index=True)

    unknown = values[values[Scorecard.indicator] == ""]
    if len(unknown):
        r = unknown.iloc[0]
        raise ScorecardFileError(
            f"{r[Scorecard.source_file]} row {r[Scorecard.source_row]}, column 'Indicator' (B): title "
            f"'{r[Scorecard.title]}' is not in the indicator catalogue; expected a title or alias listed in "
            "data/reference/indicators.csv."
        )

    values, conflicts = settle_tables(values, cat.tables)
    anomalies = pd.concat([anomalies, conflicts[anomalies.columns]], ignore_index=True) if len(conflicts) else anomalies

    # Name files relative to the data folder, so logs and downloads read the same on every machine.
    prefix = str(Path(root)) + "/"
    for frame, col in ((values, Scorecard.source_file), (published, Published.source_file), (anomalies, Anomaly.source_file)):
        frame[col] = frame[col].str.removeprefix(prefix)
    where = f"scorecard edition {Path(folder).name}"
    values = schemas.validate(values, Scorecard, where)
    published = schemas.validate(published, Published, where)
    anomalies[Anomaly.row] = anomalies[Anomaly.row].astype("Int64")
    anomalies = schemas.validate(anomalies, Anomaly, where)
    return values, published, anomalies


def settle_tables(values: pd.DataFrame, tables: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One figure per area, block, indicator and period of an edition's tables.

    One indicator and period printed in two tables of one area: the table with the higher precedence
    (``data/reference/tables.csv``) is kept and the other printing is logged (``conflicting_figures``) when its
    figure differs. Returns the settled values, in file and row order, and those log rows.
    """
    prec = tables.set_index(Table.table)[Table.precedence]
    values = values.assign(**{Table.precedence: values[Scorecard.table].map(prec).fillna(99)})
    values = values.sort_values([*_KEY, Table.precedence], kind="stable")
    dup = values.duplicated(_KEY, keep="first")
    if dup.any():
        kept = values[~dup].set_index(_KEY)
        dropped = values[dup]
        other = kept.loc[pd.MultiIndex.from_frame(dropped[_KEY])]
        differs = ~np.isclose(dropped[Scorecard.value].to_numpy(), other[Scorecard.value].to_numpy(), equal_nan=True)
        d, o = dropped[differs], other[differs]
        fmt = lambda x: x.map(lambda v: "N/A" if v != v else f"{v:g}").to_numpy(object)  # noqa: E731
        rows = pd.DataFrame(
            {
                Anomaly.source_file: d[Scorecard.source_file].to_numpy(),
                Anomaly.row: d[Scorecard.source_row].to_numpy(),
                Anomaly.column: d[Scorecard.period_label].to_numpy(),
                Anomaly.area: d[Scorecard.area].to_numpy(),
                Anomaly.block: d[Scorecard.block].to_numpy(),
                Anomaly.indicator: d[Scorecard.indicator].to_numpy(),
                Anomaly.category: "conflicting_figures",
                Anomaly.found: fmt(d[Scorecard.value]),
                Anomaly.expected: fmt(o[Scorecard.value]),
                Anomaly.message: (
                    d[Scorecard.table].to_numpy(object)
                    + " prints "
                    + fmt(d[Scorecard.value])
                    + " for "
                    + d[Scorecard.period_label].to_numpy(object)
                    + " where "
                    + o[Scorecard.table].to_numpy(object)
                    + " prints "
                    + fmt(o[Scorecard.value])
                    + "; the "
                    + o[Scorecard.table].to_numpy(object)
                    + " figure is used."
                ),
            }
        )
    else:
        rows = pd.DataFrame(columns=list(Anomaly.to_schema().columns))
    values = values[~dup].drop(columns=Table.precedence)
    values = values.sort_values([Scorecard.area, Scorecard.source_file, Scorecard.source_row, Scorecard.period], kind="stable")
    return values.reset_index(drop=True), rows


def _edition(period: str | None, data_dir) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    folder = scorecard_dir(resolve_period(period, data_dir), data_dir)
    root = data_root(data_dir).resolve()
    return _cached_edition(str(folder.resolve()), str(root), edition_key(folder, root / "reference"))


def _filter_area(frame: pd.DataFrame, area: str | None, data_dir, column: str) -> pd.DataFrame:
    if area is None:
        return frame
    name = load_catalogue(data_dir).area_name(area)
    return frame[frame[column] == name].reset_index(drop=True)


def load_scorecard(period: str | None = None, *, area: str | None = None, data_dir=None) -> pd.DataFrame:
    """Load one scorecard edition as a validated long DataFrame.

    Parameters
    ----------
    period : str, optional
        The edition, a folder name under ``data/raw/scorecard/`` such as ``"2024-10"``;
        ``None`` or ``""`` (the default) means the newest edition on disk.
    area : str, optional
        Keep one area (``"Kent"``, ``"Ashford"`` or a slug such as ``"tunbridge-wells"``).
    data_dir : path, optional
        The data folder; defaults to the repository's ``data/``.

    Returns
    -------
    DataFrame
        Schema :class:`kccperf.schemas.Scorecard`: one row per area, block,
        indicator and period; ``numerator`` and ``denominator`` on the latest
        period only; ``is_latest`` marks it. A new frame on every call.
        Each series also holds the earlier periods that older editions on disk
        printed and this one does not (the newest printing of each, with its
        ``source_file``), so a seasonal indicator finds the same month a year
        earlier when an older edition holds it.

    Raises
    ------
    ParameterError
        Unknown period or area.
    ScorecardFileError
        A table file is unreadable or names an indicator the catalogue lacks.

    Examples
    --------
    >>> df = load_scorecard("2024-10", area="Ashford")
    >>> df.query("indicator == 'cswt_re_referrals' and is_latest")["value"].item()
    23.9
    """
    period = resolve_period(period, data_dir)
    values, _, _ = _edition(period, data_dir)
    earlier = [p for p in available_periods(data_dir) if p < period]
    if earlier:
        values = extend_series(values, load_history(data_dir=data_dir, editions=earlier))
    return _filter_area(values.copy(), area, data_dir, Scorecard.area)


def load_history(*, data_dir=None, editions: list[str] | None = None) -> pd.DataFrame:
    """Every edition's figures, each row with the edition that printed it.

    Parameters
    ----------
    data_dir : path, optional
        The data folder; defaults to the repository's ``data/``.
    editions : list of str, optional
        Only these editions (default: every edition on disk).

    Returns
    -------
    DataFrame
        Schema :class:`kccperf.schemas.History`: the rows of :func:`load_scorecard` of each edition as that
        edition printed them (not extended), plus ``edition``; oldest edition first. A period printed by
        several editions appears once per edition; :func:`kccperf.revisions` compares them.

    Examples
    --------
    >>> h = load_history()
    >>> sorted(set(h["edition"])) == available_periods()
    True
    """
    wanted = available_periods(data_dir) if editions is None else [resolve_period(p, data_dir) for p in editions]
    if not wanted:
        latest_period(data_dir)  # raises: no edition on disk
    root = data_root(data_dir).resolve()
    keys = tuple(edition_key(root / "raw" / "scorecard" / p, root / "reference") for p in wanted)
    return _history(str(root), tuple(wanted), keys).copy()


@lru_cache(maxsize=8)
def _history(root: str, periods: tuple[str, ...], keys: tuple[str, ...]) -> pd.DataFrame:
    # Warm, a whole history is one Parquet read; cold, each edition comes from its own cache or is parsed.
    key = history_key(periods, keys)
    frame = read_history(key, root)
    if frame is None:
        folders = [str(Path(root) / "raw" / "scorecard" / p) for p in periods]
        parts = [_cached_edition(f, root, k)[0].assign(**{History.edition: p}) for f, k, p in zip(folders, keys, periods)]
        frame = pd.concat(parts, ignore_index=True)
        write_history(key, frame, root)
    return frame


def load_published_history(*, data_dir=None, editions: list[str] | None = None) -> pd.DataFrame:
    """Every edition's printed judgements and targets (schema :class:`kccperf.schemas.PublishedHistory`).

    Targets change with the reporting year and sometimes within it; each edition keeps the targets it printed.

    Examples
    --------
    >>> p = load_published_history()
    >>> set(p["edition"]) == set(available_periods())
    True
    """
    wanted = available_periods(data_dir) if editions is None else [resolve_period(p, data_dir) for p in editions]
    frames = [_edition(p, data_dir)[1].assign(**{PublishedHistory.edition: p}) for p in wanted]
    if not frames:
        latest_period(data_dir)
    return pd.concat(frames, ignore_index=True)


def load_revisions(period: str | None = None, *, data_dir=None, area: str | None = None) -> pd.DataFrame:
    """Figures printed differently by two editions (schema :class:`kccperf.schemas.Revision`).

    Parameters
    ----------
    period : str, optional
        Only the revisions this edition printed (against the editions before it); default every revision
        of every edition on disk.
    area : str, optional
        Keep one area.

    Examples
    --------
    >>> load_revisions(available_periods()[0]).empty
    True
    """
    if period is None or period == "":
        revised = revisions(load_history(data_dir=data_dir))
    else:
        period = resolve_period(period, data_dir)
        revised = revisions(load_history(data_dir=data_dir, editions=[p for p in available_periods(data_dir) if p <= period]))
        revised = revised[revised[Revision.new_edition] == period].reset_index(drop=True)
    return _filter_area(revised, area, data_dir, Revision.area)


def load_published(period: str | None = None, *, area: str | None = None, data_dir=None) -> pd.DataFrame:
    """What the scorecard printed for each area, block and indicator row.

    Returns published DOT and RAG, the current target, last year's outturn,
    target and RAG, next year's target (annual tables), and the regional or
    statistical-neighbour and England benchmarks with their printed labels.
    Schema :class:`kccperf.schemas.Published`; one row per printed row.

    Examples
    --------
    >>> pub = load_published("2024-10", area="Kent")
    >>> pub.query("indicator == 'cic_kcc_foster_care'")[["rag", "target"]].to_dict("records")
    [{'rag': 'RED', 'target': 85.0}]
    """
    _, published, _ = _edition(period, data_dir)
    return _filter_area(published.copy(), area, data_dir, Published.area)


def load_quality_log(period: str | None = None, *, area: str | None = None, data_dir=None) -> pd.DataFrame:
    """The data-quality log of an edition: every anomaly the reader found, with file, row and column.

    Figures this edition prints differently from the edition before it are logged as ``revised_figure``
    (the new figure as ``found``, the earlier printing as ``expected``).

    Examples
    --------
    >>> log = load_quality_log("2024-10")
    >>> "wrong_code" in set(log["category"])
    True
    """
    period = resolve_period(period, data_dir)
    # Every report of an edition shows its own rows (the metadata pages' codes take 0.05 s to check each time):
    # the whole log is kept in the cache of derived results, keyed by the editions' files and the library's source.
    name, key = f"{period}-quality-log", results_key(period, data_dir=data_dir)
    cached = read_derived(name, key, ("all",), data_dir)
    if cached is not None:
        return _filter_area(cached[0], area, data_dir, Anomaly.area)
    log = _quality_log(period, data_dir)
    write_derived(name, key, {"all": log}, data_dir)
    return _filter_area(log, area, data_dir, Anomaly.area)


def _quality_log(period: str, data_dir) -> pd.DataFrame:
    from .metadata import metadata_anomalies

    _, _, anomalies = _edition(period, data_dir)
    pages = metadata_anomalies(scorecard_dir(period, data_dir), data_dir)
    revised = load_revisions(period, data_dir=data_dir)
    extra = [f for f in (pages, revision_anomalies(revised).astype(anomalies.dtypes.to_dict())) if len(f)]
    return pd.concat([anomalies, *extra], ignore_index=True) if extra else anomalies.copy()


def load_headline(period: str | None = None, *, data_dir=None) -> pd.DataFrame:
    """The front-page headline figures of an edition (pupils, free school meals, open cases, Ofsted, front door).

    Returns an empty frame with the :class:`kccperf.schemas.Headline` columns when the edition has no
    ``headline.tsv``.
    """
    path = scorecard_dir(resolve_period(period, data_dir), data_dir) / "headline.tsv"
    cols = list(Headline.to_schema().columns)
    if not path.exists():
        return pd.DataFrame(columns=cols)
    frame = _read_table(path, "\t", "a tab-separated table with the columns " + ", ".join(cols))
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise ScorecardFileError(f"{path} row 1: column '{missing[0]}' is missing; expected columns {', '.join(cols)}.")
    for c in (Headline.value, Headline.national_average):
        frame[c] = frame[c].str.replace(",", "", regex=False).replace("", None)
    return schemas.validate(frame, Headline, str(path))


def _read_table(path: Path, sep: str, expected: str) -> pd.DataFrame:
    """A small text table as strings; ScorecardFileError naming the file when it cannot be read, decoded or parsed."""
    text = read_utf8(path, ScorecardFileError, expected)
    try:
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ScorecardFileError(f"{path}: cannot be read ({str(exc).strip()}); expected {expected}.") from None


def load_edition_info(period: str | None = None, *, data_dir=None) -> dict[str, str]:
    """Facts about an edition from its ``edition.csv``: title, edition label, publication date, producer, source.

    Examples
    --------
    >>> load_edition_info("2024-10")["publication_date"]
    '2024-12-09'
    """
    period = resolve_period(period, data_dir)
    path = scorecard_dir(period, data_dir) / "edition.csv"
    if not path.exists():
        return {
            "title": "CYPE Directorate Scorecard",
            "edition_label": period,
            "publication_date": "not recorded",
            "producer": "not recorded",
        }
    frame = _read_table(path, ",", "a CSV file with the columns 'key' and 'value'")
    if list(frame.columns[:2]) != [ScorecardEdition.key, ScorecardEdition.value]:
        raise ScorecardFileError(f"{path} row 1: expected the columns 'key' and 'value'.")
    return dict(zip(frame[ScorecardEdition.key], frame[ScorecardEdition.value]))
