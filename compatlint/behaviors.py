"""Expand Propel and Spryker behaviors so the columns, indexes and tables they add exist in the model.

Without this, a column only a behavior provides looks dropped when someone deletes its explicit
declaration, and removing `<behavior name="timestampable"/>` looks like no change at all. Each
expander adds only what is missing: explicit declarations win, as in every behavior's
`modifyTable`. Sources are cited per function.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from .model import Column, Default, Index
from .platform import normalise_size
from .table_builder import TableBuilder, as_bool, generated_index_name, index_name

_TRUE = {"true", "1", "yes", "y", "on"}


def _flag(behavior, key: str, default: bool) -> bool:
    """A behavior parameter read as Propel's `MappingModel::booleanValue` reads it."""
    value = behavior.param(key)
    return default if value is None else as_bool(value)


# Behavior columns by everything but their origin: the same few (timestampable's two, uuid...) on most tables.
# Each entry keeps the columns made from it by the place of their behavior: a table built again whose
# behavior stands where it stood takes them as they were (finding one costs far less than making it).
_COLUMNS: dict[tuple, tuple[Column, dict[tuple, Column]]] = {}
_placed_count = 0  # columns kept by place, over all entries (all start afresh past 50,000)


def _column(builder: TableBuilder, platform: str, behavior, name: str, ptype: str, *, size: int | None = None,
            not_null: bool = False, default: Default | None = None, primary_key: bool = False,
            auto_increment: bool = False) -> Column:
    global _placed_count
    key = (platform, behavior.name, name, ptype, size, not_null, default, primary_key, auto_increment)
    entry = _COLUMNS.get(key)
    if entry is None:
        if len(_COLUMNS) > 10_000:
            _COLUMNS.clear()
        entry = _COLUMNS[key] = (Column(
            name=name, type=ptype, size=normalise_size(platform, ptype, size, False), not_null=not_null or primary_key,
            default=default, primary_key=primary_key, auto_increment=auto_increment, provided_by=behavior.name), {})
    known, placed = entry
    origin = behavior.origin
    place = None if origin is None else (origin.path, origin.line)
    column = placed.get(place)
    if column is None:
        if _placed_count > 50_000:
            _COLUMNS.clear()  # (this entry's columns are not kept either: it is no longer listed)
            _placed_count = 0
        _placed_count += 1
        column = placed[place] = Column(
            known.name, known.type, known.size, known.scale, known.sql_type, known.not_null, known.primary_key,
            known.auto_increment, known.default, known.value_set, known.lazy_load, known.description,
            known.provided_by, origin, {})
    return column


def timestampable(builder, behavior, platform) -> None:
    """Spryker's polyfill (spryker-core `Bundles/PropelOrm/.../Polyfill/Generator/Behavior/Timestampable/TimestampableBehavior.php`
    L33-L92): nullable `created_at`/`updated_at`, TIMESTAMP unless `is_timestamp` is false (then DATETIME)."""
    if not behavior.parameters:  # most tables: every parameter at its default (below), without reading them
        builder.add_column(_column(builder, platform, behavior, "created_at", "TIMESTAMP"))
        builder.add_column(_column(builder, platform, behavior, "updated_at", "TIMESTAMP"))
        return
    ptype = "TIMESTAMP" if _flag(behavior, "is_timestamp", True) else "DATETIME"
    if not _flag(behavior, "disable_created_at", False):
        builder.add_column(_column(builder, platform, behavior, behavior.param("create_column", "created_at"), ptype))
    if not _flag(behavior, "disable_updated_at", False):
        builder.add_column(_column(builder, platform, behavior, behavior.param("update_column", "updated_at"), ptype))


def uuid(builder, behavior, platform) -> None:
    """spryker/uuid-behavior `UuidBehavior.php` L25-L30, L99-L114: nullable VARCHAR `uuid` and unique `<table>-unique-uuid`."""
    if builder.add_column(_column(builder, platform, behavior, "uuid", "VARCHAR")):
        builder.add_index(Index(f"{builder.name}-unique-uuid", ("uuid",), True, provided_by=behavior.name, origin=behavior.origin))


