"""A broken environment stops the batch with a hint and keeps every published report."""

from __future__ import annotations

import json

import pytest

from kccperf.publish import batch
from kccperf.publish.batch import KernelSetupError, ReportResult, ReportRun, build_backfill, build_reports


@pytest.fixture
def broken_kernel(tmp_path, monkeypatch):
    spec = tmp_path / "jupyter" / "kernels" / "kccperf"
    spec.mkdir(parents=True)
    argv = [str(tmp_path / "gone" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "broken", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return argv[0]


def test_a_missing_interpreter_stops_a_cluster_run_and_keeps_the_published_page(tmp_path, broken_kernel):
    # A cluster's workers run the reports on kernels: the kernel is checked before the scheduler is even called.
    dest = tmp_path / "out" / "2024-10"
    dest.mkdir(parents=True)
    good = dest / "dover.html"
    good.write_text("<html>last month's good report</html>")
    with pytest.raises(KernelSetupError) as info:
        build_reports("2024-10", "Dover", out_dir=tmp_path / "out", scheduler="tcp://127.0.0.1:9")
    assert str(info.value) == (
        f"the Jupyter kernel 'kccperf' could not start (its interpreter {broken_kernel} is missing); run `make setup`"
    )
    assert good.read_text() == "<html>last month's good report</html>"
    assert sorted(p.name for p in dest.iterdir()) == ["dover.html"]


def test_local_reports_need_no_kernel(tmp_path, broken_kernel):
    (run,) = build_backfill("2024-10", "Dover", out_dir=tmp_path / "out")
    assert not run.failed and (run.out_dir / "dover.html").exists()


@pytest.mark.parametrize(
    ("kernel", "error", "message"),
    [
        ("kccperf", "Kernel died before replying to kernel_info", r"the Jupyter kernel 'kccperf' could not start \(Kernel died "),
        (None, "No module named 'IPython'", r"the report workers could not start \(No module named 'IPython'\)"),
    ],
)
def test_a_worker_that_cannot_start_stops_the_run_without_deleting(tmp_path, kernel, error, message):
    dest = tmp_path / "2024-10"
    dest.mkdir()
    (dest / "dover.html").write_text("good")
    run = ReportRun("2024-10", dest, kernel=kernel)
    failed = ReportResult("Dover", "dover", False, 0.1, error=error, setup=True)
    with pytest.raises(KernelSetupError, match=message + r".*; run `make setup`$"):
        batch._place(failed, run, "[1/1]", lambda _line: None, {}, None)
    assert (dest / "dover.html").read_text() == "good" and not run.results


def test_a_missing_notebook_is_named_before_anything_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "COUNTY_TEMPLATE", "gone.ipynb")
    with pytest.raises(batch.ParameterError, match=r"gone\.ipynb does not exist; restore"):
        build_reports("2024-10", "all", out_dir=tmp_path)
    assert not (tmp_path / "2024-10" / "index.html").exists()


def test_downloads_are_written_meanwhile_and_moved_beside_their_page(tmp_path):
    import pandas as pd

    from kccperf.publish.downloads import report_download

    work, dest = tmp_path / ".work", tmp_path / "2024-10"
    work.mkdir()
    dest.mkdir()
    writer = batch._DownloadWriter()
    try:
        frame = pd.DataFrame({"indicator": ["x"], "value": [1.0]})
        placers = writer.start({"dover": lambda: report_download(frame)}, work)
        placers["dover"](dest)
    finally:
        writer.close()
    assert sorted(p.name for p in dest.iterdir()) == ["dover.csv", "dover.xlsx"] and not list(work.iterdir())
    assert (dest / "dover.csv").read_text().startswith("indicator,value")


def test_a_download_that_fails_to_write_fails_its_placing(tmp_path):
    writer = batch._DownloadWriter()
    try:
        placers = writer.start({"dover": lambda: None}, tmp_path)  # not a Download: writing it raises
        with pytest.raises(AttributeError):
            placers["dover"](tmp_path / "gone")
    finally:
        writer.close()
