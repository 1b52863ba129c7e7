"""The scorecard's metadata pages as data: data sources, indicator definitions and caveats per indicator.

An edition folder holds them as printed (``sources.tsv``, ``definitions.tsv``, ``caveats.tsv``, written by
``kccperf import``). They are joined to the catalogue by title first, because the codes printed on those
pages are not always right; a code that belongs to another indicator, is used by two rows, or is a page
number caught in the code cell is logged as an anomaly rather than trusted.
"""

from __future__ import annotations

import calendar
import fnmatch
import io
import re
from pathlib import Path

import pandas as pd

from .. import schemas
from .._paths import data_root
from ..errors import InputError, ScorecardFileError, read_utf8
from ..schemas import (
    Anomaly,
    CaveatRaw,
    CaveatRule,
    Coverage,
    DefinitionRaw,
    Indicator,
    IndicatorInfo,
    MetadataSection,
    SourceRaw,
)
from .cache import read_derived, write_derived
from .catalogue import _read_reference, load_catalogue, normalise_title
from .periods import KIND_OF_PERIOD_TYPE, Period

__all__ = ["load_indicator_info", "metadata_anomalies", "read_metadata"]

SOURCES, DEFINITIONS, CAVEATS = "sources", "definitions", "caveats"
FILES = {
    SOURCES: ("sources.tsv", SourceRaw),
    DEFINITIONS: ("definitions.tsv", DefinitionRaw),
    CAVEATS: ("caveats.tsv", CaveatRaw),
}
# Named groups of the patterns in data/reference/coverage.csv.
_MONTH, _YEAR, _QUARTER, _DISTRICT_YEAR, _FROM_YEAR = "month", "year", "quarter", "district_year", "from_year"
_MONTHS = (
    {m.casefold(): i for i, m in enumerate(calendar.month_abbr) if m}
    | {m.casefold(): i for i, m in enumerate(calendar.month_name) if m}
    | {"sept": 9}
)
_PAGE_NUMBER = re.compile(r"^Page \d+$")


def month_of(text: str) -> tuple[int, int] | None:
    """(year, month) of a printed month such as ``Nov 2024``, ``Sept 2024`` or ``August 2024``; None otherwise.

    Examples
    --------
    >>> month_of("Sept 2024")
    (2024, 9)
    >>> month_of("N/A") is None
    True
    """
    m = re.fullmatch(r"([A-Za-z]+)\.? (\d{4})", str(text).strip())
    if not m or m.group(1).casefold() not in _MONTHS:
        return None
    return int(m.group(2)), _MONTHS[m.group(1).casefold()]


