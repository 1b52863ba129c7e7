"""Small-number suppression for outputs meant for circulation.

The council's data-protection advice is that figures of 5 or fewer must not be circulated where children
could be identified. A figure is withheld when anything printed with it would reveal a count from 1 to the
threshold:

- the count itself, its numerator or its denominator;
- its complement within the denominator (7 of 8 EHCPs on time means 1 late);
- a percentage read with the series' printed denominator (62.5% of 8 is 5), in every period of a trend;
- the county total minus the districts still shown (secondary suppression): while one district alone is
  withheld, or the county minus the shown districts is 1 to the threshold, the next smallest district is
  withheld too.

A withheld figure is removed (never rounded or altered) with everything derived from it, and flagged, so every
display shows the marker and its footnote. A series whose latest figure is withheld is withheld in every
period, and so is a count series with any withheld period (a gap among zeros betrays the count). Zero is
never withheld: it identifies no one. A threshold of 0 switches suppression off for an analyst's own run.
Secondary suppression needs the county and its districts in the same frame: suppress the whole edition,
then pick out an area.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..schemas import Assessed as A
from ..schemas import Indicator as I
from ..schemas import PublishedRating as PR
from ..schemas import RatingCheck as RC
from ..schemas import Scorecard as S
from ..schemas import Suppression
from ._areas import rows_of_area

MARKER = "c"
FOOTNOTE = "c: withheld because it is based on {threshold} or fewer children (small-number suppression, data-protection advice)."
COUNTY = "Kent"
# Columns that carry (or are derived from) a row's figure and go with it when it is withheld.
_DERIVED = (
    S.value,
    S.numerator,
    S.denominator,
    A.dot_compared_value,
    A.england_gap,
    A.regional_gap,
    A.county_gap,
    A.county_share,  # times the county's total, it gives the count back
    A.ci_low,
    A.ci_high,
    A.rank,
    A.rank_of,
    A.quartile,
    A.sig_vs_county,
    A.sig_vs_england,
    A.funnel,
    A.vs_england,
    A.vs_regional,
    A.vs_county,
    A.rag,
    A.rag_reason,
    A.previous_rag,
    A.rating,
    A.rating_basis,
    PR.published_rag,
    RC.rating_check,
    RC.rating_check_reason,
    A.direction,
    A.dot_arrow,
    A.dot_reason,
    # Funnel limits depend on the denominator alone, so they would give it away.
    A.funnel_95_low,
    A.funnel_95_high,
    A.funnel_998_low,
    A.funnel_998_high,
)
_SERIES = [S.area, S.block, S.indicator]
# Units whose value is a percentage of the denominator (the "rate" indicators are printed as percentages).
_PERCENT_UNITS = ("percent", "rate")
# Half the last printed decimal: a percentage printed to 0.1 fits k of n when 100 k / n is within this.
_PRINT_TOLERANCE = 0.05 + 1e-9


def check_threshold(threshold) -> int:
    """Validate a suppression threshold parameter (a whole number, 0 to switch suppression off)."""
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)) or threshold < 0:
        raise ParameterError(
            f"parameter 'suppress_threshold' is {threshold!r}; expected a whole number, 0 or more (0 shows every figure)."
        )
    return int(threshold)


def small(values, threshold: int) -> np.ndarray:
    """True where a figure is a count from 1 to ``threshold``."""
    v = np.asarray(values, dtype=float)
    return np.isfinite(v) & (v >= 1) & (v <= threshold)


def implied_small(percent, denominator, threshold: int) -> np.ndarray:
    """True where a percentage, read with its denominator, reveals a count or complement from 1 to ``threshold``.

    Examples
    --------
    >>> implied_small([62.5, 87.5, 50.0, 100.0, 0.0], [8, 8, 40, 8, 8], 5).tolist()
    [True, True, False, False, False]
    """
    p = np.asarray(percent, dtype=float)
    n = np.asarray(denominator, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        k = np.round(p * n / 100)
        fits = np.abs(100 * k / n - p) <= _PRINT_TOLERANCE
    return np.isfinite(k) & (n > 0) & fits & (small(k, threshold) | small(n - k, threshold))


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A numeric column as floats, or missing throughout when the frame has none."""
    return frame[name].to_numpy(float) if name in frame else np.full(len(frame), np.nan)


def _series_keys(frame: pd.DataFrame) -> list[pd.Series] | None:
    """The keys of each printed series (area, block, indicator), or None when the frame lacks them."""
    return [frame[c] for c in _SERIES] if all(c in frame for c in _SERIES) else None


