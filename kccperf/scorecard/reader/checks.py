"""Checks that only report: what a table prints against the catalogue and against itself.

Printed codes, polarities and data periods are compared with the catalogue
(published codes are not reliable ids, so the title identifies the indicator);
codes printed on several indicators, percentages over 100 and values that their
numerator and denominator cannot give are logged. None of them alters a figure.
"""

from __future__ import annotations

import re

import pandas as pd

from ...schemas import Indicator, Published, Scorecard
from .cells import Cells
from .geometry import Header
from .log import LogEntry
from .roles import IndicatorRow

_PAGE_RE = re.compile(r"^Page \d+$", re.I)
# Values computed from numerator/denominator are multiplied by this per unit.
_SCALE = {"percent": 100.0, "rate": 100.0, "days": 1.0, "caseload": 1.0}


def check_rows(rows: tuple[IndicatorRow, ...], indicators: pd.DataFrame, code_owner: dict[str, str]) -> list[LogEntry]:
    """Compare each known indicator row's code, polarity and data period with the catalogue.

    Parameters
    ----------
    rows : tuple of IndicatorRow
        The indicator rows, in file order.
    indicators : DataFrame
        The catalogue's indicators indexed by indicator.
    code_owner : dict of str to str
        Code to the indicator the catalogue gives it (``Catalogue.codes``).

    Returns
    -------
    list of LogEntry
        Missing and wrong codes, polarity and data-period mismatches, in row order.

    Examples
    --------
    >>> from kccperf.scorecard.catalogue import load_catalogue
    >>> cat = load_catalogue()
    >>> row = IndicatorRow(3, "", "", "Title", "H", "R12M", "cswt_re_referrals")
    >>> [e.category for e in check_rows((row,), cat.indicators.set_index(Indicator.indicator), cat.codes)]
    ['missing_code', 'polarity_mismatch']
    """
    entries = []
    # Looked up once per indicator, not once per row: a DataFrame lookup costs more than the rest of a row's checks.
    codes_of = {ind: [c for c in codes.split("|") if c] for ind, codes in indicators[Indicator.codes].items()}
    polarity, period_type = indicators[Indicator.polarity].to_dict(), indicators[Indicator.period_type].to_dict()
    for row in rows:
        if not row.indicator:
            continue
        entries += _code_entry(row, codes_of[row.indicator], code_owner, indicators)
        for printed, expected, category, name, column in (
            (row.polarity, polarity[row.indicator], "polarity_mismatch", "polarity", "C"),
            (row.period_type, period_type[row.indicator], "period_type_mismatch", "data period", "D"),
        ):
            if printed != expected:
                entries.append(
                    LogEntry(
                        category,
                        f"{name} printed {printed}; the catalogue says {expected}.",
                        row=row.index + 1,
                        column=column,
                        block=row.block,
                        indicator=row.indicator,
                        found=printed,
                        expected=expected,
                    )
                )
    return entries


def _code_entry(row: IndicatorRow, codes: list[str], code_owner: dict[str, str], indicators: pd.DataFrame) -> list[LogEntry]:
    """A blank code, a page-number artefact, or a code the catalogue does not give this indicator."""
    code, first = row.code, codes[0] if codes else ""
    if not code and codes:
        category, message, found = "missing_code", f"no code printed; the catalogue code is {first}.", ""
    elif code and _PAGE_RE.match(code):
        category, message, found = "wrong_code", f"a page-number artefact '{code}' stands in the code column.", code
    elif code and code not in codes:
        other = code_owner.get(code)
        why = (
            f"code {code} belongs to '{indicators.at[other, Indicator.title]}'"
            if other and other != row.indicator
            else f"code {code} is not a code the catalogue knows for this indicator"
        )
        category, message, found = "wrong_code", f"{why}; expected {first or 'no code'}.", code
    else:
        return []
    return [
        LogEntry(
            category,
            message,
            row=row.index + 1,
            column="A",
            block=row.block,
            indicator=row.indicator,
            found=found,
            expected=first,
        )
    ]


def reused_codes(published: pd.DataFrame) -> list[LogEntry]:
    """Log every row of a code printed against different indicators in one table.

    Examples
    --------
    >>> pub = pd.DataFrame({Published.code_published: ["X1", "X1", "X2"], Published.indicator: ["a", "b", "c"],
    ...     Published.source_row: [4, 5, 6], Published.block: ["", "", ""]})
    >>> [(e.row, e.found) for e in reused_codes(pub)]
    [(4, 'X1'), (5, 'X1')]
    """
    coded = published[(published[Published.code_published] != "") & (published[Published.indicator] != "")]
    spread = coded.groupby(Published.code_published)[Published.indicator].nunique()
    entries = []
    for code in spread[spread > 1].index:
        hits = coded[coded[Published.code_published] == code]
        for r in hits.itertuples(index=False):
            entries.append(
                LogEntry(
                    "reused_code",
                    f"code {code} is printed on {hits[Published.indicator].nunique()} different indicators in this table.",
                    row=r.source_row,
                    column="A",
                    block=r.block,
                    indicator=r.indicator,
                    found=code,
                )
            )
    return entries


