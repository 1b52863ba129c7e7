"""Main points: the three to five plain sentences that open an area's report, made from its assessed rows.

A pure calculator: an assessed view in, a frame of sentences out, each with the figures it prints (as
printed) so a test can check every number against the data. Withheld figures and rows with no figure never
appear. The sentences say, in this order: which indicators are RED, which ratings changed since the previous
period, the largest movement for the better and for the worse, and the differences from England that are
statistically significant (where counts are published).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._format import format_value
from ..judge.ratings import rating_changes
from ..schemas import RAGS, MainPoint, Suppression
from ..schemas import Assessed as A
from ..schemas import Indicator as I
from ..schemas import RatingChange as RCh
from ..schemas import RatingCheck as RC
from ..schemas import Scorecard as S

__all__ = ["main_points"]

_NAMED = 2  # indicators named in one sentence before "and N more"


def _names(rows: pd.DataFrame) -> pd.Series:
    """Each row's title, with its team where the area prints several."""
    return rows[S.title] + np.where(rows[S.block] != "", " (" + rows[S.block] + ")", "")


def _listing(names: list[str]) -> tuple[str, list[str]]:
    """``a``, ``a and b``, ``a; b and c``, ``a; b; c; and 2 more``, with the figure "and N more" prints."""
    shown, rest = names[:_NAMED], len(names) - _NAMED
    if rest > 0:
        return "; ".join(shown) + f"; and {rest} more", [str(rest)]
    return (shown[0] if len(shown) == 1 else "; ".join(shown[:-1]) + " and " + shown[-1]), []


def _fmt(value: float, unit: str) -> str:
    return format_value(value, unit)


def _checked(rated: pd.DataFrame) -> tuple[str, list[str]]:
    """How far the printed figures confirm the printed ratings, as a sentence with its figures."""
    check = rated[RC.rating_check].value_counts() if RC.rating_check in rated else pd.Series(dtype=int)
    confirmed, open_, wrong = (int(check.get(k, 0)) for k in ("agrees", "cannot be checked", "disagrees"))
    if confirmed + open_ + wrong == 0:
        return "", []
    text = f" The figures confirm {confirmed} of these ratings"
    figures = [str(confirmed)]
    if open_:
        text += f"; {open_} cannot be checked (no floor standard is published)"
        figures.append(str(open_))
    if wrong:
        names, more = _listing(list(_names(rated[rated[RC.rating_check] == "disagrees"])))
        text += f"; {wrong} {'disagrees' if wrong == 1 else 'disagree'} with the figures: {names}"
        figures += [str(wrong), *more]
    return text + ".", figures


def _reds(d: pd.DataFrame) -> tuple[str, list[str]]:
    rated = d[d[A.rating].isin(RAGS)]
    counts = rated[A.rating].value_counts().reindex(list(RAGS), fill_value=0)
    figures = [str(len(rated)), *(str(int(n)) for n in counts)]
    published = (rated[A.rating_basis] == "published").any() if A.rating_basis in rated else False
    head = f"Of {len(rated)} rated indicators, {counts['RED']} are RED, {counts['AMBER']} AMBER and {counts['GREEN']} GREEN"
    head += " as published" if published else ""
    checked, checked_figures = _checked(rated)
    red = rated[rated[A.rating] == "RED"]
    if red.empty:
        return head + "; none is RED." + checked, figures + checked_figures
    names, more = _listing(list(_names(red)))
    return head + "; RED: " + names + "." + checked, figures + more + checked_figures


def _changes(d: pd.DataFrame) -> tuple[str, list[str]]:
    moved = rating_changes(d)
    if moved.empty:
        return "No rating computed from the figures changed since the previous period.", []
    items = list(_names(moved) + " from " + moved[RCh.standing_before] + " to " + moved[RCh.standing_now])
    word = "rating" if len(moved) == 1 else "ratings"
    names, more = _listing(items)
    return f"{len(moved)} {word} computed from the figures changed since the previous period: " + names + ".", [
        str(len(moved)),
        *more,
    ]


