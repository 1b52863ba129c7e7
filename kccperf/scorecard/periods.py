"""Period labels as printed (``Oct-24``, ``Q2 24-25``, ``Summer 23-24``, ``2023-24``) and their sortable keys.

Each table kind counts periods in its own unit. A period is held as an integer
ordinal within its kind so that sequences, gaps and "a year earlier" are simple
arithmetic; ``key`` gives the sortable label stored in frames.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("monthly", "quarterly", "termly", "annual")
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# Academic terms in order within a school year.
_TERMS = ["Autumn", "Spring", "Summer"]
# How many periods make one year, for same-period-last-year comparisons.
PER_YEAR = {"monthly": 12, "quarterly": 4, "termly": 3, "annual": 1}

_RE = {
    "monthly": re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-(\d{2})$"),
    "quarterly": re.compile(r"^Q([1-4]) (\d{2})-(\d{2})$"),
    "termly": re.compile(r"^(Autumn|Spring|Summer) (\d{2})-(\d{2})$"),
    "annual": re.compile(r"^(\d{4})-(\d{2})$"),
}


@dataclass(frozen=True, order=True)
class Period:
    """One period of a table kind, ordered within its kind."""

    kind: str
    ordinal: int

    @property
    def label(self) -> str:
        """The label as the scorecard prints it."""
        o = self.ordinal
        if self.kind == "monthly":
            return f"{_MONTHS[o % 12]}-{(o // 12) % 100:02d}"
        if self.kind == "quarterly":
            y = o // 4
            return f"Q{o % 4 + 1} {y % 100:02d}-{(y + 1) % 100:02d}"
        if self.kind == "termly":
            y = o // 3
            return f"{_TERMS[o % 3]} {y % 100:02d}-{(y + 1) % 100:02d}"
        return f"{o}-{(o + 1) % 100:02d}"

    @property
    def key(self) -> str:
        """A label that sorts in time order: ``2024-10``, ``2024-25 Q2``, ``2023-24 T3``, ``2023-24``."""
        o = self.ordinal
        if self.kind == "monthly":
            return f"{o // 12:04d}-{o % 12 + 1:02d}"
        if self.kind == "quarterly":
            y = o // 4
            return f"{y:04d}-{(y + 1) % 100:02d} Q{o % 4 + 1}"
        if self.kind == "termly":
            y = o // 3
            return f"{y:04d}-{(y + 1) % 100:02d} T{o % 3 + 1}"
        return f"{o:04d}-{(o + 1) % 100:02d}"

    @property
    def reporting_year(self) -> str:
        """The financial (Apr-Mar) or academic year the period falls in, as ``2024-25``."""
        o = self.ordinal
        if self.kind == "monthly":
            y = o // 12 if o % 12 >= 3 else o // 12 - 1
        elif self.kind == "quarterly":
            y = o // 4
        elif self.kind == "termly":
            y = o // 3
        else:
            y = o
        return f"{y:04d}-{(y + 1) % 100:02d}"

    def shift(self, n: int) -> Period:
        return Period(self.kind, self.ordinal + n)


def parse(label: str, kind: str) -> Period | None:
    """Parse a printed label of ``kind``; ``None`` when it is not one."""
    text = " ".join(str(label).split())
    m = _RE[kind].match(text)
    if not m:
        return None
    if kind == "monthly":
        return Period(kind, (2000 + int(m[2])) * 12 + _MONTHS.index(m[1]))
    if kind == "annual":
        start = int(m[1])
        return Period(kind, start) if (start + 1) % 100 == int(m[2]) else None
    start, end = 2000 + int(m[2]), int(m[3])
    if (start + 1) % 100 != end:
        return None
    if kind == "quarterly":
        # Financial-year quarters: Q1 is Apr-Jun.
        return Period(kind, start * 4 + int(m[1]) - 1)
    return Period(kind, start * 3 + _TERMS.index(m[1]))


def from_key(key: str, kind: str) -> Period:
    """Inverse of :attr:`Period.key`."""
    if kind == "monthly":
        y, m = key.split("-")
        return Period(kind, int(y) * 12 + int(m) - 1)
    y = int(key[:4])
    if kind == "quarterly":
        return Period(kind, y * 4 + int(key[-1]) - 1)
    if kind == "termly":
        return Period(kind, y * 3 + int(key[-1]) - 1)
    return Period(kind, y)


def edition_latest(edition: str, kind: str) -> Period | None:
    """The latest period an edition (``2024-10``) would report for a kind, where the calendar decides it.

    Monthly tables report the edition month; quarterly tables the last quarter
    that ended before it; termly tables the last completed term. Annual tables
    depend on publication dates, so ``None``.
    """
    m = re.match(r"^(\d{4})-(\d{2})$", edition)
    if not m:
        return None
    month = Period("monthly", int(m[1]) * 12 + int(m[2]) - 1)
    if kind == "monthly":
        return month
    if kind == "quarterly":
        # Financial-year quarter containing the month, then step back one.
        fy_month = month.ordinal - 3
        return Period(kind, fy_month // 3 - 1)
    if kind == "termly":
        y, mi = divmod(month.ordinal, 12)
        # Autumn term ends in December, spring at Easter (April), summer in July.
        if mi >= 7:
            return Period(kind, (y - 1) * 3 + 2)
        if mi >= 4:
            return Period(kind, (y - 1) * 3 + 1)
        return Period(kind, (y - 1) * 3 + 0) if mi >= 0 else None
    return None


def year_label(text: str) -> str | None:
    """The ``YYYY-YY`` year inside a header label such as ``Target Summer 2023-24``."""
    m = re.search(r"(\d{4})-(\d{2})(?!\d)", text)
    return f"{m[1]}-{m[2]}" if m else None


def previous_year(year: str) -> str:
    y = int(year[:4]) - 1
    return f"{y:04d}-{(y + 1) % 100:02d}"


# The scorecard's data-period codes and the unit their series are counted in.
KIND_OF_PERIOD_TYPE = {"MS": "monthly", "R12M": "monthly", "YTD": "monthly", "Q": "quarterly", "T": "termly", "A": "annual"}


def _pair_codes(keys, period_types):
    """Integer codes for (key, type) pairs and the distinct pairs, from two cheap single-column factorisations."""
    import numpy as np
    import pandas as pd

    kc, ku = pd.factorize(np.asarray(keys, dtype=object))
    tc, tu = pd.factorize(np.asarray(period_types, dtype=object))
    codes, pairs = pd.factorize(kc.astype(np.int64) * (len(tu) + 1) + tc)
    return codes, [(ku[p // (len(tu) + 1)], tu[p % (len(tu) + 1)]) for p in pairs]


def ordinals(keys, period_types):
    """Integer ordinals for sortable period keys, vectorised through the few distinct (key, type) pairs.

    Returns a float array (NaN where a key cannot be read) so that consecutive periods differ by 1.
    """
    import numpy as np

    codes, uniques = _pair_codes(keys, period_types)
    out = np.full(len(uniques), np.nan)
    for i, (key, ptype) in enumerate(uniques):
        kind = KIND_OF_PERIOD_TYPE.get(ptype)
        try:
            out[i] = from_key(str(key), kind).ordinal if kind else np.nan
        except (ValueError, IndexError):
            out[i] = np.nan
    return out[codes]


def reporting_years(keys, period_types):
    """The reporting year (``2024-25``) of each period key, vectorised through the distinct pairs."""
    import numpy as np

    codes, uniques = _pair_codes(keys, period_types)
    years = np.array([from_key(str(k), KIND_OF_PERIOD_TYPE[t]).reporting_year for k, t in uniques], dtype=object)
    return years[codes]


def labels(keys, period_types):
    """Printed labels (``Oct-24``) of period keys, vectorised through the distinct pairs."""
    import numpy as np

    codes, uniques = _pair_codes(keys, period_types)
    out = np.array([from_key(str(k), KIND_OF_PERIOD_TYPE[t]).label for k, t in uniques], dtype=object)
    return out[codes]
