"""Every notebook executes end to end, and every notebook stays thin (the house rules)."""

from __future__ import annotations

import ast
import re

import nbformat
import papermill as pm
import pytest
from nbclient import NotebookClient

from kccperf import ParameterError, check_notebook_parameters
from kccperf.publish.batch import kernel_name

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PARAMETERS = {
    "district_report.ipynb": [
        {"area": "Kent", "period": "2024-10"},
        {"area": "Dover", "period": "2024-10", "suppress_threshold": 0},
    ],
    "kent_scorecard.ipynb": [{"period": "2024-10"}],
    "explore.ipynb": [{"area": "Thanet"}],
    "budget_risk.ipynb": [{"directorate": "ALL"}],
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean_and_thin(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert "parameters" in code[0].metadata.get("tags", [])
    for node in ast.parse(code[0].source).body:
        assert isinstance(node, ast.AnnAssign), "parameters are typed literals: name: type = value"
        assert isinstance(ast.literal_eval(node.value), (str, int, float, bool))
    for cell in code:
        assert not cell.get("outputs") and cell.get("execution_count") is None
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.For, ast.While, ast.Lambda)), cell.source
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert all(m.split(".")[0] == "kccperf" for m in mods), cell.source
        assert "sys.path" not in cell.source and "filterwarnings" not in cell.source and "%run" not in cell.source


@pytest.mark.parametrize(
    ("path", "params"),
    [(p, params) for p in NOTEBOOKS for params in PARAMETERS.get(p.name, [{}])],
    ids=lambda x: x.name if hasattr(x, "name") else "-".join(map(str, x.values())),
)
def test_notebook_executes(tmp_path, path, params):
    out = tmp_path / path.name
    pm.execute_notebook(
        str(path), str(out), parameters=params, kernel_name=kernel_name(), cwd=str(path.parent), progress_bar=False
    )
    nb = nbformat.read(out, as_version=4)
    assert nb.metadata.papermill.parameters == params
    # Each chart is kept once, as the PNG inside its HTML figure, not again as a separate image/png output.
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if "image/png" in o.get("data", {})]
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors


def test_bad_parameter_stops_the_notebook_with_a_clear_message(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(
            str(ROOT / "notebooks" / "district_report.ipynb"),
            str(tmp_path / "x.ipynb"),
            parameters={"area": "Atlantis", "period": "2024-10"},
            kernel_name=kernel_name(),
            progress_bar=False,
        )
    assert err.value.ename == "ParameterError" and "area 'Atlantis' is not known" in err.value.evalue


@pytest.mark.parametrize(
    ("name", "parameters", "misspelt", "expected"),
    [
        ("district_report.ipynb", {"arae": "Dover"}, "arae", "area, period, suppress_threshold"),
        ("kent_scorecard.ipynb", {"perod": "2024-10"}, "perod", "period, suppress_threshold"),
        ("budget_risk.ipynb", {"directorat": "ALL"}, "directorat", "directorate, year"),
    ],
)
def test_misspelt_parameter_names_are_refused_from_the_notebook_itself(name, parameters, misspelt, expected):
    with pytest.raises(ParameterError) as err:
        check_notebook_parameters(ROOT / "notebooks" / name, parameters)
    assert str(err.value) == f"parameter '{misspelt}' is not one {name} takes; expected {expected}."
    check_notebook_parameters(ROOT / "notebooks" / name, {})  # the defaults need nothing


def test_run_all_again_after_an_analyst_defines_a_scratch_variable(tmp_path):
    """The parameter check reads the notebook, not the kernel's variables: scratch work does not stop a rerun."""
    nb = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    scratch = nbformat.v4.new_code_cell("scratch = 'a note'\nlimit = 12")
    nb.cells = nb.cells + [scratch] + [nbformat.from_dict(c) for c in nb.cells]
    NotebookClient(
        nb, kernel_name=kernel_name(), timeout=600, resources={"metadata": {"path": str(ROOT / "notebooks")}}
    ).execute()
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]


@pytest.mark.parametrize(("name", "params"), [("district_report.ipynb", {"area": "Kent"}), ("kent_scorecard.ipynb", {})])
def test_reports_default_to_the_newest_edition_and_say_what_changed_since_the_last(
    tmp_path, monkeypatch, history_data, name, params
):
    monkeypatch.setenv("KCCPERF_DATA", str(history_data))
    out = tmp_path / name
    pm.execute_notebook(
        str(ROOT / "notebooks" / name), str(out), parameters=params, kernel_name=kernel_name(), cwd=str(ROOT), progress_bar=False
    )
    shown = "".join(
        o.get("data", {}).get("text/html", "") for c in nbformat.read(out, as_version=4).cells for o in c.get("outputs", [])
    )
    assert "November 2024" in shown and "period = 2024-11" in shown
    assert "Since the 2024-10 edition:" in shown
    # The revised figure, before and now, with its unit (the table's Before and Now columns).
    assert re.search(r">Sep-24</td><td[^>]*>23\.4%</td><td[^>]*>23\.9%</td>", shown)
    if name == "district_report.ipynb":  # its data-quality section lists the revision
        assert "Figure revised since an earlier edition" in shown


def _template(tmp_path, source: str):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source, metadata={"tags": ["parameters"]})])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "template.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize(
    "source",
    [
        'area: str = "Kent"\nperiod = ""\nlimit: int = 5  # a comment',
        "a = 1\n\nb: float = 2.5\nc = d = 3",
        "",
    ],
)
def test_the_parameter_check_reads_the_names_papermill_reads(tmp_path, source):
    # The check reads the cell's syntax (importing papermill would cost a runner a second): it must agree with papermill.
    path = _template(tmp_path, source)
    declared = list(pm.inspect_notebook(str(path)))
    check_notebook_parameters(path, dict.fromkeys(declared, 1))
    with pytest.raises(ParameterError) as err:
        check_notebook_parameters(path, {"nope": 1})
    assert str(err.value).endswith(f"expected {', '.join(declared)}.")


def test_a_parameters_cell_that_is_not_python_is_named(tmp_path):
    path = _template(tmp_path, "area = 'Kent'\nperiod = (")
    with pytest.raises(ParameterError, match=r"template.ipynb: the parameters cell is not valid Python \(its line 2\)"):
        check_notebook_parameters(path, {"area": "Dover"})
