"""Rule discovery: built-ins by walking `compatlint.rules`, third parties by the entry point group
`compatlint.rules` (each entry point names a module or a Rule class). Duplicate codes or names are refused."""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import sys
from functools import lru_cache

from .rule import Rule

ENTRY_POINT_GROUP = "compatlint.rules"


from .errors import RegistryError  # noqa: F401 - re-exported


def _rules_in_module(module) -> list[type[Rule]]:
    return [
        obj for _, obj in inspect.getmembers(module, inspect.isclass)
        if issubclass(obj, Rule) and obj is not Rule and obj.__module__ == module.__name__ and "code" in obj.__dict__
    ]


def _builtin_rules() -> list[type[Rule]]:
    package = importlib.import_module("compatlint.rules")
    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        found.extend(_rules_in_module(importlib.import_module(f"compatlint.rules.{info.name}")))
    return found


def _any_plugin_installed() -> bool:
    """Cheap pre-check: does any installed distribution declare the entry point group at all?
    Importing importlib.metadata costs more than the whole of a small `check`, so it is only
    imported when this finds a candidate."""
    marker = f"[{ENTRY_POINT_GROUP}]"
    for folder in sys.path:
        try:
            entries = os.scandir(folder or ".")
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.name.endswith((".dist-info", ".egg-info")):
                    try:
                        with open(os.path.join(entry.path, "entry_points.txt"), encoding="utf-8") as handle:
                            if marker in handle.read():
                                return True
                    except OSError:
                        continue
    return False


def _plugin_rules() -> list[type[Rule]]:
    if not _any_plugin_installed():
        return []
    from importlib.metadata import entry_points

    found = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry.load()
        except Exception as error:  # a broken plugin is a usage error, named
            raise RegistryError(f"rule plugin {entry.name!r} ({entry.value}) failed to load: {error}") from None
        if inspect.isclass(loaded) and issubclass(loaded, Rule):
            found.append(loaded)
        elif inspect.ismodule(loaded):
            found.extend(_rules_in_module(loaded))
        else:
            raise RegistryError(f"rule plugin {entry.name!r} ({entry.value}) is neither a Rule class nor a module")
    return found


def check_unique(rules: list[type[Rule]]) -> None:
    seen: dict[str, type[Rule]] = {}
    for rule in rules:
        for key in (rule.code, rule.name, *rule.aliases):
            other = seen.get(key)
            if other is not None and other is not rule:
                raise RegistryError(
                    f"duplicate rule code or name {key!r}: {other.__module__}.{other.__name__} and {rule.__module__}.{rule.__name__}")
            seen[key] = rule


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    rules = _builtin_rules() + _plugin_rules()
    check_unique(rules)
    return tuple(sorted(rules, key=lambda r: r.code))


def rule_by_key(key: str) -> type[Rule] | None:
    """Look a rule up by code (case-insensitive), name or alias."""
    wanted = key.strip()
    for rule in all_rules():
        if wanted.upper() == rule.code or wanted.lower() == rule.name or wanted.lower() in rule.aliases:
            return rule
    return None
