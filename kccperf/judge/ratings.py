"""Published ratings checked, not guessed.

A published RED, AMBER or GREEN can be checked only as far as the printed figures reach:

- the target decides GREEN against not-GREEN;
- a floor stated in a published document (``floor_source`` ``stated`` in ``data/reference/targets.csv``)
  decides AMBER against RED.

A floor inferred from the published ratings themselves checks nothing: an AMBER or RED that misses its
target and has no stated floor "cannot be checked: floor not published". Whether such ratings are at least
consistent with one floor is a different question, asked by :func:`kccperf.judge.floors.infer_floors`
and counted apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schemas import Assessed as A
from ..schemas import Published as P
from ..schemas import PublishedRating as PR
from ..schemas import RatingChange as RC
from ..schemas import RatingCheck as R
from ..schemas import Target as T
from ..schemas import as_rag

_EPS = 1e-9


def _fmt(x: np.ndarray) -> np.ndarray:
    return np.array([f"{v:g}" if np.isfinite(v) else "" for v in x], dtype=object)


def meets_target(value, polarity, target, range_low, range_high) -> np.ndarray:
    """True where the value meets its target (H: at or above, L: at or below, T: inside the range or on target)."""
    v, t = np.asarray(value, float), np.asarray(target, float)
    lo, hi, pol = np.asarray(range_low, float), np.asarray(range_high, float), np.asarray(polarity, object)
    has = np.isfinite(lo) & np.isfinite(hi)
    inside = np.where(has, (v >= lo - _EPS) & (v <= hi + _EPS), np.abs(v - t) <= _EPS)
    return np.where(pol == "H", v >= t - _EPS, np.where(pol == "L", v <= t + _EPS, inside))


def meets_floor(value, polarity, target, floor) -> np.ndarray:
    """True where the value meets the floor (for T the floor is the largest distance from the target)."""
    v, t, f, pol = np.asarray(value, float), np.asarray(target, float), np.asarray(floor, float), np.asarray(polarity, object)
    return np.where(pol == "H", v >= f - _EPS, np.where(pol == "L", v <= f + _EPS, np.abs(v - t) <= f + _EPS))


def check_ratings(published_rag, value, polarity, target, range_low, range_high, floor, floor_source) -> pd.DataFrame:
    """Check each published rating against what the printed figures can decide.

    Parameters
    ----------
    published_rag : array-like
        ``RED``, ``AMBER`` or ``GREEN``.
    value, polarity, target, range_low, range_high : array-like
        The figure the rating judged, the indicator's polarity, its target and (T indicators) target range.
    floor, floor_source : array-like
        The floor and its provenance; only a ``stated`` floor checks anything.

    Returns
    -------
    DataFrame
        Schema :class:`kccperf.schemas.RatingCheck`, one row per rating in the same order.

    Examples
    --------
    >>> check_ratings(["AMBER", "AMBER", "GREEN"], [80.0, 70.0, 60.0], "H", [85.0, 85.0, 65.0],
    ...               float("nan"), float("nan"), [75.0, float("nan"), float("nan")], ["stated", "inferred", ""]
    ...               )["rating_check"].tolist()
    ['agrees', 'cannot be checked', 'disagrees']
    """
    pr = np.asarray(published_rag, dtype=object)
    n = len(pr)
    v = np.broadcast_to(np.asarray(value, float), n)
    pol = np.broadcast_to(np.asarray(polarity, object), n)
    t = np.broadcast_to(np.asarray(target, float), n)
    lo = np.broadcast_to(np.asarray(range_low, float), n)
    hi = np.broadcast_to(np.asarray(range_high, float), n)
    f = np.broadcast_to(np.asarray(floor, float), n)
    src = np.broadcast_to(np.asarray(floor_source, object), n)
    # A "stay close to the target" indicator is met inside its range; with no range published nothing decides it.
    has_target = np.where(pol == "T", np.isfinite(lo) & np.isfinite(hi), np.isfinite(t))
    has_value = np.isfinite(v)
    meets = meets_target(v, pol, t, lo, hi)
    stated = (src == "stated") & np.isfinite(f)
    on_floor = meets_floor(v, pol, t, f)
    green = pr == "GREEN"
    target_ok = has_value & has_target & (green == meets)
    floor_rag = np.where(on_floor, "AMBER", "RED")
    vs, ts, fs = _fmt(v), _fmt(t), _fmt(f)
    has_range = np.isfinite(lo) & np.isfinite(hi)
    tgt = np.where(has_range, "target range " + _fmt(lo) + "-" + _fmt(hi), "target " + ts)
    conds = [
        ~has_value,
        ~has_target,
        green & meets,
        green,
        meets,
        stated & (floor_rag == pr),
        stated,
    ]
    check = np.select(
        conds,
        ["disagrees", "cannot be checked", "agrees", "disagrees", "disagrees", "agrees", "disagrees"],
        default="cannot be checked",
    )
    why = np.select(
        conds,
        [
            "a RAG is published although no value is",
            np.where(pol == "T", "no target range is published", "no target is published") + ", so the rating cannot be checked",
            "the value " + vs + " meets the " + tgt,
            "GREEN although the value " + vs + " misses the " + tgt,
            pr + " although the value " + vs + " meets the " + tgt,
            "the value "
            + vs
            + " misses the "
            + tgt
            + " and "
            + np.where(on_floor, "meets", "misses")
            + " the stated floor "
            + fs,
            pr + " although the value " + vs + np.where(on_floor, " meets", " misses") + " the stated floor " + fs,
        ],
        default="floor not published: the value " + vs + " misses the " + tgt + ", but nothing published decides AMBER or RED",
    )
    return pd.DataFrame(
        {R.rating_check: check.astype(object), R.rating_check_reason: why.astype(object), R.target_agrees: target_ok}
    )


# The opening of a moved figure's reason where the year it covers has no target: built by :func:`moved_reason`,
# recognised by :func:`says_covered_year_unset`.
_UNSET = ("no target is published for ", ", the year the figure covers, so it cannot be checked")


def moved_reason(printed_target, printed_year, own_year, unset) -> np.ndarray:
    """Why the printed rating of a moved figure is judged as it is: the target the scorecard rated it against.

    A figure printed under a later period than it covers (a "moved figure") is checked against the target of the
    year it covers; the scorecard rated it against the later year's target, printed with it. Where the year it
    covers has no target (``unset``), the reason first says that the rating cannot be checked.

    Parameters
    ----------
    printed_target : array-like of float
        The target printed with the figure, which the scorecard rated it against.
    printed_year : array-like of str
        That target's year; '' leaves the year out.
    own_year : array-like of str
        The year the figure covers.
    unset : array-like of bool
        True where the year the figure covers has no published target.

    Returns
    -------
    ndarray of str
        One reason per figure: a clause to follow the ordinary reason, or, where ``unset``, the whole reason
        (:func:`says_covered_year_unset` tells these apart).

    Examples
    --------
    >>> moved_reason([17.5, 72.0], ["2023-24", ""], ["2022-23", "2022-23"], [False, True]).tolist()
    ['the scorecard rated it against the target printed with it, 17.5 for 2023-24',
     'no target is published for 2022-23, the year the figure covers, so it cannot be checked; the scorecard rated it against the target printed with it, 72']
    """
    year = np.asarray(printed_year, dtype=object)
    used = "the scorecard rated it against the target printed with it, " + _fmt(np.atleast_1d(np.asarray(printed_target, float)))
    used = used + np.where(year != "", " for " + year, "")
    unchecked = _UNSET[0] + np.asarray(own_year, dtype=object) + _UNSET[1]
    return np.where(np.asarray(unset, bool), unchecked + "; " + used, used).astype(object)


def says_covered_year_unset(reason) -> np.ndarray:
    """True where a reason opens as :func:`moved_reason` does when the year the figure covers has no target.

    Examples
    --------
    >>> says_covered_year_unset(moved_reason([72.0, 72.0], ["2023-24"] * 2, ["2022-23"] * 2, [True, False])).tolist()
    [True, False]
    >>> says_covered_year_unset(["no target is published, so the rating cannot be checked"]).tolist()
    [False]
    """
    opening = pd.Series(np.asarray(reason, dtype=object), dtype=object).astype(str).str.split("; ", n=1).str[0]
    return (opening.str.startswith(_UNSET[0]) & opening.str.endswith(_UNSET[1])).to_numpy(bool)


# Plain words for a director: the figure missed its target, and no published floor tells AMBER from RED.
MISSED = "target missed"


def standing(rag, value, target) -> np.ndarray:
    """The rating, or, where no stated floor decides AMBER against RED, that the figure missed its target.

    A computed rating is empty when the value misses its target and no floor is published; comparing two
    such ratings would hide a fall from GREEN, so the standing says :data:`MISSED` there instead.

    Examples
    --------
    >>> standing(["GREEN", "", ""], [70.0, 60.0, float("nan")], [65.0, 65.0, 65.0]).tolist()
    ['GREEN', 'target missed', '']
    """
    rag = pd.Series(np.asarray(rag, dtype=object)).fillna("").to_numpy(object)
    judged = np.isfinite(np.asarray(value, float)) & np.isfinite(np.asarray(target, float))
    return np.where((rag == "") & judged, MISSED, rag).astype(object)


def rating_changes(view: pd.DataFrame) -> pd.DataFrame:
    """The rows whose computed standing differs from the previous period's, judged against the same thresholds.

    Both sides are computed from the printed figures (the scorecard prints no rating for the previous
    period), so a published rating that the figures do not confirm never makes a change appear.

    Parameters
    ----------
    view : DataFrame
        Rows of :func:`kccperf.assess`.

    Returns
    -------
    DataFrame
        The changed rows of ``view`` with ``standing_before`` and ``standing_now`` (:func:`standing`).
    """
    now = standing(view[A.rag], view[A.value], view[A.target])
    before = standing(view[A.previous_rag], view[A.dot_compared_value], view[A.target])
    moved = (now != before) & (now != "") & (before != "")
    return view.assign(**{RC.standing_before: before, RC.standing_now: now})[moved]


def with_published_ratings(assessed: pd.DataFrame, published: pd.DataFrame | None) -> pd.DataFrame:
    """The assessment with, per row, the rating the scorecard printed, its check and the rating a report shows.

    The printed row that reports the assessed period is preferred (a table printing the indicator for an
    earlier year is the one that rated a figure moved to its true period), else any printed rating.

    Parameters
    ----------
    assessed : DataFrame
        From :func:`kccperf.assess`.
    published : DataFrame or None
        From :func:`kccperf.load_published`; None gives the computed ratings only.

    Returns
    -------
    DataFrame
        A new frame with ``published_rag`` ('' where none was printed), ``rating_check`` ('' there),
        ``rating_check_reason``, ``rating`` (the printed rating where there is one, else the computed ``rag``)
        and ``rating_basis`` (``published``, ``computed`` or '' where there is no rating).
    """
    computed = assessed[A.rag].fillna("").to_numpy(object)
    if published is None:
        empty = np.full(len(assessed), "", dtype=object)
        return assessed.assign(
            **{
                PR.published_rag: as_rag(empty),
                R.rating_check: empty,
                R.rating_check_reason: empty,
                A.rating: as_rag(computed),
                A.rating_basis: np.where(computed != "", "computed", ""),
            }
        )
    keys = [A.area, A.block, A.indicator]
    rated = published[published[P.rag].isin(["RED", "AMBER", "GREEN"])]
    rated = rated.assign(**{A.period: rated[P.latest_period]})
    exact = rated.drop_duplicates([*keys, A.period]).set_index([*keys, A.period])
    loose = rated.drop_duplicates(keys).set_index(keys)
    own = exact.reindex(pd.MultiIndex.from_frame(assessed[[*keys, A.period]]))
    other = loose.reindex(pd.MultiIndex.from_frame(assessed[keys]))
    use_own = own[P.rag].notna().to_numpy()
    rag = np.where(use_own, own[P.rag].to_numpy(object), other[P.rag].to_numpy(object))
    target = np.where(use_own, own[P.target].to_numpy(float), other[P.target].to_numpy(float))
    rag = np.where(pd.isna(rag), "", rag).astype(object)
    printed = rag != ""
    lo = assessed[T.range_low].to_numpy(float) if T.range_low in assessed else np.full(len(assessed), np.nan)
    hi = assessed[T.range_high].to_numpy(float) if T.range_high in assessed else np.full(len(assessed), np.nan)
    # A figure printed under a later period than it covers was rated against the later year's target, printed
    # beside it. It is checked against the target of the year it covers, the one the report shows with it (none,
    # where that year has none).
    shown = assessed[A.target].to_numpy(float)
    year = other[P.target_year].fillna("").to_numpy(object) if P.target_year in other else np.full(len(rag), "", object)
    own_year = assessed[A.target_year].fillna("").to_numpy(object) if A.target_year in assessed else year
    other_year = (year != "") & (own_year != "") & (year != own_year)
    differs = np.where(np.isfinite(shown), np.abs(shown - target) > 1e-9, other_year)
    moved = ~use_own & printed & np.isfinite(target) & differs
    checks = check_ratings(
        np.where(printed, rag, "GREEN"),
        assessed[A.value].to_numpy(float),
        assessed[A.polarity].to_numpy(object),
        np.where(moved | ~np.isfinite(target), shown, target),
        lo,
        hi,
        assessed[A.floor].to_numpy(float),
        assessed[A.floor_source].fillna("").to_numpy(object),
    )
    why = checks[R.rating_check_reason].to_numpy(object)
    unset = moved & ~np.isfinite(shown)
    said = moved_reason(target, year, own_year, unset)
    why = np.where(unset, said, np.where(moved, why + "; " + said, why))
    rating = np.where(printed, rag, computed).astype(object)
    return assessed.assign(
        **{
            PR.published_rag: as_rag(rag),
            R.rating_check: np.where(printed, checks[R.rating_check].to_numpy(object), ""),
            R.rating_check_reason: np.where(printed, why, ""),
            A.rating: as_rag(rating),
            A.rating_basis: np.where(printed, "published", np.where(rating != "", "computed", "")),
        }
    )
