"""Abbreviations: each page spells out the scorecard's abbreviations it uses, and no others."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from kccperf import abbreviations_used, load_abbreviations

KEY = pd.DataFrame(
    {
        "abbreviation": ["EH", "EHCP", "EY", "SE", "CIC"],
        "meaning": ["Early Help", "Education, Health and Care Plan", "Early Years", "the South East", "Children in Care"],
        "source": ["k"] * 5,
    }
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("EH cases closed", ["EH"]),
        ("EHCPs issued", ["EHCP"]),  # a plural, and not EH
        ("EY14 and APP17", []),  # an indicator code is not the abbreviation
        ("Benchmark (SN or SE)", ["SE"]),
        ("she said eh", []),  # case matters
        ("CIC, EH and SE", ["CIC", "EH", "SE"]),  # alphabetical
        ("", []),
    ],
)
def test_abbreviations_used_finds_whole_words(text, expected):
    assert abbreviations_used([text], KEY)["abbreviation"].tolist() == expected


def test_no_text_and_an_empty_key_find_nothing():
    none = abbreviations_used([], KEY)
    assert none.empty and list(none.columns) == list(KEY.columns)
    assert abbreviations_used(["EH"], KEY.iloc[:0]).empty


def test_the_key_has_every_abbreviation_of_the_scorecards_own_key():
    # The scorecard's key to abbreviations (agenda pack lines 344-355) is in, word for word.
    key = load_abbreviations().set_index("abbreviation")["meaning"]
    printed = {"CIC": "Children in Care", "CSWT": "Children's Social Work Teams", "FSM": "Free School Meals"}
    assert all(key[k] == v for k, v in printed.items())
    assert key.index.is_unique and len(key) >= 30


def _shown_text(page: str) -> tuple[str, set[str]]:
    listed = set(re.findall(r"<dt>([^<]+)</dt>", page.split('class="kcc-abbreviations"', 1)[-1]))
    body = page.split("<body", 1)[1]
    body = re.sub(r"(?s)<(style|script)\b.*?</\1>", " ", body)
    body = re.sub(r'(?s)<dl class="kcc-abbreviations">.*?</dl>', " ", body)
    return html.unescape(re.sub(r"<[^>]+>", " ", body)), listed


def test_every_report_page_spells_out_each_abbreviation_it_shows_and_no_other(full_run):
    key = load_abbreviations()
    pages = [p for p in sorted(full_run.out_dir.glob("*.html")) if p.name != "index.html"]
    assert len(pages) == 16
    for path in pages:
        text, listed = _shown_text(path.read_text(encoding="utf-8"))
        shown = set(abbreviations_used([text], key)["abbreviation"])
        assert shown, path.name
        assert shown <= listed, f"{path.name}: shown but not spelled out: {sorted(shown - listed)}"
        assert listed <= shown, f"{path.name}: spelled out but not shown: {sorted(listed - shown)}"
