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


class KernelSetupError(KccperfError):
    """The Jupyter kernel cannot start: the environment is broken, not the report; nothing published is touched."""


def read_failure(path, exc: OSError | UnicodeDecodeError, expected: str, raw: bytes | None = None) -> str:
    """One sentence for a file that cannot be read or decoded: the file, the row where known, and what was expected.

    ``raw`` is the file's bytes when they were read, so a decoding error can name its row.

    Examples
    --------
    >>> read_failure("h.tsv", PermissionError(13, "Permission denied"), "a tab-separated table")
    'h.tsv: cannot be read (Permission denied); expected a tab-separated table, readable by this user.'
    """
    if isinstance(exc, UnicodeDecodeError):
        row = f" row {raw[: exc.start].count(10) + 1}" if raw is not None else ""  # 10 is the line feed
        return (
            f"{path}{row}: byte {exc.start} is not UTF-8 text; expected {expected} saved as UTF-8 "
            "(in Excel: Save As 'CSV UTF-8')."
        )
    reason = exc.strerror or type(exc).__name__
    readable = ", readable by this user" if isinstance(exc, PermissionError) else ""
    return f"{path}: cannot be read ({reason}); expected {expected}{readable}."


def read_utf8(path, error: type[InputError], expected: str) -> str:
    """The text of a UTF-8 file (a byte-order mark is dropped); ``error`` naming the file when it cannot be read.

    Examples
    --------
    >>> read_utf8("no/such.tsv", InputError, "a table")
    Traceback (most recent call last):
    ...
    kccperf.errors.InputError: no/such.tsv: cannot be read (No such file or directory); expected a table.
    """
    from pathlib import Path

    raw = None
    try:
        raw = Path(path).read_bytes()
        return raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(read_failure(path, exc, expected, raw)) from None