def check_values(values: pd.DataFrame, rounding: pd.DataFrame, indicators: pd.DataFrame) -> list[LogEntry]:
    """Log percentages over 100, then latest values that disagree with their numerator and denominator.

    Parameters
    ----------
    values : DataFrame
        Tidy values (schema :class:`kccperf.schemas.Scorecard`).
    rounding : DataFrame
        Same index: the decimals the numerator and denominator were printed with.
    indicators : DataFrame
        The catalogue's indicators indexed by indicator, for each indicator's unit.

    Returns
    -------
    list of LogEntry
    """
    unit = values[Scorecard.indicator].map(indicators[Indicator.unit]).fillna("")
    return [*_percent_over_100(values, unit), *_value_mismatches(values, rounding, unit)]


def _percent_over_100(values: pd.DataFrame, unit: pd.Series) -> list[LogEntry]:
    over = values[(unit == "percent") & (values[Scorecard.value] > 100)]
    return [
        LogEntry(
            "percent_over_100",
            f"{r.value:g}% in {r.period_label} is over 100%.",
            row=r.source_row,
            column=r.period_label,
            block=r.block,
            indicator=r.indicator,
            found=f"{r.value:g}",
            expected="0-100",
        )
        for r in over.itertuples(index=False)
    ]


def _value_mismatches(values: pd.DataFrame, rounding: pd.DataFrame, unit: pd.Series) -> list[LogEntry]:
    """Latest values outside every ratio their rounded numerator and denominator allow."""
    scale = unit.map(_SCALE)
    has = (
        values[Scorecard.is_latest]
        & values[Scorecard.numerator].notna()
        & values[Scorecard.denominator].gt(0)
        & scale.notna()
        & values[Scorecard.value].notna()
    )
    sub, k, dec = values[has], scale[has], rounding[has]
    computed = sub[Scorecard.numerator] / sub[Scorecard.denominator] * k
    # Every printed figure is rounded: the value to d decimals, and numerator and denominator
    # (FTEs, for example) to theirs. They disagree only when the intervals cannot meet.
    half = lambda d: 0.5 * 10.0 ** (-d.fillna(0))  # noqa: E731
    dn, dd = half(dec[Scorecard.numerator]), half(dec[Scorecard.denominator])
    low = (sub[Scorecard.numerator] - dn) / (sub[Scorecard.denominator] + dd) * k
    high = (sub[Scorecard.numerator] + dn) / (sub[Scorecard.denominator] - dd).clip(lower=1e-12) * k
    hv = half(sub[Scorecard.decimals]) + 1e-9
    bad = sub[(sub[Scorecard.value] + hv < low) | (sub[Scorecard.value] - hv > high)]
    return [
        LogEntry(
            "value_mismatch",
            f"published {r.value:g} but {r.numerator:,g} / {r.denominator:,g} gives {c:.{int(r.decimals) if r.decimals == r.decimals else 1}f}.",
            row=r.source_row,
            column=r.period_label,
            block=r.block,
            indicator=r.indicator,
            found=f"{r.value:g}",
            expected=f"{c:.2f}",
        )
        for r, c in zip(bad.itertuples(index=False), computed[bad.index])
    ]


def repeated_headers(cells: Cells, header: Header) -> list[LogEntry]:
    """One ``repeated_header`` entry per row below the header that prints it again (as a page break of a PDF does).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> rows = [["T", "", "Polarity", "Data Period"], ["SCS03", "Title"], ["T", "", "Polarity", "Data Period"]]
    >>> [(e.category, e.row) for e in repeated_headers(Cells(rows, True), SimpleNamespace(row=0))]
    [('repeated_header', 3)]
    """
    wanted = {"Polarity", "Data Period"}
    return [
        LogEntry(
            "repeated_header",
            f"the header row {header.row + 1} is printed again; this row was skipped.",
            row=i + 1,
            column="C",
            found="Polarity, Data Period",
            expected="an indicator, period-label or team-block row",
        )
        for i in range(header.row + 1, len(cells.rows))
        if wanted <= {c.strip() for c in cells.rows[i]}
    ]
