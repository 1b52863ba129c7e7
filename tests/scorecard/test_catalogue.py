from __future__ import annotations

import shutil

import pandas as pd
import pytest

from kccperf import InputError, ParameterError, load_catalogue
from kccperf.scorecard.catalogue import normalise_title

from ..conftest import ROOT


def test_reference_data_validates_and_ids_are_stable():
    cat = load_catalogue()
    assert cat.indicators["indicator"].is_unique
    assert set(cat.indicators["polarity"]) <= {"H", "L", "T"}
    assert len(cat.areas) == 13 and (cat.areas["kind"] == "district").sum() == 12


def test_every_code_names_one_indicator():
    cat = load_catalogue()
    codes = cat.indicators["codes"].str.split("|").explode()
    codes = codes[codes != ""]
    assert codes.is_unique


def test_titles_and_aliases_are_unambiguous():
    cat = load_catalogue()
    names = pd.concat([cat.indicators["title"], cat.indicators["aliases"].str.split("|").explode()])
    names = names[names != ""].map(normalise_title)
    assert names.is_unique


@pytest.mark.parametrize(
    ("indicator", "year", "column", "value"),
    [
        ("cic_kcc_foster_care", "2024-25", "floor", 75.0),
        ("care_leavers_eet", "2024-25", "floor", 55.0),
        ("cp_plan_repeat", "2024-25", "range_low", 17.5),
        ("cp_plan_repeat", "2024-25", "range_high", 22.5),
        ("cswt_re_referrals", "2024-25", "target", 25.0),
        ("ks4_attainment8", "2022-23", "target", 51.0),
    ],
)
def test_stated_floors_ranges_and_targets(indicator, year, column, value):
    t = load_catalogue().targets.set_index(["indicator", "year"])
    assert t.at[(indicator, year), column] == value


def test_unknown_floors_stay_empty():
    t = load_catalogue().targets
    assert (t["floor_source"] == "stated").sum() == 2
    assert t.loc[t["floor_source"] == "unknown", "floor"].isna().all()
    assert t.loc[t["floor_source"] != "unknown", "floor"].notna().all()
    assert (t["provenance"] != "").all()


def test_published_kent_targets_agree_with_targets_csv(published):
    t = load_catalogue().targets.set_index(["indicator", "year"])["target"]
    kent = published[(published.area == "Kent") & published.target.notna()]
    for r in kent.itertuples():
        assert t[(r.indicator, r.target_year)] == r.target, r


@pytest.mark.parametrize("given", ["tunbridge-wells", "Tunbridge Wells", "TUNBRIDGE WELLS"])
def test_area_names_and_slugs(given):
    assert load_catalogue().area_name(given) == "Tunbridge Wells"


def test_unknown_area_names_the_choices():
    with pytest.raises(ParameterError, match="area 'Medway' is not known; expected one of: Kent, Ashford"):
        load_catalogue().area_name("Medway")


def test_broken_reference_file_is_reported(tmp_path):
    ref = tmp_path / "reference"
    shutil.copytree(ROOT / "data" / "reference", ref)
    (ref / "areas.csv").write_text("area,slug,kind\nKent,kent,county\nKent,kent2,nation\n")
    with pytest.raises(InputError, match="areas.csv"):
        load_catalogue(tmp_path)


def test_a_gap_between_percentages_is_in_percentage_points():
    # "Kent CIC gap 44.4%" read as a share; the gap between two percentages is 44.4 percentage points.
    ind = load_catalogue().indicators
    gaps = ind[ind["title"].str.endswith("gap") & ind["title"].str.startswith("Percentage")]
    assert len(gaps) == 8 and gaps["unit"].eq("pp").all()
    assert not ind.loc[ind["unit"].eq("pp"), "title"].str.startswith("Average").any()
