"""Findings in plain words: one sentence each, no category id, internal indicator id, file or row number."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import kccperf
from kccperf.judge import ratings
from kccperf.judge.plain import finding_sentences
from kccperf.judge.reconcile import CATEGORIES
from kccperf.publish import scorecard_views
from kccperf.schemas import FindingSentence


@pytest.fixture(scope="module")
def rec():
    return kccperf.reconcile("2024-10")


def _forbidden(html: str, ids: set[str]) -> list[str]:
    # What a reader sees: the page's text, not its stylesheet or markup.
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", html, flags=re.S))
    words = set(re.findall(r"[A-Za-z0-9_]+", text))
    found = sorted((words & ids) | (words & set(CATEGORIES)))
    found += re.findall(r"[\w-]+\.(?:tsv|csv|xlsx)|raw/|line \d+|row \d+", text)
    return found


@pytest.mark.parametrize("area", sorted(kccperf.load_catalogue().areas["area"]))
def test_no_director_page_names_an_id_a_category_or_a_file(rec, area):
    ids = set(kccperf.load_catalogue().indicators["indicator"])
    words = rec.in_words(area)
    FindingSentence.validate(words)
    f = rec.for_area(area)
    moved = set(f.loc[f["category"] == "true_period", "indicator"])
    assert len(words) == len(f) - (f["category"].eq("dot") & f["indicator"].isin(moved)).sum()
    html = scorecard_views.finding_list(words).data
    assert _forbidden(html, ids) == [], area


def test_each_category_has_its_own_sentence(rec):
    f = rec.findings
    words = finding_sentences(f, rec.titles)
    for category in set(f["category"]):
        first = words[f["category"].to_numpy() == category].iloc[0]
        assert first.sentence.startswith(first.title + ": ") and first.sentence.endswith(".")
        assert not re.search(rf"\b{category}\b", first.sentence)


def test_kent_attainment_8_in_one_plain_sentence(rec):
    words = rec.in_words("Kent")
    a8 = words[words["title"] == "Average score at KS4 in Attainment 8"]["sentence"]
    assert (
        "Average score at KS4 in Attainment 8: printed as 47 for 2023-24 with the arrow ↔, "
        "but 47 is the 2022-23 figure; against 2021-22 (49.3) ↓ worsened."
    ) in a8.tolist()


def test_a_figure_printed_under_a_later_period_is_one_sentence_not_two(rec):
    # Its arrow disagrees too, but the true-period sentence already gives the printed arrow and the one the figures show.
    words = rec.in_words("Dover")
    a8 = words[words["title"] == "Average score at KS4 in Attainment 8"]["sentence"].tolist()
    assert len(a8) == 1 and "printed as 42 for 2023-24 with the arrow ↔" in a8[0] and "↓ worsened" in a8[0]
    f = rec.for_area("Dover")
    both = f[f["indicator"] == "ks4_attainment8"]["category"]
    assert {"dot", "true_period"} <= set(both)  # the analysts' findings keep both


def test_a_quiet_area_says_so():
    empty = finding_sentences(kccperf.reconcile("2024-10").findings.iloc[0:0], pd.Series(dtype=str))
    assert "found nothing" in scorecard_views.finding_list(empty).data


def _unchecked(explanations: list[str]) -> pd.DataFrame:
    n = len(explanations)
    return pd.DataFrame(
        {
            "area": ["Kent"] * n,
            "block": [""] * n,
            "indicator": ["x"] * n,
            "category": ["rag_unchecked"] * n,
            "published": ["GREEN"] * n,
            "computed": ["not rated: no target"] * n,
            "explanation": explanations,
            "source_file": ["raw/kent.tsv"] * n,
            "source_row": [4] * n,
        }
    )


@pytest.mark.parametrize(
    "unset_words", [ratings._UNSET, ("nothing sets a target for ", ", which the figure covers, so nothing checks it")]
)
def test_a_moved_figure_without_its_years_target_is_told_by_the_ratings_module_not_by_its_words(monkeypatch, unset_words):
    monkeypatch.setattr(ratings, "_UNSET", unset_words)
    moved = ratings.moved_reason([72.0], ["2023-24"], ["2022-23"], [True])[0]
    ordinary = "no target is published, so the rating cannot be checked; the year the figure covers"
    words = finding_sentences(_unchecked([moved, ordinary]), pd.Series({"x": "Exclusions"}))["sentence"].tolist()
    assert words == [
        "Exclusions: rated GREEN, but " + moved + ".",
        "Exclusions: rated GREEN although no target is published, so the rating cannot be checked.",
    ]
