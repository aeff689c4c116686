"""Load the schemas of a walk through history, each from its neighbour's where the changed files allow.

`load_schema` parses, merges and builds every file of a side. Along a history most commits change one
or two files, so a commit's schema is derived from its parent's: only the merge groups (files of one
basename) whose files changed are loaded again, every other table keeps its objects (so the diff
skips it by identity), and the uniques that foreign keys add are worked out again only for the tables
those keys point at. Anything unusual (a table declared twice, a behavior table colliding with a
declared one, a merged output folder instead of module files) loads the whole commit the plain way.
The result is the same `Schema` and problems, in the same order, as `load_schema` gives.
"""

from __future__ import annotations

from dataclasses import replace
from operator import itemgetter
from typing import Iterable

from .loading import error_origin, file_directives, has_directive, merge_files, parse_file
from .loaders.merge import LoadProblem, SchemaFile, group_files
from .loaders.patterns import SchemaPatterns
from .loaders.xml import RawElement, SchemaFileError, adopt_equal_tables
from .model import ForeignKey, Schema, Table, distinct_keyed_tables
from .normalize import (TableBuilder, collect_builders, expanded_tables, final_table, fk_target_additions,
                        fk_target_uniques, mysql_referenced_indexes, referenced_indexes)


# Plain classes, not dataclasses: those are generated code, compiled at import (several million instructions each).
class GroupLoad:
    """One basename's files parsed and merged, and its tables built (behaviors applied). Read-only."""

    def __init__(self, problems: tuple[LoadProblem, ...], invalid: tuple[str, ...], database: RawElement | None,
                 tables: tuple[tuple[TableBuilder, ...], ...]):
        self.problems = problems  # invalid files, then what the merge found
        self.invalid = invalid
        self.database = database
        self.tables = tables  # per declared table: itself, then the tables its behaviors add


class TableIndex:
    """What deriving a neighbour needs besides the schema (kept only for a build without problems). Read-only."""

    def __init__(self, builders: dict[str, TableBuilder], pointing: dict[str, tuple[tuple[tuple, ForeignKey, str], ...]],
                 additions: dict[str, tuple], referenced: dict[str, tuple]):
        self.builders = builders
        # table -> the foreign keys pointing at it, each with its place in Propel's table order (declared
        # tables before derived ones, by group basename, by position) and the name of its table, in that order
        self.pointing = pointing
        self.additions = additions  # table -> the uniques those keys add to it
        self.referenced = referenced  # table -> the indexes MySQL's model adds to it for those keys


class Loaded:
    """A commit's schema and problems, with what its neighbours reuse. Read-only."""

    def __init__(self, schema: Schema, problems: list[LoadProblem], files: dict[str, SchemaFile], module: bool,
                 groups: dict[str, GroupLoad], index: TableIndex | None, directive_paths: frozenset[str] = frozenset(),
                 derived_from: int | None = None, maybe_changed: frozenset[str] = frozenset(),
                 by_basename: dict[str, tuple[str, ...]] | None = None):
        self.schema = schema
        self.problems = problems
        self.files = files  # the files loaded (module files, else the fallback ones), in snapshot order
        self.module = module
        self.groups = groups  # by basename, sorted
        self.index = index
        self.directive_paths = directive_paths  # files holding `compatlint:` comments
        # For a schema derived from another: that one's id, and the tables that are not the very objects they are
        # there, with every table whose foreign keys name one of them (`diff.diff_schemas` needs to look at no other).
        self.derived_from = derived_from
        self.maybe_changed = maybe_changed
        self.by_basename = {} if by_basename is None else by_basename  # the paths of each merge group


