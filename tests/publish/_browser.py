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
    # The 1-pixel edge markers of split_charts are left out: a page's resources can name one it does not draw.
    images = {n for n, body in objects.items() if b"/Subtype /Image" in body and not re.search(rb"/Width 1\b", body)}
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


# Vector (SVG) charts are drawn into the PDF's page content, not kept as image objects, so a split one is not found
# by its image. Each chart's figure gets two 1-pixel PNG markers, absolutely placed (nothing else moves) 2 pixels
# inside its top and bottom edges (so that neither lies on a page's edge), coloured with the figure's number and
# which edge: a figure is split when its markers are drawn on more than one page.
MARK_CHART_EDGES = """() => {
  const dot = (r, g, b) => { const c = document.createElement('canvas'); c.width = c.height = 1;
    const x = c.getContext('2d'); x.fillStyle = `rgb(${r},${g},${b})`; x.fillRect(0, 0, 1, 1); return c.toDataURL(); };
  const figures = [...new Set([...document.querySelectorAll('figure img')].map(img => img.closest('figure')))];
  figures.forEach((figure, n) => {
    figure.style.position = 'relative';
    for (const [edge, side] of [[0, 'top'], [255, 'bottom']]) {
      const m = document.createElement('img');
      m.src = dot(n >> 8, n & 255, edge); m.alt = '';
      Object.assign(m.style, {position: 'absolute', left: '2px', [side]: '2px', width: '1px', height: '1px', border: '0'});
      figure.appendChild(m);
    }
  });
  return figures.length;
}"""


def split_charts(pdf: bytes) -> list[int]:
    """The numbers of the chart figures (in page order) whose top and bottom edge markers (:data:`MARK_CHART_EDGES`)
    are drawn on more than one page, or of which only one edge is drawn."""
    from pypdf import PdfReader

    seen: dict[int, set[int]] = {}
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        contents = page.get_contents()
        drawn = contents.get_data() if contents is not None else b""
        for image in page.images:
            pixels = image.image.convert("RGB")
            # A page's resources may name an image it does not draw: only those the page's content draws count.
            name = image.name.rsplit(".", 1)[0]
            if pixels.size != (1, 1) or f"/{name} Do".encode() not in drawn:
                continue
            r, g, b = pixels.getpixel((0, 0))
            if b in (0, 255):
                seen.setdefault(r * 256 + g, set()).add((b, number))
    # Split: the edges are drawn on more than one page (a split box is painted, clipped, on each of its pages), or one
    # edge is not drawn at all.
    return sorted(n for n, drawn in seen.items() if len({page for _, page in drawn}) > 1 or len({e for e, _ in drawn}) < 2)
