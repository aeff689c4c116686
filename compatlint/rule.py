"""The rule base class. One rule per module; its docstring is its documentation.

A rule declares `code`, `name`, `severity` and the event types it handles; `check(event, ctx)`
calls `ctx.report(...)` for each finding. Metadata is validated when the class is created, so a
rule without a code, documentation sections or examples fails at import, not in a user's CI.
"""

from __future__ import annotations

import inspect
import re
from typing import TYPE_CHECKING, ClassVar, Mapping, NamedTuple

from .changes import Event
from .findings import Finding, Severity
from .model import Origin

if TYPE_CHECKING:
    from .context import Context

DOC_SECTIONS = ("What it flags", "Why V1 breaks", "Safe path", "Platforms")
_CODE = re.compile(r"^CL\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


# Named tuples, not frozen dataclasses: those are generated code, compiled at import (every run's start).
class Expect(NamedTuple):
    """A finding an INVALID example expects."""

    code: str
    table: str | None = None
    column: str | None = None


class Example(NamedTuple):
    """Schema XML before and after (table elements, or a mapping of path -> whole file), the platform,
    and for INVALID examples the findings expected from this rule."""

    before: str | Mapping[str, str]
    after: str | Mapping[str, str]
    expect: tuple[Expect, ...] = ()
    platform: str = "mysql"
    severity: Severity | None = None  # when given, every expected finding must have it
    note: str = ""
    # SQL examples (CL5xx, and SQL forms of the schema rules): the migration text, linted against
    # `before` as the base schema; `after` is not used then. `sql_path` ending in .php reads a migration class.
    sql: str | None = None
    sql_path: str = "src/Orm/Propel/Migration_mysql/PropelMigration_1700000000.sql"
    # For a migration checked together with the schema change before -> after: the statements that are
    # not what Propel would generate are hand-written, and CL503 compares the two.
    with_schema_change: bool = False


def expect(code: str, table: str | None = None, column: str | None = None) -> Expect:
    return Expect(code, table, column)


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    handles: ClassVar[tuple[type[Event], ...]] = ()
    safe_path: ClassVar[str | None] = None
    aliases: ClassVar[tuple[str, ...]] = ()
    # Meta rules (CL903, CL904, CL906) are reported by the suppression step, not from change events.
    meta: ClassVar[bool] = False
    VALID: ClassVar[tuple[Example, ...]] = ()
    INVALID: ClassVar[tuple[Example, ...]] = ()

    def __init_subclass__(cls, abstract: bool = False, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if abstract:
            return
        where = f"{cls.__module__}.{cls.__qualname__}"
        if not _CODE.match(getattr(cls, "code", "")):
            raise TypeError(f"{where}: code must look like CL123")
        if not _NAME.match(getattr(cls, "name", "")):
            raise TypeError(f"{where}: name must be kebab-case")
        if not isinstance(getattr(cls, "severity", None), Severity):
            raise TypeError(f"{where}: severity must be a Severity")
        doc = inspect.getdoc(cls) or ""
        missing = [s for s in DOC_SECTIONS if f"{s}\n" not in doc and f"{s}:" not in doc]
        if missing:
            raise TypeError(f"{where}: docstring lacks sections {missing}")
        if len(cls.VALID) < 2 or len(cls.INVALID) < 2:
            raise TypeError(f"{where}: needs at least two VALID and two INVALID examples")
        if not cls.handles and not cls.meta:
            raise TypeError(f"{where}: handles no event type")

    def check(self, event: Event, ctx: "Context") -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # Helpers for rules ---------------------------------------------------------------------
    def report(self, ctx: "Context", event: Event, message: str, *, column: str | None = None,
               table: str | None = None, severity: Severity | None = None, location: Origin | None = None,
               side: str | None = None, detail: str | None = None, safe_path: str | None = None) -> None:
        location = location or event.location
        if detail is None:
            detail = event.finding_detail
        if side is None:
            side = event.side
        ctx.add(Finding(
            code=self.code, name=self.name, severity=severity or self.severity, message=message,
            table=table if table is not None else event.table_name,
            column=column if column is not None else None, location=location, side=side,
            safe_path=safe_path if safe_path is not None else self.safe_path, detail=detail, event=event,
        ))

    @classmethod
    def documentation(cls) -> str:
        return inspect.getdoc(cls) or ""

    @classmethod
    def summary(cls) -> str:
        return cls.documentation().splitlines()[0] if cls.documentation() else ""
