"""Each edition's printed targets take the reference file's place for that edition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kccperf
from kccperf.judge.printed_targets import printed_targets, with_printed_targets
from kccperf.schemas import Target


def _targets(target: float = 60.0, indicator: str = "ehe") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": [indicator],
            "year": ["2024-25"],
            "target": [target],
            "floor": [50.0],
            "floor_source": ["stated"],
            "floor_low": [np.nan],
            "floor_high": [np.nan],
            "range_low": [np.nan],
            "range_high": [np.nan],
            "applies_to": ["all"],
            "provenance": ["published target; floor 50 stated"],
        }
    )


def _printed(*rows: tuple[str, float]) -> pd.DataFrame:
    """Printed rows of indicator 'ehe' for 2024-25: (area, target)."""
    return pd.DataFrame(
        {
            "area": [a for a, _ in rows],
            "indicator": "ehe",
            "target_year": "2024-25",
            "target": [t for _, t in rows],
            "prev_year": "2023-24",
            "prev_target": 95.0,
            "next_target_year": "",
            "next_target": np.nan,
            "source_file": [f"raw/{a.lower()}.tsv" for a, _ in rows],
            "source_row": 8,
        }
    )


@pytest.mark.parametrize(
    ("printed", "target", "changed"),
    [
        ([("Kent", 60.0)], 60.0, False),
        ([("Kent", 75.0)], 75.0, True),
        ([("Kent", np.nan)], 60.0, False),  # nothing printed: the file's target stands
        ([("Dover", 70.0), ("Kent", 75.0)], 75.0, True),  # the county's printing first
        ([("Dover", 70.0)], 70.0, True),
    ],
)
def test_the_printed_target_takes_the_file_s_place(printed, target, changed):
    out = with_printed_targets(_targets(), _printed(*printed))
    row = out[(out["indicator"] == "ehe") & (out["year"] == "2024-25")].iloc[0]
    assert row["target"] == target
    assert ("this edition prints" in row["provenance"]) is changed
    # Floors are not printed: they stay as the file records them.
    assert (row["floor"], row["floor_source"]) == (50.0, "stated")


def test_a_printed_target_the_file_lacks_is_added_with_an_unknown_floor():
    out = with_printed_targets(_targets(), _printed(("Kent", 60.0)))
    added = out[out["year"] == "2023-24"].iloc[0]  # the previous year's target printed beside it
    assert (added["target"], added["floor_source"], added["provenance"]) == (
        95.0,
        "unknown",
        "printed target, raw/kent.tsv row 8",
    )
    Target.validate(out)


def test_the_input_is_not_changed():
    targets = _targets()
    with_printed_targets(targets, _printed(("Kent", 75.0)))
    assert targets["target"].item() == 60.0


def test_october_2024_prints_exactly_the_reference_targets():
    cat = kccperf.load_catalogue()
    published = kccperf.load_published("2024-10")
    assert len(printed_targets(published)) > 100
    pd.testing.assert_frame_equal(with_printed_targets(cat.targets, published), cat.targets)


def test_november_s_figures_are_rated_against_november_s_target(history_data):
    scorecard = kccperf.load_scorecard("2024-11", data_dir=history_data)
    published = kccperf.load_published("2024-11", data_dir=history_data)
    cat = kccperf.load_catalogue(history_data)
    row = published[(published["area"] == "Kent") & (published["indicator"] == "ehe_contact_10days")].iloc[0]
    assert row["target"] == 75  # the November test edition prints a new target (its edits.tsv)
    assessed = kccperf.assess(scorecard, targets=cat.targets, indicators=cat.indicators, published=published)
    kent = assessed[(assessed["area"] == "Kent") & (assessed["indicator"] == "ehe_contact_10days")].iloc[0]
    assert kent["target"] == 75
    # Without the printed judgements there is only the reference file's target.
    plain = kccperf.assess(scorecard, targets=cat.targets, indicators=cat.indicators)
    assert plain[(plain["area"] == "Kent") & (plain["indicator"] == "ehe_contact_10days")]["target"].item() == 60


def test_a_district_printing_a_target_of_its_own_is_rated_against_it(scorecard):
    published = kccperf.load_published("2024-10")
    cat = kccperf.load_catalogue()
    mine = (published["area"] == "Dover") & (published["indicator"] == "ehe_contact_10days")
    assert published.loc[mine, "target"].tolist() == [60.0]
    edited = published.assign(target=published["target"].where(~mine, 50.0))
    assessed = kccperf.assess(scorecard, targets=cat.targets, indicators=cat.indicators, published=edited)
    ehe = assessed[assessed["indicator"] == "ehe_contact_10days"].set_index("area")["target"]
    assert (ehe["Dover"], ehe["Kent"], ehe["Thanet"]) == (50, 60, 60)
