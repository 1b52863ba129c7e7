"""Benchmark comparisons: gaps to England, the regional group and the county; ranks and quartile bands
among districts; Wilson confidence intervals, significance and funnel-plot limits.

Significance follows public-health benchmarking practice: an area is significantly
better or worse than a comparator when the comparator's value lies outside the area's
95% confidence interval (Wilson score interval, computed as statsmodels computes it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schemas import Assessed as A
from ..schemas import Indicator as I
from ..schemas import Scorecard as S
from ..schemas import Target as T

# Two-sided normal quantiles for the funnel plot's control limits.
Z_95 = 1.959963984540054
Z_998 = 3.090232306167813
_EPS = 1e-9


def better_or_worse(gap: np.ndarray, polarity: np.ndarray, closer: np.ndarray | None = None) -> np.ndarray:
    """'better', 'worse' or 'same' from ``value - comparator`` by polarity; T uses ``closer`` (>0: closer to target)."""
    gap = np.asarray(gap, dtype=float)
    pol = np.asarray(polarity, dtype=object)
    signed = np.where(pol == "H", gap, np.where(pol == "L", -gap, np.nan if closer is None else closer))
    return np.select([~np.isfinite(signed), np.abs(signed) < _EPS, signed > 0], ["", "same", "better"], default="worse").astype(
        object
    )


def wilson_interval(numerator, denominator, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for proportions, in percent; NaN where the figures are not counts.

    Examples
    --------
    >>> lo, hi = wilson_interval([274], [1240])
    >>> round(float(lo[0]), 2), round(float(hi[0]), 2)
    (19.88, 24.49)
    """
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    ok = (
        np.isfinite(num)
        & np.isfinite(den)
        & (den > 0)
        & (num >= 0)
        & (num <= den)
        & (np.abs(num - np.round(num)) < _EPS)
        & (np.abs(den - np.round(den)) < _EPS)
    )
    lo = np.full(num.shape, np.nan)
    hi = np.full(num.shape, np.nan)
    if ok.any():
        low, high = _wilson(num[ok], den[ok], _upper_quantile(alpha / 2))
        lo[ok], hi[ok] = low * 100, high * 100
    return lo, hi


