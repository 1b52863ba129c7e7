"""Checking a report notebook's parameters: area, period and the suppression threshold, with one clear sentence each."""

from __future__ import annotations

from .._parameters import check_parameter_names
from ..errors import ParameterError
from ..scorecard.catalogue import load_catalogue
from ..scorecard.editions import scorecard_dir
from .suppress import check_threshold


def check_parameters(
    *,
    area: str,
    period: str,
    suppress_threshold: int | None = None,
    namespace: dict | None = None,
    extra: tuple[str, ...] = (),
    data_dir=None,
) -> dict:
    """Validate report parameters; return the canonical area name, its slug and the period.

    Papermill only warns about a misspelt parameter name, so notebooks call this
    first: a bad value stops the run with one clear sentence. Pass the notebook's
    ``globals()`` as ``namespace`` to refuse unknown parameter names too (``extra``
    names further parameters the notebook takes).

    Examples
    --------
    >>> check_parameters(area="tunbridge-wells", period="2024-10")
    {'area': 'Tunbridge Wells', 'slug': 'tunbridge-wells', 'period': '2024-10'}
    """
    names = ["area", "period"] + (["suppress_threshold"] if suppress_threshold is not None else []) + list(extra)
    check_parameter_names(namespace, names)
    if not isinstance(period, str):
        raise ParameterError(f"parameter 'period' is {period!r}; expected a string such as '2024-10'.")
    scorecard_dir(period, data_dir)
    if not isinstance(area, str):
        raise ParameterError(f"parameter 'area' is {area!r}; expected an area name such as 'Kent' or 'Ashford'.")
    cat = load_catalogue(data_dir)
    name = cat.area_name(area)
    out = {"area": name, "slug": cat.area_slug(name), "period": period}
    if suppress_threshold is not None:
        out["suppress_threshold"] = check_threshold(suppress_threshold)
    return out
