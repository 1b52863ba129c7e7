"""Small synthetic tables in the published layout, and the reader's steps run on them up to a given step."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from kccperf.schemas import Block
from kccperf.scorecard.catalogue import load_catalogue
from kccperf.scorecard.reader.align import align_rows
from kccperf.scorecard.reader.cells import Cells
from kccperf.scorecard.reader.geometry import find_header, place_columns
from kccperf.scorecard.reader.judgements import read_judgements
from kccperf.scorecard.reader.labels import label_periods
from kccperf.scorecard.reader.roles import assign_roles, find_indicator_rows, scan_label_rows
from kccperf.scorecard.reader.source import Source
from kccperf.scorecard.reader.values import tidy_values

from ...conftest import MONTHLY_HEADER, RE_REFERRALS

PATH = Path("2024-10/kent__ics_monthly.tsv")
KENT = Source(PATH, "Kent", "kent", "ics_monthly", "2024-10")
# A district table whose rows carry team blocks.
ASHFORD = Source(Path("2024-10/ashford__ics_monthly.tsv"), "Ashford", "ashford", "ics_monthly", "2024-10")
# An annual table in the published layout: two trend years, the latest, numerator, denominator and a short tail.
ANNUAL_HEADER = (
    "KS2 Annual Indicators\t\tPolarity\tData Period\tQPR\tAnnual Trends\t\tLatest Year\t\t\tDOT\tTarget 2023-24\tRAG 2023-24"
)
ANNUAL_LABELS = "\t\t\t\t\t2021-22\t2022-23\t2023-24\t\t\t\t\t"
KS2_RWM = "EY12\tPercentage of pupils achieving the expected standard in RWM at KS2\tH\tA\t\t58.0\t59.0\t60.0\t9,000\t15,000\t↑\t62.0\tAMBER"


def cells_of(lines: list[str], *, complete: bool = True) -> Cells:
    """Cells of tab-separated lines, as the reader reads a .tsv file."""
    return Cells([line.split("\t") for line in lines], complete)


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


@pytest.fixture
def steps(catalogue):
    """Run the reader's steps on synthetic lines, up to the judgements and values."""

    def _run(lines: list[str], source: Source = KENT, *, complete: bool = True) -> SimpleNamespace:
        s = SimpleNamespace(source=source, cells=cells_of(lines, complete=complete))
        s.header = find_header(s.cells, source.path)
        s.data_rows = find_indicator_rows(s.cells, s.header, source.path)
        s.geometry, s.geometry_log = place_columns(s.cells, s.header, s.data_rows, source.path)
        s.labels = scan_label_rows(s.cells, s.header, s.data_rows, set(catalogue.blocks[Block.block]))
        s.periods = label_periods(s.labels, s.header, s.geometry, s.data_rows, source.edition, source.path)
        s.roles = assign_roles(s.cells, s.header, s.data_rows, s.labels.blocks, source, catalogue)
        s.aligned = align_rows(s.cells, s.roles, s.geometry, s.periods, source.path)
        s.judged = read_judgements(s.aligned, s.roles, s.geometry, s.periods, s.labels.sublabel, source)
        s.values = tidy_values(s.aligned, s.roles, s.periods, s.judged.frame, source)
        return s

    return _run


@pytest.fixture
def monthly():
    """The monthly header and one re-referrals row: 7 trend months, Apr-24 to Oct-24."""
    return [*MONTHLY_HEADER, RE_REFERRALS]
