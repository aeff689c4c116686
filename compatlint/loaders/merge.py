"""Merge schema files the way Spryker's `propel:schema:copy` does.

Source: spryker/spryker-core `Bundles/Propel/src/Spryker/Zed/Propel/Business/Model/PropelSchemaMerger.php`
(`getElementName` L377-L393: identity is `tag|name`, elements without a name are always appended;
`mergeAttributes` L416-L431: a later file overwrites an attribute; L100-L114: name, package and
namespace must agree within a group) and `PropelGroupedSchemaFinder.php` L48-L52 (files are grouped
by basename). Vendor (core) directories are scanned before project ones (`PropelConfig.php` L179-L189).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from ..model import Origin
from .xml import RawElement


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """Something found while loading or merging, reported by the CL9xx rules."""

    kind: str  # "invalid-file" | "attribute-overwritten" | "database-mismatch" | "duplicate-table"
    message: str
    origin: Origin
    table: str | None = None
    column: str | None = None
    other: Origin | None = None


@dataclass(frozen=True, slots=True)
class SchemaFile:
    path: str
    data: bytes
    core: bool = False
    blob: str | None = None  # git blob id, when read from git; used for parse caching

    @property
    def basename(self) -> str:
        return self.path.rpartition("/")[2]


_DB_IDENTITY = ("name", "package", "namespace")


def _key(element: RawElement) -> tuple[str, str] | None:
    """`getElementName`'s `tag|name`, as a pair (no new string to build and hash per element)."""
    name = element.attrs.get("name")
    return (element.tag, name) if name is not None else None


def _describe(element: RawElement, parents: Sequence[RawElement]) -> tuple[str | None, str | None, str]:
    table = column = None
    for node in (*parents, element):
        if node.tag == "table":
            table = node.attrs.get("name")
        elif node.tag == "column":
            column = node.attrs.get("name")
    label = f"<{element.tag} name=\"{element.attrs.get('name', '')}\">"
    return table, column, label


def _own(node: RawElement, owned: set[int]) -> RawElement:
    """A copy of `node` this merge may change (children are shared until they are changed themselves):
    parsed trees are cached and shared, so a merge never writes into them."""
    copy = RawElement(node.tag, dict(node.attrs), node.origin, list(node.children), dict(node.attr_origins),
                      list(node.comments), list(node.sources))
    owned.add(id(copy))
    return copy


class _KnownTables:
    """A group's tables whose contributing elements were merged before (same objects, same order): their
    merge is not done again; what merging each contribution reported is replayed in its place instead."""

    def __init__(self, known: dict[str, "_Merged"]):
        self.known = known
        self.replayed: dict[str, int] = {}
        self.reported: dict[str, list[tuple[LoadProblem, ...]]] = {}

    def replay(self, table: RawElement, problems: list[LoadProblem]) -> bool:
        name = table.attrs.get("name")
        merged = self.known.get(name)
        if merged is None:
            return False
        number = self.replayed.get(name, 0)
        self.replayed[name] = number + 1
        problems.extend(merged.reports[number])
        return True

    def record(self, table: RawElement, found: list[LoadProblem]) -> None:
        self.reported.setdefault(table.attrs.get("name"), []).append(tuple(found))


def _child_index(element: RawElement) -> dict[tuple[str, str], int]:
    """`tag|name` -> the position of the first child with it."""
    index = {}
    for position, child in enumerate(element.children):
        key = _key(child)
        if key is not None and key not in index:
            index[key] = position
    return index


def _merge_into(target: RawElement, source: RawElement, parents: list[RawElement], problems: list[LoadProblem],
                owned: set[int], tables: _KnownTables | None = None,
                index: dict[tuple[str, str], int] | None = None) -> None:
    """Merge `source` into `target` (an owned copy). `tables`: for a `<database>`, its tables merged before.
    `index`: `_child_index(target)`, kept up to date here (children are only appended or replaced in place)."""
    for attr, value in source.attrs.items():
        old = target.attrs.get(attr)
        origin = source.attr_origins.get(attr, source.origin)
        if old is not None and old != value and target.tag != "database":
            table, column, label = _describe(target, parents)
            problems.append(LoadProblem(
                "attribute-overwritten",
                f"{label} attribute {attr}=\"{old}\" is overwritten with \"{value}\" by a later file of the same merge group",
                origin, table, column, target.attr_origins.get(attr, target.origin)))
        target.attrs[attr] = value
        target.attr_origins[attr] = origin
    target.comments.extend(source.comments)
    if source.sources:  # kept on <database> and <table> only
        target.sources.extend(source.sources)
    if index is None:
        index = _child_index(target)
    parents.append(target)
    for child in source.children:
        key = _key(child)
        position = index.get(key) if key is not None else None
        if position is None:
            target.children.append(child)  # shared: owned (copied) only if a later file merges into it
            if key is not None:
                index[key] = len(target.children) - 1
        else:
            table = tables is not None and child.tag == "table"
            if table and tables.replay(child, problems):
                continue
            existing = target.children[position]
            if id(existing) not in owned:
                existing = target.children[position] = _own(existing, owned)
            start = len(problems)
            _merge_into(existing, child, parents, problems, owned)
            if table:
                tables.record(child, problems[start:])
    parents.pop()


