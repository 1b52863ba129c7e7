"""Which of the scorecard's abbreviations a page uses, so the page can spell out those and no others."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from ..schemas import Abbreviation as Ab


def abbreviations_used(texts: Iterable[str], abbreviations: pd.DataFrame) -> pd.DataFrame:
    """The abbreviations that appear, as whole words, in ``texts``.

    Matching is case-sensitive (``EH`` is not "eh"), a plural ``s`` counts (``EHCPs``), and an indicator
    code such as ``EY14`` is not the abbreviation ``EY``.

    Parameters
    ----------
    texts : iterable of str
        What a page shows, as text (a report page passes its markdown and its outputs' text).
    abbreviations : DataFrame
        :func:`kccperf.load_abbreviations`.

    Returns
    -------
    DataFrame
        The rows of ``abbreviations`` that appear, in alphabetical order (case-insensitive); none if none do.

    Examples
    --------
    >>> key = pd.DataFrame({"abbreviation": ["EH", "EY", "CIC"], "meaning": ["Early Help", "Early Years", "Children in Care"],
    ...                     "source": ["s", "s", "s"]})
    >>> abbreviations_used(["EH cases closed", "EY14 good level", "Number of CIC"], key)["abbreviation"].tolist()
    ['CIC', 'EH']
    """
    if abbreviations.empty:
        return abbreviations.copy()
    # Longest first, so that EHCP is read as itself, not as EH followed by more letters.
    names = sorted(abbreviations[Ab.abbreviation], key=len, reverse=True)
    pattern = r"\b(" + "|".join(map(re.escape, names)) + r")s?\b"
    found = set(re.findall(pattern, "\n".join(texts)))
    used = abbreviations[abbreviations[Ab.abbreviation].isin(found)]
    order = used[Ab.abbreviation].str.casefold().sort_values().index
    return used.loc[order].reset_index(drop=True)
