"""The normalised, Spryker-merged schema model that rules and the differ see.

Everything here is a frozen value. Each element keeps the `Origin` (file and line) it came from;
where a project file overrode an attribute of a core element, `attr_origins` names the file that
set the value now in force, so a finding about that attribute points at the right file.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import MISSING, dataclass, field, fields
from typing import Mapping

PLATFORMS = ("mysql", "pgsql")


def quick_init(cls):
    """Give a frozen, slotted dataclass an `__init__` that stores each field as a plain assignment.

    The generated one goes through `object.__setattr__` once per field (the class is frozen), several
    times slower: with hundreds of thousands of columns and origins in a large schema, that was a large
    share of the load. The object is made an instance of a twin class for the time of the stores: same
    slots, so the `__class__` assignment is allowed both ways, but not frozen, so each store is a plain
    slot write (calling each slot's `__set__`, as before, cost twice the two class changes and the
    stores together). Same signature, defaults and resulting object; no model class has a `__post_init__`;
    a subclass's objects get each field through its slot's `__set__`. The class is declared with
    `init=False`: dataclass need not generate (compile) an `__init__` that would be replaced.
    Slots (no per-object dict) also keep a large schema's model several times smaller in memory."""
    twin = type(f"{cls.__name__}Fields", (), {"__slots__": cls.__slots__, "__module__": cls.__module__})
    namespace = {"MISSING": MISSING, "_cls_": cls, "_twin_": twin, "_set_class_": object.__setattr__}
    params, factories, names = [], [], []
    for f in fields(cls):
        namespace[f"_set_{f.name}"] = cls.__dict__[f.name].__set__  # the slot's member descriptor
        if f.default is not MISSING:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        elif f.default_factory is not MISSING:
            namespace[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=MISSING")
            factories.append(f"    if {f.name} is MISSING: {f.name} = _factory_{f.name}()\n")
        else:
            params.append(f.name)
        names.append(f.name)
    slot_sets = "".join(f"        _set_{name}(self, {name})\n" for name in names)
    stores = "".join(f"    self.{name} = {name}\n" for name in names)
    source = (f"def __init__(self, {', '.join(params)}):\n{''.join(factories)}"
              f"    if self.__class__ is not _cls_:\n{slot_sets}        return\n"
              f"    _set_class_(self, '__class__', _twin_)\n{stores}    self.__class__ = _cls_\n")
    exec(source, namespace)  # noqa: S102 - generated from the class's own field names, like dataclasses does
    namespace["__init__"].__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = namespace["__init__"]
    return cls


# A tuple underneath, so that making, comparing and hashing an Origin run in C: one is made for every
# element of every parsed file and compared in every comparison of elements and tables.
_OriginTuple = namedtuple("Origin", ("path", "line"), defaults=(None,))


@dataclass(frozen=True, init=False, repr=False, eq=False)
class Origin(_OriginTuple):
    """Where something is declared: a file and its line (None: the file as a whole).

    A (path, line) tuple: it compares, orders and hashes as the frozen dataclass of those two fields it
    was (the hash is the same number), and is a dataclass to `dataclasses.replace` and `fields`."""

    __slots__ = ()
    # The fields, read through the tuple's items (no defaults here: `line`'s is the tuple's).
    path: str = field()
    line: int | None = field()

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@quick_init
@dataclass(frozen=True, slots=True, init=False)
class Default:
    """A column default: a literal value (quoted by Propel) or an SQL expression (`defaultExpr`)."""

    value: str
    is_expression: bool = False

    def __str__(self) -> str:
        return self.value if self.is_expression else repr(self.value)


@quick_init
@dataclass(frozen=True, slots=True, init=False)
class Column:
    """A column as Propel's model holds it (type, size, flags, default); where it is declared is not compared."""

    name: str
    type: str
    size: int | None = None
    scale: int | None = None
    sql_type: str | None = None
    not_null: bool = False
    primary_key: bool = False
    auto_increment: bool = False
    default: Default | None = None
    value_set: tuple[str, ...] | None = None
    lazy_load: bool = False
    description: str | None = field(default=None, compare=False)
    # The behavior that added this column, when it was not declared in XML.
    provided_by: str | None = field(default=None, compare=False)
    origin: Origin | None = field(default=None, compare=False)
    attr_origins: Mapping[str, Origin] = field(default_factory=dict, compare=False, repr=False)

    def origin_of(self, *attributes: str) -> Origin | None:
        """Where the first of `attributes` that was set explicitly was set, else the element itself."""
        for name in attributes:
            if name in self.attr_origins:
                return self.attr_origins[name]
        return self.origin

    def describe(self) -> str:
        text = self.type
        if self.sql_type:
            text = self.sql_type
        elif self.size is not None:
            text += f"({self.size},{self.scale})" if self.scale is not None else f"({self.size})"
        if self.not_null:
            text += " NOT NULL"
        if self.default is not None:
            text += f" DEFAULT {self.default}"
        if self.auto_increment:
            text += " AUTO_INCREMENT"
        return text


@quick_init
@dataclass(frozen=True, slots=True, init=False)
class Index:
    """A plain index or a unique constraint (`unique=True`), as Propel keeps them apart."""

    name: str
    columns: tuple[str, ...]
    unique: bool = False
    # Prefix length per column (`<index-column size=...>`; None: whole column). Propel compares them.
    sizes: tuple[int | None, ...] = ()
    generated_name: bool = field(default=False, compare=False)
    provided_by: str | None = field(default=None, compare=False)
    origin: Origin | None = field(default=None, compare=False)


@quick_init
@dataclass(frozen=True, slots=True, init=False)
class ForeignKey:
    """A foreign key: the table it names, its local and foreign columns in pairs, its ON DELETE/UPDATE actions."""

    name: str
    foreign_table: str
    local_columns: tuple[str, ...]
    foreign_columns: tuple[str, ...]
    on_delete: str | None = None
    on_update: str | None = None
    skip_sql: bool = False
    generated_name: bool = field(default=False, compare=False)
    origin: Origin | None = field(default=None, compare=False)
    # `<vendor type="pgsql">` deferrable / initiallyDeferred (not compared by Propel).
    deferrable: bool = field(default=False, compare=False)
    initially_deferred: bool = field(default=False, compare=False)


@quick_init
@dataclass(frozen=True, slots=True, init=False)
class Behavior:
    """A table's behavior by name, with its parameters (name, value) in order."""

    name: str
    parameters: tuple[tuple[str, str], ...] = ()
    origin: Origin | None = field(default=None, compare=False)

    def param(self, key: str, default: str | None = None) -> str | None:
        for name, value in self.parameters:
            if name == key:
                return value
        return default


@quick_init
@dataclass(frozen=True, slots=True, init=False)
class Table:
    """One table after merging, behaviors and normalisation: what the diff compares."""

    name: str
    columns: Mapping[str, Column]
    indexes: Mapping[str, Index]
    uniques: Mapping[str, Index]
    foreign_keys: Mapping[str, ForeignKey]
    behaviors: Mapping[str, Behavior] = field(default_factory=dict)
    id_method_parameter: str | None = None
    id_method_parameter_origin: Origin | None = None
    namespace: str | None = None
    package: str | None = None
    php_name: str | None = None
    # Every schema file that contributed to this table, in merge order.
    files: tuple[str, ...] = ()
    provided_by: str | None = None
    origin: Origin | None = None
    # skipSql tables exist in the model but Propel neither creates, drops nor alters them.
    skip_sql: bool = False
    description: str | None = None

    @property
    def primary_key(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns.values() if c.primary_key)

    def definition(self) -> tuple:
        """Everything Propel's table comparator looks at, without the table's own name."""
        return (
            tuple(self.columns.values()),
            tuple(sorted(self.indexes.values(), key=lambda i: i.name)),
            tuple(sorted(self.uniques.values(), key=lambda i: i.name)),
            tuple(sorted(self.foreign_keys.values(), key=lambda f: f.name)),
        )


@dataclass(frozen=True)
class Schema:
    """One side of a comparison: the merged database for one platform."""

    platform: str
    tables: Mapping[str, Table]
    # Paths whose content could not be used (CL901); tables they touch are not diffed.
    invalid_paths: frozenset[str] = frozenset()
    files: tuple[str, ...] = ()
    # Suppression directives found in this side's files (compatlint.suppress.Directive).
    directives: tuple = ()
    # Tables declared in two differently named files (Propel refuses the build): not diffed.
    ambiguous_tables: frozenset[str] = frozenset()


def distinct_keyed_tables(base: Mapping[str, Table], head: dict[str, Table], changed_groups: set[str],
                          names=None) -> dict[str, Table]:
    """Give a head table with foreign keys its own object where it is the base's very object but a file
    of its merge group (same basename) changed: such a table is reused rather than built again, yet the
    diff must see it, as its keys compare the column types of the tables they point at, which may have
    changed. Tables of unchanged groups stay shared (the diff skips them), as a fresh load has them.
    Changes `head` in place (only `names` of it, when given) and returns it."""
    for name in head if names is None else names:
        table = head.get(name)
        if table is not None and table.foreign_keys and base.get(name) is table \
                and any(path.rpartition("/")[2] in changed_groups for path in table.files):
            head[name] = Table(*map(table.__getattribute__, _TABLE_FIELDS))  # `replace(table)`, faster
    return head


_TABLE_FIELDS = tuple(f.name for f in fields(Table))
