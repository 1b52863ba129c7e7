"""Every report in a real headless browser: it loads with no console error and no failed request,
every image decodes, and axe-core finds no serious or critical accessibility violation (WCAG 2.2 AA), on a
desktop and at phone width (390 px), where nothing scrolls sideways and every chart's text is at least 9 px tall. Printed to PDF on A4, a district report
takes at most 8 pages and no image is split across two pages."""

from __future__ import annotations

import re

import pytest

from ._browser import (
    CHART_SIZES,
    LEADS,
    MARK_CHART_EDGES,
    MAX_BYTES,
    MAX_PRINTED_PAGES,
    WIDTHS,
    _print,
    pdf_pages_and_split_images,
    require_chromium,
    split_charts,
    stranded_leads,
    unreadable_charts,
)

require_chromium()

from axe_playwright_python.sync_playwright import Axe  # noqa: E402

LABEL_OVERFLOWS = """() => [...document.querySelectorAll('td[data-label]')].filter(td => {
  const cell = td.getBoundingClientRect();
  const label = getComputedStyle(td, '::before');
  if (cell.height === 0 || label.content === 'none' || label.content === 'normal') return false;
  const copy = document.createElement('div');
  copy.textContent = td.dataset.label;
  Object.assign(copy.style, {position: 'absolute', visibility: 'hidden', width: label.width, font: label.font,
    lineHeight: label.lineHeight, overflowWrap: 'break-word'});
  document.body.appendChild(copy);
  const needed = copy.getBoundingClientRect().height;
  copy.remove();
  return needed > cell.height + 1;
}).map(td => td.dataset.label)"""


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_report_in_a_browser(full_run, browser, width):
    pages = sorted(full_run.out_dir.glob("*.html"))
    assert len(pages) == 17  # 13 areas, the county view, two budget views and the index
    axe = Axe()
    problems = []
    w, h = WIDTHS[width]
    for path in pages:
        page = browser.new_page(viewport={"width": w, "height": h})
        console, failed = [], []
        page.on("console", lambda m, c=console: c.append(m.text) if m.type == "error" else None)
        page.on("requestfailed", lambda r, f=failed: f.append(r.url))
        page.on("pageerror", lambda e, c=console: c.append(str(e)))
        page.goto(path.as_uri(), wait_until="load")
        broken = page.evaluate("() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).length")
        missing_alt = page.evaluate("() => [...document.images].filter(i => !i.getAttribute('alt')).length")
        # No sideways scrolling, and every RAG cell lies within the screen's width.
        sideways = page.evaluate("() => document.documentElement.scrollWidth") > w
        hidden_rag = page.evaluate(
            f"() => [...document.querySelectorAll('td.kcc-rag')].filter(td => {{"
            f"const r = td.getBoundingClientRect(); return r.width === 0 || r.left < 0 || r.right > {w}; }}).length"
        )
        # On a phone each cell's label sits beside its value: a label that wraps must make its cell taller, never
        # run into the next cell (measured with a hidden copy of the label at the label's width and font).
        overlapping = page.evaluate(LABEL_OVERFLOWS)
        # A card line that says nothing ("Floor –") is left out on a phone.
        empty_lines = (
            page.evaluate(
                "() => [...document.querySelectorAll('td[data-label=Floor]')].filter(td => td.textContent.trim() === '–'"
                " && td.getClientRects().length).length"
            )
            if w < 600
            else 0
        )
        # Every chart, as the browser scales it, keeps its smallest text at least 9 px tall (the county heat map
        # keeps its own size and scrolls sideways in its own box on a phone).
        unreadable = unreadable_charts(page.evaluate(CHART_SIZES))
        results = axe.run(page).response
        serious = [
            (v["id"], v["impact"], len(v["nodes"])) for v in results["violations"] if v["impact"] in ("serious", "critical")
        ]
        too_big = path.stat().st_size > MAX_BYTES
        if (
            console
            or failed
            or broken
            or missing_alt
            or serious
            or sideways
            or hidden_rag
            or too_big
            or overlapping
            or empty_lines
            or unreadable
        ):
            problems.append(
                (
                    path.name,
                    console[:3],
                    failed[:3],
                    broken,
                    missing_alt,
                    serious,
                    sideways,
                    hidden_rag,
                    too_big,
                    overlapping[:3],
                    empty_lines,
                    unreadable[:3],
                )
            )
        page.close()
    assert not problems, problems


