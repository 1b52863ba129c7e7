"""RAG ratings against target and floor standard, by polarity.

H (higher is better): GREEN when value >= target, AMBER when value >= floor, else RED.
L (lower is better): the mirror image. T (stay close to target): GREEN inside the
target range; otherwise the distance from the target is judged against the floor,
which for T indicators is the largest distance from the target that still meets the
floor standard. A value exactly on a threshold meets it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ValidationError
from ..schemas import Assessed as A
from ..schemas import Scorecard as S
from ..schemas import Target as T
from ..schemas import as_rag

# Floating-point slack so that a value printed exactly on a threshold meets it.
_EPS = 1e-9
REQUIRED = (S.value, S.polarity, T.target, T.floor, T.range_low, T.range_high)


def _fmt(x: np.ndarray) -> np.ndarray:
    """Thresholds as the reasons print them: one decimal, or two when the figure needs them."""
    out = np.empty(len(x), dtype=object)
    finite = np.isfinite(x)
    two = finite & (np.abs(np.round(x, 1) - x) > _EPS)
    out[finite & ~two] = [f"{v:.1f}" for v in x[finite & ~two]]
    out[two] = [f"{v:.2f}" for v in x[two]]
    out[~finite] = ""
    return out


def rag_arrays(value, polarity, target, floor, range_low, range_high) -> tuple[np.ndarray, np.ndarray]:
    """RAG ratings and reasons for arrays of equal length (the numpy core of :func:`rag`).

    ``polarity`` holds 'H', 'L' or 'T'. Missing thresholds are NaN. Returns two
    object arrays: the rating ('RED', 'AMBER', 'GREEN' or '') and its reason.
    """
    v = np.asarray(value, dtype=float)
    pol = np.asarray(polarity, dtype=object)
    t = np.asarray(target, dtype=float)
    f = np.asarray(floor, dtype=float)
    lo = np.asarray(range_low, dtype=float)
    hi = np.asarray(range_high, dtype=float)
    is_h, is_l, is_t = pol == "H", pol == "L", pol == "T"

    has_range = is_t & np.isfinite(lo) & np.isfinite(hi)
    in_range = has_range & (v >= lo - _EPS) & (v <= hi + _EPS)
    # Distance beyond which T fails its floor; H and L compare signed values.
    dist = np.abs(v - t)
    meets_target = np.where(is_h, v >= t - _EPS, np.where(is_l, v <= t + _EPS, np.where(has_range, in_range, dist <= _EPS)))
    meets_floor = np.where(is_h, v >= f - _EPS, np.where(is_l, v <= f + _EPS, dist <= f + _EPS))

    no_value = ~np.isfinite(v)
    no_target = ~np.isfinite(t) & ~has_range
    no_floor = ~np.isfinite(f)
    conds = [no_value, no_target, meets_target, no_floor, meets_floor]
    rag = np.select(conds, ["", "", "GREEN", "", "AMBER"], default="RED").astype(object)

    ts, fs, los, his = _fmt(t), _fmt(f), _fmt(lo), _fmt(hi)
    word = np.where(is_h, "below", np.where(is_l, "above", "outside"))
    green = np.where(
        is_h,
        "meets target " + ts,
        np.where(is_l, "within target " + ts, np.where(has_range, "inside target range " + los + "-" + his, "on target " + ts)),
    )
    miss = np.where(is_t & has_range, "outside target range " + los + "-" + his, word + " target " + ts)
    floor_word = np.where(is_t, "within floor distance " + fs + " of target", "meets floor " + fs)
    reason = np.select(
        conds,
        ["no value", "no target set", green, miss + "; floor not known", miss + ", " + floor_word],
        default=np.where(is_t, "further than floor distance " + fs + " from target " + ts, word + " floor " + fs),
    ).astype(object)
    return rag, reason


def rag(frame: pd.DataFrame) -> pd.DataFrame:
    """Rate each row RED, AMBER or GREEN against its target and floor.

    Parameters
    ----------
    frame : DataFrame
        Columns ``value, polarity, target, floor, range_low, range_high`` (thresholds may be NaN).

    Returns
    -------
    DataFrame
        A new frame: the input with ``rag`` (the ordered categorical :data:`kccperf.schemas.RAG`; '' when it
        cannot be rated) and ``rag_reason``.

    Raises
    ------
    ValidationError
        A required column is missing or a polarity is not H, L or T.

    Examples
    --------
    >>> df = pd.DataFrame({"value": [73.1, 80.0, 90.0], "polarity": "H", "target": 85.0, "floor": 75.0,
    ...                    "range_low": float("nan"), "range_high": float("nan")})
    >>> rag(df)[["rag", "rag_reason"]].values.tolist()
    [['RED', 'below floor 75.0'], ['AMBER', 'below target 85.0, meets floor 75.0'], ['GREEN', 'meets target 85.0']]
    """
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValidationError(f"rag: column '{missing[0]}' is missing; expected columns {', '.join(REQUIRED)}.")
    bad = ~frame[S.polarity].isin(["H", "L", "T"])
    if bad.any():
        rows = ", ".join(map(str, frame.index[bad][:5]))
        raise ValidationError(
            f"rag: rows {rows}, column 'polarity': expected H, L or T, found {frame.loc[bad, S.polarity].iloc[0]!r}."
        )
    r, why = rag_arrays(
        frame[S.value], frame[S.polarity], frame[T.target], frame[T.floor], frame[T.range_low], frame[T.range_high]
    )
    return frame.assign(**{A.rag: as_rag(r), A.rag_reason: why})
