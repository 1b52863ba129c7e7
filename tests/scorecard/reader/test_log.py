"""The data-quality log: entries merged in row order, and the log's frame."""

from __future__ import annotations

import pandas as pd
import pytest

from kccperf.schemas import Anomaly
from kccperf.scorecard.reader.log import LogEntry, anomaly_frame, in_row_order


def _entries(step: str, rows: list[int]) -> list[LogEntry]:
    return [LogEntry(step, f"{step} {k}", row=r) for k, r in enumerate(rows)]


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ({"a": [4, 6], "b": [4, 5]}, ["a 0", "b 0", "b 1", "a 1"]),
        ({"a": [], "b": [9, 9]}, ["b 0", "b 1"]),
        ({"a": [7, 7], "b": [7], "c": [3]}, ["c 0", "a 0", "a 1", "b 0"]),
    ],
)
def test_entries_are_merged_by_row_and_within_a_row_by_step(steps, expected):
    merged = in_row_order(*(_entries(name, rows) for name, rows in steps.items()))
    assert [e.message for e in merged] == expected


def test_the_frame_holds_one_row_per_entry_in_order_with_file_and_area():
    entries = [
        LogEntry(
            "unknown_title",
            "title 'X' is not in the catalogue.",
            row=5,
            column="B",
            block="Dover CSWT",
            found="X",
            expected="a title",
        ),
        LogEntry("stale_header", "header names 2023-24.", row=1, column="P", found="Target 2023-24", expected="2024-25"),
    ]
    frame = anomaly_frame(entries, "raw/dover__ics_monthly.tsv", "Dover")
    Anomaly.validate(frame)
    assert list(frame.columns) == list(Anomaly.to_schema().columns)
    assert frame[Anomaly.row].dtype == "Int64"
    assert frame.to_dict("records")[0] == {
        Anomaly.source_file: "raw/dover__ics_monthly.tsv",
        Anomaly.row: 5,
        Anomaly.column: "B",
        Anomaly.area: "Dover",
        Anomaly.block: "Dover CSWT",
        Anomaly.indicator: "",
        Anomaly.category: "unknown_title",
        Anomaly.found: "X",
        Anomaly.expected: "a title",
        Anomaly.message: "title 'X' is not in the catalogue.",
    }
    assert frame[Anomaly.category].tolist() == ["unknown_title", "stale_header"]


def test_found_and_expected_are_text():
    frame = anomaly_frame([LogEntry("c", "m", row=3, found=12, expected=None)], "t.tsv", "")
    assert frame.loc[0, Anomaly.found] == "12" and frame.loc[0, Anomaly.expected] == "None"


def test_an_empty_log_still_has_the_columns():
    frame = anomaly_frame([], "t.tsv", "Kent")
    assert frame.empty and list(frame.columns) == list(Anomaly.to_schema().columns)
    assert isinstance(frame, pd.DataFrame) and frame[Anomaly.row].dtype == "Int64"
