"""The index of a period's reports: a link to each page and its downloads, with its RAG counts (as published where printed).

The page comes from ``templates/index.html.j2``; this module only gathers its rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import jinja2
import pandas as pd

from .._format import generated_at, long_dates
from ..judge.since import EditionChanges
from ..schemas import Area, Assessed, Suppression
from .since_views import since_summary
from .summary import rag_counts

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class IndexRow:
    """One row of the index: a report of this run (built or failed) or a page left by an earlier run."""

    area: str
    slug: str
    label: str = ""
    counts: tuple[int, ...] = ()
    error: str | None = None
    earlier: str | None = None
    since: str = ""

    @property
    def page(self) -> str:
        return f"{self.slug}.html"


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, keep_trailing_newline=True)


def rag_counts_for(assessed: pd.DataFrame, area: str | None) -> tuple[int, ...]:
    """An area's RED, AMBER, GREEN and Not rated counts (``rating``: as published where printed); empty when it has no figure.

    Withheld figures are left out, so the index gives away nothing its report withholds.

    Examples
    --------
    >>> frame = pd.DataFrame({Assessed.area: ["Dover"] * 3, Assessed.value: [1.0, 2.0, None],
    ...                       Assessed.rating: ["RED", "RED", ""], Suppression.suppressed: [False, True, False]})
    >>> rag_counts_for(frame, "Dover"), rag_counts_for(frame, "Thanet")
    ((1, 0, 0, 0), ())
    """
    shown = assessed[(assessed[Assessed.area] == area) & ~assessed[Suppression.suppressed] & assessed[Assessed.value].notna()]
    if shown.empty:
        return ()
    return tuple(int(count) for _rag, count in rag_counts(shown).itertuples(index=False))


def since_for(changes: EditionChanges | None, area: str) -> str:
    """An area's line for the index's "since the last edition" column (empty for pages that are not an area's).

    Examples
    --------
    >>> from kccperf.schemas import EditionChange
    >>> since_for(EditionChanges("2024-10", None, pd.DataFrame(columns=[EditionChange.area, EditionChange.change])), "Kent")
    '2024-10 is the first edition held: there is none earlier to compare it with.'
    """
    return "" if changes is None else since_summary(changes.for_area(area))


def result_rows(
    results: Iterable, titles: dict[str, str], assessed: pd.DataFrame, changes: EditionChanges | None = None
) -> list[IndexRow]:
    """Rows for this run's reports (``ReportResult``), in order; a failed one shows its error instead of counts."""
    areas = set(assessed[Assessed.area])
    return [
        IndexRow(
            r.area,
            r.slug,
            titles[r.slug],
            rag_counts_for(assessed, r.area),
            since=since_for(changes, r.area) if r.area in areas else "",
        )
        if r.ok
        else IndexRow(r.area, r.slug, error=r.error)
        for r in results
    ]


def earlier_rows(out_dir: Path, built: set[str], areas: pd.DataFrame, assessed: pd.DataFrame) -> list[IndexRow]:
    """Rows for pages an earlier run left in ``out_dir`` that this run did not rebuild, marked as such."""
    names = dict(zip(areas[Area.slug], areas[Area.area]))
    rows = []
    for page in sorted(out_dir.glob("*.html")):
        if page.stem in built or page.name == "index.html":
            continue
        name = names.get(page.stem, page.stem.replace("-", " ").capitalize())
        counts = rag_counts_for(assessed, names.get(page.stem))
        rows.append(IndexRow(name, page.stem, name, counts, earlier=generated_at(page.stat().st_mtime)))
    return rows


def _in_words(info: dict[str, str]) -> dict[str, str]:
    """The edition's facts with the publication date as a reader reads it (9 December 2024)."""
    return {**info, "publication_date": long_dates(str(info.get("publication_date", "")))} if info else info


def index_html(rows: list[IndexRow], *, period: str, info: dict[str, str], generated: str) -> str:
    """The index page: one row per report, the edition's facts from ``info``, one generated-at line.

    When every area's "since the last edition" line is the same sentence (the first edition held, or nothing
    changed anywhere), it is said once above the table instead of in every row.
    """
    lines = {r.since for r in rows if r.error is None and r.since}
    areas = sum(1 for r in rows if r.since)
    note = next(iter(lines)) if len(lines) == 1 and areas > 1 else ""
    shown = [replace(r, since="") for r in rows] if note else rows
    return (
        _environment()
        .get_template("index.html.j2")
        .render(rows=shown, note=note, period=period, info=_in_words(info), generated_at=generated)
    )
