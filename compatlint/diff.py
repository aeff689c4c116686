"""Compare two schemas the way Propel's comparators do, and emit typed change events.

Semantics of propelorm/Propel2 `src/Propel/Generator/Model/Diff/` at 2.0.0-beta3:
- `DatabaseComparator::compareTables`: tables matched by name; an added and a removed table whose
  `TableComparator::computeDiff` is empty is only a *possible* renaming without `--table-renaming`,
  so the old table is dropped and the new one created (we emit `TableRenamed`).
- `TableComparator::compareColumns`: columns matched by name; then every added column is paired with
  the first removed column whose `ColumnComparator::computeDiff` is empty: a rename.
- `ColumnComparator`: compares scale, size, sqlType (and type), notNull, default, autoIncrement, and
  reports nothing when the platform's column DDL is the same.
- `comparePrimaryKeys`; `compareIndices` (indices and uniques in one list, matched by name only: same
  name with other columns, order or uniqueness is "modified", so a renamed index is a drop and an add);
  `compareForeignKeys` (by name; columns compared as sorted lists, actions with the platform default,
  MySQL's being RESTRICT; skipSql compared).
Changes Propel ignores but that still matter to V1 (valueSet, lazyLoad, id-method-parameter,
behaviors, moves between files) are emitted as events too; `ColumnChanged.ddl` says whether
Propel would emit DDL.
"""

from __future__ import annotations

from typing import Collection, Iterable

from . import changes as ev
from .model import Column, ForeignKey, Index, Schema, Table
from .platform import column_ddl, defaults_equal, sql_type


def column_changes(before: Column, after: Column) -> frozenset[str]:
    found = set()
    if before.scale != after.scale:
        found.add(ev.SCALE)
    if before.size != after.size:
        found.add(ev.SIZE)
    if (before.sql_type or "").upper() != (after.sql_type or "").upper():
        found.add(ev.SQL_TYPE)
    if before.type != after.type:
        found.add(ev.TYPE)
    if before.not_null != after.not_null:
        found.add(ev.NOT_NULL)
    if before.default != after.default:
        found.add(ev.DEFAULT)
    if before.auto_increment != after.auto_increment:
        found.add(ev.AUTO_INCREMENT)
    if before.value_set != after.value_set:
        found.add(ev.VALUE_SET)
    if before.lazy_load != after.lazy_load:
        found.add(ev.LAZY_LOAD)
    if before.primary_key != after.primary_key:
        found.add(ev.PRIMARY_KEY)
    return frozenset(found)


def propel_changed_properties(before: Column, after: Column, platform: str) -> set[str]:
    """`ColumnComparator::compareColumns`: scale, size, sqlType (type only when the sqlType differs),
    notNull, default (by `ColumnDefaultValue::equals`), autoIncrement."""
    found = set()
    if before.scale != after.scale:
        found.add(ev.SCALE)
    if before.size != after.size:
        found.add(ev.SIZE)
    if sql_type(platform, before).upper() != sql_type(platform, after).upper():
        found.add(ev.SQL_TYPE)
        if before.type != after.type:
            found.add(ev.TYPE)
    if before.not_null != after.not_null:
        found.add(ev.NOT_NULL)
    if not defaults_equal(before.default, after.default):
        found.add(ev.DEFAULT)
    if before.auto_increment != after.auto_increment:
        found.add(ev.AUTO_INCREMENT)
    return found


def has_ddl_difference(before: Column, after: Column, platform: str, before_sequence: bool = True,
                       after_sequence: bool = True) -> bool:
    """`ColumnComparator::computeDiff`: compared properties differ and the platform's column DDL differs
    (the DDL includes the name, so for a rename candidate only the properties count)."""
    if not propel_changed_properties(before, after, platform):
        return False
    if before.name != after.name:
        return True
    return column_ddl(platform, before, before_sequence) != column_ddl(platform, after, after_sequence)


def _same_index(a: Index, b: Index) -> bool:
    """`IndexComparator`: same columns in the same order, same prefix sizes, same uniqueness."""
    return a.unique == b.unique and a.columns == b.columns and (a.sizes or ()) == (b.sizes or ())


