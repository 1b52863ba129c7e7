"""Sheet names of an MI team's workbook: the table file stem, or its area slug cut to fit Excel's 31 characters."""

from __future__ import annotations

import pytest

from kccperf.scorecard.catalogue import load_catalogue
from kccperf.scorecard.workbook import sheet_stem

CAT = load_catalogue()


@pytest.mark.parametrize(
    ("sheet", "stem"),
    [
        ("kent__ics_monthly", "kent__ics_monthly"),
        ("sevenoaks__ics_monthly__2", "sevenoaks__ics_monthly__2"),
        ("tonbridge__education_monthly", "tonbridge-and-malling__education_monthly"),
        ("tunbridge__education_annual", "tunbridge-wells__education_annual"),
        ("folkestone__ics_quarterly", "folkestone-and-hythe__ics_quarterly"),
        ("t__ics_monthly", ""),  # Thanet, Tonbridge and Malling, Tunbridge Wells
        ("kent__ics_weekly", ""),
        ("atlantis__ics_monthly", ""),
        ("Sheet1", ""),
        ("kent__ics_monthly__x", ""),
    ],
)
def test_sheet_stem(sheet, stem):
    assert sheet_stem(sheet, CAT.areas, CAT.tables) == stem
