"""Play migration statements on the base schema model, so a migration becomes the same change events
as a schema diff, located at its SQL lines.

Anything a statement touches that the base model does not have (a standalone `.sql` file, or a
migration for tables outside the configured schema files) is added to the base as a placeholder
first: dropping an unknown column is still a dropped column. Where the SQL's native type is the one
the base column already has (an ENUM is a TINYINT/INT2 in SQL), the base column's Propel type and
`valueSet` are kept, so SQL does not invent type changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..model import Column, Index, Origin, Schema, Table
from ..table_builder import TableBuilder
from ..platform import default_ddl, native_type
from . import actions as sq


@dataclass
class Applied:
    base: Schema  # the base, with placeholders for what the SQL touched but the base lacked
    head: Schema
    # Where each removal happened: (table, None) for a table, (table, column/index/constraint name).
    removed_at: dict[tuple[str, str | None], Origin] = field(default_factory=dict)
    # Per statement (by id): each column a CHANGE/MODIFY/ALTER COLUMN redefines, as it was just before the
    # statement ran, None where nothing said what it was (see `_State.assumed`).
    columns_before: dict[int, tuple[tuple[str, str, Column | None], ...]] = field(default_factory=dict)
    # The columns of `head` that are still placeholders (for a script played on this head, e.g. the down script).
    assumed: frozenset[tuple[str, str]] = frozenset()


def _builder(table: Table) -> TableBuilder:
    return TableBuilder(
        name=table.name, columns=dict(table.columns), indexes=dict(table.indexes), uniques=dict(table.uniques),
        foreign_keys=dict(table.foreign_keys), behaviors=dict(table.behaviors),
        id_method_parameter=table.id_method_parameter, id_method_parameter_origin=table.id_method_parameter_origin,
        namespace=table.namespace, package=table.package, php_name=table.php_name, files=table.files,
        provided_by=table.provided_by, origin=table.origin, skip_sql=table.skip_sql, description=table.description,
    )


class _State:
    def __init__(self, base: Schema, platform: str, assumed: frozenset[tuple[str, str]] = frozenset()):
        self.platform = platform
        self.base = {name: _builder(t) for name, t in base.tables.items()}
        self.base_changed: set[str] = set()
        self.work = {name: _builder(t) for name, t in base.tables.items()}
        self.removed_at: dict[tuple[str, str | None], Origin] = {}
        # (table, column) of the placeholders in `work`: columns no schema file and no statement so far defined
        self.assumed: set[tuple[str, str]] = set(assumed)
        self.columns_before: dict[int, list[tuple[str, str, Column | None]]] = {}

    def note_before(self, statement, table: str, name: str) -> None:
        """Record what a column was just before `statement` redefines it (None: unknown)."""
        current = self.work.get(table)
        column = current.columns.get(name) if current is not None else None
        known = None if column is None or (table, name) in self.assumed else column
        self.columns_before.setdefault(id(statement), []).append((table, name, known))

    def settle(self, table: str, name: str, **values) -> None:
        """A statement states values of a column nothing defined (its type, or its whole definition): what
        was assumed of them (a VARCHAR placeholder, made for an index or a default before) becomes those
        values on both sides, so the diff does not invent a change from the placeholder; the statement is
        still judged as one on an unknown column (CL506)."""
        if (table, name) not in self.assumed:
            return
        for builders in (self.base, self.work):
            column = builders[table].columns.get(name) if table in builders else None
            if column is not None:
                builders[table].columns[name] = replace(column, **values)
        self.base_changed.add(table)

    def forget_table(self, table: str, new_name: str | None = None) -> None:
        """A table dropped, re-created or renamed: its placeholders go, or move with it."""
        moved = {entry for entry in self.assumed if entry[0] == table}
        self.assumed -= moved
        if new_name is not None:
            self.assumed |= {(new_name, column) for _, column in moved}

    # placeholders ---------------------------------------------------------------------------
    def table(self, name: str, origin: Origin) -> TableBuilder:
        if name not in self.work:
            placeholder = TableBuilder(name=name, origin=origin, files=(origin.path,))
            self.base.setdefault(name, placeholder)
            self.base_changed.add(name)
            self.work[name] = TableBuilder(name=name, origin=origin, files=(origin.path,))
        return self.work[name]

    def column(self, table: str, name: str, origin: Origin, like: Column | None = None) -> Column:
        builder = self.table(table, origin)
        if name not in builder.columns:
            placeholder = replace(like, name=name) if like is not None else Column(name=name, type="VARCHAR", origin=origin)
            placeholder = replace(placeholder, origin=origin, primary_key=False)
            base = self.base.setdefault(table, TableBuilder(name=table, origin=origin, files=(origin.path,)))
            base.columns.setdefault(name, placeholder)
            self.base_changed.add(table)
            builder.columns[name] = placeholder
            self.assumed.add((table, name))
        return builder.columns[name]

    # helpers ----------------------------------------------------------------------------------
    def keep_propel_type(self, old: Column, new: Column) -> Column:
        """SQL knows native types only: keep the base's Propel type where the native type is unchanged."""
        if native_type(self.platform, old.type) == native_type(self.platform, new.type) and old.type != new.type:
            new = replace(new, type=old.type, value_set=old.value_set)
            if new.size is None and old.size is not None and old.type in ("BOOLEAN", "UUID", "UUID_BINARY"):
                new = replace(new, size=old.size)
        new = replace(new, lazy_load=old.lazy_load, provided_by=old.provided_by,
                      value_set=new.value_set or (old.value_set if new.type == old.type else None),
                      description=new.description or old.description)
        if new.default != old.default and default_ddl(self.platform, new) == default_ddl(self.platform, old):
            new = replace(new, default=old.default)  # `DEFAULT 1` is the base's `true`, `DEFAULT 0` its first ENUM value
        return new

    def put_column(self, table: TableBuilder, old_name: str, column: Column) -> None:
        items = list(table.columns.items())
        table.columns = {(column.name if n == old_name else n): (column if n == old_name else c) for n, c in items}


