"""What a rule sees besides its event (`Context`): both schemas, the platform, every event of the run, and a
memo so rules compute run-wide facts once. The engine makes one per run; rules only read it and report."""

from __future__ import annotations

from typing import Sequence

from .changes import Event
from .findings import Finding
from .model import Schema


class Context:
    """What a rule may look at besides its event: both schemas, the platform, all events. (A plain class: a
    dataclass is generated code, compiled at import.)"""

    def __init__(self, platform: str, base: Schema, head: Schema, events: Sequence[Event]):
        self.platform = platform
        self.base = base
        self.head = head
        self.events = events
        self.findings: list[Finding] = []
        self._memo: dict = {}

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def memo(self, key, compute):
        """Compute a value once per run (rules must not rescan `events` for every event they see)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def events_of(self, *types: type) -> list[Event]:
        """The run's events of these types, computed once."""
        return self.memo(("events_of", types), lambda: [e for e in self.events if isinstance(e, types)])
