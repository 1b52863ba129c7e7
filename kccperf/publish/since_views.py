"""The "since the last edition" section of a report and its one-line summary in the index."""

from __future__ import annotations

import numpy as np
import pandas as pd
from IPython.display import HTML

from .._format import format_value
from ..judge.since import EditionChanges
from ..schemas import Assessed as A
from ..schemas import EditionChange as C
from ..schemas import Indicator as I
from ..schemas import Suppression
from ._html import STYLESHEET, data_table, escape

__all__ = ["since_last_edition_section", "since_summary"]

# How each kind of change is named in a sentence (one, many) and in the table.
_NOUNS = {
    "rating": ("rating changed", "ratings changed"),
    "revised": ("figure revised", "figures revised"),
    "target": ("target changed", "targets changed"),
    "added": ("indicator added", "indicators added"),
    "dropped": ("indicator dropped", "indicators dropped"),
}
_LABELS = {
    "rating": "Rating changed",
    "revised": "Figure revised",
    "target": "Target changed",
    "added": "Indicator added",
    "dropped": "Indicator dropped",
}


def since_summary(changes: EditionChanges) -> str:
    """One plain sentence: what changed since the edition before, or that there is no earlier edition.

    Examples
    --------
    >>> import pandas as pd
    >>> since_summary(EditionChanges("2024-10", None, pd.DataFrame(columns=["change"])))
    '2024-10 is the first edition held: there is none earlier to compare it with.'
    """
    if changes.previous is None:
        return f"{changes.period} is the first edition held: there is none earlier to compare it with."
    counts = {k: n for k, n in changes.counts().items() if n}
    if not counts:
        return f"Nothing changed since the {changes.previous} edition."
    parts = [f"{n} {_NOUNS[k][n != 1]}" for k, n in counts.items()]
    return f"Since the {changes.previous} edition: " + ", ".join(parts) + "."


def _withheld(changes: pd.DataFrame, view: pd.DataFrame | None) -> pd.Series:
    """Which changes are about a figure the report withholds (small numbers): True where the view suppresses it."""
    if view is None or Suppression.suppressed not in view:
        return pd.Series(False, index=changes.index)
    hidden = view.loc[view[Suppression.suppressed].astype(bool), [A.area, A.block, A.indicator]]
    key = pd.MultiIndex.from_frame(changes[[C.area, C.block, C.indicator]].astype(str))
    return pd.Series(key.isin(pd.MultiIndex.from_frame(hidden.astype(str))), index=changes.index)


def _in_words(changes: pd.DataFrame, units: pd.Series) -> pd.DataFrame:
    """Before and Now as a reader takes them: figures and targets with their unit (``units`` by indicator), and for an
    indicator added or dropped when it was first or last printed, where the data hold only that period."""
    mapped = changes[C.indicator].map(units).to_numpy(object)
    unit = np.where(pd.isna(mapped), "", mapped)
    figures = changes[C.change].isin(["revised", "target"]).to_numpy()

    def shown(text: pd.Series) -> np.ndarray:
        number = pd.to_numeric(text, errors="coerce").to_numpy(float)
        words = [format_value(n, u) if f and n == n else t for n, u, f, t in zip(number, unit, figures, text)]
        return np.asarray(words, dtype=object)

    kind, period = changes[C.change], changes[C.period_label]
    before = np.select(
        [kind.eq("added"), kind.eq("dropped")], ["not printed", "last printed " + period], shown(changes[C.before])
    )
    after = np.select([kind.eq("added"), kind.eq("dropped")], ["first printed " + period, "not printed"], shown(changes[C.after]))
    # A revised figure's or target's detail repeated its numbers without units: Before and Now give them.
    detail = changes[C.description].where(~figures, "")
    return changes.assign(**{C.before: before, C.after: after, C.description: detail})


def since_last_edition_section(changes: EditionChanges, view: pd.DataFrame | None = None) -> HTML:
    """The report section: the summary sentence, then one row per change (none when nothing changed).

    With ``view`` (the area's rows after :func:`kccperf.suppress`), a change to a figure the report withholds is not
    shown, not even its rating: only how many such changes there are.
    """
    lead = f'<p class="kcc-since">{escape(since_summary(changes))}</p>'
    if changes.previous is None or changes.changes.empty:
        return HTML(STYLESHEET + lead)
    hidden = _withheld(changes.changes, view)
    if hidden.any():
        lead += (
            f'<p class="kcc-since">{int(hidden.sum())} of these concern figures withheld for small numbers and are not shown.</p>'
        )
    kept = changes.changes[~hidden]
    if kept.empty:
        return HTML(STYLESHEET + lead)
    units = view.drop_duplicates(A.indicator).set_index(A.indicator)[I.unit] if view is not None and I.unit in view else {}
    shown = _in_words(kept, pd.Series(units, dtype=object)).assign(**{C.change: kept[C.change].map(_LABELS)})
    table = data_table(
        shown,
        caption=f"Changes since the {changes.previous} edition",
        columns={
            C.change: "What",
            C.block: "Team",
            C.title: "Indicator",
            C.period_label: "Period",
            C.before: "Before",
            C.after: "Now",
            C.description: "Detail",
        },
    )
    return HTML(table.data.replace("<table", lead + "<table", 1))
