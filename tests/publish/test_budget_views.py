"""The budget's display helpers: captions, headers, money formatting and words for the budget tables."""

from __future__ import annotations

import dataclasses
import io
import re
from html import unescape

import pandas as pd
import pytest
from PIL import Image

from kccperf import budget
from kccperf._format import long_dates
from kccperf.publish import budget_views, figures


@pytest.fixture(scope="module")
def tables():
    return budget.load_budget("2025-26")


@pytest.fixture(scope="module")
def checks(tables):
    return budget.reconcile(tables.figures, tables.claims, tables.relations)


def _html(shown) -> str:
    """The table's HTML without the cells' data-label attributes (the phone layout's card labels)."""
    return re.sub(r' data-label="[^"]*"', "", shown.data)


def test_member_bridge_names_the_cabinet_members_from_the_edition(tables):
    html = _html(budget_views.member_bridge_table(budget.revenue_bridge_by_member(tables.figures), tables.edition))
    assert "Sue Chandler (Integrated Children&#x27;s Services)" in html and "Rory Love (Education)" in html
    assert "sue_chandler" not in html and "rory_love" not in html
    assert "CYPE 2025-26 change by Cabinet Member" in html


def test_member_names_come_from_the_edition_facts_not_the_code(tables):
    bridge = budget.revenue_bridge_by_member(tables.figures)
    edition = {**tables.edition, "member_names": ["Member A (Portfolio A)", "Member B (Portfolio B)"]}
    html = _html(budget_views.member_bridge_table(bridge, edition))
    assert "Member A (Portfolio A)" in html and "Member B (Portfolio B)" in html and "Sue Chandler" not in html
    # A column the edition does not list keeps its key rather than vanishing.
    unlisted = _html(budget_views.member_bridge_table(bridge, {**edition, "members": ["sue_chandler"], "member_names": ["A"]}))
    assert "rory_love" in unlisted


def test_november_bridge_steps_are_in_words(tables):
    html = _html(budget_views.november_table(budget.november_bridge(tables.figures), tables))
    for words in ("November draft net", "Change in spending", "Change in savings", "Latest net", ">Rory Love (Education)<"):
        assert words in html
    for key in ("november_net", "spend_change", "saving_change", "latest_net", ">ics</td>"):
        assert key not in html
    assert ">Sue Chandler (Integrated Children&#x27;s Services)<" in html and ">CYPE Directorate total<" in html


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [(-15700.0, "£000s", "−£15,700k"), (-3.2, "£m", "−£3.2m"), (2638.3, "£000s", "£2,638k"), (0.0, "£m", "£0.0m")],
)
def test_money_prints_a_minus_before_the_pound_sign(value, unit, text):
    html = _html(budget_views.money_table(pd.DataFrame({"a": [value]}), caption="c", columns={"a": "A"}, money={"a": unit}))
    assert f">{text}</td>" in html


def test_negative_amounts_in_the_budget_tables(tables):
    html = _html(budget_views.unresolved_table(budget.unresolved_balances(tables.figures)))
    assert ">−£15,700k</td>" in html and ">−1.0%</td>" in html
    assert "-£" not in html and "£-" not in html and "£−" not in html
    bridge = _html(budget_views.bridge_table(budget.revenue_bridge(tables.figures, "CYPE")))
    assert ">−£3,300k</td>" in bridge and ">Start</td>" in bridge and ">End</td>" in bridge


def test_budget_heading_has_no_doubled_brackets():
    html = _html(budget_views.budget_heading(budget.check_budget_parameters(directorate="CYPE", year="2025-26")))
    assert "((" not in html and "))" not in html
    assert "published 16 January 2025 (Children&#x27;s, Young People and Education Cabinet Committee), with every" in html
    params = budget.check_budget_parameters(directorate="ALL", year="2025-26")
    whole = _html(budget_views.budget_heading(params, {"title": "T", "publication_date": "D"}))
    assert "Budget risk view 2025-26: Whole council" in whole and "Figures as printed in the T, published D," in whole
    assert "ALL" not in whole


