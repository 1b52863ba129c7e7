"""Direction of travel: the latest value against the previous period of the same series, by polarity.

Improved means better by the indicator's polarity (H: higher, L: lower, T: closer to the
target or inside its range), whatever the direction of the number. Two values equal at
the precision they were published to are "same". A seasonally affected indicator is
compared with the same period a year earlier.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ValidationError
from ..schemas import Direction as D
from ..schemas import Indicator as I
from ..schemas import Scorecard as S
from ..schemas import Target as T
from ..scorecard import periods as P

ARROW = {"improved": "↑", "worsened": "↓", "same": "↔", "not comparable": ""}
REQUIRED = (S.area, S.block, S.indicator, S.polarity, S.period_type, S.period, S.value)


def _series_codes(frame: pd.DataFrame) -> np.ndarray:
    # One integer per (area, block, indicator): factorising each column is far cheaper than grouping on strings.
    codes = np.zeros(len(frame), dtype=np.int64)
    for col in (S.area, S.block, S.indicator):
        c, u = pd.factorize(frame[col], sort=False)
        codes = codes * (len(u) + 1) + c
    return pd.factorize(codes)[0]


def _distance(v, t, lo, hi):
    """How far a T value is from success: 0 inside the range, else the gap to the range (or to the target)."""
    has_range = np.isfinite(lo) & np.isfinite(hi)
    return np.where(has_range, np.maximum(np.maximum(lo - v, v - hi), 0.0), np.abs(v - t))


def direction(frame: pd.DataFrame, targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Direction of travel of each series at its latest period.

    Parameters
    ----------
    frame : DataFrame
        The long scorecard (all periods): ``area, block, indicator, polarity, period_type, period, value``;
        optional ``decimals`` (published precision), ``seasonal`` (bool) and, for T indicators,
        ``target``, ``range_low``, ``range_high``.
    targets : DataFrame, optional
        ``indicator, year, target, range_low, range_high``: where given, T series are judged against the
        target of their latest period's reporting year (instead of columns of ``frame``).

    Returns
    -------
    DataFrame
        One row per series: its key, ``row`` (position of the latest row in ``frame``), ``period``
        (latest), ``value``, ``direction`` (improved, worsened,
        same, not comparable), ``dot_arrow`` (↑ ↓ ↔ or empty), ``dot_compared_period`` (label),
        ``dot_compared_value`` and ``dot_reason``.

    Examples
    --------
    >>> df = pd.DataFrame({"area": "Kent", "block": "", "indicator": "x", "polarity": "L", "period_type": "MS",
    ...                    "period": ["2024-09", "2024-10"], "value": [20.0, 20.9], "decimals": 1.0})
    >>> direction(df)[["direction", "dot_arrow", "dot_compared_label"]].values.tolist()
    [['worsened', '↓', 'Sep-24']]
    """
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValidationError(f"direction: column '{missing[0]}' is missing; expected columns {', '.join(REQUIRED)}.")
    n = len(frame)
    series = _series_codes(frame)
    ordinal = P.ordinals(frame[S.period].to_numpy(), frame[S.period_type].to_numpy())
    if np.isnan(ordinal).any():
        bad = frame.index[np.isnan(ordinal)][:5]
        raise ValidationError(
            f"direction: rows {', '.join(map(str, bad))}, column 'period': expected a period key such as '2024-10'."
        )
    ordinal = ordinal.astype(np.int64)
    order = np.lexsort((ordinal, series))
    s_sorted, o_sorted = series[order], ordinal[order]
    dup = np.flatnonzero((s_sorted[1:] == s_sorted[:-1]) & (o_sorted[1:] == o_sorted[:-1]))
    if len(dup):
        rows = sorted({*frame.index[order[dup]][:3], *frame.index[order[dup + 1]][:3]})
        raise ValidationError(
            f"direction: rows {', '.join(map(str, rows))} repeat one area, block, indicator and period "
            "(columns area, block, indicator, period); expected one row each."
        )
    last = np.r_[s_sorted[1:] != s_sorted[:-1], True]
    latest = order[last]

    values = frame[S.value].to_numpy(dtype=float)
    decimals = frame[S.decimals].to_numpy(dtype=float) if S.decimals in frame else np.full(n, np.nan)
    ptype = frame[S.period_type].to_numpy(dtype=object)
    seasonal = frame[I.seasonal].to_numpy(dtype=bool) if I.seasonal in frame else np.zeros(n, dtype=bool)
    kinds = np.array([P.KIND_OF_PERIOD_TYPE.get(t, "monthly") for t in ptype[latest]], dtype=object)
    per_year = np.array([P.PER_YEAR[k] for k in kinds])
    step = np.where(seasonal[latest], per_year, 1)
    want = ordinal[latest] - step

    # Look the wanted (series, ordinal) up in the sorted keys.
    base = o_sorted.min() if n else 0
    span = int(o_sorted.max() - base + 1) if n else 1
    keys = s_sorted.astype(np.int64) * span + (o_sorted - base)
    wanted = series[latest].astype(np.int64) * span + (want - base)
    pos = np.clip(np.searchsorted(keys, wanted), 0, max(n - 1, 0))
    found = (keys[pos] == wanted) & (want >= base)
    prev_idx = order[pos]

    v = values[latest]
    pv = np.where(found, values[prev_idx], np.nan)
    # Compare at the precision both figures were published to.
    d = np.fmin(decimals[latest], np.where(found, decimals[prev_idx], np.nan))
    d = np.where(np.isfinite(d), d, 6).astype(int)
    scale = 10.0**d
    vr, pr = np.round(v * scale) / scale, np.round(pv * scale) / scale

    pol = frame[S.polarity].to_numpy(dtype=object)[latest]
    t = frame[T.target].to_numpy(dtype=float)[latest] if T.target in frame else np.full(len(latest), np.nan)
    lo = frame[T.range_low].to_numpy(dtype=float)[latest] if T.range_low in frame else np.full(len(latest), np.nan)
    hi = frame[T.range_high].to_numpy(dtype=float)[latest] if T.range_high in frame else np.full(len(latest), np.nan)
    if targets is not None and (pol == "T").any():
        is_t = pol == "T"
        years = P.reporting_years(frame[S.period].to_numpy()[latest][is_t], ptype[latest][is_t])
        tk = pd.MultiIndex.from_arrays([frame[S.indicator].to_numpy()[latest][is_t], years])
        tg = targets.drop_duplicates([S.indicator, T.year]).set_index([S.indicator, T.year])
        t[is_t] = tg[T.target].reindex(tk).to_numpy(float)
        lo[is_t] = tg[T.range_low].reindex(tk).to_numpy(float)
        hi[is_t] = tg[T.range_high].reindex(tk).to_numpy(float)
    # Better is positive: H wants up, L wants down, T wants a smaller distance from success.
    # T: leaving or entering the range decides first; within it (or equally far out), closeness to the target does.
    t_gain = _distance(pr, t, lo, hi) - _distance(vr, t, lo, hi)
    t_gain = np.where(np.abs(t_gain) > 1e-9, t_gain, np.abs(pr - t) - np.abs(vr - t))
    gain = np.where(pol == "H", vr - pr, np.where(pol == "L", pr - vr, t_gain))
    t_unjudged = (pol == "T") & ~np.isfinite(t) & ~(np.isfinite(lo) & np.isfinite(hi))

    labels_latest = P.labels(frame[S.period].to_numpy()[latest], ptype[latest])
    want_keys = np.array([P.Period(k, int(o)).key for k, o in zip(kinds, want)], dtype=object)
    want_labels = np.array([P.Period(k, int(o)).label for k, o in zip(kinds, want)], dtype=object)
    conds = [~np.isfinite(v), ~found, ~np.isfinite(pv), t_unjudged, np.abs(gain) < 1e-9, gain > 0]
    dot = np.select(conds, ["not comparable"] * 4 + ["same", "improved"], default="worsened").astype(object)
    how = np.where(seasonal[latest], " (seasonal: same period a year earlier)", "")
    reason = np.select(
        conds,
        [
            "no value for " + labels_latest,
            np.where(
                seasonal[latest],
                "seasonal indicator and " + want_labels + " is not in the series",
                "no " + want_labels + " in the series",
            ),
            "no value for " + want_labels,
            "no target to judge a T indicator by",
            "equal to " + want_labels + " at published precision" + how,
            "better than " + want_labels + how,
        ],
        default="worse than " + want_labels + how,
    ).astype(object)
    out = frame.iloc[latest][list(REQUIRED)].reset_index(drop=True)
    return out.assign(
        **{
            D.row: latest,
            D.direction: dot,
            D.dot_arrow: np.array([ARROW[x] for x in dot], dtype=object),
            D.dot_compared_period: np.where(found, want_keys, ""),
            D.dot_compared_label: np.where(found, want_labels, ""),
            D.dot_compared_value: pv,
            D.dot_reason: reason,
        }
    )
