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


def test_before_and_now_read_as_figures_with_units_and_printed_periods():
    added = ("Kent", "", "new_ind", "New one", "added", "Nov-24", "", "Nov-24", "first printed in this edition")
    dropped = ("Kent", "", "old_ind", "Old one", "dropped", "Sep-24", "Sep-24", "", "no longer printed")
    view = pd.DataFrame(
        {
            "area": "Kent",
            "block": "",
            "indicator": ["cswt_re_referrals", "ehe"],
            "unit": ["percent", "percent"],
            "suppressed": False,
        }
    )
    html = since_last_edition_section(_changes("2024-10", [REVISED, TARGET, added, dropped]), view).data
    rows = [re.sub(r"<[^>]+>", "|", r) for r in html.split("<tbody>")[1].split("</tr>")[:4]]
    cells = [[c for c in r.split("|") if c] for r in rows]
    assert cells[0][-2:] == ["23.4%", "23.9%"] and cells[1][-2:] == ["60.0%", "75.0%"]
    assert cells[2][-3:] == ["not printed", "first printed Nov-24", "first printed in this edition"]
    assert cells[3][-3:] == ["last printed Sep-24", "not printed", "no longer printed"]
    assert "→" not in html and "revised from" not in html  # the numbers are said once, with their unit


def test_without_units_the_figures_are_shown_as_held():
    html = since_last_edition_section(_changes("2024-10", [REVISED])).data
    assert ">23.4<" in html and ">23.9<" in html