def fk_action_with_default(action: str | None, platform: str) -> str:
    """`ForeignKey::getOnDeleteWithDefault`: MySQL's effective default is RESTRICT (MysqlPlatform L1068-L1118)."""
    return action or ("RESTRICT" if platform == "mysql" else "")


def same_foreign_key(a: ForeignKey, b: ForeignKey, platform: str) -> bool:
    """`ForeignKeyComparator::computeDiff` is false."""
    return (
        a.foreign_table == b.foreign_table
        and (a.local_columns == b.local_columns  # the common case: the same columns, in the same order
             or sorted(c.lower() for c in a.local_columns) == sorted(c.lower() for c in b.local_columns))
        and (a.foreign_columns == b.foreign_columns
             or sorted(c.lower() for c in a.foreign_columns) == sorted(c.lower() for c in b.foreign_columns))
        and fk_action_with_default(a.on_update, platform) == fk_action_with_default(b.on_update, platform)
        and fk_action_with_default(a.on_delete, platform) == fk_action_with_default(b.on_delete, platform)
        and a.skip_sql == b.skip_sql
    )


def tables_differ(before: Table, after: Table, platform: str) -> bool:
    """`TableComparator::computeDiff(added, removed)` is non-empty: used for table-rename detection.
    A table with any foreign key always differs, since the comparator includes the owning table's name."""
    if set(before.columns) != set(after.columns):
        return True
    for name, column in before.columns.items():
        if has_ddl_difference(column, after.columns[name], platform):
            return True
    if before.primary_key != after.primary_key:
        return True
    if any(not f.skip_sql for f in (*before.foreign_keys.values(), *after.foreign_keys.values())):
        return True
    old = {i.name: i for i in (*before.indexes.values(), *before.uniques.values())}
    new = {i.name: i for i in (*after.indexes.values(), *after.uniques.values())}
    return old.keys() != new.keys() or any(not _same_index(old[n], new[n]) for n in old)


def _diff_columns(base: Table, head: Table, platform: str) -> Iterable[ev.Event]:
    added = [c for name, c in head.columns.items() if name not in base.columns]
    removed = [c for name, c in base.columns.items() if name not in head.columns]
    for name, before in base.columns.items():
        after = head.columns.get(name)
        if after is None or after == before:  # equal columns (most of a changed table's): no change to look for
            continue
        found = column_changes(before, after)
        if found:
            ddl = has_ddl_difference(before, after, platform, base.id_method_parameter is not None,
                                     head.id_method_parameter is not None)
            yield ev.ColumnChanged(base, head, before, after, found, ddl)
    for new in list(added):
        for old in removed:
            if not has_ddl_difference(new, old, platform):
                yield ev.ColumnRenamed(base, head, old, new)
                added.remove(new)
                removed.remove(old)
                break
    for column in added:
        yield ev.ColumnAdded(base, head, column)
    for column in removed:
        yield ev.ColumnRemoved(base, head, column)


def _diff_primary_key(base: Table, head: Table, platform: str) -> Iterable[ev.Event]:
    # the primary key's columns, in their order, without building `Table.primary_key` on both sides
    before, after = base.columns, head.columns
    added = [c for n, c in after.items() if c.primary_key and (n not in before or not before[n].primary_key)]
    removed = [c for n, c in before.items() if c.primary_key and (n not in after or not after[n].primary_key)]
    for new in list(added):  # a renamed PK column is a rename, not a PK change
        for old in removed:
            if not has_ddl_difference(new, old, platform) and old.name not in head.columns:
                added.remove(new)
                removed.remove(old)
                break
    if added or removed:
        yield ev.PrimaryKeyChanged(base, head, base.primary_key, head.primary_key)


def _diff_indexes(base: Table, head: Table) -> Iterable[ev.Event]:
    old = {i.name: i for i in (*base.indexes.values(), *base.uniques.values())}
    new = {i.name: i for i in (*head.indexes.values(), *head.uniques.values())}
    for name, before in old.items():
        after = new.get(name)
        if after is None:
            yield ev.IndexRemoved(base, head, before)
        elif not _same_index(before, after):
            yield ev.IndexChanged(base, head, before, after)
    for name, after in new.items():
        if name not in old:
            yield ev.IndexAdded(base, head, after)


