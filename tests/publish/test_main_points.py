"""Main points: three to five sentences per area, every number in them traced back to the assessed rows."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import kccperf
from kccperf._format import format_value
from kccperf.publish.main_points import main_points
from kccperf.schemas import RAGS, MainPoint, Suppression
from kccperf.schemas import Assessed as A
from kccperf.schemas import Indicator as I
from kccperf.schemas import RatingCheck as RC
from kccperf.schemas import Scorecard as S

AREAS = ["Kent", "Ashford", "Dover", "Sevenoaks", "Folkestone and Hythe", "Tunbridge Wells"]
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


@pytest.fixture(scope="module")
def assessed():
    published = kccperf.load_published("2024-10")
    return kccperf.suppress(kccperf.assess(kccperf.load_scorecard("2024-10"), published=published), 5)


def _shown(view: pd.DataFrame) -> pd.DataFrame:
    d = view[view[S.value].notna()]
    return d[~d[Suppression.suppressed]]


def _numbers_outside_names(sentence: str, view: pd.DataFrame) -> list[str]:
    """The number tokens of a sentence once every title, team and period label of the area is taken out."""
    names = {*view[S.title], *view[S.block], *view[S.period_label], *view[A.dot_compared_label], *view[S.england_label]}
    for name in sorted((n for n in names if n), key=len, reverse=True):
        sentence = sentence.replace(name, " ")
    return NUMBER.findall(sentence)


def _printed(values, units) -> set[str]:
    return {format_value(v, u) for v, u in zip(values, units)}


@pytest.mark.parametrize("area", AREAS)
def test_every_number_is_a_figure_of_the_data(assessed, area):
    view = kccperf.area_view(assessed, area)
    points = main_points(view)
    shown = _shown(view)
    assert 3 <= len(points) <= 5
    for p in points.itertuples(index=False):
        # Each number in the words is one the row lists ...
        listed = [n for f in p.figures for n in NUMBER.findall(f)]
        assert sorted(_numbers_outside_names(p.sentence, view)) == sorted(listed), p.sentence
        # ... and each listed figure is recomputed here from the data.
        if p.kind == "reds":
            rated = shown[shown[A.rating].isin(RAGS)]
            counts = [int((rated[A.rating] == r).sum()) for r in RAGS]
            checks = [int((rated[RC.rating_check] == c).sum()) for c in ("agrees", "cannot be checked", "disagrees")]
            expected = [str(len(rated)), *map(str, counts), *([str(counts[0] - 2)] if counts[0] > 2 else [])]
            expected += [str(checks[0])]
            expected += [str(checks[1])] if checks[1] else []
            expected += [str(checks[2]), *([str(checks[2] - 2)] if checks[2] > 2 else [])] if checks[2] else []
            assert p.figures == expected
            assert "as published" in p.sentence
        elif p.kind == "changes" and p.figures:
            # Computed on both sides; a missed target with no stated floor counts as its own standing.
            def standing(rag, value):
                missed = (rag == "") & value.notna() & shown[A.target].notna()
                return rag.astype(object).where(~missed, "target missed")

            before, now = standing(shown[A.previous_rag], shown[A.dot_compared_value]), standing(shown[A.rag], shown[S.value])
            moved = int(((before != now) & (before != "") & (now != "")).sum())
            assert p.figures == [str(moved), *([str(moved - 2)] if moved > 2 else [])]
        elif p.kind in ("improved", "worsened") and p.figures:
            rows = shown[shown[A.direction] == p.kind]
            pairs = {
                (format_value(b, u), format_value(a, u))
                for b, a, u in zip(rows[A.dot_compared_value], rows[S.value], rows[I.unit])
            }
            assert tuple(p.figures) in pairs
        elif p.kind == "england" and len(p.figures) > 1:
            sig = shown[shown[A.sig_vs_england].str.startswith("significantly")]
            allowed = _printed(sig[S.value], sig[I.unit]) | _printed(sig[S.england], sig[I.unit])
            allowed |= {str(n - 2) for n in sig[A.sig_vs_england].value_counts() if n > 2}
            assert set(p.figures) <= allowed


def test_the_largest_movement_is_the_largest(assessed):
    view = kccperf.area_view(assessed, "Dover")
    shown = _shown(view)
    points = main_points(view).set_index(MainPoint.kind)
    for kind in ("improved", "worsened"):
        rows = shown[(shown[A.direction] == kind) & shown[A.dot_compared_value].notna()]
        if rows.empty:
            continue
        change = (rows[S.value] - rows[A.dot_compared_value]).abs() / rows[A.dot_compared_value].abs().replace(0, 1)
        top = rows.loc[change.idxmax()]
        assert top[S.title] in points.loc[kind, MainPoint.sentence]


def test_withheld_figures_never_appear(assessed):
    view = kccperf.area_view(assessed, "Sevenoaks")
    withheld = view[view[Suppression.suppressed]]
    assert not withheld.empty
    text = " ".join(main_points(view)[MainPoint.sentence])
    for title in withheld[S.title]:
        assert title not in text or (view.loc[~view[Suppression.suppressed], S.title] == title).any()


def test_quiet_case_says_so(assessed):
    """Nothing RED, nothing changed, nothing moved, nothing significant: three plain sentences saying so."""
    view = kccperf.area_view(assessed, "Dover")
    quiet = view.assign(
        **{
            A.rag: "GREEN",
            A.rating: "GREEN",
            RC.rating_check: "agrees",
            A.previous_rag: "GREEN",
            A.direction: "same",
            A.sig_vs_england: "",
        }
    )
    points = main_points(quiet)
    assert list(points[MainPoint.kind]) == ["reds", "changes", "improved"]
    assert points[MainPoint.sentence].iloc[0].split(".")[0].endswith("none is RED")
    assert "The figures confirm" in points[MainPoint.sentence].iloc[0]
    assert points[MainPoint.sentence].iloc[1] == "No rating computed from the figures changed since the previous period."
    assert points[MainPoint.sentence].iloc[2] == "No indicator moved for better or worse since the previous period."
    MainPoint.validate(points)


def test_one_red_and_one_change_are_named():
    row = {
        S.area: "X",
        S.block: "",
        S.indicator: "x",
        S.title: "Thing measured",
        S.value: 40.0,
        S.period_label: "Oct-24",
        I.unit: "percent",
        A.rag: "RED",
        A.rating: "RED",
        A.rating_basis: "published",
        RC.rating_check: "disagrees",
        A.target: 70.0,
        A.previous_rag: "AMBER",
        A.direction: "worsened",
        A.dot_compared_value: 50.0,
        A.dot_compared_label: "Sep-24",
        A.sig_vs_england: "significantly worse",
        S.england: 60.0,
        S.england_label: "England 2023-24",
        Suppression.suppressed: False,
    }
    points = main_points(pd.DataFrame([row])).set_index(MainPoint.kind)[MainPoint.sentence]
    assert points["reds"] == (
        "Of 1 rated indicators, 1 are RED, 0 AMBER and 0 GREEN as published; RED: Thing measured. "
        "The figures confirm 0 of these ratings; 1 disagrees with the figures: Thing measured."
    )
    assert points["changes"] == (
        "1 rating computed from the figures changed since the previous period: Thing measured from AMBER to RED."
    )
    assert points["worsened"] == "The largest worsening: Thing measured, from 50.0% in Sep-24 to 40.0% in Oct-24."
    assert points["england"] == (
        "Significantly different from England: worse on Thing measured (40.0% against 60.0%, England 2023-24)."
    )


def test_a_fall_from_green_without_a_stated_floor_is_a_change():
    """The computed rating is empty when no stated floor decides AMBER or RED; the fall is still named."""
    row = {
        S.area: "X",
        S.block: "",
        S.indicator: "x",
        S.title: "Thing measured",
        S.value: 60.0,
        S.period_label: "Oct-24",
        I.unit: "percent",
        A.rag: "",
        A.rating: "AMBER",
        RC.rating_check: "cannot be checked",
        A.target: 65.0,
        A.previous_rag: "GREEN",
        A.direction: "worsened",
        A.dot_compared_value: 70.0,
        A.dot_compared_label: "Sep-24",
        A.sig_vs_england: "",
        S.england: float("nan"),
        S.england_label: "",
        Suppression.suppressed: False,
    }
    points = main_points(pd.DataFrame([row])).set_index(MainPoint.kind)[MainPoint.sentence]
    assert points["changes"].endswith("Thing measured from GREEN to target missed.")
    assert "1 cannot be checked (no floor standard is published)" in points["reds"]


def test_a_closest_to_target_movement_says_which_way_it_went(assessed):
    # Canterbury's repeat child protection plans rose from 14.7% to 17.4%: better only because nearer the target.
    sentence = main_points(kccperf.area_view(assessed, "Canterbury")).set_index(MainPoint.kind).loc["improved", "sentence"]
    assert "child protection plan" in sentence and sentence.endswith("to 17.4% in Oct-24, nearer its target.")
