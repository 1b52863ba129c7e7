"""Small-number suppression for outputs meant for circulation.

The council's data-protection advice is that figures of 5 or fewer must not be
published where children could be identified. Any count from 1 to the threshold,
and any rate or percentage whose numerator or denominator lies in that range, is
withheld: the figure is removed (never rounded or altered) and flagged, so every
display can show the marker and its footnote. Zero is not suppressed: it identifies
no one. A threshold of 0 switches suppression off for an analyst's own run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..schemas import Assessed as A
from ..schemas import Indicator as I
from ..schemas import Scorecard as S
from ..schemas import Suppression

MARKER = "c"
FOOTNOTE = "c: withheld because it is based on {threshold} or fewer children (small-number suppression, data-protection advice)."
# Columns that carry (or are derived from) a row's figure and go with it when it is withheld.
_DERIVED = (
    S.value,
    S.numerator,
    S.denominator,
    A.dot_compared_value,
    A.england_gap,
    A.regional_gap,
    A.county_gap,
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


def suppress(frame: pd.DataFrame, threshold: int = 5, *, units: pd.Series | None = None) -> pd.DataFrame:
    """Withhold small numbers in an assessed (or long) frame.

    Parameters
    ----------
    frame : DataFrame
        Rows with ``value`` and, where known, ``numerator``, ``denominator`` and ``unit``
        (or ``indicator`` with ``units`` mapping indicator to unit).
    threshold : int
        Largest count withheld; 0 withholds nothing.
    units : Series, optional
        Indicator id to unit, for frames without a ``unit`` column; defaults to the catalogue.

    Returns
    -------
    DataFrame
        A new frame: withheld figures (and what is derived from them) set to missing or empty,
        and a boolean ``suppressed`` column.

    Examples
    --------
    >>> df = pd.DataFrame({"value": [75.0, 60.0, 3.0, 0.0], "numerator": [3, 60, None, None],
    ...                    "denominator": [4, 100, None, None], "unit": ["percent", "percent", "count", "count"]})
    >>> suppress(df)["suppressed"].tolist()
    [True, False, True, False]
    """
    threshold = check_threshold(threshold)
    if I.unit not in frame and units is None:
        from ..scorecard.catalogue import load_catalogue

        units = load_catalogue().indicators.set_index(S.indicator)[I.unit]
    unit = frame[I.unit] if I.unit in frame else frame[S.indicator].map(units)
    unit = unit.fillna("").to_numpy(object)
    num = frame[S.numerator].to_numpy(float) if S.numerator in frame else np.full(len(frame), np.nan)
    den = frame[S.denominator].to_numpy(float) if S.denominator in frame else np.full(len(frame), np.nan)
    is_count = unit == "count"
    hit = (is_count & small(frame[S.value], threshold)) | small(num, threshold) | small(den, threshold)
    if threshold == 0:
        hit = np.zeros(len(frame), dtype=bool)
    elif S.period in frame and all(c in frame for c in _SERIES):
        # Secondary suppression: a gap in a count series among zeros would betray a small number, so a
        # count series with any withheld period is withheld whole.
        series_hit = pd.Series(hit & is_count, index=frame.index).groupby([frame[c] for c in _SERIES]).transform("any")
        hit = hit | series_hit.to_numpy(bool)
    out = frame.copy()
    for col in _DERIVED:
        if col in out:
            if pd.api.types.is_numeric_dtype(out[col]):
                out.loc[hit, col] = np.nan
            else:
                out.loc[hit, col] = ""
    # A count's earlier value is withheld too when it is small.
    if A.dot_compared_value in out:
        prev_small = is_count & small(out[A.dot_compared_value], threshold)
        out.loc[prev_small, A.dot_compared_value] = np.nan
    return out.assign(**{Suppression.suppressed: hit})
