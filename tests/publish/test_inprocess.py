"""The in-process papermill engine: the outputs, provenance, errors and time limit a kernel would give."""

from __future__ import annotations

import base64
import multiprocessing
import re
import threading
import time

import nbformat
import papermill as pm
import pytest
from papermill.exceptions import PapermillExecutionError

from kccperf.publish import batch
from kccperf.publish.inprocess import registered

PNG = b"\x89PNG\r\n\x1a\n-not-really-an-image"


def _notebook(path, *sources: str, parameters: str = "area = 'Kent'"):
    cells = [nbformat.v4.new_markdown_cell("# Title"), nbformat.v4.new_code_cell(parameters)]
    cells[1].metadata["tags"] = ["parameters"]
    cells += [nbformat.v4.new_code_cell(s) for s in sources]
    nb = nbformat.v4.new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    nbformat.write(nb, path)
    return str(path)


def _run(tmp_path, *sources: str, timeout: int | None = None, **params):
    source = _notebook(tmp_path / "in.ipynb", *sources)
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(
        source,
        str(out),
        parameters=params,
        engine_name=registered(),
        request_save_on_cell_execute=False,
        progress_bar=False,
        execution_timeout=timeout,
    )
    return nbformat.read(out, as_version=4)


def test_outputs_are_recorded_as_a_kernel_sends_them(tmp_path):
    nb = _run(
        tmp_path,
        "print('a'); print('b')\nimport sys; print('c', file=sys.stderr)",
        f"from IPython.display import Image, display\ndisplay(Image(data={PNG!r}, format='png'))",
        "area.upper()",
        "",
        "area.lower();",
        area="Dover",
    )
    injected, streams, image, result, empty, quiet = nb.cells[2:]
    assert injected.metadata["tags"] == ["injected-parameters"] and 'area = "Dover"' in injected.source
    assert [(o.output_type, o.name, o.text) for o in streams.outputs] == [
        ("stream", "stdout", "a\nb\n"),
        ("stream", "stderr", "c\n"),
    ]
    (img,) = image.outputs
    # Text, as a kernel sends it (older IPython hands over base64 text already, newer raw bytes).
    assert img.output_type == "display_data" and base64.b64decode(img.data["image/png"]) == PNG
    assert [(o.output_type, o.data["text/plain"], o.execution_count) for o in result.outputs] == [
        ("execute_result", "'DOVER'", 5)
    ]
    assert empty.execution_count is None and not empty.outputs and quiet.outputs == []
    # Cells counted from 1, papermill's provenance in the metadata, and the language a Python kernel reports.
    assert [c.execution_count for c in nb.cells[1:5]] == [1, 2, 3, 4]
    assert nb.metadata.papermill["parameters"] == {"area": "Dover"} and nb.metadata.papermill["exception"] is None
    assert {c.metadata.papermill["status"] for c in nb.cells} == {"completed"}
    assert nb.metadata.language_info["name"] == "python"


def test_an_error_stops_the_notebook_and_is_saved_in_it(tmp_path):
    with pytest.raises(PapermillExecutionError) as info:
        _run(tmp_path, "x = 1", "raise ValueError('planted')", "y = 2")
    assert (info.value.ename, info.value.evalue) == ("ValueError", "planted")
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    failed = next(c for c in nb.cells if c.get("outputs") and c.outputs[0].output_type == "error")
    assert failed.metadata.papermill["status"] == "failed" and "planted" in "".join(failed.outputs[0].traceback)
    assert nb.cells[-1].metadata.papermill["status"] == "pending" and not nb.cells[-1].outputs


def test_each_notebook_starts_with_an_empty_namespace(tmp_path):
    _run(tmp_path, "leftover = 1")
    with pytest.raises(PapermillExecutionError, match="NameError"):
        _run(tmp_path, "leftover")
    # What a new shell holds is back, __spec__ above all: multiprocessing reads it from __main__ to start a process.
    fresh = _run(tmp_path, "import sys\n(__spec__, _, sys.modules['__main__'].__spec__)")
    assert fresh.cells[-1].outputs[0].data["text/plain"] == "(None, '', None)"
    ctx = multiprocessing.get_context("spawn")
    proc = ctx.Process(target=time.sleep, args=(0,))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 0


@pytest.mark.parametrize("cell", ["time.sleep(30)", "try:\n    time.sleep(30)\nexcept Exception:\n    pass"])
def test_a_cell_over_the_time_limit_is_stopped_and_the_next_notebook_runs(tmp_path, cell):
    start = time.monotonic()
    with pytest.raises(PapermillExecutionError) as info:
        _run(tmp_path, "import time", cell, "after = 1", timeout=1)
    assert time.monotonic() - start < 10
    assert info.value.ename == "CellTimeout"
    assert info.value.evalue == "the cell ran longer than the 1 s allowed (--timeout)"
    assert _run(tmp_path, "import time; time.sleep(0.1)", timeout=1).metadata.papermill["exception"] is None


def test_it_refuses_to_run_outside_the_main_thread(tmp_path):
    errors = []

    def run():
        try:
            _run(tmp_path, "x = 1")
        except RuntimeError as exc:
            errors.append(str(exc))

    t = threading.Thread(target=run)
    t.start()
    t.join(60)
    assert errors == ["in-process execution needs the main thread: it stops overlong cells with SIGALRM"]


def test_a_timed_out_report_fails_with_one_line_and_the_worker_goes_on(tmp_path):
    slow = _notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(30)")
    task = batch.ReportTask(slow, {"area": "Dover"}, "dover", "Dover", "Dover")
    r = batch._render(task, str(tmp_path), 1, "now")
    assert not r.ok and r.error == "the cell ran longer than the 1 s allowed (--timeout)"
    assert r.notebook is not None and r.notebook.exists()


def _page(path) -> str:
    return re.sub(r"Generated at [^<]*", "", path.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_every_page_of_the_pack_is_the_one_a_kernel_gives(tmp_path, full_run):
    """The batch runs the cells in its workers' own shells; on a kernel, each of the 16 pages is byte-identical."""
    plan = batch._plan(
        "2024-10", batch.resolve_areas("all"), True, batch.project_root() / "notebooks" / batch.AREA_TEMPLATE, 5, None
    )
    assert len(plan.tasks) == len(full_run.results) == 16
    slot = batch.KernelSlot()
    try:
        for task in plan.tasks:
            r = batch._render(task, str(tmp_path), 600, "now", slot=slot, kernel=batch.kernel_name())
            assert r.ok, (task.slug, r.error)
            assert _page(r.html) == _page(full_run.out_dir / f"{task.slug}.html"), task.slug
    finally:
        slot.stop()
