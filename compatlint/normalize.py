"""Turn merged `<database>` elements into the frozen model, normalised as Propel does.

Column semantics follow `propelorm/Propel2:src/Propel/Generator/Model/Column.php` (`setupObject`):
a missing type is VARCHAR, type names are upper-cased, `required` or `primaryKey` mean NOT NULL,
`defaultValue` wins over `default`, a value of `null`/`NULL` means no default, otherwise
`defaultExpr` is an SQL expression; `valueSet` is split on commas and trimmed.
"""

from __future__ import annotations

from dataclasses import replace
from operator import itemgetter
from typing import Iterable, Mapping, Sequence

from .behaviors import expand_behaviors
from .loaders.merge import LoadProblem
from .loaders.xml import RawElement
from .model import Behavior, Column, Default, ForeignKey, Index, Origin, Table
from .platform import PROPEL_TYPES, max_identifier_length, normalise_size, unknown_type
from .table_builder import (TableBuilder, as_bool, as_int, cut_index_names, fk_action, generated_fk_name,
                            generated_index_name, index_name, mysql_fk_indexes, with_indexes)


# Columns by their attributes (the first made of them: the next ones take its values, with their own place):
# most columns of a table built again (a new version of its file) are attribute for attribute what they were,
# so only their place is new. Kept small: a huge schema's
# columns are nearly all distinct, and each entry costs memory.
_COLUMNS: dict[tuple, Column] = {}
_COLUMNS_LIMIT = 50_000

# Columns, indexes and foreign keys by their place (path, then line), each with what it was made of: a
# table built again keeps those that stand where they stood, made of the same, and finding one there costs
# far less than making it. Bounded like `_COLUMNS`.
_PLACED: dict[str, dict[int | None, tuple[tuple, Column | Index | ForeignKey]]] = {}
_placed_count = 0


def build_column(element: RawElement, platform: str, provided_by: str | None = None) -> Column:
    """A column of `element` (`_build_table` has this inlined: it runs once per column of every table built)."""
    key = (platform, provided_by, *element.attrs.items())
    known = _COLUMNS.get(key)
    if known is None:
        if len(_COLUMNS) > _COLUMNS_LIMIT:
            _COLUMNS.clear()
        known = _COLUMNS[key] = _column(element.attrs, platform, provided_by, element.origin, element.attr_origins)
        return known
    return Column(known.name, known.type, known.size, known.scale, known.sql_type, known.not_null, known.primary_key,
                  known.auto_increment, known.default, known.value_set, known.lazy_load, known.description,
                  known.provided_by, element.origin, element.attr_origins)


def _placed_in(path: str) -> dict:
    """The model objects kept for the file at `path`."""
    placed = _PLACED[path] = {}
    return placed


def _column(attrs: dict[str, str], platform: str, provided_by: str | None, origin: Origin | None,
            attr_origins: Mapping[str, Origin]) -> Column:
    """A column from its attributes (absent attributes skip the conversions), at `origin`."""
    get = attrs.get
    ptype = (get("type") or "VARCHAR").strip().upper()
    sql_type = get("sqlType") or None
    flag = get("primaryKey")
    primary_key = False if flag is None else as_bool(flag)
    default = None
    value = get("defaultValue", get("default"))
    if value is not None and value.strip().lower() != "null":
        default = Default(value)
    elif get("defaultExpr") is not None:
        default = Default(attrs["defaultExpr"], is_expression=True)
    value_set = None
    if get("valueSet") is not None:
        value_set = tuple(v.strip() for v in attrs["valueSet"].split(","))
    scale = get("scale")
    if scale is not None:
        scale = as_int(scale)
    size = get("size")
    if size is not None:
        size = as_int(size)
    flag = get("required")
    required = False if flag is None else as_bool(flag)
    flag = get("autoIncrement")
    auto_increment = False if flag is None else as_bool(flag)
    flag = get("lazyLoad")
    lazy_load = False if flag is None else as_bool(flag)
    return Column(  # (positional: in the order of the fields)
        attrs["name"], ptype, normalise_size(platform, ptype, size, sql_type is not None, scale), scale, sql_type,
        primary_key or required,  # not_null
        primary_key, auto_increment, default, value_set, lazy_load,
        get("description") or None, provided_by, origin, attr_origins,
    )