def test_checks_table_lists_only_the_mismatches_in_words(checks, tables):
    html = _html(budget_views.budget_checks_table(checks, tables))
    assert html.count("<tr><td>") == 7
    assert ">Appendix D</td>" in html and ">Table 1</td>" in html and ">Text of the report</td>" in html
    assert ">£109,578.3k</td><td>£209,578.3k</td><td>−£100,000k</td>" in html and ">−£0.0526m</td>" in html
    # Columns by their printed headings, from the edition's columns.csv, never their keys.
    assert ">2024-25 core budget</td>" in html and ">CYPE Directorate total: spend</td>" in html
    assert ">Amount in the text</td>" in html
    assert not re.findall(r">[a-z0-9]+(?:_[a-z0-9]+)+<", html)


def test_checks_table_gives_every_amount_its_table_s_unit(checks, tables):
    """Appendix D prints £000s, Table 1 and the text's claims £m: each figure says which, none is a bare number."""
    html = _html(budget_views.budget_checks_table(checks, tables))
    rows = re.findall(r"<tr><td>(.*?)</td>.*?</tr>", html, re.S)
    cells = re.findall(r"<tr><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>", html)
    assert len(cells) == len(rows) == 7
    assert all(re.fullmatch(r"[−+]?£[\d,.]+[mk]", amount) for row in cells for amount in row), cells
    assert ">£35.5</td>" not in html and ">£35.5m</td><td>£35.5526m</td><td>−£0.0526m</td>" in html
    assert ">£8.9m</td><td>£8.6m</td><td>+£0.3m</td>" in html  # a claim in the text: its own unit, £m
    assert "in its table&#x27;s unit" in html or "in its table's unit" in html


def test_checks_table_in_a_table_s_unit_from_the_manifest(checks, tables):
    manifest = tables.manifest.assign(unit=tables.manifest["unit"].where(tables.manifest["table"] != "appendix_d", "£m"))
    html = _html(budget_views.budget_checks_table(checks, dataclasses.replace(tables, manifest=manifest)))
    assert ">£109,578.3m</td>" in html and "k</td>" not in html


def test_checks_table_headings_come_from_the_reference_data(checks, tables):
    labels = tables.labels.assign(label=tables.labels["label"].where(tables.labels["column"] != "y2024_25_core", "Core 24/25"))
    relabelled = dataclasses.replace(tables, labels=labels)
    html = _html(budget_views.budget_checks_table(checks, relabelled))
    assert ">Core 24/25</td>" in html and "2024-25 core budget" not in html


def test_cleaning_table_names_tables_rows_and_columns_in_words(tables):
    html = _html(budget_views.cleaning_table(tables.cleaning, tables))
    assert ">Appendix D</td>" in html and ">Appendix F</td>" in html and ".tsv" not in html
    # The memorandum heading by its printed label, risk rows by their titles, columns by their headings.
    assert ">Memorandum:</td><td>Row label</td>" in html
    assert ">Council Taxbase assumptions</td><td>Directorate</td><td>CPE Page 88</td>" in html
    assert ">r34</td><td>the whole row</td>" in html
    assert "reserves_memo_heading" not in html and ">directorate<" not in html and ">label<" not in html


def test_the_whole_council_is_named_in_words_in_the_risk_tables(tables):
    top = _html(budget_views.top_risks_table(budget.top_risks(budget.risk_scores(tables.risks), 10), tables.directorates))
    exposure = _html(budget_views.exposure_table(budget.exposure_by_directorate(tables.risks), tables.directorates))
    for html in (top, exposure):
        assert ">Whole council</td>" in html and ">ALL<" not in html


# A directorate code as the register prints it, alone or shared: GET, ASCH / CYPE, GET/DCED, ASCH (PH).
BARE_CODE = re.compile(r"[A-Z]{2,}(?:\s*/\s*[A-Z]{2,})*(?: \(PH\))?")


def test_directorates_are_spelled_out_in_the_risk_tables(tables):
    """A director does not know GET, DCED, CPE or ASCH: every directorate cell gives the name, with the code."""
    top = unescape(
        _html(budget_views.top_risks_table(budget.top_risks(budget.risk_scores(tables.risks), 10), tables.directorates))
    )
    exposure = unescape(_html(budget_views.exposure_table(budget.exposure_by_directorate(tables.risks), tables.directorates)))
    cells = re.findall(r"<tr><td>([^<]*)</td>", exposure) + re.findall(r"<tr><td>r\d+</td><td>([^<]*)</td>", top)
    assert cells and not [c for c in cells if BARE_CODE.fullmatch(c)], cells
    for words in (
        ">Growth, Environment & Transport (GET)<",
        ">Deputy Chief Executive's Department (DCED)<",
        ">Children, Young People & Education (CYPE)<",
        ">CPE (a code the report does not spell out)<",
        ">Adult Social Care & Health (ASCH), Public Health<",
        ">Growth, Environment & Transport (GET) and Deputy Chief Executive's Department (DCED)<",  # GET/DCED
        ">Children, Young People & Education (CYPE) and Deputy Chief Executive's Department (DCED)<",  # CYPE / DCED
        ">Non Attributable Costs<",  # already words: as printed
    ):
        assert words in exposure, words
    assert ">Adult Social Care & Health (ASCH) and Children, Young People & Education (CYPE)<" in top


