"""Column names come from the schemas: no quoted column name outside ``kccperf/schemas.py``.

The pandera models in :mod:`kccperf.schemas` are the one home of DataFrame column
names (``Finding.category`` evaluates to ``"category"``). This test reads the source
of the checked modules with :mod:`ast`, collects every string constant used where
pandas takes a column name, keeps those that are the name of a column of some schema
model (so an ordinary dict key or a value such as ``"RED"`` does not count) and fails
listing ``file:line: "name"`` for each one not on the short allow-list below.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pandera.pandas as pa
import pytest

from kccperf import schemas

ROOT = Path(__file__).resolve().parent.parent

# The folders (or single modules) checked, relative to the repository. kccperf/publish and the
# scorecard reader join this list once their rewrites have landed.
CHECKED = ["kccperf"]
# schemas.py is the home of the names itself.
EXCLUDED = ["kccperf/schemas.py"]

# (module, enclosing function, literal): why the literal is not a column name.
ALLOWED: dict[tuple[str, str, str], str] = {
    ("kccperf/budget/read.py", "edition_info", "title"): (
        "a key of the edition-facts dict load_edition returns (a value of BudgetEdition.key), not a column"
    ),
    ("kccperf/publish/parameters.py", "_declared", "source"): "a key of a notebook cell's JSON (nbformat), not a column",
    ("kccperf/publish/batch.py", "_export_html", "title"): (
        "a key of the executed notebook's metadata, where the kccperf nbconvert template reads the page title"
    ),
}

# Methods that take column names: positions of such arguments, and keywords.
_COLUMN_ARGS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    "groupby": ((0,), ("by",)),
    "sort_values": ((0,), ("by",)),
    "drop_duplicates": ((0,), ("subset",)),
    "duplicated": ((0,), ("subset",)),
    "dropna": ((), ("subset",)),
    "value_counts": ((0,), ("subset",)),
    "nlargest": ((1,), ("columns",)),
    "nsmallest": ((1,), ("columns",)),
    "merge": ((), ("on", "left_on", "right_on")),
    "join": ((), ("on",)),
    "set_index": ((0,), ("keys",)),
    "reset_index": ((), ("names",)),
    "rename": ((0,), ("columns",)),
    "pivot": ((), ("index", "columns", "values")),
    "pivot_table": ((0, 1, 2), ("values", "index", "columns")),
    "melt": ((), ("id_vars", "value_vars", "var_name", "value_name")),
    "drop": ((), ("columns",)),
    "reindex": ((), ("columns",)),
    "explode": ((0,), ("column",)),
    "astype": ((0,), ()),
    "insert": ((1,), ("column",)),
    "to_frame": ((0,), ("name",)),
}
# Methods whose keyword names are the columns they make: ``assign(rag=...)``, ``agg(n=("rag", "size"))``.
_KEYWORD_COLUMNS = {"assign", "agg", "aggregate"}
_INDEXERS = {"loc", "at"}


def schema_columns() -> set[str]:
    """Every column name of every pandera model in :mod:`kccperf.schemas`."""
    names: set[str] = set()
    for obj in vars(schemas).values():
        if isinstance(obj, type) and issubclass(obj, pa.DataFrameModel) and obj is not pa.DataFrameModel:
            names |= set(obj.to_schema().columns)
    return names


def _strings(node: ast.AST | None) -> Iterator[ast.Constant]:
    """String constants in a column argument: a name, a list or tuple of names, or a dict's keys and values."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        for elt in node.elts:
            yield from _strings(elt)
    elif isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values):
            yield from _strings(k)
            yield from _strings(v)


def _dict_keys(node: ast.AST | None) -> Iterator[ast.Constant]:
    if isinstance(node, ast.Dict):
        for k in node.keys:
            yield from _strings(k)


