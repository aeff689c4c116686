"""The engine: gives each event to the enabled rules that handle its type, collects findings."""

from __future__ import annotations

from typing import Iterable, Sequence

from .changes import Event
from .context import Context
from .errors import RuleCrash
from .findings import Finding, Severity
from .model import Schema
from .rule import Rule


def run_rules(rules: Iterable[type[Rule]], events: Sequence[Event], base: Schema, head: Schema,
              severity_overrides: dict[str, Severity] | None = None) -> list[Finding]:
    ctx = Context(platform=head.platform, base=base, head=head, events=events)
    instances = [rule() for rule in rules]
    by_type: dict[type, list[Rule]] = {}
    for instance in instances:
        for handled in instance.handles:
            by_type.setdefault(handled, []).append(instance)
    for event in events:
        for instance in by_type.get(type(event), ()):
            try:
                instance.check(event, ctx)
            except Exception as error:
                raise RuleCrash(f"rule {instance.code} {instance.name} crashed on {type(event).__name__} "
                                f"{event.table_name or ''}: {error!r}") from error
    findings = ctx.findings
    if severity_overrides:
        from dataclasses import replace
        findings = [replace(f, severity=severity_overrides.get(f.code, f.severity)) for f in findings]
    # One finding per (code, table, column, detail, location): rules may see an object twice.
    unique = {(f.code, f.table, f.column, f.detail, f.location, f.message): f for f in reversed(findings)}
    return sorted(unique.values(), key=Finding.sort_key)