def _column_types(table: Table | None, names, platform: str) -> tuple:
    """`ForeignKeyComparator::columnTypesEquals` (L96): the raw sql types, sorted by column name."""
    if table is None:
        return ()
    return tuple(sql_type(platform, table.columns[n]) if n in table.columns else None for n in sorted(names))


def _same_column_types(before: Table | None, after: Table | None, names: tuple[str, ...],
                       others: tuple[str, ...], platform: str) -> bool:
    """`_column_types(before, names) == _column_types(after, others)`, without working out a type where
    both sides hold the very same column object (most keys: the columns did not change)."""
    if names == others and before is not None and after is not None:
        old, new = before.columns, after.columns
        if old is new:  # the same table, or a copy of it (`model.distinct_keyed_tables`)
            return True
        for name in names:
            a, b = old.get(name), new.get(name)
            if a is not b and (a is None or b is None or sql_type(platform, a) != sql_type(platform, b)):
                return False
        return True
    return _column_types(before, names, platform) == _column_types(after, others, platform)


def _diff_foreign_keys(base: Table, head: Table, platform: str, base_schema: Schema | None = None,
                       head_schema: Schema | None = None, same_columns: bool = False) -> list[ev.Event]:
    """`same_columns`: the sides' columns are equal (so are their types)."""
    events: list[ev.Event] = []
    old_keys, new_keys = base.foreign_keys, head.foreign_keys
    typed = base_schema is not None and head_schema is not None
    for name, before in old_keys.items():
        after = new_keys.get(name)
        if after is None:
            if not before.skip_sql:
                events.append(ev.ForeignKeyRemoved(base, head, before))
        elif after is not before and not same_foreign_key(before, after, platform):  # (the very key: the same)
            events.append(ev.ForeignKeyChanged(base, head, before, after))
        elif typed:
            # (equal columns, or the very target table, answer without working out a type)
            same_types = (same_columns and before.local_columns == after.local_columns) or _same_column_types(
                base, head, before.local_columns, after.local_columns, platform)
            if same_types:
                old_target = base_schema.tables.get(before.foreign_table)
                new_target = head_schema.tables.get(after.foreign_table)
                same_types = (old_target is new_target and before.foreign_columns == after.foreign_columns) or \
                    _same_column_types(old_target, new_target, before.foreign_columns, after.foreign_columns, platform)
            if not same_types:
                # a column type of the key changes: Propel drops and re-adds the foreign key around the CHANGE
                events.append(ev.ForeignKeyChanged(base, head, before, after))
    if new_keys is not old_keys:
        for name, after in new_keys.items():
            if name not in old_keys and not after.skip_sql:
                events.append(ev.ForeignKeyAdded(base, head, after))
    return events


def _diff_referenced_types(table: Table, platform: str, base_schema: Schema, head_schema: Schema) -> list[ev.Event]:
    """A table whose own definition is unchanged still goes through `TableComparator::computeDiff`
    (`DatabaseComparator.php` L258-L275), whose `ForeignKeyComparator` compares the referenced columns' types
    (L50-L58, `columnTypesEquals` L96-L107): a key whose target column changes type is dropped and re-added."""
    events: list[ev.Event] = []
    base_tables, head_tables = base_schema.tables, head_schema.tables
    for fk in table.foreign_keys.values():
        before, after = base_tables.get(fk.foreign_table), head_tables.get(fk.foreign_table)
        if before is after or fk.skip_sql:
            continue
        if not _same_column_types(before, after, fk.foreign_columns, fk.foreign_columns, platform):
            events.append(ev.ForeignKeyChanged(table, table, fk, fk))
    return events


def _diff_behaviors(base: Table, head: Table) -> Iterable[ev.Event]:
    for name in sorted(set(base.behaviors) | set(head.behaviors)):
        before, after = base.behaviors.get(name), head.behaviors.get(name)
        if before is None or after is None or dict(before.parameters) != dict(after.parameters):
            yield ev.BehaviorChanged(base, head, name, before, after)


def _moved(base: Table, head: Table) -> bool:
    if base.namespace != head.namespace:
        return True
    if base.files == head.files:
        return False
    return bool(set(base.files) - set(head.files)) and bool(set(head.files) - set(base.files))


