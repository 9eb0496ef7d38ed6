"""The import structure of ``src/legation``: static imports only, and no cycles.

A function-level import or ``importlib`` hides a dependency from readers and from mypy, and a
cycle makes the order of module initialisation matter. Imports under ``if TYPE_CHECKING:`` are
for annotations only and do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "legation"


def _module(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.Module) -> tuple[list[str], list[int]]:
    """Module-level legation imports, and the lines of imports inside functions or classes."""
    top: list[str] = []
    nested: list[int] = []

    def visit(node: ast.AST, depth: int) -> None:
        for child in ast.iter_child_nodes(node):
            if _type_checking(child):
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                names = (
                    [a.name for a in child.names]
                    if isinstance(child, ast.Import)
                    else [child.module or ""]
                )
                if depth and not any(n.startswith(OPTIONAL) for n in names):
                    nested.append(child.lineno)
                else:
                    top.extend(n for n in names if n.startswith("legation"))
            inner = depth + isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            visit(child, inner)

    visit(tree, 0)
    return top, nested


def _graph() -> tuple[dict[str, set[str]], dict[str, list[int]]]:
    graph: dict[str, set[str]] = {}
    nested: dict[str, list[int]] = {}
    modules = {_module(p) for p in SRC.rglob("*.py")}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top, inner = _imports(tree)
        name = _module(path)
        deps = set()
        for t in top:
            while t and t not in modules:
                t = t.rsplit(".", 1)[0] if "." in t else ""
            if t and t != name:
                deps.add(t)
        graph[name] = deps
        if inner:
            nested[name] = inner
    return graph, nested


#: Optional extras (``serve``, ``dask``): imported by the function that needs them, so that the
#: core installs and runs without them.
OPTIONAL = ("fastapi", "uvicorn", "distributed", "dask", "legation.api")


def test_no_function_level_imports() -> None:
    _, nested = _graph()
    assert not nested, f"imports inside functions (module: lines): {nested}"


def test_no_importlib_beyond_model_and_resources() -> None:
    users = [
        _module(p)
        for p in SRC.rglob("*.py")
        if "import_module(" in p.read_text(encoding="utf-8") and _module(p) != "legation.pipeline"
    ]
    # legation.pipeline loads the spaCy model a user names (a package known only at run time).
    # importlib.resources (data files) is no import of code and is fine.
    assert not users, users


def test_no_import_cycles() -> None:
    graph, _ = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def walk(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for d in sorted(graph.get(n, ())):
            if state.get(d) == 1:
                cycles.append([*stack[stack.index(d) :], d])
            elif d not in state:
                walk(d)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            walk(n)
    assert not cycles, cycles[:5]
