"""What a migration statement does, in compatlint's own vocabulary: a frozen `SqlStatement` (kind, table,
text, file line) with its `actions`. `compatlint.sql.read` makes them from sqlglot trees, `compatlint.sql.apply`
plays them on the base schema model, and the SQL rules read them: none of those three sees sqlglot.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Column, Default, ForeignKey, Index, Origin


# --- actions -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Action:
    table: str | None
    # Where the clause is, for one clause of a multi-clause ALTER TABLE (else the statement's origin).
    origin: Origin | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True)
class CreateTable(Action):
    columns: tuple[Column, ...] = ()
    primary_key: tuple[str, ...] = ()
    indexes: tuple[Index, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()


@dataclass(frozen=True)
class DropTable(Action):
    pass


@dataclass(frozen=True)
class RenameTable(Action):
    new_name: str = ""


@dataclass(frozen=True)
class AddColumn(Action):
    column: Column = None  # type: ignore[assignment]
    after: str | None = None
    first: bool = False


@dataclass(frozen=True)
class DropColumn(Action):
    name: str = ""


@dataclass(frozen=True)
class ChangeColumn(Action):
    """MySQL `CHANGE old new <definition>` / `MODIFY c <definition>`: the whole new definition."""

    old_name: str = ""
    column: Column = None  # type: ignore[assignment]


@dataclass(frozen=True)
class RenameColumn(Action):
    old_name: str = ""
    new_name: str = ""


@dataclass(frozen=True)
class AlterColumn(Action):
    """PostgreSQL `ALTER COLUMN`: one of type (with `using`), default, not null."""

    name: str = ""
    propel_type: str | None = None
    size: int | None = None
    scale: int | None = None
    using: str | None = None
    # A `USING` expression that never reads the column (`USING NULL`, a constant, `now()`): every old value is lost.
    using_discards: bool = False
    set_default: Default | None = None
    drop_default: bool = False
    not_null: bool | None = None


@dataclass(frozen=True)
class AddIndex(Action):
    index: Index = None  # type: ignore[assignment]
    concurrently: bool = False


@dataclass(frozen=True)
class DropIndex(Action):
    name: str = ""


@dataclass(frozen=True)
class AddForeignKey(Action):
    foreign_key: ForeignKey = None  # type: ignore[assignment]


@dataclass(frozen=True)
class DropConstraint(Action):
    """A named constraint: foreign key, unique or primary key (PostgreSQL `DROP CONSTRAINT`, MySQL `DROP FOREIGN KEY`)."""

    name: str = ""
    kind: str = ""  # FOREIGN KEY (MySQL `DROP FOREIGN KEY`) or CONSTRAINT


@dataclass(frozen=True)
class DropPrimaryKey(Action):
    pass


@dataclass(frozen=True)
class AddPrimaryKey(Action):
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class DropObject(Action):
    """DROP DATABASE / SCHEMA / VIEW / ...: nothing the schema model holds, all of it destructive."""

    kind: str = ""
    name: str = ""


@dataclass(frozen=True)
class DataChange(Action):
    verb: str = ""  # UPDATE DELETE INSERT TRUNCATE REPLACE


# --- statements --------------------------------------------------------------------------------

@dataclass(frozen=True)
class SqlStatement:
    """One statement of a migration as rules see it."""

    text: str
    origin: Origin
    kind: str  # alter, create_table, create_index, drop_table, drop_index, rename_table, data, set, transaction, comment, sequence, other, unparsed
    table: str | None = None
    actions: tuple[Action, ...] = ()
    error: str | None = None
    comments: tuple[str, ...] = ()
    # Set when the statement is not one Propel would generate for the schema change (hand-written).
    hand_written: bool = False
    verb: str = ""
