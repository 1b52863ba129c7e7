"""The budget notebook (notebooks/budget_risk.ipynb): one library call a cell, and it runs end to end for CYPE and ALL."""

from __future__ import annotations

import ast

import nbformat
import papermill as pm
import pytest

from kccperf.publish.batch import kernel_name

from ..conftest import ROOT


def test_budget_notebook_is_one_call_a_cell_with_words_between():
    nb = nbformat.read(ROOT / "notebooks" / "budget_risk.ipynb", as_version=4)
    kinds = [c.cell_type for c in nb.cells]
    assert all(not (a == b == "code") for a, b in zip(kinds[2:], kinds[3:])), "a markdown cell between code cells"
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert "params = budget.check_budget_parameters(directorate=directorate, year=year)" in code
    for source in code[2:]:
        body = ast.parse(source).body
        assert len(body) == 1 and isinstance(body[0], (ast.Expr, ast.Assign)), source
        assert "columns=" not in source and "money=" not in source and "percent=" not in source, source


@pytest.mark.parametrize("directorate", ["CYPE", "ALL"])
def test_budget_notebook_executes(tmp_path, directorate):
    out = tmp_path / "budget_risk.ipynb"
    pm.execute_notebook(
        str(ROOT / "notebooks" / "budget_risk.ipynb"),
        str(out),
        parameters={"directorate": directorate},
        kernel_name=kernel_name(),
        cwd=str(ROOT / "notebooks"),
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    charts = [o for o in outputs if "data:image/png;base64," in o.get("data", {}).get("text/html", "")]
    assert len(charts) == 3
    assert all('alt="' in o["data"]["text/html"] and "<figcaption" in o["data"]["text/html"] for o in charts)
    assert not [o for o in outputs if "image/png" in o.get("data", {})], "each image is kept once, in its figure"
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert '<th scope="col">' in html and "do not add up" in html
    assert ("relies on unsecured funding" in html) == (directorate == "CYPE")
