"""The closed vocabulary of change events that rules consume.

Events are frozen values holding the before/after model objects; `base` is the table at the base
revision, `head` the table at the head revision (either may be None for additions and removals).
Each event type states explicitly where a finding about it points: `location` (the head file for what
is added or changed, the base file for what is removed) and `SIDE`, the revision that location lies in
("head" or "base"; the events that can be either compute `side` from their values). `frozen_event`
refuses an event type that does not state both.
"""

from __future__ import annotations

from typing import ClassVar

from .loaders.merge import LoadProblem
from .model import Behavior, Column, ForeignKey, Index, Origin, Table
from .records import frozen_record


def frozen_event(cls):
    """Make an event type a frozen record (`records.frozen_record`). Every event type must state its own
    `location` and its `SIDE` (or `side`)."""
    missing = [name for name, present in (("location", "location" in cls.__dict__),
                                          ("SIDE or side", "SIDE" in cls.__dict__ or "side" in cls.__dict__))
               if not present]
    if missing:
        raise TypeError(f"event {cls.__name__} must state its own {' and '.join(missing)}")
    return frozen_record(cls)


@frozen_record
class Event:
    RANK: ClassVar[int] = 50

    @property
    def table_name(self) -> str | None:
        table = getattr(self, "head", None) or getattr(self, "base", None)
        return table.name if table is not None else None

    @property
    def subject(self) -> str | None:
        """The column, index, key or behavior the event is about, if any."""
        return None

    @property
    def location(self) -> Origin | None:
        return None

    # Which revision `location` points into: "head", or "base" for what no longer exists. Every event type
    # states its own (see `frozen_event`).
    SIDE: ClassVar[str]

    @property
    def side(self) -> str:
        return self.SIDE

    @property
    def finding_detail(self) -> str | None:
        """What a finding about this event adds to its fingerprint by default (see `Rule.report`)."""
        return None

    def sort_key(self) -> tuple:
        return (self.table_name or "", self.RANK, self.subject or "")


@frozen_event
class TableAdded(Event):
    head: Table
    RANK: ClassVar[int] = 10
    SIDE: ClassVar[str] = "head"

    @property
    def location(self):
        return self.head.origin


@frozen_event
class TableRemoved(Event):
    base: Table
    RANK: ClassVar[int] = 11
    SIDE: ClassVar[str] = "base"

    @property
    def location(self):
        return self.base.origin


@frozen_event
class TableRenamed(Event):
    """Propel's "possible table renaming": same definition under another name. Without
    `--table-renaming` (Spryker never passes it) the old table is dropped and the new one created."""

    base: Table
    head: Table
    RANK: ClassVar[int] = 12
    SIDE: ClassVar[str] = "head"

    @property
    def subject(self):
        return self.head.name

    @property
    def table_name(self):
        return self.base.name

    @property
    def location(self):
        return self.head.origin


@frozen_event
class TableMoved(Event):
    """Same table name at both revisions, but its contributions moved between files or namespaces."""

    base: Table
    head: Table
    RANK: ClassVar[int] = 13
    SIDE: ClassVar[str] = "head"

    @property
    def location(self):
        return self.head.origin


@frozen_event
class ColumnAdded(Event):
    base: Table
    head: Table
    column: Column
    RANK: ClassVar[int] = 20
    SIDE: ClassVar[str] = "head"

    @property
    def subject(self):
        return self.column.name

    @property
    def location(self):
        return self.column.origin or self.head.origin


@frozen_event
class ColumnRemoved(Event):
    base: Table
    head: Table
    column: Column
    RANK: ClassVar[int] = 21
    SIDE: ClassVar[str] = "base"

    @property
    def subject(self):
        return self.column.name

    @property
    def location(self):
        return self.column.origin or self.base.origin


@frozen_event
class ColumnRenamed(Event):
    """Propel's own rename detection: a removed and an added column with no difference but the name."""

    base: Table
    head: Table
    before: Column
    after: Column
    RANK: ClassVar[int] = 22
    SIDE: ClassVar[str] = "head"

    @property
    def subject(self):
        return self.before.name

    @property
    def location(self):
        return self.after.origin or self.head.origin