def test_the_split_image_check_finds_a_split_image(browser, full_run):
    """A chart forced taller than a page must be found split, or the print test below could never fail."""
    page = browser.new_page()
    page.goto((full_run.out_dir / "budget-2025-26-cype.html").as_uri())  # the district pages' charts are SVG
    page.evaluate(
        "() => { const i = [...document.images].find(i => i.src.startsWith('data:image/png'));"
        " i.style.height = '1400px'; i.style.maxHeight = 'none'; i.style.width = '300px'; }"
    )
    pages, split = pdf_pages_and_split_images(_print(page))
    page.close()
    assert split >= 1 and pages > 1


def test_the_split_chart_check_finds_a_split_vector_chart(browser, full_run):
    """The same for an SVG chart, which the PDF draws as page content, not as an image: its figure's edge markers
    are printed on two pages."""
    page = browser.new_page()
    page.goto((full_run.out_dir / "dover.html").as_uri())
    page.emulate_media(media="print")
    page.evaluate(
        "() => { const i = [...document.images].find(i => i.src.startsWith('data:image/svg+xml'));"
        " i.style.height = '1400px'; i.style.maxHeight = 'none'; i.style.width = '300px'; }"
    )
    assert page.evaluate(MARK_CHART_EDGES) > 20
    split = split_charts(_print(page))
    page.close()
    assert 0 in split


def test_printed_pages_split_no_chart_strand_no_heading_and_districts_take_at_most_eight_pages(full_run, browser):
    """No chart split across pages (a PNG found by its image, an SVG by markers at its figure's edges), no caption, header row or introduction left at a page's foot, on every page
    (the county view's heat map, taller than a page, is scaled to fit one); a district report takes at most 8 pages."""
    problems = {}
    for path in sorted(full_run.out_dir.glob("*.html")):
        if path.stem == "index":
            continue
        page = browser.new_page()
        page.goto(path.as_uri())
        page.emulate_media(media="print")
        leads = page.evaluate(LEADS)
        charts = page.evaluate(MARK_CHART_EDGES)
        pdf = _print(page)
        page.close()
        pages, split = pdf_pages_and_split_images(pdf)
        split_vector = split_charts(pdf)
        stranded = stranded_leads(pdf, leads)
        district = path.stem not in ("kent", "kent-scorecard") and not path.stem.startswith("budget")
        if split or split_vector or stranded or (district and pages > MAX_PRINTED_PAGES) or not charts:
            problems[path.name] = (pages, split, split_vector, stranded, charts)
    assert not problems, problems


def test_the_stranded_lead_check_finds_a_heading_left_at_a_page_foot(browser, full_run):
    """A heading pushed to a page's foot must be found, or the print test above could never fail."""
    page = browser.new_page()
    page.goto((full_run.out_dir / "dover.html").as_uri())
    page.emulate_media(media="print")
    page.add_style_tag(content=".text_cell,table caption,thead,tr.kcc-service{break-after:auto}")
    # Fill the first page to just above its foot, so that the heading after the filler starts its last lines.
    page.evaluate(
        """() => { const h = [...document.querySelectorAll('h2')].find(h => h.textContent.startsWith('Trends'));
        const cell = h.closest('.text_cell'); const filler = document.createElement('div');
        filler.style.breakBefore = 'page'; filler.style.height = '1010px'; cell.before(filler);
        const after = document.createElement('div'); after.style.breakBefore = 'page'; cell.after(after); }"""
    )
    leads = page.evaluate(LEADS)
    found = stranded_leads(_print(page), leads)
    page.close()
    assert any("Each indicator over the periods" in text or "Trends" in text for _, text in found), found


def test_printed_tables_repeat_their_headers_and_links_show_their_address(full_run, browser):
    page = browser.new_page()
    page.goto((full_run.out_dir / "dover.html").as_uri())
    page.emulate_media(media="print")
    heads = page.evaluate("() => [...document.querySelectorAll('table.kcc-table thead')].map(t => getComputedStyle(t).display)")
    rows = page.evaluate("() => [...document.querySelectorAll('table.kcc-table tr')].map(t => getComputedStyle(t).breakInside)")
    link = page.evaluate(
        "() => { const a = document.createElement('a'); a.href = 'https://www.kent.gov.uk/x'; a.textContent = 'x';"
        " document.body.appendChild(a); return getComputedStyle(a, '::after').content; }"
    )
    page.close()
    assert heads and set(heads) == {"table-header-group"}
    assert rows and set(rows) == {"avoid"}
    assert "https://www.kent.gov.uk/x" in link


