"""Number and time formatting shared by the commentary, the display layer and the report batch."""

from __future__ import annotations

import math
import time

GENERATED_FORMAT = "%Y-%m-%d %H:%M UTC"
_UNIT_DECIMALS = {"percent": 1, "pp": 1, "rate": 1, "days": 1, "caseload": 1, "count": 0}


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


def generated_at(when: float | None = None) -> str:
    """The generated-at time as pages and the index print it (UTC, to the minute).

    Examples
    --------
    >>> generated_at(0)
    '1970-01-01 00:00 UTC'
    """
    return time.strftime(GENERATED_FORMAT, time.gmtime(when))
