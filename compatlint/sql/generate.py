"""Predict the SQL `propel:diff` writes at deploy time, statement by statement, per platform.

The text follows propelorm/Propel2 2.0.0-beta3 exactly (`Platform/DefaultPlatform.php`,
`MysqlPlatform.php`, `PgsqlPlatform.php`, `Platform/Util/AlterTableStatementMerger.php`):
- database level (`getModifyDatabaseDDL`): MySQL drops removed tables, alters modified tables, then
  creates added tables with their foreign keys inline; PostgreSQL drops, creates added tables and
  their indexes, alters modified tables, then adds the new tables' foreign keys; the whole is wrapped
  in `SET FOREIGN_KEY_CHECKS = 0/1` (MySQL) or `BEGIN;`/`COMMIT;` (PostgreSQL);
- table level (`getModifyTableDDL`): drop removed and changed foreign keys and indexes; one merged
  `ALTER TABLE` of: drop primary key, renames, changed columns, added columns, removed columns, add
  primary key (renames on PostgreSQL stay separate statements); then create changed and added
  indexes, changed and added foreign keys.
Statements are kept as text in Propel's own shape (sqlglot's generator would rewrite `CHANGE` as
`CHANGE COLUMN`, `INTEGER` as `INT`, `TYPE INT8` as `SET DATA TYPE BIGINT`); sqlglot reads them back
in `compatlint.sql.read` for the round trip. Tables are ordered by name (Propel follows the file
system order of `src/Orm/Propel/Schema/`, which is not stable).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import changes as ev
from ..diff import propel_changed_properties
from ..model import Column, ForeignKey, Index, Table
from ..platform import (PG_NUMBERS, column_ddl, default_ddl, has_size, quote_identifier, quote_literal, size_definition,
                        sql_type)


@dataclass
class Statement:
    """One SQL statement of the plan: Propel's text (with its surrounding blank lines) and the events
    it carries, so findings can be attached to the statement."""

    text: str
    table: str | None = None
    events: list = field(default_factory=list)

    @property
    def sql(self) -> str:
        """The statement alone (empty for the blank line Propel's merger leaves for a table whose
        columns did not change)."""
        return self.text.strip()


def _mysql_begin() -> str:
    return ('\n# This is a fix for InnoDB in MySQL >= 4.1.x\n# It "suspends judgement" for fkey relationships '
            'until are tables are set.\nSET FOREIGN_KEY_CHECKS = 0;\n')


def _mysql_end() -> str:
    return "\n# This restores the fkey checks, after having unset them earlier\nSET FOREIGN_KEY_CHECKS = 1;\n"


class Generator:
    def __init__(self, platform: str):
        self.platform = platform
        self.q = quote_identifier(platform)

    # --- pieces --------------------------------------------------------------------------------
    def column(self, table: Table, column: Column) -> str:
        return column_ddl(self.platform, column, table.id_method_parameter is not None, self.q)

    def column_list(self, names, sep: str = ",") -> str:
        return sep.join(self.q(n) for n in names)

    def index_column_list(self, index: Index) -> str:
        if self.platform == "mysql":  # `getIndexColumnListDDL`: prefix sizes, ", " between columns
            sizes = index.sizes or (None,) * len(index.columns)
            return ", ".join(self.q(c) + (f"({size})" if size else "") for c, size in zip(index.columns, sizes))
        return self.column_list(index.columns)

    def primary_key(self, table: Table) -> str:
        keys = list(table.primary_key)
        if self.platform == "mysql":
            auto = next((c.name for c in table.columns.values() if c.primary_key and c.auto_increment), None)
            if auto and keys and keys[0] != auto:
                keys.remove(auto)
                keys.insert(0, auto)
        return f"PRIMARY KEY ({self.column_list(keys)})"

    def fk_ddl(self, table: Table, fk: ForeignKey) -> str:
        text = (f"CONSTRAINT {self.q(fk.name)}\n    FOREIGN KEY ({self.column_list(fk.local_columns)})\n"
                f"    REFERENCES {self.q(fk.foreign_table)} ({self.column_list(fk.foreign_columns)})")
        if fk.on_update:
            text += f"\n    ON UPDATE {fk.on_update}"
        if fk.on_delete:
            text += f"\n    ON DELETE {fk.on_delete}"
        if self.platform == "pgsql" and fk.deferrable:  # PgsqlPlatform::getForeignKeyDDL L319-L332
            text += " DEFERRABLE" + (" INITIALLY DEFERRED" if fk.initially_deferred else "")
        return text

    def sequence_name(self, table: Table) -> str | None:
        if table.id_method_parameter is not None and _native(table):
            return table.id_method_parameter.lower()
        return None

    # --- statements ----------------------------------------------------------------------------
    def drop_table(self, table: Table) -> str:
        if self.platform == "mysql":
            return f"\nDROP TABLE IF EXISTS {self.q(table.name)};\n"
        text = f"\nDROP TABLE IF EXISTS {self.q(table.name)} CASCADE;\n"
        sequence = self.sequence_name(table)
        if sequence:
            text += f"\nDROP SEQUENCE {self.q(sequence)};\n"
        return text

    def create_table(self, table: Table) -> str:
        lines = [self.column(table, c) for c in table.columns.values()]
        if table.primary_key:
            lines.append(self.primary_key(table))
        if self.platform == "mysql":
            for unique in table.uniques.values():
                lines.append(f"UNIQUE INDEX {self.q(unique.name)} ({self.index_column_list(unique)})")
            for index in table.indexes.values():
                lines.append(f"INDEX {self.q(index.name)} ({self.index_column_list(index)})")
            for fk in table.foreign_keys.values():
                if not fk.skip_sql:
                    lines.append(self.fk_ddl(table, fk).replace("\n    ", "\n        "))
            body = ",\n    ".join(lines)
            comment = f" COMMENT={quote_literal('mysql', table.description)}" if table.description else ""
            return f"\nCREATE TABLE {self.q(table.name)}\n(\n    {body}\n) ENGINE=InnoDB{comment};\n"
        for unique in table.uniques.values():
            lines.append(f"CONSTRAINT {self.q(unique.name)} UNIQUE ({self.column_list(unique.columns)})")
        text = ""
        sequence = self.sequence_name(table)
        if sequence:
            text += f"\nCREATE SEQUENCE {self.q(sequence)};\n"
        body = ",\n    ".join(lines)
        text += f"\nCREATE TABLE {self.q(table.name)}\n(\n    {body}\n);\n"
        if table.description:
            text += f"\nCOMMENT ON TABLE {self.q(table.name)} IS {quote_literal('pgsql', table.description)};\n"
        for column in table.columns.values():
            if column.description:
                text += (f"\nCOMMENT ON COLUMN {self.q(table.name)}.{self.q(column.name)} IS "
                         f"'{column.description.replace(chr(39), chr(39) * 2)}';\n")
        return text

    def add_index(self, table: Table, index: Index) -> str:
        if self.platform == "pgsql" and index.unique:
            return (f"\nALTER TABLE {self.q(table.name)} ADD CONSTRAINT {self.q(index.name)} "
                    f"UNIQUE ({self.column_list(index.columns)});\n")
        unique = "UNIQUE " if index.unique else ""
        return f"\nCREATE {unique}INDEX {self.q(index.name)} ON {self.q(table.name)} ({self.index_column_list(index)});\n"

    def drop_index(self, table: Table, index: Index) -> str:
        if self.platform == "mysql":
            return f"\nDROP INDEX {self.q(index.name)} ON {self.q(table.name)};\n"
        if index.unique:
            return f"\nALTER TABLE {self.q(table.name)} DROP CONSTRAINT {self.q(index.name)};\n"
        return f"\nDROP INDEX {self.q(index.name)};\n"

    def add_fk(self, table: Table, fk: ForeignKey) -> str:
        if fk.skip_sql:
            return ""
        return f"\nALTER TABLE {self.q(table.name)} ADD {self.fk_ddl(table, fk)};\n"

    def drop_fk(self, table: Table, fk: ForeignKey) -> str:
        if fk.skip_sql:
            return ""
        verb = "DROP FOREIGN KEY" if self.platform == "mysql" else "DROP CONSTRAINT"
        return f"\nALTER TABLE {self.q(table.name)} {verb} {self.q(fk.name)};\n"

    def drop_primary_key(self, table: Table) -> str:
        if not table.primary_key:
            return ""
        if self.platform == "mysql":
            return f"\nALTER TABLE {self.q(table.name)} DROP PRIMARY KEY;\n"
        return f"\nALTER TABLE {self.q(table.name)} DROP CONSTRAINT {self.q(table.name + '_pkey')};\n"

    def add_primary_key(self, table: Table) -> str:
        if not table.primary_key:
            return ""
        return f"\nALTER TABLE {self.q(table.name)} ADD {self.primary_key(table)};\n"

    def rename_column(self, base: Table, head: Table, before: Column, after: Column) -> str:
        if self.platform == "mysql":
            return f"\nALTER TABLE {self.q(base.name)} CHANGE {self.q(before.name)} {self.column(head, after)};\n"
        return f"\nALTER TABLE {self.q(base.name)} RENAME COLUMN {self.q(before.name)} TO {self.q(after.name)};\n"

    def add_column(self, head: Table, column: Column) -> str:
        if self.platform == "mysql":
            names = list(head.columns)
            position = names.index(column.name)
            where = "FIRST" if position == 0 else f"AFTER {self.q(names[position - 1])}"
            return f"\nALTER TABLE {self.q(head.name)} ADD {self.column(head, column)} {where};\n"
        return f"\nALTER TABLE {self.q(head.name)} ADD {self.column(head, column)};\n"

    def remove_column(self, base: Table, column: Column) -> str:
        if self.platform == "mysql":
            return f"\nALTER TABLE {self.q(base.name)} DROP {self.q(column.name)};\n"
        return f"\nALTER TABLE {self.q(base.name)} DROP COLUMN {self.q(column.name)};\n"

    def modify_column(self, base: Table, head: Table, before: Column, after: Column) -> tuple[str, str]:
        """(statements, sequence statements to put before the table's DDL)."""
        if self.platform == "mysql":
            return f"\nALTER TABLE {self.q(base.name)} CHANGE {self.q(before.name)} {self.column(head, after)};\n", ""
        changed = propel_changed_properties(before, after, self.platform)
        table, name = self.q(head.name), self.q(after.name)
        text, sequences = "", ""
        new_default = default_ddl(self.platform, after)
        default_changed = _default_value_changed(before, after)
        if ev.AUTO_INCREMENT in changed and after.auto_increment and head.id_method_parameter is None:
            sequence = f"{head.name}_{after.name}_seq"
            new_default = f"DEFAULT nextval('{sequence}'::regclass)"
            default_changed = True
            sequences += f"\nCREATE SEQUENCE {sequence};\n"
        if ev.AUTO_INCREMENT in changed and before.auto_increment and not after.auto_increment \
                and base.id_method_parameter is None:
            # At deploy time the "from" side is the live database, whose sequences PgsqlSchemaParser reads
            # (`addSequences`, L131, L640-L676), so Propel drops the serial's sequence (PgsqlPlatform
            # L680-L690, before the table's DDL: L617-L626). Propel's own platform test has no live database.
            sequences += f"\nDROP SEQUENCE {base.name}_{before.name}_seq CASCADE;\n"
        if changed & {ev.SIZE, ev.TYPE, ev.SQL_TYPE, ev.SCALE}:
            sql = sql_type(self.platform, after)
            if has_size(self.platform, sql) and after.sql_type is None:
                if sql.upper() in PG_NUMBERS:
                    if sql.upper() == "NUMERIC":
                        sql += size_definition(after)
                else:
                    sql += size_definition(after)
            sql += pg_using_cast(before, after)
            text += f"\nALTER TABLE {table} ALTER COLUMN {name} TYPE {sql};\n"
        if default_changed:
            if before.default is not None and after.default is None and not new_default:
                text += f"\nALTER TABLE {table} ALTER COLUMN {name} DROP DEFAULT;\n"
            else:
                text += f"\nALTER TABLE {table} ALTER COLUMN {name} SET {new_default};\n"
        if ev.NOT_NULL in changed:
            text += f"\nALTER TABLE {table} ALTER COLUMN {name} {'SET' if after.not_null else 'DROP'} NOT NULL;\n"
        return text, sequences


def _native(table: Table) -> bool:
    return any(c.auto_increment for c in table.columns.values())


def _default_value_changed(before: Column, after: Column) -> bool:
    """Propel's `defaultValueValue` change: present on one side only, or both present with other values
    (a change of only value-vs-expression emits nothing on PostgreSQL)."""
    a, b = before.default, after.default
    if (a is None) != (b is None):
        return True
    if a is None:
        return False
    from ..platform import defaults_equal

    return not defaults_equal(a, b) and a.value != b.value


def pg_using_cast(before: Column, after: Column) -> str:
    """`PgsqlPlatform::getUsingCast` (L782-L826)."""
    src, dst = sql_type("pgsql", before).upper(), sql_type("pgsql", after).upper()
    name = before.name
    is_string = lambda t: t == "VARCHAR"  # noqa: E731 - Propel's isString knows only VARCHAR
    is_number = lambda t: t in PG_NUMBERS  # noqa: E731 - and its isNumber has no INT8
    if is_string(src) and is_number(dst):
        return (f"\n   USING CASE WHEN trim({name}) SIMILAR TO '[0-9]+'\n        THEN CAST(trim({name}) AS integer)\n"
                "        ELSE NULL END")
    if is_number(src) and dst == "BYTEA":
        return f" USING decode(CAST({name} as text), 'escape')"
    if (is_number(src) and is_number(dst)) or (is_string(src) and is_string(dst)) or \
            (is_number(src) and is_string(dst)) or (src == "UUID" and is_string(dst)):
        return ""
    if is_string(src) and dst == "UUID":
        return f" USING {name}::uuid"
    return " USING NULL"


def _merge(table_name: str, q, pieces: list[tuple[str, list]]) -> list[Statement]:
    """`AlterTableStatementMerger::mergeStatements`: split on `;`, join consecutive `ALTER TABLE <t> ...`
    (but not RENAME) into one statement; the result is "\n" + blocks joined by "\n\n", where a merged
    block ends with ";\n" and any other statement with ";" alone (so an empty section is a lone "\n")."""
    prefix = f"ALTER TABLE {q(table_name)} "
    blocks: list[tuple[str, list]] = []
    block: list[tuple[str, list]] = []

    def flush():
        if block:
            clauses = [s.replace(prefix, "") for s, _ in block]
            blocks.append((f"ALTER TABLE {q(table_name)}" + "\n\n  " + ",\n\n  ".join(clauses) + ";\n",
                           [e for _, events in block for e in events]))
            block.clear()

    for text, events in pieces:
        for raw in text.split(";"):
            statement = raw.strip()
            if not statement:
                continue
            if statement.startswith(prefix) and not statement[len(prefix):].startswith("RENAME"):
                block.append((statement, events))
                continue
            flush()
            blocks.append((statement + ";", list(events)))
    flush()
    if not blocks:
        return [Statement("\n", table_name, [])]
    return [Statement(("\n" if i == 0 else "\n\n") + text, table_name, events) for i, (text, events) in enumerate(blocks)]


@dataclass
class TableChanges:
    base: Table
    head: Table
    events: list = field(default_factory=list)


_DDL_EVENTS = (ev.ColumnAdded, ev.ColumnRemoved, ev.ColumnRenamed, ev.ColumnChanged, ev.PrimaryKeyChanged, ev.IndexAdded,
               ev.IndexRemoved, ev.IndexChanged, ev.ForeignKeyAdded, ev.ForeignKeyRemoved, ev.ForeignKeyChanged)


def plan(events, platform: str) -> list[Statement]:
    """The statements Propel would write for these change events, in Propel's order."""
    gen = Generator(platform)
    removed: list[tuple[Table, list]] = []
    added: list[tuple[Table, list]] = []
    modified: dict[str, TableChanges] = {}
    for event in events:
        if isinstance(event, ev.TableRemoved):
            removed.append((event.base, [event]))
        elif isinstance(event, ev.TableAdded):
            added.append((event.head, [event]))
        elif isinstance(event, ev.TableRenamed):  # no --table-renaming: drop and create
            removed.append((event.base, [event]))
            added.append((event.head, [event]))
        elif isinstance(event, _DDL_EVENTS) and not (isinstance(event, ev.ColumnChanged) and not event.ddl):
            # only what Propel's TableComparator counts makes a table "modified"
            entry = modified.setdefault(event.head.name, TableChanges(event.base, event.head))
            entry.events.append(event)
    removed.sort(key=lambda item: item[0].name)
    added.sort(key=lambda item: item[0].name)
    statements: list[Statement] = []
    for table, carried in removed:
        statements.extend(Statement(s, table.name, carried) for s in _pieces(gen.drop_table(table)))
    if platform == "mysql":
        for name in sorted(modified):
            statements.extend(_modify_table(gen, modified[name]))
        for table, carried in added:
            statements.append(Statement(gen.create_table(table), table.name, carried))
    else:
        for table, carried in added:
            statements.extend(Statement(s, table.name, carried) for s in _pieces(gen.create_table(table)))
            for index in table.indexes.values():
                statements.append(Statement(gen.add_index(table, index), table.name, carried))
        for name in sorted(modified):
            statements.extend(_modify_table(gen, modified[name]))
        for table, carried in added:
            for fk in table.foreign_keys.values():
                if not fk.skip_sql:
                    statements.append(Statement(gen.add_fk(table, fk), table.name, carried))
    return statements


def _pieces(text: str) -> list[str]:
    """Split a generated block into its statements, each keeping Propel's surrounding newlines."""
    parts = [p for p in text.split(";\n") if p.strip()]
    return [p + ";\n" for p in parts]


def _modify_table(gen: Generator, changes: TableChanges) -> list[Statement]:
    base, head = changes.base, changes.head
    by_kind: dict[type, list] = {}
    for event in changes.events:
        by_kind.setdefault(type(event), []).append(event)
    fk_removed = by_kind.get(ev.ForeignKeyRemoved, [])
    fk_changed = by_kind.get(ev.ForeignKeyChanged, [])
    fk_added = by_kind.get(ev.ForeignKeyAdded, [])
    ix_removed = by_kind.get(ev.IndexRemoved, [])
    ix_changed = by_kind.get(ev.IndexChanged, [])
    ix_added = by_kind.get(ev.IndexAdded, [])
    pk = by_kind.get(ev.PrimaryKeyChanged, [])
    renamed = by_kind.get(ev.ColumnRenamed, [])
    modified = [e for e in by_kind.get(ev.ColumnChanged, []) if e.ddl]
    col_added = by_kind.get(ev.ColumnAdded, [])
    col_removed = by_kind.get(ev.ColumnRemoved, [])
    # Propel's TableDiff keeps columns in table order, indexes and keys in declaration order
    head_order = {n: i for i, n in enumerate(head.columns)}
    base_order = {n: i for i, n in enumerate(base.columns)}
    col_added.sort(key=lambda e: head_order.get(e.column.name, 0))
    col_removed.sort(key=lambda e: base_order.get(e.column.name, 0))
    modified.sort(key=lambda e: base_order.get(e.before.name, 0))
    renamed.sort(key=lambda e: head_order.get(e.after.name, 0))
    index_order = {n: i for i, n in enumerate([*base.indexes, *base.uniques, *head.indexes, *head.uniques])}
    for group in (ix_removed, ix_changed, ix_added):
        group.sort(key=lambda e: index_order.get(getattr(e, "index", None).name if hasattr(e, "index") else e.after.name, 0))
    statements: list[Statement] = []
    table_name = head.name
    for event in fk_removed:
        statements.extend(Statement(s, table_name, [event]) for s in _pieces(gen.drop_fk(base, event.foreign_key)))
    for event in fk_changed:
        statements.extend(Statement(s, table_name, [event]) for s in _pieces(gen.drop_fk(base, event.before)))
    for event in ix_removed:
        statements.append(Statement(gen.drop_index(base, event.index), table_name, [event]))
    for event in ix_changed:
        statements.append(Statement(gen.drop_index(base, event.before), table_name, [event]))
    pieces: list[tuple[str, list]] = []
    sequences = ""
    if pk:
        pieces.append((gen.drop_primary_key(base), pk))
    for event in renamed:
        pieces.append((gen.rename_column(base, head, event.before, event.after), [event]))
    for event in modified:
        text, sequence = gen.modify_column(base, head, event.before, event.after)
        sequences += sequence
        pieces.append((text, [event]))
    for event in col_added:
        pieces.append((gen.add_column(head, event.column), [event]))
    for event in col_removed:
        pieces.append((gen.remove_column(base, event.column), [event]))
    if pk:
        pieces.append((gen.add_primary_key(head), pk))
    merged = _merge(table_name, gen.q, pieces)
    if sequences:
        statements[:0] = [Statement(s, table_name, []) for s in _pieces(sequences)]
    statements.extend(merged)
    for event in ix_changed:
        statements.append(Statement(gen.add_index(head, event.after), table_name, [event]))
    for event in ix_added:
        statements.append(Statement(gen.add_index(head, event.index), table_name, [event]))
    for event in fk_changed:
        statements.extend(Statement(s, table_name, [event]) for s in _pieces(gen.add_fk(head, event.after)))
    for event in fk_added:
        statements.extend(Statement(s, table_name, [event]) for s in _pieces(gen.add_fk(head, event.foreign_key)))
    return statements


def render(statements: list[Statement], platform: str) -> str:
    """The whole migration SQL as Propel would write it for one connection."""
    if not statements:
        return ""
    body = "".join(s.text for s in statements)
    if platform == "mysql":
        return _mysql_begin() + body + _mysql_end()
    return "\nBEGIN;\n" + body + "\nCOMMIT;\n"


def annotate(statements: list[Statement], findings) -> dict[int, list]:
    """Findings per statement (by index), through the change events both refer to."""
    by_event: dict[int, list] = {}
    for finding in findings:
        if finding.event is not None:
            by_event.setdefault(id(finding.event), []).append(finding)
    notes: dict[int, list] = {}
    for number, statement in enumerate(statements):
        seen = []
        for event in statement.events:
            for finding in by_event.get(id(event), ()):
                if finding not in seen:
                    seen.append(finding)
        if seen and statement.sql:
            notes[number] = seen
    return notes


def render_annotated(statements: list[Statement], platform: str, notes: dict[int, list]) -> str:
    """Propel's text with `-- CLxxx name (severity)` comment lines before each statement that carries findings."""
    marked = []
    for number, statement in enumerate(statements):
        text = statement.text
        if number in notes:
            stripped = text.lstrip("\n")
            lead = text[: len(text) - len(stripped)]
            comments = "".join(f"-- {f.code} {f.name} ({f.severity}): {f.subject}\n" for f in notes[number])
            text = lead + comments + stripped
        marked.append(Statement(text, statement.table, statement.events))
    return render(marked, platform)
