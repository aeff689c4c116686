"""What a comparison produced (`LintResult`): the findings, the events, both schemas, and what the
suppression step did. Reporters render it; the CLI maps it to an exit code."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import changes as ev
from .findings import Finding, Severity
from .loaders.merge import LoadProblem
from .model import Schema


@dataclass
class LintResult:
    """One comparison's outcome (a docstring also spares `dataclass` working one out at import)."""

    findings: list[Finding]
    events: list[ev.Event]
    base: Schema
    head: Schema
    notes: list[str] = field(default_factory=list)
    base_label: str = "base"
    head_label: str = "head"
    suppression: object = None  # compatlint.suppress.Suppression once finalize() ran
    # Head files that could not be used: bad input (exit 2), whatever the rules and suppressions did.
    invalid_files: list[LoadProblem] = field(default_factory=list)
    nothing_to_check: bool = False
    # Git modes run from a sub-folder: the text report shows paths relative to where the user is; the
    # machine formats keep them relative to the repository root, as CI systems resolve them.
    display_prefix: str = ""

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def suppressed(self) -> int:
        return self.suppression.by_directive + self.suppression.by_config + self.suppression.by_baseline \
            if self.suppression else 0

    def input_errors(self) -> list[LoadProblem]:
        """Head files that could not be read as Propel schemas (exit code 2)."""
        return self.invalid_files

    def failed(self, threshold: Severity) -> bool:
        return any(f.severity >= threshold for f in self.findings)


def empty_result(platform: str, base_label: str, head_label: str, note: str | None = None) -> LintResult:
    """The result of a comparison that had nothing to compare (e.g. no schema file staged)."""
    empty = Schema(platform=platform, tables={})
    result = LintResult([], [], empty, empty, notes=[note] if note else [], base_label=base_label, head_label=head_label)
    result.nothing_to_check = True
    return result