def test_directorate_names_come_from_the_reference_data(tables):
    words = tables.directorates.assign(
        label=tables.directorates["label"].where(tables.directorates["directorate"] != "GET", "Highways and waste (GET)")
    )
    exposure = unescape(_html(budget_views.exposure_table(budget.exposure_by_directorate(tables.risks), words)))
    assert ">Highways and waste (GET)<" in exposure and ">Highways and waste (GET) and Deputy" in exposure
    assert "Growth, Environment" not in exposure
    # A code the file does not list is shown as printed, never dropped.
    unlisted = unescape(
        _html(budget_views.exposure_table(budget.exposure_by_directorate(tables.risks), words[words["directorate"] != "DCED"]))
    )
    assert ">DCED<" in unlisted and ">Highways and waste (GET) and DCED<" in unlisted


@pytest.mark.parametrize("directorate", ["CYPE", "ALL"])
def test_the_heading_spells_out_cype_the_first_time(directorate):
    params = budget.check_budget_parameters(directorate=directorate, year="2025-26")
    text = unescape(re.sub(r"<[^>]+>", " ", budget_views.budget_heading(params).data))
    first = text.index("CYPE")
    assert text[first - len("Children, Young People & Education (") : first] == "Children, Young People & Education (", text
    assert "MTFP" not in text[: text.index("Medium Term Financial Plan (MTFP)") + 30].replace("(MTFP)", ""), text


@pytest.mark.parametrize(
    ("show", "caption", "header"),
    [
        (
            lambda t: budget_views.top_risks_table(budget.top_risks(budget.risk_scores(t.risks), 10), t.directorates),
            "Largest estimated exposures",
            "Lifetime exposure",
        ),
        (
            lambda t: budget_views.exposure_table(budget.exposure_by_directorate(t.risks), t.directorates),
            "Itemised exposure by directorate",
            "Risks",
        ),
        (
            lambda t: budget_views.exposure_share_table(budget.cype_exposure_share(t.risks, t.figures)),
            "CYPE share",
            "Share of register total",
        ),
        (
            lambda t: budget_views.unsecured_table(budget.unsecured_capital_share(t.figures, t.projects)),
            "CYPE capital relying",
            "CYPE total",
        ),
        (lambda t: budget_views.cleaning_table(t.cleaning, t), "Cells cleaned when the tables were read", "What was done"),
    ],
)
def test_each_budget_table_owns_its_caption_and_headers(tables, show, caption, header):
    html = _html(show(tables))
    assert f"<caption>{caption}" in html and f'<th scope="col">{header}</th>' in html and "None." not in html


def test_display_words_for_the_share_tables(tables):
    share = _html(budget_views.exposure_share_table(budget.cype_exposure_share(tables.risks, tables.figures)))
    assert ">Annual</td>" in share and ">£165.0m</td>" in share and ">64.2%</td>" in share
    capital = _html(budget_views.unsecured_table(budget.unsecured_capital_share(tables.figures, tables.projects)))
    assert ">Projects&#x27; total cost</td>" in capital and ">Programme 2025-35</td>" in capital
    top = _html(budget_views.top_risks_table(budget.top_risks(budget.risk_scores(tables.risks), 2), tables.directorates))
    assert ">r02</td><td>not printed</td>" in top and ">–</td><td>£165.0m</td>" in top


def test_directorates_not_printed_come_last_with_their_explanation(tables):
    html = _html(budget_views.exposure_table(budget.exposure_by_directorate(tables.risks), tables.directorates))
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert "not printed" in rows[-1] and all("not printed" not in r for r in rows[:-1])
    assert "held only a page number in the published PDF" in html.split("</table>")[1]


