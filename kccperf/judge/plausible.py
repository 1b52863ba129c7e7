"""Targets worth a second look: flags for checking, not errors.

A printed target is flagged when

- ``year_change``: it moves from one reporting year's printed target to the next by more than a share
  of the earlier one (permanent exclusions 24 in 2023-24, 79 in 2024-25);
- ``outside_range``: it lies on the easy side of the county's latest figure, last year's outturn and the
  benchmarks, further beyond them than a multiple of their spread (a Progress 8 target of -1.00 where
  the figures span -0.19 to -0.02). Only where a benchmark is printed, and only for H and L indicators.

The thresholds are data (``data/reference/target_checks.csv``). A flag says what was compared; it does
not say the target is wrong, since a council may set a stretching or a cautious target on purpose.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schemas import Finding as F
from ..schemas import Published as P
from ..schemas import TargetCheck as TC

FINDING_COLUMNS = list(F.to_schema().columns)
CATEGORY = "implausible_target"


def _g(x: np.ndarray) -> np.ndarray:
    return np.array([f"{v:g}" for v in x], dtype=object)


def _threshold(checks: pd.DataFrame, name: str) -> float:
    hit = checks.loc[checks[TC.check] == name, TC.threshold]
    return float(hit.iloc[0]) if len(hit) else np.nan


def _one_row_per_target(published: pd.DataFrame, values, counties) -> pd.DataFrame:
    """Each distinct printed set of targets once, the county's row first (targets are the same in every area)."""
    rows = published.assign(_value=np.asarray(values, dtype=float), _county=published[P.area].isin(list(counties)))
    rows = rows.sort_values("_county", ascending=False, kind="stable")
    return rows.drop_duplicates([P.indicator, P.target_year, P.target, P.prev_target, P.next_target]).reset_index(drop=True)


def _year_changes(rows: pd.DataFrame, share: float) -> tuple[pd.DataFrame, int]:
    pairs = pd.concat(
        [
            pd.DataFrame({"a": rows[P.prev_target], "ya": rows[P.prev_year], "b": rows[P.target], "yb": rows[P.target_year]}),
            pd.DataFrame(
                {"a": rows[P.target], "ya": rows[P.target_year], "b": rows[P.next_target], "yb": rows[P.next_target_year]}
            ),
        ]
    ).join(rows[[P.area, P.indicator, P.source_file, P.source_row]])
    pairs = pairs[pairs["a"].notna() & pairs["b"].notna() & pairs["a"].ne(0)]
    pairs = pairs.drop_duplicates([P.indicator, "ya", "yb"])
    a, b = pairs["a"].to_numpy(float), pairs["b"].to_numpy(float)
    change = np.abs(b - a) / np.abs(a)
    bad = change > share + 1e-9
    sub = pairs[bad]
    return (
        _rows(
            sub,
            _g(b[bad]) + " for " + sub["yb"].to_numpy(object),
            "within " + f"{share:.0%}" + " of " + _g(a[bad]) + " (" + sub["ya"].to_numpy(object) + ")",
            "the target moves from "
            + _g(a[bad])
            + " in "
            + sub["ya"].to_numpy(object)
            + " to "
            + _g(b[bad])
            + " in "
            + sub["yb"].to_numpy(object)
            + np.array([f", a change of {c:.0%}" for c in change[bad]], dtype=object)
            + f" (a year's change above {share:.0%} is flagged for checking)",
        ),
        int((~bad).sum()),
    )


def _outside_range(rows: pd.DataFrame, polarity: pd.Series, spreads: float) -> tuple[pd.DataFrame, int]:
    pol = rows[P.indicator].map(polarity).fillna("").to_numpy(object)
    refs = rows[["_value", P.prev_outturn, P.benchmark, P.england]].to_numpy(float)
    t = rows[P.target].to_numpy(float)
    has_benchmark = np.isfinite(refs[:, 2:]).any(axis=1)
    ok = rows["_county"].to_numpy(bool) & has_benchmark & np.isfinite(t) & np.isin(pol, ["H", "L"])
    with np.errstate(all="ignore"):
        lo, hi = np.nanmin(np.where(ok[:, None], refs, 0), axis=1), np.nanmax(np.where(ok[:, None], refs, 0), axis=1)
    ok &= hi > lo  # with no spread there is no scale to call a distance large
    # How far the target lies beyond the comparisons on the side that is easier to meet.
    beyond = np.where(pol == "H", lo - t, t - hi)
    bad = ok & (beyond > spreads * (hi - lo) + 1e-9)
    sub = rows[bad]
    side = np.where(pol[bad] == "H", "below the lowest", "above the highest")
    return (
        _rows(
            sub,
            _g(t[bad]) + " for " + sub[P.target_year].to_numpy(object),
            "between " + _g(lo[bad]) + " and " + _g(hi[bad]),
            "the target lies "
            + _g(np.abs(beyond[bad]))
            + " "
            + side
            + " of "
            + sub[P.area].to_numpy(object)
            + "'s latest figure, last year's outturn and the benchmarks ("
            + _g(lo[bad])
            + " to "
            + _g(hi[bad])
            + f"), more than {spreads:g} times their spread, on the side that is easier to meet; flagged for checking",
        ),
        int((ok & ~bad).sum()),
    )


def _rows(sub: pd.DataFrame, published, computed, explanation) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            # A target applies to every area; the flag is the county's, whose row it is read from, so that
            # district pages do not each repeat it.
            F.area: sub[P.area].to_numpy(object),
            F.block: "",
            F.indicator: sub[P.indicator].to_numpy(object),
            F.category: CATEGORY,
            F.published: np.asarray(published, dtype=object),
            F.computed: np.asarray(computed, dtype=object),
            F.explanation: np.asarray(explanation, dtype=object),
            F.source_file: sub[P.source_file].to_numpy(object),
            F.source_row: sub[P.source_row].to_numpy(int),
        },
        index=pd.RangeIndex(len(sub)),
    )[FINDING_COLUMNS]
    return frame.astype({c: str for c in FINDING_COLUMNS if c != F.source_row}).astype({F.source_row: int})


def implausible_targets(
    published: pd.DataFrame, values, polarity: pd.Series, checks: pd.DataFrame, counties
) -> tuple[pd.DataFrame, int]:
    """Printed targets flagged for checking against the neighbouring years' targets and the benchmarks.

    Parameters
    ----------
    published : DataFrame
        Schema :class:`kccperf.schemas.Published`.
    values : array-like
        Each published row's latest figure, in the same order.
    polarity : Series
        ``H``, ``L`` or ``T`` indexed by indicator id.
    checks : DataFrame
        Schema :class:`kccperf.schemas.TargetCheck`; a check without a row is not made.
    counties : iterable of str
        The county areas, whose figures the range check compares with.

    Returns
    -------
    (DataFrame, int)
        Flags (schema :class:`kccperf.schemas.Finding`, category ``implausible_target``, indicator-wide) and how
        many comparisons were made without a flag.
    """
    rows = _one_row_per_target(published, values, counties)
    parts, passed = [], 0
    for name, check in (("year_change", _year_changes), ("outside_range", lambda r, x: _outside_range(r, polarity, x))):
        limit = _threshold(checks, name)
        if np.isfinite(limit):
            flags, ok = check(rows, limit)
            parts.append(flags)
            passed += ok
    flags = pd.concat(parts, ignore_index=True) if parts else _rows(rows.iloc[:0], [], [], [])
    return flags, passed
