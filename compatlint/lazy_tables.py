"""The tables of one loaded side, each normalised when it is first read.

A large schema file with one edit holds hundreds of thousands of tables that both sides of a check share
(the very same element objects, `loading.adopt_from_base`). Building them all was most of such a check's
time and memory, yet the diff skips them and the rules read a handful. `build_schema` builds at load time
only what the load itself reports on: tables with behaviors that add tables (archive, version, i18n: they
must be known by name) and tables whose columns Propel may refuse. For every other table it keeps the
element and the tables its foreign keys name. A table is built when read, exactly as a whole build makes
it: the uniques and indexes other tables' keys add come from the tables pointing at it, and the builds
are cached by element identity (`normalize.expanded_tables`), so both sides still get the very same
object for a shared element. `tables_that_may_differ` tells the diff which few tables to look at.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Collection, Iterable, Iterator, Mapping, Sequence

from .behaviors import TABLE_BEHAVIORS
from .loaders.merge import LoadProblem
from .loaders.xml import DeferredTable, RawElement, deferred_outline
from .model import Schema, Table
from .normalize import (duplicate_table, expanded_tables, final_table, fk_target_additions, fk_target_uniques,
                        mysql_referenced_indexes, referenced_indexes, report_table_problems)
from .platform import PROPEL_TYPES
from .table_builder import TableBuilder

# What `_outline` found per element: the element itself for a table without foreign keys (most), else
# (element, the tables its keys name) or (element, None). The element is kept so its id stays valid.
# Bounded like normalize's caches: above the tables of one side of a very large schema.
_OUTLINES: dict[int, RawElement | tuple[RawElement, tuple[str, ...] | None]] = {}
_OUTLINE_LIMIT = 400_000


def _outline(element: RawElement) -> tuple[str, ...] | None:
    """The tables the element's foreign keys name; None when the element must be built at load time: it
    has a behavior that adds tables, or a column whose type Propel may not know, or a column name declared
    twice. (Other behaviors add columns and indexes to the table itself, never foreign keys.)"""
    if element.__class__ is DeferredTable:  # a large file's table: known without converting it
        return deferred_outline(element)
    cached = _OUTLINES.get(id(element))
    if cached is element:
        return ()
    if cached.__class__ is tuple and cached[0] is element:  # (a stale entry holds another element)
        return cached[1]
    targets: list[str] = []
    columns: set[str] = set()
    found: tuple[str, ...] | None = ()
    for child in element.children:
        tag = child.tag
        if tag == "column":
            attrs = child.attrs
            declared = attrs.get("type")
            name = attrs.get("name")
            if declared is not None and declared not in PROPEL_TYPES or name in columns:
                found = None
                break
            columns.add(name)
        elif tag == "foreign-key":
            targets.append(child.attrs["foreignTable"])
        elif tag == "behavior" and child.attrs.get("name") in TABLE_BEHAVIORS:  # adds tables: known by name
            found = None
            break
    if found is not None and targets:
        found = tuple(dict.fromkeys(targets))
    if len(_OUTLINES) > _OUTLINE_LIMIT:
        _OUTLINES.clear()
    _OUTLINES[id(element)] = element if found == () else (element, found)
    return found


class LazyTables(Mapping[str, Table]):
    """Table name -> `Table`, in name order, each built on first read and then kept (the same object on
    every read). Iterating names, `len` and `in` build nothing; reading every value builds every table."""

    def __init__(self, platform: str, sources: dict[str, TableBuilder | RawElement],
                 databases: dict[str, RawElement], targets: dict[str, tuple[str, ...]],
                 kept_apart: tuple[Mapping[str, Table], frozenset[str]] | None = None):
        self.platform = platform
        # In Propel's table order (declared tables, then the ones behaviors add): a table built at load
        # time, or the element of one not built yet, with its database element in `databases`.
        self._sources = sources
        self._databases = databases
        self._targets = targets  # the tables the foreign keys of each table with keys name, in table order
        self._names = sorted(sources)
        self._kept_apart = kept_apart
        self._tables: dict[str, Table] = {}
        # table -> the tables whose keys name it, in table order (also for a name no table has: a dangling key)
        self._referrers: dict[str, list[str]] = {}
        for name, named in targets.items():
            for target in named:
                self._referrers.setdefault(target, []).append(name)

    def __getitem__(self, name: str) -> Table:
        table = self._tables.get(name)
        if table is None:
            table = self._tables[name] = self._build(name)
        return table

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._sources

    def __repr__(self) -> str:
        return repr(self._every_table())

    def items(self):
        return self._every_table().items()

    def values(self):
        return self._every_table().values()

    def _every_table(self) -> dict[str, Table]:
        """Every table, in name order: those not read yet built together, as a whole side's build does
        (each key looked at once, not once per table it names)."""
        if len(self._tables) < len(self._names):
            builders = {name: self._builder(name) for name in self._sources}
            additions = fk_target_uniques(builders, self.platform)
            referenced = mysql_referenced_indexes(builders, self.platform)
            for name, builder in builders.items():
                if name not in self._tables:
                    self._tables[name] = self._kept(name, final_table(
                        builder, additions.get(name, ()), self.platform, referenced.get(name, ())))
        return {name: self._tables[name] for name in self._names}

    def _builder(self, name: str) -> TableBuilder:
        source = self._sources[name]
        if isinstance(source, RawElement):
            return expanded_tables(source, self._databases[name], self.platform)[0]
        return source

    def _build(self, name: str) -> Table:
        """What `build_schema` of a whole side made of this table: `normalize.fk_target_uniques` and
        `normalize.mysql_referenced_indexes` narrowed to the keys pointing at it."""
        builder = self._builder(name)
        additions: list = []
        referenced: list = []
        referrers = self._referrers.get(name)
        if referrers:
            pointing, found = [], []
            for other in referrers:
                for position, fk in enumerate(self._builder(other).foreign_keys.values()):
                    if fk.foreign_table == name and fk.foreign_columns:
                        pointing.append(fk)
                        found.append((other, position, fk))
            additions = fk_target_additions(builder, pointing, self.platform)
            referenced = referenced_indexes(builder, found, self.platform)
        return self._kept(name, final_table(builder, additions, self.platform, referenced))

    def _kept(self, name: str, table: Table) -> Table:
        if self._kept_apart is not None and name in self._kept_apart[1] and self._kept_apart[0].get(name) is table:
            return replace(table)  # see `model.distinct_keyed_tables`
        return table

    def naming(self, name: str) -> list[str]:
        """The tables whose foreign keys name `name`, in table order (none of them is built)."""
        return list(self._referrers.get(name, ()))

    def built_names(self) -> frozenset[str]:
        """The tables read so far."""
        return frozenset(self._tables)

    def kept_apart_from(self, base: Mapping[str, Table], changed_groups: Collection[str]) -> LazyTables:
        """These tables as `model.distinct_keyed_tables` leaves them: a table with foreign keys from a file
        of a changed merge group is its own object even where it is the base's very object."""
        names = frozenset(name for name in self._targets
                          if any(path.rpartition("/")[2] in changed_groups for path in self._files(name)))
        return LazyTables(self.platform, self._sources, self._databases, self._targets,
                          (base, names) if names else None)

    def _files(self, name: str) -> Iterable[str]:
        source = self._sources[name]
        return source.sources if isinstance(source, RawElement) else source.files