# Entries before a cache starts afresh: above the tables of one side of a very large schema (330,000), so
# the other side finds its equal tables there, and low enough to bound a long audit's memory.
_CACHE_LIMIT = 400_000

# Tables by the identity of their (cached, never mutated) elements, so a table whose files did not change
# is built once for both sides of a comparison and once for a whole history walk. The element objects
# are kept in the values so the ids stay valid.
_EXPANDED: dict[tuple, tuple[RawElement, list["TableBuilder"]]] = {}
_FINAL: dict[tuple, tuple["TableBuilder", Table]] = {}


def expanded_tables(element: RawElement, database: RawElement, platform: str) -> list["TableBuilder"]:
    """The table with its own behaviors applied, followed by the tables its behaviors add. Read-only."""
    # The database element matters only through its namespace and package (a merged root is new each time).
    key = (id(element), database.attrs.get("namespace"), database.attrs.get("package"), platform)
    cached = _EXPANDED.get(key)
    if cached is None or cached[0] is not element:
        if len(_EXPANDED) > _CACHE_LIMIT:
            _EXPANDED.clear()
        builder = _build_table(element, database, platform)
        extra = expand_behaviors({builder.name: builder}, platform) if builder.behaviors else []
        cached = (element, [builder, *extra])
        _EXPANDED[key] = cached
    return cached[1]


def build_table(element: RawElement, database: RawElement, platform: str) -> "TableBuilder":
    """A fresh, mutable builder for one table element (no behaviors applied)."""
    return _build_table(element, database, platform)


def _pgsql_vendor(element: RawElement) -> dict:
    """`<vendor type="pgsql"><parameter name="deferrable" value="true"/>...` of a foreign key."""
    found = {}
    for vendor in element.children:
        if vendor.tag == "vendor" and vendor.attrs.get("type") == "pgsql":
            for parameter in vendor.children:
                key = {"deferrable": "deferrable", "initiallydeferred": "initially_deferred"}.get(
                    (parameter.attrs.get("name") or "").lower())
                if key:
                    found[key] = as_bool(parameter.attrs.get("value"))
    return found


