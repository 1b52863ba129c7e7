"""The independent disclosure checker: it finds planted small counts of every kind, and nothing in clean outputs."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.disclosure.checker import check_folder, html_leaks, implied, number, roles, table_leaks

NAN = math.nan


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,674", 1674.0), ("75.0%", 75.0), ("368.6 days", 368.6), ("-0.12", -0.12), ("'-3", -3.0), ("c", NAN), ("–", NAN)],
)
def test_printed_figures_are_read_as_numbers(text, expected):
    got = number(text)
    assert got == expected or (math.isnan(got) and math.isnan(expected))


@pytest.mark.parametrize(
    ("percent", "denominator", "expected"),
    [
        (87.5, 8, 1),  # the complement of 7 of 8
        (62.5, 8, 5),
        (50.0, 8, 4),
        (25.0, 24, NAN),  # 6 of 24: not small, nor is the complement
        (100.0, 8, NAN),
        (0.0, 8, NAN),
        (12.5, 40, 5),
        (15.0, 40, NAN),  # 6 of 40
        (33.3, 9, 3),  # printed to one decimal
        (33.0, 9, NAN),  # no count of 9 prints as 33.0
    ],
)
def test_a_percentage_with_its_denominator(percent, denominator, expected):
    got = implied([percent], [denominator], 5)[0]
    assert got == expected or (math.isnan(got) and math.isnan(expected))


def _row(**figures):
    base = {"area": "Sevenoaks", "block": "", "indicator": "ehcp_issued_20wk", "period": "2024-10", "unit": "percent"}
    return {**base, **figures}


@pytest.mark.parametrize(
    ("row", "kind", "count"),
    [
        (_row(value="87.5", numerator="7", denominator="8"), "denominator minus numerator", 1),
        (_row(value="75.0", numerator="3", denominator="4"), "a numerator", 3),
        (_row(value="60.0", numerator="", denominator="5"), "a denominator", 5),
        (_row(value="62.5", numerator="", denominator="8"), "a percentage with its denominator", 5),
        (_row(value="3", unit="count"), "a count", 3),
        (
            _row(value="90.0", numerator="36", denominator="40", dot_compared_value="87.5"),
            "an earlier percentage with the denominator",
            5,
        ),
    ],
)
def test_each_kind_of_leak_in_a_download_is_found(row, kind, count):
    leaks = table_leaks(pd.DataFrame([row]), "sevenoaks.csv")
    assert (kind, count) in {(leak.kind, leak.count) for leak in leaks}
    assert all(leak.file == "sevenoaks.csv" and "Sevenoaks" in leak.where for leak in leaks)


@pytest.mark.parametrize(
    ("kent", "shown", "kind"),
    [
        # One district withheld: Kent minus the others gives its 7 of 8 back.
        (("107", "148"), [("100", "140")], "county minus districts: complement"),
        (("103", "144"), [("100", "140")], "county minus districts: numerator"),
        (("100", "143"), [("100", "140")], "county minus districts: denominator"),
    ],
)
def test_county_minus_districts_is_found(kent, shown, kind):
    rows = [_row(area="Kent", numerator=kent[0], denominator=kent[1], value="")]
    rows += [_row(area=f"D{i}", numerator=n, denominator=d, value="") for i, (n, d) in enumerate(shown)]
    rows.append(_row(area="Withheld", numerator="", denominator="", value="c"))
    assert kind in {leak.kind for leak in table_leaks(pd.DataFrame(rows), "kent-scorecard.csv")}


def test_a_team_shared_by_two_districts_is_counted_once():
    rows = [
        _row(area="Kent", block="", numerator="200", denominator="260"),
        _row(area="Sevenoaks", block="Team A", numerator="100", denominator="130"),
        _row(area="Tonbridge and Malling", block="Team A", numerator="100", denominator="130"),
        _row(area="Dartford", block="Team B", numerator="100", denominator="130"),
    ]
    assert table_leaks(pd.DataFrame(rows), "kent-scorecard.csv") == []


def test_clean_tables_have_no_leak():
    rows = [
        _row(area="Kent", numerator="120", denominator="200", value="60.0"),
        _row(area="Sevenoaks", numerator="60", denominator="100", value="60.0", dot_compared_value="55.0"),
        _row(area="Dover", numerator="60", denominator="100", value="60.0"),
        _row(area="Dover", indicator="perm_exclusions_primary", unit="count", value="0"),
        _row(area="Dover", indicator="other", value="c", numerator="", denominator=""),
    ]
    assert table_leaks(pd.DataFrame(rows), "kent-scorecard.csv") == []


PAGE = """<html><body><style>td {{ color: red }}</style>
<table><caption>Indicators</caption><thead><tr><th>Indicator</th><th>Period</th><th>Value</th></tr></thead><tbody>
<tr><th colspan="3">SEND</th></tr>
<tr><th>Permanent exclusions</th><td>2023-24</td><td>{count}</td></tr>
<tr><th>EHCPs in 20 weeks</th><td>Oct-24</td><td><abbr title="withheld: small numbers">c</abbr></td></tr>
</tbody></table>
<figure><img alt="{alt}" src="data:image/png;base64,AAAA"/>{figures}</figure>
<svg role="img" aria-label="Trend of EHCPs in 20 weeks: 0.0% in Apr-24 to {last}% in Oct-24"></svg>
<details><summary>Chart data</summary><p>{text}</p></details>
</body></html>"""


FIGURES = "<details><summary>The figures</summary><table><tr><th>Year</th><th>Total</th></tr><tr><td>2024</td><td>120</td></tr></table></details>"


@pytest.mark.parametrize(
    ("fill", "where"),
    [
        ({"count": "3"}, "row 1 Permanent exclusions"),
        ({"figures": ""}, "image 'A chart.'"),  # a chart whose figures are not given as text cannot be checked
        ({"alt": "Sevenoaks: 7 / 8 on time"}, "text '7 / 8'"),
        ({"text": "Funnel data: Sevenoaks 12 / 14"}, "text '12 / 14'"),
        ({"last": "87.5"}, "trend label"),
    ],
)
def test_each_kind_of_leak_in_a_page_is_found(tmp_path, fill, where):
    values = {"count": "12", "alt": "A chart.", "text": "No data.", "last": "100.0", "figures": FIGURES, **fill}
    page = tmp_path / "sevenoaks.html"
    page.write_text(PAGE.format(**values), encoding="utf-8")
    leaks = html_leaks(page, denominators={"EHCPs in 20 weeks": ({"percent"}, [8.0])})
    assert len(leaks) >= 1 and all(leak.where.startswith(where) for leak in leaks), [str(x) for x in leaks]


def test_a_clean_page_and_its_downloads_have_no_leak(tmp_path):
    (tmp_path / "sevenoaks.html").write_text(
        PAGE.format(count="12", alt="A chart.", text="No data.", last="100.0", figures=FIGURES), encoding="utf-8"
    )
    pd.DataFrame([_row(title="EHCPs in 20 weeks", value="100.0", numerator="8", denominator="8")]).to_csv(
        tmp_path / "sevenoaks.csv", index=False
    )
    assert check_folder(tmp_path) == []


@pytest.mark.parametrize(("label", "found"), [("0 in Apr-24 to 2 in Oct-24", [2.0]), ("0 in Apr-24 to 7 in Oct-24", [])])
def test_a_count_trend_label_is_read_as_counts(tmp_path, label, found):
    page = tmp_path / "dover.html"
    page.write_text(f'<svg role="img" aria-label="Trend of Permanent exclusions: {label}"></svg>', encoding="utf-8")
    leaks = html_leaks(page, denominators={"Permanent exclusions": ({"count"}, [])})
    assert [leak.count for leak in leaks] == found


DETAILS = """<figure><img alt="Line chart" src="data:image/png;base64,AAAA"/><details><summary>The figures</summary>
<table class="kcc-table kcc-data"><caption>{title}: Sevenoaks</caption><thead><tr><th scope="col">Period</th>
<th scope="col">Value</th></tr></thead><tbody>{rows}</tbody></table></details></figure>"""


@pytest.mark.parametrize(
    ("title", "values", "facts", "found"),
    [
        ("EHCPs in 20 weeks", ["100.0%", "62.5%", "–"], ({"percent"}, [8.0]), [5.0]),  # 62.5% of 8
        ("EHCPs in 20 weeks", ["100.0%", "0.0%"], ({"percent"}, [8.0]), []),
        ("EHCPs in 20 weeks", ["62.5%"], ({"percent"}, []), []),  # no denominator printed anywhere
        ("Permanent exclusions", ["0", "3", "0"], ({"count"}, []), [3.0]),
        ("Permanent exclusions", ["0", "12"], ({"count"}, []), []),
    ],
)
def test_a_chart_data_table_is_read_with_its_titles_denominator(tmp_path, title, values, facts, found):
    rows = "".join(f"<tr><td>Apr-24</td><td>{v}</td></tr>" for v in values)
    page = tmp_path / "sevenoaks.html"
    page.write_text(DETAILS.format(title=title, rows=rows), encoding="utf-8")
    leaks = html_leaks(page, denominators={title: facts})
    assert [leak.count for leak in leaks] == found
    assert all(leak.where.startswith(f"{title}: Sevenoaks row") or leak.kind == "a count" for leak in leaks)


@pytest.mark.parametrize(
    ("markup", "unread"),
    [
        ('<figure><img alt="Chart" src="x.png"/><details><table><tr><td>1</td></tr></table></details></figure>', []),
        ('<figure><img alt="Chart" src="x.png"/><figcaption>No table</figcaption></figure>', ["Chart"]),
        ('<p><img alt="Loose" src="x.png"/></p>', ["Loose"]),
        # Each figure answers for its own images: a table in the next figure does not cover this one.
        ('<figure><img alt="A" src="a.png"/></figure><figure><img alt="B" src="b.png"/><table></table></figure>', ["A"]),
        ("<p>No image</p>", []),
    ],
)
def test_an_image_passes_only_with_its_figures_as_text(tmp_path, markup, unread):
    page = tmp_path / "page.html"
    page.write_text(f"<html><body>{markup}</body></html>", encoding="utf-8")
    leaks = html_leaks(page)
    assert [leak.where for leak in leaks] == [f"image {alt!r}" for alt in unread]
    assert all("cannot be checked" in str(leak) for leak in leaks)


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("EHCPs in 20 weeks was 62.5% in Oct-24: missing the target.", [5.0]),  # 5 of 8 on time
        ("EHCPs in 20 weeks was 100.0% in Oct-24.", []),  # 8 of 8: nobody to single out
        ("EHCPs in 20 weeks (Dover EHU), from 50.0% in Sep-24 to 75.0% in Oct-24.", [4.0, 2.0]),
        ("EHCPs in 20 weeks: withheld. Of 5 in Oct-24 rated indicators, 3 are RED.", []),  # beyond its sentence
        ("Permanent exclusions was 3 in 2023-24.", [3.0]),
        ("Permanent exclusions was 12 in 2023-24; 4 in 2022-23 elsewhere.", []),  # beyond its clause
        ("The target of 5 in 2024-25 is not about Permanent exclusions.", []),
    ],
)
def test_figures_in_sentences_are_read_with_their_indicator(tmp_path, sentence, found):
    page = tmp_path / "dover.html"
    page.write_text(f"<html><body><p>{sentence}</p></body></html>", encoding="utf-8")
    facts = {"EHCPs in 20 weeks": ({"percent"}, [8.0]), "Permanent exclusions": ({"count"}, [])}
    leaks = html_leaks(page, denominators=facts)
    assert sorted(leak.count for leak in leaks) == sorted(found), [str(x) for x in leaks]


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        # A page's "Indicator" holds the title and is the key.
        (["Indicator", "Period", "Value"], {"indicator": "Indicator", "title": None}),
        # A workbook's "Indicator id" is the key, and its "Indicator" the title, whatever their order.
        (["Indicator", "Area", "Indicator id"], {"indicator": "Indicator id", "title": "Indicator"}),
        (["indicator", "title", "Indicator id"], {"indicator": "Indicator id", "title": "title"}),
        (["area", "indicator", "title"], {"indicator": "indicator", "title": "title"}),
    ],
)
def test_each_column_plays_one_role_and_an_indicator_id_is_the_key(columns, expected):
    found = roles(columns)
    assert {role: found.get(role) for role in expected} == expected


# A readers' workbook as a director opens it: word headings, the title first, and a sheet explaining the columns.
HEADINGS = {
    "title": "Indicator",
    "area": "Area",
    "block": "Team",
    "period": "Period",
    "value": "Value",
    "unit": "Unit",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "indicator": "Indicator id",
}


def _workbook(path, rows):
    data = pd.DataFrame(rows)[list(HEADINGS)].rename(columns=HEADINGS)
    notes = pd.DataFrame({"Sheet": "Indicators", "Column": list(HEADINGS.values()), "Name in the data": list(HEADINGS)})
    with pd.ExcelWriter(path) as writer:
        data.to_excel(writer, sheet_name="Indicators", index=False)
        notes.to_excel(writer, sheet_name="About the columns", index=False)


def test_a_readers_workbook_is_read_by_its_headings(tmp_path):
    rows = [_row(title="EHCPs in 20 weeks", value="87.5", numerator="7", denominator="8")]
    _workbook(tmp_path / "sevenoaks.xlsx", rows)
    found = {(leak.kind, leak.count) for leak in check_folder(tmp_path) if "ehcp_issued_20wk" in leak.where}
    assert ("denominator minus numerator", 1) in found and ("a percentage with its denominator", 1) in found


def test_county_minus_districts_is_found_in_a_readers_workbook(tmp_path):
    rows = [_row(area="Kent", title="EHCPs", numerator="107", denominator="148", value="")]
    rows += [_row(area="Dover", title="EHCPs", numerator="100", denominator="140", value="")]
    rows.append(_row(area="Sevenoaks", title="EHCPs", numerator="", denominator="", value="c"))
    _workbook(tmp_path / "kent-scorecard.xlsx", rows)
    kinds = {(leak.kind, leak.where) for leak in check_folder(tmp_path)}
    assert ("county minus districts: complement", "Kent minus the districts shown, ehcp_issued_20wk 2024-10") in kinds
