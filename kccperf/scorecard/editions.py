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
from ..schemas import Anomaly, Headline, Published, Scorecard, ScorecardEdition, Table
from .catalogue import load_catalogue
from .reader import ScorecardTable, read_scorecard

__all__ = [
    "ScorecardTable",
    "available_periods",
    "load_edition_info",
    "load_headline",
    "load_published",
    "load_quality_log",
    "load_scorecard",
    "read_scorecard",
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


def _signature(folder: Path) -> tuple:
    # Cache key: the edition's files and their modification times, so edits are picked up.
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.iterdir()) if p.is_file())


@lru_cache(maxsize=4)
def _load_edition(folder: str, root: str, _sig: tuple) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
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

    # One indicator and period printed in two tables of one area: keep the table with
    # the higher precedence and log the other printing when its figure differs.
    prec = cat.tables.set_index(Table.table)[Table.precedence]
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
        anomalies = pd.concat([anomalies, rows[anomalies.columns]], ignore_index=True)
    values = values[~dup].drop(columns=Table.precedence)
    values = values.sort_values([Scorecard.area, Scorecard.source_file, Scorecard.source_row, Scorecard.period], kind="stable")
    values = values.reset_index(drop=True)

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


def _edition(period: str, data_dir) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    folder = scorecard_dir(period, data_dir)
    root = str(data_root(data_dir).resolve())
    return _load_edition(str(folder.resolve()), root, _signature(folder))


def _filter_area(frame: pd.DataFrame, area: str | None, data_dir, column: str) -> pd.DataFrame:
    if area is None:
        return frame
    name = load_catalogue(data_dir).area_name(area)
    return frame[frame[column] == name].reset_index(drop=True)


def load_scorecard(period: str = "2024-10", *, area: str | None = None, data_dir=None) -> pd.DataFrame:
    """Load one scorecard edition as a validated long DataFrame.

    Parameters
    ----------
    period : str
        The edition, a folder name under ``data/raw/scorecard/`` such as ``"2024-10"``.
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
    values, _, _ = _edition(period, data_dir)
    return _filter_area(values.copy(), area, data_dir, Scorecard.area)


def load_published(period: str = "2024-10", *, area: str | None = None, data_dir=None) -> pd.DataFrame:
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


def load_quality_log(period: str = "2024-10", *, area: str | None = None, data_dir=None) -> pd.DataFrame:
    """The data-quality log of an edition: every anomaly the reader found, with file, row and column.

    Examples
    --------
    >>> log = load_quality_log("2024-10")
    >>> "wrong_code" in set(log["category"])
    True
    """
    from .metadata import metadata_anomalies

    _, _, anomalies = _edition(period, data_dir)
    pages = metadata_anomalies(scorecard_dir(period, data_dir), data_dir)
    anomalies = pd.concat([anomalies, pages], ignore_index=True) if len(pages) else anomalies.copy()
    return _filter_area(anomalies, area, data_dir, Anomaly.area)


def load_headline(period: str = "2024-10", *, data_dir=None) -> pd.DataFrame:
    """The front-page headline figures of an edition (pupils, free school meals, open cases, Ofsted, front door).

    Returns an empty frame with the :class:`kccperf.schemas.Headline` columns when the edition has no
    ``headline.tsv``.
    """
    path = scorecard_dir(period, data_dir) / "headline.tsv"
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


def load_edition_info(period: str = "2024-10", *, data_dir=None) -> dict[str, str]:
    """Facts about an edition from its ``edition.csv``: title, edition label, publication date, producer, source.

    Examples
    --------
    >>> load_edition_info("2024-10")["publication_date"]
    '2024-12-09'
    """
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
