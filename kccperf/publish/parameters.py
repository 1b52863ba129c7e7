"""Checking a report notebook's parameters: area, period and the suppression threshold, with one clear sentence each."""

from __future__ import annotations

import ast
import json
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
    declared = _declared(Path(notebook))
    unknown = [name for name in parameters if name not in declared]
    if unknown:
        raise ParameterError(f"parameter '{unknown[0]}' is not one {Path(notebook).name} takes; expected {', '.join(declared)}.")


def _declared(notebook: Path) -> list[str]:
    """The names the notebook's ``parameters`` cell assigns, read from its source (as papermill's inspection does).

    Reading the JSON and the cell's syntax tree is enough for this check; importing papermill for it would cost a
    runner more than a second before its first report.
    """
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    tagged = [c for c in cells if c.get("cell_type") == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    if not tagged:
        return []
    source = tagged[0]["source"]
    try:
        tree = ast.parse("".join(source) if isinstance(source, list) else source)
    except SyntaxError as exc:
        raise ParameterError(
            f"{notebook}: the parameters cell is not valid Python (its line {exc.lineno}); expected one assignment a line."
        ) from None
    names = []
    for node in tree.body:  # in the cell's order, as the error message lists them
        # One name a line, as papermill reads them (it skips chained assignments such as ``a = b = 1``).
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else getattr(node, "target", None)
        names += [target.id] if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(target, ast.Name) else []
    return names
