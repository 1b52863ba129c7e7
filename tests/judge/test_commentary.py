"""Commentary drafts: one sentence per indicator, and every number in it is a figure of its row."""

from __future__ import annotations

import re

import pytest

import kccperf
from kccperf import assess, commentary
from kccperf._format import format_value
from kccperf.schemas import Commentary

NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?%?(?: days| pp)?")
PERIOD = re.compile(r"\b(?:[A-Z][a-z]{2}-\d{2}|Q\d \d{2}-\d{2}|(?:Autumn|Spring|Summer) \d{2}-\d{2}|\d{4}-\d{2})\b")


@pytest.fixture(scope="module")
def drafted(scorecard):
    a = assess(scorecard)
    return a, commentary(a)


def test_one_sentence_per_indicator(drafted):
    a, c = drafted
    assert len(c) == len(a)
    Commentary.validate(c, lazy=True)
    assert c["sentence"].str.count(r"\.$").eq(1).all()


def test_every_number_in_a_sentence_is_in_the_data(drafted):
    a, c = drafted
    for row, sentence in zip(a.itertuples(index=False), c["sentence"]):
        allowed = {
            format_value(getattr(row, col), row.unit)
            for col in (
                "value",
                "target",
                "floor",
                "range_low",
                "range_high",
                "dot_compared_value",
                "england",
                "regional",
                "county_value",
                "floor_low",
                "floor_high",
            )
        }
        text = PERIOD.sub("", sentence.replace(row.title, ""))
        for number in NUMBER.findall(text):
            assert number in allowed, (number, sentence)


def test_rag_words_match_the_assessment(drafted):
    a, c = drafted
    rated = a["rag"] != ""
    assert (c.loc[rated, "sentence"].str.extract(r": (RED|AMBER|GREEN),")[0] == a.loc[rated, "rag"]).all()


def test_kent_foster_care_sentence(drafted):
    a, c = drafted
    s = c[(c.area == "Kent") & (c.indicator == "cic_kcc_foster_care")]["sentence"].item()
    assert "73.1% in Oct-24: RED, below the floor standard of 75.0% (target 85.0%)" in s
    assert "improved from 72.7% in Sep-24" in s


def test_a_printed_rating_heads_its_draft_and_says_what_the_check_found(scorecard):
    published = kccperf.load_published("2024-10")
    a = assess(scorecard, published=published)
    c = commentary(a)
    assert c["rag"].tolist() == a["rating"].tolist()
    unchecked = (a["rating_check"] == "cannot be checked").to_numpy()
    assert unchecked.any()
    printed = a.loc[unchecked, "published_rag"]
    said = c.loc[unchecked, "sentence"]
    assert all(
        f"the printed {p} cannot be checked" in s or f"printed {p}, which the published figures cannot check" in s
        for p, s in zip(printed, said)
    )
    contradicted = (a["rating_check"] == "disagrees").to_numpy()
    assert contradicted.any()
    assert all(
        f"(the scorecard printed {p})" in s or s.endswith(f"although the scorecard printed {p}.")
        for p, s in zip(a.loc[contradicted, "published_rag"], c.loc[contradicted, "sentence"])
    )


def test_without_printed_ratings_no_draft_mentions_them(drafted):
    _, c = drafted
    assert not c["sentence"].str.contains("printed", regex=False).any()


def test_a_missing_comparator_is_said_for_the_period_not_as_never_published(scorecard):
    # Dover's Attainment 8 covers 2022-23; the scorecard printed England's 2023-24 figure (46.3) beside it, which is
    # published, but not for this period.
    c = commentary(assess(scorecard))
    sentence = c.loc[(c["area"] == "Dover") & (c["indicator"] == "ks4_attainment8"), "sentence"].item()
    assert "no England figure for this period" in sentence and "not published" not in sentence.split("floor")[-1]
