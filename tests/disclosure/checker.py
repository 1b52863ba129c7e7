"""An independent disclosure checker: reads circulated outputs as a reader would and rebuilds counts from them.

Written apart from :mod:`kccperf.publish.suppress` (it imports nothing from kccperf): it looks only at what a
folder of outputs prints, in the HTML pages (tables, alt text, aria labels, SVG titles, ``<details>`` data and
the visible text) and in every CSV and XLSX download, and rebuilds a count from every pair it can find:

- a count printed as such (a ``count`` unit, or a whole number in a table's value column);
- a numerator, a denominator, and the denominator minus the numerator;
- a percentage with its denominator (also the earlier value printed beside it, and each period of a trend,
  read with the denominator printed for the same indicator);
- fractions written in text, ``12 / 14``;
- figures that sentences give for an indicator ("... was 62.5% in Oct-24"), read like a trend's labels;
- the county total minus the districts (or teams) shown for the same indicator and period.

It cannot read an image's pixels: an image passes only inside a ``<figure>`` that also prints its figures as a
table (a chart's "The figures"), which the checker then reads like any other table.

Any count from 1 to the threshold is a leak. Zero is not: it identifies no one.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd

THRESHOLD = 5
COUNTY = "Kent"
# A percentage printed to one decimal fits k of n when 100 k / n is within half its last digit.
TOLERANCE = 0.05 + 1e-9

# Which column of a table holds what, by its header (CSV headers are the data's names, HTML and workbook headers
# are words). A role's patterns are tried in turn and a column plays one role: a workbook with "Indicator id" and
# "Indicator" keys its rows by the id and titles them by "Indicator"; a page's "Indicator" is the key.
ROLES = {
    "area": (r"^(area|district)$",),
    "block": (r"^(block|team)$",),
    "indicator": (r"^indicator id$", r"^indicator$"),
    "title": (r"^(title|indicator title)$", r"^indicator$"),
    "period": (r"^(period|period label|month|year)$",),
    "unit": (r"^unit$",),
    "value": (r"^(value|latest value|%|percentage)$",),
    "numerator": (r"^(numerator|number)$",),
    "denominator": (r"^(denominator|out of|cases|number of cases)$",),
    "previous": (r"^(dot_compared_value|previous value|previous year|previous)$",),
}
PERCENT_UNITS = {"percent", "rate"}
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_FRACTION = re.compile(rf"(?<![\d.])({_NUMBER})\s*/\s*({_NUMBER})(?![\d.]|\s*%)")
_TREND = re.compile(
    rf"Trend of (?P<title>.+?): (?P<first>-?{_NUMBER})(?P<p1>%?) in [^:]+? to (?P<last>-?{_NUMBER})(?P<p2>%?) in "
)


@dataclass(frozen=True)
class Leak:
    """One count from 1 to the threshold that a reader can rebuild from an output."""

    file: str
    where: str
    kind: str
    count: float

    def __str__(self) -> str:
        if self.count != self.count:  # NaN: nothing was rebuilt, the output could not be read
            return f"{self.file}: {self.where}: {self.kind}"
        return f"{self.file}: {self.where}: {self.kind} reveals {self.count:g}"


# The checker cannot read the pixels of an image: a chart passes only when its figures are printed as text beside it.
UNREAD_IMAGE = "an image whose figures are not given as text, so it cannot be checked"


def _small(values, threshold: int) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    return np.isfinite(v) & (v >= 1) & (v <= threshold)


def number(text) -> float:
    """A printed figure as a number: ``1,674`` 1674, ``75.0%`` 75.0, ``368.6 days`` 368.6; NaN for ``c``, ``–``, text."""
    if isinstance(text, (int, float, np.integer, np.floating)) and not isinstance(text, bool):
        return float(text)
    t = str(text).strip().lstrip("'").replace(",", "")
    m = re.fullmatch(rf"(-?{_NUMBER.replace(',', '')})\s*(%|days|pp)?", t)
    return float(m.group(1)) if m else np.nan


def implied(percent, denominator, threshold: int) -> np.ndarray:
    """The count (or complement) a percentage reveals with its denominator where it is small, else NaN."""
    p, n = np.asarray(percent, dtype=float), np.asarray(denominator, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        k = np.round(p * n / 100)
        fits = (n > 0) & (np.abs(100 * k / n - p) <= TOLERANCE)
    return np.where(fits & _small(k, threshold), k, np.where(fits & _small(n - k, threshold), n - k, np.nan))


def roles(columns) -> dict[str, str]:
    """The column playing each role, found by its header: the first column that the role's first matching pattern
    fits, among the columns no earlier role took."""
    found: dict[str, str] = {}
    for role, patterns in ROLES.items():
        free = [c for c in columns if c not in found.values()]
        for pattern in patterns:
            fits = [c for c in free if re.match(pattern, str(c).strip().lstrip("'"), flags=re.IGNORECASE)]
            if fits:
                found[role] = fits[0]
                break
    return found


def _column(table: pd.DataFrame, column: str | None) -> np.ndarray:
    if column is None:
        return np.full(len(table), np.nan)
    return np.array([number(v) for v in table[column]], dtype=float)


def _text(table: pd.DataFrame, column: str | None) -> pd.Series:
    if column is None:
        return pd.Series("", index=table.index)
    return table[column].fillna("").astype(str).str.strip().str.lstrip("'")


def _labels(table: pd.DataFrame, r: dict[str, str]) -> pd.Series:
    """Where each row is, for the report: its area, team, indicator and period as printed."""
    parts = [_text(table, r.get(k)) for k in ("area", "block", "indicator", "title", "period") if k in r]
    label = pd.Series("row " + pd.Series(range(1, len(table) + 1), index=table.index).astype(str), index=table.index)
    for p in parts:
        label = label + np.where(p != "", " " + p.str.slice(0, 60), "")
    return label


def _found(file: str, labels: pd.Series, kind: str, counts) -> list[Leak]:
    counts = np.asarray(counts, dtype=float)
    return [Leak(file, labels.iloc[i], kind, counts[i]) for i in np.flatnonzero(np.isfinite(counts))]


def table_leaks(
    table: pd.DataFrame, file: str, *, threshold: int = THRESHOLD, county: str = COUNTY, counts_as_printed: bool = False
) -> list[Leak]:
    """Every small count one table lets a reader rebuild, row by row and county minus districts.

    ``counts_as_printed``: with no unit column, a whole number printed in the value column is a count (how the
    HTML tables print counts: no decimals, no % sign).
    """
    table = table.reset_index(drop=True)
    r = roles(table.columns)
    labels = _labels(table, r)
    value, num, den = _column(table, r.get("value")), _column(table, r.get("numerator")), _column(table, r.get("denominator"))
    shown = _text(table, r.get("value"))
    if "unit" in r:
        unit = _text(table, r["unit"]).str.lower()
        is_percent, is_count = unit.isin(PERCENT_UNITS).to_numpy(), (unit == "count").to_numpy()
    else:
        is_percent = shown.str.endswith("%").to_numpy()
        is_count = shown.str.fullmatch(r"\d[\d,]*").to_numpy() & counts_as_printed
    series_den = den
    keys = [r[k] for k in ("area", "block", "indicator") if k in r]
    if "period" in r and keys:
        series_den = pd.Series(den).groupby([table[k].fillna("") for k in keys]).transform("max").to_numpy(float)
    prev = _column(table, r.get("previous"))

    def pick(mask, counts):
        return np.where(mask & _small(counts, threshold), counts, np.nan)

    leaks = _found(file, labels, "a count", pick(is_count, value))
    leaks += _found(file, labels, "a numerator", pick(True, num))
    leaks += _found(file, labels, "a denominator", pick(True, den))
    leaks += _found(file, labels, "denominator minus numerator", pick(True, den - num))
    leaks += _found(
        file, labels, "a percentage with its denominator", np.where(is_percent, implied(value, series_den, threshold), np.nan)
    )
    leaks += _found(
        file, labels, "an earlier percentage with the denominator", np.where(is_percent, implied(prev, den, threshold), np.nan)
    )
    leaks += _found(file, labels, "an earlier count", pick(is_count, prev))
    return leaks + county_leaks(table, r, file, num, den, np.where(is_count, value, np.nan), threshold=threshold, county=county)


def county_leaks(table, r, file, num, den, cnt, *, threshold: int = THRESHOLD, county: str = COUNTY) -> list[Leak]:
    """The county's numerator, denominator, complement and count minus those of the districts shown beside it."""
    if "area" not in r or "indicator" not in r:
        return []
    area, block = _text(table, r["area"]), _text(table, r.get("block"))
    f = pd.DataFrame(
        {
            "indicator": _text(table, r["indicator"]),
            "period": _text(table, r.get("period")),
            "member": np.where(block != "", block, area),
            "num": num,
            "den": den,
            "cnt": cnt,
        }
    )
    is_county = (area == county) & (block == "")
    figures = ["num", "den", "cnt"]
    totals = f[is_county].drop_duplicates(["indicator", "period"]).set_index(["indicator", "period"])[figures]
    members = f[~is_county & f[figures].notna().any(axis=1)].drop_duplicates(["indicator", "period", "member"])
    if totals.empty or members.empty:
        return []
    rest = totals - members.groupby(["indicator", "period"])[figures].sum().reindex(totals.index).fillna(0)
    rest = rest[totals.index.isin(members.set_index(["indicator", "period"]).index)]
    labels = pd.Series([f"{county} minus the districts shown, {i} {p}".rstrip() for i, p in rest.index])
    out = []
    for kind, counts in (
        ("county minus districts: numerator", rest["num"]),
        ("county minus districts: denominator", rest["den"]),
        ("county minus districts: complement", rest["den"] - rest["num"]),
        ("county minus districts: count", rest["cnt"]),
    ):
        out += _found(file, labels, kind, np.where(_small(counts, threshold), counts, np.nan))
    return out


