"""The two budget pages on a phone (390 px), in a real headless browser: a director reads plain words, never a
column key (``y2024_25_core``) or the register's code ``ALL``, and every chart, scaled to the screen, keeps its
smallest text at least 9 px tall. Each check is also shown to fail on a page planted with what it looks for."""

from __future__ import annotations

import re

import pytest

from ._browser import CHART_SIZES, MAX_BYTES, WIDTHS, require_chromium, unreadable_charts

require_chromium()

PAGES = ("budget-2025-26-cype", "budget-2025-26-all")
# A key of the tables or the code: words joined by underscores (y2024_25_core, cype_spend, appendix_f_risk_register).
INTERNAL_ID = re.compile(r"(?<![\w.])[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+(?![\w])")
ALL_CODE = re.compile(r"\bALL\b")

# What a reader can see or hear: the text of the page with every "The figures" opened, and alt and title texts.
READER_TEXT = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const attrs = [...document.querySelectorAll('[alt], [title]')].map(e => (e.getAttribute('alt') || '') + ' '
    + (e.getAttribute('title') || ''));
  return document.body.innerText + '\\n' + attrs.join('\\n');
}"""

# The directorate codes of the register and Appendix A (data/reference/budget/2025-26/directorates.csv): a director
# learns each from its first use, written 'Growth, Environment & Transport (GET)' (or 'CPE (a code ...)').
DIRECTORATE_CODES = ("CYPE", "ASCH", "GET", "DCED", "CED", "CPE")


def unexplained_codes(text: str) -> list[str]:
    """Each directorate code whose first use in ``text`` is bare: neither '(GET)' after its name nor 'CPE (' before words."""
    out = []
    for code in DIRECTORATE_CODES:
        first = re.search(rf"(?<![\w-]){code}(?![\w-])", text)
        if first and text[first.start() - 1 : first.end() + 1] != f"({code})" and text[first.end() : first.end() + 2] != " (":
            out.append(code)
    return out


def internal_words(text: str) -> list[str]:
    """The column keys, file names and ``ALL`` codes in a reader's text."""
    return sorted(set(INTERNAL_ID.findall(text)) | set(ALL_CODE.findall(text)))


def _open(browser, path, width: str = "phone"):
    w, h = WIDTHS[width]
    page = browser.new_page(viewport={"width": w, "height": h})
    page.goto(path.as_uri(), wait_until="load")
    return page


@pytest.mark.parametrize("slug", PAGES)
def test_budget_pages_on_a_phone_show_no_internal_id_or_code(full_run, browser, slug):
    page = _open(browser, full_run.out_dir / f"{slug}.html")
    text = page.evaluate(READER_TEXT)
    page.close()
    assert internal_words(text) == [], slug
    assert "Whole council" in text or slug.endswith("cype")


@pytest.mark.parametrize("slug", PAGES)
def test_budget_pages_spell_out_each_directorate_where_first_used(full_run, browser, slug):
    page = _open(browser, full_run.out_dir / f"{slug}.html")
    text = page.evaluate(READER_TEXT)
    page.close()
    assert unexplained_codes(text) == [], slug
    assert "Children, Young People & Education (CYPE)" in text


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("Budget risk view 2025-26: CYPE. Children, Young People & Education (CYPE)", ["CYPE"]),
        ("GET/DCED 1 risk; Growth, Environment & Transport (GET)", ["GET", "DCED"]),
        ("Growth, Environment & Transport (GET) and Deputy Chief Executive's Department (DCED); later GET Page 94", []),
        ("CPE (a code the report does not spell out); Page 88 CPE", []),
        ("no directorate at all, nor CYPE-like words such as CYPEX", []),
    ],
)
def test_the_first_use_check_finds_a_bare_code(text, bare):
    assert unexplained_codes(text) == bare


@pytest.mark.parametrize("slug", PAGES)
def test_budget_charts_on_a_phone_keep_their_text_readable(full_run, browser, slug):
    path = full_run.out_dir / f"{slug}.html"
    assert path.stat().st_size <= MAX_BYTES
    page = _open(browser, path)
    charts = page.evaluate(CHART_SIZES)
    sideways = page.evaluate("() => document.documentElement.scrollWidth") > WIDTHS["phone"][0]
    page.close()
    assert len(charts) == 3 and all(c["shown"] > 0 for c in charts), charts
    assert unreadable_charts(charts) == [], slug
    assert not sideways


def test_budget_charts_on_a_desktop_are_not_enlarged(full_run, browser):
    """At 1280 px each chart keeps its own size: the text readable on a phone is not blown up on a desktop."""
    for slug in PAGES:
        page = _open(browser, full_run.out_dir / f"{slug}.html", "desktop")
        charts = page.evaluate(CHART_SIZES)
        page.close()
        assert all(abs(c["shown"] - c["natural"]) <= 2 for c in charts), charts


def test_the_checks_find_a_planted_key_and_a_squeezed_chart(full_run, browser):
    """The two checks can fail: a column key and ALL written into the page, and a chart squeezed to 150 px."""
    page = _open(browser, full_run.out_dir / "budget-2025-26-all.html")
    page.evaluate(
        "() => { const p = document.createElement('p'); p.textContent = 'Column y2024_25_core of ALL';"
        " document.body.appendChild(p); document.querySelector('figure img').style.width = '150px'; }"
    )
    text, charts = page.evaluate(READER_TEXT), page.evaluate(CHART_SIZES)
    page.close()
    assert internal_words(text) == ["ALL", "y2024_25_core"]
    squeezed = unreadable_charts(charts)
    assert len(squeezed) == 1 and "(150 of" in squeezed[0]
    assert unreadable_charts([{**charts[1], "font": None}])[0].endswith("no smallest text size recorded")