def synchronization(builder, behavior, platform) -> None:
    """spryker/synchronization-behavior `SynchronizationBehavior.php` L183-L262 (config defaults in
    `SynchronizationBehaviorConfig.php` L26, L51): `data` CLOB; `store` VARCHAR(128) and `locale` VARCHAR(16)
    when those parameters are given (required as the parameter says); `mapping_resource_key` when
    `mapping_resource` is set without `mappings`; `alias_keys`; `key`; each VARCHAR key with its unique."""
    builder.add_column(_column(builder, platform, behavior, "data", "CLOB"))
    for name, size in (("store", 128), ("locale", 16)):
        if behavior.param(name) is not None:
            required = _flag(behavior, f"{name}#required", False)
            builder.add_column(_column(builder, platform, behavior, name, "VARCHAR", size=size, not_null=required))
    keyed = []
    if behavior.param("mapping_resource") is not None and behavior.param("mappings") is None:
        keyed.append(("mapping_resource_key", "unique-mapping-resource-key"))
    keyed += [("alias_keys", "unique-alias-keys"), ("key", "unique-key")]
    for column, suffix in keyed:
        if builder.add_column(_column(builder, platform, behavior, column, "VARCHAR")):
            builder.add_index(Index(f"{builder.name}-{suffix}", (column,), True, provided_by=behavior.name, origin=behavior.origin))


def sortable(builder, behavior, platform) -> None:
    """Propel `Behavior/Sortable/SortableBehavior.php` (2.0.0-beta3) L28-L32, L56-L83, L124-L127, L221-L236: an
    INTEGER rank column; with `use_scope` exactly "true", one INTEGER scope column named by `scope_column`, but
    only when it names a single column: several comma-separated scope columns are never added (they must be
    declared), and no scope column at all makes Propel throw (left to Propel's own validation)."""
    builder.add_column(_column(builder, platform, behavior, behavior.param("rank_column", "sortable_rank"), "INTEGER"))
    if behavior.param("use_scope") != "true":
        return
    raw = behavior.param("scope_column") or ""
    scopes = [name for name in raw.strip().replace(" ", "").split(",")] if raw else []
    if len(scopes) == 1:
        builder.add_column(_column(builder, platform, behavior, raw, "INTEGER"))


def sluggable(builder, behavior, platform) -> None:
    """Propel `Behavior/Sluggable/SluggableBehavior.php` L33, L61-L73: `slug` VARCHAR(255) and a unique."""
    column = behavior.param("slug_column", "slug")
    if builder.add_column(_column(builder, platform, behavior, column, "VARCHAR", size=255)) and _flag(behavior, "unique_constraint", True):
        builder.add_index(Index(f"{builder.name}_slug", (column,), True, provided_by=behavior.name, origin=behavior.origin))


def nested_set(builder, behavior, platform) -> None:
    """Propel `Behavior/NestedSet/NestedSetBehavior.php`: tree_left, tree_right, tree_level (+ tree_scope)."""
    for key, default in (("left_column", "tree_left"), ("right_column", "tree_right"), ("level_column", "tree_level")):
        builder.add_column(_column(builder, platform, behavior, behavior.param(key, default), "INTEGER"))
    if _flag(behavior, "use_scope", False):
        builder.add_column(_column(builder, platform, behavior, behavior.param("scope_column", "tree_scope"), "INTEGER"))


def auto_add_pk(builder, behavior, platform) -> None:
    """Propel `Behavior/AutoAddPk/AutoAddPkBehavior.php`: an `id` INTEGER autoIncrement PK when the table has none."""
    if any(c.primary_key for c in builder.columns.values()):
        return
    column = _column(builder, platform, behavior, behavior.param("name", "id"), (behavior.param("type") or "INTEGER").upper(),
                     primary_key=True, auto_increment=_flag(behavior, "autoIncrement", True))
    builder.columns = {column.name: column, **builder.columns}


def versionable(builder, behavior, platform) -> None:
    """Propel `Behavior/Versionable/VersionableBehavior.php` L98-L141: `version` INTEGER default 0 and log columns."""
    builder.add_column(_column(builder, platform, behavior, behavior.param("version_column", "version"), "INTEGER", default=Default("0")))
    if _flag(behavior, "log_created_at", False):
        builder.add_column(_column(builder, platform, behavior, "version_created_at", "TIMESTAMP"))
    if _flag(behavior, "log_created_by", False):
        builder.add_column(_column(builder, platform, behavior, "version_created_by", "VARCHAR", size=100))
    if _flag(behavior, "log_comment", False):
        builder.add_column(_column(builder, platform, behavior, "version_comment", "VARCHAR", size=255))


COLUMN_BEHAVIORS: dict[str, Callable] = {
    "timestampable": timestampable,
    "uuid": uuid,
    "synchronization": synchronization,
    "sortable": sortable,
    "sluggable": sluggable,
    "nested_set": nested_set,
    "auto_add_pk": auto_add_pk,
    "versionable": versionable,
}


def _copied_column(column: Column, behavior) -> Column:
    """`column` in a table a behavior derives: autoIncrement off, provided by the behavior, declared where it is
    (`dataclasses.replace`, written out: it is several times slower, and archive tables copy every column)."""
    return Column(column.name, column.type, column.size, column.scale, column.sql_type, column.not_null,
                  column.primary_key, False, column.default, column.value_set, column.lazy_load, column.description,
                  behavior.name, behavior.origin, {})