class _Page(HTMLParser):
    """The parts of a page a reader sees or hears: tables (header and rows), text, and alt, aria-label and title text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[str, list[tuple[bool, list[str]]]]] = []
        self.texts: list[str] = []
        self.labels: list[str] = []
        self._open: list[tuple[list[str], list[tuple[bool, list[str]]]]] = []
        self._caption: list[str] | None = None
        self._row: list[str] | None = None
        self._head = False
        self._cell: list[str] | None = None
        self._skip = 0
        # Per open <figure>: its images' alt texts and how many tables it holds; images with no table go to `unread`.
        self._figures: list[tuple[list[str], list[int]]] = []
        self.unread: list[str] = []
        # Sentences: the text of each paragraph or list item outside tables and drawings, one entry per element.
        self.prose: list[str] = []
        self._sentence: list[str] | None = None
        self._apart = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in ("alt", "aria-label", "title"):
            if a.get(name):
                self.labels.append(html.unescape(a[name]))
        if tag in ("table", "svg"):
            self._apart += 1
        if tag in ("p", "li") and not self._apart:
            self._end_sentence()
            self._sentence = []
        if tag in ("style", "script"):
            self._skip += 1
        elif tag == "figure":
            self._figures.append(([], [0]))
        elif tag == "img":
            if self._figures:
                self._figures[-1][0].append(a.get("alt") or "")
            else:
                self.unread.append(a.get("alt") or "")
        elif tag == "table":
            if self._figures:
                self._figures[-1][1][0] += 1
            self._open.append(([], []))
        elif tag == "caption" and self._open:
            self._caption = self._open[-1][0]
        elif tag == "thead":
            self._head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def _end_sentence(self) -> None:
        if self._sentence is not None:
            self.prose.append(" ".join("".join(self._sentence).split()))
            self._sentence = None

    def handle_endtag(self, tag):
        if tag in ("table", "svg"):
            self._apart = max(self._apart - 1, 0)
        if tag in ("p", "li", "ul", "ol", "body"):
            self._end_sentence()
        if tag in ("style", "script"):
            self._skip = max(self._skip - 1, 0)
        elif tag == "figure" and self._figures:
            images, (tables,) = self._figures.pop()
            if not tables:
                self.unread += images
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._open:
            self._open[-1][1].append((self._head, self._row))
            self._row = None
        elif tag == "thead":
            self._head = False
        elif tag == "caption":
            self._caption = None
        elif tag == "table" and self._open:
            caption, rows = self._open.pop()
            self.tables.append((" ".join("".join(caption).split()), rows))

    def handle_data(self, data):
        if self._skip:
            return
        self.texts.append(data)
        if self._sentence is not None and not self._apart:
            self._sentence.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._caption is not None:
            self._caption.append(data)


def _frame(rows: list[tuple[bool, list[str]]]) -> pd.DataFrame:
    """A parsed HTML table as a frame: the header row, then the rows as long as it (group headings are left out)."""
    heads = [cells for head, cells in rows if head] or [rows[0][1]] if rows else []
    if not heads:
        return pd.DataFrame()
    header = heads[-1]
    body = [cells for head, cells in rows if not head and cells != header and len(cells) == len(header)]
    return pd.DataFrame(body, columns=pd.Index(header).astype(str))


def html_leaks(path: Path, *, threshold: int = THRESHOLD, county: str = COUNTY, denominators: dict | None = None) -> list[Leak]:
    """Leaks in one page: its tables, the fractions in its text and labels, and its trend labels with their denominators.

    ``denominators`` maps an indicator title to its units and the denominators printed for it (from the page's
    download), so that a trend's percentages can be read with them and its counts known as counts.
    """
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    leaks = []
    for caption, rows in page.tables:
        frame = _frame(rows)
        if not frame.empty:
            leaks += table_leaks(frame, path.name, threshold=threshold, county=county, counts_as_printed=True)
            leaks += _titled_table_leaks(frame, caption, path.name, denominators or {}, threshold)
    for text in [" ".join("".join(page.texts).split()), *page.labels]:
        for m in _FRACTION.finditer(text):
            k, n = number(m.group(1)), number(m.group(2))
            for kind, c in (("a numerator", k), ("a denominator", n), ("denominator minus numerator", n - k)):
                if _small([c], threshold)[0]:
                    leaks.append(Leak(path.name, f"text {m.group(0)!r}", kind, c))
    for label in page.labels:
        leaks += _trend_label_leaks(label, path.name, denominators or {}, threshold)
    page.close()
    for sentence in page.prose:
        leaks += _prose_leaks(sentence, path.name, denominators or {}, threshold)
    leaks += [Leak(path.name, f"image {alt[:60]!r}", UNREAD_IMAGE, float("nan")) for alt in page.unread]
    return leaks


def _titled_table_leaks(frame: pd.DataFrame, caption: str, file: str, facts: dict, threshold: int) -> list[Leak]:
    """A chart's data table captioned with an indicator's title: its values read with that title's denominators."""
    r = roles(frame.columns)
    title = caption.rsplit(": ", 1)[0]
    if "value" not in r or "denominator" in r or title not in facts:
        return []
    dens = facts[title][1]  # its counts are whole numbers in a value column: table_leaks finds those
    value = _column(frame, r["value"])
    labels = _labels(frame, r).radd(f"{caption[:60]} ")
    is_percent = _text(frame, r["value"]).str.endswith("%").to_numpy()
    leaks = []
    for n in dens:
        leaks += _found(
            file,
            labels,
            f"a percentage with the denominator {n:g}",
            np.where(is_percent, implied(value, np.full(len(value), n), threshold), np.nan),
        )
    return leaks