def _primary(frame: pd.DataFrame, unit: np.ndarray, threshold: int) -> np.ndarray:
    """Rows whose own figures reveal a small count: the count, numerator, denominator, complement or implied count."""
    value, num, den = _column(frame, S.value), _column(frame, S.numerator), _column(frame, S.denominator)
    keys = _series_keys(frame)
    # Earlier periods print only the percentage: read it with the denominator the series prints.
    series_den = pd.Series(den, index=frame.index).groupby(keys).transform("max").to_numpy(float) if keys else den
    is_count = unit == "count"
    is_percent = np.isin(unit, _PERCENT_UNITS)
    return (
        (is_count & small(value, threshold))
        | small(num, threshold)
        | small(den, threshold)
        | small(den - num, threshold)
        | (is_percent & implied_small(value, series_den, threshold))
    )


def _whole_series(frame: pd.DataFrame, hit: np.ndarray, unit: np.ndarray) -> np.ndarray:
    """Spread a withheld latest figure to every period of its series, and any withheld count to its whole series."""
    keys = _series_keys(frame)
    if keys is None or S.period not in frame:
        return hit
    if S.is_latest in frame:
        latest = frame[S.is_latest].to_numpy(bool)
    else:
        latest = (frame[S.period] == frame[S.period].groupby(keys).transform("max")).to_numpy(bool)
    spread = pd.Series(hit & (latest | (unit == "count")), index=frame.index).groupby(keys).transform("any")
    return hit | spread.to_numpy(bool)


_MEMBER, _NUM, _DEN, _CNT, _HIT, _SIZE = "_member", "_num", "_den", "_cnt", "_hit", "_size"
_MEASURES = [_NUM, _DEN, _CNT]


def _figures(frame: pd.DataFrame, unit: np.ndarray, hit: np.ndarray) -> pd.DataFrame:
    """Each row's additive figures (numerator, denominator, count) and who it is: the district, or its team block."""
    block = frame[S.block].fillna("").to_numpy(object) if S.block in frame else np.full(len(frame), "", dtype=object)
    return pd.DataFrame(
        {
            S.indicator: frame[S.indicator].to_numpy(object),
            S.period: frame[S.period].to_numpy(object) if S.period in frame else "",
            _MEMBER: np.where(block != "", block, frame[S.area].to_numpy(object)),
            _NUM: _column(frame, S.numerator),
            _DEN: _column(frame, S.denominator),
            _CNT: np.where(unit == "count", _column(frame, S.value), np.nan),
            _HIT: hit,
        },
        index=frame.index,
    )


def _needs_more(members: pd.DataFrame, county: pd.DataFrame, threshold: int) -> pd.Series:
    """Per indicator and period: True while one district alone is withheld, or the county minus the shown ones is small."""
    group = [S.indicator, S.period]
    shown = members[~members[_HIT]].groupby(group)[_MEASURES].sum()
    withheld = members[members[_HIT]].groupby(group).size().reindex(county.index, fill_value=0)
    rest = county[_MEASURES] - shown.reindex(county.index).fillna(0)
    revealing = (
        small(rest[_NUM], threshold)
        | small(rest[_DEN], threshold)
        | small(rest[_DEN] - rest[_NUM], threshold)
        | small(rest[_CNT], threshold)
    )
    printed = county[_MEASURES].notna().any(axis=1) & ~county[_HIT]
    return printed & ((withheld == 1) | revealing)


def _secondary(frame: pd.DataFrame, unit: np.ndarray, hit: np.ndarray, threshold: int, county: str) -> np.ndarray:
    """Withhold the next smallest district until the county minus the shown districts reveals nothing small.

    A team block shared by two districts is one member; the choice is deterministic (smallest denominator, or
    count, then name).
    """
    if S.area not in frame or S.indicator not in frame:
        return hit
    figures = _figures(frame, unit, hit)
    is_county = (frame[S.area] == county).to_numpy(bool) & (figures[_MEMBER] == county).to_numpy(bool)
    group = [S.indicator, S.period]
    totals = figures[is_county].drop_duplicates(group).set_index(group)
    members = figures[~is_county & figures[_MEASURES].notna().any(axis=1).to_numpy(bool)]
    members = members.drop_duplicates([*group, _MEMBER]).copy()
    if totals.empty or members.empty:
        return hit
    for _ in range(len(members)):  # each round withholds at least one more member, or stops
        need = _needs_more(members, totals, threshold)
        candidates = members[~members[_HIT]].join(need.rename("_need"), on=group)
        candidates = candidates[candidates["_need"].fillna(False).astype(bool)]
        if candidates.empty:
            break
        size = candidates[_DEN].fillna(candidates[_CNT]).fillna(candidates[_NUM])
        picked = candidates.assign(**{_SIZE: size}).sort_values([*group, _SIZE, _MEMBER]).drop_duplicates(group).index
        members.loc[picked, _HIT] = True
    withheld = pd.MultiIndex.from_frame(members.loc[members[_HIT], [*group, _MEMBER]])
    rows = pd.MultiIndex.from_frame(figures[[*group, _MEMBER]])
    return hit | (rows.isin(withheld) & ~is_county)