class HistoryLoader:
    """Loads snapshots (path -> blob id) of one walk; keeps the groups it built for later commits."""

    def __init__(self, platform: str, patterns: SchemaPatterns, blobs: dict[str, bytes]):
        self.platform = platform
        self.patterns = patterns
        self.blobs = blobs
        self._groups: dict[tuple, GroupLoad] = {}

    # -- files --------------------------------------------------------------------------------------
    def _file(self, path: str, blob: str) -> SchemaFile:
        return SchemaFile(path, self.blobs[blob], core=self.patterns.classify(path) == "core", blob=blob)

    def _chosen(self, snapshot: dict[str, str]) -> tuple[dict[str, SchemaFile], bool]:
        module = [p for p in snapshot if self.patterns.classify(p) != "fallback"]
        chosen = module if module else list(snapshot)
        return {p: self._file(p, snapshot[p]) for p in chosen}, bool(module)

    def _group(self, files: list[SchemaFile]) -> GroupLoad:
        key = tuple((f.path, f.blob or f.data, f.core) for f in files)
        cached = self._groups.get(key)
        if cached is None:
            problems: list[LoadProblem] = []
            invalid, parsed, usable = [], [], []
            for schema_file in files:
                result = parse_file(schema_file)
                if isinstance(result, SchemaFileError):
                    invalid.append(schema_file.path)
                    problems.append(LoadProblem("invalid-file", result.message, error_origin(result)))
                else:
                    parsed.append(result)
                    usable.append(schema_file)
            database = merge_files(usable, parsed, problems) if parsed else None
            tables = () if database is None else tuple(
                tuple(expanded_tables(element, database, self.platform))
                for element in database.children if element.tag == "table")
            cached = self._groups[key] = GroupLoad(tuple(problems), tuple(invalid), database, tables)
        return cached

    # -- loading ------------------------------------------------------------------------------------
    def load(self, snapshot: dict[str, str]) -> Loaded:
        """A whole snapshot, the way `load_schema` loads it."""
        files, module = self._chosen(snapshot)
        groups = {name: self._group(group) for name, group in group_files(files.values()).items()}
        problems = [p for g in groups.values() for p in g.problems]
        built = len(problems)
        invalid = {p for g in groups.values() for p in g.invalid}
        builders, ambiguous = collect_builders((g.database for g in groups.values() if g.database is not None),
                                               self.platform, problems, invalid)
        index = None
        if len(problems) == built and len(builders) == sum(len(t) for g in groups.values() for t in g.tables):
            index = _index(groups, builders, self.platform)  # no table declared twice or shadowed
        additions, referenced = (index.additions, index.referenced) if index else _whole(builders, self.platform)
        tables = {name: final_table(builders[name], additions.get(name, ()), self.platform, referenced.get(name, ()))
                  for name in sorted(builders)}
        schema = Schema(platform=self.platform, tables=tables, invalid_paths=frozenset(invalid),
                        files=tuple(files), ambiguous_tables=ambiguous)
        by_basename: dict[str, tuple[str, ...]] = {}
        for path in files:
            name = path.rpartition("/")[2]
            by_basename[name] = (*by_basename.get(name, ()), path)
        return _loaded(schema, problems, files, module, groups, index,
                       frozenset(f.path for f in files.values() if has_directive(f)), by_basename)

    def derive(self, parent: Loaded, snapshot: dict[str, str], changed: Iterable[str]) -> Loaded:
        """The snapshot that differs from `parent`'s by the files at `changed` paths."""
        changed = list(dict.fromkeys(p for p in changed if self.patterns.classify(p) is not None))
        if parent.index is None or not parent.module:
            return self.load(snapshot)
        if not any(self.patterns.classify(p) != "fallback" for p in changed):
            return parent  # only fallback files changed, and module files exist: they are not read
        # `.copy()`, not `dict(...)`: the parent's dicts have had entries removed, and `dict()` then inserts
        # every entry again where `.copy()` clones the hash table (many times faster on a large dict)
        files = parent.files.copy()
        arrived = False
        for path in changed:
            if self.patterns.classify(path) == "fallback":
                continue
            if path in snapshot:
                old = files.get(path)
                arrived = arrived or old is None
                if old is None or old.blob != snapshot[path]:
                    files[path] = self._file(path, snapshot[path])
            else:
                files.pop(path, None)
        if not files:
            return self.load(snapshot)
        if arrived and list(files) != [p for p in snapshot if p in files]:
            files = {p: files[p] for p in snapshot if p in files}  # keep the snapshot's order
        for path in changed:
            if path in files and path in parent.files and files[path] is not parent.files[path]:
                adopt_equal_tables(parse_file(files[path], parent.files[path]), parse_file(parent.files[path]))
        arriving: dict[str, list[str]] = {}
        for path in changed:
            if self.patterns.classify(path) != "fallback":
                arriving.setdefault(path.rpartition("/")[2], []).append(path)
        touched = set(arriving)
        by_basename = parent.by_basename.copy()
        for name, paths in arriving.items():
            members = {p for p in by_basename.pop(name, ()) if p in files}
            members.update(p for p in paths if p in files)
            if members:
                by_basename[name] = tuple(members)
        new_groups = {name: self._group(sorted((files[p] for p in by_basename[name]), key=lambda f: (not f.core, f.path)))
                      for name in touched if name in by_basename}
        derived = _derive_tables(parent, touched, new_groups, self.platform)
        if derived is None:
            return self.load(snapshot)
        index, tables, changed_tables = derived
        groups = parent.groups.copy()
        for name in touched:
            if name in new_groups:
                groups[name] = new_groups[name]  # in its place: problems are listed in group order
            else:
                groups.pop(name, None)
        if groups.keys() != parent.groups.keys():  # a group arrived (or left): back to name order
            groups = dict(sorted(groups.items()))
        if any(g.problems or g.invalid for g in new_groups.values()) or any(
                parent.groups[name].problems or parent.groups[name].invalid for name in touched if name in parent.groups):
            problems = [p for g in groups.values() if g.problems for p in g.problems]
            invalid = frozenset(p for g in groups.values() if g.invalid for p in g.invalid)
        else:  # the groups that changed found nothing, before or now: the parent's (its groups' only, as it is indexed)
            problems, invalid = list(parent.problems), parent.schema.invalid_paths
        schema = Schema(platform=self.platform, tables=tables, invalid_paths=invalid, files=tuple(files),
                        ambiguous_tables=frozenset())
        changed_paths = set(changed)
        with_directives = {p for p in parent.directive_paths if p in files and p not in changed_paths}
        with_directives.update(p for p in changed if p in files and has_directive(files[p]))
        # A table that kept the parent's very object has nothing to report unless a key of it names one that did not.
        before = parent.schema.tables
        differing = {name for name in changed_tables if tables.get(name) is not before.get(name)}
        referrers = {entry[2] for name in differing for entry in index.pointing.get(name, ())}
        return _loaded(schema, problems, files, True, groups, index, frozenset(with_directives), by_basename,
                       derived_from=id(parent), maybe_changed=frozenset(differing | referrers))


