"""Helpers shared by the built-in rules (not a rule module: the leading underscore keeps discovery out)."""

from __future__ import annotations

from typing import Mapping

from compatlint.findings import Severity
from compatlint.changes import ColumnRenamed, MigrationStatement
from compatlint.lazy_tables import LazyTables
from compatlint.model import Column, Schema, Table
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
    follow the same convention (`compatlint.rehearse.values.must_set`)."""
    if column.auto_increment:
        return False
    if column.name in keyed_columns(table):
        return column.not_null or column.default is not None
    return column.not_null and column.default is None


# --- behaviors (CL104, CL105) ---------------------------------------------------------------------------------

# Where each table-deriving behavior puts its table (parameter, default with %TABLE% for the source name).
_DERIVED_NAME = {
    "archivable": ("archive_table", "%TABLE%_archive"),
    "versionable": ("version_table", "%TABLE%_version"),
    "i18n": ("i18n_table", "%TABLE%_i18n"),
}


def tables_naming(tables: Mapping[str, Table], target: str) -> list[Table]:
    """The tables whose foreign keys name `target`, in the order of `tables`. A side whose tables are built
    when read (`compatlint.lazy_tables`) knows them without building every table of a large schema."""
    if isinstance(tables, LazyTables):
        return [tables[name] for name in sorted(tables.naming(target))]  # such a side reads in name order
    found = []
    for table in tables.values():
        for fk in table.foreign_keys.values():
            if fk.foreign_table == target:
                found.append(table)
                break
    return found


def tables_naming_in(ctx, side: str, target: str) -> list[Table]:
    """`tables_naming` on `ctx.base` or `ctx.head` (`side`): for a side held in a dict, every table's targets are
    read once per run (a history walk asks for several names of the same side)."""
    tables = ctx.head.tables if side == "head" else ctx.base.tables
    if isinstance(tables, LazyTables):
        return tables_naming(tables, target)
    return ctx.memo(("tables-naming", side), lambda: _naming_index(tables)).get(target, [])


def _naming_index(tables: Mapping[str, Table]) -> dict[str, list[Table]]:
    """Target -> the tables whose foreign keys name it, in the order of `tables` (each table once)."""
    found: dict[str, list[Table]] = {}
    for table in tables.values():
        keys = table.foreign_keys
        if not keys:
            continue
        for fk in keys.values():
            naming = found.get(fk.foreign_table)
            if naming is None:
                found[fk.foreign_table] = [table]
            elif naming[-1] is not table:  # a table's keys come together: once per table
                naming.append(table)
    return found


def behavior_source(derived: Table, schema: Schema) -> Table | None:
    """The table in `schema` whose behavior generated `derived` (an archive, version or i18n table), if any.

    The generated table carries the `<behavior>` element's origin, so that is the first match; the
    derived name (`archive_table` or `<table>_archive`, ...) is the fallback."""
    if not derived.provided_by:
        return None
    candidates = [t for t in schema.tables.values() if derived.provided_by in t.behaviors and t.name != derived.name]
    for candidate in candidates:
        behavior = candidate.behaviors[derived.provided_by]
        if behavior.origin is not None and behavior.origin == derived.origin:
            return candidate
    key, default = _DERIVED_NAME.get(derived.provided_by, (None, "%TABLE%"))
    for candidate in candidates:
        behavior = candidate.behaviors[derived.provided_by]
        name = (behavior.param(key) if key else None) or default
        if name.replace("%TABLE%", candidate.name) == derived.name:
            return candidate
    return None


# --- migrations (CL5xx) --------------------------------------------------------------------------------------

def column_before(ctx, event, table_name: str, name: str):
    """The column a migration statement redefines, as it was just before the statement ran (the schema's,
    or what an earlier statement of the script, or the up script for the down script, made it), None when
    nothing said what it was. Shared by the rules that compare a redefinition with the old one (CL502, CL506)."""
    recorded, column = event.column_before(table_name, name)
    if recorded:
        return column
    found = ctx.base.tables.get(table_name)  # not among the statement's own redefinitions: as the base has it
    column = found.columns.get(name) if found is not None else None
    if column is not None and column.origin is not None and column.origin.path == event.statement.origin.path:
        return None  # the placeholder `compatlint.sql.apply` adds for a column the base lacks
    return column


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


_PHP_HEAD = """<?php
use Propel\\Generator\\Manager\\MigrationManager;

/**
 * Data object containing the SQL and PHP code to migrate the database
 * up to version {ts}.
 * Generated on 2024-03-05 10:12:00  */
class PropelMigration_{ts}{{
    public $comment = '';

    public function preUp(MigrationManager $manager)
    {{
        // add the pre-migration code here
    }}

    public function getUpSQL(): array
    {{
        $connection_zed = <<< 'EOT'
"""
_PHP_TAIL = """EOT;

        return [
            'zed' => $connection_zed,
        ];
    }

    public function getDownSQL(): array
    {
        $connection_zed = <<< 'EOT'

EOT;

        return [
            'zed' => $connection_zed,
        ];
    }

}
"""


def php_migration(ts: int, sql: str) -> str:
    """A Propel 2.0.0-beta3 migration class (templates/Manager/migration_template.php) with `sql` as up SQL."""
    return _PHP_HEAD.format(ts=ts) + sql + _PHP_TAIL