def test_printed_rag_cells_hold_their_check_words(full_run, browser):
    """At the printed page's width (A4 less margins, about 718 px) no RAG cell's words run past its edge."""
    page = browser.new_page(viewport={"width": 718, "height": 1000})
    page.goto((full_run.out_dir / "dover.html").as_uri())
    page.emulate_media(media="print")
    cells = page.evaluate("() => [...document.querySelectorAll('td.kcc-rag')].map(td => [td.scrollWidth, td.clientWidth])")
    page.close()
    assert cells and all(scroll <= client for scroll, client in cells)


def test_the_printed_district_page_keeps_its_data_quality_table_and_says_where_the_definitions_are(full_run, browser):
    # The table names indicators and counts, nothing for analysts only; the glossary's folded entries stay on screen.
    page = browser.new_page(viewport={"width": 718, "height": 1000})
    page.goto((full_run.out_dir / "dover.html").as_uri())
    page.emulate_media(media="print")
    quality = page.evaluate("() => [...document.querySelectorAll('.kcc-quality table')].map(t => t.offsetHeight)")
    glossary = page.evaluate("() => getComputedStyle(document.querySelector('.kcc-glossary'), '::before').content")
    entries = page.evaluate("() => [...document.querySelectorAll('.kcc-glossary details')].map(d => d.offsetHeight)")
    page.close()
    assert quality and all(h > 0 for h in quality)
    assert "listed in the page on screen" in glossary and entries and not any(entries)


def test_rag_is_never_conveyed_by_colour_alone(full_run, browser):
    page = browser.new_page()
    page.goto((full_run.out_dir / "dover.html").as_uri())
    cells = page.evaluate("() => [...document.querySelectorAll('td.kcc-rag')].map(td => td.textContent.trim())")
    page.close()
    checks = "confirmed|floor not published|no target published|no target range published|figures disagree"
    words = re.compile(rf"(RED|AMBER|GREEN)( ({checks}))?|Not rated|Withheld|No figure")
    assert cells and all(words.fullmatch(text) for text in cells), cells
    # The printed ratings carry their check. Dover's October 2024 page has each kind: its KS4 FSM gap, printed GREEN
    # under 2023-24, covers 2022-23 and misses that year's target; its KS5 figures have no target for their year.
    for check in ("confirmed", "floor not published", "no target published", "figures disagree"):
        assert any(text.endswith(check) for text in cells), check


def test_a_chart_panel_shows_its_title_once(full_run, browser):
    """The title drawn in a trend or funnel panel's image is not repeated beside it; screen readers still get it."""
    page = browser.new_page()
    page.goto((full_run.out_dir / "dover.html").as_uri())
    sizes = page.evaluate(
        "() => [...document.querySelectorAll('.kcc-panel .kcc-caption-title')].map(s => {"
        "const r = s.getBoundingClientRect(); return [r.width, r.height, s.textContent.length]; })"
    )
    page.close()
    assert len(sizes) >= 20 and all(w <= 1 and h <= 1 and n > 10 for w, h, n in sizes), sizes[:3]


def test_the_heat_map_says_it_scrolls_on_a_phone_only(full_run, browser):
    seen = {}
    for width in ("phone", "desktop"):
        w, h = WIDTHS[width]
        page = browser.new_page(viewport={"width": w, "height": h})
        page.goto((full_run.out_dir / "kent-scorecard.html").as_uri())
        seen[width] = page.evaluate(
            "() => { const p = document.querySelector('.kcc-scroll-hint'); const b = document.querySelector('.kcc-scroll');"
            " return [p.getClientRects().length > 0, b.scrollWidth > b.clientWidth]; }"
        )
        page.close()
    # On a phone the box scrolls and says so; on a desktop the whole chart fits and the hint is not shown.
    assert seen == {"phone": [True, True], "desktop": [False, False]}