def _loaded(schema: Schema, problems, files: dict[str, SchemaFile], module: bool, groups, index,
            directive_paths: frozenset[str], by_basename: dict[str, tuple[str, ...]], **derived) -> Loaded:
    if directive_paths:  # in file order, as `load_schema` collects them
        directives = tuple(d for path, f in files.items() if path in directive_paths for d in file_directives(f))
        if directives:
            schema = replace(schema, directives=directives)
    return Loaded(schema, problems, files, module, groups, index, directive_paths=directive_paths,
                  by_basename=by_basename, **derived)


def _members(group: GroupLoad, basename: str) -> Iterable[tuple[tuple, TableBuilder]]:
    """The group's tables with their place: declared tables first, in order; derived ones after all declared."""
    for position, (main, *extra) in enumerate(group.tables):
        yield (0, basename, position), main
        for number, builder in enumerate(extra):
            yield (1, basename, position, number), builder


def _pointing_entries(builder: TableBuilder, place: tuple):
    for number, fk in enumerate(builder.foreign_keys.values()):
        if fk.foreign_columns:
            yield fk.foreign_table, ((*place, number), fk, builder.name)


def _added_indexes(builders: dict[str, TableBuilder], pointing, targets: Iterable[str], platform: str
                   ) -> tuple[dict[str, tuple], dict[str, tuple]]:
    """For each target: the uniques the keys pointing at it add, and the indexes MySQL's model adds."""
    additions, referenced = {}, {}
    for target in targets:
        if target in builders and target in pointing:
            entries = pointing[target]
            added = fk_target_additions(builders[target], (fk for _, fk, _ in entries), platform)
            if added:
                additions[target] = tuple(added)
            # referrers by table name, then position of the key in its table
            added = referenced_indexes(builders[target], ((name, place[-1], fk) for place, fk, name in entries), platform)
            if added:
                referenced[target] = tuple(added)
    return additions, referenced


def _index(groups: dict[str, GroupLoad], builders: dict[str, TableBuilder], platform: str) -> TableIndex:
    pointing: dict[str, list] = {}
    for basename, group in groups.items():
        for place, builder in _members(group, basename):
            for target, entry in _pointing_entries(builder, place):
                pointing.setdefault(target, []).append(entry)
    pointing = {target: tuple(sorted(entries, key=_place)) for target, entries in pointing.items()}
    return TableIndex(builders, pointing, *_added_indexes(builders, pointing, pointing, platform))


