"""Helpers shared by the built-in rules (not a rule module: the leading underscore keeps discovery out)."""

from __future__ import annotations

from compatlint.findings import Severity
from compatlint.model import Column
from compatlint.platform import INTEGER_TYPES, type_family

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def col(name: str, type_: str = "INTEGER", **attrs: str) -> str:
    """A `<column>` element for examples."""
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<column name="{name}" type="{type_}"{extra}/>'


def table(name: str, *children: str, **attrs: str) -> str:
    """A `<table>` element with an integer autoincrement PK `id_<suffix>` and the given children."""
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    pk = f'id_{name.split("_", 1)[-1]}'
    inner = "\n    ".join((f'<column name="{pk}" type="INTEGER" primaryKey="true" autoIncrement="true"/>', *children))
    return f'<table name="{name}"{extra}>\n    {inner}\n</table>'


def unique_xml(*columns: str, name: str) -> str:
    """A `<unique>` element for examples."""
    inner = "".join(f'<unique-column name="{c}"/>' for c in columns)
    return f'<unique name="{name}">{inner}</unique>'


def index_xml(*columns: str, name: str) -> str:
    """An `<index>` element for examples."""
    inner = "".join(f'<index-column name="{c}"/>' for c in columns)
    return f'<index name="{name}">{inner}</index>'


def integer_bytes(column: Column) -> int | None:
    return INTEGER_TYPES.get(column.type)


def family(column: Column) -> str:
    return type_family(column.type)


def renamed_columns(ctx, table_name: str) -> dict[str, str]:
    """Old column name -> new one, for the columns Propel renames in this table (computed once per run)."""
    from compatlint.changes import ColumnRenamed

    def compute() -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for event in ctx.events_of(ColumnRenamed):
            out.setdefault(event.base.name, {})[event.before.name] = event.after.name
        return out

    return ctx.memo("renamed-columns", compute).get(table_name, {})


def keyed_columns(table) -> set[str]:
    """Columns of a table's primary key and unique constraints."""
    return {name for key in (table.primary_key, *(u.columns for u in table.uniques.values())) for name in key}


def v1_must_write(table, column: Column) -> bool:
    """Does every V1 INSERT name this column? NOT NULL without a default; and in a key of V1 (primary or unique),
    any column with a default or NOT NULL, since V1's own inserts that left it out would store the same value and
    collide (NULLs never collide). Auto-increment columns are filled by the database. The rehearsal's seed rows
    follow the same convention (`compatlint.rehearse._must_set`)."""
    if column.auto_increment:
        return False
    if column.name in keyed_columns(table):
        return column.not_null or column.default is not None
    return column.not_null and column.default is None