def _build_table(element: RawElement, database: RawElement, platform: str) -> TableBuilder:
    global _placed_count
    if _placed_count > _COLUMNS_LIMIT:  # every kept object starts afresh (one file may hold them all)
        _PLACED.clear()
        _placed_count = 0
    table_attrs = element.attrs  # (`attrs` below is a column's)
    name = table_attrs["name"]
    sources = element.sources
    # positional, in the order of the fields (as `TableBuilder.copy`): keywords cost more, once per table built
    builder = TableBuilder(
        name, {}, {}, {}, {}, {}, None, None,
        table_namespace(table_attrs.get("namespace"), database.attrs.get("namespace")),  # namespace
        table_attrs.get("package") or database.attrs.get("package"),  # package
        table_attrs.get("phpName"),  # php_name
        (sources[0],) if len(sources) == 1 else tuple(dict.fromkeys(sources)),  # files (most tables: one)
        None, element.origin, as_bool(table_attrs.get("skipSql")), table_attrs,  # provided_by ... attrs
        table_attrs.get("description") or None, [], [],  # description, duplicate_columns, unknown_types
    )
    own_columns = builder.columns  # (`columns` below is an index's)
    for child in element.children:
        tag = child.tag
        if tag == "column":
            attrs = child.attrs
            declared = attrs.get("type")
            if declared is not None and declared not in PROPEL_TYPES:  # the common case costs one set lookup
                strange = unknown_type(attrs)
                if strange is not None:
                    builder.unknown_types.append((attrs.get("name"), strange,
                                                  child.attr_origins.get("type", child.origin)))
            origin, attr_origins = child.origin, child.attr_origins
            placed = _PLACED.get(origin.path)
            if placed is None:
                placed = _placed_in(origin.path)
            made_of = (attrs, platform, attr_origins)
            earlier = placed.get(origin.line)
            if earlier is not None and earlier[0] == made_of:
                column = earlier[1]  # the column that stood here, made of the same
            else:
                # `build_column`, inlined: this runs once per column of every table built
                key = (platform, None, *attrs.items())
                known = _COLUMNS.get(key)
                if known is None:
                    if len(_COLUMNS) > _COLUMNS_LIMIT:
                        _COLUMNS.clear()
                    column = _COLUMNS[key] = _column(attrs, platform, None, origin, attr_origins)
                else:
                    column = Column(known.name, known.type, known.size, known.scale, known.sql_type, known.not_null,
                                    known.primary_key, known.auto_increment, known.default, known.value_set,
                                    known.lazy_load, known.description, None, origin, attr_origins)
                placed[origin.line] = (made_of, column)
                _placed_count += 1
            # by name, not identity: two equal columns on one line are one kept object
            first = own_columns.get(column.name)
            if first is None:
                own_columns[column.name] = column
            else:  # `Table::addColumn` throws "Column ... declared twice" (Model/Table.php L577)
                builder.duplicate_columns.append((column.name, child.origin, first.origin))
        elif tag in ("index", "unique"):
            origin = child.origin
            placed = _PLACED.get(origin.path)
            if placed is None:
                placed = _placed_in(origin.path)
            made_of = (tag, name, platform, child.attrs, child.children)  # (the generated name has the table's)
            earlier = placed.get(origin.line)
            if earlier is not None and earlier[0] == made_of:
                builder.add_index(earlier[1])
                continue
            unique = tag == "unique"
            members = [c for c in child.children if c.tag == ("unique-column" if unique else "index-column") and c.attrs.get("name")]
            columns = tuple(c.attrs["name"] for c in members)
            if not columns:
                continue  # Propel skips an index without columns
            sizes = [c.attrs["size"] for c in members if (as_int(c.attrs.get("size")) or 0) > 0]
            explicit = child.attrs.get("name")
            # PostgreSQL has no index prefix lengths: normalizeTable resets them on indices (not on uniques)
            prefixes = tuple(as_int(c.attrs.get("size")) for c in members)
            if platform == "pgsql" and not unique or not any(prefixes):
                prefixes = ()
            index = Index(  # (positional, in the order of the fields: keywords cost more)
                index_name(explicit or generated_index_name(name, columns, sizes, unique), platform),
                columns, unique, prefixes, not explicit, None, origin,  # generated_name, provided_by, origin
            )
            placed[origin.line] = (made_of, index)
            _placed_count += 1
            builder.add_index(index)
        elif tag == "foreign-key":
            origin = child.origin
            placed = _PLACED.get(origin.path)
            if placed is None:
                placed = _placed_in(origin.path)
            made_of = (tag, name, child.attrs, child.children)  # (the generated name has the table's)
            earlier = placed.get(origin.line)
            if earlier is not None and earlier[0] == made_of:
                builder.foreign_keys.setdefault(earlier[1].name, earlier[1])
                continue
            local = tuple(r.attrs.get("local", "") for r in child.children if r.tag == "reference")
            foreign = tuple(r.attrs.get("foreign", "") for r in child.children if r.tag == "reference")
            explicit = child.attrs.get("name")
            vendor = _pgsql_vendor(child)
            fk = ForeignKey(  # (positional, in the order of the fields: keywords cost more)
                explicit or generated_fk_name(name, child.attrs["foreignTable"], local, foreign),
                child.attrs["foreignTable"], local, foreign,
                fk_action(child.attrs.get("onDelete")), fk_action(child.attrs.get("onUpdate")),
                as_bool(child.attrs.get("skipSql")), not explicit, origin,  # skip_sql, generated_name, origin
                vendor.get("deferrable", False), vendor.get("initially_deferred", False),
            )
            placed[origin.line] = (made_of, fk)
            _placed_count += 1
            builder.foreign_keys.setdefault(fk.name, fk)
        elif tag == "id-method-parameter":
            builder.id_method_parameter = child.attrs.get("value")
            builder.id_method_parameter_origin = child.origin
        elif tag == "behavior":
            params = []
            for p in child.children:
                if p.tag == "parameter" and p.attrs.get("name"):
                    params.append((p.attrs["name"], p.attrs.get("value", "")))
                    if "required" in p.attrs:
                        params.append((f"{p.attrs['name']}#required", p.attrs["required"]))
            params = tuple(params)
            behavior_name = child.attrs["name"]
            if behavior_name in builder.behaviors:  # merged by name; parameters accumulate
                old = builder.behaviors[behavior_name]
                merged = dict(old.parameters)
                merged.update(params)
                params = tuple(merged.items())
            builder.behaviors[behavior_name] = Behavior(behavior_name, params, child.origin)
    return builder