def build_schema(databases: Iterable[RawElement], platform: str, problems: list[LoadProblem],
                 invalid_paths: Iterable[str] = (), files: Sequence[str] = ()) -> Schema:
    """One side's schema from its merged databases, with the problems found (as `normalize.collect_builders`
    finds them, in the same order); its tables are built when read."""
    invalid_paths = set(invalid_paths)
    sources: dict[str, TableBuilder | RawElement] = {}
    database_of: dict[str, RawElement] = {}
    targets: dict[str, tuple[str, ...]] = {}
    derived: list[TableBuilder] = []
    for database in databases:
        for element in database.children:
            if element.tag != "table":
                continue
            named = _outline(element)
            if named is None:
                main, *extra = expanded_tables(element, database, platform)
                report_table_problems(main, problems, invalid_paths)
            name = element.attrs["name"]
            first = sources.get(name)
            if first is not None:
                problems.append(duplicate_table(name, first.origin, element.origin))
                continue
            if named is None:
                sources[name] = main
                named = _keys_of(main)
                derived.extend(extra)
            else:
                sources[name] = element
                database_of[name] = database
            if named:
                targets[name] = named
    ambiguous = frozenset(p.table for p in problems if p.kind == "duplicate-table")
    for builder in derived:  # tables added by behaviors (archive, version, i18n) never replace declared ones
        if builder.name not in sources:
            sources[builder.name] = builder
            named = _keys_of(builder)
            if named:
                targets[builder.name] = named
    return Schema(platform=platform, tables=LazyTables(platform, sources, database_of, targets),
                  invalid_paths=frozenset(invalid_paths), files=tuple(files), ambiguous_tables=ambiguous)


def _keys_of(builder: TableBuilder) -> tuple[str, ...]:
    return tuple(dict.fromkeys(fk.foreign_table for fk in builder.foreign_keys.values()))


def tables_that_may_differ(base: Mapping[str, Table], head: Mapping[str, Table]) -> frozenset[str] | None:
    """The only tables whose objects may differ between two loaded sides, with every table whose foreign
    keys name one of them (what `diff.diff_schemas` must look at); None when either side is not lazy.
    Every other table comes from the same element (in databases of the same namespace and package) or
    the same build on both sides, with the same tables pointing at it: the same object, nothing to report."""
    if not isinstance(base, LazyTables) or not isinstance(head, LazyTables) or base.platform != head.platform:
        return None
    old, new = base._sources, head._sources
    differ = {name for name, source in old.items() if new.get(name) is not source}
    differ.update(new.keys() - old.keys())
    # the same element in a database of another namespace or package makes another table
    old_databases, new_databases = base._databases, head._databases
    every = [*old_databases.values(), *new_databases.values()]
    identity = {key: (database.attrs.get("namespace"), database.attrs.get("package"))
                for key, database in dict(zip(map(id, every), every)).items()}  # a few distinct ones
    differ.update(name for name, database in old_databases.items()
                  if (other := new_databases.get(name)) is not database and other is not None
                  and identity[id(database)] != identity[id(other)])
    found = set(differ)
    for side in (base, head):
        for name in differ:
            found.update(side._targets.get(name, ()))
            found.update(side._referrers.get(name, ()))
    for target in base._referrers.keys() | head._referrers.keys():
        if base._referrers.get(target) != head._referrers.get(target):  # e.g. reordered
            found.add(target)
    return frozenset(found)
