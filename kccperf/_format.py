"""Number and time formatting shared by the commentary, the display layer and the report batch."""

from __future__ import annotations

import math
import re
import time

GENERATED_FORMAT = "%Y-%m-%d %H:%M UTC"
_UNIT_DECIMALS = {"percent": 1, "pp": 1, "rate": 1, "days": 1, "caseload": 1, "count": 0}


# The scorecard's polarity codes as the reports say them.
POLARITY_WORDS = {"H": "Higher is better", "L": "Lower is better", "T": "Closest to target is best"}


def format_value(value: float | None, unit: str) -> str:
    """A value as the reports print it: ``73.1%``, ``1,674``, ``368.6 days``, ``-0.12``; a dash when missing.

    Examples
    --------
    >>> format_value(73.1, "percent"), format_value(1674, "count"), format_value(float("nan"), "percent")
    ('73.1%', '1,674', '–')
    >>> format_value(18.8, "rate")  # a rate is a percentage of a cohort (re-offending)
    '18.8%'
    >>> format_value(44.4, "pp")  # a gap between two percentages is in percentage points
    '44.4 pp'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "score":
        # Scores are printed to two decimals (34.16, -0.12) unless the second is a zero (47.0).
        text = f"{value:.2f}"
        return text[:-1] if text.endswith("0") else text
    text = f"{value:,.{_UNIT_DECIMALS.get(unit, 1)}f}"
    return {"percent": f"{text}%", "rate": f"{text}%", "pp": f"{text} pp", "days": f"{text} days"}.get(unit, text)


def counted(n: int, one: str, many: str) -> str:
    """A count with its noun (and verb) in the right number, for the reports' sentences.

    Examples
    --------
    >>> counted(1, "figure is", "figures are"), counted(3, "figure is", "figures are")
    ('1 figure is', '3 figures are')
    """
    return f"{n} {one if n == 1 else many}"


def format_gap(gap: float, unit: str) -> str:
    """A signed difference as the reports print it: between two percentages (or rates) in percentage points.

    Examples
    --------
    >>> format_gap(6.24, "percent"), format_gap(-1.5, "days"), format_gap(0.0, "pp")
    ('+6.2 pp', '-1.5 days', '0.0 pp')
    """
    sign = "+" if gap > 0 else ""
    return f"{sign}{gap:.1f} pp" if unit in ("percent", "rate") else f"{sign}{format_value(gap, unit)}"


def covers_text(note: str, printed: str, shown: str) -> str:
    """What a latest figure covers, as the reports say it: the sources page's note, or, for a figure shown at an
    earlier period than the column it was printed in, that it repeats that period's figure.

    Examples
    --------
    >>> covers_text("rolling 12 months to Oct 2024", "Oct-24", "Oct-24")
    'rolling 12 months to Oct 2024'
    >>> covers_text("rolling 12 months to Oct 2024", "Oct-24", "Sep-24")
    'printed under Oct-24, where it repeats the Sep-24 figure (the sources page: rolling 12 months to Oct 2024)'
    """
    if printed == shown or not printed:
        return note
    where = f"printed under {printed}, where it repeats the {shown} figure"
    return f"{where} (the sources page: {note})" if note else where


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_dates(text: str) -> str:
    """ISO dates in ``text`` written as a reader reads them: ``2025-01-16`` becomes ``16 January 2025``.

    Examples
    --------
    >>> long_dates("2025-01-16 (Cabinet Committee)")
    '16 January 2025 (Cabinet Committee)'
    """
    return re.sub(
        r"\b(\d{4})-(\d{2})-(\d{2})\b", lambda m: f"{int(m.group(3))} {_MONTHS[int(m.group(2)) - 1]} {m.group(1)}", text
    )


def generated_at(when: float | None = None) -> str:
    """The generated-at time as pages and the index print it (UTC, to the minute).

    Examples
    --------
    >>> generated_at(0)
    '1970-01-01 00:00 UTC'
    """
    return time.strftime(GENERATED_FORMAT, time.gmtime(when))
