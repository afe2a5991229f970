"""The arrows of docs/architecture.md, checked on the source (``ast``; nothing is imported).

HTTP / GraphQL / pages / CLI / jobs -> services -> repositories -> database; ``matching`` pure.
Each rule names the offending module and import, so a failure says what to move.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("accr_graph", "schema", "matching")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache  # every rule reads the same tree: parse it once per run
def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "sample" not in path.parts  # the sample generator is a standalone script
    }


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    """Every node, except what sits under ``if TYPE_CHECKING:`` (never imported at run time).
    An explicit stack: nested generators cost time proportional to the depth at every node."""
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        if isinstance(child, ast.If) and _is_type_checking(child):
            stack.extend(child.orelse)
            continue
        yield child
        stack.extend(ast.iter_child_nodes(child))


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(module: str, path: Path) -> set[str]:
    """Modules imported at run time, anywhere in the file (function-local imports included);
    ``from package import name`` counts as ``package.name`` when that is a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    known = _modules()
    found: set[str] = set()
    for node in _walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node, path.name == "__init__.py")
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known)
    return found


@functools.cache
def _edges() -> list[tuple[str, str]]:
    return [
        (module, target)
        for module, path in _modules().items()
        for target in sorted(imports_of(module, path))
    ]


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _violations(source: str, target: str, allowed: tuple[str, ...] = ()) -> list[str]:
    return [
        f"{module} imports {imported}"
        for module, imported in _edges()
        if _under(module, source)
        and _under(imported, target)
        and not any(_under(module, a) or module.endswith(a) for a in allowed)
    ]


def test_repositories_never_import_services() -> None:
    assert _violations("accr_graph.repositories", "accr_graph.services") == []


def test_schema_reaches_repositories_only_from_loaders() -> None:
    assert _violations("schema", "accr_graph.repositories", allowed=("loaders",)) == []


def test_matching_is_pure() -> None:
    for forbidden in ("accr_graph", "schema", "sqlalchemy", "strawberry"):
        assert _violations("matching", forbidden) == [], forbidden


def test_accr_graph_imports_schema_only_in_the_app_factory_and_the_cli() -> None:
    allowed = ("accr_graph.app", "accr_graph.cli")
    assert _violations("accr_graph", "schema", allowed=allowed) == []


def test_viewer_lives_below_services_and_repositories() -> None:
    assert not (ROOT / "accr_graph" / "services" / "viewer.py").exists()
    assert _violations("accr_graph.viewer", "accr_graph.services") == []


def test_no_import_cycles_inside_schema() -> None:
    graph = nx.DiGraph(
        [(a, b) for a, b in _edges() if _under(a, "schema") and _under(b, "schema") and a != b]
    )
    cycles = sorted(sorted(c) for c in nx.simple_cycles(graph) if len(c) > 1)
    assert cycles == [], "\n".join(" -> ".join(c) for c in cycles[:10])


@pytest.mark.parametrize("rule", ["repositories", "schema"])
def test_the_checker_sees_a_forbidden_import(rule: str, tmp_path: Path) -> None:
    # A rule that could not fail would prove nothing: a planted import is found.
    planted = tmp_path / "planted.py"
    source = {
        "repositories": "from accr_graph.services import uow\n",
        "schema": "def f():\n    from accr_graph.repositories import centres\n",
    }[rule]
    planted.write_text(source, encoding="utf-8")
    found = imports_of("schema.planted", planted)
    assert any(_under(name, "accr_graph") for name in found)