def table_namespace(own: str | None, database: str | None) -> str | None:
    """Propel `Database.php` L718-L739: a relative table namespace is appended to the database's; a leading
    backslash makes it absolute."""
    if not own:
        return database
    if own.startswith("\\"):
        return own[1:]
    return f"{database}\\{own}" if database else own


_UNIQUE: dict[tuple[int, tuple[str, ...]], tuple[TableBuilder, bool]] = {}


def _is_unique(builder: TableBuilder, columns: tuple[str, ...]) -> bool:
    """`Table::isUnique` (memoised: expanded builders are read-only and shared across comparisons)."""
    key = (id(builder), columns)
    cached = _UNIQUE.get(key)
    if cached is None or cached[0] is not builder:
        if len(_UNIQUE) > _CACHE_LIMIT:
            _UNIQUE.clear()
        cached = _UNIQUE[key] = (builder, _compute_is_unique(builder, columns))
    return cached[1]


def _compute_is_unique(builder: TableBuilder, columns: tuple[str, ...]) -> bool:
    """The sole PK column, the PK set, or a unique with exactly these columns."""
    pk = {c.name for c in builder.columns.values() if c.primary_key}
    if set(columns) == pk and pk:
        return True
    return any(len(u.columns) == len(columns) and set(u.columns) == set(columns) for u in builder.uniques.values())


def fk_target_uniques(builders: dict[str, TableBuilder], platform: str) -> dict[str, list[Index]]:
    """`DefaultPlatform::normalizeTable` (L1565-L1593) adds a Unique on FK target columns that are not unique."""
    pointing: dict[str, list[ForeignKey]] = {}
    for builder in builders.values():
        for fk in builder.foreign_keys.values():
            if fk.foreign_table in builders and fk.foreign_columns:
                pointing.setdefault(fk.foreign_table, []).append(fk)
    additions = {}
    for target_name, fks in pointing.items():
        added = fk_target_additions(builders[target_name], fks, platform)
        if added:
            additions[target_name] = added
    return additions


def fk_target_additions(target: TableBuilder, fks: Iterable[ForeignKey], platform: str) -> list[Index]:
    """The uniques `normalizeTable` adds to `target` for the foreign keys pointing at it (in table order)."""
    added: list[Index] = []
    pk = None  # worked out once: most keys name exactly the primary key, which is unique
    for fk in fks:
        if not fk.foreign_columns:
            continue
        if pk is None:
            pk = tuple(c.name for c in target.columns.values() if c.primary_key)
        if fk.foreign_columns == pk or _is_unique(target, fk.foreign_columns):
            continue
        if any(set(i.columns) == set(fk.foreign_columns) for i in added):
            continue
        sizes = [str(target.columns[c].size) for c in fk.foreign_columns if c in target.columns and target.columns[c].size]
        name = index_name(generated_index_name(target.name, fk.foreign_columns, sizes, True), platform)
        added.append(Index(name, fk.foreign_columns, True, generated_name=True, provided_by="propel-fk-target", origin=fk.origin))
    return added