def withheld(frame: pd.DataFrame, threshold: int = 5, *, units: pd.Series | None = None, county: str = COUNTY) -> np.ndarray:
    """Which rows of a scorecard (long or assessed) must be withheld: True where a figure reveals a small count.

    Parameters
    ----------
    frame : DataFrame
        Rows with ``value`` and, where known, ``numerator``, ``denominator``, ``unit`` (or ``indicator`` with
        ``units``), and for series and secondary suppression ``area``, ``block``, ``indicator`` and ``period``.
    threshold : int
        Largest count withheld; 0 withholds nothing.
    units : Series, optional
        Indicator id to unit, for frames without a ``unit`` column; defaults to the catalogue.
    county : str
        The area whose figures are the total of the districts.

    Returns
    -------
    numpy.ndarray
        One boolean per row.
    """
    threshold = check_threshold(threshold)
    unit = _units(frame, units)
    if threshold == 0:
        return np.zeros(len(frame), dtype=bool)
    hit = _primary(frame, unit, threshold)
    hit = _secondary(frame, unit, hit, threshold, county)
    return _whole_series(frame, hit, unit)


def _units(frame: pd.DataFrame, units: pd.Series | None) -> np.ndarray:
    """Each row's unit, from the frame or the catalogue."""
    if I.unit in frame:
        return frame[I.unit].fillna("").to_numpy(object)
    if units is None:
        from ..scorecard.catalogue import load_catalogue

        units = load_catalogue().indicators.set_index(S.indicator)[I.unit]
    return frame[S.indicator].map(units).fillna("").to_numpy(object)


def suppress(
    frame: pd.DataFrame,
    threshold: int = 5,
    *,
    units: pd.Series | None = None,
    county: str = COUNTY,
    area: str | None = None,
) -> pd.DataFrame:
    """Withhold small numbers in an assessed (or long) frame.

    Give the whole edition (the county and every district) so that secondary suppression can see the
    county total; ``area`` then keeps one area's rows.

    Parameters
    ----------
    frame : DataFrame
        As for :func:`withheld`.
    threshold : int
        Largest count withheld; 0 withholds nothing.
    units : Series, optional
        Indicator id to unit, for frames without a ``unit`` column; defaults to the catalogue.
    county : str
        The area whose figures are the total of the districts.
    area : str, optional
        Keep only this area's rows (a name or slug), after suppressing the whole frame.

    Returns
    -------
    DataFrame
        A new frame: withheld figures (and what is derived from them) set to missing or empty, an earlier
        value that would reveal a small count removed, and a boolean ``suppressed`` column.

    Examples
    --------
    >>> df = pd.DataFrame({"value": [75.0, 60.0, 87.5, 3.0, 0.0], "numerator": [3, 60, 7, None, None],
    ...                    "denominator": [4, 100, 8, None, None],
    ...                    "unit": ["percent", "percent", "percent", "count", "count"]})
    >>> suppress(df)["suppressed"].tolist()
    [True, False, True, True, False]
    """
    hit = withheld(frame, threshold, units=units, county=county)
    out = frame.copy()
    for col in _DERIVED:
        if col in out:
            out.loc[hit, col] = np.nan if pd.api.types.is_numeric_dtype(out[col]) else ""
    if A.dot_compared_value in out and threshold:
        # The earlier value printed beside a shown figure must not reveal a small count either.
        unit = _units(frame, units)
        prev = out[A.dot_compared_value].to_numpy(float)
        prev_hit = ((unit == "count") & small(prev, threshold)) | (
            np.isin(unit, _PERCENT_UNITS) & implied_small(prev, _column(frame, S.denominator), threshold)
        )
        out.loc[prev_hit, A.dot_compared_value] = np.nan
    out = out.assign(**{Suppression.suppressed: hit})
    if area is None:
        return out
    return rows_of_area(out, area)
