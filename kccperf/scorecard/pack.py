"""Reading a committee agenda pack in text form: where the scorecard is, its area pages, tables and metadata pages.

The pack is the text version of the published PDF: markdown-ish headings, one tab-separated line per
table row, ``Page N`` lines where a page ended, notes in bold. The scorecard may be printed more than once
(October 2024 prints the Kent section twice); a *printing* starts at the scorecard's title line.
Layout facts (page headings per area, table headings per table) come from ``data/reference/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from ..errors import InputError
from ..schemas import Area, CaveatRaw, DefinitionRaw, Headline, ScorecardEdition, SourceRaw, Table
from .metadata import CAVEATS, DEFINITIONS, SOURCES

TITLE = "Children, Young People and Education Directorate Scorecard"
SOURCES_HEADING = "Data Sources for Current Report"
DEFINITIONS_HEADING = "Indicator Definitions"
_PAGE_NUMBER = re.compile(r"^Page \d+$")
# Named groups of the patterns in data/reference/headline.csv.
_VALUE, _NATIONAL = "value", "national"
_NOTE = re.compile(r"^\*\*(?:Notes?:?\*\*|Note\*\*|\\\*\\\*Please note)")


class PackError(InputError):
    """An agenda pack (or workbook) cannot be split into a scorecard edition."""


def plain(line: str) -> str:
    """A line without markdown heading marks, bold or HTML tags, and without surrounding blanks.

    Examples
    --------
    >>> plain("## Indicator Definitions")
    'Indicator Definitions'
    >>> plain("<b>SEND Indicators</b>\\t\\t")
    'SEND Indicators'
    """
    text = re.sub(r"</?[a-z]+>", "", line.strip())
    return text.lstrip("#").strip().strip("*").replace("\\*", "").strip()


def is_blank(line: str) -> bool:
    return not line.strip() or bool(_PAGE_NUMBER.match(line.strip()))


@dataclass
class TableBlock:
    """One printed table: its heading line and the lines it spans (1-based, inclusive)."""

    area: str
    slug: str
    heading: str
    first: int
    last: int
    table: str = ""
    file: str = ""


@dataclass
class Printing:
    """One printing of the scorecard: its lines, area pages and metadata pages."""

    first: int
    last: int
    tables: list[TableBlock] = field(default_factory=list)
    sources: tuple[int, int] | None = None
    definitions: tuple[int, int] | None = None


def _metadata_rows(lines: list[str], first: int, last: int, heading: str, names: list[str]) -> pd.DataFrame:
    """Rows of one kind of metadata page (every page with ``heading``) between lines ``first`` and ``last``."""
    rows, inside, section = [], False, ""
    for no in range(first, last + 1):
        line = lines[no - 1]
        text = plain(line)
        if text in (SOURCES_HEADING, DEFINITIONS_HEADING):
            inside = text == heading
        elif not inside or is_blank(line) or line.startswith("Code\t"):
            continue
        elif "\t" not in line:
            inside = False
        elif line.lstrip().startswith("<b>"):
            section = text
        else:
            cells = line.rstrip("\n").split("\t")
            cells = [*cells[: len(names) - 1], "\t".join(cells[len(names) - 1 :])]
            cells += [""] * (len(names) - len(cells))
            rows.append([no, section, *(c.strip() for c in cells)])
    cols = [SourceRaw.line, SourceRaw.section, *names]
    return pd.DataFrame(rows, columns=cols)


def metadata_pages(lines: list[str], first: int, last: int) -> dict[str, pd.DataFrame]:
    """The data-source and definition pages and the printed caveats between two lines of the pack.

    Returns a dict with ``sources``, ``definitions`` and ``caveats`` frames in the layout of the edition's
    ``sources.tsv``, ``definitions.tsv`` and ``caveats.tsv``; ``line`` is the pack line of each row.
    """
    sources = _metadata_rows(
        lines,
        first,
        last,
        SOURCES_HEADING,
        [SourceRaw.code, SourceRaw.title, SourceRaw.source, SourceRaw.latest_data, SourceRaw.release_date],
    )
    definitions = _metadata_rows(
        lines, first, last, DEFINITIONS_HEADING, [DefinitionRaw.code, DefinitionRaw.title, DefinitionRaw.definition]
    )
    return {SOURCES: sources, DEFINITIONS: definitions, CAVEATS: caveat_lines(lines, first, last)}


def caveat_lines(lines: list[str], first: int, last: int) -> pd.DataFrame:
    """The printed notes between two lines: the guidance notes one sentence a row, other notes whole; each once."""
    rows: list[tuple[int, str]] = []
    for no in range(first, last + 1):
        line = lines[no - 1].strip()
        if not _NOTE.match(line):
            continue
        text = re.sub(r"</?[a-z]+>|\\?\*", "", line).strip()
        text = re.sub(r"^Notes?\s*[:-]?\s*", "", text).strip()
        parts = re.split(r"(?<=[.)])\s+(?=[A-Z])", text) if line.startswith("**Notes:**") else [text]
        rows += [(no, p.strip()) for p in parts if p.strip()]
    frame = pd.DataFrame(rows, columns=[CaveatRaw.line, CaveatRaw.text])
    return frame.drop_duplicates(CaveatRaw.text).reset_index(drop=True)


def printings(lines: list[str], name: str) -> list[Printing]:
    """The printings of the scorecard in the pack: each runs from the scorecard's title line to the next one.

    Raises PackError naming the pack when it holds no scorecard.
    """
    titles = [i + 1 for i, line in enumerate(lines) if line.startswith("#") and plain(line) == TITLE]
    if not titles:
        raise PackError(f"{name}: holds no scorecard; expected a heading line '# {TITLE}' followed by the scorecard's tables.")
    lasts = [t - 1 for t in titles[1:]] + [len(lines)]
    return [Printing(first=f, last=la) for f, la in zip(titles, lasts)]


def _area_of(text: str, areas: pd.DataFrame, where: str) -> tuple[str, str]:
    """(area name, slug) of a page heading; PackError naming the line for an unknown one."""
    for name, slug, heading in areas[[Area.area, Area.slug, Area.page_heading]].itertuples(index=False):
        if text == heading or text.startswith(heading + " - "):
            return name, slug
    raise PackError(
        f"{where}: unknown area heading '{text}'; expected one of the page headings in data/reference/areas.csv "
        f"(e.g. '{areas[Area.page_heading].iloc[1]}')."
    )


def _table_heading(line: str, area: str) -> str | None:
    """The printed heading of a table's first line (the `` - <area>`` suffix removed), or None for other lines."""
    cells = line.split("\t")
    if len(cells) < 3 or "Polarity" not in cells[1:4]:
        return None
    heading = cells[0].strip()
    return heading.removesuffix(f" - {area}")