def _copied_index(index: Index, name: str, unique: bool, behavior) -> Index:
    """`index` renamed in a table a behavior derives, provided by the behavior (`replace`, written out)."""
    return Index(name, index.columns, unique, index.sizes, index.generated_name, behavior.name, behavior.origin)


def _copy_table(source, name: str, behavior, platform: str, *, uniques_as_indexes: bool, copy_indexes: bool = True):
    """Clone a table's columns (autoIncrement off) and indexes. Index names are kept on MySQL and generated
    anew on PostgreSQL (`isDistinctiveIndexNameRequired`); uniques become plain, generated-name indexes."""
    target = TableBuilder(name=name, namespace=source.namespace, package=source.package, files=source.files,
                          provided_by=behavior.name, origin=behavior.origin)
    for column in source.columns.values():
        target.columns[column.name] = _copied_column(column, behavior)
    if copy_indexes:
        for index in source.indexes.values():
            if index.provided_by == "mysql-fk-index":
                continue
            copied = index.name if platform == "mysql" else generated_index_name(name, index.columns, (), False)
            target.add_index(_copied_index(index, index_name(copied, platform), index.unique, behavior))
    for unique in source.uniques.values():
        if uniques_as_indexes:
            copied = index_name(generated_index_name(name, unique.columns, (), False), platform)
            target.add_index(_copied_index(unique, copied, False, behavior))
    return target


def archivable(builder, behavior, platform):
    """Spryker's polyfill (`.../Polyfill/Generator/Behavior/Archivable/ArchivableBehavior.php` L51-L55, L116, L215,
    L300-L303): `<table>_archive` with every column (autoIncrement off), `archived_at`, uniques as plain indexes."""
    name = behavior.param("archive_table") or f"{builder.name}_archive"
    archive = _copy_table(builder, name, behavior, platform, uniques_as_indexes=True)
    if _flag(behavior, "log_archived_at", True):
        ptype = "TIMESTAMP" if _flag(behavior, "is_timestamp", True) else "DATETIME"
        archive.add_column(_column(archive, platform, behavior, behavior.param("archived_at_column", "archived_at"), ptype))
    return [archive]


def versionable_table(builder, behavior, platform):
    """Propel versionable: `<table>_version` with the columns, PK extended by the version column."""
    name = behavior.param("version_table") or f"{builder.name}_version"
    version = _copy_table(builder, name, behavior, platform, uniques_as_indexes=False,
                          copy_indexes=_flag(behavior, "indices", False))
    column = behavior.param("version_column", "version")
    if column in version.columns:
        version.columns[column] = replace(version.columns[column], primary_key=True, not_null=True)
    return [version]


def i18n(builder, behavior, platform):
    """Propel `Behavior/I18n/I18nBehavior.php` L39-L44, L298-L303: `<table>_i18n` holding the translated
    columns, the main table's PK and a `locale` VARCHAR(5) PK column."""
    name = (behavior.param("i18n_table") or "%TABLE%_i18n").replace("%TABLE%", builder.name)
    table = TableBuilder(name=name, namespace=builder.namespace, package=builder.package, files=builder.files,
                         provided_by=behavior.name, origin=behavior.origin)
    for column in builder.columns.values():
        if column.primary_key:
            table.columns[column.name] = _copied_column(column, behavior)
    locale = behavior.param("locale_column", "locale")
    table.add_column(_column(table, platform, behavior, locale, "VARCHAR", size=int(behavior.param("locale_length", "5") or 5),
                             primary_key=True, default=Default(behavior.param("default_locale", "en_US"))))
    for raw in (behavior.param("i18n_columns") or "").split(","):
        column_name = raw.strip()
        if column_name and column_name in builder.columns:
            table.columns[column_name] = builder.columns.pop(column_name)
    return [table]


TABLE_BEHAVIORS: dict[str, Callable] = {
    "archivable": archivable,
    "versionable": versionable_table,
    "i18n": i18n,
}


def expand_behaviors(builders: dict[str, TableBuilder], platform: str) -> list[TableBuilder]:
    """Column behaviors first on every table, then behaviors that derive whole tables from the result."""
    for builder in builders.values():
        for behavior in builder.behaviors.values():
            expander = COLUMN_BEHAVIORS.get(behavior.name)
            if expander:
                expander(builder, behavior, platform)
    extra = []
    for builder in list(builders.values()):
        for behavior in builder.behaviors.values():
            expander = TABLE_BEHAVIORS.get(behavior.name)
            if expander:
                extra.extend(expander(builder, behavior, platform))
    return extra
