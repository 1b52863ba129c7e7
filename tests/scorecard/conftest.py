"""Fixtures for the scorecard room: a private copy of the data folder, so imports and edits never touch data/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "raw" / "packs" / "cype-cabinet-committee-2025-01-16.txt"


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A data folder with the reference files and the October 2024 edition, in tmp_path."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    shutil.copytree(ROOT / "data" / "raw" / "scorecard" / "2024-10", data / "raw" / "scorecard" / "2024-10")
    return data
