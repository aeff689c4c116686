"""The shape of the code: no import cycle between compatlint's modules, no rule module importing another
rule module, and no module over ~500 lines.

Imports are read with `ast` from the sources (the packages `compatlint` and `rules/`, installed as
`compatlint.rules`), every `import` counted wherever it sits: a function-level import that dodges a cycle
at start-up is still a cycle in the design. `if TYPE_CHECKING:` imports count too.
"""

from __future__ import annotations

import ast
import functools
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGES = {"compatlint": os.path.join(ROOT, "compatlint"), "compatlint.rules": os.path.join(ROOT, "rules")}
MAX_LINES = 500
# Generated tables, exempt from the size limit: none today. Name a file here (path from the repository root)
# only when its bulk is data a tool wrote, never hand-written code.
GENERATED_TABLES: frozenset[str] = frozenset()


def _modules() -> dict[str, str]:
    """Dotted module name -> file path, for every module of compatlint and its built-in rules."""
    found = {}
    for package, folder in PACKAGES.items():
        for directory, subdirs, names in os.walk(folder):
            subdirs[:] = [d for d in subdirs if d != "__pycache__" and not (package == "compatlint" and d == "rules")]
            relative = os.path.relpath(directory, folder)
            prefix = package if relative == "." else f"{package}.{relative.replace(os.sep, '.')}"
            for name in names:
                if name.endswith(".py"):
                    module = prefix if name == "__init__.py" else f"{prefix}.{name[:-3]}"
                    found[module] = os.path.join(directory, name)
    return found


MODULES = _modules()


@functools.lru_cache(maxsize=None)
def _tree(path: str) -> ast.Module:
    with open(path, encoding="utf-8") as handle:
        return ast.parse(handle.read(), path)


def _imports(module: str, path: str) -> set[str]:
    """The compatlint modules `module` imports (a `from package import name` of a submodule is that module)."""
    tree = _tree(path)
    package = module if path.endswith("__init__.py") else module.rsplit(".", 1)[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            names = [source] + [f"{source}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name in MODULES:
                targets.add(name)
            elif name.rsplit(".", 1)[0] in MODULES and name not in MODULES and name.count(".") > 0:
                targets.add(name.rsplit(".", 1)[0])
    targets.discard(module)
    return targets


def _graph() -> dict[str, set[str]]:
    return {module: _imports(module, path) for module, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
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


def _is_package(module: str) -> bool:
    return MODULES[module].endswith("__init__.py")


def test_the_import_walk_sees_the_modules_and_their_imports():
    graph = _graph()
    # the walk must see the real edges, or the tests below pass on an empty graph
    assert "compatlint.rules.column_dropped" in graph and "compatlint.rehearse.session" in graph
    assert "compatlint.rules._common" in graph["compatlint.rules.column_dropped"]
    assert "compatlint.changes" in graph["compatlint.rules.column_dropped"]
    assert "compatlint.rehearse.run" in graph["compatlint.rehearse.session"]


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle():
    graph = _graph()
    # A package's __init__ re-exporting its submodules, which import their siblings, is not a cycle in the
    # design: edges into a package's own __init__ from inside the package are left out.
    for module, targets in graph.items():
        graph[module] = {t for t in targets if not (_is_package(t) and module.startswith(t + "."))}
    assert _cycles(graph) == []


def test_no_rule_module_imports_another_rule_module():
    graph = _graph()
    rules = {m for m in MODULES if m.startswith("compatlint.rules.")}
    rule_modules = {m for m in rules if not m.rsplit(".", 1)[1].startswith("_")}
    offenders = {m: sorted(graph[m] & rule_modules) for m in rules if graph[m] & rule_modules}
    assert offenders == {}


def test_no_module_over_the_size_limit():
    too_long = {}
    for module, path in MODULES.items():
        relative = os.path.relpath(path, ROOT).replace(os.sep, "/")
        if relative in GENERATED_TABLES:
            continue
        with open(path, encoding="utf-8") as handle:
            lines = sum(1 for _ in handle)
        if lines > MAX_LINES:
            too_long[relative] = lines
    assert too_long == {}


def test_generated_tables_named_as_exempt_exist():
    for relative in GENERATED_TABLES:
        assert os.path.isfile(os.path.join(ROOT, relative)), relative


def test_every_event_type_states_its_side_and_location():
    from typing import ClassVar

    import pytest

    from compatlint import changes as ev
    from compatlint.transfers.events import TRANSFER_EVENTS

    for event_type in (*ev.ALL_EVENTS, *TRANSFER_EVENTS):
        assert "location" in vars(event_type), event_type
        assert "SIDE" in vars(event_type) or "side" in vars(event_type), event_type
    removed = [t for t in (*ev.ALL_EVENTS, *TRANSFER_EVENTS) if t.__name__.endswith("Removed")]
    assert removed and all(t.SIDE == "base" for t in removed)
    with pytest.raises(TypeError, match="must state its own location and SIDE or side"):
        @ev.frozen_event
        class Unplaced(ev.Event):
            RANK: ClassVar[int] = 99


def test_no_module_imports_another_modules_private_names():
    """Shared helpers are public in the module that owns them (e.g. `compatlint.cli_support` for the commands),
    never a `_name` borrowed from a sibling."""
    borrowed = []
    for module, path in MODULES.items():
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                borrowed += [f"{module}: {node.module}.{alias.name}" for alias in node.names
                             if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert borrowed == []


def test_every_package_is_installed():
    """A regular (non-editable) install ships only the packages pyproject.toml lists."""
    import tomllib

    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as handle:
        listed = set(tomllib.load(handle)["tool"]["setuptools"]["packages"])
    packages = {module if path.endswith("__init__.py") else module.rsplit(".", 1)[0] for module, path in MODULES.items()}
    assert packages == listed


def _calls(name: str) -> set[str]:
    """The modules that call a function of this name."""
    found = set()
    for module, path in MODULES.items():
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                if called == name:
                    found.add(module)
    return found


def test_rules_run_and_policy_applies_in_one_place():
    """Every comparison goes through `pipeline.run`: the one rule run (`engine.run_batches`), and the one
    place severity overrides, suppressions, ignores and the baseline are applied (`suppress.finalize`)."""
    assert _calls("run_batches") == {"compatlint.pipeline"}
    assert _calls("finalize") == {"compatlint.pipeline"}
    assert _calls("run_rules") == {"compatlint.engine"}
    assert _calls("with_severity") == {"compatlint.suppress"}


def test_only_the_command_line_goes_through_the_front_door():
    """`compatlint.api` re-exports for users; the library's own modules import the stage they need, so the
    facade never sits inside the flow."""
    graph = _graph()
    importers = {module for module, targets in graph.items() if "compatlint.api" in targets}
    assert importers <= {"compatlint.cli", "compatlint.cli_support", "compatlint.rehearse_cli"}
    assert "compatlint.cli_support" in importers  # the walk sees this edge, so an empty set means something