class _Collector(ast.NodeVisitor):
    """Collects (line, literal, enclosing function) for every string used as a column name."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str, str]] = []
        self._scope: list[str] = []

    def _add(self, nodes) -> None:
        where = ".".join(self._scope) or "<module>"
        self.found.extend((n.lineno, n.value, where) for n in nodes)

    def _scoped(self, node) -> None:
        self._scope.append(node.name)
        self.generic_visit(node)
        self._scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scoped

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.value, ast.Attribute) and node.value.attr in _INDEXERS:
            # frame.loc[rows, "column"]: only the column part; frame.loc["label"] names a row.
            if isinstance(node.slice, ast.Tuple):
                for elt in node.slice.elts[1:]:
                    self._add(_strings(elt))
        elif not (isinstance(node.value, ast.Attribute) and node.value.attr in ("iloc", "iat", "str")):
            self._add(_strings(node.slice))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name in _COLUMN_ARGS:
            positions, keywords = _COLUMN_ARGS[name]
            self._add(s for i in positions if i < len(node.args) for s in _strings(node.args[i]))
            self._add(s for kw in node.keywords if kw.arg in keywords for s in _strings(kw.value))
        if name in _KEYWORD_COLUMNS:
            for kw in node.keywords:
                if kw.arg is None:  # assign(**{"column": ...})
                    self._add(_dict_keys(kw.value))
                else:
                    self.found.append((kw.value.lineno, kw.arg, ".".join(self._scope) or "<module>"))
                    if name != "assign" and isinstance(kw.value, ast.Tuple) and kw.value.elts:
                        self._add(_strings(kw.value.elts[0]))  # agg(out=("column", "sum"))
        if name == "DataFrame":
            self._add(_dict_keys(node.args[0]) if node.args else iter(()))
            self._add(s for kw in node.keywords if kw.arg == "columns" for s in _strings(kw.value))
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        # "column" in frame.columns
        for op, right in zip(node.ops, node.comparators):
            if isinstance(op, ast.In | ast.NotIn) and isinstance(right, ast.Attribute) and right.attr == "columns":
                self._add(_strings(node.left))
        self.generic_visit(node)


def column_literals(source: str, columns: set[str]) -> list[tuple[int, str, str]]:
    """(line, literal, enclosing function) of each string in ``source`` used as a column name that is in ``columns``."""
    collector = _Collector()
    collector.visit(ast.parse(source))
    return sorted((line, name, where) for line, name, where in collector.found if name in columns)


def checked_modules() -> list[Path]:
    excluded = [ROOT / e for e in EXCLUDED]
    files = set()
    for entry in CHECKED:
        path = ROOT / entry
        files |= {path} if path.suffix == ".py" else set(path.rglob("*.py"))
    return sorted(f for f in files if not any(f == e or e in f.parents for e in excluded))


def _violations() -> tuple[list[str], set[tuple[str, str, str]]]:
    columns = schema_columns()
    bad, used = [], set()
    for path in checked_modules():
        rel = path.relative_to(ROOT).as_posix()
        for line, name, where in column_literals(path.read_text(encoding="utf-8"), columns):
            key = (rel, where, name)
            if key in ALLOWED:
                used.add(key)
            else:
                bad.append(f'{rel}:{line}: "{name}" (in {where})')
    return bad, used


def test_column_names_come_from_the_schemas():
    bad, _ = _violations()
    assert not bad, "column names spelt as literals; use the schema model's attribute instead:\n" + "\n".join(bad)


def test_every_allowed_literal_is_still_there():
    _, used = _violations()
    assert set(ALLOWED) == used, f"allow-list entries no longer needed: {sorted(set(ALLOWED) - used)}"


def test_the_checked_folders_exist_and_hold_modules():
    assert all((ROOT / entry).exists() for entry in CHECKED)
    modules = {p.relative_to(ROOT).as_posix() for p in checked_modules()}
    assert "kccperf/judge/reconcile.py" in modules and "kccperf/budget/calculate.py" in modules
    assert "kccperf/publish/summary.py" in modules and "kccperf/scorecard/reader/values.py" in modules
    assert "kccperf/schemas.py" not in modules


SNIPPET = """
import pandas as pd
from kccperf.schemas import Finding as F

def f(frame, d):
    a = frame["category"]
    b = frame[["area", "not_a_column_anywhere"]]
    c = frame.loc[frame[F.area] == "Kent", "block"]
    g = frame.groupby("indicator").size()
    s = frame.sort_values(by=["published", F.computed])
    m = frame.merge(frame, on=["source_file"], left_on="source_row")
    r = frame.rename(columns={"explanation": "no_such_column"})
    p = frame.pivot_table(index="area", columns="block", values="category")
    x = frame.drop(columns="indicator").drop_duplicates(["area"])
    y = frame.assign(category=1, **{"block": 2}).query("area == 'Kent'")
    z = frame.groupby(F.area).agg(indicator=("published", "first"))
    n = pd.DataFrame({"computed": [1]}, columns=["explanation"])
    k = "source_row" in frame.columns
    v = frame.loc["area"]
    w = frame[F.category] == "rag"
    return d["dict_key"]
"""


def test_the_check_finds_literals_in_a_snippet():
    found = column_literals(SNIPPET, schema_columns())
    assert [(line, name) for line, name, _ in found] == [
        (6, "category"),
        (7, "area"),
        (8, "block"),
        (9, "indicator"),
        (10, "published"),
        (11, "source_file"),
        (11, "source_row"),
        (12, "explanation"),
        (13, "area"),
        (13, "block"),
        (13, "category"),
        (14, "area"),
        (14, "indicator"),
        (15, "block"),
        (15, "category"),
        (16, "indicator"),
        (16, "published"),
        (17, "computed"),
        (17, "explanation"),
        (18, "source_row"),
    ]
    assert {where for _, _, where in found} == {"f"}


@pytest.mark.parametrize(
    "source",
    [
        "frame[F.category]",
        "frame.loc['area']",
        "frame.query(\"category == 'rag'\")",
        "d['no_such_column']",
        "frame[frame[F.rag] == 'RED']",
        "frame.iloc[:, 0]",
    ],
)
def test_the_check_ignores_what_is_not_a_column_literal(source):
    assert column_literals(source, schema_columns()) == []