def _table_end(lines: list[str], start: int, name: str) -> int:
    """The last line of the table whose heading is on line ``start``: the line before the first blank one."""
    no = start
    while no < len(lines) and not is_blank(lines[no]):
        no += 1
    if no >= len(lines):
        raise PackError(
            f"{name} line {no}: the pack ends inside the table that starts on line {start} ('{lines[start - 1].split(chr(9))[0]}'); "
            "expected the table to end with a blank line before the end of the file (is the pack cut short?)."
        )
    return no


def _stray_row(name: str, no: int, previous: TableBlock | None) -> PackError:
    after = f"the table that starts on line {previous.first} ended on line {previous.last}" if previous else "no table is open"
    return PackError(
        f"{name} line {no}: a table row outside any table ({after}, cut by a page break in an unexpected place?); "
        "expected a table to continue without a break or a new table heading with its 'Polarity' header."
    )


def scan(lines: list[str], pr: Printing, areas: pd.DataFrame, name: str) -> Printing:
    """Find the area pages, tables and metadata pages of one printing (tables before any page heading are the county's)."""
    county = areas[areas[Area.kind] == "county"].iloc[0]
    area, slug = county[Area.area], county[Area.slug]
    no, meta = pr.first, []
    while no <= pr.last:
        line, text = lines[no - 1], plain(lines[no - 1])
        if text.startswith("Directorate Scorecard - "):
            area, slug = _area_of(text, areas, f"{name} line {no}")
        elif text in (SOURCES_HEADING, DEFINITIONS_HEADING) or (meta and "\t" in line):
            meta.append((text, no))
        elif meta and not is_blank(line):
            pr.last = meta[-1][1]  # the scorecard ends with its metadata pages
            break
        elif _table_heading(line, area) is not None and not meta:
            last = _table_end(lines, no, name)
            pr.tables.append(TableBlock(area, slug, line.split("\t")[0].strip(), no, last))
            no = last
        elif pr.tables and not meta and "\t" in line and not is_blank(line):
            raise _stray_row(name, no, pr.tables[-1])
        no += 1
    pr.sources = _meta_range(meta, SOURCES_HEADING)
    pr.definitions = _meta_range(meta, DEFINITIONS_HEADING)
    return pr