_place = itemgetter(0)  # a pointing entry's place (no Python call per entry while sorting)


def _same_pointing(old: tuple, new: tuple) -> bool:
    """The same keys in the same places, origins too: what the indexes they add to their table are made of."""
    return old == new and all(a[1] is b[1] or a[1].origin == b[1].origin for a, b in zip(old, new))


def _whole(builders: dict[str, TableBuilder], platform: str) -> tuple[dict[str, tuple], dict[str, tuple]]:
    return ({name: tuple(added) for name, added in fk_target_uniques(builders, platform).items()},
            {name: tuple(added) for name, added in mysql_referenced_indexes(builders, platform).items()})


def _derive_tables(parent: Loaded, touched: set[str], new_groups: dict[str, GroupLoad], platform: str
                   ) -> tuple[TableIndex, dict[str, Table], set[str]] | None:
    """The parent's tables with the touched groups' tables replaced, and the names of the tables that may
    differ from the parent's; None when a name collides."""
    old = parent.index
    before = {b.name: (place, b) for name in touched if name in parent.groups
              for place, b in _members(parent.groups[name], name)}
    added: dict[str, tuple[tuple, TableBuilder]] = {}
    for basename, group in new_groups.items():
        for place, builder in _members(group, basename):
            if builder.name in added or (builder.name in old.builders and builder.name not in before):
                return None  # declared twice or shadowed: the plain load reports it
            if place[0] == 0 and (builder.duplicate_columns or builder.unknown_types):
                return None
            added[builder.name] = (place, builder)
    # A member that is the very builder in the very place (most of a touched group: an edit changes one
    # table) keeps its keys, the entries they make in `pointing`, and its table (copied below if it has keys):
    # only the others are taken out, put in, and looked at as targets.
    kept = {name for name, (place, builder) in added.items()
            if (was := before.get(name)) is not None and was[1] is builder and was[0] == place}
    gone = [b for name, (_, b) in before.items() if name not in kept]
    gone_names = {b.name for b in gone}
    arrived = {name: entry for name, entry in added.items() if name not in kept}
    builders = old.builders.copy()  # (`.copy()` clones; `dict()` re-inserts: see `derive`)
    for name in gone_names:
        del builders[name]
    for name, (_, builder) in arrived.items():
        builders[name] = builder
    # the tables whose added uniques may change: those taken out or put in, and those their foreign keys point at
    targets = gone_names | set(arrived)
    targets.update(fk.foreign_table for b in gone for fk in b.foreign_keys.values())
    pointing = old.pointing.copy()
    for target in targets:
        entries = pointing.pop(target, None)
        kept_entries = tuple(e for e in entries if e[2] not in gone_names) if entries else ()
        if kept_entries:
            pointing[target] = kept_entries
    arriving: dict[str, list] = {}
    for name, (place, builder) in arrived.items():
        for target, entry in _pointing_entries(builder, place):
            arriving.setdefault(target, []).append(entry)
    for target, entries in arriving.items():
        targets.add(target)
        pointing[target] = tuple(sorted((*pointing.get(target, ()), *entries), key=_place))
    # a target whose builder and the keys pointing at it are as they were keeps the indexes they add
    again = {target for target in targets if target not in builders or builders[target] is not old.builders.get(target)
             or not _same_pointing(old.pointing.get(target, ()), pointing.get(target, ()))}
    additions, referenced = old.additions.copy(), old.referenced.copy()
    for target in again:
        additions.pop(target, None)
        referenced.pop(target, None)
    found_additions, found_referenced = _added_indexes(builders, pointing, again, platform)
    additions.update(found_additions)
    referenced.update(found_referenced)
    tables = parent.schema.tables.copy()
    for name in gone_names - set(arrived):
        del tables[name]  # (what is left stays in name order)
    # A target not found again keeps its builder and what is added to it: its table is the parent's.
    for name in again:
        if name in builders:
            tables[name] = final_table(builders[name], additions.get(name, ()), platform, referenced.get(name, ()))
    distinct_keyed_tables(parent.schema.tables, tables, touched, added)
    if any(name not in parent.schema.tables for name in arrived):  # new names went to the end: back to name order
        tables = {name: tables[name] for name in sorted(tables)}
    return TableIndex(builders, pointing, additions, referenced), tables, set(before) | set(added) | targets
