from __future__ import annotations

import pytest

from kccperf.scorecard import periods as P


@pytest.mark.parametrize(
    ("label", "kind", "key", "year"),
    [
        ("Apr-24", "monthly", "2024-04", "2024-25"),
        ("Mar-25", "monthly", "2025-03", "2024-25"),
        ("Jan-24", "monthly", "2024-01", "2023-24"),
        ("Q1 24-25", "quarterly", "2024-25 Q1", "2024-25"),
        ("Q4 23-24", "quarterly", "2023-24 Q4", "2023-24"),
        ("Autumn 23-24", "termly", "2023-24 T1", "2023-24"),
        ("Summer 22-23", "termly", "2022-23 T3", "2022-23"),
        ("2019-20", "annual", "2019-20", "2019-20"),
    ],
)
def test_labels_parse_to_sortable_keys_and_back(label, kind, key, year):
    p = P.parse(label, kind)
    assert (p.key, p.reporting_year, p.label) == (key, year, label)
    assert P.from_key(key, kind) == p


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Oct 24", "monthly"),
        ("Q5 24-25", "quarterly"),
        ("Q1 24-26", "quarterly"),
        ("Winter 23-24", "termly"),
        ("2020-22", "annual"),
        ("", "annual"),
    ],
)
def test_garbled_labels_are_not_periods(label, kind):
    assert P.parse(label, kind) is None


@pytest.mark.parametrize(
    ("first", "kind", "n", "last"),
    [("Nov-24", "monthly", 3, "Jan-25"), ("Q3 23-24", "quarterly", 4, "Q2 24-25"), ("Summer 22-23", "termly", 4, "Summer 23-24")],
)
def test_sequences_cross_year_boundaries(first, kind, n, last):
    assert P.parse(first, kind).shift(n - 1).label == last


@pytest.mark.parametrize(
    ("edition", "kind", "latest"),
    [
        ("2024-10", "monthly", "Oct-24"),
        ("2024-10", "quarterly", "Q2 24-25"),
        ("2024-10", "termly", "Summer 23-24"),
        ("2025-01", "quarterly", "Q3 24-25"),
        ("2025-01", "termly", "Autumn 24-25"),
        ("2025-05", "termly", "Spring 24-25"),
    ],
)
def test_edition_decides_the_latest_period(edition, kind, latest):
    assert P.edition_latest(edition, kind).label == latest


def test_annual_latest_is_not_decided_by_the_calendar():
    assert P.edition_latest("2024-10", "annual") is None