_HIERARCHY = ("column", "foreign-key", "index", "unique", "id-method-parameter", "behavior")


def _reorder(table: RawElement) -> None:
    """`PropelSchemaMerger::ensureTableElementHierarchy` (L450-L464) and `orderColumns` (L498-L527): other
    tags first, then columns (id_* , fk_*, the rest, each sorted by name), foreign keys, indexes, uniques,
    id-method-parameter, behaviors. Only merged groups are re-ordered; a single file is copied verbatim."""
    buckets: dict[str, list[RawElement]] = {tag: [] for tag in _HIERARCHY}
    others = []
    for child in table.children:
        (buckets[child.tag] if child.tag in buckets else others).append(child)
    columns = buckets["column"]
    named = {c.attrs.get("name", ""): c for c in columns}
    ordered = [named[n] for n in sorted(n for n in named if n.startswith("id_"))]
    ordered += [named[n] for n in sorted(n for n in named if n.startswith("fk_"))]
    ordered += [named[n] for n in sorted(n for n in named if not n.startswith(("id_", "fk_")))]
    buckets["column"] = ordered
    table.children = others + [child for tag in _HIERARCHY for child in buckets[tag]]


def merge_group(databases: Sequence[RawElement], problems: list[LoadProblem]) -> RawElement:
    """Merge the `<database>` roots of one basename group, in order; the first one's identity wins."""
    if len(databases) == 1:
        return databases[0]
    first = databases[0]
    for other in databases[1:]:
        for attr in _DB_IDENTITY:
            if first.attrs.get(attr) != other.attrs.get(attr):
                problems.append(LoadProblem(
                    "database-mismatch",
                    f"<database {attr}=\"{other.attrs.get(attr)}\"> disagrees with \"{first.attrs.get(attr)}\" "
                    f"in {first.origin.path} (same file name, so Propel merges them and refuses: ambiguous name, package and namespace)",
                    other.origin, other=first.origin))
                break
    owned: set[int] = set()
    merged = _own(first, owned)
    contributions = _table_contributions(databases)
    tables = _KnownTables({name: known for name, sources in contributions.items()
                           if (known := _merged_before(sources)) is not None})
    index = _child_index(merged)  # one index of the root's children for every file merged into it
    for other in databases[1:]:
        _merge_into(merged, other, [], problems, owned, tables, index)
    for position, table in enumerate(merged.children):
        if table.tag == "table":
            name = table.attrs.get("name")
            if name in tables.known:
                merged.children[position] = tables.known[name].table
                continue
            if id(table) not in owned:
                table = merged.children[position] = _own(table, owned)
            _reorder(table)
            _remember(table, contributions.get(name), tables.reported.get(name, []))
    # The output root keeps the first file's name, namespace and package (PropelSchemaMerger L161-L175).
    for attr in _DB_IDENTITY:
        if attr in first.attrs:
            merged.attrs[attr] = first.attrs[attr]
            merged.attr_origins[attr] = first.origin
    return merged


@dataclass(frozen=True)
class _Merged:
    sources: tuple[RawElement, ...]  # kept, so their ids stay valid
    table: RawElement
    reports: tuple[tuple[LoadProblem, ...], ...]  # what merging each later contribution into it reported


# Merged tables by the identity of the (cached, never mutated) table elements they were merged from: a
# group that gets a new file version keeps the very objects of its other tables without merging them
# again, so everything built from them downstream is reused too (see `model.distinct_keyed_tables` for
# what the diff must still see).
_MERGED_TABLES: dict[tuple[int, ...], _Merged] = {}


def _table_contributions(databases: Sequence[RawElement]) -> dict[str, tuple[RawElement, ...]]:
    """Per table name, the elements merged into it in order; left out when the first file declares the
    name twice (its second declaration stays a table of its own)."""
    found: dict[str, list[RawElement]] = {}
    twice = set()
    for number, database in enumerate(databases):
        for child in database.children:
            if child.tag == "table":
                name = child.attrs.get("name")
                if number == 0 and name in found:
                    twice.add(name)
                found.setdefault(name, []).append(child)
    return {name: tuple(elements) for name, elements in found.items() if name not in twice}


def _merged_before(sources: tuple[RawElement, ...]) -> _Merged | None:
    cached = _MERGED_TABLES.get(tuple(map(id, sources)))
    if cached is not None and all(a is b for a, b in zip(cached.sources, sources)):
        return cached
    return None


def _remember(table: RawElement, sources: tuple[RawElement, ...] | None,
              reports: list[tuple[LoadProblem, ...]]) -> None:
    if not sources:
        return
    if len(_MERGED_TABLES) > 50000:
        _MERGED_TABLES.clear()
    _MERGED_TABLES[tuple(map(id, sources))] = _Merged(sources, table, tuple(reports))


def group_files(files: Iterable[SchemaFile]) -> dict[str, list[SchemaFile]]:
    """Group by basename; within a group core files come first, then project, each in path order."""
    groups: dict[str, list[SchemaFile]] = {}
    for schema_file in sorted(files, key=lambda f: (not f.core, f.path)):
        groups.setdefault(schema_file.basename, []).append(schema_file)
    return dict(sorted(groups.items()))
