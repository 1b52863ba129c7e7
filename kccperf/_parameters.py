"""Refusing notebook parameters a notebook does not take: shared by the scorecard and budget notebooks.

Imports nothing from the subpackages, so every layer may use it.
"""

from __future__ import annotations

from .errors import ParameterError

# Names a Jupyter kernel defines itself; anything else bound to a plain value is a parameter.
_KERNEL_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}


def check_parameter_names(namespace: dict | None, expected) -> None:
    """Refuse parameters a notebook does not take (papermill only warns about a misspelt name).

    ``namespace`` is the notebook's ``globals()``; every name bound to a plain value (str, int,
    float, bool) must be one of ``expected``.

    Examples
    --------
    >>> check_parameter_names({"area": "Kent", "arae": "Dover"}, ["area", "period"])
    Traceback (most recent call last):
    ...
    kccperf.errors.ParameterError: parameter 'arae' is not one this notebook takes; expected area, period.
    """
    if namespace is None:
        return
    expected = list(expected)
    for name, value in namespace.items():
        if name.startswith("_") or name in _KERNEL_NAMES or name in expected:
            continue
        if isinstance(value, (str, int, float, bool)):
            raise ParameterError(f"parameter '{name}' is not one this notebook takes; expected {', '.join(expected)}.")
