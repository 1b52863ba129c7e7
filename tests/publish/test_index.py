"""The index of a period's reports: its rows, the counts that leave withheld figures out, and the page."""

from __future__ import annotations

import os
import re

import pandas as pd
import pytest

from kccperf.judge.since import EditionChanges
from kccperf.publish.batch import ReportResult
from kccperf.publish.index import IndexRow, earlier_rows, index_html, rag_counts_for, result_rows, since_for
from kccperf.schemas import Area, Assessed, EditionChange, Suppression

INFO = {"title": "Directorate Scorecard", "edition_label": "October 2024", "publication_date": "2024-12-09"}


@pytest.fixture
def assessed():
    return pd.DataFrame(
        {
            Assessed.area: ["Dover", "Dover", "Dover", "Dover", "Thanet"],
            Assessed.value: [1.0, 2.0, None, 4.0, 5.0],
            Assessed.rag: ["RED", "GREEN", "", "RED", "AMBER"],
            Suppression.suppressed: [False, False, False, True, False],
        }
    )


@pytest.fixture
def areas():
    return pd.DataFrame({Area.area: ["Dover", "Thanet"], Area.slug: ["dover", "thanet"]})


def test_counts_leave_out_withheld_and_missing_figures(assessed):
    assert rag_counts_for(assessed, "Dover") == (1, 0, 1, 0)
    assert rag_counts_for(assessed, "Thanet") == (0, 1, 0, 0)
    assert rag_counts_for(assessed, "Kent and districts") == ()
    assert rag_counts_for(assessed, None) == ()


def test_result_rows_in_order_with_failures_showing_their_error(assessed):
    results = [
        ReportResult("Dover", "dover", True, 1.0),
        ReportResult("Thanet", "thanet", False, 1.0, error="planted failure"),
    ]
    rows = result_rows(results, {"dover": "Dover: report", "thanet": "Thanet: report"}, assessed)
    assert rows == [
        IndexRow("Dover", "dover", "Dover: report", (1, 0, 1, 0)),
        IndexRow("Thanet", "thanet", error="planted failure"),
    ]


def test_earlier_rows_list_pages_this_run_did_not_rebuild(tmp_path, assessed, areas):
    for name in ("index.html", "dover.html", "thanet.html", "budget-2025-26-cype.html", "dover.csv"):
        (tmp_path / name).write_text("x")
    os.utime(tmp_path / "thanet.html", (0, 0))
    rows = earlier_rows(tmp_path, {"dover"}, areas, assessed)
    assert [(r.area, r.page, r.counts) for r in rows] == [
        ("Budget 2025 26 cype", "budget-2025-26-cype.html", ()),
        ("Thanet", "thanet.html", (0, 1, 0, 0)),
    ]
    assert rows[1].earlier == "1970-01-01 00:00 UTC"


def test_index_page():
    rows = [
        IndexRow("Dover", "dover", "Dover: report", (1, 0, 1, 0)),
        IndexRow("Kent", "kent", "Kent: report"),
        IndexRow("Thanet", "thanet", error="RuntimeError: <script>alert(1)</script>"),
        IndexRow("Swale", "swale", "Swale", (2, 2, 2, 2), earlier="2024-11-01 10:00 UTC"),
    ]
    page = index_html(rows, period="2024-10", info=INFO, generated="2024-12-01 08:00 UTC")
    assert "<title>CYPE performance reports: October 2024</title>" in page and page.endswith("</html>\n")
    assert "from the Directorate Scorecard, published 9 December 2024" in page
    assert (
        '<tr><th scope="row">Dover</th><td><a href="dover.html">Dover: report</a> (data: <a href="dover.csv">CSV</a>, '
        '<a href="dover.xlsx">Excel</a>)</td><td class="num" data-label="RED">1</td><td class="num" data-label="AMBER">0</td>'
        '<td class="num" data-label="GREEN">1</td><td class="num" data-label="Not rated">0</td></tr>'
    ) in page
    # A page with no ratings of its own says so once, never four bare dashes (unlabelled on a phone).
    assert '<td colspan="4" class="kcc-none">No RAG counts: this page rates no indicator of its own.</td></tr>' in page
    assert "–" not in page.split("<tbody>")[1]
    assert 'Failed: RuntimeError: &lt;script&gt;alert(1)&lt;/script&gt;</td><td colspan="4">' in page
    assert "<script" not in page
    assert '<a href="swale.html">Swale</a> (from an earlier run, 2024-11-01 10:00 UTC)</td>' in page
    # No row has a line of its own since the last edition: no column of dashes for it.
    assert len(re.findall(r'<th scope="col">', page)) == 6 and "Since the last edition" not in page
    assert re.findall(r"Generated at [^<]*", page) == ["Generated at 2024-12-01 08:00 UTC"]


def _changes(previous, rows):
    cols = list(EditionChange.to_schema().columns)
    frame = pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)
    return EditionChanges("2024-11", previous, frame)


def test_since_the_last_edition_per_area(assessed):
    changes = _changes(
        "2024-10",
        [
            ("Dover", "", "a", "A", "rating", "Nov-24", "AMBER", "RED", ""),
            ("Dover", "", "b", "B", "rating", "Nov-24", "RED", "GREEN", ""),
            ("Dover", "", "c", "C", "revised", "Sep-24", "1", "2", ""),
            ("Thanet", "", "d", "D", "dropped", "Oct-24", "Oct-24", "", ""),
        ],
    )
    assert since_for(changes, "Dover") == "Since the 2024-10 edition: 2 ratings changed, 1 figure revised."
    assert since_for(changes, "Swale") == "Nothing changed since the 2024-10 edition."
    assert (
        since_for(_changes(None, []), "Dover") == "2024-11 is the first edition held: there is none earlier to compare it with."
    )
    rows = result_rows([ReportResult("Thanet", "thanet", True, 1.0)], {"thanet": "Thanet"}, assessed, changes)
    assert rows[0].since == "Since the 2024-10 edition: 1 indicator dropped."
    page = index_html(rows, period="2024-11", info=INFO, generated="x")
    assert '<th scope="col">Since the last edition</th>' in page
    assert '<td data-label="Since the last edition">Since the 2024-10 edition: 1 indicator dropped.</td></tr>' in page


def test_a_sentence_every_area_shares_is_said_once_above_the_table():
    first = "2024-10 is the first edition held: there is none earlier to compare it with."
    rows = [IndexRow("Dover", "dover", "Dover", (1, 2, 3, 0), since=first), IndexRow("Thanet", "thanet", "Thanet", since=first)]
    page = index_html(rows, period="2024-10", info={}, generated="now")
    assert page.count(first) == 1 and f"<p>Since the last edition: {first}</p>" in page
    rows[1] = IndexRow("Thanet", "thanet", "Thanet", since="Since the 2024-09 edition: 1 rating changed.")
    assert index_html(rows, period="2024-10", info={}, generated="now").count(first) == 1
