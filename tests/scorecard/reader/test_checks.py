"""Checks that only report: codes, polarity and data period against the catalogue; reused codes; figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kccperf.schemas import Indicator, Published, Scorecard
from kccperf.scorecard.reader.checks import check_rows, check_values, reused_codes
from kccperf.scorecard.reader.roles import IndicatorRow


@pytest.fixture(scope="module")
def indicators(catalogue):
    return catalogue.indicators.set_index(Indicator.indicator)


def _row(code="SCS03", polarity="L", period_type="R12M", indicator="cswt_re_referrals") -> IndicatorRow:
    return IndicatorRow(6, "Dover CSWT", code, "Title", polarity, period_type, indicator)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (_row(), []),
        (_row(code=""), [("missing_code", "A", "", "SCS03", "no code printed; the catalogue code is SCS03.")]),
        (
            _row(code="Page 45"),
            [("wrong_code", "A", "Page 45", "SCS03", "a page-number artefact 'Page 45' stands in the code column.")],
        ),
        (
            _row(code="SCS43"),
            [
                (
                    "wrong_code",
                    "A",
                    "SCS43",
                    "SCS03",
                    "code SCS43 belongs to 'Average caseloads in the CSWT Teams'; expected SCS03.",
                )
            ],
        ),
        (
            _row(code="XYZ9"),
            [
                (
                    "wrong_code",
                    "A",
                    "XYZ9",
                    "SCS03",
                    "code XYZ9 is not a code the catalogue knows for this indicator; expected SCS03.",
                )
            ],
        ),
        (_row(code="", indicator="caseload_ehu", period_type="MS"), []),
        (
            _row(code="EH99", indicator="caseload_ehu", period_type="MS"),
            [
                (
                    "wrong_code",
                    "A",
                    "EH99",
                    "",
                    "code EH99 is not a code the catalogue knows for this indicator; expected no code.",
                )
            ],
        ),
        (
            _row(polarity="H", period_type="MS"),
            [
                ("polarity_mismatch", "C", "H", "L", "polarity printed H; the catalogue says L."),
                ("period_type_mismatch", "D", "MS", "R12M", "data period printed MS; the catalogue says R12M."),
            ],
        ),
        (_row(code="Page 1", polarity="X", indicator=""), []),
    ],
)
def test_rows_are_checked_against_the_catalogue(catalogue, indicators, row, expected):
    entries = check_rows((row,), indicators, catalogue.codes)
    assert [(e.category, e.column, e.found, e.expected, e.message) for e in entries] == expected
    assert all((e.row, e.block, e.indicator) == (7, "Dover CSWT", row.indicator) for e in entries)


def test_rows_are_checked_in_file_order(catalogue, indicators):
    rows = (
        IndicatorRow(3, "", "", "T", "H", "R12M", "cswt_re_referrals"),
        IndicatorRow(8, "", "Page 2", "T", "L", "R12M", "cswt_re_referrals"),
    )
    assert [(e.row, e.category) for e in check_rows(rows, indicators, catalogue.codes)] == [
        (4, "missing_code"),
        (4, "polarity_mismatch"),
        (9, "wrong_code"),
    ]


def _published(codes: list[str], indicators: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            Published.code_published: codes,
            Published.indicator: indicators,
            Published.source_row: range(4, 4 + len(codes)),
            Published.block: ["B"] * len(codes),
        }
    )


@pytest.mark.parametrize(
    ("codes", "indicators", "rows"),
    [
        (["X1", "X1", "X2"], ["a", "b", "c"], [4, 5]),
        (["X1", "X2", "X1", "X1"], ["a", "b", "c", "a"], [4, 6, 7]),
        (["X1", "X1"], ["a", "a"], []),
        (["", ""], ["a", "b"], []),
        (["X1", "X1"], ["a", ""], []),
    ],
)
def test_a_code_printed_on_different_indicators_is_logged_on_each_row(codes, indicators, rows):
    entries = reused_codes(_published(codes, indicators))
    assert [e.row for e in entries] == rows
    assert all(e.category == "reused_code" and e.found == "X1" and e.block == "B" for e in entries)
    if rows:
        assert (
            entries[0].message
            == f"code X1 is printed on {len(set(indicators[r - 4] for r in rows))} different indicators in this table."
        )


def _values(
    indicator: str, value: float, decimals: float, numerator: float, denominator: float, latest: bool = True
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            Scorecard.block: [""],
            Scorecard.indicator: [indicator],
            Scorecard.period_label: ["Oct-24"],
            Scorecard.value: [value],
            Scorecard.numerator: [numerator],
            Scorecard.denominator: [denominator],
            Scorecard.decimals: [decimals],
            Scorecard.is_latest: [latest],
            Scorecard.source_row: [4],
        }
    )


def _rounding(numerator: float, denominator: float) -> pd.DataFrame:
    return pd.DataFrame({Scorecard.numerator: [numerator], Scorecard.denominator: [denominator]})


@pytest.mark.parametrize(
    ("indicator", "value", "logged"),
    [
        ("cswt_re_referrals", 100.0, False),
        ("cswt_re_referrals", 100.1, True),
        ("cswt_re_referrals", np.nan, False),
        ("caseload_cswt", 120.8, False),
        ("not_in_catalogue", 120.8, False),
    ],
)
def test_percentages_over_100_are_logged(indicators, indicator, value, logged):
    entries = check_values(_values(indicator, value, 1, np.nan, np.nan), _rounding(np.nan, np.nan), indicators)
    assert [(e.category, e.row, e.column, e.found) for e in entries] == (
        [("percent_over_100", 4, "Oct-24", "100.1")] if logged else []
    )


@pytest.mark.parametrize(
    ("indicator", "value", "decimals", "numerator", "denominator", "rounding", "latest", "logged"),
    [
        # 5,499 / 23,954 = 22.956%: a printed 23.0 (23.0 ± 0.05) can come from it, 23.1 cannot.
        ("cswt_re_referrals", 23.0, 1, 5499, 23954, (0, 0), True, False),
        ("cswt_re_referrals", 22.96, 2, 5499, 23954, (0, 0), True, False),
        ("cswt_re_referrals", 23.1, 1, 5499, 23954, (0, 0), True, True),
        ("cswt_re_referrals", 22.9, 1, 5499, 23954, (0, 0), True, True),
        ("cswt_re_referrals", 23.1, 1, 5499, 23954, (0, 0), False, False),
        ("cswt_re_referrals", 23.1, 1, 5499, 0, (0, 0), True, False),
        # 5,560 / 266.0 FTE = 20.90: rounding of the FTE to one decimal cannot reach 21.0.
        ("caseload_cswt", 20.9, 1, 5560, 266.0, (0, 1), True, False),
        ("caseload_cswt", 21.0, 1, 5560, 266.0, (0, 1), True, True),
        # 20.94 is out of reach of an FTE printed to one decimal (265.95-266.05), within reach of a whole one.
        ("caseload_cswt", 20.94, 2, 5560, 266.0, (0, 1), True, True),
        ("caseload_cswt", 20.94, 2, 5560, 266.0, (0, 0), True, False),
        ("not_in_catalogue", 21.0, 1, 5560, 266.0, (0, 1), True, False),
    ],
)
def test_latest_values_their_numerator_and_denominator_cannot_give_are_logged(
    indicators, indicator, value, decimals, numerator, denominator, rounding, latest, logged
):
    frame = _values(indicator, value, decimals, numerator, denominator, latest)
    entries = [e for e in check_values(frame, _rounding(*rounding), indicators) if e.category == "value_mismatch"]
    assert len(entries) == int(logged)
    if logged and indicator == "cswt_re_referrals":
        assert entries[0].message == f"published {value:g} but 5,499 / 23,954 gives 23.0."
        assert (entries[0].row, entries[0].column, entries[0].found, entries[0].expected) == (4, "Oct-24", f"{value:g}", "22.96")