def _meta_range(meta: list[tuple[str, int]], heading: str) -> tuple[int, int] | None:
    starts = [no for text, no in meta if text == heading]
    return (starts[0], meta[-1][1]) if starts else None


def name_tables(pr: Printing, tables: pd.DataFrame, areas: pd.DataFrame, name: str) -> Printing:
    """Give each table its id and file name: by printed heading, the area's scope, and the order within the area."""
    kind = dict(zip(areas[Area.area], areas[Area.kind]))
    seen: dict[tuple[str, str], int] = {}
    for block in pr.tables:
        heading = block.heading.removesuffix(f" - {block.area}")
        scope = ["all", "county"] if kind[block.area] == "county" else ["all"]
        cands = tables[(tables[Table.heading] == heading) & tables[Table.scope].isin(scope)][Table.table].tolist()
        if not cands:
            raise PackError(
                f"{name} line {block.first}: unknown table heading '{block.heading}' on the {block.area} pages; expected "
                "one of the headings in data/reference/tables.csv."
            )
        k = seen.get((block.area, heading), 0)
        seen[(block.area, heading)] = k + 1
        block.table = cands[min(k, len(cands) - 1)]
        n = sum(b.table == block.table and b.area == block.area for b in pr.tables[: pr.tables.index(block)])
        block.file = f"{block.slug}__{block.table}" + (f"__{n + 1}" if n else "") + ".tsv"
    return pr


def headline(lines: list[str], first: int, last: int, layout: pd.DataFrame, name: str) -> pd.DataFrame:
    """The front page's figures between two lines, in the layout of ``headline.tsv``; each "as at" from the line above.

    Raises PackError naming the pack and the measure when a figure of ``layout`` is not found.
    """
    page = [(no, lines[no - 1].strip()) for no in range(first, last + 1)]
    rows = []
    for r in layout.itertuples(index=False):
        hits = [(no, m) for no, text in page if (m := re.search(r.pattern, text))]
        if len(hits) < r.occurrence:
            raise PackError(
                f"{name} lines {first}-{last}: the front page's '{r.measure}' was not found; expected a line matching "
                f"{r.pattern!r} (data/reference/headline.csv)."
            )
        no, m = hits[r.occurrence - 1]
        as_at = [t.removeprefix("as at ") for n, t in page if n < no and t.startswith("as at ")]
        groups = m.groupdict()
        rows.append(
            [r.section, r.measure, r.code, groups[_VALUE], r.unit, groups.get(_NATIONAL) or "", as_at[-1] if as_at else ""]
        )
    return pd.DataFrame(rows, columns=list(Headline.to_schema().columns))


_ORDINAL = {1: "first", 2: "second", 3: "third"}