def _prefixes(columns: Sequence[str]) -> set[tuple[str, ...]]:
    """`Table::collectIndexedColumns`: an index on (a, b, c) indexes (a), (a, b) and (a, b, c)."""
    return {tuple(columns[: n + 1]) for n in range(len(columns))}


def mysql_referenced_indexes(builders: dict[str, TableBuilder], platform: str) -> dict[str, list[Index]]:
    """MySQL needs an index on referenced columns too: `Table::addExtraIndices` (propelorm/Propel2 2.0.0-beta3
    `src/Propel/Generator/Model/Table.php` L378-L401, run for MySQL only, L884-L886) adds
    `i_referenced_<fk name>_<n>` on the referenced table for each referring foreign key whose referenced columns
    no index, unique or the primary key starts with; n counts the indexes added to that table. Referrers come
    in table order, then declaration order (`Database::setupTableReferrers`, `Model/Database.php` L928-L933)."""
    if platform != "mysql":
        return {}
    referrers: dict[str, list[tuple[str, int, ForeignKey]]] = {}
    for name, builder in builders.items():
        if not builder.foreign_keys:
            continue
        for position, fk in enumerate(builder.foreign_keys.values()):
            if fk.foreign_table in builders and fk.foreign_columns:
                referrers.setdefault(fk.foreign_table, []).append((name, position, fk))
    found: dict[str, list[Index]] = {}
    for target_name, found_fks in referrers.items():
        added = referenced_indexes(builders[target_name], found_fks, platform)
        if added:
            found[target_name] = added
    return found


_table_then_declaration = itemgetter(0, 1)  # a referrer's table name and the key's position in it


def referenced_indexes(target: TableBuilder, referrers: Iterable[tuple[str, int, ForeignKey]], platform: str
                       ) -> list[Index]:
    """The `i_referenced_*` indexes MySQL's model adds to `target` for its referrers: (table name, position of
    the key in its table, key), in any order (they are taken in table order, then declaration order)."""
    if platform != "mysql":
        return []
    # the common case, a key to the primary key (or its first columns), needs no index: skip it cheaply
    pk = tuple(c.name for c in target.columns.values() if c.primary_key)
    wanted = [r for r in referrers if pk[: len(r[2].foreign_columns)] != r[2].foreign_columns]
    if not wanted:
        return []
    wanted.sort(key=_table_then_declaration)
    indexed = _prefixes([c.name for c in target.columns.values() if c.primary_key])
    for index in (*target.indexes.values(), *target.uniques.values()):
        indexed |= _prefixes(index.columns)
    added: list[Index] = []
    for _, _, fk in wanted:
        if fk.foreign_columns in indexed or not all(c in target.columns for c in fk.foreign_columns):
            continue
        name = f"i_referenced_{fk.name}_{len(added) + 1}"
        added.append(Index(name, fk.foreign_columns, False, generated_name=True,
                           provided_by="mysql-referenced-index", origin=fk.origin))
        indexed |= _prefixes(fk.foreign_columns)
    return added


def _long_index_names(builder: TableBuilder, platform: str) -> bool:
    if not builder.indexes and not builder.uniques:
        return False  # many tables have no index: skip building two generators
    limit = max_identifier_length(platform)
    for named in (builder.indexes, builder.uniques):
        for name in named:  # (a plain loop: no generator per table)
            if len(name) > limit:
                return True
    return False


