"""The headless browser the page tests share: chromium (CI installs it), the widths, and PDF measures."""

from __future__ import annotations

import io
import os
import re
import shutil
from collections import Counter

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> str:
    """Chromium's path; without it, skip the calling test module (CI always has it: .ci/run installs it)."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            raise RuntimeError("chromium is not installed; .ci/run installs it with apt-get (package 'chromium').")
        pytest.skip("chromium is not installed (apt-get install chromium); CI always runs these checks", allow_module_level=True)
    return CHROMIUM


WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
MAX_BYTES = 1_500_000
MAX_PRINTED_PAGES = 8


def pdf_pages_and_split_images(pdf: bytes) -> tuple[int, int]:
    """The number of pages of a PDF chromium printed, and how many images it draws on more than one page.

    Chromium writes each page's resources in the clear; an image split across a page boundary is drawn,
    clipped, on both pages, so the same image object is named by two pages' XObject resources.
    """
    objects = {int(m[1]): m[2] for m in re.finditer(rb"(\d+) 0 obj\s*(<<.*?)(?:stream|endobj)", pdf, re.S)}
    pages = [body for body in objects.values() if re.search(rb"/Type /Page\b(?!s)", body)]
    images = {n for n, body in objects.items() if b"/Subtype /Image" in body}
    uses = Counter()
    for body in pages:
        found = re.search(rb"/XObject\s*<<(.*?)>>", body, re.S)
        uses.update({int(n) for n in re.findall(rb"(\d+) 0 R", found[1])} & images if found else set())
    return len(pages), sum(1 for n in uses.values() if n > 1)


def _print(page) -> bytes:
    return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)


# What leads into content, as a reader sees it: table captions and header rows, group rows, section headings and
# their introductions, as printed. None may be the last thing printed on a page, with what it introduces on the next.
LEADS = """() => [...document.querySelectorAll('caption, thead, tr.kcc-service, h2, h3, .text_cell')]
  .filter(e => e.getClientRects().length).map(e => e.innerText.replace(/\\s+/g, ' ').trim()).filter(t => t)"""


def stranded_leads(pdf: bytes, leads: list[str]) -> list[tuple[int, str]]:
    """The pages (numbered from 1) whose last printed line belongs to a lead-in, with that line.

    The last line, and the last two joined, are looked for in each lead's text (at least 15 characters, so that a
    lone word such as a badge's "RED" does not count); the final page has nothing after it and is not checked.
    """
    from pypdf import PdfReader

    found = []
    pages = PdfReader(io.BytesIO(pdf)).pages
    for number, page in enumerate(pages[:-1], start=1):
        lines = [" ".join(line.split()) for line in page.extract_text().splitlines() if line.strip()]
        for tail in (lines[-1:], lines[-2:]):
            text = " ".join(tail)
            if len(text) >= 15 and any(text in lead for lead in leads):
                found.append((number, text))
                break
    return found


MIN_TEXT_PX = 9.0
# Each chart image: its natural width (PNG pixels), its width on the screen and the size of its smallest text in
# PNG pixels, which the figure records when it is drawn (data-min-font-px; null when the image does not say).
CHART_SIZES = """() => [...document.querySelectorAll('figure img')].map(img => ({
  alt: (img.getAttribute('alt') || '').slice(0, 60),
  natural: img.naturalWidth,
  shown: img.getBoundingClientRect().width,
  font: img.dataset.minFontPx === undefined ? null : parseFloat(img.dataset.minFontPx),
}))"""


def unreadable_charts(charts: list[dict]) -> list[str]:
    """Each chart whose smallest text, scaled as the browser shows the image, is under 9 px (or is not recorded)."""
    out = []
    for c in charts:
        if c["font"] is None or not c["natural"]:
            out.append(f"{c['alt']}: no smallest text size recorded")
            continue
        shown_px = c["font"] * c["shown"] / c["natural"]
        if shown_px < MIN_TEXT_PX:
            out.append(f"{c['alt']}: smallest text {shown_px:.1f} px ({c['shown']:.0f} of {c['natural']} px wide)")
    return out
