"""The package's floors: imports run one way, raw → scorecard → judge → publish, read from the source itself.

| room | may import |
|---|---|
| the foundations (``schemas``, ``errors`` and the private ``_*`` helpers at the top) | foundations only |
| ``scorecard`` | foundations |
| ``budget`` | foundations |
| ``judge`` | scorecard, foundations |
| ``publish`` | judge, budget, scorecard, foundations |
| ``cli`` and the public ``kccperf`` namespace | anything |
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "kccperf"
ROOMS = ("scorecard", "budget", "judge", "publish")
ALLOWED = {
    "foundation": {"foundation"},
    "scorecard": {"foundation", "scorecard"},
    "budget": {"foundation", "budget"},
    "judge": {"foundation", "scorecard", "judge"},
    "publish": {"foundation", "scorecard", "budget", "judge", "publish"},
    "top": {"foundation", "scorecard", "budget", "judge", "publish", "top"},
}
TOP = {"kccperf", "kccperf.cli"}


def room_of(module: str) -> str:
    """The room a dotted module name belongs to, e.g. ``kccperf.judge.rag`` → ``judge``."""
    parts = module.split(".")
    if module in TOP:
        return "top"
    if len(parts) > 1 and parts[1] in ROOMS:
        return parts[1]
    return "foundation"


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module) for every kccperf import in ``source``, relative ones resolved."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from . import floors` imports the module kccperf.judge.floors, not the package.
            found += [(node.lineno, f"{target}.{a.name}" if not node.module else target) for a in node.names]
    return [(line, name) for line, name in found if name == "kccperf" or name.startswith("kccperf.")]


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    room = room_of(module)
    bad = []
    for line, target in imported_modules(source, module, is_package):
        if target == "kccperf" and room != "top":
            bad.append(f"{module} line {line}: imports the public kccperf namespace (which imports everything)")
        elif target != "kccperf" and room_of(target) not in ALLOWED[room]:
            bad.append(f"{module} line {line}: {room} may not import {target} ({room_of(target)})")
    return bad


def _modules():
    return sorted(PACKAGE.rglob("*.py"))


def test_every_import_runs_down_the_floors():
    bad = []
    for path in _modules():
        bad += violations(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("kccperf.judge.rag", "from ..publish.suppress import suppress\n", "judge may not import kccperf.publish.suppress"),
        ("kccperf.scorecard.editions", "from ..judge import assess\n", "scorecard may not import kccperf.judge (judge)"),
        ("kccperf.budget.read", "import kccperf.scorecard.catalogue\n", "budget may not import kccperf.scorecard.catalogue"),
        ("kccperf.schemas", "from .publish import batch\n", "foundation may not import kccperf.publish (publish)"),
        ("kccperf.judge.assess", "def f():\n    from kccperf import suppress\n", "imports the public kccperf namespace"),
    ],
)
def test_an_upward_import_is_caught(module, source, expected):
    found = violations(source, module)
    assert any(expected in v for v in found), found


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("kccperf.judge.reconcile", "from . import floors as F\nfrom ..scorecard.editions import load_scorecard\n"),
        ("kccperf.publish.batch", "from ..judge.assess import assess\nfrom ..budget import load_budget\n"),
        ("kccperf.cli", "from .publish.batch import build_reports\n"),
    ],
)
def test_a_downward_import_is_allowed(module, source):
    assert violations(source, module) == []


def test_nothing_but_the_command_and_the_public_namespace_imports_publish():
    importers = set()
    for path in _modules():
        module = module_name(path)
        for _, target in imported_modules(path.read_text(encoding="utf-8"), module, path.name == "__init__.py"):
            if room_of(target) == "publish" and room_of(module) != "publish":
                importers.add(module)
    assert importers <= TOP, importers


@pytest.mark.parametrize("room", ROOMS)
def test_each_room_says_what_it_holds_and_may_import(room):
    doc = ast.get_docstring(ast.parse((PACKAGE / room / "__init__.py").read_text(encoding="utf-8")))
    assert doc and "May import" in doc and "Holds" in doc


def test_every_module_has_a_docstring():
    missing = [str(p.relative_to(ROOT)) for p in _modules() if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert not missing, missing
