"""One history across editions: pure calculators on every edition's figures.

Each edition reprints the months before its latest, so one period is often printed by several editions.
The newest printing of a period (not later than the edition asked for) is the one used; a figure printed
differently by two editions is a *revision*. Loading lives in :mod:`kccperf.scorecard.editions`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schemas import Anomaly, History, Revision, Scorecard

__all__ = ["REVISED", "extend_series", "revisions", "revision_anomalies"]

# The quality log's category for a figure printed differently by two editions.
REVISED = "revised_figure"

_SERIES = [Scorecard.area, Scorecard.block, Scorecard.indicator]
_KEY = [*_SERIES, Scorecard.period]
# Set on the latest period only (see load_scorecard): blank on periods taken from earlier editions.
_LATEST_ONLY = (Scorecard.numerator, Scorecard.denominator, Scorecard.england, Scorecard.regional)


def extend_series(current: pd.DataFrame, earlier: pd.DataFrame) -> pd.DataFrame:
    """The edition ``current`` with each series extended back by earlier editions' periods.

    Parameters
    ----------
    current : DataFrame
        One edition (schema :class:`kccperf.schemas.Scorecard`).
    earlier : DataFrame
        Earlier editions (schema :class:`kccperf.schemas.History`).

    Returns
    -------
    DataFrame
        ``current`` plus, for each of its series, the periods before its latest that it does not print itself,
        each from the newest earlier edition that printed it (same period type only), marked not latest and
        without numerator, denominator or benchmarks. Series keep ``current``'s order, periods run in time order.

    Examples
    --------
    >>> cur = pd.DataFrame({"area": ["Kent"], "block": [""], "indicator": ["x"], "period_type": ["MS"],
    ...                     "period": ["2024-11"], "value": [2.0], "is_latest": [True]})
    >>> old = cur.assign(period=["2023-11"], value=[1.0], edition=["2023-11"])
    >>> extend_series(cur, old)[["period", "value", "is_latest"]].values.tolist()
    [['2023-11', 1.0, False], ['2024-11', 2.0, True]]
    """
    order = current.assign(_pos=np.arange(len(current)))
    first = order.groupby(_SERIES, sort=False)["_pos"].transform("min")
    latest = order.groupby(_SERIES, sort=False)[Scorecard.period].transform("max")
    order = order.assign(_series=first)
    if len(earlier) == 0:
        return current.copy()
    newest = earlier.sort_values(History.edition, kind="stable").drop_duplicates(_KEY, keep="last")
    spans = order.assign(_latest=latest).drop_duplicates(_SERIES)[[*_SERIES, Scorecard.period_type, "_series", "_latest"]]
    extra = newest.merge(spans, on=[*_SERIES, Scorecard.period_type], how="inner")
    extra = extra[extra[Scorecard.period] < extra["_latest"]]
    extra = extra.merge(order[_KEY], on=_KEY, how="left", indicator="_in")
    extra = extra[extra["_in"] == "left_only"]
    extra = extra.assign(**{Scorecard.is_latest: False}, **{c: np.nan for c in _LATEST_ONLY if c in extra})
    extra = extra[[*current.columns, "_series"]]
    out = pd.concat([order.drop(columns="_pos"), extra], ignore_index=True)
    out = out.sort_values(["_series", Scorecard.period], kind="stable").drop(columns="_series")
    return out.reset_index(drop=True).astype(current.dtypes.to_dict())


def _same(old: np.ndarray, new: np.ndarray, decimals: np.ndarray) -> np.ndarray:
    # Equal at the precision both were printed to; two blanks (N/A) are the same, a blank and a figure are not.
    d = np.where(np.isfinite(decimals), decimals, 6).astype(int)
    scale = 10.0**d
    both_nan = np.isnan(old) & np.isnan(new)
    return both_nan | (np.round(old * scale) == np.round(new * scale))


def revisions(history: pd.DataFrame) -> pd.DataFrame:
    """Every figure printed differently by two editions, each printing compared with the one before it.

    Parameters
    ----------
    history : DataFrame
        Schema :class:`kccperf.schemas.History` (see :func:`kccperf.load_history`).

    Returns
    -------
    DataFrame
        Schema :class:`kccperf.schemas.Revision`: one row per revised figure with the ``old`` and ``new``
        printing and the two editions, located at the newer printing's file and row. Empty when one edition
        is on disk or nothing was revised.

    Examples
    --------
    >>> h = pd.DataFrame({"area": "Kent", "block": "", "indicator": "x", "title": "X", "period": "2024-09",
    ...                   "period_label": "Sep-24", "value": [23.4, 23.9], "decimals": 1.0,
    ...                   "edition": ["2024-10", "2024-11"], "source_file": "f.tsv", "source_row": 4})
    >>> revisions(h)[["old", "new", "old_edition", "new_edition"]].values.tolist()
    [[23.4, 23.9, '2024-10', '2024-11']]
    """
    h = history.sort_values([*_KEY, History.edition], kind="stable").reset_index(drop=True)
    prev = h.groupby(_KEY, sort=False)[[Scorecard.value, Scorecard.decimals, History.edition]].shift(1)
    printed_before = prev[History.edition].notna().to_numpy()
    old, new = prev[Scorecard.value].to_numpy(dtype=float), h[Scorecard.value].to_numpy(dtype=float)
    decimals = np.fmin(prev[Scorecard.decimals].to_numpy(dtype=float), h[Scorecard.decimals].to_numpy(dtype=float))
    changed = printed_before & ~_same(old, new, decimals)
    rows = h[changed]
    out = pd.DataFrame(
        {
            Revision.area: rows[Scorecard.area],
            Revision.block: rows[Scorecard.block],
            Revision.indicator: rows[Scorecard.indicator],
            Revision.title: rows[Scorecard.title],
            Revision.period: rows[Scorecard.period],
            Revision.period_label: rows[Scorecard.period_label],
            Revision.old: old[changed],
            Revision.new: new[changed],
            Revision.old_edition: prev[History.edition][changed],
            Revision.new_edition: rows[History.edition],
            Revision.source_file: rows[Scorecard.source_file],
            Revision.source_row: rows[Scorecard.source_row],
        }
    )
    return out.sort_values(
        [Revision.new_edition, Revision.area, Revision.source_file, Revision.source_row], kind="stable"
    ).reset_index(drop=True)


def _fmt(values: pd.Series) -> np.ndarray:
    return values.map(lambda v: "N/A" if v != v else f"{v:g}").to_numpy(object)


def revision_anomalies(revised: pd.DataFrame) -> pd.DataFrame:
    """Revisions as rows of the data-quality log (category ``revised_figure``), at the newer printing."""
    old, new = _fmt(revised[Revision.old]), _fmt(revised[Revision.new])
    return pd.DataFrame(
        {
            Anomaly.source_file: revised[Revision.source_file].to_numpy(object),
            Anomaly.row: revised[Revision.source_row].to_numpy(),
            Anomaly.column: revised[Revision.period_label].to_numpy(object),
            Anomaly.area: revised[Revision.area].to_numpy(object),
            Anomaly.block: revised[Revision.block].to_numpy(object),
            Anomaly.indicator: revised[Revision.indicator].to_numpy(object),
            Anomaly.category: REVISED,
            Anomaly.found: new,
            Anomaly.expected: old,
            Anomaly.message: (
                revised[Revision.period_label].to_numpy(object)
                + " is printed as "
                + new
                + "; the "
                + revised[Revision.old_edition].to_numpy(object)
                + " edition printed "
                + old
                + "."
            ),
        },
        columns=list(Anomaly.to_schema().columns),
    )