def _final_table(builder: TableBuilder, additions: tuple[Index, ...], platform: str,
                 referenced: tuple[Index, ...] = ()) -> Table:
    key = (id(builder), platform, tuple((i.name, i.columns, i.origin) for i in (*additions, *referenced))
           if additions or referenced else ())
    cached = _FINAL.get(key)
    if cached is None or cached[0] is not builder:
        if len(_FINAL) > _CACHE_LIMIT:
            _FINAL.clear()
        if not additions and not referenced and (platform != "mysql" or not builder.foreign_keys) \
                and not _long_index_names(builder, platform):
            cached = _FINAL[key] = (builder, builder.freeze())  # nothing to add or rename (most tables)
            return cached[1]
        # Propel's order: the model's extra MySQL indexes (referenced columns, then the table's own foreign key
        # columns) when the schema is built, the uniques on foreign key targets when `normalizeTable` runs.
        # The builder's dicts are copied only where something is added (it is shared, and read-only).
        indexes, uniques = with_indexes(builder.indexes, builder.uniques, referenced)
        indexes = mysql_fk_indexes(builder, indexes, uniques, platform)
        indexes, uniques = with_indexes(indexes, uniques, additions)
        # `Index::getName` cuts every index name, behavior-made and generated ones included.
        limit = max_identifier_length(platform)
        if any(len(n) > limit for n in indexes):
            indexes = cut_index_names(indexes, platform, limit)
        if any(len(n) > limit for n in uniques):
            uniques = cut_index_names(uniques, platform, limit)
        cached = (builder, builder.freeze(indexes, uniques))
        _FINAL[key] = cached
    return cached[1]


def collect_builders(databases: Iterable[RawElement], platform: str, problems: list[LoadProblem],
                     invalid_paths: set[str]) -> tuple[dict[str, TableBuilder], frozenset[str]]:
    """Every table of the merged databases with its behaviors applied, declared tables first (the first
    declaration wins), then tables behaviors add; and the tables declared twice (not diffed). Files with a
    column type Propel does not know join `invalid_paths`."""
    builders: dict[str, TableBuilder] = {}
    derived: list[TableBuilder] = []
    for database in databases:
        for element in database.children:
            if element.tag != "table":
                continue
            main, *extra = expanded_tables(element, database, platform)
            report_table_problems(main, problems, invalid_paths)
            if main.name in builders:
                problems.append(duplicate_table(main.name, builders[main.name].origin, main.origin))
                continue
            builders[main.name] = main
            derived.extend(extra)
    ambiguous = frozenset(p.table for p in problems if p.kind == "duplicate-table")
    for builder in derived:  # tables added by behaviors (archive, version, i18n) never replace declared ones
        builders.setdefault(builder.name, builder)
    return builders, ambiguous


def report_table_problems(main: TableBuilder, problems: list[LoadProblem], invalid_paths: set[str]) -> None:
    """The unknown column types and the columns declared twice that building the table found."""
    for name, strange, origin in main.unknown_types:  # found once, when the element was built
        # Propel refuses the whole schema; the file is unusable input, like one that does not parse
        invalid_paths.add(origin.path)
        problems.append(LoadProblem(
            "invalid-file", f"column {main.name}.{name} has type=\"{strange}\", which Propel does not know; "
            f"Propel refuses: Cannot map unknown Propel type '{strange.upper()}' to native database type",
            origin, main.name, name))
    for name, origin, first in main.duplicate_columns:  # found once, when the element was built
        problems.append(LoadProblem(
            "duplicate-column", f"column {name} is declared twice in table {main.name}; "
            f"Propel refuses: Column \"{name}\" declared twice", origin, main.name, name, other=first))


def duplicate_table(name: str, first: Origin, origin: Origin) -> LoadProblem:
    """A table declared again in a differently named file (the first declaration is the one kept)."""
    return LoadProblem(
        "duplicate-table",
        f"table {name} is declared in two differently named schema files "
        f"({first.path} and {origin.path}); Propel refuses: Duplicate table found",
        origin, name, other=first)


def final_table(builder: TableBuilder, additions: Sequence[Index], platform: str,
                referenced: Sequence[Index] = ()) -> Table:
    """The frozen table: the builder with the indexes MySQL's model adds for its referrers, the uniques
    other tables' foreign keys add, and MySQL's indexes on its own foreign keys."""
    return _final_table(builder, tuple(additions), platform, tuple(referenced))


def with_origin(column: Column, origin: Origin | None, provided_by: str) -> Column:
    return replace(column, origin=origin, provided_by=provided_by, attr_origins={})
