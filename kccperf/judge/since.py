"""Since the last edition: ratings that changed, figures revised, indicators added or dropped, targets that changed.

:func:`edition_changes` is the pure calculator (frames in, one frame out); :func:`since_last_edition` loads the
edition asked for and the one before it on disk and calls it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..schemas import Assessed as A
from ..schemas import EditionChange as C
from ..schemas import Published as P
from ..schemas import PublishedHistory
from ..schemas import Revision as R
from ..scorecard.cache import read_derived, write_derived
from ..scorecard.catalogue import load_catalogue
from ..scorecard.editions import (
    load_published,
    load_published_history,
    load_revisions,
    load_scorecard,
    previous_period,
    resolve_period,
    results_key,
)
from .assess import assess
from .ratings import standing

__all__ = ["EditionChanges", "edition_changes", "since_last_edition"]

_SERIES = [A.area, A.block, A.indicator]
COLUMNS = list(C.to_schema().columns)
# Order of the kinds of change in the report and the index.
KINDS = ("rating", "revised", "target", "added", "dropped")


@dataclass(frozen=True)
class EditionChanges:
    """What changed between ``previous`` (``None`` when ``period`` is the first edition on disk) and ``period``."""

    period: str
    previous: str | None
    changes: pd.DataFrame

    def for_area(self, area: str) -> EditionChanges:
        """The changes of one area (canonical name, as :func:`kccperf.check_parameters` returns it)."""
        return EditionChanges(self.period, self.previous, self.changes[self.changes[C.area] == area].reset_index(drop=True))

    def counts(self) -> dict[str, int]:
        """How many changes of each kind, in report order."""
        found = self.changes[C.change].value_counts()
        return {k: int(found.get(k, 0)) for k in KINDS}


def _frame(**cols) -> pd.DataFrame:
    return pd.DataFrame(cols, columns=COLUMNS)


def _text(values: pd.Series) -> pd.Series:
    return values.map(lambda v: "none" if v != v else f"{v:g}").astype(str)


def _standing(frame: pd.DataFrame) -> pd.DataFrame:
    """The rating each edition's reports show (``rating``: the printed one where printed, else the computed ``rag``),
    or, where neither rates the figure and no stated floor decides AMBER against RED, that it missed its target."""
    shown = frame[A.rating] if A.rating in frame else frame[A.rag]
    if A.value not in frame or A.target not in frame:
        return frame.assign(**{A.rag: shown})  # only ratings to compare
    return frame.assign(**{A.rag: standing(shown, frame[A.value], frame[A.target])})


def _ratings(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    current, previous = _standing(current), _standing(previous)
    both = current.merge(previous[[*_SERIES, A.rag, A.period_label]], on=_SERIES, suffixes=("", "_before"))
    moved = both[(both[A.rag] != both[f"{A.rag}_before"]) & (both[A.rag] != "") & (both[f"{A.rag}_before"] != "")]
    return _frame(
        area=moved[A.area],
        block=moved[A.block],
        indicator=moved[A.indicator],
        title=moved[P.title] if P.title in moved else moved[A.indicator],
        change="rating",
        period_label=moved[A.period_label],
        before=moved[f"{A.rag}_before"],
        after=moved[A.rag],
        description="rated "
        + moved[A.rag]
        + " in "
        + moved[A.period_label]
        + ", "
        + moved[f"{A.rag}_before"]
        + " in "
        + moved[f"{A.period_label}_before"],
    )


def _revised(revised: pd.DataFrame) -> pd.DataFrame:
    return _frame(
        area=revised[R.area],
        block=revised[R.block],
        indicator=revised[R.indicator],
        title=revised[R.title],
        change="revised",
        period_label=revised[R.period_label],
        before=_text(revised[R.old]),
        after=_text(revised[R.new]),
        description=revised[R.period_label] + " revised from " + _text(revised[R.old]) + " to " + _text(revised[R.new]),
    )


def _membership(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    keys = current[_SERIES].merge(previous[_SERIES], how="outer", indicator="_side")
    added = current.merge(keys[keys["_side"] == "left_only"][_SERIES], on=_SERIES)
    dropped = previous.merge(keys[keys["_side"] == "right_only"][_SERIES], on=_SERIES)
    parts = []
    for frame, kind, text in ((added, "added", "first printed in this edition"), (dropped, "dropped", "no longer printed")):
        parts.append(
            _frame(
                area=frame[A.area],
                block=frame[A.block],
                indicator=frame[A.indicator],
                title=frame[P.title] if P.title in frame else frame[A.indicator],
                change=kind,
                period_label=frame[A.period_label],
                before="" if kind == "added" else frame[A.period_label],
                after="" if kind == "dropped" else frame[A.period_label],
                description=text,
            )
        )
    return pd.concat(parts, ignore_index=True)


def _targets(published_now: pd.DataFrame, published_before: pd.DataFrame) -> pd.DataFrame:
    cols = [*_SERIES, P.title, P.target, P.target_year, P.latest_period]
    now = published_now.drop_duplicates(_SERIES)[cols]
    before = published_before.drop_duplicates(_SERIES)[cols]
    both = now.merge(before, on=_SERIES, suffixes=("", "_before"))
    t, b = both[P.target].to_numpy(dtype=float), both[f"{P.target}_before"].to_numpy(dtype=float)
    differ = ~((np.isnan(t) & np.isnan(b)) | np.isclose(t, b))
    moved = both[differ]
    before_text, after_text = _text(moved[f"{P.target}_before"]), _text(moved[P.target])
    return _frame(
        area=moved[P.area],
        block=moved[P.block],
        indicator=moved[P.indicator],
        title=moved[P.title],
        change="target",
        period_label=moved[P.target_year],
        before=before_text,
        after=after_text,
        description="target " + moved[P.target_year] + " " + before_text + " → " + after_text,
    )


def edition_changes(
    current: pd.DataFrame,
    previous: pd.DataFrame,
    revised: pd.DataFrame,
    published_now: pd.DataFrame,
    published_before: pd.DataFrame,
) -> pd.DataFrame:
    """What changed between two editions, one row per change.

    Parameters
    ----------
    current, previous : DataFrame
        :func:`kccperf.assess` of the two editions (``rating``: the ratings each edition's reports show that
        differ, its printed rating where it printed one, given ``assess(..., published=)``; ``added`` and
        ``dropped``: series in one and not the other).
    revised : DataFrame
        The revisions the newer edition printed (:func:`kccperf.load_revisions`).
    published_now, published_before : DataFrame
        The printed judgements of the two editions (``target``: printed targets that differ, a new target
        against none included).

    Returns
    -------
    DataFrame
        Schema :class:`kccperf.schemas.EditionChange`, ordered by area, kind of change and indicator.

    Examples
    --------
    >>> a = pd.DataFrame({"area": ["Kent"], "block": [""], "indicator": ["x"], "title": ["X"], "rag": ["GREEN"],
    ...                   "period_label": ["Nov-24"]})
    >>> b = a.assign(rag="AMBER", period_label="Oct-24")
    >>> empty = pd.DataFrame(columns=["area", "block", "indicator", "title", "period", "period_label", "old", "new"])
    >>> p = pd.DataFrame(columns=["area", "block", "indicator", "title", "target", "target_year", "latest_period"])
    >>> edition_changes(a, b, empty, p, p)[["change", "before", "after"]].values.tolist()
    [['rating', 'AMBER', 'GREEN']]
    """
    parts = [
        _ratings(current, previous),
        _revised(revised),
        _targets(published_now, published_before),
        _membership(current, previous),
    ]
    out = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else _frame()
    rank = out[C.change].map({k: i for i, k in enumerate(KINDS)})
    out = out.assign(_rank=rank).sort_values([C.area, "_rank", C.block, C.indicator], kind="stable").drop(columns="_rank")
    return out.astype(str).reset_index(drop=True)


def since_last_edition(period: str | None = None, *, data_dir=None) -> EditionChanges:
    """What changed in ``period`` (default: the newest edition) since the edition before it on disk.

    With one edition on disk ``previous`` is ``None`` and ``changes`` is empty.

    Examples
    --------
    >>> from kccperf.scorecard.editions import available_periods
    >>> since_last_edition(available_periods()[0]).previous is None
    True
    """
    period = resolve_period(period, data_dir)
    before = previous_period(period, data_dir)
    if before is None:
        return EditionChanges(period, None, _frame())
    # Kept with the other results every report of an edition shares (see kccperf.publish.prepared): assessing two
    # editions takes a second or more with a long history, and a batch would otherwise do it once per report.
    name, key = f"{period}-since", results_key(period, data_dir=data_dir)
    cached = read_derived(name, key, ("changes",), data_dir)
    if cached is not None:
        return EditionChanges(period, before, cached[0])
    changes = _changes(period, before, data_dir)
    write_derived(name, key, {"changes": changes}, data_dir)
    return EditionChanges(period, before, changes)


def _changes(period: str, before: str, data_dir) -> pd.DataFrame:
    cat = load_catalogue(data_dir)

    def judged(p: str) -> pd.DataFrame:
        # The ratings each edition printed, as its reports showed them (the computed one where none was printed).
        printed = load_published(p, data_dir=data_dir)
        return assess(load_scorecard(p, data_dir=data_dir), targets=cat.targets, indicators=cat.indicators, published=printed)

    published = load_published_history(data_dir=data_dir, editions=[before, period])
    edition = published[PublishedHistory.edition]
    return edition_changes(
        judged(period),
        judged(before),
        load_revisions(period, data_dir=data_dir),
        published[edition == period],
        published[edition == before],
    )
