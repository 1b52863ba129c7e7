"""Concurrent batches: one output folder is locked for a run; the cap on --jobs; the sweep of what killed runs left."""

from __future__ import annotations

import os
import shutil
import threading
import zipfile

import pytest

from kccperf import ParameterError
from kccperf.publish import batch
from kccperf.publish.batch import build_reports


def _whole(folder):
    """Every page ends its document and every workbook is a valid zip."""
    for page in folder.glob("*.html"):
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), page
    for book in folder.glob("*.xlsx"):
        with zipfile.ZipFile(book) as z:
            assert z.testzip() is None, book
    assert not list(folder.glob(".*.tmp*")) and not list(folder.glob(".work-*"))


def test_a_second_run_into_a_locked_folder_stops_at_once_and_writes_nothing(tmp_path):
    dest = tmp_path / "2024-10"
    holder = batch._lock_folder(dest)
    try:
        before = sorted(p.name for p in dest.iterdir())
        with pytest.raises(ParameterError, match=rf"another kccperf report \(pid {os.getpid()}\) is writing to {dest}"):
            build_reports("2024-10", "Dover", out_dir=tmp_path)
        assert sorted(p.name for p in dest.iterdir()) == before
    finally:
        os.close(holder)


def test_concurrent_runs(tmp_path):
    """Two real runs into one folder: the second is refused, the first completes; into two folders both complete."""
    outcomes: dict[str, object] = {}

    def run(name, out, areas):
        try:
            outcomes[name] = build_reports("2024-10", areas, out_dir=out)
        except ParameterError as exc:
            outcomes[name] = exc

    first = threading.Thread(target=run, args=("first", tmp_path / "same", "Dover"))
    first.start()
    lock = tmp_path / "same" / "2024-10" / ".kccperf.lock"
    while not (lock.exists() and lock.read_text().strip()):
        assert first.is_alive()
        threading.Event().wait(0.05)
    other = threading.Thread(target=run, args=("other", tmp_path / "other", "Dover"))
    other.start()
    run("second", tmp_path / "same", "Thanet")
    first.join()
    other.join()
    assert isinstance(outcomes["second"], ParameterError) and "another kccperf report" in str(outcomes["second"])
    assert not outcomes["first"].failed and not outcomes["other"].failed
    same = tmp_path / "same" / "2024-10"
    assert (same / "dover.html").exists() and not (same / "thanet.html").exists()
    _whole(same)
    _whole(tmp_path / "other" / "2024-10")


def test_jobs_above_the_cpus_are_capped_with_a_message(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    lines: list[str] = []
    run = build_reports("2024-10", "Dover", out_dir=tmp_path, jobs=1000, progress=lines.append)
    assert lines[0] == "kccperf: --jobs 1000 capped at 1, the number of CPUs"
    assert not run.failed


def test_stale_work_folders_and_temporary_files_are_swept_under_the_lock(tmp_path):
    dest = tmp_path / "2024-10"
    (dest / ".work-dead" / "sub").mkdir(parents=True)
    (dest / ".dover.xlsx.abc.tmp.xlsx").write_text("half")
    batch._sweep(dest)
    assert sorted(p.name for p in dest.iterdir()) == []


def test_bad_data_found_under_the_lock_leaves_no_folder_behind(tmp_path):
    """The edition is read after the lock is taken; when it is broken the run stops and the folder it made goes."""
    from kccperf import ScorecardFileError
    from kccperf._paths import data_root

    data = tmp_path / "data"
    shutil.copytree(data_root() / "raw" / "scorecard", data / "raw" / "scorecard")
    shutil.copytree(data_root() / "reference", data / "reference")
    (data / "raw" / "scorecard" / "2024-10" / "dover__ics_monthly.tsv").write_text("", encoding="utf-8")
    with pytest.raises(ScorecardFileError, match="dover__ics_monthly.tsv"):
        build_reports("2024-10", "Dover", out_dir=tmp_path / "o", data_dir=data)
    assert not (tmp_path / "o" / "2024-10").exists()


def test_a_template_that_does_not_take_the_batch_parameters_is_refused_before_anything_is_written(tmp_path):
    import nbformat

    from kccperf._paths import project_root

    nb = nbformat.read(project_root() / "notebooks" / "district_report.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace("area:", "district:")
    template = tmp_path / "renamed.ipynb"
    nbformat.write(nb, template)
    with pytest.raises(ParameterError, match="parameter 'area' is not one renamed.ipynb takes; expected district, period"):
        build_reports("2024-10", "Dover", out_dir=tmp_path / "o", template=template)
    assert not (tmp_path / "o" / "2024-10").exists()
