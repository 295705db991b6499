"""The modules of src/dateline import each other without cycles: every import statement counts,
at module level or inside a function (a function-level import hides a cycle, it does not
remove it)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def _modules() -> dict[str, Path]:
    out = {}
    for path in (SRC / "dateline").rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module of ours that an imported name lives in (a package for its attributes)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> dict[str, set[str]]:
    """module -> the modules of dateline it imports (anywhere in its body)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                deps.update(filter(None, (_resolve(a.name, modules) for a in node.names)))
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                for alias in node.names:  # `from pkg import mod` imports pkg.mod
                    target = _resolve(f"{base}.{alias.name}", modules)
                    if target:
                        deps.add(target)
        deps.discard(name)
        graph[name] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_graph_is_read():
    graph = import_graph()
    assert "dateline.api.state" in graph["dateline.api.routes"]
    assert "dateline.ingest.pipeline" in graph["dateline.cli.articles"]  # function-level


def test_a_cycle_is_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def _own_imports_under_import_error(tree: ast.AST) -> list[int]:
    """Lines of `try: import dateline… except ImportError` (it would hide a broken module)."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        caught = set()
        for handler in node.handlers:
            types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
            caught |= {t.id for t in types if isinstance(t, ast.Name)}
        if not caught & {"ImportError", "ModuleNotFoundError"}:
            continue
        for inner in (n for stmt in node.body for n in ast.walk(stmt)):
            names = [a.name for a in inner.names] if isinstance(inner, ast.Import) else \
                [inner.module or ""] if isinstance(inner, ast.ImportFrom) else []
            if any(n == "dateline" or n.startswith("dateline.") for n in names) \
                    or (isinstance(inner, ast.ImportFrom) and inner.level):
                lines.append(inner.lineno)
    return lines


def test_own_modules_are_never_imported_under_except_import_error():
    found = {name: lines for name, path in _modules().items()
             if (lines := _own_imports_under_import_error(ast.parse(path.read_text("utf-8"))))}
    assert found == {}


def test_the_import_error_check_finds_one():
    code = "try:\n    from dateline.dedup import update_events\nexcept ImportError:\n    pass\n"
    assert _own_imports_under_import_error(ast.parse(code)) == [2]