def edition_facts(lines: list[str], kent: Printing, n: int, last: int, source_document: str) -> pd.DataFrame:
    """``edition.csv``: title, edition label, publication date, producer and where the edition was printed.

    ``kent`` is the printing the county's tables come from (the ``n``-th), ``last`` the scorecard's last line.
    """
    after = [plain(x) for x in lines[kent.first - 1 : kent.first + 20] if plain(x)]
    label = after[after.index(TITLE) + 1]
    produced = next(x for x in after if x.startswith("Produced by:")).removeprefix("Produced by:").strip()
    date = next(x for x in after if x.startswith("Publication Date:")).removeprefix("Publication Date:").strip()
    published = pd.to_datetime(re.sub(r"(\d+)(st|nd|rd|th)", r"\1", date), format="%d %B %Y").strftime("%Y-%m-%d")
    lines_text = f"{kent.first}-{last} of the agenda-pack text; Kent tables from the {_ORDINAL.get(n, str(n))} printing, lines {kent.first}-{kent.last}"
    facts = [("title", TITLE), ("edition_label", label), ("publication_date", published), ("producer", produced)]
    facts += [("source_document", source_document), ("source_lines", lines_text)]
    return pd.DataFrame(facts, columns=[ScorecardEdition.key, ScorecardEdition.value])


@dataclass
class PackEdition:
    """An edition found in a pack: its tables (with file names), metadata pages, front page and edition facts."""

    name: str
    lines: list[str]
    tables: list[TableBlock]
    metadata: dict[str, pd.DataFrame]
    headline: pd.DataFrame
    edition: pd.DataFrame


def _pick(holders: list[Printing], printing: int) -> Printing:
    return holders[min(printing, len(holders)) - 1]


def _chosen_tables(prs: list[Printing], areas: pd.DataFrame, printing: int, name: str) -> tuple[list[TableBlock], Printing]:
    """Each area's tables from its ``printing``-th printing (its last when printed fewer times), in printed order."""
    chosen, county, most = [], None, 0
    for area, slug, kind, heading in areas[[Area.area, Area.slug, Area.kind, Area.page_heading]].itertuples(index=False):
        holders = [p for p in prs if any(b.slug == slug for b in p.tables)]
        if not holders:
            raise PackError(f"{name}: no tables for area '{area}'; expected a page headed '{heading}' (is the pack cut short?).")
        most = max(most, len(holders))
        pick = _pick(holders, printing)
        county = pick if kind == "county" else county
        chosen += [b for b in pick.tables if b.slug == slug]
    if printing > most:
        # A printing the pack does not have would quietly fall back to the last one.
        raise PackError(
            f"{name}: parameter '--printing' is {printing}, but no area is printed more than {most} time(s); expected 1 to {most}."
        )
    return sorted(chosen, key=lambda b: b.first), county


def read_pack(text: str, name: str, catalogue, *, printing: int = 1, layout: pd.DataFrame, source_document: str) -> PackEdition:
    """Split the text of an agenda pack into an edition.

    Parameters
    ----------
    text : str
        The pack's text.
    name : str
        The pack's file name, for messages.
    catalogue : Catalogue
        Areas (page headings) and tables (table headings) from ``data/reference/``.
    printing : int
        For an area printed more than once, which printing to take (1 = the first); the metadata pages come
        from the same printing.
    layout : DataFrame
        ``data/reference/headline.csv``.
    source_document : str
        How ``edition.csv`` names the pack.

    Raises
    ------
    PackError
        No scorecard, an unknown area or table heading, a table cut short or broken by a page break, an area missing.
    """
    lines = text.splitlines()
    prs = [scan(lines, p, catalogue.areas, name) for p in printings(lines, name)]
    for a, b in zip(prs, prs[1:]):
        a.last = b.first - 1
    prs = [name_tables(p, catalogue.tables, catalogue.areas, name) for p in prs]
    tables, county = _chosen_tables(prs, catalogue.areas, printing, name)
    n = [p for p in prs if any(b.slug == county.tables[0].slug for b in p.tables)].index(county) + 1
    holders = [p for p in prs if p.sources or p.definitions]
    meta = _pick(holders, printing) if holders else None
    first, last = (meta.sources or meta.definitions)[0] if meta else 0, (meta.definitions or meta.sources)[1] if meta else -1
    metadata = metadata_pages(lines, first, last) if meta else metadata_pages(lines, 1, 0)
    metadata[CAVEATS] = caveat_lines(lines, county.first, county.last)
    front = headline(lines, county.first, county.tables[0].first - 1, layout, name)
    edition = edition_facts(lines, county, n, prs[-1].last, source_document)
    return PackEdition(name, lines, tables, metadata, front, edition)
