"""Commentary drafts: one sentence per indicator, and every number in it is a figure of its row."""

from __future__ import annotations

import re

import pytest

from kccperf import assess, commentary
from kccperf._format import format_value
from kccperf.schemas import Commentary

NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?%?(?: days)?")
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