def _trend_label_leaks(label: str, file: str, facts: dict, threshold: int) -> list[Leak]:
    """A trend's first and last figures: a percentage read with the denominators printed for its title, or a count."""
    m = _TREND.search(label)
    if not m:
        return []
    units, dens = facts.get(m.group("title"), (set(), []))
    leaks = []
    for v, pct in ((number(m.group("first")), m.group("p1")), (number(m.group("last")), m.group("p2"))):
        if not pct and "count" in units and _small([v], threshold)[0]:
            leaks.append(Leak(file, f"trend label {label[:80]!r}", "a count", v))
        for n in dens if pct else []:
            c = implied([v], [n], threshold)[0]
            if np.isfinite(c):
                leaks.append(
                    Leak(file, f"trend label {label[:80]!r} with denominator {n:g}", "a percentage with its denominator", c)
                )
    return leaks


# A figure attributed in prose: "was 62.5% in Oct-24", "from 8 in Sep-24 to 10 in Oct-24", "(5.2% against 4.8%".
_PROSE_FIGURE = re.compile(rf"(?<![\w.-])(-?{_NUMBER})(%?) (?:in|against) ")


def _prose_leaks(text: str, file: str, facts: dict, threshold: int) -> list[Leak]:
    """Figures a paragraph or list item attributes to an indicator, read like its trend labels: counts, and percentages
    with the denominators printed for its title. A figure belongs to the title it follows, up to the next ";" or
    sentence. Tables and drawings are read as tables and labels, not as prose."""
    leaks = []
    for title in sorted(facts, key=len, reverse=True):
        units, dens = facts[title]
        start = text.find(title)
        while start >= 0:
            after = text[start + len(title) :]
            clause = re.split(r";|\. (?=[A-Z])", after, maxsplit=1)[0]
            for m in _PROSE_FIGURE.finditer(clause):
                v, pct = number(m.group(1)), m.group(2)
                where = f"text {title[:50]!r} … {m.group(0).strip()!r}"
                if not pct and "count" in units and _small([v], threshold)[0]:
                    leaks.append(Leak(file, where, "a count", v))
                for n in dens if pct else []:
                    c = implied([v], [n], threshold)[0]
                    if np.isfinite(c):
                        leaks.append(Leak(file, f"{where} with denominator {n:g}", "a percentage with its denominator", c))
            start = text.find(title, start + len(title))
    return leaks