def _wilson(count: np.ndarray, nobs: np.ndarray, crit: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (fractions, within 0 to 1) for ``count`` of ``nobs`` with normal quantile ``crit``.

    statsmodels' ``proportion_confint(method="wilson")``, operation for operation, so the bounds agree with it to
    rounding (to the last bit with current numpy); importing statsmodels (it imports scipy.stats) took a report's
    process 1.5 s.
    """
    q = count / nobs
    crit2 = crit**2
    denom = 1 + crit2 / nobs
    center = (q + crit2 / (2 * nobs)) / denom
    dist = crit * np.sqrt(q * (1.0 - q) / nobs + crit2 / (4.0 * nobs**2))
    dist /= denom
    return np.clip(center - dist, 0, 1), np.clip(center + dist, 0, 1)


def _upper_quantile(tail: float) -> float:
    """The standard normal quantile with ``tail`` above it, as ``scipy.stats.norm.isf`` gives it."""
    from scipy.special import ndtri  # imported here: scipy.special takes a tenth of a second and few callers need it

    return -ndtri(tail)


def funnel_limits(p0_percent, n, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """Funnel-plot control limits (percent) around a comparator proportion for sample sizes ``n``.

    Normal approximation to the binomial, ``p0 ± z·sqrt(p0(1-p0)/n)``, clipped to 0-100.

    Examples
    --------
    >>> lo, hi = funnel_limits(50.0, [100])
    >>> round(float(lo[0]), 1), round(float(hi[0]), 1)
    (40.2, 59.8)
    """
    p0 = np.asarray(p0_percent, dtype=float) / 100
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        half = z * np.sqrt(p0 * (1 - p0) / n)
    return np.clip(p0 - half, 0, 1) * 100, np.clip(p0 + half, 0, 1) * 100


def _significance(lo, hi, ref, polarity) -> np.ndarray:
    higher = lo > ref + _EPS
    lower = hi < ref - _EPS
    pol = np.asarray(polarity, dtype=object)
    judged = np.isfinite(lo) & np.isfinite(ref) & np.isin(pol, ["H", "L"])
    better = np.where(pol == "H", higher, lower)
    worse = np.where(pol == "H", lower, higher)
    return np.select(
        [~judged, better, worse], ["", "significantly better", "significantly worse"], default="not significantly different"
    ).astype(object)


def _t_closer(value, ref, target, lo_r, hi_r) -> np.ndarray:
    """For T indicators: positive when ``value`` is closer to success than ``ref``."""
    has = np.isfinite(lo_r) & np.isfinite(hi_r)

    def dist(x):
        return np.where(has, np.maximum(np.maximum(lo_r - x, x - hi_r), 0.0), np.abs(x - target))

    return dist(ref) - dist(value)


def benchmark(latest: pd.DataFrame, *, county: str = "Kent") -> pd.DataFrame:
    """Compare each latest-period row with England, its regional group, the county and the other districts.

    Parameters
    ----------
    latest : DataFrame
        One row per area, block and indicator at the latest period, with ``area, block, indicator,
        period, polarity, value, numerator, denominator, england, regional``; optional ``target``,
        ``range_low``, ``range_high`` (T indicators) and ``unit`` (intervals are computed only for
        ``percent`` and ``rate``).
    county : str
        The area that is the comparator for the districts, and excluded from their ranks.

    Returns
    -------
    DataFrame
        A new frame with ``england_gap, vs_england, regional_gap, vs_regional, county_value,
        county_gap, vs_county, rank, rank_of, quartile, ci_low, ci_high, sig_vs_county,
        sig_vs_england, funnel_95_low, funnel_95_high, funnel_998_low, funnel_998_high, funnel`` and
        ``county_share``. For counts (``unit`` ``count``) there is no gap to the county (a district's count
        against the county's total says nothing): ``county_share`` is the district's share of it, in percent.
        Rank 1 is best; ties share the best rank; quartile A is the best quarter.
    """
    df = latest
    n = len(df)
    nan = np.full(n, np.nan)
    v = df[S.value].to_numpy(dtype=float)
    pol = df[S.polarity].to_numpy(dtype=object)
    t = df[T.target].to_numpy(dtype=float) if T.target in df else nan
    lo_r = df[T.range_low].to_numpy(dtype=float) if T.range_low in df else nan
    hi_r = df[T.range_high].to_numpy(dtype=float) if T.range_high in df else nan
    eng = df[S.england].to_numpy(dtype=float) if S.england in df else nan
    reg = df[S.regional].to_numpy(dtype=float) if S.regional in df else nan

    # The county's own row is the comparator for every district row of that indicator and period.
    is_county = (df[S.area] == county).to_numpy()
    county_rows = df.loc[is_county & (df[S.block] == "").to_numpy(), [S.indicator, S.period, S.value]]
    county_rows = county_rows.drop_duplicates([S.indicator, S.period])
    key = pd.MultiIndex.from_frame(df[[S.indicator, S.period]])
    cv = county_rows.set_index([S.indicator, S.period])[S.value].reindex(key).to_numpy(dtype=float)
    cv = np.where(is_county, np.nan, cv)

    # Ranks among districts (not the county): larger score is better.
    dist = np.where(np.isfinite(lo_r) & np.isfinite(hi_r), np.maximum(np.maximum(lo_r - v, v - hi_r), 0.0), np.abs(v - t))
    # T: distance outside the range first, then closeness to the target breaks ties inside it.
    score = np.where(pol == "H", v, np.where(pol == "L", -v, -(dist * 1e6 + np.abs(v - t))))
    rankable = ~is_county & np.isfinite(score)
    group = pd.Series(np.where(rankable, score, np.nan), index=df.index)
    grouping = [df[S.indicator], df[S.period]]
    rank = group.groupby(grouping).rank(method="min", ascending=False).to_numpy()
    rank_of = group.notna().groupby(grouping).transform("sum").to_numpy(dtype=float)
    share = (rank - 1) / rank_of
    quartile = np.select([~np.isfinite(rank), share < 0.25, share < 0.5, share < 0.75], ["", "A", "B", "C"], default="D")

    unit = df[I.unit].to_numpy(dtype=object) if I.unit in df else np.full(n, "percent", dtype=object)
    proportion = np.isin(unit, ["percent", "rate"])
    num = np.where(proportion, df[S.numerator].to_numpy(dtype=float), np.nan)
    den = df[S.denominator].to_numpy(dtype=float)
    ci_lo, ci_hi = wilson_interval(num, den)
    f95 = funnel_limits(cv, den, Z_95)
    f998 = funnel_limits(cv, den, Z_998)
    has_ci = np.isfinite(ci_lo) & np.isfinite(cv)
    outside998 = (v < f998[0] - _EPS) | (v > f998[1] + _EPS)
    outside95 = (v < f95[0] - _EPS) | (v > f95[1] + _EPS)
    funnel = np.select(
        [~has_ci, outside998, outside95], ["", "outside 99.8% limits", "outside 95% limits"], default="within 95% limits"
    )

    # A gap between a district's count and the county's total means nothing: a count is a share of the county instead.
    count = unit == "count"
    county_gap = np.where(count, np.nan, v - cv)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(count & np.isfinite(cv) & (cv > 0), v / cv * 100, np.nan)
    return df.assign(
        **{
            A.england_gap: v - eng,
            A.vs_england: better_or_worse(v - eng, pol, _t_closer(v, eng, t, lo_r, hi_r)),
            A.regional_gap: v - reg,
            A.vs_regional: better_or_worse(v - reg, pol, _t_closer(v, reg, t, lo_r, hi_r)),
            A.county_value: cv,
            A.county_gap: county_gap,
            A.county_share: share,
            A.vs_county: better_or_worse(county_gap, pol, _t_closer(v, cv, t, lo_r, hi_r)),
            A.rank: rank,
            A.rank_of: np.where(np.isfinite(rank), rank_of, np.nan),
            A.quartile: quartile.astype(object),
            A.ci_low: ci_lo,
            A.ci_high: ci_hi,
            A.sig_vs_county: _significance(ci_lo, ci_hi, cv, pol),
            A.sig_vs_england: _significance(ci_lo, ci_hi, eng, pol),
            A.funnel_95_low: np.where(has_ci, f95[0], np.nan),
            A.funnel_95_high: np.where(has_ci, f95[1], np.nan),
            A.funnel_998_low: np.where(has_ci, f998[0], np.nan),
            A.funnel_998_high: np.where(has_ci, f998[1], np.nan),
            A.funnel: funnel.astype(object),
        }
    )
