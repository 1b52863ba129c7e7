"""The project's set-up files agree with each other."""

from __future__ import annotations

import re
import tomllib

import yaml

from .conftest import ROOT


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _runtime(pyproject: dict) -> list[str]:
    """The runtime packages: the dependencies and the optional 'cluster' extra (the analysts' environment has both)."""
    return pyproject["project"]["dependencies"] + pyproject["project"]["optional-dependencies"]["cluster"]


def test_environment_yml_and_pyproject_declare_the_same_runtime_packages():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    pip = {_name(d) for d in _runtime(pyproject)}
    assert conda == pip, f"only in environment.yml: {conda - pip}; only in pyproject.toml: {pip - conda}"
    assert "conda-forge" in env["channels"]


def test_core_packages_are_declared():
    deps = {_name(d) for d in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]}
    assert {"jupyterlab", "pandas", "matplotlib", "papermill", "nbconvert", "ipykernel"} <= deps
    # seaborn was declared but never imported: the charts are plain matplotlib, so it is not a dependency.
    assert "seaborn" not in deps


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make report" in readme
    assert re.search(r"^make test$", ci, re.M)


def test_outputs_are_ignored_except_the_readme():
    ignore = (ROOT / ".gitignore").read_text().splitlines()
    assert "outputs/*" in ignore and "!outputs/README.md" in ignore


def test_code_passes_ruff():
    import subprocess
    import sys
    from pathlib import Path

    ruff = Path(sys.executable).parent / "ruff"
    res = subprocess.run(
        [str(ruff), "check", "kccperf", "kccperf_launcher.py", "tests", "benchmarks"], cwd=ROOT, capture_output=True, text=True
    )
    assert res.returncode == 0, res.stdout[-2000:]


def _lower_bounds(specs) -> dict[str, str]:
    bounds = {}
    for spec in specs:
        found = re.search(r">=\s*([\w.]+)", spec)
        assert found, f"{spec}: every runtime package declares its lowest working version with >="
        bounds[_name(spec)] = found.group(1)
    return bounds


def test_minimum_pins_are_the_declared_lower_bounds_and_ci_tests_them():
    declared = _lower_bounds(_runtime(tomllib.loads((ROOT / "pyproject.toml").read_text())))
    pins = {}
    for line in (ROOT / "constraints" / "minimum.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[_name(name)] = version.strip()
    assert pins == declared
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = _lower_bounds(
        d for d in env["dependencies"] if isinstance(d, str) and d not in ("pip",) and not d.startswith("python")
    )
    assert conda == declared
    assert re.search(r"^make test-minimum$", (ROOT / ".ci" / "run").read_text(), re.M)


def test_the_kernel_is_registered_the_same_way_by_make_and_for_conda():
    assert "$(BIN)/kccperf kernel" in (ROOT / "Makefile").read_text()
    assert "kccperf kernel" in (ROOT / "environment.yml").read_text()
