"""Naming a table file's area, table and edition."""

from __future__ import annotations

from pathlib import Path

import pytest

from kccperf.errors import ParameterError
from kccperf.scorecard.reader.source import Source, identify_source


@pytest.mark.parametrize(
    ("path", "area", "edition", "expected"),
    [
        ("raw/2024-10/dover__ics_monthly.tsv", None, None, ("Dover", "dover", "ics_monthly", "2024-10")),
        ("raw/2024-10/thanet__ics_monthly__2.tsv", None, None, ("Thanet", "thanet", "ics_monthly", "2024-10")),
        (
            "raw/2024-10/folkestone-and-hythe__education_annual.xlsx",
            None,
            None,
            ("Folkestone and Hythe", "folkestone-and-hythe", "education_annual", "2024-10"),
        ),
        ("raw/misc/kent__ics_quarterly.tsv", None, None, ("Kent", "kent", "ics_quarterly", None)),
        ("raw/2024-13/kent__ics_quarterly.tsv", None, None, ("Kent", "kent", "ics_quarterly", None)),
        ("raw/2024-10/narnia__ics_monthly.tsv", None, None, ("", "", "ics_monthly", "2024-10")),
        ("raw/2024-10/My Table (copy).csv", None, None, ("", "", "my_table_copy", "2024-10")),
        ("raw/2024-10/My Table (copy).csv", "swale", None, ("Swale", "swale", "my_table_copy", "2024-10")),
        (
            "raw/2024-10/dover__ics_monthly.tsv",
            "Tunbridge Wells",
            "2023-07",
            ("Tunbridge Wells", "tunbridge-wells", "ics_monthly", "2023-07"),
        ),
    ],
)
def test_area_table_and_edition_come_from_the_name_unless_given(catalogue, path, area, edition, expected):
    source = identify_source(path, area, edition, catalogue)
    assert source == Source(Path(path), *expected)


@pytest.mark.parametrize(
    ("area", "edition", "message"),
    [("Narnia", None, "area 'Narnia' is not known"), (None, "Oct-24", "parameter 'edition' is 'Oct-24'")],
)
def test_a_bad_area_or_edition_parameter_is_refused(catalogue, area, edition, message):
    with pytest.raises(ParameterError, match=message):
        identify_source("raw/2024-10/dover__ics_monthly.tsv", area, edition, catalogue)