def _apply(state: _State, statement: sq.SqlStatement) -> None:
    for action in statement.actions:
        origin = action.origin or statement.origin  # the clause's own line in a multi-clause ALTER TABLE
        if isinstance(action, sq.CreateTable):
            builder = TableBuilder(name=action.table, origin=origin, files=(origin.path,))
            for column in action.columns:
                builder.columns[column.name] = replace(column, primary_key=column.name in action.primary_key,
                                                       not_null=column.not_null or column.name in action.primary_key)
            for index in action.indexes:
                builder.add_index(index)
            for fk in action.foreign_keys:
                builder.foreign_keys[fk.name] = fk
            state.work[action.table] = builder
            state.forget_table(action.table)
        elif isinstance(action, sq.DropTable):
            state.table(action.table, origin)
            del state.work[action.table]
            state.removed_at[(action.table, None)] = origin
            state.forget_table(action.table)
        elif isinstance(action, sq.RenameTable):
            old = state.table(action.table, origin)
            state.work[action.new_name] = replace(old, name=action.new_name, origin=origin, files=(origin.path,))
            del state.work[action.table]
            state.removed_at[(action.table, None)] = origin
            state.forget_table(action.table, action.new_name)
        elif isinstance(action, sq.AddColumn):
            table = state.table(action.table, origin)
            items = [(n, c) for n, c in table.columns.items() if n != action.column.name]
            column = replace(action.column, origin=origin)
            if action.first:
                items.insert(0, (column.name, column))
            elif action.after and any(n == action.after for n, _ in items):
                at = next(i for i, (n, _) in enumerate(items) if n == action.after)
                items.insert(at + 1, (column.name, column))
            else:
                items.append((column.name, column))
            table.columns = dict(items)
            state.assumed.discard((action.table, column.name))
        elif isinstance(action, sq.DropColumn):
            state.column(action.table, action.name, origin)
            del state.work[action.table].columns[action.name]
            state.removed_at[(action.table, action.name)] = origin
            state.assumed.discard((action.table, action.name))
        elif isinstance(action, sq.ChangeColumn):
            state.note_before(statement, action.table, action.old_name)
            old = state.column(action.table, action.old_name, origin, like=action.column)
            stated = action.column  # a CHANGE restates the whole definition
            state.settle(action.table, action.old_name, type=stated.type, size=stated.size, scale=stated.scale,
                         sql_type=stated.sql_type, not_null=stated.not_null, default=stated.default,
                         auto_increment=stated.auto_increment, value_set=stated.value_set)
            old = state.work[action.table].columns[action.old_name]
            new = replace(state.keep_propel_type(old, action.column), origin=origin, primary_key=old.primary_key,
                          not_null=action.column.not_null or old.primary_key)
            state.put_column(state.work[action.table], action.old_name, _stamped(old, new, origin))
            if action.old_name != new.name:
                state.removed_at[(action.table, action.old_name)] = origin
            state.assumed -= {(action.table, action.old_name), (action.table, new.name)}  # fully defined now
        elif isinstance(action, sq.RenameColumn):
            old = state.column(action.table, action.old_name, origin)
            state.put_column(state.work[action.table], action.old_name,
                             replace(old, name=action.new_name, origin=origin, attr_origins=_sql_origins(old, origin)))
            state.removed_at[(action.table, action.old_name)] = origin
            if (action.table, action.old_name) in state.assumed:
                state.assumed -= {(action.table, action.old_name)}
                state.assumed.add((action.table, action.new_name))
        elif isinstance(action, sq.AlterColumn):
            like = None
            if action.propel_type is not None:  # an unknown column had, as far as we know, this type already
                like = Column(name=action.name, type=action.propel_type, size=action.size, scale=action.scale, origin=origin)
            elif action.not_null is not None:  # SET/DROP NOT NULL says what the unknown column was before
                like = Column(name=action.name, type="VARCHAR", not_null=not action.not_null, origin=origin)
            state.note_before(statement, action.table, action.name)
            old = state.column(action.table, action.name, origin, like=like)
            if action.propel_type is not None:  # the type it states is all that is known of an assumed column
                state.settle(action.table, action.name, type=action.propel_type, size=action.size, scale=action.scale,
                             sql_type=None)
                old = state.work[action.table].columns[action.name]
            new = old
            if action.propel_type is not None:
                new = replace(new, type=action.propel_type, size=action.size, scale=action.scale, sql_type=None)
                new = state.keep_propel_type(old, new)
            if action.set_default is not None:
                new = replace(new, default=action.set_default)
            if action.drop_default:
                new = replace(new, default=None)
            if action.not_null is not None:
                new = replace(new, not_null=action.not_null)
            state.put_column(state.work[action.table], action.name, _stamped(old, replace(new, origin=origin), origin))
        elif isinstance(action, sq.AddIndex):
            table = state.table(action.table, origin)
            for name in action.index.columns:
                state.column(action.table, name, origin)
            target = table.uniques if action.index.unique else table.indexes
            target[action.index.name] = replace(action.index, origin=origin)
        elif isinstance(action, sq.DropIndex):
            owner = action.table or next((n for n, t in state.work.items()
                                           if action.name in t.indexes or action.name in t.uniques), None)
            if owner is None:
                continue  # an index of a table nothing else in the SQL names: nothing to compare
            table = state.table(owner, origin)
            if action.name not in table.indexes and action.name not in table.uniques:
                placeholder = Index(action.name, (), False, origin=origin)
                state.base.setdefault(owner, TableBuilder(name=owner, origin=origin)).indexes.setdefault(action.name, placeholder)
                state.base_changed.add(owner)
                table.indexes[action.name] = placeholder
            table.indexes.pop(action.name, None)
            table.uniques.pop(action.name, None)
            state.removed_at[(owner, action.name)] = origin
        elif isinstance(action, sq.AddForeignKey):
            table = state.table(action.table, origin)
            table.foreign_keys[action.foreign_key.name] = replace(action.foreign_key, origin=origin)
        elif isinstance(action, sq.DropConstraint):
            table = state.table(action.table, origin)
            if action.name in table.foreign_keys:
                del table.foreign_keys[action.name]
            elif action.name in table.uniques:
                del table.uniques[action.name]
            elif action.name == f"{action.table}_pkey":
                _drop_primary_key(table)
            elif action.name in table.indexes:
                del table.indexes[action.name]
            state.removed_at[(action.table, action.name)] = origin
        elif isinstance(action, sq.DropPrimaryKey):
            _drop_primary_key(state.table(action.table, origin))
        elif isinstance(action, sq.AddPrimaryKey):
            table = state.table(action.table, origin)
            for name in action.columns:
                column = state.column(action.table, name, origin)
                table.columns[name] = _stamped(column, replace(column, primary_key=True, not_null=True, origin=origin), origin)