def read_download(path: Path) -> pd.DataFrame:
    """A CSV or XLSX download as printed: every sheet of a workbook, one after another."""
    if path.suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    sheets = pd.read_excel(path, sheet_name=None, dtype=str)
    return pd.concat(list(sheets.values()), ignore_index=True) if sheets else pd.DataFrame()


def _title_facts(frame: pd.DataFrame) -> dict[str, tuple[set[str], list[float]]]:
    """Per indicator title in a download: its units and the denominators printed for it."""
    r = roles(frame.columns)
    if "title" not in r:
        return {}
    d = pd.DataFrame(
        {"t": _text(frame, r["title"]), "u": _text(frame, r.get("unit")).str.lower(), "n": _column(frame, r.get("denominator"))}
    )
    return {t: (set(g["u"]), sorted(set(g["n"].dropna()))) for t, g in d.groupby("t")}


def check_folder(folder: Path, *, threshold: int = THRESHOLD, county: str = COUNTY) -> list[Leak]:
    """Every leak in a folder of circulated outputs: each HTML page and each CSV and XLSX download."""
    folder = Path(folder)
    leaks: list[Leak] = []
    downloads = {p: read_download(p) for p in sorted(folder.glob("*.csv")) + sorted(folder.glob("*.xlsx"))}
    for path, frame in downloads.items():
        leaks += table_leaks(frame, path.name, threshold=threshold, county=county)
    for page in sorted(folder.glob("*.html")):
        csv = folder / f"{page.stem}.csv"
        denominators = _title_facts(downloads[csv]) if csv in downloads else {}
        leaks += html_leaks(page, threshold=threshold, county=county, denominators=denominators)
    return leaks
