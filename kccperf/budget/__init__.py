"""The draft revenue budget and capital programme: reading the printed tables, calculators and reconciliation.

Holds ``read`` (the raw tables as printed, cleaned of page artefacts, validated), ``calculate`` (risk views,
revenue bridges, capital views) and ``reconcile`` (every total recomputed from its parts). ``from kccperf import
budget`` gives all three through the names below.

May import: ``kccperf.schemas``, ``kccperf.errors`` and the shared private helpers. Never ``scorecard``,
``judge`` or ``publish``.
"""

from __future__ import annotations

from ..errors import BudgetFileError
from .calculate import (
    DEFAULT_EXPOSURE_BANDS,
    band_labels,
    capital_profile,
    cype_exposure_share,
    exposure_by_directorate,
    november_bridge,
    revenue_bridge,
    revenue_bridge_by_member,
    risk_matrix,
    risk_scores,
    risks_for,
    top_risks,
    unresolved_balances,
    unsecured_capital_share,
)
from .read import (
    RAW_MODELS,
    BudgetTables,
    available_budget_years,
    check_budget_parameters,
    clean_page_artefacts,
    edition_info,
    load_budget,
    load_column_labels,
    load_directorates,
    load_edition,
    load_relations,
    read_budget_table,
)
from .reconcile import mismatches, reconcile

__all__ = [
    "BudgetFileError",
    "BudgetTables",
    "DEFAULT_EXPOSURE_BANDS",
    "RAW_MODELS",
    "available_budget_years",
    "band_labels",
    "capital_profile",
    "check_budget_parameters",
    "clean_page_artefacts",
    "cype_exposure_share",
    "edition_info",
    "exposure_by_directorate",
    "load_budget",
    "load_column_labels",
    "load_directorates",
    "load_edition",
    "load_relations",
    "mismatches",
    "november_bridge",
    "read_budget_table",
    "reconcile",
    "revenue_bridge",
    "revenue_bridge_by_member",
    "risk_matrix",
    "risk_scores",
    "risks_for",
    "top_risks",
    "unresolved_balances",
    "unsecured_capital_share",
]
