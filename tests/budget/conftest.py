"""Shared fixtures for the budget tests: the real 2025-26 tables and their checks, and a synthetic Table 1."""

from __future__ import annotations

import shutil

import pytest

from kccperf import budget

from ..conftest import ROOT

RAW = ROOT / "data" / "raw" / "budget" / "2025-26"
REFERENCE = ROOT / "data" / "reference" / "budget" / "2025-26"
HEADER = "line\trow\tlabel\tsection\trow_type\tparts\teducation_spend\teducation_saving\teducation_net\tics_spend\tics_saving\tics_net\tcype_spend\tcype_saving\tcype_net"
GOOD_ROWS = [
    "10\tnovember\tNovember\t\titem\t\t18.3\t-14.1\t4.2\t17.2\t-8.1\t9.1\t35.5\t-22.2\t13.3",
    "11\tlatest\tLatest\t\titem\t\t15.1\t-14.0\t1.1\t25.2\t-7.2\t18.0\t40.3\t-21.2\t19.1",
    "12\tnet_total_change\tNET TOTAL CHANGE\t\ttotal\t+latest -november\t-3.2\t0.1\t-3.1\t+8.0\t+0.9\t+8.9\t+4.8\t+1.0\t+5.8",
]


@pytest.fixture(scope="session")
def tables():
    return budget.load_budget("2025-26")


@pytest.fixture(scope="session")
def checks(tables):
    return budget.reconcile(tables.figures, tables.claims, tables.relations)


@pytest.fixture(scope="session")
def relations():
    return budget.load_relations("2025-26")


@pytest.fixture
def data_copy(tmp_path):
    """A private copy of the budget tables and their reference facts, to plant bad input in."""
    shutil.copytree(RAW, tmp_path / "raw" / "budget" / "2025-26")
    shutil.copytree(REFERENCE, tmp_path / "reference" / "budget" / "2025-26")
    return tmp_path


@pytest.fixture
def write_table1(tmp_path):
    """Write Table 1 with the given rows (under HEADER) to a temporary file and return its path."""

    def write(rows: list[str]):
        path = tmp_path / "table1_cype_changes.tsv"
        path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
        return path

    return write
