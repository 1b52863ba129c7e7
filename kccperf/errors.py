"""Errors raised for bad input; the CLI turns each into one line on stderr."""

from __future__ import annotations


class KccperfError(Exception):
    """Base class for every expected error in kccperf."""


class InputError(KccperfError):
    """A file, row, column or parameter is not what kccperf expects."""


class ScorecardFileError(InputError):
    """A scorecard table file cannot be read as a published wide table."""


class ParameterError(InputError):
    """A parameter (period, area, option) has a value kccperf does not know."""


class ValidationError(InputError):
    """A DataFrame failed its schema or a data-contract check."""


class BudgetFileError(InputError):
    """A budget table or budget reference file, row or cell is not what kccperf expects."""
