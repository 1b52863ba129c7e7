"""One area's rows of a frame, found by name or slug: shared by the views and suppression."""

from __future__ import annotations

import pandas as pd

from ..errors import ParameterError
from ..schemas import Scorecard as S
from ..scorecard.catalogue import load_catalogue


def rows_of_area(frame: pd.DataFrame, area: str) -> pd.DataFrame:
    """The rows of ``area`` (a name or slug, any case); ParameterError for a misspelt area or one with no rows."""
    present = set(frame[S.area].unique())
    name = area if area in present else load_catalogue().area_name(area)  # raises for a misspelt name
    if name not in present:
        listed = ", ".join(sorted(present)) or "none"
        raise ParameterError(f"parameter 'area' is '{area}', which has no rows in this frame; its areas are: {listed}.")
    return frame[frame[S.area] == name]
