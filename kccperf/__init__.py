"""kccperf: performance and budget reporting for a county council's CYPE directorate."""

from __future__ import annotations

from ._reader import ScorecardTable, read_scorecard
from .catalogue import Catalogue, load_catalogue
from .errors import InputError, KccperfError, ParameterError, ScorecardFileError, ValidationError
from .io import (
    available_periods,
    check_parameters,
    load_edition_info,
    load_headline,
    load_published,
    load_quality_log,
    load_scorecard,
)
from .summary import indicator_summary, rag_counts

__version__ = "0.1.0"

__all__ = [
    "Catalogue",
    "InputError",
    "KccperfError",
    "ParameterError",
    "ScorecardFileError",
    "ScorecardTable",
    "ValidationError",
    "__version__",
    "available_periods",
    "check_parameters",
    "indicator_summary",
    "load_edition_info",
    "rag_counts",
    "load_catalogue",
    "load_headline",
    "load_published",
    "load_quality_log",
    "load_scorecard",
    "read_scorecard",
]