# What can change inside a column; `DDL_CHANGES` are the ones Propel's ColumnComparator compares.
TYPE = "type"
SIZE = "size"
SCALE = "scale"
SQL_TYPE = "sql_type"
NOT_NULL = "not_null"
DEFAULT = "default"
AUTO_INCREMENT = "auto_increment"
VALUE_SET = "value_set"
LAZY_LOAD = "lazy_load"
PRIMARY_KEY = "primary_key"
DDL_CHANGES = frozenset({TYPE, SIZE, SCALE, SQL_TYPE, NOT_NULL, DEFAULT, AUTO_INCREMENT})

_ATTRIBUTES_OF = {
    TYPE: ("type",), SIZE: ("size",), SCALE: ("scale",), SQL_TYPE: ("sqlType",),
    NOT_NULL: ("required", "primaryKey"), DEFAULT: ("defaultValue", "default", "defaultExpr"),
    AUTO_INCREMENT: ("autoIncrement",), VALUE_SET: ("valueSet",), LAZY_LOAD: ("lazyLoad",), PRIMARY_KEY: ("primaryKey",),
}


@frozen_event
class ColumnChanged(Event):
    base: Table
    head: Table
    before: Column
    after: Column
    changes: frozenset[str]
    # True when Propel's comparator reports a difference, i.e. `propel:diff` emits DDL for it.
    ddl: bool
    RANK: ClassVar[int] = 23
    SIDE: ClassVar[str] = "head"

    @property
    def subject(self):
        return self.after.name

    @property
    def location(self):
        return self.location_of(*sorted(self.changes))

    def location_of(self, *changes: str) -> Origin | None:
        attributes = [a for change in changes for a in _ATTRIBUTES_OF.get(change, ())]
        return self.after.origin_of(*attributes) or self.head.origin


@frozen_event
class PrimaryKeyChanged(Event):
    base: Table
    head: Table
    before: tuple[str, ...]
    after: tuple[str, ...]
    RANK: ClassVar[int] = 30
    SIDE: ClassVar[str] = "head"

    @property
    def location(self):
        for name in self.after:
            column = self.head.columns.get(name)
            if column is not None and column.origin is not None:
                return column.origin_of("primaryKey")
        return self.head.origin


@frozen_event
class IndexAdded(Event):
    """A plain index or, with `index.unique`, a unique constraint appears on an existing table."""

    base: Table
    head: Table
    index: Index
    RANK: ClassVar[int] = 31
    SIDE: ClassVar[str] = "head"

    @property
    def subject(self):
        return self.index.name

    @property
    def location(self):
        return self.index.origin or self.head.origin


@frozen_event
class IndexRemoved(Event):
    base: Table
    head: Table
    index: Index
    RANK: ClassVar[int] = 32
    SIDE: ClassVar[str] = "base"

    @property
    def subject(self):
        return self.index.name

    @property
    def location(self):
        return self.index.origin or self.base.origin


@frozen_event
class IndexChanged(Event):
    """Same name, other columns or uniqueness (Propel: drop and re-create)."""

    base: Table
    head: Table
    before: Index
    after: Index
    RANK: ClassVar[int] = 33
    SIDE: ClassVar[str] = "head"

    @property
    def subject(self):
        return self.after.name

    @property
    def location(self):
        return self.after.origin or self.head.origin


@frozen_event
class ForeignKeyAdded(Event):
    base: Table
    head: Table
    foreign_key: ForeignKey
    RANK: ClassVar[int] = 34
    SIDE: ClassVar[str] = "head"

    @property
    def subject(self):
        return self.foreign_key.name

    @property
    def location(self):
        return self.foreign_key.origin or self.head.origin


@frozen_event
class ForeignKeyRemoved(Event):
    base: Table
    head: Table
    foreign_key: ForeignKey
    RANK: ClassVar[int] = 35
    SIDE: ClassVar[str] = "base"

    @property
    def subject(self):
        return self.foreign_key.name

    @property
    def location(self):
        return self.foreign_key.origin or self.base.origin