@pytest.mark.parametrize(
    ("refs", "text"),
    [
        (["r24", "r25", "r26", "r27", "r31", "r35", "r36"], "r24–r27, r31, r35, r36"),
        (["r02", "r01"], "r01, r02"),
        (["r09", "r10", "r11"], "r09–r11"),
        (["x1", "r02"], "x1, r02"),
    ],
)
def test_heat_map_cells_write_runs_of_references_as_ranges(refs, text):
    assert budget_views._ref_ranges(pd.Series(refs)) == text


@pytest.mark.parametrize("directorate", ["CYPE", "ALL"])
def test_budget_charts_record_a_smallest_text_readable_on_a_phone(tables, directorate):
    """Each chart records its smallest text in image pixels; shown 370 px wide (a 390 px phone) it is at least 9 px."""
    scores = budget.risk_scores(budget.risks_for(tables.risks, directorate))
    charts = [
        budget_views.risk_heatmap(scores, title="Budget risks"),
        budget_views.waterfall_chart(budget.revenue_bridge(tables.figures, directorate), title="Revenue bridge"),
        budget_views.capital_chart(
            budget.capital_profile(tables.figures, tables.projects, directorate=directorate), title="Capital programme"
        ),
    ]
    for chart in charts:
        width = Image.open(io.BytesIO(chart.image)).width
        assert chart.min_font_px == pytest.approx(budget_views.MIN_FONT * budget_views.DPI / 72)
        assert chart.min_font_px * 370 / width >= 9, (chart.caption, width)
        assert f'data-min-font-px="{chart.min_font_px:.2f}"' in chart._repr_html_()


def test_the_recorded_smallest_text_counts_every_text_of_the_figure(tables):
    fig = budget_views.waterfall_figure(budget.revenue_bridge(tables.figures, "CYPE"), title="Revenue bridge")
    before = figures.smallest_font_px(fig)
    fig.axes[0].text(0, 430, "tiny", fontsize=6)
    assert before == pytest.approx(11 * 100 / 72) and figures.smallest_font_px(fig) == pytest.approx(6 * 100 / 72)


@pytest.mark.parametrize(
    ("directorate", "says", "not_said"),
    [
        (
            "CYPE",
            ["CYPE's risks, including those it shares", "relies on unsecured funding"],
            ["every risk in the register", "funding source"],
        ),
        (
            "ALL",
            ["every risk in the register", "by funding source"],
            ["including those it shares", "unsecured funding (Appendix B"],
        ),
    ],
)
def test_each_view_says_only_what_applies_to_it(tables, directorate, says, not_said):
    params = budget.check_budget_parameters(directorate=directorate, year="2025-26")
    profile = budget.capital_profile(tables.figures, tables.projects, directorate=directorate)
    heading = unescape(budget_views.budget_heading(params).data)
    text = heading + budget_views.capital_chart(profile, title="Capital", directorate=directorate).caption
    assert all(s in text for s in says) and not any(s in text for s in not_said), text


def test_the_budget_notebook_s_own_text_says_nothing_about_one_view_only():
    # Its markdown is the same on both views: what differs is said by the library, from the parameters.
    import nbformat

    from kccperf._paths import project_root

    nb = nbformat.read(project_root() / "notebooks" / "budget_risk.ipynb", as_version=4)
    text = " ".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
    assert "for cype" not in text and "for the whole council" not in text and "chosen directorate" not in text


def test_a_directorate_with_no_itemised_amount_shows_none_not_zero(tables):
    exposure = budget.exposure_by_directorate(tables.risks)
    get = exposure[exposure["directorate"] == "GET"].iloc[0]
    assert get["risks"] == 7 and pd.isna(get["annual_exposure_m"]) and pd.isna(get["lifetime_exposure_m"])
    shown = _html(budget_views.exposure_table(exposure, tables.directorates))
    assert "<td>Growth, Environment &amp; Transport (GET)</td><td>7</td><td>–</td><td>–</td>" in shown
    assert "£0.0m" not in shown and "none of these risks has an amount of its own" in shown


