"""Which table a file holds: its area, table name and edition, from the file's name and folder or the caller."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ...errors import ParameterError
from ..catalogue import Catalogue

_FILE_RE = re.compile(r"^(?P<area_slug>[a-z0-9-]+)__(?P<table_name>[a-z0-9_]+?)(?:__(?P<n>\d+))?$")
_EDITION_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Source:
    """The table file and what it is for.

    Attributes
    ----------
    path : Path
        The file.
    area : str
        Canonical area name; "" when neither the caller nor the file name gives a known one.
    slug : str
        The area's slug ("" without an area).
    table : str
        The table name (``ics_monthly``).
    edition : str or None
        The scorecard edition (``"2024-10"``), when known.
    """

    path: Path
    area: str
    slug: str
    table: str
    edition: str | None


def identify_source(path: str | Path, area: str | None, edition: str | None, catalogue: Catalogue) -> Source:
    """Name the area, table and edition of a table file.

    Parameters
    ----------
    path : str or Path
        The file; ``<area-slug>__<table>[__<n>].tsv`` names its area and table.
    area : str, optional
        Area name or slug; overrides the file name.
    edition : str, optional
        The edition; defaults to the file's folder when it is named like one (``2024-10``).
    catalogue : Catalogue
        Reference data, for area names and slugs.

    Returns
    -------
    Source

    Raises
    ------
    ParameterError
        ``area`` is not a known area, or ``edition`` is not a year and month.

    Examples
    --------
    >>> from kccperf.scorecard.catalogue import load_catalogue
    >>> s = identify_source("data/raw/scorecard/2024-10/dover__ics_monthly.tsv", None, None, load_catalogue())
    >>> (s.area, s.slug, s.table, s.edition)
    ('Dover', 'dover', 'ics_monthly', '2024-10')
    """
    path = Path(path)
    m = _FILE_RE.match(path.stem)
    table = m["table_name"] if m else re.sub(r"[^a-z0-9]+", "_", path.stem.lower()).strip("_")
    if area is not None:
        area_name = catalogue.area_name(area)
    elif m:
        try:
            area_name = catalogue.area_name(m["area_slug"])
        except Exception:
            area_name = ""
    else:
        area_name = ""
    slug = catalogue.area_slug(area_name) if area_name else ""
    if edition is None and _EDITION_RE.match(path.parent.name):
        edition = path.parent.name
    if edition is not None and not _EDITION_RE.match(str(edition)):
        raise ParameterError(
            f"parameter 'edition' is {edition!r}; expected a scorecard edition such as '2024-10' (year and month)."
        )
    return Source(path=path, area=area_name, slug=slug, table=table, edition=edition)