@frozen_event
class ForeignKeyChanged(Event):
    base: Table
    head: Table
    before: ForeignKey
    after: ForeignKey
    RANK: ClassVar[int] = 36
    SIDE: ClassVar[str] = "head"

    @property
    def subject(self):
        return self.after.name

    @property
    def location(self):
        return self.after.origin or self.head.origin


@frozen_event
class SequenceChanged(Event):
    """`<id-method-parameter>` changed or removed: no DDL, but generated code calls `nextval` on it."""

    base: Table
    head: Table
    before: str | None
    after: str | None
    RANK: ClassVar[int] = 40

    @property
    def subject(self):
        return self.before or self.after

    @property
    def side(self):
        return "head" if self.after is not None else "base"

    @property
    def location(self):
        if self.after is not None:
            return self.head.id_method_parameter_origin or self.head.origin
        return self.base.id_method_parameter_origin or self.base.origin


@frozen_event
class BehaviorChanged(Event):
    """A behavior added, removed or re-parameterised on a table present at both revisions."""

    base: Table
    head: Table
    name: str
    before: Behavior | None
    after: Behavior | None
    RANK: ClassVar[int] = 41

    @property
    def subject(self):
        return self.name

    @property
    def side(self):
        return "head" if self.after is not None else "base"

    @property
    def location(self):
        if self.after is not None:
            return self.after.origin or self.head.origin
        return (self.before.origin if self.before else None) or self.base.origin


@frozen_event
class SchemaProblem(Event):
    """A file that could not be used, or a merge conflict (from loading, not from the diff)."""

    problem: LoadProblem  # always a head-side problem: a broken base file is not the change's fault
    RANK: ClassVar[int] = 0
    SIDE: ClassVar[str] = "head"

    @property
    def table_name(self):
        return self.problem.table

    @property
    def subject(self):
        return self.problem.column

    @property
    def location(self):
        return self.problem.origin

    @property
    def finding_detail(self):
        # two broken files with the same error are two findings
        return self.problem.origin.path if self.problem.origin is not None else None

    def sort_key(self) -> tuple:
        return ("", 0, self.problem.origin.path, self.problem.origin.line or 0, self.problem.message)


@frozen_event
class MigrationStatement(Event):
    """One statement of a committed migration or SQL file (`compatlint.sql.read.SqlStatement`)."""

    statement: object
    platform: str = "mysql"
    # (table, column, definition just before the statement ran, None where nothing said what it was) for
    # each column the statement redefines (CHANGE/MODIFY, ALTER COLUMN)
    columns_before: tuple = ()
    RANK: ClassVar[int] = 5
    SIDE: ClassVar[str] = "head"

    @property
    def table_name(self):
        return self.statement.table

    def column_before(self, table: str, name: str):
        """(True, the column as it was just before the statement, or None when unknown) when the statement
        redefines that column, else (False, None)."""
        for entry_table, entry_name, column in self.columns_before:
            if entry_table == table and entry_name == name:
                return True, column
        return False, None

    @property
    def location(self):
        return self.statement.origin

    def sort_key(self) -> tuple:
        origin = self.statement.origin
        return (origin.path, 5, origin.line or 0)


@frozen_event
class MigrationDrift(Event):
    """A committed migration and the schema change of the same revisions disagree."""

    kind: str  # "extra": the migration does what the schema diff does not; "missing": the reverse
    change: str  # e.g. "ColumnRemoved"
    table: str | None
    name: str | None
    origin: Origin | None
    RANK: ClassVar[int] = 6
    SIDE: ClassVar[str] = "head"

    @property
    def table_name(self):
        return self.table

    @property
    def subject(self):
        return self.name

    @property
    def location(self):
        return self.origin


ALL_EVENTS = (
    TableAdded, TableRemoved, TableRenamed, TableMoved, ColumnAdded, ColumnRemoved, ColumnRenamed, ColumnChanged,
    PrimaryKeyChanged, IndexAdded, IndexRemoved, IndexChanged, ForeignKeyAdded, ForeignKeyRemoved, ForeignKeyChanged,
    SequenceChanged, BehaviorChanged, SchemaProblem, MigrationStatement, MigrationDrift,
)