# Column field -> the schema attribute names `ColumnChanged.location_of` looks up for it.
_ATTRIBUTES = {"type": ("type",), "size": ("size",), "scale": ("scale",), "sql_type": ("sqlType",),
               "not_null": ("required",), "primary_key": ("primaryKey",), "default": ("defaultValue",),
               "auto_increment": ("autoIncrement",), "value_set": ("valueSet",), "lazy_load": ("lazyLoad",)}


def _sql_origins(column: Column, origin: Origin) -> dict[str, Origin]:
    """The attribute origins a column keeps once SQL touched it: only those set by SQL of this file
    (an attribute origin from a schema file would point a finding about the SQL at the XML)."""
    return {k: v for k, v in column.attr_origins.items() if v.path == origin.path}


def _stamped(old: Column, new: Column, origin: Origin) -> Column:
    """`new`, with each attribute that differs from `old` located at `origin` (the statement that changed
    it) and the attributes earlier statements changed still located there: a finding about a change points
    at the statement that made it, not at a later one that touched the same column."""
    origins = _sql_origins(old, origin)
    for name, attributes in _ATTRIBUTES.items():
        if getattr(old, name) != getattr(new, name):
            origins.update(dict.fromkeys(attributes, origin))
    return replace(new, attr_origins=origins)


