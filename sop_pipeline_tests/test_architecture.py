"""The package's structure, read from its imports: no cycles between packages, the planning
logic free of Dagster and of I/O, and the demo company outside the product's core.

`python -m sop_pipeline_tests.test_architecture` prints the import cycles it finds (modules and
packages), the figures quoted in the architecture notes.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterable
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1] / "sop_pipeline"


def module_name(path: Path) -> str:
    """`sop_pipeline.core.demand.plan` for `sop_pipeline/core/demand/plan.py`."""
    parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: Collection[str] = ()) -> set[str]:
    """Every module name `path` imports (absolute names, function-level imports included).
    `from package import submodule` names the submodule (one of `modules`), not the package."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                names.add(submodule if submodule in modules else node.module)
    return names


def module_graph() -> dict[str, set[str]]:
    """The project's modules and, for each, the project modules it imports."""
    files = {module_name(path): path for path in PACKAGE_ROOT.rglob("*.py")}
    return {
        name: {target for target in imports_of(path, files) if target in files and target != name}
        for name, path in files.items()
    }


def package_of(module: str, graph: dict[str, set[str]]) -> str:
    """The package a module belongs to (a package's `__init__` belongs to the package)."""
    is_package = any(other.startswith(module + ".") for other in graph)
    return module if is_package else module.rsplit(".", 1)[0]


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Imports between packages: an edge for every module import that crosses a package."""
    packages: dict[str, set[str]] = {package_of(m, graph): set() for m in graph}
    for module, targets in graph.items():
        source = package_of(module, graph)
        packages[source].update(
            package_of(t, graph) for t in targets if package_of(t, graph) != source
        )
    return packages


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def external_imports(prefix: str) -> dict[str, set[str]]:
    """Top-level third-party names imported by each module under `prefix`."""
    result = {}
    for path in PACKAGE_ROOT.rglob("*.py"):
        name = module_name(path)
        if name == prefix or name.startswith(prefix + "."):
            result[name] = {target.split(".")[0] for target in imports_of(path)}
    return result


def offenders(prefix: str, forbidden: Iterable[str]) -> dict[str, set[str]]:
    banned = set(forbidden)
    return {m: hits for m, names in external_imports(prefix).items() if (hits := names & banned)}


def test_no_import_cycles_between_packages() -> None:
    assert cycles(package_graph(module_graph())) == []


def test_no_import_cycles_between_modules() -> None:
    assert cycles(module_graph()) == []


def test_the_planning_logic_never_imports_dagster_or_does_io() -> None:
    assert offenders("sop_pipeline.core", ["dagster", "dagster_dbt", "sqlalchemy", "duckdb"]) == {}


def test_core_never_imports_the_layers_above_it() -> None:
    graph = module_graph()
    above = (
        "sop_pipeline.defs",
        "sop_pipeline.io",
        "sop_pipeline.demo",
        "sop_pipeline.simulation",
        "sop_pipeline.cli",
    )
    upward = {
        module: {t for t in targets if t.startswith(above)}
        for module, targets in graph.items()
        if module.startswith("sop_pipeline.core")
    }
    assert {m: t for m, t in upward.items() if t} == {}


def test_the_simulated_world_and_its_scores_are_plain_python() -> None:
    # the closed loop runs the pipeline through sop_pipeline/closed_loop.py (the runner)
    banned = ["dagster", "dagster_dbt", "sqlalchemy", "duckdb"]
    assert offenders("sop_pipeline.demo", banned) == {}
    assert offenders("sop_pipeline.simulation", banned) == {}


def test_the_finder_sees_a_cycle_when_there_is_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


if __name__ == "__main__":
    modules = module_graph()
    for title, graph in (("modules", modules), ("packages", package_graph(modules))):
        found = cycles(graph)
        print(f"import cycles between {title}: {len(found)}")
        for component in found:
            print("  " + " <-> ".join(component))
