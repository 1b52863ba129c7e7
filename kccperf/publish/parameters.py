"""Checking a report notebook's parameters: area, period and the suppression threshold, with one clear sentence each."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ..errors import ParameterError
from ..scorecard.catalogue import load_catalogue
from ..scorecard.editions import resolve_period
from .suppress import check_threshold


def check_parameters(
    *,
    area: str,
    period: str,
    suppress_threshold: int | None = None,
    data_dir=None,
) -> dict:
    """Validate report parameters; return the canonical area name, its slug and the period.

    Notebooks call this first, so a bad value stops the run with one clear sentence.
    Misspelt parameter names are the runner's to refuse: see :func:`check_notebook_parameters`.
    An empty ``period`` means the newest edition on disk; the result names it.

    Examples
    --------
    >>> check_parameters(area="tunbridge-wells", period="2024-10")
    {'area': 'Tunbridge Wells', 'slug': 'tunbridge-wells', 'period': '2024-10'}
    """
    if not isinstance(period, str):
        raise ParameterError(
            f"parameter 'period' is {period!r}; expected a string such as '2024-10', or \"\" for the newest edition."
        )
    period = resolve_period(period, data_dir)
    if not isinstance(area, str):
        raise ParameterError(f"parameter 'area' is {area!r}; expected an area name such as 'Kent' or 'Ashford'.")
    cat = load_catalogue(data_dir)
    name = cat.area_name(area)
    out = {"area": name, "slug": cat.area_slug(name), "period": period}
    if suppress_threshold is not None:
        out["suppress_threshold"] = check_threshold(suppress_threshold)
    return out


def check_notebook_parameters(notebook: str | os.PathLike, parameters: Mapping[str, object]) -> None:
    """Refuse parameters that ``notebook``'s ``parameters`` cell does not declare.

    Papermill only warns about a misspelt name and runs on with the default, so a runner
    checks the names first, from the notebook itself (not from a kernel's variables, which
    hold whatever an analyst defined since).

    Examples
    --------
    >>> from kccperf._paths import project_root
    >>> check_notebook_parameters(project_root() / "notebooks" / "district_report.ipynb", {"arae": "Dover"})
    Traceback (most recent call last):
    ...
    kccperf.errors.ParameterError: parameter 'arae' is not one district_report.ipynb takes; expected area, period, suppress_threshold.
    """
    import papermill as pm

    declared = list(pm.inspect_notebook(str(notebook)))
    unknown = [name for name in parameters if name not in declared]
    if unknown:
        raise ParameterError(f"parameter '{unknown[0]}' is not one {Path(notebook).name} takes; expected {', '.join(declared)}.")