@pytest.mark.parametrize(("directorate", "resumes"), [("CYPE", "£400m"), ("ALL", "£1,300m")])
def test_a_waterfall_far_from_zero_breaks_its_axis_visibly_and_says_where(tables, directorate, resumes):
    """Budgets of £430m and £1,430m moving by a few £m: the axis starts at £0m, a zigzag breaks it and the bars."""
    bridge = budget.revenue_bridge(tables.figures, directorate)
    fig = budget_views.waterfall_figure(bridge, title="t")
    for ax in fig.axes:
        low = ax.get_ylim()[0]
        assert ax.yaxis.get_majorticklocs()[0] == low and ax.yaxis.get_major_formatter()(low, 0) == "£0m"
        assert ax.yaxis.get_major_formatter()(ax.yaxis.get_majorticklocs()[1], 0) == resumes
        assert [a for a in ax.get_children() if a.get_gid() == budget_views.AXIS_BREAK]
    chart = budget_views.waterfall_chart(bridge, title="t")
    assert f"The £m axis is broken at the zigzag: it jumps from £0m to {resumes}" in chart.caption
    assert "cut short" in chart.alt


def test_a_waterfall_from_zero_keeps_an_unbroken_axis(tables):
    member = budget.revenue_bridge_by_member(tables.figures)
    bridge = member[member["column"] == "rory_love"]
    fig = budget_views.waterfall_figure(bridge, title="t")
    for ax in fig.axes:
        assert not [a for a in ax.get_children() if a.get_gid() == budget_views.AXIS_BREAK]
    # From zero, and below it where Rory Love's running total dips to −£4.3m: no bar is cut.
    assert -4.3 * 1.16 <= fig.axes[0].get_ylim()[0] < -4.3
    assert "broken" not in budget_views.waterfall_chart(bridge, title="t").caption


def test_the_heat_map_says_what_its_references_are(tables):
    """r01, r24-r33 are not printed in the report: the first place they appear says where they come from."""
    chart = budget_views.risk_heatmap(budget.risk_scores(budget.risks_for(tables.risks, "CYPE")))
    assert "r01, r02 and so on number the register's risks in the order it prints them (Appendix F)" in chart.caption
    first = tables.risks.sort_values("line")["risk"].head(2).tolist()
    assert first == ["r01", "r02"]  # the numbering is the printed order, as the caption says


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("PROPOSED NET BUDGET", "Proposed net budget"),
        ("ADULT SOCIAL CARE FUNDING UNRESOLVED BALANCE", "Adult social care funding unresolved balance"),
        ("UNRESOLVED BALANCE / SURPLUS", "Unresolved balance / surplus"),
        ("MEMORANDUM:", "Memorandum:"),
        ("CYPE DIRECTORATE TOTAL", "CYPE directorate total"),  # abbreviations stay in capitals
        ("MTFP AND DSG BALANCE", "MTFP and DSG balance"),
        ("TOTAL £m", "Total £m"),
        # Quiet: printed in mixed case, a lone abbreviation, a figure: left as printed.
        ("Revised Base", "Revised Base"),
        ("High Needs (DSG)", "High Needs (DSG)"),
        ("IFRS9", "IFRS9"),
        ("CYPE", "CYPE"),
        ("2024-25", "2024-25"),
        ("", ""),
    ],
)
def test_labels_printed_in_capitals_read_in_sentence_case(label, shown):
    assert budget_views.sentence_case(pd.Series([label], index=[7])).tolist() == [shown]


def test_the_budget_tables_show_no_label_in_capitals(tables, checks):
    """A director read PROPOSED NET BUDGET, NET CHANGE and ADULT SOCIAL CARE FUNDING UNRESOLVED BALANCE as printed."""
    bridge = budget.revenue_bridge(tables.figures, "CYPE")
    shown = {
        "bridge": _html(budget_views.bridge_table(bridge)),
        "members": _html(budget_views.member_bridge_table(budget.revenue_bridge_by_member(tables.figures), tables.edition)),
        "unresolved": _html(budget_views.unresolved_table(budget.unresolved_balances(tables.figures))),
        "checks": _html(budget_views.budget_checks_table(checks, tables)),
        "cleaning": _html(budget_views.cleaning_table(tables.cleaning, tables)),
    }
    chart = budget_views.waterfall_chart(bridge, title="t")
    shown["waterfall"] = chart.alt + chart.table
    printed = shown.pop("cleaning")  # its Printed and Kept columns show the cells as printed
    for name, html in shown.items():
        assert re.findall(r"\b[A-Z]{2,}[ /,&]+[A-Z]{2,}\b", unescape(html)) == [], name
    assert ">Proposed net budget</td>" in shown["bridge"] and "Proposed net budget" in chart.alt
    assert ">Net change</td>" in shown["members"] and ">Total spending</td>" in shown["checks"]
    assert ">Adult social care funding unresolved balance</td>" in shown["unresolved"]
    assert ">Revised Base</td>" in shown["bridge"]  # printed in mixed case: as printed
    # What a cell printed is shown as printed: the cleaning table's "Printed" column keeps its capitals.
    assert ">Page 82 MEMORANDUM:</td>" in printed and ">Memorandum:</td><td>Row label</td>" in printed


