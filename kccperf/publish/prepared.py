"""The work every report of an edition shares, done once and kept: the assessed edition and its series, withheld.

A district report needs the whole edition assessed (against the printed ratings) and suppressed, because the
funnel plots place the district among the others and secondary suppression needs the county total. Computed in
every report, that work grows with the number of areas, and a batch repeats it for each of them. The functions here
compute it once per edition and suppression threshold and keep it in the cache of derived results (Parquet under
``data/interim/derived/``, keyed by the raw files, the reference files and the library's source: see
:func:`kccperf.scorecard.editions.results_key`); the batch fills the cache before its workers start, and each report
reads what it needs. A notebook run on its own computes whatever the cache does not hold, and stores it.
"""

from __future__ import annotations

import pandas as pd

from ..errors import ParameterError
from ..judge.assess import assess
from ..judge.reconcile import reconcile
from ..judge.since import since_last_edition
from ..schemas import Area
from ..schemas import Scorecard as S
from ..scorecard.cache import read_derived, write_derived
from ..scorecard.catalogue import load_catalogue
from ..scorecard.editions import load_published, load_scorecard, resolve_period, results_key
from ._areas import rows_of_area
from .suppress import check_threshold, suppress

__all__ = ["load_assessed", "load_series", "prepare_edition"]


def load_assessed(period: str | None = None, suppress_threshold: int = 5, *, data_dir=None) -> pd.DataFrame:
    """Every area's latest figures assessed against the printed ratings, with small numbers withheld.

    The same frame as ``suppress(assess(load_scorecard(period), published=load_published(period)),
    suppress_threshold)``, read from the cache when an earlier call (or the batch) stored it.

    Parameters
    ----------
    period : str, optional
        Scorecard edition, e.g. ``"2024-10"``; the newest on disk by default.
    suppress_threshold : int
        Counts of 1 to this many children are withheld (0: none withheld).

    Returns
    -------
    DataFrame
        Schema :class:`kccperf.schemas.Assessed`, with the ``suppressed`` column.

    Examples
    --------
    >>> a = load_assessed("2024-10")
    >>> bool(a["suppressed"].any()), sorted(a["area"].unique())[:2]
    (True, ['Ashford', 'Canterbury'])
    """
    period, threshold = resolve_period(period, data_dir), check_threshold(suppress_threshold)
    name, key = f"{period}-assessed-{threshold}", results_key(period, threshold, data_dir=data_dir)
    cached = read_derived(name, key, ("all",), data_dir)
    if cached is not None:
        return cached[0]
    published = load_published(period, data_dir=data_dir)
    frame = suppress(assess(load_scorecard(period, data_dir=data_dir), published=published), threshold)
    write_derived(name, key, {"all": frame}, data_dir)
    return frame


def load_series(period: str | None = None, suppress_threshold: int = 5, *, area: str, data_dir=None) -> pd.DataFrame:
    """One area's printed series (every period the editions on disk hold), with small numbers withheld.

    The same frame as ``suppress(load_scorecard(period), suppress_threshold, area=area)``: the whole edition is
    suppressed (secondary suppression needs the county total), then the area's rows are kept. The cache holds each
    area's rows apart, so a report reads its own area only.

    Examples
    --------
    >>> s = load_series("2024-10", area="dover")
    >>> sorted(s["area"].unique()), bool(s["suppressed"].any())
    (['Dover'], True)
    """
    period, threshold = resolve_period(period, data_dir), check_threshold(suppress_threshold)
    slug = load_catalogue(data_dir).area_slug(area)  # raises for a misspelt area
    name, key = f"{period}-series-{threshold}", results_key(period, threshold, data_dir=data_dir)
    cached = read_derived(name, key, (slug,), data_dir)
    if cached is not None:
        return cached[0]
    parts = _store_series(period, threshold, name, key, data_dir)
    if slug not in parts:
        raise ParameterError(f"parameter 'area' is '{area}', which has no rows in the {period} edition.")
    return parts[slug]


def _store_series(period: str, threshold: int, name: str, key: str, data_dir) -> dict[str, pd.DataFrame]:
    cat = load_catalogue(data_dir)
    withheld = suppress(load_scorecard(period, data_dir=data_dir), threshold)
    present = set(withheld[S.area].unique())
    parts = {cat.area_slug(a): rows_of_area(withheld, a) for a in cat.areas[Area.area] if a in present}
    write_derived(name, key, parts, data_dir)
    return parts


def prepare_edition(period: str | None = None, suppress_threshold: int = 5, *, data_dir=None) -> pd.DataFrame:
    """Compute and keep what the reports of an edition share: the assessed edition, its series, its reconciliation
    (with the indicator information and the quality log it reads, which the reports show too) and what changed since
    the edition before.

    The batch calls this once per edition before its workers start. Returns the assessed edition.
    """
    period, threshold = resolve_period(period, data_dir), check_threshold(suppress_threshold)
    assessed = load_assessed(period, threshold, data_dir=data_dir)
    load_series(period, threshold, area=assessed[S.area].iloc[0], data_dir=data_dir)
    reconcile(period, data_dir=data_dir)
    since_last_edition(period, data_dir=data_dir)
    return assessed
