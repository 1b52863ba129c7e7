"""Floor inference from published RAGs."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kccperf import assess, floor_inference, load_catalogue
from kccperf.judge.floors import infer_floors, judged_rows, polarity_check, unexplained_rags
from kccperf.schemas import InferredFloor, JudgedRag, PolarityCheck, UnexplainedRag


def judged(rows, pol="H", target=85.0):
    return pd.DataFrame(
        [
            {
                "area": f"A{i}",
                "block": "",
                "indicator": "x",
                "year": "2024-25",
                "polarity": pol,
                "value": v,
                "target": target,
                "range_low": math.nan,
                "range_high": math.nan,
                "rag": r,
                "direction": "",
                "source_file": "f",
                "source_row": i,
            }
            for i, (v, r) in enumerate(rows)
        ]
    )


def test_interval_from_amber_and_red():
    f = infer_floors(judged([(73.1, "RED"), (76.0, "AMBER"), (80.0, "AMBER"), (90.0, "GREEN")])).iloc[0]
    assert (f.floor_low, f.floor_high, f.floor, f.floor_source, f.consistent) == (73.1, 76.0, 75.0, "inferred", True)


def test_lower_is_better_interval():
    f = infer_floors(judged([(21.8, "AMBER"), (22.6, "RED")], pol="L", target=18.0)).iloc[0]
    assert (f.floor_low, f.floor_high, f.floor) == (21.8, 22.6, 22.0)


def test_contradictory_rags_are_listed():
    j = judged([(70.0, "AMBER"), (72.0, "RED"), (74.0, "AMBER"), (76.0, "AMBER")])
    f = infer_floors(j)
    assert not f["consistent"].item() and f["n_explained"].item() == 3
    u = unexplained_rags(j, f)
    assert len(u) == 1 and u["value"].item() in (70.0, 72.0)


def test_green_below_target_cannot_be_explained():
    j = judged([(80.0, "GREEN"), (76.0, "AMBER")])
    u = unexplained_rags(j, infer_floors(j))
    assert u["reason"].tolist() == ["GREEN although the value misses the target"]


def test_stated_floor_wins():
    stated = pd.DataFrame({"indicator": ["x"], "year": ["2024-25"], "floor": [75.0]})
    f = infer_floors(judged([(73.1, "RED")]), stated).iloc[0]
    assert (f.floor, f.floor_source) == (75.0, "stated")


def test_real_data_floors_are_stored_in_targets_csv():
    # targets.csv holds the floors inferred from the 2024-10 RAGs; regenerate with `kccperf floors --write`.
    floors, unexplained = floor_inference("2024-10")
    t = load_catalogue().targets.set_index(["indicator", "year"])
    inferred = floors[floors.floor_source == "inferred"]
    assert len(inferred) >= 30
    for r in inferred.itertuples():
        assert (r.indicator, r.year) in t.index, r.indicator
        assert t.at[(r.indicator, r.year), "floor"] == pytest.approx(r.floor), r.indicator
        assert t.at[(r.indicator, r.year), "floor_source"] == "inferred"
    assert t.at[("cic_kcc_foster_care", "2024-25"), "floor_source"] == "stated"
    assert set(unexplained.indicator) >= {"caseload_ehu"}


def test_real_frames_follow_their_schemas(scorecard, published):
    targets = load_catalogue().targets
    rows = judged_rows(published, scorecard[scorecard.is_latest], targets)
    JudgedRag.validate(rows, lazy=True)
    floors, unexplained = floor_inference("2024-10")
    InferredFloor.validate(floors, lazy=True)
    UnexplainedRag.validate(unexplained, lazy=True)
    previous = assess(scorecard)[["area", "block", "indicator", "dot_compared_value"]]
    flips = polarity_check(rows, previous.rename(columns={"dot_compared_value": "previous_value"}))
    PolarityCheck.validate(flips, lazy=True)
    assert len(rows) > 400 and len(floors) > 30 and len(unexplained) > 0 and len(flips) >= 1
