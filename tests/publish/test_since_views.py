"""The "since the last edition" section: one plain sentence, then the changes; the quiet cases say so."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from kccperf.judge.since import EditionChanges
from kccperf.publish.since_views import since_last_edition_section, since_summary
from kccperf.schemas import EditionChange

COLUMNS = list(EditionChange.to_schema().columns)


def _changes(previous, rows):
    return EditionChanges("2024-11", previous, pd.DataFrame([dict(zip(COLUMNS, r)) for r in rows], columns=COLUMNS))


REVISED = (
    "Kent",
    "",
    "cswt_re_referrals",
    "Re-referrals <R12M>",
    "revised",
    "Sep-24",
    "23.4",
    "23.9",
    "Sep-24 revised from 23.4 to 23.9",
)
TARGET = ("Kent", "", "ehe", "EHE contact", "target", "2024-25", "60", "75", "target 2024-25 60 → 75")


@pytest.mark.parametrize(
    ("previous", "rows", "sentence"),
    [
        (None, [], "2024-11 is the first edition held: there is none earlier to compare it with."),
        ("2024-10", [], "Nothing changed since the 2024-10 edition."),
        ("2024-10", [REVISED], "Since the 2024-10 edition: 1 figure revised."),
        ("2024-10", [REVISED, REVISED, TARGET], "Since the 2024-10 edition: 2 figures revised, 1 target changed."),
    ],
)
def test_summary_sentence(previous, rows, sentence):
    assert since_summary(_changes(previous, rows)) == sentence


def test_section_lists_each_change_escaped():
    html = since_last_edition_section(_changes("2024-10", [REVISED, TARGET])).data
    assert '<p class="kcc-since">Since the 2024-10 edition: 1 figure revised, 1 target changed.</p><table' in html
    assert "<caption>Changes since the 2024-10 edition</caption>" in html
    assert "Re-referrals &lt;R12M&gt;" in html
    assert re.search(r"<td[^>]*>Figure revised</td>", html) and re.search(r"<td[^>]*>Target changed</td>", html)


@pytest.mark.parametrize("previous", [None, "2024-10"])
def test_quiet_section_has_no_table(previous):
    html = since_last_edition_section(_changes(previous, [])).data
    assert "<table" not in html and "kcc-since" in html


@pytest.mark.parametrize(
    ("withheld", "shown", "note"),
    [
        ([], ["Re-referrals", "EHE contact"], ""),
        (["ehe"], ["Re-referrals"], "1 of these concern figures withheld for small numbers and are not shown."),
        (["ehe", "cswt_re_referrals"], [], "2 of these concern figures withheld"),
    ],
)
def test_a_change_to_a_withheld_figure_is_not_shown(withheld, shown, note):
    view = pd.DataFrame({"area": "Kent", "block": "", "indicator": ["cswt_re_referrals", "ehe"], "suppressed": [False, False]})
    view["suppressed"] = view["indicator"].isin(withheld)
    html = since_last_edition_section(_changes("2024-10", [REVISED, TARGET]), view).data
    for title in ("Re-referrals", "EHE contact"):
        assert (title in html) == (title in shown)
    assert note in html and ("<table" in html) == bool(shown)
    # The values of a withheld figure's change never reach the page.
    assert ("23.9" in html) == ("Re-referrals" in shown)
