"""The scorecard reports' display helpers, and the HTML pieces they share with the budget report."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import kccperf
from kccperf._format import format_value
from kccperf.publish import _html, scorecard_views
from kccperf.schemas import Assessed as A
from kccperf.schemas import Indicator as I
from kccperf.schemas import IndicatorInfo, Suppression
from kccperf.schemas import Scorecard as S


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (73.1, "percent", "73.1%"),
        (1674, "count", "1,674"),
        (368.6, "days", "368.6 days"),
        (-0.12, "score", "-0.12"),
        (47.0, "score", "47.0"),
        (16.4, "caseload", "16.4"),
        (math.nan, "percent", "–"),
        (None, "count", "–"),
    ],
)
def test_format_value(value, unit, text):
    assert format_value(value, unit) == text


def _summary(title: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "service": "Early help",
                "block": "<b>X</b>",
                "title": title,
                "latest_period": "Oct-24",
                "value": 12.5,
                "unit": "percent",
                "trend": [10.0, 12.5],
                "trend_periods": ["Sep-24", "Oct-24"],
                "target": 15.0,
                "rag_published": "RED",
                "dot_published": "↓",
            }
        ]
    )


def test_markup_in_titles_is_shown_not_run():
    html = scorecard_views.indicator_table(_summary('<script>alert("x")</script> Title')).data
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Title" in html
    assert "&lt;b&gt;X&lt;/b&gt;" in html


def test_rag_is_never_colour_alone():
    html = scorecard_views.indicator_table(_summary("T")).data
    assert ">RED</td>" in html and "worsened" in html
    assert 'role="img"' in html and 'aria-label="Trend of T: 10.0% in Sep-24 to 12.5% in Oct-24"' in html


def test_tables_have_header_cells_and_captions():
    html = _html.data_table(pd.DataFrame({"a": [1]}), caption="Cap", columns={"a": "Alpha"}).data
    assert "<caption>Cap</caption>" in html and '<th scope="col">Alpha</th>' in html


def test_sparkline_without_data():
    assert "no trend data" in scorecard_views.sparkline([math.nan, math.nan], ["a", "b"])


@pytest.mark.parametrize(("text", "shown"), [(None, ""), (math.nan, ""), ("<b>&'\"", "&lt;b&gt;&amp;&#x27;&quot;"), (3, "3")])
def test_escape_shows_markup_and_leaves_missing_values_empty(text, shown):
    assert _html.escape(text) == shown


def test_empty_table_says_none():
    html = _html.data_table(pd.DataFrame({"a": []}), caption="Cap", columns={"a": "Alpha"}).data
    assert '<tbody><tr><td colspan="1">None.</td></tr></tbody>' in html


def test_footer_escapes_the_run_parameters():
    html = _html.provenance_footer({"title": "T"}, {"area": "<i>Dover</i>"}, "0.1").data
    assert "area = &lt;i&gt;Dover&lt;/i&gt;" in html and "Produced with kccperf 0.1" in html


@pytest.fixture(scope="module")
def assessed(scorecard):
    return kccperf.suppress(kccperf.assess(scorecard), 5)


def test_the_county_report_has_no_column_comparing_it_with_itself(assessed, scorecard):
    kent = scorecard_views.assessment_table(
        kccperf.area_view(assessed, "Kent"), scorecard[scorecard.area == "Kent"], caption="Kent"
    ).data
    dover = scorecard_views.assessment_table(
        kccperf.area_view(assessed, "Dover"), scorecard[scorecard.area == "Dover"], caption="Dover"
    ).data
    # The county is compared with its comparison (benchmark) group instead, naming the group's figure and period.
    assert "Against Kent" not in kent
    versus = '<th scope="col" class="kcc-col-versus">Against {}</th><th scope="col" class="kcc-col-versus">Against England</th>'
    assert versus.format("benchmark group") in kent and versus.format("Kent") in dover
    assert 'colspan="9"' in dover and 'colspan="10"' in kent  # Dover has no Floor column (below)
    assert "Benchmark Group 2023-24: " in kent and "England 2023-24: " in kent and "Kent: " in dover


def test_the_floor_column_is_left_out_where_no_row_has_a_floor_and_the_caption_says_so(assessed, scorecard):
    # Floors are published for two county-level indicators only, so a district's Floor column would be all dashes.
    kent = scorecard_views.assessment_table(kccperf.area_view(assessed, "Kent"), scorecard[scorecard.area == "Kent"], caption="K")
    dover = scorecard_views.assessment_table(
        kccperf.area_view(assessed, "Dover"), scorecard[scorecard.area == "Dover"], caption="D"
    ).data
    assert ">Floor</th>" in kent.data and 'data-label="Floor">55.0%' in kent.data and "no Floor column" not in kent.data
    assert ">Floor</th>" not in dover and 'data-label="Floor"' not in dover
    # On a phone a card leaves out its Floor line where no floor is published.
    assert '<td class="num kcc-empty" data-label="Floor">–</td>' in kent.data
    assert "No floor standard is published for any indicator shown, so the table has no Floor column." in dover


def test_rows_with_no_figure_fold_into_one_line_per_service(assessed, scorecard):
    view = kccperf.area_view(assessed, "Dover")
    html = scorecard_views.assessment_table(view, scorecard[scorecard.area == "Dover"], caption="Dover").data
    missing = view[view[A.value].isna() & ~view[Suppression.suppressed]]
    assert not missing.empty and "No figure</td>" not in html
    lines = html.count('<tr class="kcc-missing">')
    assert lines == missing[I.service].nunique()
    assert "Not reported for districts: " in html
    for title in missing[S.title]:
        assert html.count(_html.escape(title)) == 1


def test_withheld_figures_show_the_marker_and_say_withheld(assessed, scorecard):
    view = kccperf.area_view(assessed, "Dover")
    html = scorecard_views.assessment_table(view, scorecard[scorecard.area == "Dover"], caption="Dover").data
    withheld = int(view["suppressed"].sum())
    assert withheld > 0
    assert html.count('<td class="num" data-label="Value"><abbr title="withheld: small numbers">c</abbr></td>') == withheld
    assert html.count('<td class="kcc-rag" data-label="RAG">Withheld</td>') == withheld


def test_tables_escape_quotes_as_the_pages_always_did():
    html = _html.render_table("data_table.html.j2", caption='Children\'s "care"', headers=["<A>"], rows=[])
    assert "<caption>Children&#x27;s &quot;care&quot;</caption>" in html and "&lt;A&gt;" in html


def test_each_figure_says_what_it_covers_and_links_its_caveats(assessed, scorecard):
    info = kccperf.load_indicator_info("2024-10")
    view = kccperf.area_view(assessed, "Dover")
    table = scorecard_views.assessment_table(view, scorecard[scorecard.area == "Dover"], caption="Dover", info=info).data
    notes = scorecard_views.indicator_notes(view, info).data
    by_id = info.set_index(IndicatorInfo.indicator)
    shown = view[view[A.value].notna()]
    for ind in shown[A.indicator].unique():
        covers = by_id.loc[ind, IndicatorInfo.covers]
        if covers:
            # Or, for a figure shown at the earlier period it repeats, after where it was printed (below).
            plain = f'<span class="kcc-block kcc-covers">Latest figure: {_html.escape(covers)}</span>'
            assert plain in table or f"(the sources page: {_html.escape(covers)})</span>" in table
        definition = by_id.loc[ind, IndicatorInfo.definition]
        if definition:
            assert _html.escape(definition) in notes
    caveats = {
        c.strip() for text in by_id.loc[view[A.indicator].unique(), IndicatorInfo.caveats] for c in text.split("\n") if c.strip()
    }
    assert caveats and notes.count('<li id="kcc-note-') == len(caveats)
    for n in range(1, len(caveats) + 1):
        assert f'href="#kcc-note-{n}"' in table and f'id="kcc-note-{n}"' in notes


@pytest.fixture(scope="module")
def checked(scorecard):
    published = kccperf.load_published("2024-10")
    return kccperf.suppress(kccperf.assess(scorecard, published=published), 5)


def test_the_headline_counts_the_printed_ratings_and_says_how_far_the_figures_confirm_them(checked):
    view = kccperf.area_view(checked, "Dover")
    html = scorecard_views.headline_panel(view).data
    shown = view[view[A.value].notna() & ~view[Suppression.suppressed]]
    assert "<h3>RAG ratings (as published)</h3>" in html
    for rag in ("RED", "AMBER", "GREEN"):
        assert f"<strong>{int((shown[A.rating] == rag).sum())}</strong>{rag}</div>" in html
    found = shown["rating_check"].value_counts()
    assert f"{found['agrees']} confirmed by the figures" in html
    assert f"{found['cannot be checked']} cannot be checked because no floor standard is published" in html
    assert f"{found['disagrees']} contradicted by the figures" in html
    for reason in shown.loc[shown["rating_check"] == "disagrees", "rating_check_reason"]:
        assert _html.escape(reason) in html


def test_the_headline_of_computed_ratings_says_so_and_has_no_check_line(assessed):
    html = scorecard_views.headline_panel(kccperf.area_view(assessed, "Dover")).data
    assert "<h3>RAG ratings (computed)</h3>" in html and "kcc-checks" not in html


def test_each_printed_rating_cell_carries_its_check(checked, scorecard):
    view = kccperf.area_view(checked, "Dover")
    html = scorecard_views.assessment_table(view, scorecard[scorecard.area == "Dover"], caption="Dover").data
    shown = view[view[A.value].notna() & ~view[Suppression.suppressed]]
    words = [scorecard_views.check_words(c, why) for c, why in zip(shown["rating_check"], shown["rating_check_reason"])]
    # A rating that cannot be checked says why: the floor, or (for a year with none) the target, is not published.
    assert {"floor not published", "no target published", "confirmed"} <= set(words)
    for word, n in pd.Series([w for w in words if w]).value_counts().items():
        assert html.count(f">{word}</span></td>") == n
    assert html.count('<span class="kcc-check" title="') >= sum(1 for w in words if w)


def test_a_district_count_is_compared_as_its_share_of_the_county_total(assessed, scorecard):
    view = kccperf.area_view(assessed, "Maidstone")
    html = scorecard_views.assessment_table(view, scorecard[scorecard.area == "Maidstone"], caption="Maidstone").data
    counts = view[(view[I.unit] == "count") & view[A.value].notna()]
    assert not counts.empty
    for share in counts[A.county_share]:
        assert f'data-label="Against Kent">{share:.1f}% <span>of Kent&#x27;s total</span>' in html


def test_the_quality_table_names_indicators_by_title_never_by_id_or_file(assessed):
    view = kccperf.area_view(assessed, "Dover")
    log = kccperf.load_quality_log("2024-10", area="Dover")
    html = scorecard_views.quality_table(log, view).data
    assert not log.empty
    for text in {*log["indicator"], *log["source_file"].str.rsplit("/", n=1).str[-1], *log["category"]} - {""}:
        assert text not in html
    titles = view.set_index("indicator")["title"]
    for ind in set(log["indicator"]) - {""}:
        assert _html.escape(titles[ind]) in html
    assert f'data-label="Places found">{len(log[log["category"] == "merged_na"])}</td>' in html


def test_the_quality_table_of_a_clean_log_says_none(assessed):
    view = kccperf.area_view(assessed, "Dover")
    empty = kccperf.load_quality_log("2024-10", area="Dover").iloc[:0]
    assert '<td colspan="3">None.</td>' in scorecard_views.quality_table(empty, view).data


def test_a_page_sharing_teams_says_so_in_the_headline_and_beside_each_team(checked, scorecard):
    view = kccperf.area_view(checked, "Tonbridge and Malling")
    html = scorecard_views.headline_panel(view).data
    shared = view[(view["block"] != "") & view[A.value].notna() & ~view[Suppression.suppressed] & (view[A.rating] != "")]
    assert f"{len(shared)} of the ratings above are for teams shared with Sevenoaks" in html
    assert "the county&#x27;s league table counts them once" in html or "the county's league table counts them once" in html
    table = scorecard_views.assessment_table(view, scorecard[scorecard.area == "Tonbridge and Malling"], caption="x").data
    assert "Sevenoaks North &amp; Tonbridge and Malling CSWT, a team shared with Sevenoaks" in table
    dover = kccperf.area_view(checked, "Dover")
    assert "teams shared with" not in scorecard_views.headline_panel(dover).data


def test_the_vulnerable_learners_table_shows_the_printed_ratings_with_their_checks():
    # The computed RAG is blank wherever no floor is published; the table shows what the scorecard printed.
    gaps = kccperf.vulnerable_gaps(kccperf.load_assessed("2024-10", 5))
    html = scorecard_views.vulnerable_table(gaps).data
    shown = [c.split("</td>")[0] for c in html.split('<td data-label="RAG">')[1:]]
    assert len(shown) == len(gaps) and all(c.split(" (")[0] in {"RED", "AMBER", "GREEN"} for c in shown), shown
    assert "RED (floor not published)" in shown and "GREEN (confirmed)" in shown
    # A frame with no published ratings shows the computed RAG.
    computed = kccperf.vulnerable_gaps(kccperf.load_assessed("2024-10", 5).drop(columns=[A.rating]))
    assert list(computed.columns).count(A.rag) == 1
    assert '<td data-label="RAG"></td>' in scorecard_views.vulnerable_table(computed).data


@pytest.fixture(scope="module")
def reconciliation():
    return kccperf.reconcile("2024-10")


def test_the_appendix_folds_each_category_into_one_entry_with_its_count_and_every_finding(reconciliation):
    r = reconciliation
    html = scorecard_views.findings_appendix(r.findings, r.summary(), r.titles).data
    counts = r.findings.groupby("category").size()
    assert html.count("<details>") == len(counts) and "<details open" not in html
    assert "A figure printed under a later period than it covers (true_period): 103 disagreements</summary>" in html
    assert html.count('<tr><td data-label="Area">') == len(r.findings)  # every finding is a row
    assert ">Average score at KS4 in Attainment 8</td>" in html and ">ks4_attainment8</td>" not in html


def test_the_appendix_of_a_month_with_no_disagreement_says_so(reconciliation):
    r = reconciliation
    html = scorecard_views.findings_appendix(r.findings.iloc[0:0], r.summary(), r.titles).data
    assert html == "<p>No disagreements: every check agreed.</p>"


def test_a_figure_shown_at_the_period_it_repeats_says_where_it_was_printed(assessed, scorecard):
    """Dover's case audits: printed under Oct-24, they repeat September's figure, shown as Sep-24; the sources page
    dates the printed column to October, which beside "Sep-24" would contradict the period cell."""
    info = kccperf.load_indicator_info("2024-10")
    view = kccperf.area_view(kccperf.load_assessed("2024-10", 5), "Dover")
    html = scorecard_views.assessment_table(view, kccperf.load_series("2024-10", 5, area="Dover"), caption="D", info=info).data
    row = html.split("Percentage of Case File Audits graded good or outstanding")[1].split("</tr>")[0]
    assert 'data-label="Period">Sep-24<' in row
    assert (
        "Latest figure: printed under Oct-24, where it repeats the Sep-24 figure (the sources page: rolling 12 months to Oct 2024)"
        in row
    )
    unmoved = html.split("Percentage re-referrals to Children")[1].split("</tr>")[0]
    assert "Latest figure: rolling 12 months to Oct 2024<" in unmoved


def test_the_checks_table_leads_with_what_each_check_is_and_ends_with_its_qa_name():
    summary = pd.DataFrame(
        {"category": ["rag", "dot"], "agree": [3, 0], "disagree": [1, 0], "meaning": ["published RAG contradicted", "arrows"]}
    )
    html = scorecard_views.checks_table(summary).data
    heads = [h.split(">")[-1] for h in html.split("</th>")[:4]]
    assert heads == ["Check", "Agree", "Disagree", "Name in kccperf qa"]
    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert first_row.index("Published RAG contradicted") < first_row.index(">rag<")


@pytest.mark.parametrize(
    ("polarity", "judgement", "words"),
    [
        ("T", "worse", "worse: further from the target"),
        ("T", "significantly better", "significantly better: nearer the target"),
        ("H", "worse", "worse"),
        ("T", "same", "same"),
    ],
)
def test_a_closest_to_target_comparison_says_why_it_is_better_or_worse(polarity, judgement, words):
    assert scorecard_views._versus(-4.7, judgement, "", "percent", False, "", polarity) == ("-4.7 pp", words, "")


def test_a_finding_names_its_team_beside_the_title_and_counts_read_in_the_right_number():
    words = pd.DataFrame(
        {"area": "Dover", "block": ["Dover EHU", ""], "title": ["Caseload", "Audits"], "sentence": ["Caseload: x.", "Audits: y."]}
    )
    html = scorecard_views.finding_list(words).data
    assert "<li>Caseload (Dover EHU): x.</li><li>Audits: y.</li>" in html
    assert "1 figure withheld" in scorecard_views.suppression_note(5, 1).data
    assert "(s)" not in scorecard_views.suppression_note(5, 3).data


def test_the_heading_and_footer_give_the_publication_date_in_words():
    info = {"title": "Scorecard", "edition_label": "October 2024", "publication_date": "2024-12-09"}
    assert "(published 9 December 2024)" in scorecard_views.report_heading("Dover", info).data
    assert "published 9 December 2024 by" in scorecard_views.provenance_footer(info, {}, "0.1").data


def test_a_moved_figure_s_target_names_its_year(assessed, scorecard):
    # Attainment 8 is shown at 2022-23, the year it covers, against that year's target (51.0), not the 2023-24
    # target the scorecard printed beside it: the cell says which year, and an unmoved figure's does not.
    view = kccperf.area_view(assessed, "Dover")
    table = scorecard_views.assessment_table(view, scorecard[scorecard.area == "Dover"], caption="Dover").data
    row = table.split("Average score at KS4 in Attainment 8<", 1)[1].split("</tr>", 1)[0]
    assert ">51.0 for 2022-23<" in row
    monthly = table.split("Percentage of CYP registered to EHE", 1)[1].split("</tr>", 1)[0]
    assert ">60.0%<" in monthly and " for 20" not in monthly


def test_the_league_table_says_what_its_rank_columns_mean(assessed):
    html = scorecard_views.league(kccperf.league_table(assessed)).data
    caption = html.split("<caption>", 1)[1].split("</caption>", 1)[0]
    assert "median rank: its middle rank across its indicators (1 is best)" in caption and "Best and worst quarter" in caption


def test_the_vulnerable_learners_table_gives_each_figure_s_unit(assessed):
    html = scorecard_views.vulnerable_table(kccperf.vulnerable_gaps(assessed)).data
    row = html.split("Average score at KS4 in Attainment 8 - FSM gap", 1)[1].split("</tr>", 1)[0]
    assert '<th scope="col">Unit</th>' in html and ">points<" in row
    assert ">percentage points<" in html.split("Percentage of pupils at EYFS", 1)[1].split("</tr>", 1)[0]
