"""kccperf: performance and budget reporting for a county council's CYPE directorate."""

from __future__ import annotations

from . import _pandas  # noqa: F401 - pandas settings first, before any frame is made
from .budget import (
    BudgetFileError,
    available_budget_years,
    capital_profile,
    check_budget_parameters,
    cype_exposure_share,
    exposure_by_directorate,
    load_budget,
    mismatches,
    november_bridge,
    read_budget_table,
    revenue_bridge,
    revenue_bridge_by_member,
    risk_matrix,
    risk_scores,
    risks_for,
    top_risks,
    unresolved_balances,
    unsecured_capital_share,
)
from .budget import reconcile as reconcile_budget
from .errors import InputError, KccperfError, KernelSetupError, ParameterError, ScorecardFileError, ValidationError
from .judge.assess import assess
from .judge.commentary import commentary
from .judge.reconcile import Reconciliation, floor_inference, reconcile
from .judge.since import EditionChanges, since_last_edition
from .publish.glossary import abbreviations_used
from .publish.main_points import main_points
from .publish.parameters import check_notebook_parameters, check_parameters
from .publish.prepared import load_assessed, load_series, prepare_edition
from .publish.summary import area_view, indicator_summary, league_table, rag_counts, vulnerable_gaps
from .publish.suppress import suppress
from .scorecard.catalogue import Catalogue, load_abbreviations, load_catalogue
from .scorecard.editions import (
    available_periods,
    latest_period,
    load_edition_info,
    load_headline,
    load_history,
    load_published,
    load_published_history,
    load_quality_log,
    load_revisions,
    load_scorecard,
)
from .scorecard.history import revisions
from .scorecard.importer import check_edition, import_pack
from .scorecard.metadata import load_indicator_info
from .scorecard.reader import ScorecardTable, read_scorecard

__version__ = "0.1.0"

__all__ = [
    "BudgetFileError",
    "available_budget_years",
    "capital_profile",
    "check_budget_parameters",
    "cype_exposure_share",
    "exposure_by_directorate",
    "load_budget",
    "mismatches",
    "november_bridge",
    "read_budget_table",
    "reconcile_budget",
    "revenue_bridge",
    "revenue_bridge_by_member",
    "risk_matrix",
    "risk_scores",
    "risks_for",
    "top_risks",
    "unresolved_balances",
    "unsecured_capital_share",
    "Catalogue",
    "EditionChanges",
    "Reconciliation",
    "InputError",
    "KccperfError",
    "KernelSetupError",
    "ParameterError",
    "ScorecardFileError",
    "ScorecardTable",
    "ValidationError",
    "__version__",
    "area_view",
    "main_points",
    "abbreviations_used",
    "assess",
    "available_periods",
    "check_notebook_parameters",
    "check_parameters",
    "commentary",
    "floor_inference",
    "indicator_summary",
    "latest_period",
    "league_table",
    "load_edition_info",
    "load_assessed",
    "load_series",
    "prepare_edition",
    "rag_counts",
    "load_abbreviations",
    "load_catalogue",
    "load_headline",
    "load_indicator_info",
    "import_pack",
    "check_edition",
    "load_history",
    "load_published",
    "load_published_history",
    "load_quality_log",
    "load_revisions",
    "load_scorecard",
    "read_scorecard",
    "reconcile",
    "revisions",
    "since_last_edition",
    "suppress",
    "vulnerable_gaps",
]
