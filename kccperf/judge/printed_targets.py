"""Each edition's own printed targets: a figure is rated against the target its edition printed.

``data/reference/targets.csv`` holds the targets (and the floors and ranges, which the scorecard does not print)
per indicator and reporting year. A later edition may print a new target for the same year, as November 2024
does for elective home education (60 → 75). Rating November's figures against the October file's target would
contradict the page they are printed on, so the target each edition prints takes the file's place for that
edition; the floors, ranges and where they came from stay as the file records them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schemas import Published as P
from ..schemas import Target as T

# The three targets a printed row can carry, each with the reporting year it is for.
_PRINTED = ((P.target_year, P.target), (P.prev_year, P.prev_target), (P.next_target_year, P.next_target))


def _long(rows: pd.DataFrame) -> pd.DataFrame:
    """Each printed row once per target it carries: its columns, ``year`` and ``target`` (printed targets only)."""
    parts = [rows.assign(**{T.year: rows[year], T.target: rows[value].astype(float)}) for year, value in _PRINTED]
    long = pd.concat(parts, ignore_index=True)
    return long[np.isfinite(long[T.target].to_numpy(float)) & (long[T.year] != "")]


def printed_targets(published: pd.DataFrame, county: str = "Kent") -> pd.DataFrame:
    """One printed target per indicator and reporting year (the county's printing first), with where it was printed.

    Returns a frame with ``indicator, year, target, provenance``.
    """
    rows = published.assign(_county=published[P.area] == county).sort_values("_county", ascending=False, kind="stable")
    long = _long(rows).drop_duplicates([T.indicator, T.year])
    where = long[P.source_file] + " row " + long[P.source_row].astype(str)
    return long.assign(**{T.provenance: where})[[T.indicator, T.year, T.target, T.provenance]].reset_index(drop=True)


def row_targets(published: pd.DataFrame) -> pd.Series:
    """The target each printed row carries for each reporting year, indexed by ``area, block, indicator, year``.

    A district's table may print a target of its own (or N/A where the target is the county's alone); the
    figure on that row is rated against it.
    """
    key = [P.area, P.block, P.indicator, T.year]
    return _long(published).drop_duplicates(key).set_index(key)[T.target]


def with_printed_targets(targets: pd.DataFrame, published: pd.DataFrame, county: str = "Kent") -> pd.DataFrame:
    """``targets`` (schema :class:`kccperf.schemas.Target`) with each target the edition printed in its place.

    A printed target that differs from the file's replaces it, and the row's provenance says so; a target the file
    does not hold is added with an unknown floor. Everything else is the file's. Returns a new frame.

    Examples
    --------
    >>> t = pd.DataFrame({"indicator": ["ehe"], "year": ["2024-25"], "target": [60.0], "floor": [np.nan],
    ...     "floor_source": ["unknown"], "floor_low": [np.nan], "floor_high": [np.nan], "range_low": [np.nan],
    ...     "range_high": [np.nan], "applies_to": ["all"], "provenance": ["published target"]})
    >>> p = pd.DataFrame({"area": ["Kent"], "indicator": ["ehe"], "target_year": ["2024-25"], "target": [75.0],
    ...     "prev_year": [""], "prev_target": [np.nan], "next_target_year": [""], "next_target": [np.nan],
    ...     "source_file": ["raw/kent.tsv"], "source_row": [8]})
    >>> with_printed_targets(t, p)[["target", "provenance"]].values.tolist()
    [[75.0, 'published target; this edition prints 75 (raw/kent.tsv row 8)']]
    """
    printed = printed_targets(published, county).set_index([T.indicator, T.year])
    out = targets.copy()
    key = pd.MultiIndex.from_frame(out[[T.indicator, T.year]])
    new = printed[T.target].reindex(key).to_numpy(float)
    where = printed[T.provenance].reindex(key).fillna("").to_numpy(object)
    old = out[T.target].to_numpy(float)
    changed = np.isfinite(new) & ~np.isclose(new, old, equal_nan=False)
    out[T.target] = np.where(changed, new, old)
    out[T.provenance] = np.where(
        changed,
        out[T.provenance].to_numpy(object)
        + "; this edition prints "
        + pd.Series(new).map("{:g}".format).to_numpy(object)
        + " ("
        + where
        + ")",
        out[T.provenance].to_numpy(object),
    )
    missing = printed[~printed.index.isin(key)].reset_index()
    added = missing.assign(
        **{
            T.floor: np.nan,
            T.floor_source: "unknown",
            T.floor_low: np.nan,
            T.floor_high: np.nan,
            T.range_low: np.nan,
            T.range_high: np.nan,
            T.applies_to: "all",
            T.provenance: "printed target, " + missing[T.provenance],
        }
    )[list(out.columns)]
    return pd.concat([out, added], ignore_index=True) if len(added) else out