def _read_raw(path: Path, model) -> pd.DataFrame:
    """One metadata file as validated strings; InputError naming the file, row and column when it is not."""
    cols = list(model.to_schema().columns)
    text = read_utf8(path, ScorecardFileError, "a tab-separated table with the columns " + ", ".join(cols))
    try:
        frame = pd.read_csv(io.StringIO(text), sep="\t", dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ScorecardFileError(f"{path}: cannot be read ({str(exc).strip()}); expected a tab-separated table.") from None
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise ScorecardFileError(f"{path} row 1: column '{missing[0]}' is missing; expected the columns {', '.join(cols)}.")
    bad = ~frame[SourceRaw.line].str.fullmatch(r"\d+")
    if bad.any():
        raise ScorecardFileError(
            f"{path} row {int(frame.index[bad][0]) + 2}, column 'line': {frame[SourceRaw.line][bad].iloc[0]!r} is not a "
            "line number; expected the agenda-pack line the row was printed on."
        )
    return schemas.validate(frame[cols], model, str(path))


def _check_release_dates(frame: pd.DataFrame, path: Path) -> None:
    dates = frame[SourceRaw.release_date]
    bad = ~(dates.map(month_of).notna() | dates.isin(["N/A", ""]))
    if bad.any():
        raise ScorecardFileError(
            f"{path} row {int(frame.index[bad][0]) + 2}, column 'release_date': {dates[bad].iloc[0]!r} is not a date; "
            "expected a month and year such as 'Nov 2024', or N/A."
        )


def read_metadata(folder: str | Path) -> dict[str, pd.DataFrame]:
    """The metadata files of an edition folder, each validated (an absent file gives an empty frame).

    Returns a dict with the keys ``sources``, ``definitions`` and ``caveats`` (schemas
    :class:`~kccperf.schemas.SourceRaw`, :class:`~kccperf.schemas.DefinitionRaw`, :class:`~kccperf.schemas.CaveatRaw`).

    Raises
    ------
    ScorecardFileError
        A missing column, a line that is not a number, a release date that is not a date.

    Examples
    --------
    >>> from kccperf._paths import data_root
    >>> len(read_metadata(data_root() / "raw/scorecard/2024-10")["definitions"]) > 50
    True
    """
    out = {}
    for key, (name, model) in FILES.items():
        path = Path(folder) / name
        if not path.exists():
            out[key] = pd.DataFrame({c: pd.Series(dtype=int if c == SourceRaw.line else str) for c in model.to_schema().columns})
            continue
        out[key] = _read_raw(path, model)
        if key == SOURCES:
            _check_release_dates(out[key], path)
    return out


def _sections(data_dir) -> dict[str, bool]:
    frame = _read_reference("metadata_sections.csv", None, data_dir)
    frame[MetadataSection.joins] = frame[MetadataSection.joins] == "True"
    frame = schemas.validate(frame, MetadataSection, str(data_root(data_dir) / "reference" / "metadata_sections.csv"))
    return dict(zip(frame[MetadataSection.section], frame[MetadataSection.joins]))


def _join(frame: pd.DataFrame, path: Path, cat, sections: dict[str, bool], unique: bool) -> pd.Series:
    """The catalogue indicator of each printed row, by title first, then by code; "" for activity measures.

    Raises ScorecardFileError for a row of an indicator section that matches no indicator, or (``unique``)
    for two rows with one indicator.
    """
    titles, codes = cat.titles, cat.codes
    code = frame[SourceRaw.code].str.strip()
    by_title = frame[SourceRaw.title].map(lambda t: titles.get(normalise_title(t), ""))
    ind = by_title.where(by_title != "", code.map(lambda c: codes.get(c, "")))
    joins = frame[SourceRaw.section].map(lambda s: sections.get(s, True)).astype(bool)
    lost = joins & (ind == "")
    if lost.any():
        r = frame.index[lost][0]
        raise ScorecardFileError(
            f"{path} row {r + 2}, column 'code': code {code[r]!r} with title {frame[SourceRaw.title][r]!r} matches no "
            "indicator; expected a title or code listed in data/reference/indicators.csv."
        )
    ind = ind.where(joins, "")
    twice = ind.ne("") & ind.duplicated(keep=False)
    if unique and twice.any():
        rows = [str(r + 2) for r in frame.index[twice & (ind == ind[twice].iloc[0])]]
        raise ScorecardFileError(
            f"{path} rows {' and '.join(rows)}, column 'title': two rows for indicator '{ind[twice].iloc[0]}'; "
            "expected one row per indicator."
        )
    return ind


def _relative(path: Path, data_dir) -> str:
    return str(path).removeprefix(str(data_root(data_dir).resolve()) + "/")


def _code_anomalies(frame: pd.DataFrame, ind: pd.Series, path: Path, cat, data_dir) -> pd.DataFrame:
    """Codes on a metadata page that cannot be trusted: page numbers, codes of another indicator, codes used twice."""
    code = frame[SourceRaw.code].str.strip()
    codes = cat.codes  # built on each access: once, not once per row
    owner = code.map(lambda c: codes.get(c, ""))
    own_codes = ind.map(dict(zip(cat.indicators[Indicator.indicator], cat.indicators[Indicator.codes]))).fillna("")
    page = code.str.fullmatch(_PAGE_NUMBER.pattern)
    titles = frame[SourceRaw.title].map(normalise_title)
    shared = code.ne("") & ~page & (titles.groupby(code).transform("nunique") > 1)
    mine = [c in o.split("|") for c, o in zip(code, own_codes)]
    other = ind.ne("") & owner.ne("") & owner.ne(ind)
    twice = ind.ne("") & shared & ~pd.Series(mine, index=frame.index) & ~other
    differs = ind.ne("") & code.ne("") & ~page & ~other & ~twice & ~pd.Series(mine, index=frame.index)
    kinds = [
        (page, "page_number_in_cell", "a page number printed in the code cell, not a code"),
        (other, "code_of_other_indicator", "the code of another indicator ({owner})"),
        (twice, "code_used_twice", "a code the page also prints for another indicator"),
        (differs, "code_differs", "not the catalogue's code for this indicator"),
    ]
    parts = []
    for mask, category, what in kinds:
        rows = frame[mask]
        if not len(rows):
            continue
        msg = [
            f"'{c}' is printed for '{t}', "
            + what.format(owner=o)
            + f"; the row is matched to {i or 'no indicator'} by its title."
            for c, t, o, i in zip(code[mask], rows[SourceRaw.title], owner[mask], ind[mask])
        ]
        parts.append(
            pd.DataFrame(
                {
                    Anomaly.source_file: _relative(path.resolve(), data_dir),
                    Anomaly.row: rows.index + 2,
                    Anomaly.column: SourceRaw.code,
                    Anomaly.area: "",
                    Anomaly.block: "",
                    Anomaly.indicator: ind[mask].to_numpy(),
                    Anomaly.category: category,
                    Anomaly.found: code[mask].to_numpy(),
                    Anomaly.expected: own_codes[mask].to_numpy(),
                    Anomaly.message: msg,
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(Anomaly.to_schema().columns))


def _joined(folder: Path, data_dir) -> tuple[dict[str, pd.DataFrame], dict[str, pd.Series], pd.DataFrame]:
    cat = load_catalogue(data_dir)
    sections = _sections(data_dir)
    raw = read_metadata(folder)
    joined, logs = {}, []
    for key in (SOURCES, DEFINITIONS):
        path = folder / FILES[key][0]
        joined[key] = _join(raw[key], path, cat, sections, unique=key == DEFINITIONS)
        logs.append(_code_anomalies(raw[key], joined[key], path, cat, data_dir))
    log = pd.concat(logs, ignore_index=True)
    log[Anomaly.row] = log[Anomaly.row].astype("Int64")
    return raw, joined, schemas.validate(log, Anomaly, str(folder))


def metadata_anomalies(folder: str | Path, data_dir=None) -> pd.DataFrame:
    """Quality-log rows (:class:`~kccperf.schemas.Anomaly`) for the codes printed on an edition's metadata pages.

    Examples
    --------
    >>> from kccperf._paths import data_root
    >>> log = metadata_anomalies(data_root() / "raw/scorecard/2024-10")
    >>> "code_of_other_indicator" in set(log["category"]) or "code_used_twice" in set(log["category"])
    True
    """
    return _joined(Path(folder), data_dir)[2]


def _label_for_month(year: int, month: int, kind: str) -> str:
    """The period of ``kind`` that holds a month: financial quarters from April, academic terms and years from September."""
    academic = year if month >= 9 else year - 1
    if kind == "monthly":
        return Period(kind, year * 12 + month - 1).label
    if kind == "quarterly":
        fin = year if month >= 4 else year - 1
        return Period(kind, fin * 4 + (month - 4) % 12 // 3).label
    if kind == "termly":
        return Period(kind, academic * 3 + (0 if month >= 9 else 1 if month <= 3 else 2)).label
    return Period(kind, academic).label


def _label_for_year(year: str, quarter: str | None, kind: str) -> str:
    start = int(year[:4])
    if kind == "quarterly" and quarter:
        return Period(kind, start * 4 + int(quarter) - 1).label
    return Period("annual", start).label if kind == "annual" else ""


def _groups(text: str, rules: pd.DataFrame) -> tuple[str, dict[str, str]]:
    """The first coverage rule matching a printed description: its template and named groups."""
    for pattern, covers in rules[[Coverage.pattern, Coverage.covers]].itertuples(index=False):
        m = re.fullmatch(pattern, text.strip())
        if m:
            groups = {k: v for k, v in m.groupdict().items() if v}
            if _FROM_YEAR in groups:
                start = int(groups[_FROM_YEAR])
                groups[_YEAR] = f"{start}-{(start + 1) % 100:02d}"
            return covers, groups
    return "", {}


def coverage(text: str, period_type: str, rules: pd.DataFrame) -> tuple[str, str, str]:
    """What a printed "latest data description" covers: (plain words, period label, the districts' period label).

    Examples
    --------
    >>> rules = pd.DataFrame({"pattern": [r"^Snapshot as at (?P<month>[A-Za-z]+ \\d{4})$"], "covers": ["snapshot as at {month}"]})
    >>> coverage("Snapshot as at August 2024", "T", rules)
    ('snapshot as at Aug 2024', 'Summer 23-24', 'Summer 23-24')
    """
    template, groups = _groups(text, rules)
    if not template:
        return text.strip(), "", ""
    kind = KIND_OF_PERIOD_TYPE[period_type]
    label = district = ""
    if _MONTH in groups:
        year, month = month_of(groups[_MONTH]) or (0, 0)
        if year:
            groups[_MONTH] = f"{calendar.month_abbr[month]} {year}"
            label = district = _label_for_month(year, month, kind)
    if _YEAR in groups:
        label = district = _label_for_year(groups[_YEAR], groups.get(_QUARTER), kind)
        if _DISTRICT_YEAR in groups:
            district = _label_for_year(groups[_DISTRICT_YEAR], None, kind)
    return template.format(**groups), label, district


def _caveats(caveats: pd.DataFrame, indicators: pd.Series, data_dir) -> pd.Series:
    """The printed notes that concern each indicator, one per line, by the rules in ``caveats.csv``."""
    rules = _read_reference("caveats.csv", CaveatRule, data_dir)
    found: dict[str, list[str]] = {i: [] for i in indicators}
    for phrase, patterns in rules[[CaveatRule.phrase, CaveatRule.indicators]].itertuples(index=False):
        hits = caveats[CaveatRaw.text][caveats[CaveatRaw.text].str.contains(phrase, regex=True)]
        if not len(hits):
            continue
        for ind in indicators:
            if any(fnmatch.fnmatchcase(ind, p) for p in patterns.split("|")) and hits.iloc[0] not in found[ind]:
                found[ind].append(hits.iloc[0])
    return indicators.map(lambda i: "\n".join(found[i]))


def _release(text: str):
    ym = month_of(text)
    return pd.Timestamp(year=ym[0], month=ym[1], day=1) if ym else pd.NaT


def _latest_period(data_dir) -> str:
    from .editions import available_periods

    periods = available_periods(data_dir)
    if not periods:
        raise InputError(f"{data_root(data_dir) / 'raw' / 'scorecard'}: holds no editions; expected YYYY-MM folders.")
    return periods[-1]


def load_indicator_info(period: str | None = None, *, data_dir=None) -> pd.DataFrame:
    """What each indicator's latest figure covers, its source, release date, definition and caveats.

    Read from the edition's metadata pages (``sources.tsv``, ``definitions.tsv``, ``caveats.tsv``) and
    joined to the catalogue by title first, then by code.

    Parameters
    ----------
    period : str, optional
        The edition (``"2024-10"``); the newest edition on disk when omitted.
    data_dir : path, optional
        The data folder; defaults to the repository's ``data/``.

    Returns
    -------
    DataFrame
        Schema :class:`kccperf.schemas.IndicatorInfo`, one row per catalogue indicator; empty strings and
        NaT where the pages say nothing about an indicator.

    Raises
    ------
    ParameterError
        Unknown period.
    ScorecardFileError
        A metadata file with a missing column, a release date that is not a date, a row that matches no
        indicator, or two rows for one indicator.

    Examples
    --------
    >>> info = load_indicator_info("2024-10").set_index("indicator")
    >>> info.loc["ks4_attainment8", ["covers", "period_covered"]].tolist()
    ['2022-23 DfE published', '2022-23']
    """
    from .editions import results_key, scorecard_dir

    folder = scorecard_dir(period or _latest_period(data_dir), data_dir)
    # Every report of an edition asks for it (0.1 s each): kept in the cache of derived results, keyed by the
    # editions' files, the reference files and the library's source, so a changed page is read again.
    name, key = f"{folder.name}-indicator-info", results_key(folder.name, data_dir=data_dir)
    cached = read_derived(name, key, ("all",), data_dir)
    if cached is not None:
        return cached[0]
    info = _indicator_info(folder, data_dir)
    write_derived(name, key, {"all": info}, data_dir)
    return info


def _indicator_info(folder: Path, data_dir) -> pd.DataFrame:
    raw, joined, _ = _joined(folder, data_dir)
    cat = load_catalogue(data_dir)
    ind = cat.indicators[[Indicator.indicator, Indicator.title, Indicator.period_type]]
    src = raw[SOURCES].assign(**{Indicator.indicator: joined[SOURCES]})
    src = (
        src[src[Indicator.indicator] != ""]
        .drop_duplicates(Indicator.indicator)
        .rename(columns={SourceRaw.code: IndicatorInfo.code_printed, SourceRaw.line: IndicatorInfo.sources_line})
    )
    dfn = raw[DEFINITIONS].assign(**{Indicator.indicator: joined[DEFINITIONS]})
    dfn = dfn[dfn[Indicator.indicator] != ""].rename(columns={DefinitionRaw.line: IndicatorInfo.definitions_line})
    keep_src = [
        Indicator.indicator,
        IndicatorInfo.code_printed,
        SourceRaw.source,
        SourceRaw.latest_data,
        SourceRaw.release_date,
        IndicatorInfo.sources_line,
    ]
    out = ind.merge(src[keep_src], on=Indicator.indicator, how="left")
    out = out.merge(
        dfn[[Indicator.indicator, DefinitionRaw.definition, IndicatorInfo.definitions_line]], on=Indicator.indicator, how="left"
    )
    text_cols = [
        IndicatorInfo.code_printed,
        SourceRaw.source,
        SourceRaw.latest_data,
        SourceRaw.release_date,
        DefinitionRaw.definition,
    ]
    out[text_cols] = out[text_cols].fillna("")
    rules = _read_reference("coverage.csv", Coverage, data_dir)
    cov = [coverage(t, p, rules) if t else ("", "", "") for t, p in zip(out[SourceRaw.latest_data], out[Indicator.period_type])]
    out[IndicatorInfo.covers], out[IndicatorInfo.period_covered], out[IndicatorInfo.period_covered_districts] = zip(*cov)
    out[IndicatorInfo.release_date] = pd.to_datetime(out[SourceRaw.release_date].map(_release))
    out[IndicatorInfo.caveats] = _caveats(raw[CAVEATS], out[Indicator.indicator], data_dir)
    for col in (IndicatorInfo.sources_line, IndicatorInfo.definitions_line):
        out[col] = out[col].astype("Int64")
    cols = list(IndicatorInfo.to_schema().columns)
    return schemas.validate(out[cols].reset_index(drop=True), IndicatorInfo, f"indicator info of edition {folder.name}")
