"""kccperf: performance and budget reporting for a county council's CYPE directorate."""

from __future__ import annotations

from ._reader import ScorecardTable, read_scorecard
from .assess import assess
from .catalogue import Catalogue, load_catalogue
from .commentary import commentary
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
from .reconcile import Reconciliation, floor_inference, reconcile
from .summary import indicator_summary, rag_counts

__version__ = "0.1.0"

__all__ = [
    "Catalogue",
    "Reconciliation",
    "InputError",
    "KccperfError",
    "ParameterError",
    "ScorecardFileError",
    "ScorecardTable",
    "ValidationError",
    "__version__",
    "assess",
    "available_periods",
    "check_parameters",
    "commentary",
    "floor_inference",
    "indicator_summary",
    "load_edition_info",
    "rag_counts",
    "load_catalogue",
    "load_headline",
    "load_published",
    "load_quality_log",
    "load_scorecard",
    "read_scorecard",
    "reconcile",
]