def _drop_primary_key(table: TableBuilder) -> None:
    for name, column in list(table.columns.items()):
        if column.primary_key:
            table.columns[name] = replace(column, primary_key=False)


def apply_statements(base: Schema, statements, platform: str, assumed: frozenset[tuple[str, str]] = frozenset()
                     ) -> Applied:
    """`assumed`: columns of `base` that are placeholders of an earlier script (see `Applied.assumed`)."""
    state = _State(base, platform, assumed)
    for statement in statements:
        if statement.actions and statement.kind != "unparsed":
            _apply(state, statement)
    base_tables = dict(base.tables)
    for name in state.base_changed:
        base_tables[name] = state.base[name].freeze()
    base_out = replace(base, tables=dict(sorted(base_tables.items())))
    head_tables = {}
    for name, builder in sorted(state.work.items()):
        original = base.tables.get(name)
        unchanged = original is not None and name not in state.base_changed and _same(builder, original)
        head_tables[name] = original if unchanged else builder.freeze()
    head = Schema(platform=platform, tables=head_tables, directives=base.directives)
    return Applied(base_out, head, state.removed_at,
                   {key: tuple(entries) for key, entries in state.columns_before.items()},
                   frozenset((t, c) for t, c in state.assumed if t in state.work and c in state.work[t].columns))


def _same(builder: TableBuilder, table: Table) -> bool:
    return (builder.columns == dict(table.columns) and builder.indexes == dict(table.indexes)
            and builder.uniques == dict(table.uniques) and builder.foreign_keys == dict(table.foreign_keys)
            and all(builder.columns[n].primary_key == c.primary_key for n, c in table.columns.items() if n in builder.columns))