def _movement(d: pd.DataFrame, direction: str) -> tuple[str, list[str]] | None:
    """The row that moved most in ``direction`` ("improved" or "worsened"), by change relative to the earlier value."""
    moved = d[(d[A.direction] == direction) & d[A.dot_compared_value].notna()]
    if moved.empty:
        return None
    earlier = moved[A.dot_compared_value]
    size = (moved[S.value] - earlier).abs() / earlier.abs().where(earlier != 0, 1.0)
    idx = size.idxmax()
    r = moved.loc[idx]
    before, after = _fmt(r[A.dot_compared_value], r[I.unit]), _fmt(r[S.value], r[I.unit])
    word = "improvement" if direction == "improved" else "worsening"
    name = _names(moved.loc[[idx]]).iloc[0]
    sentence = f"The largest {word}: {name}, from {before} in {r[A.dot_compared_label]} to {after} in {r[S.period_label]}"
    if r.get(A.polarity) == "T":  # closest to target is best: a rise or a fall can be either
        sentence += ", nearer its target" if direction == "improved" else ", further from its target"
    sentence += "."
    return sentence, [before, after]


def _england(d: pd.DataFrame) -> tuple[str, list[str]] | None:
    sig = d[d[A.sig_vs_england].isin(("significantly better", "significantly worse")) & d[S.england].notna()]
    if sig.empty:
        tested = d[A.sig_vs_england] != ""
        if not tested.any():
            return None
        return f"None of the {int(tested.sum())} indicators tested differs significantly from England.", [str(int(tested.sum()))]
    figures: list[str] = []
    parts = []
    for word in ("better", "worse"):
        rows = sig[sig[A.sig_vs_england] == f"significantly {word}"]
        if rows.empty:
            continue
        value = [_fmt(v, u) for v, u in zip(rows[S.value], rows[I.unit])]
        england = [_fmt(v, u) for v, u in zip(rows[S.england], rows[I.unit])]
        period = rows[S.england_label].where(rows[S.england_label] != "", "England")
        items = [f"{n} ({v} against {e}, {p})" for n, v, e, p in zip(_names(rows), value, england, period)]
        names, more = _listing(items)
        figures += [f for pair in zip(value[:_NAMED], england[:_NAMED]) for f in pair] + more
        parts.append(f"{word} on " + names)
    return "Significantly different from England: " + ", and ".join(parts) + ".", figures


def main_points(view: pd.DataFrame) -> pd.DataFrame:
    """Three to five sentences summing up one area's assessed rows, for the top of its report.

    Parameters
    ----------
    view : DataFrame
        One area's rows of :func:`kccperf.assess` (for example :func:`kccperf.area_view`), suppressed or not;
        withheld rows (``suppressed`` True) and rows with no figure are left out.

    Returns
    -------
    DataFrame
        ``kind`` (reds, changes, improved, worsened, england), ``sentence`` and ``figures``: the numbers
        the sentence prints, as printed, in order.

    Examples
    --------
    >>> import kccperf
    >>> points = main_points(kccperf.area_view(kccperf.assess(kccperf.load_scorecard()), "Dover"))
    >>> 3 <= len(points) <= 5, points["kind"].iloc[0]
    (True, 'reds')
    """
    d = view[view[S.value].notna()]
    if Suppression.suppressed in d:
        d = d[~d[Suppression.suppressed].astype(bool)]
    found = {
        "reds": _reds(d),
        "changes": _changes(d),
        "improved": _movement(d, "improved"),
        "worsened": _movement(d, "worsened"),
        "england": _england(d),
    }
    if found["improved"] is None and found["worsened"] is None:
        found["improved"] = ("No indicator moved for better or worse since the previous period.", [])
    rows = [(kind, s, f) for kind, got in found.items() if got is not None for s, f in [got]]
    return pd.DataFrame(rows, columns=[MainPoint.kind, MainPoint.sentence, MainPoint.figures])
