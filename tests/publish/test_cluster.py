"""Backfills on a Dask cluster: the same pages, progress, failure isolation and index as the local batch."""

from __future__ import annotations

import re
import sys

import pytest
from distributed import LocalCluster

from kccperf import ParameterError
from kccperf.publish.batch import build_backfill

PERIODS = ["2024-10", "2024-11"]


def _page(path) -> str:
    return re.sub(r"Generated at [^<]*", "", path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cluster():
    # Threads in the test process, one task at a time: light on a shared machine.
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as c:
        yield c


@pytest.fixture
def on_history(history_data, monkeypatch):
    # Workers and their kernels read the data where the batch does.
    monkeypatch.setenv("KCCPERF_DATA", str(history_data))
    return history_data


def test_a_two_edition_backfill_on_a_cluster_gives_the_local_pages(tmp_path, on_history, cluster):
    local_lines, dask_lines = [], []
    local = build_backfill(PERIODS, "Dover", out_dir=tmp_path / "local", jobs=2, progress=local_lines.append)
    remote = build_backfill(
        PERIODS, "Dover", out_dir=tmp_path / "dask", scheduler=cluster.scheduler_address, progress=dask_lines.append
    )
    assert [r.period for r in remote] == PERIODS
    for a, b in zip(local, remote):
        assert not a.failed and not b.failed, [r.error for r in a.failed + b.failed]
        assert _page(a.out_dir / "dover.html") == _page(b.out_dir / "dover.html")
        assert (a.out_dir / "dover.csv").read_bytes() == (b.out_dir / "dover.csv").read_bytes()
        assert _page(a.out_dir / "index.html") == _page(b.out_dir / "index.html")
        assert sorted(p.name for p in b.out_dir.iterdir()) == [
            ".kccperf.lock",
            "dover.csv",
            "dover.html",
            "dover.xlsx",
            "index.html",
        ]
    assert "November 2024" in (tmp_path / "dask" / "2024-11" / "dover.html").read_text(encoding="utf-8")
    shape = re.compile(r"^\[[12]/2\] 2024-1[01] Dover: written .*/(2024-1[01])/dover\.html \(\d+\.\d s\)$")
    for lines in (local_lines, dask_lines):
        reports = [line for line in lines if line.startswith("[")]
        assert len(reports) == 2 and all(shape.match(line) for line in reports), lines
        assert sorted(shape.match(line).group(1) for line in reports) == PERIODS
    # The start is said alike (a local run also says it starts its workers, and either may wait for them).
    assert _start_lines(local_lines) == _start_lines(dask_lines) and len(_start_lines(local_lines)) == 3


def _start_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith(("preparing the ", "building "))]


def test_a_failing_report_on_a_cluster_fails_alone(tmp_path, cluster, failing_template):
    out = tmp_path / "out"
    stale = out / "2024-10" / "dover.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("last month's report")
    (run,) = build_backfill(
        "2024-10", "Dover,Thanet", out_dir=out, scheduler=cluster.scheduler_address, template=failing_template
    )
    assert [r.area for r in run.failed] == ["Dover"] and "planted failure" in run.failed[0].error
    assert not stale.exists() and (out / "2024-10" / "thanet.html").exists()
    assert (out / "2024-10" / "failed" / "dover.ipynb").exists()
    assert "Failed: RuntimeError: planted failure" in (out / "2024-10" / "index.html").read_text(encoding="utf-8")


def test_an_unreachable_scheduler_is_named_and_nothing_is_written(tmp_path, free_port):
    with pytest.raises(ParameterError, match=r"^parameter '--scheduler': no Dask scheduler answers at 'tcp://127\.0\.0\.1:"):
        build_backfill("2024-10", "Dover", out_dir=tmp_path / "out", scheduler=f"tcp://127.0.0.1:{free_port}")
    assert not (tmp_path / "out").exists()


def test_a_scheduler_without_the_cluster_extra_is_named(tmp_path, monkeypatch):
    monkeypatch.delitem(sys.modules, "kccperf.publish.cluster", raising=False)
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed: importing it raises ImportError
    with pytest.raises(ParameterError, match=r"^parameter '--scheduler' needs the Dask distributed client.*kccperf\[cluster\]"):
        build_backfill("2024-10", "Dover", out_dir=tmp_path / "out", scheduler="tcp://127.0.0.1:8786")
    assert not (tmp_path / "out").exists()
