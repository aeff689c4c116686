"""Helpers shared by the built-in rules (not a rule module: the leading underscore keeps discovery out)."""

from __future__ import annotations

from compatlint.changes import MigrationStatement
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


def created_earlier(ctx, statement) -> bool:
    """True when an earlier statement of the same migration file created `statement.table` (CREATE TABLE):
    the table is new (or re-created) and empty for V1, so what is done to it is not done to V1's data.
    Shared by the CL5xx rules about existing tables (CL501, CL502, CL505)."""
    name = statement.table
    if not name:
        return False
    first_created = ctx.memo("CL5-first-create", lambda: _first_creates(ctx))
    line = first_created.get((statement.origin.path, name))
    return line is not None and line < (statement.origin.line or 0)


def _first_creates(ctx) -> dict[tuple[str, str], int]:
    """(file, table) -> line of the first CREATE TABLE of that table in the file."""
    found: dict[tuple[str, str], int] = {}
    for event in ctx.events_of(MigrationStatement):
        other = event.statement
        if other.kind == "create_table" and other.table:
            key = (other.origin.path, other.table)
            found[key] = min(found.get(key, other.origin.line or 0), other.origin.line or 0)
    return found


def base_column_known(ctx, table_name: str, name: str, statement) -> Column | None:
    """The column as the base schema declares it, or None when unknown: not in the schema files (the
    placeholder `compatlint.sql.apply` adds for it has the migration itself as origin) or declared with a
    custom `sqlType`, whose native text is not compared."""
    found = ctx.base.tables.get(table_name)
    column = found.columns.get(name) if found is not None else None
    if column is None or column.sql_type:
        return None
    if column.origin is not None and column.origin.path == statement.origin.path:
        return None
    return column
