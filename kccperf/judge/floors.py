"""Floor standards inferred from the published RAG ratings.

The scorecard rarely prints its floors. Each published AMBER says "the floor was met"
and each RED says "it was not", so across Kent and the districts the RAGs of one
indicator and year bound the floor to an interval. In a transformed scale where
larger is better (H: the value; L: minus the value; T: minus the distance from the
target) an AMBER at x needs floor <= x and a RED at x needs floor > x, so the floor
lies in (max RED x, min AMBER x]. When no single floor explains every RAG, the floor
explaining the most is chosen and the rest are listed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schemas import Assessed as A
from ..schemas import FloorCandidate as C
from ..schemas import InferredFloor as IF
from ..schemas import JudgedRag as J
from ..schemas import PolarityCheck as PC
from ..schemas import PolarityFit as PF
from ..schemas import Published as P
from ..schemas import Scorecard as S
from ..schemas import Target as T
from ..schemas import UnexplainedRag as UR
from ..schemas import as_rag

_EPS = 1e-9
_STEPS = (5.0, 1.0, 0.5, 0.1, 0.05, 0.01)


def _transform(value, target, polarity, lo, hi):
    """Map values to a scale where larger is better (see module docstring)."""
    has = np.isfinite(lo) & np.isfinite(hi)
    dist = np.where(has, np.maximum(np.maximum(lo - value, value - hi), 0.0), np.abs(value - target))
    return np.where(polarity == "H", value, np.where(polarity == "L", -value, -np.abs(value - target))), dist, has


def judged_rows(published: pd.DataFrame, latest: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """One row per published RAG with the value it judged, its target and (for T) the target range.

    ``published`` comes from :func:`kccperf.load_published`; ``latest`` holds the values
    (``area, block, indicator, value, polarity``, optionally ``period`` and ``is_latest``); ``targets`` is the
    targets reference. Where ``latest`` holds several periods, each RAG judges the figure of the period its
    row reports (a table whose latest column is earlier than another's is judged on its own figure).
    """
    pub = published[published[P.rag].isin(["RED", "AMBER", "GREEN"])]
    key = pd.MultiIndex.from_frame(pub[[P.area, P.block, P.indicator]])
    if S.period in latest and S.is_latest in latest:
        by_period = latest.drop_duplicates([S.area, S.block, S.indicator, S.period])
        by_period = by_period.set_index([S.area, S.block, S.indicator, S.period])[S.value]
        own = by_period.reindex(pd.MultiIndex.from_frame(pub[[P.area, P.block, P.indicator, P.latest_period]]))
        latest = latest[latest[S.is_latest]]
    else:
        own = None
    vals = latest.drop_duplicates([S.area, S.block, S.indicator]).set_index([S.area, S.block, S.indicator])
    value = vals[S.value].reindex(key).to_numpy(dtype=float)
    if own is not None:
        value = np.where(own.notna().to_numpy(), own.to_numpy(dtype=float), value)
    rng = targets.set_index([S.indicator, T.year])[[T.range_low, T.range_high]]
    ykey = pd.MultiIndex.from_frame(pub[[P.indicator, P.rag_year]])
    return pd.DataFrame(
        {
            J.area: pub[P.area].to_numpy(),
            J.block: pub[P.block].to_numpy(),
            J.indicator: pub[P.indicator].to_numpy(),
            J.year: pub[P.rag_year].to_numpy(),
            J.polarity: vals[S.polarity].reindex(key).to_numpy(),
            J.value: value,
            J.target: pub[P.target].to_numpy(dtype=float),
            J.range_low: rng[T.range_low].reindex(ykey).to_numpy(dtype=float),
            J.range_high: rng[T.range_high].reindex(ykey).to_numpy(dtype=float),
            J.rag: as_rag(pub[P.rag]),
            J.direction: pub[P.direction].to_numpy(),
            J.source_file: pub[P.source_file].to_numpy(),
            J.source_row: pub[P.source_row].to_numpy(),
        }
    )


def _meets_target(df: pd.DataFrame) -> np.ndarray:
    v, t, pol = df[S.value].to_numpy(float), df[T.target].to_numpy(float), df[S.polarity].to_numpy(object)
    lo, hi = df[T.range_low].to_numpy(float), df[T.range_high].to_numpy(float)
    has = np.isfinite(lo) & np.isfinite(hi)
    return np.where(
        pol == "H",
        v >= t - _EPS,
        np.where(pol == "L", v <= t + _EPS, np.where(has, (v >= lo - _EPS) & (v <= hi + _EPS), np.abs(v - t) < _EPS)),
    )


def _roundest(low: np.ndarray, high: np.ndarray, low_open: np.ndarray) -> np.ndarray:
    """The roundest number in each interval (low, high] (or [low, high) when ``low_open`` is False), nearest its middle."""
    out = np.full(len(low), np.nan)
    mid = np.where(np.isfinite(low) & np.isfinite(high), (low + high) / 2, np.where(np.isfinite(high), high, low))
    for step in _STEPS:
        todo = np.isnan(out) & np.isfinite(mid)
        if not todo.any():
            break
        cand = np.round(mid / step) * step
        for c in (cand, cand - step, cand + step):
            inside = np.where(low_open, (c > low + _EPS) & (c <= high + _EPS), (c >= low - _EPS) & (c < high - _EPS))
            inside &= todo & np.isnan(out)
            out[inside] = c[inside]
    return np.where(np.isnan(out), mid, out)


def infer_floors(judged: pd.DataFrame, stated: pd.DataFrame | None = None) -> pd.DataFrame:
    """The interval of floors consistent with the published RAGs, per indicator and year, and the chosen floor.

    Parameters
    ----------
    judged : DataFrame
        From :func:`judged_rows`.
    stated : DataFrame, optional
        The targets reference; a stated floor is kept (provenance ``stated``).

    Returns
    -------
    DataFrame
        ``indicator, year, polarity, n_rags, n_amber, n_red, floor_low, floor_high, floor,
        floor_source, n_explained, consistent``. For H the floor lies in (floor_low, floor_high];
        for L in [floor_low, floor_high); for T the figures are distances from the target.
        ``floor_source`` is ``stated``, ``inferred`` or ``unknown``.
    """
    # Only AMBERs and REDs that miss their target say anything about the floor; the others contradict
    # the target itself and are listed by unexplained_rags().
    df = judged[judged[A.rag].isin(["AMBER", "RED"]) & judged[S.value].notna()]
    df = df[~_meets_target(df)].copy()
    x, dist, _ = _transform(
        df[S.value].to_numpy(float),
        df[T.target].to_numpy(float),
        df[S.polarity].to_numpy(object),
        df[T.range_low].to_numpy(float),
        df[T.range_high].to_numpy(float),
    )
    # T floors are distances; the transform uses minus the distance from the target itself.
    df[C.x] = np.where(df[S.polarity] == "T", -np.abs(df[S.value] - df[T.target]), x)
    df[C.is_amber] = df[A.rag] == "AMBER"
    keys = [S.indicator, T.year]

    # Candidate floors (transformed): every AMBER x, plus "above everything".
    cand = df.loc[df[C.is_amber], [*keys, C.x]].rename(columns={C.x: C.c})
    inf = df[keys].drop_duplicates().assign(**{C.c: np.inf})
    cand = pd.concat([cand, inf], ignore_index=True).drop_duplicates()
    pairs = df[[*keys, C.x, C.is_amber]].merge(cand, on=keys)
    pairs[C.ok] = np.where(pairs[C.is_amber], pairs[C.x] >= pairs[C.c] - _EPS, pairs[C.x] < pairs[C.c] - _EPS)
    scores = pairs.groupby([*keys, C.c], as_index=False)[C.ok].sum()
    # Most RAGs explained; among ties the lowest candidate (the loosest floor).
    best = scores.sort_values([*keys, C.ok, C.c], ascending=[True, True, False, True]).drop_duplicates(keys)

    agg = df.groupby(keys).agg(
        **{
            IF.polarity: (S.polarity, "first"),
            IF.n_rags: (A.rag, "size"),
            IF.n_amber: (C.is_amber, "sum"),
            T.target: (T.target, "first"),
        }
    )
    agg[IF.n_red] = agg[IF.n_rags] - agg[IF.n_amber]
    tb = best.set_index(keys)
    explained = df.merge(best, on=keys)
    explained_mask = np.where(
        explained[C.is_amber], explained[C.x] >= explained[C.c] - _EPS, explained[C.x] < explained[C.c] - _EPS
    )
    explained = explained[explained_mask]
    hi_x = explained[explained[C.is_amber]].groupby(keys)[C.x].min().reindex(agg.index).to_numpy(float)
    lo_x = explained[~explained[C.is_amber]].groupby(keys)[C.x].max().reindex(agg.index).to_numpy(float)
    agg[IF.n_explained] = tb[C.ok].reindex(agg.index).to_numpy()
    agg[IF.consistent] = agg[IF.n_explained] == agg[IF.n_rags]

    pol = agg[S.polarity].to_numpy(object)
    target = agg[T.target].to_numpy(float)
    # Back to the printed scale. H: (lo, hi]. L: values are negated, so [-hi, -lo). T: distances [-hi, -lo).
    flip = pol != "H"
    low = np.where(flip, -hi_x, lo_x)
    high = np.where(flip, -lo_x, hi_x)
    # A floor never passes the target: bound the open side by it.
    low = np.where(flip & np.isnan(low) & (pol == "L"), target, low)
    high = np.where(~flip & np.isnan(high), target, high)
    chosen = _roundest(low, high, low_open=~flip)
    out = agg.reset_index().assign(**{IF.floor_low: low, IF.floor_high: high, IF.floor: chosen, IF.floor_source: "inferred"})
    if stated is not None and len(stated):
        s = stated.dropna(subset=[T.floor]).set_index(keys)[T.floor]
        hit = pd.MultiIndex.from_frame(out[keys]).isin(s.index)
        out.loc[hit, T.floor] = s.reindex(pd.MultiIndex.from_frame(out.loc[hit, keys])).to_numpy()
        out.loc[hit, T.floor_source] = "stated"
    out.loc[~np.isfinite(out[T.floor]), T.floor_source] = "unknown"
    return out[list(IF.to_schema().columns)]


def unexplained_rags(judged: pd.DataFrame, floors: pd.DataFrame) -> pd.DataFrame:
    """Published RAGs that neither the target nor the chosen floor can explain, with the reason."""
    df = judged.merge(floors[[S.indicator, T.year, T.floor]], on=[S.indicator, T.year], how="left")
    meets = _meets_target(df)
    v, f, pol = df[S.value].to_numpy(float), df[T.floor].to_numpy(float), df[S.polarity].to_numpy(object)
    d = np.abs(v - df[T.target].to_numpy(float))
    meets_floor = np.where(pol == "H", v >= f - _EPS, np.where(pol == "L", v <= f + _EPS, d <= f + _EPS))
    rag = df[A.rag].to_numpy(object)
    has_value = np.isfinite(v)
    why = np.select(
        [
            ~has_value,
            (rag == "GREEN") & ~meets,
            (rag != "GREEN") & meets,
            (rag == "AMBER") & np.isfinite(f) & ~meets_floor,
            (rag == "RED") & np.isfinite(f) & meets_floor,
        ],
        [
            "published with no value",
            "GREEN although the value misses the target",
            rag + " although the value meets the target",
            "AMBER although the value is beyond the floor that explains most RAGs",
            "RED although the value meets the floor that explains most RAGs",
        ],
        default="",
    )
    return df.assign(**{UR.reason: why})[lambda d: d[UR.reason] != ""].reset_index(drop=True)


def polarity_check(judged: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Indicators whose published RAGs and arrows fit the opposite polarity better than the printed one.

    ``previous`` holds ``area, block, indicator, previous_value`` (the value of the period before).
    Returns one row per indicator where the reversed polarity explains more RAGs and arrows.
    """
    df = judged[judged[S.polarity].isin(["H", "L"])].merge(previous, on=[S.area, S.block, S.indicator], how="left")
    v, t, prev = df[S.value].to_numpy(float), df[T.target].to_numpy(float), df[PF.previous_value].to_numpy(float)
    rag, dot = df[A.rag].to_numpy(object), df[A.direction].to_numpy(object)
    up, down = v > prev + _EPS, v < prev - _EPS
    scores = {}
    for pol in ("H", "L"):
        meets = v >= t - _EPS if pol == "H" else v <= t + _EPS
        rag_ok = np.isfinite(v) & np.isfinite(t) & ((rag == "GREEN") == meets)
        improved = up if pol == "H" else down
        worsened = down if pol == "H" else up
        dot_ok = ((dot == "↑") & improved) | ((dot == "↓") & worsened)
        scores[pol] = rag_ok.astype(int) + dot_ok.astype(int)
    df = df.assign(**{PF.fit_H: scores["H"], PF.fit_L: scores["L"]})
    agg = df.groupby(S.indicator).agg(
        **{
            PC.printed: (S.polarity, "first"),
            PF.fit_H: (PF.fit_H, "sum"),
            PF.fit_L: (PF.fit_L, "sum"),
            PC.n: (A.rag, "size"),
        }
    )
    agg[PC.fits_printed] = np.where(agg[PC.printed] == "H", agg[PF.fit_H], agg[PF.fit_L])
    agg[PC.fits_reversed] = np.where(agg[PC.printed] == "H", agg[PF.fit_L], agg[PF.fit_H])
    agg[PC.better_polarity] = np.where(agg[PC.printed] == "H", "L", "H")
    flagged = agg[agg[PC.fits_reversed] > agg[PC.fits_printed]]
    return flagged.reset_index()[list(PC.to_schema().columns)]


def with_inferred_floors(targets: pd.DataFrame, inferred: pd.DataFrame, edition: str) -> pd.DataFrame:
    """A new targets frame whose unknown floors are replaced by the inferred ones, with their interval and provenance.

    Stated floors are kept. Rows for indicator-years the targets lack are not added: a floor needs a target.
    """
    out = targets.copy()
    inf = inferred[inferred[T.floor_source] == "inferred"].set_index([S.indicator, T.year])
    key = pd.MultiIndex.from_frame(out[[S.indicator, T.year]])
    hit = key.isin(inf.index) & (out[T.floor_source] != "stated").to_numpy()
    sub = inf.reindex(key[hit])
    out.loc[hit, T.floor] = sub[T.floor].to_numpy()
    out.loc[hit, T.floor_low] = sub[T.floor_low].to_numpy()
    out.loc[hit, T.floor_high] = sub[T.floor_high].to_numpy()
    out.loc[hit, T.floor_source] = "inferred"
    note = (
        f"; floor inferred from the published RAGs of the {edition} edition ("
        + sub[IF.n_explained].astype(int).astype(str)
        + " of "
        + sub[IF.n_rags].astype(int).astype(str)
        + " explained)"
    ).to_numpy()
    base = out.loc[hit, T.provenance].str.replace(r"; floor inferred from the published RAGs.*$", "", regex=True)
    out.loc[hit, T.provenance] = base + note
    return out