@pytest.mark.parametrize(
    ("values", "units", "signed", "texts"),
    [
        ([18.0, 18.0524, -0.0524], ["£m"] * 3, False, ["£18.0m", "£18.0524m", "−£0.0524m"]),
        ([109578.3, -100000.0, 0.0], ["£000s"] * 3, False, ["£109,578.3k", "−£100,000k", "£0k"]),
        ([0.3, -0.05, 0.0, 100000.0], ["£m", "£m", "£m", "£000s"], True, ["+£0.3m", "−£0.05m", "£0.0m", "+£100,000k"]),
        ([float("nan")], ["£m"], True, ["–"]),
    ],
)
def test_checked_amounts_keep_the_decimals_of_their_unit(values, units, signed, texts):
    """£18.0m as the other tables print £m (it showed £18m); a difference is signed, as a change is."""
    index = range(3, 3 + len(values))
    shown = budget_views._amounts(pd.Series(values, index=index), pd.Series(units, index=index), signed=signed)
    assert shown.tolist() == texts


def test_the_checks_table_prints_a_round_figure_with_its_decimal(checks, tables):
    html = _html(budget_views.budget_checks_table(checks, tables))
    assert ">£18.0m</td><td>£18.0524m</td><td>−£0.0524m</td>" in html and "£18m" not in html
    assert ">£113,896.2k</td><td>£13,896.2k</td><td>+£100,000k</td>" in html


def test_every_bridge_table_signs_its_changes(tables):
    """The £000s tables printed increases without a +, unlike the £m table above them; start and end stay unsigned."""
    bridge = _html(budget_views.bridge_table(budget.revenue_bridge(tables.figures, "CYPE")))
    assert ">+£344k</td>" in bridge and ">+£9,148k</td>" in bridge and ">−£3,300k</td>" in bridge
    assert ">£429,763k</td><td>£429,763k</td>" in bridge and ">£448,913k</td><td>£448,913k</td>" in bridge
    members = _html(budget_views.member_bridge_table(budget.revenue_bridge_by_member(tables.figures), tables.edition))
    assert ">+£1,000k</td>" in members and ">£0k</td><td>£0k</td>" in members and ">£18,052k</td><td>£18,052k</td>" in members
    november = _html(budget_views.november_table(budget.november_bridge(tables.figures), tables))
    assert ">+£8.0m</td>" in november and ">−£3.2m</td>" in november and ">£4.2m</td>" in november
    # Balances are not changes: they stay unsigned.
    unresolved = _html(budget_views.unresolved_table(budget.unresolved_balances(tables.figures)))
    assert ">£2,638k</td>" in unresolved and "+£" not in unresolved


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2025-01-16", "16 January 2025"),
        (
            "2025-01-16 (Children's, Young People and Education Cabinet Committee)",
            "16 January 2025 (Children's, Young People and Education Cabinet Committee)",
        ),
        ("2024-12-09", "9 December 2024"),
        ("2025-26", "2025-26"),  # a budget year, not a date
        ("16 January 2025", "16 January 2025"),
    ],
)
def test_dates_read_in_words(text, shown):
    assert long_dates(text) == shown


def test_the_budget_footer_gives_the_publication_date_in_words():
    html = budget_views.provenance_footer(budget.edition_info("2025-26"), {"year": "2025-26"}, "0.1").data
    assert "published 16 January 2025 (" in html and "2025-01-16" not in html
    assert "year = 2025-26" in html


def test_the_heat_map_is_short_enough_to_follow_the_heading_on_a_printed_page(tables):
    """Printed about 15 cm wide, the map is at most 12.5 cm tall (at 16.6 cm it began a second A4 page, leaving the
    first nearly empty); its cells still hold their text at the phone's smallest size."""
    fig = budget_views.risk_heatmap_figure(budget.risk_scores(tables.risks), title="t")
    width, height = fig.get_size_inches()
    assert 15 * height / width <= 12.5
    assert figures.smallest_font_px(fig) >= budget_views.MIN_FONT * budget_views.DPI / 72 - 0.01