def diff_table(base: Table, head: Table, platform: str, base_schema: Schema | None = None,
               head_schema: Schema | None = None) -> list[ev.Event]:
    # Each part is looked at only where the sides' differ: most tables diffed are a copy of the very table
    # (`model.distinct_keyed_tables`) or the same table built again (equal columns, new origins), and
    # comparing a part whole (in C, by identity first) is cheaper than walking it for what changed.
    events: list[ev.Event] = []
    if _moved(base, head):
        events.append(ev.TableMoved(base, head))
    same_columns = base.columns is head.columns or base.columns == head.columns
    if not same_columns:
        events.extend(_diff_columns(base, head, platform))
        events.extend(_diff_primary_key(base, head, platform))
    if (base.indexes is not head.indexes and base.indexes != head.indexes) or (
            base.uniques is not head.uniques and base.uniques != head.uniques):
        events.extend(_diff_indexes(base, head))
    if base.foreign_keys or head.foreign_keys:
        events += _diff_foreign_keys(base, head, platform, base_schema, head_schema, same_columns)
    if base.id_method_parameter != head.id_method_parameter:
        events.append(ev.SequenceChanged(base, head, base.id_method_parameter, head.id_method_parameter))
    if base.behaviors is not head.behaviors and base.behaviors != head.behaviors:
        events.extend(_diff_behaviors(base, head))
    return events


def _touched_by_invalid(table: Table | None, invalid: frozenset[str]) -> bool:
    return table is not None and any(path in invalid for path in table.files)


def diff_schemas(base: Schema, head: Schema, maybe_changed: Collection[str] | None = None) -> list[ev.Event]:
    """All events between two schemas, in a deterministic order. `maybe_changed`: when the caller knows
    them (a history walk), the only tables that may differ, with every table whose foreign keys name one
    of them; every other table is the same object on both sides and has nothing to report."""
    platform = head.platform
    invalid = base.invalid_paths | head.invalid_paths
    skipped = base.ambiguous_tables | head.ambiguous_tables
    events: list[ev.Event] = []
    base_tables, head_tables = base.tables, head.tables
    if maybe_changed is None:
        head_names, base_names = head_tables, base_tables
    else:  # a walk's schemas hold their tables in name order (`incremental`): so do these, without a scan
        names = sorted(maybe_changed)
        head_names = [name for name in names if name in head_tables]
        base_names = [name for name in names if name in base_tables]
    added = [head_tables[name] for name in head_names if name not in base_tables and not head_tables[name].skip_sql]
    removed = [base_tables[name] for name in base_names if name not in head_tables and not base_tables[name].skip_sql]
    for name in base_names:
        before = base_tables[name]
        after = head_tables.get(name)
        if after is None or after.skip_sql or before.skip_sql or name in skipped:
            continue
        if invalid and (_touched_by_invalid(before, invalid) or _touched_by_invalid(after, invalid)):
            continue
        if before is after:  # the same definition: only its foreign keys can differ, through the tables they name
            if before.foreign_keys:
                events += _diff_referenced_types(before, platform, base, head)
            continue
        events += diff_table(before, after, platform, base, head)
    # `DatabaseComparator::compareTables` (L277-L295): without --table-renaming a removed table stays a candidate
    # for every later added table, and `DatabaseDiff::addPossibleRenamedTable` (L108-L111) keys the pairs by the
    # removed name, so the last added table with the same definition is the one named; the others are plain adds.
    candidates: dict[str, Table] = {}
    for new in added:
        for old in removed:
            if not tables_differ(old, new, platform):
                candidates[old.name] = new
                break
    renamed = [ev.TableRenamed(old, candidates[old.name]) for old in removed if old.name in candidates]
    removed = [old for old in removed if old.name not in candidates]
    renamed_heads = {e.head.name for e in renamed}
    events.extend(renamed)
    for table in added:
        if table.name not in renamed_heads and not (invalid and _touched_by_invalid(table, invalid)):
            events.append(ev.TableAdded(table))
    for table in removed:
        if invalid and _touched_by_invalid(table, invalid):
            continue  # its file did not parse at head: we cannot tell whether it was dropped
        events.append(ev.TableRemoved(table))
    events.sort(key=lambda e: e.sort_key())
    return events
