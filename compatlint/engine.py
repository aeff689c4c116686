"""The rules stage: gives each event to the enabled rules that handle its type, collects findings.

A comparison's events come in batches (`Batch`): the schema change itself, and one per committed
migration file, each with the pair of schemas its events were found between (a migration is played on
the schema it runs against). `run_batches` is the one rule run of a comparison: every batch through the
rules, and the findings de-duplicated once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Sequence

from .changes import Event
from .context import Context
from .errors import RuleCrash
from .findings import Finding
from .model import Schema
from .rule import Rule


@dataclass
class Batch:
    """Events found between one pair of schemas (what rules see as `ctx.base`, `ctx.head`, `ctx.events`)."""

    events: list[Event]
    base: Schema
    head: Schema
    # For a migration's batch: moves a finding about something removed to the statement that removed it.
    place: Callable[[Finding], Finding] | None = None
    # A migration checked together with its schema change: a finding that repeats an earlier one of the
    # comparison (same code, table and column) is the same breakage, reported once. Findings about the
    # statements themselves (CL5xx) are always kept.
    repeats_earlier: bool = False
    # What the channel found besides events: suppression comments (of the head side, and of the base side,
    # which are never reported unused) and head files that could not be used (exit code 2).
    head_directives: tuple = ()
    base_directives: tuple = ()
    invalid_files: tuple = ()


def run_rules(rules: Iterable[type[Rule]], events: Sequence[Event], base: Schema, head: Schema) -> list[Finding]:
    """The findings of one batch of events, as the rules report them (severity overrides and the rest of
    the user's policy come later, once: `compatlint.suppress.finalize`)."""
    ctx = Context(platform=head.platform, base=base, head=head, events=events)
    by_type = _handlers(tuple(rules))
    instances: dict[type[Rule], Rule] = {}  # a rule is made when its first event comes (most never see one)
    for event in events:
        for rule in by_type.get(type(event), ()):
            instance = instances.get(rule)
            if instance is None:
                instance = instances[rule] = rule()
            try:
                instance.check(event, ctx)
            except Exception as error:
                raise RuleCrash(f"rule {instance.code} {instance.name} crashed on {type(event).__name__} "
                                f"{event.table_name or ''}: {error!r}") from error
    # One finding per (code, table, column, detail, location): rules may see an object twice.
    unique = {(f.code, f.table, f.column, f.detail, f.location, f.message): f for f in reversed(ctx.findings)}
    return sorted(unique.values(), key=Finding.sort_key)


@lru_cache(maxsize=64)
def _handlers(rules: tuple[type[Rule], ...]) -> dict[type, tuple[type[Rule], ...]]:
    """Event type -> the rules that handle it, in the rules' order."""
    by_type: dict[type, list[type[Rule]]] = {}
    for rule in rules:
        for handled in rule.handles:
            by_type.setdefault(handled, []).append(rule)
    return {handled: tuple(found) for handled, found in by_type.items()}


def run_batches(rules: Iterable[type[Rule]], batches: Sequence[Batch]) -> list[Finding]:
    """The one rule run of a comparison: every batch through the rules, findings placed and de-duplicated."""
    rules = list(rules)
    findings: list[Finding] = []
    seen: set[tuple] = set()
    for batch in batches:
        found = run_rules(rules, batch.events, batch.base, batch.head)
        if batch.place is not None:
            found = [batch.place(f) for f in found]
        for finding in found:
            key = (finding.code, finding.table, finding.column)
            if batch.repeats_earlier and key in seen and not finding.code.startswith("CL5"):
                continue
            findings.append(finding)
            seen.add(key)
    return sorted(findings, key=Finding.sort_key) if len(batches) > 1 else findings
